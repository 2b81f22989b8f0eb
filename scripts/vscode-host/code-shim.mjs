#!/usr/bin/env node
// Stands in for the `code` executable so @vscode/test-electron's runTests({ vscodeExecutablePath })
// drives code-server + headless chromium instead of a downloaded Electron build. It reads the
// --extensionDevelopmentPath=, --extensionTestsPath= and folder arguments and drops the desktop-only
// flags runTests adds (--no-sandbox, --user-data-dir=..., --disable-extensions, ...).
// The environment (runTests' extensionTestsEnv) reaches the extension host through code-server.
import { runInHost } from './run-in-host.mjs';

let devPath;
let testsPath;
let folder;
for (const arg of process.argv.slice(2)) {
  const m = /^--(extensionDevelopmentPath|extensionTestsPath)=(.*)$/.exec(arg);
  if (m?.[1] === 'extensionTestsPath') testsPath = m[2];
  else if (m) devPath ??= m[2];
  else if (!arg.startsWith('-')) folder ??= arg;
}
if (!devPath || !testsPath || !folder) {
  console.error('code-shim: needs --extensionDevelopmentPath=, --extensionTestsPath= and a workspace folder');
  process.exit(2);
}
const code = await runInHost({
  devPath,
  testsPath,
  folder,
  screenshotDir: process.env.MFDATA_SCREENSHOT_DIR,
  timeoutMs: Number(process.env.MFDATA_IN_HOST_TIMEOUT_MS || 300_000),
});
process.exit(code);

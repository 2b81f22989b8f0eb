// `npm run test:host`: the extension's tests in a real VS Code (code-server + headless chromium):
//   1. the in-host integration suites, through @vscode/test-electron's runTests and code-shim.mjs;
//   2. the untrusted-workspace suite, in a host with workspace trust enabled;
//   2b. the multi-root suite, on a .code-workspace of three folders (multiroot.host.ts);
//   3. the UI test, on the .vsix from `npm run package` installed with --install-extension.
// Needs the host from install.sh (.ci/run installs it). Screenshots go to test-artifacts/.
//   node scripts/vscode-host/test-host.mjs [in-host|untrusted|multiroot|ui]...   (default: all)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { locateHost } from './host.mjs';
import { runInHost } from './run-in-host.mjs';

const root = new URL('../..', import.meta.url).pathname;
const artifacts = join(root, 'test-artifacts');
const parts = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['in-host', 'untrusted', 'multiroot', 'ui']);
locateHost(); // fails early, with the fix, when the host is not installed
mkdirSync(artifacts, { recursive: true });

function step(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
}

/** A copy of the fixture workspace in a temp dir, so runs never write into the repository. */
function fixtureWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'mfdata-ws-'));
  cpSync(join(root, 'test/extension/fixtures/workspace'), dir, { recursive: true });
  return dir;
}

const failures = [];
step(process.execPath, ['scripts/build.mjs']);
step(process.execPath, ['scripts/vscode-host/build-tests.mjs']);

if (parts.has('in-host')) {
  const workspace = fixtureWorkspace();
  try {
    await runTests({
      vscodeExecutablePath: join(root, 'scripts/vscode-host/code-shim.mjs'),
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, '.vscode-test/host-tests/index.js'),
      launchArgs: [workspace],
      extensionTestsEnv: { MFDATA_SCREENSHOT_DIR: artifacts, MFDATA_HOST_SUITES: process.env.MFDATA_HOST_SUITES ?? '' },
    });
  } catch (err) {
    failures.push(`in-host suites: ${err.message}`);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

if (parts.has('untrusted')) {
  const workspace = fixtureWorkspace();
  try {
    const code = await runInHost({
      devPath: root,
      testsPath: join(root, '.vscode-test/host-tests/index.js'),
      folder: workspace,
      trust: false,
      env: { MFDATA_HOST_SUITES: 'untrusted' },
      screenshotDir: artifacts,
    });
    if (code !== 0) failures.push(`untrusted-workspace suite: exit ${code}`);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

if (parts.has('multiroot')) {
  // notes/ (no project) first, so the folder at index 0 never changes (that would restart the extension
  // host); alpha/ is the fixture project; beta/ (another project) is added and removed by the suite.
  const dir = mkdtempSync(join(tmpdir(), 'mfdata-multiroot-'));
  mkdirSync(join(dir, 'notes'));
  writeFileSync(join(dir, 'notes', 'README.md'), 'not an MFDATA project\n');
  cpSync(join(root, 'test/extension/fixtures/workspace'), join(dir, 'alpha'), { recursive: true });
  cpSync(join(root, 'test/extension/fixtures/workspace'), join(dir, 'beta'), { recursive: true });
  const file = join(dir, 'multiroot.code-workspace');
  writeFileSync(file, JSON.stringify({ folders: [{ path: 'notes' }, { path: 'alpha' }], settings: {} }, null, 2));
  try {
    const code = await runInHost({
      devPath: root,
      testsPath: join(root, '.vscode-test/host-tests/index.js'),
      folder: file,
      env: { MFDATA_HOST_SUITES: 'multiroot', MFDATA_MULTIROOT_BETA: join(dir, 'beta') },
      screenshotDir: artifacts,
    });
    if (code !== 0) failures.push(`multi-root suite: exit ${code}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (parts.has('ui')) {
  step('npm', ['run', 'package']);
  const r = spawnSync(process.execPath, ['scripts/vscode-host/ui-test.mjs', join(root, 'dist/mfdata-vscode.vsix')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failures.push(`UI test: exit ${r.status}`);
}

if (failures.length > 0) {
  console.error(`\nVS Code host tests FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('\nVS Code host tests passed');

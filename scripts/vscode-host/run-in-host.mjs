// Runs a mocha suite inside the real extension host of code-server, headless: the workbench is opened
// in chromium with the `payload` query VS Code web uses for an Extension Development Host
// (extensionDevelopmentPath + extensionTestsPath, as vscode-remote URIs). The built product honours
// that payload only with the smoke-test driver enabled (`--vscode-option enable-smoke-test-driver`).
// When the suite's run() settles the workbench calls window.codeAutomationExit(code); in-host console
// output arrives through window.codeAutomationLog. A line `MFDATA_SCREENSHOT <name>` saves a PNG.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freshProfile, launchBrowser, locateHost, remoteUri, startServer, workbenchUrl } from './host.mjs';

/**
 * @param {{ devPath: string, testsPath: string, folder: string (a folder, or a .code-workspace file), env?: Record<string,string>,
 *           timeoutMs?: number, screenshotDir?: string, trust?: boolean }} options
 * @returns {Promise<number>} the suite's exit code (0 pass, 1 fail, 124 timeout)
 */
export async function runInHost(options) {
  const host = locateHost();
  const started = Date.now();
  const profile = freshProfile('inhost', { trust: options.trust ?? true });
  const server = await startServer(host, profile, { extraArgs: ['--vscode-option', 'enable-smoke-test-driver'], env: options.env ?? {} });
  const browser = await launchBrowser(host);
  const { page } = browser;
  const shots = options.screenshotDir;
  if (shots) mkdirSync(shots, { recursive: true });
  let settle;
  const finished = new Promise((r) => (settle = r));
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const parts = Array.isArray(args) ? args : [args];
    console.log(...parts);
    const m = shots && String(parts[0]).match(/MFDATA_SCREENSHOT (\S+)/);
    if (m) void page.screenshot({ path: join(shots, `${m[1]}.png`) }).catch(() => {});
  });
  await page.exposeFunction('codeAutomationExit', (code) => settle({ code, how: 'exit' }));
  page.on('pageerror', (e) => console.error('[workbench error]', e.message));
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server, resolve(options.devPath))],
    ['extensionTestsPath', remoteUri(server, resolve(options.testsPath))],
  ];
  await page.goto(workbenchUrl(server, resolve(options.folder), payload));
  const timeoutMs = options.timeoutMs ?? 300_000;
  const timer = setTimeout(() => settle({ code: 124, how: `timeout after ${timeoutMs} ms` }), timeoutMs);
  const result = await finished;
  clearTimeout(timer);
  if (result.code !== 0 && shots) await page.screenshot({ path: join(shots, 'in-host-failure.png') }).catch(() => {});
  await browser.close();
  await server.stop();
  profile.dispose();
  console.log(`[in-host] suite finished with exit code ${result.code} (${result.how}) in ${Date.now() - started} ms`);
  return result.code;
}

// UI test through chromium: installs the packaged .vsix with code-server's --install-extension into a
// fresh profile (so it also checks that the package installs and activates), opens the fixture
// workspace, runs commands from the palette, and checks the MFDATA container, its three views with
// real content and the status bar item. Screenshots go to test-artifacts/; the views screenshot is
// copied to media/screenshots/views.png for the README.
//   node scripts/vscode-host/ui-test.mjs dist/mfdata-vscode.vsix
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freshProfile, launchBrowser, locateHost, runHostCli, startServer, workbenchUrl } from './host.mjs';

const root = new URL('../..', import.meta.url).pathname;
/**
 * PENDING: `mfdata start` cannot start a workspace yet (config_auto generation is not wired into the
 * start command: "watchers.json: missing, and this build cannot generate it yet"). Until it can, the
 * part of this test that needs a running runtime is skipped and said so (MFDATA_UI_RUNTIME=1 runs it);
 * make it the default when it lands,
 * together with the `describe.skip` in test/extension/runtime.host.ts.
 */
const RUNTIME_CAN_START = process.env.MFDATA_UI_RUNTIME === '1';
const vsix = resolve(process.argv[2] ?? join(root, 'dist/mfdata-vscode.vsix'));
const artifacts = join(root, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });
const host = locateHost();
const profile = freshProfile('ui');
const workspace = mkdtempSync(join(tmpdir(), 'mfdata-uiws-'));
cpSync(join(root, 'test/extension/fixtures/workspace'), workspace, { recursive: true });
const timings = {};
const since = (t0) => Date.now() - t0;
let failed = false;
let server;
let browser;

class PendingError extends Error {}

function check(ok, what) {
  if (!ok) throw new Error(what);
  console.log(`PASS ${what}`);
}

try {
  let t0 = Date.now();
  const installed = await runHostCli(host, profile, ['--install-extension', vsix]);
  check(/successfully installed/i.test(installed), `${vsix} installs with --install-extension`);
  const extDir = readdirSync(profile.extensionsDir).find((d) => d.startsWith('mfdata.mfdata-vscode-'));
  check(extDir !== undefined, `the extension is unpacked in the extensions dir (${extDir})`);
  timings.installMs = since(t0);

  server = await startServer(host, profile);
  browser = await launchBrowser(host);
  const { page } = browser;
  t0 = Date.now();
  await page.goto(workbenchUrl(server, workspace));
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  const activity = page.locator('.activitybar [aria-label^="MFDATA"]').first();
  await activity.waitFor({ timeout: 90_000 });
  check(true, 'the MFDATA container is in the activity bar');
  // The status bar item exists only once the extension activated (workspaceContains:plugins/*/config.ini).
  const statusItem = page.locator('.statusbar-item', { hasText: 'MFDATA:' }).first();
  await statusItem.waitFor({ timeout: 60_000 });
  check(/MFDATA: stopped/.test(await statusItem.innerText()), 'the extension activated: status bar reads "MFDATA: stopped"');
  timings.workbenchReadyMs = since(t0);

  const palette = async (title) => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 20_000 });
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
  };

  await activity.click();
  for (const name of ['Plugins', 'Queues', 'Processes']) {
    await page.locator('.pane-header', { hasText: name }).first().waitFor({ timeout: 20_000 });
  }
  check(true, 'the three views Plugins, Queues and Processes are in the container');
  await page.locator('.welcome-view-content', { hasText: 'not running' }).first().waitFor({ timeout: 20_000 });
  check(true, 'the stopped runtime shows the "not running" welcome view with Start');
  await page.screenshot({ path: join(artifacts, 'ui-stopped.png') });

  if (!RUNTIME_CAN_START) {
    await palette('MFDATA: Show Status');
    await page.locator('.notification-toast', { hasText: 'the runtime is not running' }).first().waitFor({ timeout: 30_000 });
    check(true, 'MFDATA: Show Status from the palette says the runtime is not running');
    await page.screenshot({ path: join(artifacts, 'views.png') });
    throw new PendingError();
  }
  t0 = Date.now();
  await palette('MFDATA: Start Runtime');
  await page.locator('.statusbar-item', { hasText: /MFDATA: (running|degraded)/ }).first().waitFor({ timeout: 90_000 });
  check(true, 'MFDATA: Start Runtime from the palette: status bar reads running');
  timings.startFromPaletteMs = since(t0);

  const pluginsPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Plugins' }) }).first();
  await pluginsPane.locator('.monaco-list-row', { hasText: 'hello' }).first().waitFor({ timeout: 30_000 });
  await pluginsPane.locator('.monaco-list-row', { hasText: /main.*workers/ }).first().waitFor({ timeout: 30_000 });
  check(true, 'Plugins view: plugin hello with its steps, states and figures');
  const processesPane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Processes' }) }).first();
  await processesPane.locator('.monaco-list-row', { hasText: 'step.hello.main' }).first().waitFor({ timeout: 30_000 });
  check(true, 'Processes view: the step watcher with its pid');
  await palette('MFDATA: Show Status');
  await page.locator('.notification-toast', { hasText: /MFDATA (running|degraded)/ }).first().waitFor({ timeout: 30_000 });
  check(true, 'MFDATA: Show Status from the palette shows the runtime state');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(artifacts, 'views.png') });
  mkdirSync(join(root, 'media/screenshots'), { recursive: true });
  copyFileSync(join(artifacts, 'views.png'), join(root, 'media/screenshots/views.png'));

  await palette('MFDATA: Stop Runtime');
  await page.locator('.statusbar-item', { hasText: 'MFDATA: stopped' }).first().waitFor({ timeout: 90_000 });
  check(true, 'MFDATA: Stop Runtime from the palette: status bar reads stopped');
} catch (err) {
  if (err instanceof PendingError) {
    console.log('PENDING the running-runtime part (start from the palette, views with a live runtime, stop): `mfdata start` cannot start a workspace yet');
  } else {
    failed = true;
    console.error(`FAIL ${err.message}`);
    await browser?.page.screenshot({ path: join(artifacts, 'ui-failure.png') }).catch(() => {});
  }
} finally {
  await browser?.close();
  await server?.stop();
  // Belt and braces: whatever happened in the browser, no runtime outlives the test.
  spawnSync(process.execPath, [join(root, 'dist/runtime/cli.js'), '--workspace', workspace, 'stop'], { stdio: 'ignore', timeout: 60_000 });
  rmSync(workspace, { recursive: true, force: true });
  profile.dispose();
}
console.log('UI TIMINGS', JSON.stringify(timings));
process.exit(failed ? 1 : 0);

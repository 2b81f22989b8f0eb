// UI test through chromium: installs the packaged .vsix with code-server's --install-extension into a
// fresh profile (so it also checks that the package installs and activates), opens the fixture
// workspace (plugin hello, plus the example plugin normalize copied in), starts the runtime from the
// palette, feeds it files, and checks the MFDATA container, its three views with real content (steps
// with figures, a queue with its messages, watchers with pids) and the status bar item; then stops
// it from the palette and checks no runtime process is left. Before the stop, files are fed to
// normalize continuously and MFDATA: Show Metrics draws the run. Screenshots go to test-artifacts/;
// the views, the metrics view and the flow view (running runtime) are copied to media/screenshots/ for the README.
//   node scripts/vscode-host/ui-test.mjs dist/mfdata-vscode.vsix
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freshProfile, launchBrowser, locateHost, runHostCli, startServer, workbenchUrl } from './host.mjs';

const root = new URL('../..', import.meta.url).pathname;
const vsix = resolve(process.argv[2] ?? join(root, 'dist/mfdata-vscode.vsix'));
const artifacts = join(root, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });
const host = locateHost();
const profile = freshProfile('ui');
const workspace = mkdtempSync(join(tmpdir(), 'mfdata-uiws-'));
cpSync(join(root, 'test/extension/fixtures/workspace'), workspace, { recursive: true });
cpSync(join(root, 'examples/plugins/normalize'), join(workspace, 'plugins/normalize'), { recursive: true });
const home = join(workspace, '.mfdata');
const cliJs = join(root, 'dist/runtime/cli.js');
const timings = {};
const since = (t0) => Date.now() - t0;
let failed = false;
let server;
let browser;

function check(ok, what) {
  if (!ok) throw new Error(what);
  console.log(`PASS ${what}`);
}

/** `mfdata inject` of a new file into a step, as a user of the command line would. */
function inject(plugin, step, name, content) {
  const dir = mkdtempSync(join(tmpdir(), 'mfdata-uifile-'));
  writeFileSync(join(dir, name), content);
  const r = spawnSync(process.execPath, [cliJs, '--workspace', workspace, 'inject', join(dir, name), '--plugin', plugin, '--step', step], { encoding: 'utf8', timeout: 30_000 });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`mfdata inject ${name} into ${plugin}/${step} exited ${r.status}: ${r.stderr}`);
}

/** Live processes whose command line names the runtime home (supervisor, redis-server, workers…). */
function runtimeProcesses() {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (cmdline.includes(home) && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') found.push(`${entry} ${cmdline.trim()}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
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

  await palette('MFDATA: Show Status');
  await page.locator('.notification-toast', { hasText: 'the runtime is not running' }).first().waitFor({ timeout: 30_000 });
  check(true, 'MFDATA: Show Status from the palette says the runtime is not running');
  await palette('Notifications: Clear All Notifications');

  t0 = Date.now();
  await palette('MFDATA: Start Runtime');
  await page.locator('.statusbar-item', { hasText: /MFDATA: running/ }).first().waitFor({ timeout: 90_000 });
  check(true, 'MFDATA: Start Runtime from the palette: status bar reads "MFDATA: running"');
  timings.startFromPaletteMs = since(t0);
  check(runtimeProcesses().length >= 7, `the runtime runs: supervisor, redis-server and workers name the home (${runtimeProcesses().length} processes)`);

  // Work for the runtime: three text files through normalize (main, then archive), and three files
  // for hello/slow, which has no workers, so they wait in its queue.
  for (const n of [1, 2, 3]) inject('normalize', 'main', `report-${n}.txt`, `line one   \r\nline ${n}\r\n`);
  for (const n of ['a', 'b', 'c']) inject('hello', 'slow', `waiting-${n}.txt`, `${n}\n`);

  // A wider sidebar, so the figures of the steps are readable in the screenshot.
  const box = await page.locator('.part.sidebar').boundingBox();
  if (box) {
    await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + 620, box.y + box.height / 2, { steps: 10 });
    await page.mouse.up();
  }

  const pane = (name) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: name }) }).first();
  const pluginsPane = pane('Plugins');
  await pluginsPane.locator('.monaco-list-row', { hasText: /hello\s*2 steps/ }).first().waitFor({ timeout: 30_000 });
  await pluginsPane.locator('.monaco-list-row', { hasText: /normalize\s*2 steps · 2 running/ }).first().waitFor({ timeout: 30_000 });
  for (const step of ['main', 'archive']) {
    await pluginsPane.locator('.monaco-list-row', { hasText: new RegExp(`${step}\\s*3 processed · 0 failed · queue 0 · 1/1 workers`) }).first().waitFor({ timeout: 60_000 });
  }
  check(true, 'Plugins view: normalize with its steps main and archive, each "3 processed · 0 failed · queue 0 · 1/1 workers"');
  await pluginsPane.locator('.monaco-list-row', { hasText: /slow\s*0 processed · 0 failed · queue 3 · 0\/0 workers/ }).first().waitFor({ timeout: 60_000 });
  check(true, 'Plugins view: hello/slow (no workers) shows its 3 waiting files');
  const queuesPane = pane('Queues');
  await queuesPane.locator('.monaco-list-row', { hasText: /step\.hello\.slow\s*3 messages/ }).first().waitFor({ timeout: 30_000 });
  await queuesPane.locator('.monaco-list-row', { hasText: 'step.hello.slow' }).first().click();
  await queuesPane.locator('.monaco-list-row', { hasText: 'waiting-a.txt' }).first().waitFor({ timeout: 30_000 });
  check(true, 'Queues view: step.hello.slow with 3 messages, expanded to its next messages (waiting-a.txt first)');
  const processesPane = pane('Processes');
  for (const watcher of ['redis', 'step.normalize.main', 'step.normalize.archive', 'directory_observer']) {
    await processesPane.locator('.monaco-list-row', { hasText: new RegExp(`${watcher.replace(/\./g, '\\.')}\\s*running · 1/1 · pid \\d+`) }).first().waitFor({ timeout: 30_000 });
  }
  check(true, 'Processes view: redis, the normalize step watchers and the observer, each running with its pid');

  await palette('MFDATA: Show Status');
  await page.locator('.notification-toast', { hasText: /MFDATA running: \d+\/\d+ watchers running/ }).first().waitFor({ timeout: 30_000 });
  check(true, 'MFDATA: Show Status from the palette shows the runtime running');
  await palette('Notifications: Clear All Notifications');
  await page.keyboard.press('Escape');
  await page.mouse.move(1300, 300);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(artifacts, 'views.png') });
  mkdirSync(join(root, 'media/screenshots'), { recursive: true });
  copyFileSync(join(artifacts, 'views.png'), join(root, 'media/screenshots/views.png'));

  // A run in progress for the metrics view: a file into normalize/main's inbox every 400 ms (written as
  // .t, then renamed, as a producer does), every seventh a binary one that main fails.
  let fed = 0;
  const inbox = join(home, 'var/in/step.normalize.main');
  const feeder = setInterval(() => {
    fed++;
    const name = fed % 7 === 0 ? `sample-${fed}.bin` : `sample-${fed}.txt`;
    try {
      writeFileSync(join(inbox, `${name}.t`), fed % 7 === 0 ? Buffer.from([0x61, 0x00, 0x62]) : `sample ${fed}   \r\n`.repeat(1 + (fed % 5)));
      renameSync(join(inbox, `${name}.t`), join(inbox, name));
    } catch {
      // the inbox is re-created by the runtime; the next tick writes again
    }
  }, 400);
  try {
    await palette('MFDATA: Show Metrics');
    const metrics = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await metrics.locator('svg.chart').nth(2).waitFor({ timeout: 60_000 });
    check(true, 'MFDATA: Show Metrics from the palette: the metrics panel draws three SVG charts');
    // Let the run fill a few 10 s buckets, then read the panel's own summary.
    await page.waitForTimeout(35_000);
    await metrics.locator('#summary li', { hasText: /^normalize\/main: [1-9]\d* processed and [1-9]\d* failed/ }).first().waitFor({ timeout: 30_000 });
    check(true, 'the metrics summary counts normalize/main files processed and failed during the run');
    await metrics.locator('path.line').first().waitFor({ state: 'attached', timeout: 30_000 });
    check(true, 'the charts draw their lines');
    await pluginsPane.locator('.monaco-list-row', { hasText: /main\s*\d+ processed · \d+ failed · queue \d+ · 1\/1 workers · [\d.]+ files\/s · [1-9]\d* errors? \(1 min\)/ }).first().waitFor({ timeout: 30_000 });
    check(true, 'Plugins view: normalize/main shows its files/s and errors of the last minute');
    await page.mouse.move(1300, 850);
    await page.waitForTimeout(1000);
    await page.screenshot({ path: join(artifacts, 'metrics.png') });
    copyFileSync(join(artifacts, 'metrics.png'), join(root, 'media/screenshots/metrics.png'));

    // The flow view during the same run: normalize/main → archive, and main's failures into the trash.
    await palette('View: Close All Editors');
    await palette('View: Toggle Primary Side Bar Visibility');
    await palette('MFDATA: Show Flow Graph');
    const flow = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await flow.locator('g.node.step[data-id="normalize/archive"]').waitFor({ timeout: 60_000 });
    await flow.locator('g.edge.route[data-id="route:normalize/main->normalize/archive"]').waitFor({ timeout: 60_000 });
    const errorEdge = flow.locator('g.edge.error[data-id="error:normalize/main->>trash/keep"]');
    await errorEdge.waitFor({ timeout: 60_000 });
    check(true, 'MFDATA: Show Flow Graph: normalize/main → archive drawn as a route, main → trash as an error edge');
    await page.mouse.move(1300, 850);
    await page.waitForTimeout(2500);
    await page.screenshot({ path: join(artifacts, 'flow.png') });
    copyFileSync(join(artifacts, 'flow.png'), join(root, 'media/screenshots/flow.png'));
    await errorEdge.locator('.label').click();
    const recent = flow.locator('#files li', { hasText: /sample-\d+\.bin/ }).first();
    await recent.waitFor({ timeout: 30_000 });
    check(true, 'a click on the error edge lists the recent files that took it (the failing .bin samples)');
    await recent.locator('button', { hasText: 'Show Journey' }).click();
    await page.locator('.tab', { hasText: /Journey: sample-\d+\.bin/ }).first().waitFor({ timeout: 30_000 });
    check(true, 'Show Journey on a recent file of the edge opens that file\'s journey');
    await page.screenshot({ path: join(artifacts, 'flow-journey.png') });
    // The activity bar icon brings the side bar back and takes the focus out of the webviews (the palette needs it).
    await activity.click();
    await pluginsPane.locator('.monaco-list-row', { hasText: /archive/ }).first().waitFor({ timeout: 20_000 });
  } finally {
    clearInterval(feeder);
  }
  await palette('View: Close All Editors');

  t0 = Date.now();
  await palette('MFDATA: Stop Runtime');
  await page.locator('.statusbar-item', { hasText: 'MFDATA: stopped' }).first().waitFor({ timeout: 90_000 });
  check(true, 'MFDATA: Stop Runtime from the palette: status bar reads "MFDATA: stopped"');
  timings.stopFromPaletteMs = since(t0);
  // The status bar turns "stopped" as soon as the supervisor's socket closes; the `mfdata stop` command the
  // extension ran (it names the home too) exits a moment later, once it has seen the supervisor gone.
  let left = runtimeProcesses();
  for (const deadline = Date.now() + 15_000; left.length > 0 && Date.now() < deadline; left = runtimeProcesses()) await page.waitForTimeout(100);
  check(left.length === 0, `no runtime process is left after the stop${left.length ? `: ${left.join('; ')}` : ''}`);
  await page.locator('.welcome-view-content', { hasText: 'not running' }).first().waitFor({ timeout: 20_000 });
  check(true, 'the views are back to the "not running" welcome view');
} catch (err) {
  failed = true;
  console.error(`FAIL ${err.message}`);
  await browser?.page.screenshot({ path: join(artifacts, 'ui-failure.png') }).catch(() => {});
} finally {
  await browser?.close();
  await server?.stop();
  // Belt and braces: whatever happened in the browser, no runtime outlives the test.
  spawnSync(process.execPath, [cliJs, '--workspace', workspace, 'stop'], { stdio: 'ignore', timeout: 60_000 });
  rmSync(workspace, { recursive: true, force: true });
  profile.dispose();
}
console.log('UI TIMINGS', JSON.stringify(timings));
process.exit(failed ? 1 : 0);

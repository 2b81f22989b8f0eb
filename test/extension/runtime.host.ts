// In-host integration with the REAL runtime (bundled supervisor, real redis-server, real workers):
// start from the palette command, Processes view against `mfdata status --json`, inject a file and
// see the Plugins view count it, purge a real Redis list, stop and leave no process behind.
// The workspace holds the fixture plugin `hello` and, copied in here, the example plugin `normalize`
// (two TypeScript steps: main hands each file to archive).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import type { RuntimeStatus } from '../../runtime/supervisor/protocol';
import type { MfdataApi } from '../../src/extension';
import type { CommandResult } from '../../src/commands/context';
import { activeApi, EXTENSION_ID, isLive, processesNaming, waitFor, workspaceRoot } from './helpers';

function cli(args: string[]): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  return execFileSync('node', [path.join(ext.extensionPath, 'dist/runtime/cli.js'), '--workspace', workspaceRoot(), ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('the runtime driven from VS Code', function () {
  this.timeout(180_000);
  let api: MfdataApi;
  let redis: Redis | undefined;
  let home: string;
  /** Every runtime pid the tests saw: none may outlive MFDATA: Stop Runtime. */
  const pids = new Set<number>();

  before(async () => {
    api = await activeApi();
    home = path.join(workspaceRoot(), '.mfdata');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    fs.cpSync(path.join(ext.extensionPath, 'examples/plugins/normalize'), path.join(workspaceRoot(), 'plugins/normalize'), { recursive: true });
  });

  after(async () => {
    redis?.disconnect();
    // Never leave a runtime behind, even when a test failed half-way.
    if (api.monitor.status) await vscode.commands.executeCommand('mfdata.stop');
    fs.rmSync(path.join(workspaceRoot(), 'plugins/normalize'), { recursive: true, force: true });
  });

  it('activates on a workspace with plugins and reads "not running" before the start', async () => {
    await waitFor('the controller to see both plugins', () => api.controller.facts().hasPlugins);
    assert.equal(api.monitor.status, undefined, 'no runtime answers yet');
    assert.equal(api.controller.state, 'notRunning');
  });

  it('MFDATA: Start Runtime starts the supervisor and the Processes view lists the watchers `mfdata status` reports', async () => {
    const result = await vscode.commands.executeCommand<CommandResult<RuntimeStatus>>('mfdata.start');
    assert.equal(result.ok, true, result.ok ? '' : result.error);
    const status = await waitFor('every watcher running', async () => {
      const s = await api.monitor.client.refresh();
      return s && s.watchers.every((w) => w.state === 'running' && w.processes.length === w.numprocesses) ? s : undefined;
    });
    pids.add(status.pid);
    assert.equal(api.controller.state, 'running');
    const fromCli = JSON.parse(cli(['status', '--json'])) as RuntimeStatus;
    assert.equal(fromCli.pid, status.pid);
    assert.equal(fromCli.home, home);
    await vscode.commands.executeCommand('mfdata.refreshViews');
    const shown = await api.views.processes.getChildren();
    assert.deepEqual(shown.map((n) => n.label).sort(), fromCli.watchers.map((w) => w.name).sort());
    for (const node of shown) {
      const w = fromCli.watchers.find((x) => x.name === node.label)!;
      const children = await api.views.processes.getChildren(node);
      assert.deepEqual(children.map((c) => c.pid).sort(), w.processes.map((p) => p.pid).sort(), `pids of ${w.name}`);
      // 'starting' while a process is not up yet (a worker loading its step, or one respawned meanwhile).
      const state = node.description?.split(' · ')[0];
      assert.ok(state === w.state || (w.state === 'running' && state === 'starting'), `${w.name} shows its state: ${node.description}`);
      for (const p of w.processes) pids.add(p.pid);
    }
    for (const name of ['redis', 'directory_observer', 'conf_monitor', 'step.hello.main', 'step.normalize.main', 'step.normalize.archive']) {
      assert.ok(shown.some((n) => n.label === name), `the Processes view has a ${name} watcher`);
    }
    // Every pid the status reports is a live process whose command line names the home, and the
    // /proc scan the stop test relies on finds them (so an empty scan there means something).
    const scanned = new Set(processesNaming(home).map((p) => p.pid));
    for (const pid of pids) assert.ok(scanned.has(pid), `pid ${pid} runs with the home ${home} on its command line`);
    const plugins = await api.views.plugins.getChildren();
    assert.deepEqual(plugins.map((p) => [p.label, p.children?.map((s) => s.label)]), [['hello', ['main', 'slow']], ['normalize', ['archive', 'main']]]);
  });

  it('MFDATA: Inject File hands a file to a step and the Plugins view counts it processed (counter.<plugin>.<step>)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-inject-'));
    const file = path.join(dir, 'one.txt');
    fs.writeFileSync(file, 'first line   \r\nsecond\r\n');
    try {
      const result = await vscode.commands.executeCommand<CommandResult>('mfdata.injectFile', vscode.Uri.file(file), { plugin: 'normalize', step: 'main' });
      assert.equal(result.ok, true, result.ok ? '' : result.error);
      const steps = await waitFor('the Plugins view to count the file processed by both steps', async () => {
        await vscode.commands.executeCommand('mfdata.refreshViews');
        const plugin = (await api.views.plugins.getChildren()).find((p) => p.label === 'normalize');
        const main = plugin?.children?.find((c) => c.label === 'main');
        const archive = plugin?.children?.find((c) => c.label === 'archive');
        // The counters move when a worker claims the file; the rate and errors suffix appears once the stats recorder
        // flushed (once a second): wait for both, not only the counters.
        const settled = (d: string | undefined): boolean => /(^|· )1 processed /.test(d ?? '') && (d ?? '').includes(' files/s · ');
        return settled(main?.description) && settled(archive?.description) ? { main: main!, archive: archive! } : undefined;
      });
      assert.match(steps.main.description ?? '', /^1 processed · 0 failed · queue 0 · 1\/1 workers · [\d.<]+ files\/s · 0 errors \(1 min\)$/);
      assert.match(steps.archive.description ?? '', /^1 processed · 0 failed · queue 0 · 1\/1 workers · [\d.<]+ files\/s · 0 errors \(1 min\)$/);
      // The figures are Redis's: the counters the workers INCR when they claim a file.
      redis = new Redis({ path: path.join(home, 'var/redis.sock') });
      assert.equal(await redis.get('counter.normalize.main'), '1');
      assert.equal(await redis.get('counter.normalize.archive'), '1');
      const out = path.join(home, 'var/out/normalize/one.txt');
      await waitFor(`${out} written by the archive step`, () => fs.existsSync(out));
      assert.equal(fs.readFileSync(out, 'utf8'), 'first line\nsecond\n', 'normalised by main, written by archive');
      // The file the user picked is copied, never taken away.
      assert.equal(fs.existsSync(file), true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file the step fails shows "1 failed" in the Plugins view (failed.<plugin>.<step>), whatever the policy', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-inject-'));
    const file = path.join(dir, 'binary.bin');
    // normalize/main returns false for a file with a NUL byte: its failure policy (keep) trashes it.
    fs.writeFileSync(file, Buffer.from([0x61, 0x00, 0x62]));
    try {
      const result = await vscode.commands.executeCommand<CommandResult>('mfdata.injectFile', vscode.Uri.file(file), { plugin: 'normalize', step: 'main' });
      assert.equal(result.ok, true, result.ok ? '' : result.error);
      const main = await waitFor('the Plugins view to count normalize/main failed once', async () => {
        await vscode.commands.executeCommand('mfdata.refreshViews');
        const plugin = (await api.views.plugins.getChildren()).find((p) => p.label === 'normalize');
        const step = plugin?.children?.find((c) => c.label === 'main');
        return step?.description?.includes(' 1 failed') && step.description.includes(' 1 error (1 min)') ? step : undefined;
      });
      assert.match(main.description ?? '', /^2 processed · 1 failed · queue 0 · 1\/1 workers · [\d.<]+ files\/s · 1 error \(1 min\)$/);
      const archive = (await api.views.plugins.getChildren()).find((p) => p.label === 'normalize')?.children?.find((c) => c.label === 'archive');
      assert.match(archive?.description ?? '', /^1 processed · 0 failed · queue 0 · 1\/1 workers · [\d.<]+ files\/s · 0 errors \(1 min\)$/, 'the failed file never reached archive');
      redis ??= new Redis({ path: path.join(home, 'var/redis.sock') });
      assert.equal(await redis.get('failed.normalize.main'), '1');
      await waitFor('the failed file in the trash', () => fs.existsSync(path.join(home, 'var/in/trash/normalize.main/binary.bin')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('MFDATA: Purge Queue empties a real Redis list', async () => {
    redis ??= new Redis({ path: path.join(home, 'var/redis.sock') });
    const msg = (n: string): string => JSON.stringify({ directory: path.join(home, 'var/in/step.hello.slow'), filename: n, event: 'created', event_timestamp: Date.now() / 1000 });
    await redis.lpush('step.hello.slow', msg('a'), msg('b'), msg('c'));
    await vscode.commands.executeCommand('mfdata.refreshViews');
    const queues = await api.views.queues.getChildren();
    const slow = queues.find((q) => q.label === 'step.hello.slow');
    assert.equal(slow?.description, '3 messages');
    const peeked = await api.views.queues.getChildren(slow);
    assert.deepEqual(peeked.map((m) => m.label), ['a', 'b', 'c'], 'next message first');
    const result = await vscode.commands.executeCommand<CommandResult<number>>('mfdata.purgeQueue', slow, { confirmed: true });
    assert.deepEqual(result, { ok: true, value: 3 });
    assert.equal(await redis.llen('step.hello.slow'), 0);
    assert.equal(await redis.exists('step.hello.slow'), 0);
  });

  it('MFDATA: Stop Runtime stops the supervisor and leaves no process behind', async () => {
    redis?.disconnect();
    redis = undefined;
    // Pids seen since the start too (a worker may have been replaced).
    const before = await api.monitor.client.refresh();
    if (before) pids.add(before.pid);
    for (const w of before?.watchers ?? []) for (const p of w.processes) pids.add(p.pid);
    assert.ok(pids.size >= 7, `the pids of the supervisor and its processes were seen (${[...pids].join(', ')})`);
    const result = await vscode.commands.executeCommand<CommandResult>('mfdata.stop');
    assert.equal(result.ok, true, result.ok ? '' : result.error);
    await waitFor('every runtime process to exit', () => [...pids].every((p) => !isLive(p)), 30_000);
    assert.deepEqual(processesNaming(home), [], `no process names the home ${home}`);
    assert.equal(fs.existsSync(path.join(home, 'var/supervisor.sock')), false, 'the control socket is gone');
    assert.equal(fs.existsSync(path.join(home, 'var/redis.sock')), false, 'the redis socket is gone');
    assert.equal(api.monitor.status, undefined);
    assert.equal(api.controller.state, 'notRunning');
  });
});

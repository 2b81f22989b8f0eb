// In-host integration with the REAL runtime (bundled supervisor, real redis-server, real workers):
// start from the palette command, Processes view against `mfdata status --json`, inject a file and
// see the Plugins view count it, purge a real Redis list, stop and leave no process behind.
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
import { activeApi, EXTENSION_ID, waitFor, workspaceRoot } from './helpers';

function cli(args: string[]): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  return execFileSync('node', [path.join(ext.extensionPath, 'dist/runtime/cli.js'), '--workspace', workspaceRoot(), ...args], { encoding: 'utf8', timeout: 60_000 });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// PENDING: `mfdata start` cannot start a workspace yet (config_auto generation is not wired into the
// start command). These tests run against the real runtime and are left pending until it can; replace
// describe.skip with describe (and set RUNTIME_CAN_START in scripts/vscode-host/ui-test.mjs) then.
describe.skip('the runtime driven from VS Code (PENDING: mfdata start cannot start a workspace yet)', function () {
  this.timeout(180_000);
  let api: MfdataApi;
  let redis: Redis | undefined;
  const pids = new Set<number>();

  before(async () => {
    api = await activeApi();
  });

  after(async () => {
    redis?.disconnect();
    // Never leave a runtime behind, even when a test failed half-way.
    if (api.monitor.status) await vscode.commands.executeCommand('mfdata.stop');
  });

  it('MFDATA: Start Runtime starts the supervisor and the Processes view lists the watchers `mfdata status` reports', async () => {
    const result = await vscode.commands.executeCommand<CommandResult<RuntimeStatus>>('mfdata.start');
    assert.equal(result.ok, true, result.ok ? '' : result.error);
    const status = await waitFor('every watcher running', async () => {
      const s = await api.monitor.client.refresh();
      return s && s.watchers.every((w) => w.state === 'running' || w.numprocesses === 0) ? s : undefined;
    });
    assert.equal(api.controller.state, 'running');
    const fromCli = JSON.parse(cli(['status', '--json'])) as RuntimeStatus;
    assert.equal(fromCli.pid, status.pid);
    await vscode.commands.executeCommand('mfdata.refreshViews');
    const shown = await api.views.processes.getChildren();
    assert.deepEqual(shown.map((n) => n.label).sort(), fromCli.watchers.map((w) => w.name).sort());
    for (const node of shown) {
      const w = fromCli.watchers.find((x) => x.name === node.label)!;
      const children = await api.views.processes.getChildren(node);
      assert.deepEqual(children.map((c) => c.pid).sort(), w.processes.map((p) => p.pid).sort(), `pids of ${w.name}`);
      for (const p of w.processes) pids.add(p.pid);
    }
    pids.add(status.pid);
    assert.ok(shown.some((n) => n.label === 'step.hello.main'), 'the fixture plugin step has a watcher');
  });

  it('MFDATA: Inject File hands a file to a step and the Plugins view counts it processed', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-inject-')), 'one.txt');
    fs.writeFileSync(file, 'hello\n');
    const result = await vscode.commands.executeCommand<CommandResult>('mfdata.injectFile', vscode.Uri.file(file), { plugin: 'hello', step: 'main' });
    assert.equal(result.ok, true, result.ok ? '' : result.error);
    const step = await waitFor('the Plugins view to count the file processed', async () => {
      await vscode.commands.executeCommand('mfdata.refreshViews');
      const [plugin] = await api.views.plugins.getChildren();
      const main = plugin?.children?.find((c) => c.label === 'main');
      return main?.description?.includes(' 1 processed') ? main : undefined;
    });
    assert.match(step.description ?? '', /queue 0 · 1 processed · 0 failed/);
  });

  it('MFDATA: Purge Queue empties a real Redis list', async () => {
    const home = path.join(workspaceRoot(), '.mfdata');
    redis = new Redis({ path: path.join(home, 'var/redis.sock') });
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
  });

  it('MFDATA: Stop Runtime stops the supervisor and leaves no process behind', async () => {
    redis?.disconnect();
    redis = undefined;
    const result = await vscode.commands.executeCommand<CommandResult>('mfdata.stop');
    assert.equal(result.ok, true, result.ok ? '' : result.error);
    await waitFor('every runtime process to exit', () => [...pids].every((p) => !alive(p)), 30_000);
    assert.equal(api.monitor.status, undefined);
    assert.equal(api.controller.state, 'notRunning');
  });
});

// The trash browser's operations on a real runtime: list trashed files with their .tags, replay one into a step (it is
// processed, with its tags back, and its journey shows the replay), delete one; names outside the trash are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import Redis from 'ioredis';
import { readJourney } from '../../runtime/flow/read';
import { runtimeHome } from '../../runtime/home';
import { deleteFromTrash, listTrash, replayFromTrash, TrashError } from '../../runtime/trash/trash';
import { flowCommand, journeyCommand } from '../../runtime/cli/commands/flow';
import { trashListCommand } from '../../runtime/cli/commands/trash';
import type { Command } from '../../runtime/cli/command';
import { listFiles, startRuntime, waitFor, writeWorkspacePlugin } from '../steps/runtime-harness';

const STEP = `export async function process(file: { path: string }, ctx: any): Promise<boolean> {
  const fs = await import('node:fs');
  await ctx.setTag(file, 'seen', ctx.step);
  if (ctx.step === 'ok') fs.appendFileSync(ctx.getCustom('done'), file.originalBasename + ' ' + (await ctx.getTag(file, 'seen', { step: 'strict' })) + '\\n');
  return ctx.step === 'ok';
}
`;

async function cli(command: Command, positionals: string[], options: Record<string, string | boolean>, home: string, workspace: string): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  const chunks: string[] = [];
  stdout.on('data', (d) => chunks.push(String(d)));
  const code = await command.run({ positionals, options }, { home, workspace, stdout, stderr: new PassThrough() });
  return { code, out: chunks.join('') };
}

test('a trashed file is listed with its tags, replayed into another step with them, and its journey shows the replay', async () => {
  let done = '';
  const rt = await startRuntime((ws, root) => {
    done = path.join(root, 'done.txt');
    fs.writeFileSync(path.join(ws, 'mfdata.ini'), '[autorestart]\nflag = 0\n');
    writeWorkspacePlugin(ws, 'tr', `[step_strict]\n_step_module = s.ts\n\n[step_ok]\n_step_module = s.ts\n\n[custom]\ndone = ${done}\n`);
    fs.writeFileSync(path.join(ws, 'plugins/tr/s.ts'), STEP);
  });
  const redis = new Redis({ path: rt.home.redisSocket });
  try {
    const inbox = path.join(rt.home.inDir, 'step.tr.strict');
    rt.drop(inbox, 'one.txt', '1');
    rt.drop(inbox, 'two.txt', '2');
    rt.drop(inbox, 'three.txt', '3');
    // A file is placed in the trash first, its .tags (with the failure reason) just after: wait for all.
    await waitFor(() => listTrash(rt.home).filter((e) => e.tags['latest.core.failure_reason'] !== undefined).length === 3, 'the files in the trash with their tags', 30000, rt.home.logDir);
    const entries = listTrash(rt.home);
    const one = entries.find((e) => e.name === 'one.txt');
    assert.ok(one, 'one.txt listed');
    assert.deepEqual([one.plugin, one.step, one.size], ['tr', 'strict', 1]);
    assert.equal(one.tags['latest.tr.strict.seen'], 'strict');
    assert.match(one.tags['latest.core.failure_reason'], /process\(\) returned false/);
    const listed = await cli(trashListCommand, [], { json: true }, rt.home.root, rt.workspace);
    assert.deepEqual((JSON.parse(listed.out) as Array<{ name: string }>).map((e) => e.name).sort(), ['one.txt', 'three.txt', 'two.txt']);

    // Replayed into the step that fails it again at once, several times: each time it comes back with a .tags (the
    // replay removes the old .tags before the file shows in the inbox, never the new one written after).
    for (let round = 1; round <= 4; round++) {
      const three = listTrash(rt.home).find((e) => e.name === 'three.txt');
      assert.ok(three, `three.txt in the trash before round ${round}`);
      await replayFromTrash(rt.home, three, { plugin: 'tr', step: 'strict' }, { redis });
      await waitFor(() => fs.existsSync(`${three.path}.tags`) && fs.existsSync(three.path), `three.txt back in the trash with its .tags (round ${round})`, 30000, rt.home.logDir);
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(fs.existsSync(`${three.path}.tags`), `three.txt kept its new .tags (round ${round})`);
    }
    await deleteFromTrash(rt.home, listTrash(rt.home).find((e) => e.name === 'three.txt')!, { redis });

    await assert.rejects(replayFromTrash(rt.home, one, { plugin: 'tr', step: 'nosuch' }), TrashError, 'an unknown step is refused');
    await assert.rejects(replayFromTrash(rt.home, { ...one, name: '../../step.tr.ok/x' }, { plugin: 'tr', step: 'ok' }), TrashError);
    await assert.rejects(deleteFromTrash(rt.home, { plugin: 'tr', step: 'strict', name: '..' }), TrashError);

    // A producer writing one.txt.t in the target inbox (to rename it one.txt when whole) is left alone.
    const okInbox = path.join(rt.home.inDir, 'step.tr.ok');
    fs.mkdirSync(okInbox, { recursive: true });
    fs.writeFileSync(path.join(okInbox, 'one.txt.t'), 'producer, part 1');
    const dest = await replayFromTrash(rt.home, one, { plugin: 'tr', step: 'ok' }, { redis });
    assert.equal(dest, path.join(okInbox, 'one.txt'));
    assert.equal(fs.readFileSync(path.join(okInbox, 'one.txt.t'), 'utf8'), 'producer, part 1', "the producer's file is intact");
    fs.rmSync(path.join(okInbox, 'one.txt.t'));
    await waitFor(() => fs.existsSync(done) && fs.readFileSync(done, 'utf8').includes('one.txt'), 'the replayed file processed by tr/ok', 30000, rt.home.logDir);
    assert.equal(fs.readFileSync(done, 'utf8').trim(), 'one.txt strict', 'processed with the tags it had in the trash');
    assert.ok(!fs.existsSync(one.path) && !fs.existsSync(`${one.path}.tags`), 'gone from the trash with its .tags');

    const two = listTrash(rt.home).find((e) => e.name === 'two.txt');
    assert.ok(two);
    await deleteFromTrash(rt.home, two);
    assert.deepEqual(listFiles(path.join(rt.home.inDir, 'trash')), []);
    // Its journey ends with the deletion (was: still "trash" after the file was gone).
    const deleted = (await readJourney(redis, 'two.txt'))[0];
    assert.deepEqual(deleted.final, { outcome: 'deleted', where: 'from the trash of tr/strict' });
    assert.deepEqual(deleted.steps.map((s) => [s.kind, s.outcome]), [['step', 'failed → keep'], ['purge', 'deleted from the trash of tr/strict']]);
    assert.match((await cli(journeyCommand, ['two.txt'], {}, rt.home.root, rt.workspace)).out, /two\.txt \(uid [0-9a-f]{32}\): deleted \(from the trash of tr\/strict\)\n.*tr\/strict: failed → keep[^]*\n {2}\S+ \S+ {2}deleted from the trash of tr\/strict\n$/);

    let journey = (await readJourney(redis, 'one.txt'))[0];
    for (const deadline = Date.now() + 30000; journey?.final.outcome !== 'done' && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 100));
      journey = (await readJourney(redis, 'one.txt'))[0];
    }
    assert.deepEqual(journey.steps.map((s) => [s.kind, `${s.plugin}/${s.step}`, s.outcome]), [
      ['step', 'tr/strict', 'failed → keep'],
      ['replay', 'tr/ok', 'replayed from the trash of tr/strict'],
      ['step', 'tr/ok', 'done'],
    ]);
    const text = await cli(journeyCommand, ['one.txt'], {}, rt.home.root, rt.workspace);
    assert.equal(text.code, 0);
    assert.match(text.out, /one\.txt \(uid [0-9a-f]{32}\): done/);
    assert.match(text.out, /tr\/strict: failed → keep/);
    const flow = await cli(flowCommand, [], { since: '1d' }, rt.home.root, rt.workspace);
    // one.txt and two.txt failed once each, three.txt 5 times (dropped, then replayed into tr/strict 4 times).
    assert.match(flow.out, /tr\/strict\s+→\s+7 {2}>trash\/keep {2}\[error\]/);
  } finally {
    redis.disconnect();
    await rt.stop();
  }
});

test('the trash list skips a .tags file being written (its temporary dot name), and lists a trashed file without .tags yet', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-trash-list-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const home = runtimeHome(root);
  const dir = path.join(home.inDir, 'trash', 'tr.strict');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'one.txt'), '1');
  fs.writeFileSync(path.join(dir, '.0123456789ab.t'), 'latest.core.failure_reason = half written\n');
  const tagsOnly = (e: { tags: Record<string, string> }): string => JSON.stringify(e.tags);
  assert.deepEqual(listTrash(home, []).map((e) => [e.name, tagsOnly(e)]), [['one.txt', '{}']]);
  // What writeFileWhole does next: the temporary name becomes one.txt.tags.
  fs.renameSync(path.join(dir, '.0123456789ab.t'), path.join(dir, 'one.txt.tags'));
  assert.deepEqual(listTrash(home, []).map((e) => [e.name, e.tags['latest.core.failure_reason']]), [['one.txt', 'half written']]);
});

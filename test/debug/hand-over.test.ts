// "Debug step" on the runtime side: the supervisor hands the step over (its workers finish their file and are not
// respawned), one worker started as the debugger starts it takes the real queue, and when that worker is stopped in
// the middle of a file (SIGTERM, or SIGKILL as a debugger may do) and the step is taken back, every file is
// processed exactly once: none lost, none twice.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { workerCommandFromSpec } from '../../src/debug/launchConfig';
import { dropFile, listFiles, waitFor, walk } from '../datapath/harness';
import { startSupervisedHome, type SupervisedHome } from './supervised-home';

const WATCHER = 'step.dbgdemo.main';

/** The worker the extension launches under js-debug, run here without the debugger: same command, same env. */
function startDebugWorker(h: SupervisedHome): ReturnType<typeof spawn> {
  const cmd = workerCommandFromSpec(h.spec(WATCHER));
  return spawn(cmd.node, [...cmd.nodeFlags, cmd.program, ...cmd.args], { cwd: cmd.cwd, env: { ...process.env, ...cmd.env, MFDATA_DEBUG_UNCAUGHT: '1' }, stdio: 'ignore' });
}

function ledger(h: SupervisedHome): string[] {
  try {
    return fs.readFileSync(path.join(h.home.varDir, 'out/dbgdemo/ledger.txt'), 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ')[0]);
  } catch {
    return [];
  }
}

async function debugSessionStoppedMidFile(signal: NodeJS.Signals): Promise<void> {
  const h = await startSupervisedHome();
  const hold = path.join(h.home.varDir, 'out/dbgdemo/hold');
  const inbox = path.join(h.home.inDir, 'step.dbgdemo.main');
  const tmp = path.join(h.home.inDir, 'tmp', 'dbgdemo.main');
  try {
    const before = await h.watcher(WATCHER);
    assert.equal(before?.processes.length, 2);
    await h.request({ cmd: 'hand_over', watcher: WATCHER });
    const handed = await h.watcher(WATCHER);
    assert.equal(handed?.state, 'handed_over');
    assert.deepEqual(handed?.processes, [], 'the supervised workers are stopped');

    fs.mkdirSync(path.dirname(hold), { recursive: true });
    fs.writeFileSync(hold, '');
    const worker = startDebugWorker(h);
    const exited = new Promise<void>((r) => worker.once('exit', () => r()));
    fs.mkdirSync(inbox, { recursive: true });
    const names = Array.from({ length: 20 }, (_, i) => `file-${String(i).padStart(2, '0')}.txt`);
    for (const n of names) dropFile(inbox, n, `${n}\n`);
    // The debug worker holds a claim: "paused in the middle of a file".
    await waitFor('the debug worker to claim a file', () => listFiles(tmp).length > 0, 20_000);
    assert.equal((await h.watcher(WATCHER))?.processes.length, 0, 'no supervised worker came back meanwhile');
    worker.kill(signal);
    if (signal === 'SIGTERM') fs.rmSync(hold); // SIGTERM: the worker finishes its current file, then exits
    await exited;
    fs.rmSync(hold, { force: true });

    await h.request({ cmd: 'take_back', watcher: WATCHER });
    await waitFor('the step back under supervision', async () => (await h.watcher(WATCHER))?.state === 'running', 20_000);
    assert.equal((await h.watcher(WATCHER))?.processes.length, 2);
    await waitFor('every file in the ledger', () => ledger(h).length >= names.length, 30_000);
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would show up meanwhile
    assert.deepEqual(ledger(h).sort(), names, 'each file processed exactly once');
    assert.deepEqual(listFiles(inbox), [], 'inbox empty');
    assert.deepEqual(listFiles(tmp), [], 'no claim left');
    assert.deepEqual(walk(path.join(h.home.inDir, 'trash')), [], 'nothing trashed');
  } finally {
    fs.rmSync(hold, { force: true });
    await h.close();
  }
}

test('a debug worker stopped with SIGTERM mid-file finishes its file; the rest goes to the supervised workers taken back: each file once', async () => {
  await debugSessionStoppedMidFile('SIGTERM');
});

test('a debug worker SIGKILLed mid-file: its claims are recovered when the step is taken back: each file once, none lost', async () => {
  await debugSessionStoppedMidFile('SIGKILL');
});

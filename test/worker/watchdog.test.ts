// The watchdog thread kills a worker whose step blocks the event loop past the limit, naming the file in hand, whether
// it was asleep or still timing earlier files; quick files and an idle worker are never killed.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const WATCHDOG_JS = path.join(__dirname, '../../runtime/worker/watchdog.js');

/** Runs `body` in a child node with a Watchdog `dog` (limit `limitMs`, culprit file `culprit`); resolves with how it ended. */
function runChild(limitMs: number, body: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; culprit: string | undefined; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-watchdog-'));
  const culprit = path.join(dir, 'culprit');
  const script = `
const { Watchdog } = require(${JSON.stringify(WATCHDOG_JS)});
const dog = new Watchdog(${limitMs}, { name: 'test', plugin: 'p', step: 's', culpritFile: ${JSON.stringify(culprit)} });
${body}`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code, signal) => {
      const text = fs.existsSync(culprit) ? fs.readFileSync(culprit, 'utf8') : undefined;
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, signal, culprit: text, stderr });
    });
  });
}

test('a file that blocks right after many quick ones (the thread still timing them, not woken) is killed and named', async () => {
  const r = await runChild(300, `
for (let i = 0; i < 200; i++) { dog.arm('quick' + i); dog.disarm(); }
dog.arm('the-blocking-file');
for (;;) {}`);
  assert.equal(r.signal, 'SIGKILL');
  assert.equal(r.culprit, 'the-blocking-file');
  assert.match(r.stderr, /watchdog: the step blocked the worker beyond process_timeout/);
});

test('a file that blocks after the thread went idle (woken by the arm) is killed and named', async () => {
  const r = await runChild(200, `
dog.arm('first'); dog.disarm();
setTimeout(() => { dog.arm('late-blocker'); for (;;) {} }, 600);`);
  assert.equal(r.signal, 'SIGKILL');
  assert.equal(r.culprit, 'late-blocker');
});

test('quick files, then an idle worker past several limits: never killed', async () => {
  const r = await runChild(100, `
let i = 0;
const tick = () => {
  dog.arm('f' + i); dog.disarm();
  if (++i < 50) setTimeout(tick, 5);
  else setTimeout(() => process.exit(0), 500);
};
tick();`);
  assert.equal(r.signal, null);
  assert.equal(r.code, 0);
  assert.equal(r.culprit, undefined);
});

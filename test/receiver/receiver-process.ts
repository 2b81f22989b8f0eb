// Test helper: runs the real receiver process (dist/runtime/receiver.js) on a unix socket in a temp dir, and talks HTTP to it.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { runtimeHome, type RuntimeHome } from '../../runtime/home';

export const RECEIVER_JS = path.resolve(__dirname, '../../../dist/runtime/receiver.js');

export interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }

export interface ReceiverProcess {
  /** The temp dir holding the socket and the home (removed by stop()). */
  dir: string;
  socket: string;
  home: RuntimeHome;
  proc: ChildProcess;
  /** Everything the receiver logged so far (mflog JSON lines). */
  stdout(): string;
  request(method: string, urlPath: string, body?: Buffer | string, headers?: http.OutgoingHttpHeaders): Promise<Answer>;
  /** SIGTERM, wait for the exit, remove the temp dir. */
  stop(): Promise<void>;
}

/** Starts a receiver with `--port 0 --unix-socket <dir>/recv.sock` plus `args`; `prepare` runs on the temp dir first and may return more arguments. */
export async function startReceiver(args: string[], prepare: (dir: string, home: RuntimeHome) => string[] | void = () => {}): Promise<ReceiverProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mfdata-recv-'));
  const socket = path.join(dir, 'recv.sock');
  const home = runtimeHome(path.join(dir, 'home'));
  const more = prepare(dir, home) ?? [];
  const proc = spawn(process.execPath, [RECEIVER_JS, '--home', home.root, '--port', '0', '--unix-socket', socket, ...args, ...more], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout?.on('data', (d) => { out += d; });
  for (let i = 0; i < 400 && !out.includes('"listening"') && proc.exitCode === null; i++) await new Promise((r) => setTimeout(r, 25));
  assert.match(out, /"listening"/, `receiver did not start (exit ${proc.exitCode})`);
  const request = (method: string, urlPath: string, body?: Buffer | string, headers: http.OutgoingHttpHeaders = {}): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = http.request({ socketPath: socket, method, path: urlPath, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => { text += d; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { dir, socket, home, proc, stdout: () => out, request, stop };
}

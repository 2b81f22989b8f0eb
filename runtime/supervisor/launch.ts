// Starting and stopping a whole runtime from outside (the CLI, the extension): spawn the supervisor,
// wait until its watchers are up, or ask it to stop and wait until nothing is left.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { ControlClient, NotRunningError } from './control-client';
import { isSupervisorProcess, readLockPid } from './lock';
import type { RuntimeStatus } from './protocol';
import { writeStatusFile } from './status-file';
import type { RuntimeHome } from '../home';
import { runtimeEntry } from '../util/runtime-entry';
import { UNANNOUNCED_READY_MS } from '../util/ready';

export class RuntimeStartError extends Error {
  constructor(message: string, readonly status?: RuntimeStatus) {
    super(message);
    this.name = 'RuntimeStartError';
  }
}

export class RuntimeStopError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuntimeStopError';
  }
}

/** After the start sequence, how long to watch watchers in backoff before calling the start good or bad. */
const SETTLE_MS = 5000;
/**
 * ... and a start counts as good once no process restarted for this long, or sooner once every process announced
 * it is ready (runtime/util/ready.ts): a process that does not announce counts as up after living this long.
 */
const QUIET_MS = UNANNOUNCED_READY_MS;
/** Even when everything announced readiness, no restart for this long (a crash right after the announce). */
const MIN_QUIET_MS = 100;
const SETTLE_POLL_MS = 50;

/**
 * Every process of the watcher is up: it announced readiness, or lived QUIET_MS. Redis has none to announce: the
 * supervisor waited for its PING before starting anything else.
 */
function settled(w: RuntimeStatus['watchers'][number], now: number): boolean {
  return w.kind === 'redis' || w.processes.every((p) => p.ready === true || now - p.startedAt >= QUIET_MS);
}

function restartsOf(status: RuntimeStatus): string {
  return status.watchers.map((w) => `${w.name}:${w.restarts}:${w.state}`).join(' ');
}

export function supervisorArgs(home: RuntimeHome, workspace: string, foreground: boolean): string[] {
  return [runtimeEntry('supervisor'), '--home', home.root, '--workspace', workspace, ...(foreground ? ['--foreground'] : [])];
}

/** The pid of a live supervisor of this home, from its lock file. */
export function runningSupervisorPid(home: RuntimeHome): number | undefined {
  const pid = readLockPid(home.supervisorLock);
  return pid !== undefined && isSupervisorProcess(pid) ? pid : undefined;
}

/** Spawns the supervisor in its own session; its early stderr goes to `<home>/log/supervisor.stderr`. */
export function spawnDetachedSupervisor(home: RuntimeHome, workspace: string): { child: ChildProcess; stderrFile: string } {
  fs.mkdirSync(home.logDir, { recursive: true });
  const stderrFile = `${home.logDir}/supervisor.stderr`;
  const fd = fs.openSync(stderrFile, 'w');
  try {
    const child = spawn(process.execPath, supervisorArgs(home, workspace, false), {
      cwd: workspace,
      detached: true,
      stdio: ['ignore', 'ignore', fd],
      env: process.env,
    });
    child.unref();
    return { child, stderrFile };
  } finally {
    fs.closeSync(fd);
  }
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return '';
  }
}

async function tryStatus(socket: string): Promise<RuntimeStatus | undefined> {
  try {
    const client = await ControlClient.connect(socket, 1000);
    try {
      return await client.status();
    } finally {
      client.close();
    }
  } catch {
    return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the supervisor finished its start sequence and its watchers settled. Resolves with the
 * status when every autostart watcher runs; throws RuntimeStartError naming what failed otherwise.
 */
export async function waitForStartup(home: RuntimeHome, child: ChildProcess, stderrFile: string, timeoutMs: number): Promise<RuntimeStatus> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null = null;
  child.once('exit', (code) => { exitCode = code ?? 1; });
  let status: RuntimeStatus | undefined;
  for (;;) {
    if (exitCode !== null) throw new RuntimeStartError(`the supervisor exited with code ${exitCode}: ${tail(stderrFile) || `see ${home.logDir}/supervisor.log`}`);
    status = await tryStatus(home.supervisorSocket);
    if (status && status.state !== 'starting') break;
    if (Date.now() > deadline) throw new RuntimeStartError(`the runtime did not finish starting within ${timeoutMs / 1000} s (see ${home.logDir}/supervisor.log)`, status);
    await sleep(50);
  }
  // A watcher that crashes at once is in backoff or just respawned now: watch it for a while, until
  // nothing restarted for QUIET_MS (or SETTLE_MS passed), so a crash loop is reported, not hidden.
  const settleUntil = Math.min(deadline, Date.now() + SETTLE_MS);
  const initialRestarts = new Map(status.watchers.map((w) => [w.name, w.restarts]));
  let lastRestarts = restartsOf(status);
  let quietSince = Date.now();
  while (Date.now() < settleUntil) {
    const busy = status.watchers.some((w) => w.state === 'backoff' || w.state === 'starting');
    const at = Date.now();
    if (!busy && (at - quietSince >= QUIET_MS || (at - quietSince >= MIN_QUIET_MS && status.watchers.every((w) => settled(w, at))))) break;
    await sleep(SETTLE_POLL_MS);
    status = (await tryStatus(home.supervisorSocket)) ?? status;
    const now = restartsOf(status);
    if (now !== lastRestarts) {
      lastRestarts = now;
      quietSince = Date.now();
    }
  }
  const bad = status.watchers.filter((w) => w.state === 'failed' || w.state === 'backoff' || w.restarts > (initialRestarts.get(w.name) ?? 0));
  if (bad.length > 0) {
    const lines = bad.map((w) => `  ${w.name}: ${w.state === 'running' ? 'restarting' : w.state}${w.lastError ? `: ${w.lastError}` : ''}`);
    throw new RuntimeStartError(`the runtime started, but not every watcher runs:\n${lines.join('\n')}`, status);
  }
  return status;
}

/**
 * Asks the supervisor to stop (ordered) and waits until it exited and its socket is gone.
 * Returns false when no supervisor was running (a stale lock or socket is cleaned up).
 */
export async function stopRuntime(home: RuntimeHome, timeoutMs: number): Promise<boolean> {
  const pid = runningSupervisorPid(home);
  let client: ControlClient | undefined;
  try {
    client = await ControlClient.connect(home.supervisorSocket);
  } catch (err) {
    if (!(err instanceof NotRunningError)) throw err;
  }
  if (!client && pid === undefined) {
    // Nothing runs: leftovers of a killed supervisor are removed so that the next start is clean.
    fs.rmSync(home.supervisorLock, { force: true });
    fs.rmSync(home.supervisorSocket, { force: true });
    if (fs.existsSync(home.statusFile)) writeStatusFile(home.statusFile, 'STOPPED');
    return false;
  }
  if (client) {
    const closed = client.closed();
    await client.request({ cmd: 'shutdown' }).catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((r) => { timer = setTimeout(r, timeoutMs); })]);
    clearTimeout(timer);
    client.close();
  } else if (pid !== undefined) {
    // Alive but not answering on the socket: the signal path does the same ordered stop.
    process.kill(pid, 'SIGTERM');
  }
  const deadline = Date.now() + timeoutMs;
  while ((pid !== undefined && isSupervisorProcess(pid)) || fs.existsSync(home.supervisorSocket)) {
    if (Date.now() > deadline) {
      throw new RuntimeStopError(`the supervisor${pid ? ` (pid ${pid})` : ''} did not stop within ${timeoutMs / 1000} s; see ${home.logDir}/supervisor.log`);
    }
    await sleep(50);
  }
  return true;
}

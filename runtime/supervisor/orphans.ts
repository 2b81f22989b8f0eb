// Processes a killed supervisor left behind: the supervisor records its children (pid + start time) in
// `<home>/var/supervisor.children`; the next supervisor of the home stops those still alive before it starts its own,
// so two sets of workers, observers and redis-servers never run on one home.
import * as fs from 'node:fs';
import { processStartTime } from '../worker/claim-owners';

export interface ChildRecord {
  pid: number;
  /** /proc/<pid>/stat start time: a recycled pid is not mistaken for our child. */
  startTime: string;
  watcher: string;
}

/** The live children of this supervisor, kept on disk (rewritten at every spawn and exit: a few per second at most). */
export class ChildRegistry {
  private readonly children = new Map<number, ChildRecord>();

  constructor(readonly file: string) {}

  add(pid: number, watcher: string): void {
    this.children.set(pid, { pid, watcher, startTime: processStartTime(pid) ?? '' });
    this.write();
  }

  remove(pid: number): void {
    if (this.children.delete(pid)) this.write();
  }

  /** At a clean exit: every child is stopped, nothing to reap next time. */
  clear(): void {
    this.children.clear();
    fs.rmSync(this.file, { force: true });
  }

  private write(): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify([...this.children.values()]));
      fs.renameSync(tmp, this.file);
    } catch {
      // Disk full or read-only: the file is a safety net for a later crash, not needed to run.
    }
  }
}

export function readChildRecords(file: string): ChildRecord[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(parsed) ? parsed.filter((r): r is ChildRecord => typeof (r as ChildRecord)?.pid === 'number' && typeof (r as ChildRecord).startTime === 'string') : [];
  } catch {
    return [];
  }
}

function stillOurs(r: ChildRecord): boolean {
  const now = processStartTime(r.pid);
  return now !== undefined && (r.startTime === '' || now === '' || now === r.startTime);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  // Children lead their own process group (spawned detached): the group reaches their own children too.
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch {
      // no such group: try the process alone
    }
  }
}

/**
 * Stops the processes recorded by a previous supervisor that are still alive: SIGTERM (a worker finishes its file),
 * then SIGKILL after `graceMs` (a killed worker's claim is recovered by the next worker of its step). Returns the
 * records that were alive. Call with the home lock held (the previous supervisor is dead).
 */
export async function reapOrphans(file: string, graceMs = 10_000): Promise<ChildRecord[]> {
  const alive = readChildRecords(file).filter(stillOurs);
  for (const r of alive) signalGroup(r.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive.some(stillOurs) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const r of alive.filter(stillOurs)) signalGroup(r.pid, 'SIGKILL');
  fs.rmSync(file, { force: true });
  return alive;
}

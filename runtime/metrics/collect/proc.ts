// Process figures from Linux /proc for the metwork_module collector: CPU ticks, resident memory, threads, open fds, and the
// process tree (a watcher's figures include its children, e.g. the observer's inotifywait).
import * as fs from 'node:fs';

/** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

export interface ProcSample {
  pid: number;
  /** utime + stime, in ticks. */
  cpuTicks: number;
  /** Seconds since boot at which the process started. */
  startSeconds: number;
  rssKb: number;
  threads: number;
  fds: number;
}

function read(file: string): string | undefined {
  try { return fs.readFileSync(file, 'utf8'); } catch { return undefined; }
}

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** One process's figures; undefined when it is gone (or /proc is not there: not Linux). */
export function sampleProcess(pid: number): ProcSample | undefined {
  const f = statFields(pid);
  const status = read(`/proc/${pid}/status`);
  if (!f || !status) return undefined;
  // After ')': state(0) ppid(1) … utime(11) stime(12) … num_threads(17) … starttime(19).
  const rss = /^VmRSS:\s+(\d+)/m.exec(status);
  let fds = 0;
  try { fds = fs.readdirSync(`/proc/${pid}/fd`).length; } catch { /* another user's process, or gone */ }
  return {
    pid,
    cpuTicks: Number(f[11]) + Number(f[12]),
    startSeconds: Number(f[19]) / TICKS_PER_SECOND,
    rssKb: rss ? Number(rss[1]) : 0,
    threads: Number(f[17]),
    fds,
  };
}

/** ppid → child pids, from one pass over /proc. */
export function processTree(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try { entries = fs.readdirSync('/proc'); } catch { return children; }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = Number(statFields(Number(name))?.[1]);
    if (!Number.isFinite(ppid)) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  return children;
}

/** Every pid of `roots` and their descendants. */
export function withDescendants(tree: ReadonlyMap<number, readonly number[]>, roots: readonly number[]): number[] {
  const out = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (out.has(pid)) continue;
    out.add(pid);
    stack.push(...(tree.get(pid) ?? []));
  }
  return [...out];
}

export function memTotalKb(): number {
  const m = /^MemTotal:\s+(\d+)/m.exec(read('/proc/meminfo') ?? '');
  return m ? Number(m[1]) : 0;
}

export function uptimeSeconds(): number {
  return Number((read('/proc/uptime') ?? '0').split(' ')[0]);
}

/**
 * CPU % of a process since its previous sample (`prev`, taken `elapsedSeconds` ago), or since it started when there is
 * none: 100 = one core busy, as psutil's cpu_percent (MFDATA's) reports it.
 */
export function cpuPercent(now: ProcSample, prev: ProcSample | undefined, elapsedSeconds: number, uptime: number): number {
  const ticks = prev && prev.startSeconds === now.startSeconds ? now.cpuTicks - prev.cpuTicks : now.cpuTicks;
  const seconds = prev && prev.startSeconds === now.startSeconds ? elapsedSeconds : uptime - now.startSeconds;
  return seconds > 0 ? Math.max(0, (ticks / TICKS_PER_SECOND / seconds) * 100) : 0;
}

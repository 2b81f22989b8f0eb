// Readings of /proc for benchmarks: CPU time, resident memory and context switches of a process and its threads.
import * as fs from 'node:fs';

/** /proc/<pid>/stat counts CPU in ticks of 1/USER_HZ s, and USER_HZ is 100 on Linux. */
const TICK_MS = 10;

/** User + system CPU of a process (all its threads), in ms; 0 once it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

function statusField(pid: number, field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Resident set size now, in MB (undefined once gone). */
export function rssMb(pid: number): number | undefined {
  const kb = statusField(pid, 'VmRSS');
  return kb === undefined ? undefined : kb / 1024;
}

/** Peak resident set size since the process started, in MB. */
export function peakRssMb(pid: number): number | undefined {
  const kb = statusField(pid, 'VmHWM');
  return kb === undefined ? undefined : kb / 1024;
}

/** Voluntary + involuntary context switches of every thread of a process: each voluntary one is a wake-up. */
export function threadSwitches(pid: number): number {
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  let sum = 0;
  for (const tid of tids) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
      sum += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      sum += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // The thread ended between readdir and read.
    }
  }
  return sum;
}

/** Direct children of a process (e.g. the observer's inotifywait). */
export function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Summed CPU of a group of processes, in ms. */
export function groupCpuMs(pids: readonly number[]): number {
  return pids.reduce((s, pid) => s + cpuMs(pid), 0);
}

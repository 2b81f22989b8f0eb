// The one-supervisor-per-home lock: `<home>/var/supervisor.lock` holds the pid of the running supervisor.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class AlreadyRunningError extends Error {
  constructor(readonly pid: number, readonly lockFile: string) {
    super(`already running (pid ${pid}): a supervisor holds ${lockFile}; run 'mfdata stop' first`);
    this.name = 'AlreadyRunningError';
  }
}

export interface HomeLock {
  readonly file: string;
  /** Removes the lock file if it is still ours. */
  release(): void;
}

/** True when `pid` is alive and (where /proc exists) looks like a supervisor, not a recycled pid. */
export function isSupervisorProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive but another user's: not ours to take over, treat as running.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('supervisor');
  } catch {
    // No /proc (macOS): a live pid is assumed to be the supervisor.
    return true;
  }
}

export function readLockPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isNaN(pid) ? undefined : pid;
  } catch {
    return undefined;
  }
}

/**
 * Creates the lock with O_EXCL. An existing lock whose pid is dead (or is not a supervisor) is
 * stale: it is taken over. A live supervisor's lock makes this throw AlreadyRunningError.
 */
export function acquireLock(file: string, pid: number = process.pid): HomeLock {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
      fs.writeSync(fd, `${pid}\n`);
      fs.closeSync(fd);
      return {
        file,
        release: () => {
          if (readLockPid(file) === pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readLockPid(file);
    if (holder !== undefined && holder !== pid && isSupervisorProcess(holder)) throw new AlreadyRunningError(holder, file);
    // Stale (dead pid, recycled pid, or an unreadable half-written file): remove and try again.
    fs.rmSync(file, { force: true });
  }
  throw new Error(`cannot create the lock file ${file}: it keeps reappearing (another supervisor starting at the same time?)`);
}

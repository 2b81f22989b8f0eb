// Who debugs a handed-over step: a lease file `<home>/var/debug/<watcher>.json` naming the extension host that
// holds it. A step left handed over by a window that is gone (crash, reload mid-session) is taken back on sight.
// No vscode import: plain files, tested on their own.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RuntimeStatus } from '../../runtime/supervisor/protocol';

export interface DebugLease {
  watcher: string;
  host: string;
  /** The extension host process holding the debug session. */
  pid: number;
  since: string;
}

export function leaseDir(homeVarDir: string): string {
  return path.join(homeVarDir, 'debug');
}

function leaseFile(homeVarDir: string, watcher: string): string {
  return path.join(leaseDir(homeVarDir), `${watcher.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
}

export function writeLease(homeVarDir: string, watcher: string, pid = process.pid): DebugLease {
  const lease: DebugLease = { watcher, host: os.hostname(), pid, since: new Date().toISOString() };
  fs.mkdirSync(leaseDir(homeVarDir), { recursive: true });
  const file = leaseFile(homeVarDir, watcher);
  fs.writeFileSync(`${file}.${process.pid}.t`, JSON.stringify(lease));
  fs.renameSync(`${file}.${process.pid}.t`, file);
  return lease;
}

export function readLease(homeVarDir: string, watcher: string): DebugLease | undefined {
  try {
    const lease = JSON.parse(fs.readFileSync(leaseFile(homeVarDir, watcher), 'utf8')) as DebugLease;
    return typeof lease.pid === 'number' ? lease : undefined;
  } catch {
    return undefined;
  }
}

export function removeLease(homeVarDir: string, watcher: string): void {
  fs.rmSync(leaseFile(homeVarDir, watcher), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Step watchers handed over with no living holder: no lease, or a lease of a dead process on this host. A lease
 * from another host is left alone (that host may be debugging over a shared home).
 */
export function orphanedHandOvers(status: RuntimeStatus, homeVarDir: string, isAlive: (pid: number) => boolean = alive): string[] {
  return status.watchers
    .filter((w) => w.kind === 'step' && w.state === 'handed_over')
    .filter((w) => {
      const lease = readLease(homeVarDir, w.name);
      if (!lease) return true;
      return lease.host === os.hostname() && !isAlive(lease.pid);
    })
    .map((w) => w.name);
}

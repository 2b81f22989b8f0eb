// Processes of a test's process tree, read from /proc: the children of a pid by command name (to pause inotifywait, say).
import * as fs from 'node:fs';

/** Pids of the live processes whose parent is `ppid` and whose command name (`comm`) is `comm` (any when omitted). */
export function childPids(ppid: number, comm?: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const parent = Number(stat.slice(close + 2).split(' ')[1]);
      if (parent === ppid && (comm === undefined || name === comm)) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

// Files of a plugin still in the runtime's directories: in its steps' inboxes (IN/step.<plugin>.<step>/), claimed
// (IN/tmp/<plugin>.<step>/) or waiting for a retry (IN/retry/<plugin>.<step>/). Said when the plugin goes away: no
// worker takes them any more, they wait there until it comes back.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuntimeHome } from '../home';
import { isNameReservation } from '../tags/inbox-name';

export interface WaitingFiles {
  count: number;
  /** The directories holding them. */
  dirs: string[];
}

function filesIn(dir: string): number {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  return names.filter((n) => !n.startsWith('.') && !isNameReservation(path.join(dir, n)) && fs.statSync(path.join(dir, n), { throwIfNoEntry: false })?.isFile()).length;
}

export function waitingFilesOf(home: RuntimeHome, plugin: string): WaitingFiles {
  const dirs: string[] = [];
  let count = 0;
  const candidates: string[] = [];
  const list = (dir: string, prefix: string): void => {
    try {
      for (const n of fs.readdirSync(dir)) if (n.startsWith(prefix)) candidates.push(path.join(dir, n));
    } catch {
      // no such area yet
    }
  };
  list(home.inDir, `step.${plugin}.`);
  list(path.join(home.inDir, 'tmp'), `${plugin}.`);
  list(path.join(home.inDir, 'retry'), `${plugin}.`);
  for (const dir of candidates) {
    const n = filesIn(dir);
    if (n > 0) {
      count += n;
      dirs.push(dir);
    }
  }
  return { count, dirs };
}

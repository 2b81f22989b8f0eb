// `<home>/var/status`: one word (STARTING, RUNNING, ERROR, STOPPING, STOPPED), as MFDATA writes it for scripts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RuntimeStatus } from './protocol';

export type StatusWord = 'STARTING' | 'RUNNING' | 'ERROR' | 'STOPPING' | 'STOPPED';

export function statusWord(state: RuntimeStatus['state'] | 'stopped'): StatusWord {
  switch (state) {
    case 'starting': return 'STARTING';
    case 'running': return 'RUNNING';
    case 'degraded': return 'ERROR';
    case 'stopping': return 'STOPPING';
    case 'stopped': return 'STOPPED';
  }
}

export function writeStatusFile(file: string, word: StatusWord): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${word}\n`);
  fs.renameSync(tmp, file);
}

export function readStatusFile(file: string): StatusWord | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() as StatusWord;
  } catch {
    return undefined;
  }
}

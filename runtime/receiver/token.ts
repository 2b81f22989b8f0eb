// The receiver's optional bearer token: reading the token file ([http_receiver] token_file) and checking a request's Authorization header.
import { createHash, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Why a token file cannot be used (unreadable, readable by group/other, empty), or undefined when it can. */
export function tokenFileProblem(file: string): string | undefined {
  let stat: fs.Stats;
  let text: string;
  try {
    stat = fs.statSync(file);
    if (!stat.isFile()) return `${file} is not a regular file`;
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return `cannot read ${file}: ${(err as Error).message}`;
  }
  // A token others can read is no secret: refuse it as ssh refuses a readable private key.
  if ((stat.mode & 0o077) !== 0) return `${file} has mode 0${(stat.mode & 0o777).toString(8)}, readable by group or others (chmod 600 ${file})`;
  if (text.trim() === '') return `${file} is empty`;
  return undefined;
}

/** The token in the file: its content without surrounding blanks (the newline an editor adds is not part of it). */
export function readTokenFile(file: string): Buffer {
  const problem = tokenFileProblem(file);
  if (problem) throw new Error(`[http_receiver] token_file: ${problem}`);
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'utf8');
}

/** A digest of the token for the watcher's fingerprint: a new token restarts the receiver at the next reload, without the token itself being written anywhere. */
export function tokenDigest(file: string): string {
  try {
    return createHash('sha256').update(fs.readFileSync(file, 'utf8').trim()).digest('hex');
  } catch {
    return 'unreadable';
  }
}

/** Whether `Authorization: Bearer <token>` is present and right. Both sides are hashed first, so timingSafeEqual
 * compares equal-length buffers and the time taken says nothing about the token's length or content. */
export function bearerMatches(header: string | undefined, token: Buffer): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  const given = createHash('sha256').update(match ? match[1] : '').digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}

/** How long after the last change of the token file it is read again (editors write in several steps). */
const RELOAD_DEBOUNCE_MS = 100;

/**
 * Follows the token file: once it changed (written in place, or replaced by a rename as editors and `mv` do, hence
 * a watch on its folder), `onToken` gets the new token. A file that became unusable (removed, empty, readable by
 * others) keeps the old token in force and goes to `onProblem`: a broken edit never opens the receiver. inotify
 * underneath: nothing runs while the file does not change. Returns the function that stops following.
 */
export function followTokenFile(file: string, current: Buffer, onToken: (token: Buffer) => void, onProblem: (problem: string) => void): () => void {
  const base = path.basename(file);
  let token = current;
  let timer: NodeJS.Timeout | undefined;
  const reread = (): void => {
    timer = undefined;
    const problem = tokenFileProblem(file);
    if (problem) {
      onProblem(problem);
      return;
    }
    const next = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'utf8');
    if (next.equals(token)) return;
    token = next;
    onToken(next);
  };
  const watcher = fs.watch(path.dirname(file), { persistent: false }, (_event, name) => {
    if (name !== null && name !== base) return;
    clearTimeout(timer);
    timer = setTimeout(reread, RELOAD_DEBOUNCE_MS);
  });
  watcher.on('error', (err) => onProblem(`cannot follow ${file} any more (${err.message}); restart the receiver after changing it`));
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

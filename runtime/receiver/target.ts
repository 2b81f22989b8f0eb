// Where an upload goes: turns the method and URL path of a request into the directory and file name it is stored under.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { NameFilter } from '../observer/name-filter';

/** A request the receiver refuses; `status` is the HTTP answer (400 bad path, 404 no such directory…). */
export class ReceiverRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ReceiverRequestError';
  }
}

export interface TargetRules {
  /** The inbox root IN: `PUT /<dir>/<name>` stores under IN/<dir>. */
  inDir: string;
  /** Where `PUT /<name>` and `POST /` store (absolute). */
  defaultDir: string;
  /** The observer's name filter: a name it would ignore would never be processed, so it is refused. */
  acceptsName: NameFilter;
}

export interface UploadTarget {
  /** Absolute directory the file is stored in. */
  dir: string;
  name: string;
  /** The URL path that names the stored file (`/<name>` or `/<dir>/<name>`), sent back as Location. */
  location: string;
}

/** Top-level directories of IN that belong to the workers (claims and failed files): never an upload target. */
const RESERVED_TOP_DIRS = new Set(['tmp', 'trash']);

function segmentsOf(urlPath: string): string[] {
  const pathname = urlPath.split('?', 1)[0];
  if (!pathname.startsWith('/')) throw new ReceiverRequestError(400, `request path ${JSON.stringify(urlPath)} does not start with /`);
  if (pathname === '/') return [];
  const raw = pathname.slice(1).replace(/\/$/, '').split('/');
  return raw.map((s) => {
    let seg: string;
    try {
      seg = decodeURIComponent(s);
    } catch {
      throw new ReceiverRequestError(400, `bad percent-encoding in ${JSON.stringify(urlPath)}`);
    }
    if (seg === '' || seg === '.' || seg === '..') throw new ReceiverRequestError(400, `path ${JSON.stringify(urlPath)} holds an empty, . or .. segment`);
    if (seg.includes('\0') || seg.includes('/') || seg.includes('\\')) throw new ReceiverRequestError(400, `path ${JSON.stringify(urlPath)} holds a NUL, an encoded / or a \\`);
    return seg;
  });
}

function directoryOf(rules: TargetRules, dirSegments: string[], urlPath: string): string {
  if (dirSegments.length === 0) return rules.defaultDir;
  if (RESERVED_TOP_DIRS.has(dirSegments[0])) throw new ReceiverRequestError(400, `${dirSegments[0]}/ of the inbox belongs to the step workers; upload into a watched directory`);
  const dir = path.join(rules.inDir, ...dirSegments);
  // The segments cannot climb (no '..'), but say so in code rather than trust that reasoning.
  if (path.relative(rules.inDir, dir).startsWith('..')) throw new ReceiverRequestError(400, `path ${JSON.stringify(urlPath)} leaves the inbox`);
  return dir;
}

/** The file a `PUT /<name>` or `PUT /<dir…>/<name>` writes. */
export function putTarget(rules: TargetRules, urlPath: string): UploadTarget {
  const segs = segmentsOf(urlPath);
  if (segs.length === 0) throw new ReceiverRequestError(400, 'PUT needs a file name: PUT /<name> or PUT /<dir>/<name> (POST / picks a random name)');
  const name = segs[segs.length - 1];
  if (!rules.acceptsName(name)) throw new ReceiverRequestError(400, `file name ${JSON.stringify(name)} is ignored by the directory observer (.t, .tmp, .working or the ignore/only filters) and would never be processed`);
  return { dir: directoryOf(rules, segs.slice(0, -1), urlPath), name, location: `/${segs.map(encodeURIComponent).join('/')}` };
}

/** The file a `POST /` or `POST /<dir…>` writes: a random 32-hex name. */
export function postTarget(rules: TargetRules, urlPath: string): UploadTarget {
  const segs = segmentsOf(urlPath);
  const name = randomBytes(16).toString('hex');
  return { dir: directoryOf(rules, segs, urlPath), name, location: `/${[...segs, name].map(encodeURIComponent).join('/')}` };
}

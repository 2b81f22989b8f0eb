// The chaos suite's accounting: which injected file is where (output, trash with .tags, still in flight), with its
// content checked by sha256, and how many times the step was handed each file (from the per-process delivery logs).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChaosRuntime } from './runtime';
import { isWholeWriteTemporary } from '../../runtime/util/write-whole';
import { parseTagsFile } from '../../runtime/tags/tag-names';

/**
 * Final places a file may end in. `in place`: an entry documented to stay where it was dropped (a directory in an
 * inbox, docs/DELIVERY.md "Bad input"), registered in `rt.leftInPlace`.
 */
export type Place = 'output' | 'trash' | 'in place';

export interface InjectedFile {
  name: string;
  sha: string;
  /** Where this file may end; anything else is an error of the scenario. */
  expect: readonly Place[];
}

export interface Found {
  place: Place;
  file: string;
  sha: string;
  /** Trash only: the `.tags` dump next to the file, parsed (undefined when missing). */
  tags?: Record<string, string>;
}

export interface Accounting {
  injected: number;
  /** Files found in the output directory. */
  processed: number;
  /** Files found in a failure policy's place (trash with .tags), or documented to stay in place. */
  failedByPolicy: number;
  /** Injected files found in no final place (and nowhere in flight either). */
  lost: string[];
  /** Injected files still in an inbox, in tmp/ or in a queue: not finished. */
  inFlight: string[];
  /** Files under IN/ other than trash (inboxes, tmp/ claims), relative paths. */
  leftovers: string[];
  /** Non-empty step queues: `name=length`. */
  queues: string[];
  /** Files found in more than one final place, or twice in one. */
  duplicatePlaces: string[];
  /** Deliveries to the step beyond the first, summed over files. */
  duplicateDeliveries: number;
  /** Files delivered more than once (names). */
  redelivered: string[];
  /** Content differing from what was injected. */
  corrupt: string[];
  /** Found in a place its scenario did not allow, or in trash without its .tags. */
  misplaced: string[];
  /** Files in the final places that nobody injected. */
  strangers: string[];
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * sha256 of an entry without following or opening anything but a regular file: a symbolic link by its target
 * text, a directory by its listing and the entries in it, a FIFO or other special file by its kind (reading a
 * FIFO would block the accounting forever).
 */
export function entrySha(file: string): string {
  const st = fs.lstatSync(file);
  if (st.isFile()) return sha256(fs.readFileSync(file));
  if (st.isSymbolicLink()) return sha256(`symlink:${fs.readlinkSync(file)}`);
  if (st.isDirectory()) return sha256(`directory:${fs.readdirSync(file).sort().map((n) => `${n}=${entrySha(path.join(file, n))}`).join('\n')}`);
  return sha256(st.isFIFO() ? 'fifo' : 'special');
}

/** `key = value` lines of a failure dump, read as the runtime writes them (escapes undone: a name with a newline reads back exactly). */
export function readTagsFile(file: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseTagsFile(text);
}

/** Every file in the final places, keyed by the name it was injected under. */
export function scanFinalPlaces(rt: ChaosRuntime): Map<string, Found[]> {
  const found = new Map<string, Found[]>();
  const add = (name: string, f: Found): void => {
    const l = found.get(name) ?? [];
    l.push(f);
    found.set(name, l);
  };
  for (const name of list(rt.outDir)) {
    if (name.startsWith('.')) continue; // a step's write in progress (or abandoned by a killed worker)
    const file = path.join(rt.outDir, name);
    add(name, { place: 'output', file, sha: entrySha(file) });
  }
  const trashRoot = path.join(rt.home.inDir, 'trash');
  for (const stepDir of list(trashRoot)) {
    for (const name of list(path.join(trashRoot, stepDir))) {
      // A .tags being written (or left by a worker killed while writing it: housekeeping removes it) is not a file.
      if (name.endsWith('.tags') || isWholeWriteTemporary(name)) continue;
      const file = path.join(trashRoot, stepDir, name);
      const tags = readTagsFile(`${file}.tags`);
      add(tags?.['first.core.original_basename'] ?? name, { place: 'trash', file, sha: entrySha(file), tags });
    }
  }
  for (const [name, file] of rt.leftInPlace) {
    if (fs.lstatSync(file, { throwIfNoEntry: false })) add(name, { place: 'in place', file, sha: entrySha(file) });
  }
  return found;
}

/** Files under IN/ outside trash/: inboxes and claims (registrations, scratch dot-files and entries left in place excluded). */
export function inFlightFiles(rt: ChaosRuntime): string[] {
  const out: string[] = [];
  const inPlace = new Set(rt.leftInPlace.values());
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (inPlace.has(p)) continue;
      if (e.isDirectory()) {
        if (p !== path.join(rt.home.inDir, 'trash')) walk(p);
      } else {
        out.push(path.relative(rt.home.inDir, p));
      }
    }
  };
  if (fs.existsSync(rt.home.inDir)) walk(rt.home.inDir);
  return out;
}

/** How many times the step was handed each name (from every deliveries.<pid>.log). */
export function deliveries(rt: ChaosRuntime): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of list(rt.logDir)) {
    for (const line of fs.readFileSync(path.join(rt.logDir, f), 'utf8').split('\n')) {
      const sp = line.lastIndexOf(' ');
      if (sp <= 0) continue;
      let name: string;
      try {
        name = JSON.parse(line.slice(0, sp)) as string;
      } catch {
        continue; // a line cut by a kill in the middle of its write
      }
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return counts;
}

export async function account(rt: ChaosRuntime, injected: Map<string, InjectedFile>): Promise<Accounting> {
  const finals = scanFinalPlaces(rt);
  const leftovers = inFlightFiles(rt);
  const queues = [...((await rt.queueLengths()) ?? new Map([['<redis unreachable>', -1]]))].filter(([, n]) => n !== 0).map(([q, n]) => `${q}=${n}`);
  const a: Accounting = {
    injected: injected.size, processed: 0, failedByPolicy: 0, lost: [], inFlight: [], leftovers, queues, duplicatePlaces: [],
    duplicateDeliveries: 0, redelivered: [], corrupt: [], misplaced: [], strangers: [],
  };
  const inFlightNames = new Set(leftovers.map((p) => path.basename(p)));
  // A claim in tmp/ is named by a uid, not by the file's name: each one accounts for one unfound file.
  let claims = leftovers.filter((p) => p.startsWith(`tmp${path.sep}`)).length;
  for (const [name, spec] of injected) {
    const places = finals.get(name) ?? [];
    if (places.length === 0) {
      if (inFlightNames.has(name)) a.inFlight.push(name);
      else if (claims-- > 0) a.inFlight.push(name);
      else a.lost.push(name);
      continue;
    }
    if (places.length > 1) a.duplicatePlaces.push(`${name}: ${places.map((p) => p.place).join(', ')}`);
    for (const p of places) {
      if (p.place === 'output') a.processed++;
      else a.failedByPolicy++;
      if (p.sha !== spec.sha) a.corrupt.push(`${name} (${p.place})`);
      if (!spec.expect.includes(p.place)) a.misplaced.push(`${name}: in ${p.place}, expected ${spec.expect.join(' or ')}`);
      else if (p.place === 'trash' && !p.tags) a.misplaced.push(`${name}: in trash without its .tags`);
      else if (p.place === 'trash' && !p.tags?.['latest.core.failure_reason']) a.misplaced.push(`${name}: in trash with an empty or partial .tags (no failure reason)`);
    }
  }
  for (const name of finals.keys()) if (!injected.has(name)) a.strangers.push(name);
  for (const [name, n] of deliveries(rt)) {
    if (n > 1 && injected.has(name)) {
      a.duplicateDeliveries += n - 1;
      a.redelivered.push(name);
    }
  }
  return a;
}

/** True when every injected file is somewhere final and nothing waits in IN/ or a queue. */
export function settled(a: Accounting): boolean {
  return a.lost.length === 0 && a.inFlight.length === 0 && a.leftovers.length === 0 && a.queues.length === 0;
}

/** What makes a scenario fail: anything lost, left behind, corrupt, doubled in the final places or misplaced. */
export function problems(a: Accounting): string[] {
  const p: string[] = [];
  const show = (label: string, l: string[]): void => { if (l.length > 0) p.push(`${label} (${l.length}): ${l.slice(0, 5).join(' | ')}${l.length > 5 ? ' …' : ''}`); };
  show('lost', a.lost);
  show('still in flight', a.inFlight);
  show('left in IN/ (tmp/ or inboxes)', a.leftovers);
  show('queues not empty', a.queues);
  show('corrupt content', a.corrupt);
  show('found in two final places', a.duplicatePlaces);
  show('in an unexpected place', a.misplaced);
  show('not injected but found', a.strangers);
  return p;
}

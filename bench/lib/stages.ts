// The stage breakdown of the latency bench (BENCH_STAGES=1): where each file's time went between the producer's
// rename and process(), from the stamps the runtime writes under MFDATA_LATENCY_STAMPS (runtime/util/latency-stamps.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { percentile } from './stats';

/** The stages in path order; 'sent' is the producer's rename returning. */
export const STAGES = ['sent', 'o_event', 'o_sent', 'w_pop', 'w_guard', 'w_intent', 'w_renamed', 'w_claimed', 'process'] as const;
const LABELS: Record<string, string> = {
  o_event: 'rename → observer has the inotify event', o_sent: 'observer: filter, encode, LPUSH written',
  w_pop: 'LPUSH → BLMPOP returned in a worker', w_guard: 'decode + message guard', w_intent: 'claim intent record',
  w_renamed: 'rename into tmp/ + lstat', w_claimed: 'claim Lua round trip', process: '→ process()',
};

interface Stamps {
  /** name → stage → ns */
  at: Map<string, Map<string, bigint>>;
  /** name → pid of the worker that popped it */
  popper: Map<string, string>;
  /** pid → GC [start, end] ns */
  gcs: Map<string, Array<[bigint, bigint]>>;
}

function readStamps(dir: string): Stamps {
  const s: Stamps = { at: new Map(), popper: new Map(), gcs: new Map() };
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (!f.startsWith('stamps-')) continue;
    const pid = f.slice('stamps-'.length);
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      const [name, stage, ns, dur] = line.split('\t');
      if (stage === undefined || ns === undefined) continue;
      if (name === '' && stage === 'gc') {
        const list = s.gcs.get(pid) ?? [];
        list.push([BigInt(ns), BigInt(ns) + BigInt(dur ?? '0')]);
        s.gcs.set(pid, list);
        continue;
      }
      const m = s.at.get(name) ?? new Map<string, bigint>();
      if (!m.has(stage)) m.set(stage, BigInt(ns));
      s.at.set(name, m);
      if (stage === 'w_pop') s.popper.set(name, pid);
    }
  }
  return s;
}

function overlaps(spans: Array<[bigint, bigint]> | undefined, from: bigint, to: bigint): boolean {
  return (spans ?? []).some(([a, b]) => a < to && b > from);
}

/** Lines of text: p50 / p90 / p99 of each stage over the files sent, and how many had a GC of their worker on their path. */
export function stageReport(sent: ReadonlyMap<string, bigint>, dir: string): string[] {
  const s = readStamps(dir);
  const out: string[] = ['| stage | files | p50 | p90 | p99 |', '| --- | --- | --- | --- | --- |'];
  for (let i = 1; i < STAGES.length; i++) {
    const ms: number[] = [];
    for (const [name, t] of sent) {
      const m = s.at.get(name);
      const from = STAGES[i - 1] === 'sent' ? t : m?.get(STAGES[i - 1]);
      const to = m?.get(STAGES[i]);
      if (from !== undefined && to !== undefined) ms.push(Number(to - from) / 1e6);
    }
    ms.sort((a, b) => a - b);
    const f = (q: number): string => (ms.length ? `${percentile(ms, q).toFixed(3)} ms` : '—');
    out.push(`| ${LABELS[STAGES[i]]} | ${ms.length} | ${f(50)} | ${f(90)} | ${f(99)} |`);
  }
  let withGc = 0;
  let counted = 0;
  for (const name of sent.keys()) {
    const m = s.at.get(name);
    const pid = s.popper.get(name);
    const from = m?.get('w_pop');
    const to = m?.get('process');
    if (pid === undefined || from === undefined || to === undefined) continue;
    counted++;
    if (overlaps(s.gcs.get(pid), from, to)) withGc++;
  }
  out.push('', `files with a GC of their worker between pop and process(): ${withGc} of ${counted}`);
  return out;
}

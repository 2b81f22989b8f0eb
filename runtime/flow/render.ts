// Readable text of a flow graph (edges with counts, errors marked) and of journeys (timelines), for the CLI. Pure.
import type { FlowGraph, Journey } from './types';

/** `--since`: `YYYY-MM-DD`, or a duration back from `now` (`90m`, `12h`, `2d`). */
export function parseSince(value: string, now: Date = new Date()): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(d.getTime())) return d;
  }
  const m = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(value.trim());
  if (!m) throw new Error(`--since '${value}' is neither a date (YYYY-MM-DD) nor a duration (90m, 12h, 2d)`);
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return new Date(now.getTime() - Number(m[1]) * unit);
}

export function renderFlow(graph: FlowGraph): string {
  if (graph.edges.length === 0) return `no traces between ${graph.since.slice(0, 10)} and ${graph.until.slice(0, 10)} (is the runtime running?)\n`;
  const width = Math.max(...graph.edges.map((e) => e.from.length));
  const countWidth = Math.max(...graph.edges.map((e) => String(e.count).length));
  const lines = graph.edges.map((e) => {
    const mark = e.kind === 'error' ? '  [error]' : e.kind === 'virtual' ? '  (configured, unused)' : '';
    return `${e.from.padEnd(width)}  →  ${String(e.count).padStart(countWidth)}  ${e.to}${mark}`;
  });
  return `flow ${graph.since.slice(0, 10)} … ${graph.until.slice(0, 10)} (UTC days)\n${lines.join('\n')}\n`;
}

function time(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

export function renderJourney(j: Journey): string {
  const lines = [`${j.originalName} (uid ${j.uid}): ${j.final.outcome}${j.final.where ? ` (${j.final.where})` : ''}`];
  for (const s of j.steps) {
    // An operator's action on the trash (replay, purge) took no time and names its trash in its outcome.
    const operator = s.kind === 'replay' || s.kind === 'purge';
    const took = s.leftAt !== null && !operator ? ` ${s.leftAt - s.enteredAt} ms` : '';
    const attempt = s.attempt > 0 && !operator ? ` attempt ${s.attempt + 1}` : '';
    const where = operator ? '' : `${s.plugin}/${s.step}${attempt}: `;
    lines.push(`  ${time(s.enteredAt)}  ${where}${s.outcome}${took}`);
    const tags = Object.entries(s.tagsSet);
    if (tags.length > 0) lines.push(`      tags: ${tags.map(([k, v]) => `${k} = ${v}`).join(', ')}`);
    if (s.reason) lines.push(`      reason: ${s.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

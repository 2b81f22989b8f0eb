// Builds a Journey (steps with enter/leave times, outcomes, tags set, final outcome) from its stored events. Pure.
import type { Journey, JourneyStep } from '../flow/types';
import { movedToDir } from '../queue/keys';
import type { EnterEvent, FailEvent, JourneyEvent, LeaveEvent, PurgeEvent, ReplayEvent, RouteEvent } from './events';

const REINJECT_SUFFIX = '_reinject';

interface Claim {
  enter: EnterEvent;
  routes: RouteEvent[];
  fail?: FailEvent;
  leave?: LeaveEvent;
  tags: Record<string, string>;
}

/** `<p>.<s>.<name>` keys of one step → `<name>`, enter_step left out. */
function tagsOfStep(raw: Record<string, string> | undefined, plugin: string, step: string, into: Record<string, string>): void {
  if (!raw || Array.isArray(raw)) return; // Lua's cjson writes an empty table as {} but be lenient
  const prefix = `${plugin}.${step}.`;
  for (const [k, v] of Object.entries(raw)) {
    if (k.startsWith(prefix) && k !== `${prefix}enter_step`) into[k.slice(prefix.length)] = v;
  }
}

function policyOf(to: string): string {
  if (to === '>trash/keep') return 'keep';
  if (to === '>trash/delete') return 'delete';
  return `move to ${movedToDir(to) ?? to}`;
}

function describe(claim: Claim): { outcome: string; to?: string; leftAt: number | null; reason?: string } {
  const { enter, routes, fail, leave } = claim;
  if (fail) {
    return { outcome: `${fail.giveup ? 'gave up' : 'failed'} → ${policyOf(fail.to)}`, to: fail.to, leftAt: fail.t, reason: fail.reason };
  }
  if (!leave) {
    return routes.length > 0
      ? { outcome: 'in progress', to: routes.map((r) => r.to).join(', '), leftAt: null }
      : { outcome: 'in progress', leftAt: null };
  }
  if (enter.s.endsWith(REINJECT_SUFFIX)) {
    // Left when the retry was put back into the step's inbox (a move recorded by the reinject), else when scheduled.
    const attempt = claim.tags.attempt;
    const back = routes.find((r) => r.op === 'move');
    return { outcome: `retry scheduled${attempt ? ` (attempt ${attempt})` : ''}`, to: back?.to ?? `${enter.p}/${enter.s.slice(0, -REINJECT_SUFFIX.length)}`, leftAt: back?.t ?? leave.t };
  }
  if (routes.length > 0) {
    const verbs = routes.map((r) => (r.op === 'pseudo' ? r.to : `${r.op === 'move' ? 'moved' : r.op === 'copy' ? 'copied' : 'hard-linked'} to ${r.to}`));
    return { outcome: verbs.join(', '), to: routes.map((r) => r.to).join(', '), leftAt: leave.t };
  }
  return { outcome: 'done', leftAt: leave.t };
}

/** The steps and the final outcome of one file from its events (any order; duplicates tolerated). */
export function assembleJourney(uid: string, events: readonly JourneyEvent[]): Journey {
  const claims = new Map<string, Claim>();
  const replays: Array<ReplayEvent | PurgeEvent> = [];
  const orphans: Array<RouteEvent | FailEvent | LeaveEvent> = [];
  let originalName = '';
  const sorted = [...events].sort((a, b) => a.t - b.t);
  for (const ev of sorted) {
    if (ev.e === 'in') {
      if (!claims.has(ev.c)) claims.set(ev.c, { enter: ev, routes: [], tags: {} });
      if (ev.n === 0 || originalName === '') originalName = ev.n === 0 ? ev.name : originalName || ev.name;
    } else if (ev.e === 'replay' || ev.e === 'purge') replays.push(ev);
    else orphans.push(ev);
  }
  for (const ev of orphans) {
    const claim = claims.get(ev.c);
    if (!claim) continue; // recorded before journeys were on, or its claim event expired
    if (ev.e === 'route') claim.routes.push(ev);
    else if (ev.e === 'fail') claim.fail ??= ev;
    else claim.leave ??= ev;
  }
  // Tags a step set: at its leave or failure, else found by the next step's claim (the file moved on with them).
  const byCounter = new Map<number, Claim[]>();
  for (const claim of claims.values()) {
    const list = byCounter.get(claim.enter.n) ?? [];
    list.push(claim);
    byCounter.set(claim.enter.n, list);
    tagsOfStep(claim.leave?.tags, claim.enter.p, claim.enter.s, claim.tags);
    tagsOfStep(claim.fail?.tags, claim.enter.p, claim.enter.s, claim.tags);
  }
  for (const claim of claims.values()) {
    for (const prev of byCounter.get(claim.enter.n - 1) ?? []) tagsOfStep(claim.enter.pt, prev.enter.p, prev.enter.s, prev.tags);
  }
  const seen = new Map<string, number>();
  const steps: JourneyStep[] = [];
  const ordered = [...claims.values()].sort((a, b) => a.enter.t - b.enter.t || a.enter.n - b.enter.n);
  for (const claim of ordered) {
    const id = `${claim.enter.p}/${claim.enter.s}`;
    const attempt = seen.get(id) ?? 0;
    seen.set(id, attempt + 1);
    const d = describe(claim);
    steps.push({
      plugin: claim.enter.p, step: claim.enter.s, attempt, enteredAt: claim.enter.t, leftAt: d.leftAt, outcome: d.outcome,
      ...(d.to !== undefined ? { to: d.to } : {}), tagsSet: claim.tags, kind: 'step', stepCounter: claim.enter.n,
      ...(d.reason !== undefined ? { reason: d.reason } : {}),
    });
  }
  for (const r of replays) {
    if (r.e === 'purge') {
      const [plugin, step] = splitStep(r.from);
      steps.push({ plugin, step, attempt: 0, enteredAt: r.t, leftAt: r.t, outcome: `deleted from the trash of ${r.from}`, tagsSet: {}, kind: 'purge' });
      continue;
    }
    const [plugin, step] = splitStep(r.to);
    steps.push({ plugin, step, attempt: 0, enteredAt: r.t, leftAt: r.t, outcome: `replayed from the trash of ${r.from}`, to: r.to, tagsSet: {}, kind: 'replay' });
  }
  steps.sort((a, b) => a.enteredAt - b.enteredAt);
  return { uid, originalName, steps, final: finalOutcome(steps, ordered) };
}

function splitStep(ref: string): [string, string] {
  const slash = ref.indexOf('/');
  return slash < 0 ? [ref, ''] : [ref.slice(0, slash), ref.slice(slash + 1)];
}

/** Where the file is now, from its latest step (in progress while any step holds it or it waits in an inbox). */
function finalOutcome(steps: JourneyStep[], claims: Claim[]): Journey['final'] {
  if (steps.length === 0) return { outcome: 'in-progress' };
  if (steps.some((s) => s.leftAt === null)) return { outcome: 'in-progress' };
  const last = steps[steps.length - 1];
  if (last.kind === 'replay') return { outcome: 'in-progress', where: last.to };
  if (last.kind === 'purge') return { outcome: 'deleted', where: `from the trash of ${last.plugin}${last.step ? `/${last.step}` : ''}` };
  const claim = claims.find((c) => c.enter.t === last.enteredAt && c.enter.p === last.plugin && c.enter.s === last.step);
  if (claim?.fail) {
    const to = claim.fail.to;
    if (claim.fail.giveup) return { outcome: 'gave-up', where: to === '>trash/keep' ? `trash/${last.plugin}.${last.step.replace(/_reinject$/, '')}` : to };
    if (to === '>trash/keep') return { outcome: 'trash', where: `trash/${last.plugin}.${last.step}` };
    if (to === '>trash/delete') return { outcome: 'deleted' };
    const dir = movedToDir(to);
    if (dir) return { outcome: 'moved', where: dir };
    return { outcome: 'in-progress', where: to };
  }
  const routes = claim?.routes ?? [];
  if (routes.some((r) => r.op !== 'pseudo')) return { outcome: 'in-progress', where: routes.filter((r) => r.op !== 'pseudo').map((r) => r.to).join(', ') };
  const pseudo = routes.find((r) => r.op === 'pseudo');
  if (pseudo?.to === '>nomatch/keep') return { outcome: 'trash', where: 'nomatch' };
  if (pseudo?.to === '>nomatch/delete') return { outcome: 'deleted' };
  if (last.step.endsWith(REINJECT_SUFFIX)) return { outcome: 'in-progress', where: 'waiting for a retry' };
  return { outcome: 'done', where: `${last.plugin}/${last.step}` };
}

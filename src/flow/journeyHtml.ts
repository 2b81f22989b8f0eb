// The journey view's HTML: a timeline (SVG bars, one per step visit) and a table of the visits with their tags,
// for one or more files. No script at all, so its CSP allows only our stylesheet. Pure (no vscode).
import type { JourneyView } from './journeyModel';
import { escapeHtml, webviewPage } from '../webview/page';

/**
 * The whole document. `cspSource` and `styleUri` come from the webview. `gaps`: with no journey, when journeys were
 * not recorded or were dropped, Redis being short of memory (runtime/journey/memory-guard.ts describeJourneyGaps).
 * `queuedIn`: the query is a message still waiting in that queue, which explains a missing journey.
 */
export function journeyHtml(views: JourneyView[], query: string, page: { cspSource: string; styleUri: string }, gaps: readonly string[] = [], queuedIn?: string): string {
  const body = views.length > 0 ? views.map(section).join('\n') : queuedIn !== undefined ? queuedNote(query, queuedIn) : `<p class="empty">No journey recorded for <code>${escapeHtml(query)}</code> (unknown, older than [journeys] keep_hours, or journeys off).</p>${
    gaps.length === 0 ? '' : `\n<p>Journeys were not recorded or not kept at these times (Redis short of memory, [journeys] max_memory_percent):</p>\n<ul class="gaps">${gaps.map((g) => `<li>${escapeHtml(g)}</li>`).join('')}</ul>`}`;
  return webviewPage({ ...page, title: `Journey of ${query}`, body });
}

function queuedNote(query: string, queue: string): string {
  return `<p class="empty"><code>${escapeHtml(query)}</code> is queued in <code>${escapeHtml(queue)}</code> and not claimed yet: its journey starts when a step claims it.</p>`;
}

function section(v: JourneyView): string {
  return `<section class="journey" data-uid="${escapeHtml(v.uid)}">
<h1>${escapeHtml(v.originalName)} <span class="uid">${escapeHtml(v.uid)}</span></h1>
<p class="final final-${escapeHtml(v.finalOutcome)}">${escapeHtml(v.final)}</p>
${timeline(v)}
<table>
<thead><tr><th>#</th><th>step</th><th>attempt</th><th>entered (UTC)</th><th>left</th><th>duration</th><th>outcome</th><th>tags set</th></tr></thead>
<tbody>
${v.rows.map((r, i) => `<tr class="${r.failed ? 'failed' : r.replay ? 'replay' : 'ok'}"><td>${i + 1}</td><td>${escapeHtml(`${r.plugin}/${r.step}`)}</td><td>${r.attempt}</td><td>${escapeHtml(r.entered.replace('T', ' ').replace('Z', ''))}</td><td>${escapeHtml(r.left?.slice(11, 23) ?? '—')}</td><td>${escapeHtml(r.duration)}</td><td class="outcome">${escapeHtml(r.outcome)}${r.to && !r.outcome.includes(r.to) ? ` → ${escapeHtml(r.to)}` : ''}</td><td>${tags(r.tags)}</td></tr>`).join('\n')}
</tbody>
</table>
</section>`;
}

/** One bar per visit on a shared time axis; failed visits are hatched (not only coloured). */
function timeline(v: JourneyView): string {
  const rowHeight = 22;
  const height = v.rows.length * rowHeight + 4;
  const bars = v.rows
    .map((r, i) => {
      const y = i * rowHeight + 2;
      const x = (r.start * 100).toFixed(2);
      const w = (r.length * 100).toFixed(2);
      return `<rect class="bar ${r.failed ? 'bar-failed' : 'bar-ok'}" x="${x}%" y="${y}" width="${w}%" height="${rowHeight - 6}" rx="3"><title>${escapeHtml(`${r.plugin}/${r.step} #${r.attempt}: ${r.duration}, ${r.outcome}`)}</title></rect>`;
    })
    .join('');
  const labels = v.rows.map((r) => `<div class="tl-label" title="${escapeHtml(`${r.plugin}/${r.step}`)}">${escapeHtml(`${r.plugin}/${r.step}`)}${r.attempt > 1 ? ` #${r.attempt}` : ''}${r.replay ? ' (replay)' : ''}</div>`).join('');
  return `<div class="timeline"><div class="tl-labels">${labels}</div><svg class="tl-bars" width="100%" height="${height}" preserveAspectRatio="none" role="img" aria-label="timeline, ${escapeHtml(v.total)} in all"><defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch"/></pattern></defs>${bars}</svg><div class="tl-total">${escapeHtml(v.total)}</div></div>`;
}

function tags(list: Array<[string, string]>): string {
  if (list.length === 0) return '<span class="none">—</span>';
  return `<dl class="tags">${list.map(([k, val]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(val)}</dd>`).join('')}</dl>`;
}

// Renders a chart's geometry as SVG markup: grid, axes with tick labels, one path per line, dots for
// lone points. Colours are CSS classes (`s0`…`s5`) the webview's stylesheet maps to theme colours, so
// the markup needs no inline style (the CSP allows none).
import type { MetricsChart } from './metricsModel';

/** How many palette colours panel.css defines (`s0`…): steps beyond reuse them in turn. */
export const PALETTE_SIZE = 6;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function chartSvg(chart: MetricsChart): string {
  const g = chart.geometry;
  const f = g.frame;
  const right = f.width - f.right;
  const bottom = f.height - f.bottom;
  const id = `chart-${chart.id}`;
  const out: string[] = [];
  out.push(`<svg class="chart" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-labelledby="${id}-title ${id}-desc">`);
  out.push(`<title id="${id}-title">${escapeXml(`${chart.title} (${chart.unit})`)}</title>`);
  out.push(`<desc id="${id}-desc">${escapeXml(chart.summary)}</desc>`);
  out.push('<g class="grid">');
  for (const t of g.yTicks) out.push(`<line x1="${f.left}" y1="${t.at}" x2="${right}" y2="${t.at}"/>`);
  out.push('</g>');
  out.push('<g class="axis y" aria-hidden="true">');
  for (const t of g.yTicks) out.push(`<text x="${f.left - 6}" y="${t.at + 4}" text-anchor="end">${escapeXml(t.label)}</text>`);
  out.push('</g>');
  out.push('<g class="axis x" aria-hidden="true">');
  out.push(`<line x1="${f.left}" y1="${bottom}" x2="${right}" y2="${bottom}"/>`);
  for (const t of g.xTicks) {
    out.push(`<line x1="${t.at}" y1="${bottom}" x2="${t.at}" y2="${bottom + 4}"/>`);
    const anchor = t.at <= f.left + 1 ? 'start' : t.at >= right - 1 ? 'end' : 'middle';
    out.push(`<text x="${t.at}" y="${f.height - 4}" text-anchor="${anchor}">${escapeXml(t.label)}</text>`);
  }
  out.push('</g>');
  for (const line of g.lines) {
    const cls = `s${line.colour % PALETTE_SIZE}`;
    if (line.path) out.push(`<path class="line ${cls}${line.dashed ? ' dashed' : ''}" d="${line.path}"><title>${escapeXml(line.label)}</title></path>`);
    for (const d of line.dots) out.push(`<circle class="dot ${cls}" cx="${d.x}" cy="${d.y}" r="2.5"/>`);
  }
  out.push('</svg>');
  return out.join('');
}

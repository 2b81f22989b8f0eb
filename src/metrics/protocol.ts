// Messages between the metrics panel and its webview (media/metrics/panel.js), and the one that
// carries a view model to it: SVG markup built and escaped here, the webview only places it.
import { chartSvg } from './chartSvg';
import type { MetricsViewModel } from './metricsModel';

export interface RenderMessage {
  type: 'render';
  charts: Array<{ id: string; title: string; svg: string }>;
  legend: Array<{ key: string; label: string; colour: number; shown: boolean }>;
  /** `<plugin>.<step>` shown alone, '' for every step. */
  focus: string;
  summary: string[];
  /** Why there is nothing to draw (runtime stopped, figures unreadable), '' otherwise. */
  notice: string;
  /** When the figures were read, `HH:MM:SS` local time. */
  updated: string;
}

export type ToMetricsWebview = RenderMessage;
export type FromMetricsWebview =
  | { type: 'ready' }
  | { type: 'focus'; step: string }
  /** After a render: how many SVG charts the page holds (the in-host tests check the drawing happened). */
  | { type: 'rendered'; charts: number };

function clock(t: number): string {
  const d = new Date(t);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

export function renderMessage(model: MetricsViewModel, notice = ''): RenderMessage {
  return {
    type: 'render',
    charts: model.charts.map((c) => ({ id: c.id, title: `${c.title} (${c.unit})`, svg: chartSvg(c) })),
    legend: model.steps.map((s) => ({ key: s.key, label: `${s.plugin}/${s.step}`, colour: s.colour, shown: s.shown })),
    focus: model.focus ?? '',
    summary: model.summary,
    notice,
    updated: clock(model.now),
  };
}

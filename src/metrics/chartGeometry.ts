// Chart geometry, pure: linear scales, readable ("nice") ticks and SVG path data for line charts.
// The metrics view draws its own SVG from this; no chart library, no DOM.

/** The drawing area inside an SVG of width × height, with room for the axes' labels. */
export interface ChartFrame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const DEFAULT_FRAME: ChartFrame = { width: 640, height: 170, left: 44, right: 12, top: 10, bottom: 22 };

export interface Tick {
  value: number;
  /** Pixel position along its axis (x for the time axis, y for the value axis). */
  at: number;
  label: string;
}

export interface LinePoint {
  t: number;
  /** null: no figure for this bucket (nothing processed): the line breaks there. */
  v: number | null;
}

export interface LineInput {
  key: string;
  label: string;
  /** Index in the theme's chart palette (colour follows the step, whatever is shown). */
  colour: number;
  dashed?: boolean;
  points: LinePoint[];
}

export interface LineGeometry {
  key: string;
  label: string;
  colour: number;
  dashed: boolean;
  /** SVG path data: `M x,y L x,y …`, a new `M` after each gap. Empty when the line has no figure. */
  path: string;
  /** Points with no neighbour on either side: a path segment of one point draws nothing, so they become dots. */
  dots: Array<{ x: number; y: number }>;
}

export interface ChartGeometry {
  frame: ChartFrame;
  xTicks: Tick[];
  yTicks: Tick[];
  /** Top of the value axis (the last y tick). */
  yMax: number;
  lines: LineGeometry[];
}

/** Pixel coordinates keep one decimal: exact enough on screen, and stable in tests. */
function px(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The smallest 1, 2 or 5 × 10^k at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / magnitude;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return Number((nice * magnitude).toPrecision(12));
}

/**
 * Ticks from 0 to the first multiple of a nice step at or above `max`, about `count` intervals.
 * `integer` (counts of files) never steps by less than 1. A max of 0 still gives an axis (0 to 1).
 */
export function niceTicks(max: number, count = 4, integer = false): number[] {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  let step = niceStep(top / count);
  if (integer) step = Math.max(1, Math.round(step));
  const n = Math.max(1, Math.ceil(top / step - 1e-9));
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/** A tick or figure as a short label: `0`, `0.25`, `12.5`, `250`, `1.5k`. */
export function formatValue(v: number): string {
  const abs = Math.abs(v);
  if (abs >= 1000) return `${Number((v / 1000).toFixed(abs >= 10_000 ? 0 : 1))}k`;
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toFixed(abs < 10 ? 2 : 1)));
}

export interface ChartInput {
  /** Time domain, epoch ms: left edge and right edge. */
  from: number;
  to: number;
  lines: LineInput[];
  /** Where the time axis has ticks, with their labels. */
  timeTicks: Array<{ t: number; label: string }>;
  /** Values are whole numbers (counts): no fractional ticks. */
  integer?: boolean;
  frame?: ChartFrame;
}

export function chartGeometry(input: ChartInput): ChartGeometry {
  const frame = input.frame ?? DEFAULT_FRAME;
  const innerW = frame.width - frame.left - frame.right;
  const innerH = frame.height - frame.top - frame.bottom;
  const span = Math.max(1, input.to - input.from);
  const x = (t: number): number => px(frame.left + ((Math.min(input.to, Math.max(input.from, t)) - input.from) / span) * innerW);
  let max = 0;
  for (const line of input.lines) for (const p of line.points) if (p.v !== null && p.v > max) max = p.v;
  const ticks = niceTicks(max, 4, input.integer);
  const yMax = ticks[ticks.length - 1];
  const y = (v: number): number => px(frame.top + (1 - v / yMax) * innerH);
  const lines = input.lines.map((line): LineGeometry => {
    const parts: string[] = [];
    const dots: Array<{ x: number; y: number }> = [];
    const pts = line.points;
    pts.forEach((p, i) => {
      if (p.v === null) return;
      const joined = i > 0 && pts[i - 1].v !== null;
      parts.push(`${joined ? 'L' : 'M'}${x(p.t)},${y(p.v)}`);
      if (!joined && (i === pts.length - 1 || pts[i + 1].v === null)) dots.push({ x: x(p.t), y: y(p.v) });
    });
    return { key: line.key, label: line.label, colour: line.colour, dashed: line.dashed === true, path: parts.join(' '), dots };
  });
  return {
    frame,
    xTicks: input.timeTicks.filter((tk) => tk.t >= input.from && tk.t <= input.to).map((tk) => ({ value: tk.t, at: x(tk.t), label: tk.label })),
    yTicks: ticks.map((v) => ({ value: v, at: y(v), label: formatValue(v) })),
    yMax,
    lines,
  };
}

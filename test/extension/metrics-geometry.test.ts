// The metrics view's chart geometry: nice ticks, labels, scales and SVG paths, on exact figures.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chartGeometry, formatValue, niceStep, niceTicks } from '../../src/metrics/chartGeometry';
import { chartSvg, escapeXml } from '../../src/metrics/chartSvg';
import type { MetricsChart } from '../../src/metrics/metricsModel';

test('ticks step by 1, 2 or 5 × 10^k from 0 to the first step at or above the maximum', () => {
  assert.equal(niceStep(3.075), 5);
  assert.equal(niceStep(0.75), 1);
  assert.equal(niceStep(62.5), 100);
  assert.equal(niceStep(0.075), 0.1);
  assert.deepEqual(niceTicks(12.3), [0, 5, 10, 15]);
  assert.deepEqual(niceTicks(0.3), [0, 0.1, 0.2, 0.3], 'no floating-point dust such as 0.30000000000000004');
  assert.deepEqual(niceTicks(250), [0, 100, 200, 300]);
  assert.deepEqual(niceTicks(4), [0, 1, 2, 3, 4]);
});

test('an empty chart still has an axis, and counts never get fractional ticks', () => {
  assert.deepEqual(niceTicks(0), [0, 0.5, 1]);
  assert.deepEqual(niceTicks(0, 4, true), [0, 1]);
  assert.deepEqual(niceTicks(3, 4, true), [0, 1, 2, 3]);
  assert.deepEqual(niceTicks(0.4, 4, true), [0, 1]);
});

test('tick labels are short: integers as such, two decimals below 10, thousands as k', () => {
  assert.deepEqual([0, 0.25, 1 / 3, 12.5, 250, 1500, 12_000].map(formatValue), ['0', '0.25', '0.33', '12.5', '250', '1.5k', '12k']);
});

test('values map linearly into the frame, nulls break the line, and a lone point becomes a dot', () => {
  const g = chartGeometry({
    from: 0,
    to: 1000,
    frame: { width: 100, height: 50, left: 10, right: 10, top: 5, bottom: 5 },
    timeTicks: [{ t: 0, label: 'a' }, { t: 1000, label: 'b' }, { t: 2000, label: 'outside' }],
    lines: [
      { key: 'one', label: 'one', colour: 0, points: [{ t: 0, v: 0 }, { t: 250, v: 2 }, { t: 500, v: null }, { t: 750, v: 4 }, { t: 1000, v: 1 }] },
      { key: 'two', label: 'two', colour: 1, dashed: true, points: [{ t: 250, v: null }, { t: 500, v: 3 }, { t: 750, v: null }] },
    ],
  });
  assert.equal(g.yMax, 4);
  assert.deepEqual(g.yTicks.map((t) => [t.label, t.at]), [['0', 45], ['1', 35], ['2', 25], ['3', 15], ['4', 5]]);
  assert.deepEqual(g.xTicks.map((t) => [t.label, t.at]), [['a', 10], ['b', 90]], 'ticks outside the domain are dropped');
  assert.equal(g.lines[0].path, 'M10,45 L30,25 M70,5 L90,35');
  assert.deepEqual(g.lines[0].dots, []);
  assert.equal(g.lines[1].path, 'M50,15');
  assert.deepEqual(g.lines[1].dots, [{ x: 50, y: 15 }]);
  assert.equal(g.lines[1].dashed, true);
});

function sampleChart(): MetricsChart {
  const geometry = chartGeometry({
    from: 0,
    to: 100,
    timeTicks: [{ t: 0, label: '−1 min' }, { t: 100, label: 'now' }],
    lines: [
      { key: 'a', label: 'p/<a>', colour: 6, dashed: true, points: [{ t: 0, v: 1 }, { t: 100, v: 2 }] },
      { key: 'b', label: 'p/b', colour: 1, points: [{ t: 50, v: 1 }] },
    ],
  });
  return { id: 'duration', title: 'Time <ms>', unit: 'ms', geometry, summary: 'p/a & p/b' };
}

test('the SVG has a title and description for screen readers, text escaped', () => {
  const svg = chartSvg(sampleChart());
  assert.match(svg, /^<svg class="chart" viewBox="0 0 640 170" role="img" aria-labelledby="chart-duration-title chart-duration-desc">/);
  assert.ok(svg.includes('<title id="chart-duration-title">Time &lt;ms&gt; (ms)</title>'));
  assert.ok(svg.includes('<desc id="chart-duration-desc">p/a &amp; p/b</desc>'));
  assert.ok(svg.includes('<title>p/&lt;a&gt;</title>'));
  assert.equal(escapeXml(`"'&`), '&quot;&#39;&amp;');
});

test('the SVG draws lines with palette classes (wrapping after six), dashes and dots, and no inline style', () => {
  const svg = chartSvg(sampleChart());
  assert.ok(svg.includes('<path class="line s0 dashed" d="M44,79 L628,10">'), svg);
  assert.ok(svg.includes('<circle class="dot s1" cx="336" cy="79" r="2.5"/>'), svg);
  assert.ok(svg.includes('text-anchor="start">−1 min</text>') && svg.includes('text-anchor="end">now</text>'), 'edge labels stay inside');
  assert.ok(!/style=|<script/i.test(svg));
});

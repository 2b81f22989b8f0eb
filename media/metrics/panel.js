// The MFDATA metrics webview: places the charts (SVG markup built and escaped by the extension), the
// legend, the step picker and the summary. Plain browser JavaScript under a strict CSP (script by nonce);
// every text is set with textContent, only the extension's SVG goes through innerHTML.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  const focus = $('focus');

  focus.addEventListener('change', () => vscode.postMessage({ type: 'focus', step: focus.value }));

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function render(m) {
    const notice = $('notice');
    notice.textContent = m.notice;
    notice.hidden = !m.notice;
    $('updated').textContent = m.updated ? `updated ${m.updated}` : '';

    // The step picker: rebuilt only when the steps change, so an open dropdown is not disturbed.
    const wanted = ['', ...m.legend.map((s) => s.key)].join('\n');
    const present = Array.from(focus.options).map((o) => o.value).join('\n');
    if (wanted !== present) {
      focus.replaceChildren(el('option', '', 'all steps'));
      focus.options[0].value = '';
      for (const s of m.legend) {
        const o = el('option', '', s.label);
        o.value = s.key;
        focus.appendChild(o);
      }
    }
    focus.value = m.focus;

    const legend = $('legend');
    legend.replaceChildren(
      ...m.legend.filter((s) => s.shown).map((s) => {
        const li = el('li');
        li.append(el('span', `swatch s${s.colour % 6}`), el('span', '', s.label));
        return li;
      }),
    );

    const charts = $('charts');
    charts.replaceChildren(
      ...m.charts.map((c) => {
        const section = el('section', 'chart-box');
        section.append(el('h2', '', c.title));
        const holder = el('div', 'svg');
        holder.innerHTML = c.svg;
        section.append(holder);
        return section;
      }),
    );

    $('summary').replaceChildren(...m.summary.map((line) => el('li', '', line)));
    vscode.postMessage({ type: 'rendered', charts: charts.querySelectorAll('svg').length });
  }

  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'render') render(event.data);
  });
  vscode.postMessage({ type: 'ready' });
})();

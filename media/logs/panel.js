// The MFDATA log panel's webview: toolbar filters, a virtual list whose rows are fetched from the extension host
// on demand (only the visible window exists in the DOM), and the details of the selected record.
// Plain browser JavaScript: loaded under a strict CSP with a nonce; all text is set with textContent.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const ROW = 20; // px: must match .row height in panel.css
  const CHUNK = 200; // rows asked for at once
  const OVERSCAN = 10;
  const $ = (id) => document.getElementById(id);
  const viewport = $('viewport');
  const spacer = $('spacer');
  const details = $('details');

  let state = { total: 0, held: 0, generation: -1, filter: { level: '', plugin: '', step: '', text: '', regex: false }, paused: false, plugins: [], steps: [] };
  /** index -> row */
  let cache = new Map();
  /** chunk start -> number of rows that existed when it was asked for */
  let requested = new Map();
  const pool = [];
  let selectedSeq = -1;
  let renderQueued = false;
  const saved = vscode.getState() || {};
  $('follow').checked = saved.follow !== false;

  const post = (m) => vscode.postMessage(m);

  function readFilter() {
    return { level: $('level').value, plugin: $('plugin').value, step: $('step').value, text: $('text').value, regex: $('regex').checked };
  }
  function sendFilter() {
    post({ type: 'filter', filter: readFilter() });
  }
  let textTimer;
  $('text').addEventListener('input', () => {
    clearTimeout(textTimer);
    textTimer = setTimeout(sendFilter, 150);
  });
  for (const id of ['level', 'plugin', 'step', 'regex']) $(id).addEventListener('change', sendFilter);
  $('follow').addEventListener('change', () => {
    vscode.setState({ follow: $('follow').checked });
    if ($('follow').checked) scrollToEnd();
  });
  $('pause').addEventListener('click', () => post({ type: 'pause', paused: !state.paused }));
  $('clear').addEventListener('click', () => {
    selectedSeq = -1;
    details.hidden = true;
    post({ type: 'clear' });
  });
  viewport.addEventListener('scroll', queueRender, { passive: true });
  window.addEventListener('resize', queueRender);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      selectedSeq = -1;
      details.hidden = true;
      queueRender();
    }
  });

  function fillSelect(select, values, current, allLabel) {
    const wanted = [''].concat(values);
    if (current && !wanted.includes(current)) wanted.push(current);
    const have = Array.from(select.options).map((o) => o.value);
    if (have.join('\u0000') !== wanted.join('\u0000')) {
      select.textContent = '';
      for (const v of wanted) {
        const o = document.createElement('option');
        o.value = v;
        o.textContent = v === '' ? allLabel : v;
        select.appendChild(o);
      }
    }
    select.value = current;
  }

  function atEnd() {
    return viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - ROW * 2;
  }
  function scrollToEnd() {
    viewport.scrollTop = viewport.scrollHeight;
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'state') onState(m);
    else if (m.type === 'rows') onRows(m);
  });

  function onState(m) {
    const wasAtEnd = atEnd();
    if (m.generation !== state.generation) {
      cache = new Map();
      requested = new Map();
    }
    state = m;
    const f = m.filter;
    $('level').value = f.level;
    fillSelect($('plugin'), m.plugins, f.plugin, 'all plugins');
    fillSelect($('step'), m.steps, f.step, 'all steps');
    if (document.activeElement !== $('text')) $('text').value = f.text;
    $('regex').checked = f.regex;
    $('count').textContent = `${m.total.toLocaleString()} of ${m.held.toLocaleString()} records${m.paused ? ' (paused)' : ''}`;
    $('error').textContent = m.error || '';
    $('pause').textContent = m.paused ? 'Resume' : 'Pause';
    $('pause').setAttribute('aria-pressed', String(m.paused));
    spacer.style.height = `${m.total * ROW}px`;
    if ($('follow').checked && wasAtEnd) scrollToEnd();
    queueRender();
  }

  function onRows(m) {
    if (m.generation !== state.generation) return;
    for (const r of m.rows) cache.set(r.index, r);
    queueRender();
  }

  function queueRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(render);
  }

  function ask(from, to) {
    for (let c = Math.floor(from / CHUNK) * CHUNK; c < to; c += CHUNK) {
      const end = Math.min(c + CHUNK, state.total);
      let missing = -1;
      for (let i = c; i < end; i++) if (!cache.has(i)) { missing = i; break; }
      if (missing === -1) continue;
      const askedUpTo = requested.get(c);
      // Asked already and the missing row existed then: the answer is on its way.
      if (askedUpTo !== undefined && missing < askedUpTo) continue;
      requested.set(c, end);
      post({ type: 'rows', start: c, count: CHUNK });
    }
  }

  function rowElement(k) {
    while (pool.length <= k) {
      const el = document.createElement('div');
      el.className = 'row';
      el.setAttribute('role', 'row');
      for (const cls of ['c-time', 'c-level', 'c-origin', 'c-msg']) {
        const span = document.createElement('span');
        span.className = cls;
        el.appendChild(span);
      }
      el.addEventListener('click', onRowClick);
      spacer.appendChild(el);
      pool.push(el);
    }
    return pool[k];
  }

  function render() {
    renderQueued = false;
    if (cache.size > 20000) {
      cache = new Map();
      requested = new Map();
    }
    const first = Math.floor(viewport.scrollTop / ROW);
    const visible = Math.ceil(viewport.clientHeight / ROW) + 1;
    const from = Math.max(0, first - OVERSCAN);
    const to = Math.min(state.total, first + visible + OVERSCAN);
    ask(from, to);
    let k = 0;
    for (let i = from; i < to; i++, k++) {
      const el = rowElement(k);
      const r = cache.get(i);
      el.hidden = false;
      el.style.transform = `translateY(${i * ROW}px)`;
      el.dataset.index = String(i);
      const [time, level, origin, msg] = el.children;
      if (!r) {
        el.className = 'row loading';
        time.textContent = '';
        level.textContent = '';
        origin.textContent = '';
        msg.textContent = '…';
        continue;
      }
      el.className = `row lvl-${r.level}${r.raw ? ' raw' : ''}${r.seq === selectedSeq ? ' selected' : ''}${r.exception ? ' has-exception' : ''}`;
      el.dataset.seq = String(r.seq);
      time.textContent = r.time;
      time.title = r.timestamp;
      level.textContent = r.raw ? 'raw' : r.level;
      origin.textContent = r.origin;
      origin.title = r.plugin ? `Open the config.ini of ${r.plugin}` : r.origin;
      origin.classList.toggle('link', !!r.plugin);
      msg.textContent = (r.exception ? '▸ ' : '') + r.message + (r.context ? `  {${r.context}}` : '');
      msg.title = r.raw ? `${r.file}: ${r.message}` : `${r.name}#${r.pid}`;
    }
    for (; k < pool.length; k++) pool[k].hidden = true;
  }

  function onRowClick(event) {
    const el = event.currentTarget;
    const r = cache.get(Number(el.dataset.index));
    if (!r) return;
    if (event.target.classList.contains('c-origin') && r.plugin) {
      post({ type: 'openConfig', seq: r.seq });
      return;
    }
    if (selectedSeq === r.seq) {
      selectedSeq = -1;
      details.hidden = true;
    } else {
      selectedSeq = r.seq;
      showDetails(r);
    }
    queueRender();
  }

  function line(parent, label, value, cls) {
    const div = document.createElement('div');
    div.className = cls || 'kv';
    const b = document.createElement('b');
    b.textContent = label;
    div.appendChild(b);
    div.appendChild(document.createTextNode(value));
    parent.appendChild(div);
    return div;
  }

  function action(parent, text, message) {
    const a = document.createElement('a');
    a.href = '#';
    a.textContent = text;
    a.addEventListener('click', (e) => {
      e.preventDefault();
      post(message);
    });
    parent.appendChild(a);
  }

  function showDetails(r) {
    details.textContent = '';
    details.hidden = false;
    line(details, 'time ', r.timestamp);
    line(details, 'level ', r.raw ? `raw line of ${r.file}` : r.level);
    if (!r.raw) line(details, 'logger ', `${r.name}#${r.pid}  (${r.file})`);
    line(details, 'message ', r.message);
    if (r.context) line(details, 'context ', r.context);
    const actions = document.createElement('div');
    actions.className = 'actions';
    if (r.plugin) action(actions, r.step ? `Open ${r.plugin} config.ini at [step_${r.step}]` : `Open ${r.plugin} config.ini`, { type: 'openConfig', seq: r.seq });
    if (r.exceptionFile) action(actions, `Open ${r.exceptionFile}`, { type: 'openFile', file: r.exceptionFile });
    if (r.journey) action(actions, `Show Journey of ${r.journey}`, { type: 'showJourney', query: r.journey });
    details.appendChild(actions);
    if (r.exception) {
      const pre = document.createElement('pre');
      pre.className = 'exception';
      pre.textContent = r.exception;
      details.appendChild(pre);
    }
  }

  post({ type: 'ready' });
})();

// The MFDATA flow view's webview: draws the geometry the extension host laid out (boxes, polylines, count labels)
// as SVG, updates counts in place while the graph's shape is unchanged, pans (drag) and zooms (wheel), and reports
// clicks on nodes and edges. Plain browser JavaScript under a strict CSP (nonce); all text set with textContent.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  const canvas = $('canvas');
  const files = $('files');
  const status = $('status');
  let layout = null;
  let svg = null;
  let root = null;
  const view = { x: 0, y: 0, k: 1 };
  let selectedEdge = null;

  const post = (m) => vscode.postMessage(m);
  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (parent) parent.appendChild(e);
    return e;
  }
  function applyView() {
    if (root) root.setAttribute('transform', `translate(${view.x} ${view.y}) scale(${view.k})`);
  }

  function edgeLabelText(e) {
    return e.kind === 'virtual' ? '0' : String(e.count);
  }

  /** Rebuilds the drawing (the graph's shape changed, or first draw). */
  function draw() {
    canvas.textContent = '';
    svg = el('svg', { class: 'graph', width: '100%', height: '100%', role: 'img', 'aria-label': 'MFDATA flow graph' }, canvas);
    const defs = el('defs', {}, svg);
    for (const kind of ['route', 'error', 'virtual']) {
      const marker = el('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
      el('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrowhead ${kind}` }, marker);
    }
    root = el('g', {}, svg);
    if (layout.nodes.length === 0) {
      const t = el('text', { x: 20, y: 40, class: 'empty' }, root);
      t.textContent = 'No traffic recorded today yet: files moving through the steps will appear here.';
    }
    const edges = el('g', { class: 'edges' }, root);
    for (const e of layout.edges) {
      const g = el('g', { class: `edge ${e.kind}`, 'data-id': e.id, tabindex: 0 }, edges);
      const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
      el('path', { d, class: 'hit' }, g);
      el('path', { d, class: 'line', 'marker-end': `url(#arrow-${e.kind})` }, g);
      const label = el('g', { class: 'label', transform: `translate(${e.label.x} ${e.label.y})` }, g);
      el('rect', { x: -20, y: -9, width: 40, height: 18, rx: 9 }, label);
      const t = el('text', { 'text-anchor': 'middle', 'dominant-baseline': 'central', class: 'count' }, label);
      t.textContent = edgeLabelText(e);
      const title = el('title', {}, g);
      title.textContent = `${e.from} → ${e.to}: ${e.count} file(s)${e.kind === 'error' ? ' (failure policy)' : e.kind === 'virtual' ? ' (configured, not taken yet)' : ''}. Click for the recent files.`;
      g.addEventListener('click', () => selectEdge(e.id));
      g.addEventListener('keydown', (ev) => ev.key === 'Enter' && selectEdge(e.id));
    }
    const nodes = el('g', { class: 'nodes' }, root);
    for (const n of layout.nodes) {
      const g = el('g', { class: `node ${n.kind}`, 'data-id': n.id, transform: `translate(${n.x - n.width / 2} ${n.y - n.height / 2})`, tabindex: 0 }, nodes);
      el('rect', { width: n.width, height: n.height, rx: n.kind === 'step' ? 6 : 18 }, g);
      const t1 = el('text', { x: n.width / 2, y: 17, 'text-anchor': 'middle', class: 'name' }, g);
      t1.textContent = n.label;
      const t2 = el('text', { x: n.width / 2, y: 33, 'text-anchor': 'middle', class: 'sub' }, g);
      t2.textContent = n.sublabel;
      const t3 = el('text', { x: n.width / 2, y: n.height + 14, 'text-anchor': 'middle', class: 'figures' }, g);
      t3.textContent = n.figures || '';
      const title = el('title', {}, g);
      title.textContent = n.kind === 'step' ? `${n.id}: click to show the step in the Plugins view` : n.id;
      if (n.kind === 'step') {
        g.addEventListener('click', () => post({ type: 'node', id: n.id }));
        g.addEventListener('keydown', (ev) => ev.key === 'Enter' && post({ type: 'node', id: n.id }));
      }
    }
    applyView();
    markSelected();
  }

  /** Same shape: only counts and figures change, nothing moves. */
  function update() {
    for (const e of layout.edges) {
      const g = svg.querySelector(`.edge[data-id="${CSS.escape(e.id)}"]`);
      if (g) g.querySelector('.count').textContent = edgeLabelText(e);
    }
    for (const n of layout.nodes) {
      const g = svg.querySelector(`.node[data-id="${CSS.escape(n.id)}"]`);
      if (g) g.querySelector('.figures').textContent = n.figures || '';
    }
  }

  function markSelected() {
    if (!svg) return;
    for (const g of svg.querySelectorAll('.edge')) g.classList.toggle('selected', g.getAttribute('data-id') === selectedEdge);
  }

  function selectEdge(id) {
    selectedEdge = id;
    markSelected();
    files.hidden = false;
    files.textContent = '';
    const h = document.createElement('h2');
    h.textContent = id.replace(/^[a-z]+:/, '').replace('->', ' → ');
    files.appendChild(h);
    const p = document.createElement('p');
    p.textContent = 'Loading the recent files…';
    files.appendChild(p);
    post({ type: 'edge', id });
  }

  function showFiles(m) {
    if (m.edge !== selectedEdge) return;
    files.textContent = '';
    const h = document.createElement('h2');
    h.textContent = m.edge.replace(/^[a-z]+:/, '').replace('->', ' → ');
    const close = document.createElement('button');
    close.textContent = '×';
    close.title = 'Close';
    close.className = 'close';
    close.addEventListener('click', () => {
      files.hidden = true;
      selectedEdge = null;
      markSelected();
    });
    h.appendChild(close);
    files.appendChild(h);
    if (m.error || m.files.length === 0) {
      const p = document.createElement('p');
      p.textContent = m.error ? `Cannot read the files: ${m.error}` : 'No file recorded on this edge (recent files are kept one day).';
      files.appendChild(p);
      return;
    }
    const list = document.createElement('ul');
    for (const f of m.files) {
      const li = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'fname';
      name.textContent = f.name;
      name.title = f.uid;
      const at = document.createElement('span');
      at.className = 'at';
      at.textContent = new Date(f.at).toLocaleTimeString();
      const b = document.createElement('button');
      b.textContent = 'Show Journey';
      b.addEventListener('click', () => post({ type: 'journey', uid: f.uid }));
      li.append(name, at, b);
      list.appendChild(li);
    }
    files.appendChild(list);
  }

  // Pan by dragging the background, zoom with the wheel around the pointer.
  let drag = null;
  canvas.addEventListener('pointerdown', (e) => {
    if (e.target.closest && (e.target.closest('.node') || e.target.closest('.edge'))) return;
    drag = { x: e.clientX - view.x, y: e.clientY - view.y };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    view.x = e.clientX - drag.x;
    view.y = e.clientY - drag.y;
    applyView();
  });
  canvas.addEventListener('pointerup', () => (drag = null));
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const r = canvas.getBoundingClientRect();
      const px = e.clientX - r.left;
      const py = e.clientY - r.top;
      const k = Math.min(3, Math.max(0.25, view.k * (e.deltaY < 0 ? 1.1 : 1 / 1.1)));
      view.x = px - ((px - view.x) * k) / view.k;
      view.y = py - ((py - view.y) * k) / view.k;
      view.k = k;
      applyView();
    },
    { passive: false },
  );

  /** Fits a new drawing into the canvas (never enlarging beyond 1:1). */
  function fit() {
    const r = canvas.getBoundingClientRect();
    if (!layout || layout.width === 0 || r.width === 0) return;
    view.k = Math.min(1, (r.width - 20) / layout.width, (r.height - 20) / Math.max(1, layout.height + 20));
    view.x = Math.max(10, (r.width - layout.width * view.k) / 2);
    view.y = 10;
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'layout') {
      const first = layout === null;
      layout = m.layout;
      if (m.relaid || !svg) {
        if (first || m.relaid) fit();
        draw();
      } else update();
      if (m.status) status.textContent = m.status;
      status.classList.remove('error');
    } else if (m.type === 'edgeFiles') {
      showFiles(m);
    } else if (m.type === 'status') {
      status.textContent = m.status;
      status.classList.toggle('error', m.error === true);
    }
  });
  post({ type: 'ready' });
})();

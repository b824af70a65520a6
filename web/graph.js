// The graph: SVG drawn from GET /api/v1/maps/{map}/graph (positions computed in Rust).
// Nodes are <circle class="node" data-actor=ID>, focusable; Enter or a click selects one.

import { svg, clear, token } from './dom.js';
import { t, tr } from './i18n.js';

const SIZE = 1000;
const MARGIN = 40;
const MAX_EDGES = 20000;
const MAX_LABELS = 40;

const PALETTE = [
  '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf',
  '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#393b79', '#637939',
];
const DOMAIN_COLOURS = {
  ministry: '#1f4e9c', vng: '#d9480f', municipality: '#e8a317', province: '#6a3d9a',
  'water-board': '#1b9e9e', agency: '#2b8a3e', science: '#c2255c', business: '#5c3d2e',
  'civil-society': '#0b7285', media: '#868e96', other: '#adb5bd',
};
const GROUP_COLOURS = {
  supporter: '#2b8a3e', opponent: '#c92a2a', undecided: '#e8a317', silent: '#adb5bd',
};
const NONE_COLOUR = '#ced4da';

function hashColour(value) {
  let h = 0;
  for (const ch of String(value)) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

export function radius(influence) {
  const x = typeof influence === 'number' && Number.isFinite(influence) ? influence : 0.5;
  return 5 + 14 * Math.max(0, Math.min(1, x));
}

export class GraphView {
  /** `container` receives the SVG; `onSelect(id)` is called when a node is chosen. */
  constructor(container, { onSelect }) {
    this.container = container;
    this.onSelect = onSelect;
    this.nodes = [];
    this.edges = [];
    this.nodeEls = new Map();
    this.edgeEls = [];
    this.labelEls = new Map();
    this.transform = { x: 0, y: 0, k: 1 };
    this.colourOf = () => NONE_COLOUR;
    this.build();
  }

  build() {
    clear(this.container);
    this.svg = svg('svg', {
      id: 'graph-svg',
      viewBox: `0 0 ${SIZE} ${SIZE}`,
      role: 'group',
      'aria-label': t('graph.aria'),
      preserveAspectRatio: 'xMidYMid meet',
    });
    this.viewport = svg('g', { class: 'viewport' });
    this.edgeLayer = svg('g', { class: 'edges' });
    this.overlayLayer = svg('g', { class: 'overlay' });
    this.nodeLayer = svg('g', { class: 'nodes' });
    this.labelLayer = svg('g', { class: 'labels', 'aria-hidden': 'true' });
    this.viewport.append(this.edgeLayer, this.overlayLayer, this.nodeLayer, this.labelLayer);
    this.svg.append(this.viewport);
    this.container.append(this.svg);
    this.installPanZoom();
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => this.fitLabels()).observe(this.svg);
    }
  }

  /** Screen coordinates to viewBox coordinates. */
  toSvgPoint(clientX, clientY) {
    const ctm = this.svg.getScreenCTM();
    if (!ctm) return { x: 0, y: 0 };
    const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
    return { x: p.x, y: p.y };
  }

  installPanZoom() {
    let drag = null;
    this.svg.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0 || ev.target.classList?.contains('node')) return;
      const p = this.toSvgPoint(ev.clientX, ev.clientY);
      drag = { x: p.x, y: p.y, tx: this.transform.x, ty: this.transform.y, id: ev.pointerId };
      this.svg.setPointerCapture(ev.pointerId);
      this.svg.classList.add('panning');
    });
    this.svg.addEventListener('pointermove', (ev) => {
      if (!drag || ev.pointerId !== drag.id) return;
      const p = this.toSvgPoint(ev.clientX, ev.clientY);
      this.transform.x = drag.tx + (p.x - drag.x);
      this.transform.y = drag.ty + (p.y - drag.y);
      this.applyTransform();
    });
    const end = (ev) => {
      if (!drag || ev.pointerId !== drag.id) return;
      drag = null;
      this.svg.classList.remove('panning');
    };
    this.svg.addEventListener('pointerup', end);
    this.svg.addEventListener('pointercancel', end);
    this.svg.addEventListener(
      'wheel',
      (ev) => {
        ev.preventDefault();
        const p = this.toSvgPoint(ev.clientX, ev.clientY);
        this.zoomBy(ev.deltaY < 0 ? 1.2 : 1 / 1.2, p);
      },
      { passive: false },
    );
  }

  applyTransform() {
    const { x, y, k } = this.transform;
    this.viewport.setAttribute('transform', `translate(${x} ${y}) scale(${k})`);
    this.svg.dataset.zoom = k.toFixed(3);
  }

  /** Zooms by `factor` around a viewBox point (the centre by default). */
  zoomBy(factor, at = { x: (this.vw || SIZE) / 2, y: (this.vh || SIZE) / 2 }) {
    const { x, y, k } = this.transform;
    const nk = Math.max(0.2, Math.min(20, k * factor));
    const f = nk / k;
    this.transform = { x: at.x - (at.x - x) * f, y: at.y - (at.y - y) * f, k: nk };
    this.applyTransform();
  }

  resetZoom() {
    this.transform = { x: 0, y: 0, k: 1 };
    this.applyTransform();
  }

  /**
   * Draws a graph `{nodes, edges}`. Positions are rescaled into the drawing area whatever
   * their range, so a server that sends other units still draws.
   */
  render(graph) {
    const nodes = Array.isArray(graph?.nodes) ? graph.nodes : [];
    const edges = Array.isArray(graph?.edges) ? graph.edges : [];
    this.nodes = nodes;
    this.byId = new Map(nodes.map((n) => [String(n.id), n]));
    clear(this.edgeLayer);
    clear(this.nodeLayer);
    clear(this.labelLayer);
    clear(this.overlayLayer);
    this.nodeEls.clear();
    this.labelEls.clear();
    this.svg.setAttribute('aria-label', t('graph.aria'));
    this.svg.classList.remove('has-highlight');

    // The drawing takes the shape of its box (SIZE units high), and the layout is stretched
    // to fill it: at most 2.5 times more along one axis than along the other.
    const box = this.container.getBoundingClientRect();
    const aspect = box.width > 50 && box.height > 50 ? Math.max(0.6, Math.min(3, box.width / box.height)) : 1.5;
    this.vw = Math.round(SIZE * aspect);
    this.vh = SIZE;
    this.svg.setAttribute('viewBox', `0 0 ${this.vw} ${this.vh}`);
    const xs = nodes.map((n) => Number(n.x)).filter(Number.isFinite);
    const ys = nodes.map((n) => Number(n.y)).filter(Number.isFinite);
    const minX = xs.length ? Math.min(...xs) : 0;
    const maxX = xs.length ? Math.max(...xs) : 1;
    const minY = ys.length ? Math.min(...ys) : 0;
    const maxY = ys.length ? Math.max(...ys) : 1;
    let sx = (this.vw - 2 * MARGIN) / Math.max(maxX - minX, 1e-9);
    let sy = (this.vh - 2 * MARGIN) / Math.max(maxY - minY, 1e-9);
    sx = Math.min(sx, sy * 2.5);
    sy = Math.min(sy, sx * 2.5);
    const offX = (this.vw - (maxX - minX) * sx) / 2;
    const offY = (this.vh - (maxY - minY) * sy) / 2;
    this.pos = new Map();
    for (const n of nodes) {
      const x = Number.isFinite(Number(n.x)) ? (Number(n.x) - minX) * sx + offX : this.vw / 2;
      const y = Number.isFinite(Number(n.y)) ? (Number(n.y) - minY) * sy + offY : this.vh / 2;
      this.pos.set(String(n.id), { x, y });
    }

    let drawn = edges.filter((e) => this.pos.has(String(e.source)) && this.pos.has(String(e.target)));
    const total = drawn.length;
    if (drawn.length > MAX_EDGES) {
      drawn = [...drawn]
        .sort((a, b) => Math.abs(Number(b.weight) || 0) - Math.abs(Number(a.weight) || 0))
        .slice(0, MAX_EDGES);
    }
    this.edges = drawn;
    this.edgeEls = [];
    for (const e of drawn) {
      const a = this.pos.get(String(e.source));
      const b = this.pos.get(String(e.target));
      const w = Math.abs(Number(e.weight));
      const negative = e.kind === 'conflict' || Number(e.sign) < 0;
      const na = this.byId.get(String(e.source));
      const nb = this.byId.get(String(e.target));
      const line = svg(
        'line',
        {
          x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1),
          class: `edge kind-${token(e.kind || 'tie')}${negative ? ' negative' : ''}`,
          'stroke-width': (0.6 + 2.4 * (Number.isFinite(w) ? Math.min(w, 1) : 0.5)).toFixed(2),
          dataset: { source: e.source, target: e.target, kind: e.kind || '' },
        },
        svg('title', {
          text: `${na?.name ?? e.source} — ${nb?.name ?? e.target} (${tr('tiekind', e.kind || '')}${
            Number.isFinite(Number(e.weight)) ? `, ${Number(e.weight).toFixed(2)}` : ''
          })`,
        }),
      );
      this.edgeEls.push(line);
      this.edgeLayer.append(line);
    }

    const sorted = [...nodes].sort((a, b) => (Number(b.influence) || 0) - (Number(a.influence) || 0));
    this.labelCandidates = sorted.filter((n) => (Number(n.influence) || 0) >= 0.6 || nodes.length <= 25);
    // Small nodes first so large ones are drawn on top.
    for (const n of [...sorted].reverse()) {
      const id = String(n.id);
      const p = this.pos.get(id);
      const r = radius(n.influence);
      const circle = svg(
        'circle',
        {
          cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: r.toFixed(1),
          class: 'node', tabindex: '0', role: 'button',
          'aria-label': `${n.name ?? id} (${tr('domain', n.domain ?? '')})`,
          dataset: { actor: id, domain: n.domain ?? '' },
          onclick: () => this.onSelect(id),
          onkeydown: (ev) => {
            if (ev.key === 'Enter' || ev.key === ' ') {
              ev.preventDefault();
              this.onSelect(id);
            }
          },
        },
        svg('title', {
          text: `${n.name ?? id} — ${tr('domain', n.domain ?? '')}, ${t('field.influence')} ${
            Number.isFinite(Number(n.influence)) ? Number(n.influence).toFixed(2) : t('na')
          }`,
        }),
      );
      this.nodeEls.set(id, circle);
      this.nodeLayer.append(circle);
    }
    this.drawLabels();
    this.applyTransform();
    return { nodes: nodes.length, edges: total, drawnEdges: drawn.length };
  }

  /** ViewBox units per screen pixel (the drawing is scaled to fit its box). */
  unitsPerPixel() {
    const box = this.svg.getBoundingClientRect();
    const vw = this.vw || SIZE;
    const vh = this.vh || SIZE;
    const k = Math.min(box.width / vw, box.height / vh);
    return box.width > 50 && box.height > 50 ? 1 / k : SIZE / 500;
  }

  /**
   * Places and draws the names of the label candidates. A name keeps its screen size, so its
   * room in the drawing depends on the drawing's size on screen: the names are placed again
   * when that changes (a graph drawn while its view was hidden, a window made narrower).
   * A name takes over its node's highlight and filter state.
   */
  drawLabels() {
    clear(this.labelLayer);
    this.labelEls.clear();
    for (const [id, place] of this.placeLabels(this.labelCandidates || [])) {
      const node = this.nodeEls.get(id);
      const label = svg('text', {
        x: place.x.toFixed(1), y: place.y.toFixed(1), class: place.anchor === 'start' ? 'label' : `label ${place.anchor}`,
        dataset: { actor: id }, text: place.text,
      });
      for (const state of ['highlight', 'filtered-out']) {
        if (node?.classList.contains(state)) label.classList.add(state);
      }
      this.labelEls.set(id, label);
      this.labelLayer.append(label);
    }
  }

  /** After a resize: the names placed again if the scale changed (see `drawLabels`). */
  fitLabels() {
    const placed = this.labelSize;
    this.sizeLabels();
    if (placed && Math.abs(this.labelSize - placed) > placed * 0.02) this.drawLabels();
  }

  /** Keeps the names at about 12 px whatever the size of the drawing. */
  sizeLabels() {
    this.labelSize = 12 * this.unitsPerPixel();
    this.labelLayer.setAttribute('font-size', this.labelSize.toFixed(1));
  }

  /**
   * The width of `text` in screen pixels as a graph label (about 12 px high), measured on a
   * canvas in the labels' font: no layout of the page per name, which a map of thousands of
   * influential actors would otherwise pay once per candidate.
   */
  textWidth(text) {
    if (!this.measure) {
      const style = getComputedStyle(this.labelLayer);
      this.measure = document.createElement('canvas').getContext('2d');
      this.measure.font = `${style.fontWeight} 12px ${style.fontFamily}`;
    }
    return this.measure.measureText(text).width;
  }

  /**
   * Where the names of `candidates` (most influential first) go: right of the node, else left,
   * below or above it, each only where it overlaps no name placed before and no node, at
   * most MAX_LABELS. Returns id -> {x, y, text, anchor} (anchor: start, end or middle).
   */
  placeLabels(candidates) {
    this.sizeLabels();
    const fs = this.labelSize;
    const upp = fs / 12;
    const boxes = [];
    const out = new Map();
    const circles = this.nodes.map((n) => ({ ...this.pos.get(String(n.id)), r: radius(n.influence) }));
    for (const n of candidates) {
      if (out.size >= MAX_LABELS) break;
      const id = String(n.id);
      const p = this.pos.get(id);
      const r = radius(n.influence);
      const name = String(n.name ?? id);
      const text = name.length > 32 ? `${name.slice(0, 31)}…` : name;
      // The width as drawn, with room for the white halo (viewBox units).
      const w = (this.textWidth(text) + 4) * upp;
      const h = fs * 1.1;
      // Right of the node, else left, below or above it; a name covers no node (its own
      // included: the boxes start beyond its rim) and stays inside the drawing.
      const free = (b) => !boxes.some((o) => b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h)
        && !circles.some((c) => c.x + c.r > b.x && c.x - c.r < b.x + b.w && c.y + c.r > b.y && c.y - c.r < b.y + b.h)
        && b.x >= 0 && b.x + b.w <= (this.vw || SIZE) && b.y >= 0 && b.y + b.h <= (this.vh || SIZE);
      const places = [
        { anchor: 'start', tx: p.x + r + 3, box: { x: p.x + r + 3, y: p.y - h / 2, w, h } },
        { anchor: 'end', tx: p.x - r - 3, box: { x: p.x - r - 3 - w, y: p.y - h / 2, w, h } },
        { anchor: 'middle', tx: p.x, box: { x: p.x - w / 2, y: p.y + r + 1, w, h } },
        { anchor: 'middle', tx: p.x, box: { x: p.x - w / 2, y: p.y - r - 1 - h, w, h } },
      ];
      const place = places.find((c) => free(c.box));
      if (!place) continue;
      boxes.push(place.box);
      out.set(id, { x: place.tx, y: place.box.y + h / 2 + fs * 0.35, text, anchor: place.anchor });
    }
    return out;
  }

  /**
   * Colours the nodes. `mode`: coalition | domain | group; `info` maps an actor id to
   * `{coalition, group}` from the analysis (falling back to the graph's own fields).
   * Returns the legend entries `[{label, colour}]`.
   */
  colour(mode, info, coalitionOrder) {
    const legend = new Map();
    const coalitionIndex = new Map((coalitionOrder || []).map((c, i) => [c, i]));
    for (const n of this.nodes) {
      const id = String(n.id);
      const extra = info.get(id) || {};
      let key;
      let colour;
      let label;
      if (mode === 'domain') {
        key = n.domain ?? 'other';
        colour = DOMAIN_COLOURS[key] || hashColour(key);
        label = tr('domain', key);
      } else if (mode === 'group') {
        key = extra.group ?? n.group ?? 'silent';
        colour = GROUP_COLOURS[key] || NONE_COLOUR;
        label = tr('group', key);
      } else {
        key = extra.coalition !== undefined ? extra.coalition : n.coalition;
        if (key === null || key === undefined || key === '') {
          key = '';
          colour = NONE_COLOUR;
          label = t('coalition.none');
        } else {
          const idx = coalitionIndex.has(key) ? coalitionIndex.get(key) : PALETTE.indexOf(hashColour(key));
          colour = PALETTE[idx % PALETTE.length];
          label = t('coalition.name', { id: key });
        }
      }
      const circle = this.nodeEls.get(id);
      if (circle) {
        circle.setAttribute('fill', colour);
        circle.dataset.colourKey = String(key);
      }
      if (!legend.has(String(key))) legend.set(String(key), { key: String(key), label, colour });
    }
    return [...legend.values()].sort((a, b) => a.label.localeCompare(b.label));
  }

  /** Marks `ids` as highlighted and dims the rest; an empty or null set clears it. */
  highlight(ids) {
    const set = ids && ids.size ? ids : null;
    this.svg.classList.toggle('has-highlight', Boolean(set));
    for (const [id, c] of this.nodeEls) c.classList.toggle('highlight', Boolean(set && set.has(id)));
    for (const [id, l] of this.labelEls) l.classList.toggle('highlight', Boolean(set && set.has(id)));
    for (const line of this.edgeEls) {
      const on = set && set.has(line.dataset.source) && set.has(line.dataset.target);
      line.classList.toggle('highlight', Boolean(on));
    }
  }

  /** Marks the actors a simulation would move (class `moved`: a thick ring); null clears. */
  markMoved(ids) {
    for (const [id, c] of this.nodeEls) c.classList.toggle('moved', Boolean(ids && ids.has(id)));
  }

  /** Marks the selected actor (a ring around it). */
  select(id) {
    for (const [nid, c] of this.nodeEls) c.classList.toggle('selected', nid === id);
  }

  /** Hides nodes for which `keep(node)` is false (and their edges); null shows all. */
  filter(keep) {
    const hidden = new Set();
    for (const n of this.nodes) {
      const id = String(n.id);
      const out = keep ? !keep(n) : false;
      if (out) hidden.add(id);
      const c = this.nodeEls.get(id);
      if (c) {
        c.classList.toggle('filtered-out', out);
        c.setAttribute('tabindex', out ? '-1' : '0');
      }
      this.labelEls.get(id)?.classList.toggle('filtered-out', out);
    }
    for (const line of this.edgeEls) {
      line.classList.toggle(
        'filtered-out',
        hidden.has(line.dataset.source) || hidden.has(line.dataset.target),
      );
    }
    return this.nodes.length - hidden.size;
  }

  /**
   * Draws hypothetical what-if changes over the graph: added ties as highlighted dashed
   * lines, actors whose stance changes with a ring, added actors in the centre.
   */
  showChanges(changes) {
    clear(this.overlayLayer);
    for (const c of changes || []) {
      if (c.op === 'add_tie' && this.pos.has(String(c.source)) && this.pos.has(String(c.target))) {
        const a = this.pos.get(String(c.source));
        const b = this.pos.get(String(c.target));
        this.overlayLayer.append(
          svg('line', {
            x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: 'whatif-edge',
            dataset: { source: c.source, target: c.target },
          }, svg('title', { text: t('whatif.addedTie') })),
        );
      } else if (c.op === 'set_stance' && this.pos.has(String(c.actor))) {
        const p = this.pos.get(String(c.actor));
        const r = radius(this.byId.get(String(c.actor))?.influence) + 5;
        this.overlayLayer.append(
          svg('circle', { cx: p.x, cy: p.y, r, class: 'whatif-ring', dataset: { actor: c.actor } }),
        );
      } else if (c.op === 'remove_tie') {
        for (const line of this.edgeEls) {
          const s = line.dataset.source;
          const tg = line.dataset.target;
          if ((s === c.source && tg === c.target) || (s === c.target && tg === c.source)) {
            line.classList.add('whatif-removed');
          }
        }
      }
    }
  }

  clearChanges() {
    clear(this.overlayLayer);
    for (const line of this.edgeEls || []) line.classList.remove('whatif-removed');
  }

  /** Moves keyboard focus to an actor's node. */
  focus(id) {
    this.nodeEls.get(id)?.focus();
  }
}

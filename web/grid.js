// The power/interest grid (stakeholder.md, Mendelow): every actor placed by interest (x) and
// influence (y), coloured by its alignment with the transition, in the four quadrants split at
// the analysis' power and interest thresholds. Nodes are <circle class="grid-node"
// data-actor=ID>, focusable; a click or Enter opens the actor.

import { svg, clear, fmt } from './dom.js';
import { t, tr } from './i18n.js';

const PAD = { left: 70, right: 24, top: 16, bottom: 56 };
const R = 8;

/** The quadrant names in drawing order: [name, right (high interest), top (high power)]. */
const QUADRANTS = [
  ['keep-satisfied', false, true],
  ['manage-closely', true, true],
  ['monitor', false, false],
  ['keep-informed', true, false],
];

/**
 * The colour of an alignment in [-1, 1]: red (against) through grey to green (for); null
 * (no position on the core narratives) is a light grey.
 */
export function alignmentColour(alignment) {
  if (typeof alignment !== 'number' || !Number.isFinite(alignment)) return '#d5d9de';
  const a = Math.max(-1, Math.min(1, alignment));
  const mid = [134, 142, 150];
  const end = a >= 0 ? [43, 138, 62] : [201, 42, 42];
  const f = Math.abs(a);
  const c = mid.map((m, i) => Math.round(m + (end[i] - m) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/**
 * Spreads actors that share (almost) one spot around it, deterministically, so that every
 * actor stays visible and clickable: the k-th actor of a spot goes on a ring around it.
 */
function spread(points) {
  const spots = new Map();
  for (const p of points) {
    const key = `${Math.round(p.x / (R * 1.5))}:${Math.round(p.y / (R * 1.5))}`;
    if (!spots.has(key)) spots.set(key, []);
    spots.get(key).push(p);
  }
  for (const group of spots.values()) {
    if (group.length < 2) continue;
    const cx = group.reduce((s, p) => s + p.x, 0) / group.length;
    const cy = group.reduce((s, p) => s + p.y, 0) / group.length;
    // Rings of 6, 12, 18, ... places at radius 2R, 4R, 6R.
    let index = 0;
    for (let ring = 1; index < group.length; ring += 1) {
      const places = 6 * ring;
      for (let k = 0; k < places && index < group.length; k += 1, index += 1) {
        const angle = (2 * Math.PI * k) / places + ring * 0.4;
        group[index].x = cx + Math.cos(angle) * 2.2 * R * ring;
        group[index].y = cy + Math.sin(angle) * 2.2 * R * ring;
      }
    }
  }
}

/**
 * Draws the grid into `container`. `ctx` gives `actorsById`, `analysis` (stakeholders,
 * transition.alignment, settings) and `info`; `onSelect(id)` opens an actor; `selected` is
 * the open actor's id. Returns the number of actors drawn.
 */
export function renderGrid(container, ctx, { onSelect, selected }) {
  clear(container);
  // One unit is one pixel: the drawing takes the container's width and most of the window's
  // height, so text is always drawn at its CSS size.
  const rect = container.getBoundingClientRect();
  const W = rect.width > 300 ? Math.round(rect.width) : 1000;
  const H = Math.round(Math.max(420, Math.min(W * 0.8, (window.innerHeight || 800) - 250)));
  const analysis = ctx.analysis || {};
  const settings = analysis.settings || {};
  const power = typeof settings.power_threshold === 'number' ? settings.power_threshold : 0.6;
  const interest = typeof settings.interest_threshold === 'number' ? settings.interest_threshold : 0.5;
  const alignment = analysis.transition?.alignment || {};
  const stake = new Map((analysis.stakeholders || []).map((s) => [s.actor, s]));
  const actors = [...ctx.actorsById.values()].sort((a, b) => String(a.id).localeCompare(String(b.id)));

  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const xOf = (v) => PAD.left + iw * clamp01(v);
  const yOf = (v) => PAD.top + ih * (1 - clamp01(v));

  const root = svg('svg', {
    id: 'grid-svg', viewBox: `0 0 ${W} ${H}`, role: 'group',
    'aria-label': t('grid.aria'), preserveAspectRatio: 'xMidYMid meet',
  });

  // Quadrants with their names.
  const qx = xOf(interest);
  const qy = yOf(power);
  for (const [name, right, top] of QUADRANTS) {
    const x = right ? qx : PAD.left;
    const y = top ? PAD.top : qy;
    const w = right ? PAD.left + iw - qx : qx - PAD.left;
    const h = top ? qy - PAD.top : PAD.top + ih - qy;
    root.append(svg('rect', { x, y, width: Math.max(0, w), height: Math.max(0, h), class: `quadrant q-${name}`, dataset: { quadrant: name } }));
    root.append(svg('text', {
      x: right ? x + w - 10 : x + 10, y: top ? y + 22 : y + h - 12,
      class: `quadrant-label${right ? ' end' : ''}`, text: t(`quadrant.${name}`),
    }));
  }

  // Axes with ticks.
  root.append(svg('line', { x1: PAD.left, y1: PAD.top + ih, x2: PAD.left + iw, y2: PAD.top + ih, class: 'axis' }));
  root.append(svg('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: PAD.top + ih, class: 'axis' }));
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    root.append(svg('text', { x: xOf(v), y: PAD.top + ih + 18, class: 'tick middle', text: v.toFixed(2) }));
    root.append(svg('text', { x: PAD.left - 8, y: yOf(v) + 4, class: 'tick end', text: v.toFixed(2) }));
  }
  root.append(svg('text', { x: PAD.left + iw / 2, y: H - 12, class: 'axis-title middle', text: t('grid.xAxis') }));
  root.append(svg('text', {
    x: 16, y: PAD.top + ih / 2, class: 'axis-title middle',
    transform: `rotate(-90 16 ${PAD.top + ih / 2})`, text: t('grid.yAxis'),
  }));

  const points = actors.map((a) => ({
    actor: a,
    x: xOf(Number(a.interest ?? 0.5)),
    y: yOf(Number(a.influence ?? 0.5)),
  }));
  spread(points);

  const nodes = svg('g', { class: 'grid-nodes' });
  const labels = svg('g', { class: 'grid-labels', 'aria-hidden': 'true' });
  // Labels: the most influential first, each only where it overlaps no label placed before.
  const placed = [];
  const byInfluence = [...points].sort((p, q) => (Number(q.actor.influence) || 0) - (Number(p.actor.influence) || 0));
  const labelled = new Set();
  for (const p of byInfluence) {
    const name = String(p.actor.name ?? p.actor.id);
    const text = name.length > 28 ? `${name.slice(0, 27)}…` : name;
    const width = text.length * 6.6;
    const box = { x: p.x + R + 3, y: p.y - 8, w: width, h: 14 };
    if (box.x + box.w > PAD.left + iw) box.x = p.x - R - 3 - width;
    const clash = placed.some((b) => box.x < b.x + b.w && b.x < box.x + box.w && box.y < b.y + b.h && b.y < box.y + box.h)
      || points.some((o) => o !== p && o.x + R > box.x && o.x - R < box.x + box.w && o.y + R > box.y && o.y - R < box.y + box.h);
    if (clash) continue;
    placed.push(box);
    labelled.add(p.actor.id);
    labels.append(svg('text', { x: box.x.toFixed(1), y: (box.y + 11).toFixed(1), class: 'grid-label', dataset: { actor: p.actor.id }, text }));
  }

  for (const p of points) {
    const a = p.actor;
    const id = String(a.id);
    const al = Object.prototype.hasOwnProperty.call(alignment, id) ? alignment[id] : null;
    const s = stake.get(id);
    const title = [
      String(a.name ?? id),
      `${t('field.influence')} ${fmt(Number(a.influence), 2)}`,
      `${t('field.interest')} ${fmt(Number(a.interest), 2)}`,
      `${t('details.alignment')} ${fmt(al, 2, t('na'))}`,
      s ? tr('salience', s.salience) : null,
    ].filter(Boolean).join(' · ');
    nodes.append(svg('circle', {
      cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: R,
      fill: alignmentColour(al),
      class: `grid-node${al === null ? ' no-position' : ''}${selected === id ? ' selected' : ''}`,
      tabindex: '0', role: 'button',
      'aria-label': title,
      dataset: { actor: id, quadrant: s?.quadrant ?? '', labelled: labelled.has(id) ? 'true' : 'false' },
      onclick: () => onSelect(id),
      onkeydown: (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          onSelect(id);
        }
      },
    }, svg('title', { text: title })));
  }
  root.append(nodes, labels);
  container.append(root);
  return points.length;
}

/** Marks the open actor in the grid. */
export function selectInGrid(container, id) {
  for (const c of container.querySelectorAll('circle.grid-node')) {
    c.classList.toggle('selected', c.dataset.actor === id);
  }
}

function clamp01(v) {
  const x = Number(v);
  return Number.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0.5;
}

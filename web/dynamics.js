// The dynamics view (dynamics.md "Interfaces", UI): the coalitions as streams over time (an
// alluvial chart: one band per lineage, its width the members' count, flows between windows
// for defections), the strength and polarisation series, the list of events (a click shows
// the actor), and "what changed since" with a date picker that shows the diff.
// Data: GET /maps/{map}/dynamics and GET /maps/{map}/diff. Labels: i18n keys `dyn.*`.

import { el, svg, clear, fmt } from './dom.js';
import { t } from './i18n.js';
import { api, ApiError } from './api.js';

const PALETTE = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d',
  '#1f78b4', '#b2df8a', '#fb9a99', '#cab2d6', '#6a3d9a'];

/** A stable colour per lineage id (`L7` -> palette[6]). */
function colour(lineage) {
  const n = Number(String(lineage).replace(/\D/g, '')) || 0;
  return PALETTE[(n - 1 + PALETTE.length) % PALETTE.length];
}

/**
 * The alluvial chart: windows on x, per window the lineages' bands stacked in lineage order
 * (height = members), a grey band for members outside every lineage, and a flow per
 * (from lineage, to lineage) pair of defections between consecutive windows.
 */
function alluvial(dyn) {
  const windows = dyn.windows;
  const W = Math.max(640, windows.length * 28);
  const H = 280;
  const pad = { l: 40, r: 10, t: 10, b: 30 };
  const maxTotal = Math.max(1, ...windows.map((w) => w.actors_present.length));
  const scale = (H - pad.t - pad.b) / maxTotal;
  const colW = Math.min(18, ((W - pad.l - pad.r) / Math.max(1, windows.length)) * 0.5);
  const x = (i) => pad.l + (i + 0.5) * ((W - pad.l - pad.r) / Math.max(1, windows.length));
  const order = new Map(dyn.lineages.map((l, i) => [l.id, i]));
  // Per window: lineage -> {y0, y1, n}
  const stacks = windows.map((w) => {
    const sizes = new Map();
    let loose = 0;
    for (const c of w.coalitions) {
      if (c.lineage) sizes.set(c.lineage, c.members.length);
      else loose += c.members.length;
    }
    const ids = [...sizes.keys()].sort((a, b) => order.get(a) - order.get(b));
    let y = pad.t;
    const pos = new Map();
    for (const id of ids) {
      const h = sizes.get(id) * scale;
      pos.set(id, { y0: y, y1: y + h, n: sizes.get(id) });
      y += h;
    }
    pos.set('', { y0: y, y1: y + loose * scale, n: loose });
    return pos;
  });
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': t('dyn.streams'),
    'data-testid': 'dynamics-streams',
  });
  // Bands: one path per lineage through its windows (continuous runs).
  for (const l of dyn.lineages) {
    const pts = [];
    windows.forEach((w, i) => {
      const p = stacks[i].get(l.id);
      if (p) pts.push([i, p]);
    });
    if (!pts.length) continue;
    let d = `M ${x(pts[0][0]) - colW / 2} ${pts[0][1].y0}`;
    for (const [i, p] of pts) d += ` L ${x(i) - colW / 2} ${p.y0} L ${x(i) + colW / 2} ${p.y0}`;
    for (const [i, p] of [...pts].reverse()) d += ` L ${x(i) + colW / 2} ${p.y1} L ${x(i) - colW / 2} ${p.y1}`;
    d += ' Z';
    const band = svg('path', {
      d, fill: colour(l.id), 'fill-opacity': '0.75', stroke: colour(l.id),
      class: 'lineage-band', 'data-lineage': l.id,
    });
    band.appendChild(svg('title', {}, `${l.id}: ${l.first} – ${l.last} (${l.sizes.join(', ')})`));
    chart.appendChild(band);
  }
  // Flows for defections between consecutive windows.
  const flows = new Map();
  for (const e of dyn.events) {
    if (e.type !== 'defected') continue;
    const k = windows.findIndex((w) => w.label === e.window);
    if (k < 1) continue;
    const key = `${k}|${e.from}|${e.to}`;
    flows.set(key, (flows.get(key) || 0) + 1);
  }
  for (const [key, n] of flows) {
    const [k, from, to] = key.split('|');
    const a = stacks[k - 1].get(from);
    const b = stacks[k].get(to);
    if (!a || !b) continue;
    const h = Math.max(1.5, n * scale);
    const x0 = x(k - 1) + colW / 2;
    const x1 = x(Number(k)) - colW / 2;
    const ya = (a.y0 + a.y1) / 2;
    const yb = (b.y0 + b.y1) / 2;
    const mid = (x0 + x1) / 2;
    const flow = svg('path', {
      d: `M ${x0} ${ya} C ${mid} ${ya}, ${mid} ${yb}, ${x1} ${yb}`,
      fill: 'none', stroke: colour(to), 'stroke-width': h, 'stroke-opacity': '0.5',
      class: 'defection-flow', 'data-from': from, 'data-to': to,
    });
    flow.appendChild(svg('title', {}, t('dyn.flow', { n, from, to })));
    chart.appendChild(flow);
  }
  const step = Math.max(1, Math.ceil(windows.length / 12));
  windows.forEach((w, i) => {
    if (i % step === 0) {
      chart.appendChild(svg('text', { x: x(i), y: H - 10, 'text-anchor': 'middle', 'font-size': '10' }, w.label));
    }
  });
  return chart;
}

/** A line chart of one series (values in [0, max]) over the windows. */
function series(windows, value, max, label, testid) {
  const W = Math.max(640, windows.length * 28);
  const H = 120;
  const pad = { l: 40, r: 10, t: 10, b: 20 };
  const x = (i) => pad.l + (i + 0.5) * ((W - pad.l - pad.r) / Math.max(1, windows.length));
  const y = (v) => H - pad.b - (v / max) * (H - pad.t - pad.b);
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': label, 'data-testid': testid });
  let d = '';
  windows.forEach((w, i) => {
    const v = value(w);
    if (v === null || v === undefined) return;
    d += `${d ? ' L' : 'M'} ${x(i)} ${y(v)}`;
    const dot = svg('circle', { cx: x(i), cy: y(v), r: 2.5, fill: '#333' });
    dot.appendChild(svg('title', {}, `${w.label}: ${fmt(v, 2)}`));
    chart.appendChild(dot);
  });
  chart.insertBefore(svg('path', { d, fill: 'none', stroke: '#555', 'stroke-width': 1.5 }), chart.firstChild);
  chart.appendChild(svg('text', { x: 4, y: 12, 'font-size': '10' }, label));
  chart.appendChild(svg('text', { x: 4, y: H - pad.b, 'font-size': '10' }, '0'));
  chart.appendChild(svg('text', { x: 4, y: pad.t + 20, 'font-size': '10' }, String(max)));
  return chart;
}

function eventText(e) {
  const kind = t(`dyn.event.${e.type}`);
  const who = e.actor ? ` ${e.actor}` : '';
  const move = e.from || e.to ? `: ${e.from ?? '–'} → ${e.to ?? '–'}` : '';
  const lin = e.lineages?.length && !e.actor ? ` [${e.lineages.join(', ')}]` : '';
  return `${e.window} ${kind}${who}${move}${lin}`;
}

function eventList(dyn, onActor) {
  const list = el('ol', { class: 'dynamics-events', 'data-testid': 'dynamics-events' });
  for (const e of [...dyn.events].reverse()) {
    const item = el('li', { 'data-type': e.type });
    if (e.actor) {
      item.appendChild(el('button', {
        type: 'button', class: 'link', 'data-actor': e.actor,
        onclick: () => onActor(e.actor),
      }, eventText(e)));
    } else {
      item.textContent = eventText(e);
    }
    list.appendChild(item);
  }
  if (!dyn.events.length) list.appendChild(el('li', {}, t('dyn.noEvents')));
  return list;
}

function diffView(d) {
  const box = el('div', { class: 'dynamics-diff', 'data-testid': 'dynamics-diff' });
  const rows = [[t('dyn.strength'), d.strength, 1]];
  for (const [k, c] of Object.entries(d.components)) rows.push([k, c, 100]);
  const table = el('table', {},
    el('thead', {}, el('tr', {}, el('th', {}, ''), el('th', {}, t('dyn.before')), el('th', {}, t('dyn.after')), el('th', {}, t('dyn.change')))));
  const body = el('tbody');
  for (const [name, c, s] of rows) {
    const v = (x) => (x === null || x === undefined ? null : x * s);
    const ch = v(c.change);
    body.appendChild(el('tr', {}, el('td', {}, name), el('td', {}, fmt(v(c.before), 1)), el('td', {}, fmt(v(c.after), 1)),
      el('td', { class: ch > 0 ? 'up' : ch < 0 ? 'down' : '' }, ch === null ? fmt(null) : `${ch >= 0 ? '+' : ''}${ch.toFixed(1)}`)));
  }
  table.appendChild(body);
  box.appendChild(table);
  box.appendChild(el('p', {}, t('dyn.stancesAdded', { n: d.stances_added })));
  box.appendChild(el('p', {}, t('dyn.ties', { added: d.ties_added.length, removed: d.ties_removed.length })));
  const section = (title, items) => {
    box.appendChild(el('h4', {}, `${title} (${items.length})`));
    const ul = el('ul');
    for (const x of items) ul.appendChild(el('li', {}, x));
    box.appendChild(ul);
  };
  section(t('dyn.classChanges'), d.class_changes.map((c) => `${c.actor}: ${c.from} → ${c.to}`));
  section(t('dyn.gapsOpened'), d.gaps_opened.map((g) => g.message));
  section(t('dyn.gapsClosed'), d.gaps_closed.map((g) => g.message));
  return box;
}

/**
 * Draws the dynamics of the map into `root`. ctx: { mapPath(suffix), onActor(id) }.
 */
export async function renderDynamics(root, ctx) {
  clear(root);
  delete root.dataset.ready;
  const period = el('select', { id: 'dynamics-period', 'aria-label': t('dyn.period') },
    ...['year', 'quarter', 'month'].map((p) => el('option', { value: p }, t(`dyn.period.${p}`))));
  period.value = root.dataset.period || 'year';
  const status = el('p', { class: 'muted', role: 'status' }, t('dyn.loading'));
  root.append(el('div', { class: 'field inline' }, el('label', { for: 'dynamics-period' }, t('dyn.period')), period), status);
  period.addEventListener('change', () => {
    root.dataset.period = period.value;
    renderDynamics(root, ctx);
  });
  let dyn;
  try {
    dyn = await api(ctx.mapPath('/dynamics'), { query: { period: period.value } });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    status.textContent = e.message;
    return;
  }
  status.textContent = dyn.windows.length
    ? t('dyn.summary', { windows: dyn.windows.length, lineages: dyn.lineages.length, events: dyn.events.length })
    : t('dyn.noWindows');
  if (!dyn.windows.length) return;
  root.append(
    el('h3', {}, t('dyn.streams')),
    alluvial(dyn),
    el('h3', {}, t('dyn.series')),
    series(dyn.windows, (w) => w.strength, 100, t('dyn.strength'), 'dynamics-strength'),
    series(dyn.windows, (w) => w.polarization, 1, t('dyn.polarization'), 'dynamics-polarization'),
  );
  // What changed since: a date picker; the diff up to the last window end.
  const last = dyn.windows[dyn.windows.length - 1].end;
  const since = el('input', { type: 'date', id: 'dynamics-since', value: dyn.windows[Math.max(0, dyn.windows.length - 2)].end, max: last });
  const diffBox = el('div', { id: 'dynamics-diff-box' });
  const showDiff = async () => {
    clear(diffBox);
    if (!since.value) return;
    try {
      const d = await api(ctx.mapPath('/diff'), { query: { from: since.value, to: last } });
      diffBox.appendChild(diffView(d));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      diffBox.appendChild(el('p', { class: 'field-error' }, e.message));
    }
  };
  since.addEventListener('change', showDiff);
  root.append(
    el('h3', {}, t('dyn.since')),
    el('div', { class: 'field inline' }, el('label', { for: 'dynamics-since' }, t('dyn.sinceDate')), since),
    diffBox,
    el('h3', {}, t('dyn.events')),
    eventList(dyn, ctx.onActor),
  );
  await showDiff();
  root.dataset.ready = 'true';
}

// The coalitions (issue 18 items 3 and 4): named by their storyline and renamed in place
// (`#coalitions`), the coalition x narrative matrix beside the graph (`#matrix`), and the
// actor x narrative table of one coalition (`#coalition-table`).

import { el, svg, clear, fmt } from './dom.js';
import { t } from './i18n.js';
import { state, actorName, narrativeLabel, coalitions, coalitionName } from './state.js';

/** A diverging colour for a mean position in -2..2: red (against), grey, blue (for). */
export function positionColour(p) {
  if (typeof p !== 'number' || !Number.isFinite(p)) return '#ffffff';
  const x = Math.max(-1, Math.min(1, p / 2));
  const grey = [236, 238, 240];
  const end = x >= 0 ? [24, 100, 171] : [201, 42, 42];
  const a = Math.abs(x);
  const c = grey.map((g, i) => Math.round(g + (end[i] - g) * a));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

function signed(x, digits = 1) {
  return `${x > 0 ? '+' : ''}${fmt(x, digits)}`;
}

/**
 * The matrix data: the server's `coalition_matrix` when it sends one, else built from the
 * coalitions' storylines (the same mean position and coverage per narrative).
 */
export function matrixData() {
  const m = state.analysis?.coalition_matrix;
  if (m && Array.isArray(m.rows) && Array.isArray(m.narratives) && m.narratives.length) {
    return {
      narratives: m.narratives.map((n) => ({ id: n.id, label: n.label ?? narrativeLabel(n.id), core: Boolean(n.core) })),
      rows: m.rows.map((r) => ({ coalition: r.coalition, cells: new Map((r.cells || []).map((c) => [c.narrative, c])) })),
      uncarried: new Set(m.uncarried || []),
    };
  }
  const narratives = [...state.narrativesById.values()]
    .map((n) => ({ id: n.id, label: n.label ?? n.id, core: Boolean(n.core) }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const rows = coalitions().map((c) => ({
    coalition: c.id,
    cells: new Map((c.storyline || []).map((s) => [s.narrative, s])),
  }));
  const uncarried = new Set(narratives.map((n) => n.id).filter(
    (id) => !rows.some((r) => (r.cells.get(id)?.mean_position ?? 0) > 0),
  ));
  return { narratives, rows, uncarried };
}

/**
 * The coalition x narrative matrix (`#matrix`): a row per narrative (core ones first), a
 * column per coalition; a cell's colour is the mean position, its size the coverage.
 * `colours` maps a coalition id to its colour in the graph; `onOpen(id)` opens a coalition.
 */
export function renderMatrix(box, { colours, onOpen }) {
  clear(box);
  const data = matrixData();
  const cs = coalitions();
  if (!cs.length || !data.narratives.length) {
    box.append(el('p', { class: 'muted', text: t('matrix.none') }));
    return;
  }
  const order = [...data.narratives].sort((a, b) => Number(b.core) - Number(a.core) || a.label.localeCompare(b.label));
  const head = el('tr', {}, el('th', { scope: 'col', class: 'matrix-corner', text: t('matrix.narrative') }),
    cs.map((c, i) => el('th', { scope: 'col', class: 'matrix-coalition', dataset: { coalition: c.id }, title: coalitionName(c, t) },
      el('button', {
        type: 'button', class: 'linklike', 'aria-label': t('matrix.open', { name: coalitionName(c, t) }),
        onclick: () => onOpen(c.id),
      },
      el('span', { class: 'swatch', style: { background: colours.get(c.id) || '#ced4da' } }),
      String(i + 1)))));
  const body = el('tbody');
  const rows = new Map(data.rows.map((r) => [r.coalition, r]));
  for (const n of order) {
    const uncarried = data.uncarried.has(n.id);
    const tr = el('tr', { dataset: { narrative: n.id }, class: `${n.core ? 'core' : ''}${uncarried ? ' uncarried' : ''}` },
      el('th', { scope: 'row', title: n.label },
        n.core ? el('span', { class: 'core-mark', title: t('matrix.core'), text: '★ ' }) : null,
        el('span', { class: 'matrix-label', text: n.label }),
        uncarried ? el('span', { class: 'uncarried-mark', title: t('matrix.uncarried'), text: ' ∅' }) : null));
    for (const c of cs) {
      const cell = rows.get(c.id)?.cells.get(n.id) || null;
      const mean = typeof cell?.mean_position === 'number' && (cell.coverage ?? 0) > 0 ? cell.mean_position : null;
      const coverage = typeof cell?.coverage === 'number' ? cell.coverage : 0;
      const r = mean === null ? 0 : 2 + 7 * Math.sqrt(Math.max(0, Math.min(1, coverage)));
      const title = mean === null
        ? t('matrix.cellNone', { coalition: coalitionName(c, t), narrative: n.label })
        : t('matrix.cell', { coalition: coalitionName(c, t), narrative: n.label, mean: signed(mean), coverage: Math.round(coverage * 100) });
      tr.append(el('td', {
        class: 'matrix-cell', title,
        dataset: { coalition: c.id, narrative: n.id, mean: mean === null ? '' : mean.toFixed(2), coverage: coverage.toFixed(2) },
      }, svg('svg', { width: 20, height: 20, viewBox: '0 0 20 20', 'aria-hidden': 'true' },
        mean === null
          ? svg('line', { x1: 7, y1: 10, x2: 13, y2: 10, class: 'matrix-empty' })
          : svg('circle', { cx: 10, cy: 10, r: r.toFixed(1), fill: positionColour(mean), class: 'matrix-dot' })),
      el('span', { class: 'visually-hidden', text: title })));
    }
    body.append(tr);
  }
  box.append(el('table', { class: 'matrix', id: 'matrix-table' },
    el('caption', { class: 'visually-hidden', text: t('matrix.caption') }),
    el('thead', {}, head), body));
  box.append(el('ol', { class: 'matrix-key' }, cs.map((c) => el('li', { dataset: { coalition: c.id } },
    el('span', { class: 'swatch', style: { background: colours.get(c.id) || '#ced4da' } }),
    el('button', { type: 'button', class: 'linklike', text: coalitionName(c, t), onclick: () => onOpen(c.id) })))));
  box.append(el('p', { class: 'matrix-legend muted' },
    el('span', { class: 'swatch', style: { background: positionColour(-2) } }), ` ${t('matrix.against')} `,
    el('span', { class: 'swatch', style: { background: positionColour(0.01) } }), ` ${t('matrix.mixed')} `,
    el('span', { class: 'swatch', style: { background: positionColour(2) } }), ` ${t('matrix.for')} · ${t('matrix.size')}`));
}

/** The actor x narrative table of one coalition (`#coalition-table`), from the stances. */
export function renderCoalitionTable(box, id, stances, { onSelectActor, onClose }) {
  clear(box);
  const c = coalitions().find((x) => x.id === id);
  if (!c) return;
  const order = matrixData().narratives.sort((a, b) => Number(b.core) - Number(a.core) || a.label.localeCompare(b.label));
  const members = new Set(c.members || []);
  // The latest position per actor and narrative (stances sorted by date, undated first).
  const pos = new Map();
  const sorted = [...stances].filter((s) => members.has(s.actor))
    .sort((a, b) => String(a.date || '').localeCompare(String(b.date || '')));
  for (const s of sorted) pos.set(`${s.actor}\u0000${s.narrative}`, Number(s.position));
  const used = order.filter((n) => [...members].some((a) => pos.has(`${a}\u0000${n.id}`)));
  box.append(el('div', { class: 'table-head' },
    el('h3', { id: 'coalition-table-title', text: t('matrix.tableTitle', { name: coalitionName(c, t), n: members.size }) }),
    el('button', { type: 'button', class: 'secondary small', id: 'coalition-table-close', text: t('matrix.close'), onclick: onClose })));
  const head = el('tr', {}, el('th', { scope: 'col', text: t('field.name') }),
    used.map((n) => el('th', { scope: 'col', class: 'narrative-head', title: n.label, text: n.label })));
  const body = el('tbody');
  const names = [...members].sort((a, b) => actorName(a).localeCompare(actorName(b)));
  for (const a of names) {
    body.append(el('tr', { dataset: { actor: a } },
      el('th', { scope: 'row' }, el('button', { type: 'button', class: 'linklike', text: actorName(a), onclick: () => onSelectActor(a) })),
      used.map((n) => {
        const p = pos.get(`${a}\u0000${n.id}`);
        return p === undefined
          ? el('td', { class: 'pos-cell empty', text: '' })
          : el('td', { class: 'pos-cell', style: { background: positionColour(p), color: Math.abs(p) >= 1.5 ? '#fff' : 'inherit' }, dataset: { narrative: n.id }, text: signed(p, 0) });
      })));
  }
  box.append(el('div', { class: 'table-wrap' }, el('table', { class: 'coalition-table' }, el('thead', {}, head), body)));
}

/**
 * The coalitions (`#coalitions li[data-coalition]`): name (rename in place), size, strength,
 * members and storyline. `onRename(c, name)` stores a name; `onSelectCoalition(c)` highlights.
 */
export function renderCoalitions(list, { onSelectCoalition, onRename, onStartRename, onCancelRename }) {
  clear(list);
  const cs = coalitions();
  if (!cs.length) {
    list.append(el('li', { class: 'muted', text: t('coalitions.none') }));
    return;
  }
  for (const c of cs) {
    const members = c.members || [];
    const storyline = [...(c.storyline || [])].sort(
      (a, b) => Math.abs(b.mean_position) * b.coverage - Math.abs(a.mean_position) * a.coverage,
    );
    let title;
    if (state.renaming === c.id) {
      const input = el('input', {
        type: 'text', class: 'coalition-name-input', value: coalitionName(c, t), maxlength: '200',
        'aria-label': t('coalitions.renameLabel', { id: c.id }),
      });
      const save = () => onRename(c, input.value.trim());
      input.addEventListener('keydown', (ev) => {
        if (ev.key === 'Escape') onCancelRename();
      });
      title = el('form', { class: 'rename-form', onsubmit: (ev) => { ev.preventDefault(); save(); } },
        input,
        el('button', { type: 'submit', class: 'small rename-save', text: t('form.save') }),
        el('button', { type: 'button', class: 'small secondary', text: t('form.cancel'), onclick: onCancelRename }),
        el('span', { class: 'rename-status', role: 'status' }));
      setTimeout(() => input.focus(), 0);
    } else {
      title = el('div', { class: 'coalition-title' },
        el('button', { type: 'button', class: 'linklike coalition-name', onclick: () => onSelectCoalition(c), text: coalitionName(c, t) }),
        c.named_by === 'user' && c.storyline_name ? el('span', { class: 'muted small', text: ` (${c.storyline_name})` }) : null,
        el('button', {
          type: 'button', class: 'secondary small rename needs-edit', text: t('coalitions.rename'),
          'aria-label': t('coalitions.renameLabel', { id: c.id }), onclick: () => onStartRename(c.id),
        }));
    }
    const story = el('ul', { class: 'storyline' });
    for (const s of storyline.slice(0, 4)) {
      const p = Number(s.mean_position);
      story.append(el('li', { dataset: { narrative: s.narrative } },
        el('span', { class: p > 0 ? 'pos plus' : p < 0 ? 'pos minus' : 'pos', text: signed(p) }),
        ' ', narrativeLabel(s.narrative),
        el('span', { class: 'muted', text: ` (${t('coalitions.coverage', { x: Math.round((Number(s.coverage) || 0) * 100) })})` })));
    }
    const names = members.slice(0, 8).map((id) => actorName(id));
    list.append(el('li', { dataset: { coalition: c.id, namedBy: c.named_by || 'storyline' } },
      title,
      el('p', { class: 'muted small' },
        `${c.id} · ${t('coalitions.members', { n: members.length })} · ${t('coalitions.strength', { x: fmt(c.metrics?.strength, 1, t('na')) })}`),
      el('p', { class: 'members', text: names.join(', ') + (members.length > 8 ? ` … (+${members.length - 8})` : '') }),
      story));
  }
}

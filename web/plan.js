// The engagement plan (stakeholder.md): one row per actor with its quadrant, salience,
// alignment, target position, engagement level, owner and engagement gap. Sorted by a click
// on a column head; the target, engagement and owner are edited in place (PATCH the actor).

import { el, clear, fmt } from './dom.js';
import { t, tr } from './i18n.js';
import { canEdit } from './state.js';

const POSITIONS = ['-2', '-1', '0', '1', '2'];
const ENGAGEMENTS = ['inform', 'consult', 'involve', 'collaborate', 'empower'];
const QUADRANT_ORDER = ['manage-closely', 'keep-satisfied', 'keep-informed', 'monitor'];
const SALIENCE_ORDER = ['definitive', 'dominant', 'dangerous', 'dependent', 'dormant', 'discretionary', 'demanding', 'non-stakeholder'];

/** The columns: key, catalogue key of the head, value for sorting. */
const COLUMNS = [
  { key: 'name', label: 'field.name', value: (r) => String(r.actor.name ?? r.actor.id).toLowerCase() },
  { key: 'influence', label: 'field.influence', value: (r) => num(r.actor.influence) },
  { key: 'interest', label: 'field.interest', value: (r) => num(r.actor.interest) },
  { key: 'quadrant', label: 'plan.quadrant', value: (r) => rank(QUADRANT_ORDER, r.stake?.quadrant) },
  { key: 'salience', label: 'plan.salience', value: (r) => rank(SALIENCE_ORDER, r.stake?.salience) },
  { key: 'alignment', label: 'details.alignment', value: (r) => r.alignment },
  { key: 'target_position', label: 'field.target_position', value: (r) => num(r.actor.target_position) },
  { key: 'engagement', label: 'field.engagement', value: (r) => rank(ENGAGEMENTS, r.actor.engagement) },
  { key: 'owner', label: 'field.owner', value: (r) => (r.actor.owner ? String(r.actor.owner).toLowerCase() : null) },
  { key: 'gap', label: 'plan.gap', value: (r) => num(r.stake?.engagement_gap) },
];

function num(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function rank(order, v) {
  const i = order.indexOf(v);
  return i < 0 ? null : i;
}

/** Compares two sort values; empty values (null) always come last. */
function compare(a, b, dir) {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
  return dir === 'asc' ? c : -c;
}

/**
 * Draws the plan into `root`. `sort` is `{key, dir}` (changed by the column heads through
 * `onSort`); `onPatch(id, fields, cell)` saves a change; `onSelect(id)` opens an actor;
 * `onlyTargets` hides actors without a target and engagement level.
 */
export function renderPlan(root, ctx, { sort, onSort, onPatch, onSelect, onlyTargets }) {
  clear(root);
  const analysis = ctx.analysis || {};
  const alignment = analysis.transition?.alignment || {};
  const stake = new Map((analysis.stakeholders || []).map((s) => [s.actor, s]));
  let rows = [...ctx.actorsById.values()].map((actor) => ({
    actor,
    stake: stake.get(actor.id) || null,
    alignment: num(alignment[actor.id]),
  }));
  if (onlyTargets) {
    rows = rows.filter((r) => r.actor.target_position !== null && r.actor.target_position !== undefined || r.actor.engagement || r.actor.owner);
  }
  const column = COLUMNS.find((c) => c.key === sort.key) || COLUMNS[COLUMNS.length - 1];
  rows.sort((a, b) => compare(column.value(a), column.value(b), sort.dir)
    || String(a.actor.name ?? '').localeCompare(String(b.actor.name ?? '')));

  const met = rows.filter((r) => typeof r.stake?.engagement_gap === 'number');
  const metCount = met.filter((r) => r.stake.engagement_gap <= 1e-9).length;
  root.append(el('p', { class: 'plan-summary', id: 'plan-summary' },
    met.length ? t('plan.summary', { met: metCount, total: met.length }) : t('plan.noTargets')));

  const head = el('tr', {}, COLUMNS.map((c) => {
    const active = c.key === column.key;
    return el('th', {
      scope: 'col', class: `col-${c.key}`,
      'aria-sort': active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none',
    }, el('button', {
      type: 'button', class: 'sort', dataset: { sort: c.key },
      onclick: () => onSort({ key: c.key, dir: active && sort.dir === 'asc' ? 'desc' : 'asc' }),
    }, t(c.label), el('span', { class: 'sort-mark', 'aria-hidden': 'true', text: active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '' })));
  }));
  const body = el('tbody');
  for (const r of rows) body.append(planRow(r, { onPatch, onSelect }));
  root.append(el('div', { class: 'table-wrap' },
    el('table', { class: 'plan', id: 'plan-table' },
      el('caption', { class: 'visually-hidden', text: t('plan.caption') }),
      el('thead', {}, head), body)));
  return rows.length;
}

function planRow(r, { onPatch, onSelect }) {
  const a = r.actor;
  const id = String(a.id);
  const status = el('span', { class: 'row-status', role: 'status' });
  const save = (fields) => onPatch(id, fields, status);

  const target = el('select', { 'aria-label': t('plan.targetFor', { name: a.name ?? id }), class: 'plan-target' });
  target.append(el('option', { value: '', text: '—' }));
  for (const p of POSITIONS) target.append(el('option', { value: p, text: `${Number(p) > 0 ? '+' : ''}${p} ${t(`position.${p}`)}` }));
  target.value = a.target_position === null || a.target_position === undefined ? '' : String(a.target_position);
  target.addEventListener('change', () => save({ target_position: target.value === '' ? null : Number(target.value) }));

  const engagement = el('select', { 'aria-label': t('plan.engagementFor', { name: a.name ?? id }), class: 'plan-engagement' });
  engagement.append(el('option', { value: '', text: '—' }));
  for (const e of ENGAGEMENTS) engagement.append(el('option', { value: e, text: tr('engagement', e) }));
  engagement.value = a.engagement || '';
  engagement.addEventListener('change', () => save({ engagement: engagement.value || null }));

  const owner = el('input', {
    type: 'text', class: 'plan-owner', value: a.owner || '', autocomplete: 'off',
    'aria-label': t('plan.ownerFor', { name: a.name ?? id }),
  });
  owner.addEventListener('change', () => save({ owner: owner.value.trim() }));
  owner.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') owner.blur();
  });

  // A viewer sees the plan's values but cannot change them (the server would refuse).
  if (!canEdit()) for (const control of [target, engagement, owner]) control.disabled = true;

  const gap = num(r.stake?.engagement_gap);
  const gapText = gap === null ? '—' : `${gap > 0 ? '+' : ''}${fmt(gap, 2)}`;
  return el('tr', { dataset: { actor: id } },
    el('th', { scope: 'row', class: 'col-name' },
      el('button', { type: 'button', class: 'linklike', text: a.name ?? id, onclick: () => onSelect(id) }),
      el('span', { class: 'domain', text: tr('domain', a.domain ?? '') })),
    el('td', { class: 'num', text: fmt(num(a.influence), 2, t('na')) }),
    el('td', { class: 'num', text: fmt(num(a.interest), 2, t('na')) }),
    el('td', { text: r.stake ? tr('quadrant', r.stake.quadrant) : '—' }),
    el('td', { text: r.stake ? tr('salience', r.stake.salience) : '—', title: r.stake ? tr('salience', `${r.stake.salience}.help`) : null }),
    el('td', { class: 'num', text: fmt(r.alignment, 2, t('na')) }),
    el('td', {}, target),
    el('td', {}, engagement),
    el('td', {}, owner),
    el('td', { class: `num gap${gap === null ? '' : gap <= 1e-9 ? ' met' : ' open'}`, title: gap === null ? t('plan.noTarget') : gap <= 1e-9 ? t('plan.met') : t('plan.open') },
      gapText, status),
  );
}

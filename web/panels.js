// The side panels: coalitions with storylines, gaps, actions, the what-if result, and the
// details of one actor. Everything is built with el() (textContent), never HTML strings.

import { el, clear, fmt, isWebUrl } from './dom.js';
import { t, tr } from './i18n.js';

function actorName(ctx, id) {
  return ctx.actorsById.get(id)?.name ?? ctx.nodesById.get(id)?.name ?? String(id);
}

function narrativeLabel(ctx, id) {
  return ctx.narrativesById.get(id)?.label ?? String(id);
}

/** A subject of a gap: an actor's name, a domain's label, or a narrative's label. */
export function subjectLabel(ctx, subject) {
  if (Array.isArray(subject)) return subject.map((s) => subjectLabel(ctx, s)).join(', ');
  if (ctx.actorsById.has(subject) || ctx.nodesById.has(subject)) return actorName(ctx, subject);
  if (ctx.narrativesById.has(subject)) return narrativeLabel(ctx, subject);
  return tr('domain', subject);
}

/** The actor ids a gap concerns: its actor subjects, the actors of a domain subject. */
export function gapActors(ctx, gap) {
  const ids = new Set();
  for (const s of (gap.subjects || []).flat(2)) {
    if (ctx.nodesById.has(s) || ctx.actorsById.has(s)) ids.add(s);
    else if (ctx.narrativesById.has(s)) {
      for (const a of ctx.narrativeActors?.get(s) || []) ids.add(a);
    } else {
      for (const n of ctx.nodes) if (n.domain === s) ids.add(String(n.id));
    }
  }
  return ids;
}

function severityBadge(severity) {
  const s = Number(severity) || 1;
  return el('span', {
    class: `severity sev-${Math.max(1, Math.min(3, s))}`,
    text: t(`severity.${Math.max(1, Math.min(3, s))}`),
  });
}

/** The coalitions (`#coalitions`), each with its members and its storyline. */
export function renderCoalitions(list, ctx, { onSelectCoalition }) {
  clear(list);
  const coalitions = ctx.analysis?.coalitions || [];
  if (!coalitions.length) {
    list.append(el('li', { class: 'muted', text: t('coalitions.none') }));
    return;
  }
  for (const c of coalitions) {
    const members = c.members || [];
    const storyline = [...(c.storyline || [])].sort(
      (a, b) => Math.abs(b.mean_position) * b.coverage - Math.abs(a.mean_position) * a.coverage,
    );
    const head = el(
      'button',
      { type: 'button', class: 'linklike', onclick: () => onSelectCoalition(c) },
      t('coalition.name', { id: c.id }),
      ' · ',
      t('coalitions.members', { n: members.length }),
      ' · ',
      t('coalitions.strength', { x: fmt(c.metrics?.strength, 1, t('na')) }),
    );
    const story = el('ul', { class: 'storyline' });
    for (const s of storyline.slice(0, 6)) {
      const pos = Number(s.mean_position);
      story.append(
        el(
          'li',
          { dataset: { narrative: s.narrative } },
          el('span', { class: pos > 0 ? 'pos plus' : pos < 0 ? 'pos minus' : 'pos', text: `${pos > 0 ? '+' : ''}${fmt(pos, 1)}` }),
          ' ',
          narrativeLabel(ctx, s.narrative),
          el('span', { class: 'muted', text: ` (${t('coalitions.coverage', { x: Math.round((Number(s.coverage) || 0) * 100) })})` }),
        ),
      );
    }
    const names = members.slice(0, 8).map((id) => actorName(ctx, id));
    list.append(
      el(
        'li',
        { dataset: { coalition: c.id } },
        head,
        el('p', { class: 'members', text: names.join(', ') + (members.length > 8 ? ` … (+${members.length - 8})` : '') }),
        story,
      ),
    );
  }
}

/** The gaps (`#gaps li[data-gap]`); a click highlights the gap's subjects in the graph. */
export function renderGaps(list, ctx, { onSelectGap, activeGap }) {
  clear(list);
  const gaps = ctx.analysis?.gaps || [];
  if (!gaps.length) {
    list.append(el('li', { class: 'muted', text: t('gaps.none') }));
    return;
  }
  for (const g of gaps) {
    const active = activeGap === g.id;
    const li = el(
      'li',
      { dataset: { gap: g.id, type: g.type }, class: active ? 'active' : '' },
      el(
        'button',
        { type: 'button', class: 'gap-button', 'aria-pressed': active ? 'true' : 'false' },
        severityBadge(g.severity),
        el('span', { class: 'gap-type', text: tr('gaptype', g.type) }),
        el('span', { class: 'gap-message', text: g.message || '' }),
      ),
    );
    li.addEventListener('click', () => onSelectGap(g));
    list.append(li);
  }
}

function effortText(effort) {
  const e = Math.max(1, Math.min(3, Number(effort) || 1));
  return `${'●'.repeat(e)}${'○'.repeat(3 - e)} ${t(`effort.${e}`)}`;
}

/** The actions (`#actions li[data-action]`), each with a "simulate" button. */
export function renderActions(list, ctx, { onSimulate, onShowAction }) {
  clear(list);
  const actions = ctx.analysis?.actions || [];
  if (!actions.length) {
    list.append(el('li', { class: 'muted', text: t('actions.none') }));
    return;
  }
  for (const a of actions) {
    const gain = typeof a.expected_gain === 'number' ? a.expected_gain : null;
    const targets = (a.targets || []).map((id) => actorName(ctx, id)).join(', ');
    const facts = el(
      'dl',
      { class: 'facts' },
      el('dt', { text: t('action.targets') }), el('dd', { text: targets || '—' }),
      el('dt', { text: t('action.messenger') }),
      el('dd', { class: 'messenger', text: a.messenger ? actorName(ctx, a.messenger) : '—' }),
      a.narrative ? [el('dt', { text: t('action.narrative') }), el('dd', { text: narrativeLabel(ctx, a.narrative) })] : null,
      el('dt', { text: t('action.gain') }),
      el('dd', { class: 'gain', text: gain === null ? t('na') : `${gain > 0 ? '+' : ''}${fmt(gain, 1)}` }),
      el('dt', { text: t('action.effort') }), el('dd', { class: 'effort', text: effortText(a.effort) }),
    );
    const simulate = el('button', {
      type: 'button', class: 'simulate', text: t('action.simulate'),
      disabled: gain === null, title: gain === null ? t('action.noSimulation') : null,
      onclick: (ev) => {
        ev.stopPropagation();
        onSimulate(a);
      },
    });
    const show = el('button', {
      type: 'button', class: 'show-action secondary', text: t('action.show'),
      onclick: (ev) => {
        ev.stopPropagation();
        onShowAction(a);
      },
    });
    list.append(
      el(
        'li',
        { dataset: { action: a.id, kind: a.kind } },
        el('h3', { class: 'action-kind', text: tr('actionkind', a.kind) }),
        el('p', { class: 'rationale', text: a.rationale || '' }),
        a.lesson ? el('p', { class: 'lesson muted', text: a.lesson }) : null,
        facts,
        el('div', { class: 'buttons' }, simulate, show),
      ),
    );
  }
}

/** The what-if outcome (`#whatif-result`): strength before and after, who changes side. */
export function renderWhatIf(box, ctx, { action, before, result, onReset }) {
  clear(box);
  const after = result?.after?.transition?.metrics?.strength;
  const diff = result?.difference || {};
  const delta = typeof diff.strength === 'number' ? diff.strength
    : typeof after === 'number' && typeof before === 'number' ? after - before : null;
  box.append(
    el('h3', { text: action ? t('whatif.titleAction', { kind: tr('actionkind', action.kind) }) : t('whatif.title') }),
    el(
      'p',
      { class: 'whatif-strength' },
      t('whatif.before'), ' ',
      el('strong', { id: 'whatif-before', text: fmt(before, 1, t('na')) }),
      ' → ', t('whatif.after'), ' ',
      el('strong', { id: 'whatif-after', text: fmt(after, 1, t('na')) }),
      ' (',
      el('span', { id: 'whatif-delta', class: delta > 0 ? 'plus' : delta < 0 ? 'minus' : '', text: delta === null ? t('na') : `${delta > 0 ? '+' : ''}${fmt(delta, 1)}` }),
      ')',
    ),
  );
  for (const key of ['supporters_added', 'supporters_removed', 'opponents_added', 'opponents_removed']) {
    if (Array.isArray(diff[key]) && diff[key].length) {
      box.append(el('p', {}, el('span', { class: 'muted', text: `${t(`whatif.${key}`)}: ` }), diff[key].map((id) => actorName(ctx, id)).join(', ')));
    }
  }
  box.append(el('p', { class: 'muted', text: t('whatif.nothingStored') }));
  box.append(el('button', { type: 'button', id: 'whatif-reset', text: t('whatif.reset'), onclick: onReset }));
}

function positionText(p) {
  const n = Number(p);
  return `${n > 0 ? '+' : ''}${n} ${t(`position.${n}`)}`;
}

/**
 * The details of one actor (`#actor-details`): fields, analysis numbers, stances with dates
 * and sources, ties, and the gaps and actions that concern it.
 */
export function renderDetails(box, ctx, id, { stances, ties, onEditActor, onEditStance, onEditTie, onSelectActor, onSelectGap }) {
  clear(box);
  const actor = ctx.actorsById.get(id) || {};
  const node = ctx.nodesById.get(id) || {};
  const info = ctx.info.get(id) || {};
  const structure = ctx.analysis?.structure || {};
  const name = actor.name ?? node.name ?? id;
  box.dataset.actor = id;
  const influence = actor.influence ?? node.influence;
  const alignment = info.alignment ?? node.alignment;
  const stake = (ctx.analysis?.stakeholders || []).find((x) => x.actor === id) || null;
  const claims = [actor.legitimacy ? t('field.legitimacy') : null, actor.urgency ? t('field.urgency') : null].filter(Boolean);
  const rows = [
    ['field.id', id],
    ['field.domain', tr('domain', actor.domain ?? node.domain ?? '')],
    ['field.kind', actor.kind ? tr('kind', actor.kind) : null],
    ['field.parent', actor.parent ? actorName(ctx, actor.parent) : null],
    ['field.influence', fmt(influence, 2, t('na'))],
    ['field.interest', actor.interest !== undefined ? fmt(actor.interest, 2, t('na')) : null],
    ['details.alignment', fmt(alignment, 2, t('na'))],
    ['details.group', info.group ? tr('group', info.group) : null],
    ['details.coalition', info.coalition ? t('coalition.name', { id: info.coalition }) : t('coalition.none')],
    ['details.betweenness', fmt(structure.betweenness?.[id], 3, t('na'))],
    ['details.constraint', fmt(structure.constraint?.[id], 3, t('na'))],
    ['details.effective_size', fmt(structure.effective_size?.[id], 2, t('na'))],
    ['details.quadrant', stake ? tr('quadrant', stake.quadrant) : null],
    ['details.salience', stake ? `${tr('salience', stake.salience)} (${tr('salience', `${stake.salience}.help`)})` : null],
    ['details.claims', claims.length ? claims.join(', ') : null],
    ['field.aliases', (actor.aliases || []).join('; ') || null],
    ['field.tags', (actor.tags || []).join('; ') || null],
    ['field.notes', actor.notes || null],
  ];
  const dl = el('dl', { class: 'facts' });
  for (const [key, value] of rows) {
    if (value === null || value === undefined || value === '') continue;
    dl.append(el('dt', { text: t(key) }), el('dd', { dataset: { field: key.split('.')[1] }, text: String(value) }));
  }
  if ((structure.articulation_points || []).includes(id)) {
    dl.append(el('dt', { text: t('details.broker') }), el('dd', { text: t('details.brokerYes') }));
  }
  // The engagement plan of the actor (stakeholder.md).
  const gap = typeof stake?.engagement_gap === 'number' ? stake.engagement_gap : null;
  const hasTarget = actor.target_position !== null && actor.target_position !== undefined;
  const plan = el('dl', { class: 'facts', id: 'actor-plan' },
    el('dt', { text: t('field.target_position') }),
    el('dd', { dataset: { field: 'target_position' }, text: hasTarget ? positionText(actor.target_position) : '—' }),
    el('dt', { text: t('field.engagement') }),
    el('dd', { dataset: { field: 'engagement' }, text: actor.engagement ? tr('engagement', actor.engagement) : '—' }),
    el('dt', { text: t('field.owner') }),
    el('dd', { dataset: { field: 'owner' }, text: actor.owner || '—' }),
    el('dt', { text: t('plan.gap') }),
    el('dd', { dataset: { field: 'engagement_gap' }, class: gap === null ? '' : gap <= 1e-9 ? 'plus' : 'minus' },
      gap === null ? t('plan.noTarget') : `${gap > 0 ? '+' : ''}${fmt(gap, 2)} (${gap <= 1e-9 ? t('plan.met') : t('plan.open')})`),
  );
  box.append(
    el('h3', { id: 'details-name', text: name }),
    dl,
    el('h4', { text: t('details.plan') }),
    plan,
    el('button', { type: 'button', id: 'edit-actor', text: t('details.edit'), onclick: () => onEditActor(id) }),
  );

  // Stances, newest first.
  box.append(el('h4', { text: t('details.stances') }));
  const sorted = [...stances].sort((a, b) => String(b.date || '').localeCompare(String(a.date || '')));
  if (!sorted.length) box.append(el('p', { class: 'muted', text: t('details.noStances') }));
  else {
    const table = el('table', { class: 'stances', id: 'actor-stances' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', text: `${t('field.narrative')} (${t('field.source')})` }),
        el('th', { scope: 'col', text: t('field.position') }),
        el('th', { scope: 'col', class: 'date', text: t('field.date') }))));
    const body = el('tbody');
    for (const s of sorted) {
      const source = s.source
        ? isWebUrl(s.source)
          ? el('a', { href: s.source, rel: 'noopener noreferrer', target: '_blank', text: s.source })
          : s.source
        : null;
      body.append(el('tr', { dataset: { stance: s.id } },
        el('td', { title: s.quote || null }, narrativeLabel(ctx, s.narrative), source ? el('span', { class: 'source' }, source) : null),
        el('td', { text: positionText(s.position) }),
        el('td', { class: 'date' }, s.date || t('details.undated'), ' ', el('button', { type: 'button', class: 'secondary small', text: t('details.edit'), 'aria-label': t('details.editStance'), onclick: () => onEditStance(s) }))));
    }
    table.append(body);
    box.append(table);
  }

  // Ties.
  box.append(el('h4', { text: t('details.ties') }));
  if (!ties.length) box.append(el('p', { class: 'muted', text: t('details.noTies') }));
  else {
    const ul = el('ul', { class: 'ties', id: 'actor-ties' });
    for (const tie of ties) {
      const other = tie.source === id ? tie.target : tie.source;
      ul.append(el('li', { dataset: { tie: tie.id ?? '', other } },
        el('span', { class: `tie-kind kind-${String(tie.kind || '').replace(/[^a-z-]/g, '')}`, text: tr('tiekind', tie.kind || '') }),
        ' ',
        el('button', { type: 'button', class: 'linklike', text: actorName(ctx, other), onclick: () => onSelectActor(other) }),
        el('span', { class: 'muted', text: ` (${fmt(Number(tie.weight), 2)}${tie.since ? `, ${t('details.since', { date: tie.since })}` : ''})` }),
        tie.id ? el('button', { type: 'button', class: 'secondary small', text: t('details.edit'), 'aria-label': t('details.editTie'), onclick: () => onEditTie(tie) }) : null));
    }
    box.append(ul);
  }

  // Gaps and actions that concern the actor.
  const gaps = (ctx.analysis?.gaps || []).filter((g) => gapActors(ctx, g).has(id));
  box.append(el('h4', { text: t('details.gaps') }));
  if (!gaps.length) box.append(el('p', { class: 'muted', text: t('gaps.noneForActor') }));
  else {
    box.append(el('ul', { class: 'actor-gaps' }, gaps.map((g) => el('li', { dataset: { gap: g.id } },
      severityBadge(g.severity), ' ',
      el('button', { type: 'button', class: 'linklike', text: g.message || tr('gaptype', g.type), onclick: () => onSelectGap(g) })))));
  }
  const actions = (ctx.analysis?.actions || []).filter((a) => (a.targets || []).includes(id) || a.messenger === id);
  box.append(el('h4', { text: t('details.actions') }));
  if (!actions.length) box.append(el('p', { class: 'muted', text: t('actions.noneForActor') }));
  else {
    box.append(el('ul', { class: 'actor-actions' }, actions.map((a) => el('li', { dataset: { action: a.id } },
      el('strong', { text: tr('actionkind', a.kind) }),
      a.messenger === id ? el('span', { class: 'muted', text: ` (${t('action.asMessenger')})` }) : null,
      ': ', a.rationale || ''))));
  }
}

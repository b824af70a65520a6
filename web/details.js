// The details of one actor (`#actor-details`): fields, analysis numbers, the engagement plan,
// stances with dates and sources, ties, and the gaps and actions that concern it.

import { el, clear, fmt, isWebUrl } from './dom.js';
import { t, tr } from './i18n.js';
import { state, actorName, narrativeLabel, coalitions, coalitionName } from './state.js';
import { gapActors, severityBadge } from './gaps.js';
import { briefLinks } from './brief.js';
import { actorEngagement } from './engagement.js';

function positionText(p) {
  const n = Number(p);
  return `${n > 0 ? '+' : ''}${n} ${t(`position.${n}`)}`;
}

/**
 * The details of one actor (`#actor-details`): fields, analysis numbers, stances with dates
 * and sources, ties, and the gaps and actions that concern it.
 */
export function renderDetails(box, id, { stances, ties, interactions, onEditActor, onEditStance, onEditTie, onSelectActor, onSelectGap }) {
  clear(box);
  const actor = state.actorsById.get(id) || {};
  const node = state.nodesById.get(id) || {};
  const info = state.info.get(id) || {};
  const structure = state.analysis?.structure || {};
  const name = actor.name ?? node.name ?? id;
  box.dataset.actor = id;
  const influence = actor.influence ?? node.influence;
  const alignment = info.alignment ?? node.alignment;
  const stake = (state.analysis?.stakeholders || []).find((x) => x.actor === id) || null;
  const claims = [actor.legitimacy ? t('field.legitimacy') : null, actor.urgency ? t('field.urgency') : null].filter(Boolean);
  const rows = [
    ['field.id', id],
    ['field.domain', tr('domain', actor.domain ?? node.domain ?? '')],
    ['field.kind', actor.kind ? tr('kind', actor.kind) : null],
    ['field.parent', actor.parent ? actorName(actor.parent) : null],
    ['field.influence', fmt(influence, 2, t('na'))],
    ['field.interest', actor.interest !== undefined ? fmt(actor.interest, 2, t('na')) : null],
    ['details.alignment', fmt(alignment, 2, t('na'))],
    ['details.group', info.group ? tr('group', info.group) : null],
    ['details.coalition', info.coalition ? coalitionName(coalitions().find((c) => c.id === info.coalition) || { id: info.coalition }, t) : t('coalition.none')],
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
    el('button', { type: 'button', id: 'edit-actor', class: 'needs-edit', text: t('details.edit'), onclick: () => onEditActor(id) }),
    el('p', { class: 'actor-brief' }, briefLinks(id)),
  );

  // Engagement: relationship, open commitments, "log a contact", the contact history.
  box.append(actorEngagement(id, { interactions, stances }));

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
        el('td', { title: s.quote || null }, narrativeLabel(s.narrative), source ? el('span', { class: 'source' }, source) : null),
        el('td', { text: positionText(s.position) }),
        el('td', { class: 'date' }, s.date || t('details.undated'), ' ', el('button', { type: 'button', class: 'secondary small needs-edit', text: t('details.edit'), 'aria-label': t('details.editStance'), onclick: () => onEditStance(s) }))));
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
        el('button', { type: 'button', class: 'linklike', text: actorName(other), onclick: () => onSelectActor(other) }),
        el('span', { class: 'muted', text: ` (${fmt(Number(tie.weight), 2)}${tie.since ? `, ${t('details.since', { date: tie.since })}` : ''})` }),
        tie.id ? el('button', { type: 'button', class: 'secondary small needs-edit', text: t('details.edit'), 'aria-label': t('details.editTie'), onclick: () => onEditTie(tie) }) : null));
    }
    box.append(ul);
  }

  // Gaps and actions that concern the actor.
  const gaps = (state.analysis?.gaps || []).filter((g) => gapActors(g).has(id));
  box.append(el('h4', { text: t('details.gaps') }));
  if (!gaps.length) box.append(el('p', { class: 'muted', text: t('gaps.noneForActor') }));
  else {
    box.append(el('ul', { class: 'actor-gaps' }, gaps.map((g) => el('li', { dataset: { gap: g.id } },
      severityBadge(g.severity), ' ',
      el('button', { type: 'button', class: 'linklike', text: g.message || tr('gaptype', g.type), onclick: () => onSelectGap(g) })))));
  }
  const actions = (state.analysis?.actions || []).filter((a) => (a.targets || []).includes(id) || a.messenger === id);
  box.append(el('h4', { text: t('details.actions') }));
  if (!actions.length) box.append(el('p', { class: 'muted', text: t('actions.noneForActor') }));
  else {
    box.append(el('ul', { class: 'actor-actions' }, actions.map((a) => el('li', { dataset: { action: a.id } },
      el('strong', { text: tr('actionkind', a.kind) }),
      a.messenger === id ? el('span', { class: 'muted', text: ` (${t('action.asMessenger')})` }) : null,
      ': ', a.rationale || ''))));
  }
}

// The gaps panel (`#gaps`): the gaps grouped by kind, worst group first, each group with its
// count, expanding to its gaps, and linked to the actions that answer it (issue 18 item 2).

import { el, clear, docLink } from './dom.js';
import { t, tr } from './i18n.js';
import { state } from './state.js';

/** The actor ids a gap concerns: its actor subjects, the actors of a domain subject. */
export function gapActors(gap) {
  const ids = new Set();
  for (const s of (gap.subjects || []).flat(2)) {
    if (state.nodesById.has(s) || state.actorsById.has(s)) ids.add(s);
    else if (state.narrativesById.has(s)) {
      for (const a of state.narrativeActors.get(s) || []) ids.add(a);
    } else {
      for (const n of state.nodes) if (n.domain === s) ids.add(String(n.id));
    }
  }
  return ids;
}

export function severityBadge(severity) {
  const s = Math.max(1, Math.min(3, Number(severity) || 1));
  return el('span', { class: `severity sev-${s}`, text: t(`severity.${s}`) });
}

/**
 * The gaps grouped by type: [{type, gaps, worst}], the worst severity first, then the larger
 * group, then the type; inside a group the analysis' order (worst first).
 */
export function gapGroups(gaps) {
  const byType = new Map();
  for (const g of gaps || []) {
    if (!byType.has(g.type)) byType.set(g.type, []);
    byType.get(g.type).push(g);
  }
  const groups = [...byType].map(([type, list]) => ({
    type,
    gaps: [...list].sort((a, b) => (Number(b.severity) || 0) - (Number(a.severity) || 0)),
    worst: Math.max(...list.map((g) => Number(g.severity) || 1)),
  }));
  groups.sort((a, b) => b.worst - a.worst || b.gaps.length - a.gaps.length || a.type.localeCompare(b.type));
  return groups;
}

/** The headline over the groups: "The coalition hangs on 4 brokers and 7 single ties". */
function headline(groups) {
  const parts = [];
  for (const [type, key] of [['broker-dependency', 'gaps.brokers'], ['bridge', 'gaps.bridges']]) {
    const g = groups.find((x) => x.type === type);
    if (g) parts.push(t(key, { n: g.gaps.length }));
  }
  const total = groups.reduce((n, g) => n + g.gaps.length, 0);
  const summary = t('gaps.summary', { n: total, kinds: groups.length });
  if (!parts.length) return summary;
  return `${t('gaps.hangsOn', { what: parts.join(` ${t('and')} `) })} ${summary}`;
}

/**
 * Draws the groups. `onSelectGap(gap)` highlights a gap's subjects, `onShowAction(id)` goes to
 * an action that answers the group, `onToggleGroup(type)` opens or closes a group.
 */
export function renderGaps(list, { onSelectGap, onShowAction, onToggleGroup }) {
  clear(list);
  const gaps = state.analysis?.gaps || [];
  const head = document.getElementById('gaps-headline');
  if (!gaps.length) {
    if (head) head.textContent = '';
    list.append(el('li', { class: 'muted', text: t('gaps.none') }));
    return;
  }
  const groups = gapGroups(gaps);
  if (head) head.textContent = headline(groups);
  const actions = state.analysis?.actions || [];
  for (const group of groups) {
    const open = state.openGapGroups.has(group.type);
    const ids = new Set(group.gaps.map((g) => g.id));
    const answering = actions.filter((a) => (a.gaps || []).some((g) => ids.has(g)));
    const items = el('ul', { class: 'gap-list', hidden: !open });
    for (const g of group.gaps) {
      const active = state.activeGap === g.id;
      const li = el(
        'li',
        { dataset: { gap: g.id, type: g.type }, class: active ? 'active' : '' },
        el(
          'button',
          { type: 'button', class: 'gap-button', 'aria-pressed': active ? 'true' : 'false' },
          severityBadge(g.severity),
          el('span', { class: 'gap-message', text: g.message || '' }),
        ),
      );
      li.addEventListener('click', () => onSelectGap(g));
      items.append(li);
    }
    const links = answering.length
      ? el('p', { class: 'gap-answers' },
        el('span', { class: 'muted', text: `${t('gaps.answeredBy')} ` }),
        answering.slice(0, 6).flatMap((a, i) => [
          i ? ', ' : '',
          el('button', {
            type: 'button', class: 'linklike gap-action-link', dataset: { action: a.id },
            text: `${tr('actionkind', a.kind)} (${a.id})`,
            onclick: () => onShowAction(a.id),
          }),
        ]),
        answering.length > 6 ? ` ${t('gaps.more', { n: answering.length - 6 })}` : '',
        ' ', docLink(`gap-${group.type}`))
      : el('p', { class: 'gap-answers muted' }, t('gaps.noAction'), ' ', docLink(`gap-${group.type}`));
    const toggle = el(
      'button',
      {
        type: 'button', class: 'gap-group-toggle', 'aria-expanded': open ? 'true' : 'false',
        onclick: () => onToggleGroup(group.type),
      },
      el('span', { class: 'chevron', 'aria-hidden': 'true', text: open ? '▾' : '▸' }),
      severityBadge(group.worst),
      el('span', { class: 'gap-count', text: String(group.gaps.length) }),
      el('span', { class: 'gap-type', text: tr('gaptype', group.type) }),
    );
    list.append(el('li', { class: 'gap-group', dataset: { gapType: group.type, count: group.gaps.length } }, toggle, links, items));
  }
}

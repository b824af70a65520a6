// What to do (issue 18 items 2 and 5; issue 17 item 6): the best plan within the budget, the
// other actions, the check boxes for a joint simulation, and every simulation (one action
// through POST whatif, a set of actions through POST plan/simulate) with its effect drawn on
// the graph and on the strength. This module owns the actions and the what-if.

import { el, clear, fmt, $, docLink } from './dom.js';
import { t, tr } from './i18n.js';
import { api, ApiError } from './api.js';
import { state, mapPath, actorName, narrativeLabel, actorInfo, canEdit } from './state.js';
import { adoptControl } from './engagement.js';

/** How many actions outside the plan show before "show all". */
const TOP_OTHERS = 3;
/** The plan's default budget (analysis.md 11) when the analysis does not say. */
const DEFAULT_BUDGET = 6;

let hooks = {
  graph: () => null, // the GraphView
  message: () => {},
  recolour: () => {}, // redraws node colours and the legend from state.info
  onSelectActor: () => {},
};

/** Called once by app.js. */
export function installActions(h) {
  hooks = { ...hooks, ...h };
  const input = $('budget');
  input.addEventListener('change', () => setBudget(Number(input.value)));
  $('budget-down').addEventListener('click', () => setBudget(Number(input.value) - 1));
  $('budget-up').addEventListener('click', () => setBudget(Number(input.value) + 1));
}

function signed(x, digits = 1) {
  return typeof x === 'number' && Number.isFinite(x) ? `${x > 0 ? '+' : ''}${fmt(x, digits)}` : t('na');
}

function actionById(id) {
  return (state.analysis?.actions || []).find((a) => a.id === id) || null;
}

/** The plan shown: the one fetched for the chosen budget, else the analysis' own. */
export function currentPlan() {
  return state.bestPlan || state.analysis?.best_plan || null;
}

function effortText(effort) {
  const e = Math.max(1, Math.min(3, Number(effort) || 1));
  return `${'●'.repeat(e)}${'○'.repeat(3 - e)} ${t(`effort.${e}`)}`;
}

function targetsText(a) {
  return (a?.targets || []).map((id) => actorName(id)).join(', ') || (a?.narrative ? narrativeLabel(a.narrative) : '—');
}

/** The lesson of an action kind, shown once per kind (the first card of that kind). */
function lessonOnce(a, shown) {
  if (!a?.lesson || shown.has(a.kind)) return null;
  shown.add(a.kind);
  return el('details', { class: 'lesson', dataset: { kind: a.kind } },
    el('summary', { text: t('action.lessonFor', { kind: tr('actionkind', a.kind) }) }),
    el('p', { class: 'muted', text: a.lesson }));
}

function pickBox(a) {
  return el('input', {
    type: 'checkbox', class: 'pick', checked: state.picked.has(a.id), dataset: { action: a.id },
    'aria-label': t('action.pick', { kind: tr('actionkind', a.kind), id: a.id }),
    onchange: (ev) => {
      if (ev.target.checked) state.picked.add(a.id);
      else state.picked.delete(a.id);
      for (const box of document.querySelectorAll(`input.pick[data-action="${CSS.escape(a.id)}"]`)) box.checked = ev.target.checked;
      updatePickedButton();
    },
  });
}

function updatePickedButton() {
  const b = $('simulate-picked');
  if (!b) return;
  b.textContent = t('plan.simulatePicked', { n: state.picked.size });
  b.disabled = state.picked.size === 0;
}

/**
 * Draws "what to do" (`#decision`): the budget control, the plan's steps with target,
 * messenger, marginal gain and effort, its gain beside the sum of single gains, and
 * "simulate"; then the top actions outside the plan (`#actions`).
 */
export function renderDecision() {
  const box = $('decision');
  clear(box);
  const plan = currentPlan();
  const actions = state.analysis?.actions || [];
  const budget = state.budget ?? plan?.budget ?? DEFAULT_BUDGET;
  const lessons = new Set();
  const input = $('budget');
  if (document.activeElement !== input) input.value = String(budget);
  if (!plan) {
    box.append(el('p', { class: 'muted', id: 'plan-none', text: actions.length ? t('plan.unavailable') : t('actions.none') }));
  } else if (!(plan.steps || []).length) {
    box.append(el('p', { class: 'muted', id: 'plan-none', text: t('plan.empty', { budget }) }));
  } else {
    const steps = el('ol', { id: 'plan-steps', class: 'plan-steps', dataset: { budget: String(plan.budget ?? budget) } });
    for (const s of plan.steps) {
      const a = actionById(s.action) || { id: s.action, kind: '' };
      const effort = s.effort ?? a.effort;
      steps.append(el('li', { class: 'plan-step', dataset: { action: s.action, kind: a.kind } },
        el('div', { class: 'step-head' },
          pickBox(a),
          el('strong', { class: 'action-kind', text: tr('actionkind', a.kind) }),
          docLink(`action-${a.kind}`),
          el('span', { class: 'step-gain gain', title: t('plan.marginalHelp'), text: signed(s.marginal_gain) }),
          el('span', { class: 'effort', title: t('action.effort'), text: effortText(effort) })),
        el('p', { class: 'step-who' },
          el('span', { class: 'muted', text: `${t('action.targets')}: ` }), el('span', { class: 'targets', text: targetsText(a) }),
          a.messenger ? [el('span', { class: 'muted', text: ` · ${t('action.messenger')}: ` }), el('span', { class: 'messenger', text: actorName(a.messenger) })] : null),
        adoptControl(s.action),
        lessonOnce(a, lessons)));
    }
    box.append(steps);
    const effort = plan.effort ?? plan.steps.reduce((n, s) => n + (Number(s.effort ?? actionById(s.action)?.effort) || 0), 0);
    const overlap = (plan.sum_of_single_gains ?? 0) - (plan.plan_gain ?? 0);
    box.append(el('p', { class: 'plan-total', id: 'plan-total' },
      t('plan.total', { gain: signed(plan.plan_gain), effort, budget: plan.budget ?? budget }), ' ',
      el('span', { class: 'muted', text: overlap >= 0.05
        ? t('plan.overlap', { sum: signed(plan.sum_of_single_gains), overlap: fmt(overlap, 1) })
        : overlap <= -0.05
          ? t('plan.synergy', { sum: signed(plan.sum_of_single_gains), extra: fmt(-overlap, 1) })
          : t('plan.noOverlap', { sum: signed(plan.sum_of_single_gains) }) })));
  }
  box.append(el('div', { class: 'buttons' },
    el('button', {
      type: 'button', id: 'simulate-plan', text: t('plan.simulate'), disabled: !(plan?.steps || []).length,
      onclick: () => simulatePlan(plan.steps.map((s) => s.action), 'plan'),
    }),
    el('button', {
      type: 'button', id: 'simulate-picked', class: 'secondary', disabled: state.picked.size === 0,
      text: t('plan.simulatePicked', { n: state.picked.size }),
      onclick: () => simulatePlan([...state.picked].sort(byActionId), 'picked'),
    })));
  renderOtherActions(plan, lessons);
}

function byActionId(a, b) {
  const n = (x) => Number(String(x).replace(/^\D+/, ''));
  return n(a) - n(b) || String(a).localeCompare(String(b));
}

/** The actions outside the plan (`#actions li[data-action]`), the top ones first. */
function renderOtherActions(plan, lessons) {
  const list = $('actions');
  clear(list);
  const inPlan = new Set((plan?.steps || []).map((s) => s.action));
  const others = (state.analysis?.actions || []).filter((a) => !inPlan.has(a.id));
  $('actions-title').textContent = inPlan.size ? t('actions.others') : t('actions.title');
  if (!others.length) list.append(el('li', { class: 'muted', text: t('actions.none') }));
  const shown = state.showAllActions ? others : others.slice(0, TOP_OTHERS);
  for (const a of shown) list.append(actionCard(a, lessons));
  const more = $('actions-more');
  more.hidden = others.length <= TOP_OTHERS;
  more.textContent = state.showAllActions ? t('actions.fewer') : t('actions.all', { n: others.length });
  more.setAttribute('aria-expanded', state.showAllActions ? 'true' : 'false');
}

function actionCard(a, lessons) {
  const gain = typeof a.expected_gain === 'number' ? a.expected_gain : null;
  const facts = el('dl', { class: 'facts' },
    el('dt', { text: t('action.targets') }), el('dd', { class: 'targets', text: targetsText(a) }),
    el('dt', { text: t('action.messenger') }),
    el('dd', { class: 'messenger', text: a.messenger ? actorName(a.messenger) : '—' }),
    a.narrative ? [el('dt', { text: t('action.narrative') }), el('dd', { text: narrativeLabel(a.narrative) })] : null,
    el('dt', { text: t('action.gain') }), el('dd', { class: 'gain', text: gain === null ? t('na') : signed(gain) }),
    el('dt', { text: t('action.effort') }), el('dd', { class: 'effort', text: effortText(a.effort) }));
  return el('li', { dataset: { action: a.id, kind: a.kind } },
    el('div', { class: 'step-head' }, pickBox(a), el('h3', { class: 'action-kind', text: tr('actionkind', a.kind) }), docLink(`action-${a.kind}`)),
    el('p', { class: 'rationale', text: a.rationale || '' }),
    lessonOnce(a, lessons),
    facts,
    el('div', { class: 'buttons' },
      el('button', {
        type: 'button', class: 'simulate', text: t('action.simulate'),
        disabled: gain === null, title: gain === null ? t('action.noSimulation') : null,
        onclick: () => simulateAction(a),
      }),
      el('button', { type: 'button', class: 'show-action secondary', text: t('action.show'), onclick: () => showAction(a) })),
    adoptControl(a.id));
}

/** "Show all actions" / "show fewer". */
export function toggleAllActions() {
  state.showAllActions = !state.showAllActions;
  renderDecision();
}

/** Goes to an action's card (a plan step or a card below), opening the list when needed. */
export function goToAction(id) {
  const inPlan = (currentPlan()?.steps || []).some((s) => s.action === id);
  if (!inPlan && !state.showAllActions) {
    const others = (state.analysis?.actions || []).filter((a) => !(currentPlan()?.steps || []).some((s) => s.action === a.id));
    if (others.findIndex((a) => a.id === id) >= TOP_OTHERS) {
      state.showAllActions = true;
      renderDecision();
    }
  }
  const li = document.querySelector(`#plan-steps li[data-action="${CSS.escape(id)}"], #actions li[data-action="${CSS.escape(id)}"]`);
  if (!li) return;
  for (const x of document.querySelectorAll('li.flash')) x.classList.remove('flash');
  li.classList.add('flash');
  li.scrollIntoView({ block: 'center' });
  li.querySelector('input.pick')?.focus({ preventScroll: true });
  const a = actionById(id);
  if (a) showAction(a);
}

/** Highlights an action's targets and messenger in the graph. */
export function showAction(a) {
  const ids = new Set([...(a.targets || []), ...(a.messenger ? [a.messenger] : [])]);
  hooks.graph()?.highlight(ids);
  $('graph').dataset.highlighted = [...ids].join(' ');
}

// ---- the budget ----------------------------------------------------------------------------

/** Sets the plan's budget and fetches the best plan for it (GET plan/best?budget=N). */
export async function setBudget(n) {
  const budget = Math.max(0, Math.min(60, Math.round(Number(n) || 0)));
  state.budget = budget;
  $('budget').value = String(budget);
  await refreshPlan();
}

/** Fetches the plan of `state.budget` (after a budget change or a reload); null: the default. */
export async function refreshPlan() {
  const budget = state.budget;
  if (budget === null || budget === (state.analysis?.best_plan?.budget ?? null)) {
    state.bestPlan = null;
    renderDecision();
    return;
  }
  const to = state.timeIndex !== null ? state.timeline[state.timeIndex]?.end : null;
  try {
    const plan = await api(mapPath('/plan/best'), { query: { budget, to } });
    if (state.budget !== budget) return; // a later change won
    state.bestPlan = plan || null;
    renderDecision();
    $('decision').dataset.budget = String(budget);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    hooks.message(t('plan.failed', { message: e.message }));
  }
}

// ---- simulations -------------------------------------------------------------------------------

function strengthNow() {
  // The strength of the shown analysis (current, or as of the time slider).
  return state.analysis?.transition?.metrics?.strength ?? null;
}

/**
 * One action through POST whatif: the analysis after it, the difference. `whatif` needs role
 * editor; a viewer's simulation goes through plan/simulate (a viewer's route) as a plan of one.
 */
export async function simulateAction(action) {
  if (!canEdit()) return simulatePlan([action.id], 'action');
  const before = strengthNow();
  try {
    const result = await api(mapPath('/whatif'), { method: 'POST', json: { action: action.id } });
    const diff = result?.difference || {};
    const moved = new Set(['supporters_added', 'supporters_removed', 'opponents_added', 'opponents_removed']
      .flatMap((k) => (Array.isArray(diff[k]) ? diff[k] : [])));
    const after = result?.after?.transition?.metrics?.strength;
    showSimulation({
      kind: 'action', ids: [action.id], before, after,
      delta: typeof diff.strength === 'number' ? diff.strength : typeof after === 'number' && typeof before === 'number' ? after - before : null,
      changes: action.changes || [],
      moved: [...moved],
      movedDetail: ['supporters_added', 'supporters_removed', 'opponents_added', 'opponents_removed']
        .filter((k) => Array.isArray(diff[k]) && diff[k].length).map((k) => [t(`whatif.${k}`), diff[k]]),
      extra: [...(action.targets || []), ...(action.messenger ? [action.messenger] : [])],
      info: result?.after ? actorInfo(result.after) : null,
    });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    hooks.message(t('whatif.failed', { message: e.message }));
  }
}

/** A set of actions through POST plan/simulate: the plan's gain, its steps and effects. */
export async function simulatePlan(ids, kind) {
  if (!ids.length) return;
  try {
    const to = state.timeIndex !== null ? state.timeline[state.timeIndex]?.end : null;
    const result = await api(mapPath('/plan/simulate'), { method: 'POST', query: { to }, json: { actions: ids } });
    const actions = ids.map(actionById).filter(Boolean);
    const effects = result?.effects || {};
    const movedList = Array.isArray(effects.actors_moved) ? effects.actors_moved : [];
    const changes = actions.flatMap((a) => a.changes || []);
    for (const [s, tg] of effects.ties_added || []) {
      if (!changes.some((c) => c.op === 'add_tie' && ((c.source === s && c.target === tg) || (c.source === tg && c.target === s)))) {
        changes.push({ op: 'add_tie', source: s, target: tg });
      }
    }
    const before = result?.strength_before ?? strengthNow();
    const after = result?.strength_after ?? null;
    showSimulation({
      kind, ids, before, after,
      delta: typeof result?.plan_gain === 'number' ? result.plan_gain : null,
      sum: result?.sum_of_single_gains,
      steps: result?.steps || [],
      changes,
      moved: movedList.map((m) => (typeof m === 'string' ? m : m.actor)),
      movedDetail: movedList.length
        ? [[t('plan.moved'), movedList.map((m) => (typeof m === 'string' ? actorName(m) : `${actorName(m.actor)} (${tr('group', m.from)} → ${tr('group', m.to)})`))]]
        : [],
      movedNamed: true,
      extra: [],
      info: null,
    });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    hooks.message(t('plan.failed', { message: e.message }));
  }
}

/**
 * Shows a simulation: the strength before and after (`#whatif-result`), the actors that
 * would move and the ties that would be added, highlighted in the graph (`#graph` gets
 * `data-whatif` and `data-moved`).
 */
function showSimulation(sim) {
  state.simulation = sim;
  const box = $('whatif-result');
  clear(box);
  const title = sim.kind === 'action'
    ? t('whatif.titleAction', { kind: tr('actionkind', actionById(sim.ids[0])?.kind) })
    : t(sim.kind === 'plan' ? 'plan.simTitle' : 'plan.simTitlePicked', { n: sim.ids.length });
  box.append(
    el('h3', { text: title }),
    el('p', { class: 'whatif-strength' },
      t('whatif.before'), ' ', el('strong', { id: 'whatif-before', text: fmt(sim.before, 1, t('na')) }),
      ' → ', t('whatif.after'), ' ', el('strong', { id: 'whatif-after', text: fmt(sim.after, 1, t('na')) }),
      ' (', el('span', { id: 'whatif-delta', class: sim.delta > 0 ? 'plus' : sim.delta < 0 ? 'minus' : '', text: signed(sim.delta) }), ')'),
  );
  if (typeof sim.sum === 'number') box.append(el('p', { class: 'muted', id: 'whatif-sum', text: t('plan.sumSingles', { sum: signed(sim.sum) }) }));
  if (sim.steps?.length) {
    box.append(el('ol', { class: 'sim-steps' }, sim.steps.map((s) => el('li', { dataset: { action: s.action } },
      `${tr('actionkind', actionById(s.action)?.kind)} (${s.action}): ${signed(s.marginal_gain)} → ${fmt(s.strength_after, 1, t('na'))}`))));
  }
  for (const [label, list] of sim.movedDetail) {
    box.append(el('p', { class: 'moved' }, el('span', { class: 'muted', text: `${label}: ` }),
      list.map((x) => (sim.movedNamed ? x : actorName(x))).join(', ')));
  }
  if (!sim.moved.length) box.append(el('p', { class: 'muted', text: t('plan.noneMoved') }));
  const ties = sim.changes.filter((c) => c.op === 'add_tie');
  if (ties.length) {
    box.append(el('p', { class: 'added-ties' }, el('span', { class: 'muted', text: `${t('plan.tiesAdded')}: ` }),
      ties.map((c) => `${actorName(c.source)} – ${actorName(c.target)}`).join('; ')));
  }
  box.append(el('p', { class: 'muted', text: t('whatif.nothingStored') }));
  box.append(el('button', { type: 'button', id: 'whatif-reset', text: t('whatif.reset'), onclick: () => endSimulation() }));
  $('whatif-panel').hidden = false;

  const graph = hooks.graph();
  if (sim.info) {
    state.info = sim.info;
    hooks.recolour();
  }
  graph?.clearChanges();
  graph?.showChanges(sim.changes);
  graph?.markMoved(new Set(sim.moved));
  const ends = sim.changes.flatMap((c) => (c.op === 'add_tie' ? [c.source, c.target] : c.actor ? [c.actor] : []));
  const lit = new Set([...sim.moved, ...ends, ...sim.extra].map(String));
  graph?.highlight(lit);
  const g = $('graph');
  g.dataset.whatif = sim.ids.join(' ');
  g.dataset.moved = sim.moved.join(' ');
  g.dataset.highlighted = [...lit].join(' ');
  $('whatif-panel').scrollIntoView({ block: 'nearest' });
}

/** Ends a simulation: the overlay goes, the colours of the current analysis come back. */
export function endSimulation() {
  const had = state.simulation;
  state.simulation = null;
  $('whatif-panel').hidden = true;
  clear($('whatif-result'));
  const g = $('graph');
  delete g.dataset.whatif;
  delete g.dataset.moved;
  g.dataset.highlighted = '';
  const graph = hooks.graph();
  if (graph) {
    graph.clearChanges();
    graph.markMoved(null);
    graph.highlight(null);
  }
  if (had?.info) {
    state.info = actorInfo(state.analysis);
    hooks.recolour();
  }
}

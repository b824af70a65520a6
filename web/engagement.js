// The engagement loop (engagement.md; issue 19): adopting an action into the plan (an inline
// form on every action and plan step), the plan as a board (planned, in progress, done,
// dropped) with the simulated gain beside the measured change of done items, the actor's
// relationship, contact history, open commitments and a quick "log a contact" form, and the
// "my contacts" view (due and overdue contacts and commitments first, filtered by owner).
// Data: state.planItems and state.commitments (loaded with the map), the analysis'
// "relationships" and "plan", and the interactions (per actor, or all for "my contacts").

import { el, clear, fmt, docLink } from './dom.js';
import { t, tr } from './i18n.js';
import { api, listAll, ApiError } from './api.js';
import { state, mapPath, actorName, narrativeLabel } from './state.js';

export const PLAN_STATUSES = ['planned', 'in-progress', 'done', 'dropped'];
const INTERACTION_KINDS = ['meeting', 'call', 'email', 'letter', 'event', 'consultation', 'other'];
const OPEN_COMMITMENT = new Set(['open', 'in-progress']);
/** Relationship statuses, most urgent first. */
const STATUS_ORDER = ['overdue', 'never', 'due', 'ok', 'none'];

let hooks = {
  refresh: async () => {}, // reloads the engagement lists and the analysis, redraws
  onSelectActor: () => {},
};

/** Called once by app.js. */
export function installEngagement(h) {
  hooks = { ...hooks, ...h };
}

/** Loads the plan items and commitments of the current map into the state. */
export async function loadEngagement() {
  const [plan, commitments] = await Promise.all([
    listAll(mapPath('/plan')).catch(() => []),
    listAll(mapPath('/commitments')).catch(() => []),
  ]);
  state.planItems = plan;
  state.commitments = commitments;
}

/**
 * "Today" as the analysis judges it: the analysis' `as_of` (a map may fix it, as the demo
 * does), else the browser's date. Overdue badges and the contact form's date use it.
 */
export function today() {
  const asOf = state.analysis?.settings?.as_of;
  if (typeof asOf === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(asOf)) return asOf;
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function signed(x, digits = 1) {
  return typeof x === 'number' && Number.isFinite(x) ? `${x > 0 ? '+' : ''}${fmt(x, digits)}` : null;
}

function errorText(e) {
  return e.field ? `${t(`field.${e.field}`)}: ${e.message}` : e.message;
}

function badge(kind, text) {
  return el('span', { class: `badge-status st-${kind}`, text });
}

function overdueBadge() {
  return el('span', { class: 'badge-overdue', text: t('board.overdue') });
}

function relationshipOf(id) {
  return (state.analysis?.relationships || []).find((r) => r.actor === id) || null;
}

// ---- adopting an action ---------------------------------------------------------------

/**
 * The "adopt" button of an action and its inline form (owner, due date), placed in a plan
 * step or an action card. POSTs plan/adopt, then refreshes.
 */
export function adoptControl(actionId) {
  const box = el('div', { class: 'adopt needs-edit', dataset: { action: actionId } });
  const status = el('span', { class: 'form-status', role: 'status' });
  const owner = el('input', {
    type: 'text', name: 'owner', class: 'adopt-owner', autocomplete: 'off', list: 'team-names',
    'aria-label': t('adopt.owner'), placeholder: t('adopt.owner'),
  });
  const due = el('input', { type: 'date', name: 'due', class: 'adopt-due', 'aria-label': t('adopt.due') });
  const form = el('form', { class: 'adopt-form', hidden: true },
    el('label', {}, el('span', { class: 'muted', text: t('adopt.owner') }), owner),
    el('label', {}, el('span', { class: 'muted', text: t('adopt.due') }), due),
    el('button', { type: 'submit', class: 'small adopt-submit', text: t('adopt.submit') }),
    el('button', {
      type: 'button', class: 'secondary small', text: t('form.cancel'),
      onclick: () => { form.hidden = true; open.hidden = false; },
    }));
  const open = el('button', {
    type: 'button', class: 'secondary small adopt-open', text: t('adopt.button'),
    title: t('adopt.help'),
    onclick: () => {
      form.hidden = false;
      open.hidden = true;
      owner.focus();
    },
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = t('plan.saving');
    status.className = 'form-status';
    const to = state.timeIndex !== null ? state.timeline[state.timeIndex]?.end : null;
    try {
      const item = await api(mapPath('/plan/adopt'), {
        method: 'POST',
        query: { to },
        json: { action: actionId, owner: owner.value.trim() || null, due: due.value || null },
      });
      form.hidden = true;
      open.hidden = false;
      await hooks.refresh();
      // The panels were redrawn: say it on the new control.
      const again = document.querySelector(`.adopt[data-action="${CSS.escape(actionId)}"] .form-status`);
      if (again) {
        again.textContent = t('adopt.done', { id: item?.id ?? '' });
        again.className = 'form-status ok';
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      status.textContent = errorText(e);
      status.className = 'form-status error';
    }
  });
  box.append(open, form, status);
  return box;
}

/** A `<datalist id="team-names">` of every name on the team (owners, team members). */
export function teamNames() {
  const names = new Set();
  for (const a of state.actors || []) if (a.owner) names.add(a.owner);
  for (const p of state.planItems || []) if (p.owner) names.add(p.owner);
  for (const c of state.commitments || []) if (c.owner) names.add(c.owner);
  for (const i of state.allInteractions || []) for (const m of i.team || []) names.add(m);
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** Keeps the page's one `#team-names` datalist current. */
export function refreshTeamList() {
  let list = document.getElementById('team-names');
  if (!list) {
    list = el('datalist', { id: 'team-names' });
    document.body.append(list);
  }
  clear(list);
  for (const n of teamNames()) list.append(el('option', { value: n }));
}

// ---- the board -----------------------------------------------------------------------------

async function setPlanStatus(item, status, statusEl) {
  statusEl.textContent = t('plan.saving');
  try {
    await api(mapPath(`/plan/${encodeURIComponent(item.id)}`), { method: 'PATCH', json: { status } });
    await hooks.refresh();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    statusEl.textContent = errorText(e);
    statusEl.className = 'form-status error';
  }
}

/** The effect line of a done item: simulated gain beside the measured change. */
function effectBlock(item) {
  const effect = (state.analysis?.plan || []).find((p) => p.id === item.id) || null;
  const simulated = signed(item.simulated_gain);
  const measured = signed(effect?.measured_gain);
  const dl = el('dl', { class: 'effect' },
    el('dt', { text: t('board.simulated') }),
    el('dd', { class: 'simulated-gain', text: simulated ?? t('board.notSimulated') }),
    el('dt', { text: t('board.measured') }),
    el('dd', { class: `measured-gain${measured ? '' : ' muted'}`, text: measured ?? t('board.notMeasurable') }));
  const lines = [dl, el('p', { class: 'small' }, docLink('measured-effect'))];
  if (measured) {
    lines.push(el('p', { class: 'effect-detail muted small', text: t('board.strengthChange', {
      before: fmt(effect.strength_before, 1), after: fmt(effect.strength_after, 1),
    }) }));
  }
  lines.push(el('p', { class: 'effect-caveat', text: t('board.caveat') }));
  return el('div', { class: 'effect-box' }, lines);
}

function card(item, now) {
  const status = el('span', { class: 'form-status', role: 'status' });
  const closed = item.status === 'done' || item.status === 'dropped';
  const late = !closed && item.due && item.due < now;
  const targets = (item.targets || []).map(actorName).join(', ');
  const moves = PLAN_STATUSES.filter((s) => s !== item.status).map((s) => el('button', {
    type: 'button', class: `secondary small move move-${s} needs-edit`, dataset: { status: s },
    text: t(`board.to.${s}`),
    onclick: () => setPlanStatus(item, s, status),
  }));
  return el('li', { class: `board-card${late ? ' late' : ''}`, dataset: { item: item.id, status: item.status } },
    el('div', { class: 'card-head' },
      el('span', { class: 'card-kind muted', text: tr('actionkind', item.kind || 'custom') }),
      late ? overdueBadge() : null),
    el('h4', { class: 'card-title', text: item.title || item.id }),
    targets ? el('div', { class: 'card-targets' }, el('span', { class: 'muted', text: `${t('action.targets')}:` }),
      el('ul', {}, (item.targets || []).map((id) => el('li', {},
        el('button', { type: 'button', class: 'linklike', text: actorName(id), onclick: () => hooks.onSelectActor(id) }))))) : null,
    el('p', { class: 'card-meta' },
      el('span', { class: 'card-owner' }, el('span', { class: 'muted', text: `${t('board.owner')}: ` }), item.owner || '—'),
      ' · ',
      el('span', { class: `card-due${late ? ' late-text' : ''}` }, el('span', { class: 'muted', text: `${t('board.due')}: ` }), item.due || '—')),
    item.status === 'done' ? effectBlock(item) : null,
    (item.interactions || []).length ? el('p', { class: 'card-contacts muted small', text: t('board.contacts', { n: item.interactions.length }) }) : null,
    item.status !== 'done' && typeof item.simulated_gain === 'number'
      ? el('p', { class: 'card-gain muted small', text: t('board.expected', { gain: signed(item.simulated_gain) }) }) : null,
    el('div', { class: 'card-moves buttons' }, moves),
    status);
}

/** Draws the plan board into `root`: four columns, each card with its moves. */
export function renderBoard(root) {
  clear(root);
  const items = state.planItems || [];
  const now = today();
  if (!items.length) root.append(el('p', { class: 'muted', id: 'board-empty', text: t('board.empty') }));
  const lateCount = items.filter((p) => p.status !== 'done' && p.status !== 'dropped' && p.due && p.due < now).length;
  root.append(el('p', { class: 'board-summary', id: 'board-summary' }, t('board.summary', {
    open: items.filter((p) => p.status === 'planned' || p.status === 'in-progress').length,
    done: items.filter((p) => p.status === 'done').length,
    late: lateCount,
    today: now,
  })));
  const board = el('div', { class: 'board', id: 'plan-board' });
  for (const s of PLAN_STATUSES) {
    // Open columns: the nearest due date first; done and dropped: the latest first.
    const byId = (a, b) => String(a.id).localeCompare(String(b.id), undefined, { numeric: true });
    const list = items.filter((p) => p.status === s).sort(s === 'done' || s === 'dropped'
      ? (a, b) => String(b.done_on || b.adopted_on || '').localeCompare(String(a.done_on || a.adopted_on || '')) || -byId(a, b)
      : (a, b) => String(a.due || '9999').localeCompare(String(b.due || '9999')) || byId(a, b));
    board.append(el('section', { class: `board-col col-${s}`, dataset: { status: s }, 'aria-label': t(`board.col.${s}`) },
      el('h3', {}, t(`board.col.${s}`), el('span', { class: 'count muted', text: ` (${list.length})` })),
      el('ul', { class: 'board-cards' }, list.map((p) => card(p, now)))));
  }
  root.append(board);
}

// ---- the actor panel ---------------------------------------------------------------------

function sentimentText(s) {
  if (s === null || s === undefined) return null;
  return `${s > 0 ? '+' : ''}${s} ${t(`sentiment.${s}`)}`;
}

function commitmentItem(c, now) {
  const late = OPEN_COMMITMENT.has(c.status) && c.due && c.due < now;
  return el('li', { class: `commitment${late ? ' late' : ''}`, dataset: { commitment: c.id, direction: c.direction } },
    late ? overdueBadge() : null, late ? ' ' : null,
    el('span', { class: 'commitment-text', text: c.text }),
    el('span', { class: 'muted small', text: ` — ${[c.owner ? t('commitment.owner', { owner: c.owner }) : null,
      c.due ? t('commitment.due', { due: c.due }) : null, tr('commitmentstatus', c.status)].filter(Boolean).join(' · ')}` }));
}

/** The relationship status line of an actor. */
export function relationshipLine(id) {
  const r = relationshipOf(id);
  if (!r) return el('p', { class: 'muted', id: 'actor-relationship', text: t('contacts.noAnalysis') });
  return el('p', { class: 'relationship', id: 'actor-relationship', dataset: { status: r.status } },
    badge(r.status, tr('relstatus', r.status)), ' ',
    el('span', { class: 'muted', text: [
      r.last_contact ? t('contacts.last', { date: r.last_contact }) : t('contacts.noContact'),
      r.cadence_days ? t('contacts.cadence', { days: r.cadence_days }) : null,
      t('contacts.recent', { n: r.contacts_90d ?? 0 }),
      typeof r.sentiment_trend === 'number' ? t('contacts.trend', { trend: signed(r.sentiment_trend, 2) }) : null,
    ].filter(Boolean).join(' · ') }), ' ', docLink('relationships'));
}

/** The quick "log a contact" form: the actor preset, today's date, kind, title, narratives. */
function logForm(id, stances) {
  const narratives = [...new Set((stances || []).map((s) => s.narrative))].sort((a, b) => narrativeLabel(a).localeCompare(narrativeLabel(b)));
  const status = el('span', { class: 'form-status', role: 'status' });
  const date = el('input', { type: 'date', name: 'date', id: 'contact-date', value: today(), required: true });
  const kind = el('select', { name: 'kind', id: 'contact-kind' },
    INTERACTION_KINDS.map((k) => el('option', { value: k, text: tr('interactionkind', k) })));
  const title = el('input', { type: 'text', name: 'title', id: 'contact-title', required: true, maxlength: 200, autocomplete: 'off' });
  const team = el('input', { type: 'text', name: 'team', id: 'contact-team', list: 'team-names', autocomplete: 'off', placeholder: t('contact.teamHint') });
  const sentiment = el('select', { name: 'sentiment', id: 'contact-sentiment' },
    el('option', { value: '', text: '—' }),
    ['2', '1', '0', '-1', '-2'].map((v) => el('option', { value: v, text: sentimentText(Number(v)) })));
  const outcome = el('input', { type: 'text', name: 'outcome', id: 'contact-outcome', autocomplete: 'off' });
  const confidential = el('input', { type: 'checkbox', name: 'confidential', id: 'contact-confidential' });
  // The open plan items aimed at this actor: the contact may carry one out (plan item
  // `interactions`); checked when there is exactly one.
  const aimed = (state.planItems || []).filter((p) => (p.status === 'planned' || p.status === 'in-progress') && (p.targets || []).includes(id));
  const carries = aimed.map((p) => el('label', { class: 'pick-narrative' },
    el('input', { type: 'checkbox', value: p.id, class: 'contact-plan-item', checked: aimed.length === 1 }), ' ', p.title || p.id));
  const picks = narratives.map((n) => el('label', { class: 'pick-narrative' },
    el('input', { type: 'checkbox', value: n, class: 'contact-narrative' }), ' ', narrativeLabel(n)));
  const form = el('form', { class: 'log-contact', id: 'log-contact' },
    el('div', { class: 'row' },
      el('label', {}, el('span', { text: t('field.date') }), date),
      el('label', {}, el('span', { text: t('contact.kind') }), kind)),
    el('label', {}, el('span', { text: t('contact.title') }), title),
    picks.length ? el('fieldset', { class: 'narrative-picks' }, el('legend', { text: t('contact.narratives') }), picks) : null,
    carries.length ? el('fieldset', { class: 'plan-picks' }, el('legend', { text: t('contact.carries') }), carries) : null,
    el('div', { class: 'row' },
      el('label', {}, el('span', { text: t('contact.sentiment') }), sentiment),
      el('label', {}, el('span', { text: t('contact.team') }), team)),
    el('label', {}, el('span', { text: t('contact.outcome') }), outcome),
    el('label', { class: 'field-checkbox' }, confidential, ' ', t('contact.confidential')),
    el('div', { class: 'buttons' }, el('button', { type: 'submit', id: 'contact-save', text: t('contact.save') }), status));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = t('plan.saving');
    status.className = 'form-status';
    const body = {
      date: date.value,
      kind: kind.value,
      title: title.value.trim(),
      actors: [id],
      narratives: [...form.querySelectorAll('input.contact-narrative:checked')].map((x) => x.value),
      team: team.value.split(/[;,]/).map((x) => x.trim()).filter(Boolean),
      outcome: outcome.value.trim(),
      sentiment: sentiment.value === '' ? null : Number(sentiment.value),
      confidential: confidential.checked,
    };
    try {
      const made = await api(mapPath('/interactions'), { method: 'POST', json: body });
      for (const box of form.querySelectorAll('input.contact-plan-item:checked')) {
        const item = aimed.find((p) => p.id === box.value);
        if (!item || !made?.id) continue;
        await api(mapPath(`/plan/${encodeURIComponent(item.id)}`), {
          method: 'PATCH', json: { interactions: [...(item.interactions || []), made.id] },
        });
      }
      await hooks.refresh();
      const again = document.querySelector('#log-contact .form-status');
      if (again) {
        again.textContent = t('contact.saved');
        again.className = 'form-status ok';
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      status.textContent = errorText(e);
      status.className = 'form-status error';
    }
  });
  return form;
}

/**
 * The engagement part of the actor panel: relationship status, the "log a contact" form,
 * open commitments both ways and the contact history, newest first.
 */
export function actorEngagement(id, { interactions, stances }) {
  const now = today();
  const box = el('div', { class: 'actor-engagement', id: 'actor-engagement' });
  box.append(el('h4', { text: t('contacts.relationship', { name: actorName(id) }) }), relationshipLine(id));
  const open = (state.commitments || []).filter((c) => c.actor === id && OPEN_COMMITMENT.has(c.status))
    .sort((a, b) => String(a.due || '9999').localeCompare(String(b.due || '9999')));
  for (const dir of ['ours', 'theirs']) {
    const list = open.filter((c) => c.direction === dir);
    box.append(el('h4', { text: t(`commitments.${dir}`) }));
    if (!list.length) box.append(el('p', { class: 'muted small', text: t('commitments.none') }));
    else box.append(el('ul', { class: 'commitments', id: `actor-commitments-${dir}` }, list.map((c) => commitmentItem(c, now))));
  }
  box.append(el('details', { class: 'log-contact-box needs-edit', open: true },
    el('summary', { text: t('contact.log') }),
    logForm(id, stances)));
  const sorted = [...(interactions || [])].filter((i) => (i.actors || []).includes(id))
    .sort((a, b) => String(b.date).localeCompare(String(a.date)) || String(b.id).localeCompare(String(a.id), undefined, { numeric: true }));
  box.append(el('h4', { text: t('contacts.history', { n: sorted.length }) }));
  if (!sorted.length) box.append(el('p', { class: 'muted', text: t('contacts.noHistory') }));
  else {
    box.append(el('ol', { class: 'contact-history', id: 'actor-contacts' }, sorted.map((i) => el('li', {
      dataset: { interaction: i.id }, class: i.confidential ? 'confidential' : null,
    },
    el('div', {},
      el('span', { class: 'date', text: i.date }), ' ',
      el('span', { class: 'muted', text: tr('interactionkind', i.kind || 'other') }), ' ',
      el('strong', { text: i.title }),
      i.confidential ? el('span', { class: 'badge-confidential', text: t('contact.isConfidential') }) : null,
      typeof i.sentiment === 'number' ? el('span', { class: `sentiment s${i.sentiment < 0 ? 'neg' : i.sentiment > 0 ? 'pos' : '0'}`, text: ` ${sentimentText(i.sentiment)}` }) : null),
    i.outcome ? el('p', { class: 'muted small', text: i.outcome }) : null,
    (i.narratives || []).length ? el('p', { class: 'muted small', text: (i.narratives || []).map(narrativeLabel).join(', ') }) : null))));
  }
  return box;
}

// ---- my contacts -------------------------------------------------------------------------

/** Whose an actor is: its contact owner, else the team at its latest contact. */
function actorOwners(id, latest) {
  const owners = new Set();
  const a = state.actorsById.get(id);
  if (a?.owner) owners.add(a.owner);
  else for (const m of latest.get(id)?.team || []) owners.add(m);
  return owners;
}

/** Loads every interaction (for "my contacts") and draws the view. */
export async function loadContacts(root) {
  try {
    state.allInteractions = await listAll(mapPath('/interactions'));
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    state.allInteractions = [];
  }
  refreshTeamList();
  renderContacts(root);
}

/**
 * "My contacts": a filter by owner, then the contacts that are overdue, never made or due,
 * and the open commitments, the late ones first.
 */
export function renderContacts(root) {
  clear(root);
  const now = today();
  const latest = new Map();
  for (const i of [...(state.allInteractions || [])].sort((a, b) => String(a.date).localeCompare(String(b.date)))) {
    for (const a of i.actors || []) latest.set(a, i);
  }
  const names = teamNames();
  if (state.contactsOwner && !names.includes(state.contactsOwner)) state.contactsOwner = '';
  const owner = state.contactsOwner || '';
  const select = el('select', { id: 'contacts-owner' },
    el('option', { value: '', text: t('contacts.everyone') }),
    names.map((n) => el('option', { value: n, text: n })));
  select.value = owner;
  select.addEventListener('change', () => {
    state.contactsOwner = select.value;
    renderContacts(root);
    document.getElementById('contacts-owner')?.focus();
  });
  root.append(el('div', { class: 'field inline' }, el('label', { for: 'contacts-owner', text: t('contacts.owner') }), select),
    el('p', { class: 'muted small', text: t('contacts.asOf', { today: now }) }));

  const mine = (id) => !owner || actorOwners(id, latest).has(owner)
    || (state.commitments || []).some((c) => c.actor === id && c.owner === owner && OPEN_COMMITMENT.has(c.status));
  const rels = (state.analysis?.relationships || []).filter((r) => mine(r.actor))
    .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status)
      || String(a.last_contact || '').localeCompare(String(b.last_contact || ''))
      || actorName(a.actor).localeCompare(actorName(b.actor)));
  const urgent = rels.filter((r) => r.status === 'overdue' || r.status === 'never' || r.status === 'due');
  const commitments = (state.commitments || []).filter((c) => OPEN_COMMITMENT.has(c.status) && (!owner || c.owner === owner))
    .sort((a, b) => {
      const la = a.due && a.due < now ? 0 : 1;
      const lb = b.due && b.due < now ? 0 : 1;
      return la - lb || String(a.due || '9999').localeCompare(String(b.due || '9999'));
    });

  root.append(el('h3', { text: t('contacts.dueTitle', { n: urgent.length }) }));
  const table = el('table', { class: 'contacts', id: 'contacts-table' },
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', text: t('contacts.actor') }),
      el('th', { scope: 'col', text: t('contacts.status') }),
      el('th', { scope: 'col', text: t('contacts.lastContact') }),
      el('th', { scope: 'col', text: t('contacts.cadenceHead') }),
      el('th', { scope: 'col', text: t('contacts.who') }),
      el('th', { scope: 'col', text: t('contacts.openCommitments') }))));
  const body = el('tbody');
  for (const r of rels) {
    const open = (state.commitments || []).filter((c) => c.actor === r.actor && OPEN_COMMITMENT.has(c.status));
    body.append(el('tr', { dataset: { actor: r.actor, status: r.status }, class: urgent.includes(r) ? 'urgent' : null },
      el('th', { scope: 'row' }, el('button', { type: 'button', class: 'linklike', text: actorName(r.actor), onclick: () => hooks.onSelectActor(r.actor) })),
      el('td', {}, badge(r.status, tr('relstatus', r.status))),
      el('td', { class: 'date', text: r.last_contact || '—' }),
      el('td', { class: 'num', text: r.cadence_days ? t('contacts.days', { days: r.cadence_days }) : '—' }),
      el('td', { text: [...actorOwners(r.actor, latest)].join(', ') || '—' }),
      el('td', { class: 'num', text: open.length ? String(open.length) : '' })));
  }
  table.append(body);
  root.append(el('div', { class: 'table-wrap contacts-wrap' }, table));

  root.append(el('h3', { text: t('contacts.commitmentsTitle', { n: commitments.length }) }));
  if (!commitments.length) root.append(el('p', { class: 'muted', text: t('commitments.none') }));
  else {
    root.append(el('ul', { class: 'commitments', id: 'contacts-commitments' }, commitments.map((c) => {
      const li = commitmentItem(c, now);
      li.prepend(el('span', { class: 'commitment-actor' },
        el('button', { type: 'button', class: 'linklike', text: actorName(c.actor), onclick: () => hooks.onSelectActor(c.actor) }),
        el('span', { class: 'muted', text: ` (${t(`commitments.dir.${c.direction}`)}): ` })));
      return li;
    })));
  }
}

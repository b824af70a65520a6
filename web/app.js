// Vertoog web UI: loads the map into the one state object (state.js) and wires the graph
// (graph.js), the panels (actions.js, gaps.js, coalitions.js, details.js), the charts
// (charts.js) and the forms (forms.js). No build step; ES modules only.

import { el, clear, $, slugify } from './dom.js';
import { t, tr, setLanguage, initialLanguage, language, applyStatic } from './i18n.js';
import { api, listAll, setToken, getToken, onAuthNeeded, ApiError } from './api.js';
import { GraphView } from './graph.js';
import { strengthChart, timelineChart } from './charts.js';
import { state, DEFAULT_DOMAINS, mapPath, actorInfo, coalitions, coalitionName, canEdit } from './state.js';
import { renderCoalitions, renderMatrix, renderCoalitionTable } from './coalitions.js';
import { renderGaps, gapActors } from './gaps.js';
import {
  installActions, renderDecision, refreshPlan, endSimulation, goToAction, toggleAllActions,
} from './actions.js';
import { renderDetails } from './details.js';
import { Editor, installImport, renderExportLinks, renderHistory } from './forms.js';
import { renderMapBrief } from './brief.js';
import { renderGrid, selectInGrid } from './grid.js';
import { renderPlan } from './plan.js';
import { renderDynamics } from './dynamics.js';
import { installEngagement, loadEngagement, renderBoard, loadContacts, renderContacts, refreshTeamList } from './engagement.js';

// What the forms need of the state (read at call time).
const formContext = {
  get domains() { return state.domains; },
  map: () => state.map,
  actorOptions: () => [...state.actors].sort((a, b) => String(a.name).localeCompare(String(b.name))).map((a) => [a.id, `${a.name} (${a.id})`]),
  narrativeOptions: () => [...state.narratives].sort((a, b) => String(a.label).localeCompare(String(b.label))).map((n) => [n.id, n.label]),
  lookup: (kind, id) => (kind === 'actor' ? state.actorsById.get(id) : state.narrativesById.get(id)) || null,
  message: (text, kind) => message(text, kind),
};

let graphView;
let editor;
const views = {
  // The view switcher: each view has a section #view-NAME and an onShow. The actor details
  // panel is one element, moved into the view that shows it (map, grid, plan).
  map: { onShow: () => moveDetails('map') },
  grid: { onShow: () => { moveDetails('grid'); drawGrid(); } },
  plan: { onShow: () => { moveDetails('plan'); drawPlan(); } },
  edit: { onShow: () => editor.render() },
  data: { onShow: () => renderExportLinks(formContext) },
  history: { onShow: () => state.map && drawHistory() },
  dynamics: { onShow: () => { moveDetails('dynamics'); drawDynamics(); } },
  board: { onShow: () => { moveDetails('board'); drawBoard(); } },
  contacts: { onShow: () => { moveDetails('contacts'); if (state.map) loadContacts($('contacts')); } },
};

/** The action plan board (engagement.js). */
function drawBoard() {
  if (state.map) renderBoard($('board'));
}

/**
 * After an engagement write (adopt, a plan item's status, a logged contact): the plan items
 * and commitments again, the analysis (relationships, gaps, measured effects), and every
 * panel that shows them.
 */
async function refreshEngagement() {
  const to = state.timeIndex !== null ? state.timeline[state.timeIndex]?.end : null;
  const [analysis] = await Promise.all([api(mapPath('/analysis'), { query: { to } }), loadEngagement()]);
  setAnalysis(analysis);
  await refreshPlan();
  refreshTeamList();
  if (state.view === 'board') drawBoard();
  if (state.view === 'contacts') await loadContacts($('contacts'));
  if (state.selected) await showDetails(state.selected);
}

/** The dynamics view (dynamics.js) of the current map. */
function drawDynamics() {
  if (state.map) renderDynamics($('dynamics'), { mapPath, onActor: selectActor });
}

/** Puts the actor details panel into the details slot of a view. */
function moveDetails(view) {
  const slot = document.querySelector(`[data-details-slot="${view}"]`);
  const panel = $('details-panel');
  if (slot && panel && panel.parentElement !== slot) slot.append(panel);
}

function drawGrid() {
  if (!state.map) return;
  const n = renderGrid($('grid'), state, { onSelect: selectActor, selected: state.selected });
  $('grid').dataset.actors = String(n);
}

function drawPlan() {
  if (!state.map) return;
  renderPlan($('plan'), state, {
    sort: state.planSort,
    onlyTargets: state.planOnlyTargets,
    onSort: (sort) => {
      state.planSort = sort;
      drawPlan();
      document.querySelector(`#plan-table button.sort[data-sort="${CSS.escape(sort.key)}"]`)?.focus();
    },
    onSelect: selectActor,
    onPatch: patchActor,
  });
}

function drawHistory() {
  return renderHistory(formContext, { onUndone: () => loadMap({ keepTime: true }), lang: language() });
}

/**
 * Saves an engagement-plan change of one actor (PATCH), then refreshes the actor and the
 * analysis (its engagement gaps) and redraws the plan, keeping the keyboard focus in place.
 */
async function patchActor(id, fields, statusEl) {
  const focused = document.activeElement;
  const focusClass = focused?.closest('#plan-table tr[data-actor]') ? focused.className : null;
  statusEl.textContent = t('plan.saving');
  statusEl.className = 'row-status';
  try {
    const saved = await api(mapPath(`/actors/${encodeURIComponent(id)}`), { method: 'PATCH', json: fields });
    if (saved && saved.id) {
      state.actors = state.actors.map((a) => (a.id === saved.id ? saved : a));
      state.actorsById.set(saved.id, saved);
    }
    const to = state.timeIndex !== null ? state.timeline[state.timeIndex]?.end : null;
    setAnalysis(await api(mapPath('/analysis'), { query: { to } }));
    drawPlan();
    const row = document.querySelector(`#plan-table tr[data-actor="${CSS.escape(id)}"]`);
    if (row) {
      const status = row.querySelector('.row-status');
      status.textContent = t('form.saved');
      status.className = 'row-status ok';
      if (focusClass) row.querySelector(`.${focusClass.split(' ')[0]}`)?.focus();
    }
    if (state.selected === id) await showDetails(id);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    statusEl.textContent = e.field ? `${t(`field.${e.field}`)}: ${e.message}` : e.message;
    statusEl.className = 'row-status error';
  }
}

function message(text, kind = 'error') {
  const box = $('message');
  box.textContent = text || '';
  box.className = kind;
  box.hidden = !text;
}

// ---- views -------------------------------------------------------------------------------

function showView(name, { keepHash = false } = {}) {
  if (!views[name] || (name === 'edit' && !canEdit())) name = 'map';
  state.view = name;
  for (const section of document.querySelectorAll('[data-view-panel]')) {
    section.hidden = section.dataset.viewPanel !== name;
  }
  for (const b of document.querySelectorAll('#view-switch button[data-view]')) {
    b.setAttribute('aria-pressed', b.dataset.view === name ? 'true' : 'false');
  }
  views[name].onShow();
  if (!keepHash) writeHash();
}

function writeHash() {
  const parts = [];
  if (state.map) parts.push(`map=${encodeURIComponent(state.map)}`);
  if (state.view !== 'map') parts.push(`view=${state.view}`);
  const hash = parts.length ? `#${parts.join('&')}` : '';
  if (window.location.hash !== hash) history.replaceState(null, '', hash || window.location.pathname);
}

function readHash() {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  return { map: params.get('map'), view: params.get('view') };
}

// ---- health, auth, maps ------------------------------------------------------------------

function showModeNotice() {
  const notice = $('mode-notice');
  const mode = state.health?.mode;
  // Write controls carry the class needs-edit; a viewer's page hides them (style.css).
  document.body.classList.toggle('read-only', !canEdit());
  if (mode === 'local') {
    notice.textContent = t('mode.local');
    notice.title = t('mode.localLong');
    notice.hidden = false;
  } else if (!canEdit()) {
    notice.textContent = t('mode.readOnly', { name: state.session.name });
    notice.title = notice.textContent;
    notice.hidden = false;
  } else {
    notice.hidden = true;
  }
  $('token-form').hidden = !(mode === 'tokens' && !getToken()) && !$('token-form').dataset.needed;
}

function askForToken(error) {
  const form = $('token-form');
  form.dataset.needed = 'true';
  form.hidden = false;
  message(getToken() ? t('auth.rejected') : t('auth.needed'), 'error');
  if (error && getToken()) setToken('');
  $('token-input').focus();
}

async function loadMaps() {
  const data = await api('/maps');
  state.maps = Array.isArray(data) ? data : data?.items || [];
  const picker = $('map-picker');
  clear(picker);
  if (!state.maps.length) picker.append(el('option', { value: '', text: t('map.none') }));
  for (const m of state.maps) {
    const named = m.name && m.name !== m.id && !m.name.includes(`(${m.id})`);
    picker.append(el('option', { value: m.id, text: named ? `${m.name} (${m.id})` : m.name || m.id }));
  }
}

async function start(wanted = readHash().map) {
  message('');
  try {
    state.health = await api('/health');
  } catch (e) {
    state.health = null;
    if (e.status !== 401) {
      message(t('error.server', { message: e.message }));
    }
  }
  // Who the token is and what it may do (a viewer gets no write controls).
  state.session = null;
  if (state.health?.mode === 'local' || getToken()) {
    try {
      state.session = await api('/session');
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }
  showModeNotice();
  if (state.view === 'edit' && !canEdit()) showView('map');
  try {
    await loadMaps();
  } catch (e) {
    if (e.status !== 401) message(t('error.server', { message: e.message }));
    return;
  }
  const first = state.maps.find((m) => m.id === wanted) || state.maps.find((m) => m.id === 'demo') || state.maps[0];
  if (first) await selectMap(first.id);
  else {
    message(t('map.noneHint'), 'info');
    showView('data');
  }
}

async function selectMap(id) {
  state.map = id;
  $('map-picker').value = id;
  state.selected = null;
  state.activeGap = null;
  state.timeIndex = null;
  state.narrativeActors.clear();
  state.filters = { domain: '', coalition: '', narrative: '' };
  state.openCoalition = null;
  state.renaming = null;
  state.budget = null;
  state.bestPlan = null;
  state.picked.clear();
  state.openGapGroups.clear();
  endSimulation();
  clear($('actor-details')).append(el('p', { class: 'muted', text: t('details.hint') }));
  writeHash();
  await loadMap();
}

// ---- loading one map ---------------------------------------------------------------------

/** The pending re-fetch of a provisional analysis, and how many were made in a row. */
let settleTimer = null;
let settleTries = 0;

async function loadMap({ keepTime = false } = {}) {
  if (!state.map) return;
  $('graph-status').textContent = t('status.loading');
  // The previous analysis stays on screen, marked as updating, until the new one arrives.
  if (state.analysis) markUpdating(true);
  const to = keepTime && state.timeIndex !== null ? state.timeline[state.timeIndex]?.end : null;
  try {
    const [, mapInfo, graph, analysis, actors, narratives, timeline] = await Promise.all([
      loadEngagement(),
      api(mapPath()).catch(() => null),
      api(mapPath('/graph'), { query: { view: state.graphView } }),
      api(mapPath('/analysis'), { query: { to } }),
      listAll(mapPath('/actors')),
      listAll(mapPath('/narratives')),
      api(mapPath('/timeline'), { query: { period: 'year' } }).catch(() => null),
    ]);
    state.mapInfo = mapInfo;
    state.graph = graph;
    state.actors = actors;
    state.narratives = narratives;
    state.timeline = Array.isArray(timeline?.points) ? timeline.points : [];
    if (!keepTime) state.timeIndex = null;
    state.actorsById = new Map(actors.map((a) => [a.id, a]));
    state.narrativesById = new Map(narratives.map((n) => [n.id, n]));
    state.domains = Array.isArray(mapInfo?.domains) && mapInfo.domains.length ? mapInfo.domains : DEFAULT_DOMAINS;
    endSimulation();
    setAnalysis(analysis);
    drawGraph();
    renderFilters();
    await refreshPlan();
    await drawCoalitionTable();
    renderTimeline();
    renderExportLinks(formContext);
    renderMapBrief((e) => formContext.message(e.message, 'error'));
    if (state.view === 'edit') editor.render();
    if (state.view === 'history') drawHistory();
    if (state.view === 'grid') drawGrid();
    if (state.view === 'plan') drawPlan();
    if (state.view === 'dynamics') drawDynamics();
    if (state.view === 'board') drawBoard();
    if (state.view === 'contacts') renderContacts($('contacts'));
    refreshTeamList();
    if (state.selected && !state.actorsById.has(state.selected)) {
      state.selected = null;
      clear($('actor-details')).append(el('p', { class: 'muted', text: t('details.hint') }));
    }
    if (state.selected) await showDetails(state.selected);
    message('');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    $('graph-status').textContent = '';
    if (e.status !== 401) message(t('error.load', { message: e.message }));
  } finally {
    // Right after an edit the server may answer a provisional analysis (its coalitions
    // started from those before the edit) while it computes the full one: keep the panels
    // marked as updating and fetch again shortly.
    const provisional = Boolean(state.analysis?.provisional?.length);
    markUpdating(provisional);
    clearTimeout(settleTimer);
    if (provisional && settleTries < 60) {
      const map = state.map;
      settleTries += 1;
      settleTimer = setTimeout(() => {
        if (state.map === map) loadMap({ keepTime: true });
      }, 700);
    } else {
      settleTries = 0;
    }
  }
}

/** Marks the analysis panels as showing the previous analysis while a new one is computed. */
function markUpdating(on) {
  for (const id of ['left-panel', 'right-panel']) {
    const panel = $(id);
    if (!panel) continue;
    panel.classList.toggle('updating', on);
    if (on) {
      panel.setAttribute('aria-busy', 'true');
      panel.dataset.updating = t('status.updating');
    } else {
      panel.removeAttribute('aria-busy');
      delete panel.dataset.updating;
    }
  }
}

/** Makes an analysis current: the lookup tables, the panels, the node colours. */
function setAnalysis(analysis) {
  state.analysis = analysis;
  state.info = actorInfo(analysis);
  if (state.openCoalition && !coalitions().some((c) => c.id === state.openCoalition)) state.openCoalition = null;
  renderPanels();
  if (graphView && state.graph) colourGraph();
}

function renderPanels() {
  const a = state.analysis;
  const transition = a?.transition || {};
  const dominance = transition.dominance || {};
  const noCore = state.narrativesById.size > 0 && ![...state.narrativesById.values()].some((n) => n.core);
  strengthChart($('strength'), transition.metrics, {
    counts: {
      supporters: (transition.supporters || []).length,
      opponents: (transition.opponents || []).length,
      undecided: (transition.undecided || []).length,
      silent: (transition.silent || []).length,
    },
    noCore: noCore || (a && Object.keys(dominance).length === 0 && (transition.supporters || []).length === 0 && (transition.opponents || []).length === 0),
    approximate: a?.approximate,
    targetsMet: transition.targets_met,
  });
  renderDecision();
  drawCoalitions();
  drawGaps();
}

function drawGaps() {
  renderGaps($('gaps'), {
    onSelectGap: selectGap,
    onShowAction: goToAction,
    onToggleGroup: (type) => {
      if (state.openGapGroups.has(type)) state.openGapGroups.delete(type);
      else state.openGapGroups.add(type);
      drawGaps();
      document.querySelector(`#gaps li[data-gap-type="${CSS.escape(type)}"] .gap-group-toggle`)?.focus();
    },
  });
}

function drawCoalitions() {
  renderCoalitions($('coalitions'), {
    onSelectCoalition: (c) => {
      clearActiveGap();
      graphView.highlight(new Set(c.members || []));
      $('graph').dataset.highlighted = (c.members || []).join(' ');
      openCoalition(c.id);
    },
    onStartRename: (id) => {
      state.renaming = id;
      drawCoalitions();
    },
    onCancelRename: () => {
      state.renaming = null;
      drawCoalitions();
    },
    onRename: renameCoalition,
  });
  if (graphView) drawMatrix();
}

function drawMatrix() {
  const colours = new Map();
  for (const c of coalitions()) {
    const circle = document.querySelector(`#graph circle.node[data-actor="${CSS.escape(String((c.members || [])[0] ?? ''))}"]`);
    if (state.colourBy === 'coalition' && circle) colours.set(c.id, circle.getAttribute('fill'));
  }
  renderMatrix($('matrix'), { colours, onOpen: openCoalition });
}

/** Opens the actor x narrative table of a coalition below the graph. */
async function openCoalition(id) {
  state.openCoalition = state.openCoalition === id ? null : id;
  await drawCoalitionTable();
  if (state.openCoalition) $('coalition-table-panel').scrollIntoView({ block: 'nearest' });
}

async function drawCoalitionTable() {
  const panel = $('coalition-table-panel');
  if (!state.openCoalition) {
    panel.hidden = true;
    clear($('coalition-table'));
    return;
  }
  let stances = [];
  try {
    const to = state.timeIndex !== null ? state.timeline[state.timeIndex]?.end : null;
    stances = await listAll(mapPath('/stances'), { to });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    message(e.message);
  }
  panel.hidden = false;
  renderCoalitionTable($('coalition-table'), state.openCoalition, stances, {
    onSelectActor: selectActor,
    onClose: () => openCoalition(state.openCoalition),
  });
}

/** Stores a coalition's name (PUT coalitions/{id}/name), then reloads the analysis. */
async function renameCoalition(c, name) {
  const status = document.querySelector(`#coalitions li[data-coalition="${CSS.escape(c.id)}"] .rename-status`);
  if (!name) {
    if (status) status.textContent = t('coalitions.nameNeeded');
    return;
  }
  try {
    await api(mapPath(`/coalitions/${encodeURIComponent(c.id)}/name`), { method: 'PUT', json: { name } });
    state.renaming = null;
    const to = state.timeIndex !== null ? state.timeline[state.timeIndex]?.end : null;
    setAnalysis(await api(mapPath('/analysis'), { query: { to } }));
    renderFilters();
    colourGraph();
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (status) {
      status.textContent = e.message;
      status.className = 'rename-status error';
    }
  }
}

// ---- graph -------------------------------------------------------------------------------

function drawGraph() {
  state.nodes = state.graph?.nodes || [];
  state.nodesById = new Map(state.nodes.map((n) => [String(n.id), n]));
  const counts = graphView.render(state.graph);
  clearActiveGap();
  $('graph').dataset.highlighted = '';
  colourGraph();
  applyFilters();
  const status = counts.drawnEdges < counts.edges
    ? t('graph.statusTruncated', { nodes: counts.nodes, edges: counts.edges, drawn: counts.drawnEdges })
    : t('graph.status', { nodes: counts.nodes, edges: counts.edges });
  $('graph-status').textContent = status;
  if (state.selected) graphView.select(state.selected);
}

function colourGraph() {
  const legend = graphView.colour(state.colourBy, state.info, coalitions().map((c) => c.id));
  if (state.colourBy === 'coalition') {
    const names = new Map(coalitions().map((c) => [c.id, coalitionName(c, t)]));
    for (const item of legend) if (names.has(item.key)) item.label = names.get(item.key);
  }
  const list = $('legend');
  clear(list);
  for (const item of legend) {
    const swatch = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    swatch.setAttribute('width', '12');
    swatch.setAttribute('height', '12');
    swatch.setAttribute('aria-hidden', 'true');
    const c = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
    c.setAttribute('cx', '6');
    c.setAttribute('cy', '6');
    c.setAttribute('r', '5');
    c.setAttribute('fill', item.colour);
    swatch.append(c);
    list.append(el('li', { dataset: { key: item.key } }, swatch, ' ', item.label));
  }
  drawMatrix();
}

function renderFilters() {
  const domains = [...new Set(state.nodes.map((n) => n.domain).filter(Boolean))].sort();
  fillSelect($('filter-domain'), [['', t('filters.all')], ...domains.map((d) => [d, tr('domain', d)])], state.filters.domain);
  const cs = coalitions();
  fillSelect($('filter-coalition'), [['', t('filters.all')], ...cs.map((c) => [c.id, coalitionName(c, t)]), ['-', t('coalition.none')]], state.filters.coalition);
  fillSelect($('filter-narrative'), [['', t('filters.all')], ...formContext.narrativeOptions()], state.filters.narrative);
}

function fillSelect(select, options, value) {
  clear(select);
  for (const [v, label] of options) select.append(el('option', { value: v, text: label }));
  select.value = options.some(([v]) => v === value) ? value : '';
}

async function applyFilters() {
  const { domain, coalition, narrative } = state.filters;
  let withNarrative = null;
  if (narrative) {
    if (!state.narrativeActors.has(narrative)) {
      try {
        const stances = await listAll(mapPath('/stances'), { narrative });
        state.narrativeActors.set(narrative, new Set(stances.filter((s) => s.narrative === narrative).map((s) => s.actor)));
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        message(e.message);
        state.narrativeActors.set(narrative, new Set());
      }
    }
    withNarrative = state.narrativeActors.get(narrative);
  }
  const active = domain || coalition || narrative;
  const shown = graphView.filter(active ? (n) => {
    const id = String(n.id);
    if (domain && n.domain !== domain) return false;
    if (coalition) {
      const c = state.info.get(id)?.coalition ?? null;
      if (coalition === '-' ? c !== null : c !== coalition) return false;
    }
    if (withNarrative && !withNarrative.has(id)) return false;
    return true;
  } : null);
  $('graph').dataset.shown = String(shown);
}

function selectGap(gap) {
  state.activeGap = state.activeGap === gap.id ? null : gap.id;
  const ids = state.activeGap ? gapActors(gap) : null;
  graphView.highlight(ids);
  for (const li of document.querySelectorAll('#gaps li[data-gap]')) {
    const on = li.dataset.gap === state.activeGap;
    li.classList.toggle('active', on);
    li.querySelector('button')?.setAttribute('aria-pressed', on ? 'true' : 'false');
  }
  $('graph').dataset.highlighted = ids ? [...ids].join(' ') : '';
}

function clearActiveGap() {
  state.activeGap = null;
  for (const li of document.querySelectorAll('#gaps li.active')) {
    li.classList.remove('active');
    li.querySelector('button')?.setAttribute('aria-pressed', 'false');
  }
}

// ---- details -----------------------------------------------------------------------------

async function selectActor(id) {
  state.selected = id;
  graphView.select(id);
  selectInGrid($('grid'), id);
  await showDetails(id);
  $('details-panel').scrollIntoView({ block: 'nearest' });
}

async function showDetails(id) {
  const box = $('actor-details');
  let stances = [];
  let ties = [];
  let interactions = [];
  try {
    [stances, ties, interactions] = await Promise.all([
      listAll(mapPath('/stances'), { actor: id }),
      listAll(mapPath('/ties'), { actor: id }).catch(() => null),
      listAll(mapPath('/interactions'), { actor: id }).catch(() => []),
    ]);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    message(e.message);
  }
  stances = (stances || []).filter((s) => s.actor === id);
  if (ties === null) {
    // Without the tie list, the ties drawn in the structure view.
    ties = (state.graphView === 'structure' ? state.graph?.edges || [] : [])
      .filter((e) => e.source === id || e.target === id);
  } else {
    ties = ties.filter((x) => x.source === id || x.target === id);
  }
  renderDetails(box, id, {
    stances,
    ties,
    interactions,
    onEditActor: (aid) => {
      showView('edit');
      editor.edit('actor', state.actorsById.get(aid) || null);
      $('actor-form-name')?.focus();
    },
    onEditStance: (s) => {
      showView('edit');
      editor.edit('stance', s);
      $('stance-form-position')?.focus();
    },
    onEditTie: (tie) => {
      showView('edit');
      editor.edit('tie', tie);
      $('tie-form-kind')?.focus();
    },
    onSelectActor: (other) => selectActor(other),
    onSelectGap: selectGap,
  });
}

// ---- time --------------------------------------------------------------------------------

function renderTimeline() {
  const slider = $('time-slider');
  const n = state.timeline.length;
  slider.max = String(n);
  slider.value = String(state.timeIndex === null ? n : state.timeIndex);
  slider.disabled = n === 0;
  updateTimeLabel();
  timelineChart($('timeline-chart'), state.timeline, state.timeIndex);
}

function updateTimeLabel() {
  const slider = $('time-slider');
  const i = Number(slider.value);
  const point = state.timeline[i];
  $('time-label').textContent = point ? t('timeline.asOf', { label: point.label ?? point.end, end: point.end }) : t('timeline.all');
}

async function onTimeChange() {
  const i = Number($('time-slider').value);
  state.timeIndex = i >= state.timeline.length ? null : i;
  const to = state.timeIndex === null ? null : state.timeline[state.timeIndex]?.end;
  endSimulation();
  try {
    const analysis = await api(mapPath('/analysis'), { query: { to } });
    setAnalysis(analysis);
    await refreshPlan();
    await drawCoalitionTable();
    renderFilters();
    applyFilters();
    timelineChart($('timeline-chart'), state.timeline, state.timeIndex);
    if (state.selected) await showDetails(state.selected);
    $('graph').dataset.asOf = to || '';
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    message(e.message);
  }
}

// ---- wiring ------------------------------------------------------------------------------

function install() {
  graphView = new GraphView($('graph'), { onSelect: selectActor });
  installActions({ graph: () => graphView, message, recolour: colourGraph });
  installEngagement({ refresh: refreshEngagement, onSelectActor: selectActor });
  editor = new Editor(formContext, {
    onSaved: async ({ entity, id }) => {
      await loadMap({ keepTime: true });
      if (entity === 'actor' && id && state.nodesById.has(id)) await selectActor(id);
    },
  });
  onAuthNeeded(askForToken);

  $('lang-switch').value = language();
  $('lang-switch').addEventListener('change', async (ev) => {
    await setLanguage(ev.target.value);
    showModeNotice();
    if (state.map) await loadMap({ keepTime: true });
    views[state.view].onShow();
    document.body.dataset.lang = language();
  });
  $('map-picker').addEventListener('change', (ev) => ev.target.value && selectMap(ev.target.value));
  $('token-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = $('token-input').value.trim();
    setToken(value);
    $('token-input').value = '';
    delete $('token-form').dataset.needed;
    $('token-form').hidden = Boolean(value);
    await start();
  });
  $('token-clear').addEventListener('click', () => {
    setToken('');
    $('token-input').value = '';
  });
  for (const b of document.querySelectorAll('#view-switch button[data-view]')) {
    b.addEventListener('click', () => showView(b.dataset.view));
  }
  $('graph-view').addEventListener('change', async (ev) => {
    state.graphView = ev.target.value;
    endSimulation();
    try {
      state.graph = await api(mapPath('/graph'), { query: { view: state.graphView } });
      drawGraph();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      message(e.message);
    }
  });
  $('color-by').addEventListener('change', (ev) => {
    state.colourBy = ev.target.value;
    colourGraph();
  });
  for (const key of ['domain', 'coalition', 'narrative']) {
    $(`filter-${key}`).addEventListener('change', (ev) => {
      state.filters[key] = ev.target.value;
      applyFilters();
    });
  }
  $('zoom-in').addEventListener('click', () => graphView.zoomBy(1.25));
  $('zoom-out').addEventListener('click', () => graphView.zoomBy(0.8));
  $('zoom-reset').addEventListener('click', () => graphView.resetZoom());
  $('actions-more').addEventListener('click', toggleAllActions);
  $('clear-highlight').addEventListener('click', () => {
    endSimulation();
    clearActiveGap();
    graphView.highlight(null);
    $('graph').dataset.highlighted = '';
  });
  $('time-slider').addEventListener('input', updateTimeLabel);
  $('time-slider').addEventListener('change', onTimeChange);
  $('export-view').addEventListener('change', () => renderExportLinks(formContext));
  $('plan-only-targets').addEventListener('change', (ev) => {
    state.planOnlyTargets = ev.target.checked;
    drawPlan();
  });
  installImport(formContext, { onImported: () => loadMap() });
  $('map-create-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    const name = $('map-create-name').value.trim();
    const id = $('map-create-id').value.trim() || slugify(name);
    const status = form.querySelector('.form-status');
    const err = form.querySelector('.field-error');
    err.textContent = '';
    status.textContent = '';
    try {
      await api('/maps', { method: 'POST', json: { id, name } });
      await loadMaps();
      await selectMap(id);
      status.textContent = t('maps.created', { id });
      form.reset();
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (e.field === 'id') err.textContent = e.message;
      else status.textContent = e.message;
    }
  });
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      if (state.view === 'grid') drawGrid();
    }, 150);
  });
  window.addEventListener('hashchange', () => {
    const { map, view } = readHash();
    if (map && map !== state.map && state.maps.some((m) => m.id === map)) selectMap(map);
    if (view && view !== state.view) showView(view);
  });
}

async function main() {
  await setLanguage(initialLanguage());
  install();
  applyStatic(document);
  // The deep link is read before the first view writes the hash (issue 16 item 13: writing
  // it first, with no map chosen yet, dropped `#map=`).
  const { view, map } = readHash();
  showView(view && views[view] ? view : 'map', { keepHash: true });
  await start(map);
  document.body.dataset.lang = language();
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  message(String(e?.message || e));
  document.body.dataset.ready = 'error';
});

// The one state object of the web UI (issue 17 item 6): what the user chose, what the server
// answered, and the lookup tables built from it. Every module reads and writes this object;
// app.js loads data into it and the panel modules draw from it.

export const DEFAULT_DOMAINS = ['ministry', 'vng', 'municipality', 'province', 'water-board', 'agency',
  'science', 'business', 'civil-society', 'media', 'other'];

export const state = {
  // The server.
  health: null,
  session: null, // GET /session: {name, role, can_edit, can_administer}; null: not known
  maps: [],
  // The map shown and what the server says about it.
  map: null,
  mapInfo: null,
  graph: null,
  analysis: null, // shown: current, or as of the time slider
  actors: [],
  narratives: [],
  timeline: [],
  timeIndex: null, // null: all data
  // The user's choices.
  view: 'map',
  graphView: 'structure',
  colourBy: 'coalition',
  filters: { domain: '', coalition: '', narrative: '' },
  selected: null, // actor id whose details are open
  activeGap: null, // gap id highlighted in the graph
  openGapGroups: new Set(), // gap types expanded in the gaps panel
  openCoalition: null, // coalition id whose actor x narrative table is shown
  renaming: null, // coalition id being renamed in place
  budget: null, // the plan's effort budget; null: the analysis' default
  bestPlan: null, // the best plan for `budget` (the analysis' own when budget is null)
  picked: new Set(), // action ids checked for a joint simulation
  showAllActions: false,
  simulation: null, // {kind: 'action'|'plan', ids, before, result} while a simulation shows
  planSort: { key: 'gap', dir: 'desc' },
  planOnlyTargets: false,
  // Engagement (engagement.md): the adopted plan items and the commitments of the map, every
  // interaction (loaded for "my contacts"), and the owner "my contacts" is filtered by.
  planItems: [],
  commitments: [],
  allInteractions: [],
  contactsOwner: '',
  // Lookup tables, rebuilt after each load.
  nodes: [],
  nodesById: new Map(),
  actorsById: new Map(),
  narrativesById: new Map(),
  narrativeActors: new Map(), // narrative id -> Set of actor ids (loaded on demand)
  info: new Map(), // actor id -> {coalition, group, alignment} from the analysis
  domains: DEFAULT_DOMAINS,
};

/**
 * Whether the token may change the map (role editor or admin). A viewer gets no write
 * controls: the server would refuse their writes with 403. Unknown (no answer yet): true, so
 * that local mode never loses a control to a slow answer.
 */
export function canEdit() {
  return state.session ? state.session.can_edit !== false : true;
}

/** The API path of the current map plus `suffix`. */
export function mapPath(suffix = '') {
  return `/maps/${encodeURIComponent(state.map)}${suffix}`;
}

/** An actor's name (the id when unknown). */
export function actorName(id) {
  return state.actorsById.get(id)?.name ?? state.nodesById.get(id)?.name ?? String(id);
}

/** A narrative's label (the id when unknown). */
export function narrativeLabel(id) {
  return state.narrativesById.get(id)?.label ?? String(id);
}

/** The coalitions of the shown analysis. */
export function coalitions() {
  return state.analysis?.coalitions || [];
}

/** A coalition's name: the user's or the storyline's from the server, else "Coalition c1". */
export function coalitionName(c, t) {
  if (!c) return '';
  return c.name || t('coalition.name', { id: c.id });
}

/** Rebuilds `state.info` (coalition, group and alignment per actor) from an analysis. */
export function actorInfo(analysis) {
  const info = new Map();
  for (const c of analysis?.coalitions || []) {
    for (const m of c.members || []) info.set(m, { coalition: c.id });
  }
  const tr = analysis?.transition || {};
  for (const group of ['supporters', 'opponents', 'undecided', 'silent']) {
    const key = group === 'supporters' ? 'supporter' : group === 'opponents' ? 'opponent' : group;
    for (const a of tr[group] || []) info.set(a, { coalition: null, ...(info.get(a) || {}), group: key });
  }
  for (const [id, v] of Object.entries(tr.alignment || {})) {
    info.set(id, { coalition: null, ...(info.get(id) || {}), alignment: v });
  }
  return info;
}

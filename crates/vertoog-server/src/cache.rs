//! The analysis cache (bench/README.md; issue 7 point 5): one computed analysis per
//! (map, map version, window, settings overrides), kept in memory. A write to a map raises its
//! version (the store does that), so the next read misses, recomputes, and drops the entries
//! of older versions. Concurrent requests for the same key wait for one computation instead
//! of each running their own. The graph layouts of the three views are computed on first use
//! and kept with the analysis.
//!
//! Bounds (issue 16 item 11): at most [`CACHE_CAPACITY`] entries and at most
//! [`CACHE_MEMORY`] bytes by an estimate per entry ([`Computed::estimated_bytes`]: the
//! analysis JSON, the map's entities, the discourse pairs and the graphs drawn so far); the
//! least recently used entries go first, never the one just computed. A miss runs its
//! analysis only with one of [`crate::MAX_HEAVY`] permits (the Graphviz renders have their
//! own); it waits for one at most [`ANALYSIS_WAIT`] (under load a write makes the next read
//! a miss, so a short queue keeps a busy server answering 200), then gives 503 `busy` with
//! `Retry-After`.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;
use serde_json::{json, Value};
use vertoog_analysis::{context_and_analysis_carrying, Analysis, Carried, Lang, Period, Window};
use vertoog_formats::{GraphAnnotations, View};
use vertoog_model::{Bundle, EntityKind, Settings, TieKind};
use vertoog_store::{LogMark, Store};

use crate::annotate::DiscourseEdges;

use crate::error::{ApiError, ApiResult};

/// How many computed analyses are kept (least recently used go first).
pub const CACHE_CAPACITY: usize = 16;

/// How long a missed analysis waits for a permit before its request gets 503 `busy`.
pub const ANALYSIS_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The estimated memory the cached analyses may hold together (512 MiB).
pub const CACHE_MEMORY: usize = 512 * 1024 * 1024;

/// How many maps [`AnalysisCache::warm`] analyses when the server starts.
pub const WARM_MAPS: usize = 4;

/// What identifies one analysis besides the map version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnalysisKey {
    pub map: String,
    pub window: Window,
    /// Settings overrides of the request as canonical JSON (`{}` for none).
    pub overrides: String,
    /// Language of the gap messages and action rationales.
    pub lang: Lang,
}

impl std::hash::Hash for AnalysisKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.map.hash(state);
        self.window.from.hash(state);
        self.window.to.hash(state);
        self.overrides.hash(state);
        self.lang.hash(state);
    }
}

/// One computed analysis with everything the routes derive from it.
pub struct Computed {
    /// The map as it was analysed.
    pub bundle: Bundle,
    /// The settings used (the map's, with the request's overrides).
    pub settings: Settings,
    pub analysis: Analysis,
    /// `analysis` as JSON, ready to send.
    pub json: Bytes,
    /// The signed discourse network: its non-zero pairs, each once.
    pub discourse: DiscourseEdges,
    /// What the next analysis of this key may take over after an edit (see [`carry`]).
    carried: Carried,
    /// Where the map's change log stood when `bundle` was read (for [`Store::refresh`]).
    mark: LogMark,
    /// The parts this analysis took over from the previous version's (`structure`,
    /// `transition.structure`, `coalitions`); empty for a full analysis.
    pub reused: Vec<&'static str>,
    graphs: [OnceLock<Bytes>; 3],
    timelines: [OnceLock<Bytes>; 3],
}

type Cell = Arc<tokio::sync::OnceCell<Arc<Computed>>>;

/// A slot's cells, its superseded flag, and the analysis of the version before.
type CellOf = (Cell, Cell, Arc<AtomicBool>, Option<Arc<Computed>>);

/// Frees cache entries on a blocking thread, after the answer (see [`AnalysisCache::cell`]).
fn free_later(slots: Vec<Slot>) {
    if !slots.is_empty() {
        tokio::task::spawn_blocking(move || drop(slots));
    }
}

struct Slot {
    version: u64,
    /// The first analysis of this version: provisional right after an edit that changed the
    /// stances (see [`AnalysisCache::get`]), else the full one.
    cell: Cell,
    /// The full analysis of this version when `cell` holds a provisional one; computed in the
    /// background right after it.
    settled: Cell,
    /// Set when a newer version replaces this one: a background computation of the full
    /// analysis that has not started yet is then skipped.
    superseded: Arc<AtomicBool>,
    used: u64,
    /// The estimated size once computed (0 while computing).
    bytes: usize,
}

/// The cache itself; see the module docs.
pub struct AnalysisCache {
    slots: Mutex<HashMap<AnalysisKey, Slot>>,
    clock: AtomicU64,
    /// The memory bound in bytes.
    budget: AtomicUsize,
    /// Permits of analyses that run at once.
    heavy: Arc<tokio::sync::Semaphore>,
    /// How long a miss waits for a permit, in milliseconds.
    wait_ms: AtomicU64,
}

impl Default for AnalysisCache {
    fn default() -> Self {
        Self::new()
    }
}

impl AnalysisCache {
    /// An empty cache.
    pub fn new() -> Self {
        AnalysisCache {
            slots: Mutex::new(HashMap::new()),
            clock: AtomicU64::new(0),
            budget: AtomicUsize::new(CACHE_MEMORY),
            heavy: Arc::new(tokio::sync::Semaphore::new(crate::MAX_HEAVY)),
            wait_ms: AtomicU64::new(ANALYSIS_WAIT.as_millis() as u64),
        }
    }

    /// Sets how long a miss waits for a permit (for tests and tuning).
    pub fn set_analysis_wait(&self, wait: std::time::Duration) {
        self.wait_ms
            .store(wait.as_millis() as u64, Ordering::Relaxed);
    }

    /// Sets the memory bound (bytes; for tests and tuning).
    pub fn set_memory_budget(&self, bytes: usize) {
        self.budget.store(bytes, Ordering::Relaxed);
    }

    /// The estimated bytes the cached analyses hold.
    pub fn memory(&self) -> usize {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.values().map(|s| s.bytes).sum()
    }

    /// The permits of analyses ([`crate::MAX_HEAVY`]); for tests and monitoring.
    pub fn analysis_permits(&self) -> &Arc<tokio::sync::Semaphore> {
        &self.heavy
    }

    /// Records the size of a computed entry and evicts the least recently used others until
    /// the estimate fits the budget. Returns the evicted entries, for the caller to free off
    /// the request's path.
    fn account(&self, key: &AnalysisKey, version: u64, bytes: usize) -> Vec<Slot> {
        let budget = self.budget.load(Ordering::Relaxed);
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let mut evicted = Vec::new();
        match slots.get_mut(key) {
            Some(slot) if slot.version == version => slot.bytes = bytes,
            _ => return evicted,
        }
        loop {
            let total: usize = slots.values().map(|s| s.bytes).sum();
            if total <= budget {
                break;
            }
            let Some(oldest) = slots
                .iter()
                .filter(|(k, s)| s.bytes > 0 && !(*k == key && s.version == version))
                .min_by_key(|(_, s)| s.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            evicted.extend(slots.remove(&oldest));
        }
        evicted
    }

    /// How many analyses are held (for tests).
    pub fn len(&self) -> usize {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell of `key` at `version`, and for a new version the analysis of the same key at
    /// the previous version (if it was computed), whose parts the new one may take over, and
    /// the entries it replaced or evicted: freeing one (a whole map and its analysis, hundreds
    /// of thousands of allocations on M, some 20 ms) is left to the caller, off the request's
    /// path and outside the lock.
    fn cell(&self, key: &AnalysisKey, version: u64) -> (CellOf, Vec<Slot>) {
        let now = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let mut previous = None;
        if let Some(slot) = slots.get_mut(key) {
            if slot.version == version {
                slot.used = now;
                let cell = (
                    slot.cell.clone(),
                    slot.settled.clone(),
                    slot.superseded.clone(),
                    None,
                );
                return (cell, Vec::new());
            }
            if slot.version < version {
                previous = slot.settled.get().or(slot.cell.get()).cloned();
            }
        }
        // A new version: entries of older versions of this map are stale.
        let stale: Vec<AnalysisKey> = slots
            .iter()
            .filter(|(k, s)| k.map == key.map && s.version < version)
            .map(|(k, _)| k.clone())
            .collect();
        let mut dropped: Vec<Slot> = Vec::new();
        for k in stale {
            if let Some(s) = slots.remove(&k) {
                s.superseded.store(true, Ordering::Relaxed);
                dropped.push(s);
            }
        }
        while slots.len() >= CACHE_CAPACITY {
            let Some(oldest) = slots
                .iter()
                .min_by_key(|(_, s)| s.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            dropped.extend(slots.remove(&oldest));
        }
        let cell: Cell = Arc::new(tokio::sync::OnceCell::new());
        let settled: Cell = Arc::new(tokio::sync::OnceCell::new());
        let superseded = Arc::new(AtomicBool::new(false));
        slots.insert(
            key.clone(),
            Slot {
                version,
                cell: cell.clone(),
                settled: settled.clone(),
                superseded: superseded.clone(),
                used: now,
                bytes: 0,
            },
        );
        ((cell, settled, superseded, previous), dropped)
    }

    /// Computes and keeps the default analysis (the whole time range, the map's own settings,
    /// English: what `GET .../analysis` without parameters or `Accept-Language` asks for) of
    /// the [`WARM_MAPS`] most recently updated maps, one after the other, so that the first
    /// request after a start finds it ready (issue 22; docs/decisions.md "Analysis computed at
    /// start"). A request for a map being warmed waits for that one computation. A map that
    /// cannot be analysed is skipped (its request will report why). Returns the maps warmed.
    pub async fn warm(&self, store: &Arc<Store>) -> Vec<String> {
        let listed = {
            let store = store.clone();
            tokio::task::spawn_blocking(move || store.list_maps()).await
        };
        let Ok(Ok(mut maps)) = listed else {
            return Vec::new();
        };
        // Most recently updated first (RFC 3339 timestamps sort as text), then by id.
        maps.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
        let mut warmed = Vec::new();
        for map in maps.into_iter().take(WARM_MAPS) {
            let key = AnalysisKey {
                map: map.id.clone(),
                window: Window::default(),
                overrides: Value::Object(Default::default()).to_string(),
                lang: Lang::En,
            };
            match self
                .get(store, key, Value::Object(Default::default()))
                .await
            {
                Ok(_) => warmed.push(map.id),
                Err(e) => tracing::info!(
                    "the analysis of map `{}` was not computed at start: {e}",
                    map.id
                ),
            }
        }
        warmed
    }

    /// The analysis of `key` at the map's current version: from the cache, or computed (on a
    /// blocking thread) and kept. `overrides` is the JSON object of settings overrides.
    ///
    /// Right after an edit that changed the stances, the first analysis of the new version
    /// is *provisional* (`analysis.provisional`; docs/decisions.md "Re-analysis after an
    /// edit"): its coalition detection starts from the coalitions before the edit, so it is
    /// quick. The full analysis is then computed in the background and replaces it; until it
    /// is ready, this returns the provisional one. [`AnalysisCache::get_settled`] waits for it.
    pub async fn get(
        &self,
        store: &Arc<Store>,
        key: AnalysisKey,
        overrides: Value,
    ) -> ApiResult<Arc<Computed>> {
        self.lookup(store, key, overrides, false).await
    }

    /// [`AnalysisCache::get`], never provisional: waits for the full analysis (what the
    /// what-if, plan and adopt routes build on).
    pub async fn get_settled(
        &self,
        store: &Arc<Store>,
        key: AnalysisKey,
        overrides: Value,
    ) -> ApiResult<Arc<Computed>> {
        self.lookup(store, key, overrides, true).await
    }

    async fn lookup(
        &self,
        store: &Arc<Store>,
        key: AnalysisKey,
        overrides: Value,
        wait_settled: bool,
    ) -> ApiResult<Arc<Computed>> {
        let version = {
            let store = store.clone();
            let map = key.map.clone();
            tokio::task::spawn_blocking(move || store.map_version(&map)).await??
        };
        let ((cell, settled, superseded, previous), dropped) = self.cell(&key, version);
        if let Some(c) = settled.get() {
            return Ok(c.clone());
        }
        let permits = self.heavy.clone();
        let wait = std::time::Duration::from_millis(self.wait_ms.load(Ordering::Relaxed));
        let mut fresh = false;
        let computed = cell
            .get_or_try_init(|| {
                let store = store.clone();
                let key = key.clone();
                let overrides = overrides.clone();
                let previous = previous.clone();
                fresh = true;
                with_permit(permits.clone(), wait, move || {
                    compute(&store, &key, &overrides, previous.as_deref())
                })
            })
            .await?
            .clone();
        // The analysis this one replaced is usually held here alone by now, and the entries
        // `cell` took out: freeing them (a whole map and its analysis each, hundreds of
        // thousands of allocations on M) is left to a blocking thread once the answer is
        // computed, instead of delaying it or competing with it for the cores.
        if let Some(previous) = previous {
            tokio::task::spawn_blocking(move || drop(previous));
        }
        free_later(dropped);
        if fresh {
            free_later(self.account(&key, version, computed.estimated_bytes()));
        }
        if computed.analysis.provisional.is_empty() {
            return Ok(computed);
        }
        // The full analysis of this version; `skip` is checked once a permit is held.
        let job = SettleJob {
            store: store.clone(),
            key: key.clone(),
            overrides: overrides.clone(),
            provisional: computed.clone(),
            permits: permits.clone(),
            wait,
        };
        if fresh {
            // In the background; its size is about the provisional one's, which is already
            // accounted for. Skipped when another edit came first (that edit's provisional
            // analysis starts from this one and settles in turn); tried again while the
            // server is too busy to start it.
            let (settled, job) = (settled.clone(), job.clone());
            tokio::spawn(async move {
                while !superseded.load(Ordering::Relaxed) {
                    match settled.get_or_try_init(|| job.run(Some(&superseded))).await {
                        Err(ApiError::Internal(m)) if m == SUPERSEDED => break,
                        Err(ApiError::Busy(_)) => tokio::time::sleep(job.wait).await,
                        Err(e) => {
                            tracing::warn!("the full analysis after an edit failed: {e}");
                            break;
                        }
                        Ok(_) => break,
                    }
                }
            });
        }
        if wait_settled {
            return Ok(settled.get_or_try_init(|| job.run(None)).await?.clone());
        }
        Ok(computed)
    }
}

/// What computes the full analysis of a version whose first analysis was provisional.
#[derive(Clone)]
struct SettleJob {
    store: Arc<Store>,
    key: AnalysisKey,
    overrides: Value,
    provisional: Arc<Computed>,
    permits: Arc<tokio::sync::Semaphore>,
    wait: std::time::Duration,
}

impl SettleJob {
    /// The computation, as a cell initialiser; skipped (`SUPERSEDED`) when `skip` is set by
    /// the time a permit is held.
    fn run(
        &self,
        skip: Option<&Arc<AtomicBool>>,
    ) -> impl std::future::Future<Output = ApiResult<Arc<Computed>>> + use<> {
        let job = self.clone();
        let skip = skip.cloned();
        async move {
            let SettleJob {
                store,
                key,
                overrides,
                provisional,
                permits,
                wait,
            } = job;
            with_permit(permits, wait, move || {
                if skip.is_some_and(|s| s.load(Ordering::Relaxed)) {
                    return Err(ApiError::Internal(SUPERSEDED.into()));
                }
                settle(&store, &key, &overrides, &provisional)
            })
            .await
        }
    }
}

/// Why a background computation of a full analysis was skipped (a newer version replaced it).
const SUPERSEDED: &str = "superseded by a newer version of the map";

/// Runs `f` on a blocking thread once one of `permits` is free, waiting at most `wait` for it
/// (then 503 `busy`).
async fn with_permit<T: Send + 'static>(
    permits: Arc<tokio::sync::Semaphore>,
    wait: std::time::Duration,
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let permit = tokio::time::timeout(wait, permits.acquire_owned()).await;
    let _permit = permit.ok().and_then(Result::ok).ok_or_else(|| {
        ApiError::Busy(format!(
            "the server is busy with other analyses and images; the analysis was not started, \
             try again in {} seconds",
            crate::graphviz::RETRY_AFTER_SECS
        ))
    })?;
    tokio::task::spawn_blocking(f).await?
}

/// Loads the map and analyses it (docs/method.md §2-8), taking over from `previous` (the same
/// key at an older version) what the changes since cannot have changed ([`carry`]); the map
/// itself is `previous`'s brought up to date from the change log ([`Store::refresh`]).
fn compute(
    store: &Store,
    key: &AnalysisKey,
    overrides: &Value,
    previous: Option<&Computed>,
) -> ApiResult<Arc<Computed>> {
    let (bundle, mark, patched) = match previous {
        Some(p) => {
            let r = store.refresh(&key.map, &p.bundle, &p.mark)?;
            (r.bundle, r.mark, r.patched)
        }
        None => {
            let (bundle, mark) = store.load_marked(&key.map)?;
            (bundle, mark, None)
        }
    };
    let settings = bundle
        .map
        .settings
        .with_overrides(overrides)
        .map_err(|m| ApiError::bad_param("settings", m))?;
    let settings = vertoog_store::with_today(settings, &bundle);
    let carried = previous
        .map(|p| carry(p, &bundle, &settings, patched.as_ref()))
        .unwrap_or_default();
    analysed(bundle, mark, settings, key, carried)
}

/// The full analysis of the map a provisional analysis was computed from: the same map and
/// settings, taking over its structures and discourse network but detecting the coalitions
/// from scratch.
fn settle(
    _store: &Store,
    key: &AnalysisKey,
    _overrides: &Value,
    provisional: &Computed,
) -> ApiResult<Arc<Computed>> {
    let c = &provisional.carried;
    let part = |p: &str| provisional.analysis.provisional.iter().any(|x| x == p);
    let carried = Carried {
        structure: c
            .structure
            .clone()
            .filter(|_| !part("structure.betweenness")),
        transition: c.transition.clone(),
        detected: c.detected.clone().filter(|_| !part("coalitions")),
        discourse: c.discourse.clone(),
        facts: c.facts.clone(),
        ..Carried::default()
    };
    let computed = analysed(
        provisional.bundle.clone(),
        provisional.mark.clone(),
        provisional.settings.clone(),
        key,
        carried,
    )?;
    Ok(computed)
}

fn analysed(
    bundle: Bundle,
    mark: LogMark,
    settings: Settings,
    key: &AnalysisKey,
    carried: Carried,
) -> ApiResult<Arc<Computed>> {
    let (ctx, analysis, carried, reused) =
        context_and_analysis_carrying(&bundle, &settings, key.window, key.lang, carried);
    // The re-analysis after an edit writes a new network of this size: memory for it is made
    // ready after a first analysis (nothing taken over), so that the first edit is not slower
    // than the later ones (those find the memory of the network the edit before replaced).
    if ctx.discourse.exact && reused.is_empty() {
        ctx.discourse.graph.reserve_spare_like();
    }
    let discourse = DiscourseEdges::of(&ctx);
    let json = serde_json::to_vec(&analysis)
        .map_err(|e| ApiError::Internal(format!("cannot write the analysis as JSON: {e}")))?;
    drop(ctx);
    Ok(Arc::new(Computed {
        bundle,
        settings,
        analysis,
        json: Bytes::from(json),
        discourse,
        carried,
        mark,
        reused,
        graphs: Default::default(),
        timelines: Default::default(),
    }))
}

/// The parts of `previous` that the analysis of `bundle` with `settings` may take over
/// (docs/decisions.md, "Re-analysis after an edit"): each only when everything it depends on
/// is equal. The structures need the same actor ids and ties (a stance edit keeps them; T's
/// structure is taken only if T is unchanged, which the analysis checks); the detected
/// coalitions need the same actor and narrative ids and stances, and the same ties unless the
/// basis is `discourse` (a tie edit keeps them). The settings (window included in the key)
/// must be equal for anything to be taken.
///
/// `patched`: the kinds of entity the refresh from `previous`'s map patched (`None` when the
/// map was loaded whole); the entities of any other kind are `previous`'s, so they are not
/// compared (200,000 stances compared after a tie edit took longer than the re-analysis' own
/// first steps).
fn carry(
    previous: &Computed,
    bundle: &Bundle,
    settings: &Settings,
    patched: Option<&BTreeSet<EntityKind>>,
) -> Carried {
    if previous.settings != *settings {
        return Carried::default();
    }
    let old = &previous.bundle;
    let untouched = |kind: EntityKind| patched.is_some_and(|p| !p.contains(&kind));
    let same_actors = untouched(EntityKind::Actor)
        || (old.actors.len() == bundle.actors.len()
            && old
                .actors
                .iter()
                .zip(&bundle.actors)
                .all(|(a, b)| a.id == b.id));
    let same_narratives = untouched(EntityKind::Narrative)
        || (old.narratives.len() == bundle.narratives.len()
            && old
                .narratives
                .iter()
                .zip(&bundle.narratives)
                .all(|(a, b)| a.id == b.id));
    let same_ties = same_actors && (untouched(EntityKind::Tie) || old.ties == bundle.ties);
    let same_positions = same_actors
        && same_narratives
        && (untouched(EntityKind::Stance) || same_stances(&old.stances, &bundle.stances));
    let ties_free = settings.coalition_basis == vertoog_model::CoalitionBasis::Discourse;
    let c = &previous.carried;
    // A provisional part is never taken over as it is (only as a start).
    let part = |p: &str| previous.analysis.provisional.iter().any(|x| x == p);
    let detected = if same_positions && (ties_free || same_ties) && !part("coalitions") {
        c.detected.clone()
    } else {
        None
    };
    let structure = if same_ties && !part("structure.betweenness") {
        c.structure.clone()
    } else {
        None
    };
    Carried {
        stale_structure: if structure.is_none() && same_actors {
            c.structure.clone()
        } else {
            None
        },
        structure,
        transition: if same_ties {
            c.transition.clone()
        } else {
            None
        },
        start: if detected.is_none() && same_actors {
            c.detected.clone()
        } else {
            None
        },
        detected,
        discourse: if same_actors {
            c.discourse.clone()
        } else {
            None
        },
        // The memo checks itself against the new structural graph (`FactsMemo::over`): after
        // a tie edit it keeps the sets whose subgraph the edit left alone.
        facts: c.facts.clone(),
    }
}

/// Whether two lists of stances are equal, compared on all cores (an M map has 200,000).
fn same_stances(a: &[vertoog_model::Stance], b: &[vertoog_model::Stance]) -> bool {
    use rayon::prelude::*;
    a.len() == b.len() && a.par_iter().zip(b).all(|(x, y)| x == y)
}

/// `supporter` | `opponent` | `undecided` | `silent`: the actor's alignment group (docs/method.md §4).
fn group_of(analysis: &Analysis, id: &str) -> &'static str {
    let t = &analysis.transition;
    let has = |v: &Vec<String>| v.binary_search_by(|x| x.as_str().cmp(id)).is_ok();
    if has(&t.supporters) {
        "supporter"
    } else if has(&t.opponents) {
        "opponent"
    } else if has(&t.undecided) {
        "undecided"
    } else {
        "silent"
    }
}

impl Computed {
    /// An estimate of the memory this entry holds: the analysis JSON, the map's entities
    /// (by their text and a fixed overhead each), the discourse pairs and the graphs and
    /// timelines drawn so far.
    pub fn estimated_bytes(&self) -> usize {
        let b = &self.bundle;
        let text: usize = b
            .actors
            .iter()
            .map(|a| a.id.len() + a.name.len() + 200)
            .sum::<usize>()
            + b.narratives
                .iter()
                .map(|n| n.id.len() + n.label.len() + 150)
                .sum::<usize>()
            + (b.stances.len() + b.ties.len()) * 160;
        let drawn: usize = self
            .graphs
            .iter()
            .chain(&self.timelines)
            .filter_map(|g| g.get().map(Bytes::len))
            .sum();
        // The analysis struct holds about what its JSON holds.
        2 * self.json.len() + text + self.discourse.bytes() + drawn
    }

    /// Actor id -> coalition id.
    pub fn coalition_of(&self) -> HashMap<&str, &str> {
        self.analysis
            .coalitions
            .iter()
            .flat_map(|c| c.members.iter().map(move |m| (m.as_str(), c.id.as_str())))
            .collect()
    }

    /// The analysis results the graph exports draw (DOT, GraphML, GEXF).
    pub fn annotations(&self) -> GraphAnnotations {
        crate::annotate::graph_annotations(&self.bundle, &self.analysis, self.discourse.named())
    }

    /// The graph of a view for the UI (see [`build_graph`]), computed once and kept.
    pub fn graph(&self, view: View) -> Bytes {
        let i = match view {
            View::Structure => 0,
            View::Discourse => 1,
            View::Coalitions => 2,
        };
        self.graphs[i]
            .get_or_init(|| {
                let v = build_graph(self, view);
                Bytes::from(serde_json::to_vec(&v).unwrap_or_default())
            })
            .clone()
    }
}

impl Computed {
    /// The timeline (`timeline --json` of docs/interfaces.md) of the analysed map and settings,
    /// computed once per period and kept. It covers the whole history, whatever the window.
    pub fn timeline(&self, period: Period) -> Bytes {
        let i = match period {
            Period::Month => 0,
            Period::Quarter => 1,
            Period::Year => 2,
        };
        self.timelines[i]
            .get_or_init(|| {
                let t = vertoog_analysis::timeline(&self.bundle, &self.settings, period);
                Bytes::from(serde_json::to_vec(&t).unwrap_or_default())
            })
            .clone()
    }
}

/// The graph of a view: `{"view", "nodes": [{"id", "name", "domain", "kind", "influence",
/// "coalition", "alignment", "group", "articulation_point", "x", "y"}], "edges": [{"source",
/// "target", "kind", "weight", "sign", ...}]}`.
///
/// Nodes are the map's actors in id order. Edges: the ties active in the window (structure
/// and coalitions views; `sign` -1 for `conflict`, else 1; with `id`, `directed`, `bridge`),
/// or the discourse network (discourse view; kind `discourse`, weight |w|, sign of w).
/// Positions come from `vertoog_layout::layout` (deterministic, seeded with the settings'
/// seed) over the attracting edges only: ties other than `conflict` (structure), w > 0
/// (discourse), and for the coalitions view the ties plus w > 0 between members of one
/// coalition, so that coalitions sit together.
pub fn build_graph(c: &Computed, view: View) -> Value {
    let b = &c.bundle;
    let a = &c.analysis;
    let mut actors: Vec<&vertoog_model::Actor> = b.actors.iter().collect();
    actors.sort_by(|x, y| x.id.cmp(&y.id));
    let index: HashMap<&str, usize> = actors
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let coalition_of = c.coalition_of();
    let cut_points: std::collections::HashSet<&str> = a
        .structure
        .articulation_points
        .iter()
        .map(String::as_str)
        .collect();
    let window = a.window;

    let mut edges_json = Vec::new();
    let mut layout_edges: Vec<(usize, usize, f64)> = Vec::new();
    let ties_active = || {
        b.ties
            .iter()
            .filter(move |t| t.active_in(window.from, window.to))
    };
    match view {
        View::Structure | View::Coalitions => {
            for t in ties_active() {
                let (Some(&s), Some(&d)) =
                    (index.get(t.source.as_str()), index.get(t.target.as_str()))
                else {
                    continue;
                };
                let bridge = a.structure.bridges.iter().any(|[x, y]| {
                    (x == &t.source && y == &t.target) || (x == &t.target && y == &t.source)
                });
                edges_json.push(json!({
                    "id": t.id, "source": t.source, "target": t.target,
                    "kind": t.kind.as_str(), "weight": t.weight,
                    "sign": if t.kind == TieKind::Conflict { -1 } else { 1 },
                    "directed": t.directed, "bridge": bridge,
                }));
                if t.kind != TieKind::Conflict {
                    layout_edges.push((s, d, t.weight));
                }
            }
            if view == View::Coalitions {
                for (x, y, w) in c.discourse.iter() {
                    let same = matches!((coalition_of.get(x), coalition_of.get(y)),
                        (Some(p), Some(q)) if p == q);
                    if w > 0.0 && same {
                        if let (Some(&s), Some(&d)) = (index.get(x), index.get(y)) {
                            layout_edges.push((s, d, w));
                        }
                    }
                }
            }
        }
        View::Discourse => {
            for (x, y, w) in c.discourse.iter() {
                let (Some(&s), Some(&d)) = (index.get(x), index.get(y)) else {
                    continue;
                };
                edges_json.push(json!({
                    "source": x, "target": y, "kind": "discourse",
                    "weight": w.abs(), "sign": if w < 0.0 { -1 } else { 1 },
                }));
                if w > 0.0 {
                    layout_edges.push((s, d, w));
                }
            }
        }
    }
    let positions = vertoog_layout::layout(actors.len(), &layout_edges, c.settings.seed);
    let nodes: Vec<Value> = actors
        .iter()
        .zip(positions)
        .map(|(act, (x, y))| {
            json!({
                "id": act.id, "name": act.name, "domain": act.domain,
                "kind": act.kind.as_str(), "influence": act.influence,
                "coalition": coalition_of.get(act.id.as_str()),
                "alignment": a.transition.alignment.get(&act.id),
                "group": group_of(a, &act.id),
                "articulation_point": cut_points.contains(act.id.as_str()),
                "x": round2(x), "y": round2(y),
            })
        })
        .collect();
    json!({"map": b.map.id, "view": view.as_str(), "nodes": nodes, "edges": edges_json})
}

/// Rounds a coordinate to 2 decimals (the UI needs no more; smaller JSON).
fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

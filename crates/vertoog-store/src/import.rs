//! Importing a bundle into a map: an upsert of every incoming entity, all-or-nothing, with
//! every problem reported at once, near-duplicate handling (stop, keep, merge), and one
//! change-log entry for the whole import (docs/interfaces.md §8, import rules).
//!
//! Cost: validation and writing are linear in the bundle; referential checks use hash sets.
//! The near-duplicate check (the rule of `vertoog_model::names`, through its pruned
//! [`NameIndex`]) compares each new actor (narrative) with the existing ones, which can stop
//! the import, and with the earlier new ones of the same import, which is only reported
//! ([`ImportReport::similar`]); it is skipped entirely with [`OnDuplicate::Keep`].

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};
use vertoog_model::{
    capped_bundle_errors, is_slug, validate_actor, validate_map, validate_narrative,
    validate_stance, validate_tie, Actor, Bundle, BundleError, Capped, EntityKind, FieldError,
    NameIndex, Narrative,
};

use crate::error::{DuplicateHit, Result, StoreError};
use crate::generic::Entity;
use crate::keys;
use crate::maps::map_errors;
use crate::txn::{encode, Txn};
use crate::{Operation, Store};

/// What to do with a new actor or narrative whose name resembles an existing one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnDuplicate {
    /// Store nothing and report every near-duplicate (the default, docs/interfaces.md §8).
    #[default]
    Stop,
    /// Store both.
    Keep,
    /// Map the new one onto the one it resembles: its stances and ties point there, its name
    /// becomes an alias (actors).
    Merge,
}

impl OnDuplicate {
    /// `stop` | `keep` | `merge`, as in `--on-duplicate`.
    pub fn as_str(self) -> &'static str {
        match self {
            OnDuplicate::Stop => "stop",
            OnDuplicate::Keep => "keep",
            OnDuplicate::Merge => "merge",
        }
    }
    /// `stop` | `keep` | `merge`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "stop" => Some(OnDuplicate::Stop),
            "keep" => Some(OnDuplicate::Keep),
            "merge" => Some(OnDuplicate::Merge),
            _ => None,
        }
    }
}

/// How to import.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    pub on_duplicate: OnDuplicate,
    /// Take name, description, domains and settings from the incoming bundle's map (for
    /// `import --create` of a JSON bundle). Otherwise the incoming `map` is ignored.
    pub apply_map_fields: bool,
}

/// Counts per entity kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KindCounts {
    pub actors: usize,
    pub narratives: usize,
    pub stances: usize,
    pub ties: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub interactions: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub commitments: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub plan: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl KindCounts {
    fn bump(&mut self, kind: EntityKind) {
        match kind {
            EntityKind::Actor => self.actors += 1,
            EntityKind::Narrative => self.narratives += 1,
            EntityKind::Stance => self.stances += 1,
            EntityKind::Tie => self.ties += 1,
            EntityKind::Interaction => self.interactions += 1,
            EntityKind::Commitment => self.commitments += 1,
            EntityKind::PlanItem => self.plan += 1,
            EntityKind::Map => {}
        }
    }
    /// Sum over the kinds.
    pub fn total(&self) -> usize {
        self.actors
            + self.narratives
            + self.stances
            + self.ties
            + self.interactions
            + self.commitments
            + self.plan
    }
}

/// A new entity that was mapped onto an existing (or earlier incoming) one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MergedPair {
    pub kind: EntityKind,
    /// Position in its list of the incoming bundle.
    pub index: usize,
    pub incoming_id: String,
    pub incoming_name: String,
    /// The entity it was merged into.
    pub into: String,
    pub score: f64,
}

/// Two new entities of one import whose names are near-duplicates of each other: reported,
/// both stored (a source's own entities are distinct by construction, e.g. a DNA database's).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimilarPair {
    pub kind: EntityKind,
    /// Position of the later one in its list of the incoming bundle.
    pub index: usize,
    pub incoming_id: String,
    pub incoming_name: String,
    /// Position of the earlier one it resembles in the same list.
    pub other_index: usize,
    pub other_id: String,
    pub other_name: String,
    pub score: f64,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ImportReport {
    pub created: KindCounts,
    pub updated: KindCounts,
    /// Incoming entities identical to the stored ones.
    pub unchanged: KindCounts,
    pub merged: Vec<MergedPair>,
    /// Near-duplicate names within this import (not stopping it).
    pub similar: Vec<SimilarPair>,
    pub warnings: Vec<String>,
    /// Seq of the import's change-log entry.
    pub log_seq: u64,
}

fn push_errors(
    out: &mut Capped<BundleError>,
    kind: EntityKind,
    index: usize,
    id: &str,
    errs: Vec<FieldError>,
) {
    for e in errs {
        out.push(BundleError {
            kind,
            index,
            id: id.to_string(),
            field: e.field,
            message: e.message,
        });
    }
}

enum Outcome {
    Created,
    Updated,
    Unchanged,
}

fn outcome(o: Option<bool>) -> Outcome {
    match o {
        None => Outcome::Unchanged,
        Some(true) => Outcome::Created,
        Some(false) => Outcome::Updated,
    }
}

/// Upsert of an actor or narrative.
fn upsert<E: Entity>(t: &mut Txn<'_>, e: &E) -> Result<Outcome> {
    let key = keys::entity_key(&t.map, E::KIND, e.id());
    let new = encode(e)?;
    let prev = t.get(&key)?;
    let outcome = match &prev {
        Some(p) if *p == new => return Ok(Outcome::Unchanged),
        Some(_) => Outcome::Updated,
        None => Outcome::Created,
    };
    t.put_known(key, Some(new), prev)?;
    Ok(outcome)
}

fn count(report: &mut ImportReport, kind: EntityKind, o: Outcome) {
    match o {
        Outcome::Created => report.created.bump(kind),
        Outcome::Updated => report.updated.bump(kind),
        Outcome::Unchanged => report.unchanged.bump(kind),
    }
}

fn add_aliases(a: &mut Actor, names: &[String]) {
    for n in names {
        if n != &a.name && !a.aliases.contains(n) {
            a.aliases.push(n.clone());
        }
    }
}

impl Store {
    /// Imports `incoming` into map `map` as one atomic write with one change-log entry.
    ///
    /// Every incoming entity is upserted (created, or replacing the stored one with its id).
    /// All problems are collected first: field errors (model validation against the map's
    /// vocabulary), duplicate ids within `incoming`, and references (`parent`, stance `actor`
    /// and `narrative`, tie `source` and `target`) that name neither a stored nor an incoming
    /// entity; any problem -> `Invalid` with all of them, each with its kind and its index in
    /// `incoming`, and nothing stored. Then near-duplicates (see [`OnDuplicate`]): a new
    /// actor (narrative) whose name (label) resembles a stored one or an earlier new one ->
    /// `Stop`: `NearDuplicates` listing every one, nothing stored; `Keep`: both stored (no
    /// check at all); `Merge`: mapped onto the one it resembles. Stances and ties without id
    /// get fresh `s<N>`/`t<N>` ids; ties that become self-ties through merging are dropped with
    /// a warning.
    pub fn import(
        &self,
        map: &str,
        incoming: Bundle,
        opts: ImportOptions,
        principal: &str,
    ) -> Result<ImportReport> {
        let (mut report, seq) = self.write(map, principal, |t| import_in_txn(t, incoming, opts))?;
        report.log_seq = seq;
        Ok(report)
    }
}

/// The import as named phases: the stored entities it is checked against, the effective map,
/// validation (every problem at once), near-duplicates, then the writes and the log entry.
pub(crate) fn import_in_txn(
    t: &mut Txn<'_>,
    incoming: Bundle,
    opts: ImportOptions,
) -> Result<ImportReport> {
    let start = std::time::Instant::now();
    let stored = Stored::load(t)?;
    let mut errors: Capped<BundleError> = Capped::new();
    let maps = effective_map(t, &incoming, opts, &mut errors)?;
    let ids = validate(t, &incoming, &stored, &maps, opts, errors)?;
    crate::timing(start, "import: validated");
    let mut report = ImportReport::default();
    let redirects = if opts.on_duplicate == OnDuplicate::Keep {
        Redirects::default()
    } else {
        near_duplicates(&t.map, &incoming, &stored, opts, &mut report)?
    };
    crate::timing(start, "import: near-duplicates");
    apply_map(t, &maps, opts)?;
    let Bundle {
        actors,
        narratives,
        stances,
        ties,
        interactions,
        commitments,
        plan,
        ..
    } = incoming;
    apply_actors(t, actors, &stored, &redirects, &mut report)?;
    apply_narratives(t, narratives, &redirects, &mut report)?;
    t.reserve(EntityKind::Stance, stances.len())?;
    t.reserve(EntityKind::Tie, ties.len())?;
    note_explicit_ids(t, &ids)?;
    crate::timing(start, "import: actors, narratives");
    apply_stances(t, stances, &redirects, &mut report)?;
    crate::timing(start, "import: stances");
    apply_ties(t, ties, &redirects, &mut report)?;
    apply_engagement(t, interactions, commitments, plan, &redirects, &mut report)?;
    log_import(t, &report);
    crate::timing(start, "import: ties, engagement");
    Ok(report)
}

/// The map's stored actors and narratives, by id.
struct Stored {
    actors: BTreeMap<String, Actor>,
    narratives: BTreeMap<String, Narrative>,
}

impl Stored {
    fn load(t: &mut Txn<'_>) -> Result<Self> {
        Ok(Stored {
            actors: t
                .scan::<Actor>()?
                .into_iter()
                .map(|a| (a.id.clone(), a))
                .collect(),
            narratives: t
                .scan::<Narrative>()?
                .into_iter()
                .map(|n| (n.id.clone(), n))
                .collect(),
        })
    }
}

/// The map record before the import and the one the import validates against (the incoming
/// map's fields when `apply_map_fields`).
struct Maps {
    old: vertoog_model::Map,
    effective: vertoog_model::Map,
}

/// Phase 1: the effective map, its own errors into `errors`.
fn effective_map(
    t: &mut Txn<'_>,
    incoming: &Bundle,
    opts: ImportOptions,
    errors: &mut Capped<BundleError>,
) -> Result<Maps> {
    let old = t.map_record()?;
    let effective = if opts.apply_map_fields {
        let mut m = old.clone();
        if !incoming.map.name.is_empty() {
            m.name = incoming.map.name.clone();
        }
        m.description = incoming.map.description.clone();
        m.domains = incoming.map.domains.clone();
        m.settings = incoming.map.settings.clone();
        errors.extend(map_errors(&m, validate_map(&m)));
        m
    } else {
        old.clone()
    };
    Ok(Maps { old, effective })
}

/// The highest `s<N>` / `t<N>` number among the explicit stance and tie ids of the bundle
/// (validated unique): all that the id counters need to know of them.
struct ExplicitIds {
    stances: Option<u64>,
    ties: Option<u64>,
}

/// Which ids a reference may name: a stored entity or one of the bundle (with its index).
struct Known<'a> {
    stored: &'a Stored,
    actors: FxHashMap<&'a str, usize>,
    narratives: FxHashMap<&'a str, usize>,
}

impl Known<'_> {
    fn actor(&self, id: &str) -> bool {
        self.stored.actors.contains_key(id) || self.actors.contains_key(id)
    }
    fn narrative(&self, id: &str) -> bool {
        self.stored.narratives.contains_key(id) || self.narratives.contains_key(id)
    }
}

/// Phase 2: every problem of the bundle, in list order (field errors against the effective
/// map, duplicate ids, unknown references); `Invalid` with all of them, or the explicit ids.
fn validate(
    t: &Txn<'_>,
    incoming: &Bundle,
    stored: &Stored,
    maps: &Maps,
    opts: ImportOptions,
    mut errors: Capped<BundleError>,
) -> Result<ExplicitIds> {
    let mut known = Known {
        stored,
        actors: FxHashMap::default(),
        narratives: FxHashMap::default(),
    };
    validate_actors(incoming, maps, opts, &mut known, &mut errors);
    validate_narratives(incoming, &mut known, &mut errors);
    let stances = validate_stances(incoming, &known, &mut errors);
    let ties = validate_ties(incoming, &known, &mut errors);
    crate::engagement::check_import(
        t,
        incoming,
        &|id| known.actor(id),
        &|id| known.narrative(id),
        &mut |kind, i, id, errs| push_errors(&mut errors, kind, i, id, errs),
    )?;
    if !errors.is_empty() {
        return Err(StoreError::Invalid(capped_bundle_errors(errors)));
    }
    Ok(ExplicitIds { stances, ties })
}

fn validate_actors<'a>(
    incoming: &'a Bundle,
    maps: &Maps,
    opts: ImportOptions,
    known: &mut Known<'a>,
    errors: &mut Capped<BundleError>,
) {
    let eff_map = &maps.effective;
    for (i, a) in incoming.actors.iter().enumerate() {
        let mut errs = validate_actor(a, eff_map);
        if known.actors.insert(a.id.as_str(), i).is_some() {
            errs.push(FieldError::new(
                "id",
                format!("duplicate actor id `{}`", a.id),
            ));
        }
        push_errors(errors, EntityKind::Actor, i, &a.id, errs);
    }
    for (i, a) in incoming.actors.iter().enumerate() {
        if let Some(p) = &a.parent {
            if is_slug(p) && p != &a.id && !known.actor(p) {
                push_errors(
                    errors,
                    EntityKind::Actor,
                    i,
                    &a.id,
                    vec![FieldError::new("parent", format!("unknown actor `{p}`"))],
                );
            }
        }
    }
    if opts.apply_map_fields && eff_map.domains != maps.old.domains {
        for a in known.stored.actors.values() {
            if !known.actors.contains_key(a.id.as_str()) && !eff_map.has_domain(&a.domain) {
                errors.push(BundleError {
                    kind: EntityKind::Map,
                    index: 0,
                    id: eff_map.id.clone(),
                    field: "domains".into(),
                    message: format!(
                        "stored actor `{}` uses domain `{}`, which the new vocabulary lacks",
                        a.id, a.domain
                    ),
                });
            }
        }
    }
}

fn validate_narratives<'a>(
    incoming: &'a Bundle,
    known: &mut Known<'a>,
    errors: &mut Capped<BundleError>,
) {
    for (i, n) in incoming.narratives.iter().enumerate() {
        let mut errs = validate_narrative(n);
        if known.narratives.insert(n.id.as_str(), i).is_some() {
            errs.push(FieldError::new(
                "id",
                format!("duplicate narrative id `{}`", n.id),
            ));
        }
        push_errors(errors, EntityKind::Narrative, i, &n.id, errs);
    }
}

/// The positions in `ids` of the ids that occurred before (empty ones never do).
fn repeats<'a>(
    ids: impl Iterator<Item = &'a str>,
) -> std::iter::Peekable<std::vec::IntoIter<(usize, usize)>> {
    let ids: Vec<&str> = ids.collect();
    vertoog_model::repeated_ids(&ids).into_iter().peekable()
}

/// The checks of the explicit ids of one kind's rows, in row order: a repeat of an earlier id
/// is an error on `id`, and the highest explicit number is kept (for the id counter).
struct IdChecks {
    kind: EntityKind,
    repeated: std::iter::Peekable<std::vec::IntoIter<(usize, usize)>>,
    max: Option<u64>,
}

impl IdChecks {
    fn new<'a>(kind: EntityKind, ids: impl Iterator<Item = &'a str>) -> Self {
        IdChecks {
            kind,
            repeated: repeats(ids),
            max: None,
        }
    }

    /// Row `i`, with id `id` (empty: none given).
    fn check(&mut self, i: usize, id: &str, errs: &mut Vec<FieldError>) {
        if id.is_empty() {
            return;
        }
        if self.repeated.next_if(|(r, _)| *r == i).is_some() {
            errs.push(FieldError::new(
                "id",
                format!("duplicate {} id `{id}`", self.kind.as_str()),
            ));
        }
        self.max = self.max.max(keys::id_number(self.kind, id));
    }
}

/// Returns the highest `s<N>` number among the explicit ids.
fn validate_stances(
    incoming: &Bundle,
    known: &Known<'_>,
    errors: &mut Capped<BundleError>,
) -> Option<u64> {
    let mut ids = IdChecks::new(
        EntityKind::Stance,
        incoming.stances.iter().map(|x| x.id.as_str()),
    );
    for (i, s) in incoming.stances.iter().enumerate() {
        let mut errs = validate_stance(s);
        ids.check(i, &s.id, &mut errs);
        if is_slug(&s.actor) && !known.actor(&s.actor) {
            errs.push(FieldError::new(
                "actor",
                format!("unknown actor `{}`", s.actor),
            ));
        }
        if is_slug(&s.narrative) && !known.narrative(&s.narrative) {
            errs.push(FieldError::new(
                "narrative",
                format!("unknown narrative `{}`", s.narrative),
            ));
        }
        push_errors(errors, EntityKind::Stance, i, &s.id, errs);
    }
    ids.max
}

/// Returns the highest `t<N>` number among the explicit ids.
fn validate_ties(
    incoming: &Bundle,
    known: &Known<'_>,
    errors: &mut Capped<BundleError>,
) -> Option<u64> {
    let mut ids = IdChecks::new(EntityKind::Tie, incoming.ties.iter().map(|x| x.id.as_str()));
    for (i, tie) in incoming.ties.iter().enumerate() {
        let mut errs = validate_tie(tie);
        ids.check(i, &tie.id, &mut errs);
        for (field, id) in [("source", &tie.source), ("target", &tie.target)] {
            if is_slug(id) && !known.actor(id) {
                errs.push(FieldError::new(field, format!("unknown actor `{id}`")));
            }
        }
        push_errors(errors, EntityKind::Tie, i, &tie.id, errs);
    }
    ids.max
}

/// Where merged entities go: new id -> the stored id it was merged into, and the names each
/// stored actor gains as aliases.
#[derive(Default)]
struct Redirects {
    actors: HashMap<String, String>,
    narratives: HashMap<String, String>,
    alias_adds: BTreeMap<String, Vec<String>>,
}

impl Redirects {
    fn actor(&self, id: String) -> String {
        self.actors.get(&id).cloned().unwrap_or(id)
    }
    fn narrative(&self, id: String) -> String {
        self.narratives.get(&id).cloned().unwrap_or(id)
    }
}

/// Phase 3 (not with [`OnDuplicate::Keep`]): new actors and narratives against the stored
/// names (stop or merge) and against the earlier new ones (reported in `similar`); each name
/// is looked up in a pruned [`NameIndex`], so the pass stays sub-quadratic.
fn near_duplicates(
    map: &str,
    incoming: &Bundle,
    stored: &Stored,
    opts: ImportOptions,
    report: &mut ImportReport,
) -> Result<Redirects> {
    let merge = opts.on_duplicate == OnDuplicate::Merge;
    let mut hits = Vec::new();
    let mut redirects = Redirects::default();
    let none: &[String] = &[];
    let actors = near_duplicates_of(
        EntityKind::Actor,
        map,
        stored
            .actors
            .values()
            .map(|a| Named::new(&a.id, &a.name, &a.aliases)),
        incoming
            .actors
            .iter()
            .map(|a| Named::new(&a.id, &a.name, &a.aliases)),
        merge,
        &mut hits,
        report,
    );
    for (i, into) in actors {
        let a = &incoming.actors[i];
        let names = redirects.alias_adds.entry(into.clone()).or_default();
        names.push(a.name.clone());
        names.extend(a.aliases.iter().cloned());
        redirects.actors.insert(a.id.clone(), into);
    }
    let narratives = near_duplicates_of(
        EntityKind::Narrative,
        map,
        stored
            .narratives
            .values()
            .map(|n| Named::new(&n.id, &n.label, none)),
        incoming
            .narratives
            .iter()
            .map(|n| Named::new(&n.id, &n.label, none)),
        merge,
        &mut hits,
        report,
    );
    for (i, into) in narratives {
        redirects
            .narratives
            .insert(incoming.narratives[i].id.clone(), into);
    }
    if !hits.is_empty() {
        return Err(StoreError::NearDuplicates(hits));
    }
    Ok(redirects)
}

/// An actor (name and aliases) or a narrative (label) as the near-duplicate pass sees it.
struct Named<'a> {
    id: &'a str,
    name: &'a str,
    aliases: &'a [String],
}

impl<'a> Named<'a> {
    fn new(id: &'a str, name: &'a str, aliases: &'a [String]) -> Self {
        Named { id, name, aliases }
    }

    /// The name, then the aliases.
    fn names(&self) -> impl Iterator<Item = &'a str> {
        std::iter::once(self.name).chain(self.aliases.iter().map(String::as_str))
    }
}

/// The near-duplicate pass of one kind. A new entity (its id not stored) whose name
/// resembles a stored one is a hit (`hits`), or with `merge` is merged into it: the returned
/// (incoming index, stored id) pairs, one to one (a second resembling entity is imported as
/// new, with a warning), so merges never chain. New entities that resemble each other are
/// imported both and reported in `report.similar`.
fn near_duplicates_of<'a>(
    kind: EntityKind,
    map: &str,
    stored: impl Iterator<Item = Named<'a>>,
    incoming: impl Iterator<Item = Named<'a>>,
    merge: bool,
    hits: &mut Vec<DuplicateHit>,
    report: &mut ImportReport,
) -> Vec<(usize, String)> {
    // Only stored names: a merge goes into a stored entity, never into another new one.
    let mut index = NameIndex::new();
    let mut stored_ids: HashSet<&str> = HashSet::new();
    for e in stored {
        stored_ids.insert(e.id);
        for n in e.names() {
            index.add(e.id, e.name, n);
        }
    }
    let mut fresh = NameIndex::new();
    let mut fresh_index: HashMap<String, usize> = HashMap::new();
    // Stored entity -> the one new entity merged into it.
    let mut taken: HashMap<String, String> = HashMap::new();
    let mut merged = Vec::new();
    for (i, e) in incoming.enumerate() {
        if stored_ids.contains(e.id) {
            continue;
        }
        let found = index.best(e.name, |_| false);
        if let (Some(c), true) = (&found, merge) {
            if let Some(first) = taken.get(&c.id) {
                let join = if kind == EntityKind::Actor {
                    format!(
                        " (if they are the same, join them with `vertoog merge --map {map} {} {}`)",
                        c.id, e.id
                    )
                } else {
                    String::new()
                };
                report.warnings.push(format!(
                    "{kind} `{}` ({}) was not merged: it resembles `{}` ({}), into which `{first}` was already merged in this import; it was imported as a new {kind}{join}",
                    e.name, e.id, c.name, c.id
                ));
            } else {
                taken.insert(c.id.clone(), e.id.to_string());
                merged.push((i, c.id.clone()));
                report.merged.push(MergedPair {
                    kind,
                    index: i,
                    incoming_id: e.id.to_string(),
                    incoming_name: e.name.to_string(),
                    into: c.id.clone(),
                    score: c.score,
                });
                continue;
            }
        } else if let Some(candidate) = found {
            hits.push(DuplicateHit {
                kind,
                index: i,
                incoming_id: e.id.to_string(),
                incoming_name: e.name.to_string(),
                candidate,
            });
        }
        let best = e.names().filter_map(|n| fresh.best(n, |_| false)).fold(
            None,
            |best: Option<vertoog_model::NearDuplicate>, c| match best {
                Some(b) if b.score >= c.score => Some(b),
                _ => Some(c),
            },
        );
        if let Some(c) = best {
            report.similar.push(SimilarPair {
                kind,
                index: i,
                incoming_id: e.id.to_string(),
                incoming_name: e.name.to_string(),
                other_index: fresh_index[&c.id],
                other_id: c.id,
                other_name: c.name,
                score: c.score,
            });
        }
        fresh_index.insert(e.id.to_string(), i);
        for n in e.names() {
            fresh.add(e.id, e.name, n);
        }
    }
    merged
}

/// Phase 4: the map record, when the import changes its fields.
fn apply_map(t: &mut Txn<'_>, maps: &Maps, opts: ImportOptions) -> Result<()> {
    let (old, eff) = (&maps.old, &maps.effective);
    if opts.apply_map_fields
        && (eff.name != old.name
            || eff.description != old.description
            || eff.domains != old.domains
            || eff.settings != old.settings)
    {
        t.put_json(keys::map_key(&t.map), eff)?;
    }
    Ok(())
}

/// Phase 5: the actors (not the merged ones), then the stored actors that gained aliases.
fn apply_actors(
    t: &mut Txn<'_>,
    actors: Vec<Actor>,
    stored: &Stored,
    redirects: &Redirects,
    report: &mut ImportReport,
) -> Result<()> {
    let mut alias_adds = redirects.alias_adds.clone();
    for mut a in actors {
        if redirects.actors.contains_key(&a.id) {
            continue;
        }
        a.parent = a.parent.map(|p| redirects.actor(p)).filter(|p| p != &a.id);
        if let Some(names) = alias_adds.remove(&a.id) {
            add_aliases(&mut a, &names);
        }
        let o = upsert(t, &a)?;
        count(report, EntityKind::Actor, o);
    }
    for (target, names) in alias_adds {
        if let Some(existing) = stored.actors.get(&target) {
            let mut a = existing.clone();
            add_aliases(&mut a, &names);
            let o = upsert(t, &a)?;
            count(report, EntityKind::Actor, o);
        }
    }
    Ok(())
}

/// Phase 6: the narratives (not the merged ones).
fn apply_narratives(
    t: &mut Txn<'_>,
    narratives: Vec<Narrative>,
    redirects: &Redirects,
    report: &mut ImportReport,
) -> Result<()> {
    for n in narratives {
        if redirects.narratives.contains_key(&n.id) {
            continue;
        }
        let o = upsert(t, &n)?;
        count(report, EntityKind::Narrative, o);
    }
    Ok(())
}

/// Explicit stance and tie ids first, so that fresh ones come after all of them.
fn note_explicit_ids(t: &mut Txn<'_>, ids: &ExplicitIds) -> Result<()> {
    if let Some(n) = ids.stances {
        t.note_number(EntityKind::Stance, n)?;
    }
    if let Some(n) = ids.ties {
        t.note_number(EntityKind::Tie, n)?;
    }
    Ok(())
}

/// Phase 7: the stances, references redirected to merged entities, fresh ids where none.
fn apply_stances(
    t: &mut Txn<'_>,
    stances: Vec<vertoog_model::Stance>,
    redirects: &Redirects,
    report: &mut ImportReport,
) -> Result<()> {
    let mut stances = stances;
    for s in &mut stances {
        if !redirects.actors.is_empty() {
            s.actor = redirects.actor(std::mem::take(&mut s.actor));
        }
        if !redirects.narratives.is_empty() {
            s.narrative = redirects.narrative(std::mem::take(&mut s.narrative));
        }
        if s.id.is_empty() {
            s.id = t.next_id(EntityKind::Stance)?;
        }
    }
    let encoded = encode_all(stances, |s| std::mem::take(&mut s.id))?;
    for o in t.upsert_many(EntityKind::Stance, encoded)? {
        count(report, EntityKind::Stance, outcome(o));
    }
    Ok(())
}

/// `(id, JSON)` of each entity, in list order, encoded on every core. `take_id` moves the
/// id out of an entity after its encoding.
fn encode_all<T: Serialize + Send>(
    list: Vec<T>,
    take_id: impl Fn(&mut T) -> String + Sync,
) -> Result<Vec<(String, Vec<u8>)>> {
    list.into_par_iter()
        .with_min_len(4096)
        .map(|mut e| {
            let json = encode(&e)?;
            Ok((take_id(&mut e), json))
        })
        .collect()
}

/// Phase 8: the ties, ends redirected; a tie whose ends became one actor is dropped with a
/// warning.
fn apply_ties(
    t: &mut Txn<'_>,
    ties: Vec<vertoog_model::Tie>,
    redirects: &Redirects,
    report: &mut ImportReport,
) -> Result<()> {
    let mut kept = Vec::with_capacity(ties.len());
    for (i, mut tie) in ties.into_iter().enumerate() {
        // The ends as imported, kept only when merging can change them.
        let original = (!redirects.actors.is_empty()).then(|| {
            let ends = (tie.source.clone(), tie.target.clone());
            tie.source = redirects.actor(std::mem::take(&mut tie.source));
            tie.target = redirects.actor(std::mem::take(&mut tie.target));
            ends
        });
        if tie.source == tie.target {
            let (source, target) =
                original.unwrap_or_else(|| (tie.source.clone(), tie.target.clone()));
            report.warnings.push(format!(
                "tie #{} between `{source}` and `{target}` was dropped: after merging, both ends are `{}`",
                i + 1,
                tie.source
            ));
            continue;
        }
        if tie.id.is_empty() {
            tie.id = t.next_id(EntityKind::Tie)?;
        }
        kept.push(tie);
    }
    let encoded = encode_all(kept, |tie| std::mem::take(&mut tie.id))?;
    for o in t.upsert_many(EntityKind::Tie, encoded)? {
        count(report, EntityKind::Tie, outcome(o));
    }
    Ok(())
}

/// Phase 9: the interactions, commitments and plan items, references redirected.
fn apply_engagement(
    t: &mut Txn<'_>,
    interactions: Vec<vertoog_model::Interaction>,
    commitments: Vec<vertoog_model::Commitment>,
    plan: Vec<vertoog_model::PlanItem>,
    redirects: &Redirects,
    report: &mut ImportReport,
) -> Result<()> {
    crate::engagement::apply_import(
        t,
        interactions,
        commitments,
        plan,
        &|id| redirects.actor(id),
        &|id| redirects.narrative(id),
        &mut |kind, created, updated| {
            let o = if created {
                Outcome::Created
            } else if updated {
                Outcome::Updated
            } else {
                Outcome::Unchanged
            };
            count(report, kind, o)
        },
    )
}

/// Phase 10: one change-log entry for the whole import.
fn log_import(t: &mut Txn<'_>, report: &ImportReport) {
    let summary = format!(
        "import: created {} actors, {} narratives, {} stances, {} ties; updated {}; merged {}",
        report.created.actors,
        report.created.narratives,
        report.created.stances,
        report.created.ties,
        report.updated.total(),
        report.merged.len()
    );
    let map_id = t.map.clone();
    t.log(Operation::Import, EntityKind::Map, &map_id, summary, true);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{seeded, store};
    use vertoog_model::{Map, Stance, Tie, TieKind};

    fn opts(on_duplicate: OnDuplicate) -> ImportOptions {
        ImportOptions {
            on_duplicate,
            apply_map_fields: false,
        }
    }

    #[test]
    fn bad_rows_store_nothing_and_all_errors_are_reported() {
        let (_d, s) = seeded();
        let before = s.load("m").unwrap();
        let v = s.map_version("m").unwrap();
        let log_len = s.log("m").unwrap().len();
        let mut b = Bundle::new(Map::new("ignored"));
        b.actors = vec![
            Actor::new("x", "Kadaster"),
            Actor::new("Bad Id", "Y"),
            Actor::new("x", "Kadaster again"),
        ];
        b.narratives = vec![Narrative::new("n9", "", false)];
        b.stances = vec![
            Stance::new("", "x", "n1", 1),
            Stance::new("", "ghost", "n1", 5),
            Stance::new("s77", "a", "n9", 1),
        ];
        b.ties = vec![
            Tie::new("", "x", "x", TieKind::Conflict),
            Tie::new("", "a", "nobody", TieKind::Conflict),
        ];
        let errs = match s
            .import("m", b, opts(OnDuplicate::Keep), "ann")
            .unwrap_err()
        {
            StoreError::Invalid(e) => e,
            e => panic!("{e}"),
        };
        let got: Vec<(EntityKind, usize, &str)> = errs
            .iter()
            .map(|e| (e.kind, e.index, e.field.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (EntityKind::Actor, 1, "id"),
                (EntityKind::Actor, 2, "id"),
                (EntityKind::Narrative, 0, "label"),
                (EntityKind::Stance, 1, "position"),
                (EntityKind::Stance, 1, "actor"),
                (EntityKind::Tie, 0, "target"),
                (EntityKind::Tie, 1, "target"),
            ]
        );
        assert_eq!(s.load("m").unwrap(), before);
        assert_eq!(s.map_version("m").unwrap(), v);
        assert_eq!(s.log("m").unwrap().len(), log_len);
    }

    #[test]
    fn a_repeated_stance_or_tie_id_is_an_error_on_the_later_row() {
        let (_d, s) = seeded();
        let before = s.load("m").unwrap();
        let mut b = Bundle::new(Map::new("m"));
        b.stances = vec![
            Stance::new("s50", "a", "n1", 1),
            Stance::new("", "b", "n1", 1),
            Stance::new("s50", "b", "n2", 2),
        ];
        b.ties = vec![
            Tie::new("t9", "a", "b", TieKind::Collaboration),
            Tie::new("t9", "b", "a", TieKind::Conflict),
        ];
        let errs = match s
            .import("m", b, opts(OnDuplicate::Keep), "ann")
            .unwrap_err()
        {
            StoreError::Invalid(e) => e,
            e => panic!("{e}"),
        };
        let got: Vec<(EntityKind, usize, &str, &str)> = errs
            .iter()
            .map(|e| (e.kind, e.index, e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (EntityKind::Stance, 2, "id", "duplicate stance id `s50`"),
                (EntityKind::Tie, 1, "id", "duplicate tie id `t9`"),
            ]
        );
        assert_eq!(s.load("m").unwrap(), before);
    }

    #[test]
    fn ids_are_assigned_around_explicit_ones_and_upserts_count() {
        let (_d, s) = seeded();
        let mut b = Bundle::new(Map::new("m"));
        // s4 is explicit in the bundle: fresh ids must skip it.
        b.stances = vec![
            Stance::new("", "a", "n1", 1),
            Stance::new("s4", "b", "n2", 1),
            Stance::new("s1", "a", "n1", 2), // identical to the stored s1
            Stance::new("s2", "b", "n1", 1), // changes s2
        ];
        let r = s.import("m", b, opts(OnDuplicate::Stop), "ann").unwrap();
        assert_eq!(r.created.stances, 2);
        assert_eq!(r.updated.stances, 1);
        assert_eq!(r.unchanged.stances, 1);
        let ids: Vec<String> = s
            .load("m")
            .unwrap()
            .stances
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(ids, ["s1", "s2", "s3", "s4", "s5"]);
        assert_eq!(s.get_stance("m", "s5").unwrap().narrative, "n1");
        // The counter moved on: the next single create gets s6.
        let st = s
            .create_stance("m", Stance::new("", "a", "n2", 0), "ann")
            .unwrap();
        assert_eq!(st.id, "s6");
    }

    #[test]
    fn near_duplicates_stop_keep_merge() {
        let bundle = || {
            let mut b = Bundle::new(Map::new("m"));
            b.actors = vec![
                Actor::new("bzk", "Min. BZK"),
                Actor::new("kad", "Kadaster"),
                Actor::new("kad2", "Het Kadaster"),
            ];
            b.narratives = vec![Narrative::new("dbd", "Digital-by-default", false)];
            b.stances = vec![
                Stance::new("", "bzk", "n2", -1),
                Stance::new("", "kad2", "dbd", 2),
            ];
            b.ties = vec![
                Tie::new("", "bzk", "a", TieKind::Communication),
                Tie::new("", "bzk", "b", TieKind::Communication),
            ];
            b
        };
        // Stop: every hit reported, nothing stored.
        let (_d, s) = seeded();
        let before = s.load("m").unwrap();
        match s
            .import("m", bundle(), opts(OnDuplicate::Stop), "ann")
            .unwrap_err()
        {
            StoreError::NearDuplicates(hits) => {
                let got: Vec<(EntityKind, usize, &str, &str)> = hits
                    .iter()
                    .map(|h| {
                        (
                            h.kind,
                            h.index,
                            h.incoming_id.as_str(),
                            h.candidate.id.as_str(),
                        )
                    })
                    .collect();
                // kad2 resembles kad of the same import: reported on success, never a stop.
                assert_eq!(
                    got,
                    vec![
                        (EntityKind::Actor, 0, "bzk", "a"),
                        (EntityKind::Narrative, 0, "dbd", "n1"),
                    ]
                );
            }
            e => panic!("{e}"),
        }
        assert_eq!(s.load("m").unwrap(), before);

        // Keep: all stored.
        let r = s
            .import("m", bundle(), opts(OnDuplicate::Keep), "ann")
            .unwrap();
        assert_eq!(r.created.actors, 3);
        assert_eq!(r.created.ties, 2);
        assert_eq!(s.load("m").unwrap().actors.len(), 6);

        // Merge: bzk -> a, dbd -> n1 (only into stored ones); kad2 stays (it resembles a new
        // actor, reported as similar); the tie bzk-a becomes a self-tie.
        let (_d2, s) = seeded();
        let r = s
            .import("m", bundle(), opts(OnDuplicate::Merge), "ann")
            .unwrap();
        let pairs: Vec<(&str, &str)> = r
            .merged
            .iter()
            .map(|p| (p.incoming_id.as_str(), p.into.as_str()))
            .collect();
        assert_eq!(pairs, [("bzk", "a"), ("dbd", "n1")]);
        let similar: Vec<(usize, &str, usize, &str)> = r
            .similar
            .iter()
            .map(|p| {
                (
                    p.index,
                    p.incoming_id.as_str(),
                    p.other_index,
                    p.other_id.as_str(),
                )
            })
            .collect();
        assert_eq!(similar, [(2, "kad2", 1, "kad")]);
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].contains("tie #1"));
        let m = s.load("m").unwrap();
        assert_eq!(
            m.actors.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c", "kad", "kad2"]
        );
        assert_eq!(m.actor("a").unwrap().aliases, ["Min. BZK"]);
        assert!(m.actor("kad").unwrap().aliases.is_empty());
        assert_eq!(m.narratives.len(), 2);
        let s4 = m.stances.iter().find(|s| s.id == "s4").unwrap();
        assert_eq!((s4.actor.as_str(), s4.narrative.as_str()), ("a", "n2"));
        let s5 = m.stances.iter().find(|s| s.id == "s5").unwrap();
        assert_eq!((s5.actor.as_str(), s5.narrative.as_str()), ("kad2", "n1"));
        assert_eq!(m.ties.len(), 3);
        assert!(m.validate().is_empty());
    }

    #[test]
    fn merge_is_one_to_one_and_never_transitive() {
        let (_d, s) = store();
        s.create_map(Map::new("m"), "ann").unwrap();
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![
            Actor::new("aalsmeer", "Muncipality of Aalsmeer"),
            Actor::new("heerenveen", "Municpality of Heerenveen"),
        ];
        s.import("m", b, opts(OnDuplicate::Stop), "ann").unwrap();
        // A second study: other places with the same typo, two spellings of Heerenveen.
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![
            Actor::new("amsterdam", "Muncipality of Amsterdam"),
            Actor::new("leeuwarden", "Muncipality of Leeuwarden"),
            Actor::new("rotterdam", "Muncipality of Rotterdam"),
            Actor::new("heerenveen2", "Muncipality of Heerenveen"),
            Actor::new("heerenveen3", "Gemeente Heerenveen"),
        ];
        // Stop: only the Heerenveen spellings resemble a stored actor.
        match s
            .import("m", b.clone(), opts(OnDuplicate::Stop), "ann")
            .unwrap_err()
        {
            StoreError::NearDuplicates(hits) => {
                let got: Vec<(&str, &str)> = hits
                    .iter()
                    .map(|h| (h.incoming_id.as_str(), h.candidate.id.as_str()))
                    .collect();
                assert_eq!(
                    got,
                    [("heerenveen2", "heerenveen"), ("heerenveen3", "heerenveen")]
                );
            }
            e => panic!("{e}"),
        }
        let r = s.import("m", b, opts(OnDuplicate::Merge), "ann").unwrap();
        let pairs: Vec<(&str, &str)> = r
            .merged
            .iter()
            .map(|p| (p.incoming_id.as_str(), p.into.as_str()))
            .collect();
        // One to one: heerenveen3 is not merged too; it is reported and kept.
        assert_eq!(pairs, [("heerenveen2", "heerenveen")]);
        assert!(
            r.warnings.iter().any(|w| w.contains("heerenveen3")
                && w.contains("vertoog merge --map m heerenveen heerenveen3")),
            "{:?}",
            r.warnings
        );
        let m = s.load("m").unwrap();
        let ids: Vec<&str> = m.actors.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "aalsmeer",
                "amsterdam",
                "heerenveen",
                "heerenveen3",
                "leeuwarden",
                "rotterdam"
            ]
        );
        assert_eq!(m.actor("aalsmeer").unwrap().aliases, Vec::<String>::new());
        assert_eq!(
            m.actor("heerenveen").unwrap().aliases,
            ["Muncipality of Heerenveen"]
        );
    }

    #[test]
    fn similar_names_within_one_import_are_reported_not_stopped() {
        let (_d, s) = store();
        s.create_map(Map::new("m"), "ann").unwrap();
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![
            Actor::new("h1", "Municpality of Heerenveen"),
            Actor::new("w", "University of Wageningen"),
            Actor::new("g", "University of Groningen"),
            Actor::new("h2", "Muncipality of Heerenveen"),
            Actor::new("nagad", "Nagad"),
            Actor::new("nagam", "Nagam"),
        ];
        b.actors
            .extend((1..=34).map(|i| Actor::new(format!("m{i}"), format!("Member {i}"))));
        let r = s.import("m", b, opts(OnDuplicate::Stop), "ann").unwrap();
        assert_eq!(r.created.actors, 40);
        let similar: Vec<(usize, &str, usize, &str)> = r
            .similar
            .iter()
            .map(|p| {
                (
                    p.index,
                    p.incoming_id.as_str(),
                    p.other_index,
                    p.other_id.as_str(),
                )
            })
            .collect();
        assert_eq!(similar, [(3, "h2", 0, "h1")]);
    }

    /// A re-import that mixes new, changed and identical stances over many buckets (some
    /// holding stored stances, some empty): the counts per outcome, the stored result and
    /// an exact undo of the import alone.
    #[test]
    fn a_reimport_upserts_bucket_by_bucket_and_undoes_exactly() {
        let (_d, s) = seeded();
        let first = |i: usize| Stance::new(format!("s{}", 100 + i), "a", "n1", (i % 5) as i8 - 2);
        let mut b = Bundle::new(Map::new("m"));
        b.stances = (0..600).map(first).collect();
        s.import("m", b, opts(OnDuplicate::Keep), "ann").unwrap();
        let before = s.load("m").unwrap();
        // Every third changed, the others identical, then 900 new ones (explicit and fresh).
        let mut b = Bundle::new(Map::new("m"));
        b.stances = (0..600)
            .map(|i| {
                let mut st = first(i);
                if i % 3 == 0 {
                    st.narrative = "n2".into();
                }
                st
            })
            .collect();
        b.stances.extend((0..900).map(|i| {
            Stance::new(
                if i % 2 == 0 {
                    String::new()
                } else {
                    format!("s{}", 5000 + i)
                },
                "b",
                "n2",
                1,
            )
        }));
        let r = s.import("m", b, opts(OnDuplicate::Keep), "ann").unwrap();
        assert_eq!(r.updated.stances, 200);
        assert_eq!(r.unchanged.stances, 400);
        assert_eq!(r.created.stances, 900);
        let after = s.load("m").unwrap();
        assert_eq!(after.stances.len(), 3 + 600 + 900);
        assert_eq!(s.get_stance("m", "s103").unwrap().narrative, "n2");
        assert_eq!(s.get_stance("m", "s104").unwrap().narrative, "n1");
        // Fresh ids come after the highest explicit one (s5899).
        assert!(s.get_stance("m", "s5900").is_ok());
        assert_eq!(s.log("m").unwrap().last().unwrap().changes, 200 + 900);
        s.undo("m", None, "ann").unwrap();
        let mut back = s.load("m").unwrap();
        back.map = before.map.clone();
        assert_eq!(back, before);
    }

    #[test]
    fn map_fields_are_applied_only_on_request() {
        let (_d, s) = store();
        s.create_map(Map::new("m"), "ann").unwrap();
        let mut b = Bundle::new(Map::new("other"));
        b.map.name = "Basisregistraties".into();
        b.map.domains = vec!["rijk".into(), "other".into()];
        let mut a = Actor::new("a", "A");
        a.domain = "rijk".into();
        b.actors = vec![a];
        // Without apply_map_fields the domain `rijk` is unknown.
        assert!(matches!(
            s.import("m", b.clone(), ImportOptions::default(), "ann"),
            Err(StoreError::Invalid(_))
        ));
        let o = ImportOptions {
            on_duplicate: OnDuplicate::Stop,
            apply_map_fields: true,
        };
        s.import("m", b, o, "ann").unwrap();
        let m = s.get_map("m").unwrap();
        assert_eq!(m.id, "m");
        assert_eq!(m.name, "Basisregistraties");
        assert_eq!(m.domains, ["rijk", "other"]);
        // Undo restores the map fields too.
        s.undo("m", None, "ann").unwrap();
        assert_eq!(s.get_map("m").unwrap().name, "m");
        assert!(s.load("m").unwrap().actors.is_empty());
    }

    #[test]
    fn many_stances_across_buckets_undo_exactly() {
        let (_d, s) = seeded();
        let mut b = Bundle::new(Map::new("m"));
        b.actors = (0..50)
            .map(|i| Actor::new(format!("x{i}"), format!("Org {i}")))
            .collect();
        b.stances = (0..3000)
            .map(|i| {
                Stance::new(
                    "",
                    format!("x{}", i % 50),
                    if i % 2 == 0 { "n1" } else { "n2" },
                    (i % 5) as i8 - 2,
                )
            })
            .collect();
        b.ties = (0..200)
            .map(|i| {
                Tie::new(
                    "",
                    format!("x{}", i % 50),
                    format!("x{}", (i + 1) % 50),
                    TieKind::Communication,
                )
            })
            .collect();
        let r = s.import("m", b, opts(OnDuplicate::Keep), "ann").unwrap();
        assert_eq!(r.created.stances, 3000);
        assert_eq!(r.created.ties, 200);
        let full = s.load("m").unwrap();
        assert_eq!(full.stances.len(), 3003);
        assert_eq!(s.list_stances("m", 10, 3000).unwrap().0.len(), 3);
        assert_eq!(s.get_stance("m", "s3003").unwrap().actor, "x49");
        // x7 has 60 stances and 8 ties.
        let d = s.delete_actor("m", "x7", "ann").unwrap();
        assert_eq!(d.stances.len(), 60);
        assert_eq!(d.ties.len(), 8);
        assert_eq!(s.load("m").unwrap().stances.len(), 3003 - 60);
        s.undo("m", None, "ann").unwrap();
        assert_eq!(s.load("m").unwrap(), {
            let mut f = full.clone();
            f.map = s.get_map("m").unwrap();
            f
        });
        // And the import as a whole.
        s.undo("m", Some(r.log_seq - 1), "ann").unwrap();
        let back = s.load("m").unwrap();
        assert_eq!(back.stances.len(), 3);
        assert_eq!(back.ties.len(), 2);
        assert_eq!(back.actors.len(), 3);
    }

    /// Throughput check, run on demand: `cargo test -p vertoog-store --release -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn import_throughput() {
        let (_d, s) = store();
        s.create_map(Map::new("m"), "ann").unwrap();
        let mut b = Bundle::new(Map::new("m"));
        let n_actors = 5_000;
        b.actors = (0..n_actors)
            .map(|i| Actor::new(format!("a{i}"), format!("Actor {i}")))
            .collect();
        b.narratives = (0..500)
            .map(|i| Narrative::new(format!("n{i}"), format!("Narrative {i}"), i % 7 == 0))
            .collect();
        b.stances = (0..200_000)
            .map(|i| {
                Stance::new(
                    "",
                    format!("a{}", i % n_actors),
                    format!("n{}", (i * 7) % 500),
                    ((i % 5) as i8) - 2,
                )
            })
            .collect();
        let t0 = std::time::Instant::now();
        let r = s
            .import(
                "m",
                b,
                ImportOptions {
                    on_duplicate: OnDuplicate::Keep,
                    apply_map_fields: false,
                },
                "ann",
            )
            .unwrap();
        let secs = t0.elapsed().as_secs_f64();
        assert_eq!(r.created.stances, 200_000);
        println!(
            "imported 200000 stances in {secs:.2}s: {:.0} stances/s",
            200_000.0 / secs
        );
        let t0 = std::time::Instant::now();
        let mut m = s.load("m").unwrap();
        println!("load: {:.2}s", t0.elapsed().as_secs_f64());
        assert_eq!(m.stances.len(), 200_000);
        // Round trip: the exported bundle (explicit ids) into an empty map.
        s.create_map(Map::new("copy"), "ann").unwrap();
        m.map = Map::new("copy");
        let t0 = std::time::Instant::now();
        let r = s
            .import(
                "copy",
                m,
                ImportOptions {
                    on_duplicate: OnDuplicate::Keep,
                    apply_map_fields: false,
                },
                "ann",
            )
            .unwrap();
        let secs = t0.elapsed().as_secs_f64();
        assert_eq!(r.created.stances, 200_000);
        println!(
            "re-imported 200000 stances with ids in {secs:.2}s: {:.0} stances/s",
            200_000.0 / secs
        );
        assert_eq!(
            s.load("copy").unwrap().stances,
            s.load("m").unwrap().stances
        );
        // With the near-duplicate check on (5,000 actor names, none similar enough).
        s.create_map(Map::new("dup"), "ann").unwrap();
        let mut b = Bundle::new(Map::new("dup"));
        b.actors = (0..n_actors)
            .map(|i| {
                Actor::new(
                    format!("a{i}"),
                    format!("{:x}", (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
                )
            })
            .collect();
        let t0 = std::time::Instant::now();
        let r = s.import("dup", b, ImportOptions::default(), "ann");
        println!(
            "near-duplicates found: {}",
            match &r {
                Err(StoreError::NearDuplicates(h)) => h.len(),
                _ => 0,
            }
        );
        println!(
            "5000 actors with near-duplicate check: {:.2}s",
            t0.elapsed().as_secs_f64()
        );
    }
}

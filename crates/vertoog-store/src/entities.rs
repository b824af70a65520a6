//! Actors, narratives, stances and ties: list, get, create, update, delete, each one atomic
//! write with one change-log entry (cascades included).

use serde::Serialize;
use vertoog_model::{
    find_near_duplicates, is_slug, unique_slug, validate_actor, validate_narrative,
    validate_stance, validate_tie, Actor, EntityKind, FieldError, Narrative, Stance, Tie,
};

use crate::error::{invalid_fields, invalid_one, DuplicateHit, Result, StoreError};
use crate::generic::seal::Stored;
use crate::generic::{Entity, ListQuery};
use crate::keys;
use crate::storage;
use crate::txn::{decode, Txn};
use crate::{Operation, Store};

impl Entity for Actor {
    const KIND: EntityKind = EntityKind::Actor;
    fn id(&self) -> &str {
        &self.id
    }
}
impl Entity for Narrative {
    const KIND: EntityKind = EntityKind::Narrative;
    fn id(&self) -> &str {
        &self.id
    }
}
impl Entity for Stance {
    const KIND: EntityKind = EntityKind::Stance;
    const FILTERS: &'static [&'static str] = &["actor", "narrative"];
    fn id(&self) -> &str {
        &self.id
    }
}
impl Entity for Tie {
    const KIND: EntityKind = EntityKind::Tie;
    const FILTERS: &'static [&'static str] = &["actor"];
    fn id(&self) -> &str {
        &self.id
    }
}

/// Stances and ties: entities that point at others, whose ids the store may assign, and that
/// are written without a near-duplicate check.
pub(crate) trait Linked: Entity {
    fn set_linked_id(&mut self, id: String);
    /// Field errors and references to missing entities, all of them.
    fn check(&self, t: &Txn<'_>) -> Result<Vec<FieldError>>;
    /// What the change log says about it, e.g. `utrecht on digital: +1`.
    fn describe(&self) -> String;
    /// Makes the fields that follow others agree before a write (a commitment's `closed_on`
    /// follows its status).
    fn settle(&mut self) {}
    /// Removes references to the deleted entity `id` from others.
    fn forget(_t: &mut Txn<'_>, _id: &str) -> Result<()> {
        Ok(())
    }
    /// Whether it passes the filters of `q` that apply to its kind.
    fn filter(&self, _q: &ListQuery) -> bool {
        true
    }
}

/// Every kind that points at others is stored the same way: checked, given the kind's next
/// free id when it has none, written with one log entry; its own hooks settle derived fields
/// and clean up after a delete.
impl<E: Linked> Stored for E {
    fn set_id(&mut self, id: String) {
        self.set_linked_id(id);
    }
    fn insert(t: &mut Txn<'_>, mut e: Self, _force: bool) -> Result<Self> {
        e.settle();
        t.insert_linked(e)
    }
    fn replace(t: &mut Txn<'_>, id: &str, mut e: Self) -> Result<Self> {
        e.settle();
        t.replace_linked(id, e)
    }
    fn remove(t: &mut Txn<'_>, old: Self) -> Result<DeleteReport> {
        let id = old.id().to_string();
        let report = t.remove_linked(old)?;
        E::forget(t, &id)?;
        Ok(report)
    }
    fn passes(&self, q: &ListQuery) -> bool {
        self.filter(q)
    }
}

impl Linked for Stance {
    fn set_linked_id(&mut self, id: String) {
        self.id = id;
    }
    fn filter(&self, q: &ListQuery) -> bool {
        q.actor.as_ref().is_none_or(|a| &self.actor == a)
            && q.narrative.as_ref().is_none_or(|n| &self.narrative == n)
    }
    fn check(&self, t: &Txn<'_>) -> Result<Vec<FieldError>> {
        let mut errs = validate_stance(self);
        t.check_stance_refs(self, &mut errs)?;
        Ok(errs)
    }
    fn describe(&self) -> String {
        format!(
            "{} on {}: {}",
            self.actor,
            self.narrative,
            signed(self.position)
        )
    }
}

impl Linked for Tie {
    fn set_linked_id(&mut self, id: String) {
        self.id = id;
    }
    fn filter(&self, q: &ListQuery) -> bool {
        q.actor
            .as_ref()
            .is_none_or(|a| &self.source == a || &self.target == a)
    }
    fn check(&self, t: &Txn<'_>) -> Result<Vec<FieldError>> {
        let mut errs = validate_tie(self);
        t.check_tie_refs(self, &mut errs)?;
        Ok(errs)
    }
    fn describe(&self) -> String {
        format!("{} - {}, {}", self.source, self.target, self.kind.as_str())
    }
}

/// What deleting an actor or narrative removed or changed along with it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DeleteReport {
    /// Ids of the stances deleted with it.
    pub stances: Vec<String>,
    /// Ids of the ties deleted with it.
    pub ties: Vec<String>,
    /// Actors whose `parent` was the deleted actor and is now empty.
    pub children: Vec<String>,
    /// Interactions deleted with it (it was their only actor).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interactions: Vec<String>,
    /// Commitments deleted with it (made in the relation with it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<String>,
    /// Seq of the change-log entry.
    pub log_seq: u64,
}

fn not_found(kind: EntityKind, map: &str, id: &str) -> StoreError {
    StoreError::NotFound {
        kind,
        id: id.to_string(),
        map: map.to_string(),
    }
}

fn signed(p: i8) -> String {
    if p > 0 {
        format!("+{p}")
    } else {
        p.to_string()
    }
}

impl<'a> Txn<'a> {
    pub(crate) fn get_entity<E: Entity>(&self, id: &str) -> Result<Option<E>> {
        self.get_json(&keys::entity_key(&self.map, E::KIND, id))
    }

    pub(crate) fn require<E: Entity>(&self, id: &str) -> Result<E> {
        self.get_entity(id)?
            .ok_or_else(|| not_found(E::KIND, &self.map, id))
    }

    pub(crate) fn put_entity<E: Entity>(&mut self, e: &E) -> Result<()> {
        if matches!(
            E::KIND,
            EntityKind::Stance
                | EntityKind::Tie
                | EntityKind::Interaction
                | EntityKind::Commitment
                | EntityKind::PlanItem
        ) {
            self.note_id(E::KIND, e.id())?;
        }
        self.put_json(keys::entity_key(&self.map, E::KIND, e.id()), e)
    }

    pub(crate) fn delete_entity(&mut self, kind: EntityKind, id: &str) -> Result<()> {
        self.delete(keys::entity_key(&self.map, kind, id))
    }

    pub(crate) fn entity_exists(&self, kind: EntityKind, id: &str) -> Result<bool> {
        self.exists(&keys::entity_key(&self.map, kind, id))
    }

    /// Every stored entity of a kind (as stored before this write's own changes).
    pub(crate) fn scan<E: Entity>(&self) -> Result<Vec<E>> {
        storage::scan_entities(self.db, &self.map, E::KIND)?
            .into_iter()
            .map(|(id, v)| decode(&v, &format!("{} `{id}`", E::KIND)))
            .collect()
    }

    /// Stored entities of a kind, sorted by id, whose JSON holds the string `"id"` (a cheap byte filter
    /// before decoding; callers check the field they mean).
    pub(crate) fn scan_mentioning<E: Entity>(&self, id: &str) -> Result<Vec<E>> {
        let needle = format!("\"{id}\"");
        let needle = needle.as_bytes();
        let mut out: Vec<E> = Vec::new();
        storage::for_each_entity(self.db, &self.map, E::KIND, |eid, v| {
            if v.windows(needle.len()).any(|w| w == needle) {
                out.push(decode(v, &format!("{} `{eid}`", E::KIND))?);
            }
            Ok(())
        })?;
        out.sort_by(|a, b| a.id().cmp(b.id()));
        Ok(out)
    }

    /// `parent` must name another existing actor, and must not make a cycle.
    fn check_parent(&self, actor: &Actor, errs: &mut Vec<FieldError>) -> Result<()> {
        let Some(parent) = &actor.parent else {
            return Ok(());
        };
        if !is_slug(parent) || parent == &actor.id {
            return Ok(()); // validate_actor reports these
        }
        if !self.entity_exists(EntityKind::Actor, parent)? {
            errs.push(FieldError::new(
                "parent",
                format!("unknown actor `{parent}`"),
            ));
            return Ok(());
        }
        let mut cur = parent.clone();
        for _ in 0..100_000 {
            let Some(p) = self.get_entity::<Actor>(&cur)? else {
                break;
            };
            match p.parent {
                Some(next) if next == actor.id => {
                    errs.push(FieldError::new(
                        "parent",
                        format!(
                            "`{parent}` is below `{}` already: parents would form a cycle",
                            actor.id
                        ),
                    ));
                    break;
                }
                Some(next) => cur = next,
                None => break,
            }
        }
        Ok(())
    }

    fn check_stance_refs(&self, s: &Stance, errs: &mut Vec<FieldError>) -> Result<()> {
        if is_slug(&s.actor) && !self.entity_exists(EntityKind::Actor, &s.actor)? {
            errs.push(FieldError::new(
                "actor",
                format!("unknown actor `{}`", s.actor),
            ));
        }
        if is_slug(&s.narrative) && !self.entity_exists(EntityKind::Narrative, &s.narrative)? {
            errs.push(FieldError::new(
                "narrative",
                format!("unknown narrative `{}`", s.narrative),
            ));
        }
        Ok(())
    }

    fn check_tie_refs(&self, t: &Tie, errs: &mut Vec<FieldError>) -> Result<()> {
        for (field, id) in [("source", &t.source), ("target", &t.target)] {
            if is_slug(id) && !self.entity_exists(EntityKind::Actor, id)? {
                errs.push(FieldError::new(field, format!("unknown actor `{id}`")));
            }
        }
        Ok(())
    }

    /// Deletes an actor with its stances and ties, clearing `parent` of its children.
    pub(crate) fn cascade_delete_actor(&mut self, id: &str) -> Result<DeleteReport> {
        let mut report = DeleteReport::default();
        for s in self.scan_mentioning::<Stance>(id)? {
            if s.actor == id {
                self.delete_entity(EntityKind::Stance, &s.id)?;
                report.stances.push(s.id);
            }
        }
        for t in self.scan_mentioning::<Tie>(id)? {
            if t.source == id || t.target == id {
                self.delete_entity(EntityKind::Tie, &t.id)?;
                report.ties.push(t.id);
            }
        }
        for mut a in self.scan_mentioning::<Actor>(id)? {
            if a.parent.as_deref() == Some(id) {
                a.parent = None;
                self.put_entity(&a)?;
                report.children.push(a.id);
            }
        }
        let eng = self.cascade_actor_engagement(id)?;
        report.interactions = eng.interactions_deleted;
        report.commitments = eng.commitments_deleted;
        self.delete_entity(EntityKind::Actor, id)?;
        Ok(report)
    }
}

fn hits_to_error(
    kind: EntityKind,
    id: &str,
    name: &str,
    hits: Vec<vertoog_model::NearDuplicate>,
) -> StoreError {
    StoreError::NearDuplicates(
        hits.into_iter()
            .map(|candidate| DuplicateHit {
                kind,
                index: 0,
                incoming_id: id.to_string(),
                incoming_name: name.to_string(),
                candidate,
            })
            .collect(),
    )
}

/// Actors: an empty id becomes the slug of the name, unique in the map; validated against the map's vocabulary, `parent` must exist and not make a
/// cycle; a new actor's name must not resemble an existing one's unless forced.
impl Stored for Actor {
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
    fn insert(t: &mut Txn<'_>, mut actor: Actor, force: bool) -> Result<Actor> {
        let m = t.map_record()?;
        let existing = if actor.id.is_empty() || !force {
            t.scan::<Actor>()?
        } else {
            Vec::new()
        };
        if actor.id.is_empty() {
            actor.id = free_slug(&actor.name, existing.iter().map(|a| a.id.as_str()));
        }
        let mut errs = validate_actor(&actor, &m);
        t.check_parent(&actor, &mut errs)?;
        if !errs.is_empty() {
            return Err(invalid_fields(EntityKind::Actor, &actor.id, errs));
        }
        t.require_free::<Actor>(&actor.id)?;
        if !force {
            let hits = find_near_duplicates(
                &actor.name,
                None,
                existing
                    .iter()
                    .map(|a| (a.id.as_str(), a.name.as_str(), a.aliases.as_slice())),
            );
            if !hits.is_empty() {
                return Err(hits_to_error(
                    EntityKind::Actor,
                    &actor.id,
                    &actor.name,
                    hits,
                ));
            }
        }
        t.put_entity(&actor)?;
        let summary = format!("created actor `{}` ({})", actor.id, actor.name);
        t.log(
            Operation::Create,
            EntityKind::Actor,
            &actor.id,
            summary,
            true,
        );
        Ok(actor)
    }
    fn replace(t: &mut Txn<'_>, id: &str, actor: Actor) -> Result<Actor> {
        let m = t.map_record()?;
        let mut errs = validate_actor(&actor, &m);
        t.check_parent(&actor, &mut errs)?;
        if !errs.is_empty() {
            return Err(invalid_fields(EntityKind::Actor, id, errs));
        }
        t.put_entity(&actor)?;
        let summary = format!("updated actor `{id}` ({})", actor.name);
        t.log(Operation::Update, EntityKind::Actor, id, summary, true);
        Ok(actor)
    }
    fn remove(t: &mut Txn<'_>, a: Actor) -> Result<DeleteReport> {
        let report = t.cascade_delete_actor(&a.id)?;
        let summary = format!(
            "deleted actor `{}` ({}) with {} stances and {} ties",
            a.id,
            a.name,
            report.stances.len(),
            report.ties.len()
        );
        t.log(Operation::Delete, EntityKind::Actor, &a.id, summary, true);
        Ok(report)
    }
}

/// The slug of `name`, made unique among `taken` (`-2`, `-3`, ... appended).
fn free_slug<'a>(name: &str, taken: impl Iterator<Item = &'a str>) -> String {
    let taken: std::collections::HashSet<&str> = taken.collect();
    unique_slug(name, |s| taken.contains(s))
}

/// Narratives: valid fields; a new label must not resemble an existing one unless forced.
impl Stored for Narrative {
    fn set_id(&mut self, id: String) {
        self.id = id;
    }
    fn insert(t: &mut Txn<'_>, mut narrative: Narrative, force: bool) -> Result<Narrative> {
        let existing = if narrative.id.is_empty() || !force {
            t.scan::<Narrative>()?
        } else {
            Vec::new()
        };
        if narrative.id.is_empty() {
            narrative.id = free_slug(&narrative.label, existing.iter().map(|n| n.id.as_str()));
        }
        let errs = validate_narrative(&narrative);
        if !errs.is_empty() {
            return Err(invalid_fields(EntityKind::Narrative, &narrative.id, errs));
        }
        t.require_free::<Narrative>(&narrative.id)?;
        if !force {
            let none: Vec<String> = Vec::new();
            let hits = find_near_duplicates(
                &narrative.label,
                None,
                existing
                    .iter()
                    .map(|n| (n.id.as_str(), n.label.as_str(), none.as_slice())),
            );
            if !hits.is_empty() {
                return Err(hits_to_error(
                    EntityKind::Narrative,
                    &narrative.id,
                    &narrative.label,
                    hits,
                ));
            }
        }
        t.put_entity(&narrative)?;
        let summary = format!("created narrative `{}` ({})", narrative.id, narrative.label);
        t.log(
            Operation::Create,
            EntityKind::Narrative,
            &narrative.id,
            summary,
            true,
        );
        Ok(narrative)
    }
    fn replace(t: &mut Txn<'_>, id: &str, narrative: Narrative) -> Result<Narrative> {
        let errs = validate_narrative(&narrative);
        if !errs.is_empty() {
            return Err(invalid_fields(EntityKind::Narrative, id, errs));
        }
        t.put_entity(&narrative)?;
        let summary = format!("updated narrative `{id}` ({})", narrative.label);
        t.log(Operation::Update, EntityKind::Narrative, id, summary, true);
        Ok(narrative)
    }
    fn remove(t: &mut Txn<'_>, n: Narrative) -> Result<DeleteReport> {
        let id = n.id.as_str();
        let mut report = DeleteReport::default();
        for s in t.scan_mentioning::<Stance>(id)? {
            if s.narrative == id {
                t.delete_entity(EntityKind::Stance, &s.id)?;
                report.stances.push(s.id);
            }
        }
        t.cascade_narrative_engagement(id)?;
        t.delete_entity(EntityKind::Narrative, id)?;
        let summary = format!(
            "deleted narrative `{id}` ({}) with {} stances",
            n.label,
            report.stances.len()
        );
        t.log(Operation::Delete, EntityKind::Narrative, id, summary, true);
        Ok(report)
    }
}

impl Txn<'_> {
    /// `Conflict` when an entity of this kind with this id exists.
    pub(crate) fn require_free<E: Entity>(&self, id: &str) -> Result<()> {
        if self.entity_exists(E::KIND, id)? {
            return Err(StoreError::Conflict(format!(
                "{} `{id}` already exists in map `{}`",
                E::KIND,
                self.map
            )));
        }
        Ok(())
    }

    /// Checks and writes a new entity that points at others; an empty id gets the kind's
    /// next free id (`s<N>`, `t<N>`, `i<N>`, `k<N>`, `p<N>`).
    pub(crate) fn insert_linked<E: Linked>(&mut self, mut e: E) -> Result<E> {
        let errs = e.check(self)?;
        if !errs.is_empty() {
            return Err(invalid_fields(E::KIND, e.id(), errs));
        }
        if e.id().is_empty() {
            e.set_id(self.next_id(E::KIND)?);
        } else {
            self.require_free::<E>(e.id())?;
        }
        self.put_entity(&e)?;
        let summary = format!("created {} `{}` ({})", E::KIND, e.id(), e.describe());
        self.log(Operation::Create, E::KIND, e.id(), summary, true);
        Ok(e)
    }

    pub(crate) fn replace_linked<E: Linked>(&mut self, id: &str, e: E) -> Result<E> {
        let errs = e.check(self)?;
        if !errs.is_empty() {
            return Err(invalid_fields(E::KIND, id, errs));
        }
        self.put_entity(&e)?;
        let summary = format!("updated {} `{id}` ({})", E::KIND, e.describe());
        self.log(Operation::Update, E::KIND, id, summary, true);
        Ok(e)
    }

    pub(crate) fn remove_linked<E: Linked>(&mut self, old: E) -> Result<DeleteReport> {
        let id = old.id().to_string();
        self.delete_entity(E::KIND, &id)?;
        let summary = format!("deleted {} `{id}` ({})", E::KIND, old.describe());
        self.log(Operation::Delete, E::KIND, &id, summary, true);
        Ok(DeleteReport::default())
    }
}

/// Typed shorthands of the generic entity API ([`Store::list`], [`Store::get`],
/// [`Store::create`], [`Store::update`], [`Store::delete`]) for the four kinds of the map
/// itself, without preconditions.
impl Store {
    /// Actors of a map sorted by id: the page `offset..offset+limit` and the total count.
    pub fn list_actors(
        &self,
        map: &str,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Actor>, usize)> {
        self.list(map, &ListQuery::page(limit, offset))
    }
    /// Narratives of a map sorted by id: the page and the total count.
    pub fn list_narratives(
        &self,
        map: &str,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Narrative>, usize)> {
        self.list(map, &ListQuery::page(limit, offset))
    }
    /// Stances of a map sorted by id (byte order): the page and the total count.
    pub fn list_stances(
        &self,
        map: &str,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Stance>, usize)> {
        self.list(map, &ListQuery::page(limit, offset))
    }
    /// Ties of a map sorted by id (byte order): the page and the total count.
    pub fn list_ties(&self, map: &str, limit: usize, offset: usize) -> Result<(Vec<Tie>, usize)> {
        self.list(map, &ListQuery::page(limit, offset))
    }
    /// One actor; `NotFound` (for the map or the actor) when absent.
    pub fn get_actor(&self, map: &str, id: &str) -> Result<Actor> {
        self.get(map, id)
    }
    /// One narrative.
    pub fn get_narrative(&self, map: &str, id: &str) -> Result<Narrative> {
        self.get(map, id)
    }
    /// One stance.
    pub fn get_stance(&self, map: &str, id: &str) -> Result<Stance> {
        self.get(map, id)
    }
    /// One tie.
    pub fn get_tie(&self, map: &str, id: &str) -> Result<Tie> {
        self.get(map, id)
    }
    /// Creates an actor. Checks: fields (model::validate_actor against the map's vocabulary),
    /// `parent` names an existing actor, the id is free (`Conflict`), and unless `force`, no
    /// existing actor's name or alias resembles its name (docs/interfaces.md §8) ->
    /// `NearDuplicates` with every candidate.
    pub fn create_actor(
        &self,
        map: &str,
        actor: Actor,
        principal: &str,
        force: bool,
    ) -> Result<Actor> {
        self.create(map, actor, principal, force)
    }
    /// Replaces actor `id` with `actor` (its id is taken from `id`). Same checks as create
    /// (no near-duplicate check), plus: `parent` must not form a cycle.
    pub fn update_actor(
        &self,
        map: &str,
        id: &str,
        actor: Actor,
        principal: &str,
    ) -> Result<Actor> {
        self.update(map, id, actor, principal, None)
    }
    /// Deletes an actor with its stances and ties; children lose their `parent`. One log
    /// entry, undoable as a whole.
    pub fn delete_actor(&self, map: &str, id: &str, principal: &str) -> Result<DeleteReport> {
        self.delete::<Actor>(map, id, principal, None)
    }
    /// Creates a narrative: fields valid, id free (`Conflict`), and unless `force`, no
    /// existing label resembles its label (`NearDuplicates`).
    pub fn create_narrative(
        &self,
        map: &str,
        narrative: Narrative,
        principal: &str,
        force: bool,
    ) -> Result<Narrative> {
        self.create(map, narrative, principal, force)
    }
    /// Replaces narrative `id` (id taken from `id`).
    pub fn update_narrative(
        &self,
        map: &str,
        id: &str,
        narrative: Narrative,
        principal: &str,
    ) -> Result<Narrative> {
        self.update(map, id, narrative, principal, None)
    }
    /// Deletes a narrative with its stances; one log entry, undoable as a whole.
    pub fn delete_narrative(&self, map: &str, id: &str, principal: &str) -> Result<DeleteReport> {
        self.delete::<Narrative>(map, id, principal, None)
    }
    /// Creates a stance. An empty id gets the next free `s<N>`; a given id must be free
    /// (`Conflict`). `actor` and `narrative` must exist (`Invalid` naming the field).
    pub fn create_stance(&self, map: &str, stance: Stance, principal: &str) -> Result<Stance> {
        self.create(map, stance, principal, false)
    }
    /// Replaces stance `id` (id taken from `id`); same checks as create.
    pub fn update_stance(
        &self,
        map: &str,
        id: &str,
        stance: Stance,
        principal: &str,
    ) -> Result<Stance> {
        self.update(map, id, stance, principal, None)
    }
    /// Deletes one stance.
    pub fn delete_stance(&self, map: &str, id: &str, principal: &str) -> Result<()> {
        self.delete::<Stance>(map, id, principal, None).map(|_| ())
    }
    /// Creates a tie. An empty id gets the next free `t<N>`; a given id must be free.
    /// `source` and `target` must be existing, different actors.
    pub fn create_tie(&self, map: &str, tie: Tie, principal: &str) -> Result<Tie> {
        self.create(map, tie, principal, false)
    }
    /// Replaces tie `id` (id taken from `id`); same checks as create.
    pub fn update_tie(&self, map: &str, id: &str, tie: Tie, principal: &str) -> Result<Tie> {
        self.update(map, id, tie, principal, None)
    }
    /// Deletes one tie.
    pub fn delete_tie(&self, map: &str, id: &str, principal: &str) -> Result<()> {
        self.delete::<Tie>(map, id, principal, None).map(|_| ())
    }

    /// Deletes an entity of any kind but `map` (for code that has the kind as a value).
    pub fn delete_entity(
        &self,
        map: &str,
        kind: EntityKind,
        id: &str,
        principal: &str,
    ) -> Result<DeleteReport> {
        use vertoog_model::{Commitment, Interaction, PlanItem};
        match kind {
            EntityKind::Actor => self.delete::<Actor>(map, id, principal, None),
            EntityKind::Narrative => self.delete::<Narrative>(map, id, principal, None),
            EntityKind::Stance => self.delete::<Stance>(map, id, principal, None),
            EntityKind::Tie => self.delete::<Tie>(map, id, principal, None),
            EntityKind::Interaction => self.delete::<Interaction>(map, id, principal, None),
            EntityKind::Commitment => self.delete::<Commitment>(map, id, principal, None),
            EntityKind::PlanItem => self.delete::<PlanItem>(map, id, principal, None),
            EntityKind::Map => Err(invalid_one(
                EntityKind::Map,
                id,
                "kind",
                "use delete_map to delete a map".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{seeded, store};
    use vertoog_model::{Map, TieKind};

    #[test]
    fn actor_crud() {
        let (_d, s) = seeded();
        let (page, total) = s.list_actors("m", 2, 1).unwrap();
        assert_eq!(total, 3);
        assert_eq!(
            page.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            ["b", "c"]
        );
        let mut b = s.get_actor("m", "b").unwrap();
        b.influence = 0.9;
        b.id = "ignored".into();
        let b2 = s.update_actor("m", "b", b, "ann").unwrap();
        assert_eq!(b2.id, "b");
        assert_eq!(s.get_actor("m", "b").unwrap().influence, 0.9);
        // Invalid fields name the field.
        let mut bad = Actor::new("d", "D");
        bad.domain = "nowhere".into();
        bad.parent = Some("ghost".into());
        match s.create_actor("m", bad, "ann", false).unwrap_err() {
            StoreError::Invalid(errs) => {
                let f: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(f, ["domain", "parent"]);
            }
            e => panic!("{e}"),
        }
        assert!(matches!(
            s.create_actor("m", Actor::new("a", "Other name"), "ann", false),
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.get_actor("m", "zz"),
            Err(StoreError::NotFound {
                kind: EntityKind::Actor,
                ..
            })
        ));
        assert!(matches!(
            s.get_actor("nomap", "a"),
            Err(StoreError::NotFound {
                kind: EntityKind::Map,
                ..
            })
        ));
        // A parent cycle is refused: c's parent is a; a's parent c would close it.
        let mut a = s.get_actor("m", "a").unwrap();
        a.parent = Some("c".into());
        match s.update_actor("m", "a", a, "ann").unwrap_err() {
            StoreError::Invalid(errs) => assert_eq!(errs[0].field, "parent"),
            e => panic!("{e}"),
        }
    }

    #[test]
    fn near_duplicate_actor_needs_force() {
        let (_d, s) = seeded();
        let err = s
            .create_actor("m", Actor::new("bzk", "Min. BZK"), "ann", false)
            .unwrap_err();
        match &err {
            StoreError::NearDuplicates(hits) => {
                assert_eq!(hits.len(), 1);
                assert_eq!(hits[0].candidate.id, "a");
                assert_eq!(hits[0].incoming_id, "bzk");
            }
            e => panic!("{e}"),
        }
        assert!(err.to_string().contains("resembles `a`"));
        s.create_actor("m", Actor::new("bzk", "Min. BZK"), "ann", true)
            .unwrap();
        assert_eq!(s.list_actors("m", 100, 0).unwrap().1, 4);
        assert!(matches!(
            s.create_narrative(
                "m",
                Narrative::new("n3", "Digital by default!", false),
                "ann",
                false
            ),
            Err(StoreError::NearDuplicates(_))
        ));
    }

    #[test]
    fn stance_and_tie_crud_with_ids_and_references() {
        let (_d, s) = seeded();
        let st = s
            .create_stance("m", Stance::new("", "b", "n2", 2), "ann")
            .unwrap();
        assert_eq!(st.id, "s4");
        let st = s
            .create_stance("m", Stance::new("s9", "b", "n2", 1), "ann")
            .unwrap();
        assert_eq!(st.id, "s9");
        match s
            .create_stance("m", Stance::new("", "ghost", "nope", 1), "ann")
            .unwrap_err()
        {
            StoreError::Invalid(errs) => {
                let f: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(f, ["actor", "narrative"]);
            }
            e => panic!("{e}"),
        }
        let mut st = s.get_stance("m", "s9").unwrap();
        st.position = -2;
        s.update_stance("m", "s9", st, "ann").unwrap();
        assert_eq!(s.get_stance("m", "s9").unwrap().position, -2);
        s.delete_stance("m", "s9", "ann").unwrap();
        assert!(s.get_stance("m", "s9").is_err());

        let tie = s
            .create_tie("m", Tie::new("", "a", "c", TieKind::Funding), "ann")
            .unwrap();
        assert_eq!(tie.id, "t3");
        assert!(tie.directed);
        match s
            .create_tie("m", Tie::new("", "a", "a", TieKind::Conflict), "ann")
            .unwrap_err()
        {
            StoreError::Invalid(errs) => assert_eq!(errs[0].field, "target"),
            e => panic!("{e}"),
        }
        match s
            .create_tie("m", Tie::new("", "a", "ghost", TieKind::Conflict), "ann")
            .unwrap_err()
        {
            StoreError::Invalid(errs) => assert_eq!(errs[0].field, "target"),
            e => panic!("{e}"),
        }
        let mut tie = s.get_tie("m", "t3").unwrap();
        tie.weight = 1.0;
        s.update_tie("m", "t3", tie, "ann").unwrap();
        s.delete_tie("m", "t3", "ann").unwrap();
        assert_eq!(s.list_ties("m", 10, 0).unwrap().1, 2);
        let mut n = s.get_narrative("m", "n2").unwrap();
        n.core = true;
        s.update_narrative("m", "n2", n, "ann").unwrap();
        assert!(s.get_narrative("m", "n2").unwrap().core);
    }

    #[test]
    fn cascade_delete_and_exact_undo() {
        let (_d, s) = seeded();
        let before = s.load("m").unwrap();
        let v = s.map_version("m").unwrap();
        let r = s.delete_actor("m", "a", "ann").unwrap();
        assert_eq!(r.stances, ["s1", "s3"]);
        assert_eq!(r.ties, ["t1"]);
        assert_eq!(r.children, ["c"]);
        let after = s.load("m").unwrap();
        assert_eq!(after.actors.len(), 2);
        assert_eq!(after.stances.len(), 1);
        assert_eq!(after.ties.len(), 1);
        assert_eq!(after.actors[1].parent, None);
        assert!(s.map_version("m").unwrap() > v);
        let log = s.log("m").unwrap();
        assert_eq!(log.last().unwrap().operation, Operation::Delete);
        // One entry: actor + 2 stances + 1 tie + child c.
        assert_eq!(log.last().unwrap().changes, 5);
        s.undo("m", None, "ann").unwrap();
        let restored = s.load("m").unwrap();
        assert_eq!(restored.actors, before.actors);
        assert_eq!(restored.narratives, before.narratives);
        assert_eq!(restored.stances, before.stances);
        assert_eq!(restored.ties, before.ties);

        let r = s.delete_narrative("m", "n1", "ann").unwrap();
        assert_eq!(r.stances, ["s1", "s2"]);
        assert_eq!(s.load("m").unwrap().stances.len(), 1);
    }

    #[test]
    fn entity_ops_on_missing_map() {
        let (_d, s) = store();
        assert!(matches!(
            s.create_actor("nope", Actor::new("a", "A"), "x", false),
            Err(StoreError::NotFound {
                kind: EntityKind::Map,
                ..
            })
        ));
        s.create_map(Map::new("m"), "x").unwrap();
        assert!(matches!(
            s.delete_actor("m", "a", "x"),
            Err(StoreError::NotFound {
                kind: EntityKind::Actor,
                ..
            })
        ));
    }
}

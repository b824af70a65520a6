//! Actors, narratives, stances and ties: list, get, create, update, delete, each one atomic
//! write with one change-log entry (cascades included).

use serde::de::DeserializeOwned;
use serde::Serialize;
use vertoog_model::{
    find_near_duplicates, is_slug, validate_actor, validate_narrative, validate_stance,
    validate_tie, Actor, EntityKind, FieldError, Narrative, Stance, Tie,
};

use crate::error::{invalid_fields, invalid_one, DuplicateHit, Result, SledResultExt, StoreError};
use crate::keys;
use crate::maps::map_not_found;
use crate::storage;
use crate::txn::{decode, Txn};
use crate::{Operation, Store};

/// The stored entity kinds, for the generic code below.
pub(crate) trait Entity: Serialize + DeserializeOwned + Clone {
    const KIND: EntityKind;
    fn id(&self) -> &str;
}

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
    fn id(&self) -> &str {
        &self.id
    }
}
impl Entity for Tie {
    const KIND: EntityKind = EntityKind::Tie;
    fn id(&self) -> &str {
        &self.id
    }
}

/// Stances and ties: entities that point at others, whose ids the store may assign, and that
/// are written without a near-duplicate check.
pub(crate) trait Linked: Entity {
    fn set_id(&mut self, id: String);
    /// Field errors and references to missing entities, all of them.
    fn check(&self, t: &Txn<'_>) -> Result<Vec<FieldError>>;
    /// What the change log says about it, e.g. `utrecht on digital: +1`.
    fn describe(&self) -> String;
}

impl Linked for Stance {
    fn set_id(&mut self, id: String) {
        self.id = id;
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
    fn set_id(&mut self, id: String) {
        self.id = id;
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

impl Store {
    pub(crate) fn list_kind<E: Entity>(
        &self,
        map: &str,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<E>, usize)> {
        let _g = self.read_guard()?;
        if !self.db.contains_key(keys::map_key(map)).db()? {
            return Err(map_not_found(map));
        }
        let all = storage::scan_entities(&self.db, map, E::KIND)?;
        let total = all.len();
        let items = all
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(id, v)| decode(&v, &format!("{} `{id}`", E::KIND)))
            .collect::<Result<Vec<E>>>()?;
        Ok((items, total))
    }

    pub(crate) fn get_kind<E: Entity>(&self, map: &str, id: &str) -> Result<E> {
        match storage::read_entity(&self.db, map, E::KIND, id)? {
            Some(v) => decode(&v, &format!("{} `{id}`", E::KIND)),
            None => {
                if !self.db.contains_key(keys::map_key(map)).db()? {
                    Err(map_not_found(map))
                } else {
                    Err(not_found(E::KIND, map, id))
                }
            }
        }
    }

    /// Actors of a map sorted by id: the page `offset..offset+limit` and the total count.
    pub fn list_actors(
        &self,
        map: &str,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Actor>, usize)> {
        self.list_kind(map, limit, offset)
    }
    /// Narratives of a map sorted by id: the page and the total count.
    pub fn list_narratives(
        &self,
        map: &str,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Narrative>, usize)> {
        self.list_kind(map, limit, offset)
    }
    /// Stances of a map sorted by id (byte order): the page and the total count.
    pub fn list_stances(
        &self,
        map: &str,
        limit: usize,
        offset: usize,
    ) -> Result<(Vec<Stance>, usize)> {
        self.list_kind(map, limit, offset)
    }
    /// Ties of a map sorted by id (byte order): the page and the total count.
    pub fn list_ties(&self, map: &str, limit: usize, offset: usize) -> Result<(Vec<Tie>, usize)> {
        self.list_kind(map, limit, offset)
    }

    /// One actor; `NotFound` (for the map or the actor) when absent.
    pub fn get_actor(&self, map: &str, id: &str) -> Result<Actor> {
        self.get_kind(map, id)
    }
    /// One narrative.
    pub fn get_narrative(&self, map: &str, id: &str) -> Result<Narrative> {
        self.get_kind(map, id)
    }
    /// One stance.
    pub fn get_stance(&self, map: &str, id: &str) -> Result<Stance> {
        self.get_kind(map, id)
    }
    /// One tie.
    pub fn get_tie(&self, map: &str, id: &str) -> Result<Tie> {
        self.get_kind(map, id)
    }

    /// Creates an actor. Checks: fields (model::validate_actor against the map's vocabulary),
    /// `parent` names an existing actor, the id is free (`Conflict`), and unless `force`, no
    /// existing actor's name or alias resembles its name (Jaro-Winkler of normalised names >=
    /// DUPLICATE_THRESHOLD, docs/interfaces.md §8) -> `NearDuplicates` with every candidate.
    pub fn create_actor(
        &self,
        map: &str,
        actor: Actor,
        principal: &str,
        force: bool,
    ) -> Result<Actor> {
        let (a, _) = self.write(map, principal, |t| {
            let m = t.map_record()?;
            let mut errs = validate_actor(&actor, &m);
            t.check_parent(&actor, &mut errs)?;
            if !errs.is_empty() {
                return Err(invalid_fields(EntityKind::Actor, &actor.id, errs));
            }
            if t.entity_exists(EntityKind::Actor, &actor.id)? {
                return Err(StoreError::Conflict(format!(
                    "actor `{}` already exists in map `{map}`",
                    actor.id
                )));
            }
            if !force {
                let existing = t.scan::<Actor>()?;
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
            t.log(
                Operation::Create,
                EntityKind::Actor,
                &actor.id,
                format!("created actor `{}` ({})", actor.id, actor.name),
                true,
            );
            Ok(actor)
        })?;
        Ok(a)
    }

    /// Replaces actor `id` with `actor` (its id is taken from `id`). Same checks as create
    /// (no near-duplicate check), plus: `parent` must not form a cycle.
    pub fn update_actor(
        &self,
        map: &str,
        id: &str,
        mut actor: Actor,
        principal: &str,
    ) -> Result<Actor> {
        actor.id = id.to_string();
        let (a, _) = self.write(map, principal, |t| {
            let m = t.map_record()?;
            t.require::<Actor>(id)?;
            let mut errs = validate_actor(&actor, &m);
            t.check_parent(&actor, &mut errs)?;
            if !errs.is_empty() {
                return Err(invalid_fields(EntityKind::Actor, id, errs));
            }
            t.put_entity(&actor)?;
            t.log(
                Operation::Update,
                EntityKind::Actor,
                id,
                format!("updated actor `{id}` ({})", actor.name),
                true,
            );
            Ok(actor)
        })?;
        Ok(a)
    }

    /// Deletes an actor with its stances and ties; children lose their `parent`. One log
    /// entry, undoable as a whole.
    pub fn delete_actor(&self, map: &str, id: &str, principal: &str) -> Result<DeleteReport> {
        let (mut report, seq) = self.write(map, principal, |t| {
            t.map_record()?;
            let a = t.require::<Actor>(id)?;
            let report = t.cascade_delete_actor(id)?;
            t.log(
                Operation::Delete,
                EntityKind::Actor,
                id,
                format!(
                    "deleted actor `{id}` ({}) with {} stances and {} ties",
                    a.name,
                    report.stances.len(),
                    report.ties.len()
                ),
                true,
            );
            Ok(report)
        })?;
        report.log_seq = seq;
        Ok(report)
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
        let (n, _) = self.write(map, principal, |t| {
            t.map_record()?;
            let errs = validate_narrative(&narrative);
            if !errs.is_empty() {
                return Err(invalid_fields(EntityKind::Narrative, &narrative.id, errs));
            }
            if t.entity_exists(EntityKind::Narrative, &narrative.id)? {
                return Err(StoreError::Conflict(format!(
                    "narrative `{}` already exists in map `{map}`",
                    narrative.id
                )));
            }
            if !force {
                let existing = t.scan::<Narrative>()?;
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
            t.log(
                Operation::Create,
                EntityKind::Narrative,
                &narrative.id,
                format!("created narrative `{}` ({})", narrative.id, narrative.label),
                true,
            );
            Ok(narrative)
        })?;
        Ok(n)
    }

    /// Replaces narrative `id` (id taken from `id`).
    pub fn update_narrative(
        &self,
        map: &str,
        id: &str,
        mut narrative: Narrative,
        principal: &str,
    ) -> Result<Narrative> {
        narrative.id = id.to_string();
        let (n, _) = self.write(map, principal, |t| {
            t.map_record()?;
            t.require::<Narrative>(id)?;
            let errs = validate_narrative(&narrative);
            if !errs.is_empty() {
                return Err(invalid_fields(EntityKind::Narrative, id, errs));
            }
            t.put_entity(&narrative)?;
            t.log(
                Operation::Update,
                EntityKind::Narrative,
                id,
                format!("updated narrative `{id}` ({})", narrative.label),
                true,
            );
            Ok(narrative)
        })?;
        Ok(n)
    }

    /// Deletes a narrative with its stances; one log entry, undoable as a whole.
    pub fn delete_narrative(&self, map: &str, id: &str, principal: &str) -> Result<DeleteReport> {
        let (mut report, seq) = self.write(map, principal, |t| {
            t.map_record()?;
            let n = t.require::<Narrative>(id)?;
            let mut report = DeleteReport::default();
            for s in t.scan_mentioning::<Stance>(id)? {
                if s.narrative == id {
                    t.delete_entity(EntityKind::Stance, &s.id)?;
                    report.stances.push(s.id);
                }
            }
            t.cascade_narrative_engagement(id)?;
            t.delete_entity(EntityKind::Narrative, id)?;
            t.log(
                Operation::Delete,
                EntityKind::Narrative,
                id,
                format!(
                    "deleted narrative `{id}` ({}) with {} stances",
                    n.label,
                    report.stances.len()
                ),
                true,
            );
            Ok(report)
        })?;
        report.log_seq = seq;
        Ok(report)
    }

    /// Creates a stance. An empty id gets the next free `s<N>`; a given id must be free
    /// (`Conflict`). `actor` and `narrative` must exist (`Invalid` naming the field).
    pub fn create_stance(&self, map: &str, stance: Stance, principal: &str) -> Result<Stance> {
        self.create_linked(map, stance, principal)
    }

    /// Replaces stance `id` (id taken from `id`); same checks as create.
    pub fn update_stance(
        &self,
        map: &str,
        id: &str,
        stance: Stance,
        principal: &str,
    ) -> Result<Stance> {
        self.update_linked(map, id, stance, principal)
    }

    /// Deletes one stance.
    pub fn delete_stance(&self, map: &str, id: &str, principal: &str) -> Result<()> {
        self.delete_linked::<Stance>(map, id, principal)
    }

    /// Creates a tie. An empty id gets the next free `t<N>`; a given id must be free.
    /// `source` and `target` must be existing, different actors.
    pub fn create_tie(&self, map: &str, tie: Tie, principal: &str) -> Result<Tie> {
        self.create_linked(map, tie, principal)
    }

    /// Replaces tie `id` (id taken from `id`); same checks as create.
    pub fn update_tie(&self, map: &str, id: &str, tie: Tie, principal: &str) -> Result<Tie> {
        self.update_linked(map, id, tie, principal)
    }

    /// Deletes one tie.
    pub fn delete_tie(&self, map: &str, id: &str, principal: &str) -> Result<()> {
        self.delete_linked::<Tie>(map, id, principal)
    }

    pub(crate) fn create_linked<E: Linked>(
        &self,
        map: &str,
        mut e: E,
        principal: &str,
    ) -> Result<E> {
        let (e, _) = self.write(map, principal, |t| {
            t.map_record()?;
            let errs = e.check(t)?;
            if !errs.is_empty() {
                return Err(invalid_fields(E::KIND, e.id(), errs));
            }
            if e.id().is_empty() {
                e.set_id(t.next_id(E::KIND)?);
            } else if t.entity_exists(E::KIND, e.id())? {
                return Err(StoreError::Conflict(format!(
                    "{} `{}` already exists in map `{map}`",
                    E::KIND,
                    e.id()
                )));
            }
            t.put_entity(&e)?;
            let summary = format!("created {} `{}` ({})", E::KIND, e.id(), e.describe());
            t.log(Operation::Create, E::KIND, e.id(), summary, true);
            Ok(e)
        })?;
        Ok(e)
    }

    pub(crate) fn update_linked<E: Linked>(
        &self,
        map: &str,
        id: &str,
        mut e: E,
        principal: &str,
    ) -> Result<E> {
        e.set_id(id.to_string());
        let (e, _) = self.write(map, principal, |t| {
            t.map_record()?;
            t.require::<E>(id)?;
            let errs = e.check(t)?;
            if !errs.is_empty() {
                return Err(invalid_fields(E::KIND, id, errs));
            }
            t.put_entity(&e)?;
            let summary = format!("updated {} `{id}` ({})", E::KIND, e.describe());
            t.log(Operation::Update, E::KIND, id, summary, true);
            Ok(e)
        })?;
        Ok(e)
    }

    pub(crate) fn delete_linked<E: Linked>(
        &self,
        map: &str,
        id: &str,
        principal: &str,
    ) -> Result<()> {
        self.write(map, principal, |t| {
            t.map_record()?;
            let old = t.require::<E>(id)?;
            t.delete_entity(E::KIND, id)?;
            let summary = format!("deleted {} `{id}` ({})", E::KIND, old.describe());
            t.log(Operation::Delete, E::KIND, id, summary, true);
            Ok(())
        })?;
        Ok(())
    }

    /// Deletes an entity of any kind but `map` (for routes that take the kind as a value).
    pub fn delete_entity(
        &self,
        map: &str,
        kind: EntityKind,
        id: &str,
        principal: &str,
    ) -> Result<DeleteReport> {
        match kind {
            EntityKind::Actor => self.delete_actor(map, id, principal),
            EntityKind::Narrative => self.delete_narrative(map, id, principal),
            EntityKind::Stance => self
                .delete_stance(map, id, principal)
                .map(|_| DeleteReport::default()),
            EntityKind::Tie => self
                .delete_tie(map, id, principal)
                .map(|_| DeleteReport::default()),
            EntityKind::Interaction => self
                .delete_interaction(map, id, principal)
                .map(|_| DeleteReport::default()),
            EntityKind::Commitment => self
                .delete_commitment(map, id, principal)
                .map(|_| DeleteReport::default()),
            EntityKind::PlanItem => self
                .delete_plan_item(map, id, principal)
                .map(|_| DeleteReport::default()),
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

//! Interactions, commitments and plan items (docs/interfaces.md, engagement): list, get,
//! create, update, delete, each one atomic write with one change-log entry, stored one key per
//! entity (`m/{map}/i/{id}`, `m/{map}/k/{id}`, `m/{map}/p/{id}`), so that the change log,
//! undo, backup/restore, erase and compaction cover them as they cover actors.
//!
//! Cascades keep referential integrity: deleting an actor removes it from interactions'
//! `actors` (an interaction left without actor is deleted), deletes its commitments, removes
//! it from plan items' `targets` and `messenger`; deleting a narrative removes it from
//! interactions and plan items; deleting an interaction removes it from the commitments and
//! plan items that name it.

use vertoog_model::{
    is_slug, validate_commitment, validate_interaction, validate_plan_item, Actor, Commitment,
    EntityKind, FieldError, Interaction, PlanItem, PlanStatus,
};

use crate::entities::Linked;
use crate::error::Result;
use crate::generic::{Entity, ListQuery};
use crate::txn::Txn;
use crate::Store;

impl Entity for Interaction {
    const KIND: EntityKind = EntityKind::Interaction;
    const FILTERS: &'static [&'static str] = &["actor", "narrative", "owner"];
    fn id(&self) -> &str {
        &self.id
    }
    fn confidential(&self) -> bool {
        self.confidential
    }
}
impl Entity for Commitment {
    const KIND: EntityKind = EntityKind::Commitment;
    const FILTERS: &'static [&'static str] = &["actor", "owner", "status"];
    fn id(&self) -> &str {
        &self.id
    }
}
impl Entity for PlanItem {
    const KIND: EntityKind = EntityKind::PlanItem;
    const FILTERS: &'static [&'static str] = &["actor", "narrative", "owner", "status"];
    fn id(&self) -> &str {
        &self.id
    }
}

fn same(given: &Option<String>, value: &str) -> bool {
    given.as_deref().is_none_or(|g| g == value)
}

fn among(given: &Option<String>, values: &[String]) -> bool {
    given.as_ref().is_none_or(|g| values.contains(g))
}

impl Txn<'_> {
    fn check_ref(
        &self,
        errs: &mut Vec<FieldError>,
        field: &str,
        kind: EntityKind,
        id: &str,
    ) -> Result<()> {
        if is_slug(id) && !self.entity_exists(kind, id)? {
            errs.push(FieldError::new(field, format!("unknown {kind} `{id}`")));
        }
        Ok(())
    }
}

impl Linked for Interaction {
    fn set_linked_id(&mut self, id: String) {
        self.id = id;
    }
    /// Also removed from the commitments and plan items naming it.
    fn forget(t: &mut Txn<'_>, id: &str) -> Result<()> {
        let mut c = EngagementCascade::default();
        t.forget_interactions(&[id.to_string()], &mut c)
    }
    fn filter(&self, q: &ListQuery) -> bool {
        among(&q.actor, &self.actors)
            && among(&q.narrative, &self.narratives)
            && among(&q.owner, &self.team)
    }
    fn check(&self, t: &Txn<'_>) -> Result<Vec<FieldError>> {
        let mut errs = validate_interaction(self);
        for a in &self.actors {
            t.check_ref(&mut errs, "actors", EntityKind::Actor, a)?;
        }
        for n in &self.narratives {
            t.check_ref(&mut errs, "narratives", EntityKind::Narrative, n)?;
        }
        Ok(errs)
    }
    fn describe(&self) -> String {
        format!(
            "{} {} with {}",
            self.date,
            self.kind.as_str(),
            self.actors.join(", ")
        )
    }
}

impl Linked for Commitment {
    fn set_linked_id(&mut self, id: String) {
        self.id = id;
    }
    /// `closed_on` follows the status.
    fn settle(&mut self) {
        settle_commitment(self);
    }
    fn filter(&self, q: &ListQuery) -> bool {
        same(&q.actor, &self.actor)
            && same(&q.owner, &self.owner)
            && same(&q.status, self.status.as_str())
    }
    fn check(&self, t: &Txn<'_>) -> Result<Vec<FieldError>> {
        let mut errs = validate_commitment(self);
        t.check_ref(&mut errs, "actor", EntityKind::Actor, &self.actor)?;
        if let Some(i) = &self.interaction {
            t.check_ref(&mut errs, "interaction", EntityKind::Interaction, i)?;
        }
        Ok(errs)
    }
    fn describe(&self) -> String {
        format!(
            "{} with {}, {}",
            self.direction.as_str(),
            self.actor,
            self.status.as_str()
        )
    }
}

impl Linked for PlanItem {
    fn set_linked_id(&mut self, id: String) {
        self.id = id;
    }
    /// `done_on` follows the status.
    fn settle(&mut self) {
        settle_plan_item(self);
    }
    fn filter(&self, q: &ListQuery) -> bool {
        let actor_ok = q
            .actor
            .as_ref()
            .is_none_or(|a| self.targets.contains(a) || self.messenger.as_ref() == Some(a));
        actor_ok
            && q.narrative
                .as_ref()
                .is_none_or(|n| self.narrative.as_ref() == Some(n))
            && same(&q.owner, &self.owner)
            && same(&q.status, self.status.as_str())
    }
    fn check(&self, t: &Txn<'_>) -> Result<Vec<FieldError>> {
        let mut errs = validate_plan_item(self);
        for a in &self.targets {
            t.check_ref(&mut errs, "targets", EntityKind::Actor, a)?;
        }
        if let Some(m) = &self.messenger {
            t.check_ref(&mut errs, "messenger", EntityKind::Actor, m)?;
        }
        if let Some(n) = &self.narrative {
            t.check_ref(&mut errs, "narrative", EntityKind::Narrative, n)?;
        }
        for i in &self.interactions {
            t.check_ref(&mut errs, "interactions", EntityKind::Interaction, i)?;
        }
        Ok(errs)
    }
    fn describe(&self) -> String {
        format!("{}, {}", self.kind, self.status.as_str())
    }
}

/// What a cascade changed in the engagement entities.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct EngagementCascade {
    pub interactions_deleted: Vec<String>,
    pub interactions_changed: Vec<String>,
    pub commitments_deleted: Vec<String>,
    pub commitments_changed: Vec<String>,
    pub plan_changed: Vec<String>,
}

impl Txn<'_> {
    /// The stored entities of a kind whose JSON holds `"needle"`, as this write sees them now
    /// (its own earlier changes applied; deleted ones left out).
    fn current_mentioning<E: Entity>(&self, needle: &str) -> Result<Vec<E>> {
        let mut out = Vec::new();
        for e in self.scan_mentioning::<E>(needle)? {
            if let Some(now) = self.get_entity::<E>(e.id())? {
                out.push(now);
            }
        }
        Ok(out)
    }

    /// Every stored entity of a kind as this write sees it now.
    fn current<E: Entity>(&self) -> Result<Vec<E>> {
        let mut out = Vec::new();
        for e in self.scan::<E>()? {
            if let Some(now) = self.get_entity::<E>(e.id())? {
                out.push(now);
            }
        }
        Ok(out)
    }

    /// Removes actor `id` from the engagement entities (see the module doc).
    pub(crate) fn cascade_actor_engagement(&mut self, id: &str) -> Result<EngagementCascade> {
        let mut out = EngagementCascade::default();
        for mut i in self.current_mentioning::<Interaction>(id)? {
            if !i.actors.iter().any(|a| a == id) {
                continue;
            }
            i.actors.retain(|a| a != id);
            if i.actors.is_empty() {
                self.delete_entity(EntityKind::Interaction, &i.id)?;
                out.interactions_deleted.push(i.id);
            } else {
                self.put_entity(&i)?;
                out.interactions_changed.push(i.id);
            }
        }
        for c in self.current_mentioning::<Commitment>(id)? {
            if c.actor == id {
                self.delete_entity(EntityKind::Commitment, &c.id)?;
                out.commitments_deleted.push(c.id);
            }
        }
        for mut p in self.current_mentioning::<PlanItem>(id)? {
            let before = p.clone();
            p.targets.retain(|a| a != id);
            if p.messenger.as_deref() == Some(id) {
                p.messenger = None;
            }
            if p != before {
                self.put_entity(&p)?;
                out.plan_changed.push(p.id);
            }
        }
        let deleted = out.interactions_deleted.clone();
        self.forget_interactions(&deleted, &mut out)?;
        Ok(out)
    }

    /// Removes narrative `id` from interactions and plan items.
    pub(crate) fn cascade_narrative_engagement(&mut self, id: &str) -> Result<()> {
        for mut i in self.current_mentioning::<Interaction>(id)? {
            if i.narratives.iter().any(|n| n == id) {
                i.narratives.retain(|n| n != id);
                self.put_entity(&i)?;
            }
        }
        for mut p in self.current_mentioning::<PlanItem>(id)? {
            if p.narrative.as_deref() == Some(id) {
                p.narrative = None;
                self.put_entity(&p)?;
            }
        }
        Ok(())
    }

    /// Removes the deleted interactions `ids` from commitments and plan items.
    fn forget_interactions(&mut self, ids: &[String], out: &mut EngagementCascade) -> Result<()> {
        for id in ids {
            for mut c in self.current_mentioning::<Commitment>(id)? {
                if c.interaction.as_deref() == Some(id.as_str()) {
                    c.interaction = None;
                    self.put_entity(&c)?;
                    out.commitments_changed.push(c.id);
                }
            }
            for mut p in self.current_mentioning::<PlanItem>(id)? {
                if p.interactions.contains(id) {
                    p.interactions.retain(|i| i != id);
                    self.put_entity(&p)?;
                    out.plan_changed.push(p.id);
                }
            }
        }
        Ok(())
    }

    /// Erasure of a person: removes its names (name and aliases) from interactions' `team`
    /// and from commitments' and plan items' `owner`. Returns how many entities changed.
    pub(crate) fn erase_person_names(&mut self, a: &Actor) -> Result<usize> {
        let names: Vec<&str> = std::iter::once(a.name.as_str())
            .chain(a.aliases.iter().map(String::as_str))
            .collect();
        let matches = |s: &str| names.iter().any(|n| n.eq_ignore_ascii_case(s.trim()));
        let mut changed = 0;
        for mut i in self.current::<Interaction>()? {
            if i.team.iter().any(|m| matches(m)) {
                i.team.retain(|m| !matches(m));
                self.put_entity(&i)?;
                changed += 1;
            }
        }
        for mut c in self.current::<Commitment>()? {
            if !c.owner.is_empty() && matches(&c.owner) {
                c.owner.clear();
                self.put_entity(&c)?;
                changed += 1;
            }
        }
        for mut p in self.current::<PlanItem>()? {
            if !p.owner.is_empty() && matches(&p.owner) {
                p.owner.clear();
                self.put_entity(&p)?;
                changed += 1;
            }
        }
        Ok(changed)
    }
}

/// Today's date (UTC): for `closed_on` and `done_on` set by a status change, and the
/// engagement date (`settings.as_of`) the CLI and the server give the analysis, which has no
/// clock (docs/decisions.md).
pub fn today() -> vertoog_model::Date {
    chrono::Utc::now().date_naive()
}

/// `closed_on` follows the status: set (to today) when it becomes done or dropped without a
/// date, cleared when the commitment is open again.
fn settle_commitment(c: &mut Commitment) {
    if c.status.is_closed() {
        if c.closed_on.is_none() {
            c.closed_on = Some(today().max(c.made_on));
        }
    } else {
        c.closed_on = None;
    }
}

/// `done_on` follows the status like `closed_on` of a commitment.
fn settle_plan_item(p: &mut PlanItem) {
    if p.status == PlanStatus::Done {
        if p.done_on.is_none() {
            p.done_on = Some(today().max(p.adopted_on));
        }
    } else {
        p.done_on = None;
    }
}

impl Store {
    /// Interactions of a map as a viewer may see them: without the confidential ones
    /// unless `include_confidential`.
    pub fn visible_interactions(
        &self,
        map: &str,
        include_confidential: bool,
    ) -> Result<Vec<Interaction>> {
        let q = ListQuery {
            include_confidential,
            ..ListQuery::default()
        };
        Ok(self.list(map, &q)?.0)
    }
}

/// Removes the confidential interactions from a bundle (for viewers and for exports that did
/// not ask for them), and the references to them.
pub fn strip_confidential(b: &mut vertoog_model::Bundle) {
    let hidden: std::collections::HashSet<String> = b
        .interactions
        .iter()
        .filter(|i| i.confidential)
        .map(|i| i.id.clone())
        .collect();
    if hidden.is_empty() {
        return;
    }
    b.interactions.retain(|i| !i.confidential);
    for c in &mut b.commitments {
        if c.interaction.as_ref().is_some_and(|i| hidden.contains(i)) {
            c.interaction = None;
        }
    }
    for p in &mut b.plan {
        p.interactions.retain(|i| !hidden.contains(i));
    }
}

/// Import: every field error, duplicate id and dangling reference of the incoming engagement
/// lists (references resolve to stored or incoming entities), pushed with its list index.
#[allow(clippy::type_complexity)]
pub(crate) fn check_import(
    t: &Txn<'_>,
    incoming: &vertoog_model::Bundle,
    actor_known: &dyn Fn(&str) -> bool,
    narrative_known: &dyn Fn(&str) -> bool,
    push: &mut dyn FnMut(EntityKind, usize, &str, Vec<FieldError>),
) -> Result<()> {
    use std::collections::HashSet;
    let incoming_interactions: HashSet<&str> = incoming
        .interactions
        .iter()
        .map(|i| i.id.as_str())
        .filter(|i| !i.is_empty())
        .collect();
    let interaction_known = |id: &str| -> Result<bool> {
        Ok(incoming_interactions.contains(id)
            || (is_slug(id) && t.entity_exists(EntityKind::Interaction, id)?))
    };
    let mut seen = HashSet::new();
    for (n, i) in incoming.interactions.iter().enumerate() {
        let mut errs = validate_interaction(i);
        if !i.id.is_empty() && !seen.insert(i.id.as_str()) {
            errs.push(FieldError::new(
                "id",
                format!("duplicate interaction id `{}`", i.id),
            ));
        }
        for a in i.actors.iter().filter(|a| is_slug(a) && !actor_known(a)) {
            errs.push(FieldError::new("actors", format!("unknown actor `{a}`")));
        }
        for x in i
            .narratives
            .iter()
            .filter(|x| is_slug(x) && !narrative_known(x))
        {
            errs.push(FieldError::new(
                "narratives",
                format!("unknown narrative `{x}`"),
            ));
        }
        push(EntityKind::Interaction, n, &i.id, errs);
    }
    let mut seen = HashSet::new();
    for (n, c) in incoming.commitments.iter().enumerate() {
        let mut errs = validate_commitment(c);
        if !c.id.is_empty() && !seen.insert(c.id.as_str()) {
            errs.push(FieldError::new(
                "id",
                format!("duplicate commitment id `{}`", c.id),
            ));
        }
        if is_slug(&c.actor) && !actor_known(&c.actor) {
            errs.push(FieldError::new(
                "actor",
                format!("unknown actor `{}`", c.actor),
            ));
        }
        if let Some(i) = &c.interaction {
            if is_slug(i) && !interaction_known(i)? {
                errs.push(FieldError::new(
                    "interaction",
                    format!("unknown interaction `{i}`"),
                ));
            }
        }
        push(EntityKind::Commitment, n, &c.id, errs);
    }
    let mut seen = HashSet::new();
    for (n, p) in incoming.plan.iter().enumerate() {
        let mut errs = validate_plan_item(p);
        if !p.id.is_empty() && !seen.insert(p.id.as_str()) {
            errs.push(FieldError::new(
                "id",
                format!("duplicate plan item id `{}`", p.id),
            ));
        }
        for a in p.targets.iter().filter(|a| is_slug(a) && !actor_known(a)) {
            errs.push(FieldError::new("targets", format!("unknown actor `{a}`")));
        }
        if let Some(m) = p
            .messenger
            .as_deref()
            .filter(|m| is_slug(m) && !actor_known(m))
        {
            errs.push(FieldError::new("messenger", format!("unknown actor `{m}`")));
        }
        if let Some(x) = p
            .narrative
            .as_deref()
            .filter(|x| is_slug(x) && !narrative_known(x))
        {
            errs.push(FieldError::new(
                "narrative",
                format!("unknown narrative `{x}`"),
            ));
        }
        for i in &p.interactions {
            if is_slug(i) && !interaction_known(i)? {
                errs.push(FieldError::new(
                    "interactions",
                    format!("unknown interaction `{i}`"),
                ));
            }
        }
        push(EntityKind::PlanItem, n, &p.id, errs);
    }
    Ok(())
}

/// Import: writes the incoming engagement lists (ids assigned where empty; merged actors and
/// narratives resolved), returning (kind, outcome) per entity through `count`.
#[allow(clippy::type_complexity, clippy::too_many_arguments)]
pub(crate) fn apply_import(
    t: &mut Txn<'_>,
    mut interactions: Vec<Interaction>,
    mut commitments: Vec<Commitment>,
    mut plan: Vec<PlanItem>,
    resolve_actor: &dyn Fn(String) -> String,
    resolve_narrative: &dyn Fn(String) -> String,
    count: &mut dyn FnMut(EntityKind, bool, bool),
) -> Result<()> {
    fn dedup(v: &mut Vec<String>) {
        let mut seen = std::collections::HashSet::new();
        v.retain(|x| seen.insert(x.clone()));
    }
    for i in &interactions {
        t.note_id(EntityKind::Interaction, &i.id)?;
    }
    for c in &commitments {
        t.note_id(EntityKind::Commitment, &c.id)?;
    }
    for p in &plan {
        t.note_id(EntityKind::PlanItem, &p.id)?;
    }
    for i in &mut interactions {
        if i.id.is_empty() {
            i.id = t.next_id(EntityKind::Interaction)?;
        }
        i.actors = std::mem::take(&mut i.actors)
            .into_iter()
            .map(resolve_actor)
            .collect();
        dedup(&mut i.actors);
        i.narratives = std::mem::take(&mut i.narratives)
            .into_iter()
            .map(resolve_narrative)
            .collect();
        dedup(&mut i.narratives);
        upsert_counted(t, i, count)?;
    }
    for c in &mut commitments {
        if c.id.is_empty() {
            c.id = t.next_id(EntityKind::Commitment)?;
        }
        c.actor = resolve_actor(std::mem::take(&mut c.actor));
        upsert_counted(t, c, count)?;
    }
    for p in &mut plan {
        if p.id.is_empty() {
            p.id = t.next_id(EntityKind::PlanItem)?;
        }
        p.targets = std::mem::take(&mut p.targets)
            .into_iter()
            .map(resolve_actor)
            .collect();
        dedup(&mut p.targets);
        p.messenger = p.messenger.take().map(resolve_actor);
        p.narrative = p.narrative.take().map(resolve_narrative);
        upsert_counted(t, p, count)?;
    }
    Ok(())
}

fn upsert_counted<E: Entity>(
    t: &mut Txn<'_>,
    e: &E,
    count: &mut dyn FnMut(EntityKind, bool, bool),
) -> Result<()> {
    let key = crate::keys::entity_key(&t.map, E::KIND, e.id());
    let new = crate::txn::encode(e)?;
    let prev = t.get(&key)?;
    match &prev {
        Some(p) if *p == new => count(E::KIND, false, false),
        Some(_) => {
            t.put_json(key, e)?;
            count(E::KIND, false, true)
        }
        None => {
            t.put_json(key, e)?;
            count(E::KIND, true, false)
        }
    }
    Ok(())
}

/// `settings` with `as_of` set to today when the map holds engagement data and neither the
/// settings nor the window say otherwise (the analysis has no clock; docs/decisions.md).
pub fn with_today(
    mut settings: vertoog_model::Settings,
    bundle: &vertoog_model::Bundle,
) -> vertoog_model::Settings {
    if settings.as_of.is_none() && bundle.has_engagement() {
        settings.as_of = Some(today());
    }
    settings
}

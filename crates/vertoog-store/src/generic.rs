//! The generic entity API: one set of operations (list, get, create, update, modify, delete)
//! for every kind a map holds (actors, narratives, stances, ties, interactions, commitments,
//! plan items). The CLI and the HTTP server call these; what differs per kind (validation,
//! cascades, the change-log sentence) lives in each kind's [`seal::Stored`] implementation.
//!
//! Conditional writes happen here, inside the store's write lock: a write with an [`IfMatch`]
//! goes through only if the stored entity's [`etag`] still matches, so no front end needs a
//! lock of its own for it.

use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use vertoog_model::EntityKind;

use crate::entities::DeleteReport;
use crate::error::{Result, StoreError};
use crate::keys;
use crate::maps::map_not_found;
use crate::storage;
use crate::txn::{decode, Txn};
use crate::Store;

/// A kind of entity stored inside a map. Sealed: the model's seven kinds implement it.
pub trait Entity:
    Serialize + DeserializeOwned + Clone + Send + Sync + 'static + seal::Stored
{
    const KIND: EntityKind;
    /// The list filters ([`ListQuery`] fields) that apply to this kind, by name.
    const FILTERS: &'static [&'static str] = &[];
    fn id(&self) -> &str;
    /// Whether only editors and admins may see it (confidential interactions).
    fn confidential(&self) -> bool {
        false
    }
}

pub(crate) mod seal {
    use super::*;

    /// What the store does differently per kind. Not nameable outside the crate, so no other
    /// type can implement [`Entity`].
    pub trait Stored: Sized {
        fn set_id(&mut self, id: String);
        /// Checks (fields, references, a free id, near-duplicates unless `force`) and writes a
        /// new entity with its change-log entry. An empty id gets the kind's next free id
        /// where the store assigns ids.
        fn insert(t: &mut Txn<'_>, e: Self, force: bool) -> Result<Self>;
        /// Checks and writes `e` over the stored entity `id` (which exists).
        fn replace(t: &mut Txn<'_>, id: &str, e: Self) -> Result<Self>;
        /// Deletes the stored entity `old` and what goes with it (cascades).
        fn remove(t: &mut Txn<'_>, old: Self) -> Result<DeleteReport>;
        /// Whether it passes the filters of `q` (those in `Entity::FILTERS`).
        fn passes(&self, _q: &ListQuery) -> bool {
            true
        }
    }
}

/// The entity tag of an entity: `"` + the first 16 bytes of SHA-256 of its JSON in hex + `"`.
/// It changes with every field, so a client can tell whether what it read is still current.
pub fn etag<E: Serialize>(e: &E) -> String {
    let bytes = serde_json::to_vec(e).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// A write's precondition, as HTTP's `If-Match` (RFC 9110 §13.1.1): `*` or a comma-separated
/// list of entity tags; a weak `W/` prefix is ignored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IfMatch(String);

impl IfMatch {
    /// The precondition of a header value; `None` when it is empty (no version can match).
    pub fn new(value: &str) -> Option<Self> {
        let v = value.trim();
        (!v.is_empty()).then(|| IfMatch(v.to_string()))
    }

    /// Whether `tag` (as [`etag`] makes it) satisfies the precondition.
    pub fn matches(&self, tag: &str) -> bool {
        self.0
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == tag)
    }
}

/// Which entities a list returns: those passing every given filter, sorted by id (byte
/// order), then the page `offset..offset + limit`. A filter that does not apply to the kind
/// (not in its `Entity::FILTERS`) is ignored.
#[derive(Clone, Debug)]
pub struct ListQuery {
    pub limit: usize,
    pub offset: usize,
    /// Stances: the actor; ties: either end; interactions: one of the actors; commitments:
    /// the actor; plan items: a target or the messenger.
    pub actor: Option<String>,
    /// Stances: the narrative; interactions and plan items: one of theirs.
    pub narrative: Option<String>,
    /// Interactions: in `team`; commitments and plan items: the owner.
    pub owner: Option<String>,
    /// Commitments and plan items: the status (`open`, `planned`, `done`, ...).
    pub status: Option<String>,
    /// Whether confidential interactions are included (editors and admins only).
    pub include_confidential: bool,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            limit: usize::MAX,
            offset: 0,
            actor: None,
            narrative: None,
            owner: None,
            status: None,
            include_confidential: false,
        }
    }
}

impl ListQuery {
    /// Every entity, confidential ones included (for the owner of the store: CLI, export).
    pub fn all() -> Self {
        ListQuery {
            include_confidential: true,
            ..ListQuery::default()
        }
    }

    /// One page of every entity a viewer may see.
    pub fn page(limit: usize, offset: usize) -> Self {
        ListQuery {
            limit,
            offset,
            ..ListQuery::default()
        }
    }

    fn keeps<E: Entity>(&self, e: &E) -> bool {
        (self.include_confidential || !e.confidential()) && e.passes(self)
    }

    fn is_plain(&self) -> bool {
        self.actor.is_none()
            && self.narrative.is_none()
            && self.owner.is_none()
            && self.status.is_none()
    }
}

fn precondition_failed<E: Entity>(id: &str, current: &E) -> StoreError {
    StoreError::PreconditionFailed(format!(
        "{} `{id}` was changed since you read it (its ETag is now {}); read it again",
        E::KIND,
        etag(current)
    ))
}

fn check<E: Entity>(cond: Option<&IfMatch>, id: &str, current: &E) -> Result<()> {
    match cond {
        Some(c) if !c.matches(&etag(current)) => Err(precondition_failed(id, current)),
        _ => Ok(()),
    }
}

impl Store {
    /// A page of the entities of one kind in a map and how many passed the filters.
    pub fn list<E: Entity>(&self, map: &str, q: &ListQuery) -> Result<(Vec<E>, usize)> {
        let _g = self.read_guard()?;
        if !self.db.contains_key(keys::map_key(map)).db()? {
            return Err(map_not_found(map));
        }
        let all = storage::scan_entities(&self.db, map, E::KIND)?;
        let what = |id: &str| format!("{} `{id}`", E::KIND);
        if q.is_plain() && (q.include_confidential || E::KIND != EntityKind::Interaction) {
            // Nothing to filter: decode only the page.
            let total = all.len();
            let items = all
                .into_iter()
                .skip(q.offset)
                .take(q.limit)
                .map(|(id, v)| decode(&v, &what(&id)))
                .collect::<Result<Vec<E>>>()?;
            return Ok((items, total));
        }
        let mut kept = Vec::new();
        for (id, v) in all {
            let e: E = decode(&v, &what(&id))?;
            if q.keeps(&e) {
                kept.push(e);
            }
        }
        let total = kept.len();
        let items = kept.into_iter().skip(q.offset).take(q.limit).collect();
        Ok((items, total))
    }

    /// One entity; `NotFound` naming the map or the entity when absent.
    pub fn get<E: Entity>(&self, map: &str, id: &str) -> Result<E> {
        match storage::read_entity(&self.db, map, E::KIND, id)? {
            Some(v) => decode(&v, &format!("{} `{id}`", E::KIND)),
            None if !self.db.contains_key(keys::map_key(map)).db()? => Err(map_not_found(map)),
            None => Err(StoreError::NotFound {
                kind: E::KIND,
                id: id.to_string(),
                map: map.to_string(),
            }),
        }
    }

    /// Creates an entity (one atomic write with one change-log entry). Field errors and
    /// broken references come all at once (`Invalid`); a taken id is a `Conflict`; a name
    /// resembling an existing actor's or narrative's is `NearDuplicates` unless `force`.
    pub fn create<E: Entity>(&self, map: &str, e: E, principal: &str, force: bool) -> Result<E> {
        let (e, _) = self.write(map, principal, |t| {
            t.map_record()?;
            E::insert(t, e, force)
        })?;
        Ok(e)
    }

    /// Replaces entity `id` with `e` (whose id is taken from `id`), only if `cond` holds for
    /// the stored entity at the moment of writing (`PreconditionFailed` otherwise).
    pub fn update<E: Entity>(
        &self,
        map: &str,
        id: &str,
        e: E,
        principal: &str,
        cond: Option<&IfMatch>,
    ) -> Result<E> {
        self.modify(map, id, principal, cond, |_| Ok(e))
    }

    /// Reads entity `id`, lets `change` make the new version from it and writes that, all
    /// under the write lock: two concurrent changes to different fields both land. `cond`
    /// as in [`Store::update`].
    pub fn modify<E: Entity>(
        &self,
        map: &str,
        id: &str,
        principal: &str,
        cond: Option<&IfMatch>,
        change: impl FnOnce(E) -> Result<E>,
    ) -> Result<E> {
        let (e, _) = self.write(map, principal, |t| {
            t.map_record()?;
            let current = t.require::<E>(id)?;
            check(cond, id, &current)?;
            let mut next = change(current)?;
            next.set_id(id.to_string());
            E::replace(t, id, next)
        })?;
        Ok(e)
    }

    /// Deletes entity `id` and what goes with it (an actor's stances, ties and lone
    /// interactions; a narrative's stances; references from engagement records), as one
    /// change-log entry that undo restores whole. `cond` as in [`Store::update`].
    pub fn delete<E: Entity>(
        &self,
        map: &str,
        id: &str,
        principal: &str,
        cond: Option<&IfMatch>,
    ) -> Result<DeleteReport> {
        let (mut report, seq) = self.write(map, principal, |t| {
            t.map_record()?;
            let current = t.require::<E>(id)?;
            check(cond, id, &current)?;
            E::remove(t, current)
        })?;
        report.log_seq = seq;
        Ok(report)
    }
}

use crate::error::SledResultExt;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::seeded;
    use vertoog_model::{Actor, Stance, Tie};

    #[test]
    fn if_match_forms() {
        let c = |s: &str| IfMatch::new(s).unwrap();
        assert!(c("*").matches("\"x\""));
        assert!(c("\"y\", \"x\"").matches("\"x\""));
        assert!(c("W/\"x\"").matches("\"x\""));
        assert!(!c("\"y\"").matches("\"x\""));
        assert_eq!(IfMatch::new("  "), None);
    }

    #[test]
    fn etags_follow_content() {
        let a = Actor::new("a", "A");
        let mut b = a.clone();
        assert_eq!(etag(&a), etag(&b));
        b.influence = 0.7;
        assert_ne!(etag(&a), etag(&b));
        assert_eq!(etag(&a).len(), 34);
    }

    #[test]
    fn conditional_update_and_delete_check_inside_the_write() {
        let (_d, s) = seeded();
        let a: Actor = s.get("m", "a").unwrap();
        let tag = IfMatch::new(&etag(&a)).unwrap();
        // A write in between changes the tag: the conditional write is refused, nothing
        // changes.
        s.modify::<Actor>("m", "a", "bob", None, |mut a| {
            a.influence = 0.9;
            Ok(a)
        })
        .unwrap();
        let refused = s.modify::<Actor>("m", "a", "ann", Some(&tag), |mut a| {
            a.influence = 0.1;
            Ok(a)
        });
        assert!(matches!(refused, Err(StoreError::PreconditionFailed(_))));
        assert_eq!(s.get::<Actor>("m", "a").unwrap().influence, 0.9);
        assert!(matches!(
            s.delete::<Actor>("m", "a", "ann", Some(&tag)),
            Err(StoreError::PreconditionFailed(_))
        ));
        // With the current tag both go through; the id stays the path's.
        let now = IfMatch::new(&etag(&s.get::<Actor>("m", "a").unwrap())).unwrap();
        let mut moved = s.get::<Actor>("m", "a").unwrap();
        moved.id = "elsewhere".into();
        moved.influence = 0.2;
        let u = s.update("m", "a", moved, "ann", Some(&now)).unwrap();
        assert_eq!((u.id.as_str(), u.influence), ("a", 0.2));
        let report = s
            .delete::<Actor>("m", "a", "ann", IfMatch::new("*").as_ref())
            .unwrap();
        assert_eq!(report.stances, ["s1", "s3"]);
        assert_eq!(report.ties, ["t1"]);
    }

    #[test]
    fn lists_filter_before_paging() {
        let (_d, s) = seeded();
        let q = ListQuery {
            actor: Some("a".into()),
            ..ListQuery::page(1, 1)
        };
        let (page, total) = s.list::<Stance>("m", &q).unwrap();
        assert_eq!(total, 2);
        assert_eq!(
            page.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ["s3"]
        );
        let q = ListQuery {
            actor: Some("c".into()),
            ..ListQuery::default()
        };
        let (ties, total) = s.list::<Tie>("m", &q).unwrap();
        assert_eq!((ties[0].id.as_str(), total), ("t2", 1));
        // A filter that does not apply to the kind is ignored.
        let (actors, total) = s.list::<Actor>("m", &q).unwrap();
        assert_eq!((actors.len(), total), (3, 3));
    }
}

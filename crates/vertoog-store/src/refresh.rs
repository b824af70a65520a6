//! Bringing a map loaded earlier up to date from its change log, instead of loading it again.
//!
//! The server keeps the map it analysed; after an edit it needs the map as [`Store::load`]
//! would now return it. Every write that changes a map's entities logs the keys it changed
//! (docs/interfaces.md §8), so the entities changed since an earlier load are the keys of the
//! log entries after the one that load saw: reading just those and patching a copy of the
//! earlier bundle gives the same bundle as a whole load, in the time of a few reads instead of
//! a scan of every entity (an M map: 0.3-0.6 s).
//!
//! It falls back to a whole load whenever the log cannot vouch for the difference: an entry
//! that cannot be undone (a map's creation, an erasure: their changes are not all kept), an
//! entry scrubbed by an erasure, more than [`PATCH_LIMIT`] changed keys (an import), or a log
//! that is no longer the one the earlier load saw (the map deleted and created again, which
//! starts a new log: the entry at the earlier position must still be the same entry).

use std::collections::BTreeSet;

use serde::de::DeserializeOwned;
use vertoog_model::{
    Actor, Bundle, Commitment, EntityKind, Interaction, Narrative, PlanItem, Stance, Tie,
};

use crate::error::{Result, SledResultExt, StoreError};
use crate::keys;
use crate::storage;
use crate::txn::{decode, last_seq};
use crate::{LogEntry, Store};

/// Above this many changed keys since the earlier load, the map is loaded whole.
pub const PATCH_LIMIT: usize = 2_000;

/// Where in its change log a loaded map stands: what [`Store::refresh`] starts from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogMark {
    /// The seq of the last log entry the load saw (0: none).
    seq: u64,
    /// That entry's stored header, to recognise the same log later.
    header: Vec<u8>,
}

/// A map brought up to date by [`Store::refresh`].
#[derive(Debug)]
pub struct Refreshed {
    pub bundle: Bundle,
    pub mark: LogMark,
    /// The kinds whose entities changed, when the earlier bundle was patched; `None` when the
    /// map was loaded whole.
    pub patched: Option<BTreeSet<EntityKind>>,
}

fn mark_of(db: &sled::Db, map: &str) -> Result<LogMark> {
    let seq = last_seq(db, map)?;
    let header = if seq == 0 {
        Vec::new()
    } else {
        db.get(keys::log_key(map, seq))
            .db()?
            .map(|v| v.to_vec())
            .unwrap_or_default()
    };
    Ok(LogMark { seq, header })
}

impl Store {
    /// [`Store::load`], also returning where the map's change log stands (for [`Store::refresh`]).
    pub fn load_marked(&self, id: &str) -> Result<(Bundle, LogMark)> {
        let _g = self.read_guard()?;
        let bundle = self.load_unlocked(id)?;
        Ok((bundle, mark_of(&self.db, id)?))
    }

    /// The map as [`Store::load`] returns it now, from `old`, an earlier load of it at `mark`:
    /// a copy of `old` with the entities the change log names since `mark` read again, or the
    /// whole map loaded again when the log cannot vouch for the difference (see the module
    /// docs). Either way the bundle equals what `load` returns.
    pub fn refresh(&self, id: &str, old: &Bundle, mark: &LogMark) -> Result<Refreshed> {
        let _g = self.read_guard()?;
        let now = mark_of(&self.db, id)?;
        if let Some(changed) = self.changed_since(id, old, mark, now.seq)? {
            let mut bundle = copy(old);
            bundle.map = self.read_map(id)?;
            let mut kinds = BTreeSet::new();
            for (kind, key) in changed {
                self.patch(&mut bundle, id, kind, &key)?;
                kinds.insert(kind);
            }
            return Ok(Refreshed {
                bundle,
                mark: now,
                patched: Some(kinds),
            });
        }
        Ok(Refreshed {
            bundle: self.load_unlocked(id)?,
            mark: now,
            patched: None,
        })
    }

    /// The entities (kind, id) the log entries after `mark` changed, each once, or `None` when
    /// the log cannot vouch for them.
    fn changed_since(
        &self,
        id: &str,
        old: &Bundle,
        mark: &LogMark,
        last: u64,
    ) -> Result<Option<BTreeSet<(EntityKind, String)>>> {
        let same_log = last >= mark.seq
            && (mark.seq == 0
                || self
                    .db
                    .get(keys::log_key(id, mark.seq))
                    .db()?
                    .is_some_and(|h| *h == *mark.header));
        if !same_log || self.read_map(id)?.created != old.map.created {
            return Ok(None);
        }
        let mut changed = BTreeSet::new();
        let mut count = 0;
        for seq in mark.seq + 1..=last {
            let Some(header) = self.db.get(keys::log_key(id, seq)).db()? else {
                return Ok(None);
            };
            let entry: LogEntry = decode(&header, "a change-log entry")?;
            count += entry.changes;
            if !entry.undoable || entry.scrubbed || count > PATCH_LIMIT {
                return Ok(None);
            }
            for kv in self.db.scan_prefix(keys::changes_prefix(id, seq)) {
                let (_, v) = kv.db()?;
                let part = keys::decode_changes(&v).ok_or_else(|| {
                    StoreError::Corrupt(format!("change-log entry {seq} of map `{id}` is damaged"))
                })?;
                for (key, _) in part {
                    if let Some(e) = keys::parse_entity_key(&key) {
                        changed.insert(e);
                    }
                }
            }
        }
        Ok(Some(changed))
    }

    /// Puts the stored state of one entity into `b`: replaced, inserted in id order, or
    /// removed when it no longer exists.
    fn patch(&self, b: &mut Bundle, map: &str, kind: EntityKind, id: &str) -> Result<()> {
        if kind == EntityKind::Map {
            // The map record is read whole by `refresh`.
            return Ok(());
        }
        let stored = storage::read_entity(&self.db, map, kind, id)?;
        let stored = stored.as_deref();
        match kind {
            EntityKind::Map => Ok(()),
            EntityKind::Actor => put::<Actor>(&mut b.actors, id, stored, |e| &e.id, map),
            EntityKind::Narrative => {
                put::<Narrative>(&mut b.narratives, id, stored, |e| &e.id, map)
            }
            EntityKind::Stance => put::<Stance>(&mut b.stances, id, stored, |e| &e.id, map),
            EntityKind::Tie => put::<Tie>(&mut b.ties, id, stored, |e| &e.id, map),
            EntityKind::Interaction => {
                put::<Interaction>(&mut b.interactions, id, stored, |e| &e.id, map)
            }
            EntityKind::Commitment => {
                put::<Commitment>(&mut b.commitments, id, stored, |e| &e.id, map)
            }
            EntityKind::PlanItem => put::<PlanItem>(&mut b.plan, id, stored, |e| &e.id, map),
        }
    }
}

/// Replaces, inserts (in byte order of ids, as a load sorts them) or removes entity `id` of
/// `list` to match its stored JSON (`None`: deleted).
fn put<T: DeserializeOwned>(
    list: &mut Vec<T>,
    id: &str,
    stored: Option<&[u8]>,
    id_of: impl Fn(&T) -> &String,
    map: &str,
) -> Result<()> {
    let at = list.binary_search_by(|e| id_of(e).as_bytes().cmp(id.as_bytes()));
    match (stored, at) {
        (Some(json), at) => {
            let e: T = serde_json::from_slice(json).map_err(|e| {
                StoreError::Corrupt(format!("`{id}` of map `{map}` cannot be decoded: {e}"))
            })?;
            match at {
                Ok(i) => list[i] = e,
                Err(i) => list.insert(i, e),
            }
        }
        (None, Ok(i)) => {
            list.remove(i);
        }
        (None, Err(_)) => {}
    }
    Ok(())
}

/// A copy of `b`, its stances and its ties copied on two cores beside the rest (an M map's
/// 200,000 stances are most of the time of bringing a kept map up to date).
fn copy(b: &Bundle) -> Bundle {
    let ((stances, ties), (actors, narratives)) = rayon::join(
        || rayon::join(|| b.stances.clone(), || b.ties.clone()),
        || (b.actors.clone(), b.narratives.clone()),
    );
    Bundle {
        format: b.format.clone(),
        version: b.version,
        map: b.map.clone(),
        actors,
        narratives,
        stances,
        ties,
        interactions: b.interactions.clone(),
        commitments: b.commitments.clone(),
        plan: b.plan.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::seeded;
    use crate::{ImportOptions, ListQuery};
    use vertoog_model::{parse_date, Map, TieKind};

    /// Refreshes `(old, mark)` and checks the result against a whole load; returns whether it
    /// was patched and the new state.
    fn refreshed(s: &Store, old: &Bundle, mark: &LogMark) -> (bool, Bundle, LogMark) {
        let r = s.refresh("m", old, mark).unwrap();
        assert_eq!(r.bundle, s.load("m").unwrap(), "refresh differs from load");
        (r.patched.is_some(), r.bundle, r.mark)
    }

    #[test]
    fn every_kind_of_edit_is_patched_to_what_a_load_gives() {
        let (_d, s) = seeded();
        let (mut b, mut mark) = s.load_marked("m").unwrap();
        let day = parse_date("2026-06-30").unwrap();
        // Each step is one write through the public API; after each, refresh must equal load.
        type Step = Box<dyn Fn(&Store)>;
        let steps: Vec<Step> = vec![
            Box::new(|s| {
                s.create::<Stance>("m", Stance::new("", "b", "n2", 2), "u", false)
                    .unwrap();
            }),
            Box::new(|s| {
                s.modify::<Stance>("m", "s1", "u", None, |mut x| {
                    x.position = -2;
                    Ok(x)
                })
                .unwrap();
            }),
            Box::new(|s| {
                s.delete::<Stance>("m", "s2", "u", None).unwrap();
            }),
            Box::new(|s| {
                s.create::<Tie>("m", Tie::new("", "a", "c", TieKind::Conflict), "u", false)
                    .unwrap();
            }),
            Box::new(|s| {
                s.create::<Actor>("m", Actor::new("aa", "Aardvark Agency"), "u", true)
                    .unwrap();
            }),
            // Deleting an actor deletes its stances and ties too (a cascade in one entry).
            Box::new(|s| {
                s.delete::<Actor>("m", "b", "u", None).unwrap();
            }),
            Box::new(|s| {
                s.create::<Narrative>("m", Narrative::new("n0", "Open data", false), "u", true)
                    .unwrap();
            }),
            Box::new(move |s| {
                let mut i = Interaction::new("", day, "Kick-off");
                i.actors = vec!["a".into()];
                s.create::<Interaction>("m", i, "u", false).unwrap();
            }),
            Box::new(|s| {
                let mut m = s.load("m").unwrap().map;
                m.description = "changed".into();
                s.update_map(m, "u").unwrap();
            }),
            Box::new(|s| {
                s.undo("m", None, "u").unwrap();
            }),
            Box::new(|s| {
                s.merge_actors("m", "a", "aa", "u").unwrap();
            }),
        ];
        for (i, step) in steps.iter().enumerate() {
            step(&s);
            let (patched, nb, nm) = refreshed(&s, &b, &mark);
            assert!(patched, "step {i} was loaded whole");
            (b, mark) = (nb, nm);
        }
        // Several writes at once, and nothing at all.
        s.create::<Stance>("m", Stance::new("", "c", "n1", 1), "u", false)
            .unwrap();
        s.delete::<Tie>("m", "t3", "u", None).unwrap();
        let (patched, nb, nm) = refreshed(&s, &b, &mark);
        assert!(patched);
        let (patched, _, _) = refreshed(&s, &nb, &nm);
        assert!(patched);
        assert_eq!(
            s.list::<Stance>("m", &ListQuery::default()).unwrap().0,
            nb.stances
        );
    }

    #[test]
    fn what_the_log_cannot_vouch_for_is_loaded_whole() {
        let (_d, s) = seeded();
        // An erasure cannot be undone: loaded whole.
        let (b, mark) = s.load_marked("m").unwrap();
        s.erase_actor("m", "c", "u").unwrap();
        let (patched, b, mark) = refreshed(&s, &b, &mark);
        assert!(!patched);
        // An import of more keys than the limit: loaded whole.
        let mut incoming = Bundle::new(Map::new("m"));
        incoming.actors = (0..=PATCH_LIMIT)
            .map(|i| Actor::new(format!("x{i}"), format!("Extra party number {i}")))
            .collect();
        let opts = ImportOptions {
            on_duplicate: crate::OnDuplicate::Keep,
            ..Default::default()
        };
        s.import("m", incoming, opts, "u").unwrap();
        let (patched, _, _) = refreshed(&s, &b, &mark);
        assert!(!patched);
        // The map deleted and created again has a new log, whatever its length.
        let (b, mark) = s.load_marked("m").unwrap();
        s.delete_map("m", "u").unwrap();
        s.create_map(Map::new("m"), "u").unwrap();
        for i in 0..4 {
            s.create::<Actor>(
                "m",
                Actor::new(format!("y{i}"), format!("Y {i}")),
                "u",
                true,
            )
            .unwrap();
        }
        let (patched, _, _) = refreshed(&s, &b, &mark);
        assert!(!patched);
    }
}

//! The change log, undo, merging two actors and erasing one (docs/interfaces.md §8, change log,
//! docs/interfaces.md §1.1, docs/interfaces.md §9 personal data).

use std::collections::BTreeMap;

use serde::Serialize;
use vertoog_model::{Actor, EntityKind, Stance, Tie};

use crate::error::{invalid_one, Result, SledResultExt, StoreError};
use crate::keys;
use crate::txn::{decode, encode, Txn};
use crate::{LogEntry, Operation, Store};

/// The previous value of one key a log entry changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LogChange {
    pub entity: EntityKind,
    pub id: String,
    /// The value before the write (`None`: the entity did not exist).
    pub previous: Option<serde_json::Value>,
}

/// What an undo reverted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UndoReport {
    /// Seqs of the reverted entries, oldest first.
    pub reverted: Vec<u64>,
    /// Number of stored keys restored.
    pub changes: usize,
    /// Seq of the undo's own log entry.
    pub log_seq: u64,
}

/// What merging two actors did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    pub keep: String,
    pub other: String,
    /// Stances moved from `other` to `keep`.
    pub stances_moved: usize,
    /// Ties moved from `other` to `keep`.
    pub ties_moved: usize,
    /// Ties between the two actors, deleted because they would become self-ties.
    pub ties_dropped: Vec<String>,
    /// Names added to `keep`'s aliases (`other`'s name and aliases).
    pub aliases_added: Vec<String>,
    /// Actors whose parent was `other` and is now `keep`.
    pub children_moved: Vec<String>,
    pub log_seq: u64,
}

/// What erasing an actor removed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ErasureReport {
    pub actor: String,
    pub name: String,
    /// Ids of the deleted stances.
    pub stances: Vec<String>,
    /// Ids of the deleted ties.
    pub ties: Vec<String>,
    /// Actors whose `parent` was the erased actor and is now empty.
    pub children: Vec<String>,
    /// Log entries from which data about the actor was removed.
    pub log_entries_scrubbed: usize,
    /// Seq of the erasure's own log entry (which holds no data about the actor).
    pub log_seq: u64,
}

fn read_log(db: &sled::Db, map: &str) -> Result<Vec<LogEntry>> {
    let mut out = Vec::new();
    for kv in db.scan_prefix(keys::log_prefix(map)) {
        let (k, v) = kv.db()?;
        out.push(decode(&v, &String::from_utf8_lossy(&k))?);
    }
    Ok(out)
}

fn read_changes(db: &sled::Db, map: &str, seq: u64) -> Result<Vec<keys::Change>> {
    let mut out = Vec::new();
    for kv in db.scan_prefix(keys::changes_prefix(map, seq)) {
        let (_, v) = kv.db()?;
        let mut part = keys::decode_changes(&v).ok_or_else(|| {
            StoreError::Corrupt(format!("change-log entry {seq} of map `{map}` is damaged"))
        })?;
        out.append(&mut part);
    }
    Ok(out)
}

/// Whether a stored previous value holds data about actor `a` (its id in a reference, or, in
/// an engagement entity, its name or an alias as a team member or owner).
fn mentions(key: &[u8], value: &[u8], a: &Actor) -> bool {
    let person = a.id.as_str();
    let Some((kind, id)) = keys::parse_entity_key(key) else {
        return false;
    };
    if kind == EntityKind::Actor && id == person {
        return true;
    }
    if matches!(
        kind,
        EntityKind::Interaction | EntityKind::Commitment | EntityKind::PlanItem
    ) {
        let names: Vec<String> = std::iter::once(&a.name)
            .chain(a.aliases.iter())
            .map(|n| serde_json::to_string(n).unwrap_or_default())
            .chain(std::iter::once(format!("\"{person}\"")))
            .collect();
        return names
            .iter()
            .any(|n| value.windows(n.len()).any(|w| w == n.as_bytes()));
    }
    let quoted = format!("\"{person}\"");
    if !value.windows(quoted.len()).any(|w| w == quoted.as_bytes()) {
        return false;
    }
    match kind {
        EntityKind::Actor => serde_json::from_slice::<Actor>(value)
            .map(|a| a.parent.as_deref() == Some(person))
            .unwrap_or(true),
        EntityKind::Stance => serde_json::from_slice::<Stance>(value)
            .map(|s| s.actor == person)
            .unwrap_or(true),
        EntityKind::Tie => serde_json::from_slice::<Tie>(value)
            .map(|t| t.source == person || t.target == person)
            .unwrap_or(true),
        _ => false,
    }
}

impl Store {
    /// The change log of a map, oldest first.
    pub fn log(&self, map: &str) -> Result<Vec<LogEntry>> {
        let _g = self.read_guard()?;
        self.read_map(map)?;
        read_log(&self.db, map)
    }

    /// The previous values kept for log entry `seq` (what `undo` would restore).
    pub fn log_changes(&self, map: &str, seq: u64) -> Result<Vec<LogChange>> {
        let _g = self.read_guard()?;
        self.read_map(map)?;
        if !self.db.contains_key(keys::log_key(map, seq)).db()? {
            return Err(StoreError::Conflict(format!(
                "map `{map}` has no change-log entry {seq}"
            )));
        }
        let mut out = Vec::new();
        for (k, v) in read_changes(&self.db, map, seq)? {
            let Some((entity, id)) = keys::parse_entity_key(&k) else {
                continue;
            };
            let previous = match v {
                None => None,
                Some(b) => Some(decode::<serde_json::Value>(&b, "a previous value")?),
            };
            out.push(LogChange {
                entity,
                id,
                previous,
            });
        }
        Ok(out)
    }

    /// Reverts the last write to the map (`to == None`), or every write after entry `to`, in
    /// one atomic step, and logs the undo itself (so it can be undone in turn). Entries are
    /// reverted newest first by restoring the previous value of every key they changed, which
    /// yields exactly the state after entry `to`. Refused (`Conflict`) when there is nothing
    /// to undo or the range holds an entry that cannot be undone (map creation, erasure).
    pub fn undo(&self, map: &str, to: Option<u64>, principal: &str) -> Result<UndoReport> {
        let ((reverted, changes), seq) = self.write(map, principal, |t| {
            t.map_record()?;
            let entries = read_log(t.db, map)?;
            let Some(last) = entries.last() else {
                return Err(StoreError::Conflict(format!("map `{map}` has nothing to undo")));
            };
            let range: Vec<&LogEntry> = match to {
                None => vec![last],
                Some(to) => {
                    if !entries.iter().any(|e| e.seq == to) {
                        return Err(StoreError::Conflict(format!(
                            "map `{map}` has no change-log entry {to} (see `vertoog log --map {map}`)"
                        )));
                    }
                    entries.iter().filter(|e| e.seq > to).collect()
                }
            };
            if range.is_empty() {
                return Err(StoreError::Conflict(format!(
                    "map `{map}` has no writes after entry {} to undo",
                    to.unwrap_or(0)
                )));
            }
            if let Some(e) = range.iter().find(|e| !e.undoable) {
                return Err(StoreError::Conflict(format!(
                    "entry {} ({} {}) of map `{map}` cannot be undone; undo can go back to entry {} at the earliest",
                    e.seq, e.operation, e.entity, e.seq
                )));
            }
            // Newest first; an older entry's previous value overwrites a newer one's.
            let mut target: BTreeMap<Vec<u8>, Option<Vec<u8>>> = BTreeMap::new();
            for e in range.iter().rev() {
                for (k, v) in read_changes(t.db, map, e.seq)? {
                    target.insert(k, v);
                }
            }
            let n = target.len();
            for (k, v) in target {
                t.put(k, v)?;
            }
            let seqs: Vec<u64> = range.iter().map(|e| e.seq).collect();
            let summary = match seqs.as_slice() {
                [one] => format!("undid entry {one} ({} {} `{}`)", range[0].operation, range[0].entity, range[0].id),
                many => format!(
                    "undid entries {}..{} ({} writes)",
                    many[0],
                    many[many.len() - 1],
                    many.len()
                ),
            };
            t.log(Operation::Undo, EntityKind::Map, map, summary, true);
            t.set_reverts(seqs.clone());
            Ok((seqs, n))
        })?;
        Ok(UndoReport {
            reverted,
            changes,
            log_seq: seq,
        })
    }

    /// Merges actor `other` into `keep` (docs/interfaces.md §8): `other`'s stances and ties move to
    /// `keep` (ties between the two are dropped, they would be self-ties), `other`'s name and
    /// aliases become aliases of `keep`, children of `other` get `keep` as parent, and `other`
    /// is deleted. One atomic write, logged as `merge`, undoable.
    pub fn merge_actors(
        &self,
        map: &str,
        keep: &str,
        other: &str,
        principal: &str,
    ) -> Result<MergeReport> {
        if keep == other {
            return Err(invalid_one(
                EntityKind::Actor,
                other,
                "other",
                format!("cannot merge actor `{keep}` with itself"),
            ));
        }
        let (mut report, seq) = self.write(map, principal, |t| {
            t.map_record()?;
            let mut k = t.require::<Actor>(keep)?;
            let o = t.require::<Actor>(other)?;
            let report = merge_in_txn(t, &mut k, &o)?;
            t.log(
                Operation::Merge,
                EntityKind::Actor,
                keep,
                format!(
                    "merged actor `{other}` ({}) into `{keep}` ({}): {} stances and {} ties moved, {} ties dropped",
                    o.name,
                    k.name,
                    report.stances_moved,
                    report.ties_moved,
                    report.ties_dropped.len()
                ),
                true,
            );
            Ok(report)
        })?;
        report.log_seq = seq;
        Ok(report)
    }

    /// Erases an actor completely (docs/interfaces.md §9, personal data): deletes it, its stances and
    /// ties, clears `parent` of its children, and removes from the change log every previous
    /// value that holds data about it (its record, its stances and ties, children's records
    /// naming it) and every summary that names it. The erasure is logged without the actor's
    /// id or name and cannot be undone; nor can any entry before it.
    pub fn erase_actor(&self, map: &str, actor: &str, principal: &str) -> Result<ErasureReport> {
        let (mut report, seq) = self.write(map, principal, |t| {
            t.map_record()?;
            let a = t.require::<Actor>(actor)?;
            let deleted = t.cascade_delete_actor(actor)?;
            t.erase_person_names(&a)?;
            t.forget_previous();
            let scrubbed = scrub_log(t, &a)?;
            t.log(
                Operation::Erase,
                EntityKind::Actor,
                "",
                format!(
                    "erased an actor with {} stances and {} ties; {} change-log entries scrubbed",
                    deleted.stances.len(),
                    deleted.ties.len(),
                    scrubbed
                ),
                false,
            );
            Ok(ErasureReport {
                actor: a.id.clone(),
                name: a.name.clone(),
                stances: deleted.stances,
                ties: deleted.ties,
                children: deleted.children,
                log_entries_scrubbed: scrubbed,
                log_seq: 0,
            })
        })?;
        report.log_seq = seq;
        Ok(report)
    }
}

/// The body of [`Store::merge_actors`], inside an open write.
fn merge_in_txn(t: &mut Txn<'_>, k: &mut Actor, o: &Actor) -> Result<MergeReport> {
    let (keep, other) = (k.id.clone(), o.id.clone());
    let mut report = MergeReport {
        keep: keep.clone(),
        other: other.clone(),
        stances_moved: 0,
        ties_moved: 0,
        ties_dropped: Vec::new(),
        aliases_added: Vec::new(),
        children_moved: Vec::new(),
        log_seq: 0,
    };
    for mut s in t.scan_mentioning::<Stance>(&other)? {
        if s.actor == other {
            s.actor = keep.clone();
            t.put_entity(&s)?;
            report.stances_moved += 1;
        }
    }
    for mut tie in t.scan_mentioning::<Tie>(&other)? {
        if tie.source != other && tie.target != other {
            continue;
        }
        if tie.source == other {
            tie.source = keep.clone();
        }
        if tie.target == other {
            tie.target = keep.clone();
        }
        if tie.source == tie.target {
            t.delete_entity(EntityKind::Tie, &tie.id)?;
            report.ties_dropped.push(tie.id);
        } else {
            t.put_entity(&tie)?;
            report.ties_moved += 1;
        }
    }
    for mut a in t.scan_mentioning::<Actor>(&other)? {
        if a.id != keep && a.id != other && a.parent.as_deref() == Some(other.as_str()) {
            a.parent = Some(keep.clone());
            t.put_entity(&a)?;
            report.children_moved.push(a.id);
        }
    }
    if k.parent.as_deref() == Some(other.as_str()) {
        k.parent = o.parent.clone().filter(|p| p != &keep);
    }
    for name in std::iter::once(&o.name).chain(o.aliases.iter()) {
        if name != &k.name && !k.aliases.contains(name) {
            k.aliases.push(name.clone());
            report.aliases_added.push(name.clone());
        }
    }
    t.put_entity(k)?;
    t.delete_entity(EntityKind::Actor, &other)?;
    Ok(report)
}

/// Whether `text` holds `id` as a whole word (ids are slugs: words of `a-z 0-9 -`).
fn names_id(text: &str, id: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        .any(|w| w == id)
}

/// Removes data about actor `a` from the map's change log; returns how many entries changed.
fn scrub_log(t: &mut Txn<'_>, a: &Actor) -> Result<usize> {
    let map = t.map.clone();
    let mut touched = std::collections::BTreeSet::new();
    let all = keys::changes_prefix_all(&map);
    let mut rewrites = Vec::new();
    for kv in t.db.scan_prefix(&all) {
        let (k, v) = kv.db()?;
        let changes = keys::decode_changes(&v)
            .ok_or_else(|| StoreError::Corrupt(format!("change log of map `{map}` is damaged")))?;
        let before = changes.len();
        let kept: Vec<_> = changes
            .into_iter()
            // An entry whose previous value is absent (a create) still names the actor in
            // its key: that goes too.
            .filter(|(ck, cv)| !mentions(ck, cv.as_deref().unwrap_or_default(), a))
            .collect();
        if kept.len() != before {
            // key: m/{map}/U/{seq:020}/{chunk}
            let tail = &k[all.len()..];
            let seq: u64 = std::str::from_utf8(&tail[..20.min(tail.len())])
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            touched.insert(seq);
            let value = if kept.is_empty() {
                None
            } else {
                Some(keys::encode_changes(&kept))
            };
            rewrites.push((k.to_vec(), value));
        }
    }
    for (k, v) in rewrites {
        t.raw(k, v);
    }
    let names: Vec<&String> = std::iter::once(&a.name)
        .chain(a.aliases.iter())
        .filter(|n| n.chars().count() >= 3)
        .collect();
    for mut e in read_log(t.db, &map)? {
        let named = e.id == a.id && e.entity == EntityKind::Actor
            || names_id(&e.summary, &a.id)
            || names.iter().any(|n| e.summary.contains(n.as_str()));
        if named || touched.contains(&e.seq) {
            if e.id == a.id {
                e.id = String::new();
            }
            if named {
                e.summary = "(entry about erased personal data)".to_string();
            }
            e.scrubbed = true;
            touched.insert(e.seq);
            t.raw(keys::log_key(&map, e.seq), Some(encode(&e)?));
        }
    }
    Ok(touched.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::seeded;
    use crate::{ImportOptions, OnDuplicate};
    use vertoog_model::{Bundle, Map, Narrative};

    #[test]
    fn undo_an_edit_and_undo_the_undo() {
        let (_d, s) = seeded();
        let original = s.get_actor("m", "b").unwrap();
        let mut b = original.clone();
        b.name = "Logius (BZK)".into();
        s.update_actor("m", "b", b.clone(), "ann").unwrap();
        let r = s.undo("m", None, "bob").unwrap();
        assert_eq!(r.changes, 1);
        assert_eq!(s.get_actor("m", "b").unwrap(), original);
        let log = s.log("m").unwrap();
        let last = log.last().unwrap();
        assert_eq!(last.operation, Operation::Undo);
        assert_eq!(last.principal, "bob");
        assert_eq!(last.reverts, vec![r.reverted[0]]);
        // Undo the undo: the edit is back.
        s.undo("m", None, "bob").unwrap();
        assert_eq!(s.get_actor("m", "b").unwrap(), b);
        let changes = s.log_changes("m", log.last().unwrap().seq).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].entity, EntityKind::Actor);
        assert_eq!(
            changes[0].previous.as_ref().unwrap()["name"],
            "Logius (BZK)"
        );
    }

    #[test]
    fn undo_to_an_entry_reverts_everything_after_it() {
        let (_d, s) = seeded();
        let seq = s.log("m").unwrap().last().unwrap().seq;
        let before = s.load("m").unwrap();
        s.delete_tie("m", "t1", "ann").unwrap();
        s.create_actor("m", Actor::new("d", "Kadaster"), "ann", false)
            .unwrap();
        s.delete_actor("m", "b", "ann").unwrap();
        let r = s.undo("m", Some(seq), "ann").unwrap();
        assert_eq!(r.reverted, vec![seq + 1, seq + 2, seq + 3]);
        let after = s.load("m").unwrap();
        assert_eq!(after.actors, before.actors);
        assert_eq!(after.stances, before.stances);
        assert_eq!(after.ties, before.ties);
        // The map's creation cannot be undone.
        assert!(matches!(
            s.undo("m", Some(0), "ann"),
            Err(StoreError::Conflict(_))
        ));
        let err = s.undo("m", Some(1), "ann");
        assert!(err.is_ok(), "{err:?}");
        assert!(s.load("m").unwrap().actors.is_empty());
        assert!(matches!(
            s.undo("m", Some(999), "ann"),
            Err(StoreError::Conflict(_))
        ));
    }

    #[test]
    fn undo_of_an_import_is_whole() {
        let (_d, s) = seeded();
        let before = s.load("m").unwrap();
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![
            Actor::new("x", "Kadaster"),
            Actor::new("y", "Rijkswaterstaat"),
        ];
        b.narratives = vec![Narrative::new("n3", "Open standards", false)];
        b.stances = vec![
            Stance::new("", "x", "n3", 1),
            Stance::new("", "a", "n3", -1),
        ];
        let mut a = before.actors[0].clone();
        a.influence = 0.8;
        b.actors.push(a);
        let r = s.import("m", b, ImportOptions::default(), "ann").unwrap();
        assert_eq!(r.created.actors, 2);
        assert_eq!(r.updated.actors, 1);
        assert_eq!(r.created.stances, 2);
        assert_eq!(
            s.log("m").unwrap().last().unwrap().operation,
            Operation::Import
        );
        s.undo("m", None, "ann").unwrap();
        let after = s.load("m").unwrap();
        assert_eq!(after.actors, before.actors);
        assert_eq!(after.narratives, before.narratives);
        assert_eq!(after.stances, before.stances);
        assert_eq!(after.ties, before.ties);
    }

    #[test]
    fn merge_actors_moves_everything() {
        let (_d, s) = seeded();
        // b has s2 (n1) and ties t1 (a-b) and t2 (b-c); merge b into a.
        let mut b = s.get_actor("m", "b").unwrap();
        b.aliases = vec!["Logius BV".into()];
        s.update_actor("m", "b", b, "ann").unwrap();
        let before = s.load("m").unwrap();
        let r = s.merge_actors("m", "a", "b", "ann").unwrap();
        assert_eq!(r.stances_moved, 1);
        assert_eq!(r.ties_moved, 1);
        assert_eq!(r.ties_dropped, ["t1"]);
        assert_eq!(r.aliases_added, ["Logius", "Logius BV"]);
        let m = s.load("m").unwrap();
        assert!(m.actor("b").is_none());
        assert_eq!(m.actor("a").unwrap().aliases, ["Logius", "Logius BV"]);
        assert!(m.stances.iter().all(|s| s.actor == "a"));
        assert_eq!(m.ties.len(), 1);
        assert_eq!(
            (m.ties[0].source.as_str(), m.ties[0].target.as_str()),
            ("a", "c")
        );
        assert!(m.validate().is_empty());
        let last = s.log("m").unwrap().pop().unwrap();
        assert_eq!(last.operation, Operation::Merge);
        assert_eq!(last.id, "a");
        s.undo("m", None, "ann").unwrap();
        let back = s.load("m").unwrap();
        assert_eq!(back.actors, before.actors);
        assert_eq!(back.stances, before.stances);
        assert_eq!(back.ties, before.ties);
        assert!(s.merge_actors("m", "a", "a", "ann").is_err());
        assert!(matches!(
            s.merge_actors("m", "a", "zz", "ann"),
            Err(StoreError::NotFound { .. })
        ));
    }

    #[test]
    fn erase_scrubs_the_log() {
        let (_d, s) = seeded();
        // c is the person "Jan Jansen", parent a, tie t2 (b-c).
        let mut c = s.get_actor("m", "c").unwrap();
        c.notes = "private phone 0612345678".into();
        s.update_actor("m", "c", c, "ann").unwrap();
        s.create_stance("m", Stance::new("", "c", "n2", -2), "ann")
            .unwrap();
        s.delete_stance("m", "s4", "ann").unwrap();
        let r = s.erase_actor("m", "c", "ann").unwrap();
        assert_eq!(r.ties, ["t2"]);
        assert!(r.stances.is_empty());
        // create c, create t2, update c, create s4, delete s4.
        assert_eq!(r.log_entries_scrubbed, 5, "{r:?}");
        assert!(s.get_actor("m", "c").is_err());
        // Nothing in the map's stored data or log mentions the person any more.
        for kv in s.db.scan_prefix(keys::map_data_prefix("m")) {
            let (k, v) = kv.unwrap();
            let text = String::from_utf8_lossy(&v);
            assert!(!text.contains("Jan Jansen"), "name left in {k:?}");
            assert!(!text.contains("0612345678"), "notes left in {k:?}");
            assert!(!text.contains("\"c\""), "id left in {k:?}: {text}");
            assert!(
                !text.contains("`c`") && !text.contains("- c,"),
                "id left in {k:?}: {text}"
            );
        }
        let log = s.log("m").unwrap();
        let last = log.last().unwrap();
        assert_eq!(last.operation, Operation::Erase);
        assert_eq!(last.id, "");
        assert!(!last.undoable);
        assert!(matches!(
            s.undo("m", None, "ann"),
            Err(StoreError::Conflict(_))
        ));
        // The rest of the map is intact.
        let m = s.load("m").unwrap();
        assert!(m.validate().is_empty());
        assert_eq!(m.actors.len(), 2);
    }

    #[test]
    fn whole_word_id_match() {
        assert!(names_id("created tie `t2` (b - c, communication)", "c"));
        assert!(!names_id("created actor `cc` (Cees)", "c"));
        assert!(names_id("x on jan-jansen: +1", "jan-jansen"));
        assert!(!names_id("x on jan-jansen-2: +1", "jan-jansen"));
    }

    #[test]
    fn erase_after_merge_keeps_other_entries() {
        let (_d, s) = seeded();
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![Actor::new("x", "Min. BZK")];
        let opts = ImportOptions {
            on_duplicate: OnDuplicate::Merge,
            apply_map_fields: false,
        };
        s.import("m", b, opts, "ann").unwrap();
        let r = s.erase_actor("m", "b", "ann").unwrap();
        assert_eq!(r.ties, ["t1", "t2"]);
        assert_eq!(s.load("m").unwrap().stances.len(), 2);
    }
}

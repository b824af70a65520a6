//! Maps: create, list, read, update, delete, version, and loading a whole map.

use vertoog_model::{
    validate_map, Actor, Bundle, BundleError, EntityKind, FieldError, Map, Narrative, Stance, Tie,
};

use crate::error::{invalid_fields, Result, SledResultExt, StoreError};
use crate::keys;
use crate::storage;
use crate::txn::{decode, now_rfc3339};
use crate::{Operation, Store};

/// The map record and its bucket counts, logged as a `create` that cannot be undone.
fn create_in_txn(t: &mut crate::txn::Txn<'_>, map: &Map) -> Result<()> {
    let key = keys::map_key(&t.map);
    if t.exists(&key)? {
        return Err(StoreError::Conflict(format!(
            "map `{}` already exists",
            t.map
        )));
    }
    t.put_json(key, map)?;
    for kind in [EntityKind::Stance, EntityKind::Tie] {
        t.raw(
            keys::bucket_count_key(&t.map, kind),
            Some(storage::count_bytes(storage::MIN_BUCKETS).to_vec()),
        );
    }
    t.log(
        Operation::Create,
        EntityKind::Map,
        &map.id,
        format!("created map `{}` ({})", map.id, map.name),
        false,
    );
    Ok(())
}

pub(crate) fn map_not_found(id: &str) -> StoreError {
    StoreError::NotFound {
        kind: EntityKind::Map,
        id: id.to_string(),
        map: id.to_string(),
    }
}

impl Store {
    pub(crate) fn read_map(&self, id: &str) -> Result<Map> {
        match self.db.get(keys::map_key(id)).db()? {
            None => Err(map_not_found(id)),
            Some(b) => decode(&b, &format!("map `{id}`")),
        }
    }

    /// Every stored entity of one kind of a map, sorted by id (byte order). The stored JSON
    /// is decoded in parallel (rayon); the order is the scan's, so the result is the same for
    /// any number of threads.
    pub(crate) fn scan_kind<T: serde::de::DeserializeOwned + Send>(
        &self,
        map: &str,
        kind: EntityKind,
    ) -> Result<Vec<T>> {
        use rayon::prelude::*;
        crate::storage::scan_entities(&self.db, map, kind)?
            .par_iter()
            .with_min_len(256)
            .map(|(id, v)| {
                serde_json::from_slice(v).map_err(|e| {
                    StoreError::Corrupt(format!(
                        "{kind} `{id}` of map `{map}` cannot be decoded: {e}"
                    ))
                })
            })
            .collect()
    }

    /// Creates a map. Sets `created` and `updated` to now (RFC 3339 UTC); an empty name
    /// becomes the id. Errors: `Invalid` (model::validate_map), `Conflict` when the id exists.
    /// Logged as a `create` entry that cannot be undone (delete the map instead).
    pub fn create_map(&self, mut map: Map, principal: &str) -> Result<Map> {
        let errs = validate_map(&map);
        if !errs.is_empty() {
            return Err(invalid_fields(EntityKind::Map, &map.id, errs));
        }
        if map.name.is_empty() {
            map.name = map.id.clone();
        }
        let now = now_rfc3339();
        map.created = now.clone();
        map.updated = now;
        let id = map.id.clone();
        let (stored, _) = self.write(&id, principal, |t| {
            create_in_txn(t, &map)?;
            Ok(map)
        })?;
        self.read_map(&stored.id)
    }

    /// Creates a map and imports `incoming` into it in one atomic write (issue 16): after a
    /// failure, a crash or a kill there is either the map with everything or no map at all.
    /// `map` as for [`Store::create_map`], `opts` as for [`Store::import`]. The one change-log
    /// entry (`import`, "created map ... ; import: ...") cannot be undone: delete the map.
    pub fn create_map_and_import(
        &self,
        mut map: Map,
        incoming: Bundle,
        opts: crate::ImportOptions,
        principal: &str,
    ) -> Result<(Map, crate::ImportReport)> {
        let errs = validate_map(&map);
        if !errs.is_empty() {
            return Err(invalid_fields(EntityKind::Map, &map.id, errs));
        }
        if map.name.is_empty() {
            map.name = map.id.clone();
        }
        let now = now_rfc3339();
        map.created = now.clone();
        map.updated = now;
        let id = map.id.clone();
        let (mut report, seq) = self.write(&id, principal, |t| {
            create_in_txn(t, &map)?;
            t.start_new_map_buckets();
            let report = crate::import::import_in_txn(t, incoming, opts)?;
            t.amend_entry(&format!("created map `{}` ({}); ", map.id, map.name), false);
            Ok(report)
        })?;
        report.log_seq = seq;
        Ok((self.read_map(&id)?, report))
    }

    /// Every map, sorted by id.
    pub fn list_maps(&self) -> Result<Vec<Map>> {
        let _g = self.read_guard()?;
        let mut out = Vec::new();
        for kv in self.db.scan_prefix(keys::MAP_PREFIX.as_bytes()) {
            let (k, v) = kv.db()?;
            out.push(decode(&v, &String::from_utf8_lossy(&k))?);
        }
        Ok(out)
    }

    /// One map; `NotFound` when absent.
    pub fn get_map(&self, id: &str) -> Result<Map> {
        self.read_map(id)
    }

    /// Replaces a map's name, description, domain vocabulary and settings (its id, `created`
    /// are kept; `updated` is set). Errors: `Invalid` for bad fields, or when an actor's domain
    /// is no longer in the vocabulary (field `domains`, naming the actor). Logged, undoable.
    pub fn update_map(&self, map: Map, principal: &str) -> Result<Map> {
        let id = map.id.clone();
        self.write(&id, principal, |t| {
            let old = t.map_record()?;
            let mut new = old.clone();
            new.name = if map.name.is_empty() {
                old.name.clone()
            } else {
                map.name.clone()
            };
            new.description = map.description.clone();
            new.domains = map.domains.clone();
            new.settings = map.settings.clone();
            let mut errs = validate_map(&new);
            if new.domains != old.domains {
                for kv in
                    t.db.scan_prefix(keys::entity_prefix(&t.map, EntityKind::Actor))
                {
                    let (k, v) = kv.db()?;
                    let a: Actor = decode(&v, &String::from_utf8_lossy(&k))?;
                    if !new.has_domain(&a.domain) {
                        errs.push(FieldError::new(
                            "domains",
                            format!(
                                "actor `{}` uses domain `{}`, which the new vocabulary lacks",
                                a.id, a.domain
                            ),
                        ));
                    }
                }
            }
            if !errs.is_empty() {
                return Err(invalid_fields(EntityKind::Map, &new.id, errs));
            }
            t.put_json(keys::map_key(&t.map), &new)?;
            t.log(
                Operation::Update,
                EntityKind::Map,
                &new.id,
                format!("updated map `{}`", new.id),
                true,
            );
            Ok(())
        })?;
        self.read_map(&id)
    }

    /// Replaces the names the user gave to coalitions (`Map::coalition_names`; issue 18).
    /// Errors: `Invalid` for a blank or too long name or a name without members (field
    /// `coalition_names[i].name|members`). Logged, undoable; raises the map's version.
    pub fn set_coalition_names(
        &self,
        id: &str,
        names: Vec<vertoog_model::CoalitionName>,
        principal: &str,
    ) -> Result<Map> {
        self.write(id, principal, |t| {
            let mut new = t.map_record()?;
            new.coalition_names = names;
            let errs = validate_map(&new);
            if !errs.is_empty() {
                return Err(invalid_fields(EntityKind::Map, &new.id, errs));
            }
            t.put_json(keys::map_key(&t.map), &new)?;
            t.log(
                Operation::Update,
                EntityKind::Map,
                &new.id,
                format!("named the coalitions of map `{}`", new.id),
                true,
            );
            Ok(())
        })?;
        self.read_map(id)
    }

    /// Deletes a map with all of its entities and its change log. Not undoable.
    pub fn delete_map(&self, id: &str, principal: &str) -> Result<()> {
        self.write(id, principal, |t| {
            t.map_record()?;
            t.raw(keys::map_key(id), None);
            for kv in t.db.scan_prefix(keys::map_data_prefix(id)) {
                let (k, _) = kv.db()?;
                t.raw(k.to_vec(), None);
            }
            Ok(())
        })?;
        Ok(())
    }

    /// A number that increases on every write to the map (for caches). Taken from a store-wide
    /// counter, so a map deleted and created again never repeats an earlier version.
    pub fn map_version(&self, id: &str) -> Result<u64> {
        let _g = self.read_guard()?;
        if !self.db.contains_key(keys::map_key(id)).db()? {
            return Err(map_not_found(id));
        }
        Ok(self
            .db
            .get(keys::version_key(id))
            .db()?
            .map(|b| keys::bytes_u64(&b))
            .unwrap_or(0))
    }

    /// The whole map as a bundle, each list sorted by id (byte order, so `s10` < `s2`).
    pub fn load(&self, id: &str) -> Result<Bundle> {
        let _g = self.read_guard()?;
        self.load_unlocked(id)
    }

    pub(crate) fn load_unlocked(&self, id: &str) -> Result<Bundle> {
        let map = self.read_map(id)?;
        let mut b = Bundle::new(map);
        // The four kinds are read side by side: on a cold page cache (a fresh process) the
        // time goes to sled's page reads, which run in parallel.
        let ((actors, narratives), (stances, ties)) = rayon::join(
            || {
                rayon::join(
                    || self.scan_kind::<Actor>(id, EntityKind::Actor),
                    || self.scan_kind::<Narrative>(id, EntityKind::Narrative),
                )
            },
            || {
                rayon::join(
                    || self.scan_kind::<Stance>(id, EntityKind::Stance),
                    || self.scan_kind::<Tie>(id, EntityKind::Tie),
                )
            },
        );
        b.actors = actors?;
        b.narratives = narratives?;
        b.stances = stances?;
        b.ties = ties?;
        b.interactions =
            self.scan_kind::<vertoog_model::Interaction>(id, EntityKind::Interaction)?;
        b.commitments = self.scan_kind::<vertoog_model::Commitment>(id, EntityKind::Commitment)?;
        b.plan = self.scan_kind::<vertoog_model::PlanItem>(id, EntityKind::PlanItem)?;
        Ok(b)
    }
}

/// Errors of a map's own fields as bundle errors (kind `map`, index 0).
pub(crate) fn map_errors(map: &Map, errs: Vec<FieldError>) -> Vec<BundleError> {
    errs.into_iter()
        .map(|e| BundleError {
            kind: EntityKind::Map,
            index: 0,
            id: map.id.clone(),
            field: e.field,
            message: e.message,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{seeded, store};

    #[test]
    fn map_crud_and_versions() {
        let (_d, s) = store();
        let m = s.create_map(Map::new("zeta"), "local").unwrap();
        assert!(!m.created.is_empty());
        assert!(m.created.ends_with('Z'));
        s.create_map(Map::new("alpha"), "local").unwrap();
        let ids: Vec<String> = s.list_maps().unwrap().into_iter().map(|m| m.id).collect();
        assert_eq!(ids, ["alpha", "zeta"]);
        assert!(matches!(
            s.create_map(Map::new("alpha"), "local"),
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.create_map(Map::new("Bad Id"), "local"),
            Err(StoreError::Invalid(_))
        ));
        let v1 = s.map_version("zeta").unwrap();
        let mut m2 = s.get_map("zeta").unwrap();
        m2.name = "Zeta map".into();
        let m3 = s.update_map(m2, "local").unwrap();
        assert_eq!(m3.name, "Zeta map");
        assert_eq!(m3.created, m.created);
        let v2 = s.map_version("zeta").unwrap();
        assert!(v2 > v1);
        s.delete_map("zeta", "local").unwrap();
        assert!(matches!(
            s.get_map("zeta"),
            Err(StoreError::NotFound { .. })
        ));
        assert!(s.map_version("zeta").is_err());
        // Recreated: the version keeps increasing.
        s.create_map(Map::new("zeta"), "local").unwrap();
        assert!(s.map_version("zeta").unwrap() > v2);
        assert_eq!(s.log("zeta").unwrap().len(), 1);
    }

    #[test]
    fn vocabulary_change_must_keep_used_domains() {
        let (_d, s) = seeded();
        let mut m = s.get_map("m").unwrap();
        m.domains = vec!["ministry".into()];
        match s.update_map(m, "local").unwrap_err() {
            StoreError::Invalid(errs) => {
                // a, b, c are all in domain `other`.
                assert_eq!(errs.len(), 3);
                assert_eq!(errs[0].field, "domains");
                assert!(errs[0].message.contains("actor `a`"));
            }
            e => panic!("{e}"),
        }
    }

    #[test]
    fn delete_map_removes_everything() {
        let (_d, s) = seeded();
        s.delete_map("m", "local").unwrap();
        assert_eq!(s.db.scan_prefix(keys::map_data_prefix("m")).count(), 0);
        assert!(s.list_maps().unwrap().is_empty());
        assert!(matches!(s.load("m"), Err(StoreError::NotFound { .. })));
    }
}

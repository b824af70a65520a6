//! Backup and restore: a consistent snapshot of every map (entities, version, id counters,
//! change log with previous values) and every token hash, as one serde value.

use serde::{Deserialize, Serialize};
use vertoog_model::Bundle;

use crate::error::{Result, SledResultExt, StoreError};
use crate::keys;
use crate::tokens::TokenBackup;
use crate::txn::{decode, encode, now_rfc3339};
use crate::{LogEntry, Store, FORMAT_VERSION};

/// The `format` value of a snapshot.
pub const SNAPSHOT_FORMAT: &str = "vertoog-backup";

/// Everything in a store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Always [`SNAPSHOT_FORMAT`].
    pub format: String,
    /// The store format it was taken from.
    pub store_format: u32,
    /// RFC 3339, UTC.
    pub created: String,
    pub maps: Vec<MapBackup>,
    pub tokens: Vec<TokenBackup>,
    /// `sha256:HEX` over everything above (see [`Snapshot::content_digest`]); checked
    /// before a restore. Absent in backups of builds before issue 16.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// What [`Snapshot::check_digest`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DigestCheck {
    /// The digest matches the content.
    Matches,
    /// The backup has no digest (written before digests existed): restorable, unverified.
    Absent,
}

impl Snapshot {
    /// `sha256:HEX` of the snapshot's content: its JSON without the digest field. serde
    /// writes the fields in declaration order and every map in the content is ordered, so
    /// reading and writing a backup again gives the same digest.
    pub fn content_digest(&self) -> Result<String> {
        use sha2::{Digest, Sha256};
        let content = (
            &self.format,
            self.store_format,
            &self.created,
            &self.maps,
            &self.tokens,
        );
        let bytes = serde_json::to_vec(&content)
            .map_err(|e| StoreError::Internal(format!("cannot encode the snapshot: {e}")))?;
        let hash = Sha256::digest(&bytes);
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        Ok(format!("sha256:{hex}"))
    }

    /// Checks the digest against the content: a mismatch (a changed position, a deleted
    /// stance, a changed name, ...) is `InvalidField { field: "digest" }`.
    pub fn check_digest(&self) -> Result<DigestCheck> {
        let Some(stored) = &self.digest else {
            return Ok(DigestCheck::Absent);
        };
        if *stored != self.content_digest()? {
            return Err(StoreError::InvalidField {
                field: "digest".into(),
                message: "the backup's content does not match its digest: it was changed or \
                          damaged after it was written; nothing was restored (use another \
                          backup)"
                    .into(),
            });
        }
        Ok(DigestCheck::Matches)
    }
}

/// The encoded entities of one kind: (kind, [(id, JSON)]).
type EncodedKind<'a> = (vertoog_model::EntityKind, Vec<(&'a str, Vec<u8>)>);

/// One map with its history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapBackup {
    pub bundle: Bundle,
    pub version: u64,
    /// Last assigned `s<N>` and `t<N>` numbers.
    pub stance_counter: u64,
    pub tie_counter: u64,
    pub log: Vec<LogBackup>,
}

/// One change-log entry with the previous values it keeps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogBackup {
    pub entry: LogEntry,
    /// `(stored key, previous value as stored JSON text or null)`.
    pub changes: Vec<(String, Option<String>)>,
}

impl Store {
    /// A consistent snapshot of the whole store (taken under the read lock).
    pub fn export_all(&self) -> Result<Snapshot> {
        let _g = self.read_guard()?;
        let mut maps = Vec::new();
        for kv in self.db.scan_prefix(keys::MAP_PREFIX.as_bytes()) {
            let (k, _) = kv.db()?;
            let id = String::from_utf8_lossy(&k[keys::MAP_PREFIX.len()..]).to_string();
            let bundle = self.load_unlocked(&id)?;
            let num = |key: Vec<u8>| -> Result<u64> {
                Ok(self
                    .db
                    .get(key)
                    .db()?
                    .map(|b| keys::bytes_u64(&b))
                    .unwrap_or(0))
            };
            let mut log = Vec::new();
            for kv in self.db.scan_prefix(keys::log_prefix(&id)) {
                let (lk, lv) = kv.db()?;
                let entry: LogEntry = decode(&lv, &String::from_utf8_lossy(&lk))?;
                let mut changes = Vec::new();
                for kv in self.db.scan_prefix(keys::changes_prefix(&id, entry.seq)) {
                    let (_, cv) = kv.db()?;
                    let part = keys::decode_changes(&cv).ok_or_else(|| {
                        StoreError::Corrupt(format!("change log of map `{id}` is damaged"))
                    })?;
                    for (ck, prev) in part {
                        changes.push((
                            String::from_utf8_lossy(&ck).to_string(),
                            prev.map(|p| String::from_utf8_lossy(&p).to_string()),
                        ));
                    }
                }
                log.push(LogBackup { entry, changes });
            }
            maps.push(MapBackup {
                version: num(keys::version_key(&id))?,
                stance_counter: num(keys::counter_key(&id, vertoog_model::EntityKind::Stance))?,
                tie_counter: num(keys::counter_key(&id, vertoog_model::EntityKind::Tie))?,
                bundle,
                log,
            });
        }
        let mut snapshot = Snapshot {
            format: SNAPSHOT_FORMAT.to_string(),
            store_format: FORMAT_VERSION,
            created: now_rfc3339(),
            maps,
            tokens: self.token_backups()?,
            digest: None,
        };
        snapshot.digest = Some(snapshot.content_digest()?);
        Ok(snapshot)
    }

    /// Restores a snapshot into this store, which must hold no map and no token (`Conflict`
    /// otherwise). Each map is validated (fields and referential integrity) first; one atomic
    /// batch, flushed. A digest that does not match the content is refused before anything
    /// else (`InvalidField { field: "digest" }`); a backup without digest is accepted.
    pub fn import_all(&self, snapshot: Snapshot) -> Result<()> {
        if snapshot.format != SNAPSHOT_FORMAT {
            return Err(StoreError::InvalidField {
                field: "format".into(),
                message: format!(
                    "`{}` is not a vertoog backup (expected `{SNAPSHOT_FORMAT}`)",
                    snapshot.format
                ),
            });
        }
        if snapshot.store_format > FORMAT_VERSION {
            return Err(StoreError::NewerFormat {
                path: self.path.clone(),
                found: snapshot.store_format,
                supported: FORMAT_VERSION,
            });
        }
        snapshot.check_digest()?;
        let mut batch = sled::Batch::default();
        let mut max_version = 0;
        for m in &snapshot.maps {
            let errs = m.bundle.validate();
            if !errs.is_empty() {
                return Err(StoreError::Invalid(errs));
            }
            if m.bundle.stances.iter().any(|s| s.id.is_empty())
                || m.bundle.ties.iter().any(|t| t.id.is_empty())
                || m.bundle.interactions.iter().any(|i| i.id.is_empty())
                || m.bundle.commitments.iter().any(|c| c.id.is_empty())
                || m.bundle.plan.iter().any(|p| p.id.is_empty())
            {
                return Err(StoreError::InvalidField {
                    field: "maps".into(),
                    message: format!("map `{}` has a stance or tie without id", m.bundle.map.id),
                });
            }
            let id = &m.bundle.map.id;
            batch.insert(keys::map_key(id), encode(&m.bundle.map)?);
            for a in &m.bundle.actors {
                batch.insert(
                    keys::entity_key(id, vertoog_model::EntityKind::Actor, &a.id),
                    encode(a)?,
                );
            }
            for n in &m.bundle.narratives {
                batch.insert(
                    keys::entity_key(id, vertoog_model::EntityKind::Narrative, &n.id),
                    encode(n)?,
                );
            }
            let stances = m
                .bundle
                .stances
                .iter()
                .map(|s| Ok((s.id.clone(), encode(s)?)))
                .collect::<Result<Vec<_>>>()?;
            for (k, v) in
                crate::storage::build_buckets(id, vertoog_model::EntityKind::Stance, stances)
            {
                batch.insert(k, v);
            }
            let ties = m
                .bundle
                .ties
                .iter()
                .map(|t| Ok((t.id.clone(), encode(t)?)))
                .collect::<Result<Vec<_>>>()?;
            for (k, v) in crate::storage::build_buckets(id, vertoog_model::EntityKind::Tie, ties) {
                batch.insert(k, v);
            }
            // Engagement entities, one key each; their id counters are the highest number
            // among their `i<N>` / `k<N>` / `p<N>` ids (the backup carries no counter of them).
            let engagement: [EncodedKind<'_>; 3] = [
                (
                    vertoog_model::EntityKind::Interaction,
                    m.bundle
                        .interactions
                        .iter()
                        .map(|x| Ok((x.id.as_str(), encode(x)?)))
                        .collect::<Result<_>>()?,
                ),
                (
                    vertoog_model::EntityKind::Commitment,
                    m.bundle
                        .commitments
                        .iter()
                        .map(|x| Ok((x.id.as_str(), encode(x)?)))
                        .collect::<Result<_>>()?,
                ),
                (
                    vertoog_model::EntityKind::PlanItem,
                    m.bundle
                        .plan
                        .iter()
                        .map(|x| Ok((x.id.as_str(), encode(x)?)))
                        .collect::<Result<_>>()?,
                ),
            ];
            for (kind, items) in engagement {
                let letter = keys::kind_letter(kind);
                let mut counter = 0u64;
                for (eid, json) in items {
                    if let Some(n) = eid.strip_prefix(letter).and_then(|r| r.parse::<u64>().ok()) {
                        counter = counter.max(n);
                    }
                    batch.insert(keys::entity_key(id, kind, eid), json);
                }
                if counter > 0 {
                    batch.insert(keys::counter_key(id, kind), &keys::u64_bytes(counter));
                }
            }
            batch.insert(keys::version_key(id), &keys::u64_bytes(m.version));
            max_version = max_version.max(m.version);
            batch.insert(
                keys::counter_key(id, vertoog_model::EntityKind::Stance),
                &keys::u64_bytes(m.stance_counter),
            );
            batch.insert(
                keys::counter_key(id, vertoog_model::EntityKind::Tie),
                &keys::u64_bytes(m.tie_counter),
            );
            let own_data = String::from_utf8_lossy(&keys::map_data_prefix(id)).to_string();
            let own_record = String::from_utf8_lossy(&keys::map_key(id)).to_string();
            for l in &m.log {
                batch.insert(keys::log_key(id, l.entry.seq), encode(&l.entry)?);
                let mut changes = Vec::with_capacity(l.changes.len());
                for (k, prev) in &l.changes {
                    if !(k.starts_with(&own_data) || *k == own_record)
                        || keys::parse_entity_key(k.as_bytes()).is_none()
                    {
                        return Err(StoreError::InvalidField {
                            field: "log".into(),
                            message: format!(
                                "entry {} of map `{id}` names a foreign key `{k}`",
                                l.entry.seq
                            ),
                        });
                    }
                    changes.push((
                        k.as_bytes().to_vec(),
                        prev.as_ref().map(|p| p.as_bytes().to_vec()),
                    ));
                }
                for (i, chunk) in changes.chunks(4096).enumerate() {
                    batch.insert(
                        keys::changes_key(id, l.entry.seq, i as u32),
                        keys::encode_changes(chunk),
                    );
                }
            }
        }
        for t in &snapshot.tokens {
            batch.insert(keys::token_key(&t.name), encode(t)?);
        }
        {
            let _g = self.write_guard();
            let has_map = self
                .db
                .scan_prefix(keys::MAP_PREFIX.as_bytes())
                .next()
                .is_some();
            let has_token = self
                .db
                .scan_prefix(keys::TOKEN_PREFIX.as_bytes())
                .next()
                .is_some();
            if has_map || has_token {
                return Err(StoreError::Conflict(format!(
                    "the store at {} is not empty: restore into an empty store folder",
                    self.path.display()
                )));
            }
            let wseq = self
                .db
                .get(keys::WSEQ_KEY)
                .db()?
                .map(|b| keys::bytes_u64(&b))
                .unwrap_or(0);
            batch.insert(keys::WSEQ_KEY, &keys::u64_bytes(wseq.max(max_version)));
            self.db.apply_batch(batch).db()?;
        }
        self.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{seeded, store};
    use crate::Role;
    use vertoog_model::Map;

    #[test]
    fn backup_restores_everything_into_an_empty_store() {
        let (_d, s) = seeded();
        s.create_map(Map::new("second"), "ann").unwrap();
        let secret = s.create_token("ann", Role::Admin).unwrap();
        s.delete_actor("m", "b", "ann").unwrap();
        let snap = s.export_all().unwrap();
        let text = serde_json::to_string(&snap).unwrap();
        let snap: Snapshot = serde_json::from_str(&text).unwrap();

        let (_d2, r) = store();
        r.import_all(snap.clone()).unwrap();
        assert_eq!(r.load("m").unwrap(), s.load("m").unwrap());
        assert_eq!(r.log("m").unwrap(), s.log("m").unwrap());
        assert_eq!(r.list_maps().unwrap().len(), 2);
        assert_eq!(r.verify_token(&secret).unwrap().unwrap().name, "ann");
        assert_eq!(r.map_version("m").unwrap(), s.map_version("m").unwrap());
        // The history came along: the delete can be undone in the restored store.
        r.undo("m", None, "ann").unwrap();
        assert!(r.get_actor("m", "b").is_ok());
        // New ids continue after the old ones; versions keep increasing.
        let st = r
            .create_stance("m", vertoog_model::Stance::new("", "a", "n1", 0), "ann")
            .unwrap();
        assert_eq!(st.id, "s4");
        // Not into a store that has data.
        assert!(matches!(
            r.import_all(snap.clone()),
            Err(StoreError::Conflict(_))
        ));
        let (_d3, e) = store();
        let mut newer = snap;
        newer.store_format = FORMAT_VERSION + 1;
        newer.digest = Some(newer.content_digest().unwrap());
        assert!(matches!(
            e.import_all(newer),
            Err(StoreError::NewerFormat { .. })
        ));
    }

    #[test]
    fn broken_backup_is_refused() {
        let (_d, s) = seeded();
        let mut snap = s.export_all().unwrap();
        snap.maps[0].bundle.stances[0].actor = "ghost".into();
        // Without a digest (an older backup), the content checks still refuse it.
        snap.digest = None;
        let (_d2, r) = store();
        assert!(matches!(r.import_all(snap), Err(StoreError::Invalid(_))));
        assert!(r.list_maps().unwrap().is_empty());
        let mut snap = s.export_all().unwrap();
        snap.maps[0].log[0].changes.push(("tok/x".into(), None));
        snap.digest = None;
        assert!(matches!(
            r.import_all(snap),
            Err(StoreError::InvalidField { .. })
        ));
    }

    /// Issue 16 item 3: a backup changed after it was written is refused before anything is
    /// restored; the same backup unchanged (after a JSON round trip) restores.
    #[test]
    fn a_tampered_backup_is_refused_and_changes_nothing() {
        let (_d, s) = seeded();
        let text = serde_json::to_string(&s.export_all().unwrap()).unwrap();
        let fresh = || serde_json::from_str::<Snapshot>(&text).unwrap();
        assert!(fresh().digest.as_deref().unwrap().starts_with("sha256:"));
        assert_eq!(fresh().check_digest().unwrap(), DigestCheck::Matches);

        let mut moved = fresh();
        moved.maps[0].bundle.stances[0].position = -2;
        let mut deleted = fresh();
        deleted.maps[0].bundle.stances.pop();
        let mut renamed = fresh();
        renamed.maps[0].bundle.actors[0].name = "Ministerie van Iets Anders".into();
        for (what, snap) in [("position", moved), ("stance", deleted), ("name", renamed)] {
            let (_d2, r) = store();
            let err = r.import_all(snap).unwrap_err();
            assert!(
                matches!(&err, StoreError::InvalidField { field, .. } if field == "digest"),
                "changed {what}: {err}"
            );
            assert!(
                err.to_string().contains("does not match its digest"),
                "{err}"
            );
            assert!(
                r.list_maps().unwrap().is_empty(),
                "changed {what}: nothing restored"
            );
        }
        // A backup without a digest (older builds) is restored unverified.
        let mut old = fresh();
        old.digest = None;
        assert_eq!(old.check_digest().unwrap(), DigestCheck::Absent);
        let (_d3, r) = store();
        r.import_all(old).unwrap();
        let (_d4, r) = store();
        r.import_all(fresh()).unwrap();
        assert_eq!(r.load("m").unwrap(), s.load("m").unwrap());
    }
}

//! Physical layout of entities. Actors and narratives are stored one key per entity.
//! Stances and ties, which come by the hundred thousand, are packed into buckets per map
//! (`m/{map}/S/{bucket}`, `m/{map}/T/{bucket}`), the bucket chosen by a fixed hash of the id:
//! sled's cost is per key (and per page read), not per byte, so this is what makes an import
//! of 200,000 stances take a fraction of a second and a whole map load quickly.
//!
//! The number of buckets is a power of two per map and kind, stored at `m/{map}/B/{s|t}`:
//! [`MIN_BUCKETS`] for a new map, sized for about [`FILL`] entities per bucket by an import,
//! and grown by a write that leaves a bucket with more than [`SPLIT_AT`] entities, up to
//! [`MAX_BUCKETS`]. A map without the key (store format 1) has [`MAX_BUCKETS`]. Growing
//! rewrites every bucket of the kind in the same atomic batch as the write.
//!
//! Everything above this module and the write overlay (the change log, undo) works on
//! *logical* keys `m/{map}/s/{id}`; only this module and the overlay know about buckets.

use std::collections::BTreeMap;

use vertoog_model::EntityKind;

use crate::error::{Result, SledResultExt, StoreError};
use crate::keys;

/// The most buckets per map and kind, and the number of a map without a stored count.
pub(crate) const MAX_BUCKETS: u32 = 4096;
/// Buckets per kind of a new, empty map.
pub(crate) const MIN_BUCKETS: u32 = 16;
/// Entities per bucket aimed at when a bucket count is chosen.
pub(crate) const FILL: usize = 32;
/// A write that leaves a bucket with more entities than this grows its kind's buckets.
pub(crate) const SPLIT_AT: usize = 128;

/// The bucket count for `entities` entities of one kind: a power of two giving at most
/// [`FILL`] per bucket on average, within [`MIN_BUCKETS`]..=[`MAX_BUCKETS`].
pub(crate) fn buckets_for(entities: usize) -> u32 {
    let wanted = entities.div_ceil(FILL).max(1).next_power_of_two();
    wanted.clamp(MIN_BUCKETS as usize, MAX_BUCKETS as usize) as u32
}

/// The stored bucket count of a map's stances or ties.
pub(crate) fn bucket_count(db: &sled::Db, map: &str, kind: EntityKind) -> Result<u32> {
    match db.get(keys::bucket_count_key(map, kind)).db()? {
        None => Ok(MAX_BUCKETS),
        Some(b) => decode_count(&b).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "the bucket count of {kind}s of map `{map}` is damaged"
            ))
        }),
    }
}

fn decode_count(b: &[u8]) -> Option<u32> {
    let n = u32::from_be_bytes(b.try_into().ok()?);
    (n.is_power_of_two() && (MIN_BUCKETS..=MAX_BUCKETS).contains(&n)).then_some(n)
}

/// The stored form of a bucket count.
pub(crate) fn count_bytes(n: u32) -> [u8; 4] {
    n.to_be_bytes()
}

/// The entities of one bucket: id -> stored JSON.
pub(crate) type Bucket = BTreeMap<String, Vec<u8>>;

/// Whether a kind is stored in buckets.
pub(crate) fn bucketed(kind: EntityKind) -> bool {
    matches!(kind, EntityKind::Stance | EntityKind::Tie)
}

/// FNV-1a (32 bit) of the id, modulo the map's bucket count. Fixed forever (store format).
pub(crate) fn bucket_of(id: &str, buckets: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % buckets
}

fn bucket_letter(kind: EntityKind) -> char {
    match kind {
        EntityKind::Tie => 'T',
        _ => 'S',
    }
}

pub(crate) fn bucket_prefix(map: &str, kind: EntityKind) -> Vec<u8> {
    format!("m/{map}/{}/", bucket_letter(kind)).into_bytes()
}

pub(crate) fn bucket_key(map: &str, kind: EntityKind, bucket: u32) -> Vec<u8> {
    format!("m/{map}/{}/{bucket:04}", bucket_letter(kind)).into_bytes()
}

/// `u32 id length, id, u32 value length, value` per entity, in id order (big-endian).
pub(crate) fn encode_bucket(b: &Bucket) -> Vec<u8> {
    let size: usize = b.iter().map(|(k, v)| 8 + k.len() + v.len()).sum();
    let mut out = Vec::with_capacity(size);
    for (k, v) in b {
        out.extend_from_slice(&(k.len() as u32).to_be_bytes());
        out.extend_from_slice(k.as_bytes());
        out.extend_from_slice(&(v.len() as u32).to_be_bytes());
        out.extend_from_slice(v);
    }
    out
}

/// Calls `f(id, value)` for each entity of an encoded bucket; `false` when malformed.
fn walk_bucket<'a>(mut b: &'a [u8], mut f: impl FnMut(&'a [u8], &'a [u8]) -> bool) -> bool {
    use keys::{take, take_u32 as len};
    while !b.is_empty() {
        let Some(kl) = len(&mut b) else { return false };
        let Some(k) = take(&mut b, kl) else {
            return false;
        };
        let Some(vl) = len(&mut b) else { return false };
        let Some(v) = take(&mut b, vl) else {
            return false;
        };
        if !f(k, v) {
            return true;
        }
    }
    true
}

fn damaged(key: &[u8]) -> StoreError {
    StoreError::Corrupt(format!(
        "bucket {} is damaged",
        String::from_utf8_lossy(key)
    ))
}

pub(crate) fn decode_bucket(key: &[u8], bytes: &[u8]) -> Result<Bucket> {
    let mut out = Bucket::new();
    let mut ok_utf8 = true;
    let ok = walk_bucket(bytes, |k, v| {
        match std::str::from_utf8(k) {
            Ok(id) => {
                out.insert(id.to_string(), v.to_vec());
            }
            Err(_) => ok_utf8 = false,
        }
        true
    });
    if !ok || !ok_utf8 {
        return Err(damaged(key));
    }
    Ok(out)
}

/// The stored JSON of one entity, if any.
pub(crate) fn read_entity(
    db: &sled::Db,
    map: &str,
    kind: EntityKind,
    id: &str,
) -> Result<Option<Vec<u8>>> {
    if !bucketed(kind) {
        return Ok(db
            .get(keys::entity_key(map, kind, id))
            .db()?
            .map(|v| v.to_vec()));
    }
    let bk = bucket_key(map, kind, bucket_of(id, bucket_count(db, map, kind)?));
    let Some(bytes) = db.get(&bk).db()? else {
        return Ok(None);
    };
    let mut found = None;
    let ok = walk_bucket(&bytes, |k, v| {
        if k == id.as_bytes() {
            found = Some(v.to_vec());
            false
        } else {
            true
        }
    });
    if !ok {
        return Err(damaged(&bk));
    }
    Ok(found)
}

/// Calls `f(id, json)` for every stored entity of a kind, in no particular order for
/// bucketed kinds and in id order for the others.
pub(crate) fn for_each_entity(
    db: &sled::Db,
    map: &str,
    kind: EntityKind,
    mut f: impl FnMut(&str, &[u8]) -> Result<()>,
) -> Result<()> {
    if bucketed(kind) {
        for kv in db.scan_prefix(bucket_prefix(map, kind)) {
            let (k, v) = kv.db()?;
            let mut err = None;
            let ok = walk_bucket(&v, |id, json| match std::str::from_utf8(id) {
                Ok(id) => match f(id, json) {
                    Ok(()) => true,
                    Err(e) => {
                        err = Some(e);
                        false
                    }
                },
                Err(_) => {
                    err = Some(damaged(&k));
                    false
                }
            });
            if let Some(e) = err {
                return Err(e);
            }
            if !ok {
                return Err(damaged(&k));
            }
        }
    } else {
        let prefix = keys::entity_prefix(map, kind);
        for kv in db.scan_prefix(&prefix) {
            let (k, v) = kv.db()?;
            let id = std::str::from_utf8(&k[prefix.len()..]).map_err(|_| damaged(&k))?;
            f(id, &v)?;
        }
    }
    Ok(())
}

/// Every stored entity of a kind as (id, JSON), sorted by id (byte order).
pub(crate) fn scan_entities(
    db: &sled::Db,
    map: &str,
    kind: EntityKind,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for_each_entity(db, map, kind, |id, v| {
        out.push((id.to_string(), v.to_vec()));
        Ok(())
    })?;
    if bucketed(kind) {
        out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }
    Ok(out)
}

/// Groups entities (id, JSON) of a bucketed kind into encoded buckets for a fresh map, sized
/// for their number; returns the key-value pairs to store, the bucket count's included.
pub(crate) fn build_buckets(
    map: &str,
    kind: EntityKind,
    items: Vec<(String, Vec<u8>)>,
) -> Vec<(Vec<u8>, Vec<u8>)> {
    let count = buckets_for(items.len());
    let mut buckets: BTreeMap<u32, Bucket> = BTreeMap::new();
    for (id, v) in items {
        buckets
            .entry(bucket_of(&id, count))
            .or_default()
            .insert(id, v);
    }
    std::iter::once((
        keys::bucket_count_key(map, kind),
        count_bytes(count).to_vec(),
    ))
    .chain(
        buckets
            .into_iter()
            .map(|(b, bucket)| (bucket_key(map, kind, b), encode_bucket(&bucket))),
    )
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_hash_is_fixed() {
        // FNV-1a of "" is the offset basis; of "a" is 0xe40c292c (published test vectors).
        assert_eq!(bucket_of("", MAX_BUCKETS), 0x811c_9dc5 % MAX_BUCKETS);
        assert_eq!(bucket_of("a", MAX_BUCKETS), 0xe40c_292c % MAX_BUCKETS);
        assert_eq!(bucket_of("a", 16), 0xe40c_292c % 16);
        assert_eq!(bucket_key("m", EntityKind::Tie, 7), b"m/m/T/0007".to_vec());
    }

    #[test]
    fn bucket_counts_are_sized_powers_of_two() {
        assert_eq!(buckets_for(0), MIN_BUCKETS);
        assert_eq!(buckets_for(16 * FILL), 16);
        assert_eq!(buckets_for(16 * FILL + 1), 32);
        assert_eq!(buckets_for(3_000), 128);
        assert_eq!(buckets_for(200_000), MAX_BUCKETS);
        assert_eq!(buckets_for(usize::MAX / 2), MAX_BUCKETS);
        assert_eq!(decode_count(&count_bytes(64)), Some(64));
        assert_eq!(decode_count(&count_bytes(48)), None);
        assert_eq!(decode_count(&count_bytes(8192)), None);
        assert_eq!(decode_count(b"\x00\x10"), None);
        // Doubling the count splits a bucket in two: b stays or moves to b + old count.
        for id in ["s1", "s2", "t99", "actor-x"] {
            let (small, big) = (bucket_of(id, 16), bucket_of(id, 32));
            assert!(big == small || big == small + 16);
        }
    }

    /// Bucket keys of a map's stances, and whether every stored stance sits in the bucket
    /// its id hashes to under the stored count.
    fn stance_layout(s: &crate::Store, map: &str) -> (usize, bool) {
        let count = bucket_count(&s.db, map, EntityKind::Stance).unwrap();
        let mut keys = 0;
        let mut placed = true;
        for kv in s.db.scan_prefix(bucket_prefix(map, EntityKind::Stance)) {
            let (k, v) = kv.unwrap();
            keys += 1;
            let b: u32 = std::str::from_utf8(&k[k.len() - 4..])
                .unwrap()
                .parse()
                .unwrap();
            for id in decode_bucket(&k, &v).unwrap().keys() {
                placed &= bucket_of(id, count) == b;
            }
        }
        (keys, placed)
    }

    fn map_with_stances(n: usize) -> vertoog_model::Bundle {
        use vertoog_model::{Actor, Bundle, Map, Narrative, Stance};
        let mut b = Bundle::new(Map::new("m"));
        b.actors.push(Actor::new("a", "A"));
        b.narratives.push(Narrative::new("n", "N", true));
        b.stances = (0..n)
            .map(|i| Stance::new(format!("s{i}"), "a", "n", 1))
            .collect();
        b
    }

    #[test]
    fn new_maps_start_small_and_imports_size_their_buckets() {
        use crate::{ImportOptions, OnDuplicate};
        let (_d, s) = crate::testutil::store();
        s.create_map(vertoog_model::Map::new("m"), "local").unwrap();
        assert_eq!(
            bucket_count(&s.db, "m", EntityKind::Stance).unwrap(),
            MIN_BUCKETS
        );
        assert_eq!(
            bucket_count(&s.db, "m", EntityKind::Tie).unwrap(),
            MIN_BUCKETS
        );
        let opts = ImportOptions {
            on_duplicate: OnDuplicate::Keep,
            apply_map_fields: false,
        };
        s.import("m", map_with_stances(3_000), opts, "local")
            .unwrap();
        assert_eq!(bucket_count(&s.db, "m", EntityKind::Stance).unwrap(), 128);
        assert_eq!(
            bucket_count(&s.db, "m", EntityKind::Tie).unwrap(),
            MIN_BUCKETS
        );
        let (keys, placed) = stance_layout(&s, "m");
        assert!(placed && keys <= 128, "{keys} bucket keys");
        assert_eq!(s.load("m").unwrap().stances.len(), 3_000);
        assert_eq!(s.get_stance("m", "s2999").unwrap().id, "s2999");
    }

    /// One write that fills a 16-bucket map far past SPLIT_AT per bucket: the commit grows the
    /// buckets in the same batch, and undoing the write empties the map again.
    #[test]
    fn a_crowded_bucket_grows_its_kind_in_the_same_write() {
        use vertoog_model::Stance;
        let (_d, s) = crate::testutil::store();
        s.create_map(vertoog_model::Map::new("m"), "local").unwrap();
        let b = map_with_stances(0);
        s.create_actor("m", b.actors[0].clone(), "local", false)
            .unwrap();
        s.create_narrative("m", b.narratives[0].clone(), "local", false)
            .unwrap();
        let (_, seq) = s
            .write("m", "local", |t| {
                for i in 0..2_500 {
                    let st = Stance::new(format!("s{i}"), "a", "n", 1);
                    t.put_json(keys::entity_key("m", EntityKind::Stance, &st.id), &st)?;
                }
                t.log(
                    crate::Operation::Create,
                    EntityKind::Stance,
                    "s0",
                    "many".into(),
                    true,
                );
                Ok(())
            })
            .unwrap();
        assert!(seq > 0);
        assert_eq!(bucket_count(&s.db, "m", EntityKind::Stance).unwrap(), 128);
        let (keys, placed) = stance_layout(&s, "m");
        assert!(placed && keys <= 128, "{keys} bucket keys");
        assert_eq!(s.load("m").unwrap().stances.len(), 2_500);
        assert!(read_entity(&s.db, "m", EntityKind::Stance, "s1234")
            .unwrap()
            .is_some());
        // Later single writes use the new count.
        s.delete_stance("m", "s7", "local").unwrap();
        assert!(s.get_stance("m", "s7").is_err());
        s.undo("m", None, "local").unwrap();
        assert_eq!(s.get_stance("m", "s7").unwrap().id, "s7");
        // Back to the state after the entry before the big write.
        s.undo("m", Some(seq - 1), "local").unwrap();
        assert!(s.load("m").unwrap().stances.is_empty());
        let (keys, _) = stance_layout(&s, "m");
        assert_eq!(keys, 0);
    }

    /// Single writes, one stance each, past the point where a bucket overflows: the write
    /// that overflows it grows the buckets, and every stance stays readable.
    #[test]
    fn single_writes_grow_the_buckets_when_one_overflows() {
        use vertoog_model::Stance;
        let (_d, s) = crate::testutil::store();
        s.create_map(vertoog_model::Map::new("m"), "local").unwrap();
        let b = map_with_stances(0);
        s.create_actor("m", b.actors[0].clone(), "local", false)
            .unwrap();
        s.create_narrative("m", b.narratives[0].clone(), "local", false)
            .unwrap();
        let mut grown_at = None;
        for i in 0..2_200 {
            s.create_stance("m", Stance::new("", "a", "n", 1), "local")
                .unwrap();
            if grown_at.is_none() && bucket_count(&s.db, "m", EntityKind::Stance).unwrap() > 16 {
                grown_at = Some(i + 1);
            }
        }
        let grown_at = grown_at.expect("the buckets grew");
        // Growth comes when the fullest of 16 buckets passes SPLIT_AT, well before 16 * 128.
        assert!(
            (1_000..=16 * SPLIT_AT).contains(&grown_at),
            "grew at {grown_at}"
        );
        let (keys, placed) = stance_layout(&s, "m");
        assert!(placed, "every stance in the bucket of the stored count");
        assert!(keys <= bucket_count(&s.db, "m", EntityKind::Stance).unwrap() as usize);
        let loaded = s.load("m").unwrap();
        assert_eq!(loaded.stances.len(), 2_200);
        for st in loaded.stances.iter().step_by(97) {
            assert_eq!(s.get_stance("m", &st.id).unwrap(), *st);
        }
    }

    #[test]
    fn bucket_round_trip() {
        let mut b = Bucket::new();
        b.insert("s2".into(), b"{\"x\":2}".to_vec());
        b.insert("s10".into(), b"{}".to_vec());
        let enc = encode_bucket(&b);
        assert_eq!(decode_bucket(b"k", &enc).unwrap(), b);
        assert!(decode_bucket(b"k", &enc[..enc.len() - 1]).is_err());
        assert!(decode_bucket(b"k", &[]).unwrap().is_empty());
    }
}

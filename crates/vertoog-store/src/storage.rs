//! Physical layout of entities. Actors and narratives are stored one key per entity.
//! Stances and ties, which come by the hundred thousand, are packed into [`BUCKETS`] buckets
//! per map (`m/{map}/S/{bucket}`, `m/{map}/T/{bucket}`), the bucket chosen by a fixed hash of
//! the id: sled's cost is per key, not per byte, so this is what makes an import of 200,000
//! stances take a fraction of a second. Everything above this module (the write overlay,
//! the change log, undo) works on *logical* keys `m/{map}/s/{id}`; only this module and the
//! commit know about buckets.

use std::collections::BTreeMap;

use vertoog_model::EntityKind;

use crate::error::{Result, SledResultExt, StoreError};
use crate::keys;

/// Buckets per map for stances, and again for ties. Part of the store format: changing it
/// needs a migration.
pub(crate) const BUCKETS: u32 = 4096;

/// The entities of one bucket: id -> stored JSON.
pub(crate) type Bucket = BTreeMap<String, Vec<u8>>;

/// Whether a kind is stored in buckets.
pub(crate) fn bucketed(kind: EntityKind) -> bool {
    matches!(kind, EntityKind::Stance | EntityKind::Tie)
}

/// FNV-1a (32 bit) of the id, modulo [`BUCKETS`]. Fixed forever (store format).
pub(crate) fn bucket_of(id: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in id.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % BUCKETS
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
    fn take<'a>(b: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        if b.len() < n {
            return None;
        }
        let (h, t) = b.split_at(n);
        *b = t;
        Some(h)
    }
    fn len(b: &mut &[u8]) -> Option<usize> {
        let h = take(b, 4)?;
        Some(u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as usize)
    }
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
    let bk = bucket_key(map, kind, bucket_of(id));
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

/// Groups entities (id, JSON) of a bucketed kind into encoded buckets for a fresh map.
pub(crate) fn build_buckets(
    map: &str,
    kind: EntityKind,
    items: impl IntoIterator<Item = (String, Vec<u8>)>,
) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut buckets: BTreeMap<u32, Bucket> = BTreeMap::new();
    for (id, v) in items {
        buckets.entry(bucket_of(&id)).or_default().insert(id, v);
    }
    buckets
        .into_iter()
        .map(|(b, bucket)| (bucket_key(map, kind, b), encode_bucket(&bucket)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_hash_is_fixed() {
        // FNV-1a of "" is the offset basis; of "a" is 0xe40c292c (published test vectors).
        assert_eq!(bucket_of(""), 0x811c_9dc5 % BUCKETS);
        assert_eq!(bucket_of("a"), 0xe40c_292c % BUCKETS);
        assert_eq!(bucket_key("m", EntityKind::Tie, 7), b"m/m/T/0007".to_vec());
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

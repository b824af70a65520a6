//! Key layout of the one sled tree that holds everything.
//!
//! ```text
//! meta/format                  store format version (decimal text)
//! meta/wseq                    global write counter (u64 big-endian); map versions come from it
//! tok/{name}                   a token record (JSON)
//! M/{map}                      the map record (JSON)
//! m/{map}/a/{id}               actor (JSON)      m/{map}/n/{id}  narrative
//! m/{map}/s/{id}               stance            m/{map}/t/{id}  tie
//! m/{map}/i/{id}, m/{map}/k/{id}, m/{map}/p/{id}  interaction, commitment, plan item
//! m/{map}/V                    the map's version (u64 big-endian)
//! m/{map}/C/s, m/{map}/C/t     last assigned stance / tie number (u64 big-endian)
//! m/{map}/S/{b:04}, m/{map}/T/{b:04}  a bucket of stances / ties (see storage.rs)
//! m/{map}/B/s, m/{map}/B/t     buckets of stances / ties (u32 big-endian; absent: 4096)
//! m/{map}/L/{seq:020}          change-log entry header (JSON)
//! m/{map}/U/{seq:020}/{n:08}   previous values of the keys entry `seq` changed, in chunks
//! ```
//! Map and entity ids are slugs, so `/` never occurs inside them and prefixes never overlap.

use vertoog_model::EntityKind;

pub(crate) const FORMAT_KEY: &[u8] = b"meta/format";
pub(crate) const WSEQ_KEY: &[u8] = b"meta/wseq";
pub(crate) const TOKEN_PREFIX: &str = "tok/";
pub(crate) const MAP_PREFIX: &str = "M/";

pub(crate) fn kind_letter(kind: EntityKind) -> char {
    match kind {
        EntityKind::Map => 'M',
        EntityKind::Actor => 'a',
        EntityKind::Narrative => 'n',
        EntityKind::Stance => 's',
        EntityKind::Tie => 't',
        EntityKind::Interaction => 'i',
        EntityKind::Commitment => 'k',
        EntityKind::PlanItem => 'p',
    }
}

pub(crate) fn map_key(map: &str) -> Vec<u8> {
    format!("{MAP_PREFIX}{map}").into_bytes()
}

/// Everything of a map except its record: entities, version, counters, log.
pub(crate) fn map_data_prefix(map: &str) -> Vec<u8> {
    format!("m/{map}/").into_bytes()
}

pub(crate) fn entity_prefix(map: &str, kind: EntityKind) -> Vec<u8> {
    format!("m/{map}/{}/", kind_letter(kind)).into_bytes()
}

/// N of an id of the form `s<N>` (`t<N>`, ... by the kind's letter), the form of the ids
/// the store gives out.
pub(crate) fn id_number(kind: EntityKind, id: &str) -> Option<u64> {
    id.strip_prefix(kind_letter(kind))
        .filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|r| r.parse::<u64>().ok())
}

pub(crate) fn entity_key(map: &str, kind: EntityKind, id: &str) -> Vec<u8> {
    if kind == EntityKind::Map {
        return map_key(map);
    }
    format!("m/{map}/{}/{id}", kind_letter(kind)).into_bytes()
}

pub(crate) fn version_key(map: &str) -> Vec<u8> {
    format!("m/{map}/V").into_bytes()
}

pub(crate) fn counter_key(map: &str, kind: EntityKind) -> Vec<u8> {
    format!("m/{map}/C/{}", kind_letter(kind)).into_bytes()
}

pub(crate) fn bucket_count_key(map: &str, kind: EntityKind) -> Vec<u8> {
    format!("m/{map}/B/{}", kind_letter(kind)).into_bytes()
}

pub(crate) fn log_prefix(map: &str) -> Vec<u8> {
    format!("m/{map}/L/").into_bytes()
}

pub(crate) fn log_key(map: &str, seq: u64) -> Vec<u8> {
    format!("m/{map}/L/{seq:020}").into_bytes()
}

pub(crate) fn changes_prefix_all(map: &str) -> Vec<u8> {
    format!("m/{map}/U/").into_bytes()
}

pub(crate) fn changes_prefix(map: &str, seq: u64) -> Vec<u8> {
    format!("m/{map}/U/{seq:020}/").into_bytes()
}

pub(crate) fn changes_key(map: &str, seq: u64, chunk: u32) -> Vec<u8> {
    format!("m/{map}/U/{seq:020}/{chunk:08}").into_bytes()
}

pub(crate) fn token_key(name: &str) -> Vec<u8> {
    format!("{TOKEN_PREFIX}{name}").into_bytes()
}

/// Which entity a data key names: `(kind, id)`. `None` for keys that are not entities.
pub(crate) fn parse_entity_key(key: &[u8]) -> Option<(EntityKind, String)> {
    let s = std::str::from_utf8(key).ok()?;
    if let Some(map) = s.strip_prefix(MAP_PREFIX) {
        return Some((EntityKind::Map, map.to_string()));
    }
    let rest = s.strip_prefix("m/")?;
    let mut parts = rest.splitn(3, '/');
    let _map = parts.next()?;
    let kind = match parts.next()? {
        "a" => EntityKind::Actor,
        "n" => EntityKind::Narrative,
        "s" => EntityKind::Stance,
        "t" => EntityKind::Tie,
        "i" => EntityKind::Interaction,
        "k" => EntityKind::Commitment,
        "p" => EntityKind::PlanItem,
        _ => return None,
    };
    Some((kind, parts.next()?.to_string()))
}

/// A stored key and its previous value (absent: `None`).
pub(crate) type Change = (Vec<u8>, Option<Vec<u8>>);

pub(crate) fn u64_bytes(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

pub(crate) fn bytes_u64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    if b.len() == 8 {
        a.copy_from_slice(b);
    }
    u64::from_be_bytes(a)
}

/// A list of (key, previous value) pairs in a compact binary form:
/// per pair `u32 key length, key, u8 present, [u32 value length, value]` (big-endian).
pub(crate) fn encode_changes(changes: &[Change]) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in changes {
        out.extend_from_slice(&(k.len() as u32).to_be_bytes());
        out.extend_from_slice(k);
        match v {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                out.extend_from_slice(&(v.len() as u32).to_be_bytes());
                out.extend_from_slice(v);
            }
        }
    }
    out
}

/// The first `n` bytes of `b`, which then starts after them; `None` when it is shorter.
/// For the length-prefixed encodings of change lists and buckets.
pub(crate) fn take<'a>(b: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if b.len() < n {
        return None;
    }
    let (h, t) = b.split_at(n);
    *b = t;
    Some(h)
}

/// A big-endian u32 length taken from the front of `b` (see [`take`]).
pub(crate) fn take_u32(b: &mut &[u8]) -> Option<usize> {
    let h = take(b, 4)?;
    Some(u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as usize)
}

/// Inverse of [`encode_changes`]; `None` when the bytes are malformed.
pub(crate) fn decode_changes(mut b: &[u8]) -> Option<Vec<Change>> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let kl = take_u32(&mut b)?;
        let k = take(&mut b, kl)?.to_vec();
        let present = take(&mut b, 1)?[0];
        let v = match present {
            0 => None,
            1 => {
                let vl = take_u32(&mut b)?;
                Some(take(&mut b, vl)?.to_vec())
            }
            _ => return None,
        };
        out.push((k, v));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_back() {
        let k = entity_key("m1", EntityKind::Stance, "s12");
        assert_eq!(k, b"m/m1/s/s12".to_vec());
        assert_eq!(
            parse_entity_key(&k),
            Some((EntityKind::Stance, "s12".to_string()))
        );
        assert_eq!(
            parse_entity_key(&map_key("m1")),
            Some((EntityKind::Map, "m1".to_string()))
        );
        assert_eq!(parse_entity_key(&version_key("m1")), None);
        assert_eq!(log_key("m", 7), b"m/m/L/00000000000000000007".to_vec());
        // Prefixes of different maps never overlap: "a/" vs "a-b/".
        assert!(!entity_key("a-b", EntityKind::Actor, "x").starts_with(&map_data_prefix("a")));
    }

    #[test]
    fn changes_round_trip() {
        let c = vec![
            (b"m/x/a/a1".to_vec(), Some(b"{\"id\":\"a1\"}".to_vec())),
            (b"m/x/s/s1".to_vec(), None),
        ];
        assert_eq!(decode_changes(&encode_changes(&c)), Some(c));
        assert_eq!(decode_changes(&[0, 0, 0, 9, 1]), None);
        assert_eq!(u64_bytes(258), [0, 0, 0, 0, 0, 0, 1, 2]);
        assert_eq!(bytes_u64(&u64_bytes(258)), 258);
    }
}

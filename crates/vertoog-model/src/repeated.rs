//! Finding repeated ids in a list of millions (an import's stances) on two cores.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// Below this many ids one thread does it all.
const PARALLEL_FROM: usize = 50_000;

/// FNV-1a (64 bit) of an id: cheap for short ids, and its low bit splits the ids into two
/// halves that two threads check independently (equal ids hash alike).
fn fnv(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// An id with its hash computed once.
struct Hashed<'a>(u64, &'a str);

impl PartialEq for Hashed<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 && self.1 == other.1
    }
}
impl Eq for Hashed<'_> {}
impl Hash for Hashed<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0);
    }
}

/// Passes a precomputed hash through (mixed, since the table uses both ends of it).
#[derive(Default)]
struct Pass(u64);
impl Hasher for Pass {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 hashes are passed through")
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.rotate_left(29).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// The ids of `ids` whose half (`part` of the hash's low bit; all with `None`) repeats an
/// earlier one: (index, index of the first occurrence), in index order.
fn scan(ids: &[&str], hashes: &[u64], part: Option<u64>) -> Vec<(usize, usize)> {
    let mut first: HashMap<Hashed<'_>, usize, BuildHasherDefault<Pass>> =
        HashMap::with_capacity_and_hasher(ids.len() / 2 + 1, Default::default());
    let mut out = Vec::new();
    for (i, (&id, &h)) in ids.iter().zip(hashes).enumerate() {
        if id.is_empty() || part.is_some_and(|p| h & 1 != p) {
            continue;
        }
        match first.entry(Hashed(h, id)) {
            std::collections::hash_map::Entry::Occupied(e) => out.push((i, *e.get())),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i);
            }
        }
    }
    out
}

/// Every id of `ids` that occurred before in the list, as (its index, the index of the
/// first occurrence), in index order; empty ids are never repeats. A long list is hashed
/// in two halves and checked in two hash classes on two threads.
pub fn repeated_ids(ids: &[&str]) -> Vec<(usize, usize)> {
    let mut hashes = vec![0u64; ids.len()];
    if ids.len() < PARALLEL_FROM {
        for (h, id) in hashes.iter_mut().zip(ids) {
            *h = fnv(id);
        }
        return scan(ids, &hashes, None);
    }
    let half = ids.len() / 2;
    std::thread::scope(|s| {
        let (a, b) = hashes.split_at_mut(half);
        s.spawn(|| {
            for (h, id) in b.iter_mut().zip(&ids[half..]) {
                *h = fnv(id);
            }
        });
        for (h, id) in a.iter_mut().zip(&ids[..half]) {
            *h = fnv(id);
        }
    });
    let (odd, even) = std::thread::scope(|s| {
        let odd = s.spawn(|| scan(ids, &hashes, Some(1)));
        let even = scan(ids, &hashes, Some(0));
        (odd.join(), even)
    });
    let odd = odd.unwrap_or_else(|p| std::panic::resume_unwind(p));
    let mut all = even;
    all.extend(odd);
    all.sort_unstable();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(ids: &[&str]) -> Vec<(usize, usize)> {
        let mut first = HashMap::new();
        let mut out = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            if id.is_empty() {
                continue;
            }
            match first.get(id) {
                Some(&f) => out.push((i, f)),
                None => {
                    first.insert(*id, i);
                }
            }
        }
        out
    }

    #[test]
    fn repeats_point_at_the_first_occurrence_short_and_long_lists() {
        assert_eq!(
            repeated_ids(&["a", "b", "", "a", "", "c", "b", "a"]),
            [(3, 0), (6, 1), (7, 0)]
        );
        // Long enough for the two threads; every 997th id repeats an earlier one.
        let owned: Vec<String> = (0..200_000)
            .map(|i| {
                if i % 997 == 5 {
                    format!("s{}", i / 3)
                } else {
                    format!("s{i}")
                }
            })
            .collect();
        let ids: Vec<&str> = owned.iter().map(String::as_str).collect();
        let found = repeated_ids(&ids);
        assert!(found.len() > 150);
        assert_eq!(found, naive(&ids));
    }
}

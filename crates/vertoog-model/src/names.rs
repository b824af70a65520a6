//! Name normalisation and the near-duplicate rule (docs/interfaces.md §8, near-duplicate names;
//! docs/decisions.md, "The near-duplicate rule"). This is the one implementation of the rule:
//! the store's imports and single creates both use [`NameIndex`] or [`find_near_duplicates`].
//!
//! Two names are compared by what distinguishes them:
//! 1. case and Latin diacritics are folded, punctuation becomes a space;
//! 2. organisation-type words in Dutch and English ("Gemeente", "Municipality of",
//!    "Ministerie van", "University of", "Provincie", "Stichting", ...) are removed wherever
//!    they stand, and so are their typos (a word within edit distance 1, or 2 for long words,
//!    of an organisation-type word of at least 8 letters: "Muncipality", "Universitiet");
//!    articles and linking words ("the", "de", "het", "of", "van") go too. What is left,
//!    written without spaces, is the *distinguishing form* ("Gemeente Den Haag" -> "haag",
//!    "V.N.G." -> "vng"); a name that is nothing but such words keeps them all;
//! 3. two names are near-duplicates when their distinguishing forms are equal, or when
//!    - the organisation types they name do not differ (a municipality is never a province),
//!    - they carry the same numbers ("Member 1" and "Member 34" differ; so do "2020" and
//!      "2021"),
//!    - both forms have more than 5 characters (shorter names must be equal: "Nagad" and
//!      "Nagam" are two tribes), and
//!    - the forms are at most 1 edit apart (2 when both have more than 10 characters) and
//!      their Jaro-Winkler similarity is at least [`DUPLICATE_THRESHOLD`].
//!
//! The score reported is the Jaro-Winkler similarity of the distinguishing forms (1 when
//! equal).

use std::collections::BTreeMap;

use serde::Serialize;

/// Jaro-Winkler similarity of the distinguishing forms at or above which two names that are
/// also close in edits are near-duplicates.
pub const DUPLICATE_THRESHOLD: f64 = 0.92;

/// Distinguishing forms of at most this many characters must be equal to be near-duplicates.
pub const SHORT_NAME_CHARS: usize = 5;

/// Organisation-type words (folded) and the kind of organisation each names.
const ORG_WORDS: &[(&str, &str)] = &[
    ("ministerie", "ministry"),
    ("ministry", "ministry"),
    ("min", "ministry"),
    ("departement", "ministry"),
    ("department", "ministry"),
    ("gemeente", "municipality"),
    ("municipality", "municipality"),
    ("city", "municipality"),
    ("stad", "municipality"),
    ("provincie", "province"),
    ("province", "province"),
    ("universiteit", "university"),
    ("university", "university"),
    ("univ", "university"),
    ("hogeschool", "university"),
    ("waterschap", "water-board"),
    ("hoogheemraadschap", "water-board"),
    ("stichting", "foundation"),
    ("foundation", "foundation"),
    ("vereniging", "association"),
    ("association", "association"),
];

/// Linking words and articles, dropped everywhere (they never distinguish).
const LINK_WORDS: &[&str] = &[
    "the", "of", "de", "het", "van", "der", "den", "voor", "for", "en", "and",
];

fn fold_char(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        c => c,
    }
}

/// The organisation kind a folded word names, also for a typo of a long organisation word.
fn org_kind(word: &str) -> Option<&'static str> {
    if let Some((_, k)) = ORG_WORDS.iter().find(|(w, _)| *w == word) {
        return Some(k);
    }
    let n = word.chars().count();
    if n < 7 {
        return None;
    }
    ORG_WORDS
        .iter()
        .filter(|(w, _)| w.len() >= 8)
        .find(|(w, _)| {
            let allowed = if w.len() >= 11 { 2 } else { 1 };
            strsim::levenshtein(word, w) <= allowed
        })
        .map(|(_, k)| *k)
}

/// A name prepared for comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameKey {
    /// The distinguishing form: folded, organisation and linking words removed, no spaces.
    pub form: String,
    /// The kind of organisation the name names (`""` when none).
    pub kind: &'static str,
    /// The numbers the name carries, in order.
    pub numbers: Vec<String>,
    chars: usize,
}

impl NameKey {
    /// Prepares `name` (see the module documentation).
    pub fn new(name: &str) -> Self {
        let folded: String = name
            .chars()
            .flat_map(char::to_lowercase)
            .map(fold_char)
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let words: Vec<&str> = folded.split_whitespace().collect();
        let mut kind = "";
        let mut kept: Vec<&str> = Vec::new();
        for w in &words {
            if LINK_WORDS.contains(w) {
                continue;
            }
            if let Some(k) = org_kind(w) {
                if kind.is_empty() {
                    kind = k;
                }
                continue;
            }
            kept.push(w);
        }
        if kept.is_empty() {
            kept = words.clone();
        }
        let form: String = kept.concat();
        let mut numbers = Vec::new();
        let mut cur = String::new();
        for c in folded.chars() {
            if c.is_ascii_digit() {
                cur.push(c);
            } else if !cur.is_empty() {
                numbers.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            numbers.push(cur);
        }
        // "007" and "7" are the same number.
        for n in &mut numbers {
            let t = n.trim_start_matches('0');
            *n = if t.is_empty() { "0".into() } else { t.into() };
        }
        let chars = form.chars().count();
        NameKey {
            form,
            kind,
            numbers,
            chars,
        }
    }

    /// Length of the distinguishing form in characters.
    pub fn chars(&self) -> usize {
        self.chars
    }
}

/// The edit distance two distinguishing forms of these lengths may be apart (0: must be
/// equal).
fn allowed_edits(a: usize, b: usize) -> usize {
    let shorter = a.min(b);
    if shorter <= SHORT_NAME_CHARS {
        0
    } else if shorter <= 10 {
        1
    } else {
        2
    }
}

/// The near-duplicate score of two prepared names: `Some(similarity)` when they are
/// near-duplicates under the rule, `None` otherwise.
pub fn near_duplicate_score(a: &NameKey, b: &NameKey) -> Option<f64> {
    if a.form.is_empty() || b.form.is_empty() {
        return None;
    }
    if !a.kind.is_empty() && !b.kind.is_empty() && a.kind != b.kind {
        return None;
    }
    if a.numbers != b.numbers {
        return None;
    }
    if a.form == b.form {
        return Some(1.0);
    }
    let allowed = allowed_edits(a.chars, b.chars);
    if allowed == 0 || a.chars.abs_diff(b.chars) > allowed {
        return None;
    }
    let jw = strsim::jaro_winkler(&a.form, &b.form);
    if jw < DUPLICATE_THRESHOLD || strsim::levenshtein(&a.form, &b.form) > allowed {
        return None;
    }
    Some(jw)
}

/// The comparison form of a name (its distinguishing form).
pub fn normalise_name(name: &str) -> String {
    NameKey::new(name).form
}

/// Whether two names are near-duplicates under the rule.
pub fn is_near_duplicate(a: &str, b: &str) -> bool {
    near_duplicate_score(&NameKey::new(a), &NameKey::new(b)).is_some()
}

/// Jaro-Winkler similarity of the distinguishing forms of two names, in [0, 1]; 0 when their
/// organisation types differ. (Being similar is not enough to be a near-duplicate: see
/// [`is_near_duplicate`].)
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (NameKey::new(a), NameKey::new(b));
    if a.form.is_empty() || b.form.is_empty() {
        return 0.0;
    }
    if !a.kind.is_empty() && !b.kind.is_empty() && a.kind != b.kind {
        return 0.0;
    }
    strsim::jaro_winkler(&a.form, &b.form)
}

/// An existing entity whose name resembles a new one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NearDuplicate {
    pub id: String,
    pub name: String,
    /// Which of the entity's names matched (its name or one of its aliases).
    pub matched: String,
    pub score: f64,
}

struct IndexEntry {
    id: String,
    name: String,
    matched: String,
    key: NameKey,
    sig: [u16; SIG],
}

const SIG: usize = 64;

fn signature(form: &str) -> [u16; SIG] {
    let mut sig = [0u16; SIG];
    for c in form.chars() {
        let b = (c as u32 as usize) % SIG;
        sig[b] = sig[b].saturating_add(1);
    }
    sig
}

/// Names to compare new names against, bucketed by the length of their distinguishing form.
///
/// Pruning is exact: near-duplicates are at most 2 edits apart, so only lengths within 2 are
/// looked at, and the edit distance is at least the longer length minus the size of the
/// multiset intersection of the characters (bounded from above by bucketed counts).
#[derive(Default)]
pub struct NameIndex {
    buckets: BTreeMap<usize, Vec<IndexEntry>>,
}

impl NameIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds entity `id` (called `name`) under one of its names `matched`.
    pub fn add(&mut self, id: &str, name: &str, matched: &str) {
        let key = NameKey::new(matched);
        if key.form.is_empty() {
            return;
        }
        let sig = signature(&key.form);
        self.buckets.entry(key.chars).or_default().push(IndexEntry {
            id: id.to_string(),
            name: name.to_string(),
            matched: matched.to_string(),
            key,
            sig,
        });
    }

    /// Every entity with a name that is a near-duplicate of `name` (one entry per entity, its
    /// best-matching name), best first, ties by id; `skip` ids are left out.
    pub fn matches(&self, name: &str, skip: impl Fn(&str) -> bool) -> Vec<NearDuplicate> {
        let key = NameKey::new(name);
        if key.form.is_empty() {
            return Vec::new();
        }
        let sig = signature(&key.form);
        let lo = key.chars.saturating_sub(2);
        let hi = key.chars + 2;
        let mut best: BTreeMap<&str, (f64, &IndexEntry)> = BTreeMap::new();
        for (_, entries) in self.buckets.range(lo..=hi) {
            for e in entries {
                if skip(&e.id) {
                    continue;
                }
                if e.key.form != key.form {
                    let common: usize = sig
                        .iter()
                        .zip(e.sig.iter())
                        .map(|(a, b)| (*a).min(*b) as usize)
                        .sum();
                    let longer = key.chars.max(e.key.chars);
                    if longer.saturating_sub(common) > allowed_edits(key.chars, e.key.chars) {
                        continue;
                    }
                }
                if let Some(score) = near_duplicate_score(&key, &e.key) {
                    let slot = best.entry(e.id.as_str()).or_insert((score, e));
                    if score > slot.0 {
                        *slot = (score, e);
                    }
                }
            }
        }
        let mut found: Vec<NearDuplicate> = best
            .into_values()
            .map(|(score, e)| NearDuplicate {
                id: e.id.clone(),
                name: e.name.clone(),
                matched: e.matched.clone(),
                score,
            })
            .collect();
        found.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        found
    }

    /// The best near-duplicate of `name` (ties: smallest id).
    pub fn best(&self, name: &str, skip: impl Fn(&str) -> bool) -> Option<NearDuplicate> {
        self.matches(name, skip).into_iter().next()
    }
}

/// Candidates among `existing` (id, name, aliases) whose name or an alias is a near-duplicate
/// of `name`, best first (ties by id). An entity with the same id as `skip_id` is ignored (an
/// update does not resemble itself).
pub fn find_near_duplicates<'a>(
    name: &str,
    skip_id: Option<&str>,
    existing: impl IntoIterator<Item = (&'a str, &'a str, &'a [String])>,
) -> Vec<NearDuplicate> {
    let mut index = NameIndex::new();
    for (id, ename, aliases) in existing {
        index.add(id, ename, ename);
        for a in aliases {
            index.add(id, ename, a);
        }
    }
    index.matches(name, |id| Some(id) == skip_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinguishing_form_drops_organisation_words_and_their_typos() {
        assert_eq!(normalise_name("Min. BZK"), "bzk");
        assert_eq!(normalise_name("Ministerie van BZK"), "bzk");
        assert_eq!(normalise_name("Gemeente  Den Haag"), "haag");
        assert_eq!(normalise_name("Municpality of Heerenveen"), "heerenveen");
        assert_eq!(normalise_name("Muncipality of Heerenveen"), "heerenveen");
        assert_eq!(normalise_name("University of Wageningen"), "wageningen");
        assert_eq!(normalise_name("Universiteit Groningen"), "groningen");
        assert_eq!(normalise_name("V.N.G."), "vng");
        assert_eq!(normalise_name("Université"), "universite");
        // A name that is only organisation words keeps them.
        assert_eq!(normalise_name("Gemeente"), "gemeente");
        assert_eq!(
            NameKey::new("Municpality of Heerenveen").kind,
            "municipality"
        );
    }

    #[test]
    fn the_rule_on_real_shapes() {
        // Typos of one organisation are near-duplicates.
        assert!(is_near_duplicate(
            "Municpality of Heerenveen",
            "Muncipality of Heerenveen"
        ));
        assert!(is_near_duplicate("Min. BZK", "Ministerie van BZK"));
        assert!(is_near_duplicate("Kadaster", "Het Kadaster"));
        assert!(is_near_duplicate("VNG", "V.N.G."));
        assert!(is_near_duplicate("Belastingdienst", "Belastingdeinst"));
        assert!(is_near_duplicate(
            "Gemeente Amsterdam",
            "Municipality of Amsterdam"
        ));
        // Different places and universities are not.
        for (a, b) in [
            ("Muncipality of Amsterdam", "Muncipality of Aalsmeer"),
            ("Muncipality of Leeuwarden", "Muncipality of Aalsmeer"),
            ("Muncipality of Rotterdam", "Muncipality of Aalsmeer"),
            ("University of Wageningen", "University of Groningen"),
            ("Gemeente Utrecht", "Provincie Utrecht"),
            // The highland tribes, and numbered members.
            ("Nagad", "Nagam"),
            ("Member 1", "Member 34"),
            ("Member 3", "Member 34"),
            ("Actor 12", "Actor 21"),
            ("Logius", "Logis"),
        ] {
            assert!(!is_near_duplicate(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn near_duplicates_are_found_and_ranked() {
        let none: Vec<String> = vec![];
        let aliases = vec!["Binnenlandse Zaken".to_string()];
        let existing = vec![
            ("min-bzk", "Ministerie van BZK", aliases.as_slice()),
            (
                "vng",
                "Vereniging van Nederlandse Gemeenten",
                none.as_slice(),
            ),
            ("utrecht", "Gemeente Utrecht", none.as_slice()),
        ];
        let hits = find_near_duplicates("Min. BZK", None, existing.clone());
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, "min-bzk");
        assert!((hits[0].score - 1.0).abs() < 1e-12);
        let hits = find_near_duplicates("Binnenlandse zaken", None, existing.clone());
        assert_eq!(hits[0].matched, "Binnenlandse Zaken");
        assert!(find_near_duplicates("Gemeente Amsterdam", None, existing.clone()).is_empty());
        assert!(find_near_duplicates("Min. BZK", Some("min-bzk"), existing).is_empty());
    }

    #[test]
    fn index_pruning_agrees_with_the_pairwise_rule() {
        let names = [
            "Ministerie van BZK",
            "Min. BZK",
            "Logius",
            "Logis",
            "VNG",
            "V.N.G.",
            "Gemeente Utrecht",
            "Utrecht",
            "Provincie Utrecht",
            "Kadaster",
            "Het Kadaster",
            "Belastingdienst",
            "Belastingdeinst",
            "Belastingdienst Toeslagen",
            "Municpality of Heerenveen",
            "Muncipality of Heerenveen",
            "abcdefghijkl",
            "abcdefghijkm",
            "abcdefghjikm",
            "Member 1",
            "Member 11",
        ];
        for probe in names {
            let mut index = NameIndex::new();
            for (j, n) in names.iter().enumerate() {
                index.add(&format!("e{j:02}"), n, n);
            }
            let got: Vec<String> = index
                .matches(probe, |_| false)
                .into_iter()
                .map(|c| c.matched)
                .collect();
            let mut want: Vec<(f64, String)> = names
                .iter()
                .filter_map(|n| {
                    near_duplicate_score(&NameKey::new(probe), &NameKey::new(n))
                        .map(|s| (s, n.to_string()))
                })
                .collect();
            want.sort_by(|a, b| b.0.total_cmp(&a.0));
            let mut got_sorted = got.clone();
            got_sorted.sort();
            let mut want_names: Vec<String> = want.into_iter().map(|w| w.1).collect();
            want_names.sort();
            assert_eq!(got_sorted, want_names, "probe {probe}");
        }
    }

    #[test]
    fn similarity_is_symmetric_and_bounded() {
        let pairs = [("VNG", "V.N.G."), ("Logius", "Logis"), ("a", "zzz")];
        for (a, b) in pairs {
            let s = similarity(a, b);
            assert!((0.0..=1.0).contains(&s));
            assert!((s - similarity(b, a)).abs() < 1e-12);
        }
    }
}

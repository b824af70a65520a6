//! Name normalisation and near-duplicate detection (docs/interfaces.md §8, near-duplicate names).
//!
//! Two names are near-duplicates when the Jaro-Winkler similarity (strsim) of their
//! normalised forms is at least [`DUPLICATE_THRESHOLD`]. Normalising folds case and Latin
//! diacritics, turns punctuation into spaces and drops organisational prefixes such as
//! "Ministerie van" or "Gemeente", so "Min. BZK" and "Ministerie van BZK" are the same name.

use serde::Serialize;

/// Jaro-Winkler similarity at or above which two normalised names are near-duplicates.
pub const DUPLICATE_THRESHOLD: f64 = 0.92;

/// Word sequences dropped from the start of a normalised name (after punctuation removal),
/// each with the kind of organisation it names (or `""` for articles). Longest first, so
/// "ministerie van" wins over "ministerie". Two names whose prefixes name *different* kinds
/// ("Gemeente Utrecht", "Provincie Utrecht") are never near-duplicates.
const PREFIXES: &[(&str, &str)] = &[
    ("ministerie van", "ministry"),
    ("ministry of", "ministry"),
    ("ministerie", "ministry"),
    ("ministry", "ministry"),
    ("min", "ministry"),
    ("gemeente", "municipality"),
    ("municipality of", "municipality"),
    ("provincie", "province"),
    ("province of", "province"),
    ("waterschap", "water-board"),
    ("hoogheemraadschap", "water-board"),
    ("stichting", "foundation"),
    ("vereniging", "association"),
    ("the", ""),
    ("de", ""),
    ("het", ""),
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

/// The comparison form of a name and the kind of organisation its prefix names (`""` when
/// none): `("utrecht", "municipality")` for "Gemeente Utrecht".
pub fn normalise_parts(name: &str) -> (String, &'static str) {
    let folded: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold_char)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = folded.split_whitespace().collect();
    let mut kind = "";
    'strip: loop {
        for (prefix, prefix_kind) in PREFIXES {
            let p: Vec<&str> = prefix.split(' ').collect();
            if words.len() > p.len() && words[..p.len()] == p[..] {
                words.drain(..p.len());
                if kind.is_empty() {
                    kind = prefix_kind;
                }
                continue 'strip;
            }
        }
        break;
    }
    (words.join(" "), kind)
}

/// The comparison form of a name: lower case, diacritics folded, punctuation as spaces,
/// whitespace collapsed, and common organisational prefixes removed (repeatedly, but never
/// down to nothing).
pub fn normalise_name(name: &str) -> String {
    normalise_parts(name).0
}

/// Whether two prefix kinds of [`normalise_parts`] name different kinds of organisation.
pub fn kinds_differ(a: &str, b: &str) -> bool {
    !a.is_empty() && !b.is_empty() && a != b
}

/// Jaro-Winkler similarity of two prepared names; 0 when their prefixes name different kinds
/// of organisation.
fn compare(a: &(String, &str), b: &(String, &str)) -> f64 {
    if a.0.is_empty() || b.0.is_empty() || kinds_differ(a.1, b.1) {
        return 0.0;
    }
    strsim::jaro_winkler(&a.0, &b.0)
}

/// Jaro-Winkler similarity of the normalised forms of two names, in [0, 1].
pub fn similarity(a: &str, b: &str) -> f64 {
    compare(&normalise_parts(a), &normalise_parts(b))
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

/// Candidates among `existing` (id, name, aliases) whose name or an alias is at least
/// `threshold` similar to `name`, best first (ties by id). An entity with the same id as
/// `skip_id` is ignored (an update does not resemble itself).
pub fn find_near_duplicates<'a>(
    name: &str,
    skip_id: Option<&str>,
    existing: impl IntoIterator<Item = (&'a str, &'a str, &'a [String])>,
    threshold: f64,
) -> Vec<NearDuplicate> {
    let target = normalise_parts(name);
    if target.0.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<NearDuplicate> = Vec::new();
    for (id, ename, aliases) in existing {
        if Some(id) == skip_id {
            continue;
        }
        let mut best: Option<(f64, &str)> = None;
        for candidate in std::iter::once(ename).chain(aliases.iter().map(String::as_str)) {
            let score = compare(&target, &normalise_parts(candidate));
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, candidate));
            }
        }
        if let Some((score, matched)) = best {
            if score >= threshold {
                found.push(NearDuplicate {
                    id: id.to_string(),
                    name: ename.to_string(),
                    matched: matched.to_string(),
                    score,
                });
            }
        }
    }
    found.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_case_punctuation_and_prefixes() {
        assert_eq!(normalise_name("Min. BZK"), "bzk");
        assert_eq!(normalise_name("Ministerie van BZK"), "bzk");
        assert_eq!(normalise_name("Gemeente  Den Haag"), "den haag");
        assert_eq!(
            normalise_name("Rijksdienst voor Identiteitsgegevens"),
            "rijksdienst voor identiteitsgegevens"
        );
        assert_eq!(normalise_name("Université"), "universite");
        // A name that is only a prefix keeps it.
        assert_eq!(normalise_name("Gemeente"), "gemeente");
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
        let hits = find_near_duplicates("Min. BZK", None, existing.clone(), DUPLICATE_THRESHOLD);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, "min-bzk");
        assert!((hits[0].score - 1.0).abs() < 1e-12);
        let hits = find_near_duplicates(
            "Binnenlandse zaken",
            None,
            existing.clone(),
            DUPLICATE_THRESHOLD,
        );
        assert_eq!(hits[0].matched, "Binnenlandse Zaken");
        assert!(find_near_duplicates(
            "Gemeente Amsterdam",
            None,
            existing.clone(),
            DUPLICATE_THRESHOLD
        )
        .is_empty());
        assert!(
            find_near_duplicates("Min. BZK", Some("min-bzk"), existing, DUPLICATE_THRESHOLD)
                .is_empty()
        );
    }

    #[test]
    fn similarity_is_symmetric_and_bounded() {
        let pairs = [("VNG", "V.N.G."), ("Logius", "Logis"), ("a", "zzz")];
        for (a, b) in pairs {
            let s = similarity(a, b);
            assert!((0.0..=1.0).contains(&s));
            assert!((s - similarity(b, a)).abs() < 1e-12);
        }
        assert_eq!(similarity("VNG", "V.N.G."), similarity("vng", "v n g"));
    }
}

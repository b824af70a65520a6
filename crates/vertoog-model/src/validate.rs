//! Field validation and referential integrity (domain.md). Every check returns all of its
//! findings, never only the first, so importers can report every error of a file at once.

use std::collections::HashSet;

use serde::Serialize;

use crate::entities::{Actor, EntityKind, Map, Narrative, Stance, Tie};
use crate::Date;

/// Longest name or label, in characters (domain.md).
pub const MAX_NAME_LEN: usize = 200;
/// Longest free text (description, notes, quote, source), in characters.
pub const MAX_TEXT_LEN: usize = 100_000;

/// One problem with one field of one entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A problem found in a bundle: which entity (kind, position in its list, id) and field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BundleError {
    pub kind: EntityKind,
    /// Position of the entity in its list (0-based); importers turn it into a line number.
    pub index: usize,
    pub id: String,
    pub field: String,
    pub message: String,
}

/// `[a-z0-9][a-z0-9-]{0,62}` (domain.md).
pub fn is_slug(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// A slug made from a name: lower case, diacritics folded, other characters as `-`.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(55);
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

/// `slugify(name)`, with `-2`, `-3`, ... appended until `taken` says it is free.
pub fn unique_slug(name: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = slugify(name);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|s| !taken(s))
        .expect("an unbounded range yields a free slug")
}

/// Parses an ISO-8601 calendar date `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let t = s.trim();
    if t.len() != 10 {
        return Err(format!("`{t}` is not a date in the form YYYY-MM-DD"));
    }
    Date::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| format!("`{t}` is not a date in the form YYYY-MM-DD"))
}

fn check_name(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    let len = value.trim().chars().count();
    if len == 0 {
        errors.push(FieldError::new(field, "must not be blank"));
    } else if len > MAX_NAME_LEN {
        errors.push(FieldError::new(
            field,
            format!("is {len} characters long; at most {MAX_NAME_LEN} are allowed"),
        ));
    } else if value.trim() != value {
        errors.push(FieldError::new(
            field,
            "must not start or end with white space",
        ));
    }
}

fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    let len = value.chars().count();
    if len > MAX_TEXT_LEN {
        errors.push(FieldError::new(
            field,
            format!("is {len} characters long; at most {MAX_TEXT_LEN} are allowed"),
        ));
    }
}

fn check_slug(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    if !is_slug(value) {
        errors.push(FieldError::new(
            field,
            format!("`{}` is not a valid id: use a-z, 0-9 and -, starting with a letter or digit, at most 63 characters", truncate(value)),
        ));
    }
}

fn check_unit(errors: &mut Vec<FieldError>, field: &str, value: f64) {
    if !(0.0..=1.0).contains(&value) {
        errors.push(FieldError::new(field, format!("{value} is outside 0..1")));
    }
}

fn check_position(errors: &mut Vec<FieldError>, field: &str, value: i8) {
    if !(-2..=2).contains(&value) {
        errors.push(FieldError::new(field, format!("{value} is outside -2..2")));
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// The map's own fields.
pub fn validate_map(map: &Map) -> Vec<FieldError> {
    let mut e = Vec::new();
    check_slug(&mut e, "id", &map.id);
    if !map.name.is_empty() {
        check_name(&mut e, "name", &map.name);
    }
    check_text(&mut e, "description", &map.description);
    let mut seen = HashSet::new();
    if map.domains.is_empty() {
        e.push(FieldError::new(
            "domains",
            "the domain vocabulary must not be empty",
        ));
    }
    for d in &map.domains {
        if !is_slug(d) {
            e.push(FieldError::new(
                "domains",
                format!("`{}` is not a valid domain name", truncate(d)),
            ));
        }
        if !seen.insert(d) {
            e.push(FieldError::new("domains", format!("`{d}` appears twice")));
        }
    }
    if let Err(msg) = map.settings.validate() {
        e.push(FieldError::new("settings", msg));
    }
    for (i, c) in map.coalition_names.iter().enumerate() {
        check_name(&mut e, &format!("coalition_names[{i}].name"), &c.name);
        if c.members.is_empty() {
            e.push(FieldError::new(
                &format!("coalition_names[{i}].members"),
                "a named coalition needs its members",
            ));
        }
    }
    e
}

/// An actor's own fields against the map's vocabulary (not its references).
pub fn validate_actor(actor: &Actor, map: &Map) -> Vec<FieldError> {
    let mut e = Vec::new();
    check_slug(&mut e, "id", &actor.id);
    check_name(&mut e, "name", &actor.name);
    for alias in &actor.aliases {
        check_name(&mut e, "aliases", alias);
    }
    if !map.has_domain(&actor.domain) {
        e.push(FieldError::new(
            "domain",
            format!(
                "`{}` is not in the map's domain vocabulary ({})",
                truncate(&actor.domain),
                map.domains.join(", ")
            ),
        ));
    }
    if let Some(parent) = &actor.parent {
        check_slug(&mut e, "parent", parent);
        if parent == &actor.id {
            e.push(FieldError::new(
                "parent",
                "an actor cannot be its own parent",
            ));
        }
    }
    check_unit(&mut e, "influence", actor.influence);
    check_unit(&mut e, "interest", actor.interest);
    if let Some(t) = actor.target_position {
        check_position(&mut e, "target_position", t);
    }
    for tag in &actor.tags {
        check_name(&mut e, "tags", tag);
    }
    check_text(&mut e, "notes", &actor.notes);
    check_text(&mut e, "owner", &actor.owner);
    e
}

pub fn validate_narrative(n: &Narrative) -> Vec<FieldError> {
    let mut e = Vec::new();
    check_slug(&mut e, "id", &n.id);
    check_name(&mut e, "label", &n.label);
    check_text(&mut e, "description", &n.description);
    for tag in &n.tags {
        check_name(&mut e, "tags", tag);
    }
    e
}

/// A stance's own fields; an empty id is allowed (the store assigns one).
pub fn validate_stance(s: &Stance) -> Vec<FieldError> {
    let mut e = Vec::new();
    if !s.id.is_empty() {
        check_slug(&mut e, "id", &s.id);
    }
    check_slug(&mut e, "actor", &s.actor);
    check_slug(&mut e, "narrative", &s.narrative);
    check_position(&mut e, "position", s.position);
    check_text(&mut e, "source", &s.source);
    check_text(&mut e, "quote", &s.quote);
    e
}

/// A tie's own fields; an empty id is allowed (the store assigns one).
pub fn validate_tie(t: &Tie) -> Vec<FieldError> {
    let mut e = Vec::new();
    if !t.id.is_empty() {
        check_slug(&mut e, "id", &t.id);
    }
    check_slug(&mut e, "source", &t.source);
    check_slug(&mut e, "target", &t.target);
    if t.source == t.target {
        e.push(FieldError::new(
            "target",
            format!(
                "a tie needs two different actors; both ends are `{}`",
                truncate(&t.source)
            ),
        ));
    }
    if !(t.weight > 0.0 && t.weight <= 1.0) {
        e.push(FieldError::new(
            "weight",
            format!("{} is outside (0, 1]", t.weight),
        ));
    }
    if let (Some(s), Some(u)) = (t.since, t.until) {
        if u < s {
            e.push(FieldError::new(
                "until",
                format!("{u} is before since ({s})"),
            ));
        }
    }
    check_text(&mut e, "note", &t.note);
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TieKind;

    #[test]
    fn slugs() {
        assert!(is_slug("min-bzk"));
        assert!(is_slug("0"));
        assert!(!is_slug(""));
        assert!(!is_slug("-a"));
        assert!(!is_slug("A"));
        assert!(!is_slug(&"a".repeat(64)));
        assert!(is_slug(&"a".repeat(63)));
        assert_eq!(
            slugify("Gemeente 's-Hertogenbosch"),
            "gemeente-s-hertogenbosch"
        );
        assert_eq!(slugify("Université d'Été!"), "universite-d-ete");
        assert_eq!(slugify("***"), "x");
        assert_eq!(unique_slug("VNG", |s| s == "vng" || s == "vng-2"), "vng-3");
        assert!(is_slug(&slugify(&"Zeer lange naam ".repeat(20))));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("29-02-2024").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_date("2024-2-1").is_err());
    }

    #[test]
    fn actor_fields() {
        let map = Map::new("m");
        let mut a = Actor::new("a", "A");
        assert!(validate_actor(&a, &map).is_empty());
        a.influence = 1.5;
        a.domain = "nope".into();
        a.name = "  ".into();
        let fields: Vec<String> = validate_actor(&a, &map)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["name", "domain", "influence"]);
        a = Actor::new("a", "x".repeat(201));
        assert_eq!(validate_actor(&a, &map)[0].field, "name");
    }

    #[test]
    fn tie_fields() {
        let mut t = Tie::new("", "a", "a", TieKind::Conflict);
        t.weight = 0.0;
        let fields: Vec<String> = validate_tie(&t).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["target", "weight"]);
    }

    #[test]
    fn stance_position_range() {
        let s = Stance::new("", "a", "n", 3);
        assert_eq!(
            validate_stance(&s),
            vec![FieldError::new("position", "3 is outside -2..2")]
        );
    }
}

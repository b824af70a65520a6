//! Field validation and referential integrity (docs/interfaces.md §8). Every check returns all of its
//! findings, never only the first, so importers can report every error of a file at once.

use std::collections::HashSet;

use serde::Serialize;

use crate::entities::{Actor, EntityKind, Map, Narrative, Stance, Tie};
use crate::Date;

/// Longest name or label, in characters (docs/interfaces.md §8).
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

/// At most this many errors of one import (or validation) are collected and shown; the
/// rest are only counted (issue 16: a file of millions of bad rows must not produce an
/// answer of a gigabyte).
pub const MAX_ERRORS: usize = 1000;

/// Errors collected up to [`MAX_ERRORS`], the rest counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capped<T> {
    items: Vec<T>,
    total: usize,
}

impl<T> Default for Capped<T> {
    fn default() -> Self {
        Capped {
            items: Vec::new(),
            total: 0,
        }
    }
}

impl<T> Capped<T> {
    pub fn new() -> Self {
        Self::default()
    }
    /// Keeps `e` while fewer than [`MAX_ERRORS`] are kept; counts it always.
    pub fn push(&mut self, e: T) {
        if self.items.len() < MAX_ERRORS {
            self.items.push(e);
        }
        self.total += 1;
    }
    pub fn extend(&mut self, es: impl IntoIterator<Item = T>) {
        for e in es {
            self.push(e);
        }
    }
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
    /// Every error counted, kept or not.
    pub fn total(&self) -> usize {
        self.total
    }
    /// How many were counted but not kept.
    pub fn more(&self) -> usize {
        self.total - self.items.len()
    }
    /// The kept errors and the number of those not kept.
    pub fn into_parts(self) -> (Vec<T>, usize) {
        let more = self.total - self.items.len();
        (self.items, more)
    }
}

/// `and 7,599,000 more errors` (thousands separated), for the line after the kept ones.
pub fn more_errors_message(more: usize) -> String {
    let digits = more.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!(
        "and {out} more error{} (only the first {} are listed)",
        if more == 1 { "" } else { "s" },
        "1,000"
    )
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

impl BundleError {
    /// The entry that ends a capped list: `more` errors were counted but not listed (kind
    /// `Map`, no id, no field, `index` = the count).
    pub fn more(more: usize) -> Self {
        BundleError {
            kind: EntityKind::Map,
            index: more,
            id: String::new(),
            field: String::new(),
            message: more_errors_message(more),
        }
    }
    /// `Some(count)` for the entry made by [`BundleError::more`].
    pub fn more_count(&self) -> Option<usize> {
        (self.kind == EntityKind::Map && self.id.is_empty() && self.field.is_empty())
            .then_some(self.index)
    }
}

/// A capped list of bundle errors as one list: the kept ones, then a [`BundleError::more`]
/// entry when some were not kept.
pub fn capped_bundle_errors(c: Capped<BundleError>) -> Vec<BundleError> {
    let (mut list, more) = c.into_parts();
    if more > 0 {
        list.push(BundleError::more(more));
    }
    list
}

/// `[a-z0-9][a-z0-9-]{0,62}` (docs/interfaces.md §8).
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
    // The plain form `DDDD-DD-DD` directly (an import parses one date per stance); anything
    // else through chrono's parser, which gives the same date or error for the plain form.
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            return Date::from_ymd_opt(y as i32, m, d)
                .ok_or_else(|| format!("`{t}` is not a date in the form YYYY-MM-DD"));
        }
    }
    Date::parse_from_str(t, "%Y-%m-%d")
        .map_err(|_| format!("`{t}` is not a date in the form YYYY-MM-DD"))
}

/// Whether `c` is a Unicode bidirectional embedding, override or isolate control (U+202A..
/// U+202E, U+2066..U+2069): it can make text display in another order than it is stored
/// ("Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The first character of `value` a text field must not hold, with its position: control
/// characters (C0, DEL, C1: terminal escape sequences start with them) and bidi controls.
/// `multiline` allows tab, line feed and carriage return (notes, descriptions, quotes).
pub fn forbidden_char(value: &str, multiline: bool) -> Option<(usize, char)> {
    value.chars().enumerate().find(|&(_, c)| {
        (c.is_control() && !(multiline && matches!(c, '\t' | '\n' | '\r'))) || is_bidi_control(c)
    })
}

/// `value` safe to print on a terminal: every control character (but line feed and tab)
/// and every bidi control is shown as its code, e.g. `<U+001B>` (issue 16 item 13: names
/// from a remote editor must not reach a terminal as escape sequences).
pub fn neutralise(value: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c);
    if !value.chars().any(bad) {
        return std::borrow::Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if bad(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn check_chars(errors: &mut Vec<FieldError>, field: &str, value: &str, multiline: bool) -> bool {
    match forbidden_char(value, multiline) {
        Some((i, c)) => {
            errors.push(FieldError::new(
                field,
                format!(
                    "holds the control character U+{:04X} at position {}; names and texts \
                     may not hold control or bidirectional-override characters",
                    c as u32,
                    i + 1
                ),
            ));
            false
        }
        None => true,
    }
}

fn check_name(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    if !check_chars(errors, field, value, false) {
        return;
    }
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
    if !check_chars(errors, field, value, true) {
        return;
    }
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

/// A name field (1..200 characters, no control characters, no outer white space); for the
/// engagement entities.
pub(crate) fn check_name_pub(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    check_name(errors, field, value)
}
/// A free-text field (no control characters but tab and line breaks, at most 100,000).
pub(crate) fn check_text_pub(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    check_text(errors, field, value)
}
/// An id or reference that must be a slug.
pub(crate) fn check_slug_pub(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    check_slug(errors, field, value)
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
    fn the_plain_date_form_parses_as_chrono_parses_it() {
        let mut inputs: Vec<String> = [
            "0000-01-01",
            "9999-12-31",
            "2024-13-01",
            "2024-00-10",
            "2024-01-00",
            "2024-04-31",
            "1900-02-29",
            "2000-02-29",
            "+202-01-01",
            "2024-01-0a",
            "2024/01/01",
            "2024-01+01",
            "-001-01-01",
            "2024-1-011",
            "20240-1-01",
            "٢٠٢٤-01-01",
            " 2024-01-1",
        ]
        .map(String::from)
        .to_vec();
        for y in [1, 999, 1582, 1970, 2024, 2100] {
            for m in 0..=13 {
                for d in [0, 1, 28, 29, 30, 31, 32] {
                    inputs.push(format!("{y:04}-{m:02}-{d:02}"));
                }
            }
        }
        for s in inputs {
            let t = s.trim();
            let chrono = if t.len() == 10 {
                Date::parse_from_str(t, "%Y-%m-%d").ok()
            } else {
                None
            };
            assert_eq!(parse_date(&s).ok(), chrono, "{s}");
        }
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
    fn control_and_bidi_characters_are_refused() {
        let map = Map::new("m");
        for bad in [
            "Evil\u{1b}[31mRed",
            "Line\nbreak",
            "Tab\there",
            "Gemeente \u{202E}thcertU",
            "Iso\u{2066}late",
            "C1\u{9b}31m",
            "Del\u{7f}",
        ] {
            let a = Actor::new("a", bad);
            let e = validate_actor(&a, &map);
            assert_eq!(e.len(), 1, "{bad:?}: {e:?}");
            assert_eq!(e[0].field, "name");
            assert!(e[0].message.contains("U+"), "{}", e[0].message);
        }
        let mut a = Actor::new("a", "Gemeente Súdwest-Fryslân ĳ");
        a.notes = "two\nlines\twith a tab".into();
        assert!(validate_actor(&a, &map).is_empty());
        a.notes = "escape \u{1b}]0;title\u{7}".into();
        assert_eq!(validate_actor(&a, &map)[0].field, "notes");
        let mut n = Narrative::new("n", "Label", false);
        n.description = "bidi \u{202D}".into();
        assert_eq!(validate_narrative(&n)[0].field, "description");
        let mut m = Map::new("m");
        m.name = "Kaart\u{1b}".into();
        assert_eq!(validate_map(&m)[0].field, "name");
    }

    #[test]
    fn neutralise_shows_control_characters_as_codes() {
        assert_eq!(neutralise("plain ĳ"), "plain ĳ");
        assert_eq!(neutralise("a\u{1b}[31mb"), "a<U+001B>[31mb");
        assert_eq!(neutralise("x\u{202E}y\r"), "x<U+202E>y<U+000D>");
        assert_eq!(neutralise("keep\nlines\tand tabs"), "keep\nlines\tand tabs");
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

#[cfg(test)]
mod capped_tests {
    use super::*;

    #[test]
    fn capped_keeps_the_first_thousand_and_counts_the_rest() {
        let mut c = Capped::new();
        for i in 0..7_600_000usize {
            c.push(i);
        }
        assert_eq!(c.total(), 7_600_000);
        assert_eq!(c.more(), 7_599_000);
        let (kept, more) = c.into_parts();
        assert_eq!(kept.len(), MAX_ERRORS);
        assert_eq!(kept[999], 999);
        assert_eq!(
            more_errors_message(more),
            "and 7,599,000 more errors (only the first 1,000 are listed)"
        );
        assert_eq!(
            more_errors_message(1),
            "and 1 more error (only the first 1,000 are listed)"
        );
    }
}

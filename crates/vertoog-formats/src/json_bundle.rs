//! The JSON bundle of docs/interfaces.md §8: `{"format": "vertoog-map", "version": 1, "map": {...},
//! "actors": [...], "narratives": [...], "stances": [...], "ties": [...]}`.
//!
//! Errors name the JSON path (`stances[3].position`); syntax errors name line and column.
//! Unknown fields are errors, as unknown CSV columns are (a typo must not drop data). The
//! bundle's `map.id` is replaced by the target map's id; a bundle without `map` gets a map
//! with default vocabulary and settings.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;
use vertoog_model::{
    parse_date, validate_actor, validate_map, validate_narrative, validate_stance, validate_tie,
    Actor, ActorKind, Bundle, Capped, Engagement, EntityKind, FieldError, Map, Narrative, Stance,
    Tie, TieKind, BUNDLE_FORMAT, BUNDLE_VERSION, BUNDLE_VERSION_ENGAGEMENT,
};

use crate::csv_bundle::{ACTOR_COLUMNS, NARRATIVE_COLUMNS, STANCE_COLUMNS, TIE_COLUMNS};
use crate::error::{ImportError, ImportErrors, Origins, Parsed};
use crate::{clip, natural_cmp};

/// The deepest nesting a JSON document may have: serde_json's recursion limit. Deeper
/// documents are an error (never a stack overflow).
pub const MAX_JSON_DEPTH: usize = 128;

const MAP_FIELDS: [&str; 8] = [
    "id",
    "name",
    "description",
    "created",
    "updated",
    "domains",
    "settings",
    "coalition_names",
];
const TOP_FIELDS: [&str; 10] = [
    "format",
    "version",
    "map",
    "actors",
    "narratives",
    "stances",
    "ties",
    "interactions",
    "commitments",
    "plan",
];

#[path = "json_engagement.rs"]
mod engagement;

/// Reads a JSON bundle file; errors name the file as given. See [`read_json_text`].
pub fn read_json_bundle(path: &Path, target_map_id: &str) -> Result<Parsed, ImportErrors> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        ImportError::new(
            file.clone(),
            None,
            None,
            format!("cannot read the file: {e}"),
        )
    })?;
    match std::str::from_utf8(&bytes) {
        Ok(text) => read_json_text(&file, text, target_map_id),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            Err(ImportError::new(
                file,
                Some(line),
                None,
                "invalid UTF-8; save the file as UTF-8",
            )
            .into())
        }
    }
}

/// Reads a JSON bundle from text (a leading BOM is ignored) into a bundle for the map
/// `target_map_id`. Every field is checked with vertoog-model's validation, plus duplicate
/// ids and unknown fields; all errors are returned together, each with its JSON path
/// (`bundle.json: stances[3].position: 7 is outside -2..2`). References are left to
/// [`Parsed::reference_errors`], as for CSV.
pub fn read_json_text(file: &str, text: &str, target_map_id: &str) -> Result<Parsed, ImportErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| syntax_error(file, &e))?;
    let mut r = JsonReader {
        file,
        errors: Capped::new(),
    };
    let Value::Object(top) = value else {
        return Err(ImportError::new(
            file,
            None,
            None,
            "the document must be a JSON object {\"format\": \"vertoog-map\", \"version\": 1, ...}",
        )
        .into());
    };
    for key in top.keys() {
        if !TOP_FIELDS.contains(&key.as_str()) {
            r.fail(
                key,
                format!("unknown field; a bundle has {}", TOP_FIELDS.join(", ")),
            );
        }
    }
    match top.get("format") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s == BUNDLE_FORMAT => {}
        Some(other) => r.fail(
            "format",
            format!(
                "{} is not a Vertoog map bundle; expected \"{BUNDLE_FORMAT}\"",
                clip(&other.to_string())
            ),
        ),
    }
    match top.get("version") {
        None | Some(Value::Null) => {}
        Some(Value::Number(n))
            if n.as_u64() == Some(u64::from(BUNDLE_VERSION))
                || n.as_u64() == Some(u64::from(BUNDLE_VERSION_ENGAGEMENT)) => {}
        Some(other) => r.fail(
            "version",
            format!(
                "version {} is not supported; this program reads versions {BUNDLE_VERSION} and {BUNDLE_VERSION_ENGAGEMENT}",
                clip(&other.to_string())
            ),
        ),
    }
    let map = r.map(top.get("map"), target_map_id);
    let mut bundle = Bundle::new(map);
    let mut seen: HashMap<(EntityKind, String), usize> = HashMap::new();
    for kind in [
        EntityKind::Actor,
        EntityKind::Narrative,
        EntityKind::Stance,
        EntityKind::Tie,
    ] {
        let key = kind.plural();
        let items: &[Value] = match top.get(key) {
            None | Some(Value::Null) => &[],
            Some(Value::Array(items)) => items,
            Some(_) => {
                r.fail(key, "must be a list".into());
                &[]
            }
        };
        for (i, item) in items.iter().enumerate() {
            let path = format!("{key}[{i}]");
            let Value::Object(obj) = item else {
                r.fail(&path, "must be an object".into());
                continue;
            };
            let mut o = Obj {
                obj,
                errors: Vec::new(),
            };
            let (id, errs) = match kind {
                EntityKind::Actor => {
                    let a = o.actor();
                    let mut e = std::mem::take(&mut o.errors);
                    e.extend(validate_actor(&a, &bundle.map));
                    let id = a.id.clone();
                    bundle.actors.push(a);
                    (id, e)
                }
                EntityKind::Narrative => {
                    let n = o.narrative();
                    let mut e = std::mem::take(&mut o.errors);
                    e.extend(validate_narrative(&n));
                    let id = n.id.clone();
                    bundle.narratives.push(n);
                    (id, e)
                }
                EntityKind::Stance => {
                    let s = o.stance();
                    let mut e = std::mem::take(&mut o.errors);
                    e.extend(validate_stance(&s));
                    let id = s.id.clone();
                    bundle.stances.push(s);
                    (id, e)
                }
                _ => {
                    let t = o.tie();
                    let mut e = std::mem::take(&mut o.errors);
                    e.extend(validate_tie(&t));
                    let id = t.id.clone();
                    bundle.ties.push(t);
                    (id, e)
                }
            };
            for e in errs {
                r.fail(&format!("{path}.{}", e.field), e.message);
            }
            if !id.is_empty() {
                if let Some(first) = seen.get(&(kind, id.clone())) {
                    r.fail(
                        &format!("{path}.id"),
                        format!(
                            "duplicate {kind} id `{}` (first at {key}[{first}])",
                            clip(&id)
                        ),
                    );
                } else {
                    seen.insert((kind, id), i);
                }
            }
        }
    }
    read_engagement(&mut r, &top, &mut bundle);
    if r.errors.is_empty() {
        Ok(Parsed {
            bundle,
            origins: Origins::json(file),
        })
    } else {
        Err(r.errors.into())
    }
}

/// The lists `interactions`, `commitments` and `plan` (version 2): every field error and
/// duplicate id with its JSON path. References are checked later, as for the other lists.
fn read_engagement(r: &mut JsonReader<'_>, top: &serde_json::Map<String, Value>, b: &mut Bundle) {
    fn list<'v>(
        r: &mut JsonReader<'_>,
        top: &'v serde_json::Map<String, Value>,
        key: &str,
    ) -> &'v [Value] {
        match top.get(key) {
            None | Some(Value::Null) => &[],
            Some(Value::Array(items)) => items,
            Some(_) => {
                r.fail(key, "must be a list".into());
                &[]
            }
        }
    }
    fn each<T: serde::de::DeserializeOwned>(
        r: &mut JsonReader<'_>,
        key: &str,
        items: &[Value],
        validate: impl Fn(&T) -> Vec<FieldError>,
        id: impl Fn(&T) -> &str,
        out: &mut Vec<T>,
    ) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("{key}[{i}]");
            let Value::Object(obj) = item else {
                r.fail(&path, "must be an object".into());
                continue;
            };
            let (value, mut errs) = engagement::read_item::<T>(key, obj);
            if let Some(v) = value {
                errs.extend(validate(&v));
                let vid = id(&v).to_string();
                if !vid.is_empty() {
                    if let Some(first) = seen.get(&vid) {
                        errs.push(FieldError::new(
                            "id",
                            format!("duplicate id `{}` (first at {key}[{first}])", clip(&vid)),
                        ));
                    } else {
                        seen.insert(vid, i);
                    }
                }
                out.push(v);
            }
            for e in errs {
                if e.field.is_empty() {
                    r.fail(&path, e.message);
                } else {
                    r.fail(&format!("{path}.{}", e.field), e.message);
                }
            }
        }
    }
    let items = list(r, top, "interactions");
    each(
        r,
        "interactions",
        items,
        vertoog_model::validate_interaction,
        |x: &vertoog_model::Interaction| &x.id,
        &mut b.interactions,
    );
    let items = list(r, top, "commitments");
    each(
        r,
        "commitments",
        items,
        vertoog_model::validate_commitment,
        |x: &vertoog_model::Commitment| &x.id,
        &mut b.commitments,
    );
    let items = list(r, top, "plan");
    each(
        r,
        "plan",
        items,
        vertoog_model::validate_plan_item,
        |x: &vertoog_model::PlanItem| &x.id,
        &mut b.plan,
    );
}

fn syntax_error(file: &str, e: &serde_json::Error) -> ImportError {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let msg = full.strip_suffix(&suffix).unwrap_or(&full);
    let msg = if msg.contains("recursion limit exceeded") {
        format!("the document is nested more than {MAX_JSON_DEPTH} levels deep")
    } else {
        msg.to_string()
    };
    let line = (e.line() > 0).then_some(e.line() as u64);
    ImportError::new(
        file,
        line,
        None,
        if e.column() > 0 {
            format!("{msg} (column {})", e.column())
        } else {
            msg
        },
    )
}

struct JsonReader<'a> {
    file: &'a str,
    errors: Capped<ImportError>,
}

impl JsonReader<'_> {
    fn fail(&mut self, path: &str, message: String) {
        self.errors
            .push(ImportError::new(self.file, None, Some(path), message));
    }

    fn map(&mut self, value: Option<&Value>, target_map_id: &str) -> Map {
        let mut map = match value {
            None | Some(Value::Null) => Map::new(target_map_id),
            Some(Value::Object(obj)) => {
                for key in obj.keys() {
                    if !MAP_FIELDS.contains(&key.as_str()) {
                        self.fail(
                            &format!("map.{key}"),
                            format!("unknown field; a map has {}", MAP_FIELDS.join(", ")),
                        );
                    }
                }
                let mut obj = obj.clone();
                obj.insert("id".into(), Value::String(target_map_id.into()));
                match serde_json::from_value::<Map>(Value::Object(obj)) {
                    Ok(m) => m,
                    Err(e) => {
                        self.fail("map", e.to_string());
                        Map::new(target_map_id)
                    }
                }
            }
            Some(_) => {
                self.fail("map", "must be an object".into());
                Map::new(target_map_id)
            }
        };
        if map.name.is_empty() {
            map.name = map.id.clone();
        }
        for e in validate_map(&map) {
            self.fail(&format!("map.{}", e.field), e.message);
        }
        map
    }
}

/// One entity object, its JSON path, and the errors of its fields.
struct Obj<'a> {
    obj: &'a serde_json::Map<String, Value>,
    errors: Vec<FieldError>,
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

impl<'a> Obj<'a> {
    fn fail(&mut self, field: &str, message: String) {
        self.errors.push(FieldError::new(field, message));
    }

    fn check_fields(&mut self, known: &[&str]) {
        for key in self.obj.keys() {
            if !known.contains(&key.as_str()) {
                let m = format!("unknown field; the fields are {}", known.join(", "));
                self.fail(&clip(key), m);
            }
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    fn string(&mut self, key: &str) -> String {
        match self.get(key) {
            None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => {
                let m = format!("must be a string, not {}", kind_name(v));
                self.fail(key, m);
                String::new()
            }
        }
    }

    fn required_string(&mut self, key: &str) -> String {
        if self.get(key).is_none() {
            self.fail(key, "is required".into());
        }
        self.string(key)
    }

    fn list(&mut self, key: &str) -> Vec<String> {
        match self.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => out.push(s.clone()),
                        v => {
                            let m = format!("must be a string, not {}", kind_name(v));
                            self.fail(&format!("{key}[{i}]"), m);
                        }
                    }
                }
                out
            }
            Some(v) => {
                let m = format!("must be a list of strings, not {}", kind_name(v));
                self.fail(key, m);
                Vec::new()
            }
        }
    }

    fn number(&mut self, key: &str, default: f64) -> f64 {
        match self.get(key) {
            None => default,
            Some(Value::Number(n)) => n.as_f64().unwrap_or(default),
            Some(v) => {
                let m = format!("must be a number, not {}", kind_name(v));
                self.fail(key, m);
                default
            }
        }
    }

    fn boolean(&mut self, key: &str) -> Option<bool> {
        match self.get(key) {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(v) => {
                let m = format!("must be true or false, not {}", kind_name(v));
                self.fail(key, m);
                None
            }
        }
    }

    fn position(&mut self, key: &str) -> Option<i8> {
        match self.get(key) {
            None => None,
            Some(Value::Number(n)) => match n.as_i64() {
                Some(x) => match i8::try_from(x) {
                    Ok(x) => Some(x),
                    Err(_) => {
                        self.fail(key, format!("{x} is outside -2..2"));
                        None
                    }
                },
                None => {
                    self.fail(key, format!("{n} is not a whole number from -2 to 2"));
                    None
                }
            },
            Some(v) => {
                let m = format!("must be a whole number from -2 to 2, not {}", kind_name(v));
                self.fail(key, m);
                None
            }
        }
    }

    fn date(&mut self, key: &str) -> Option<vertoog_model::Date> {
        let s = match self.get(key) {
            None => return None,
            Some(Value::String(s)) => s.clone(),
            Some(v) => {
                let m = format!("must be a date string YYYY-MM-DD, not {}", kind_name(v));
                self.fail(key, m);
                return None;
            }
        };
        match parse_date(&s) {
            Ok(d) => Some(d),
            Err(_) => {
                let m = format!("`{}` is not a date in the form YYYY-MM-DD", clip(&s));
                self.fail(key, m);
                None
            }
        }
    }

    fn actor(&mut self) -> Actor {
        self.check_fields(&ACTOR_COLUMNS);
        let id = self.required_string("id");
        let name = self.required_string("name");
        let mut a = Actor::new(id, name);
        a.aliases = self.list("aliases");
        if self.get("domain").is_some() {
            a.domain = self.string("domain");
        }
        if self.get("kind").is_some() {
            let k = self.string("kind");
            match ActorKind::parse(&k) {
                Some(k) => a.kind = k,
                None => {
                    let m = format!(
                        "`{}` is not an actor kind; use organisation or person",
                        clip(&k)
                    );
                    self.fail("kind", m);
                }
            }
        }
        if self.get("parent").is_some() {
            a.parent = Some(self.string("parent"));
        }
        a.influence = self.number("influence", 0.5);
        a.interest = self.number("interest", 0.5);
        a.legitimacy = self.boolean("legitimacy").unwrap_or(false);
        a.urgency = self.boolean("urgency").unwrap_or(false);
        a.target_position = self.position("target_position");
        if self.get("engagement").is_some() {
            let e = self.string("engagement");
            match Engagement::parse(&e) {
                Some(e) => a.engagement = Some(e),
                None => {
                    let m = format!(
                        "`{}` is not an engagement level; use inform, consult, involve, collaborate or empower",
                        clip(&e)
                    );
                    self.fail("engagement", m);
                }
            }
        }
        a.owner = self.string("owner");
        a.tags = self.list("tags");
        a.notes = self.string("notes");
        a
    }

    fn narrative(&mut self) -> Narrative {
        self.check_fields(&NARRATIVE_COLUMNS);
        let id = self.required_string("id");
        let label = self.required_string("label");
        let mut n = Narrative::new(id, label, false);
        n.description = self.string("description");
        n.core = self.boolean("core").unwrap_or(false);
        n.tags = self.list("tags");
        n
    }

    fn stance(&mut self) -> Stance {
        self.check_fields(&STANCE_COLUMNS);
        let id = self.string("id");
        let actor = self.required_string("actor");
        let narrative = self.required_string("narrative");
        if self.get("position").is_none() {
            self.fail(
                "position",
                "is required: a whole number from -2 to 2".into(),
            );
        }
        let position = self.position("position").unwrap_or(0);
        let mut s = Stance::new(id, actor, narrative, position);
        s.date = self.date("date");
        s.source = self.string("source");
        s.quote = self.string("quote");
        s
    }

    fn tie(&mut self) -> Tie {
        self.check_fields(&TIE_COLUMNS);
        let id = self.string("id");
        let source = self.required_string("source");
        let target = self.required_string("target");
        let mut kind = TieKind::default();
        if self.get("kind").is_some() {
            let k = self.string("kind");
            match TieKind::parse(&k) {
                Some(k) => kind = k,
                None => {
                    let m = format!(
                        "`{}` is not a tie kind; use collaboration, communication, funding, authority, membership or conflict",
                        clip(&k)
                    );
                    self.fail("kind", m);
                }
            }
        }
        let mut t = Tie::new(id, source, target, kind);
        t.weight = self.number("weight", 0.5);
        if let Some(d) = self.boolean("directed") {
            t.directed = d;
        }
        t.since = self.date("since");
        t.until = self.date("until");
        t.note = self.string("note");
        t
    }
}

/// The JSON bundle of a map: pretty-printed, deterministic (fields in a fixed order, every
/// list sorted by id in natural order), ending with a newline. Lossless: reading it back
/// gives the same bundle (with the entity lists in id order).
pub fn write_json_bundle(bundle: &Bundle) -> String {
    let mut b = bundle.clone();
    b.actors.sort_by(|x, y| natural_cmp(&x.id, &y.id));
    b.narratives.sort_by(|x, y| natural_cmp(&x.id, &y.id));
    b.stances.sort_by(|x, y| natural_cmp(&x.id, &y.id));
    b.ties.sort_by(|x, y| natural_cmp(&x.id, &y.id));
    b.interactions.sort_by(|x, y| natural_cmp(&x.id, &y.id));
    b.commitments.sort_by(|x, y| natural_cmp(&x.id, &y.id));
    b.plan.sort_by(|x, y| natural_cmp(&x.id, &y.id));
    b.version = b.written_version();
    let mut s = serde_json::to_string_pretty(&b)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errs(text: &str) -> Vec<String> {
        match read_json_text("bundle.json", text, "m") {
            Ok(p) => panic!("expected errors, got {:?}", p.bundle),
            Err(e) => e.messages(),
        }
    }

    #[test]
    fn reads_a_bundle_and_takes_the_target_id() {
        let p = read_json_text(
            "bundle.json",
            "\u{feff}{\"format\":\"vertoog-map\",\"version\":1,\"map\":{\"id\":\"old\",\"name\":\"Kaart\"},\
             \"actors\":[{\"id\":\"a\",\"name\":\"A\",\"parent\":null},{\"id\":\"b\",\"name\":\"B\",\"kind\":\"person\"}],\
             \"narratives\":[{\"id\":\"n\",\"label\":\"N\",\"core\":true}],\
             \"stances\":[{\"actor\":\"a\",\"narrative\":\"n\",\"position\":-2,\"date\":\"2024-01-31\"}],\
             \"ties\":[{\"source\":\"a\",\"target\":\"b\",\"kind\":\"funding\"}]}",
            "new",
        )
        .unwrap();
        let b = &p.bundle;
        assert_eq!(b.map.id, "new");
        assert_eq!(b.map.name, "Kaart");
        assert_eq!(b.actors[0], Actor::new("a", "A"));
        assert_eq!(b.actors[1].kind, ActorKind::Person);
        assert!(b.narratives[0].core);
        assert_eq!(b.stances[0].position, -2);
        assert!(b.ties[0].directed);
        // Without a map object: a default map with the target id.
        let p = read_json_text("b.json", "{\"actors\": []}", "m2").unwrap();
        assert_eq!(p.bundle.map, Map::new("m2"));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        assert_eq!(
            errs("{\n  \"actors\": [}\n"),
            ["bundle.json line 2: expected value (column 14)"]
        );
        assert_eq!(errs(""), ["bundle.json line 1: EOF while parsing a value"]);
        assert_eq!(
            errs("[1]"),
            ["bundle.json: the document must be a JSON object {\"format\": \"vertoog-map\", \"version\": 1, ...}"]
        );
    }

    #[test]
    fn version_two_reads_the_engagement_lists_and_reports_every_error() {
        let ok = r#"{"format":"vertoog-map","version":2,"map":{"id":"m"},
            "actors":[{"id":"a","name":"A"}],"narratives":[{"id":"n","label":"N"}],
            "interactions":[{"date":"2025-01-02","title":"Overleg","actors":["a"],"narratives":["n"],"sentiment":1,"confidential":true}],
            "commitments":[{"actor":"a","direction":"ours","text":"Notitie sturen","made_on":"2025-01-02","due":"2025-02-01","interaction":"i1"}],
            "plan":[{"kind":"brief","title":"Brief A","targets":["a"],"adopted_on":"2025-01-03","simulated_gain":0.04}]}"#;
        let p = read_json_text("bundle.json", ok, "m").unwrap();
        assert_eq!(p.bundle.interactions.len(), 1);
        assert!(p.bundle.interactions[0].confidential);
        assert_eq!(p.bundle.plan[0].simulated_gain, Some(0.04));
        let mut b = p.bundle.clone();
        b.interactions[0].id = "i1".into();
        let text = write_json_bundle(&b);
        assert!(text.contains("\"version\": 2"), "{text}");
        let back = read_json_text("bundle.json", &text, "m").unwrap().bundle;
        assert_eq!(back.interactions, b.interactions);
        assert_eq!(back.commitments, b.commitments);
        assert_eq!(back.plan, b.plan);
        let bad = r#"{"version":2,"actors":[{"id":"a","name":"A"}],
            "interactions":[{"date":"2025-01-02","title":"X","actors":["a"],"mood":3}],
            "commitments":[{"actor":"a","direction":"ours","text":"T","made_on":"2025-03-01","status":"done","closed_on":"2025-02-01"}],
            "plan":[{"title":"P","adopted_on":"2025-01-01","status":"finished"}]}"#;
        assert_eq!(
            errs(bad),
            [
                "bundle.json: interactions[0].mood: unknown field; the fields are id, date, kind, title, actors, team, narratives, outcome, sentiment, next_step, next_contact, source, confidential",
                "bundle.json: commitments[0].closed_on: 2025-02-01 is before made_on (2025-03-01)",
                "bundle.json: plan[0].status: \"finished\" is not a status; use planned, in-progress, done, dropped",
            ]
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!(
            "{{\"actors\": {}{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(
            errs(&deep),
            ["bundle.json line 1: the document is nested more than 128 levels deep (column 138)"]
        );
    }

    #[test]
    fn field_errors_name_the_json_path() {
        let e = errs(
            r#"{"format": "other", "version": 3, "extra": 1,
                "map": {"domains": ["ministry", "Bad Domain"], "colour": "red"},
                "actors": [{"id": "a", "name": "A", "influence": "high", "nmae": "x"},
                           {"id": "a", "name": "", "domain": "ministry", "aliases": ["ok", 3]},
                           "not an object"],
                "narratives": {"id": "n"},
                "stances": [{"actor": "a", "narrative": "n", "position": 1},
                            {"actor": "a", "narrative": "n", "position": 300},
                            {"actor": "a", "narrative": "n", "position": 1.5},
                            {"actor": "a", "narrative": "n", "position": 7, "date": "31-01-2024"},
                            {"actor": "a", "narrative": "n"}],
                "ties": [{"source": "a", "target": "a", "weight": 0, "directed": "yes"},
                         {"target": "b", "kind": "friendship"}]}"#,
        );
        assert_eq!(
            e,
            [
                "bundle.json: extra: unknown field; a bundle has format, version, map, actors, narratives, stances, ties, interactions, commitments, plan",
                "bundle.json: format: \"other\" is not a Vertoog map bundle; expected \"vertoog-map\"",
                "bundle.json: version: version 3 is not supported; this program reads versions 1 and 2",
                "bundle.json: map.colour: unknown field; a map has id, name, description, created, updated, domains, settings, coalition_names",
                "bundle.json: map.domains: `Bad Domain` is not a valid domain name",
                "bundle.json: actors[0].nmae: unknown field; the fields are id, name, aliases, domain, kind, parent, influence, interest, legitimacy, urgency, target_position, engagement, owner, tags, notes",
                "bundle.json: actors[0].influence: must be a number, not a string",
                "bundle.json: actors[0].domain: `other` is not in the map's domain vocabulary (ministry, Bad Domain)",
                "bundle.json: actors[1].aliases[1]: must be a string, not a number",
                "bundle.json: actors[1].name: must not be blank",
                "bundle.json: actors[1].id: duplicate actor id `a` (first at actors[0])",
                "bundle.json: actors[2]: must be an object",
                "bundle.json: narratives: must be a list",
                "bundle.json: stances[1].position: 300 is outside -2..2",
                "bundle.json: stances[2].position: 1.5 is not a whole number from -2 to 2",
                "bundle.json: stances[3].date: `31-01-2024` is not a date in the form YYYY-MM-DD",
                "bundle.json: stances[3].position: 7 is outside -2..2",
                "bundle.json: stances[4].position: is required: a whole number from -2 to 2",
                "bundle.json: ties[0].directed: must be true or false, not a string",
                "bundle.json: ties[0].target: a tie needs two different actors; both ends are `a`",
                "bundle.json: ties[0].weight: 0 is outside (0, 1]",
                "bundle.json: ties[1].source: is required",
                "bundle.json: ties[1].kind: `friendship` is not a tie kind; use collaboration, communication, funding, authority, membership or conflict",
                "bundle.json: ties[1].source: `` is not a valid id: use a-z, 0-9 and -, starting with a letter or digit, at most 63 characters",
            ]
        );
    }

    #[test]
    fn huge_strings_are_refused_by_length() {
        let text = format!(
            "{{\"actors\": [{{\"id\": \"a\", \"name\": \"{}\"}}]}}",
            "x".repeat(10_000_000)
        );
        assert_eq!(
            errs(&text),
            ["bundle.json: actors[0].name: is 10000000 characters long; at most 200 are allowed"]
        );
    }

    #[test]
    fn files_and_references() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.json");
        std::fs::write(&path, b"{\n\"actors\": [\"caf\xE9\"]}").unwrap();
        let e = read_json_bundle(&path, "m").unwrap_err().messages();
        assert_eq!(
            e,
            [format!(
                "{}: line 2: invalid UTF-8; save the file as UTF-8",
                path.display()
            )
            .replacen(": line", " line", 1)]
        );
        std::fs::write(
            &path,
            r#"{"stances": [{"actor": "zz", "narrative": "n", "position": 0}]}"#,
        )
        .unwrap();
        let p = read_json_bundle(&path, "m").unwrap();
        let refs: Vec<String> = p
            .reference_errors(None)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            refs,
            [
                format!("{}: stances[0].actor: unknown actor `zz`", path.display()),
                format!(
                    "{}: stances[0].narrative: unknown narrative `n`",
                    path.display()
                ),
            ]
        );
    }

    #[test]
    fn writer_is_sorted_and_pretty() {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![Actor::new("a10", "A10"), Actor::new("a2", "A2")];
        let text = write_json_bundle(&b);
        assert!(text.starts_with("{\n  \"format\": \"vertoog-map\",\n  \"version\": 1,"));
        assert!(text.find("\"a2\"").unwrap() < text.find("\"a10\"").unwrap());
        assert!(text.ends_with("}\n"));
        assert_eq!(text, write_json_bundle(&b));
    }
}

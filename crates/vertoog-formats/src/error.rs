//! Import errors that name file, line (or JSON path) and field (docs/interfaces.md §8, import rules), and
//! the map from an imported entity back to where it came from.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use vertoog_model::{Bundle, BundleError, EntityKind};

/// One problem found while reading an import file.
///
/// Displayed as `FILE line N: FIELD: MESSAGE`; the `line N` part is left out when there is no
/// line (JSON, whose errors name a path in `field` instead: `bundle.json: stances[3].position:
/// 7 is outside -2..2`), and the `FIELD: ` part when the problem is not about one field.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ImportError {
    /// The file name as given (or as found in a folder: `folder/actors.csv`).
    pub file: String,
    /// 1-based physical line where the record starts (CSV), or the line of a JSON syntax error.
    pub line: Option<u64>,
    /// Column name (CSV) or JSON path (`stances[3].position`).
    pub field: Option<String>,
    pub message: String,
}

impl ImportError {
    /// An error with every part given.
    pub fn new(
        file: impl Into<String>,
        line: Option<u64>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        ImportError {
            file: file.into(),
            line,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        f.write_str(": ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImportError {}

/// Every error of an import, in file order; never only the first (docs/interfaces.md §8, import rules),
/// but at most [`vertoog_model::MAX_ERRORS`] of them: `.1` counts those not kept. Displayed
/// one error per line, then `and N more errors` when some were not kept.
#[derive(Clone, Debug, PartialEq, Eq, Default, thiserror::Error)]
pub struct ImportErrors(pub Vec<ImportError>, pub usize);

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        if self.1 > 0 {
            write!(f, "\n{}", vertoog_model::more_errors_message(self.1))?;
        }
        Ok(())
    }
}

impl ImportErrors {
    /// Errors that were all kept.
    pub fn all(errors: Vec<ImportError>) -> Self {
        ImportErrors(errors, 0)
    }
    /// Every error counted, listed or not.
    pub fn len(&self) -> usize {
        self.0.len() + self.1
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty() && self.1 == 0
    }
    /// How many errors were counted but not listed.
    pub fn more(&self) -> usize {
        self.1
    }
    pub fn iter(&self) -> std::slice::Iter<'_, ImportError> {
        self.0.iter()
    }
    /// The errors as display strings, one per error (handy in tests and JSON bodies).
    pub fn messages(&self) -> Vec<String> {
        self.0.iter().map(ToString::to_string).collect()
    }
}

impl From<vertoog_model::Capped<ImportError>> for ImportErrors {
    fn from(c: vertoog_model::Capped<ImportError>) -> Self {
        let (list, more) = c.into_parts();
        ImportErrors(list, more)
    }
}

impl From<ImportError> for ImportErrors {
    fn from(e: ImportError) -> Self {
        ImportErrors(vec![e], 0)
    }
}

impl IntoIterator for ImportErrors {
    type Item = ImportError;
    type IntoIter = std::vec::IntoIter<ImportError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Where each entity of an imported bundle came from.
///
/// CSV imports record `(file, line)` per entity; JSON imports record the file only, and
/// errors about them name the JSON path (`actors[2].parent`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origins {
    /// Per kind, (file, line) of each entity; the file name shared by consecutive entities.
    lines: BTreeMap<EntityKind, Vec<(std::sync::Arc<str>, u64)>>,
    /// Set for JSON imports: the file name used with JSON paths.
    json_file: Option<String>,
}

impl Origins {
    /// Origins of a JSON document named `file`: errors are described by JSON path.
    pub fn json(file: impl Into<String>) -> Self {
        Origins {
            lines: BTreeMap::new(),
            json_file: Some(file.into()),
        }
    }

    /// Records that the next entity of `kind` (in bundle list order) comes from `file`, `line`.
    pub fn push(&mut self, kind: EntityKind, file: &str, line: u64) {
        let list = self.lines.entry(kind).or_default();
        let file = match list.last() {
            Some((f, _)) if &**f == file => f.clone(),
            _ => std::sync::Arc::from(file),
        };
        list.push((file, line));
    }

    /// [`Origins::push`] of one line after the other, all in `file`.
    pub fn extend(&mut self, kind: EntityKind, file: &str, lines: &[u64]) {
        if lines.is_empty() {
            return;
        }
        let list = self.lines.entry(kind).or_default();
        let file = match list.last() {
            Some((f, _)) if &**f == file => f.clone(),
            _ => std::sync::Arc::from(file),
        };
        list.extend(lines.iter().map(|&l| (file.clone(), l)));
    }

    /// Makes room for `additional` more entities of `kind`.
    pub fn reserve(&mut self, kind: EntityKind, additional: usize) {
        self.lines.entry(kind).or_default().reserve(additional);
    }

    /// The file and 1-based line of the entity at `index` of the bundle's list of `kind`.
    pub fn locate(&self, kind: EntityKind, index: usize) -> Option<(String, u64)> {
        let (file, line) = self.lines.get(&kind)?.get(index)?;
        Some((file.to_string(), *line))
    }

    /// Every bundle-level error described, the count of a final [`BundleError::more`] entry
    /// kept as the count of errors not listed.
    pub fn describe_all(&self, errors: &[BundleError]) -> ImportErrors {
        let mut more = 0;
        let mut list = Vec::new();
        for e in errors {
            match e.more_count() {
                Some(n) => more += n,
                None => list.push(self.describe(e)),
            }
        }
        ImportErrors(list, more)
    }

    /// Turns a bundle-level error (e.g. a dangling reference found by the store, indexed into
    /// the imported bundle's lists) into an import error with file and line, or with the JSON
    /// path `actors[2].parent` for JSON imports. Without any origin the file is `import`.
    pub fn describe(&self, e: &BundleError) -> ImportError {
        if let Some((file, line)) = self.locate(e.kind, e.index) {
            return ImportError::new(file, Some(line), Some(&e.field), e.message.clone());
        }
        let path = if e.kind == EntityKind::Map {
            format!("map.{}", e.field)
        } else {
            format!("{}[{}].{}", e.kind.plural(), e.index, e.field)
        };
        let file = self.json_file.clone().unwrap_or_else(|| "import".into());
        ImportError::new(file, None, Some(&path), e.message.clone())
    }
}

/// The result of reading an import: the entities (with `map` set to the target map) and where
/// each came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub bundle: Bundle,
    pub origins: Origins,
}

impl Parsed {
    /// Shorthand for [`Origins::describe`].
    pub fn describe(&self, e: &BundleError) -> ImportError {
        self.origins.describe(e)
    }

    /// References that resolve neither inside the import nor in `existing` (the content the
    /// map already has, if any): a stance's `actor` and `narrative`, a tie's `source` and
    /// `target`, an actor's `parent`. Each error names the file and line (or JSON path) of
    /// the referring entity. Readers do not run this themselves, because an import into an
    /// existing map may refer to actors that are only in the map.
    pub fn reference_errors(&self, existing: Option<&Bundle>) -> Vec<ImportError> {
        let mut out = Vec::new();
        self.each_reference_error(existing, |e| out.push(e));
        out
    }

    /// [`Parsed::reference_errors`], one at a time (nothing is kept: a caller that caps its
    /// list needs no memory for millions of them).
    pub fn each_reference_error(&self, existing: Option<&Bundle>, mut f: impl FnMut(ImportError)) {
        let b = &self.bundle;
        let mut actors: HashSet<&str> = b.actors.iter().map(|a| a.id.as_str()).collect();
        let mut narratives: HashSet<&str> = b.narratives.iter().map(|n| n.id.as_str()).collect();
        if let Some(ex) = existing {
            actors.extend(ex.actors.iter().map(|a| a.id.as_str()));
            narratives.extend(ex.narratives.iter().map(|n| n.id.as_str()));
        }
        let mut missing = |kind, index, id: &str, field: &str, what: &str, target: &str| {
            f(self.describe(&BundleError {
                kind,
                index,
                id: id.to_string(),
                field: field.to_string(),
                message: format!("unknown {what} `{}`", crate::clip(target)),
            }));
        };
        for (i, a) in b.actors.iter().enumerate() {
            if let Some(p) = &a.parent {
                if !actors.contains(p.as_str()) {
                    missing(EntityKind::Actor, i, &a.id, "parent", "actor", p);
                }
            }
        }
        for (i, s) in b.stances.iter().enumerate() {
            if !actors.contains(s.actor.as_str()) {
                missing(EntityKind::Stance, i, &s.id, "actor", "actor", &s.actor);
            }
            if !narratives.contains(s.narrative.as_str()) {
                missing(
                    EntityKind::Stance,
                    i,
                    &s.id,
                    "narrative",
                    "narrative",
                    &s.narrative,
                );
            }
        }
        for (i, t) in b.ties.iter().enumerate() {
            for (field, id) in [("source", &t.source), ("target", &t.target)] {
                if !actors.contains(id.as_str()) {
                    missing(EntityKind::Tie, i, &t.id, field, "actor", id);
                }
            }
        }
        let mut interactions: HashSet<&str> =
            b.interactions.iter().map(|i| i.id.as_str()).collect();
        if let Some(ex) = existing {
            interactions.extend(ex.interactions.iter().map(|i| i.id.as_str()));
        }
        for (n, x) in b.interactions.iter().enumerate() {
            for a in &x.actors {
                if !actors.contains(a.as_str()) {
                    missing(EntityKind::Interaction, n, &x.id, "actors", "actor", a);
                }
            }
            for a in &x.narratives {
                if !narratives.contains(a.as_str()) {
                    missing(
                        EntityKind::Interaction,
                        n,
                        &x.id,
                        "narratives",
                        "narrative",
                        a,
                    );
                }
            }
        }
        for (n, c) in b.commitments.iter().enumerate() {
            if !actors.contains(c.actor.as_str()) {
                missing(EntityKind::Commitment, n, &c.id, "actor", "actor", &c.actor);
            }
            if let Some(i) = &c.interaction {
                if !interactions.contains(i.as_str()) {
                    missing(
                        EntityKind::Commitment,
                        n,
                        &c.id,
                        "interaction",
                        "interaction",
                        i,
                    );
                }
            }
        }
        for (n, p) in b.plan.iter().enumerate() {
            for a in &p.targets {
                if !actors.contains(a.as_str()) {
                    missing(EntityKind::PlanItem, n, &p.id, "targets", "actor", a);
                }
            }
            if let Some(m) = &p.messenger {
                if !actors.contains(m.as_str()) {
                    missing(EntityKind::PlanItem, n, &p.id, "messenger", "actor", m);
                }
            }
            if let Some(x) = &p.narrative {
                if !narratives.contains(x.as_str()) {
                    missing(EntityKind::PlanItem, n, &p.id, "narrative", "narrative", x);
                }
            }
            for i in &p.interactions {
                if !interactions.contains(i.as_str()) {
                    missing(
                        EntityKind::PlanItem,
                        n,
                        &p.id,
                        "interactions",
                        "interaction",
                        i,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_forms() {
        let e = ImportError::new(
            "stances.csv",
            Some(3),
            Some("position"),
            "7 is outside -2..2",
        );
        assert_eq!(
            e.to_string(),
            "stances.csv line 3: position: 7 is outside -2..2"
        );
        let e = ImportError::new("bundle.json", None, Some("stances[3].position"), "bad");
        assert_eq!(e.to_string(), "bundle.json: stances[3].position: bad");
        let e = ImportError::new("actors.csv", Some(1), None, "no header");
        assert_eq!(e.to_string(), "actors.csv line 1: no header");
        let all = ImportErrors::all(vec![
            ImportError::new("a.csv", None, None, "x"),
            ImportError::new("b.csv", None, None, "y"),
        ]);
        assert_eq!(all.to_string(), "a.csv: x\nb.csv: y");
    }

    #[test]
    fn describe_uses_lines_or_paths() {
        let mut o = Origins::default();
        o.push(EntityKind::Stance, "stances.csv", 2);
        o.push(EntityKind::Stance, "stances.csv", 5);
        let e = BundleError {
            kind: EntityKind::Stance,
            index: 1,
            id: "s2".into(),
            field: "actor".into(),
            message: "unknown actor `zz`".into(),
        };
        assert_eq!(
            o.locate(EntityKind::Stance, 1),
            Some(("stances.csv".into(), 5))
        );
        assert_eq!(o.locate(EntityKind::Tie, 0), None);
        assert_eq!(
            o.describe(&e).to_string(),
            "stances.csv line 5: actor: unknown actor `zz`"
        );
        let j = Origins::json("bundle.json");
        assert_eq!(
            j.describe(&e).to_string(),
            "bundle.json: stances[1].actor: unknown actor `zz`"
        );
    }
}

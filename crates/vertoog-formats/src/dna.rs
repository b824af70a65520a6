//! Import of Discourse Network Analyzer databases (docs/interfaces.md §8, file formats;
//! docs/method.md §13).
//!
//! DNA 3 keeps coded statements in a SQLite file (`.dna`). [`read_dna`] turns the statements
//! of one statement type into a map:
//! - actors: the values of the statement type's `organization` (or `person`) variable; id a
//!   unique slug of the name, name the DNA value (trimmed), domain from the entity's `Type`
//!   attribute (Government → ministry, Business → business, NGO → civil-society, anything
//!   else → other) with the original type kept as a tag; kind person for persons;
//! - narratives: the values of the `concept` variable (id a unique slug, label the value,
//!   not core);
//! - stances: one per statement, id `dna-<source>-s<statement id>`, where `<source>` (8 hex
//!   digits, [`DnaImport::source`]) identifies the database: an FNV-1a hash of its first
//!   document (lowest id: title, date and text), or of its statement ids and entity values
//!   when it has no documents. Two databases never share stance ids (unless they start with
//!   the same document), and importing the same database again updates the same stances
//!   (idempotent), also after statements were added to it or its file was renamed; the id
//!   records the source database and DNA's statement id. The qualifier is the variable
//!   `agreement` (or else the statement type's only boolean or integer variable): boolean
//!   1 → +1, 0 → -1; integers kept, clamped to [-2, 2] with a warning; date = the document's
//!   date (DNA stores seconds since 1970-01-01 UTC; the UTC calendar date is taken); source =
//!   the document title; quote = the coded text of the statement.
//!
//! Entity values that are empty (after trimming) are not imported; statements whose actor or
//! concept is empty are skipped and counted in [`DnaImport::skipped_empty`]. The file is only
//! read (opened read-only); nothing in it is changed. No input makes this module panic.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, Row};
use vertoog_model::{slugify, unique_slug, Actor, ActorKind, Bundle, Date, Map, Narrative, Stance};

/// Longest quote kept, in characters (the model's limit for free text).
const MAX_QUOTE_CHARS: usize = 100_000;

/// The tables every DNA 3 database has and the import reads.
const REQUIRED_TABLES: [&str; 7] = [
    "STATEMENTTYPES",
    "VARIABLES",
    "STATEMENTS",
    "DOCUMENTS",
    "ENTITIES",
    "DATASHORTTEXT",
    "DATABOOLEAN",
];

/// Which DNA variable becomes the actors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DnaActor {
    #[default]
    Organization,
    Person,
}

impl DnaActor {
    /// The DNA variable name (`organization` or `person`).
    pub fn variable(self) -> &'static str {
        match self {
            DnaActor::Organization => "organization",
            DnaActor::Person => "person",
        }
    }

    /// Parses the CLI spelling `organization` (also `organisation`) or `person`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "organization" | "organisation" => Some(DnaActor::Organization),
            "person" => Some(DnaActor::Person),
            _ => None,
        }
    }
}

/// Options of a DNA import (`--dna-statement-type`, `--dna-actor`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnaOptions {
    /// The statement type to import; default "DNA Statement".
    pub statement_type: String,
    /// Organisations (default) or persons become the actors.
    pub actor_variable: DnaActor,
}

impl Default for DnaOptions {
    fn default() -> Self {
        DnaOptions {
            statement_type: "DNA Statement".to_string(),
            actor_variable: DnaActor::Organization,
        }
    }
}

/// The result of a DNA import.
#[derive(Clone, Debug, PartialEq)]
pub struct DnaImport {
    /// The imported map. Its `map` is `Map::new` of a placeholder id (the slug of the file
    /// name); the caller sets the real one.
    pub bundle: Bundle,
    /// Things the user should know (clamped qualifiers, statements without a qualifier or
    /// document, ...), one line each.
    pub warnings: Vec<String>,
    /// Statements skipped because their actor or concept value is empty.
    pub skipped_empty: usize,
    /// The database's identity in stance ids (module documentation).
    pub source: String,
}

/// FNV-1a, 64 bits: a stable hash (the standard library's is not stable across releases).
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, b: &[u8]) {
        for x in b {
            self.0 ^= u64::from(*x);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }
    fn hex8(&self) -> String {
        format!("{:08x}", (self.0 >> 32) ^ (self.0 & 0xffff_ffff))
    }
}

/// Why a file cannot be imported.
#[derive(Debug, thiserror::Error)]
pub enum DnaError {
    #[error("{}: cannot open: {message}", path.display())]
    Open { path: PathBuf, message: String },
    #[error("{}: not a Discourse Network Analyzer (DNA 3) database: {reason}", path.display())]
    NotDna { path: PathBuf, reason: String },
    #[error(
        "{}: statement type `{requested}` does not exist; the statement types present are: {}",
        path.display(),
        list(available)
    )]
    UnknownStatementType {
        path: PathBuf,
        requested: String,
        available: Vec<String>,
    },
    #[error(
        "{}: statement type `{statement_type}` has no variable `{variable}`; its variables are: {}",
        path.display(),
        list(available)
    )]
    MissingVariable {
        path: PathBuf,
        statement_type: String,
        variable: String,
        available: Vec<String>,
    },
    #[error("{}: cannot read the DNA database: {message}", path.display())]
    Read { path: PathBuf, message: String },
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Reads column `i` as an integer, whatever SQLite type it was stored with.
fn int_at(row: &Row, i: usize) -> rusqlite::Result<Option<i64>> {
    Ok(match row.get_ref(i)? {
        ValueRef::Null | ValueRef::Blob(_) => None,
        ValueRef::Integer(v) => Some(v),
        ValueRef::Real(v) => v.is_finite().then_some(v as i64),
        ValueRef::Text(t) => String::from_utf8_lossy(t).trim().parse().ok(),
    })
}

/// Reads column `i` as text, whatever SQLite type it was stored with.
fn text_at(row: &Row, i: usize) -> rusqlite::Result<Option<String>> {
    Ok(match row.get_ref(i)? {
        ValueRef::Null | ValueRef::Blob(_) => None,
        ValueRef::Integer(v) => Some(v.to_string()),
        ValueRef::Real(v) => Some(v.to_string()),
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
    })
}

/// The UTC calendar date of a DNA document date (seconds since 1970-01-01 UTC; values too
/// large to be seconds are taken as milliseconds).
fn date_of_epoch(value: i64) -> Option<Date> {
    let secs = if value.abs() > 100_000_000_000 {
        value.div_euclid(1000)
    } else {
        value
    };
    // 1970-01-01 is day 719_163 counted from 0001-01-01 (day 1).
    let days = secs.div_euclid(86_400) + 719_163;
    Date::from_num_days_from_ce_opt(i32::try_from(days).ok()?)
}

/// Characters `start..stop` of `text`, counted in UTF-16 code units as DNA (Java) counts.
fn quote_of(text: &[u16], start: Option<i64>, stop: Option<i64>) -> String {
    let (Some(start), Some(stop)) = (start, stop) else {
        return String::new();
    };
    let (Ok(start), Ok(stop)) = (usize::try_from(start), usize::try_from(stop)) else {
        return String::new();
    };
    if start >= stop || stop > text.len() {
        return String::new();
    }
    let q = String::from_utf16_lossy(&text[start..stop]);
    let q = without_controls(&q, true);
    let q = q.trim();
    if q.chars().count() > MAX_QUOTE_CHARS {
        q.chars().take(MAX_QUOTE_CHARS).collect()
    } else {
        q.to_string()
    }
}

/// `value` with a space for each character the model refuses in text (control characters but, when
/// `multiline`, tab, line feed and carriage return; bidi controls): a damaged or hostile
/// database's text must not make the bundle invalid.
fn without_controls(value: &str, multiline: bool) -> String {
    value
        .chars()
        .map(|c| {
            if (c.is_control() && !(multiline && matches!(c, '\t' | '\n' | '\r')))
                || vertoog_model::is_bidi_control(c)
            {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The domain an entity's DNA `Type` attribute maps to (docs/interfaces.md §8).
fn domain_of_type(t: &str) -> &'static str {
    match t.trim().to_ascii_lowercase().as_str() {
        "government" => "ministry",
        "business" => "business",
        "ngo" => "civil-society",
        _ => "other",
    }
}

#[derive(Clone)]
struct Variable {
    id: i64,
    name: String,
    data_type: String,
}

/// Reads a DNA 3 database (`.dna`) into a map (module documentation has the mapping).
///
/// The phases, each a function below: open the file ([`open_database`]); check DNA's tables
/// ([`Db::tables`]); find the statement type ([`Db::statement_type`]) and its actor, concept
/// and qualifier variables ([`Db::variables`]); make the actors and narratives from the
/// entity values ([`add_actors`], [`add_narratives`]); read the documents
/// ([`Db::documents`]) and derive the database's identity ([`source_of`]); read the
/// statements ([`Db::statement_rows`]) and turn them into stances ([`add_stances`]).
///
/// Errors: the file cannot be opened; it is not SQLite or lacks DNA's tables
/// ([`DnaError::NotDna`]); the statement type does not exist (the error lists the types
/// present); the statement type lacks the actor or `concept` variable (the error lists its
/// variables).
pub fn read_dna(path: &Path, opts: &DnaOptions) -> Result<DnaImport, DnaError> {
    let db = Db {
        conn: open_database(path)?,
        path,
    };
    let tables = db.tables()?;
    let type_id = db.statement_type(opts)?;
    let mut warnings = Vec::new();
    let vars = db.variables(type_id, opts, tables.integers, &mut warnings)?;

    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut bundle = Bundle::new(Map::new(slugify(&stem)));
    let type_of = if tables.attributes {
        db.actor_types(vars.actor.id)?
    } else {
        HashMap::new()
    };
    let actor_of_entity = add_actors(
        &mut bundle,
        db.entities(vars.actor.id)?,
        &type_of,
        opts.actor_variable,
    );
    let narrative_of_entity = add_narratives(&mut bundle, db.entities(vars.concept.id)?);

    let (documents, bad_dates) = db.documents()?;
    let source = source_of(&documents, &bundle);
    if bad_dates > 0 {
        warnings.push(format!(
            "{bad_dates} document(s) without a usable date: their statements are undated"
        ));
    }

    let rows = db.statement_rows(&vars, type_id, tables.integers)?;
    let refs = StanceRefs {
        actor_of_entity: &actor_of_entity,
        narrative_of_entity: &narrative_of_entity,
        documents: &documents,
        source: &source,
    };
    let counts = add_stances(&mut bundle, rows, &vars, &refs).map_err(|sid| DnaError::Read {
        path: path.to_path_buf(),
        message: format!("statement id {sid} appears twice; the database is damaged"),
    })?;
    counts.warn(opts.actor_variable, &mut warnings);
    Ok(DnaImport {
        bundle,
        warnings,
        skipped_empty: counts.skipped_empty,
        source,
    })
}

/// Phase 1: the file exists, is not a DNA 1 XML file, and opens read-only as SQLite.
fn open_database(path: &Path) -> Result<Connection, DnaError> {
    if !path.is_file() {
        return Err(DnaError::Open {
            path: path.to_path_buf(),
            message: if path.exists() {
                "not a file".to_string()
            } else {
                "no such file".to_string()
            },
        });
    }
    if let Ok(mut f) = std::fs::File::open(path) {
        use std::io::Read;
        let mut head = [0u8; 256];
        let n = f.read(&mut head).unwrap_or(0);
        let text = String::from_utf8_lossy(&head[..n]);
        let t = text.trim_start_matches('\u{feff}').trim_start();
        if t.starts_with("<?xml") || t.starts_with('<') {
            return Err(DnaError::NotDna {
                path: path.to_path_buf(),
                reason: "this is an XML file, as DNA 1 wrote them; DNA 1 files are not supported \
                         (Vertoog reads DNA 3 databases only)"
                    .to_string(),
            });
        }
    }
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| DnaError::Open {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// The optional tables a DNA 3 database may have.
struct Tables {
    /// `DATAINTEGER`: integer qualifiers.
    integers: bool,
    /// `ATTRIBUTEVARIABLES` and `ATTRIBUTEVALUES`: the entities' `Type` attribute.
    attributes: bool,
}

/// The statement type's variables the import uses.
struct StatementVariables {
    actor: Variable,
    concept: Variable,
    /// `agreement`, else the first boolean or integer variable; none: every position +1.
    qualifier: Option<Variable>,
}

/// One statement as the query returns it.
struct StatementRow {
    id: i64,
    document: Option<i64>,
    start: Option<i64>,
    stop: Option<i64>,
    actor_entity: Option<i64>,
    concept_entity: Option<i64>,
    boolean: Option<i64>,
    integer: Option<i64>,
}

/// A document: title, date, text (UTF-16, for quotes).
struct Document {
    title: String,
    date: Option<Date>,
    text: Vec<u16>,
}

/// An open database and its path (for the errors).
struct Db<'p> {
    conn: Connection,
    path: &'p Path,
}

impl Db<'_> {
    fn read_err(&self, e: rusqlite::Error) -> DnaError {
        DnaError::Read {
            path: self.path.to_path_buf(),
            message: e.to_string(),
        }
    }

    /// `(id, text)` pairs of a query with one parameter.
    fn id_text_pairs(&self, sql: &str, param: i64) -> Result<Vec<(i64, String)>, DnaError> {
        self.conn
            .prepare(sql)
            .and_then(|mut stmt| {
                stmt.query_map([param], |r| {
                    Ok((
                        int_at(r, 0)?.unwrap_or(0),
                        without_controls(&text_at(r, 1)?.unwrap_or_default(), false),
                    ))
                })?
                .collect()
            })
            .map_err(|e| self.read_err(e))
    }

    /// Phase 2: is it SQLite, and does it have DNA's tables?
    fn tables(&self) -> Result<Tables, DnaError> {
        let path = self.path;
        let tables: HashSet<String> = {
            let result = self
                .conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
                .and_then(|mut stmt| {
                    stmt.query_map([], |r| text_at(r, 0))?
                        .collect::<rusqlite::Result<Vec<Option<String>>>>()
                });
            match result {
                Ok(names) => names
                    .into_iter()
                    .flatten()
                    .map(|n| n.to_uppercase())
                    .collect(),
                Err(e) => {
                    let not_db = matches!(
                        &e,
                        rusqlite::Error::SqliteFailure(f, _)
                            if f.code == rusqlite::ErrorCode::NotADatabase
                    );
                    return Err(if not_db {
                        DnaError::NotDna {
                            path: path.to_path_buf(),
                            reason: "the file is not a SQLite database".to_string(),
                        }
                    } else {
                        self.read_err(e)
                    });
                }
            }
        };
        let missing: Vec<&str> = REQUIRED_TABLES
            .iter()
            .copied()
            .filter(|t| !tables.contains(*t))
            .collect();
        if !missing.is_empty() {
            return Err(DnaError::NotDna {
                path: path.to_path_buf(),
                reason: if tables.is_empty() {
                    "the file is an empty SQLite database".to_string()
                } else if tables.contains("STATEMENTS") && tables.contains("DOCUMENTS") {
                    format!(
                        "this looks like a DNA 2 database (it lacks DNA 3's tables {}); Vertoog reads \
                         DNA 3 databases only, and DNA 3 cannot open DNA 2 files either: create \
                         a new database in DNA 3, import this file's documents into it with the \
                         import function of DNA 3's Document menu, and import that database here",
                        missing.join(", ")
                    )
                } else {
                    format!(
                        "a SQLite database without DNA 3's tables (missing: {})",
                        missing.join(", ")
                    )
                },
            });
        }
        Ok(Tables {
            integers: tables.contains("DATAINTEGER"),
            attributes: tables.contains("ATTRIBUTEVARIABLES") && tables.contains("ATTRIBUTEVALUES"),
        })
    }

    /// Phase 3: the id of the statement type `opts.statement_type`.
    fn statement_type(&self, opts: &DnaOptions) -> Result<i64, DnaError> {
        let types: Vec<(i64, String)> = self
            .conn
            .prepare("SELECT ID, Label FROM STATEMENTTYPES ORDER BY ID")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| {
                    Ok((
                        int_at(r, 0)?.unwrap_or(0),
                        text_at(r, 1)?.unwrap_or_default(),
                    ))
                })?
                .collect()
            })
            .map_err(|e| self.read_err(e))?;
        match types.iter().find(|(_, l)| l == &opts.statement_type) {
            Some(&(type_id, _)) => Ok(type_id),
            None => Err(DnaError::UnknownStatementType {
                path: self.path.to_path_buf(),
                requested: opts.statement_type.clone(),
                available: types.into_iter().map(|(_, l)| l).collect(),
            }),
        }
    }

    /// Phase 4: the statement type's actor, concept and qualifier variables; a warning when
    /// the qualifier is not `agreement` or there is none.
    fn variables(
        &self,
        type_id: i64,
        opts: &DnaOptions,
        has_integers: bool,
        warnings: &mut Vec<String>,
    ) -> Result<StatementVariables, DnaError> {
        let variables: Vec<Variable> = self
            .conn
            .prepare(
                "SELECT ID, Variable, DataType FROM VARIABLES WHERE StatementTypeId = ?1 ORDER BY ID",
            )
            .and_then(|mut stmt| {
                stmt.query_map([type_id], |r| {
                    Ok(Variable {
                        id: int_at(r, 0)?.unwrap_or(0),
                        name: text_at(r, 1)?.unwrap_or_default(),
                        data_type: text_at(r, 2)?.unwrap_or_default().to_ascii_lowercase(),
                    })
                })?
                .collect()
            })
            .map_err(|e| self.read_err(e))?;
        let find_var = |names: &[&str]| {
            variables.iter().find(|v| {
                v.data_type == "short text"
                    && names.iter().any(|n| v.name.trim().eq_ignore_ascii_case(n))
            })
        };
        let missing_var = |variable: &str| DnaError::MissingVariable {
            path: self.path.to_path_buf(),
            statement_type: opts.statement_type.clone(),
            variable: variable.to_string(),
            available: variables.iter().map(|v| v.name.clone()).collect(),
        };
        let actor_names: &[&str] = match opts.actor_variable {
            DnaActor::Organization => &["organization", "organisation"],
            DnaActor::Person => &["person"],
        };
        let actor =
            find_var(actor_names).ok_or_else(|| missing_var(opts.actor_variable.variable()))?;
        let concept = find_var(&["concept"]).ok_or_else(|| missing_var("concept"))?;

        let qualifiers: Vec<&Variable> = variables
            .iter()
            .filter(|v| v.data_type == "boolean" || (v.data_type == "integer" && has_integers))
            .collect();
        let qualifier = qualifiers
            .iter()
            .find(|v| v.name.trim().eq_ignore_ascii_case("agreement"))
            .or_else(|| qualifiers.first())
            .copied();
        match qualifier {
            None => warnings.push(format!(
                "statement type `{}` has no boolean or integer qualifier variable: every stance gets position +1",
                opts.statement_type
            )),
            Some(q) if !q.name.trim().eq_ignore_ascii_case("agreement") => warnings.push(format!(
                "statement type `{}` has no variable `agreement`; `{}` ({}) is used as the qualifier",
                opts.statement_type, q.name, q.data_type
            )),
            Some(_) => {}
        }
        Ok(StatementVariables {
            actor: actor.clone(),
            concept: concept.clone(),
            qualifier: qualifier.cloned(),
        })
    }

    /// The `Type` attribute of the actor variable's entities: entity id → type.
    fn actor_types(&self, actor_var: i64) -> Result<HashMap<i64, String>, DnaError> {
        Ok(self
            .id_text_pairs(
                "SELECT av.EntityId, av.AttributeValue FROM ATTRIBUTEVALUES av \
                 JOIN ATTRIBUTEVARIABLES a ON av.AttributeVariableId = a.ID \
                 WHERE a.AttributeVariable = 'Type' AND a.VariableId = ?1",
                actor_var,
            )?
            .into_iter()
            .collect())
    }

    /// The entity values of a variable, `(entity id, value)` in id order.
    fn entities(&self, var: i64) -> Result<Vec<(i64, String)>, DnaError> {
        self.id_text_pairs(
            "SELECT ID, Value FROM ENTITIES WHERE VariableId = ?1 ORDER BY ID",
            var,
        )
    }

    /// Phase 6: the documents by id, and how many have no usable date.
    fn documents(&self) -> Result<(HashMap<i64, Document>, usize), DnaError> {
        let mut bad_dates = 0usize;
        let documents = self
            .conn
            .prepare("SELECT ID, Title, Date, Text FROM DOCUMENTS")
            .and_then(|mut stmt| {
                stmt.query_map([], |r| {
                    Ok((
                        int_at(r, 0)?.unwrap_or(0),
                        text_at(r, 1)?.unwrap_or_default(),
                        int_at(r, 2)?,
                        text_at(r, 3)?.unwrap_or_default(),
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .map_err(|e| self.read_err(e))?
            .into_iter()
            .map(|(id, title, date, text)| {
                let parsed = date.and_then(date_of_epoch);
                if parsed.is_none() {
                    bad_dates += 1;
                }
                (
                    id,
                    Document {
                        title: without_controls(&title, false).trim().to_string(),
                        date: parsed,
                        text: text.encode_utf16().collect(),
                    },
                )
            })
            .collect();
        Ok((documents, bad_dates))
    }

    /// Phase 7: the statements of the statement type with their actor and concept entities
    /// and qualifier values, in id order.
    fn statement_rows(
        &self,
        vars: &StatementVariables,
        type_id: i64,
        has_integers: bool,
    ) -> Result<Vec<StatementRow>, DnaError> {
        let qualifier_id = vars.qualifier.as_ref().map(|q| q.id).unwrap_or(-1);
        let integer_join = if has_integers {
            "LEFT JOIN DATAINTEGER qi ON qi.StatementId = s.ID AND qi.VariableId = ?3"
        } else {
            ""
        };
        let integer_col = if has_integers { "qi.Value" } else { "NULL" };
        let sql = format!(
            "SELECT s.ID, s.DocumentId, s.Start, s.Stop, da.Entity, dc.Entity, qb.Value, {integer_col} \
             FROM STATEMENTS s \
             LEFT JOIN DATASHORTTEXT da ON da.StatementId = s.ID AND da.VariableId = ?1 \
             LEFT JOIN DATASHORTTEXT dc ON dc.StatementId = s.ID AND dc.VariableId = ?2 \
             LEFT JOIN DATABOOLEAN qb ON qb.StatementId = s.ID AND qb.VariableId = ?3 \
             {integer_join} \
             WHERE s.StatementTypeId = ?4 ORDER BY s.ID"
        );
        self.conn
            .prepare(&sql)
            .and_then(|mut stmt| {
                stmt.query_map(
                    [vars.actor.id, vars.concept.id, qualifier_id, type_id],
                    |r| {
                        Ok(StatementRow {
                            id: int_at(r, 0)?.unwrap_or(0),
                            document: int_at(r, 1)?,
                            start: int_at(r, 2)?,
                            stop: int_at(r, 3)?,
                            actor_entity: int_at(r, 4)?,
                            concept_entity: int_at(r, 5)?,
                            boolean: int_at(r, 6)?,
                            integer: int_at(r, 7)?,
                        })
                    },
                )?
                .collect()
            })
            .map_err(|e| self.read_err(e))
    }
}

/// Phase 5a: one actor per distinct non-empty (trimmed) value, in entity order; returns
/// entity id → actor id.
fn add_actors(
    bundle: &mut Bundle,
    entities: Vec<(i64, String)>,
    type_of: &HashMap<i64, String>,
    variable: DnaActor,
) -> HashMap<i64, String> {
    let mut actor_ids: HashSet<String> = HashSet::new();
    let mut actor_by_name: HashMap<String, String> = HashMap::new();
    let mut actor_of_entity: HashMap<i64, String> = HashMap::new();
    for (entity, value) in entities {
        let name = value.trim();
        if name.is_empty() {
            continue;
        }
        let id = match actor_by_name.get(name) {
            Some(id) => id.clone(),
            None => {
                let id = unique_slug(name, |s| actor_ids.contains(s));
                actor_ids.insert(id.clone());
                actor_by_name.insert(name.to_string(), id.clone());
                let mut actor = Actor::new(id.clone(), name);
                if variable == DnaActor::Person {
                    actor.kind = ActorKind::Person;
                }
                if let Some(t) = type_of
                    .get(&entity)
                    .map(|t| t.trim())
                    .filter(|t| !t.is_empty())
                {
                    actor.domain = domain_of_type(t).to_string();
                    actor.tags.push(t.to_string());
                }
                bundle.actors.push(actor);
                id
            }
        };
        actor_of_entity.insert(entity, id);
    }
    actor_of_entity
}

/// Phase 5b: one narrative per distinct non-empty (trimmed) concept value; returns entity
/// id → narrative id.
fn add_narratives(bundle: &mut Bundle, entities: Vec<(i64, String)>) -> HashMap<i64, String> {
    let mut narrative_ids: HashSet<String> = HashSet::new();
    let mut narrative_by_label: HashMap<String, String> = HashMap::new();
    let mut narrative_of_entity: HashMap<i64, String> = HashMap::new();
    for (entity, value) in entities {
        let label = value.trim();
        if label.is_empty() {
            continue;
        }
        let id = match narrative_by_label.get(label) {
            Some(id) => id.clone(),
            None => {
                let id = unique_slug(label, |s| narrative_ids.contains(s));
                narrative_ids.insert(id.clone());
                narrative_by_label.insert(label.to_string(), id.clone());
                bundle
                    .narratives
                    .push(Narrative::new(id.clone(), label, false));
                id
            }
        };
        narrative_of_entity.insert(entity, id);
    }
    narrative_of_entity
}

/// Phase 6b: the database's identity (module documentation): a hash of its first document,
/// else of its actors' names and narratives' labels.
fn source_of(documents: &HashMap<i64, Document>, bundle: &Bundle) -> String {
    let mut fnv = Fnv::new();
    match documents.keys().min().and_then(|id| documents.get(id)) {
        Some(d) => {
            fnv.bytes(b"doc");
            fnv.bytes(d.title.as_bytes());
            fnv.bytes(format!("{:?}", d.date).as_bytes());
            let text: Vec<u8> = d.text.iter().flat_map(|u| u.to_le_bytes()).collect();
            fnv.bytes(&text);
        }
        None => {
            fnv.bytes(b"nodoc");
            for a in &bundle.actors {
                fnv.bytes(a.name.as_bytes());
            }
            for n in &bundle.narratives {
                fnv.bytes(n.label.as_bytes());
            }
        }
    }
    fnv.hex8()
}

/// What a statement refers to: the actors and narratives made of its entities, the
/// documents, and the database's identity.
struct StanceRefs<'a> {
    actor_of_entity: &'a HashMap<i64, String>,
    narrative_of_entity: &'a HashMap<i64, String>,
    documents: &'a HashMap<i64, Document>,
    source: &'a str,
}

/// The statements [`add_stances`] left out or changed, for the warnings.
#[derive(Default)]
struct StanceCounts {
    skipped_empty: usize,
    no_qualifier: Vec<i64>,
    no_document: usize,
    clamped: Vec<String>,
}

impl StanceCounts {
    /// The warnings, in a fixed order.
    fn warn(&self, variable: DnaActor, warnings: &mut Vec<String>) {
        if !self.clamped.is_empty() {
            warnings.push(format!(
                "{} qualifier value(s) outside -2..2 clamped: {}",
                self.clamped.len(),
                self.clamped.join(", ")
            ));
        }
        if !self.no_qualifier.is_empty() {
            let ids: Vec<String> = self.no_qualifier.iter().map(|s| format!("s{s}")).collect();
            warnings.push(format!(
                "{} statement(s) without a qualifier value skipped: {}",
                ids.len(),
                ids.join(", ")
            ));
        }
        if self.no_document > 0 {
            warnings.push(format!(
                "{} statement(s) without a document: imported undated and without source",
                self.no_document
            ));
        }
        if self.skipped_empty > 0 {
            warnings.push(format!(
                "{} statement(s) with an empty {} or concept skipped",
                self.skipped_empty,
                variable.variable()
            ));
        }
    }
}

/// Phase 8: one stance per statement with an actor, a concept and a qualifier value. Err
/// with the statement id when a statement id appears twice (a damaged database).
fn add_stances(
    bundle: &mut Bundle,
    rows: Vec<StatementRow>,
    vars: &StatementVariables,
    refs: &StanceRefs<'_>,
) -> Result<StanceCounts, i64> {
    let qualifier = vars.qualifier.as_ref();
    let qualifier_is_bool = qualifier.is_some_and(|q| q.data_type == "boolean");
    let mut counts = StanceCounts::default();
    let mut seen_statements = HashSet::new();
    for row in rows {
        let sid = row.id;
        let actor = row.actor_entity.and_then(|e| refs.actor_of_entity.get(&e));
        let narrative = row
            .concept_entity
            .and_then(|e| refs.narrative_of_entity.get(&e));
        let (Some(actor), Some(narrative)) = (actor, narrative) else {
            counts.skipped_empty += 1;
            continue;
        };
        let position: i8 = match qualifier {
            None => 1,
            Some(_) if qualifier_is_bool => match row.boolean {
                Some(v) if v != 0 => 1,
                Some(_) => -1,
                None => {
                    counts.no_qualifier.push(sid);
                    continue;
                }
            },
            Some(_) => match row.integer {
                Some(v) => {
                    let c = v.clamp(-2, 2);
                    if c != v {
                        counts.clamped.push(format!("s{sid}: {v} → {c}"));
                    }
                    c as i8
                }
                None => {
                    counts.no_qualifier.push(sid);
                    continue;
                }
            },
        };
        if !seen_statements.insert(sid) {
            return Err(sid);
        }
        let mut stance = Stance::new(
            format!("dna-{}-s{sid}", refs.source),
            actor.clone(),
            narrative.clone(),
            position,
        );
        match row.document.and_then(|d| refs.documents.get(&d)) {
            Some(d) => {
                stance.date = d.date;
                stance.source = d.title.clone();
                stance.quote = quote_of(&d.text, row.start, row.stop);
            }
            None => counts.no_document += 1,
        }
        bundle.stances.push(stance);
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vertoog_analysis::dna::polarization::polarization;
    use vertoog_analysis::dna::{
        network, statements_from_bundle, Aggregation, NetworkOptions, Normalization,
    };

    const SAMPLE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/dna-sample/sample.dna"
    );

    fn sample() -> DnaImport {
        read_dna(Path::new(SAMPLE), &DnaOptions::default()).unwrap()
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// A writable copy of the sample in a temporary directory.
    /// The source part of the stance ids of a DNA import.
    fn imp_source(b: &Bundle) -> String {
        let id = &b.stances[0].id;
        id.strip_prefix("dna-")
            .unwrap()
            .split('-')
            .next()
            .unwrap()
            .to_string()
    }

    #[test]
    fn xml_files_are_dna_1_and_sources_differ() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("old.dna");
        std::fs::write(&p, "<?xml version=\"1.0\"?>\n<dna><article/></dna>\n").unwrap();
        let e = read_dna(&p, &DnaOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("DNA 1 files are not supported"), "{e}");
        // A DNA 2-like SQLite file: documents and statements, but not DNA 3's tables.
        let p2 = dir.path().join("v2.dna");
        let c = Connection::open(&p2).unwrap();
        c.execute_batch("CREATE TABLE DOCUMENTS (ID INTEGER); CREATE TABLE STATEMENTS (ID INTEGER); CREATE TABLE SETTINGS (Property TEXT);").unwrap();
        drop(c);
        let e = read_dna(&p2, &DnaOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("DNA 2 database") && e.contains("DNA 3 cannot open DNA 2 files"),
            "{e}"
        );
        // The same database twice: the same ids; another first document: other ids.
        let a = copy_sample(&dir);
        let first = read_dna(&a, &DnaOptions::default()).unwrap();
        let renamed = dir.path().join("renamed.dna");
        std::fs::copy(&a, &renamed).unwrap();
        let again = read_dna(&renamed, &DnaOptions::default()).unwrap();
        assert_eq!(first.source, again.source);
        assert_eq!(first.bundle.stances, again.bundle.stances);
        let c = Connection::open(&renamed).unwrap();
        c.execute("UPDATE DOCUMENTS SET Title = 'Another study' WHERE ID = (SELECT MIN(ID) FROM DOCUMENTS)", []).unwrap();
        drop(c);
        let other = read_dna(&renamed, &DnaOptions::default()).unwrap();
        assert_ne!(first.source, other.source);
        let ids: HashSet<&str> = first.bundle.stances.iter().map(|s| s.id.as_str()).collect();
        assert!(other
            .bundle
            .stances
            .iter()
            .all(|s| !ids.contains(s.id.as_str())));
    }

    fn copy_sample(dir: &tempfile::TempDir) -> PathBuf {
        let p = dir.path().join("copy.dna");
        std::fs::copy(SAMPLE, &p).unwrap();
        p
    }

    #[test]
    fn sample_actors_narratives_stances() {
        let imp = sample();
        let b = &imp.bundle;
        assert!(b.validate().is_empty(), "{:?}", b.validate());
        assert_eq!(imp.skipped_empty, 0);
        assert!(imp.warnings.is_empty(), "{:?}", imp.warnings);
        assert_eq!(b.map.id, "sample");
        assert_eq!(b.actors.len(), 7);
        assert_eq!(b.narratives.len(), 6);
        assert_eq!(b.stances.len(), 40);
        let plus = b.stances.iter().filter(|s| s.position == 1).count();
        let minus = b.stances.iter().filter(|s| s.position == -1).count();
        assert_eq!((plus, minus), (29, 11));
        let asa = b
            .actors
            .iter()
            .find(|a| a.name == "Alliance to Save Energy")
            .unwrap();
        assert_eq!(asa.id, "alliance-to-save-energy");
        assert_eq!(asa.domain, "civil-society");
        assert_eq!(asa.tags, vec!["NGO"]);
        assert_eq!(asa.kind, ActorKind::Organisation);
        let senate = b.actors.iter().find(|a| a.name == "Senate").unwrap();
        assert_eq!(
            (senate.domain.as_str(), senate.tags[0].as_str()),
            ("ministry", "Government")
        );
        let eea = b
            .actors
            .iter()
            .find(|a| a.name == "Energy and Environmental Analysis, Inc.")
            .unwrap();
        assert_eq!(
            (eea.id.as_str(), eea.domain.as_str()),
            ("energy-and-environmental-analysis-inc", "business")
        );
        let n = &b.narratives[0];
        assert_eq!(
            (n.id.as_str(), n.label.as_str()),
            (
                "co2-legislation-will-not-hurt-the-economy",
                "CO2 legislation will not hurt the economy."
            )
        );
        // statement 1: Joel Bluestein / EEA, concept "CO2 legislation will not hurt the
        // economy.", agreement 0, document 1 (1106697600 s = 2005-01-26 UTC).
        let s1 = &b.stances[0];
        assert_eq!(s1.id, format!("dna-{}-s1", imp_source(b)));
        assert_eq!(s1.actor, eea.id);
        assert_eq!(s1.narrative, n.id);
        assert_eq!(s1.position, -1);
        assert_eq!(s1.date, Some(d("2005-01-26")));
        assert_eq!(s1.source, "109-876: Bluestein, Joel-BUS-Y");
        assert!(!s1.quote.is_empty());
        let last = b.stances.last().unwrap();
        assert_eq!(last.date, Some(d("2005-02-16")));
    }

    #[test]
    fn sample_persons() {
        let opts = DnaOptions {
            actor_variable: DnaActor::Person,
            ..Default::default()
        };
        let imp = read_dna(Path::new(SAMPLE), &opts).unwrap();
        let b = &imp.bundle;
        assert!(b.validate().is_empty(), "{:?}", b.validate());
        assert_eq!(b.actors.len(), 7);
        assert!(b.actors.iter().all(|a| a.kind == ActorKind::Person));
        let gv = b
            .actors
            .iter()
            .find(|a| a.name == "George Voinovich")
            .unwrap();
        assert_eq!(
            (gv.domain.as_str(), gv.tags[0].as_str()),
            ("other", "Congress-Republican")
        );
        assert_eq!(b.stances.len(), 40);
    }

    fn sample_statements() -> Vec<vertoog_analysis::dna::Statement> {
        statements_from_bundle(&sample().bundle)
    }

    #[test]
    fn dna_check_two_mode_ignore() {
        let r = network(&sample_statements(), &NetworkOptions::default()).unwrap();
        assert_eq!((r.rows.len(), r.columns.len()), (7, 6));
        assert_eq!(r.statements, 40);
        let sum: f64 = r.matrix.iter().flatten().sum();
        assert_eq!(sum, 40.0);
        assert_eq!(r.rows[0], "Alliance to Save Energy");
        assert_eq!(r.columns[0], "CO2 legislation will not hurt the economy.");
        let row = r
            .rows
            .iter()
            .position(|x| x == "Energy and Environmental Analysis, Inc.")
            .unwrap();
        assert_eq!(&r.matrix[row][..2], &[2.0, 0.0]);
        assert_eq!(r.matrix.iter().flatten().filter(|v| **v != 0.0).count(), 22);
    }

    #[test]
    fn dna_check_one_mode_ignore() {
        let opts = NetworkOptions::one_mode(Aggregation::Ignore, Normalization::No);
        let r = network(&sample_statements(), &opts).unwrap();
        assert_eq!((r.rows.len(), r.columns.len()), (7, 7));
        let sum: f64 = r.matrix.iter().flatten().sum();
        assert_eq!(sum, 276.0);
        let row = r
            .rows
            .iter()
            .position(|x| x == "Environmental Protection Agency")
            .unwrap();
        assert_eq!(&r.matrix[row][..2], &[10.0, 2.0]);
        // non-zero pairs: each unordered pair once (the matrix has 42 non-zero cells)
        let cells = r.matrix.iter().flatten().filter(|v| **v != 0.0).count();
        assert_eq!(cells / 2, 21);
    }

    #[test]
    fn dna_check_congruence_average() {
        let opts = NetworkOptions::one_mode(Aggregation::Congruence, Normalization::Average);
        let r = network(&sample_statements(), &opts).unwrap();
        let sum: f64 = r.matrix.iter().flatten().sum();
        assert_eq!(sum.round(), 26.0);
    }

    #[test]
    fn dna_check_polarization() {
        let p = polarization(&sample_statements(), 2, 12345, None, None).unwrap();
        assert!(p.exact);
        assert!(
            (p.polarization - 0.5342493).abs() < 1e-6,
            "{}",
            p.polarization
        );
        assert_eq!(p.partition.len(), 7);
        assert_eq!(p.partition["Alliance to Save Energy"], 0);
        let sizes = p.partition.values().filter(|&&c| c == 0).count();
        assert!(sizes == 3 || sizes == 4);
    }

    #[test]
    fn unknown_statement_type_lists_the_types() {
        let opts = DnaOptions {
            statement_type: "Nope".into(),
            ..Default::default()
        };
        let e = read_dna(Path::new(SAMPLE), &opts).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.ends_with(
                "statement type `Nope` does not exist; the statement types present are: \
                 `DNA Statement`, `NPF Story Element`, `Annotation`"
            ),
            "{msg}"
        );
    }

    #[test]
    fn statement_type_without_the_variables() {
        let opts = DnaOptions {
            statement_type: "Annotation".into(),
            ..Default::default()
        };
        let e = read_dna(Path::new(SAMPLE), &opts).unwrap_err();
        assert!(matches!(e, DnaError::MissingVariable { .. }));
        assert!(
            e.to_string()
                .contains("has no variable `organization`; its variables are: `note`"),
            "{e}"
        );
    }

    #[test]
    fn files_that_are_not_dna() {
        let dir = tempfile::tempdir().unwrap();
        // not SQLite
        let p = dir.path().join("text.dna");
        std::fs::write(&p, "id,name\na,A\n".repeat(100)).unwrap();
        let e = read_dna(&p, &DnaOptions::default()).unwrap_err();
        assert!(matches!(e, DnaError::NotDna { .. }), "{e:?}");
        assert!(e.to_string().contains("not a SQLite database"), "{e}");
        // empty file
        let p = dir.path().join("empty.dna");
        std::fs::write(&p, "").unwrap();
        let e = read_dna(&p, &DnaOptions::default()).unwrap_err();
        assert!(matches!(e, DnaError::NotDna { .. }), "{e:?}");
        // SQLite, other tables
        let p = dir.path().join("other.sqlite");
        let c = Connection::open(&p).unwrap();
        c.execute_batch("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1);")
            .unwrap();
        drop(c);
        let e = read_dna(&p, &DnaOptions::default()).unwrap_err();
        assert!(e.to_string().contains("missing: STATEMENTTYPES"), "{e}");
        // missing file, directory
        let e = read_dna(&dir.path().join("nope.dna"), &DnaOptions::default()).unwrap_err();
        assert!(e.to_string().contains("no such file"), "{e}");
        let e = read_dna(dir.path(), &DnaOptions::default()).unwrap_err();
        assert!(matches!(e, DnaError::Open { .. }));
        // the missing file was not created
        assert!(!dir.path().join("nope.dna").exists());
        // random bytes with a SQLite header do not panic
        let p = dir.path().join("broken.dna");
        let mut bytes = std::fs::read(SAMPLE).unwrap();
        bytes.truncate(5000);
        for (i, b) in bytes.iter_mut().enumerate().skip(100) {
            *b = (i * 7919 % 251) as u8;
        }
        std::fs::write(&p, bytes).unwrap();
        assert!(read_dna(&p, &DnaOptions::default()).is_err());
    }

    #[test]
    fn empty_entities_are_skipped_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let p = copy_sample(&dir);
        let c = Connection::open(&p).unwrap();
        // statement 100 uses the empty organisation (entity 16), 101 the empty concept (17)
        c.execute_batch(
            "INSERT INTO STATEMENTS (ID, StatementTypeId, DocumentId, Start, Stop, Coder) VALUES (100, 1, 1, 0, 5, 2);
             INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) VALUES (100, 2, 16), (100, 3, 18), (100, 1, 2);
             INSERT INTO DATABOOLEAN (StatementId, VariableId, Value) VALUES (100, 4, 1);
             INSERT INTO STATEMENTS (ID, StatementTypeId, DocumentId, Start, Stop, Coder) VALUES (101, 1, 1, 0, 5, 2);
             INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) VALUES (101, 2, 9), (101, 3, 17), (101, 1, 2);
             INSERT INTO DATABOOLEAN (StatementId, VariableId, Value) VALUES (101, 4, 1);
             INSERT INTO STATEMENTS (ID, StatementTypeId, DocumentId, Start, Stop, Coder) VALUES (102, 1, 1, 0, 5, 2);
             INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) VALUES (102, 2, 9), (102, 3, 18), (102, 1, 2);",
        )
        .unwrap();
        drop(c);
        let imp = read_dna(&p, &DnaOptions::default()).unwrap();
        assert_eq!(imp.skipped_empty, 2);
        assert_eq!(imp.bundle.stances.len(), 40);
        assert_eq!(imp.bundle.actors.len(), 7);
        assert!(
            imp.warnings
                .iter()
                .any(|w| w.contains("2 statement(s) with an empty organization")),
            "{:?}",
            imp.warnings
        );
        assert!(
            imp.warnings
                .iter()
                .any(|w| w.contains("without a qualifier value skipped: s102")),
            "{:?}",
            imp.warnings
        );
    }

    #[test]
    fn integer_qualifiers_are_clamped_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let p = copy_sample(&dir);
        let c = Connection::open(&p).unwrap();
        c.execute_batch(
            "INSERT INTO STATEMENTTYPES (ID, Label) VALUES (9, 'Scaled');
             INSERT INTO VARIABLES (ID, Variable, DataType, StatementTypeId) VALUES
                (90, 'organization', 'short text', 9), (91, 'concept', 'short text', 9),
                (92, 'intensity', 'integer', 9);
             INSERT INTO ENTITIES (ID, VariableId, Value) VALUES (900, 90, ' Padded Org '), (901, 91, 'Topic');
             INSERT INTO DOCUMENTS (ID, Title, Text, Coder, Date) VALUES (50, 'Doc', 'héllo 🌍 world', 2, -86400);",
        )
        .unwrap();
        for (sid, v) in [(200, 5), (201, -1), (202, 0), (203, -7)] {
            c.execute(
                "INSERT INTO STATEMENTS (ID, StatementTypeId, DocumentId, Start, Stop, Coder) VALUES (?1, 9, 50, 6, 14, 2)",
                [sid],
            )
            .unwrap();
            c.execute(
                "INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) VALUES (?1, 90, 900), (?1, 91, 901)",
                [sid],
            )
            .unwrap();
            c.execute(
                "INSERT INTO DATAINTEGER (StatementId, VariableId, Value) VALUES (?1, 92, ?2)",
                [sid, v],
            )
            .unwrap();
        }
        drop(c);
        let opts = DnaOptions {
            statement_type: "Scaled".into(),
            ..Default::default()
        };
        let imp = read_dna(&p, &opts).unwrap();
        let b = &imp.bundle;
        assert!(b.validate().is_empty(), "{:?}", b.validate());
        let pos: Vec<i8> = b.stances.iter().map(|s| s.position).collect();
        assert_eq!(pos, vec![2, -1, 0, -2]);
        assert_eq!(b.actors[0].name, "Padded Org");
        assert_eq!(b.actors[0].domain, "other");
        assert!(b.actors[0].tags.is_empty());
        // 1969-12-31 (one day before the epoch)
        assert_eq!(b.stances[0].date, Some(d("1969-12-31")));
        // UTF-16 offsets 6..14: "🌍 world" (the globe is two code units)
        assert_eq!(b.stances[0].quote, "🌍 world");
        assert!(
            imp.warnings
                .iter()
                .any(|w| w.contains("`intensity` (integer) is used as the qualifier")),
            "{:?}",
            imp.warnings
        );
        assert!(
            imp.warnings
                .iter()
                .any(|w| w
                    == "2 qualifier value(s) outside -2..2 clamped: s200: 5 → 2, s203: -7 → -2"),
            "{:?}",
            imp.warnings
        );
    }

    #[test]
    fn epoch_dates() {
        assert_eq!(date_of_epoch(0), Some(d("1970-01-01")));
        assert_eq!(date_of_epoch(1_106_697_600), Some(d("2005-01-26")));
        assert_eq!(date_of_epoch(1_106_697_599), Some(d("2005-01-25")));
        assert_eq!(date_of_epoch(1_106_697_600_000), Some(d("2005-01-26")));
        assert_eq!(date_of_epoch(i64::MAX), None);
    }

    #[test]
    fn type_to_domain() {
        assert_eq!(domain_of_type("Government"), "ministry");
        assert_eq!(domain_of_type("business"), "business");
        assert_eq!(domain_of_type("NGO"), "civil-society");
        assert_eq!(domain_of_type("Congress-Republican"), "other");
        assert_eq!(
            DnaActor::parse("Organisation"),
            Some(DnaActor::Organization)
        );
        assert_eq!(DnaActor::parse("person"), Some(DnaActor::Person));
        assert_eq!(DnaActor::parse("x"), None);
    }
}

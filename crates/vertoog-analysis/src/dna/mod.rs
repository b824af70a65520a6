//! Discourse networks as the Discourse Network Analyzer (DNA 3.1) computes them
//! (docs/method.md §13; the exact definitions are those of docs/method.md §13), and DNA's
//! polarization score in [`polarization`]. Separate from the signed discourse network of the
//! analysis ([`crate::discourse`]): this module uses nothing of the crate but [`crate::prng`].
//!
//! The input is a list of [`Statement`]s (one per stance: actor, narrative, position, date,
//! document). [`network`] returns a dense labelled matrix (what DNA exports), computed on sparse
//! structures: one-mode weights are accumulated only for pairs of actors that share a
//! narrative, by walking each narrative's statements, never by looping over all actor pairs.
//! [`network_sparse`] / [`network_edges`] return the same numbers as an edge list for maps
//! too large for a dense matrix (docs/method.md §14: above [`MAX_DENSE_ACTORS`] actors a
//! dense matrix is refused, see [`check_dense`]).
//!
//! Deviations from DNA, deliberate and documented (docs/method.md §13):
//! - duplicate removal by `month` and `week` compares the year as well (DNA compares only the
//!   month or week number); weeks are ISO weeks with their ISO year;
//! - with a single qualifier level (range R = 0) congruence is the plain product and conflict
//!   is 0 (DNA yields NaN);
//! - every zero denominator of a normalisation gives 0.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use chrono::Datelike;
use serde::{Deserialize, Serialize};
use vertoog_model::{Bundle, Date};

pub mod polarization;

/// Above this many actors a network is not built as a dense matrix (docs/method.md §14);
/// use [`network_sparse`] instead.
pub const MAX_DENSE_ACTORS: usize = 20_000;

/// One DNA statement: an actor's position on a narrative in a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// Used to order statements of the same date and document (natural order: `s2` < `s10`).
    pub id: String,
    /// The row label (an actor's name, or its id).
    pub actor: String,
    /// The column label (a narrative's label, or its id).
    pub narrative: String,
    /// The qualifier value (a stance's position, -2..2).
    pub position: i32,
    /// Undated statements are always inside the time window.
    pub date: Option<Date>,
    /// The document (a stance's `source`).
    pub document: String,
}

impl Statement {
    /// A statement without date and document.
    pub fn new(
        id: impl Into<String>,
        actor: impl Into<String>,
        narrative: impl Into<String>,
        position: i32,
    ) -> Self {
        Statement {
            id: id.into(),
            actor: actor.into(),
            narrative: narrative.into(),
            position,
            date: None,
            document: String::new(),
        }
    }

    /// The same statement with a date.
    pub fn dated(mut self, date: Date) -> Self {
        self.date = Some(date);
        self
    }

    /// The same statement with a document.
    pub fn in_document(mut self, document: impl Into<String>) -> Self {
        self.document = document.into();
        self
    }
}

/// The statements of a map, one per stance, labelled by actor *name* and narrative *label*
/// (DNA's node labels). A stance whose actor or narrative is missing from the bundle keeps
/// the id as its label. Document = the stance's `source`.
pub fn statements_from_bundle(b: &Bundle) -> Vec<Statement> {
    let actors: HashMap<&str, &str> = b
        .actors
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let narratives: HashMap<&str, &str> = b
        .narratives
        .iter()
        .map(|n| (n.id.as_str(), n.label.as_str()))
        .collect();
    b.stances
        .iter()
        .map(|s| Statement {
            id: s.id.clone(),
            actor: actors
                .get(s.actor.as_str())
                .copied()
                .unwrap_or(&s.actor)
                .to_string(),
            narrative: narratives
                .get(s.narrative.as_str())
                .copied()
                .unwrap_or(&s.narrative)
                .to_string(),
            position: i32::from(s.position),
            date: s.date,
            document: s.source.clone(),
        })
        .collect()
}

/// The statements of a map labelled by actor and narrative *ids* (unique by construction),
/// e.g. for a polarization partition keyed by actor id (docs/interfaces.md `polarization --json`).
pub fn statements_from_bundle_by_id(b: &Bundle) -> Vec<Statement> {
    b.stances
        .iter()
        .map(|s| Statement {
            id: s.id.clone(),
            actor: s.actor.clone(),
            narrative: s.narrative.clone(),
            position: i32::from(s.position),
            date: s.date,
            document: s.source.clone(),
        })
        .collect()
}

macro_rules! option_enum {
    ($(#[$m:meta])* $name:ident, $what:literal, { $($(#[$vm:meta])* $var:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name {
            $($(#[$vm])* $var),+
        }

        impl $name {
            /// Every value, in documented order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The option's name as the CLI and the API spell it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$var => $s),+
                }
            }

            /// Parses the CLI/API spelling (case-insensitive).
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim().to_ascii_lowercase();
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = NetworkError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s).ok_or_else(|| NetworkError::UnknownOption {
                    option: $what,
                    value: s.to_string(),
                    allowed: Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                })
            }
        }
    };
}

option_enum!(
    /// Two-mode (actor x narrative) or one-mode (actor x actor).
    NetworkMode, "mode", {
        #[default]
        TwoMode => "twomode",
        OneMode => "onemode",
    }
);

option_enum!(
    /// How the qualifier (position) enters the weights (docs/method.md §13).
    Aggregation, "aggregation", {
        #[default]
        Ignore => "ignore",
        Congruence => "congruence",
        Conflict => "conflict",
        Subtract => "subtract",
        Combine => "combine",
    }
);

option_enum!(
    /// Normalisation: `no`, `average`, `jaccard`, `cosine` (one-mode); `no`, `activity`,
    /// `prominence` (two-mode).
    Normalization, "normalization", {
        #[default]
        No => "no",
        Average => "average",
        Jaccard => "jaccard",
        Cosine => "cosine",
        Activity => "activity",
        Prominence => "prominence",
    }
);

option_enum!(
    /// Which repeated statements are dropped (docs/method.md §13, filtering step 3).
    Duplicates, "duplicates", {
        #[default]
        Include => "include",
        Document => "document",
        Week => "week",
        Month => "month",
        Year => "year",
        AcrossRange => "acrossrange",
    }
);

/// The options of a DNA network; the default is DNA's: two-mode, ignore, no, include, no
/// window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkOptions {
    pub mode: NetworkMode,
    pub aggregation: Aggregation,
    pub normalization: Normalization,
    pub duplicates: Duplicates,
    /// First day of the window (inclusive).
    pub from: Option<Date>,
    /// Last day of the window (inclusive).
    pub to: Option<Date>,
}

impl NetworkOptions {
    /// A one-mode network with the given aggregation and normalisation, duplicates included.
    pub fn one_mode(aggregation: Aggregation, normalization: Normalization) -> Self {
        NetworkOptions {
            mode: NetworkMode::OneMode,
            aggregation,
            normalization,
            ..Default::default()
        }
    }

    /// A two-mode network with the given aggregation and normalisation, duplicates included.
    pub fn two_mode(aggregation: Aggregation, normalization: Normalization) -> Self {
        NetworkOptions {
            mode: NetworkMode::TwoMode,
            aggregation,
            normalization,
            ..Default::default()
        }
    }

    /// Rejects the combinations DNA does not define: one-mode takes the aggregations
    /// ignore, congruence, conflict, subtract and the normalisations no, average, jaccard,
    /// cosine; two-mode takes ignore, subtract, combine and no, activity, prominence. Also
    /// rejects a window whose start is after its end.
    pub fn validate(&self) -> Result<(), NetworkError> {
        use Aggregation as A;
        use Normalization as N;
        let (aggs, norms): (&[A], &[N]) = match self.mode {
            NetworkMode::OneMode => (
                &[A::Ignore, A::Congruence, A::Conflict, A::Subtract],
                &[N::No, N::Average, N::Jaccard, N::Cosine],
            ),
            NetworkMode::TwoMode => (
                &[A::Ignore, A::Subtract, A::Combine],
                &[N::No, N::Activity, N::Prominence],
            ),
        };
        let list = |v: Vec<&str>| v.join(", ");
        if !aggs.contains(&self.aggregation) {
            return Err(NetworkError::InvalidCombination {
                mode: self.mode,
                option: "aggregation",
                value: self.aggregation.as_str().to_string(),
                allowed: list(aggs.iter().map(|a| a.as_str()).collect()),
            });
        }
        if !norms.contains(&self.normalization) {
            return Err(NetworkError::InvalidCombination {
                mode: self.mode,
                option: "normalization",
                value: self.normalization.as_str().to_string(),
                allowed: list(norms.iter().map(|a| a.as_str()).collect()),
            });
        }
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if f > t {
                return Err(NetworkError::InvalidWindow { from: f, to: t });
            }
        }
        Ok(())
    }
}

/// Why a network cannot be computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    /// A value that is not one of the option's names.
    #[error("unknown {option} `{value}`; expected one of: {allowed}")]
    UnknownOption {
        option: &'static str,
        value: String,
        allowed: String,
    },
    /// An aggregation or normalisation DNA does not define for the mode.
    #[error("{option} `{value}` is not defined for a {mode} network (as in DNA); {mode} takes: {allowed}")]
    InvalidCombination {
        mode: NetworkMode,
        option: &'static str,
        value: String,
        allowed: String,
    },
    /// `from` after `to`.
    #[error("the time window starts ({from}) after it ends ({to})")]
    InvalidWindow { from: Date, to: Date },
    /// Too many actors for a dense matrix (docs/method.md §14).
    #[error(
        "the network has {actors} actors, more than {limit}: a dense matrix (CSV) is refused; \
         write it as a sparse edge list (JSON or GraphML) instead"
    )]
    TooLargeForDense { actors: usize, limit: usize },
}

/// A dense labelled network: JSON `{"rows", "columns", "matrix", "statements"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkResult {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// `matrix[r][c]`, rows x columns.
    pub matrix: Vec<Vec<f64>>,
    /// The number of statements counted (after window and duplicate filtering).
    pub statements: usize,
}

/// A sparse labelled network: the non-zero cells as `(row, column, value)` index triples.
/// For a one-mode network (`symmetric`) each unordered pair appears once, with row < column,
/// and the diagonal is zero; for a two-mode network every non-zero cell appears. Edges are
/// sorted by (row, column).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SparseNetwork {
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub symmetric: bool,
    pub edges: Vec<(usize, usize, f64)>,
    pub statements: usize,
}

impl SparseNetwork {
    /// The dense matrix (both triangles for a one-mode network); refused above
    /// [`MAX_DENSE_ACTORS`] rows.
    pub fn to_dense(&self) -> Result<NetworkResult, NetworkError> {
        check_dense(self.rows.len())?;
        let mut matrix = vec![vec![0.0; self.columns.len()]; self.rows.len()];
        for &(r, c, v) in &self.edges {
            matrix[r][c] = v;
            if self.symmetric {
                matrix[c][r] = v;
            }
        }
        Ok(NetworkResult {
            rows: self.rows.clone(),
            columns: self.columns.clone(),
            matrix,
            statements: self.statements,
        })
    }
}

/// `Ok` when a network with `actors` rows may be written as a dense matrix (at most
/// [`MAX_DENSE_ACTORS`], docs/method.md §14), otherwise the error with the message for
/// the user.
pub fn check_dense(actors: usize) -> Result<(), NetworkError> {
    if actors > MAX_DENSE_ACTORS {
        Err(NetworkError::TooLargeForDense {
            actors,
            limit: MAX_DENSE_ACTORS,
        })
    } else {
        Ok(())
    }
}

/// The DNA network of `statements` as a dense matrix (docs/method.md §13; the formulas are at
/// [`network_sparse`]). Refused above [`MAX_DENSE_ACTORS`] actors.
pub fn network(
    statements: &[Statement],
    opts: &NetworkOptions,
) -> Result<NetworkResult, NetworkError> {
    opts.validate()?;
    let prepared = prepare(statements, opts);
    check_dense(prepared.rows.len())?;
    compute(prepared, opts).to_dense()
}

/// The non-zero cells of the network of [`network_sparse`], as (row, column, value).
pub fn network_edges(
    statements: &[Statement],
    opts: &NetworkOptions,
) -> Result<Vec<(usize, usize, f64)>, NetworkError> {
    Ok(network_sparse(statements, opts)?.edges)
}

/// The DNA network of `statements` (docs/method.md §13), sparse.
///
/// Filtering: statements dated inside [from, to] (undated always kept); sorted by date
/// (undated first), document, id; duplicates dropped as `opts.duplicates` says. Levels
/// q_1 < ... < q_L are the distinct positions in the window, R = q_L - q_1; A[i][j][k] counts
/// the kept statements of actor i on narrative j at level k; T_i = Σ_jk A[i][j][k].
///
/// One-mode (i != i'): ignore w = Σ_j (Σ_k A_ijk)(Σ_k' A_i'jk'); congruence
/// w = Σ_j Σ_kk' A_ijk A_i'jk' (1 - |q_k - q_k'|/R); conflict the same with |q_k - q_k'|/R;
/// subtract = congruence - conflict. Normalised by: average (T_i + T_i')/2; jaccard
/// m10 + m01 + m11 over the (j, k) cells; cosine T_i T_i'.
///
/// Two-mode: ignore Σ_k A_ijk; subtract Σ_k q_k A_ijk; combine Σ_{k: A_ijk > 0} 2^(L-k).
/// activity divides a row by T_i (ignore, subtract) or its number of non-zero cells
/// (combine); prominence divides a column by its statement count (ignore, subtract) or its
/// number of non-zero cells (combine).
pub fn network_sparse(
    statements: &[Statement],
    opts: &NetworkOptions,
) -> Result<SparseNetwork, NetworkError> {
    opts.validate()?;
    Ok(compute(prepare(statements, opts), opts))
}

/// Compares ids naturally: runs of digits by their numeric value, the rest byte-wise, so
/// `s2` < `s10`; equal-valued ids fall back to plain byte order.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let bytes = s.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let digit = bytes[start].is_ascii_digit();
            let mut end = start;
            while end < bytes.len() && bytes[end].is_ascii_digit() == digit {
                end += 1;
            }
            out.push((digit, &s[start..end]));
            start = end;
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(cb.iter()) {
        let ord = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            ((_, x), (_, y)) => x.cmp(y),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    ca.len().cmp(&cb.len()).then_with(|| a.cmp(b))
}

/// The period a statement falls in for duplicate removal; undated statements share one
/// period of their own.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum DedupPeriod<'a> {
    All,
    Document(&'a str),
    Year(Option<i32>),
    Month(Option<(i32, u32)>),
    Week(Option<(i32, u32)>),
}

fn period<'a>(s: &'a Statement, mode: Duplicates) -> DedupPeriod<'a> {
    match mode {
        Duplicates::Include | Duplicates::AcrossRange => DedupPeriod::All,
        Duplicates::Document => DedupPeriod::Document(&s.document),
        Duplicates::Year => DedupPeriod::Year(s.date.map(|d| d.year())),
        Duplicates::Month => DedupPeriod::Month(s.date.map(|d| (d.year(), d.month()))),
        Duplicates::Week => DedupPeriod::Week(s.date.map(|d| {
            let w = d.iso_week();
            (w.year(), w.week())
        })),
    }
}

/// One non-empty cell A[i][j][k] of the count cube.
#[derive(Clone, Copy, Debug)]
struct Cell {
    actor: usize,
    narrative: usize,
    level: usize,
    count: f64,
}

/// Labels, levels and the count cube after filtering (docs/method.md §13 steps 1-6).
struct CountCube {
    rows: Vec<String>,
    columns: Vec<String>,
    /// Distinct positions in the window, ascending.
    levels: Vec<i32>,
    /// Sorted by (narrative, actor, level).
    cells: Vec<Cell>,
    /// T_i.
    activity: Vec<f64>,
    kept: usize,
}

fn in_window(s: &Statement, from: Option<Date>, to: Option<Date>) -> bool {
    match s.date {
        None => true,
        Some(d) => from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t),
    }
}

fn prepare(statements: &[Statement], opts: &NetworkOptions) -> CountCube {
    // 1. window
    let mut window: Vec<&Statement> = statements
        .iter()
        .filter(|s| in_window(s, opts.from, opts.to))
        .collect();
    // 5. levels: every position in the window, before duplicate removal
    let levels: Vec<i32> = window
        .iter()
        .map(|s| s.position)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // 2. order: date (undated first), document, id
    window.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then_with(|| a.document.cmp(&b.document))
            .then_with(|| natural_cmp(&a.id, &b.id))
    });
    // 3. duplicates
    let kept: Vec<&Statement> = if opts.duplicates == Duplicates::Include {
        window
    } else {
        let with_position = opts.aggregation != Aggregation::Ignore;
        let mut seen: HashSet<(&str, &str, Option<i32>, DedupPeriod)> = HashSet::new();
        window
            .into_iter()
            .filter(|s| {
                seen.insert((
                    s.actor.as_str(),
                    s.narrative.as_str(),
                    with_position.then_some(s.position),
                    period(s, opts.duplicates),
                ))
            })
            .collect()
    };
    // 4. labels in byte order
    let rows: Vec<String> = kept
        .iter()
        .map(|s| s.actor.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(str::to_string)
        .collect();
    let columns: Vec<String> = kept
        .iter()
        .map(|s| s.narrative.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(str::to_string)
        .collect();
    let row_index: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.as_str(), i))
        .collect();
    let col_index: HashMap<&str, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let level_index: HashMap<i32, usize> =
        levels.iter().enumerate().map(|(k, &q)| (q, k)).collect();
    // 6. the count cube
    let mut counts: HashMap<(usize, usize, usize), f64> = HashMap::new();
    let mut activity = vec![0.0; rows.len()];
    for s in &kept {
        let i = row_index[s.actor.as_str()];
        let j = col_index[s.narrative.as_str()];
        let k = level_index[&s.position];
        *counts.entry((j, i, k)).or_insert(0.0) += 1.0;
        activity[i] += 1.0;
    }
    let mut cells: Vec<Cell> = counts
        .into_iter()
        .map(|((narrative, actor, level), count)| Cell {
            actor,
            narrative,
            level,
            count,
        })
        .collect();
    cells.sort_by_key(|c| (c.narrative, c.actor, c.level));
    CountCube {
        rows,
        columns,
        levels,
        cells,
        activity,
        kept: kept.len(),
    }
}

/// a / b, or 0 when b is 0.
fn ratio(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        0.0
    } else {
        a / b
    }
}

/// What one pair of actors accumulates over the narratives they share.
#[derive(Clone, Copy, Default)]
struct PairSums {
    ignore: f64,
    congruence: f64,
    conflict: f64,
    /// Σ over cells (j, k) where both have statements: A of the lower / higher actor index.
    shared_lo: f64,
    shared_hi: f64,
    /// Σ over cells where both have statements of A_i · A_i'.
    m11: f64,
}

fn compute(p: CountCube, opts: &NetworkOptions) -> SparseNetwork {
    let edges = match opts.mode {
        NetworkMode::OneMode => one_mode(&p, opts),
        NetworkMode::TwoMode => two_mode(&p, opts),
    };
    let columns = if opts.mode == NetworkMode::OneMode {
        p.rows.clone()
    } else {
        p.columns
    };
    SparseNetwork {
        rows: p.rows,
        columns,
        symmetric: opts.mode == NetworkMode::OneMode,
        edges,
        statements: p.kept,
    }
}

fn one_mode(p: &CountCube, opts: &NetworkOptions) -> Vec<(usize, usize, f64)> {
    let range = match (p.levels.first(), p.levels.last()) {
        (Some(lo), Some(hi)) => f64::from(hi - lo),
        _ => 0.0,
    };
    // distance |q_k - q_k'| / R between levels (0 when R = 0)
    let distance = |k: usize, k2: usize| -> f64 {
        if range == 0.0 {
            0.0
        } else {
            f64::from((p.levels[k] - p.levels[k2]).abs()) / range
        }
    };
    let mut pairs: HashMap<(usize, usize), PairSums> = HashMap::new();
    // cells are sorted by narrative: walk each narrative's group
    let mut start = 0;
    while start < p.cells.len() {
        let j = p.cells[start].narrative;
        let mut end = start;
        while end < p.cells.len() && p.cells[end].narrative == j {
            end += 1;
        }
        let group = &p.cells[start..end];
        for (x_pos, x) in group.iter().enumerate() {
            // group is sorted by actor, so later entries have actor >= x.actor
            for y in &group[x_pos + 1..] {
                if y.actor == x.actor {
                    continue;
                }
                let prod = x.count * y.count;
                let d = distance(x.level, y.level);
                let e = pairs.entry((x.actor, y.actor)).or_default();
                e.ignore += prod;
                e.congruence += prod * (1.0 - d);
                e.conflict += prod * d;
                if x.level == y.level {
                    e.shared_lo += x.count;
                    e.shared_hi += y.count;
                    e.m11 += prod;
                }
            }
        }
        start = end;
    }
    let mut edges: Vec<(usize, usize, f64)> = pairs
        .into_iter()
        .filter_map(|((i, i2), s)| {
            let w = match opts.aggregation {
                Aggregation::Ignore | Aggregation::Combine => s.ignore,
                Aggregation::Congruence => s.congruence,
                Aggregation::Conflict => s.conflict,
                Aggregation::Subtract => s.congruence - s.conflict,
            };
            let (ti, ti2) = (p.activity[i], p.activity[i2]);
            let v = match opts.normalization {
                Normalization::Average => ratio(w, (ti + ti2) / 2.0),
                Normalization::Jaccard => {
                    let m10 = ti - s.shared_lo;
                    let m01 = ti2 - s.shared_hi;
                    ratio(w, m10 + m01 + s.m11)
                }
                Normalization::Cosine => ratio(w, ti * ti2),
                _ => w,
            };
            (v != 0.0).then_some((i, i2, v))
        })
        .collect();
    edges.sort_by_key(|&(i, j, _)| (i, j));
    edges
}

fn two_mode(p: &CountCube, opts: &NetworkOptions) -> Vec<(usize, usize, f64)> {
    let l = p.levels.len();
    let mut values: HashMap<(usize, usize), f64> = HashMap::new();
    let mut row_cells = vec![0.0; p.rows.len()];
    let mut col_cells = vec![0.0; p.columns.len()];
    let mut col_statements = vec![0.0; p.columns.len()];
    let mut seen_cell: HashSet<(usize, usize)> = HashSet::new();
    for c in &p.cells {
        let add = match opts.aggregation {
            Aggregation::Subtract => f64::from(p.levels[c.level]) * c.count,
            // 2^(L-k) with k counted from 1
            Aggregation::Combine => 2f64.powi((l - 1 - c.level) as i32),
            _ => c.count,
        };
        *values.entry((c.actor, c.narrative)).or_insert(0.0) += add;
        col_statements[c.narrative] += c.count;
        if seen_cell.insert((c.actor, c.narrative)) {
            row_cells[c.actor] += 1.0;
            col_cells[c.narrative] += 1.0;
        }
    }
    let combine = opts.aggregation == Aggregation::Combine;
    let mut edges: Vec<(usize, usize, f64)> = values
        .into_iter()
        .filter_map(|((i, j), v)| {
            let v = match opts.normalization {
                Normalization::Activity => {
                    ratio(v, if combine { row_cells[i] } else { p.activity[i] })
                }
                Normalization::Prominence => ratio(
                    v,
                    if combine {
                        col_cells[j]
                    } else {
                        col_statements[j]
                    },
                ),
                _ => v,
            };
            (v != 0.0).then_some((i, j, v))
        })
        .collect();
    edges.sort_by_key(|&(i, j, _)| (i, j));
    edges
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn format_value(v: f64) -> String {
    // Display never uses an exponent and prints whole numbers without a fraction.
    if v == 0.0 {
        "0".to_string()
    } else {
        format!("{v}")
    }
}

/// The matrix as DNA's CSV (docs/method.md §13, Output): a header row whose first cell is empty
/// and whose other cells are the column labels, then one row per row label; labels quoted as
/// RFC 4180 requires; values as plain decimal numbers (whole numbers without a fraction).
pub fn to_csv(n: &NetworkResult) -> String {
    let mut out = String::new();
    let header: Vec<String> = std::iter::once(String::new())
        .chain(n.columns.iter().map(|c| csv_field(c)))
        .collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for (label, row) in n.rows.iter().zip(&n.matrix) {
        out.push_str(&csv_field(label));
        for v in row {
            out.push(',');
            out.push_str(&format_value(*v));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn st(id: &str, a: &str, n: &str, q: i32) -> Statement {
        Statement::new(id, a, n, q)
    }

    fn one(stmts: &[Statement], agg: Aggregation, norm: Normalization) -> NetworkResult {
        network(stmts, &NetworkOptions::one_mode(agg, norm)).unwrap()
    }

    fn two(stmts: &[Statement], agg: Aggregation, norm: Normalization) -> NetworkResult {
        network(stmts, &NetworkOptions::two_mode(agg, norm)).unwrap()
    }

    /// A and B agree on n1 (both +1); A (+1) and C (-1) disagree on n1; B has n2 twice (+1
    /// and -1), C has n2 once at -1. Levels {-1, +1}, R = 2.
    ///   A: n1+ (x1)              T_A = 1
    ///   B: n1+ (x1), n2+, n2-    T_B = 3
    ///   C: n1-, n2-              T_C = 2
    fn small() -> Vec<Statement> {
        vec![
            st("s1", "A", "n1", 1),
            st("s2", "B", "n1", 1),
            st("s3", "B", "n2", 1),
            st("s4", "B", "n2", -1),
            st("s5", "C", "n1", -1),
            st("s6", "C", "n2", -1),
        ]
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    fn assert_matrix(m: &[Vec<f64>], expected: &[&[f64]]) {
        assert_eq!(m.len(), expected.len(), "{m:?}");
        for (r, e) in m.iter().zip(expected) {
            assert_eq!(r.len(), e.len(), "{m:?}");
            for (x, y) in r.iter().zip(e.iter()) {
                assert!(close(*x, *y), "{m:?} != {expected:?}");
            }
        }
    }

    #[test]
    fn one_mode_ignore_counts_shared_statements() {
        // A-B: n1 1·1 = 1. A-C: n1 1·1 = 1. B-C: n1 1·1 + n2 2·1 = 3.
        let r = one(&small(), Aggregation::Ignore, Normalization::No);
        assert_eq!(r.rows, vec!["A", "B", "C"]);
        assert_eq!(r.columns, r.rows);
        assert_matrix(&r.matrix, &[&[0., 1., 1.], &[1., 0., 3.], &[1., 3., 0.]]);
        assert_eq!(r.statements, 6);
    }

    #[test]
    fn one_mode_congruence_conflict_subtract() {
        // congruence (same level → 1, opposite → 0):
        // A-B: n1 (+,+) = 1. A-C: n1 (+,-) = 0. B-C: n1 (+,-) 0 + n2 B+ C- 0 + B- C- 1 = 1.
        let c = one(&small(), Aggregation::Congruence, Normalization::No);
        assert_matrix(&c.matrix, &[&[0., 1., 0.], &[1., 0., 1.], &[0., 1., 0.]]);
        // conflict: A-B 0, A-C 1, B-C: n1 1 + n2 (B+,C-) 1 = 2.
        let f = one(&small(), Aggregation::Conflict, Normalization::No);
        assert_matrix(&f.matrix, &[&[0., 0., 1.], &[0., 0., 2.], &[1., 2., 0.]]);
        // subtract: A-B 1, A-C -1, B-C -1.
        let s = one(&small(), Aggregation::Subtract, Normalization::No);
        assert_matrix(
            &s.matrix,
            &[&[0., 1., -1.], &[1., 0., -1.], &[-1., -1., 0.]],
        );
    }

    #[test]
    fn one_mode_middle_level_is_half_congruent() {
        // Levels {-2, 0, 2}, R = 4: |0 - 2| / 4 = 0.5 → congruence 0.5, conflict 0.5 for
        // A(0)-B(2); A(0)-C(-2) likewise; B(2)-C(-2): congruence 0, conflict 1.
        let s = vec![
            st("1", "A", "n", 0),
            st("2", "B", "n", 2),
            st("3", "C", "n", -2),
        ];
        let c = one(&s, Aggregation::Congruence, Normalization::No);
        assert_matrix(
            &c.matrix,
            &[&[0., 0.5, 0.5], &[0.5, 0., 0.], &[0.5, 0., 0.]],
        );
        let f = one(&s, Aggregation::Conflict, Normalization::No);
        assert_matrix(
            &f.matrix,
            &[&[0., 0.5, 0.5], &[0.5, 0., 1.], &[0.5, 1., 0.]],
        );
    }

    #[test]
    fn single_level_means_full_congruence_no_conflict() {
        // R = 0: congruence = product, conflict = 0 (DNA: NaN).
        let s = vec![
            st("1", "A", "n", 1),
            st("2", "B", "n", 1),
            st("3", "B", "n", 1),
        ];
        let c = one(&s, Aggregation::Congruence, Normalization::No);
        assert_matrix(&c.matrix, &[&[0., 2.], &[2., 0.]]);
        let f = one(&s, Aggregation::Conflict, Normalization::No);
        assert_matrix(&f.matrix, &[&[0., 0.], &[0., 0.]]);
    }

    #[test]
    fn one_mode_normalisations() {
        // ignore weights: A-B 1, A-C 1, B-C 3; T = (1, 3, 2).
        // average: A-B 1/2 = 0.5, A-C 1/1.5, B-C 3/2.5 = 1.2.
        let r = one(&small(), Aggregation::Ignore, Normalization::Average);
        let (ab, ac, bc) = (0.5, 1.0 / 1.5, 1.2);
        assert_matrix(&r.matrix, &[&[0., ab, ac], &[ab, 0., bc], &[ac, bc, 0.]]);
        // cosine (DNA: product of activities): A-B 1/3, A-C 1/2, B-C 3/6.
        let r = one(&small(), Aggregation::Ignore, Normalization::Cosine);
        let (ab, ac, bc) = (1.0 / 3.0, 0.5, 0.5);
        assert_matrix(&r.matrix, &[&[0., ab, ac], &[ab, 0., bc], &[ac, bc, 0.]]);
        // jaccard over (narrative, level) cells:
        // A = {n1+:1}, B = {n1+:1, n2+:1, n2-:1}, C = {n1-:1, n2-:1}.
        // A-B: m11 = 1 (n1+), m10 = 0, m01 = 2 → 3; ignore w = 1 → 1/3.
        // A-C: m11 = 0, m10 = 1, m01 = 2 → 3; w = 1 → 1/3.
        // B-C: m11 = 1 (n2-), m10 = 2, m01 = 1 → 4; w = 3 → 3/4;
        //      congruence w = 1 → 1/4 (same denominator for every aggregation).
        let r = one(&small(), Aggregation::Ignore, Normalization::Jaccard);
        let (ab, ac, bc) = (1.0 / 3.0, 1.0 / 3.0, 0.75);
        assert_matrix(&r.matrix, &[&[0., ab, ac], &[ab, 0., bc], &[ac, bc, 0.]]);
        let r = one(&small(), Aggregation::Congruence, Normalization::Jaccard);
        let (ab, bc) = (1.0 / 3.0, 0.25);
        assert_matrix(&r.matrix, &[&[0., ab, 0.], &[ab, 0., bc], &[0., bc, 0.]]);
    }

    #[test]
    fn jaccard_counts_repeated_statements() {
        // A: n+ twice; B: n+ once. m11 = 2·1 = 2, m10 = 2 - 2 = 0, m01 = 1 - 1 = 0.
        // ignore w = 2·1 = 2 → 2/2 = 1.
        let s = vec![
            st("1", "A", "n", 1),
            st("2", "A", "n", 1),
            st("3", "B", "n", 1),
        ];
        let r = one(&s, Aggregation::Ignore, Normalization::Jaccard);
        assert_matrix(&r.matrix, &[&[0., 1.], &[1., 0.]]);
    }

    #[test]
    fn two_mode_aggregations() {
        // columns n1, n2. ignore: A (1, 0), B (1, 2), C (1, 1).
        let r = two(&small(), Aggregation::Ignore, Normalization::No);
        assert_eq!(r.columns, vec!["n1", "n2"]);
        assert_matrix(&r.matrix, &[&[1., 0.], &[1., 2.], &[1., 1.]]);
        // subtract: A (1, 0), B (1, 1 - 1 = 0), C (-1, -1).
        let r = two(&small(), Aggregation::Subtract, Normalization::No);
        assert_matrix(&r.matrix, &[&[1., 0.], &[1., 0.], &[-1., -1.]]);
        // combine: levels -1 < +1, L = 2: +1 → 2^0 = 1, -1 → 2^1 = 2, both → 3.
        let r = two(&small(), Aggregation::Combine, Normalization::No);
        assert_matrix(&r.matrix, &[&[1., 0.], &[1., 3.], &[2., 2.]]);
    }

    #[test]
    fn two_mode_normalisations() {
        // ignore/activity: rows divided by T = (1, 3, 2).
        let r = two(&small(), Aggregation::Ignore, Normalization::Activity);
        assert_matrix(&r.matrix, &[&[1., 0.], &[1. / 3., 2. / 3.], &[0.5, 0.5]]);
        // ignore/prominence: columns divided by column sums (3, 3).
        let r = two(&small(), Aggregation::Ignore, Normalization::Prominence);
        assert_matrix(
            &r.matrix,
            &[&[1. / 3., 0.], &[1. / 3., 2. / 3.], &[1. / 3., 1. / 3.]],
        );
        // subtract/activity: (1, 0)/1, (1, 0)/3, (-1, -1)/2.
        let r = two(&small(), Aggregation::Subtract, Normalization::Activity);
        assert_matrix(&r.matrix, &[&[1., 0.], &[1. / 3., 0.], &[-0.5, -0.5]]);
        // subtract/prominence: column statement counts (3, 3).
        let r = two(&small(), Aggregation::Subtract, Normalization::Prominence);
        assert_matrix(
            &r.matrix,
            &[&[1. / 3., 0.], &[1. / 3., 0.], &[-1. / 3., -1. / 3.]],
        );
        // combine/activity: non-zero cells per row (1, 2, 2): (1, 0), (0.5, 1.5), (1, 1).
        let r = two(&small(), Aggregation::Combine, Normalization::Activity);
        assert_matrix(&r.matrix, &[&[1., 0.], &[0.5, 1.5], &[1., 1.]]);
        // combine/prominence: non-zero cells per column (3, 2): n1 (1/3, 1/3, 2/3),
        // n2 (0, 3/2, 1).
        let r = two(&small(), Aggregation::Combine, Normalization::Prominence);
        assert_matrix(
            &r.matrix,
            &[&[1. / 3., 0.], &[1. / 3., 1.5], &[2. / 3., 1.]],
        );
    }

    /// A says n+ in doc1 (2001-01-01) and doc1 again, n+ in doc2 (2001-01-03, same ISO
    /// week 2001-W01), n+ on 2001-01-08 (W02, same month), n+ on 2001-02-01 (next month),
    /// n+ on 2002-02-01 (next year, same month number), and n- on 2001-01-01 in doc1.
    fn repeated() -> Vec<Statement> {
        vec![
            st("1", "A", "n", 1)
                .dated(d("2001-01-01"))
                .in_document("doc1"),
            st("2", "A", "n", 1)
                .dated(d("2001-01-01"))
                .in_document("doc1"),
            st("3", "A", "n", 1)
                .dated(d("2001-01-03"))
                .in_document("doc2"),
            st("4", "A", "n", 1)
                .dated(d("2001-01-08"))
                .in_document("doc3"),
            st("5", "A", "n", 1)
                .dated(d("2001-02-01"))
                .in_document("doc4"),
            st("6", "A", "n", 1)
                .dated(d("2002-02-01"))
                .in_document("doc5"),
            st("7", "A", "n", -1)
                .dated(d("2001-01-01"))
                .in_document("doc1"),
        ]
    }

    fn kept(dups: Duplicates, agg: Aggregation) -> usize {
        let opts = NetworkOptions {
            duplicates: dups,
            aggregation: agg,
            ..Default::default()
        };
        network(&repeated(), &opts).unwrap().statements
    }

    #[test]
    fn duplicate_modes() {
        use Aggregation::{Ignore, Subtract};
        // include: all 7.
        assert_eq!(kept(Duplicates::Include, Subtract), 7);
        // document (position compared): doc1 + : {1,2} → 1, doc1 -: 1, doc2..doc5: 4 → 6.
        assert_eq!(kept(Duplicates::Document, Subtract), 6);
        // document, ignore (position not compared): doc1 {1,2,7} → 1, + 4 → 5.
        assert_eq!(kept(Duplicates::Document, Ignore), 5);
        // week: + in 2001-W01 {1,2,3} → 1, W02 (4), W05 (5), 2002-W05 (6) → 4; - in W01 → 1.
        assert_eq!(kept(Duplicates::Week, Subtract), 5);
        // month: + in 2001-01 {1,2,3,4}, 2001-02, 2002-02 (year compared) → 3; - → 1.
        assert_eq!(kept(Duplicates::Month, Subtract), 4);
        // year: + in 2001, 2002 → 2; - → 1.
        assert_eq!(kept(Duplicates::Year, Subtract), 3);
        assert_eq!(kept(Duplicates::Year, Ignore), 2);
        // acrossrange: one + and one -.
        assert_eq!(kept(Duplicates::AcrossRange, Subtract), 2);
        assert_eq!(kept(Duplicates::AcrossRange, Ignore), 1);
    }

    #[test]
    fn duplicates_keep_the_earliest_statement() {
        // ignore + acrossrange keeps, per (actor, narrative), the first statement in
        // (date, document, id) order. A: -1 in 2000 (kept), then +1s; B: +1 once.
        // Jaccard sees the kept level: cells A {n-: 1}, B {n+: 1}: m11 = 0, m10 = 1, m01 = 1;
        // ignore w = 1 · 1 = 1 → 1/2. (Had A's +1 been kept: 1/1.)
        let mut s = repeated();
        s.push(
            st("0", "A", "n", -1)
                .dated(d("2000-06-01"))
                .in_document("doc0"),
        );
        s.push(
            st("9", "B", "n", 1)
                .dated(d("2001-01-01"))
                .in_document("doc1"),
        );
        let opts = NetworkOptions {
            duplicates: Duplicates::AcrossRange,
            ..NetworkOptions::one_mode(Aggregation::Ignore, Normalization::Jaccard)
        };
        let r = network(&s, &opts).unwrap();
        assert_eq!(r.statements, 2);
        assert_matrix(&r.matrix, &[&[0., 0.5], &[0.5, 0.]]);
        // combine compares positions: A keeps one -1 and one +1 → 2 + 1 = 3.
        let opts = NetworkOptions {
            duplicates: Duplicates::AcrossRange,
            aggregation: Aggregation::Combine,
            ..Default::default()
        };
        assert_eq!(
            network(&s, &opts).unwrap().matrix,
            vec![vec![3.0], vec![1.0]]
        );
    }

    #[test]
    fn undated_statements_share_one_period_and_pass_the_window() {
        let s = vec![
            st("1", "A", "n", 1),
            st("2", "A", "n", 1),
            st("3", "A", "n", 1).dated(d("2001-01-01")),
        ];
        let opts = NetworkOptions {
            duplicates: Duplicates::Year,
            from: Some(d("2005-01-01")),
            ..Default::default()
        };
        // window drops 3; the two undated ones are one "year".
        assert_eq!(network(&s, &opts).unwrap().statements, 1);
    }

    #[test]
    fn time_window_filters_and_sets_levels() {
        // Only the statements of 2001 are inside; the -1 of 2002 is out, so the only level
        // is +1 (R = 0) and congruence is the plain product.
        let s = vec![
            st("1", "A", "n", 1).dated(d("2001-05-01")),
            st("2", "B", "n", 1).dated(d("2001-06-01")),
            st("3", "B", "n", -1).dated(d("2002-06-01")),
        ];
        let opts = NetworkOptions {
            mode: NetworkMode::OneMode,
            aggregation: Aggregation::Congruence,
            from: Some(d("2001-01-01")),
            to: Some(d("2001-12-31")),
            ..Default::default()
        };
        let r = network(&s, &opts).unwrap();
        assert_eq!(r.statements, 2);
        assert_matrix(&r.matrix, &[&[0., 1.], &[1., 0.]]);
    }

    #[test]
    fn labels_are_sorted_in_byte_order() {
        let s = vec![
            st("1", "b", "y", 1),
            st("2", "B", "X", 1),
            st("3", "a", "x", 1),
        ];
        let r = two(&s, Aggregation::Ignore, Normalization::No);
        assert_eq!(r.rows, vec!["B", "a", "b"]);
        assert_eq!(r.columns, vec!["X", "x", "y"]);
    }

    #[test]
    fn natural_id_order() {
        assert_eq!(natural_cmp("s2", "s10"), Ordering::Less);
        assert_eq!(natural_cmp("s10", "s9"), Ordering::Greater);
        assert_eq!(natural_cmp("a", "b"), Ordering::Less);
        assert_eq!(natural_cmp("s02", "s2"), Ordering::Less);
        assert_eq!(natural_cmp("s2", "s2"), Ordering::Equal);
    }

    #[test]
    fn invalid_combinations_are_rejected() {
        let e = NetworkOptions::two_mode(Aggregation::Congruence, Normalization::No)
            .validate()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "aggregation `congruence` is not defined for a twomode network (as in DNA); \
             twomode takes: ignore, subtract, combine"
        );
        let e = NetworkOptions::one_mode(Aggregation::Ignore, Normalization::Activity)
            .validate()
            .unwrap_err();
        assert!(
            e.to_string().contains("no, average, jaccard, cosine"),
            "{e}"
        );
        assert!(
            NetworkOptions::one_mode(Aggregation::Combine, Normalization::No)
                .validate()
                .is_err()
        );
        assert!(
            NetworkOptions::two_mode(Aggregation::Ignore, Normalization::Jaccard)
                .validate()
                .is_err()
        );
        let bad_window = NetworkOptions {
            from: Some(d("2002-01-01")),
            to: Some(d("2001-01-01")),
            ..Default::default()
        };
        assert!(matches!(
            network(&small(), &bad_window),
            Err(NetworkError::InvalidWindow { .. })
        ));
        assert!(NetworkOptions::default().validate().is_ok());
    }

    #[test]
    fn option_parsing() {
        assert_eq!(
            "OneMode".parse::<NetworkMode>().unwrap(),
            NetworkMode::OneMode
        );
        assert_eq!(
            "acrossrange".parse::<Duplicates>().unwrap(),
            Duplicates::AcrossRange
        );
        let e = "sum".parse::<Aggregation>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown aggregation `sum`; expected one of: ignore, congruence, conflict, subtract, combine"
        );
        assert_eq!(
            serde_json::to_string(&Normalization::Jaccard).unwrap(),
            "\"jaccard\""
        );
    }

    #[test]
    fn dense_limit() {
        assert!(check_dense(MAX_DENSE_ACTORS).is_ok());
        let e = check_dense(MAX_DENSE_ACTORS + 1).unwrap_err();
        assert!(e.to_string().contains("20001 actors"), "{e}");
        assert!(e.to_string().contains("sparse edge list"), "{e}");
    }

    #[test]
    fn sparse_and_dense_agree() {
        let opts = NetworkOptions::one_mode(Aggregation::Subtract, Normalization::No);
        let sp = network_sparse(&small(), &opts).unwrap();
        assert!(sp.symmetric);
        assert_eq!(sp.edges, vec![(0, 1, 1.0), (0, 2, -1.0), (1, 2, -1.0)]);
        assert_eq!(sp.to_dense().unwrap(), network(&small(), &opts).unwrap());
        let opts = NetworkOptions::default();
        let e = network_edges(&small(), &opts).unwrap();
        assert_eq!(
            e,
            vec![
                (0, 0, 1.0),
                (1, 0, 1.0),
                (1, 1, 2.0),
                (2, 0, 1.0),
                (2, 1, 1.0)
            ]
        );
    }

    #[test]
    fn csv_and_json_output() {
        let mut s = small();
        s[0].actor = "A, Inc.".into();
        let r = two(&s, Aggregation::Ignore, Normalization::No);
        assert_eq!(to_csv(&r), ",n1,n2\n\"A, Inc.\",1,0\nB,1,2\nC,1,1\n");
        let r = two(&s, Aggregation::Ignore, Normalization::Activity);
        assert_eq!(
            to_csv(&r),
            ",n1,n2\n\"A, Inc.\",1,0\nB,0.3333333333333333,0.6666666666666666\nC,0.5,0.5\n"
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["rows"][0], "A, Inc.");
        assert_eq!(json["columns"][1], "n2");
        assert_eq!(json["matrix"][2][0], 0.5);
        assert_eq!(json["statements"], 6);
    }

    #[test]
    fn empty_input_gives_an_empty_network() {
        let r = network(&[], &NetworkOptions::default()).unwrap();
        assert!(r.rows.is_empty() && r.columns.is_empty() && r.matrix.is_empty());
        assert_eq!(to_csv(&r), "\n");
    }

    #[test]
    fn from_bundle_uses_names_and_sources() {
        use vertoog_model::{Actor, Map, Narrative, Stance};
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![Actor::new("a", "Alpha")];
        b.narratives = vec![Narrative::new("n", "Nar", false)];
        let mut s = Stance::new("s1", "a", "n", -2).dated(d("2001-01-01"));
        s.source = "doc".into();
        b.stances = vec![s, Stance::new("s2", "ghost", "n", 1)];
        let st = statements_from_bundle(&b);
        assert_eq!(st[0].actor, "Alpha");
        assert_eq!(st[0].narrative, "Nar");
        assert_eq!(st[0].position, -2);
        assert_eq!(st[0].document, "doc");
        assert_eq!(st[0].date, Some(d("2001-01-01")));
        assert_eq!(st[1].actor, "ghost");
        let by_id = statements_from_bundle_by_id(&b);
        assert_eq!(
            (by_id[0].actor.as_str(), by_id[0].narrative.as_str()),
            ("a", "n")
        );
    }

    fn arb_statements() -> impl Strategy<Value = Vec<Statement>> {
        prop::collection::vec((0u8..6, 0u8..4, -2i32..=2, 0u8..3, 0u8..4), 0..40).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(n, (a, j, q, doc, day))| {
                    let s = st(&format!("s{n}"), &format!("a{a}"), &format!("n{j}"), q)
                        .in_document(format!("d{doc}"));
                    if day == 0 {
                        s
                    } else {
                        s.dated(d("2001-01-01") + chrono::Days::new(u64::from(day) * 20))
                    }
                })
                .collect()
        })
    }

    fn arb_dups() -> impl Strategy<Value = Duplicates> {
        prop::sample::select(Duplicates::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn one_mode_is_symmetric_with_zero_diagonal(
            s in arb_statements(),
            dups in arb_dups(),
            agg in prop::sample::select(vec![Aggregation::Ignore, Aggregation::Congruence, Aggregation::Conflict, Aggregation::Subtract]),
            norm in prop::sample::select(vec![Normalization::No, Normalization::Average, Normalization::Jaccard, Normalization::Cosine]),
        ) {
            let opts = NetworkOptions { duplicates: dups, ..NetworkOptions::one_mode(agg, norm) };
            let r = network(&s, &opts).unwrap();
            for (i, row) in r.matrix.iter().enumerate() {
                prop_assert_eq!(row[i], 0.0);
                for (j, v) in row.iter().enumerate() {
                    prop_assert_eq!(*v, r.matrix[j][i]);
                    prop_assert!(v.is_finite());
                }
            }
        }

        #[test]
        fn subtract_is_congruence_minus_conflict(
            s in arb_statements(),
            dups in arb_dups(),
            norm in prop::sample::select(vec![Normalization::No, Normalization::Average, Normalization::Jaccard, Normalization::Cosine]),
        ) {
            let net = |agg| network(&s, &NetworkOptions { duplicates: dups, ..NetworkOptions::one_mode(agg, norm) }).unwrap();
            let (sub, con, cfl) = (net(Aggregation::Subtract), net(Aggregation::Congruence), net(Aggregation::Conflict));
            prop_assert_eq!(&sub.rows, &con.rows);
            for i in 0..sub.rows.len() {
                for j in 0..sub.rows.len() {
                    prop_assert!((sub.matrix[i][j] - (con.matrix[i][j] - cfl.matrix[i][j])).abs() < 1e-9);
                }
            }
        }

        #[test]
        fn two_mode_ignore_sums_to_the_statement_count(s in arb_statements(), dups in arb_dups()) {
            let r = network(&s, &NetworkOptions { duplicates: dups, ..Default::default() }).unwrap();
            let sum: f64 = r.matrix.iter().flatten().sum();
            prop_assert_eq!(sum, r.statements as f64);
            if dups == Duplicates::Include {
                prop_assert_eq!(r.statements, s.len());
            }
        }

        #[test]
        fn one_mode_ignore_is_conflict_plus_congruence(s in arb_statements()) {
            let net = |agg| network(&s, &NetworkOptions::one_mode(agg, Normalization::No)).unwrap();
            let (ign, con, cfl) = (net(Aggregation::Ignore), net(Aggregation::Congruence), net(Aggregation::Conflict));
            for i in 0..ign.rows.len() {
                for j in 0..ign.rows.len() {
                    prop_assert!((ign.matrix[i][j] - con.matrix[i][j] - cfl.matrix[i][j]).abs() < 1e-9);
                }
            }
        }
    }
}

//! Coalitions as a person reads them (issue 18): a name from the storyline, the user's own
//! names kept while the members stay, and the coalition x narrative matrix.
//!
//! - Storyline name: the narrative the coalition supports most, i.e. the highest
//!   support = mean_position x coverage (= Σ positions / members) > 0 (then higher coverage,
//!   then narrative id): "for: LABEL" ("voor: LABEL"); when no narrative has support > 0, the
//!   one with the lowest support: "against: LABEL" ("tegen: LABEL"); without any position
//!   "no storyline" ("zonder verhaallijn"). A name that two coalitions would share gets the
//!   coalition id appended (" (c3)") for all but the first (largest) of them.
//! - User names: the map's `coalition_names` (name + members when named). A stored name goes
//!   to the coalition whose members overlap the stored members by Jaccard >= 0.5, best
//!   match first (highest Jaccard, then coalition order, then stored order), one to one.
//! - Matrix: per coalition and narrative (every narrative of the map, in id order) the mean
//!   position of the members holding one (null when none does) and the coverage (share of
//!   members with a position); `uncarried`: the narratives no coalition supports (no
//!   coalition with a mean position > 0 on it), in id order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vertoog_model::CoalitionName;

use crate::coalitions::Coalition;
pub use crate::coalitions::NameSource;
use crate::i18n::Lang;
use crate::prepare::Prepared;

/// One narrative column of the matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatrixNarrative {
    pub id: String,
    pub label: String,
    pub core: bool,
}

/// One cell: the coalition's mean position on the narrative and its coverage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub narrative: String,
    /// Mean p(a, n) over the members with a position on n (-2..2); null when none has one.
    pub mean_position: Option<f64>,
    /// Share of the members with a position on n.
    pub coverage: f64,
}

/// One coalition's row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub coalition: String,
    pub name: String,
    pub size: usize,
    /// One cell per narrative, in the order of `narratives`.
    pub cells: Vec<MatrixCell>,
}

/// `coalition_matrix` of the analysis: the discourse at a glance.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CoalitionMatrix {
    /// Every narrative of the map, in id order.
    pub narratives: Vec<MatrixNarrative>,
    /// One row per coalition, in coalition order.
    pub rows: Vec<MatrixRow>,
    /// Narratives no coalition supports (no mean position > 0), in id order.
    pub uncarried: Vec<String>,
}

fn label_of(prep: &Prepared, id: &str) -> String {
    prep.narrative_index(id).map_or_else(
        || id.to_string(),
        |n| prep.narratives[n as usize].label.clone(),
    )
}

/// The storyline name of `c` (module doc) and the narrative it names.
pub fn storyline_name(prep: &Prepared, c: &Coalition, lang: Lang) -> (String, Option<String>) {
    let nl = lang == Lang::Nl;
    let support = |e: &crate::coalitions::StorylineEntry| e.mean_position * e.coverage;
    let best = c
        .storyline
        .iter()
        .filter(|e| support(e) > 0.0)
        .min_by(|x, y| {
            support(y)
                .total_cmp(&support(x))
                .then(y.coverage.total_cmp(&x.coverage))
                .then(x.narrative.cmp(&y.narrative))
        });
    if let Some(e) = best {
        let l = label_of(prep, &e.narrative);
        let name = if nl {
            format!("voor: {l}")
        } else {
            format!("for: {l}")
        };
        return (name, Some(e.narrative.clone()));
    }
    let worst = c
        .storyline
        .iter()
        .filter(|e| support(e) < 0.0)
        .min_by(|x, y| {
            support(x)
                .total_cmp(&support(y))
                .then(y.coverage.total_cmp(&x.coverage))
                .then(x.narrative.cmp(&y.narrative))
        });
    match worst {
        Some(e) => {
            let l = label_of(prep, &e.narrative);
            let name = if nl {
                format!("tegen: {l}")
            } else {
                format!("against: {l}")
            };
            (name, Some(e.narrative.clone()))
        }
        None => (
            if nl {
                "zonder verhaallijn"
            } else {
                "no storyline"
            }
            .to_string(),
            None,
        ),
    }
}

/// |A ∩ B| / |A ∪ B| of two sorted, duplicate-free id lists (0 for two empty lists).
pub fn jaccard(a: &[String], b: &[String]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

/// The minimum Jaccard overlap for a stored user name to follow a coalition.
pub const NAME_JACCARD: f64 = 0.5;

/// For each coalition, the index of the stored name it keeps (module doc).
pub fn match_names(coalitions: &[Coalition], stored: &[CoalitionName]) -> Vec<Option<usize>> {
    let sorted: Vec<Vec<String>> = stored
        .iter()
        .map(|s| {
            let mut m = s.members.clone();
            m.sort();
            m.dedup();
            m
        })
        .collect();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (ci, c) in coalitions.iter().enumerate() {
        for (si, m) in sorted.iter().enumerate() {
            let j = jaccard(&c.members, m);
            if j >= NAME_JACCARD {
                pairs.push((j, ci, si));
            }
        }
    }
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut out = vec![None; coalitions.len()];
    let mut taken = vec![false; stored.len()];
    for (_, ci, si) in pairs {
        if out[ci].is_none() && !taken[si] {
            out[ci] = Some(si);
            taken[si] = true;
        }
    }
    out
}

/// Fills `name`, `storyline_name`, `storyline_narrative` and `named_by` of every coalition.
pub fn name_coalitions(
    prep: &Prepared,
    coalitions: &mut [Coalition],
    stored: &[CoalitionName],
    lang: Lang,
) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for c in coalitions.iter_mut() {
        let (mut name, narrative) = storyline_name(prep, c, lang);
        let k = seen.entry(name.clone()).or_default();
        *k += 1;
        if *k > 1 {
            name = format!("{name} ({})", c.id);
        }
        c.storyline_name = name.clone();
        c.storyline_narrative = narrative;
        c.name = name;
        c.named_by = NameSource::Storyline;
    }
    for (ci, si) in match_names(coalitions, stored).into_iter().enumerate() {
        if let Some(si) = si {
            coalitions[ci].name = stored[si].name.clone();
            coalitions[ci].named_by = NameSource::User;
        }
    }
}

/// The coalition x narrative matrix (module doc).
pub fn coalition_matrix(prep: &Prepared, coalitions: &[Coalition]) -> CoalitionMatrix {
    let narratives: Vec<MatrixNarrative> = prep
        .narratives
        .iter()
        .map(|n| MatrixNarrative {
            id: n.id.clone(),
            label: n.label.clone(),
            core: n.core,
        })
        .collect();
    let rows: Vec<MatrixRow> = coalitions
        .iter()
        .map(|c| {
            let by: BTreeMap<&str, &crate::coalitions::StorylineEntry> = c
                .storyline
                .iter()
                .map(|e| (e.narrative.as_str(), e))
                .collect();
            MatrixRow {
                coalition: c.id.clone(),
                name: c.name.clone(),
                size: c.members.len(),
                cells: narratives
                    .iter()
                    .map(|n| match by.get(n.id.as_str()) {
                        Some(e) => MatrixCell {
                            narrative: n.id.clone(),
                            mean_position: Some(e.mean_position),
                            coverage: e.coverage,
                        },
                        None => MatrixCell {
                            narrative: n.id.clone(),
                            mean_position: None,
                            coverage: 0.0,
                        },
                    })
                    .collect(),
            }
        })
        .collect();
    let uncarried = narratives
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            !rows
                .iter()
                .any(|r| r.cells[*i].mean_position.is_some_and(|m| m > 0.0))
        })
        .map(|(_, n)| n.id.clone())
        .collect();
    CoalitionMatrix {
        narratives,
        rows,
        uncarried,
    }
}

/// The stored names after naming coalition `id` (of `coalitions`) `name` (empty: remove): every
/// stored name that followed this coalition is replaced by the new one with the coalition's
/// current members.
pub fn rename(
    coalitions: &[Coalition],
    stored: &[CoalitionName],
    id: &str,
    name: &str,
) -> Result<Vec<CoalitionName>, String> {
    let Some(ci) = coalitions.iter().position(|c| c.id == id) else {
        let ids: Vec<&str> = coalitions.iter().map(|c| c.id.as_str()).collect();
        return Err(format!(
            "the current analysis has no coalition `{id}` (it has {})",
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        ));
    };
    let matched = match_names(coalitions, stored);
    let mut out: Vec<CoalitionName> = stored
        .iter()
        .enumerate()
        .filter(|(si, _)| matched[ci] != Some(*si))
        .map(|(_, s)| s.clone())
        .collect();
    let name = name.trim();
    if !name.is_empty() {
        out.push(CoalitionName {
            name: name.to_string(),
            members: coalitions[ci].members.clone(),
        });
    }
    Ok(out)
}

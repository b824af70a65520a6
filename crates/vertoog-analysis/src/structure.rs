//! The structure and weak links of a structural graph (docs/method.md §6) as reported: bridges,
//! articulation points, critical brokers, betweenness, constraint, effective size,
//! components and degrees, by actor id.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vertoog_model::Settings;

use crate::centrality::{betweenness, constraint_and_effective_size};
use crate::graph::{components, cut_structure, Csr};
use crate::prepare::Prepared;

/// Structure and weak links of a structural graph (docs/method.md §6).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Structure {
    /// `[a, b]` with a < b by id, sorted.
    pub bridges: Vec<[String; 2]>,
    pub articulation_points: Vec<String>,
    /// Articulation points that split off two or more parts of two or more actors (beyond
    /// docs/interfaces.md; they lower connectedness).
    pub critical_brokers: Vec<String>,
    /// Normalised betweenness of every node.
    pub betweenness: BTreeMap<String, f64>,
    pub betweenness_exact: bool,
    /// Burt's constraint; null for an actor without ties.
    pub constraint: BTreeMap<String, Option<f64>>,
    /// Burt's effective size; null for an actor without ties.
    pub effective_size: BTreeMap<String, Option<f64>>,
    /// Each sorted by id; the list sorted by smallest id; isolated actors are components.
    pub components: Vec<Vec<String>>,
    /// Number of tie partners (beyond docs/interfaces.md).
    pub degree: BTreeMap<String, usize>,
    /// Σ of merged tie weights (beyond docs/interfaces.md).
    pub weighted_degree: BTreeMap<String, f64>,
}

/// Structure of `g` whose node i is actor `ids_of[i]` (docs/method.md §6).
pub(crate) fn structure_report(
    prep: &Prepared,
    g: &Csr,
    ids_of: &[u32],
    settings: &Settings,
) -> Structure {
    structure_report_with(prep, g, ids_of, settings, None).0
}

/// [`structure_report`], taking the betweenness over from `stale` (the structure of the same
/// actors before an edit of the ties) instead of computing it, when `stale` has a value for
/// exactly these actors; returns whether it did. Everything else is computed on `g`.
pub(crate) fn structure_report_with(
    prep: &Prepared,
    g: &Csr,
    ids_of: &[u32],
    settings: &Settings,
    stale: Option<&Structure>,
) -> (Structure, bool) {
    let id = |l: u32| prep.actors[ids_of[l as usize] as usize].id.clone();
    // Bridges and articulation points by petgraph's algorithms; critical brokers need the
    // DFS subtree sizes, which only our `cut_structure` keeps (it is also the fast path of
    // every action's simulated metrics, one DFS for all three, tested equal to petgraph).
    let cuts = cut_structure(g);
    let mut articulation_points: Vec<u32> =
        petgraph::algo::articulation_points::articulation_points(g)
            .into_iter()
            .collect();
    articulation_points.sort_unstable();
    let stale = stale.filter(|st| {
        st.betweenness.len() == ids_of.len()
            && ids_of
                .iter()
                .all(|&a| st.betweenness.contains_key(&prep.actors[a as usize].id))
    });
    let bc = match stale {
        Some(_) => None,
        None => Some(betweenness(
            g,
            settings.betweenness_exact_limit,
            settings.betweenness_samples,
            settings.seed,
        )),
    };
    let (cons, eff) = constraint_and_effective_size(g);
    let mut bridges: Vec<[String; 2]> = petgraph::algo::bridges::bridges(g)
        .map(|(a, b, _)| {
            let (x, y) = (id(a), id(b));
            if x <= y {
                [x, y]
            } else {
                [y, x]
            }
        })
        .collect();
    bridges.sort();
    let mut comps: Vec<Vec<String>> = components(g)
        .iter()
        .map(|c| c.iter().map(|&v| id(v)).collect())
        .collect();
    comps.sort();
    let per_node = |f: &dyn Fn(usize) -> f64| -> BTreeMap<String, f64> {
        (0..g.n()).map(|v| (id(v as u32), f(v))).collect()
    };
    let (betweenness, betweenness_exact) = match &bc {
        Some(bc) => (per_node(&|v| bc.values[v]), bc.exact),
        // `bc` is only absent when `stale` is present.
        None => stale
            .map(|st| (st.betweenness.clone(), st.betweenness_exact))
            .unwrap_or_default(),
    };
    let s = Structure {
        bridges,
        articulation_points: articulation_points.iter().map(|&v| id(v)).collect(),
        critical_brokers: cuts.critical_brokers.iter().map(|&v| id(v)).collect(),
        betweenness,
        betweenness_exact,
        constraint: (0..g.n()).map(|v| (id(v as u32), cons[v])).collect(),
        effective_size: (0..g.n()).map(|v| (id(v as u32), eff[v])).collect(),
        components: comps,
        degree: (0..g.n()).map(|v| (id(v as u32), g.degree(v))).collect(),
        weighted_degree: per_node(&|v| g.weighted_degree(v)),
    };
    (s, stale.is_some())
}

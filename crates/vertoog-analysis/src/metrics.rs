//! Alignment, the transition coalition, dominance and the coalition metrics of docs/method.md
//! sections 4 and 5.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use vertoog_model::{Settings, StrengthWeights};

use crate::discourse::{mean_pair_w, DiscourseNetwork};
use crate::graph::{average_clustering, components, cut_structure, Csr};
use crate::prepare::Prepared;

/// Pairs sampled for the cohesion of very large sets in approximate mode (docs/method.md §14).
pub const COHESION_SAMPLE_PAIRS: u64 = 1_000_000;

/// The metrics of a set of actors (docs/method.md §5; `METRICS` of docs/interfaces.md).
/// Undefined numbers are `None` and serialise as JSON `null`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// |C|.
    pub size: usize,
    /// Σ infl over C.
    pub influence: f64,
    /// influence / Σ infl over all actors of the map; null when the map's total is 0.
    pub influence_share: Option<f64>,
    /// |required domains present in C| / |required domains|; null with no required domains.
    pub breadth: Option<f64>,
    /// Pielou's J = H / ln S over the domain counts of C (S domains present; 0 when S = 1);
    /// null for an empty set.
    pub evenness: Option<f64>,
    /// Mean w over unordered pairs of C; null when |C| < 2.
    pub discourse_cohesion: Option<f64>,
    /// (largest component of G_C / |C|) · (1 - critical brokers of G_C / |C|); null when empty.
    pub connectedness: Option<f64>,
    /// Σ tie weights in G_C / (|C|(|C|-1)/2); null when |C| < 2.
    pub weighted_density: Option<f64>,
    /// Average clustering coefficient of G_C (unweighted; nodes of degree < 2 count 0, as
    /// networkx `average_clustering`); null when empty.
    pub clustering: Option<f64>,
    /// Number of connected components of G_C (isolated members count as components).
    pub components: usize,
    /// Number of bridges of G_C.
    pub bridges: usize,
    /// Number of articulation points of G_C.
    pub articulation_points: usize,
    /// Number of critical brokers of G_C (the articulation points that count against
    /// connectedness).
    pub critical_brokers: usize,
    /// Mean (dominance + 1)/2 over core narratives with a defined dominance. Only for the
    /// transition coalition; null for detected coalitions and when undefined.
    pub narrative_support: Option<f64>,
    /// 100 · Π max(x_i, 0.01)^ω_i over the defined components; 0 for an empty set.
    pub strength: Option<f64>,
}

/// The tie subgraph G_C of a set, in dense actor indices (for gaps and the report).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SetStructure {
    /// Bridges of G_C, `(a, b)` with a < b, sorted.
    pub bridges: Vec<(u32, u32)>,
    /// Articulation points of G_C, sorted.
    pub articulation_points: Vec<u32>,
    /// Critical brokers of G_C, sorted.
    pub critical_brokers: Vec<u32>,
    /// Components of G_C, each sorted, by smallest member.
    pub components: Vec<Vec<u32>>,
}

/// align(a) = mean of p(a,n)/2 over the core narratives n in N(a); `None` when a has no
/// position on a core narrative (docs/method.md §4).
pub fn alignment(prep: &Prepared) -> Vec<Option<f64>> {
    prep.positions
        .iter()
        .map(|list| {
            let core: Vec<f64> = list
                .iter()
                .filter(|(n, _)| prep.narratives[*n as usize].core)
                .map(|&(_, p)| f64::from(p) / 2.0)
                .collect();
            (!core.is_empty()).then(|| core.iter().sum::<f64>() / core.len() as f64)
        })
        .collect()
}

/// The four groups of docs/method.md §4, each sorted by actor index (= id order).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Alignment {
    /// align >= θ: the transition coalition T.
    pub supporters: Vec<u32>,
    /// align <= -θ.
    pub opponents: Vec<u32>,
    /// -θ < align < θ.
    pub undecided: Vec<u32>,
    /// align undefined.
    pub silent: Vec<u32>,
}

/// Splits actors by alignment with threshold θ.
pub fn classify(align: &[Option<f64>], threshold: f64) -> Alignment {
    let mut out = Alignment::default();
    for (i, a) in align.iter().enumerate() {
        let i = i as u32;
        match a {
            None => out.silent.push(i),
            Some(x) if *x >= threshold => out.supporters.push(i),
            Some(x) if *x <= -threshold => out.opponents.push(i),
            Some(_) => out.undecided.push(i),
        }
    }
    out
}

/// dominance(n) per core narrative, by narrative index (docs/method.md §5): with
/// support = Σ infl(a)·p(a,n)/2 over p > 0 and opposition = Σ infl(a)·|p(a,n)|/2 over p < 0
/// over all actors, dominance = (support - opposition) / (support + opposition); `None` when
/// the denominator is 0 (no non-zero position, or only actors without influence).
pub fn dominance(prep: &Prepared) -> BTreeMap<u32, Option<f64>> {
    let mut out = BTreeMap::new();
    for (n, info) in prep.narratives.iter().enumerate() {
        if !info.core {
            continue;
        }
        let (mut sup, mut opp) = (0.0, 0.0);
        for &(a, p) in &prep.by_narrative[n] {
            let infl = prep.actors[a as usize].influence;
            if p > 0 {
                sup += infl * f64::from(p) / 2.0;
            } else if p < 0 {
                opp += infl * f64::from(-p) / 2.0;
            }
        }
        let total = sup + opp;
        out.insert(n as u32, (total > 0.0).then(|| (sup - opp) / total));
    }
    out
}

/// narrative_support = mean of (dominance(n) + 1)/2 over core narratives with a defined
/// dominance; `None` when there is none.
pub fn narrative_support(dom: &BTreeMap<u32, Option<f64>>) -> Option<f64> {
    let defined: Vec<f64> = dom.values().flatten().map(|d| (d + 1.0) / 2.0).collect();
    (!defined.is_empty()).then(|| defined.iter().sum::<f64>() / defined.len() as f64)
}

/// strength = 100 · Π_i max(x_i, 0.01)^(ω_i / Σ_defined ω) over the components
/// x = (influence_share, breadth, max(discourse_cohesion, 0), connectedness,
/// narrative_support) that are defined; undefined components are left out and the remaining
/// weights rescaled to sum to 1 (docs/method.md §5). `None` when no component with a positive
/// weight is defined.
pub fn strength(
    influence_share: Option<f64>,
    breadth: Option<f64>,
    discourse_cohesion: Option<f64>,
    connectedness: Option<f64>,
    narrative_support: Option<f64>,
    w: &StrengthWeights,
) -> Option<f64> {
    let parts = [
        (influence_share, w.influence_share),
        (breadth, w.breadth),
        (discourse_cohesion.map(|c| c.max(0.0)), w.discourse_cohesion),
        (connectedness, w.connectedness),
        (narrative_support, w.narrative_support),
    ];
    let total: f64 = parts
        .iter()
        .filter(|(x, _)| x.is_some())
        .map(|(_, w)| *w)
        .sum();
    if total <= 0.0 {
        return None;
    }
    let log: f64 = parts
        .iter()
        .filter_map(|(x, w)| x.map(|x| (w / total) * x.max(0.01).ln()))
        .sum();
    Some(100.0 * log.exp())
}

/// Pielou's evenness J = H / ln S with H = -Σ_d (n_d/|C|) ln(n_d/|C|) over the S domains
/// present; 0 when S = 1; `None` for an empty set.
pub fn evenness<'a>(domains: impl IntoIterator<Item = &'a str>) -> Option<f64> {
    let mut counts: BTreeMap<&str, f64> = BTreeMap::new();
    let mut total = 0.0;
    for d in domains {
        *counts.entry(d).or_default() += 1.0;
        total += 1.0;
    }
    if total == 0.0 {
        return None;
    }
    if counts.len() == 1 {
        return Some(0.0);
    }
    let h: f64 = counts
        .values()
        .map(|c| -(c / total) * (c / total).ln())
        .sum();
    Some(h / (counts.len() as f64).ln())
}

/// Everything the metrics of a set need.
pub struct MetricInputs<'a> {
    pub prep: &'a Prepared,
    pub structural: &'a Csr,
    pub discourse: &'a DiscourseNetwork,
    pub settings: &'a Settings,
}

/// The metrics of `members` (dense actor indices, sorted, distinct) and the structure of its
/// tie subgraph G_C. `narrative_support` is given for T and `None` for detected coalitions.
/// The flag says whether discourse_cohesion was estimated from a sample (docs/method.md §14).
pub fn set_metrics(
    inp: &MetricInputs<'_>,
    members: &[u32],
    narrative_support: Option<f64>,
) -> (Metrics, SetStructure, bool) {
    let (cohesion, approx) = mean_pair_w(
        inp.prep,
        inp.discourse,
        members,
        COHESION_SAMPLE_PAIRS,
        inp.settings.seed,
    );
    let (metrics, structure) = set_metrics_with_cohesion(inp, members, narrative_support, cohesion);
    (metrics, structure, approx)
}

/// [`set_metrics`] with `discourse_cohesion` given by the caller (the what-if of an action
/// computes it incrementally, docs/method.md §8); `inp.discourse` is not read.
pub fn set_metrics_with_cohesion(
    inp: &MetricInputs<'_>,
    members: &[u32],
    narrative_support: Option<f64>,
    cohesion: Option<f64>,
) -> (Metrics, SetStructure) {
    let sub = inp.structural.induced(members);
    set_metrics_on(inp, members, &sub, narrative_support, cohesion)
}

/// [`set_metrics_with_cohesion`] with the structural graph induced on `members` given (`sub`,
/// node i = `members[i]`): what a simulation passes when it has it at hand.
pub(crate) fn set_metrics_on(
    inp: &MetricInputs<'_>,
    members: &[u32],
    sub: &Csr,
    narrative_support: Option<f64>,
    cohesion: Option<f64>,
) -> (Metrics, SetStructure) {
    let facts = GraphFacts::of(sub);
    set_metrics_from(inp, members, &facts, narrative_support, cohesion)
}

/// What the metrics of a set take from its tie subgraph G_C: its components, cut structure,
/// average clustering and total weight. A simulation that leaves G_T as it is reuses T's.
#[derive(Debug)]
pub(crate) struct GraphFacts {
    comps: Vec<Vec<u32>>,
    cuts: crate::graph::CutStructure,
    clustering: Option<f64>,
    total_weight: f64,
}

impl GraphFacts {
    pub(crate) fn of(sub: &Csr) -> Self {
        GraphFacts {
            comps: components(sub),
            cuts: cut_structure(sub),
            clustering: average_clustering(sub),
            total_weight: sub.total_weight(),
        }
    }
}

/// [`set_metrics_on`] with the facts of G_C given.
pub(crate) fn set_metrics_from(
    inp: &MetricInputs<'_>,
    members: &[u32],
    facts: &GraphFacts,
    narrative_support: Option<f64>,
    cohesion: Option<f64>,
) -> (Metrics, SetStructure) {
    let GraphFacts {
        comps,
        cuts,
        clustering,
        total_weight,
    } = facts;
    let clustering = *clustering;
    let prep = inp.prep;
    let size = members.len();
    let influence: f64 = members
        .iter()
        .map(|&a| prep.actors[a as usize].influence)
        .sum();
    let total_influence: f64 = prep.actors.iter().map(|a| a.influence).sum();
    let influence_share = (total_influence > 0.0).then(|| influence / total_influence);

    let required: BTreeSet<&str> = inp
        .settings
        .required_domains
        .iter()
        .map(String::as_str)
        .collect();
    let present: BTreeSet<&str> = members
        .iter()
        .map(|&a| prep.actors[a as usize].domain.as_str())
        .collect();
    let breadth = (!required.is_empty())
        .then(|| required.intersection(&present).count() as f64 / required.len() as f64);
    let even = evenness(
        members
            .iter()
            .map(|&a| prep.actors[a as usize].domain.as_str()),
    );

    let largest = comps.iter().map(Vec::len).max().unwrap_or(0);
    let connectedness = (size > 0).then(|| {
        (largest as f64 / size as f64) * (1.0 - cuts.critical_brokers.len() as f64 / size as f64)
    });
    let weighted_density =
        (size >= 2).then(|| total_weight / (size as f64 * (size as f64 - 1.0) / 2.0));

    let strength_value = if size == 0 {
        Some(0.0)
    } else {
        strength(
            influence_share,
            breadth,
            cohesion,
            connectedness,
            narrative_support,
            &inp.settings.weights,
        )
    };
    let global = |l: u32| members[l as usize];
    let structure = SetStructure {
        bridges: cuts
            .bridges
            .iter()
            .map(|&(a, b)| (global(a), global(b)))
            .collect(),
        articulation_points: cuts
            .articulation_points
            .iter()
            .map(|&a| global(a))
            .collect(),
        critical_brokers: cuts.critical_brokers.iter().map(|&a| global(a)).collect(),
        components: comps
            .iter()
            .map(|c| c.iter().map(|&a| global(a)).collect())
            .collect(),
    };
    let metrics = Metrics {
        size,
        influence,
        influence_share,
        breadth,
        evenness: even,
        discourse_cohesion: cohesion,
        connectedness,
        weighted_density,
        clustering,
        components: comps.len(),
        bridges: cuts.bridges.len(),
        articulation_points: cuts.articulation_points.len(),
        critical_brokers: cuts.critical_brokers.len(),
        narrative_support,
        strength: strength_value,
    };
    (metrics, structure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discourse::discourse_network;
    use crate::graph::structural_graph;
    use crate::prepare::Window;
    use vertoog_model::{Actor, Bundle, Map, Narrative, Stance, Tie, TieKind};

    #[test]
    fn strength_by_hand() {
        let w = StrengthWeights::default();
        // All five equal to 0.5: 100 · 0.5 = 50.
        let s = strength(Some(0.5), Some(0.5), Some(0.5), Some(0.5), Some(0.5), &w).unwrap();
        assert!((s - 50.0).abs() < 1e-9);
        // Negative cohesion counts as 0, floored at 0.01: 100 · 0.01^0.2 · 1^0.8 = 39.81...
        let s = strength(Some(1.0), Some(1.0), Some(-0.3), Some(1.0), Some(1.0), &w).unwrap();
        assert!((s - 100.0 * 0.01f64.powf(0.2)).abs() < 1e-9);
        // Narrative support undefined: four weights 0.2 rescaled to 0.25 each:
        // 100 · (0.25 · 1 · 1 · 1)^(1/4)... with x = (0.25, 1, 1, 1): 100 · 0.25^0.25 = 70.71.
        let s = strength(Some(0.25), Some(1.0), Some(1.0), Some(1.0), None, &w).unwrap();
        assert!((s - 100.0 * 0.25f64.powf(0.25)).abs() < 1e-9);
        assert_eq!(strength(None, None, None, None, None, &w), None);
    }

    #[test]
    fn evenness_by_hand() {
        assert_eq!(evenness(["a", "a"]), Some(0.0));
        assert_eq!(evenness([]), None);
        // Two domains 1:1: H = ln 2, J = 1.
        assert!((evenness(["a", "b"]).unwrap() - 1.0).abs() < 1e-12);
        // Counts 2:1: H = -(2/3 ln 2/3 + 1/3 ln 1/3) = 0.6365141683; J = H / ln 2 = 0.9182958341.
        assert!((evenness(["a", "a", "b"]).unwrap() - 0.918_295_834_1).abs() < 1e-9);
    }

    /// Four actors: a (ministry, infl 1), b (vng, 0.5), c (science, 0.5), d (business, 0).
    /// Core narrative k, non-core x.
    /// a: k +2, x +2; b: k +1; c: k -2; d: x -1.
    /// Ties: a-b collaboration 0.8, b-c communication 0.4, a-c conflict 1 (not structural).
    fn bundle() -> Bundle {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = vec![
            Actor::new("a", "A")
                .with_domain("ministry")
                .with_influence(1.0),
            Actor::new("b", "B").with_domain("vng").with_influence(0.5),
            Actor::new("c", "C")
                .with_domain("science")
                .with_influence(0.5),
            Actor::new("d", "D")
                .with_domain("business")
                .with_influence(0.0),
        ];
        b.narratives = vec![
            Narrative::new("k", "K", true),
            Narrative::new("x", "X", false),
        ];
        b.stances = vec![
            Stance::new("s1", "a", "k", 2),
            Stance::new("s2", "a", "x", 2),
            Stance::new("s3", "b", "k", 1),
            Stance::new("s4", "c", "k", -2),
            Stance::new("s5", "d", "x", -1),
        ];
        b.ties = vec![
            Tie::new("t1", "a", "b", TieKind::Collaboration).with_weight(0.8),
            Tie::new("t2", "b", "c", TieKind::Communication).with_weight(0.4),
            Tie::new("t3", "a", "c", TieKind::Conflict).with_weight(1.0),
        ];
        b
    }

    #[test]
    fn alignment_dominance_and_transition_metrics_by_hand() {
        let b = bundle();
        let prep = Prepared::new(&b, Window::default());
        let align = alignment(&prep);
        // a: 2/2 = 1; b: 1/2 = 0.5; c: -1; d: no core position -> silent.
        assert_eq!(align, vec![Some(1.0), Some(0.5), Some(-1.0), None]);
        let groups = classify(&align, 0.25);
        assert_eq!(groups.supporters, vec![0, 1]);
        assert_eq!(groups.opponents, vec![2]);
        assert_eq!(groups.silent, vec![3]);
        // dominance(k): support = 1·2/2 + 0.5·1/2 = 1.25; opposition = 0.5·2/2 = 0.5;
        // (1.25 - 0.5) / 1.75 = 3/7.
        let dom = dominance(&prep);
        assert_eq!(dom.len(), 1);
        assert!((dom[&0].unwrap() - 3.0 / 7.0).abs() < 1e-12);
        // narrative_support = (3/7 + 1)/2 = 5/7.
        let ns = narrative_support(&dom);
        assert!((ns.unwrap() - 5.0 / 7.0).abs() < 1e-12);

        let settings = Settings::default();
        let structural = structural_graph(&prep);
        let net = discourse_network(&prep, settings.max_pairs, settings.knn_k);
        let inp = MetricInputs {
            prep: &prep,
            structural: &structural,
            discourse: &net,
            settings: &settings,
        };
        let (m, st, approx) = set_metrics(&inp, &groups.supporters, ns);
        assert!(!approx);
        assert_eq!(m.size, 2);
        // influence 1.5 of a total 2.0.
        assert_eq!(m.influence, 1.5);
        assert_eq!(m.influence_share, Some(0.75));
        // Required ministry, vng, municipality, science: 2 of 4 present.
        assert_eq!(m.breadth, Some(0.5));
        // Two domains, one member each: J = 1.
        assert!((m.evenness.unwrap() - 1.0).abs() < 1e-12);
        // w(a,b): S = {k}, U = {k, x}: (2·1/4)/2 = 1/4.
        assert!((m.discourse_cohesion.unwrap() - 0.25).abs() < 1e-12);
        // G_T: the edge a-b: one component of 2, no critical broker: 1 · 1 = 1.
        assert_eq!(m.connectedness, Some(1.0));
        // density 0.8 / 1 pair.
        assert_eq!(m.weighted_density, Some(0.8));
        assert_eq!(m.clustering, Some(0.0));
        assert_eq!((m.components, m.bridges, m.articulation_points), (1, 1, 0));
        assert_eq!(st.bridges, vec![(0, 1)]);
        // strength = 100 · (0.75 · 0.5 · 0.25 · 1 · 5/7)^(1/5).
        let expect = 100.0 * (0.75f64 * 0.5 * 0.25 * 1.0 * 5.0 / 7.0).powf(0.2);
        assert!((m.strength.unwrap() - expect).abs() < 1e-9);

        // The whole map as a set: a-b-c path, b is an articulation point but splits off
        // single members only: connectedness = (3/4)·(1 - 0/4) with d isolated.
        let all = [0, 1, 2, 3];
        let (m, st, _) = set_metrics(&inp, &all, None);
        assert_eq!(m.connectedness, Some(0.75));
        assert_eq!(st.articulation_points, vec![1]);
        assert!(st.critical_brokers.is_empty());
        assert_eq!(st.components, vec![vec![0, 1, 2], vec![3]]);
        // density: (0.8 + 0.4) / 6 = 0.2.
        assert!((m.weighted_density.unwrap() - 0.2).abs() < 1e-12);
        // Cohesion: pairs a-b 1/4, a-c (k: 2·-2/4 = -1)/2 = -1/2, a-d (x: 2·-1/4)/2 = -1/4,
        // b-c -2/4/1 = -1/2, b-d 0, c-d 0: sum -1, mean -1/6.
        assert!((m.discourse_cohesion.unwrap() + 1.0 / 6.0).abs() < 1e-12);
        assert_eq!(m.narrative_support, None);

        let (m, _, _) = set_metrics(&inp, &[], None);
        assert_eq!(m.strength, Some(0.0));
        assert_eq!(m.discourse_cohesion, None);
        assert_eq!(m.connectedness, None);
    }
}

//! Discourse coalitions (docs/method.md §3): the basis network, detection by signed
//! modularity, and each coalition's storyline.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vertoog_model::{CoalitionBasis, Settings, TieKind};

use crate::discourse::DiscourseNetwork;
use crate::graph::Csr;
use crate::leiden::{detect_with_shares, detect_with_shares_from, Resolution};
use crate::metrics::{set_metrics, MetricInputs, Metrics};
use crate::prepare::Prepared;

/// The network coalition detection runs on, over a subset of the actors.
#[derive(Clone, Debug)]
pub struct BasisNetwork<'a> {
    /// Dense actor index of each node, ascending.
    pub nodes: Vec<u32>,
    /// Signed weights between nodes (local indices). Borrowed from the discourse network when
    /// that is the basis and every actor is a node (no copy of a large network).
    pub graph: Cow<'a, Csr>,
}

/// The signed tie network over all actors: per pair, the largest weight among its
/// non-`conflict` ties minus the largest weight among its `conflict` ties (a pair with both an
/// alliance and an enmity of equal weight cancels out).
pub fn signed_tie_network(prep: &Prepared) -> Csr {
    let mut best: BTreeMap<(u32, u32), (f64, f64)> = BTreeMap::new();
    for t in &prep.ties {
        let e = best.entry((t.a, t.b)).or_insert((0.0, 0.0));
        if t.kind == TieKind::Conflict {
            e.1 = e.1.max(t.weight);
        } else {
            e.0 = e.0.max(t.weight);
        }
    }
    Csr::from_edges(
        prep.n_actors(),
        best.into_iter()
            .map(|((a, b), (p, n))| (a, b, p - n))
            .filter(|e| e.2 != 0.0),
        |x, _| x,
    )
}

/// Builds the basis network of `settings.coalition_basis`:
/// - `discourse`: w over the actors with at least one position;
/// - `ties`: the signed tie network over the actors with at least one active tie (of any
///   kind, `conflict` included);
/// - `combined`: w / max|w| + t / max|t| over the actors with a position or a tie.
///
/// Actors outside the node set are *unpositioned* (not members of any coalition).
pub fn basis_network<'a>(
    prep: &Prepared,
    net: &'a DiscourseNetwork,
    basis: CoalitionBasis,
) -> BasisNetwork<'a> {
    let n = prep.n_actors();
    let positioned: Vec<bool> = prep.positions.iter().map(|p| !p.is_empty()).collect();
    let mut tied = vec![false; n];
    for t in &prep.ties {
        tied[t.a as usize] = true;
        tied[t.b as usize] = true;
    }
    let scaled = |g: &Csr| -> Vec<(u32, u32, f64)> {
        let max = g.edges().map(|e| e.2.abs()).fold(0.0, f64::max);
        if max <= 0.0 {
            return Vec::new();
        }
        g.edges().map(|(a, b, w)| (a, b, w / max)).collect()
    };
    let (keep, full): (Vec<bool>, Cow<'a, Csr>) = match basis {
        CoalitionBasis::Discourse => (positioned, Cow::Borrowed(&net.graph)),
        CoalitionBasis::Ties => (tied, Cow::Owned(signed_tie_network(prep))),
        CoalitionBasis::Combined => {
            let keep = positioned
                .iter()
                .zip(&tied)
                .map(|(p, t)| *p || *t)
                .collect();
            let mut edges = scaled(&net.graph);
            edges.extend(scaled(&signed_tie_network(prep)));
            let g = Csr::from_edges(n, edges, |x, y| x + y);
            (keep, Cow::Owned(g))
        }
    };
    let nodes: Vec<u32> = (0..n as u32).filter(|&a| keep[a as usize]).collect();
    let graph = if nodes.len() == n {
        full
    } else {
        Cow::Owned(full.induced(&nodes))
    };
    BasisNetwork { nodes, graph }
}

/// Detected coalitions, in dense actor indices.
#[derive(Clone, Debug, PartialEq)]
pub struct Detected {
    /// Members of each coalition, sorted; coalitions ordered by size (largest first), then by
    /// smallest member id. Every node of the basis network is in exactly one coalition
    /// (coalitions of one member included).
    pub coalitions: Vec<Vec<u32>>,
    /// Each coalition's share Q_c of Q (same order).
    pub shares: Vec<Option<f64>>,
    /// Q; `None` when the basis network has no weight.
    pub modularity: Option<f64>,
    /// Actors outside the basis network, sorted.
    pub unpositioned: Vec<u32>,
}

/// Detects coalitions by maximising signed modularity with γ+ = `settings.resolution` and
/// γ- = `settings.conflict_resolution` on the basis network (see `leiden`).
pub fn detect_coalitions(prep: &Prepared, net: &DiscourseNetwork, settings: &Settings) -> Detected {
    detect_from(prep, net, settings, None)
}

/// [`detect_coalitions`] starting from `previous`, the coalitions of an earlier analysis of
/// the same actors (dense indices), with [`crate::leiden::detect_with_shares_from`]: each
/// actor starts in its previous coalition, an actor new to the basis network alone. With
/// `changed` (actors, ascending: those whose edges in the basis network changed) only those
/// are queued for moving at first. Quick after a small edit, but provisional: a cold start
/// may find other coalitions.
pub fn detect_coalitions_from(
    prep: &Prepared,
    net: &DiscourseNetwork,
    settings: &Settings,
    previous: &Detected,
    changed: Option<&[u32]>,
) -> Detected {
    detect_from(prep, net, settings, Some((previous, changed)))
}

/// The nodes a warm start queues first, ascending: the `changed` actors (as nodes of a graph
/// whose node i is actor `nodes[i]`, or actor i without `nodes`) and every node that starts in
/// a label of its own (`start[i] >= known`: new to the basis network). `None` without
/// `changed` (every node is queued).
fn queue_first(
    changed: Option<&[u32]>,
    nodes: Option<&[u32]>,
    start: &[u32],
    known: u32,
) -> Option<Vec<u32>> {
    let node_of = |a: u32| match nodes {
        None => Some(a),
        Some(nodes) => nodes.binary_search(&a).ok().map(|i| i as u32),
    };
    let mut first: Vec<u32> = changed?
        .iter()
        .filter_map(|&a| node_of(a))
        .chain((0..start.len() as u32).filter(|&i| start[i as usize] >= known))
        .collect();
    first.sort_unstable();
    first.dedup();
    Some(first)
}

/// (actor, label) of every actor with a position, from labels per actor of a detection on w
/// itself (the basis network of the discourse basis without its copy).
fn positioned_labels(prep: &Prepared, labels: &[u32]) -> Vec<(u32, u32)> {
    (0..prep.n_actors() as u32)
        .filter(|&a| !prep.positions[a as usize].is_empty())
        .map(|a| (a, labels[a as usize]))
        .collect()
}

fn detect_from(
    prep: &Prepared,
    net: &DiscourseNetwork,
    settings: &Settings,
    previous: Option<(&Detected, Option<&[u32]>)>,
) -> Detected {
    let res = Resolution {
        positive: settings.resolution,
        negative: settings.conflict_resolution,
    };
    // (actor, label) of every node of the basis network, the labels and Q.
    let (pairs, scored): (Vec<(u32, u32)>, _) = match previous {
        None if settings.coalition_basis == CoalitionBasis::Discourse => {
            // On w itself, as after an edit: the actors without a position have no edge in
            // it, so each stays alone, adds nothing to Q and moves no one else; they are left
            // out of the pairs. The partition of the others and Q are those on the basis
            // network (its subgraph without them), with no copy of the network made.
            let (labels, scored) = detect_with_shares(&net.graph, res);
            (positioned_labels(prep, &labels), scored)
        }
        None => {
            let basis = basis_network(prep, net, settings.coalition_basis);
            let (labels, scored) = detect_with_shares(&basis.graph, res);
            (basis.nodes.into_iter().zip(labels).collect(), scored)
        }
        Some((previous, changed)) => {
            let n = prep.n_actors();
            // Previous coalition of each actor; actors not in one get labels of their own.
            let mut start = vec![u32::MAX; n];
            for (c, members) in previous.coalitions.iter().enumerate() {
                for &a in members {
                    if let Some(x) = start.get_mut(a as usize) {
                        *x = c as u32;
                    }
                }
            }
            let known = previous.coalitions.len() as u32;
            for (next, x) in (known..).zip(start.iter_mut().filter(|x| **x == u32::MAX)) {
                *x = next;
            }
            if settings.coalition_basis == CoalitionBasis::Discourse {
                // On w itself: an actor without a position has no edge in it, so it stays
                // alone and adds nothing to Q; no copy of the network for the basis.
                let first = queue_first(changed, None, &start, known);
                let (labels, scored) =
                    detect_with_shares_from(&net.graph, res, &start, first.as_deref());
                (positioned_labels(prep, &labels), scored)
            } else {
                let basis = basis_network(prep, net, settings.coalition_basis);
                let local: Vec<u32> = basis.nodes.iter().map(|&a| start[a as usize]).collect();
                let first = queue_first(changed, Some(&basis.nodes), &local, known);
                let (labels, scored) =
                    detect_with_shares_from(&basis.graph, res, &local, first.as_deref());
                (basis.nodes.into_iter().zip(labels).collect(), scored)
            }
        }
    };
    let (q, shares) = match scored {
        Some((q, shares)) => (Some(q), Some(shares)),
        None => (None, None),
    };
    let k = pairs
        .iter()
        .map(|&(_, l)| l as usize + 1)
        .max()
        .unwrap_or(0);
    let mut groups: Vec<(Vec<u32>, Option<f64>)> = (0..k)
        .map(|c| (Vec::new(), shares.as_ref().map(|s| s[c])))
        .collect();
    let mut in_basis = vec![false; prep.n_actors()];
    for &(a, l) in &pairs {
        groups[l as usize].0.push(a);
        in_basis[a as usize] = true;
    }
    groups.retain(|g| !g.0.is_empty());
    groups.sort_by(|x, y| y.0.len().cmp(&x.0.len()).then_with(|| x.0[0].cmp(&y.0[0])));
    Detected {
        shares: groups.iter().map(|g| g.1).collect(),
        coalitions: groups.into_iter().map(|g| g.0).collect(),
        modularity: q,
        unpositioned: (0..prep.n_actors() as u32)
            .filter(|&a| !in_basis[a as usize])
            .collect(),
    }
}

/// One narrative of a coalition's storyline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StorylineEntry {
    /// Narrative id.
    pub narrative: String,
    /// Mean p(a,n) over the members with a position on n.
    pub mean_position: f64,
    /// Share of the members that hold a position on n.
    pub coverage: f64,
    /// Population standard deviation of those positions (divisor: their number).
    pub sd: f64,
}

/// The storyline of a set of actors: one entry per narrative on which at least one member
/// holds a position, sorted by narrative id (docs/method.md §3).
pub fn storyline(prep: &Prepared, members: &[u32]) -> Vec<StorylineEntry> {
    let mut acc: BTreeMap<u32, (f64, f64, f64)> = BTreeMap::new();
    for &a in members {
        for &(n, p) in &prep.positions[a as usize] {
            let e = acc.entry(n).or_insert((0.0, 0.0, 0.0));
            let p = f64::from(p);
            e.0 += 1.0;
            e.1 += p;
            e.2 += p * p;
        }
    }
    acc.into_iter()
        .map(|(n, (count, sum, sq))| {
            let mean = sum / count;
            let var = (sq / count - mean * mean).max(0.0);
            StorylineEntry {
                narrative: prep.narratives[n as usize].id.clone(),
                mean_position: mean,
                coverage: count / members.len() as f64,
                sd: var.sqrt(),
            }
        })
        .collect()
}

/// `"storyline"` (the name comes from the storyline) or `"user"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameSource {
    #[default]
    Storyline,
    User,
}

/// One detected coalition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coalition {
    /// `c1`, `c2`, ...
    pub id: String,
    /// A name a person can use: the user's name kept for this coalition, else its storyline
    /// name (`coalition_view`; issue 18).
    #[serde(default)]
    pub name: String,
    /// "for: LABEL" of the narrative it supports most (in the analysis' language).
    #[serde(default)]
    pub storyline_name: String,
    /// The narrative the storyline name names.
    #[serde(default)]
    pub storyline_narrative: Option<String>,
    /// `storyline` or `user`: where `name` comes from.
    #[serde(default)]
    pub named_by: NameSource,
    /// Actor ids, sorted.
    pub members: Vec<String>,
    /// The coalition's term Q_c of Q (Σ over coalitions = Q).
    pub modularity_share: Option<f64>,
    /// Per narrative held by a member, sorted by narrative id.
    pub storyline: Vec<StorylineEntry>,
    /// narrative_support is null for detected coalitions.
    pub metrics: Metrics,
}

/// The detected coalitions with their metrics: the detection result (modularity,
/// unpositioned actors), the reported coalitions, and whether any coalition metric was
/// estimated from sampled pairs.
pub(crate) struct CoalitionsWithMetrics {
    pub detected: Detected,
    pub coalitions: Vec<Coalition>,
    pub any_sampled: bool,
}

/// The metrics of the coalitions of an earlier analysis of the same map (same settings and
/// window: the caller vouches), with what they were computed on. A coalition's metrics are a
/// function of its members, their position lists (through w among them: the exact network
/// only), the actors' influence and domains, the structural graph and the settings; so a
/// coalition with the same members, none of whose position lists changed, on equal actors and
/// an equal structural graph, has the metrics it had (the server's re-analysis after a
/// stance edit: most coalitions keep their members).
#[derive(Clone, Debug)]
pub struct CoalitionMetricsMemo {
    actors: Vec<crate::prepare::ActorInfo>,
    structural: Csr,
    by_members: BTreeMap<Vec<u32>, Metrics>,
}

impl CoalitionMetricsMemo {
    /// The memo of `coalitions` (exact network: no sampled metric), computed on `prep` and
    /// `structural`.
    pub(crate) fn of(
        prep: &Prepared,
        structural: &Csr,
        coalitions: &CoalitionsWithMetrics,
    ) -> Self {
        CoalitionMetricsMemo {
            actors: prep.actors.clone(),
            structural: structural.clone(),
            by_members: coalitions
                .detected
                .coalitions
                .iter()
                .cloned()
                .zip(coalitions.coalitions.iter().map(|c| c.metrics.clone()))
                .collect(),
        }
    }
}

/// The reported coalitions of an already detected partition, with their metrics (section 5),
/// taking a coalition's metrics from `reuse` (a memo and the actors whose position lists
/// changed since, ascending) where they cannot have changed; only on the exact network (where
/// no metric is sampled).
pub(crate) fn with_metrics_reusing(
    prep: &Prepared,
    discourse: &DiscourseNetwork,
    structural: &Csr,
    settings: &Settings,
    detected: Detected,
    reuse: Option<(&CoalitionMetricsMemo, &[u32])>,
) -> CoalitionsWithMetrics {
    let inputs = MetricInputs {
        prep,
        structural,
        discourse,
        settings,
    };
    let reuse = reuse.filter(|(memo, _)| {
        discourse.exact && memo.actors == prep.actors && memo.structural == *structural
    });
    let known = |members: &Vec<u32>| {
        let (memo, changed) = reuse?;
        if members.iter().any(|a| changed.binary_search(a).is_ok()) {
            return None;
        }
        memo.by_members.get(members).map(|m| (m.clone(), false))
    };
    // Each coalition's metrics are independent of the others': computed in parallel, kept
    // in order.
    use rayon::prelude::*;
    let metrics: Vec<(Metrics, bool)> = detected
        .coalitions
        .par_iter()
        .map(|members| {
            known(members).unwrap_or_else(|| {
                let (metrics, _, sampled) = set_metrics(&inputs, members, None);
                (metrics, sampled)
            })
        })
        .collect();
    let any_sampled = metrics.iter().any(|m| m.1);
    let coalitions: Vec<Coalition> = detected
        .coalitions
        .iter()
        .zip(&detected.shares)
        .zip(metrics)
        .enumerate()
        .map(|(i, ((members, share), (metrics, _)))| Coalition {
            id: format!("c{}", i + 1),
            name: String::new(),
            storyline_name: String::new(),
            storyline_narrative: None,
            named_by: Default::default(),
            members: prep.ids(members),
            modularity_share: *share,
            storyline: storyline(prep, members),
            metrics,
        })
        .collect();
    CoalitionsWithMetrics {
        detected,
        coalitions,
        any_sampled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discourse::discourse_network;
    use crate::prepare::Window;
    use vertoog_model::{Actor, Bundle, Map, Narrative, Stance, Tie};

    #[test]
    fn storyline_by_hand() {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = ["a", "b", "c"].iter().map(|i| Actor::new(*i, *i)).collect();
        b.narratives = vec![
            Narrative::new("n1", "N1", true),
            Narrative::new("n2", "N2", false),
        ];
        b.stances = vec![
            Stance::new("s1", "a", "n1", 2),
            Stance::new("s2", "b", "n1", 1),
            Stance::new("s3", "c", "n1", -1),
            Stance::new("s4", "a", "n2", 1),
        ];
        let prep = Prepared::new(&b, Window::default());
        let s = storyline(&prep, &[0, 1, 2]);
        assert_eq!(s.len(), 2);
        // n1: positions 2, 1, -1: mean 2/3; coverage 1;
        // variance = (4 + 1 + 1)/3 - 4/9 = 2 - 4/9 = 14/9; sd = sqrt(14)/3.
        assert_eq!(s[0].narrative, "n1");
        assert!((s[0].mean_position - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(s[0].coverage, 1.0);
        assert!((s[0].sd - 14f64.sqrt() / 3.0).abs() < 1e-12);
        // n2: only a: mean 1, coverage 1/3, sd 0.
        assert_eq!(s[1].mean_position, 1.0);
        assert!((s[1].coverage - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(s[1].sd, 0.0);
    }

    #[test]
    fn bases_and_unpositioned() {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|i| Actor::new(*i, *i))
            .collect();
        b.narratives = vec![Narrative::new("n", "N", true)];
        b.stances = vec![
            Stance::new("s1", "a", "n", 2),
            Stance::new("s2", "b", "n", 2),
            Stance::new("s3", "c", "n", -2),
        ];
        b.ties = vec![
            Tie::new("t1", "c", "d", TieKind::Collaboration).with_weight(1.0),
            Tie::new("t2", "a", "d", TieKind::Conflict).with_weight(0.5),
            Tie::new("t3", "a", "d", TieKind::Communication).with_weight(0.2),
        ];
        let prep = Prepared::new(&b, Window::default());
        let net = discourse_network(&prep, 1000, 50);
        let t = signed_tie_network(&prep);
        // a-d: 0.2 - 0.5 = -0.3.
        assert!((t.weight(0, 3).unwrap() + 0.3).abs() < 1e-12);

        let mut s = Settings::default();
        let d = detect_coalitions(&prep, &net, &s);
        // w(a,b) = 1, w(a,c) = w(b,c) = -1: {a,b} and {c}; d, e have no position.
        assert_eq!(d.coalitions, vec![vec![0, 1], vec![2]]);
        assert_eq!(d.unpositioned, vec![3, 4]);
        // 2W+ = 2, 2W- = 4: {a,b}: (2 - 2·2/2)/6 = 0; {c}: (0 - 1·1/2)/6... k+_c = 0 -> 0.
        // Q = 0 for this partition with γ+ = 1: one positive edge cannot beat its null term.
        assert!(d.modularity.unwrap().abs() < 1e-12);

        s.coalition_basis = CoalitionBasis::Ties;
        let d = detect_coalitions(&prep, &net, &s);
        // Ties: c-d +1, a-d -0.3; b and e have no tie.
        assert_eq!(d.unpositioned, vec![1, 4]);
        assert_eq!(d.coalitions, vec![vec![2, 3], vec![0]]);

        s.coalition_basis = CoalitionBasis::Combined;
        let d = detect_coalitions(&prep, &net, &s);
        assert_eq!(d.unpositioned, vec![4]);
        let members: usize = d.coalitions.iter().map(Vec::len).sum();
        assert_eq!(members, 4);
    }
}

//! Betweenness, Burt's constraint and effective size (docs/method.md §6), computed as
//! networkx computes them so that the numbers can be checked against it.
//!
//! Both are free functions over petgraph's `visit` traits, so they run on any undirected
//! petgraph graph (`Graph`, `GraphMap`, the analysis' own [`Csr`]). Betweenness copies the
//! graph's adjacency into compressed rows once per call (O(n + m), against the O(k · m) of the
//! searches) and runs its kernel on them.

use petgraph::visit::{EdgeRef, IntoEdges, IntoNeighbors, NodeIndexable};

use crate::graph::Csr;
use crate::prng::SplitMix64;

/// Betweenness centrality and whether it is exact.
#[derive(Clone, Debug, PartialEq)]
pub struct Betweenness {
    /// Per node, normalised betweenness.
    pub values: Vec<f64>,
    /// False when estimated from sampled sources.
    pub exact: bool,
}

/// Brandes' (2001) betweenness on hop distances, normalised as networkx
/// `betweenness_centrality(G, normalized=True)` for an undirected graph:
///
/// `b(v) = Σ_{s != v != t} σ_st(v) / σ_st  /  ((n-1)(n-2)/2)` over unordered pairs {s, t}
/// (σ_st the number of shortest s-t paths, σ_st(v) those through v); 0 when n <= 2.
///
/// Exact when `n <= exact_limit`. Above, the dependencies are accumulated from `samples`
/// sources drawn with the seeded generator and scaled by n / samples (networkx's `k=`
/// estimate), and `exact` is false.
///
/// Sources are split into chunks whose size depends only on the number of sources; the chunks
/// run in parallel (rayon) on large graphs, each summing its own dependencies, and the chunk
/// sums are added in chunk order. So the floating-point sums are the same on every run and for
/// every number of threads.
///
/// Any undirected petgraph graph; neighbours are searched in the order the graph yields them.
/// The path 0 - 1 - 2: the pair {0, 2} has its one shortest path through 1, so b(1) = 1 / 1:
///
/// ```
/// use petgraph::graph::UnGraph;
/// use vertoog_analysis::centrality::betweenness;
/// let g = UnGraph::<(), f64>::from_edges([(0, 1, 1.0), (1, 2, 1.0)]);
/// let b = betweenness(&g, 100, 10, 1);
/// assert_eq!(b.values, vec![0.0, 1.0, 0.0]);
/// assert!(b.exact);
/// ```
pub fn betweenness<G>(g: G, exact_limit: usize, samples: usize, seed: u64) -> Betweenness
where
    G: IntoNeighbors + NodeIndexable,
{
    // The kernel's compressed rows (weights unused): for a `Csr`, the same rows.
    let g = &Csr::from_sorted_rows(g.node_bound(), |v, row| {
        row.extend(
            g.neighbors(g.from_index(v))
                .map(|w| (g.to_index(w) as u32, 0.0)),
        )
    });
    let n = g.n();
    let (sources, exact): (Vec<usize>, bool) = if n <= exact_limit || samples >= n {
        ((0..n).collect(), true)
    } else {
        (
            SplitMix64::new(seed).sample_indices(n, samples.max(1)),
            false,
        )
    };
    let mut values = vec![0.0; n];
    if n > 2 && !sources.is_empty() {
        // At most MAX_CHUNKS partial sums (memory n · 8 bytes each), at least MIN_CHUNK
        // sources per chunk (so a chunk's scratch set-up is amortised).
        const MAX_CHUNKS: usize = 64;
        const MIN_CHUNK: usize = 32;
        let chunk = sources.len().div_ceil(MAX_CHUNKS).max(MIN_CHUNK);
        let work = sources.len() as u64 * (n as u64 + 2 * g.n_edges() as u64);
        let partials: Vec<Vec<f64>> = if work > 250_000 && sources.len() > chunk {
            use rayon::prelude::*;
            sources
                .par_chunks(chunk)
                .map(|c| brandes_accumulate(g, c))
                .collect()
        } else {
            sources
                .chunks(chunk)
                .map(|c| brandes_accumulate(g, c))
                .collect()
        };
        for part in &partials {
            for (x, y) in values.iter_mut().zip(part) {
                *x += y;
            }
        }
        // Each unordered pair is counted from both of its ends: divide by 2 · (n-1)(n-2)/2.
        let mut scale = 1.0 / ((n - 1) as f64 * (n - 2) as f64);
        if !exact {
            scale *= n as f64 / sources.len() as f64;
        }
        for v in &mut values {
            *v *= scale;
        }
    }
    Betweenness { values, exact }
}

/// Σ over `sources` of Brandes' dependency δ_s(v) (unnormalised).
///
/// Per source: a breadth-first search that counts shortest paths (σ) and records, for each
/// node in BFS order, its successors in the shortest-path DAG (contiguous in one flat buffer);
/// then, in reverse BFS order, `δ(v) = σ(v) · Σ_{w succ v} (1 + δ(w)) / σ(w)` (Brandes'
/// recurrence in pull form), so the second pass reads only the DAG's edges. All buffers are
/// allocated once per call and reused for every source; only the searched nodes are reset.
///
/// The search's inner loop has no data-dependent branch: whether a neighbour is new, and
/// whether it is a DAG successor, would both be mispredicted, so each only advances a write
/// position (the neighbour is always written). σ is then pushed to the node's successors in a
/// separate tight loop, in the order a branching implementation would add it.
///
/// This is the hot loop of the whole analysis (an M map: 5,000 searches over 94,000 directed
/// edges each), so it indexes without bounds checks; the graph is validated once up front,
/// which is what makes every index below provably in range.
fn brandes_accumulate(g: &Csr, sources: &[usize]) -> Vec<f64> {
    const UNSEEN: u32 = u32::MAX;
    let n = g.n();
    let (offsets, targets) = g.raw();
    // The invariants every unchecked index below relies on.
    assert!(offsets.len() == n + 1 && offsets[n] == targets.len());
    assert!(offsets.windows(2).all(|w| w[0] <= w[1]));
    assert!(targets.iter().all(|&t| (t as usize) < n));
    assert!(sources.iter().all(|&s| s < n));
    let mut bc = vec![0.0; n];
    // σ is 0 for every node outside the current search (reset after each source).
    let mut sigma = vec![0.0f64; n];
    let mut dist = vec![UNSEEN; n];
    // coeff(w) = (1 + δ(w)) / σ(w), written in the backward pass before it is read.
    let mut coeff = vec![0.0f64; n];
    // BFS order; one spare slot, because every neighbour is written at the queue's end and
    // only kept (the end advanced) when it is new. A node is queued at most once, so the
    // queue's end never passes n.
    let mut order = vec![0u32; n + 1];
    // Successors of order[i] are succ[succ_end[i-1]..succ_end[i]]. A node is scanned once per
    // search and writes at most its degree, so the write position stays below the number of
    // directed entries, targets.len().
    let mut succ = vec![0u32; targets.len() + 1];
    let mut succ_end = vec![0usize; n];
    for &s in sources {
        // SAFETY: every index is a node (< n: checked above for targets and sources, and
        // `order` only holds targets and sources), a queue position (< n + 1), a successor
        // position (<= targets.len()), or a row offset position (v + 1 <= n).
        unsafe {
            *sigma.get_unchecked_mut(s) = 1.0;
            *dist.get_unchecked_mut(s) = 0;
            *order.get_unchecked_mut(0) = s as u32;
            let mut queued = 1;
            let mut found = 0;
            let mut head = 0;
            while head < queued {
                let v = *order.get_unchecked(head) as usize;
                let next = *dist.get_unchecked(v) + 1;
                let sv = *sigma.get_unchecked(v);
                let start = found;
                let row =
                    targets.get_unchecked(*offsets.get_unchecked(v)..*offsets.get_unchecked(v + 1));
                for &u in row {
                    let ui = u as usize;
                    let d = *dist.get_unchecked(ui);
                    let new = d == UNSEEN;
                    let d = if new { next } else { d };
                    *dist.get_unchecked_mut(ui) = d;
                    *order.get_unchecked_mut(queued) = u;
                    queued += usize::from(new);
                    *succ.get_unchecked_mut(found) = u;
                    found += usize::from(d == next);
                }
                for k in start..found {
                    *sigma.get_unchecked_mut(*succ.get_unchecked(k) as usize) += sv;
                }
                *succ_end.get_unchecked_mut(head) = found;
                head += 1;
            }
            for i in (0..queued).rev() {
                let v = *order.get_unchecked(i) as usize;
                let from = if i == 0 {
                    0
                } else {
                    *succ_end.get_unchecked(i - 1)
                };
                let mut acc = 0.0;
                for k in from..*succ_end.get_unchecked(i) {
                    acc += *coeff.get_unchecked(*succ.get_unchecked(k) as usize);
                }
                let sv = *sigma.get_unchecked(v);
                let delta = sv * acc;
                *coeff.get_unchecked_mut(v) = (1.0 + delta) / sv;
                if v != s {
                    *bc.get_unchecked_mut(v) += delta;
                }
            }
            for k in 0..queued {
                let v = *order.get_unchecked(k) as usize;
                *dist.get_unchecked_mut(v) = UNSEEN;
                *sigma.get_unchecked_mut(v) = 0.0;
            }
        }
    }
    bc
}

/// Burt's constraint and effective size per node, on edge weights, as networkx computes them
/// (`nx.constraint` and `nx.effective_size` with `weight=`): with
/// `p(i,j) = w(i,j) / Σ_k w(i,k)` over i's neighbours and `m(j,q) = w(j,q) / max_k w(j,k)`,
///
/// `constraint(i) = Σ_{j in N(i)} ( p(i,j) + Σ_{q in N(i)} p(i,q)·p(q,j) )²`,
/// `effective_size(i) = Σ_{j in N(i)} ( 1 - Σ_{q in N(i)} p(i,q)·m(j,q) )`.
///
/// `None` for a node without neighbours (networkx gives NaN). With every weight 1 the
/// effective size equals Borgatti's `n - 2t/n`, networkx's unweighted formula.
///
/// Any undirected petgraph graph with `f64` weights (each edge seen from both ends). A star:
/// the centre's contacts are not tied to each other, so each of its 3 contacts costs
/// p² = (1/3)² and its constraint is 1/3, its effective size 3; a leaf depends on its one
/// contact alone (constraint 1, effective size 1):
///
/// ```
/// use petgraph::graph::UnGraph;
/// use vertoog_analysis::centrality::constraint_and_effective_size;
/// let g = UnGraph::<(), f64>::from_edges([(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0)]);
/// let (c, e) = constraint_and_effective_size(&g);
/// assert!((c[0].unwrap() - 1.0 / 3.0).abs() < 1e-12 && e[0] == Some(3.0));
/// assert_eq!((c[1], e[1]), (Some(1.0), Some(1.0)));
/// ```
pub fn constraint_and_effective_size<G>(g: G) -> (Vec<Option<f64>>, Vec<Option<f64>>)
where
    G: IntoEdges<EdgeWeight = f64> + NodeIndexable,
{
    let n = g.node_bound();
    // (neighbour, weight) pairs of node v.
    let row = |v: usize| {
        g.edges(g.from_index(v))
            .map(move |e| (g.to_index(e.target()), *e.weight()))
    };
    let strength: Vec<f64> = (0..n).map(|v| row(v).map(|(_, w)| w).sum()).collect();
    let max_w: Vec<f64> = (0..n)
        .map(|v| row(v).map(|(_, w)| w).fold(0.0, f64::max))
        .collect();
    // p_i[q] for q in N(i), kept in a dense scratch array.
    let mut p_i = vec![0.0f64; n];
    let mut in_nbhd = vec![false; n];
    let mut cons = vec![None; n];
    let mut eff = vec![None; n];
    for i in 0..n {
        if row(i).next().is_none() || strength[i] <= 0.0 {
            continue;
        }
        for (q, w) in row(i) {
            p_i[q] = w / strength[i];
            in_nbhd[q] = true;
        }
        let mut c = 0.0;
        let mut e = 0.0;
        for (j, _) in row(i) {
            let mut indirect = 0.0; // Σ_q p(i,q)·p(q,j)
            let mut redundancy = 0.0; // Σ_q p(i,q)·m(j,q)
            for (q, w_jq) in row(j) {
                if in_nbhd[q] {
                    // The graph is undirected: w(q,j) = w(j,q).
                    indirect += p_i[q] * w_jq / strength[q];
                    redundancy += p_i[q] * w_jq / max_w[j];
                }
            }
            c += (p_i[j] + indirect).powi(2);
            e += 1.0 - redundancy;
        }
        cons[i] = Some(c);
        eff[i] = Some(e);
        for (q, _) in row(i) {
            p_i[q] = 0.0;
            in_nbhd[q] = false;
        }
    }
    (cons, eff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(u32, u32, f64)]) -> Csr {
        Csr::from_edges(n, edges.iter().copied(), f64::max)
    }

    #[test]
    fn betweenness_of_a_path_and_a_star() {
        // Path 0-1-2-3: pairs through 1: {0,2},{0,3} = 2; through 2: {0,3},{1,3} = 2.
        // Normalised by (n-1)(n-2)/2 = 3: 2/3.
        let g = graph(4, &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)]);
        let b = betweenness(&g, 100, 10, 1);
        assert!(b.exact);
        let expect = [0.0, 2.0 / 3.0, 2.0 / 3.0, 0.0];
        for (x, y) in b.values.iter().zip(expect) {
            assert!((x - y).abs() < 1e-12, "{:?}", b.values);
        }
        // Square 0-1-2-3-0: pair {0,2} has two shortest paths, one through 1: 1/2 for 1 and
        // 3; pair {1,3}: 1/2 for 0 and 2. Each node 1/2, normalised by 3: 1/6.
        let g = graph(4, &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (0, 3, 1.0)]);
        let b = betweenness(&g, 100, 10, 1);
        assert!(b.values.iter().all(|v| (v - 1.0 / 6.0).abs() < 1e-12));
        // Two nodes: 0.
        let g = graph(2, &[(0, 1, 1.0)]);
        assert_eq!(betweenness(&g, 100, 10, 1).values, vec![0.0, 0.0]);
    }

    #[test]
    fn sampled_betweenness_is_flagged_and_seeded() {
        // Star with centre 0 and 9 leaves: exact b(0) = C(9,2) / C(9,2) = 1.
        let edges: Vec<(u32, u32, f64)> = (1..10).map(|i| (0, i, 1.0)).collect();
        let g = graph(10, &edges);
        let a = betweenness(&g, 5, 4, 99);
        let b = betweenness(&g, 5, 4, 99);
        assert!(!a.exact);
        assert_eq!(a, b);
        // A sampled leaf source contributes δ = 8 to the centre, the centre source 0;
        // the estimate is Σ δ · n / k / ((n-1)(n-2)) and is within a factor of the truth.
        assert!(a.values[0] > 0.5 && a.values[0] <= 1.25, "{}", a.values[0]);
        assert!(a.values[1..].iter().all(|&v| v == 0.0));
    }

    #[test]
    fn constraint_and_effective_size_by_hand() {
        // Triangle 0-1-2 plus pendant 3 on 0, every weight 1.
        // Node 0: N = {1,2,3}, p = 1/3 each.
        //   j=1: indirect via q=2: p(0,2)·p(2,1) = 1/3 · 1/2 = 1/6 -> (1/3 + 1/6)² = 1/4
        //   j=2: same, 1/4;  j=3: no common neighbour -> (1/3)² = 1/9
        //   constraint(0) = 1/4 + 1/4 + 1/9 = 11/18.
        //   effective size: n - 2t/n with n = 3 neighbours, t = 1 tie among them: 3 - 2/3 = 7/3.
        // Node 3: N = {0}, p = 1 -> constraint 1, effective size 1.
        // Node 1: N = {0, 2}, p = 1/2; j=0: indirect p(1,2)·p(2,0) = 1/2·1/2 = 1/4
        //   -> (3/4)², j=2: indirect p(1,0)·p(0,2) = 1/2·1/3 = 1/6 -> (2/3)²
        //   constraint(1) = 9/16 + 4/9 = 145/144; effective size = 2 - 2·1/2 = 1.
        let g = graph(5, &[(0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0), (0, 3, 1.0)]);
        let (c, e) = constraint_and_effective_size(&g);
        let close = |a: Option<f64>, b: f64| (a.unwrap() - b).abs() < 1e-12;
        assert!(close(c[0], 11.0 / 18.0), "{:?}", c[0]);
        assert!(close(e[0], 7.0 / 3.0));
        assert!(close(c[3], 1.0));
        assert!(close(e[3], 1.0));
        assert!(close(c[1], 145.0 / 144.0));
        assert!(close(e[1], 1.0));
        assert_eq!(c[4], None, "isolate");
        assert_eq!(e[4], None);
    }

    #[test]
    fn weighted_effective_size_by_hand() {
        // Node 0 with neighbours 1 (w 1) and 2 (w 3); 1-2 tied with w 2.
        // p(0,1) = 1/4, p(0,2) = 3/4. m(1,2) = w(1,2)/max(w(1,0), w(1,2)) = 2/2 = 1;
        // m(2,1) = 2/max(3, 2) = 2/3.
        // effective size(0) = (1 - p(0,2)·m(1,2)) + (1 - p(0,1)·m(2,1))
        //                   = (1 - 3/4) + (1 - 1/4·2/3) = 1/4 + 5/6 = 13/12.
        // p(2,1) = 2/5, p(1,2) = 2/3.
        // constraint(0) = (1/4 + 3/4·2/5)² + (3/4 + 1/4·2/3)² = (11/20)² + (11/12)²
        //               = 0.3025 + 0.8402777... = 1.1427777...
        let g = graph(3, &[(0, 1, 1.0), (0, 2, 3.0), (1, 2, 2.0)]);
        let (c, e) = constraint_and_effective_size(&g);
        assert!((e[0].unwrap() - 13.0 / 12.0).abs() < 1e-12);
        let expect = (11.0f64 / 20.0).powi(2) + (11.0f64 / 12.0).powi(2);
        assert!((c[0].unwrap() - expect).abs() < 1e-12);
    }

    /// Betweenness straight from its definition: for every unordered pair {s, t} and every
    /// v on a shortest s-t path, σ_sv σ_vt / σ_st, with σ and distances from one BFS per node.
    fn brute_betweenness(g: &Csr) -> Vec<f64> {
        let n = g.n();
        let bfs = |s: usize| -> (Vec<u32>, Vec<f64>) {
            let mut dist = vec![u32::MAX; n];
            let mut sigma = vec![0.0; n];
            let mut queue = std::collections::VecDeque::from([s]);
            dist[s] = 0;
            sigma[s] = 1.0;
            while let Some(v) = queue.pop_front() {
                for &u in g.neighbours(v) {
                    let u = u as usize;
                    if dist[u] == u32::MAX {
                        dist[u] = dist[v] + 1;
                        queue.push_back(u);
                    }
                    if dist[u] == dist[v] + 1 {
                        sigma[u] += sigma[v];
                    }
                }
            }
            (dist, sigma)
        };
        let all: Vec<(Vec<u32>, Vec<f64>)> = (0..n).map(bfs).collect();
        let mut b = vec![0.0; n];
        for s in 0..n {
            for t in s + 1..n {
                let d = all[s].0[t];
                if d == u32::MAX {
                    continue;
                }
                for (v, bv) in b.iter_mut().enumerate() {
                    if v != s && v != t && all[s].0[v] != u32::MAX && all[s].0[v] + all[v].0[t] == d
                    {
                        *bv += all[s].1[v] * all[v].1[t] / all[s].1[t];
                    }
                }
            }
        }
        let scale = if n > 2 {
            2.0 / ((n - 1) as f64 * (n - 2) as f64)
        } else {
            0.0
        };
        b.iter().map(|x| x * scale).collect()
    }

    fn random_graph(n: usize, m: usize, seed: u64) -> Csr {
        let mut rng = SplitMix64::new(seed);
        let edges: Vec<(u32, u32, f64)> = (0..m)
            .map(|_| (rng.below(n as u64) as u32, rng.below(n as u64) as u32, 1.0))
            .collect();
        Csr::from_edges(n, edges, f64::max)
    }

    #[test]
    fn betweenness_matches_the_definition_on_random_graphs() {
        for seed in 0..6 {
            // Sparse graphs have several components and long paths; denser ones many ties.
            let g = random_graph(40, 30 + 25 * seed as usize, seed);
            let ours = betweenness(&g, 1000, 10, 1);
            assert!(ours.exact);
            for (v, (a, b)) in ours.values.iter().zip(brute_betweenness(&g)).enumerate() {
                assert!((a - b).abs() < 1e-12, "seed {seed} node {v}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn betweenness_is_identical_for_any_thread_count() {
        // 500 sources · (500 + 2·3000) entries is above the parallel threshold.
        let g = random_graph(500, 3000, 9);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| betweenness(&g, 5000, 500, 1));
        let three = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap()
            .install(|| betweenness(&g, 5000, 500, 1));
        assert_eq!(one, three, "bitwise equal");
        assert!(one.values.iter().any(|&v| v > 0.0));
        // Sampled: the same sources and sums too.
        let a = betweenness(&g, 100, 100, 7);
        let b = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| betweenness(&g, 100, 100, 7));
        assert!(!a.exact);
        assert_eq!(a, b);
    }
}

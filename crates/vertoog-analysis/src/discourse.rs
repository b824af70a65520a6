//! The signed discourse network w of analysis.md section 2, computed sparsely, and its
//! k-nearest-neighbour sparsification for large maps (section 10).

use crate::graph::Csr;
use crate::prepare::Prepared;
use crate::prng::SplitMix64;

/// The signed discourse network over every actor of the map (dense actor indices).
#[derive(Clone, Debug)]
pub struct DiscourseNetwork {
    /// Non-zero w as a symmetric graph. Complete when `exact`; the kNN union otherwise.
    pub graph: Csr,
    /// False when the map has more than `max_pairs` non-zero pairs and `graph` is the
    /// k-nearest-neighbour sparsification.
    pub exact: bool,
    /// Number of unordered pairs with w != 0, when it was counted (it is not counted when the
    /// quick upper bound Σ_n C(k_n, 2) already stays below `max_pairs`; then it is the
    /// number of edges of `graph`).
    pub nonzero_pairs: u64,
}

/// `w(a,b) = Σ_{n in S} p(a,n)·p(b,n) / 4  /  |U|` with `S = N(a) ∩ N(b)`,
/// `U = N(a) ∪ N(b)` (analysis.md 2); 0 when S is empty or a == b. In [-1, 1].
/// Computed by merging the two sorted position lists, O(|N(a)| + |N(b)|).
pub fn pair_w(prep: &Prepared, a: u32, b: u32) -> f64 {
    if a == b {
        return 0.0;
    }
    let (pa, pb) = (&prep.positions[a as usize], &prep.positions[b as usize]);
    let (mut i, mut j) = (0, 0);
    let mut sum = 0i32;
    let mut shared = 0usize;
    while i < pa.len() && j < pb.len() {
        match pa[i].0.cmp(&pb[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += i32::from(pa[i].1) * i32::from(pb[j].1);
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    if shared == 0 {
        return 0.0;
    }
    let union = pa.len() + pb.len() - shared;
    f64::from(sum) / 4.0 / union as f64
}

/// Row-wise accumulator: for actor a, Σ_n p(a,n)·p(b,n) (an integer) and |S| for every b
/// sharing a narrative with a, touching only those b (sparse).
struct RowAccumulator {
    sum: Vec<i32>,
    shared: Vec<u32>,
    touched: Vec<u32>,
}

impl RowAccumulator {
    fn new(n: usize) -> Self {
        RowAccumulator {
            sum: vec![0; n],
            shared: vec![0; n],
            touched: Vec::new(),
        }
    }

    /// Fills `out` with `(b, w(a,b))` for every b != a with w != 0, sorted by b. When
    /// `only_above` is set, only b > a.
    fn row(&mut self, prep: &Prepared, a: usize, only_above: bool, out: &mut Vec<(u32, f64)>) {
        out.clear();
        let n_a = prep.positions[a].len();
        for &(nar, pa) in &prep.positions[a] {
            let list = &prep.by_narrative[nar as usize];
            let start = if only_above {
                list.partition_point(|x| (x.0 as usize) <= a)
            } else {
                0
            };
            for &(b, pb) in &list[start..] {
                let bu = b as usize;
                if bu == a {
                    continue;
                }
                if self.shared[bu] == 0 {
                    self.touched.push(b);
                }
                self.shared[bu] += 1;
                self.sum[bu] += i32::from(pa) * i32::from(pb);
            }
        }
        let n = self.sum.len();
        let mut emit = |b: usize, this: &mut Self| {
            let s = this.sum[b];
            if s != 0 {
                let union = n_a + prep.positions[b].len() - this.shared[b] as usize;
                out.push((b as u32, f64::from(s) / 4.0 / union as f64));
            }
            this.sum[b] = 0;
            this.shared[b] = 0;
        };
        if self.touched.len() * 16 > n {
            // Dense row: scanning in order is cheaper than sorting.
            let (lo, hi) = if only_above { (a + 1, n) } else { (0, n) };
            for b in lo..hi {
                if self.shared[b] != 0 {
                    emit(b, self);
                }
            }
        } else {
            let mut touched = std::mem::take(&mut self.touched);
            touched.sort_unstable();
            for &b in &touched {
                emit(b as usize, self);
            }
            touched.clear();
            self.touched = touched;
        }
        self.touched.clear();
    }
}

/// Rows per parallel task of the passes over actors below.
const ROWS_PER_TASK: usize = 64;

/// Runs `f(acc, a)` for every actor a in parallel tasks of consecutive rows, one accumulator
/// per task, and returns the per-task results in row order.
fn par_rows<T: Send>(
    prep: &Prepared,
    f: impl Fn(&mut RowAccumulator, &mut Vec<(u32, f64)>, usize, &mut T) + Sync,
    empty: impl Fn() -> T + Sync,
) -> Vec<T> {
    use rayon::prelude::*;
    let n = prep.n_actors();
    (0..n.div_ceil(ROWS_PER_TASK))
        .into_par_iter()
        .map(|task| {
            let mut acc = RowAccumulator::new(n);
            let mut buf = Vec::new();
            let mut out = empty();
            for a in task * ROWS_PER_TASK..n.min((task + 1) * ROWS_PER_TASK) {
                f(&mut acc, &mut buf, a, &mut out);
            }
            out
        })
        .collect()
}

/// Computes the signed discourse network (analysis.md 2 and 10).
///
/// Sparse: for each actor a, only actors sharing a narrative with a are visited (per narrative
/// the list of actors with a position), so the cost is Σ_n k_n² for k_n actors on narrative n;
/// a row is accumulated in dense scratch arrays with a list of the touched partners (no hash
/// map, no allocation per pair). Rows are independent and computed in parallel (rayon); each
/// row's arithmetic is the same whatever the thread count, so the network is too.
/// When the upper bound Σ_n C(k_n, 2) on the number of non-zero pairs is at most `max_pairs`,
/// the network is built exactly in one pass. Otherwise the non-zero pairs are counted first;
/// above `max_pairs` each actor keeps its `knn_k` strongest |w| partners (ties broken by the
/// smaller partner index) and the graph is the symmetric union of these pairs (`exact` false).
pub fn discourse_network(prep: &Prepared, max_pairs: u64, knn_k: usize) -> DiscourseNetwork {
    let n = prep.n_actors();
    let bound: u64 = prep
        .by_narrative
        .iter()
        .map(|l| {
            let k = l.len() as u64;
            k * k.saturating_sub(1) / 2
        })
        .sum();
    // Small maps: one thread, no task set-up (the result is the same).
    let small = bound < 200_000;
    let mut exact = bound <= max_pairs;
    let mut counted = None;
    if !exact {
        let count: u64 = par_rows(
            prep,
            |acc, buf, a, count: &mut u64| {
                acc.row(prep, a, true, buf);
                *count += buf.len() as u64;
            },
            || 0u64,
        )
        .into_iter()
        .sum();
        counted = Some(count);
        exact = count <= max_pairs;
    }
    if exact {
        let expected = 2 * counted.unwrap_or(bound).min(max_pairs) as usize;
        let graph = if small {
            let mut acc = RowAccumulator::new(n);
            Csr::from_sorted_rows(n, |a, out| acc.row(prep, a, false, out))
        } else {
            Csr::from_sorted_rows_par(
                n,
                expected,
                || RowAccumulator::new(n),
                |acc, a, out| acc.row(prep, a, false, out),
            )
        };
        let pairs = counted.unwrap_or(graph.n_edges() as u64);
        return DiscourseNetwork {
            graph,
            exact: true,
            nonzero_pairs: pairs,
        };
    }
    let k = knn_k.max(1);
    let cmp = |x: &(u32, f64), y: &(u32, f64)| {
        y.1.abs().total_cmp(&x.1.abs()).then_with(|| x.0.cmp(&y.0))
    };
    let edges: Vec<Vec<(u32, u32, f64)>> = par_rows(
        prep,
        |acc, buf, a, edges: &mut Vec<(u32, u32, f64)>| {
            acc.row(prep, a, false, buf);
            if buf.len() > k {
                buf.select_nth_unstable_by(k - 1, cmp);
                buf.truncate(k);
            }
            for &(b, w) in buf.iter() {
                edges.push((a as u32, b, w));
            }
        },
        Vec::new,
    );
    // The same pair chosen from both ends carries the same w: merging by either is exact.
    let graph = Csr::from_edges(n, edges.into_iter().flatten(), |x, _| x);
    DiscourseNetwork {
        graph,
        exact: false,
        nonzero_pairs: counted.unwrap_or(0),
    }
}

/// Mean of w over the unordered pairs of `members` (sorted, distinct), and whether it was
/// estimated. `None` with fewer than two members (analysis.md 5, `discourse_cohesion`).
///
/// Exact network: Σ of the stored w over pairs inside the set / C(|C|, 2). Approximate
/// network (section 10): exact by merging position lists when the set has at most
/// `sample_pairs` pairs, otherwise the mean over `sample_pairs` pairs drawn uniformly with the
/// seeded generator (flagged).
pub fn mean_pair_w(
    prep: &Prepared,
    net: &DiscourseNetwork,
    members: &[u32],
    sample_pairs: u64,
    seed: u64,
) -> (Option<f64>, bool) {
    let m = members.len() as u64;
    if m < 2 {
        return (None, false);
    }
    let pairs = m * (m - 1) / 2;
    if net.exact {
        let mut inside = vec![false; net.graph.n()];
        for &a in members {
            inside[a as usize] = true;
        }
        let mut total = 0.0;
        for &a in members {
            for (b, w) in net.graph.row(a as usize) {
                if b > a && inside[b as usize] {
                    total += w;
                }
            }
        }
        return (Some(total / pairs as f64), false);
    }
    if pairs <= sample_pairs {
        let mut total = 0.0;
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                total += pair_w(prep, a, b);
            }
        }
        return (Some(total / pairs as f64), false);
    }
    let mut rng = SplitMix64::new(seed);
    let mut total = 0.0;
    for _ in 0..sample_pairs {
        let i = rng.below(m) as usize;
        let mut j = rng.below(m - 1) as usize;
        if j >= i {
            j += 1;
        }
        total += pair_w(prep, members[i], members[j]);
    }
    (Some(total / sample_pairs as f64), true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prepare::Window;
    use vertoog_model::{Actor, Bundle, Map, Narrative, Stance};

    /// a: n1 +2, n2 +1;  b: n1 +2, n3 -1;  c: n1 -2, n2 -1;  d: n4 +1 (shares nothing).
    fn bundle() -> Bundle {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = ["a", "b", "c", "d"]
            .iter()
            .map(|i| Actor::new(*i, i.to_uppercase()))
            .collect();
        b.narratives = ["n1", "n2", "n3", "n4"]
            .iter()
            .map(|i| Narrative::new(*i, *i, true))
            .collect();
        b.stances = vec![
            Stance::new("s1", "a", "n1", 2),
            Stance::new("s2", "a", "n2", 1),
            Stance::new("s3", "b", "n1", 2),
            Stance::new("s4", "b", "n3", -1),
            Stance::new("s5", "c", "n1", -2),
            Stance::new("s6", "c", "n2", -1),
            Stance::new("s7", "d", "n4", 1),
        ];
        b
    }

    #[test]
    fn w_by_hand() {
        let prep = Prepared::new(&bundle(), Window::all());
        // w(a,b): S = {n1}, U = {n1,n2,n3}: (2·2/4)/3 = 1/3.
        assert!((pair_w(&prep, 0, 1) - 1.0 / 3.0).abs() < 1e-15);
        // w(a,c): S = U = {n1,n2}: (2·-2 + 1·-1)/4 / 2 = -5/8.
        assert!((pair_w(&prep, 0, 2) + 5.0 / 8.0).abs() < 1e-15);
        // w(b,c): S = {n1}, U = {n1,n2,n3}: (-4/4)/3 = -1/3.
        assert!((pair_w(&prep, 1, 2) + 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(pair_w(&prep, 0, 3), 0.0);
        assert_eq!(pair_w(&prep, 0, 0), 0.0);

        let net = discourse_network(&prep, 1000, 50);
        assert!(net.exact);
        assert_eq!(net.graph.n_edges(), 3);
        assert_eq!(net.nonzero_pairs, 3);
        for (a, b, w) in net.graph.edges() {
            assert!((w - pair_w(&prep, a, b)).abs() < 1e-15);
        }
        // Cohesion of {a, b, c}: (1/3 - 5/8 - 1/3) / 3 = -5/24.
        let (c, approx) = mean_pair_w(&prep, &net, &[0, 1, 2], 1_000_000, 1);
        assert!((c.unwrap() + 5.0 / 24.0).abs() < 1e-15);
        assert!(!approx);
        assert_eq!(mean_pair_w(&prep, &net, &[0], 1_000_000, 1), (None, false));
    }

    #[test]
    fn knn_sparsification_above_max_pairs() {
        let prep = Prepared::new(&bundle(), Window::all());
        // Upper bound: n1 has 3 actors -> 3 pairs, n2 has 2 -> 1: bound 4 > max_pairs 2.
        // Counted non-zero pairs: 3 > 2 -> kNN with k = 1:
        // a's strongest |w| is c (5/8), b's is a or c (1/3 each; smaller index a), c's is a.
        let net = discourse_network(&prep, 2, 1);
        assert!(!net.exact);
        assert_eq!(net.nonzero_pairs, 3);
        let edges: Vec<(u32, u32)> = net.graph.edges().map(|e| (e.0, e.1)).collect();
        assert_eq!(edges, vec![(0, 1), (0, 2)]);
        // Cohesion falls back to exact pair merging for small sets, then to sampling.
        let (c, approx) = mean_pair_w(&prep, &net, &[0, 1, 2], 1_000_000, 1);
        assert!((c.unwrap() + 5.0 / 24.0).abs() < 1e-15);
        assert!(!approx);
        let (c, approx) = mean_pair_w(&prep, &net, &[0, 1, 2], 2, 1);
        assert!(approx);
        let c = c.unwrap();
        assert!((-0.625..=1.0 / 3.0).contains(&c));
    }

    #[test]
    fn exact_when_counted_pairs_fit() {
        let prep = Prepared::new(&bundle(), Window::all());
        // Bound 4 > 3, but only 3 pairs are non-zero: still exact.
        let net = discourse_network(&prep, 3, 1);
        assert!(net.exact);
        assert_eq!(net.graph.n_edges(), 3);
    }
}

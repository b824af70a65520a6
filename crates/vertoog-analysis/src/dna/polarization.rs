//! DNA's polarization score (docs/method.md §13, section "Polarisation").
//!
//! C is the one-mode congruence network and F the one-mode conflict network of the
//! statements in the window (duplicates included), both `average`-normalised. For a partition
//! of the n actors into k clusters of near-equal size (sizes differ by at most 1), with n_c
//! the size of cluster c, W = Σ_c n_c(n_c - 1), B = n(n - 1) - W and ||X|| the sum of the
//! absolute values of X:
//! - expected congruence inside cluster c: e_c = (n_c(n_c - 1)/W) · (||C||/W);
//! - expected conflict between i and j in different clusters:
//!   f_ij = (n_c(i) n_c(j)/B) · (||F||/B);
//! - absdiff = Σ over ordered pairs i != j of |C_ij - e_c| + |F_ij| (same cluster) or
//!   |C_ij| + |F_ij - f_ij| (different clusters);
//! - Q = absdiff / (2(||C|| + ||F||)); every zero denominator gives 0.
//!
//! Polarization is the maximum Q over balanced partitions. It is exact (every balanced
//! partition is tried) when n <= [`MAX_EXHAUSTIVE_ACTORS`] (16) and the number of balanced
//! partitions is at most [`MAX_EXHAUSTIVE_PARTITIONS`]: for k = 2 every n <= 16, for k = 3
//! n <= 15, for k = 4 n <= 13, and k = 1 or k = n always. Above that a seeded local search
//! (pairwise swaps, first improvement, from [`LOCAL_SEARCH_STARTS`] random balanced starts)
//! finds a local maximum and the result is flagged `exact: false`. The search is deterministic
//! given the seed (splitmix64; no clock).
//!
//! Only pairs with a non-zero C or F enter the computation: pairs with C = F = 0 contribute
//! e_c (same cluster) or f_ij (different clusters), which depends only on the cluster sizes,
//! and those are the same for every balanced partition.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use vertoog_model::Date;

use super::{network_sparse, Aggregation, NetworkError, NetworkOptions, Normalization, Statement};
use crate::prng::SplitMix64;

/// Exhaustive search only up to this many actors.
pub const MAX_EXHAUSTIVE_ACTORS: usize = 16;
/// Exhaustive search only when there are at most this many balanced partitions.
pub const MAX_EXHAUSTIVE_PARTITIONS: u64 = 250_000;
/// Random starts of the local search.
pub const LOCAL_SEARCH_STARTS: usize = 10;
/// Passes over all pairs per start, at most (a pass without improvement ends a start).
const MAX_PASSES: usize = 200;

/// The polarization of a set of statements and the partition that attains it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolarizationResult {
    pub k: usize,
    /// Q of the best partition found, in [0, 1].
    pub polarization: f64,
    /// True when every balanced partition was tried.
    pub exact: bool,
    /// Actor label → cluster index; canonical: clusters numbered in the order of their first
    /// actor in label (byte) order, so the first actor is in cluster 0.
    pub partition: BTreeMap<String, usize>,
}

/// Why a polarization cannot be computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolarizationError {
    #[error("k must be at least 1")]
    ZeroClusters,
    #[error("k = {k} is more than the number of actors ({actors})")]
    TooManyClusters { k: usize, actors: usize },
    #[error(transparent)]
    Network(#[from] NetworkError),
}

/// Uniform in 0..n (n > 0), by rejection (no modulo bias): the shuffle of the local search's
/// starts draws with this, from the crate's seeded generator.
fn below_unbiased(rng: &mut SplitMix64, n: usize) -> usize {
    let n = n as u64;
    let zone = u64::MAX - u64::MAX % n;
    loop {
        let x = rng.next_u64();
        if x < zone {
            return (x % n) as usize;
        }
    }
}

/// An unordered pair (lo, hi) with its (C, F) values.
type PairValues = ((usize, usize), (f64, f64));

/// The fixed part of the objective: cluster sizes and the expected values.
struct Model {
    n: usize,
    /// Size of each cluster label (the balanced sizes, largest first).
    sizes: Vec<usize>,
    /// e_c per cluster label.
    e: Vec<f64>,
    /// f_cd per pair of cluster labels.
    f: Vec<Vec<f64>>,
    /// Neighbour lists: (other actor, C, F), for pairs with C or F non-zero.
    adj: Vec<Vec<(usize, f64, f64)>>,
    /// (C, F) by unordered pair (lo, hi).
    pair: HashMap<(usize, usize), (f64, f64)>,
    /// The same, sorted by pair (a fixed summation order).
    pairs: Vec<PairValues>,
    /// Σ over all ordered pairs of the baselines (e_c or f_ij), a constant.
    constant: f64,
    /// 2(||C|| + ||F||).
    denominator: f64,
}

impl Model {
    fn new(n: usize, k: usize, c: &[(usize, usize, f64)], f: &[(usize, usize, f64)]) -> Self {
        let q = n / k;
        let r = n % k;
        let sizes: Vec<usize> = (0..k).map(|c| if c < r { q + 1 } else { q }).collect();
        let mut pair: HashMap<(usize, usize), (f64, f64)> = HashMap::new();
        for &(i, j, v) in c {
            pair.entry((i.min(j), i.max(j))).or_default().0 = v;
        }
        for &(i, j, v) in f {
            pair.entry((i.min(j), i.max(j))).or_default().1 = v;
        }
        let norm_c: f64 = 2.0 * c.iter().map(|e| e.2.abs()).sum::<f64>();
        let norm_f: f64 = 2.0 * f.iter().map(|e| e.2.abs()).sum::<f64>();
        let mut pairs_sorted: Vec<PairValues> = pair.iter().map(|(k, v)| (*k, *v)).collect();
        pairs_sorted.sort_by_key(|(k, _)| *k);
        let mut adj = vec![Vec::new(); n];
        for &((i, j), (cv, fv)) in &pairs_sorted {
            adj[i].push((j, cv, fv));
            adj[j].push((i, cv, fv));
        }
        let nf = n as f64;
        let w: f64 = sizes
            .iter()
            .map(|&s| (s * s.saturating_sub(1)) as f64)
            .sum();
        let b = nf * (nf - 1.0) - w;
        let ratio = |a: f64, d: f64| if d == 0.0 { 0.0 } else { a / d };
        let e: Vec<f64> = sizes
            .iter()
            .map(|&s| ratio((s * s.saturating_sub(1)) as f64, w) * ratio(norm_c, w))
            .collect();
        let fm: Vec<Vec<f64>> = sizes
            .iter()
            .map(|&s| {
                sizes
                    .iter()
                    .map(|&t| ratio((s * t) as f64, b) * ratio(norm_f, b))
                    .collect()
            })
            .collect();
        let mut constant = 0.0;
        for (ci, &s) in sizes.iter().enumerate() {
            constant += (s * s.saturating_sub(1)) as f64 * e[ci];
            for (di, &t) in sizes.iter().enumerate() {
                if ci != di {
                    constant += (s * t) as f64 * fm[ci][di];
                }
            }
        }
        Model {
            n,
            sizes,
            e,
            f: fm,
            adj,
            pair,
            pairs: pairs_sorted,
            constant,
            denominator: norm_c + norm_f,
        }
        .with_denominator_doubled()
    }

    fn with_denominator_doubled(mut self) -> Self {
        self.denominator *= 2.0;
        self
    }

    /// term - baseline of one ordered pair with values (cv, fv) in clusters (a, b).
    fn h(&self, cv: f64, fv: f64, a: usize, b: usize) -> f64 {
        if a == b {
            (cv - self.e[a]).abs() + fv.abs() - self.e[a]
        } else {
            let f = self.f[a][b];
            cv.abs() + (fv - f).abs() - f
        }
    }

    /// Q of a labelling whose cluster sizes are `self.sizes`.
    fn q(&self, labels: &[usize]) -> f64 {
        if self.denominator == 0.0 {
            return 0.0;
        }
        let extra: f64 = self
            .pairs
            .iter()
            .map(|&((i, j), (cv, fv))| 2.0 * self.h(cv, fv, labels[i], labels[j]))
            .sum();
        (self.constant + extra) / self.denominator
    }
}

/// The number of balanced partitions of n actors into k unlabelled clusters:
/// n! / (Π n_c! · Π_s m_s!) with m_s the number of clusters of size s; saturates.
fn balanced_partition_count(n: usize, k: usize) -> u64 {
    if k == 0 || k > n {
        return 0;
    }
    let (q, r) = (n / k, n % k);
    // multinomial n! / ((q+1)!^r q!^(k-r)), built as a product of binomials
    let mut count: u128 = 1;
    let mut left = n;
    for c in 0..k {
        let s = if c < r { q + 1 } else { q };
        let mut binom: u128 = 1;
        for t in 0..s {
            binom = binom * (left - t) as u128 / (t + 1) as u128;
        }
        count = count.saturating_mul(binom);
        if count > u128::from(u64::MAX) {
            return u64::MAX;
        }
        left -= s;
    }
    let factorial = |m: usize| (1..=m as u128).product::<u128>();
    count /= factorial(r) * factorial(k - r);
    u64::try_from(count).unwrap_or(u64::MAX)
}

/// Every balanced labelling, with clusters opened in order (label = order of first use;
/// that removes the k! relabellings); calls `visit` with each complete labelling.
fn enumerate(model: &Model, visit: &mut dyn FnMut(&[usize])) {
    struct State<'v> {
        labels: Vec<usize>,
        counts: Vec<usize>,
        /// clusters may hold q or q + 1 actors; at most r of them q + 1
        q: usize,
        r: usize,
        visit: &'v mut dyn FnMut(&[usize]),
    }
    impl State<'_> {
        /// Assigns actor i, with `opened` clusters in use, `big` of them at q + 1.
        fn rec(&mut self, i: usize, opened: usize, big: usize) {
            let n = self.labels.len();
            let k = self.counts.len();
            if i == n {
                if opened == k {
                    (self.visit)(&self.labels);
                }
                return;
            }
            // the remaining actors must still be able to open the unopened clusters
            if k - opened > n - i {
                return;
            }
            for c in 0..(opened + 1).min(k) {
                let size = self.counts[c] + 1;
                let becomes_big = size == self.q + 1;
                if size > self.q + 1 || (becomes_big && big >= self.r) {
                    continue;
                }
                self.labels[i] = c;
                self.counts[c] += 1;
                self.rec(i + 1, opened.max(c + 1), big + usize::from(becomes_big));
                self.counts[c] -= 1;
            }
        }
    }
    let k = model.sizes.len();
    let mut state = State {
        labels: vec![0; model.n],
        counts: vec![0; k],
        q: model.n / k,
        r: model.n % k,
        visit,
    };
    state.rec(0, 0, 0);
}

/// The labelling with the sizes of `model.sizes` that a labelling with clusters opened in
/// order maps to: relabel so that cluster sizes match (labels of equal size are
/// interchangeable, so any size-matching relabelling has the same Q).
fn match_sizes(model: &Model, labels: &[usize]) -> Vec<usize> {
    let k = model.sizes.len();
    let mut counts = vec![0usize; k];
    for &l in labels {
        counts[l] += 1;
    }
    let mut used = vec![false; k];
    let mut map = vec![0usize; k];
    for c in 0..k {
        let target = (0..k)
            .find(|&t| !used[t] && model.sizes[t] == counts[c])
            .unwrap_or(c);
        used[target] = true;
        map[c] = target;
    }
    labels.iter().map(|&l| map[l]).collect()
}

/// Cluster indices in the order of their first actor (actors are in label order).
fn canonical(labels: &[usize]) -> Vec<usize> {
    let mut map: HashMap<usize, usize> = HashMap::new();
    labels
        .iter()
        .map(|l| {
            let next = map.len();
            *map.entry(*l).or_insert(next)
        })
        .collect()
}

fn exhaustive(model: &Model) -> (f64, Vec<usize>) {
    let k = model.sizes.len();
    if k == 1 || k == model.n {
        // a single partition (everyone together, or everyone alone); no deep recursion
        let labels: Vec<usize> = (0..model.n).map(|i| if k == 1 { 0 } else { i }).collect();
        return (model.q(&labels), labels);
    }
    let mut best = (f64::NEG_INFINITY, Vec::new());
    enumerate(model, &mut |labels| {
        let sized = match_sizes(model, labels);
        let q = model.q(&sized);
        if q > best.0 + 1e-12 {
            best = (q, sized);
        }
    });
    best
}

/// First-improvement pairwise swaps from `LOCAL_SEARCH_STARTS` seeded random balanced
/// starts; the best local maximum (earliest start on ties).
///
/// G[i][d] = Σ over neighbours u of i of h(i, u | i in d); swapping i (in a) and j (in b)
/// changes the objective by 2(G[i][b] - G[i][a] + G[j][a] - G[j][b] - corr), where corr
/// undoes the pair (i, j) itself, whose term does not change (both stay in different
/// clusters, and f is symmetric).
fn local_search(model: &Model, seed: u64) -> (f64, Vec<usize>) {
    let n = model.n;
    let k = model.sizes.len();
    let mut rng = SplitMix64::new(seed);
    let mut best = (f64::NEG_INFINITY, Vec::new());
    for _ in 0..LOCAL_SEARCH_STARTS {
        // a random balanced start: a seeded shuffle cut into the cluster sizes
        let mut order: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = below_unbiased(&mut rng, i + 1);
            order.swap(i, j);
        }
        let mut labels = vec![0usize; n];
        let mut pos = 0;
        for (c, &s) in model.sizes.iter().enumerate() {
            for &a in &order[pos..pos + s] {
                labels[a] = c;
            }
            pos += s;
        }
        // G[i][d]
        let mut g = vec![vec![0.0; k]; n];
        for (gi, adj) in g.iter_mut().zip(&model.adj) {
            for &(u, cv, fv) in adj {
                for (d, gid) in gi.iter_mut().enumerate() {
                    *gid += model.h(cv, fv, d, labels[u]);
                }
            }
        }
        for _pass in 0..MAX_PASSES {
            let mut improved = false;
            for i in 0..n {
                for j in (i + 1)..n {
                    let (a, b) = (labels[i], labels[j]);
                    if a == b {
                        continue;
                    }
                    let mut delta = g[i][b] - g[i][a] + g[j][a] - g[j][b];
                    if let Some(&(cv, fv)) = model.pair.get(&(i, j)) {
                        // G[i][b] - G[i][a] counted the pair as (b, b) vs (a, b);
                        // G[j][a] - G[j][b] as (a, a) vs (b, a).
                        delta -= model.h(cv, fv, b, b) - model.h(cv, fv, a, b);
                        delta -= model.h(cv, fv, a, a) - model.h(cv, fv, b, a);
                    }
                    if delta > 1e-12 * (1.0 + model.denominator) {
                        // swap and update the neighbours' G
                        for (x, from, to) in [(i, a, b), (j, b, a)] {
                            labels[x] = to;
                            for &(u, cv, fv) in &model.adj[x] {
                                for (d, gud) in g[u].iter_mut().enumerate() {
                                    *gud += model.h(cv, fv, d, to) - model.h(cv, fv, d, from);
                                }
                            }
                        }
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
        let q = model.q(&labels);
        if q > best.0 + 1e-12 {
            best = (q, labels);
        }
    }
    best
}

/// DNA's polarization of `statements` in the window [from, to] with k clusters (module
/// documentation has the formula): exact for small n, else a seeded local search
/// (`exact: false`). The partition is keyed by the statements' actor labels. No actors gives
/// Q = 0 with an empty partition.
pub fn polarization(
    statements: &[Statement],
    k: usize,
    seed: u64,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<PolarizationResult, PolarizationError> {
    if k == 0 {
        return Err(PolarizationError::ZeroClusters);
    }
    let opts = |aggregation| NetworkOptions {
        from,
        to,
        ..NetworkOptions::one_mode(aggregation, Normalization::Average)
    };
    let c = network_sparse(statements, &opts(Aggregation::Congruence))?;
    let f = network_sparse(statements, &opts(Aggregation::Conflict))?;
    let n = c.rows.len();
    if n == 0 {
        return Ok(PolarizationResult {
            k,
            polarization: 0.0,
            exact: true,
            partition: BTreeMap::new(),
        });
    }
    if k > n {
        return Err(PolarizationError::TooManyClusters { k, actors: n });
    }
    let model = Model::new(n, k, &c.edges, &f.edges);
    let exact = n <= MAX_EXHAUSTIVE_ACTORS
        && balanced_partition_count(n, k) <= MAX_EXHAUSTIVE_PARTITIONS
        || k == 1
        || k == n;
    let (q, labels) = if exact {
        exhaustive(&model)
    } else {
        local_search(&model, seed)
    };
    let labels = canonical(&labels);
    Ok(PolarizationResult {
        k,
        polarization: q,
        exact,
        partition: c.rows.into_iter().zip(labels).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(id: usize, a: &str, n: &str, q: i32) -> Statement {
        Statement::new(format!("s{id}"), a, n, q)
    }

    /// Two camps: A, B for n1 and n2; C, D against both.
    fn two_camps() -> Vec<Statement> {
        let mut v = Vec::new();
        for (a, q) in [("A", 1), ("B", 1), ("C", -1), ("D", -1)] {
            for n in ["n1", "n2"] {
                v.push(st(v.len(), a, n, q));
            }
        }
        v
    }

    /// Q by the definition over all ordered pairs with dense matrices, for checking.
    fn q_dense(statements: &[Statement], labels: &[usize], k: usize) -> f64 {
        let net = |agg| {
            crate::dna::network(
                statements,
                &NetworkOptions::one_mode(agg, Normalization::Average),
            )
            .unwrap()
            .matrix
        };
        let (c, f) = (net(Aggregation::Congruence), net(Aggregation::Conflict));
        let n = c.len();
        let mut sizes = vec![0usize; k];
        for &l in labels {
            sizes[l] += 1;
        }
        let w: f64 = sizes
            .iter()
            .map(|&s| (s * s.saturating_sub(1)) as f64)
            .sum();
        let b = (n * (n - 1)) as f64 - w;
        let nc: f64 = c.iter().flatten().map(|v| v.abs()).sum();
        let nf: f64 = f.iter().flatten().map(|v| v.abs()).sum();
        let mut abs = 0.0;
        for i in 0..n {
            for j in 0..n {
                if i == j {
                    continue;
                }
                let (ci, cj) = (labels[i], labels[j]);
                if ci == cj {
                    let s = sizes[ci] as f64;
                    let e = s * (s - 1.0) / w * (nc / w);
                    abs += (c[i][j] - e).abs() + f[i][j].abs();
                } else {
                    let fe = (sizes[ci] * sizes[cj]) as f64 / b * (nf / b);
                    abs += c[i][j].abs() + (f[i][j] - fe).abs();
                }
            }
        }
        abs / (2.0 * (nc + nf))
    }

    #[test]
    fn two_camps_scored_by_hand() {
        // C (average): A-B: 2 shared agreements / ((2 + 2)/2) = 1; C-D 1; others 0.
        // F (average): A-C, A-D, B-C, B-D: 2/2 = 1; A-B, C-D 0.
        // ||C|| = 4 (ordered pairs), ||F|| = 8; every balanced partition has W = 4, B = 8,
        // e = (2/4)(4/4) = 0.5, f = (4/8)(8/8) = 0.5; denominator 2(4 + 8) = 24.
        // {A,B},{C,D}: same-cluster ordered pairs (4): |1 - 0.5| + 0 = 0.5 → 2;
        //   different (8): 0 + |1 - 0.5| = 0.5 → 4. Q = 6/24 = 0.25.
        // {A,C},{B,D}: same (A-C, B-D: C 0, F 1): 0.5 + 1 = 1.5 (4 ordered) → 6;
        //   different: A-B, C-D (C 1, F 0): 1 + 0.5 = 1.5 (4 ordered) → 6;
        //   A-D, B-C (C 0, F 1): 0.5 (4 ordered) → 2. Q = 14/24.
        // {A,D},{B,C}: by symmetry 14/24 as well.
        // DNA's measure takes absolute deviations, so conflict inside a cluster raises Q too:
        // the maximum here is 14/24, not the two camps.
        assert!((q_dense(&two_camps(), &[0, 0, 1, 1], 2) - 0.25).abs() < 1e-12);
        assert!((q_dense(&two_camps(), &[0, 1, 0, 1], 2) - 14.0 / 24.0).abs() < 1e-12);
        assert!((q_dense(&two_camps(), &[0, 1, 1, 0], 2) - 14.0 / 24.0).abs() < 1e-12);
        let r = polarization(&two_camps(), 2, 1, None, None).unwrap();
        assert!(r.exact);
        assert!(
            (r.polarization - 14.0 / 24.0).abs() < 1e-12,
            "{}",
            r.polarization
        );
        // the first maximum in enumeration order, canonical labels
        let p: Vec<usize> = r.partition.values().copied().collect();
        assert_eq!(p, vec![0, 1, 0, 1]);
    }

    #[test]
    fn sparse_objective_matches_the_dense_definition() {
        let s = vec![
            st(0, "A", "n1", 1),
            st(1, "B", "n1", 1),
            st(2, "C", "n1", -1),
            st(3, "C", "n2", 1),
            st(4, "D", "n2", -1),
            st(5, "E", "n2", 1),
            st(6, "E", "n1", -1),
            st(7, "A", "n3", 0),
            st(8, "D", "n3", 1),
        ];
        for k in 1..=5 {
            let c = network_sparse(
                &s,
                &NetworkOptions::one_mode(Aggregation::Congruence, Normalization::Average),
            )
            .unwrap();
            let f = network_sparse(
                &s,
                &NetworkOptions::one_mode(Aggregation::Conflict, Normalization::Average),
            )
            .unwrap();
            let model = Model::new(5, k, &c.edges, &f.edges);
            let mut count = 0;
            enumerate(&model, &mut |labels| {
                count += 1;
                let sized = match_sizes(&model, labels);
                let q = model.q(&sized);
                assert!(
                    (q - q_dense(&s, &sized, k)).abs() < 1e-12,
                    "k={k} {sized:?}"
                );
            });
            assert_eq!(count as u64, balanced_partition_count(5, k), "k={k}");
        }
    }

    #[test]
    fn partition_counts() {
        assert_eq!(balanced_partition_count(4, 2), 3);
        assert_eq!(balanced_partition_count(5, 2), 10);
        assert_eq!(balanced_partition_count(16, 2), 6435);
        assert_eq!(balanced_partition_count(6, 3), 15);
        assert_eq!(balanced_partition_count(15, 3), 126_126);
        assert_eq!(balanced_partition_count(13, 4), 200_200);
        assert_eq!(balanced_partition_count(5, 5), 1);
        assert_eq!(balanced_partition_count(5, 1), 1);
        assert_eq!(balanced_partition_count(3, 4), 0);
    }

    #[test]
    fn exhaustive_is_the_maximum_over_all_balanced_partitions() {
        let r = polarization(&two_camps(), 2, 7, None, None).unwrap();
        let labels: Vec<usize> = r.partition.values().copied().collect();
        assert!((q_dense(&two_camps(), &labels, 2) - r.polarization).abs() < 1e-12);
        for other in [[0, 0, 1, 1], [0, 1, 0, 1], [0, 1, 1, 0]] {
            assert!(q_dense(&two_camps(), &other, 2) <= r.polarization + 1e-12);
        }
    }

    /// A larger map (n = 24 > 16): three camps of 8 on six narratives, with noise.
    fn big() -> Vec<Statement> {
        let mut v = Vec::new();
        let mut rng = SplitMix64::new(42);
        for a in 0..24 {
            let camp = a % 3;
            for n in 0..6 {
                if below_unbiased(&mut rng, 3) == 0 {
                    continue;
                }
                let q = if n % 3 == camp { 1 } else { -1 };
                let q = if below_unbiased(&mut rng, 10) == 0 {
                    -q
                } else {
                    q
                };
                v.push(st(v.len(), &format!("actor{a:02}"), &format!("n{n}"), q));
            }
        }
        v
    }

    #[test]
    fn local_search_is_seeded_and_flagged() {
        let s = big();
        let a = polarization(&s, 2, 5, None, None).unwrap();
        let b = polarization(&s, 2, 5, None, None).unwrap();
        assert_eq!(a, b);
        assert!(!a.exact);
        assert_eq!(a.partition.len(), 24);
        // balanced and canonical
        let ones = a.partition.values().filter(|&&c| c == 1).count();
        assert_eq!(ones, 12);
        assert_eq!(a.partition.values().next(), Some(&0));
        // the reported Q is the Q of the reported partition
        let labels: Vec<usize> = a.partition.values().copied().collect();
        assert!((q_dense(&s, &labels, 2) - a.polarization).abs() < 1e-12);
        // a local maximum: no single swap improves it
        for i in 0..24 {
            for j in (i + 1)..24 {
                if labels[i] != labels[j] {
                    let mut l = labels.clone();
                    l.swap(i, j);
                    assert!(q_dense(&s, &l, 2) <= a.polarization + 1e-9);
                }
            }
        }
        let k3 = polarization(&s, 3, 5, None, None).unwrap();
        assert!(!k3.exact);
        let mut sizes = [0; 3];
        for &c in k3.partition.values() {
            sizes[c] += 1;
        }
        assert_eq!(sizes, [8, 8, 8]);
    }

    #[test]
    fn local_search_finds_the_exact_optimum_on_a_small_case() {
        // Run the local search on the small sample where the exhaustive answer is known.
        let s = two_camps();
        let c = network_sparse(
            &s,
            &NetworkOptions::one_mode(Aggregation::Congruence, Normalization::Average),
        )
        .unwrap();
        let f = network_sparse(
            &s,
            &NetworkOptions::one_mode(Aggregation::Conflict, Normalization::Average),
        )
        .unwrap();
        let model = Model::new(4, 2, &c.edges, &f.edges);
        let (qe, _) = exhaustive(&model);
        let (ql, _) = local_search(&model, 3);
        assert!((qe - ql).abs() < 1e-12);
    }

    #[test]
    fn edge_cases() {
        assert_eq!(
            polarization(&two_camps(), 0, 1, None, None),
            Err(PolarizationError::ZeroClusters)
        );
        assert_eq!(
            polarization(&two_camps(), 5, 1, None, None),
            Err(PolarizationError::TooManyClusters { k: 5, actors: 4 })
        );
        let empty = polarization(&[], 2, 1, None, None).unwrap();
        assert_eq!(empty.polarization, 0.0);
        assert!(empty.partition.is_empty());
        // one cluster: W = n(n-1), B = 0 → f = 0; everything is "same cluster".
        let one = polarization(&two_camps(), 1, 1, None, None).unwrap();
        assert!(one.exact);
        assert!(one.partition.values().all(|&c| c == 0));
        // k = 1 and k = n on many actors: exact without enumerating
        let many: Vec<Statement> = (0..300)
            .map(|i| st(i, &format!("a{i:03}"), "n", if i % 2 == 0 { 1 } else { -1 }))
            .collect();
        let all = polarization(&many, 300, 1, None, None).unwrap();
        assert!(all.exact);
        assert_eq!(all.partition["a002"], 2);
        assert!(polarization(&many, 1, 1, None, None).unwrap().exact);
        // all agree on one narrative: no conflict; k = 2 still defined.
        let s = vec![st(0, "A", "n", 1), st(1, "B", "n", 1), st(2, "C", "n", 1)];
        let r = polarization(&s, 2, 1, None, None).unwrap();
        assert!(r.polarization.is_finite());
    }

    #[test]
    fn unbiased_draws_stay_in_range_and_are_seeded() {
        let draws = |seed| {
            let mut r = SplitMix64::new(seed);
            (0..100)
                .map(|_| below_unbiased(&mut r, 7))
                .collect::<Vec<_>>()
        };
        assert!(draws(9).iter().all(|&x| x < 7));
        assert_eq!(draws(9), draws(9));
        assert_ne!(draws(9), draws(10));
    }
}

//! The signed discourse network w of docs/method.md §2, computed sparsely, and its
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
/// `U = N(a) ∪ N(b)` (docs/method.md §2); 0 when S is empty or a == b. In [-1, 1].
/// Computed by merging the two sorted position lists, O(|N(a)| + |N(b)|).
pub fn pair_w(prep: &Prepared, a: u32, b: u32) -> f64 {
    if a == b {
        return 0.0;
    }
    lists_w(&prep.positions[a as usize], &prep.positions[b as usize])
}

/// w of two actors from their position lists `(narrative, p)`, each sorted by narrative.
pub(crate) fn lists_w(pa: &[(u32, i8)], pb: &[(u32, i8)]) -> f64 {
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

/// The actors with a position on each narrative, split by the value of that position: the
/// inner loop of a row then adds one constant per list ([`RowAccumulator::row`]).
struct ByPosition {
    /// Actors of (narrative n, position p) are `actors[starts[5n + p + 2]..starts[5n + p + 3]]`,
    /// ascending.
    starts: Vec<u32>,
    actors: Vec<u32>,
}

impl ByPosition {
    fn new(prep: &Prepared) -> Self {
        let mut starts = Vec::with_capacity(5 * prep.by_narrative.len() + 1);
        let mut actors = Vec::new();
        starts.push(0);
        for list in &prep.by_narrative {
            for p in -2..=2i8 {
                actors.extend(list.iter().filter(|e| e.1 == p).map(|e| e.0));
                starts.push(actors.len() as u32);
            }
        }
        ByPosition { starts, actors }
    }

    fn with(&self, n: u32, p: i8) -> &[u32] {
        let x = 5 * n as usize + (p + 2) as usize;
        &self.actors[self.starts[x] as usize..self.starts[x + 1] as usize]
    }
}

/// One visit of a partner at positions pa, pb in a [`RowAccumulator`] cell: 1 in the high
/// half (|S|), pa·pb + 4 (0..=8) in the low half, so `low - 4 |S|` is Σ p·p. The low half
/// stays below 2^32 for any actor with fewer than 2^29 positions.
fn visit(pa: i8, pb: i8) -> u64 {
    (1 << 32) + (i32::from(pa) * i32::from(pb) + 4) as u64
}

/// (Σ p(a,n)·p(b,n), |S|) of a cell.
fn decode(cell: u64) -> (i32, u32) {
    let shared = (cell >> 32) as u32;
    let sum = (cell & 0xFFFF_FFFF) as i64 - 4 * i64::from(shared);
    (sum as i32, shared)
}

/// Row-wise accumulator: for actor a, Σ_n p(a,n)·p(b,n) (an integer) and |S| for every b
/// sharing a narrative with a.
struct RowAccumulator {
    /// Per partner b: both integers in one word (see [`visit`]), so one add serves both.
    cells: Vec<u64>,
    touched: Vec<u32>,
}

impl RowAccumulator {
    fn new(n: usize) -> Self {
        RowAccumulator {
            cells: vec![0; n],
            touched: Vec::new(),
        }
    }

    /// Fills `out` with `(b, w(a,b))` for every b != a with w != 0, sorted by b.
    fn row(&mut self, prep: &Prepared, split: &ByPosition, a: usize, out: &mut Vec<(u32, f64)>) {
        out.clear();
        self.for_each_partner(prep, split, a, |b, w| out.push((b, w)));
    }

    /// Calls `f(b, w(a,b))` for every b != a with w != 0, in ascending b.
    ///
    /// A row that visits at least n/2 partner entries (most rows of a map where actors share
    /// many narratives) is accumulated *dense*: every entry is added without tracking which
    /// partners were touched (a's own entries included, skipped when the row is read), and
    /// the row is read by one scan over all actors. A sparse row tracks its partners and
    /// reads only those, sorted. Both give the same row.
    fn for_each_partner(
        &mut self,
        prep: &Prepared,
        split: &ByPosition,
        a: usize,
        mut f: impl FnMut(u32, f64),
    ) {
        let n = self.cells.len();
        let positions = &prep.positions[a];
        let n_a = positions.len();
        let visits: usize = positions
            .iter()
            .map(|&(nar, _)| prep.by_narrative[nar as usize].len())
            .sum();
        // w = (Σ p·p / 4) / |U| = Σ p·p / (4 |U|): one rounding either way (the division by
        // 4 is exact), so one division gives the same bits.
        let w = |b: usize, (sum, shared): (i32, u32)| {
            let union = n_a + prep.positions[b].len() - shared as usize;
            f64::from(sum) / (4 * union) as f64
        };
        if visits * 2 >= n {
            for &(nar, pa) in positions {
                for pb in -2..=2 {
                    let inc = visit(pa, pb);
                    for &b in split.with(nar, pb) {
                        self.cells[b as usize] += inc;
                    }
                }
            }
            for (b, cell) in self.cells.iter_mut().enumerate() {
                if *cell != 0 {
                    let c = decode(*cell);
                    if c.0 != 0 && b != a {
                        f(b as u32, w(b, c));
                    }
                    *cell = 0;
                }
            }
            return;
        }
        for &(nar, pa) in positions {
            for pb in -2..=2 {
                let inc = visit(pa, pb);
                for &b in split.with(nar, pb) {
                    if b as usize == a {
                        continue;
                    }
                    let cell = &mut self.cells[b as usize];
                    if *cell == 0 {
                        self.touched.push(b);
                    }
                    *cell += inc;
                }
            }
        }
        self.touched.sort_unstable();
        for &b in &self.touched {
            let c = decode(std::mem::take(&mut self.cells[b as usize]));
            if c.0 != 0 {
                f(b, w(b as usize, c));
            }
        }
        self.touched.clear();
    }
}

/// The k strongest partners of a row, fed in ascending partner order: by |w| descending,
/// ties to the smaller partner (which, fed in order, is the one already kept). The same set
/// as sorting the whole row by that order and keeping the first k.
struct Strongest {
    k: usize,
    kept: Vec<(u32, f64)>,
    /// Position in `kept` of the weakest kept partner (when `kept` is full).
    weakest: usize,
}

impl Strongest {
    fn offer(&mut self, b: u32, w: f64) {
        if self.kept.len() < self.k {
            self.kept.push((b, w));
            if self.kept.len() == self.k {
                self.find_weakest();
            }
            return;
        }
        // b comes after every kept partner: it replaces the weakest only with a strictly
        // larger |w|.
        if w.abs().total_cmp(&self.kept[self.weakest].1.abs()).is_gt() {
            self.kept[self.weakest] = (b, w);
            self.find_weakest();
        }
    }

    fn find_weakest(&mut self) {
        // The weakest: smallest |w|, of those the largest partner.
        let mut at = 0;
        for (i, e) in self.kept.iter().enumerate().skip(1) {
            let cur = &self.kept[at];
            if e.1
                .abs()
                .total_cmp(&cur.1.abs())
                .then_with(|| cur.0.cmp(&e.0))
                .is_lt()
            {
                at = i;
            }
        }
        self.weakest = at;
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

/// Σ_n C(k_n, 2) for k_n actors with a position on narrative n: an upper bound on the number
/// of actor pairs with w != 0.
pub(crate) fn pair_bound(prep: &Prepared) -> u64 {
    prep.by_narrative
        .iter()
        .map(|l| {
            let k = l.len() as u64;
            k * k.saturating_sub(1) / 2
        })
        .sum()
}

/// Computes the signed discourse network (docs/method.md §2 and 10).
///
/// Sparse: for each actor a, only actors sharing a narrative with a are visited (per narrative
/// the list of actors with a position), so the cost is Σ_n k_n² for k_n actors on narrative n;
/// a row is accumulated in dense scratch arrays with a list of the touched partners (no hash
/// map, no allocation per pair). Rows are independent and computed in parallel (rayon); each
/// row's arithmetic is the same whatever the thread count, so the network is too.
/// When the upper bound Σ_n C(k_n, 2) on the number of non-zero pairs is at most `max_pairs`,
/// the network is built exactly in one pass. Otherwise one pass counts the non-zero pairs and
/// keeps every row's strongest partners; when the count fits, a second pass builds the exact
/// network, and above `max_pairs` each actor keeps its `knn_k` strongest |w| partners (ties broken by the
/// smaller partner index) and the graph is the symmetric union of these pairs (`exact` false).
pub fn discourse_network(prep: &Prepared, max_pairs: u64, knn_k: usize) -> DiscourseNetwork {
    let n = prep.n_actors();
    let bound = pair_bound(prep);
    let split = ByPosition::new(prep);
    // Small maps: one thread, no task set-up (the result is the same).
    let small = bound < 20_000;
    let k = knn_k.max(1);
    let mut exact = bound <= max_pairs;
    let mut counted = None;
    // Per task of rows: (pairs b > a counted, the rows' k strongest edges).
    type Task = (u64, Vec<(u32, u32, f64)>);
    let mut knn_edges: Vec<Task> = Vec::new();
    if !exact {
        // One pass over the full rows both counts the non-zero pairs (entries b > a) and
        // keeps each row's k strongest partners, which are used when the count is too high.
        knn_edges = par_rows(
            prep,
            |acc, _, a, (count, edges): &mut Task| {
                let mut top = Strongest {
                    k,
                    kept: Vec::with_capacity(k),
                    weakest: 0,
                };
                let mut after = 0u64;
                acc.for_each_partner(prep, &split, a, |b, w| {
                    after += u64::from(b as usize > a);
                    top.offer(b, w);
                });
                *count += after;
                for (b, w) in top.kept {
                    edges.push((a as u32, b, w));
                }
            },
            || (0u64, Vec::new()),
        );
        let count: u64 = knn_edges.iter().map(|t| t.0).sum();
        counted = Some(count);
        exact = count <= max_pairs;
    }
    if exact {
        let expected = 2 * counted.unwrap_or(bound).min(max_pairs) as usize;
        let graph = if small {
            let mut acc = RowAccumulator::new(n);
            Csr::from_sorted_rows(n, |a, out| acc.row(prep, &split, a, out))
        } else {
            Csr::from_sorted_rows_par(
                n,
                expected,
                || RowAccumulator::new(n),
                |acc, a, out| acc.row(prep, &split, a, out),
            )
        };
        let pairs = counted.unwrap_or(graph.n_edges() as u64);
        return DiscourseNetwork {
            graph,
            exact: true,
            nonzero_pairs: pairs,
        };
    }
    let edges = knn_edges.into_iter().flat_map(|t| t.1);
    // The same pair chosen from both ends carries the same w: merging by either is exact.
    let graph = Csr::from_edges(n, edges, |x, _| x);
    DiscourseNetwork {
        graph,
        exact: false,
        nonzero_pairs: counted.unwrap_or(0),
    }
}

/// The exact discourse network of `prep` from `old`, the exact network of the same actors
/// when their position lists were `old_positions`: the rows of the actors whose position
/// list changed are computed again, and in every other row only those actors' entries are
/// replaced (w(a, b) depends on the position lists of a and b alone). The result is the
/// network [`discourse_network`] computes, bit for bit; with it the actors whose lists changed
/// (ascending). `None` when it does not apply: `old` is not exact, the actors differ, more than
/// a sixteenth of them changed (computing it whole is as quick), or the new network would
/// not be exact.
pub fn discourse_network_update(
    prep: &Prepared,
    old_positions: &[Vec<(u32, i8)>],
    old: &DiscourseNetwork,
    max_pairs: u64,
) -> Option<(DiscourseNetwork, Vec<u32>)> {
    let n = prep.n_actors();
    if !old.exact || old.graph.n() != n || old_positions.len() != n {
        return None;
    }
    let changed: Vec<u32> = (0..n)
        .filter(|&a| prep.positions[a] != old_positions[a])
        .map(|a| a as u32)
        .collect();
    if changed.len() > n / 16 + 1 {
        return None;
    }
    // Index of each changed actor in `changed`, u32::MAX for the others.
    let mut slot = vec![u32::MAX; n];
    for (i, &a) in changed.iter().enumerate() {
        slot[a as usize] = i as u32;
    }
    let mut acc = RowAccumulator::new(n);
    let split = ByPosition::new(prep);
    let rows: Vec<Vec<(u32, f64)>> = changed
        .iter()
        .map(|&a| {
            let mut out = Vec::new();
            acc.row(prep, &split, a as usize, &mut out);
            out
        })
        .collect();
    // An unchanged actor b's new row: its old row without the changed partners' entries,
    // with their new entries (w(b, a) = w(a, b) bitwise: the sum, the shared count and the
    // union are symmetric) put in partner order. `cuts(b)` gives, per changed partner a
    // (ascending): where a is or would be in b's old row, whether it is there, and the new w.
    let cuts = |b: usize| {
        let old_row = old.graph.neighbours(b);
        changed.iter().zip(&rows).map(move |(&a, row)| {
            let p = old_row.partition_point(|&x| x < a);
            let there = old_row.get(p) == Some(&a);
            let new = row
                .binary_search_by(|e| e.0.cmp(&(b as u32)))
                .ok()
                .map(|i| row[i].1);
            (p, there, a, new)
        })
    };
    let graph = Csr::from_row_writer(
        n,
        |v| match slot[v] {
            u32::MAX => cuts(v).fold(old.graph.degree(v), |len, (_, there, _, new)| {
                len - usize::from(there) + usize::from(new.is_some())
            }),
            i => rows[i as usize].len(),
        },
        |v, t, w| {
            if slot[v] != u32::MAX {
                for (k, &(u, x)) in rows[slot[v] as usize].iter().enumerate() {
                    t[k] = u;
                    w[k] = x;
                }
                return;
            }
            let (ot, ow) = (old.graph.neighbours(v), old.graph.weights(v));
            let (mut from, mut at) = (0, 0);
            for (p, there, a, new) in cuts(v) {
                let k = p - from;
                t[at..at + k].copy_from_slice(&ot[from..p]);
                w[at..at + k].copy_from_slice(&ow[from..p]);
                at += k;
                if let Some(x) = new {
                    t[at] = a;
                    w[at] = x;
                    at += 1;
                }
                from = p + usize::from(there);
            }
            let k = ot.len() - from;
            t[at..at + k].copy_from_slice(&ot[from..]);
            w[at..at + k].copy_from_slice(&ow[from..]);
        },
    );
    let pairs = graph.n_edges() as u64;
    (pair_bound(prep) <= max_pairs || pairs <= max_pairs).then_some((
        DiscourseNetwork {
            graph,
            exact: true,
            nonzero_pairs: pairs,
        },
        changed,
    ))
}

/// Σ of w(a, b) over the unordered pairs of `members` (sorted, distinct), exactly.
///
/// Sparse, like [`discourse_network`] but restricted to the set: the members' positions are
/// grouped by narrative, and for each member a (in order) the partners b > a sharing a
/// narrative are accumulated in dense scratch arrays over the set; so the cost is
/// Σ_n (members on n)² rather than one list merge per pair. The terms are added in the order
/// (a ascending, then b ascending) with w computed as [`pair_w`] does, and pairs that share
/// nothing add nothing, so the sum is bitwise the one of the nested loop over pairs.
pub(crate) fn set_pair_sum(prep: &Prepared, members: &[u32]) -> f64 {
    let m = members.len();
    // (narrative, local index, position), sorted: per-narrative lists of the set's members.
    let mut cells: Vec<(u32, u32, i8)> = Vec::new();
    for (i, &a) in members.iter().enumerate() {
        for &(n, p) in &prep.positions[a as usize] {
            cells.push((n, i as u32, p));
        }
    }
    cells.sort_unstable();
    let mut sum = vec![0i32; m];
    let mut shared = vec![0u32; m];
    let mut touched: Vec<u32> = Vec::new();
    let mut total = 0.0;
    for (i, &a) in members.iter().enumerate() {
        let n_a = prep.positions[a as usize].len();
        for &(n, pa) in &prep.positions[a as usize] {
            // This narrative's members after a.
            let from = cells.partition_point(|c| (c.0, c.1) <= (n, i as u32));
            for &(cn, j, pb) in &cells[from..] {
                if cn != n {
                    break;
                }
                let j = j as usize;
                if shared[j] == 0 {
                    touched.push(j as u32);
                }
                shared[j] += 1;
                sum[j] += i32::from(pa) * i32::from(pb);
            }
        }
        touched.sort_unstable();
        for &j in &touched {
            let j = j as usize;
            if sum[j] != 0 {
                let b = members[j] as usize;
                let union = n_a + prep.positions[b].len() - shared[j] as usize;
                total += f64::from(sum[j]) / 4.0 / union as f64;
            }
            sum[j] = 0;
            shared[j] = 0;
        }
        touched.clear();
    }
    total
}

/// Σ of the stored w over the unordered pairs of `members` (sorted, distinct), in the order
/// (a ascending, then a's row): the exact network's sum inside a set.
pub(crate) fn stored_pair_sum(net: &DiscourseNetwork, members: &[u32]) -> f64 {
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
    total
}

/// Mean of w over the unordered pairs of `members` (sorted, distinct), and whether it was
/// estimated. `None` with fewer than two members (docs/method.md §5, `discourse_cohesion`).
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
        return (
            mean_of_pair_sum(stored_pair_sum(net, members), members.len()),
            false,
        );
    }
    if pairs <= sample_pairs {
        return (Some(set_pair_sum(prep, members) / pairs as f64), false);
    }
    let table = PairTable::new(members.iter().map(|&a| &prep.positions[a as usize][..]));
    let draws = draw_pairs(members.len(), sample_pairs, seed);
    let total = in_order_sum(&table.pair_ws(&draws));
    (Some(total / sample_pairs as f64), true)
}

/// The mean w over the pairs of a set of `m` members from their sum (None below two
/// members): what [`mean_pair_w`] gives on the exact network, for a caller that has the sum.
pub(crate) fn mean_of_pair_sum(sum: f64, m: usize) -> Option<f64> {
    let m = m as u64;
    (m >= 2).then(|| sum / (m * (m - 1) / 2) as f64)
}

/// The `count` pairs `(i, j)` of local indices `i != j` in `0..m` (m >= 2) that the seeded
/// estimate of a set's mean w draws (docs/method.md §10), in draw order.
pub(crate) fn draw_pairs(m: usize, count: u64, seed: u64) -> Vec<(u32, u32)> {
    let mu = m as u64;
    let mut rng = SplitMix64::new(seed);
    (0..count)
        .map(|_| {
            let i = rng.below(mu);
            let mut j = rng.below(mu - 1);
            if j >= i {
                j += 1;
            }
            (i as u32, j as u32)
        })
        .collect()
}

/// Σ of `xs` added one after the other from the first: the order every sampled mean uses.
pub(crate) fn in_order_sum(xs: &[f64]) -> f64 {
    let mut total = 0.0;
    for &x in xs {
        total += x;
    }
    total
}

/// The position lists of a set of actors in one flat array, by local index (the set's
/// order): a sampled mean evaluates w for up to a million random pairs of the set, and a flat
/// array (instead of one allocation per actor) keeps those evaluations in cache. Each w is
/// computed from the same integers (Σ p·p, |S|, |U|) and with the same division as
/// [`lists_w`], so every w is bitwise the same.
pub(crate) struct PairTable {
    /// Start of local actor i's entries; `offsets[m]` is the end.
    offsets: Vec<u32>,
    /// `narrative << 3 | (p + 2)` per position, by actor and then narrative.
    entries: Vec<u32>,
    /// One more than the largest narrative index.
    width: usize,
}

/// Entries per block of partners in [`PairTable::pair_ws`]: 256 KiB of lists, which stay in
/// a core's L2 cache while the block is probed.
const BLOCK_ENTRIES: u32 = 1 << 16;

impl PairTable {
    pub(crate) fn new<'x>(lists: impl Iterator<Item = &'x [(u32, i8)]>) -> Self {
        let mut offsets = vec![0u32];
        let mut entries = Vec::new();
        let mut width = 0;
        for list in lists {
            for &(n, p) in list {
                debug_assert!((-2..=2).contains(&p) && n < 1 << 29);
                entries.push(n << 3 | (p + 2) as u32);
                width = width.max(n as usize + 1);
            }
            offsets.push(entries.len() as u32);
        }
        PairTable {
            offsets,
            entries,
            width,
        }
    }

    /// w of every pair `(i, j)` of `draws` (i != j), in order. The pairs are grouped by the
    /// block of partner j (see [`BLOCK_ENTRIES`]) and then by i: i's list is spread once over
    /// a dense array by narrative, and each partner's list is looked up in it (no merge per
    /// pair) while the block's lists stay in cache; groups run in parallel.
    pub(crate) fn pair_ws(&self, draws: &[(u32, u32)]) -> Vec<f64> {
        use rayon::prelude::*;
        let m = self.offsets.len() - 1;
        if draws.is_empty() || m == 0 {
            return Vec::new();
        }
        let block = |j: u32| (self.offsets[j as usize] / BLOCK_ENTRIES) as usize;
        let n_blocks = block(m as u32 - 1) + 1;
        let key = |(i, j): (u32, u32)| block(j) * m + i as usize;
        // (draw index, j) grouped by key (counting sort).
        let mut start = vec![0u32; n_blocks * m + 1];
        for &d in draws {
            start[key(d) + 1] += 1;
        }
        for x in 0..n_blocks * m {
            start[x + 1] += start[x];
        }
        let mut fill = start.clone();
        let mut grouped = vec![(0u32, 0u32); draws.len()];
        for (k, &d) in draws.iter().enumerate() {
            let slot = &mut fill[key(d)];
            grouped[*slot as usize] = (k as u32, d.1);
            *slot += 1;
        }
        drop(fill);
        const KEYS_PER_TASK: usize = 512;
        let parts: Vec<Vec<(u32, f64)>> = (0..(n_blocks * m).div_ceil(KEYS_PER_TASK))
            .into_par_iter()
            .map_init(
                || vec![ABSENT; self.width],
                |dense, task| {
                    let mut out = Vec::new();
                    for x in task * KEYS_PER_TASK..(n_blocks * m).min((task + 1) * KEYS_PER_TASK) {
                        let group = &grouped[start[x] as usize..start[x + 1] as usize];
                        if group.is_empty() {
                            continue;
                        }
                        let i = x % m;
                        self.spread(i, dense);
                        for &(k, j) in group {
                            out.push((k, self.probe(i, j as usize, dense)));
                        }
                        self.clear(i, dense);
                    }
                    out
                },
            )
            .collect();
        let mut ws = vec![0.0; draws.len()];
        for part in parts {
            for (k, w) in part {
                ws[k as usize] = w;
            }
        }
        ws
    }

    /// Σ of w over the pairs i < j of the whole set, added in the order (i, then j
    /// ascending): the nested loop over pairs, bitwise.
    pub(crate) fn all_pairs_sum(&self) -> f64 {
        let m = self.offsets.len() - 1;
        let mut dense = vec![ABSENT; self.width];
        let mut total = 0.0;
        for i in 0..m {
            self.spread(i, &mut dense);
            for j in i + 1..m {
                total += self.probe(i, j, &dense);
            }
            self.clear(i, &mut dense);
        }
        total
    }

    fn list(&self, i: usize) -> &[u32] {
        &self.entries[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    fn spread(&self, i: usize, dense: &mut [i8]) {
        for &e in self.list(i) {
            dense[(e >> 3) as usize] = (e & 7) as i8 - 2;
        }
    }

    fn clear(&self, i: usize, dense: &mut [i8]) {
        for &e in self.list(i) {
            dense[(e >> 3) as usize] = ABSENT;
        }
    }

    /// w(i, j) with i's list spread over `dense`.
    #[inline]
    fn probe(&self, i: usize, j: usize, dense: &[i8]) -> f64 {
        let n_a = (self.offsets[i + 1] - self.offsets[i]) as usize;
        let lb = self.list(j);
        let mut sum = 0i32;
        let mut shared = 0usize;
        for &e in lb {
            let pa = dense[(e >> 3) as usize];
            let here = pa != ABSENT;
            let pb = (e & 7) as i32 - 2;
            sum += i32::from(here) * i32::from(pa) * pb;
            shared += usize::from(here);
        }
        if shared == 0 {
            return 0.0;
        }
        let union = n_a + lb.len() - shared;
        f64::from(sum) / 4.0 / union as f64
    }
}

/// A narrative without a position in [`PairTable`]'s dense array (positions are -2..=2).
const ABSENT: i8 = i8::MIN;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prepare::Window;
    use crate::prng::SplitMix64;
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

    /// A random map: `n` actors, 12 narratives, each actor with a few random positions.
    fn random_bundle(r: &mut SplitMix64, n: usize) -> Bundle {
        let mut b = Bundle::new(Map::new("m"));
        b.actors = (0..n)
            .map(|i| Actor::new(format!("a{i:03}"), format!("A {i}")))
            .collect();
        b.narratives = (0..12)
            .map(|i| Narrative::new(format!("n{i:02}"), format!("N {i}"), i < 4))
            .collect();
        for i in 0..n {
            for k in 0..r.below(5) {
                let nar = r.below(12);
                let p = r.below(5) as i8 - 2;
                b.stances.push(Stance::new(
                    format!("s{i:03}-{k}"),
                    format!("a{i:03}"),
                    format!("n{nar:02}"),
                    p,
                ));
            }
        }
        b
    }

    #[test]
    fn the_updated_network_is_the_recomputed_one_bit_for_bit() {
        let mut r = SplitMix64::new(11);
        for round in 0..40 {
            let mut b = random_bundle(&mut r, 60);
            let before = Prepared::new(&b, Window::default());
            let old = discourse_network(&before, u64::MAX, 50);
            // Change one to three actors: a position flipped, a stance removed, one added.
            for _ in 0..1 + r.below(3) {
                let k = r.below(b.stances.len() as u64) as usize;
                match r.below(3) {
                    0 => b.stances[k].position = -b.stances[k].position,
                    1 => {
                        b.stances.remove(k);
                    }
                    _ => {
                        let a = b.stances[k].actor.clone();
                        b.stances
                            .push(Stance::new(format!("x{round}-{k}"), a, "n11", 2));
                    }
                }
            }
            let after = Prepared::new(&b, Window::default());
            let full = discourse_network(&after, u64::MAX, 50);
            let (updated, changed) =
                discourse_network_update(&after, &before.positions, &old, u64::MAX)
                    .expect("applies: a few actors changed");
            assert_eq!(updated.graph, full.graph, "round {round}");
            assert_eq!(updated.nonzero_pairs, full.nonzero_pairs);
            assert!(updated.exact);
            let expect: Vec<u32> = (0..60)
                .filter(|&a| before.positions[a] != after.positions[a])
                .map(|a| a as u32)
                .collect();
            assert_eq!(changed, expect);
        }
        // Not applicable: an approximate old network, or too many changed actors.
        let b = random_bundle(&mut r, 60);
        let prep = Prepared::new(&b, Window::default());
        let knn = discourse_network(&prep, 0, 3);
        assert!(!knn.exact);
        assert!(discourse_network_update(&prep, &prep.positions, &knn, 0).is_none());
        let other = random_bundle(&mut r, 60);
        let other = Prepared::new(&other, Window::default());
        let old = discourse_network(&other, u64::MAX, 50);
        assert!(discourse_network_update(&prep, &other.positions, &old, u64::MAX).is_none());
    }

    #[test]
    fn w_by_hand() {
        let prep = Prepared::new(&bundle(), Window::default());
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
        let prep = Prepared::new(&bundle(), Window::default());
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
        let prep = Prepared::new(&bundle(), Window::default());
        // Bound 4 > 3, but only 3 pairs are non-zero: still exact.
        let net = discourse_network(&prep, 3, 1);
        assert!(net.exact);
        assert_eq!(net.graph.n_edges(), 3);
    }

    /// A random map: `actors` actors, each with a position drawn from `positions` on the
    /// narratives `chosen(rng, actor)` of `narratives` narratives.
    fn random_map(
        seed: u64,
        actors: usize,
        narratives: usize,
        positions: &[i8],
        chosen: impl Fn(&mut SplitMix64, usize) -> Vec<usize>,
    ) -> Prepared {
        let mut rng = SplitMix64::new(seed);
        let mut b = Bundle::new(Map::new("m"));
        b.narratives = (0..narratives)
            .map(|i| Narrative::new(format!("n{i:03}"), "N", true))
            .collect();
        for a in 0..actors {
            let id = format!("a{a:03}");
            b.actors.push(Actor::new(id.clone(), "A"));
            for n in chosen(&mut rng, a) {
                let p = positions[rng.below(positions.len() as u64) as usize];
                let sid = format!("s{}", b.stances.len());
                b.stances
                    .push(Stance::new(sid, id.clone(), format!("n{n:03}"), p));
            }
        }
        Prepared::new(&b, Window::default())
    }

    /// 800 actors with 10 positions each among 20 narratives (k_n about 400: the bound on
    /// pairs is above the single-thread limit, so the rows are built in parallel).
    fn medium() -> Prepared {
        random_map(4, 800, 20, &[-2, -1, 0, 1, 2], |rng, _| {
            rng.sample_indices(20, 10)
        })
    }

    #[test]
    fn parallel_network_is_exact_and_independent_of_threads() {
        let prep = medium();
        let net = discourse_network(&prep, 50_000_000, 50);
        assert!(net.exact);
        assert!(net.graph.n_edges() > 100_000, "{}", net.graph.n_edges());
        // Every stored w is bitwise the merged-list value, and rows are sorted and symmetric.
        for (a, b, w) in net.graph.edges() {
            assert_eq!(w, pair_w(&prep, a, b));
            assert_eq!(net.graph.weight(b as usize, a), Some(w));
        }
        for a in [0u32, 399, 799] {
            let zero = (0..800u32)
                .filter(|&b| b != a && pair_w(&prep, a, b) == 0.0)
                .count();
            assert_eq!(net.graph.degree(a as usize) + zero, 799);
        }
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| discourse_network(&prep, 50_000_000, 50));
        assert_eq!(one.graph, net.graph);
        // kNN above max_pairs: counted in parallel, the same for one thread.
        let knn = discourse_network(&prep, 1000, 5);
        assert!(!knn.exact);
        assert_eq!(knn.nonzero_pairs, net.nonzero_pairs);
        let knn1 = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| discourse_network(&prep, 1000, 5));
        assert_eq!(knn1.graph, knn.graph);
        assert!((0..800).all(|a| knn.graph.degree(a) >= 5));
    }

    /// Rows of both kinds in one network: 600 actors with 2 positions among 300 narratives
    /// (a few partners each: sparse rows) and 5 hubs with a position on every narrative
    /// (every actor a partner: dense rows).
    #[test]
    fn sparse_and_dense_rows_give_every_pair_w() {
        let prep = random_map(9, 605, 300, &[-2, -1, 1, 2], |rng, a| {
            if a < 600 {
                rng.sample_indices(300, 2)
            } else {
                (0..300).collect()
            }
        });
        let net = discourse_network(&prep, 50_000_000, 50);
        assert!(net.exact);
        for a in 0..605u32 {
            let row: Vec<(u32, f64)> = net.graph.row(a as usize).collect();
            let expected: Vec<(u32, f64)> = (0..605u32)
                .map(|b| (b, pair_w(&prep, a, b)))
                .filter(|e| e.1 != 0.0)
                .collect();
            assert_eq!(row, expected, "row {a}");
        }
    }

    #[test]
    fn set_pair_sum_is_the_nested_loop_bitwise() {
        let prep = medium();
        let members: Vec<u32> = (0..800).step_by(3).collect();
        let mut nested = 0.0;
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                nested += pair_w(&prep, a, b);
            }
        }
        assert_eq!(set_pair_sum(&prep, &members), nested);
        assert_eq!(set_pair_sum(&prep, &[5]), 0.0);
        assert_eq!(set_pair_sum(&prep, &[]), 0.0);
    }

    #[test]
    fn sampled_mean_is_the_draw_order_sum_of_pair_w_bitwise() {
        // The sampled estimate (approximate network, more pairs than the sample) equals the
        // sum, in draw order, of pair_w over the seeded draws, for members out of order of
        // the actors and with zero positions.
        let prep = medium();
        let net = DiscourseNetwork {
            graph: Csr::from_edges(prep.n_actors(), std::iter::empty(), |x, _| x),
            exact: false,
            nonzero_pairs: 0,
        };
        let members: Vec<u32> = (0..800).step_by(2).collect();
        let (mean, sampled) = mean_pair_w(&prep, &net, &members, 5_000, 7);
        assert!(sampled);
        let mut rng = SplitMix64::new(7);
        let m = members.len() as u64;
        let mut total = 0.0;
        for _ in 0..5_000 {
            let i = rng.below(m) as usize;
            let mut j = rng.below(m - 1) as usize;
            if j >= i {
                j += 1;
            }
            total += pair_w(&prep, members[i], members[j]);
        }
        assert_eq!(mean, Some(total / 5_000.0));
        // And the table's values one by one, and its nested-loop sum.
        let table = PairTable::new(members.iter().map(|&a| &prep.positions[a as usize][..]));
        let draws = draw_pairs(members.len(), 5_000, 7);
        let ws = table.pair_ws(&draws);
        for (&(i, j), w) in draws.iter().zip(&ws) {
            assert_eq!(
                w.to_bits(),
                pair_w(&prep, members[i as usize], members[j as usize]).to_bits()
            );
        }
        assert_eq!(table.all_pairs_sum(), set_pair_sum(&prep, &members));
    }

    #[test]
    fn knn_keeps_the_k_strongest_of_every_row() {
        // A map above max_pairs: every actor keeps its k partners of largest |w| (ties to the
        // smaller partner), as sorting its whole row would give; the graph is their union.
        let prep = random_map(3, 400, 12, &[-2, -1, 0, 1, 2], |rng, _| {
            rng.sample_indices(12, 4)
        });
        let k = 7;
        let net = discourse_network(&prep, 1_000, k);
        assert!(!net.exact);
        let mut expected: Vec<(u32, u32)> = Vec::new();
        for a in 0..400u32 {
            let mut row: Vec<(u32, f64)> = (0..400u32)
                .map(|b| (b, pair_w(&prep, a, b)))
                .filter(|e| e.1 != 0.0)
                .collect();
            row.sort_by(|x, y| y.1.abs().total_cmp(&x.1.abs()).then(x.0.cmp(&y.0)));
            for &(b, _) in row.iter().take(k) {
                expected.push((a.min(b), a.max(b)));
            }
        }
        expected.sort_unstable();
        expected.dedup();
        let mut got: Vec<(u32, u32)> = Vec::new();
        for a in 0..400u32 {
            for (b, w) in net.graph.row(a as usize) {
                assert_eq!(w.to_bits(), pair_w(&prep, a, b).to_bits());
                if a < b {
                    got.push((a, b));
                }
            }
        }
        assert_eq!(got, expected);
    }
}

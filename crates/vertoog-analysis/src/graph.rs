//! Undirected weighted graphs in compressed sparse row form, and the linear-time structure
//! measures of docs/method.md sections 5 and 6: connected components, bridges, articulation
//! points, critical brokers, clustering.
//!
//! Every algorithm here is iterative (no recursion), so a 50,000-node path does not overflow
//! the stack, and visits nodes and neighbours in index order, so results are deterministic.

use std::collections::BTreeMap;

use crate::prepare::Prepared;
use vertoog_model::TieKind;

/// An undirected graph on nodes `0..n`: every edge appears in both endpoints' rows, rows are
/// sorted by neighbour, there are no self-loops and no parallel edges.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Csr {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
}

impl Drop for Csr {
    fn drop(&mut self) {
        spare::give(
            std::mem::take(&mut self.targets),
            std::mem::take(&mut self.weights),
        );
    }
}

/// The edge arrays of large graphs that were dropped, kept for the next large graph. The
/// server analyses a map again after every edit, and writing a new network of some hundred
/// megabytes into fresh memory cost more in page faults than computing its rows; arrays that
/// were written before are faulted in already. At most two pairs are kept, only arrays of at
/// least [`spare::MIN_ENTRIES`] entries, so this never holds more than two networks; a new
/// large array gets an eighth more room than asked, so that the next network, a few entries
/// larger after an edit, still fits. It changes no result: every entry a graph reads was
/// written by its builder.
mod spare {
    use std::sync::Mutex;

    /// Smaller arrays are left to the allocator.
    pub(super) const MIN_ENTRIES: usize = 1 << 20;

    static SPARE: Mutex<Vec<(Vec<u32>, Vec<f64>)>> = Mutex::new(Vec::new());

    /// The room a new large array gets for `entries`.
    pub(super) fn room(entries: usize) -> usize {
        if entries >= MIN_ENTRIES {
            entries + entries / 8
        } else {
            entries
        }
    }

    /// Two kept arrays with room for `entries` (the smallest pair that fits; their contents
    /// are arbitrary), if there are.
    pub(super) fn take(entries: usize) -> Option<(Vec<u32>, Vec<f64>)> {
        if entries < MIN_ENTRIES {
            return None;
        }
        let mut kept = SPARE.lock().ok()?;
        let i = kept
            .iter()
            .enumerate()
            .filter(|(_, (t, w))| t.capacity() >= entries && w.capacity() >= entries)
            .min_by_key(|(_, (t, _))| t.capacity())
            .map(|(i, _)| i)?;
        Some(kept.swap_remove(i))
    }

    /// Makes sure a pair with room for `entries` is kept, written once so that its memory is
    /// faulted in: a pair is allocated and zeroed when none fits.
    pub(super) fn reserve(entries: usize) {
        if entries < MIN_ENTRIES {
            return;
        }
        let fits = SPARE.lock().is_ok_and(|kept| {
            kept.iter()
                .any(|(t, w)| t.capacity() >= entries && w.capacity() >= entries)
        });
        if !fits {
            let room = room(entries);
            let (mut t, mut w) = (Vec::with_capacity(room), Vec::with_capacity(room));
            t.resize(room, 0u32);
            w.resize(room, 0.0f64);
            give(t, w);
        }
    }

    /// Keeps the arrays of a dropped graph when they are large (the two largest pairs).
    pub(super) fn give(targets: Vec<u32>, weights: Vec<f64>) {
        if targets.capacity() < MIN_ENTRIES || weights.capacity() < MIN_ENTRIES {
            return;
        }
        let dropped = match SPARE.lock() {
            Ok(mut kept) => {
                kept.push((targets, weights));
                kept.sort_by_key(|(t, _)| std::cmp::Reverse(t.capacity()));
                let keep = kept.len().min(2);
                kept.split_off(keep)
            }
            Err(_) => Vec::new(),
        };
        // Freed outside the lock.
        drop(dropped);
    }
}

impl Csr {
    /// Keeps memory ready for a graph of about this one's size (see the spare arrays above):
    /// the next large graph built is then written into memory that is already faulted in.
    /// For a server that will analyse the map again after its first edit; takes the time of
    /// writing the arrays once when nothing fits yet.
    pub fn reserve_spare_like(&self) {
        spare::reserve(self.targets.len() + self.targets.len() / 64);
    }

    /// The graph whose row `v` is `fill(v, targets, weights)` writing exactly `len(v)` entries
    /// into the two slices it is given (sorted by target, symmetric: the caller's promise).
    /// Rows are filled in parallel blocks; the result does not depend on the blocks.
    pub(crate) fn from_row_writer(
        n: usize,
        len: impl Fn(usize) -> usize,
        fill: impl Fn(usize, &mut [u32], &mut [f64]) + Sync,
    ) -> Self {
        use rayon::prelude::*;
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        for v in 0..n {
            offsets.push(offsets[v] + len(v));
        }
        let total = offsets[n];
        // Every entry is written by `fill`: kept arrays are only cut or extended to length, and
        // new ones are zeroed lazily by the allocator (with room beyond, not touched).
        let (targets, weights) = match spare::take(total) {
            Some((mut t, mut w)) => {
                t.resize(total, 0);
                w.resize(total, 0.0);
                (t, w)
            }
            None => {
                let room = spare::room(total);
                let (mut t, mut w) = (vec![0u32; room], vec![0.0f64; room]);
                t.truncate(total);
                w.truncate(total);
                (t, w)
            }
        };
        let (mut targets, mut weights) = (targets, weights);
        // Blocks of consecutive rows, each with its own part of the two arrays.
        const BLOCKS: usize = 16;
        let per = n.div_ceil(BLOCKS).max(1);
        let mut parts = Vec::new();
        let (mut t_rest, mut w_rest) = (&mut targets[..], &mut weights[..]);
        for start in (0..n).step_by(per) {
            let end = (start + per).min(n);
            let size = offsets[end] - offsets[start];
            let (t, tr) = std::mem::take(&mut t_rest).split_at_mut(size);
            let (w, wr) = std::mem::take(&mut w_rest).split_at_mut(size);
            (t_rest, w_rest) = (tr, wr);
            parts.push((start, end, t, w));
        }
        parts.into_par_iter().for_each(|(start, end, t, w)| {
            let base = offsets[start];
            for v in start..end {
                let (a, b) = (offsets[v] - base, offsets[v + 1] - base);
                fill(v, &mut t[a..b], &mut w[a..b]);
            }
        });
        Csr {
            offsets,
            targets,
            weights,
        }
    }

    /// A graph with `n` nodes and no edges.
    pub fn empty(n: usize) -> Self {
        Csr {
            offsets: vec![0; n + 1],
            targets: Vec::new(),
            weights: Vec::new(),
        }
    }

    /// Builds the graph from undirected edges `(u, v, w)`. Self-loops and edges with an
    /// endpoint `>= n` are dropped; parallel edges are combined with `merge` (in input order).
    pub fn from_edges(
        n: usize,
        edges: impl IntoIterator<Item = (u32, u32, f64)>,
        merge: impl Fn(f64, f64) -> f64,
    ) -> Self {
        let mut directed: Vec<(u32, u32, f64)> = Vec::new();
        for (u, v, w) in edges {
            if u == v || u as usize >= n || v as usize >= n {
                continue;
            }
            directed.push((u, v, w));
            directed.push((v, u, w));
        }
        // Stable: parallel edges keep their input order for `merge` (rayon's parallel sort is
        // stable too, so large inputs give the same order).
        if directed.len() >= 1 << 16 {
            use rayon::slice::ParallelSliceMut;
            directed.par_sort_by_key(|e| (e.0, e.1));
        } else {
            directed.sort_by_key(|e| (e.0, e.1));
        }
        let mut offsets = vec![0usize; n + 1];
        let mut targets = Vec::with_capacity(directed.len());
        let mut weights: Vec<f64> = Vec::with_capacity(directed.len());
        let mut last: Option<(u32, u32)> = None;
        for (u, v, w) in directed {
            if last == Some((u, v)) {
                let slot = weights.last_mut().expect("a previous edge exists");
                *slot = merge(*slot, w);
                continue;
            }
            last = Some((u, v));
            offsets[u as usize + 1] += 1;
            targets.push(v);
            weights.push(w);
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        Csr {
            offsets,
            targets,
            weights,
        }
    }

    /// Builds the graph from complete sorted rows (`rows[v]` holds `(u, w)` sorted by `u`, and
    /// the caller guarantees symmetry). Used where rows are produced in order already.
    pub fn from_sorted_rows(
        n: usize,
        mut next_row: impl FnMut(usize, &mut Vec<(u32, f64)>),
    ) -> Self {
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut targets = Vec::new();
        let mut weights = Vec::new();
        let mut buf = Vec::new();
        for v in 0..n {
            buf.clear();
            next_row(v, &mut buf);
            for &(u, w) in &buf {
                targets.push(u);
                weights.push(w);
            }
            offsets.push(targets.len());
        }
        Csr {
            offsets,
            targets,
            weights,
        }
    }

    /// [`Csr::from_sorted_rows`] with the rows produced in parallel (rayon): `row(scratch, v,
    /// out)` fills `out` with row v (sorted by neighbour; the caller guarantees symmetry) using a
    /// per-worker scratch value made by `init` (and left reusable by `row`). Rows are made in
    /// batches of consecutive rows and appended in row order (one batch is appended while the
    /// next is computed), so the graph is exactly the one [`Csr::from_sorted_rows`] builds, for
    /// any number of threads; memory beyond the result is two batches of rows. `capacity` is the expected number of entries (reserved up front; an
    /// overestimate costs only address space).
    pub fn from_sorted_rows_par<S, I, F>(n: usize, capacity: usize, init: I, row: F) -> Self
    where
        S: Send,
        I: Fn() -> S + Sync,
        F: Fn(&mut S, usize, &mut Vec<(u32, f64)>) + Sync,
    {
        use rayon::prelude::*;
        use std::sync::Mutex;
        const ROWS_PER_TASK: usize = 16;
        const ROWS_PER_BATCH: usize = ROWS_PER_TASK * 64;
        type Part = (Vec<u32>, Vec<f64>, Vec<usize>);
        type Row = Vec<(u32, f64)>;
        let pool: Mutex<Vec<(S, Row)>> = Mutex::new(Vec::new());
        let take = || {
            pool.lock()
                .ok()
                .and_then(|mut p| p.pop())
                .unwrap_or_else(|| (init(), Vec::new()))
        };
        let give = |x| {
            if let Ok(mut p) = pool.lock() {
                p.push(x);
            }
        };
        let compute = |start: usize, end: usize| -> Vec<Part> {
            (start..end)
                .into_par_iter()
                .step_by(ROWS_PER_TASK)
                .map(|first| {
                    let (mut scratch, mut buf) = take();
                    let mut part: Part = (Vec::new(), Vec::new(), Vec::new());
                    for v in first..end.min(first + ROWS_PER_TASK) {
                        buf.clear();
                        row(&mut scratch, v, &mut buf);
                        part.2.push(buf.len());
                        part.0.extend(buf.iter().map(|e| e.0));
                        part.1.extend(buf.iter().map(|e| e.1));
                    }
                    give((scratch, buf));
                    part
                })
                .collect()
        };
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0usize);
        let (mut targets, mut weights) = match spare::take(capacity) {
            Some((mut t, mut w)) => {
                t.clear();
                w.clear();
                (t, w)
            }
            None => (Vec::with_capacity(capacity), Vec::with_capacity(capacity)),
        };
        let mut append = |parts: Vec<Part>| {
            for (t, w, lens) in parts {
                let mut at = targets.len();
                for l in lens {
                    at += l;
                    offsets.push(at);
                }
                targets.extend_from_slice(&t);
                weights.extend_from_slice(&w);
            }
        };
        // Batch k is appended (one thread, a copy) while batch k + 1 is computed.
        let mut done: Option<Vec<Part>> = None;
        let mut start = 0;
        while start < n || done.is_some() {
            let end = n.min(start + ROWS_PER_BATCH);
            let ((), next) = rayon::join(
                || {
                    if let Some(parts) = done.take() {
                        append(parts);
                    }
                },
                || (start < end).then(|| compute(start, end)),
            );
            done = next;
            start = end;
        }
        // An overestimated reservation is kept: its untouched part is address space only, and
        // giving it back would copy the whole graph into fresh pages (the allocator moves a
        // block it shrinks to less than half).
        Csr {
            offsets,
            targets,
            weights,
        }
    }

    /// Number of nodes.
    pub fn n(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of undirected edges.
    pub fn n_edges(&self) -> usize {
        self.targets.len() / 2
    }

    /// Neighbours of `v`, sorted.
    pub fn neighbours(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v]..self.offsets[v + 1]]
    }

    /// Edge weights of `v`, aligned with `neighbours(v)`.
    pub fn weights(&self, v: usize) -> &[f64] {
        &self.weights[self.offsets[v]..self.offsets[v + 1]]
    }

    /// `(neighbour, weight)` pairs of `v`.
    pub fn row(&self, v: usize) -> impl Iterator<Item = (u32, f64)> + '_ {
        self.neighbours(v)
            .iter()
            .copied()
            .zip(self.weights(v).iter().copied())
    }

    /// The CSR arrays: row offsets (`n + 1`, non-decreasing, the last equal to the number of
    /// directed entries) and the neighbour of each entry.
    pub(crate) fn raw(&self) -> (&[usize], &[u32]) {
        (&self.offsets, &self.targets)
    }

    /// Degree (number of neighbours) of `v`.
    pub fn degree(&self, v: usize) -> usize {
        self.offsets[v + 1] - self.offsets[v]
    }

    /// Weighted degree: Σ of `v`'s edge weights.
    pub fn weighted_degree(&self, v: usize) -> f64 {
        self.weights(v).iter().sum()
    }

    /// Weight of edge (u, v), if present (binary search in u's row).
    pub fn weight(&self, u: usize, v: u32) -> Option<f64> {
        let nb = self.neighbours(u);
        nb.binary_search(&v).ok().map(|i| self.weights(u)[i])
    }

    /// Every undirected edge once, as `(u, v, w)` with `u < v`, in order.
    pub fn edges(&self) -> impl Iterator<Item = (u32, u32, f64)> + '_ {
        (0..self.n()).flat_map(move |u| {
            self.row(u)
                .filter(move |&(v, _)| (u as u32) < v)
                .map(move |(v, w)| (u as u32, v, w))
        })
    }

    /// The graph with edge changes `(u, v, w)` applied in order: `Some(w)` adds the edge
    /// {u, v} with weight w, merged by maximum with a weight it already has; `None` removes
    /// it. The same graph as applying them one at a time, built in one pass: rows without a
    /// change are copied whole. Changes with an end `>= n` or a self-loop are ignored.
    pub fn with_changed_edges(&self, changes: &[(u32, u32, Option<f64>)]) -> Csr {
        let n = self.n();
        // The final state of each changed pair, from its weight now through every change.
        let mut pairs: BTreeMap<(u32, u32), Option<f64>> = BTreeMap::new();
        for &(u, v, w) in changes {
            if u == v || u as usize >= n || v as usize >= n {
                continue;
            }
            let key = (u.min(v), u.max(v));
            let now = pairs
                .entry(key)
                .or_insert_with(|| self.weight(key.0 as usize, key.1));
            *now = w.map(|w| now.map_or(w, |x| x.max(w)));
        }
        // Per touched node, its changed partners in ascending order with their state.
        let mut touched: BTreeMap<u32, Vec<(u32, Option<f64>)>> = BTreeMap::new();
        for (&(a, b), &w) in &pairs {
            touched.entry(a).or_default().push((b, w));
            touched.entry(b).or_default().push((a, w));
        }
        for list in touched.values_mut() {
            list.sort_unstable_by_key(|e| e.0);
        }
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let extra = 2 * pairs.len();
        let mut targets = Vec::with_capacity(self.targets.len() + extra);
        let mut weights = Vec::with_capacity(self.targets.len() + extra);
        let mut done = 0;
        for (&x, list) in &touched {
            let x = x as usize;
            // The untouched rows before x, copied whole.
            let (from, to) = (self.offsets[done], self.offsets[x]);
            targets.extend_from_slice(&self.targets[from..to]);
            weights.extend_from_slice(&self.weights[from..to]);
            for v in done..x {
                offsets.push(offsets[v] + (self.offsets[v + 1] - self.offsets[v]));
            }
            // Row x: its entries and the changed partners merged by target.
            let mut changed = list.iter().peekable();
            for (y, wy) in self.row(x) {
                while let Some(&&(c, w)) = changed.peek() {
                    if c > y {
                        break;
                    }
                    changed.next();
                    if c < y {
                        if let Some(w) = w {
                            targets.push(c);
                            weights.push(w);
                        }
                    } else if let Some(w) = w {
                        // c == y: the pair's final state replaces the entry.
                        targets.push(y);
                        weights.push(w);
                    }
                }
                if !list.iter().any(|e| e.0 == y) {
                    targets.push(y);
                    weights.push(wy);
                }
            }
            for &(c, w) in changed {
                if let Some(w) = w {
                    targets.push(c);
                    weights.push(w);
                }
            }
            offsets.push(targets.len());
            done = x + 1;
        }
        let from = self.offsets[done];
        targets.extend_from_slice(&self.targets[from..]);
        weights.extend_from_slice(&self.weights[from..]);
        for v in done..n {
            offsets.push(offsets[v] + (self.offsets[v + 1] - self.offsets[v]));
        }
        Csr {
            offsets,
            targets,
            weights,
        }
    }

    /// The node pairs `(a, b)`, `a < b`, whose edge is in one graph and not the other or has
    /// another weight (compared bit for bit), ascending; None when the graphs have different
    /// numbers of nodes.
    pub fn changed_pairs(&self, other: &Csr) -> Option<Vec<(u32, u32)>> {
        if self.n() != other.n() {
            return None;
        }
        let mut changed = Vec::new();
        for v in 0..self.n() {
            let (us, ws) = (self.neighbours(v), self.weights(v));
            let (xs, ys) = (other.neighbours(v), other.weights(v));
            let same = us == xs && ws.iter().zip(ys).all(|(a, b)| a.to_bits() == b.to_bits());
            if same {
                continue;
            }
            // Both rows are sorted by neighbour: a merge finds the differences (an exhausted
            // row reads as u32::MAX, which no node index reaches).
            let (mut i, mut j) = (0, 0);
            while i < us.len() || j < xs.len() {
                let u = us.get(i).copied().unwrap_or(u32::MAX);
                let x = xs.get(j).copied().unwrap_or(u32::MAX);
                let (neighbour, differs) = match u.cmp(&x) {
                    std::cmp::Ordering::Less => {
                        i += 1;
                        (u, true)
                    }
                    std::cmp::Ordering::Greater => {
                        j += 1;
                        (x, true)
                    }
                    std::cmp::Ordering::Equal => {
                        i += 1;
                        j += 1;
                        (u, ws[i - 1].to_bits() != ys[j - 1].to_bits())
                    }
                };
                if differs && (v as u32) < neighbour {
                    changed.push((v as u32, neighbour));
                }
            }
        }
        Some(changed)
    }

    /// The subgraph induced by `members` (sorted ascending, distinct): node `i` of the result
    /// is `members[i]`.
    ///
    /// Each row is counted before it is written, so the arrays are allocated once at their
    /// size (growing them by pushes copied the whole graph several times over, and wrote it
    /// into fresh pages each time: on an M map's basis network, with a few silent actors left
    /// out, that was a third of the process's page faults). Large subgraphs are counted and
    /// written in parallel; the result is the same.
    pub fn induced(&self, members: &[u32]) -> Csr {
        let n = self.n();
        let mut local = vec![u32::MAX; n];
        for (i, &m) in members.iter().enumerate() {
            if (m as usize) < n {
                local[m as usize] = i as u32;
            }
        }
        let kept = |i: usize| {
            let m = members[i] as usize;
            let (us, ws): (&[u32], &[f64]) = if m < n {
                (self.neighbours(m), self.weights(m))
            } else {
                (&[], &[])
            };
            us.iter()
                .zip(ws)
                .filter(|&(&u, _)| local[u as usize] != u32::MAX)
                .map(|(&u, &w)| (local[u as usize], w))
        };
        let scanned: usize = members
            .iter()
            .filter(|&&m| (m as usize) < n)
            .map(|&m| self.degree(m as usize))
            .sum();
        if scanned < 1 << 16 {
            let mut offsets = Vec::with_capacity(members.len() + 1);
            offsets.push(0);
            let mut targets = Vec::with_capacity(scanned);
            let mut weights = Vec::with_capacity(scanned);
            for i in 0..members.len() {
                for (u, w) in kept(i) {
                    targets.push(u);
                    weights.push(w);
                }
                offsets.push(targets.len());
            }
            return Csr {
                offsets,
                targets,
                weights,
            };
        }
        use rayon::prelude::*;
        let lens: Vec<usize> = (0..members.len())
            .into_par_iter()
            .map(|i| kept(i).count())
            .collect();
        Csr::from_row_writer(
            members.len(),
            |i| lens[i],
            |i, targets, weights| {
                for ((t, w), (u, x)) in targets.iter_mut().zip(weights.iter_mut()).zip(kept(i)) {
                    *t = u;
                    *w = x;
                }
            },
        )
    }

    /// Σ of all edge weights, each edge once.
    pub fn total_weight(&self) -> f64 {
        self.edges().map(|e| e.2).sum()
    }
}

/// The structural graph of docs/method.md §6 over every actor of `prep`: every active
/// non-`conflict` tie as an undirected edge, parallel ties merged by maximum weight.
pub fn structural_graph(prep: &Prepared) -> Csr {
    Csr::from_edges(
        prep.n_actors(),
        prep.ties
            .iter()
            .filter(|t| t.kind != TieKind::Conflict)
            .map(|t| (t.a, t.b, t.weight)),
        f64::max,
    )
}

/// Connected components, each sorted ascending, the list sorted by smallest node. Isolated
/// nodes are components of one. petgraph's union-find (`petgraph::unionfind::UnionFind`) over
/// the edges, then one pass grouping the nodes by their representative in node order.
/// (petgraph's `tarjan_scc`, which also yields components on an undirected graph, is
/// recursive, and a 50,000-node path would overflow the stack.)
pub fn components(g: &Csr) -> Vec<Vec<u32>> {
    use petgraph::unionfind::UnionFind;
    let n = g.n();
    let mut sets = UnionFind::<u32>::new(n);
    for (u, v, _) in g.edge_references() {
        sets.union(u, v);
    }
    let mut slot = vec![u32::MAX; n];
    let mut out: Vec<Vec<u32>> = Vec::new();
    for v in 0..n as u32 {
        let r = sets.find_mut(v) as usize;
        if slot[r] == u32::MAX {
            slot[r] = out.len() as u32;
            out.push(Vec::new());
        }
        out[slot[r] as usize].push(v);
    }
    out
}

/// Bridges, articulation points and critical brokers of a graph (docs/method.md §5 and 6).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CutStructure {
    /// Edges whose removal disconnects their component, `(u, v)` with `u < v`, sorted.
    pub bridges: Vec<(u32, u32)>,
    /// Nodes whose removal disconnects their component, sorted.
    pub articulation_points: Vec<u32>,
    /// Articulation points whose removal splits their component into at least two parts of
    /// two or more nodes each (docs/method.md §5), sorted.
    pub critical_brokers: Vec<u32>,
}

/// A depth-first search forest of a graph with what Hopcroft-Tarjan derives from it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DfsForest {
    /// DFS parent, `u32::MAX` for a root.
    pub parent: Vec<u32>,
    /// Discovery time (preorder number): `order[disc[v]] == v`.
    pub disc: Vec<u32>,
    /// Size of v's DFS subtree.
    pub size: Vec<u32>,
    /// The DFS root of v's component (its subtree size is the component's size).
    pub root: Vec<u32>,
    /// Nodes in preorder.
    pub order: Vec<u32>,
    /// Tree edges `(parent, child)` that are bridges, in the order they were found.
    pub bridges: Vec<(u32, u32)>,
    /// For each node p, the children v with low(v) >= disc(p): the subtrees that p separates
    /// from the rest of its component when removed.
    pub separated: Vec<Vec<u32>>,
}

impl DfsForest {
    /// Whether v is an articulation point: a root that separates two or more subtrees, or a
    /// non-root that separates at least one.
    pub fn is_articulation_point(&self, v: u32) -> bool {
        let k = self.separated[v as usize].len();
        if self.parent[v as usize] == u32::MAX {
            k >= 2
        } else {
            k >= 1
        }
    }
}

/// Hopcroft-Tarjan depth-first search (discovery times and low links), iterative so that long
/// paths do not overflow the stack, O(n + m), nodes and neighbours in index order.
///
/// With disc(v) the discovery time and low(v) the smallest discovery time reachable from v's
/// DFS subtree by one back edge: tree edge (p, v) is a bridge iff low(v) > disc(p), and p
/// separates v's subtree iff low(v) >= disc(p).
pub fn dfs_forest(g: &Csr) -> DfsForest {
    let n = g.n();
    const NONE: u32 = u32::MAX;
    let mut f = DfsForest {
        parent: vec![NONE; n],
        disc: vec![NONE; n],
        size: vec![1; n],
        root: vec![0; n],
        order: Vec::with_capacity(n),
        bridges: Vec::new(),
        separated: vec![Vec::new(); n],
    };
    let mut low = vec![0u32; n];
    let mut stack: Vec<(u32, usize)> = Vec::new();
    for r in 0..n {
        if f.disc[r] != NONE {
            continue;
        }
        f.disc[r] = f.order.len() as u32;
        low[r] = f.disc[r];
        f.root[r] = r as u32;
        f.order.push(r as u32);
        stack.push((r as u32, 0));
        while let Some(top) = stack.last_mut() {
            let v = top.0 as usize;
            let nb = g.neighbours(v);
            if top.1 < nb.len() {
                let u = nb[top.1] as usize;
                top.1 += 1;
                if f.disc[u] == NONE {
                    f.parent[u] = v as u32;
                    f.root[u] = r as u32;
                    f.disc[u] = f.order.len() as u32;
                    low[u] = f.disc[u];
                    f.order.push(u as u32);
                    stack.push((u as u32, 0));
                } else if u as u32 != f.parent[v] {
                    low[v] = low[v].min(f.disc[u]);
                }
            } else {
                stack.pop();
                let p = f.parent[v];
                if p != NONE {
                    let p = p as usize;
                    low[p] = low[p].min(low[v]);
                    f.size[p] += f.size[v];
                    if low[v] > f.disc[p] {
                        f.bridges.push((p as u32, v as u32));
                    }
                    if low[v] >= f.disc[p] {
                        f.separated[p].push(v as u32);
                    }
                }
            }
        }
    }
    f
}

/// Bridges, articulation points and critical brokers (docs/method.md §5 and 6), from
/// [`dfs_forest`]. When p is removed, each subtree it separates (size s) becomes a part, and
/// for a non-root p the rest of the component (size - 1 - Σ s) is one more part; p is a
/// critical broker when at least two of these parts have two or more nodes.
pub fn cut_structure(g: &Csr) -> CutStructure {
    let f = dfs_forest(g);
    let mut out = CutStructure {
        bridges: f
            .bridges
            .iter()
            .map(|&(p, v)| (p.min(v), p.max(v)))
            .collect(),
        ..CutStructure::default()
    };
    for v in 0..g.n() as u32 {
        if !f.is_articulation_point(v) {
            continue;
        }
        let children = &f.separated[v as usize];
        let mut big_parts = children
            .iter()
            .filter(|&&c| f.size[c as usize] >= 2)
            .count();
        if f.parent[v as usize] != u32::MAX {
            let component = f.size[f.root[v as usize] as usize];
            let separated: u32 = children.iter().map(|&c| f.size[c as usize]).sum();
            big_parts += usize::from(component - 1 - separated >= 2);
        }
        out.articulation_points.push(v);
        if big_parts >= 2 {
            out.critical_brokers.push(v);
        }
    }
    out.bridges.sort_unstable();
    out
}

/// Average clustering coefficient, unweighted, with nodes of degree < 2 counted as 0 (as
/// networkx `average_clustering` with its defaults): `C = (1/n) Σ_v 2 T(v) / (d(v)(d(v) - 1))`
/// where T(v) is the number of triangles through v. `None` for an empty graph.
pub fn average_clustering(g: &Csr) -> Option<f64> {
    let n = g.n();
    if n == 0 {
        return None;
    }
    let mut mark = vec![false; n];
    let mut total = 0.0;
    for v in 0..n {
        let d = g.degree(v);
        if d < 2 {
            continue;
        }
        for &u in g.neighbours(v) {
            mark[u as usize] = true;
        }
        let mut twice_triangles = 0usize;
        for &u in g.neighbours(v) {
            twice_triangles += g
                .neighbours(u as usize)
                .iter()
                .filter(|&&x| mark[x as usize])
                .count();
        }
        for &u in g.neighbours(v) {
            mark[u as usize] = false;
        }
        // Each triangle (v, u, x) is seen from u and from x.
        total += twice_triangles as f64 / (d * (d - 1)) as f64;
    }
    Some(total / n as f64)
}

// ---------------------------------------------------------------------------------------------
// Csr as a petgraph graph.
//
// `Csr` implements petgraph's `visit` traits, the way petgraph's own graph types do (its
// `Graph`, `csr::Csr`, `GraphMap`): node ids are `u32` indices `0..n`, an edge is the tuple
// `(source, target, &weight)` (petgraph's `EdgeRef` for tuples) with id `(source, target)`,
// the graph is undirected, and `edge_references` yields every edge once (`source < target`).
// So petgraph's algorithms run on it directly (`petgraph::algo::bridges(&g)`,
// `articulation_points(&g)`, `tarjan_scc(&g)`, `Bfs`, ...), and the analysis' own algorithms
// (Brandes, constraint, signed Leiden) are written against the same traits.
//
// Why not petgraph's `csr::Csr` itself: it is built from one sorted edge list, while the
// discourse network's rows are computed in parallel and appended in row order
// (`from_sorted_rows_par`) without ever holding an edge list; and the Brandes kernel reads the
// raw row arrays (`raw`). The layout is the same (sorted rows of neighbours and weights).
// ---------------------------------------------------------------------------------------------

use petgraph::visit::{
    Data, GraphBase, GraphProp, IntoEdgeReferences, IntoEdges, IntoNeighbors, IntoNodeIdentifiers,
    IntoNodeReferences, NodeCompactIndexable, NodeCount, NodeIndexable,
};

impl GraphBase for Csr {
    type NodeId = u32;
    type EdgeId = (u32, u32);
}

impl Data for Csr {
    type NodeWeight = ();
    type EdgeWeight = f64;
}

impl GraphProp for Csr {
    type EdgeType = petgraph::Undirected;
}

impl NodeCount for Csr {
    fn node_count(&self) -> usize {
        self.n()
    }
}

impl NodeIndexable for Csr {
    fn node_bound(&self) -> usize {
        self.n()
    }
    fn to_index(&self, a: u32) -> usize {
        a as usize
    }
    fn from_index(&self, i: usize) -> u32 {
        i as u32
    }
}

impl NodeCompactIndexable for Csr {}

impl<'a> IntoNeighbors for &'a Csr {
    type Neighbors = std::iter::Copied<std::slice::Iter<'a, u32>>;
    fn neighbors(self, a: u32) -> Self::Neighbors {
        self.neighbours(a as usize).iter().copied()
    }
}

impl IntoNodeIdentifiers for &Csr {
    type NodeIdentifiers = std::ops::Range<u32>;
    fn node_identifiers(self) -> Self::NodeIdentifiers {
        0..self.n() as u32
    }
}

impl IntoNodeReferences for &Csr {
    type NodeRef = (u32, ());
    type NodeReferences = std::iter::Map<std::ops::Range<u32>, fn(u32) -> (u32, ())>;
    fn node_references(self) -> Self::NodeReferences {
        (0..self.n() as u32).map(|v| (v, ()))
    }
}

/// The edges of one node as petgraph edge references `(node, neighbour, &weight)`, in
/// neighbour order.
#[derive(Clone, Debug)]
pub struct CsrEdges<'a> {
    source: u32,
    targets: std::slice::Iter<'a, u32>,
    weights: std::slice::Iter<'a, f64>,
}

impl<'a> Iterator for CsrEdges<'a> {
    type Item = (u32, u32, &'a f64);
    fn next(&mut self) -> Option<Self::Item> {
        Some((self.source, *self.targets.next()?, self.weights.next()?))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.targets.size_hint()
    }
}

impl<'a> IntoEdges for &'a Csr {
    type Edges = CsrEdges<'a>;
    fn edges(self, a: u32) -> CsrEdges<'a> {
        let (lo, hi) = (self.offsets[a as usize], self.offsets[a as usize + 1]);
        CsrEdges {
            source: a,
            targets: self.targets[lo..hi].iter(),
            weights: self.weights[lo..hi].iter(),
        }
    }
}

/// Every undirected edge once, `(u, v, &w)` with `u < v`, in row order.
#[derive(Clone, Debug)]
pub struct CsrEdgeReferences<'a> {
    graph: &'a Csr,
    node: usize,
    entry: usize,
}

impl<'a> Iterator for CsrEdgeReferences<'a> {
    type Item = (u32, u32, &'a f64);
    fn next(&mut self) -> Option<Self::Item> {
        let g = self.graph;
        while self.node < g.n() {
            let end = g.offsets[self.node + 1];
            while self.entry < end {
                let i = self.entry;
                self.entry += 1;
                if (self.node as u32) < g.targets[i] {
                    return Some((self.node as u32, g.targets[i], &g.weights[i]));
                }
            }
            self.node += 1;
        }
        None
    }
}

impl<'a> IntoEdgeReferences for &'a Csr {
    type EdgeRef = (u32, u32, &'a f64);
    type EdgeReferences = CsrEdgeReferences<'a>;
    fn edge_references(self) -> CsrEdgeReferences<'a> {
        CsrEdgeReferences {
            graph: self,
            node: 0,
            entry: 0,
        }
    }
}

impl Csr {
    /// The [`Csr`] of any undirected petgraph graph with `f64` edge weights (node `i` of the
    /// result is the node with index `i`; parallel edges merged by maximum weight, self-loops
    /// dropped), for running the analysis' CSR kernels on a petgraph `Graph` or `GraphMap`:
    ///
    /// ```
    /// use petgraph::graph::UnGraph;
    /// use vertoog_analysis::graph::Csr;
    /// let g = UnGraph::<(), f64>::from_edges([(0, 1, 0.5), (1, 2, 1.0)]);
    /// let csr = Csr::from_graph(&g);
    /// assert_eq!((csr.n(), csr.n_edges()), (3, 2));
    /// assert_eq!(csr.weight(1, 2), Some(1.0));
    /// ```
    pub fn from_graph<G>(g: G) -> Csr
    where
        G: IntoEdgeReferences<EdgeWeight = f64> + NodeIndexable,
    {
        use petgraph::visit::EdgeRef;
        Csr::from_edges(
            g.node_bound(),
            g.edge_references().map(|e| {
                (
                    g.to_index(e.source()) as u32,
                    g.to_index(e.target()) as u32,
                    *e.weight(),
                )
            }),
            f64::max,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(u32, u32)]) -> Csr {
        Csr::from_edges(n, edges.iter().map(|&(u, v)| (u, v, 1.0)), f64::max)
    }

    #[test]
    fn changed_pairs_lists_added_removed_and_reweighted_edges() {
        let before = Csr::from_edges(
            5,
            vec![(0, 1, 1.0), (1, 2, 0.5), (2, 3, 1.0), (3, 4, 1.0)],
            f64::max,
        );
        assert_eq!(before.changed_pairs(&before.clone()), Some(vec![]));
        // (0, 1) removed, (1, 2) reweighted, (0, 4) and (1, 3) added, (2, 3), (3, 4) kept.
        let after = Csr::from_edges(
            5,
            vec![
                (1, 2, 0.6),
                (2, 3, 1.0),
                (3, 4, 1.0),
                (4, 0, 1.0),
                (3, 1, 0.3),
            ],
            f64::max,
        );
        let expected = vec![(0, 1), (0, 4), (1, 2), (1, 3)];
        assert_eq!(before.changed_pairs(&after), Some(expected.clone()));
        assert_eq!(after.changed_pairs(&before), Some(expected));
        assert_eq!(
            before.changed_pairs(&graph(4, &[(0, 1)])),
            None,
            "another n"
        );
    }

    #[test]
    fn csr_merges_parallel_edges_and_drops_loops() {
        let g = Csr::from_edges(
            3,
            vec![
                (0, 1, 0.2),
                (1, 0, 0.7),
                (1, 1, 1.0),
                (1, 2, 0.5),
                (2, 9, 1.0),
            ],
            f64::max,
        );
        assert_eq!(g.n_edges(), 2);
        assert_eq!(g.weight(0, 1), Some(0.7));
        assert_eq!(g.weight(1, 0), Some(0.7));
        assert_eq!(g.neighbours(1), &[0, 2]);
        assert_eq!(g.weighted_degree(1), 1.2);
        let sub = g.induced(&[1, 2]);
        assert_eq!(sub.n(), 2);
        assert_eq!(sub.weight(0, 1), Some(0.5));
    }

    #[test]
    fn bowtie_with_tail() {
        // Two triangles 0-1-2 and 2-3-4 sharing node 2, and a tail 4-5.
        //   0     3
        //   | \ / |
        //   1--2--4--5     (edges 0-1, 0-2, 1-2, 2-3, 2-4, 3-4, 4-5)
        let g = graph(6, &[(0, 1), (0, 2), (1, 2), (2, 3), (2, 4), (3, 4), (4, 5)]);
        let cs = cut_structure(&g);
        assert_eq!(cs.bridges, vec![(4, 5)]);
        assert_eq!(cs.articulation_points, vec![2, 4]);
        // Removing 2 leaves {0,1} and {3,4,5}: two parts of >= 2, critical.
        // Removing 4 leaves {0,1,2,3} and {5}: only one part of >= 2, not critical.
        assert_eq!(cs.critical_brokers, vec![2]);
        assert_eq!(components(&g), vec![vec![0, 1, 2, 3, 4, 5]]);
        // Clustering: node 0: d=2, 1 triangle -> 1; node 1: 1; node 2: d=4, 2 triangles of
        // 6 pairs -> 1/3; node 3: 1; node 4: d=3, 1 triangle of 3 pairs -> 1/3; node 5: 0.
        // Mean = (1 + 1 + 1/3 + 1 + 1/3 + 0) / 6 = (11/3) / 6 = 11/18.
        let c = average_clustering(&g).unwrap();
        assert!((c - 11.0 / 18.0).abs() < 1e-12);
    }

    #[test]
    fn path_root_and_components() {
        // Path 0-1-2-3 and a separate edge 4-5 and isolated 6.
        let g = graph(7, &[(0, 1), (1, 2), (2, 3), (4, 5)]);
        let cs = cut_structure(&g);
        assert_eq!(cs.bridges, vec![(0, 1), (1, 2), (2, 3), (4, 5)]);
        assert_eq!(cs.articulation_points, vec![1, 2]);
        // Removing 1 leaves {0} and {2,3}: not critical; removing 2 leaves {0,1} and {3}.
        assert!(cs.critical_brokers.is_empty());
        assert_eq!(components(&g), vec![vec![0, 1, 2, 3], vec![4, 5], vec![6]]);
        // Path of 5 (0..4): node 2 splits it into {0,1} and {3,4}: critical.
        let g = graph(5, &[(0, 1), (1, 2), (2, 3), (3, 4)]);
        assert_eq!(cut_structure(&g).critical_brokers, vec![2]);
        // Star with centre 0 as DFS root: articulation point, never critical.
        let g = graph(4, &[(0, 1), (0, 2), (0, 3)]);
        let cs = cut_structure(&g);
        assert_eq!(cs.articulation_points, vec![0]);
        assert!(cs.critical_brokers.is_empty());
        // Root as a critical broker: 0 joins the edges 1-2 and 3-4.
        let g = graph(5, &[(0, 1), (1, 2), (0, 3), (3, 4)]);
        assert_eq!(cut_structure(&g).critical_brokers, vec![0]);
    }

    #[test]
    fn long_path_does_not_overflow_the_stack() {
        let n = 50_000u32;
        let edges: Vec<(u32, u32)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        let g = graph(n as usize, &edges);
        let cs = cut_structure(&g);
        assert_eq!(cs.bridges.len(), (n - 1) as usize);
        assert_eq!(cs.articulation_points.len(), (n - 2) as usize);
        // Every inner node but the two next to the ends splits off two parts of >= 2.
        assert_eq!(cs.critical_brokers.len(), (n - 4) as usize);
    }

    #[test]
    fn induced_subgraphs_small_and_large_keep_the_members_edges_exactly() {
        let mut rng = crate::prng::SplitMix64::new(29);
        // 300 nodes (the one-thread path) and 3,000 nodes with about 120,000 entries (the
        // counted, parallel path); members every node but a random fifth, and one beyond n.
        for (n, m) in [(300u32, 2_000), (3_000, 60_000)] {
            let edges: Vec<(u32, u32, f64)> = (0..m)
                .map(|_| {
                    let (u, v) = (rng.below(n as u64) as u32, rng.below(n as u64) as u32);
                    (u, v, rng.next_f64() - 0.5)
                })
                .collect();
            let g = Csr::from_edges(n as usize, edges, |x, y| x + y);
            let mut members: Vec<u32> = (0..n).filter(|_| rng.below(5) != 0).collect();
            members.push(n + 7);
            let sub = g.induced(&members);
            let slot = |x: u32| members.iter().position(|&m| m == x);
            let expected = Csr::from_edges(
                members.len(),
                g.edges()
                    .filter_map(|(u, v, w)| Some((slot(u)? as u32, slot(v)? as u32, w))),
                |_, _| unreachable!("each edge once"),
            );
            assert_eq!(sub.n(), members.len());
            assert!(sub.n_edges() > 0 && sub.n_edges() < g.n_edges());
            for i in 0..sub.n() {
                assert_eq!(sub.neighbours(i), expected.neighbours(i));
                let bits = |ws: &[f64]| ws.iter().map(|w| w.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(sub.weights(i)), bits(expected.weights(i)));
            }
        }
    }

    #[test]
    fn agrees_with_petgraph_on_a_pseudo_random_graph() {
        use petgraph::graph::UnGraph;
        use petgraph::visit::EdgeRef;
        let mut rng = crate::prng::SplitMix64::new(11);
        for round in 0..20 {
            let n = 30 + round;
            let mut edges = Vec::new();
            for _ in 0..(n + round * 2) {
                let u = rng.below(n as u64) as u32;
                let v = rng.below(n as u64) as u32;
                if u != v {
                    edges.push((u.min(v), u.max(v)));
                }
            }
            edges.sort_unstable();
            edges.dedup();
            let g = graph(n, &edges);
            let mut pg = UnGraph::<(), ()>::new_undirected();
            let nodes: Vec<_> = (0..n).map(|_| pg.add_node(())).collect();
            for &(u, v) in &edges {
                pg.add_edge(nodes[u as usize], nodes[v as usize], ());
            }
            let mut ap: Vec<u32> = petgraph::algo::articulation_points::articulation_points(&pg)
                .into_iter()
                .map(|x| x.index() as u32)
                .collect();
            ap.sort_unstable();
            let mut br: Vec<(u32, u32)> = petgraph::algo::bridges::bridges(&pg)
                .map(|e| {
                    let (a, b) = (e.source().index() as u32, e.target().index() as u32);
                    (a.min(b), a.max(b))
                })
                .collect();
            br.sort_unstable();
            let cs = cut_structure(&g);
            assert_eq!(cs.articulation_points, ap, "round {round}");
            assert_eq!(cs.bridges, br, "round {round}");
        }
    }

    /// The graph after `changes` applied one at a time to an edge list: the reference for
    /// `with_changed_edges`.
    fn changed_one_by_one(g: &Csr, changes: &[(u32, u32, Option<f64>)]) -> Csr {
        let mut edges: BTreeMap<(u32, u32), f64> = (0..g.n())
            .flat_map(|v| {
                g.row(v)
                    .map(move |(u, w)| ((v as u32).min(u), (v as u32).max(u), w))
            })
            .map(|(a, b, w)| ((a, b), w))
            .collect();
        for &(u, v, w) in changes {
            if u == v || u as usize >= g.n() || v as usize >= g.n() {
                continue;
            }
            let key = (u.min(v), u.max(v));
            match w {
                Some(w) => {
                    let e = edges.entry(key).or_insert(w);
                    *e = e.max(w);
                }
                None => {
                    edges.remove(&key);
                }
            }
        }
        Csr::from_edges(
            g.n(),
            edges.into_iter().map(|((a, b), w)| (a, b, w)),
            f64::max,
        )
    }

    #[test]
    fn changed_edges_equal_the_changes_one_by_one() {
        let mut rng = crate::prng::SplitMix64::new(5);
        for round in 0..200 {
            let n = 2 + rng.below(25) as usize;
            let edges: Vec<(u32, u32, f64)> = (0..rng.below(3 * n as u64))
                .map(|_| {
                    let u = rng.below(n as u64) as u32;
                    let v = rng.below(n as u64) as u32;
                    (u, v, (1 + rng.below(9)) as f64 / 10.0)
                })
                .collect();
            let g = Csr::from_edges(n, edges.iter().copied(), f64::max);
            // Additions, removals, repeats of one pair, out-of-range ends and self-loops.
            let changes: Vec<(u32, u32, Option<f64>)> = (0..rng.below(8))
                .map(|_| {
                    let u = rng.below(n as u64 + 1) as u32;
                    let v = if rng.below(4) == 0 {
                        u
                    } else {
                        rng.below(n as u64) as u32
                    };
                    let w = (rng.below(3) > 0).then(|| (1 + rng.below(9)) as f64 / 10.0);
                    (u, v, w)
                })
                .collect();
            let ours = g.with_changed_edges(&changes);
            assert_eq!(
                ours,
                changed_one_by_one(&g, &changes),
                "round {round}: {changes:?}"
            );
        }
    }

    #[test]
    fn graphs_built_on_kept_arrays_equal_fresh_ones() {
        // Large enough for the arrays to be kept when dropped and taken again.
        let n = 1 << 11;
        let row = |v: usize, t: &mut [u32], w: &mut [f64]| {
            for (k, (t, w)) in t.iter_mut().zip(w.iter_mut()).enumerate() {
                *t = k as u32;
                *w = (v * 7 + k) as f64;
            }
        };
        let first = Csr::from_row_writer(n, |_| 600, row);
        let expect = first.clone();
        drop(first);
        // Shorter rows on the kept (longer) arrays: nothing of the old contents shows.
        let shorter = Csr::from_row_writer(n, |v| v % 500, row);
        for v in 0..n {
            assert_eq!(shorter.neighbours(v).len(), v % 500);
            assert!(shorter
                .weights(v)
                .iter()
                .enumerate()
                .all(|(k, &w)| w == (v * 7 + k) as f64));
        }
        drop(shorter);
        let again = Csr::from_row_writer(n, |_| 600, row);
        assert_eq!(again, expect);
    }

    #[test]
    fn parallel_rows_equal_sequential_rows() {
        let mut rng = crate::prng::SplitMix64::new(3);
        let n = 3000; // several batches of rows
        let rows: Vec<Vec<(u32, f64)>> = (0..n)
            .map(|_| {
                let mut r: Vec<(u32, f64)> = (0..rng.below(20))
                    .map(|_| (rng.below(n as u64) as u32, rng.next_f64()))
                    .collect();
                r.sort_by_key(|e| e.0);
                r.dedup_by_key(|e| e.0);
                r
            })
            .collect();
        let seq = Csr::from_sorted_rows(n, |v, out| out.extend_from_slice(&rows[v]));
        // The scratch counts the rows it served: rows must not depend on it.
        let par = Csr::from_sorted_rows_par(
            n,
            10,
            || 0usize,
            |served: &mut usize, v, out| {
                *served += 1;
                out.extend_from_slice(&rows[v]);
            },
        );
        assert_eq!(seq, par);
        assert_eq!(par.n(), n);
        assert_eq!(
            par.neighbours(17),
            rows[17].iter().map(|e| e.0).collect::<Vec<_>>().as_slice()
        );
        assert_eq!(
            Csr::from_sorted_rows_par(0, 0, || (), |_, _, _| {}),
            Csr::empty(0)
        );
    }

    #[test]
    fn petgraph_algorithms_run_on_the_csr() {
        // The bow tie with a tail, and a separate edge: petgraph sees the Csr as an
        // undirected graph of 8 nodes and 8 edges (each edge once).
        let g = graph(
            8,
            &[
                (0, 1),
                (0, 2),
                (1, 2),
                (2, 3),
                (2, 4),
                (3, 4),
                (4, 5),
                (6, 7),
            ],
        );
        assert_eq!(g.edge_references().count(), 8);
        assert_eq!(petgraph::algo::connected_components(&g), 2);
        let mut ap: Vec<u32> = petgraph::algo::articulation_points::articulation_points(&g)
            .into_iter()
            .collect();
        ap.sort_unstable();
        assert_eq!(ap, vec![2, 4]);
        let br: Vec<(u32, u32)> = petgraph::algo::bridges::bridges(&g)
            .map(|(u, v, _)| (u, v))
            .collect();
        assert_eq!(br, vec![(4, 5), (6, 7)]);
        assert_eq!(components(&g), vec![vec![0, 1, 2, 3, 4, 5], vec![6, 7]]);
        // And back: a petgraph graph converts to the same Csr.
        let pg = petgraph::graph::UnGraph::<(), f64>::from_edges(
            g.edge_references().map(|(u, v, w)| (u, v, *w)),
        );
        assert_eq!(Csr::from_graph(&pg), g);
    }
}

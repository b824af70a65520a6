//! Signed modularity (Traag & Bruggeman 2009) and its maximisation by Louvain local moving
//! with the Leiden refinement (Traag, Waltman & van Eck 2019). docs/method.md §3.
//!
//! # The quality function
//!
//! For a signed graph with w+ = max(w, 0), w- = max(-w, 0), weighted degrees k±, totals W±
//! (each edge once) and resolutions γ+, γ-:
//!
//! `Q = 1/(2W+ + 2W-) Σ_ab [ (w+_ab - γ+ k+_a k+_b / 2W+) - (w-_ab - γ- k-_a k-_b / 2W-) ] δ(c_a, c_b)`
//!
//! The sum runs over ordered pairs (a, b) including a = b (w_aa = 0 in an actor network), as
//! in Newman & Girvan and Traag & Bruggeman, so a single community holding a whole positive
//! graph has Q = 0. A null-model term whose total W is 0 is left out. Per community c this is
//!
//! `Q_c = [ (2 in+_c - γ+ (K+_c)² / 2W+) - (2 in-_c - γ- (K-_c)² / 2W-) ] / (2W+ + 2W-)`
//!
//! with in±_c the weight inside c (each edge once) and K±_c the summed degrees; Q = Σ_c Q_c,
//! and Q_c is reported as the coalition's `modularity_share`.
//!
//! # The optimiser
//!
//! Moving an isolated node v into community C changes Q by
//! `2 [ w_vC - γ+ k+_v K+_C / 2W+ + γ- k-_v K-_C / 2W- ] / (2W+ + 2W-)`,
//! where w_vC = Σ_{u in C} w_vu (signed: the edge terms of both signs share the normaliser, so
//! aggregated graphs keep one net weight per pair and the node degrees k+ and k- separately).
//!
//! 1. Fast local moving (Leiden): a queue holding every node in index order; a node moves to
//!    the neighbouring community (or an empty one) with the largest gain, staying put on
//!    equal gains; when it moves, its neighbours outside the new community are queued again.
//! 2. Refinement (Leiden): inside each community S, every node starts alone; in index order,
//!    a node that is still alone and *well connected* to S (`E+(v, S-v) >= γ+ k+_v (K+_S -
//!    k+_v) / 2W+`) joins the well-connected refined community C of S, positively linked to
//!    it (net w_vC > 0), with the largest gain >= 0 (deterministic: the greedy limit θ -> 0 of
//!    Leiden's randomised choice). So every refined community is connected by positive edges.
//! 3. Aggregation on the refined partition; the aggregate's initial partition is the
//!    unrefined one. Repeat until every community is one node.
//!
//! The whole procedure is iterated from its own result until Q stops increasing (at most 10
//! rounds). Finally every community is split into its connected components in the positive
//! part of the graph, so a coalition is always connected by agreement; with γ- = 0 such a split
//! never lowers Q (there is no positive weight between the parts, and both null-model terms
//! can only shrink).
//!
//! # The graph
//!
//! The optimiser works on the analysis' [`Csr`] (a petgraph graph: it implements petgraph's
//! `visit` traits), because every aggregation step builds the next level as a new compressed
//! graph and the moving phases read rows by index. Any other undirected petgraph graph with
//! `f64` weights enters through [`detect_graph`], which converts it once ([`Csr::from_graph`]).

use petgraph::visit::{IntoEdgeReferences, NodeIndexable};

use crate::graph::Csr;

/// Gains below this are treated as no gain, so that rounding noise never moves a node.
const EPS: f64 = 1e-12;

/// Parameters of signed modularity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Resolution {
    /// γ+ (`resolution`).
    pub positive: f64,
    /// γ- (`conflict_resolution`).
    pub negative: f64,
}

/// Totals of the original graph that define Q and the gains.
#[derive(Clone, Copy, Debug)]
struct Totals {
    /// 2W+ = Σ_v k+_v.
    wp2: f64,
    /// 2W- = Σ_v k-_v.
    wn2: f64,
    gp: f64,
    gn: f64,
}

impl Totals {
    fn new(kp: &[f64], kn: &[f64], res: Resolution) -> Self {
        Totals {
            wp2: kp.iter().sum(),
            wn2: kn.iter().sum(),
            gp: res.positive,
            gn: res.negative,
        }
    }

    /// Gain (up to the positive factor 2/(2W+ + 2W-)) of joining a community with totals
    /// (kp_c, kn_c) that holds net weight `w_vc` to v.
    fn gain(&self, w_vc: f64, kp_v: f64, kn_v: f64, kp_c: f64, kn_c: f64) -> f64 {
        let mut g = w_vc;
        if self.wp2 > 0.0 {
            g -= self.gp * kp_v * kp_c / self.wp2;
        }
        if self.wn2 > 0.0 {
            g += self.gn * kn_v * kn_c / self.wn2;
        }
        g
    }
}

/// Rows of at least this many graph entries in total are processed with rayon. Below it the
/// same per-node computations run on the calling thread; the results are identical.
const PARALLEL_ENTRIES: usize = 1 << 16;

/// Whether a pass over `g` is worth spreading over threads.
fn parallel(g: &Csr) -> bool {
    g.n_edges() * 2 >= PARALLEL_ENTRIES
}

/// Positive and negative weighted degrees of every node: `k+_v = Σ_u max(w_vu, 0)`,
/// `k-_v = Σ_u max(-w_vu, 0)`, each summed in row order (so the same with or without threads).
fn signed_degrees(g: &Csr) -> (Vec<f64>, Vec<f64>) {
    let one = |v: usize| -> (f64, f64) {
        let (mut p, mut q) = (0.0, 0.0);
        for &w in g.weights(v) {
            // Branch-free: adding +0.0 leaves a sum that starts at +0.0 unchanged.
            p += w.max(0.0);
            q += (-w).max(0.0);
        }
        (p, q)
    };
    per_node(g, one).into_iter().unzip()
}

/// Signed modularity Q of `membership` on `g` (formula in the module documentation), and each
/// community's share Q_c (indexed by community label; labels must be `< n`). `None` when the
/// graph has no weight at all (W+ = W- = 0).
pub fn signed_modularity(g: &Csr, membership: &[u32], res: Resolution) -> Option<(f64, Vec<f64>)> {
    let (kp, kn) = signed_degrees(g);
    modularity_with_degrees(g, &kp, &kn, membership, res)
}

/// A node's positive and negative weight to its own community of `membership`, summed in row
/// order.
fn inside(g: &Csr, membership: &[u32], v: usize) -> (f64, f64) {
    let c = membership[v];
    let (mut p, mut q) = (0.0, 0.0);
    for (&u, &w) in g.neighbours(v).iter().zip(g.weights(v)) {
        // Adding +0.0 for the others leaves the sums as they are, without a branch to miss.
        let same = membership[u as usize] == c;
        p += if same { w.max(0.0) } else { 0.0 };
        q += if same { (-w).max(0.0) } else { 0.0 };
    }
    (p, q)
}

/// `f` of every node, in parallel on large graphs (the same values either way).
fn per_node<T: Send>(g: &Csr, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    if parallel(g) {
        use rayon::prelude::*;
        (0..g.n()).into_par_iter().map(f).collect()
    } else {
        (0..g.n()).map(f).collect()
    }
}

/// [`signed_degrees`] and each node's [`inside`] weight for `membership`, in one pass over the
/// graph: each sum is the one the separate passes give, bit for bit.
#[allow(clippy::type_complexity)]
fn degrees_and_inside(g: &Csr, membership: &[u32]) -> (Vec<f64>, Vec<f64>, Vec<(f64, f64)>) {
    let one = |v: usize| {
        let c = membership[v];
        let (mut kp, mut kn, mut p, mut q) = (0.0, 0.0, 0.0, 0.0);
        for (&u, &w) in g.neighbours(v).iter().zip(g.weights(v)) {
            let (wp, wn) = (w.max(0.0), (-w).max(0.0));
            kp += wp;
            kn += wn;
            let same = membership[u as usize] == c;
            p += if same { wp } else { 0.0 };
            q += if same { wn } else { 0.0 };
        }
        (kp, kn, (p, q))
    };
    let all = per_node(g, one);
    let mut kp = Vec::with_capacity(all.len());
    let mut kn = Vec::with_capacity(all.len());
    let mut ins = Vec::with_capacity(all.len());
    for (p, n, i) in all {
        kp.push(p);
        kn.push(n);
        ins.push(i);
    }
    (kp, kn, ins)
}

/// The nodes whose community of `after` does not hold the same members as their community
/// of `before` (ascending): only their [`inside`] weights can differ between the two.
fn regrouped(before: &[u32], after: &[u32]) -> Vec<u32> {
    let labels = |m: &[u32]| m.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let (kb, ka) = (labels(before), labels(after));
    let mut size_before = vec![0u32; kb];
    for &c in before {
        size_before[c as usize] += 1;
    }
    let mut size_after = vec![0u32; ka];
    // The label before of the community's first member, and whether all members had it.
    let mut from = vec![u32::MAX; ka];
    let mut kept = vec![true; ka];
    for (&b, &a) in before.iter().zip(after) {
        let a = a as usize;
        size_after[a] += 1;
        if from[a] == u32::MAX {
            from[a] = b;
        } else if from[a] != b {
            kept[a] = false;
        }
    }
    for a in 0..ka {
        if kept[a] && from[a] != u32::MAX && size_before[from[a] as usize] != size_after[a] {
            kept[a] = false;
        }
    }
    (0..after.len() as u32)
        .filter(|&v| !kept[after[v as usize] as usize])
        .collect()
}

/// [`signed_modularity`] with the signed degrees already computed.
fn modularity_with_degrees(
    g: &Csr,
    kp: &[f64],
    kn: &[f64],
    membership: &[u32],
    res: Resolution,
) -> Option<(f64, Vec<f64>)> {
    let inside_weights = per_node(g, |v| inside(g, membership, v));
    modularity_of_parts(kp, kn, membership, &inside_weights, res)
}

/// Q and the shares from each node's signed degrees and [`inside`] weights: the per-node sums
/// are added to their communities in node order, so the result does not depend on threads.
fn modularity_of_parts(
    kp: &[f64],
    kn: &[f64],
    membership: &[u32],
    per_node: &[(f64, f64)],
    res: Resolution,
) -> Option<(f64, Vec<f64>)> {
    let n = membership.len();
    let t = Totals::new(kp, kn, res);
    let norm = t.wp2 + t.wn2;
    if norm <= 0.0 {
        return None;
    }
    let labels = membership
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut in_p = vec![0.0; labels]; // 2 in+_c (ordered pairs)
    let mut in_n = vec![0.0; labels];
    let mut big_kp = vec![0.0; labels];
    let mut big_kn = vec![0.0; labels];
    for v in 0..n {
        let c = membership[v] as usize;
        big_kp[c] += kp[v];
        big_kn[c] += kn[v];
        in_p[c] += per_node[v].0;
        in_n[c] += per_node[v].1;
    }
    let mut shares = vec![0.0; labels];
    for c in 0..labels {
        let mut pos = in_p[c];
        if t.wp2 > 0.0 {
            pos -= t.gp * big_kp[c] * big_kp[c] / t.wp2;
        }
        let mut neg = in_n[c];
        if t.wn2 > 0.0 {
            neg -= t.gn * big_kn[c] * big_kn[c] / t.wn2;
        }
        shares[c] = (pos - neg) / norm;
    }
    Some((shares.iter().sum(), shares))
}

/// One level of the hierarchy: a graph (net weights, no self-loops) with node degrees.
/// The first level borrows the input graph (no copy of a possibly large network).
struct Level<'g> {
    g: std::borrow::Cow<'g, Csr>,
    kp: Vec<f64>,
    kn: Vec<f64>,
}

/// Fast local moving. Returns whether any node moved. `comm` labels are `< n`.
fn move_nodes(level: &Level<'_>, t: &Totals, comm: &mut [u32]) -> bool {
    move_nodes_from(level, t, comm, None)
}

/// [`move_nodes`] with only `first` (ascending) queued at the start, when given; a node that
/// moves still queues its neighbours outside its new community.
fn move_nodes_from(level: &Level<'_>, t: &Totals, comm: &mut [u32], first: Option<&[u32]>) -> bool {
    let n = level.g.n();
    let mut ckp = vec![0.0; n];
    let mut ckn = vec![0.0; n];
    let mut size = vec![0u32; n];
    for (v, &c) in comm.iter().enumerate() {
        let c = c as usize;
        ckp[c] += level.kp[v];
        ckn[c] += level.kn[v];
        size[c] += 1;
    }
    let mut empties: Vec<u32> = (0..n as u32)
        .rev()
        .filter(|&c| size[c as usize] == 0)
        .collect();
    let (mut queue, mut queued): (std::collections::VecDeque<u32>, Vec<bool>) = match first {
        None => ((0..n as u32).collect(), vec![true; n]),
        Some(first) => {
            let mut queued = vec![false; n];
            for &v in first {
                queued[v as usize] = true;
            }
            (first.iter().copied().collect(), queued)
        }
    };
    let mut w_to = vec![0.0; n];
    let mut seen = vec![false; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut changed = false;
    while let Some(v) = queue.pop_front() {
        let v = v as usize;
        queued[v] = false;
        let old = comm[v] as usize;
        let (kp_v, kn_v) = (level.kp[v], level.kn[v]);
        ckp[old] -= kp_v;
        ckn[old] -= kn_v;
        size[old] -= 1;
        for (u, w) in level.g.row(v) {
            let c = comm[u as usize] as usize;
            if !seen[c] {
                seen[c] = true;
                touched.push(c as u32);
            }
            w_to[c] += w;
        }
        let mut best = old;
        let mut best_gain = t.gain(w_to[old], kp_v, kn_v, ckp[old], ckn[old]);
        for &c in &touched {
            let c = c as usize;
            if c == old {
                continue;
            }
            let g = t.gain(w_to[c], kp_v, kn_v, ckp[c], ckn[c]);
            if g > best_gain + EPS {
                best = c;
                best_gain = g;
            }
        }
        if size[old] > 0 && 0.0 > best_gain + EPS {
            if let Some(e) = empties.pop() {
                best = e as usize;
            }
        }
        for &c in &touched {
            w_to[c as usize] = 0.0;
            seen[c as usize] = false;
        }
        touched.clear();
        ckp[best] += kp_v;
        ckn[best] += kn_v;
        size[best] += 1;
        if best != old {
            if size[old] == 0 {
                empties.push(old as u32);
            }
            comm[v] = best as u32;
            changed = true;
            for &u in level.g.neighbours(v) {
                let u = u as usize;
                if comm[u] as usize != best && !queued[u] {
                    queued[u] = true;
                    queue.push_back(u as u32);
                }
            }
        }
    }
    changed
}

/// Leiden refinement of `comm`: returns the refined labels (`< n`).
fn refine(level: &Level<'_>, t: &Totals, comm: &[u32]) -> Vec<u32> {
    let n = level.g.n();
    let mut refined: Vec<u32> = (0..n as u32).collect();
    // Totals of the unrefined communities S.
    let mut skp = vec![0.0; n];
    for (&c, &k) in comm.iter().zip(&level.kp) {
        skp[c as usize] += k;
    }
    // Per refined community: degree totals, size, and E+(C, S - C).
    let mut rkp = level.kp.clone();
    let mut rkn = level.kn.clone();
    let mut rsize = vec![1u32; n];
    // E+(v, S - v): each node's positive weight to the rest of its community, summed in row
    // order (per node, so threads do not change it).
    let g = &*level.g;
    let ext_of = |v: usize| -> f64 {
        let s = comm[v];
        let mut e = 0.0;
        for (&u, &w) in g.neighbours(v).iter().zip(g.weights(v)) {
            if comm[u as usize] == s && w > 0.0 {
                e += w;
            }
        }
        e
    };
    let mut ext: Vec<f64> = if parallel(g) {
        use rayon::prelude::*;
        (0..n).into_par_iter().map(ext_of).collect()
    } else {
        (0..n).map(ext_of).collect()
    };
    let well_connected = |e: f64, k: f64, s_total: f64| -> bool {
        if t.wp2 <= 0.0 {
            return e > 0.0;
        }
        e >= t.gp * k * (s_total - k) / t.wp2 - EPS
    };
    let mut w_to = vec![0.0; n];
    let mut pos_to = vec![0.0; n];
    let mut seen = vec![false; n];
    let mut touched: Vec<u32> = Vec::new();
    for v in 0..n {
        let r_v = refined[v] as usize;
        if rsize[r_v] != 1 {
            continue; // someone joined v: v is no longer a singleton
        }
        let s = comm[v];
        let s_total = skp[s as usize];
        if !well_connected(ext[r_v], level.kp[v], s_total) {
            continue;
        }
        for (u, w) in level.g.row(v) {
            if comm[u as usize] != s {
                continue;
            }
            let c = refined[u as usize] as usize;
            if !seen[c] {
                seen[c] = true;
                touched.push(c as u32);
            }
            w_to[c] += w;
            if w > 0.0 {
                pos_to[c] += w;
            }
        }
        let mut best: Option<(usize, f64)> = None;
        for &c in &touched {
            let c = c as usize;
            if c == r_v || w_to[c] <= 0.0 || !well_connected(ext[c], rkp[c], s_total) {
                continue;
            }
            let g = t.gain(w_to[c], level.kp[v], level.kn[v], rkp[c], rkn[c]);
            if g >= 0.0 && best.is_none_or(|(_, bg)| g > bg + EPS) {
                best = Some((c, g));
            }
        }
        if let Some((c, _)) = best {
            ext[c] = ext[c] + ext[r_v] - 2.0 * pos_to[c];
            rkp[c] += level.kp[v];
            rkn[c] += level.kn[v];
            rsize[c] += 1;
            rsize[r_v] = 0;
            refined[v] = c as u32;
        }
        for &c in &touched {
            w_to[c as usize] = 0.0;
            pos_to[c as usize] = 0.0;
            seen[c as usize] = false;
        }
        touched.clear();
    }
    refined
}

/// Renumbers labels to 0..k in order of first appearance; returns the new labels and k.
fn renumber(labels: &[u32]) -> (Vec<u32>, usize) {
    let mut map = vec![u32::MAX; labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0)];
    let mut next = 0u32;
    let out = labels
        .iter()
        .map(|&l| {
            let slot = &mut map[l as usize];
            if *slot == u32::MAX {
                *slot = next;
                next += 1;
            }
            *slot
        })
        .collect();
    (out, next as usize)
}

/// Aggregates `level` by `groups` (labels 0..k): node weights summed, edge weights between
/// groups summed (net), weight inside a group dropped (constant for the moves that follow).
/// Each aggregate row sums its members' rows in member order, so building the rows in
/// parallel gives the same graph as building them one by one.
fn aggregate(level: &Level<'_>, groups: &[u32], k: usize) -> Level<'static> {
    let n = level.g.n();
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); k];
    for v in 0..n {
        members[groups[v] as usize].push(v as u32);
    }
    let mut kp = vec![0.0; k];
    let mut kn = vec![0.0; k];
    for v in 0..n {
        kp[groups[v] as usize] += level.kp[v];
        kn[groups[v] as usize] += level.kn[v];
    }
    struct Scratch {
        acc: Vec<f64>,
        seen: Vec<bool>,
        touched: Vec<u32>,
    }
    let src = &*level.g;
    let row = |s: &mut Scratch, r: usize, out: &mut Vec<(u32, f64)>| {
        for &v in &members[r] {
            for (u, w) in src.row(v as usize) {
                let ru = groups[u as usize];
                if ru as usize == r {
                    continue;
                }
                if !s.seen[ru as usize] {
                    s.seen[ru as usize] = true;
                    s.touched.push(ru);
                }
                s.acc[ru as usize] += w;
            }
        }
        s.touched.sort_unstable();
        for &ru in &s.touched {
            let w = s.acc[ru as usize];
            if w != 0.0 {
                out.push((ru, w));
            }
            s.acc[ru as usize] = 0.0;
            s.seen[ru as usize] = false;
        }
        s.touched.clear();
    };
    let init = || Scratch {
        acc: vec![0.0; k],
        seen: vec![false; k],
        touched: Vec::new(),
    };
    let g = if parallel(src) {
        Csr::from_sorted_rows_par(k, 0, init, row)
    } else {
        let mut s = init();
        Csr::from_sorted_rows(k, |r, out| row(&mut s, r, out))
    };
    Level {
        g: std::borrow::Cow::Owned(g),
        kp,
        kn,
    }
}

/// One run of the Leiden algorithm from `initial` labels (each `< n`).
fn leiden_run(g: &Csr, kp: &[f64], kn: &[f64], t: &Totals, initial: Vec<u32>) -> Vec<u32> {
    let mut level = Level {
        g: std::borrow::Cow::Borrowed(g),
        kp: kp.to_vec(),
        kn: kn.to_vec(),
    };
    let mut node_of: Vec<u32> = (0..g.n() as u32).collect();
    let mut comm = initial;
    for _ in 0..64 {
        move_nodes(&level, t, &mut comm);
        let (c, k) = renumber(&comm);
        comm = c;
        if k == level.g.n() {
            break;
        }
        let refined = refine(&level, t, &comm);
        let (mut groups, mut r) = renumber(&refined);
        if r == level.g.n() {
            // The refinement merged nothing: aggregate by the communities themselves, so the
            // hierarchy still shrinks (connectivity is restored by the final split).
            groups = comm.clone();
            r = k;
        }
        let mut next_comm = vec![0u32; r];
        for v in 0..level.g.n() {
            next_comm[groups[v] as usize] = comm[v];
        }
        level = aggregate(&level, &groups, r);
        for x in node_of.iter_mut() {
            *x = groups[*x as usize];
        }
        comm = next_comm;
    }
    node_of.iter().map(|&x| comm[x as usize]).collect()
}

/// Splits every community into its connected components in the positive part of `g`;
/// returns labels renumbered 0..k in order of first appearance.
///
/// A depth-first search from each unlabelled node in index order; it stops as soon as every
/// member of the node's community is reached (the usual case, where a community is connected),
/// so most rows are never scanned. The components, and so the labels, do not depend on the
/// order of the search.
fn split_disconnected(g: &Csr, labels: &[u32]) -> Vec<u32> {
    let n = g.n();
    let mut left = vec![0usize; labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0)];
    for &l in labels {
        left[l as usize] += 1;
    }
    let mut out = vec![u32::MAX; n];
    let mut next = 0u32;
    let mut stack = Vec::new();
    for s in 0..n {
        if out[s] != u32::MAX {
            continue;
        }
        let ls = labels[s];
        out[s] = next;
        left[ls as usize] -= 1;
        stack.clear();
        stack.push(s);
        while let Some(v) = stack.pop() {
            if left[ls as usize] == 0 {
                break;
            }
            for (&u, &w) in g.neighbours(v).iter().zip(g.weights(v)) {
                let u = u as usize;
                if labels[u] == ls && w > 0.0 && out[u] == u32::MAX {
                    out[u] = next;
                    left[ls as usize] -= 1;
                    stack.push(u);
                }
            }
        }
        next += 1;
    }
    out
}

/// Maximises signed modularity on `g` (see the module documentation); returns each node's
/// community label (0..k, numbered in order of each community's smallest node) and Q
/// (`None` when the graph has no weight). Deterministic.
pub fn detect(g: &Csr, res: Resolution) -> (Vec<u32>, Option<f64>) {
    let (labels, q) = detect_with_shares(g, res);
    (labels, q.map(|x| x.0))
}

/// [`detect`] on any undirected petgraph graph with signed `f64` weights (parallel edges
/// merged by maximum weight). Two positive triangles joined by a negative edge are two
/// coalitions:
///
/// ```
/// use petgraph::graph::UnGraph;
/// use vertoog_analysis::leiden::{detect_graph, Resolution};
/// let g = UnGraph::<(), f64>::from_edges([
///     (0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0),
///     (3, 4, 1.0), (4, 5, 1.0), (3, 5, 1.0),
///     (2, 3, -1.0),
/// ]);
/// let res = Resolution { positive: 1.0, negative: 1.0 };
/// let (labels, q) = detect_graph(&g, res);
/// assert_eq!(labels, vec![0, 0, 0, 1, 1, 1]);
/// assert!(q.unwrap() > 0.0);
/// ```
pub fn detect_graph<G>(g: G, res: Resolution) -> (Vec<u32>, Option<f64>)
where
    G: IntoEdgeReferences<EdgeWeight = f64> + NodeIndexable,
{
    detect(&Csr::from_graph(g), res)
}

/// [`detect`], also returning each community's share Q_c (indexed by label) beside Q, as
/// [`signed_modularity`] computes them for the returned labels (without a second pass).
pub fn detect_with_shares(g: &Csr, res: Resolution) -> (Vec<u32>, Option<(f64, Vec<f64>)>) {
    iterate(g, res, None)
}

/// A quick update of the partition `start` (a label per node, e.g. the coalitions before an
/// edit): one pass of fast local moving from `start` (step 1 of the module docs, no
/// refinement or aggregation), then the split into positively connected parts. This is what
/// the server answers with right after an edit (docs/decisions.md, "Re-analysis after an
/// edit"): after a small edit only the nodes near it move, but the result is not the
/// iterated optimum [`detect_with_shares`] reaches from scratch, so it is provisional.
/// `start` must have one label per node of `g`. With `first` (nodes, ascending) only those are
/// queued at first: the nodes whose edges changed; the others move only when a neighbour
/// does.
pub fn detect_with_shares_from(
    g: &Csr,
    res: Resolution,
    start: &[u32],
    first: Option<&[u32]>,
) -> (Vec<u32>, Option<(f64, Vec<f64>)>) {
    assert_eq!(start.len(), g.n(), "one starting label per node");
    iterate(g, res, Some((start, first)))
}

/// The iteration of [`detect_with_shares`] (`start` `None`), or the quick update of
/// [`detect_with_shares_from`].
fn iterate(
    g: &Csr,
    res: Resolution,
    start: Option<(&[u32], Option<&[u32]>)>,
) -> (Vec<u32>, Option<(f64, Vec<f64>)>) {
    let n = g.n();
    if n == 0 {
        return (Vec::new(), None);
    }
    if let Some((start, first)) = start {
        // One pass of local moving from `start` (every node queued once, and again when a
        // neighbour moves), then the split: after a small edit only the nodes near it move.
        // The degrees and the weights inside the starting communities come from one pass
        // over the graph; afterwards only the nodes whose community changed are summed again.
        let begin = renumber(start).0;
        let (kp, kn, mut inside_weights) = degrees_and_inside(g, &begin);
        let t = Totals::new(&kp, &kn, res);
        let level = Level {
            g: std::borrow::Cow::Borrowed(g),
            kp,
            kn,
        };
        let mut comm = begin.clone();
        move_nodes_from(&level, &t, &mut comm, first);
        let labels = split_disconnected(g, &renumber(&comm).0);
        for v in regrouped(&begin, &labels) {
            inside_weights[v as usize] = inside(g, &labels, v as usize);
        }
        let scored = modularity_of_parts(&level.kp, &level.kn, &labels, &inside_weights, res);
        return (labels, scored);
    }
    let (kp, kn) = signed_degrees(g);
    let t = Totals::new(&kp, &kn, res);
    let mut labels: Vec<u32> = (0..n as u32).collect();
    let mut best: Option<(f64, Vec<f64>)> = None;
    let mut best_q = f64::NEG_INFINITY;
    for _ in 0..10 {
        let next = leiden_run(g, &kp, &kn, &t, renumber(&labels).0);
        let next = split_disconnected(g, &next);
        let scored = modularity_with_degrees(g, &kp, &kn, &next, res);
        let q = scored.as_ref().map_or(0.0, |x| x.0);
        if q > best_q + EPS || best_q == f64::NEG_INFINITY {
            best_q = q;
            labels = next;
            best = scored;
        } else {
            break;
        }
    }
    (labels, best)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: Resolution = Resolution {
        positive: 1.0,
        negative: 0.0,
    };

    fn graph(n: usize, edges: &[(u32, u32, f64)]) -> Csr {
        Csr::from_edges(n, edges.iter().copied(), |a, b| a + b)
    }

    /// Q straight from the formula: a double sum over all ordered pairs (a, b), a = b included.
    fn brute_q(g: &Csr, m: &[u32], res: Resolution) -> f64 {
        let n = g.n();
        let w = |a: usize, b: usize| g.weight(a, b as u32).unwrap_or(0.0);
        let kp: Vec<f64> = (0..n)
            .map(|a| (0..n).map(|b| w(a, b).max(0.0)).sum())
            .collect();
        let kn: Vec<f64> = (0..n)
            .map(|a| (0..n).map(|b| (-w(a, b)).max(0.0)).sum())
            .collect();
        let wp2: f64 = kp.iter().sum();
        let wn2: f64 = kn.iter().sum();
        let mut q = 0.0;
        for a in 0..n {
            for b in 0..n {
                if m[a] != m[b] {
                    continue;
                }
                let mut pos = w(a, b).max(0.0);
                if wp2 > 0.0 {
                    pos -= res.positive * kp[a] * kp[b] / wp2;
                }
                let mut neg = (-w(a, b)).max(0.0);
                if wn2 > 0.0 {
                    neg -= res.negative * kn[a] * kn[b] / wn2;
                }
                q += pos - neg;
            }
        }
        q / (wp2 + wn2)
    }

    fn two_triangles() -> Csr {
        // Triangles {0,1,2} and {3,4,5} joined by the edge 2-3, every weight 1.
        graph(
            6,
            &[
                (0, 1, 1.0),
                (0, 2, 1.0),
                (1, 2, 1.0),
                (3, 4, 1.0),
                (3, 5, 1.0),
                (4, 5, 1.0),
                (2, 3, 1.0),
            ],
        )
    }

    #[test]
    fn two_cliques_joined_weakly() {
        let g = two_triangles();
        let (m, q) = detect(&g, DEFAULT);
        assert_eq!(m, vec![0, 0, 0, 1, 1, 1]);
        // W+ = 7, 2W+ = 14. Each triangle: 2·in = 6, K = 7: 6 - 49/14 = 2.5.
        // Q = (2.5 + 2.5) / 14 = 5/14.
        assert!((q.unwrap() - 5.0 / 14.0).abs() < 1e-12);
        assert!((brute_q(&g, &m, DEFAULT) - 5.0 / 14.0).abs() < 1e-12);
        let (_, shares) = signed_modularity(&g, &m, DEFAULT).unwrap();
        assert!((shares[0] - 2.5 / 14.0).abs() < 1e-12);
        // One community: Q = (14 - 196/14)/14 = 0.
        let all = vec![0; 6];
        assert!(signed_modularity(&g, &all, DEFAULT).unwrap().0.abs() < 1e-12);
    }

    #[test]
    fn a_warm_start_moves_only_what_the_edit_concerns() {
        let g = two_triangles();
        let (cold, q) = detect(&g, DEFAULT);
        // From the optimum itself nothing moves, with every node queued or only one.
        for first in [None, Some(&[4u32][..])] {
            let (m, scored) = detect_with_shares_from(&g, DEFAULT, &cold, first);
            assert_eq!(m, cold);
            assert!((scored.unwrap().0 - q.unwrap()).abs() < 1e-15);
        }
        // Node 2 put in the wrong triangle (as if an edit had moved it there): queued, it
        // moves back, and Q is the brute-force Q of the labels returned.
        let wrong = vec![0, 0, 1, 1, 1, 1];
        let (m, scored) = detect_with_shares_from(&g, DEFAULT, &wrong, Some(&[2]));
        assert_eq!(m, cold);
        assert!((scored.unwrap().0 - brute_q(&g, &m, DEFAULT)).abs() < 1e-12);
        // Not queued, and no neighbour moves: it stays (the provisional answer).
        let (m, _) = detect_with_shares_from(&g, DEFAULT, &wrong, Some(&[5]));
        assert_eq!(m, wrong);
        // A start that is positively disconnected is split like any result.
        let glued = vec![0, 0, 0, 0, 0, 1];
        let (m, _) = detect_with_shares_from(&g, DEFAULT, &[0, 0, 0, 2, 2, 2], Some(&[]));
        assert_eq!(m, cold);
        let (m, _) = detect_with_shares_from(&g, DEFAULT, &glued, Some(&[]));
        assert_eq!(m.iter().collect::<std::collections::BTreeSet<_>>().len(), 2);
    }

    #[test]
    fn a_warm_start_scores_its_result_as_a_separate_pass_does() {
        // Q of the warm start comes from the degrees and inside weights of the starting
        // communities, summed again only where a community changed: bitwise the Q of the
        // labels returned. Random starts make nodes move and communities split; the large
        // graph takes the parallel passes.
        let mut rng = crate::prng::SplitMix64::new(21);
        for (n, density) in [(40usize, 0.3), (70, 0.15), (400, 0.5)] {
            let mut e = Vec::new();
            for a in 0..n as u32 {
                for b in a + 1..n as u32 {
                    if rng.next_f64() < density {
                        e.push((a, b, rng.next_f64() * 2.0 - 0.7));
                    }
                }
            }
            let g = graph(n, &e);
            let (cold, _) = detect(&g, DEFAULT);
            for round in 0..6 {
                let start: Vec<u32> = match round {
                    0 => cold.clone(),
                    1 => vec![0; n],
                    _ => (0..n).map(|_| rng.below(4 + round as u64) as u32).collect(),
                };
                let first: Vec<u32> = (0..n as u32).filter(|v| v % 7 == round as u32).collect();
                for queued in [None, Some(&first[..])] {
                    let (m, scored) = detect_with_shares_from(&g, DEFAULT, &start, queued);
                    assert_eq!(
                        scored,
                        signed_modularity(&g, &m, DEFAULT),
                        "n {n} round {round}"
                    );
                }
            }
        }
    }

    #[test]
    fn resolution_splits_finer() {
        // γ+ = 3: a triangle scores 6 - 3·49/14 = -4.5, so merging is punished;
        // the optimiser must then do at least as well as the singletons (Q = -3·Σk²/14/14).
        let g = two_triangles();
        let res = Resolution {
            positive: 3.0,
            negative: 0.0,
        };
        let (m, q) = detect(&g, res);
        let singles: Vec<u32> = (0..6).collect();
        let q_single = signed_modularity(&g, &singles, res).unwrap().0;
        assert!(q.unwrap() >= q_single - 1e-12);
        assert!((q.unwrap() - brute_q(&g, &m, res)).abs() < 1e-12);
        assert!(m.iter().max().copied().unwrap_or(0) >= 2, "{m:?}");
    }

    fn two_camps() -> Csr {
        // {0,1} and {2,3} agree inside (+1) and every cross pair conflicts (-1).
        graph(
            4,
            &[
                (0, 1, 1.0),
                (2, 3, 1.0),
                (0, 2, -1.0),
                (0, 3, -1.0),
                (1, 2, -1.0),
                (1, 3, -1.0),
            ],
        )
    }

    #[test]
    fn signed_two_camps_by_hand() {
        let g = two_camps();
        let (m, q) = detect(&g, DEFAULT);
        assert_eq!(m, vec![0, 0, 1, 1]);
        // W+ = 2, W- = 4, normaliser 2W+ + 2W- = 12. Per camp: 2·in+ = 2, K+ = 2:
        // 2 - 4/4 = 1; γ- = 0 leaves the negative null term out: Q = 2/12 = 1/6.
        assert!((q.unwrap() - 1.0 / 6.0).abs() < 1e-12);
        // γ- = 1 (Gómez et al.): per camp + K-² / 2W- = 16/8 = 2, so Q = (3 + 3)/12 = 1/2.
        let gomez = Resolution {
            positive: 1.0,
            negative: 1.0,
        };
        let (m, q) = detect(&g, gomez);
        assert_eq!(m, vec![0, 0, 1, 1]);
        assert!((q.unwrap() - 0.5).abs() < 1e-12);
        assert!((brute_q(&g, &m, gomez) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn conflict_resolution_merges_groups_that_merely_do_not_conflict() {
        // Four pairs A={0,1}, B={2,3}, C={4,5}, D={6,7}, each tied +1 inside; A conflicts
        // with B and C with D (-1 on every cross pair), A~C and B~D share a weak +0.1 tie.
        let mut e = vec![(0, 1, 1.0), (2, 3, 1.0), (4, 5, 1.0), (6, 7, 1.0)];
        for a in [0, 1] {
            for b in [2, 3] {
                e.push((a, b, -1.0));
                e.push((a + 4, b + 4, -1.0));
            }
        }
        e.push((1, 4, 0.1));
        e.push((3, 6, 0.1));
        let g = graph(8, &e);
        // γ- = 0: merging A and C gains 0.1 - k+ K+/2W+ = 0.1 - (2.1·2.1)/8.4 < 0: four groups.
        let (m, _) = detect(&g, DEFAULT);
        assert_eq!(m, vec![0, 0, 1, 1, 2, 2, 3, 3]);
        // γ- = 1: A and C each carry negative degree K- = 4 of 2W- = 16; merging them changes
        // the numerator by 2·(0.1 - 2.1·2.1/8.4 + 4·4/16) = 2·0.575 > 0: two groups.
        let gomez = Resolution {
            positive: 1.0,
            negative: 1.0,
        };
        let (m, q) = detect(&g, gomez);
        assert_eq!(m, vec![0, 0, 1, 1, 0, 0, 1, 1]);
        assert!((q.unwrap() - brute_q(&g, &m, gomez)).abs() < 1e-12);
    }

    #[test]
    fn disconnected_positive_parts_are_split() {
        // Two separate edges and nothing else: two communities, never one.
        let g = graph(4, &[(0, 1, 1.0), (2, 3, 1.0)]);
        let (m, q) = detect(&g, DEFAULT);
        assert_eq!(m, vec![0, 0, 1, 1]);
        // 2W+ = 4; each: 2 - 4/4 = 1; Q = 2/4 = 1/2.
        assert!((q.unwrap() - 0.5).abs() < 1e-12);
        let labels = split_disconnected(&g, &[0, 0, 0, 0]);
        assert_eq!(labels, vec![0, 0, 1, 1]);
    }

    #[test]
    fn empty_and_weightless_graphs() {
        assert_eq!(detect(&Csr::empty(0), DEFAULT), (vec![], None));
        let (m, q) = detect(&Csr::empty(3), DEFAULT);
        assert_eq!(m, vec![0, 1, 2]);
        assert_eq!(q, None);
    }

    #[test]
    fn optimiser_matches_the_formula_on_random_signed_graphs() {
        let mut rng = crate::prng::SplitMix64::new(5);
        for round in 0..10 {
            let n = 20 + round * 3;
            let mut e = Vec::new();
            for a in 0..n as u32 {
                for b in a + 1..n as u32 {
                    if rng.next_f64() < 0.3 {
                        let w = rng.next_f64() * 2.0 - 0.8;
                        e.push((a, b, w));
                    }
                }
            }
            let g = graph(n, &e);
            for res in [
                DEFAULT,
                Resolution {
                    positive: 1.0,
                    negative: 1.0,
                },
            ] {
                let (m, q) = detect(&g, res);
                let q = q.unwrap();
                assert!((q - brute_q(&g, &m, res)).abs() < 1e-9);
                let singles: Vec<u32> = (0..n as u32).collect();
                assert!(q >= signed_modularity(&g, &singles, res).unwrap().0 - 1e-12);
                assert_eq!(detect(&g, res).0, m, "deterministic");
            }
        }
    }

    #[test]
    fn large_graph_gives_the_same_result_for_any_thread_count() {
        // 600 nodes in 6 planted groups, dense: above the parallel threshold of the passes.
        let mut rng = crate::prng::SplitMix64::new(8);
        let mut e = Vec::new();
        for a in 0..600u32 {
            for b in a + 1..600u32 {
                let same = a % 6 == b % 6;
                if rng.next_f64() < if same { 0.5 } else { 0.15 } {
                    let w = if same {
                        0.5 + rng.next_f64()
                    } else {
                        rng.next_f64() - 0.6
                    };
                    e.push((a, b, w));
                }
            }
        }
        let g = graph(600, &e);
        assert!(g.n_edges() * 2 >= PARALLEL_ENTRIES);
        let (m, q) = detect_with_shares(&g, DEFAULT);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| detect_with_shares(&g, DEFAULT));
        assert_eq!((&m, &q), (&one.0, &one.1), "bitwise equal");
        let (q, shares) = q.unwrap();
        assert!((q - brute_q(&g, &m, DEFAULT)).abs() < 1e-9);
        assert!((shares.iter().sum::<f64>() - q).abs() < 1e-12);
        let planted: Vec<u32> = (0..600).map(|v| v % 6).collect();
        assert_eq!(crate::nmi::nmi(&planted, &m), Some(1.0), "{m:?}");
    }
}

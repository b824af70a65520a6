//! A deterministic force-directed layout for the web UI's graph (issue 8: "positioned by a
//! deterministic force-directed layout computed in Rust").
//!
//! [`layout`] places `nodes` points so that tied nodes end near each other and all nodes keep
//! some distance, with Fruchterman & Reingold's (1991) spring embedder:
//! - repulsion between every pair of nodes `f_r(d) = k² / d`, attraction along every edge
//!   `f_a(d) = w · d² / k`, with the ideal distance `k = 1` (a component of `m` nodes starts in a
//!   square of side `√m`, so that the density is one node per `k²`);
//! - a temperature that caps each node's move per iteration, cooling linearly from a tenth of the
//!   square's side to 0;
//! - above [`APPROX_THRESHOLD`] nodes in a component, repulsion is approximated with a
//!   Barnes & Hut (1986) quadtree: a cell of side `s` seen from distance `d > s / θ` (θ = 1.2)
//!   acts as one body of its node count at its centre of mass, which makes an iteration
//!   `O(m log m)` instead of `O(m²)`;
//! - every connected component is laid out on its own and the components are packed side by
//!   side in rows (largest first), so an isolated actor never drifts away and squeezes the rest;
//! - the result is scaled uniformly (the aspect ratio is kept) and centred in
//!   `[0, 1000] × [0, 1000]`.
//!
//! *Invariant:* pure and deterministic: no I/O, no clock; the initial placement comes from a
//! SplitMix64 generator seeded with `seed`, every loop runs in index order, so the same input
//! gives the same coordinates on every machine.

/// Side of the square the result is normalised to: coordinates lie in `[0, EXTENT]`.
pub const EXTENT: f64 = 1000.0;

/// Components with more nodes than this use the Barnes-Hut approximation of repulsion.
pub const APPROX_THRESHOLD: usize = 1000;

/// The ideal edge length in layout units before normalisation.
const K: f64 = 1.0;

/// Free space around each packed component, in layout units.
const PAD: f64 = 2.0 * K;

/// SplitMix64 (Steele, Lea & Flood 2014): `state += 0x9E3779B97F4A7C15`, then two
/// xor-shift-multiply rounds. Only used for the initial placement.
struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform float in [0, 1) with 53 random bits.
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// Positions for `nodes` nodes joined by `edges` `(a, b, weight)`, in `[0, 1000] × [0, 1000]`.
///
/// The weight scales the attraction of an edge (`f_a = w · d² / k`); parallel edges add up.
/// Edges that cannot be drawn are ignored rather than rejected: an index `>= nodes`, a
/// self-loop, a weight that is not finite or not positive (a `conflict` tie or a negative
/// discourse weight should be passed with its absolute value, or left out, by the caller).
/// Returns one `(x, y)` per node, in node order; an empty vector for `nodes == 0`, and the
/// centre `(500, 500)` for a single node. Deterministic: the same arguments give the same
/// result. See the crate documentation for the method.
pub fn layout(nodes: usize, edges: &[(usize, usize, f64)], seed: u64) -> Vec<(f64, f64)> {
    if nodes == 0 {
        return Vec::new();
    }
    let edges: Vec<(usize, usize, f64)> = edges
        .iter()
        .copied()
        .filter(|&(a, b, w)| a < nodes && b < nodes && a != b && w.is_finite() && w > 0.0)
        .collect();

    let components = components(nodes, &edges);
    let mut comp_of = vec![0usize; nodes];
    let mut local = vec![0usize; nodes];
    for (c, members) in components.iter().enumerate() {
        for (i, &v) in members.iter().enumerate() {
            comp_of[v] = c;
            local[v] = i;
        }
    }
    let mut comp_edges: Vec<Vec<(usize, usize, f64)>> = vec![Vec::new(); components.len()];
    for &(a, b, w) in &edges {
        comp_edges[comp_of[a]].push((local[a], local[b], w));
    }

    let mut rng = SplitMix64::new(seed);
    let placed: Vec<Vec<[f64; 2]>> = components
        .iter()
        .zip(&comp_edges)
        .map(|(members, es)| force_directed(members.len(), es, &mut rng))
        .collect();

    let mut out = vec![(EXTENT / 2.0, EXTENT / 2.0); nodes];
    let packed = pack(&placed);
    let (min, max) = bounds(packed.iter().flatten());
    let span = (max[0] - min[0]).max(max[1] - min[1]);
    if span <= 0.0 || !span.is_finite() {
        return out;
    }
    let scale = EXTENT / span;
    let off = [
        (EXTENT - (max[0] - min[0]) * scale) / 2.0,
        (EXTENT - (max[1] - min[1]) * scale) / 2.0,
    ];
    for (members, pos) in components.iter().zip(&packed) {
        for (&v, p) in members.iter().zip(pos) {
            let x = ((p[0] - min[0]) * scale + off[0]).clamp(0.0, EXTENT);
            let y = ((p[1] - min[1]) * scale + off[1]).clamp(0.0, EXTENT);
            out[v] = (x, y);
        }
    }
    out
}

/// The connected components (union-find), each sorted by node index, ordered by size
/// (largest first) and then by their smallest node index.
fn components(nodes: usize, edges: &[(usize, usize, f64)]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..nodes).collect();
    fn find(parent: &mut [usize], mut v: usize) -> usize {
        while parent[v] != v {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        v
    }
    for &(a, b, _) in edges {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            // The smaller index becomes the root, so roots are each component's first node.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent[hi] = lo;
        }
    }
    let mut index_of_root = vec![usize::MAX; nodes];
    let mut comps: Vec<Vec<usize>> = Vec::new();
    for v in 0..nodes {
        let r = find(&mut parent, v);
        if index_of_root[r] == usize::MAX {
            index_of_root[r] = comps.len();
            comps.push(Vec::new());
        }
        comps[index_of_root[r]].push(v);
    }
    // Stable sort: equal sizes keep the order of their smallest index.
    comps.sort_by_key(|c| std::cmp::Reverse(c.len()));
    comps
}

/// Number of iterations for a component of `m` nodes: more for small ones (cheap), fewer
/// for large ones (each iteration costs more).
fn iterations(m: usize) -> usize {
    match m {
        0..=300 => 300,
        301..=1000 => 200,
        1001..=3000 => 120,
        _ => 90,
    }
}

/// Fruchterman-Reingold on one connected component of `m` nodes (local indices in `edges`).
fn force_directed(m: usize, edges: &[(usize, usize, f64)], rng: &mut SplitMix64) -> Vec<[f64; 2]> {
    if m == 1 {
        return vec![[0.0, 0.0]];
    }
    let side = (m as f64).sqrt() * K;
    let mut pos: Vec<[f64; 2]> = (0..m)
        .map(|_| [rng.next_f64() * side, rng.next_f64() * side])
        .collect();
    let iters = iterations(m);
    let t0 = (side * 0.1).max(K);
    let k2 = K * K;
    let mut disp = vec![[0.0f64; 2]; m];
    let mut tree = QuadTree::default();
    for it in 0..iters {
        let t = t0 * (1.0 - it as f64 / iters as f64);
        disp.iter_mut().for_each(|d| *d = [0.0, 0.0]);
        if m <= APPROX_THRESHOLD {
            for i in 0..m {
                for j in (i + 1)..m {
                    let (dx, dy, d2) = delta(&pos, i, j);
                    let f = k2 / d2;
                    disp[i][0] += dx * f;
                    disp[i][1] += dy * f;
                    disp[j][0] -= dx * f;
                    disp[j][1] -= dy * f;
                }
            }
        } else {
            tree.repulse(&pos, &mut disp, k2);
        }
        for &(a, b, w) in edges {
            let (dx, dy, d2) = delta(&pos, a, b);
            // f_a = w d² / k along the unit vector (dx, dy) / d: a factor w d / k on (dx, dy).
            let f = w * d2.sqrt() / K;
            disp[a][0] -= dx * f;
            disp[a][1] -= dy * f;
            disp[b][0] += dx * f;
            disp[b][1] += dy * f;
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            if len > 0.0 && len.is_finite() {
                let step = len.min(t) / len;
                p[0] += d[0] * step;
                p[1] += d[1] * step;
            }
        }
    }
    pos
}

/// The vector from node `j` to node `i` and its squared length, never zero: two nodes on the
/// same spot are pulled apart along a direction fixed by their indices.
fn delta(pos: &[[f64; 2]], i: usize, j: usize) -> (f64, f64, f64) {
    let dx = pos[i][0] - pos[j][0];
    let dy = pos[i][1] - pos[j][1];
    let d2 = dx * dx + dy * dy;
    if d2 > 1e-12 {
        return (dx, dy, d2);
    }
    let angle = ((i * 31 + j * 17) % 360) as f64 * std::f64::consts::PI / 180.0;
    let (dx, dy) = (1e-3 * angle.cos(), 1e-3 * angle.sin());
    (dx, dy, dx * dx + dy * dy)
}

/// Opening criterion of Barnes-Hut: a cell of side `s` at distance `d` counts as one body
/// when `s / d < THETA`.
const THETA: f64 = 1.2;

/// Largest number of points in a leaf of the quadtree.
const LEAF_SIZE: usize = 8;

/// Depth at which the quadtree stops splitting (coincident points end in one leaf).
const MAX_DEPTH: usize = 32;

/// One cell of the quadtree: its side, total mass (number of points), centre of mass, and
/// either four children or a range of `perm` (a leaf).
struct Cell {
    side: f64,
    mass: f64,
    com: [f64; 2],
    children: [usize; 4],
    leaf: Option<(usize, usize)>,
}

/// The Barnes-Hut quadtree (Barnes & Hut 1986), rebuilt every iteration (buffers reused).
#[derive(Default)]
struct QuadTree {
    cells: Vec<Cell>,
    perm: Vec<usize>,
    stack: Vec<usize>,
}

impl QuadTree {
    /// Adds to `disp` the repulsion `k² / d` of every other point, where a distant cell acts
    /// as one body of its mass at its centre of mass: `f = mass · k² / d`.
    fn repulse(&mut self, pos: &[[f64; 2]], disp: &mut [[f64; 2]], k2: f64) {
        let (min, max) = bounds(pos.iter());
        let side = (max[0] - min[0]).max(max[1] - min[1]).max(1e-9);
        self.cells.clear();
        self.perm.clear();
        self.perm.extend(0..pos.len());
        let len = pos.len();
        self.build(pos, 0, len, min, side, 0);
        for i in 0..pos.len() {
            let p = pos[i];
            let mut f = [0.0f64; 2];
            self.stack.clear();
            self.stack.push(0);
            while let Some(c) = self.stack.pop() {
                let cell = &self.cells[c];
                if let Some((lo, hi)) = cell.leaf {
                    for &j in &self.perm[lo..hi] {
                        if j != i {
                            let (dx, dy, d2) = delta(pos, i, j);
                            f[0] += dx * k2 / d2;
                            f[1] += dy * k2 / d2;
                        }
                    }
                    continue;
                }
                let dx = p[0] - cell.com[0];
                let dy = p[1] - cell.com[1];
                let d2 = dx * dx + dy * dy;
                if cell.side * cell.side < THETA * THETA * d2 {
                    f[0] += dx * cell.mass * k2 / d2;
                    f[1] += dy * cell.mass * k2 / d2;
                } else {
                    self.stack
                        .extend(cell.children.iter().rev().filter(|&&ch| ch != usize::MAX));
                }
            }
            disp[i][0] += f[0];
            disp[i][1] += f[1];
        }
    }

    /// Builds the cell for `perm[lo..hi]` inside the square at `origin` of side `side`;
    /// returns its index. Points are partitioned into quadrants in place, in a stable order.
    fn build(
        &mut self,
        pos: &[[f64; 2]],
        lo: usize,
        hi: usize,
        origin: [f64; 2],
        side: f64,
        depth: usize,
    ) -> usize {
        let idx = self.cells.len();
        let n = (hi - lo) as f64;
        let (sx, sy) = self.perm[lo..hi]
            .iter()
            .fold((0.0, 0.0), |s, &j| (s.0 + pos[j][0], s.1 + pos[j][1]));
        self.cells.push(Cell {
            side,
            mass: n,
            com: [sx / n, sy / n],
            children: [usize::MAX; 4],
            leaf: None,
        });
        if hi - lo <= LEAF_SIZE || depth >= MAX_DEPTH {
            self.cells[idx].leaf = Some((lo, hi));
            return idx;
        }
        let half = side / 2.0;
        let mid = [origin[0] + half, origin[1] + half];
        let quadrant = |p: &[f64; 2]| (p[0] >= mid[0]) as usize + 2 * (p[1] >= mid[1]) as usize;
        let mut buckets: [Vec<usize>; 4] = Default::default();
        for &j in &self.perm[lo..hi] {
            buckets[quadrant(&pos[j])].push(j);
        }
        let mut start = lo;
        for (q, bucket) in buckets.iter().enumerate() {
            let end = start + bucket.len();
            self.perm[start..end].copy_from_slice(bucket);
            if !bucket.is_empty() {
                let o = [
                    origin[0] + half * (q % 2) as f64,
                    origin[1] + half * (q / 2) as f64,
                ];
                let child = self.build(pos, start, end, o, half, depth + 1);
                self.cells[idx].children[q] = child;
            }
            start = end;
        }
        idx
    }
}

/// The smallest and largest coordinates of a set of points (`[0, 0]` twice when empty).
fn bounds<'a>(points: impl Iterator<Item = &'a [f64; 2]>) -> ([f64; 2], [f64; 2]) {
    let mut min = [f64::INFINITY; 2];
    let mut max = [f64::NEG_INFINITY; 2];
    for p in points {
        for a in 0..2 {
            min[a] = min[a].min(p[a]);
            max[a] = max[a].max(p[a]);
        }
    }
    if min[0] > max[0] {
        return ([0.0; 2], [0.0; 2]);
    }
    (min, max)
}

/// Shelf packing: the components, largest first, left to right in rows about as wide as the
/// square root of their total padded area; each keeps its own shape.
fn pack(placed: &[Vec<[f64; 2]>]) -> Vec<Vec<[f64; 2]>> {
    let boxes: Vec<([f64; 2], [f64; 2])> = placed.iter().map(|p| bounds(p.iter())).collect();
    let dims: Vec<[f64; 2]> = boxes
        .iter()
        .map(|(min, max)| [max[0] - min[0] + PAD, max[1] - min[1] + PAD])
        .collect();
    let area: f64 = dims.iter().map(|d| d[0] * d[1]).sum();
    let widest = dims.iter().map(|d| d[0]).fold(0.0, f64::max);
    let row_width = area.sqrt().max(widest);
    let (mut x, mut y, mut row_h) = (0.0f64, 0.0f64, 0.0f64);
    let mut out = Vec::with_capacity(placed.len());
    for ((pos, (min, _)), d) in placed.iter().zip(&boxes).zip(&dims) {
        if x > 0.0 && x + d[0] > row_width * 1.0001 {
            x = 0.0;
            y += row_h;
            row_h = 0.0;
        }
        out.push(
            pos.iter()
                .map(|p| [p[0] - min[0] + x, p[1] - min[1] + y])
                .collect(),
        );
        x += d[0];
        row_h = row_h.max(d[1]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
    }

    /// Two 8-cliques joined by one edge, and a path of 5 hanging off the first clique.
    fn sample_graph() -> (usize, Vec<(usize, usize, f64)>) {
        let mut edges = Vec::new();
        for base in [0, 8] {
            for i in 0..8 {
                for j in (i + 1)..8 {
                    edges.push((base + i, base + j, 1.0));
                }
            }
        }
        edges.push((7, 8, 0.5));
        for i in 16..20 {
            edges.push((i, i + 1, 1.0));
        }
        edges.push((0, 16, 1.0));
        (21, edges)
    }

    /// A deterministic sparse random graph of `n` nodes and about `2n` edges.
    fn random_graph(n: usize, seed: u64) -> Vec<(usize, usize, f64)> {
        let mut rng = SplitMix64::new(seed);
        (0..2 * n)
            .map(|_| {
                let a = (rng.next_u64() % n as u64) as usize;
                let b = (rng.next_u64() % n as u64) as usize;
                (a, b, 0.1 + rng.next_f64())
            })
            .collect()
    }

    fn in_bounds(pos: &[(f64, f64)]) -> bool {
        pos.iter().all(|&(x, y)| {
            x.is_finite()
                && y.is_finite()
                && (0.0..=EXTENT).contains(&x)
                && (0.0..=EXTENT).contains(&y)
        })
    }

    #[test]
    fn splitmix_reference_values() {
        // Vigna's splitmix64.c with seed 0.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn empty_and_single() {
        assert!(layout(0, &[], 1).is_empty());
        assert_eq!(layout(1, &[], 1), vec![(500.0, 500.0)]);
    }

    #[test]
    fn two_nodes_one_edge_span_the_width_and_sit_centred() {
        let pos = layout(2, &[(0, 1, 1.0)], 3);
        assert_eq!(pos.len(), 2);
        // The longer side of the bounding box is scaled to exactly 1000.
        let dx = (pos[0].0 - pos[1].0).abs();
        let dy = (pos[0].1 - pos[1].1).abs();
        assert!((dx.max(dy) - EXTENT).abs() < 1e-9, "dx {dx} dy {dy}");
        // ... and the shorter side is centred.
        let cx = (pos[0].0 + pos[1].0) / 2.0;
        let cy = (pos[0].1 + pos[1].1) / 2.0;
        assert!((cx - 500.0).abs() < 1e-9 && (cy - 500.0).abs() < 1e-9);
    }

    #[test]
    fn deterministic_for_a_seed() {
        let (n, edges) = sample_graph();
        let a = layout(n, &edges, 42);
        let b = layout(n, &edges, 42);
        assert_eq!(a, b);
        let c = layout(n, &edges, 43);
        assert_ne!(a, c, "another seed gives another initial placement");
    }

    #[test]
    fn finite_and_within_bounds() {
        let (n, edges) = sample_graph();
        let pos = layout(n, &edges, 7);
        assert_eq!(pos.len(), n);
        assert!(in_bounds(&pos));
        // The bounding box touches both ends of its longer axis.
        let min_x = pos.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let max_x = pos.iter().map(|p| p.0).fold(0.0, f64::max);
        let min_y = pos.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let max_y = pos.iter().map(|p| p.1).fold(0.0, f64::max);
        let span = (max_x - min_x).max(max_y - min_y);
        assert!((span - EXTENT).abs() < 1e-6, "span {span}");
    }

    #[test]
    fn connected_nodes_end_closer_than_unconnected_ones() {
        let (n, edges) = sample_graph();
        let pos = layout(n, &edges, 11);
        let mut adjacent = vec![vec![false; n]; n];
        for &(a, b, _) in &edges {
            adjacent[a][b] = true;
            adjacent[b][a] = true;
        }
        let (mut sum_e, mut count_e, mut sum_n, mut count_n) = (0.0, 0, 0.0, 0);
        for i in 0..n {
            for j in (i + 1)..n {
                if adjacent[i][j] {
                    sum_e += dist(pos[i], pos[j]);
                    count_e += 1;
                } else {
                    sum_n += dist(pos[i], pos[j]);
                    count_n += 1;
                }
            }
        }
        let (mean_e, mean_n) = (sum_e / count_e as f64, sum_n / count_n as f64);
        assert!(mean_e * 1.5 < mean_n, "edges {mean_e}, non-edges {mean_n}");
        // Each clique's members are closer to their own centroid than to the other's.
        let centroid = |r: std::ops::Range<usize>| {
            let len = r.len() as f64;
            let (sx, sy) = r.fold((0.0, 0.0), |s, i| (s.0 + pos[i].0, s.1 + pos[i].1));
            (sx / len, sy / len)
        };
        let (c1, c2) = (centroid(0..8), centroid(8..16));
        for i in 0..8 {
            assert!(dist(pos[i], c1) < dist(pos[i], c2));
            assert!(dist(pos[8 + i], c2) < dist(pos[8 + i], c1));
        }
    }

    #[test]
    fn components_are_packed_without_overlap() {
        // Two triangles and two isolated nodes.
        let edges = [
            (0, 1, 1.0),
            (1, 2, 1.0),
            (0, 2, 1.0),
            (3, 4, 1.0),
            (4, 5, 1.0),
            (3, 5, 1.0),
        ];
        let pos = layout(8, &edges, 5);
        assert!(in_bounds(&pos));
        let bbox = |idx: &[usize]| {
            let xs: Vec<f64> = idx.iter().map(|&i| pos[i].0).collect();
            let ys: Vec<f64> = idx.iter().map(|&i| pos[i].1).collect();
            (
                xs.iter().cloned().fold(f64::INFINITY, f64::min),
                xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
                ys.iter().cloned().fold(f64::INFINITY, f64::min),
                ys.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
            )
        };
        let boxes = [bbox(&[0, 1, 2]), bbox(&[3, 4, 5]), bbox(&[6]), bbox(&[7])];
        for a in 0..boxes.len() {
            for b in (a + 1)..boxes.len() {
                let (p, q) = (boxes[a], boxes[b]);
                let overlap = p.0 <= q.1 && q.0 <= p.1 && p.2 <= q.3 && q.2 <= p.3;
                assert!(!overlap, "components {a} and {b} overlap: {p:?} {q:?}");
            }
        }
        // Within a triangle, the sides are close to equal (a spring embedder's equilibrium).
        let d01 = dist(pos[0], pos[1]);
        let d12 = dist(pos[1], pos[2]);
        assert!((d01 / d12 - 1.0).abs() < 0.05, "{d01} vs {d12}");
    }

    #[test]
    fn bad_edges_are_ignored_without_panic() {
        let edges = [
            (0, 9, 1.0),
            (1, 1, 1.0),
            (0, 1, f64::NAN),
            (0, 1, f64::INFINITY),
            (0, 1, -1.0),
            (0, 1, 0.0),
        ];
        let pos = layout(3, &edges, 1);
        assert!(in_bounds(&pos));
        // Nothing usable joins the nodes: three singletons in a row, like `layout(3, &[])`.
        assert_eq!(pos, layout(3, &[], 1));
    }

    #[test]
    fn barnes_hut_on_a_large_graph() {
        let n = APPROX_THRESHOLD + 500;
        let edges = random_graph(n, 9);
        let pos = layout(n, &edges, 2);
        assert_eq!(pos.len(), n);
        assert!(in_bounds(&pos));
        // Tied nodes are still closer than random pairs.
        let mean_edge = edges
            .iter()
            .filter(|e| e.0 != e.1)
            .map(|&(a, b, _)| dist(pos[a], pos[b]))
            .sum::<f64>()
            / edges.iter().filter(|e| e.0 != e.1).count() as f64;
        let mean_pair = (0..n - 1)
            .map(|i| dist(pos[i], pos[(i * 7919 + 1) % n]))
            .sum::<f64>()
            / (n - 1) as f64;
        assert!(mean_edge < mean_pair, "edge {mean_edge} pair {mean_pair}");
        // No two nodes collapse onto one point.
        let mut sorted = pos.clone();
        sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert!(sorted.windows(2).all(|w| w[0] != w[1]));
    }
}

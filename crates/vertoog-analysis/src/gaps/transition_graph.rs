//! G_T, the structural graph restricted to T, with the depth-first forest that the gap rules
//! and the actions read bridges, articulation points and their sides from.

use crate::context::Context;
use crate::graph::{components, dfs_forest, Csr, DfsForest};

/// G_T with a depth-first search that gives, for every bridge, the two sides and, for every
/// articulation point, the parts it holds together (preorder intervals), in linear time.
pub(crate) struct TransitionGraph {
    /// T, sorted: local node i is actor `members[i]`.
    pub members: Vec<u32>,
    /// Local index of each actor, `u32::MAX` outside T.
    pub local: Vec<u32>,
    pub g: Csr,
    /// Preorder number of each local node.
    pub disc: Vec<u32>,
    /// DFS subtree size.
    pub size: Vec<u32>,
    /// DFS root of each node's component.
    pub root: Vec<u32>,
    /// Local nodes in preorder (`order[disc[v]] == v`).
    pub order: Vec<u32>,
    /// Influence prefix sums in preorder: `pre[k]` = Σ infl of the first k nodes.
    pub pre: Vec<f64>,
    /// Tree edges (parent, child) that are bridges, by id order of the pair.
    pub bridges: Vec<(u32, u32)>,
    /// Articulation points with their separated children (each child's subtree is a part).
    pub cut_points: Vec<(u32, Vec<u32>)>,
    pub components: Vec<Vec<u32>>,
}

impl TransitionGraph {
    pub fn new(ctx: &Context<'_>) -> Self {
        let members = ctx.groups.supporters.clone();
        let n_all = ctx.prep.n_actors();
        let mut local = vec![u32::MAX; n_all];
        for (i, &a) in members.iter().enumerate() {
            local[a as usize] = i as u32;
        }
        let g = ctx.structural.induced(&members);
        let n = g.n();
        let forest = dfs_forest(&g);
        let cut_points = (0..n as u32)
            .filter(|&v| forest.is_articulation_point(v))
            .map(|v| (v, forest.separated[v as usize].clone()))
            .collect();
        let mut bridges = forest.bridges;
        bridges.sort_by_key(|&(p, v)| (p.min(v), p.max(v)));
        let DfsForest {
            disc,
            size,
            root,
            order,
            ..
        } = forest;
        let mut pre = Vec::with_capacity(n + 1);
        pre.push(0.0);
        for &v in &order {
            let infl = ctx.prep.actors[members[v as usize] as usize].influence;
            pre.push(pre.last().copied().unwrap_or(0.0) + infl);
        }
        let comps = components(&g);
        TransitionGraph {
            members,
            local,
            g,
            disc,
            size,
            root,
            order,
            pre,
            bridges,
            cut_points,
            components: comps,
        }
    }

    /// Whether local node x lies in the DFS subtree of local node v.
    pub fn in_subtree(&self, x: u32, v: u32) -> bool {
        let (dx, dv) = (self.disc[x as usize], self.disc[v as usize]);
        dx >= dv && dx < dv + self.size[v as usize]
    }

    /// Σ infl over the subtree of v.
    pub fn subtree_influence(&self, v: u32) -> f64 {
        let d = self.disc[v as usize] as usize;
        self.pre[d + self.size[v as usize] as usize] - self.pre[d]
    }

    /// Size of x's component.
    pub fn component_size(&self, x: u32) -> u32 {
        self.size[self.root[x as usize] as usize]
    }

    /// Σ infl of x's component.
    pub fn component_influence(&self, x: u32) -> f64 {
        self.subtree_influence(self.root[x as usize])
    }

    /// Parts of G_T − v within v's component: (sizes, influences), the children's subtrees
    /// first, then the rest above v when non-empty.
    pub fn parts(&self, v: u32, children: &[u32]) -> Vec<(u32, f64)> {
        let mut out: Vec<(u32, f64)> = children
            .iter()
            .map(|&c| (self.size[c as usize], self.subtree_influence(c)))
            .collect();
        let taken: u32 = out.iter().map(|p| p.0).sum();
        let rest = self.component_size(v) - 1 - taken;
        if rest > 0 {
            let infl_taken: f64 = out.iter().map(|p| p.1).sum();
            let rest_infl = self.component_influence(v) - infl_taken - self.pre_own(v);
            out.push((rest, rest_infl));
        }
        out
    }

    fn pre_own(&self, v: u32) -> f64 {
        let d = self.disc[v as usize] as usize;
        self.pre[d + 1] - self.pre[d]
    }
}

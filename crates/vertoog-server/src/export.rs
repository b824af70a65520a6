//! One graph export for both front ends, `vertoog export` and `GET /maps/{map}/export`
//! (docs/interfaces.md §1 and §4): the text of a DOT, GraphML or GEXF document (or the DOT an
//! SVG/PNG is rendered from), with one rule for the defaults.
//!
//! The rule, for the CLI and the HTTP API alike:
//! - **threshold** (discourse view: edges with |w| below it are left out): the given one, else
//!   [`DEFAULT_THRESHOLD`]; for an image (SVG, PNG) it is raised, when needed, so that at most
//!   [`DISCOURSE_EDGE_BUDGET`] edges (the strongest) are drawn, since Graphviz does not finish
//!   on more.
//! - **layout** (images): the given one, else `sfdp` for a discourse image with more than
//!   [`DISCOURSE_SFDP_EDGES`] drawn edges or more than [`DISCOURSE_SFDP_ACTORS`] actors, and
//!   for any other view with more than [`SFDP_ACTORS`] actors; `dot` otherwise.
//!
//! Rendering stays with each front end (the CLI waits for Graphviz; the server bounds it and
//! kills it when the request ends: `graphviz.rs`).

use vertoog_formats::dot::{self, DotOptions, Layout};
use vertoog_formats::{GraphAnnotations, GraphOptions, View};
use vertoog_model::Bundle;

/// Discourse edges with |w| below this are left out when no threshold is given.
pub const DEFAULT_THRESHOLD: f64 = 0.1;

/// A discourse image draws at most this many edges (the strongest).
pub const DISCOURSE_EDGE_BUDGET: usize = 2_000;

/// Above this many drawn edges a discourse image uses `sfdp`, which finishes where `dot`'s
/// layered layout of a dense undirected graph does not.
pub const DISCOURSE_SFDP_EDGES: usize = 300;

/// Above this many actors a discourse image uses `sfdp`.
pub const DISCOURSE_SFDP_ACTORS: usize = 300;

/// Above this many actors an image of the other views uses `sfdp`.
pub const SFDP_ACTORS: usize = 500;

/// The graph formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Svg,
    Png,
    Graphml,
    Gexf,
}

impl GraphFormat {
    /// SVG and PNG: rendered from DOT by Graphviz.
    pub fn is_image(self) -> bool {
        matches!(self, GraphFormat::Svg | GraphFormat::Png)
    }
}

/// What the caller chose; `None` takes the module's rule.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GraphExportOptions {
    pub view: View,
    pub threshold: Option<f64>,
    pub layout: Option<Layout>,
    /// GraphML and GEXF: each edge carries its own direction (`--mixed-direction`).
    pub mixed_direction: bool,
}

/// A graph export: the document (for SVG/PNG, the DOT to render) and the threshold and
/// layout the rule chose.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphExport {
    pub text: String,
    pub threshold: f64,
    pub layout: Layout,
}

/// The threshold and layout of an export of a map with `actors` actors and discourse
/// weights `weights` (the module's rule).
pub fn plan(
    format: GraphFormat,
    opts: &GraphExportOptions,
    actors: usize,
    weights: impl Iterator<Item = f64>,
) -> (f64, Layout) {
    let given = opts.threshold.unwrap_or(DEFAULT_THRESHOLD);
    if opts.view != View::Discourse {
        let layout = opts.layout.unwrap_or(if actors > SFDP_ACTORS {
            Layout::Sfdp
        } else {
            Layout::Dot
        });
        return (given, layout);
    }
    let mut kept: Vec<f64> = weights
        .filter(|w| vertoog_formats::keeps_discourse_edge(*w, given))
        .map(f64::abs)
        .collect();
    let threshold = if format.is_image() && kept.len() > DISCOURSE_EDGE_BUDGET {
        kept.sort_by(|a, b| b.total_cmp(a));
        // Strictly above the first left-out weight, so ties never exceed the budget.
        let cut = kept[DISCOURSE_EDGE_BUDGET];
        let t = f64::from_bits(cut.to_bits() + 1);
        kept.retain(|w| *w >= t);
        t
    } else {
        given
    };
    let layout = opts.layout.unwrap_or(
        if kept.len() > DISCOURSE_SFDP_EDGES || actors > DISCOURSE_SFDP_ACTORS {
            Layout::Sfdp
        } else {
            Layout::Dot
        },
    );
    (threshold, layout)
}

/// The export of `bundle` annotated with `ann` in `format` (module documentation).
pub fn export_graph(
    bundle: &Bundle,
    ann: &GraphAnnotations,
    format: GraphFormat,
    opts: &GraphExportOptions,
) -> GraphExport {
    let (threshold, layout) = plan(
        format,
        opts,
        bundle.actors.len(),
        ann.discourse_edges.iter().map(|e| e.2),
    );
    let graph_opts = GraphOptions {
        view: opts.view,
        discourse_threshold: threshold,
        mixed_direction: opts.mixed_direction,
    };
    let text = match format {
        GraphFormat::Graphml => {
            vertoog_formats::graphml::write_graphml_with(bundle, ann, &graph_opts)
        }
        GraphFormat::Gexf => vertoog_formats::gexf::write_gexf_with(bundle, ann, &graph_opts),
        GraphFormat::Dot | GraphFormat::Svg | GraphFormat::Png => dot::write_dot(
            bundle,
            ann,
            &DotOptions {
                view: opts.view,
                discourse_threshold: threshold,
            },
        ),
    };
    GraphExport {
        text,
        threshold,
        layout,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discourse(layout: Option<Layout>, threshold: Option<f64>) -> GraphExportOptions {
        GraphExportOptions {
            view: View::Discourse,
            threshold,
            layout,
            mixed_direction: false,
        }
    }

    #[test]
    fn one_rule_for_threshold_and_layout() {
        // Defaults: 0.1, dot on a small map; a given value wins.
        let w = [0.05, 0.2, -0.5];
        let p = plan(GraphFormat::Svg, &discourse(None, None), 10, w.into_iter());
        assert_eq!(p, (0.1, Layout::Dot));
        let p = plan(
            GraphFormat::Dot,
            &discourse(Some(Layout::Neato), Some(0.0)),
            10,
            w.into_iter(),
        );
        assert_eq!(p, (0.0, Layout::Neato));
        // A discourse image keeps at most the budget's strongest edges, drawn with sfdp.
        let many: Vec<f64> = (0..3_000).map(|i| 0.2 + i as f64 * 1e-4).collect();
        let (t, l) = plan(
            GraphFormat::Png,
            &discourse(None, None),
            100,
            many.iter().copied(),
        );
        assert_eq!(
            many.iter().filter(|w| **w >= t).count(),
            DISCOURSE_EDGE_BUDGET
        );
        assert_eq!(l, Layout::Sfdp);
        // The DOT text itself is not cut to the budget.
        let (t, _) = plan(
            GraphFormat::Dot,
            &discourse(None, None),
            100,
            many.iter().copied(),
        );
        assert_eq!(t, DEFAULT_THRESHOLD);
        // Other views: sfdp above 500 actors.
        let structure = GraphExportOptions::default();
        let none = std::iter::empty();
        assert_eq!(
            plan(GraphFormat::Svg, &structure, 501, none).1,
            Layout::Sfdp
        );
        let none = std::iter::empty();
        assert_eq!(plan(GraphFormat::Svg, &structure, 500, none).1, Layout::Dot);
    }

    #[test]
    fn ties_at_the_cut_never_exceed_the_budget() {
        // Nothing is strong enough to keep: no edge drawn rather than too many.
        let tied = vec![1.0; 5_000];
        let (t, _) = plan(
            GraphFormat::Svg,
            &discourse(None, None),
            100,
            tied.iter().copied(),
        );
        assert!(tied.iter().filter(|w| **w >= t).count() <= DISCOURSE_EDGE_BUDGET);
    }
}

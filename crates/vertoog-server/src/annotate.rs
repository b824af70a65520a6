//! The analysis results that the graph exports (DOT, SVG, GraphML, GEXF) draw, shared by the
//! HTTP export route and `vertoog export`.

use std::collections::{BTreeMap, HashMap};

use vertoog_analysis::{context_and_analysis, Analysis, Context, Lang, Window};
use vertoog_formats::{CoalitionLabel, GraphAnnotations};
use vertoog_model::Bundle;

/// The non-zero pairs of the signed discourse network w (docs/method.md §2), each once, by actor
/// index; `ids` names the indices. The analysis' own network, shared (a large map has millions
/// of pairs): names are only looked up for the pairs a graph or an export actually draws.
pub struct DiscourseEdges {
    pub ids: Vec<String>,
    network: std::sync::Arc<vertoog_analysis::DiscourseNetwork>,
}

impl DiscourseEdges {
    pub fn of(ctx: &Context<'_>) -> Self {
        DiscourseEdges {
            ids: ctx.prep.actors.iter().map(|a| a.id.clone()).collect(),
            network: ctx.discourse.clone(),
        }
    }

    /// `(a, b, w)` by index for each pair, a < b, in row order.
    fn pairs(&self) -> impl Iterator<Item = (u32, u32, f64)> + '_ {
        self.network
            .graph
            .edges()
            .filter(|&(a, b, w)| a < b && w != 0.0)
    }

    /// The memory the network holds, in bytes (each pair is stored from both ends).
    pub fn bytes(&self) -> usize {
        self.network.graph.n_edges() * 2 * 12
    }

    /// `(actor, actor, w)` for each pair.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, f64)> + '_ {
        self.pairs().map(|(a, b, w)| {
            (
                self.ids[a as usize].as_str(),
                self.ids[b as usize].as_str(),
                w,
            )
        })
    }

    /// The pairs with owned names, as the graph exports take them.
    pub fn named(&self) -> Vec<(String, String, f64)> {
        self.iter()
            .map(|(a, b, w)| (a.to_string(), b.to_string(), w))
            .collect()
    }
}

/// A coalition's main storyline as a cluster label: up to three narratives, most shared and
/// most outspoken first, each with the side the coalition takes (`+` for, `−` against).
fn storyline_label(
    coalition: &vertoog_analysis::Coalition,
    labels: &HashMap<&str, &str>,
) -> String {
    let mut story: Vec<_> = coalition.storyline.iter().collect();
    story.sort_by(|x, y| {
        (y.coverage * y.mean_position.abs())
            .total_cmp(&(x.coverage * x.mean_position.abs()))
            .then_with(|| x.narrative.cmp(&y.narrative))
    });
    let lines: Vec<String> = story
        .iter()
        .filter(|s| s.mean_position != 0.0)
        .take(3)
        .map(|s| {
            let side = if s.mean_position > 0.0 { "+" } else { "−" };
            format!(
                "{side} {}",
                labels
                    .get(s.narrative.as_str())
                    .copied()
                    .unwrap_or(&s.narrative)
            )
        })
        .collect();
    if lines.is_empty() {
        coalition.id.clone()
    } else {
        lines.join("\n")
    }
}

/// Coalitions with their storylines, alignment, betweenness, the signed discourse network,
/// and the transition coalition's bridges and articulation points (the ties and brokers the
/// coalition hangs on), for `bundle` as analysed in `analysis`.
pub fn graph_annotations(
    bundle: &Bundle,
    analysis: &Analysis,
    discourse_edges: Vec<(String, String, f64)>,
) -> GraphAnnotations {
    let labels: HashMap<&str, &str> = bundle
        .narratives
        .iter()
        .map(|n| (n.id.as_str(), n.label.as_str()))
        .collect();
    let mut coalition_of = BTreeMap::new();
    let mut coalitions = Vec::new();
    for c in &analysis.coalitions {
        for m in &c.members {
            coalition_of.insert(m.clone(), c.id.clone());
        }
        coalitions.push(CoalitionLabel {
            id: c.id.clone(),
            label: storyline_label(c, &labels),
            members: c.members.clone(),
        });
    }
    let t = &analysis.transition.structure;
    GraphAnnotations {
        coalition_of,
        coalitions,
        alignment: analysis.transition.alignment.clone(),
        betweenness: analysis.structure.betweenness.clone(),
        bridges: t
            .bridges
            .iter()
            .map(|[a, b]| (a.clone(), b.clone()))
            .collect(),
        articulation_points: t.articulation_points.clone(),
        discourse_edges,
    }
}

/// [`graph_annotations`] of the whole history with the map's own settings.
pub fn annotate(bundle: &Bundle) -> GraphAnnotations {
    let (ctx, analysis) =
        context_and_analysis(bundle, &bundle.map.settings, Window::default(), Lang::En);
    graph_annotations(bundle, &analysis, DiscourseEdges::of(&ctx).named())
}

//! Graph exports (`export --format dot|svg|png|graphml|gexf`): the analysis results that the
//! diagrams show are gathered into vertoog-formats' `GraphAnnotations`.

use std::collections::BTreeMap;

use vertoog_analysis::{analyse_context, Context, Window};
use vertoog_formats::dot::{self, DotOptions, Layout, RenderFormat};
use vertoog_formats::{CoalitionLabel, GraphAnnotations, View};
use vertoog_model::Bundle;

use super::data::{write_bytes, write_text};
use crate::cli::{ExportArgs, ExportFormat, LayoutArg, ViewArg};
use crate::error::{CliError, CliResult};

/// Analysis results for the diagrams of `bundle`, with the map's settings and no window.
pub fn annotations(bundle: &Bundle) -> GraphAnnotations {
    let ctx = Context::new(bundle, &bundle.map.settings, Window::default());
    let analysis = analyse_context(&ctx);
    let label_of: BTreeMap<&str, &str> = bundle
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
        // The main storyline: the narratives most members speak about, with their side.
        let mut story: Vec<_> = c.storyline.iter().filter(|s| s.coverage >= 0.5).collect();
        story.sort_by(|a, b| {
            b.coverage
                .total_cmp(&a.coverage)
                .then_with(|| a.narrative.cmp(&b.narrative))
        });
        let label = story
            .iter()
            .take(3)
            .map(|s| {
                let side = if s.mean_position >= 0.0 { "+" } else { "−" };
                format!(
                    "{side} {}",
                    label_of
                        .get(s.narrative.as_str())
                        .copied()
                        .unwrap_or(&s.narrative)
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        coalitions.push(CoalitionLabel {
            id: c.id.clone(),
            label,
            members: c.members.clone(),
        });
    }
    let ids: Vec<&str> = ctx.prep.actors.iter().map(|a| a.id.as_str()).collect();
    let mut discourse_edges = Vec::new();
    for a in 0..ctx.discourse.graph.n() {
        for (b, w) in ctx.discourse.graph.row(a) {
            if (a as u32) < b {
                discourse_edges.push((ids[a].to_string(), ids[b as usize].to_string(), w));
            }
        }
    }
    GraphAnnotations {
        coalition_of,
        coalitions,
        alignment: analysis.transition.alignment.clone(),
        betweenness: analysis.structure.betweenness.clone(),
        bridges: analysis
            .transition
            .structure
            .bridges
            .iter()
            .map(|[a, b]| (a.clone(), b.clone()))
            .collect(),
        articulation_points: analysis.transition.structure.articulation_points.clone(),
        discourse_edges,
    }
}

pub fn export_graph(bundle: &Bundle, args: &ExportArgs) -> CliResult {
    let view = match args.view {
        ViewArg::Structure => View::Structure,
        ViewArg::Discourse => View::Discourse,
        ViewArg::Coalitions => View::Coalitions,
    };
    let ann = annotations(bundle);
    let out = args.out.as_deref();
    match args.format {
        ExportFormat::Graphml => write_text(
            out,
            &vertoog_formats::graphml::write_graphml(bundle, &ann, view),
        ),
        ExportFormat::Gexf => {
            write_text(out, &vertoog_formats::gexf::write_gexf(bundle, &ann, view))
        }
        ExportFormat::Dot | ExportFormat::Svg | ExportFormat::Png => {
            let opts = DotOptions {
                view,
                discourse_threshold: args.threshold,
            };
            let text = dot::write_dot(bundle, &ann, &opts);
            let render_format = match args.format {
                ExportFormat::Dot => return write_text(out, &text),
                ExportFormat::Svg => RenderFormat::Svg,
                _ => RenderFormat::Png,
            };
            if render_format == RenderFormat::Png && out.is_none() {
                return Err(CliError::input("PNG is binary: give --out FILE.png"));
            }
            let layout = match args.layout {
                LayoutArg::Dot => Layout::Dot,
                LayoutArg::Neato => Layout::Neato,
                LayoutArg::Sfdp => Layout::Sfdp,
            };
            let bytes = dot::render(&text, render_format, layout).map_err(CliError::runtime)?;
            write_bytes(out, &bytes)
        }
        ExportFormat::Json | ExportFormat::Csv => unreachable!("handled by data::export"),
    }
}

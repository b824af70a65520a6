//! Graph exports (`export --format dot|svg|png|graphml|gexf`), annotated with the analysis
//! exactly as the HTTP export route does (vertoog_server::annotate).

use vertoog_formats::dot::{self, DotOptions, Layout, RenderFormat};
use vertoog_formats::View;
use vertoog_model::Bundle;

use super::data::{write_bytes, write_text};
use crate::cli::{ExportArgs, ExportFormat, LayoutArg, ViewArg};
use crate::error::{CliError, CliResult};

pub fn export_graph(bundle: &Bundle, args: &ExportArgs) -> CliResult {
    let view = match args.view {
        ViewArg::Structure => View::Structure,
        ViewArg::Discourse => View::Discourse,
        ViewArg::Coalitions => View::Coalitions,
    };
    let ann = vertoog_server::annotate::annotate(bundle);
    let out = args.out.as_deref();
    let graph_opts = vertoog_formats::GraphOptions {
        view,
        discourse_threshold: args.threshold,
        mixed_direction: args.mixed_direction,
    };
    match args.format {
        ExportFormat::Graphml => write_text(
            out,
            &vertoog_formats::graphml::write_graphml_with(bundle, &ann, &graph_opts),
        ),
        ExportFormat::Gexf => write_text(
            out,
            &vertoog_formats::gexf::write_gexf_with(bundle, &ann, &graph_opts),
        ),
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

//! Graph exports (`export --format dot|svg|png|graphml|gexf`): the HTTP export route's own
//! use case (`vertoog_server::export`, one rule for threshold and layout), rendered here.

use vertoog_formats::dot::{self, RenderFormat};
use vertoog_model::Bundle;
use vertoog_server::export::{export_graph, GraphExportOptions, GraphFormat};

use super::data::{write_bytes, write_text};
use crate::cli::{ExportArgs, ExportFormat};
use crate::error::{CliError, CliResult};

pub fn export_graph_to(bundle: &Bundle, args: &ExportArgs) -> CliResult {
    let format = match args.format {
        ExportFormat::Dot => GraphFormat::Dot,
        ExportFormat::Svg => GraphFormat::Svg,
        ExportFormat::Png => GraphFormat::Png,
        ExportFormat::Graphml => GraphFormat::Graphml,
        ExportFormat::Gexf => GraphFormat::Gexf,
        ExportFormat::Json | ExportFormat::Csv => unreachable!("handled by data::export"),
    };
    let out = args.out.as_deref();
    if format == GraphFormat::Png && out.is_none() {
        return Err(CliError::input("PNG is binary: give --out FILE.png"));
    }
    let ann = vertoog_server::annotate::annotate(bundle);
    let opts = GraphExportOptions {
        view: args.view.into(),
        threshold: args.threshold,
        layout: args.layout.map(Into::into),
        mixed_direction: args.mixed_direction,
    };
    let export = export_graph(bundle, &ann, format, &opts);
    let render_format = match format {
        GraphFormat::Svg => RenderFormat::Svg,
        GraphFormat::Png => RenderFormat::Png,
        _ => return write_text(out, &export.text),
    };
    let bytes =
        dot::render(&export.text, render_format, export.layout).map_err(CliError::runtime)?;
    write_bytes(out, &bytes)
}

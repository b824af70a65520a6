//! `dynamics` and `diff` (dynamics.md).

use std::path::Path;

use vertoog_analysis::dynamics::{diff, diff_text, dynamics, dynamics_text, WindowLength};
use vertoog_analysis::Period;
use vertoog_formats::gexf_dynamic::{write_dynamic_gexf, Slice};
use vertoog_model::parse_date;
use vertoog_model::Bundle;

use super::analysis::load;
use crate::cli::{DiffArgs, DynamicsArgs};
use crate::error::{CliError, CliResult};
use crate::output::print_json;

pub fn dynamics_cmd(store_dir: &Path, args: DynamicsArgs) -> CliResult {
    let period = args.period;
    let len = match args.window.as_deref() {
        None => WindowLength::default_for(period),
        Some(w) => WindowLength::parse(w).ok_or_else(|| {
            CliError::input(format!(
                "--window: {w:?} is not a positive number of periods or `all`"
            ))
        })?,
    };
    let bundle = load(store_dir, &args.map)?;
    let d = dynamics(&bundle, &bundle.map.settings, period, len);
    if args.json {
        return print_json(&d);
    }
    print!("{}", dynamics_text(&d, args.lang));
    Ok(())
}

pub fn diff_cmd(store_dir: &Path, args: DiffArgs) -> CliResult {
    let from = parse_date(&args.from).map_err(|e| CliError::input(format!("--from: {e}")))?;
    let to = parse_date(&args.to).map_err(|e| CliError::input(format!("--to: {e}")))?;
    if from > to {
        return Err(CliError::input(format!("--from {from} is after --to {to}")));
    }
    let bundle = load(store_dir, &args.map)?;
    let l = args.lang;
    let d = diff(&bundle, &bundle.map.settings, from, to, l);
    if args.json {
        return print_json(&d);
    }
    print!("{}", diff_text(&d, l));
    Ok(())
}

/// `export --format gexf --dynamic`: the dynamics by quarter with 4-quarter windows; window
/// k's state is shown in the slice from the day after window k-1's end to its own end.
pub fn dynamic_gexf(bundle: &Bundle) -> String {
    let period = Period::Quarter;
    let d = dynamics(
        bundle,
        &bundle.map.settings,
        period,
        WindowLength::default_for(period),
    );
    let mut slices = Vec::with_capacity(d.windows.len());
    let mut prev_end = None;
    for w in &d.windows {
        let start = prev_end
            .and_then(|e: vertoog_model::Date| e.succ_opt())
            .unwrap_or_else(|| period.start(w.end));
        let mut present: std::collections::BTreeMap<String, Option<String>> =
            w.actors_present.iter().map(|a| (a.clone(), None)).collect();
        for c in &w.coalitions {
            for m in &c.members {
                present.insert(m.clone(), c.lineage.clone());
            }
        }
        slices.push(Slice {
            start,
            end: w.end,
            present,
        });
        prev_end = Some(w.end);
    }
    write_dynamic_gexf(bundle, &slices)
}

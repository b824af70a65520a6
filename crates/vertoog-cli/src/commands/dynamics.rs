//! `dynamics` and `diff` (dynamics.md).

use std::path::Path;

use vertoog_analysis::dynamics::{diff, diff_text, dynamics, dynamics_text, WindowLength};
use vertoog_analysis::Period;
use vertoog_model::parse_date;

use super::analysis::{lang, load};
use crate::cli::{DiffArgs, DynamicsArgs, PeriodArg};
use crate::error::{CliError, CliResult};
use crate::output::print_json;

pub fn period(p: PeriodArg) -> Period {
    match p {
        PeriodArg::Month => Period::Month,
        PeriodArg::Quarter => Period::Quarter,
        PeriodArg::Year => Period::Year,
    }
}

pub fn dynamics_cmd(store_dir: &Path, args: DynamicsArgs) -> CliResult {
    let period = period(args.period);
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
    print!("{}", dynamics_text(&d, lang(args.lang)));
    Ok(())
}

pub fn diff_cmd(store_dir: &Path, args: DiffArgs) -> CliResult {
    let from = parse_date(&args.from).map_err(|e| CliError::input(format!("--from: {e}")))?;
    let to = parse_date(&args.to).map_err(|e| CliError::input(format!("--to: {e}")))?;
    if from > to {
        return Err(CliError::input(format!("--from {from} is after --to {to}")));
    }
    let bundle = load(store_dir, &args.map)?;
    let l = lang(args.lang);
    let d = diff(&bundle, &bundle.map.settings, from, to, l);
    if args.json {
        return print_json(&d);
    }
    print!("{}", diff_text(&d, l));
    Ok(())
}

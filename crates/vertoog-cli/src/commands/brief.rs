//! `brief` (briefs.md): the coalition brief or the actor brief, written to --out.

use std::path::Path;

use vertoog_brief::{build, render, Options};
use vertoog_model::parse_date;

use super::analysis::{load, window};
use crate::cli::BriefArgs;
use crate::error::{CliError, CliResult};

pub fn brief_cmd(store_dir: &Path, args: BriefArgs) -> CliResult {
    let window = window(&args.window)?;
    let since = args
        .since
        .as_deref()
        .map(|s| parse_date(s).map_err(|e| CliError::input(format!("--since: {e}"))))
        .transpose()?;
    let format = args.format;
    let bundle = load(store_dir, &args.map)?;
    let mut opts = Options::new(args.lang, chrono::Local::now().date_naive());
    opts.since = since;
    opts.budget = args.budget;
    opts.actor = args.actor.clone();
    opts.window = window;
    let brief = build(&bundle, &bundle.map.settings, &opts)
        .map_err(|e| CliError::input(format!("--actor: {e}")))?;
    let bytes = render(&brief, format).map_err(CliError::runtime)?;
    std::fs::write(&args.out, bytes)
        .map_err(|e| CliError::runtime(format!("{}: {e}", args.out.display())))?;
    Ok(())
}

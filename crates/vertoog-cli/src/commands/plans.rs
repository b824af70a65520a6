//! `plan best` (docs/method.md §9) and `coalition name` (issue 18).

use std::path::Path;

use vertoog_analysis::plans::report_lines;
use vertoog_analysis::{best_plan, context_and_analysis, plans::DEFAULT_BUDGET};

use super::analysis::{lang, settings, window};
use super::{open_store, store_error, PRINCIPAL};
use crate::cli::{CoalitionCommand, PlanBestArgs, PlanCommand};
use crate::error::{CliError, CliResult};
use crate::output::print_json;

pub fn plan(store_dir: &Path, cmd: PlanCommand) -> CliResult {
    match cmd {
        PlanCommand::Best(args) => plan_best(store_dir, args),
    }
}

fn plan_best(store_dir: &Path, args: PlanBestArgs) -> CliResult {
    let a = &args.analyse;
    let window = window(&a.window)?;
    let bundle = super::analysis::load(store_dir, &a.map)?;
    let settings = settings(&bundle, a)?;
    let l = lang(a.lang);
    let (ctx, analysis) = context_and_analysis(&bundle, &settings, window, l);
    let plan = if args.budget == DEFAULT_BUDGET {
        analysis.best_plan.clone()
    } else {
        best_plan(
            &ctx,
            &analysis.actions,
            analysis.transition.metrics.strength,
            args.budget,
        )
    };
    if a.json {
        return print_json(&plan);
    }
    print!("{}", report_lines(&plan, l));
    let names: std::collections::HashMap<&str, &str> = bundle
        .actors
        .iter()
        .map(|x| (x.id.as_str(), x.name.as_str()))
        .collect();
    let name = |id: &str| names.get(id).copied().unwrap_or(id).to_string();
    for s in &plan.steps {
        let Some(act) = analysis.actions.iter().find(|x| x.id == s.action) else {
            continue;
        };
        let targets: Vec<String> = act.targets.iter().map(|t| name(t)).collect();
        let via = act
            .messenger
            .as_deref()
            .map(|m| format!(" (via {})", name(m)))
            .unwrap_or_default();
        println!(
            "  {}: {} {}{}",
            act.id,
            act.kind.as_str(),
            targets.join(" & "),
            via
        );
    }
    Ok(())
}

pub fn coalition(store_dir: &Path, cmd: CoalitionCommand) -> CliResult {
    match cmd {
        CoalitionCommand::Name(args) => {
            let a = &args.analyse;
            let window = window(&a.window)?;
            let bundle = super::analysis::load(store_dir, &a.map)?;
            let settings = settings(&bundle, a)?;
            let analysis = vertoog_analysis::analyse_lang(&bundle, &settings, window, lang(a.lang));
            let names = vertoog_analysis::coalition_view::rename(
                &analysis.coalitions,
                &bundle.map.coalition_names,
                &args.coalition,
                &args.name,
            )
            .map_err(CliError::input)?;
            let store = open_store(store_dir)?;
            store
                .set_coalition_names(&a.map, names, PRINCIPAL)
                .map_err(store_error)?;
            if a.json {
                let c = analysis.coalitions.iter().find(|c| c.id == args.coalition);
                return print_json(&serde_json::json!({
                    "coalition": args.coalition,
                    "name": args.name.trim(),
                    "members": c.map(|c| c.members.clone()),
                }));
            }
            if args.name.trim().is_empty() {
                println!("{}: the storyline name is used again", args.coalition);
            } else {
                println!("{} is now named \"{}\"", args.coalition, args.name.trim());
            }
            Ok(())
        }
    }
}

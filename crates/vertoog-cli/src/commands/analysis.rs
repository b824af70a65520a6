//! Analysis commands: `analyse`, `network`, `polarization`.

use std::path::Path;

use vertoog_analysis::dna::{self, NetworkMode, NetworkOptions};
use vertoog_analysis::{
    analyse_lang, text_report, timeline, timeline_csv, whatif_lang, Changes, Window,
};
use vertoog_model::{parse_date, Bundle, Date, Settings};

use super::data::write_text;
use super::{open_store, store_error};
use crate::cli::{
    AnalyseArgs, NetworkArgs, PolarizationArgs, TableFormat, TimelineArgs, WhatifArgs, WindowArgs,
};
use crate::error::{CliError, CliResult};
use crate::output::{print_json, Timings};

/// Loads a whole map; the store is closed again before the (possibly long) computation.
pub fn load(store_dir: &Path, map: &str) -> CliResult<Bundle> {
    let store = open_store(store_dir)?;
    store.load(map).map_err(store_error)
}

fn date_arg(flag: &str, value: &Option<String>) -> CliResult<Option<Date>> {
    value
        .as_deref()
        .map(|v| parse_date(v).map_err(|e| CliError::input(format!("{flag}: {e}"))))
        .transpose()
}

/// The window of --from/--to; `from` after `to` is an input error.
pub fn window(args: &WindowArgs) -> CliResult<Window> {
    let w = Window {
        from: date_arg("--from", &args.from)?,
        to: date_arg("--to", &args.to)?,
    };
    if let (Some(f), Some(t)) = (w.from, w.to) {
        if f > t {
            return Err(CliError::input(format!("--from {f} is after --to {t}")));
        }
    }
    Ok(w)
}

/// The map's settings, then --settings FILE, then the flags (docs/interfaces.md: flags override
/// the map's settings).
pub fn settings(bundle: &Bundle, args: &AnalyseArgs) -> CliResult<Settings> {
    let mut s = bundle.map.settings.clone();
    if let Some(file) = &args.settings {
        let text = std::fs::read_to_string(file)
            .map_err(|e| CliError::input(format!("{}: {e}", file.display())))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| CliError::input(format!("{}: line {}: {e}", file.display(), e.line())))?;
        s = s
            .with_overrides(&value)
            .map_err(|e| CliError::input(format!("{}: {e}", file.display())))?;
    }
    if let Some(b) = args.coalition_basis {
        s.coalition_basis = b;
    }
    if let Some(r) = args.resolution {
        s.resolution = r;
    }
    if let Some(r) = args.conflict_resolution {
        s.conflict_resolution = r;
    }
    s.validate().map_err(CliError::input)?;
    // Engagement is judged at today's date unless the window or the settings give one.
    Ok(vertoog_store::with_today(s, bundle))
}

pub fn analyse_cmd(store_dir: &Path, args: AnalyseArgs) -> CliResult {
    let timings = Timings::start();
    let window = window(&args.window)?;
    let store = open_store(store_dir)?;
    timings.mark("open");
    let bundle = store.load(&args.map).map_err(store_error)?;
    drop(store);
    timings.mark("load");
    let settings = settings(&bundle, &args)?;
    let analysis = analyse_lang(&bundle, &settings, window, args.lang);
    timings.mark("analyse");
    if args.json {
        print_json(&analysis)?;
    } else {
        print!(
            "{}",
            vertoog_model::neutralise(&text_report(&analysis, &bundle, args.lang))
        );
    }
    timings.mark("output");
    // The process ends right after this: freeing a large map's hundreds of thousands of
    // strings one by one would only delay the exit (the system frees it all at once).
    std::mem::forget(analysis);
    std::mem::forget(bundle);
    Ok(())
}

fn network_options(args: &NetworkArgs) -> CliResult<NetworkOptions> {
    let w = window(&args.window)?;
    let opts = NetworkOptions {
        mode: args.mode,
        aggregation: args.aggregation,
        normalization: args.normalization,
        duplicates: args.duplicates,
        from: w.from,
        to: w.to,
    };
    opts.validate().map_err(CliError::input)?;
    Ok(opts)
}

pub fn network(store_dir: &Path, args: NetworkArgs) -> CliResult {
    let opts = network_options(&args)?;
    let bundle = load(store_dir, &args.map)?;
    let statements = dna::statements_from_bundle(&bundle);
    let sparse = dna::network_sparse(&statements, &opts).map_err(CliError::input)?;
    match args.format {
        TableFormat::Csv => {
            let dense = sparse.to_dense().map_err(CliError::input)?;
            write_text(None, &dna::to_csv(&dense))
        }
        TableFormat::Json => match sparse.to_dense() {
            Ok(dense) => print_json(&dense),
            // Above the dense limit the JSON is the sparse edge list (docs/method.md §14).
            Err(_) => print_json(&serde_json::json!({
                "rows": sparse.rows, "columns": sparse.columns, "statements": sparse.statements,
                "edges": sparse.edges.iter().map(|(i, j, w)| serde_json::json!([i, j, w])).collect::<Vec<_>>(),
            })),
        },
        TableFormat::Graphml => {
            let dense = sparse.to_dense().map_err(CliError::input)?;
            // DNA's node keys: the variable of each side and its statements in the window.
            let in_window = |st: &&dna::Statement| {
                st.date.is_none_or(|d| {
                    opts.from.is_none_or(|f| d >= f) && opts.to.is_none_or(|t| d <= t)
                })
            };
            let mut freq_actor = std::collections::HashMap::new();
            let mut freq_concept = std::collections::HashMap::new();
            for st in statements.iter().filter(in_window) {
                *freq_actor.entry(st.actor.as_str()).or_insert(0usize) += 1;
                *freq_concept.entry(st.narrative.as_str()).or_insert(0usize) += 1;
            }
            let two_mode = opts.mode == NetworkMode::TwoMode;
            let nodes = vertoog_formats::graphml::NetworkNodes {
                row_variable: "organization".into(),
                column_variable: "concept".into(),
                row_frequency: dense
                    .rows
                    .iter()
                    .map(|r| freq_actor.get(r.as_str()).copied().unwrap_or(0))
                    .collect(),
                column_frequency: if two_mode {
                    dense
                        .columns
                        .iter()
                        .map(|c| freq_concept.get(c.as_str()).copied().unwrap_or(0))
                        .collect()
                } else {
                    Vec::new()
                },
            };
            let text = vertoog_formats::graphml::network_graphml_with(
                &dense.rows,
                &dense.columns,
                &dense.matrix,
                two_mode,
                &nodes,
            )
            .map_err(|e| CliError::runtime(e.0))?;
            write_text(None, &text)
        }
    }
}

pub fn polarization(store_dir: &Path, args: PolarizationArgs) -> CliResult {
    let w = window(&args.window)?;
    if args.k == 0 {
        return Err(CliError::input("--k must be at least 1"));
    }
    let bundle = load(store_dir, &args.map)?;
    let statements = dna::statements_from_bundle_by_id(&bundle);
    let r = vertoog_analysis::dna::polarization::polarization(
        &statements,
        args.k,
        bundle.map.settings.seed,
        w.from,
        w.to,
    )
    .map_err(CliError::input)?;
    if args.json {
        return print_json(&serde_json::json!({
            "map": bundle.map.id, "k": r.k, "polarization": r.polarization, "exact": r.exact, "partition": r.partition,
        }));
    }
    println!(
        "polarization of map {} with k = {}: {:.7}{}",
        bundle.map.id,
        r.k,
        r.polarization,
        if r.exact {
            ""
        } else {
            " (approximate: seeded local search)"
        }
    );
    let name: std::collections::HashMap<&str, &str> = bundle
        .actors
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    for cluster in 0..r.k {
        let members: Vec<&str> = r
            .partition
            .iter()
            .filter(|(_, c)| **c == cluster)
            .map(|(a, _)| name.get(a.as_str()).copied().unwrap_or(a))
            .collect();
        println!(
            "  cluster {cluster}: {}",
            vertoog_model::neutralise(&members.join("; "))
        );
    }
    Ok(())
}

pub fn timeline_cmd(store_dir: &Path, args: TimelineArgs) -> CliResult {
    let bundle = load(store_dir, &args.map)?;
    let period = args.period;
    let t = timeline(&bundle, &bundle.map.settings, period);
    if args.json {
        return print_json(&t);
    }
    if args.csv {
        return write_text(None, &timeline_csv(&t));
    }
    if t.points.is_empty() {
        println!("map {} has no dated stances: no timeline", bundle.map.id);
        return Ok(());
    }
    println!(
        "{:<9} {:>10} {:>9} {:>11} {:>10} {:>10}",
        "period", "end", "strength", "supporters", "opponents", "undecided"
    );
    for p in &t.points {
        println!(
            "{:<9} {:>10} {:>9} {:>11} {:>10} {:>10}",
            p.label,
            p.end.to_string(),
            p.metrics
                .strength
                .map(|s| format!("{s:.1}"))
                .unwrap_or_else(|| "n/a".into()),
            p.supporters.len(),
            p.opponents.len(),
            p.undecided.len()
        );
    }
    Ok(())
}

pub fn whatif_cmd(store_dir: &Path, args: WhatifArgs) -> CliResult {
    let text = std::fs::read_to_string(&args.changes)
        .map_err(|e| CliError::input(format!("{}: {e}", args.changes.display())))?;
    let changes: Changes = serde_json::from_str(&text).map_err(|e| {
        CliError::input(format!(
            "{}: line {}: {e}",
            args.changes.display(),
            e.line()
        ))
    })?;
    let bundle = load(store_dir, &args.map)?;
    let result = whatif_lang(
        &bundle,
        &bundle.map.settings,
        Window::default(),
        &changes.changes,
        args.lang,
    )
    .map_err(|e| CliError::input(format!("{}: {e}", args.changes.display())))?;
    if args.json {
        return print_json(&result);
    }
    let d = &result.difference;
    let after = result.after.transition.metrics.strength;
    let fmt = |x: Option<f64>| x.map(|v| format!("{v:.1}")).unwrap_or_else(|| "n/a".into());
    println!(
        "What if ({} change{}) — nothing is stored",
        changes.changes.len(),
        if changes.changes.len() == 1 { "" } else { "s" }
    );
    println!(
        "  strength of the transition coalition after: {} (difference {})",
        fmt(after),
        d.strength
            .map(|v| format!("{v:+.1}"))
            .unwrap_or_else(|| "n/a".into())
    );
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    println!("  supporters added: {}", list(&d.supporters_added));
    println!("  supporters removed: {}", list(&d.supporters_removed));
    println!("  opponents added: {}", list(&d.opponents_added));
    println!("  opponents removed: {}", list(&d.opponents_removed));
    Ok(())
}

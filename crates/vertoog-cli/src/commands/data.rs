//! Data in and out: `import`, `export`, `generate`.

use std::io::Write;
use std::path::{Path, PathBuf};

use vertoog_app::{import_target, store_import, ImportFailure, ImportTarget, TargetError};
use vertoog_formats::{detect_format, Format, ImportErrors, Origins, Parsed};
use vertoog_model::Bundle;
use vertoog_store::ImportOptions;

use super::{open_store, store_error, PRINCIPAL};
use crate::cli::{ExportArgs, ExportFormat, GenerateArgs, ImportArgs};
use crate::error::{CliError, CliResult};
use crate::output::{byte_bar, spinner, Timings};

/// Above this many bytes of input a progress bar is drawn (about 10,000 rows).
const PROGRESS_BYTES: u64 = 400_000;

pub fn import(store_dir: &Path, args: ImportArgs) -> CliResult {
    let timings = Timings::start();
    let format = match args.format {
        Some(f) => Format::from(f),
        None => detect_format(&args.paths).map_err(CliError::input)?,
    };
    for p in &args.paths {
        if !p.exists() {
            return Err(CliError::input(format!(
                "{}: no such file or folder",
                p.display()
            )));
        }
    }
    let store = open_store(store_dir)?;
    let target = import_target(&store, &args.map, args.create).map_err(|e| match e {
        TargetError::Missing(id) => CliError::input(format!(
            "map `{id}` does not exist; add --create to create it, or see `vertoog map list`"
        )),
        TargetError::BadId(m) => CliError::input(format!("--map: {m}")),
        TargetError::Store(e) => store_error(e),
    })?;
    timings.mark("open");
    let parsed = read_input(format, &args, &target, &store)?;
    timings.mark("read");
    let mut warnings = Vec::new();
    let parsed = match parsed {
        Input::Parsed(p) => p,
        Input::Warned(p, w) => {
            warnings = w;
            p
        }
    };
    let opts = ImportOptions {
        on_duplicate: args.on_duplicate.into(),
        apply_map_fields: false,
    };
    let rows = parsed.bundle.actors.len()
        + parsed.bundle.narratives.len()
        + parsed.bundle.stances.len()
        + parsed.bundle.ties.len();
    let bar = if rows > 10_000 {
        Some(spinner("storing"))
    } else {
        None
    };
    let origins = parsed.origins.clone();
    // A new map is created and imported in one atomic write: never an empty map left.
    let result = store_import(&store, &target, parsed, opts, PRINCIPAL);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = result.map_err(describe_failure)?;
    timings.mark("store");
    // sled writes its recovery snapshot when a store is opened, after replaying the log
    // written since the last one. Opening the store once more here pays for that now, so the
    // reads after a bulk import (the next `analyse`) open quickly. The import is already
    // durable: a failure here changes nothing.
    drop(store);
    drop(open_store(store_dir));
    timings.mark("reopen");
    for w in warnings.iter().chain(&report.warnings) {
        eprintln!("warning: {w}");
    }
    for p in &report.similar {
        let at = |index: usize| {
            origins
                .locate(p.kind, index)
                .map(|(f, l)| format!("{f} line {l}"))
                .unwrap_or_else(|| format!("{} #{}", p.kind, index + 1))
        };
        let join = if p.kind == vertoog_model::EntityKind::Actor {
            format!(
                "; if they are the same, join them with `vertoog merge --map {} {} {}`",
                args.map, p.other_id, p.incoming_id
            )
        } else {
            String::new()
        };
        eprintln!(
            "warning: {} `{}` ({}, {}) resembles `{}` ({}, {}) in this import, similarity {:.2}; both were imported{join}",
            p.kind,
            p.incoming_name,
            p.incoming_id,
            at(p.index),
            p.other_name,
            p.other_id,
            at(p.other_index),
            p.score
        );
    }
    let c = &report.created;
    let u = &report.updated;
    println!(
        "imported into map {}: {} actors, {} narratives, {} stances, {} ties created; {} updated; {} merged",
        args.map,
        c.actors,
        c.narratives,
        c.stances,
        c.ties,
        u.total(),
        report.merged.len()
    );
    for m in &report.merged {
        println!(
            "  merged {} `{}` into {}",
            m.kind,
            vertoog_model::neutralise(&m.incoming_name),
            m.into
        );
    }
    Ok(())
}

enum Input {
    Parsed(Parsed),
    /// Parsed, with warnings to print (DNA notes, ignored unknown files).
    Warned(Parsed, Vec<String>),
}

fn read_input(
    format: Format,
    args: &ImportArgs,
    target: &ImportTarget,
    store: &vertoog_store::Store,
) -> CliResult<Input> {
    match format {
        Format::Csv => {
            let total: u64 = csv_input_size(&args.paths);
            let bar = (total > PROGRESS_BYTES).then(|| byte_bar("reading", total));
            let mut tick = |n: u64| {
                if let Some(b) = &bar {
                    b.set_position(n);
                }
            };
            // On field errors, reference errors are checked against the stored map too, so
            // that one report holds them all.
            let mut stored = || target.stored(store);
            let parsed = vertoog_formats::read_csv_bundle_with(
                &args.paths,
                target.map(),
                Some(&mut tick),
                args.ignore_unknown_files,
                Some(&mut stored),
            );
            if let Some(b) = &bar {
                b.finish_and_clear();
            }
            parsed
                .map(|(p, warnings)| Input::Warned(p, warnings))
                .map_err(import_errors)
        }
        Format::Json => vertoog_formats::read_json_bundle(&args.paths[0], &target.map().id)
            .map(Input::Parsed)
            .map_err(import_errors),
        Format::Dna => {
            let opts = vertoog_formats::dna::DnaOptions {
                statement_type: args.dna_statement_type.clone(),
                actor_variable: args.dna_actor.into(),
            };
            let imported =
                vertoog_formats::dna::read_dna(&args.paths[0], &opts).map_err(CliError::input)?;
            // read_dna words every warning once (skipped statements included).
            let warnings = imported.warnings;
            let mut bundle = imported.bundle;
            bundle.map = target.map().clone();
            let parsed = Parsed {
                bundle,
                origins: Origins::json(args.paths[0].display().to_string()),
            };
            Ok(Input::Warned(parsed, warnings))
        }
    }
}

fn csv_input_size(paths: &[PathBuf]) -> u64 {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    paths
        .iter()
        .map(|p| {
            if p.is_dir() {
                std::fs::read_dir(p)
                    .map(|d| d.filter_map(|e| e.ok()).map(|e| size(&e.path())).sum())
                    .unwrap_or(0)
            } else {
                size(p)
            }
        })
        .sum()
}

/// Every error of the input, one per line, then a count: exit code 2.
fn import_errors(errors: ImportErrors) -> CliError {
    let n = errors.len();
    CliError::input(format!(
        "{errors}\n{n} error{} found; nothing was imported",
        if n == 1 { "" } else { "s" }
    ))
}

fn describe_failure(f: ImportFailure) -> CliError {
    match f {
        ImportFailure::Problems(errors) => import_errors(errors),
        ImportFailure::NearDuplicates(hits) => {
            let mut lines = Vec::new();
            for (h, at) in &hits {
                let place = at
                    .as_ref()
                    .map(|(f, l)| format!("{f} line {l}: "))
                    .unwrap_or_default();
                lines.push(format!(
                    "{place}{} `{}` ({}) resembles existing {} `{}` ({}), similarity {:.2}",
                    h.kind,
                    h.incoming_name,
                    h.incoming_id,
                    h.kind,
                    h.candidate.name,
                    h.candidate.id,
                    h.candidate.score
                ));
            }
            CliError::input(format!(
                "{}\nnothing was imported; use --on-duplicate keep to keep both, or --on-duplicate merge to merge each into the one it resembles",
                lines.join("\n")
            ))
        }
        ImportFailure::Store(e) => store_error(e),
    }
}

pub fn export(store_dir: &Path, args: ExportArgs) -> CliResult {
    let store = open_store(store_dir)?;
    let mut bundle = store.load(&args.map).map_err(store_error)?;
    drop(store);
    if !args.include_confidential {
        vertoog_store::strip_confidential(&mut bundle);
    }
    match args.format {
        ExportFormat::Json => write_text(
            args.out.as_deref(),
            &vertoog_formats::write_json_bundle(&bundle),
        ),
        ExportFormat::Csv => export_csv(&bundle, args.out.as_deref()),
        ExportFormat::Gexf if args.dynamic => {
            write_text(args.out.as_deref(), &super::dynamics::dynamic_gexf(&bundle))
        }
        _ if args.dynamic => Err(CliError::input("--dynamic needs --format gexf")),
        _ => super::graphs::export_graph_to(&bundle, &args),
    }
}

fn export_csv(bundle: &Bundle, out: Option<&Path>) -> CliResult {
    match out {
        Some(dir) => {
            vertoog_formats::write_csv_dir(bundle, dir)
                .map_err(|e| CliError::runtime(format!("{}: {e}", dir.display())))?;
            eprintln!(
                "wrote actors.csv, narratives.csv, stances.csv, ties.csv and map.csv to {}",
                dir.display()
            );
            Ok(())
        }
        None => {
            // Without --out the four files go to stdout one after another, each after a
            // `# FILE` line, so a quick look needs no folder.
            write_text(None, &vertoog_formats::write_csv_concatenated(bundle))
        }
    }
}

/// Writes text to a file, or to stdout when no file is given.
pub fn write_text(out: Option<&Path>, text: &str) -> CliResult {
    write_bytes(out, text.as_bytes())
}

pub fn write_bytes(out: Option<&Path>, bytes: &[u8]) -> CliResult {
    match out {
        Some(path) => std::fs::write(path, bytes)
            .map_err(|e| CliError::runtime(format!("{}: {e}", path.display()))),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(bytes)?;
            Ok(())
        }
    }
}

pub fn generate(args: GenerateArgs) -> CliResult {
    let class = vertoog_generate::Class::from(args.class);
    let mut shape = vertoog_generate::Shape::named(&args.shape).ok_or_else(|| {
        CliError::input(format!(
            "--shape: unknown shape {:?} (one of {})",
            args.shape,
            vertoog_generate::Shape::NAMES.join(", ")
        ))
    })?;
    for (field, value) in [
        (&mut shape.storyline_share, args.storyline_share),
        (&mut shape.on_storyline, args.on_storyline),
        (&mut shape.silent, args.silent),
        (&mut shape.tie_density, args.tie_density),
        (&mut shape.ties_inside, args.ties_inside),
        (&mut shape.group_skew, args.group_skew),
        (&mut shape.narrative_skew, args.narrative_skew),
        (&mut shape.activity_skew, args.activity_skew),
    ] {
        if let Some(v) = value {
            *field = v;
        }
    }
    shape.check().map_err(CliError::input)?;
    let bar = spinner("generating");
    let generated = vertoog_generate::generate_shaped(class, shape, args.seed, None);
    bar.set_message("writing");
    std::fs::create_dir_all(&args.out)
        .map_err(|e| CliError::runtime(format!("{}: {e}", args.out.display())))?;
    vertoog_formats::write_csv_dir(&generated.bundle, &args.out)
        .map_err(|e| CliError::runtime(format!("{}: {e}", args.out.display())))?;
    let mut planted = String::from("actor,group\n");
    for (actor, group) in &generated.planted {
        planted.push_str(&format!("{actor},{group}\n"));
    }
    std::fs::write(args.out.join(vertoog_formats::PLANTED_FILE), planted)?;
    bar.finish_and_clear();
    let b = &generated.bundle;
    println!(
        "wrote {}: {} actors, {} narratives, {} stances, {} ties, {} planted coalitions",
        args.out.display(),
        b.actors.len(),
        b.narratives.len(),
        b.stances.len(),
        b.ties.len(),
        class.groups
    );
    println!(
        "import it with `vertoog import --map ID --create --on-duplicate keep {}` (generated names like \"Actor 1\" and \"Actor 10\" look alike)",
        args.out.display()
    );
    Ok(())
}

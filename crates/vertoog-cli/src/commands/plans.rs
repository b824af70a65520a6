//! `plan best` (docs/method.md §9), `plan adopt|list|set` and `contacts` (engagement), and
//! `coalition name`.

use std::path::Path;

use serde::Serialize;
use vertoog_analysis::{ContactStatus, Relationship};
use vertoog_model::{parse_date, Commitment, Date, PlanItem, PlanStatus};

use vertoog_analysis::plans::report_lines;
use vertoog_analysis::{best_plan, context_and_analysis, plans::DEFAULT_BUDGET};

use super::analysis::{settings, window};
use super::{open_store, store_error, PRINCIPAL};
use crate::cli::{
    CoalitionCommand, ContactsArgs, PlanAdoptArgs, PlanBestArgs, PlanCommand, PlanListArgs,
    PlanSetArgs,
};
use crate::error::{CliError, CliResult};
use crate::output::print_json;

pub fn plan(store_dir: &Path, cmd: PlanCommand) -> CliResult {
    match cmd {
        PlanCommand::Best(args) => plan_best(store_dir, args),
        PlanCommand::Adopt(args) => plan_adopt(store_dir, args),
        PlanCommand::List(args) => plan_list(store_dir, args),
        PlanCommand::Set(args) => plan_set(store_dir, args),
    }
}

fn plan_best(store_dir: &Path, args: PlanBestArgs) -> CliResult {
    let a = &args.analyse;
    let window = window(&a.window)?;
    let bundle = super::analysis::load(store_dir, &a.map)?;
    let settings = settings(&bundle, a)?;
    let l = a.lang;
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
            let analysis = vertoog_analysis::analyse_lang(&bundle, &settings, window, a.lang);
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

fn date_opt(flag: &str, v: Option<&str>) -> CliResult<Option<Date>> {
    match v.map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) => parse_date(d)
            .map(Some)
            .map_err(|e| CliError::input(format!("{flag}: {e}"))),
    }
}

/// `plan adopt`: the analysis of the given window and settings, its action `ACTION` turned
/// into a plan item (vertoog_analysis::adopt) and stored.
fn plan_adopt(store_dir: &Path, args: PlanAdoptArgs) -> CliResult {
    let a = &args.analyse;
    let due = date_opt("--due", args.due.as_deref())?;
    let window = window(&a.window)?;
    let store = open_store(store_dir)?;
    let bundle = store.load(&a.map).map_err(store_error)?;
    let settings = settings(&bundle, a)?;
    let l = a.lang;
    let analysis = vertoog_analysis::analyse_lang(&bundle, &settings, window, l);
    let Some(action) = analysis.actions.iter().find(|x| x.id == args.action) else {
        let known: Vec<&str> = analysis.actions.iter().map(|x| x.id.as_str()).collect();
        return Err(CliError::input(format!(
            "the analysis of map `{}` has no action `{}` (it has {}); see `vertoog analyse --map {}`",
            a.map,
            args.action,
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            },
            a.map
        )));
    };
    let adopted_on = settings.as_of.unwrap_or_else(vertoog_store::today);
    let mut item = vertoog_analysis::adopt(
        action,
        analysis.transition.metrics.strength,
        &bundle,
        l,
        adopted_on,
    );
    item.owner = args.owner.clone().unwrap_or_default();
    item.due = due;
    let item = store
        .create(&a.map, item, PRINCIPAL, false)
        .map_err(store_error)?;
    if a.json {
        return print_json(&item);
    }
    println!("{}", item.id);
    Ok(())
}

/// One line of `plan list --json`: the plan item with whether it is overdue and its measured
/// effect (docs/method.md, engagement).
#[derive(Serialize)]
struct PlanRow<'a> {
    #[serde(flatten)]
    item: &'a PlanItem,
    overdue: bool,
    strength_before: Option<f64>,
    strength_after: Option<f64>,
    measured_gain: Option<f64>,
    alignment_change: &'a std::collections::BTreeMap<String, Option<f64>>,
}

fn signed(x: f64) -> String {
    format!("{x:+.2}")
}

fn plan_list(store_dir: &Path, args: PlanListArgs) -> CliResult {
    let a = &args.analyse;
    let window = window(&a.window)?;
    let bundle = super::analysis::load(store_dir, &a.map)?;
    let settings = settings(&bundle, a)?;
    let end = vertoog_analysis::engagement_end(&bundle, &settings, window);
    let effects = vertoog_analysis::plan_effects(&bundle, &settings, end);
    let status: Option<PlanStatus> = args.status;
    let mut items: Vec<&PlanItem> = bundle
        .plan
        .iter()
        .filter(|p| status.is_none_or(|s| p.status == s))
        .filter(|p| args.owner.as_ref().is_none_or(|o| &p.owner == o))
        .collect();
    items.sort_by(|x, y| x.id.cmp(&y.id));
    let rows: Vec<PlanRow> = items
        .iter()
        .filter_map(|p| {
            let e = effects.iter().find(|e| e.id == p.id)?;
            Some(PlanRow {
                item: p,
                overdue: end.is_some_and(|e| p.is_overdue(e)),
                strength_before: e.strength_before,
                strength_after: e.strength_after,
                measured_gain: e.measured_gain,
                alignment_change: &e.alignment_change,
            })
        })
        .collect();
    if a.json {
        return print_json(&rows);
    }
    let as_of = end.map(|d| format!(" as of {d}")).unwrap_or_default();
    println!("Plan of map `{}`{as_of}: {} items", a.map, rows.len());
    for r in &rows {
        let p = r.item;
        let mut line = format!(
            "  {:<5} {:<12} {:<15} {}",
            p.id,
            p.status.as_str(),
            p.kind,
            p.title
        );
        if !p.owner.is_empty() {
            line.push_str(&format!("; owner {}", p.owner));
        }
        if let Some(d) = p.due {
            line.push_str(&format!("; due {d}"));
        }
        if r.overdue {
            line.push_str(" OVERDUE");
        }
        println!("{line}");
        if p.status == PlanStatus::Done {
            let sim = p.simulated_gain.map_or("not simulated".into(), signed);
            let measured = r.measured_gain.map_or("not measurable yet".into(), signed);
            println!(
                "        simulated gain {sim}, measured change {measured} (what followed, not proof of cause)"
            );
        }
    }
    Ok(())
}

fn plan_set(store_dir: &Path, args: PlanSetArgs) -> CliResult {
    if args.status.is_none() && args.owner.is_none() && args.due.is_none() {
        return Err(CliError::input(
            "give what to change: --status, --owner and/or --due",
        ));
    }
    let due = match args.due.as_deref() {
        None => None,
        Some(d) => Some(date_opt("--due", Some(d))?),
    };
    let on = date_opt("--on", args.on.as_deref())?;
    let store = open_store(store_dir)?;
    let item = store
        .modify::<PlanItem>(&args.map, &args.id, PRINCIPAL, None, |mut p| {
            if let Some(s) = args.status {
                p.status = s;
                if p.status == PlanStatus::Done {
                    p.done_on = on.or(p.done_on).or_else(|| Some(vertoog_store::today()));
                }
            }
            if let Some(o) = &args.owner {
                p.owner = o.clone();
            }
            if let Some(d) = due {
                p.due = d;
            }
            Ok(p)
        })
        .map_err(store_error)?;
    if args.json {
        return print_json(&item);
    }
    println!(
        "{}: {}{}",
        item.id,
        item.status.as_str(),
        item.done_on.map(|d| format!(" on {d}")).unwrap_or_default()
    );
    Ok(())
}

/// One actor of `contacts`: relationship health and the open commitments both ways.
#[derive(Serialize)]
struct ContactRow<'a> {
    #[serde(flatten)]
    health: &'a Relationship,
    name: &'a str,
    /// Days since the last contact at the engagement date.
    days_since: Option<i64>,
    open_commitments: Vec<CommitmentRow<'a>>,
}

#[derive(Serialize)]
struct CommitmentRow<'a> {
    #[serde(flatten)]
    commitment: &'a Commitment,
    /// Days past due at the engagement date (0 or more when overdue; null when not due).
    days_late: Option<i64>,
}

fn urgency(s: ContactStatus) -> u8 {
    match s {
        ContactStatus::Overdue => 0,
        ContactStatus::Never => 1,
        ContactStatus::Due => 2,
        ContactStatus::Ok => 3,
        ContactStatus::None => 4,
    }
}

/// `contacts`: relationship health per actor (docs/method.md, engagement), overdue first,
/// then never met, due, ok, and those without cadence; each with its open commitments.
pub fn contacts(store_dir: &Path, args: ContactsArgs) -> CliResult {
    let a = &args.analyse;
    let window = window(&a.window)?;
    let bundle = super::analysis::load(store_dir, &a.map)?;
    let settings = settings(&bundle, a)?;
    let end = vertoog_analysis::engagement_end(&bundle, &settings, window);
    let health = vertoog_analysis::relationships::relationships(&bundle, &settings, window);
    let mine = |actor: &str| -> bool {
        let Some(o) = &args.owner else { return true };
        bundle
            .interactions
            .iter()
            .any(|i| i.team.contains(o) && i.actors.iter().any(|x| x == actor))
            || bundle
                .commitments
                .iter()
                .any(|c| &c.owner == o && c.actor == actor)
            || bundle
                .plan
                .iter()
                .any(|p| &p.owner == o && p.targets.iter().any(|t| t == actor))
    };
    let mut rows: Vec<ContactRow> = health
        .iter()
        .filter(|h| mine(&h.actor))
        .map(|h| {
            let name = bundle
                .actors
                .iter()
                .find(|x| x.id == h.actor)
                .map_or(h.actor.as_str(), |x| x.name.as_str());
            let mut open: Vec<CommitmentRow> = bundle
                .commitments
                .iter()
                .filter(|c| c.actor == h.actor)
                .filter(|c| !c.status.is_closed())
                .map(|c| CommitmentRow {
                    commitment: c,
                    days_late: end.and_then(|e| c.days_late(e)),
                })
                .collect();
            open.sort_by(|x, y| {
                (x.commitment.due, &x.commitment.id).cmp(&(y.commitment.due, &y.commitment.id))
            });
            ContactRow {
                health: h,
                name,
                days_since: match (h.last_contact, end) {
                    (Some(l), Some(e)) => Some((e - l).num_days()),
                    _ => None,
                },
                open_commitments: open,
            }
        })
        .collect();
    rows.sort_by(|x, y| {
        let late = |r: &ContactRow| r.open_commitments.iter().any(|c| c.days_late.is_some());
        (urgency(x.health.status), !late(x), x.name).cmp(&(
            urgency(y.health.status),
            !late(y),
            y.name,
        ))
    });
    if a.json {
        return print_json(&serde_json::json!({
            "map": a.map,
            "as_of": end,
            "contacts": rows,
        }));
    }
    if health.is_empty() {
        println!(
            "Map `{}` has no contacts recorded yet (interactions.csv, or POST .../interactions).",
            a.map
        );
        return Ok(());
    }
    let as_of = end.map(|d| format!(" as of {d}")).unwrap_or_default();
    println!("Contacts of map `{}`{as_of}, overdue first", a.map);
    for r in &rows {
        let h = r.health;
        let last = match (h.last_contact, r.days_since) {
            (Some(d), Some(n)) => format!("last contact {d} ({n} days ago)"),
            _ => "never contacted".to_string(),
        };
        let cadence = h
            .cadence_days
            .map(|c| format!(", every {c} days"))
            .unwrap_or_default();
        let trend = h
            .sentiment_trend
            .map(|t| format!(", sentiment trend {t:+.2}"))
            .unwrap_or_default();
        println!(
            "  {:<8} {} — {last}{cadence}, {} in 90 days{trend}",
            h.status.as_str(),
            r.name,
            h.contacts_90d
        );
        for c in &r.open_commitments {
            let k = c.commitment;
            let due = match (k.due, c.days_late) {
                (Some(d), Some(n)) => format!(", due {d}, {n} days late"),
                (Some(d), None) => format!(", due {d}"),
                _ => String::new(),
            };
            let owner = if k.owner.is_empty() {
                String::new()
            } else {
                format!(", owner {}", k.owner)
            };
            println!(
                "           {} {} \"{}\"{due}{owner}",
                k.id,
                k.direction.as_str(),
                k.text
            );
        }
    }
    Ok(())
}

//! Where the analysis after a single stance edit spends its time (the server's provisional
//! answer, issue 22): `cargo run --release -p vertoog-analysis --example after_edit -- M skewed`.
//!
//! Analyses a generated map, flips one stance, then analyses again taking over what the
//! server takes over (the discourse network to update, the coalitions to start from, the
//! structure), and times the stages of that second analysis and of its actions and plan.

use std::time::Instant;

use vertoog_analysis::analyse::{context_and_analysis_carrying, Carried};
use vertoog_analysis::{Lang, Window};
use vertoog_generate::{generate_shaped, Class, Shape};
use vertoog_model::Settings;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let class = match args.get(1).map(String::as_str).unwrap_or("M") {
        "S" | "s" => Class::S,
        "L" | "l" => Class::L,
        _ => Class::M,
    };
    let shape = Shape::named(args.get(2).map(String::as_str).unwrap_or("default"))
        .expect("a shape: default, skewed, sparse or dense");
    let edits: usize = args.get(3).and_then(|x| x.parse().ok()).unwrap_or(5);
    // `bare`: only the re-analysis itself (for a profiler), not its parts again; `ties`: the
    // edit adds a tie instead of flipping a stance (carried as the server carries it).
    let bare = args.iter().skip(4).any(|x| x == "bare");
    let ties = args.iter().skip(4).any(|x| x == "ties");
    let mut bundle = generate_shaped(class, shape, 1, None).bundle;
    let settings = Settings::default();
    let t = Instant::now();
    let (_, first, mut carried, _) = context_and_analysis_carrying(
        &bundle,
        &settings,
        Window::default(),
        Lang::En,
        Carried::default(),
    );
    println!("full analysis {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let mut previous = first;
    for e in 0..edits {
        let take = if ties {
            let n = bundle.actors.len();
            let a = (10 + 97 * e) % n;
            let b = match (5 + 389 * e) % n {
                b if b == a => (a + 1) % n,
                b => b,
            };
            let mut tie = bundle.ties[0].clone();
            tie.id = format!("edit-{e}");
            tie.source = bundle.actors[a].id.clone();
            tie.target = bundle.actors[b].id.clone();
            bundle.ties.push(tie);
            // As the server carries after a tie edit: the structure stale, T's structure
            // dropped, the coalitions a start, the facts of member sets checked by the memo.
            Carried {
                structure: None,
                transition: None,
                detected: None,
                start: carried.detected.take(),
                discourse: carried.discourse.take(),
                stale_structure: carried.structure.take(),
                facts: carried.facts.take(),
            }
        } else {
            let i = (10 + 97 * e) % bundle.stances.len();
            let s = &mut bundle.stances[i];
            s.position = if s.position > 0 { -2 } else { 2 };
            let start = carried.detected.take();
            Carried {
                structure: carried.structure.take(),
                transition: carried.transition.take(),
                detected: None,
                start,
                discourse: carried.discourse.take(),
                stale_structure: None,
                facts: carried.facts.take(),
            }
        };
        let t = Instant::now();
        let (ctx, analysis, next, _) =
            context_and_analysis_carrying(&bundle, &settings, Window::default(), Lang::En, take);
        let whole = t.elapsed().as_secs_f64() * 1e3;
        if bare {
            println!("edit {e}: analysis {whole:.0} ms");
            carried = next;
            continue;
        }
        let t = Instant::now();
        let g_t = ctx.structural.induced(&ctx.groups.supporters);
        let _ = vertoog_analysis::centrality::betweenness(
            &g_t,
            settings.betweenness_exact_limit,
            settings.betweenness_samples,
            settings.seed,
        );
        println!(
            "  T: {} members; Brandes on G_T again {:.0} ms",
            ctx.groups.supporters.len(),
            t.elapsed().as_secs_f64() * 1e3
        );
        let t = Instant::now();
        let gaps = vertoog_analysis::gaps::detect(
            &ctx,
            &analysis.transition.structure,
            &analysis.stakeholders,
            Lang::En,
        );
        let t_gaps = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let actions = vertoog_analysis::actions::propose(
            &ctx,
            &gaps,
            analysis.transition.metrics.strength,
            Lang::En,
        );
        let t_actions = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let plan = vertoog_analysis::best_plan(
            &ctx,
            &actions,
            analysis.transition.metrics.strength,
            vertoog_analysis::plans::DEFAULT_BUDGET,
        );
        let t_plan = t.elapsed().as_secs_f64() * 1e3;
        println!(
            "edit {e}: analysis {whole:.0} ms (of which again: gaps {t_gaps:.0}, actions {t_actions:.0} [{}], best plan {t_plan:.0} [{} steps]); provisional {:?}; coalitions {} -> {}",
            actions.len(),
            plan.steps.len(),
            analysis.provisional,
            previous.coalitions.len(),
            analysis.coalitions.len(),
        );
        previous = analysis;
        carried = next;
    }
}

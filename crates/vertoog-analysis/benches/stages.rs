//! Benchmarks of the analysis stages on generated maps of scale classes S and M (docs/interfaces.md §9,
//! "Scale classes" and "Speed targets"). Run with `cargo bench -p vertoog-analysis`; pick a
//! subset with a filter, e.g. `cargo bench -p vertoog-analysis -- betweenness`.
//!
//! The maps come from `vertoog_generate::generate(class, 1)` (planted coalitions), built once
//! per process. Each stage is timed on its own inputs, prepared outside the timed closure:
//! - `prepare`: the time window, dense indices, p(a,n);
//! - `networks`: the signed discourse network w (section 2);
//! - `coalitions`: basis network + signed-modularity Leiden (section 3);
//! - `structure`: the structural graph, cut structure, betweenness, constraint (section 6);
//! - `transition_metrics`: T's metrics (section 5);
//! - `analyse`: the whole analysis including gaps and actions (sections 1-8);
//! - `best_plan`: the best plan within budget 6 (section 11) on top of an analysis, and
//!   `best_plan_budget_12`, on the demo map (`data/demo`) and on S and M.

use std::sync::OnceLock;

use divan::Bencher;
use vertoog_analysis::centrality::{betweenness, constraint_and_effective_size};
use vertoog_analysis::coalitions::detect_coalitions;
use vertoog_analysis::discourse::discourse_network;
use vertoog_analysis::graph::{cut_structure, structural_graph};
use vertoog_analysis::prepare::Prepared;
use vertoog_analysis::Context;
use vertoog_analysis::{analyse, Window};
use vertoog_generate::{generate, Class};
use vertoog_model::{Bundle, Settings};

fn main() {
    divan::main();
}

/// The classes benchmarked: S always, M as well (a few seconds of setup).
const CLASSES: &[&str] = &["S", "M"];

fn bundle(class: &str) -> &'static Bundle {
    static S: OnceLock<Bundle> = OnceLock::new();
    static M: OnceLock<Bundle> = OnceLock::new();
    match class {
        "S" => S.get_or_init(|| generate(Class::S, 1).bundle),
        _ => M.get_or_init(|| generate(Class::M, 1).bundle),
    }
}

fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(Settings::default)
}

#[divan::bench(args = CLASSES, sample_count = 10)]
fn prepare(bencher: Bencher, class: &str) {
    let b = bundle(class);
    bencher.bench(|| Prepared::new(divan::black_box(b), Window::default()));
}

#[divan::bench(args = CLASSES, sample_count = 10)]
fn networks(bencher: Bencher, class: &str) {
    let s = settings();
    let prep = Prepared::new(bundle(class), Window::default());
    bencher.bench(|| discourse_network(divan::black_box(&prep), s.max_pairs, s.knn_k));
}

#[divan::bench(args = CLASSES, sample_count = 10)]
fn coalitions(bencher: Bencher, class: &str) {
    let s = settings();
    let prep = Prepared::new(bundle(class), Window::default());
    let net = discourse_network(&prep, s.max_pairs, s.knn_k);
    bencher.bench(|| detect_coalitions(divan::black_box(&prep), &net, s));
}

#[divan::bench(args = CLASSES, sample_count = 10)]
fn structure(bencher: Bencher, class: &str) {
    let s = settings();
    let prep = Prepared::new(bundle(class), Window::default());
    bencher.bench(|| {
        let g = structural_graph(divan::black_box(&prep));
        let cuts = cut_structure(&g);
        let bc = betweenness(&g, s.betweenness_exact_limit, s.betweenness_samples, s.seed);
        let ce = constraint_and_effective_size(&g);
        (cuts, bc, ce)
    });
}

#[divan::bench(args = CLASSES, sample_count = 10)]
fn betweenness_only(bencher: Bencher, class: &str) {
    let s = settings();
    let prep = Prepared::new(bundle(class), Window::default());
    let g = structural_graph(&prep);
    bencher.bench(|| {
        betweenness(
            divan::black_box(&g),
            s.betweenness_exact_limit,
            s.betweenness_samples,
            s.seed,
        )
    });
}

#[divan::bench(args = CLASSES, sample_count = 10)]
fn transition_metrics(bencher: Bencher, class: &str) {
    let ctx = Context::new(bundle(class), settings(), Window::default());
    bencher.bench(|| divan::black_box(&ctx).transition_metrics());
}

#[divan::bench(args = CLASSES, sample_count = 10)]
fn analyse_all(bencher: Bencher, class: &str) {
    let b = bundle(class);
    bencher.bench(|| analyse(divan::black_box(b), settings(), Window::default()));
}

/// The demo map of `vertoog serve --demo` (data/demo), read as the CLI imports it.
fn demo() -> &'static Bundle {
    static DEMO: OnceLock<Bundle> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo");
        let paths: Vec<std::path::PathBuf> = ["actors", "narratives", "stances", "ties"]
            .iter()
            .map(|f| dir.join(format!("{f}.csv")))
            .collect();
        vertoog_formats::read_csv_bundle(&paths, &vertoog_model::Map::new("demo"), None)
            .expect("data/demo reads")
            .bundle
    })
}

fn plan_bundle(class: &str) -> &'static Bundle {
    match class {
        "demo" => demo(),
        c => bundle(c),
    }
}

const PLAN_MAPS: &[&str] = &["demo", "S", "M"];

/// The best plan alone, on the context and analysis computed outside the timed closure
/// (what `analyse` adds for `best_plan`, and what `GET .../plan/best?budget=N` costs beside
/// building the context).
#[divan::bench(args = PLAN_MAPS, sample_count = 10)]
fn best_plan(bencher: Bencher, class: &str) {
    let b = plan_bundle(class);
    let (ctx, a) = vertoog_analysis::context_and_analysis(
        b,
        settings(),
        Window::default(),
        vertoog_analysis::Lang::En,
    );
    bencher.bench(|| {
        vertoog_analysis::best_plan(
            divan::black_box(&ctx),
            &a.actions,
            a.transition.metrics.strength,
            6,
        )
    });
}

#[divan::bench(args = PLAN_MAPS, sample_count = 10)]
fn best_plan_budget_12(bencher: Bencher, class: &str) {
    let b = plan_bundle(class);
    let (ctx, a) = vertoog_analysis::context_and_analysis(
        b,
        settings(),
        Window::default(),
        vertoog_analysis::Lang::En,
    );
    bencher.bench(|| {
        vertoog_analysis::best_plan(
            divan::black_box(&ctx),
            &a.actions,
            a.transition.metrics.strength,
            12,
        )
    });
}

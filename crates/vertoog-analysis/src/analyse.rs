//! The whole analysis as one value (`analyse --json` of docs/interfaces.md) and the functions that
//! compute it: the context ([`crate::context`]) and the coalitions and structures beside each
//! other, then T, gaps ([`crate::gaps`]) and actions ([`crate::actions`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use vertoog_model::{Bundle, CoalitionBasis, Settings};

use crate::actions::{self, Action};
use crate::coalitions::{
    detect_coalitions, detect_coalitions_from, with_metrics_reusing, Coalition,
    CoalitionMetricsMemo, CoalitionsWithMetrics, Detected,
};
use crate::context::{Context, Groundwork};
use crate::discourse::{discourse_network, discourse_network_update, DiscourseNetwork};
use crate::gaps::{self, Gap};
use crate::graph::Csr;
use crate::i18n::Lang;
use crate::metrics::Metrics;
use crate::plans::BestPlan;
use crate::prepare::{Prepared, Window};
use crate::simulation::FactsMemo;
use crate::stakeholders::{stakeholders, targets_by_index, targets_met, Stakeholder};
use crate::structure::{structure_report, structure_report_with, Structure};

/// The result of [`analyse`]; serialises exactly to the `analyse --json` shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Map id.
    pub map: String,
    pub window: Window,
    /// The settings the analysis ran with.
    pub settings: Settings,
    /// Detected coalitions `c1, c2, ...`: by size (largest first), then smallest member id.
    pub coalitions: Vec<Coalition>,
    /// Signed modularity Q of the coalitions; null when the basis network has no weight.
    pub modularity: Option<f64>,
    pub transition: Transition,
    /// Structure of the whole map's structural graph (docs/method.md §6).
    pub structure: Structure,
    /// docs/method.md §7 (filled by `gaps::detect`).
    pub gaps: Vec<Gap>,
    /// docs/method.md §8 (filled by `actions::propose`).
    pub actions: Vec<Action>,
    /// docs/method.md §9: the best plan within the default budget (filled by `plans::best_plan`).
    #[serde(default)]
    pub best_plan: crate::plans::BestPlan,
    /// Coalition x narrative: mean position and coverage, and the narratives no coalition
    /// supports (`coalition_view`; issue 18).
    #[serde(default)]
    pub coalition_matrix: crate::coalition_view::CoalitionMatrix,
    /// docs/method.md §12: quadrant, salience and engagement gap per actor, in id order.
    pub stakeholders: Vec<Stakeholder>,
    /// Dotted names of the numbers that are estimates (docs/method.md §14), sorted.
    pub approximate: Vec<String>,
    /// Actors outside the basis network of coalition detection (no position for the
    /// `discourse` basis; no tie for `ties`; neither for `combined`), sorted by id.
    pub unpositioned: Vec<String>,
    /// Engagement: relationship health of every actor, in id order (`relationships`); absent
    /// for maps that log no contacts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relationships: Vec<crate::relationships::Relationship>,
    /// Engagement: every plan item with its simulated gain and measured effect, in id order
    /// (`effect`); absent without plan items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<crate::effect::PlanEffect>,
    /// Only in the quick analysis the server gives right after an edit: the parts that are
    /// not yet what a full analysis gives, sorted: `coalitions` (the detection started from
    /// the coalitions before the edit, [`Carried::start`]) and `structure.betweenness` (taken
    /// over from before an edit of the ties, [`Carried::stale_structure`]); the full analysis
    /// replaces it. Absent (empty) otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisional: Vec<String>,
}

/// The transition coalition T and the alignment groups (docs/method.md §4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub supporters: Vec<String>,
    pub opponents: Vec<String>,
    pub undecided: Vec<String>,
    pub silent: Vec<String>,
    pub metrics: Metrics,
    /// dominance(n) per core narrative id; null when no actor holds a non-zero position.
    pub dominance: BTreeMap<String, Option<f64>>,
    /// align(a) per actor with a defined alignment (beyond docs/interfaces.md: the evidence of the
    /// four lists).
    pub alignment: BTreeMap<String, f64>,
    /// Structure of G_T, the structural graph restricted to T (beyond docs/interfaces.md).
    pub structure: Structure,
    /// Share of the actors with an engagement target whose target is met (docs/method.md §12);
    /// null when no actor has a target.
    pub targets_met: Option<f64>,
}

/// The analysis of docs/method.md sections 2 to 8 of `bundle` in `window` with `settings`, with
/// human texts (gap messages, action rationales) in English: a pure, deterministic function.
pub fn analyse(bundle: &Bundle, settings: &Settings, window: Window) -> Analysis {
    analyse_lang(bundle, settings, window, Lang::En)
}

/// [`analyse`] with gap messages, action rationales and lessons in `lang`.
pub fn analyse_lang(bundle: &Bundle, settings: &Settings, window: Window, lang: Lang) -> Analysis {
    context_and_analysis(bundle, settings, window, lang).1
}

/// [`analyse_lang`], also returning the context it was computed from (for what needs the
/// discourse network or the structural graph afterwards, such as graph exports).
///
/// Scheduling (the result does not depend on it): the structure of the whole graph and of T
/// (betweenness, parallel inside) starts as soon as the map is prepared, beside the discourse
/// network and then the coalition detection (mostly sequential), so both cores stay busy.
pub fn context_and_analysis<'a>(
    bundle: &'a Bundle,
    settings: &'a Settings,
    window: Window,
    lang: Lang,
) -> (Context<'a>, Analysis) {
    let (ctx, analysis, _) = run(bundle, settings, window, lang, Carried::default(), false);
    (ctx, analysis)
}

/// Parts of an earlier analysis of the same map that a new analysis may take over instead of
/// computing them again (the server's re-analysis after an edit; docs/decisions.md,
/// "Re-analysis after an edit"). Each part is a pure function of the inputs named on it, so a
/// part taken over is bitwise what the new analysis would compute: the caller vouches for
/// those inputs being unchanged; T's membership is checked here.
#[derive(Clone, Debug, Default)]
pub struct Carried {
    /// The structure of the whole structural graph (section 6). Depends on the actor ids, the
    /// ties, the window and the settings.
    pub structure: Option<Structure>,
    /// T's members (dense actor indices) and the structure of G_T. Depends on what
    /// `structure` depends on and on T, which the new analysis compares.
    pub transition: Option<(Vec<u32>, Structure)>,
    /// The detected partition (section 3). Depends on the actor and narrative ids, the
    /// stances, the window and the settings, and on the ties unless the basis is `discourse`.
    pub detected: Option<Detected>,
    /// Coalitions to *start* the detection from when `detected` is absent (the coalitions
    /// before an edit that changed the stances): the detection then usually ends after a few
    /// moves, but may find other coalitions than a cold start would, so the analysis is
    /// marked `provisional`. Depends on the same actor ids.
    pub start: Option<Detected>,
    /// The exact discourse network and the position lists it was computed from (dense actor
    /// indices). Depends on the actor ids, the window and the settings: the new analysis
    /// recomputes only the rows of the actors whose position lists differ
    /// ([`crate::discourse::discourse_network_update`]), which is bitwise the full network.
    pub discourse: Option<CarriedDiscourse>,
    /// The structure of the whole structural graph before an edit of the ties, when
    /// `structure` is absent: its betweenness (the one costly part) is taken over for the
    /// same actors and the analysis is marked provisional (`structure.betweenness`); the rest
    /// of the structure is computed on the new ties.
    pub stale_structure: Option<Structure>,
    /// The facts of the structural graph induced on the member sets the simulations of the
    /// actions and the best plan met (T with an actor more or less, ...). The memo knows the
    /// graph it was filled over: the new analysis keeps the sets whose induced subgraph is
    /// the same on its own structural graph ([`FactsMemo::over`]), so it may be taken over
    /// after any edit.
    pub facts: Option<Arc<FactsMemo>>,
}

/// The discourse network an analysis computed and the position lists it came from.
#[derive(Clone, Debug)]
pub struct CarriedDiscourse {
    pub positions: Arc<Vec<Vec<(u32, i8)>>>,
    pub network: Arc<DiscourseNetwork>,
    /// The coalitions' metrics of that analysis, for the coalitions that keep their members
    /// (checked against the actors and the structural graph it holds).
    pub coalition_metrics: Arc<CoalitionMetricsMemo>,
}

impl Carried {
    /// Which parts are present, by name (`structure`, `transition.structure`, `coalitions` or
    /// `coalitions.start`, `discourse`, `facts`).
    pub fn parts(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.structure.is_some() {
            out.push("structure");
        }
        if self.transition.is_some() {
            out.push("transition.structure");
        }
        if self.detected.is_some() {
            out.push("coalitions");
        } else if self.start.is_some() {
            out.push("coalitions.start");
        }
        if self.discourse.is_some() {
            out.push("discourse");
        }
        if self.facts.is_some() {
            out.push("facts");
        }
        out
    }
}

/// [`context_and_analysis`] taking over the parts of `carried` (see [`Carried`]); also returns
/// the parts of this analysis that a later one may take over, and the names of the parts it
/// took over (T's structure only when T is unchanged).
pub fn context_and_analysis_carrying<'a>(
    bundle: &'a Bundle,
    settings: &'a Settings,
    window: Window,
    lang: Lang,
    carried: Carried,
) -> (Context<'a>, Analysis, Carried, Vec<&'static str>) {
    let mut taken = carried.parts();
    let supporters = carried.transition.as_ref().map(|(t, _)| t.clone());
    let (ctx, analysis, next) = run(bundle, settings, window, lang, carried, true);
    if supporters.as_ref() != Some(&ctx.groups.supporters) {
        taken.retain(|p| *p != "transition.structure");
    }
    if analysis
        .provisional
        .iter()
        .any(|p| p == "structure.betweenness")
    {
        taken.push("structure.betweenness");
    }
    (ctx, analysis, next, taken)
}

fn run<'a>(
    bundle: &'a Bundle,
    settings: &'a Settings,
    window: Window,
    lang: Lang,
    carried: Carried,
    keep: bool,
) -> (Context<'a>, Analysis, Carried) {
    let Carried {
        structure,
        transition,
        detected,
        start,
        discourse: old_discourse,
        stale_structure,
        facts,
    } = carried;
    let mut provisional: Vec<String> = Vec::new();
    if detected.is_none() && start.is_some() {
        provisional.push("coalitions".into());
    }
    // The discourse network: the carried one when no position list changed, else updated
    // from it where it applies, else computed; with the actors whose lists changed, when
    // known.
    let memo = old_discourse.as_ref().map(|d| d.coalition_metrics.clone());
    let after_edit = old_discourse.is_some();
    let network = |prep: &Prepared| -> (Arc<DiscourseNetwork>, Option<Vec<u32>>) {
        if let Some(old) = &old_discourse {
            if prep.positions == *old.positions {
                return (old.network.clone(), Some(Vec::new()));
            }
            if let Some((net, changed)) =
                discourse_network_update(prep, &old.positions, &old.network, settings.max_pairs)
            {
                return (Arc::new(net), Some(changed));
            }
        }
        let net = discourse_network(prep, settings.max_pairs, settings.knn_k);
        (Arc::new(net), None)
    };
    let coalitions_of = |prep: &Prepared,
                         discourse: &DiscourseNetwork,
                         structural: &Csr,
                         changed: Option<Vec<u32>>| {
        // Only in a basis network of w alone are the changed rows the changed edges.
        let moved = changed
            .as_deref()
            .filter(|_| settings.coalition_basis == CoalitionBasis::Discourse);
        let detected = match (detected, start) {
            (Some(d), _) => d,
            (None, Some(p)) => detect_coalitions_from(prep, discourse, settings, &p, moved),
            (None, None) => detect_coalitions(prep, discourse, settings),
        };
        // The metrics of coalitions that kept their members, from the analysis before.
        let reuse = memo.as_deref().zip(changed.as_deref());
        with_metrics_reusing(prep, discourse, structural, settings, detected, reuse)
    };
    let structures = |prep: &Prepared, g: &Csr, t: &[u32]| {
        let whole = || match structure {
            Some(s) => (s, false),
            None => {
                let all: Vec<u32> = (0..prep.n_actors() as u32).collect();
                structure_report_with(prep, g, &all, settings, stale_structure.as_ref())
            }
        };
        // T's structure taken over only for the same T.
        let of_t_before = transition.filter(|(members, _)| members == t).map(|x| x.1);
        let of_t =
            || of_t_before.unwrap_or_else(|| structure_report(prep, &g.induced(t), t, settings));
        rayon::join(whole, of_t)
    };
    let (ctx, coalitions, ((structure, stale), t_structure), decisions) = if after_edit {
        // After an edit (the network carried): the network is a quick update, and then
        // the coalitions are detected beside the structures and what is decided on them
        // (gaps, actions, plan), which need no coalitions.
        // The network's update beside the rest of the groundwork.
        let (base, (discourse, changed)) = Groundwork::beside(bundle, settings, window, network);
        let ctx = base.with(bundle, settings, window, discourse);
        let (coalitions, (structures, decisions)) = rayon::join(
            || coalitions_of(&ctx.prep, &ctx.discourse, &ctx.structural, changed),
            || {
                let s = structures(&ctx.prep, &ctx.structural, &ctx.groups.supporters);
                let d = decide(&ctx, &s.1, lang, facts, keep);
                (s, d)
            },
        );
        (ctx, coalitions, structures, decisions)
    } else {
        // From scratch: the structures (betweenness, parallel inside) beside the network
        // and the coalition detection (mostly sequential), so both cores stay busy.
        let base = Groundwork::new(bundle, settings, window);
        let ((discourse, coalitions), structures) = rayon::join(
            || {
                let (discourse, changed) = network(&base.prep);
                let coalitions = coalitions_of(&base.prep, &discourse, &base.structural, changed);
                (discourse, coalitions)
            },
            || structures(&base.prep, &base.structural, &base.groups.supporters),
        );
        let ctx = base.with(bundle, settings, window, discourse);
        let decisions = decide(&ctx, &structures.1, lang, facts, keep);
        (ctx, coalitions, structures, decisions)
    };
    if stale {
        provisional.push("structure.betweenness".into());
    }
    provisional.sort();
    let next = if keep {
        Carried {
            structure: Some(structure.clone()),
            transition: Some((ctx.groups.supporters.clone(), t_structure.clone())),
            detected: Some(coalitions.detected.clone()),
            start: None,
            stale_structure: None,
            facts: Some(decisions.facts.clone()),
            discourse: ctx.discourse.exact.then(|| CarriedDiscourse {
                positions: Arc::new(ctx.prep.positions.clone()),
                network: ctx.discourse.clone(),
                coalition_metrics: Arc::new(CoalitionMetricsMemo::of(
                    &ctx.prep,
                    &ctx.structural,
                    &coalitions,
                )),
            }),
        }
    } else {
        Carried::default()
    };
    let mut analysis = assemble(&ctx, coalitions, (structure, t_structure), decisions, lang);
    analysis.provisional = provisional;
    (ctx, analysis, next)
}

/// What the analysis decides on T's metrics and structure (docs/method.md §5, 7-9, 11): the
/// stakeholders, the gaps, the actions and the best plan. It needs no coalitions, so after an
/// edit it is computed beside their detection.
struct Decisions {
    t_metrics: Metrics,
    t_sampled: bool,
    stakeholders: Vec<Stakeholder>,
    gaps: Vec<Gap>,
    actions: Vec<Action>,
    best_plan: BestPlan,
    /// The facts of member sets the simulations met, over this analysis' structural graph.
    facts: Arc<FactsMemo>,
}

fn decide(
    ctx: &Context<'_>,
    t_structure: &Structure,
    lang: Lang,
    carried: Option<Arc<FactsMemo>>,
    keep: bool,
) -> Decisions {
    // One simulation base for T's metrics, the actions' gains and the best plan, with the
    // facts of the analysis before that still hold on this structural graph. A memo for a
    // later analysis keeps a copy of the graph; one that nobody takes over needs none.
    let facts = if keep {
        FactsMemo::over(carried, &ctx.structural)
    } else {
        Arc::default()
    };
    let sim_base = crate::simulation::SimBase::with_memo(ctx, facts.clone());
    let (t_metrics, _, t_sampled) = sim_base.transition_metrics(ctx);
    let stakeholders = stakeholders(ctx.bundle, &ctx.prep, &ctx.alignment, ctx.settings);
    let gaps = gaps::detect(ctx, t_structure, &stakeholders, lang);
    let actions = actions::propose_with(ctx, &sim_base, &gaps, t_metrics.strength, lang);
    let best_plan = crate::plans::best_plan_with(
        ctx,
        &sim_base,
        &actions,
        t_metrics.strength,
        crate::plans::DEFAULT_BUDGET,
    );
    Decisions {
        t_metrics,
        t_sampled,
        stakeholders,
        gaps,
        actions,
        best_plan,
        facts,
    }
}

/// The analysis from a context and its coalitions and structures.
fn assemble(
    ctx: &Context<'_>,
    coalitions: CoalitionsWithMetrics,
    (structure, t_structure): (Structure, Structure),
    decisions: Decisions,
    lang: Lang,
) -> Analysis {
    let Decisions {
        t_metrics,
        t_sampled,
        stakeholders,
        gaps,
        actions,
        best_plan,
        facts: _,
    } = decisions;
    let CoalitionsWithMetrics {
        detected,
        mut coalitions,
        any_sampled,
    } = coalitions;
    let prep = &ctx.prep;
    crate::coalition_view::name_coalitions(
        prep,
        &mut coalitions,
        &ctx.bundle.map.coalition_names,
        lang,
    );
    let coalition_matrix = crate::coalition_view::coalition_matrix(prep, &coalitions);
    let mut approximate: Vec<String> = Vec::new();
    if !ctx.discourse.exact {
        approximate.push("coalitions".into());
        approximate.push("modularity".into());
    }

    if any_sampled {
        approximate.push("coalitions.metrics.discourse_cohesion".into());
        approximate.push("coalitions.metrics.strength".into());
    }

    if t_sampled {
        approximate.push("transition.metrics.discourse_cohesion".into());
        approximate.push("transition.metrics.strength".into());
    }
    if !structure.betweenness_exact {
        approximate.push("structure.betweenness".into());
    }
    if !t_structure.betweenness_exact {
        approximate.push("transition.structure.betweenness".into());
    }
    approximate.sort();

    let transition = Transition {
        supporters: prep.ids(&ctx.groups.supporters),
        opponents: prep.ids(&ctx.groups.opponents),
        undecided: prep.ids(&ctx.groups.undecided),
        silent: prep.ids(&ctx.groups.silent),
        metrics: t_metrics,
        dominance: ctx
            .dominance
            .iter()
            .map(|(&n, d)| (prep.narratives[n as usize].id.clone(), *d))
            .collect(),
        alignment: ctx
            .alignment
            .iter()
            .enumerate()
            .filter_map(|(a, x)| x.map(|x| (prep.actors[a].id.clone(), x)))
            .collect(),
        structure: t_structure,
        targets_met: targets_met(&targets_by_index(ctx.bundle, prep), &ctx.alignment),
    };

    Analysis {
        map: ctx.bundle.map.id.clone(),
        window: ctx.window,
        settings: ctx.settings.clone(),
        coalitions,
        modularity: detected.modularity,
        transition,
        structure,
        gaps,
        actions,
        best_plan,
        coalition_matrix,
        stakeholders,
        approximate,
        unpositioned: prep.ids(&detected.unpositioned),
        relationships: crate::relationships::relationships_until(
            ctx.bundle,
            ctx.settings,
            ctx.window,
            ctx.engagement_end(),
        ),
        provisional: Vec::new(),
        plan: crate::effect::plan_effects(ctx.bundle, ctx.settings, ctx.engagement_end()),
    }
}

//! The whole analysis as one value (`analyse --json` of interfaces.md) and the [`Context`]
//! that holds every intermediate result, for the later passes (gaps, actions, what-if,
//! timeline) to reuse.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vertoog_model::{Bundle, Settings};

use crate::actions::{self, Action};
use crate::centrality::{betweenness, constraint_and_effective_size};
use crate::coalitions::{detect_coalitions, storyline, Detected, StorylineEntry};
use crate::discourse::{discourse_network, pair_w, DiscourseNetwork};
use crate::gaps::{self, Gap};
use crate::graph::{components, cut_structure, structural_graph, Csr};
use crate::i18n::Lang;
use crate::metrics::{
    alignment, classify, dominance, narrative_support, set_metrics, Alignment, MetricInputs,
    Metrics, SetStructure,
};
use crate::prepare::{Prepared, Window};
use crate::stakeholders::{stakeholders, targets_by_index, targets_met, Stakeholder};

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
    /// Structure of the whole map's structural graph (analysis.md 6).
    pub structure: Structure,
    /// analysis.md 7 (filled by `gaps::detect`).
    pub gaps: Vec<Gap>,
    /// analysis.md 8 (filled by `actions::propose`).
    pub actions: Vec<Action>,
    /// analysis.md 11: the best plan within the default budget (filled by `plans::best_plan`).
    #[serde(default)]
    pub best_plan: crate::plans::BestPlan,
    /// Coalition x narrative: mean position and coverage, and the narratives no coalition
    /// supports (`coalition_view`; issue 18).
    #[serde(default)]
    pub coalition_matrix: crate::coalition_view::CoalitionMatrix,
    /// stakeholder.md: quadrant, salience and engagement gap per actor, in id order.
    pub stakeholders: Vec<Stakeholder>,
    /// Dotted names of the numbers that are estimates (analysis.md 10), sorted.
    pub approximate: Vec<String>,
    /// Actors outside the basis network of coalition detection (no position for the
    /// `discourse` basis; no tie for `ties`; neither for `combined`), sorted by id.
    pub unpositioned: Vec<String>,
}

/// One detected coalition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coalition {
    /// `c1`, `c2`, ...
    pub id: String,
    /// A name a person can use: the user's name kept for this coalition, else its storyline
    /// name (`coalition_view`; issue 18).
    #[serde(default)]
    pub name: String,
    /// "for: LABEL" of the narrative it supports most (in the analysis' language).
    #[serde(default)]
    pub storyline_name: String,
    /// The narrative the storyline name names.
    #[serde(default)]
    pub storyline_narrative: Option<String>,
    /// `storyline` or `user`: where `name` comes from.
    #[serde(default)]
    pub named_by: crate::coalition_view::NameSource,
    /// Actor ids, sorted.
    pub members: Vec<String>,
    /// The coalition's term Q_c of Q (Σ over coalitions = Q).
    pub modularity_share: Option<f64>,
    /// Per narrative held by a member, sorted by narrative id.
    pub storyline: Vec<StorylineEntry>,
    /// narrative_support is null for detected coalitions.
    pub metrics: Metrics,
}

/// The transition coalition T and the alignment groups (analysis.md 4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub supporters: Vec<String>,
    pub opponents: Vec<String>,
    pub undecided: Vec<String>,
    pub silent: Vec<String>,
    pub metrics: Metrics,
    /// dominance(n) per core narrative id; null when no actor holds a non-zero position.
    pub dominance: BTreeMap<String, Option<f64>>,
    /// align(a) per actor with a defined alignment (beyond interfaces.md: the evidence of the
    /// four lists).
    pub alignment: BTreeMap<String, f64>,
    /// Structure of G_T, the structural graph restricted to T (beyond interfaces.md).
    pub structure: Structure,
    /// Share of the actors with an engagement target whose target is met (stakeholder.md);
    /// null when no actor has a target.
    pub targets_met: Option<f64>,
}

/// Structure and weak links of a structural graph (analysis.md 6).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Structure {
    /// `[a, b]` with a < b by id, sorted.
    pub bridges: Vec<[String; 2]>,
    pub articulation_points: Vec<String>,
    /// Articulation points that split off two or more parts of two or more actors (beyond
    /// interfaces.md; they lower connectedness).
    pub critical_brokers: Vec<String>,
    /// Normalised betweenness of every node.
    pub betweenness: BTreeMap<String, f64>,
    pub betweenness_exact: bool,
    /// Burt's constraint; null for an actor without ties.
    pub constraint: BTreeMap<String, Option<f64>>,
    /// Burt's effective size; null for an actor without ties.
    pub effective_size: BTreeMap<String, Option<f64>>,
    /// Each sorted by id; the list sorted by smallest id; isolated actors are components.
    pub components: Vec<Vec<String>>,
    /// Number of tie partners (beyond interfaces.md).
    pub degree: BTreeMap<String, usize>,
    /// Σ of merged tie weights (beyond interfaces.md).
    pub weighted_degree: BTreeMap<String, f64>,
}

/// Everything computed from (bundle, settings, window) before the report is assembled.
/// Gaps, actions and what-if use it to look up positions, w, ties and alignment, and to
/// recompute T's metrics after a change without recomputing the coalitions.
pub struct Context<'a> {
    pub bundle: &'a Bundle,
    pub settings: &'a Settings,
    pub window: Window,
    pub prep: Prepared,
    pub discourse: DiscourseNetwork,
    /// The structural graph over all actors (dense indices).
    pub structural: Csr,
    /// align(a) per actor.
    pub alignment: Vec<Option<f64>>,
    /// Supporters (T), opponents, undecided, silent.
    pub groups: Alignment,
    /// dominance per core narrative index.
    pub dominance: BTreeMap<u32, Option<f64>>,
}

impl<'a> Context<'a> {
    /// Prepares the window, computes w (sparse), the structural graph and alignment.
    pub fn new(bundle: &'a Bundle, settings: &'a Settings, window: Window) -> Self {
        let base = Base::new(bundle, settings, window);
        let discourse = discourse_network(&base.prep, settings.max_pairs, settings.knn_k);
        base.with(bundle, settings, window, discourse)
    }

    /// w(a, b) of analysis.md 2, exact (by merging position lists).
    pub fn w(&self, a: u32, b: u32) -> f64 {
        pair_w(&self.prep, a, b)
    }

    /// The inputs of [`set_metrics`].
    pub fn metric_inputs(&self) -> MetricInputs<'_> {
        MetricInputs {
            prep: &self.prep,
            structural: &self.structural,
            discourse: &self.discourse,
            settings: self.settings,
        }
    }

    /// Metrics of T (with narrative_support), the structure of G_T, and whether cohesion was
    /// sampled.
    pub fn transition_metrics(&self) -> (Metrics, SetStructure, bool) {
        set_metrics(
            &self.metric_inputs(),
            &self.groups.supporters,
            narrative_support(&self.dominance),
        )
    }
}

/// Structure of `g` whose node i is actor `ids_of[i]` (analysis.md 6).
fn structure_report(prep: &Prepared, g: &Csr, ids_of: &[u32], settings: &Settings) -> Structure {
    let id = |l: u32| prep.actors[ids_of[l as usize] as usize].id.clone();
    let cuts = cut_structure(g);
    let bc = betweenness(
        g,
        settings.betweenness_exact_limit,
        settings.betweenness_samples,
        settings.seed,
    );
    let (cons, eff) = constraint_and_effective_size(g);
    let mut bridges: Vec<[String; 2]> = cuts
        .bridges
        .iter()
        .map(|&(a, b)| {
            let (x, y) = (id(a), id(b));
            if x <= y {
                [x, y]
            } else {
                [y, x]
            }
        })
        .collect();
    bridges.sort();
    let mut comps: Vec<Vec<String>> = components(g)
        .iter()
        .map(|c| c.iter().map(|&v| id(v)).collect())
        .collect();
    comps.sort();
    let per_node = |f: &dyn Fn(usize) -> f64| -> BTreeMap<String, f64> {
        (0..g.n()).map(|v| (id(v as u32), f(v))).collect()
    };
    Structure {
        bridges,
        articulation_points: cuts.articulation_points.iter().map(|&v| id(v)).collect(),
        critical_brokers: cuts.critical_brokers.iter().map(|&v| id(v)).collect(),
        betweenness: per_node(&|v| bc.values[v]),
        betweenness_exact: bc.exact,
        constraint: (0..g.n()).map(|v| (id(v as u32), cons[v])).collect(),
        effective_size: (0..g.n()).map(|v| (id(v as u32), eff[v])).collect(),
        components: comps,
        degree: (0..g.n()).map(|v| (id(v as u32), g.degree(v))).collect(),
        weighted_degree: per_node(&|v| g.weighted_degree(v)),
    }
}

/// Everything of a [`Context`] but the discourse network: what the structure of the whole
/// graph and of T needs, so that it can be computed beside the network.
struct Base {
    prep: Prepared,
    structural: Csr,
    alignment: Vec<Option<f64>>,
    groups: Alignment,
    dominance: BTreeMap<u32, Option<f64>>,
}

impl Base {
    fn new(bundle: &Bundle, settings: &Settings, window: Window) -> Self {
        let prep = Prepared::new(bundle, window);
        let structural = structural_graph(&prep);
        let alignment = alignment(&prep);
        let groups = classify(&alignment, settings.threshold);
        let dominance = dominance(&prep);
        Base {
            prep,
            structural,
            alignment,
            groups,
            dominance,
        }
    }

    fn with<'a>(
        self,
        bundle: &'a Bundle,
        settings: &'a Settings,
        window: Window,
        discourse: DiscourseNetwork,
    ) -> Context<'a> {
        Context {
            bundle,
            settings,
            window,
            prep: self.prep,
            discourse,
            structural: self.structural,
            alignment: self.alignment,
            groups: self.groups,
            dominance: self.dominance,
        }
    }
}

/// The structure of the whole structural graph and of the subgraph of `t` (section 6), side
/// by side.
fn structures(prep: &Prepared, g: &Csr, t: &[u32], settings: &Settings) -> (Structure, Structure) {
    let all: Vec<u32> = (0..prep.n_actors() as u32).collect();
    rayon::join(
        || structure_report(prep, g, &all, settings),
        || structure_report(prep, &g.induced(t), t, settings),
    )
}

/// The coalitions of section 3 with their metrics (section 5), the detection result, and
/// whether any coalition metric was estimated from sampled pairs.
fn coalitions_with_metrics(
    prep: &Prepared,
    discourse: &DiscourseNetwork,
    structural: &Csr,
    settings: &Settings,
) -> (Detected, Vec<Coalition>, bool) {
    let detected = detect_coalitions(prep, discourse, settings);
    let inputs = MetricInputs {
        prep,
        structural,
        discourse,
        settings,
    };
    let mut any_sampled = false;
    let coalitions: Vec<Coalition> = detected
        .coalitions
        .iter()
        .zip(&detected.shares)
        .enumerate()
        .map(|(i, (members, share))| {
            let (metrics, _, sampled) = set_metrics(&inputs, members, None);
            any_sampled |= sampled;
            Coalition {
                id: format!("c{}", i + 1),
                name: String::new(),
                storyline_name: String::new(),
                storyline_narrative: None,
                named_by: Default::default(),
                members: prep.ids(members),
                modularity_share: *share,
                storyline: storyline(prep, members),
                metrics,
            }
        })
        .collect();
    (detected, coalitions, any_sampled)
}

type Parts = ((Detected, Vec<Coalition>, bool), (Structure, Structure));

/// The analysis of analysis.md sections 2 to 8 of `bundle` in `window` with `settings`, with
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
    let base = Base::new(bundle, settings, window);
    let ((discourse, coalitions), structures) = rayon::join(
        || {
            let discourse = discourse_network(&base.prep, settings.max_pairs, settings.knn_k);
            let coalitions =
                coalitions_with_metrics(&base.prep, &discourse, &base.structural, settings);
            (discourse, coalitions)
        },
        || {
            structures(
                &base.prep,
                &base.structural,
                &base.groups.supporters,
                settings,
            )
        },
    );
    let ctx = base.with(bundle, settings, window, discourse);
    let analysis = assemble(&ctx, (coalitions, structures), lang);
    (ctx, analysis)
}

/// The analysis from a context and its coalitions and structures.
fn assemble(ctx: &Context<'_>, parts: Parts, lang: Lang) -> Analysis {
    let ((detected, mut coalitions, any_sampled), (structure, t_structure)) = parts;
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

    let (t_metrics, _, t_sampled) = ctx.transition_metrics();
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

    let mut analysis = Analysis {
        map: ctx.bundle.map.id.clone(),
        window: ctx.window,
        settings: ctx.settings.clone(),
        coalitions,
        modularity: detected.modularity,
        transition,
        structure,
        gaps: Vec::new(),
        actions: Vec::new(),
        best_plan: Default::default(),
        coalition_matrix,
        stakeholders: stakeholders(ctx.bundle, prep, &ctx.alignment, ctx.settings),
        approximate,
        unpositioned: prep.ids(&detected.unpositioned),
    };
    analysis.gaps = gaps::detect(ctx, &analysis, lang);
    analysis.actions = actions::propose(ctx, &analysis, lang);
    analysis.best_plan = crate::plans::best_plan(ctx, &analysis, crate::plans::DEFAULT_BUDGET);
    analysis
}

//! The measured effect of done plan items (docs/method.md §16, engagement): T's strength and
//! the targets' alignment computed from the data dated up to the adoption date, and again up
//! to `done_on` + `effect_horizon_days` (or the engagement date E when sooner), beside the
//! gain the simulation expected when the action was adopted. What followed, not proof of what
//! caused it.
//!
//! [`transition_at`] is also every point of the timeline, so a measured effect equals the
//! timeline's strength at the two dates exactly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vertoog_model::{Bundle, Date, PlanItem, PlanStatus, Settings};

use crate::discourse::{mean_pair_w, pair_bound, set_pair_sum, DiscourseNetwork};
use crate::graph::{structural_graph, Csr};
use crate::metrics::{
    alignment, classify, dominance, narrative_support, set_metrics_with_cohesion, Alignment,
    MetricInputs, Metrics, COHESION_SAMPLE_PAIRS,
};
use crate::prepare::{Prepared, Window};

/// T computed from everything dated up to `end` (undated data always counts).
pub struct TransitionAt {
    pub prep: Prepared,
    pub align: Vec<Option<f64>>,
    pub groups: Alignment,
    pub dominance: BTreeMap<u32, Option<f64>>,
    pub metrics: Metrics,
    /// Whether discourse cohesion was estimated from a sample.
    pub approximate: bool,
}

/// T at `end`: alignment, groups, dominance and T's metrics (see the timeline).
pub fn transition_at(bundle: &Bundle, settings: &Settings, end: Date) -> TransitionAt {
    let prep = Prepared::new(
        bundle,
        Window {
            from: None,
            to: Some(end),
        },
    );
    let align = alignment(&prep);
    let groups = classify(&align, settings.threshold);
    let dom = dominance(&prep);
    let structural = structural_graph(&prep);
    let t = &groups.supporters;
    let bound = pair_bound(&prep);
    let no_network = DiscourseNetwork {
        graph: Csr::empty(0),
        exact: false,
        nonzero_pairs: 0,
    };
    let m = t.len() as u64;
    let (cohesion, approximate) = if m < 2 {
        (None, false)
    } else if bound <= settings.max_pairs {
        (
            Some(set_pair_sum(&prep, t) / (m * (m - 1) / 2) as f64),
            false,
        )
    } else {
        mean_pair_w(&prep, &no_network, t, COHESION_SAMPLE_PAIRS, settings.seed)
    };
    let inputs = MetricInputs {
        prep: &prep,
        structural: &structural,
        discourse: &no_network,
        settings,
    };
    let (metrics, _) = set_metrics_with_cohesion(&inputs, t, narrative_support(&dom), cohesion);
    TransitionAt {
        align,
        groups,
        dominance: dom,
        metrics,
        approximate,
        prep,
    }
}

/// One row of `"plan"` in `analyse --json`: a plan item with its simulated gain and, when
/// done and measurable, what followed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanEffect {
    pub id: String,
    pub status: PlanStatus,
    pub simulated_gain: Option<f64>,
    pub strength_before: Option<f64>,
    pub strength_after: Option<f64>,
    pub measured_gain: Option<f64>,
    /// Per target: alignment after minus before (null when undefined at either date).
    pub alignment_change: BTreeMap<String, Option<f64>>,
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0 + 0.0
}

/// The date the "after" of a done item is read at: `done_on` + the horizon, or `end` when
/// sooner.
pub fn after_date(item: &PlanItem, settings: &Settings, end: Option<Date>) -> Option<Date> {
    let done = item.done_on?;
    let horizon = done
        .checked_add_days(chrono::Days::new(u64::from(settings.effect_horizon_days)))
        .unwrap_or(done);
    Some(match end {
        Some(e) if e < horizon => e,
        _ => horizon,
    })
}

/// Whether any stance or tie is dated after `from` up to `to`: the measurement needs data
/// after the adoption.
fn data_between(bundle: &Bundle, from: Date, to: Date) -> bool {
    let inside = |d: Date| d > from && d <= to;
    bundle.stances.iter().any(|s| s.date.is_some_and(inside))
        || bundle
            .ties
            .iter()
            .any(|t| t.since.is_some_and(inside) || t.until.is_some_and(inside))
}

/// The effect of one plan item (`end`: the engagement date E).
pub fn plan_effect(
    bundle: &Bundle,
    settings: &Settings,
    item: &PlanItem,
    end: Option<Date>,
) -> PlanEffect {
    let mut out = PlanEffect {
        id: item.id.clone(),
        status: item.status,
        simulated_gain: item.simulated_gain,
        strength_before: None,
        strength_after: None,
        measured_gain: None,
        alignment_change: BTreeMap::new(),
    };
    if item.status != PlanStatus::Done {
        return out;
    }
    let Some(after) = after_date(item, settings, end) else {
        return out;
    };
    if !data_between(bundle, item.adopted_on, after) {
        return out;
    }
    let before = transition_at(bundle, settings, item.adopted_on);
    let later = transition_at(bundle, settings, after);
    out.strength_before = before.metrics.strength.map(round4);
    out.strength_after = later.metrics.strength.map(round4);
    out.measured_gain = match (before.metrics.strength, later.metrics.strength) {
        (Some(b), Some(a)) => Some(round4(a - b)),
        _ => None,
    };
    let align_of = |t: &TransitionAt, id: &str| {
        t.prep
            .actor_index(id)
            .and_then(|i| t.align.get(i as usize).copied().flatten())
    };
    for target in &item.targets {
        let change = match (align_of(&before, target), align_of(&later, target)) {
            (Some(b), Some(a)) => Some(round4(a - b)),
            _ => None,
        };
        out.alignment_change.insert(target.clone(), change);
    }
    out
}

/// Every plan item's effect, in id order.
pub fn plan_effects(bundle: &Bundle, settings: &Settings, end: Option<Date>) -> Vec<PlanEffect> {
    let mut items: Vec<&PlanItem> = bundle.plan.iter().collect();
    items.sort_by(|a, b| a.id.cmp(&b.id));
    items
        .into_iter()
        .map(|p| plan_effect(bundle, settings, p, end))
        .collect()
}

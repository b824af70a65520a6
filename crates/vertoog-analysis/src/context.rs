//! The [`Context`]: every intermediate result computed from (bundle, settings, window) that
//! the later passes (gaps, simulation, actions, what-if, graph exports) reuse: the prepared
//! map, the discourse network w, the structural graph, alignment, the groups and dominance.

use std::collections::BTreeMap;

use vertoog_model::{Bundle, Settings};

use crate::discourse::{discourse_network, pair_w, DiscourseNetwork};
use crate::graph::{structural_graph, Csr};
use crate::metrics::{
    alignment, classify, dominance, narrative_support, set_metrics, Alignment, MetricInputs,
    Metrics, SetStructure,
};
use crate::prepare::{Prepared, Window};

/// Everything computed from (bundle, settings, window) before the report is assembled.
/// Gaps, actions and what-if use it to look up positions, w, ties and alignment, and to
/// recompute T's metrics after a change without recomputing the coalitions.
pub struct Context<'a> {
    pub bundle: &'a Bundle,
    pub settings: &'a Settings,
    pub window: Window,
    pub prep: Prepared,
    pub discourse: std::sync::Arc<DiscourseNetwork>,
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
        let base = Groundwork::new(bundle, settings, window);
        let discourse = discourse_network(&base.prep, settings.max_pairs, settings.knn_k);
        base.with(bundle, settings, window, discourse.into())
    }

    /// The engagement date E ([`crate::relationships::engagement_end`]), with the bundle's
    /// latest date read once when the map was prepared.
    pub fn engagement_end(&self) -> Option<vertoog_model::Date> {
        crate::relationships::end_given(self.settings, self.window, || self.prep.latest_date)
    }

    /// w(a, b) of docs/method.md §2, exact (by merging position lists).
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

/// Everything of a [`Context`] but the discourse network: what the structure of the whole
/// graph and of T needs, so that it can be computed beside the network.
pub(crate) struct Groundwork {
    pub(crate) prep: Prepared,
    pub(crate) structural: Csr,
    pub(crate) alignment: Vec<Option<f64>>,
    pub(crate) groups: Alignment,
    pub(crate) dominance: BTreeMap<u32, Option<f64>>,
}

impl Groundwork {
    pub(crate) fn new(bundle: &Bundle, settings: &Settings, window: Window) -> Self {
        Self::beside(bundle, settings, window, |_| ()).0
    }

    /// [`Groundwork::new`], with `side` computed on the prepared map beside the rest (the
    /// structural graph, alignment and dominance).
    pub(crate) fn beside<R: Send>(
        bundle: &Bundle,
        settings: &Settings,
        window: Window,
        side: impl FnOnce(&Prepared) -> R + Send,
    ) -> (Self, R) {
        let prep = Prepared::new(bundle, window);
        let ((structural, alignment, groups, dominance), r) = rayon::join(
            || {
                let structural = structural_graph(&prep);
                let alignment = alignment(&prep);
                let groups = classify(&alignment, settings.threshold);
                (structural, alignment, groups, dominance(&prep))
            },
            || side(&prep),
        );
        let base = Groundwork {
            prep,
            structural,
            alignment,
            groups,
            dominance,
        };
        (base, r)
    }

    pub(crate) fn with<'a>(
        self,
        bundle: &'a Bundle,
        settings: &'a Settings,
        window: Window,
        discourse: std::sync::Arc<DiscourseNetwork>,
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

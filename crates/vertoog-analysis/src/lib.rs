//! Every computation of analysis.md, as pure functions of (map data, settings, time window):
//! no I/O, no clock, no unseeded randomness. Same input, same output.
//!
//! Entry point: [`analyse`] gives the [`Analysis`] whose JSON is `analyse --json`
//! (interfaces.md); [`text_report`] renders it for people. The steps, each in its module:
//! - [`prepare`]: the time window, dense indices (actors and narratives in id order), p(a,n);
//! - [`discourse`]: the signed discourse network w (section 2), sparse; kNN above `max_pairs`
//!   (section 10);
//! - [`leiden`] and [`coalitions`]: signed modularity and its maximisation, the basis network,
//!   storylines (section 3);
//! - [`metrics`]: alignment, T, dominance, the coalition metrics and strength (sections 4, 5);
//! - [`graph`] and [`centrality`]: components, bridges, articulation points, critical
//!   brokers, clustering, betweenness, constraint, effective size (sections 5, 6);
//! - [`gaps`] and [`actions`]: sections 7 and 8 (gaps with evidence and messages; actions
//!   with their simulated gain);
//! - [`whatif`]: hypothetical changes, the analysis after them, and the fast path that
//!   recomputes only T's metrics for an action's expected gain (sections 8, 9);
//! - [`dynamics`]: coalitions per moving window, lineages, events and `diff` (dynamics.md);
//! - [`timeline`]: T at the end of each month, quarter or year (section 9);
//! - [`stakeholders`]: power/interest quadrant, salience, engagement gap (stakeholder.md);
//! - [`i18n`]: the Dutch and English message catalogue;
//! - [`nmi`]: normalised mutual information, for tests and benchmarks against planted groups.
//!
//! Architecture invariant: this crate never does I/O, never reads the clock or the
//! environment. Threads (rayon) are used for the rows of w, Leiden's passes, betweenness and
//! to run coalition detection beside the structure; every parallel sum is split and reduced
//! in a fixed order, so results do not depend on the number of threads or the machine.

pub mod actions;
pub mod analysis;
pub mod centrality;
pub mod coalitions;
pub mod discourse;
pub mod dna_networks;
pub mod dynamics;
pub mod gaps;
pub mod graph;
pub mod i18n;
pub mod leiden;
pub mod metrics;
pub mod nmi;
pub mod polarization;
pub mod prepare;
pub mod prng;
pub mod report;
pub mod stakeholders;
pub mod timeline;
pub mod whatif;

pub use actions::{action_changes, Action, ActionKind};
pub use analysis::{
    analyse, analyse_lang, context_and_analysis, Analysis, Coalition, Context, Structure,
    Transition,
};
pub use coalitions::StorylineEntry;
pub use dynamics::{diff, dynamics, Diff, Dynamics, WindowLength};
pub use gaps::{Gap, GapType};
pub use i18n::Lang;
pub use metrics::Metrics;
pub use nmi::nmi;
pub use prepare::Window;
pub use report::text_report;
pub use stakeholders::{Quadrant, Salience, Stakeholder};
pub use timeline::{timeline, timeline_csv, Period, Timeline, TimelinePoint};
pub use whatif::{
    whatif, whatif_from, whatif_lang, Change, ChangeError, Changes, Difference, WhatIf,
};

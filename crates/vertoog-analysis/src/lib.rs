//! Every computation of docs/method.md, as pure functions of (map data, settings, time window):
//! no I/O, no clock, no unseeded randomness. Same input, same output.
//!
//! Entry point: [`analyse`] gives the [`Analysis`] whose JSON is `analyse --json`
//! (docs/interfaces.md); [`text_report`] renders it for people.
//!
//! # Layers
//!
//! Read the crate from the bottom up. A module uses only modules of a lower layer (or its
//! own); the test `tests/analysis/layers.rs` parses the `use crate::...` lines of every module and
//! fails on an upward or sideways use. ARCHITECTURE.md shows the same table.
//!
//! | layer | modules | what |
//! | --- | --- | --- |
//! | 0 | [`prng`], [`nmi`], [`i18n`] | seeded random numbers, NMI, the nl/en message catalogue |
//! | 1 | [`prepare`], [`dna`] | time window, dense indices, p(a,n); DNA's networks and polarization (docs/method.md §13) |
//! | 2 | [`graph`] | the sparse weighted graph (CSR, a petgraph graph: it implements petgraph's `visit` traits), components (petgraph's union-find), bridges, articulation points |
//! | 3 | [`centrality`], [`discourse`], [`leiden`] | betweenness, constraint; the signed discourse network w (section 2); signed-modularity Leiden |
//! | 4 | [`metrics`], [`stakeholders`], [`structure`] | alignment, T, dominance, coalition metrics and strength (4, 5); quadrants and salience; the reported structure (6) |
//! | 5 | [`coalitions`], [`relationships`] | detected coalitions with storylines and metrics (3); relationship health per actor from the contact log |
//! | 6 | [`context`], [`coalition_view`] | every intermediate result later passes reuse; coalition names and the coalition x narrative matrix |
//! | 7 | [`gaps`], [`changes`] | the gap rules, one file per family (7); hypothetical changes, validated and applied |
//! | 8 | [`simulation`] | the hot what-if loop: T's metrics after changes, without rebuilding the map |
//! | 9 | [`actions`] | actions with their simulated gain (8) |
//! | 10 | [`plans`], [`effect`] | several actions together and the best plan within a budget (11); the measured effect of done plan items |
//! | 11 | [`analyse`](mod@analyse) | the whole analysis |
//! | 12 | [`whatif`], [`timeline`], [`report`] | the what-if operation (9), T over time, the text report |
//! | 13 | [`dynamics`] | coalitions per moving window, lineages, events and `diff` (docs/method.md) |
//!
//! Architecture invariant: this crate never does I/O, never reads the clock or the
//! environment. Threads (rayon) are used for the rows of w, Leiden's passes, betweenness and
//! to run coalition detection beside the structure; every parallel sum is split and reduced
//! in a fixed order, so results do not depend on the number of threads or the machine.

// Layer 0
pub mod i18n;
pub mod nmi;
pub mod prng;
// Layer 1
pub mod dna;
pub mod prepare;
// Layer 2
pub mod graph;
// Layer 3
pub mod centrality;
pub mod discourse;
pub mod leiden;
// Layer 4
pub mod metrics;
pub mod stakeholders;
pub mod structure;
// Layer 5
pub mod coalitions;
pub mod relationships;
// Layer 6
pub mod coalition_view;
pub mod context;
// Layer 7
pub mod changes;
pub mod gaps;
// Layer 8
pub mod simulation;
// Layer 9
pub mod actions;
// Layer 10
pub mod effect;
pub mod plans;
// Layer 11
pub mod analyse;
// Layer 12
pub mod report;
pub mod timeline;
pub mod whatif;
// Layer 13
pub mod dynamics;

pub use actions::{Action, ActionKind};
pub use analyse::{
    analyse, analyse_lang, context_and_analysis, context_and_analysis_carrying, Analysis, Carried,
    CarriedDiscourse, Transition,
};
pub use changes::{Change, ChangeError, Changes};
pub use coalition_view::{CoalitionMatrix, NameSource};
pub use coalitions::{Coalition, StorylineEntry};
pub use context::Context;
pub use discourse::DiscourseNetwork;
pub use dynamics::{diff, dynamics, Diff, Dynamics, WindowLength};
pub use effect::{plan_effect, plan_effects, PlanEffect};
pub use gaps::{Gap, GapType};
pub use i18n::Lang;
pub use metrics::Metrics;
pub use nmi::nmi;
pub use plans::{adopt, best_plan, simulate_plan, BestPlan, PlanSimulation, PlanStep};
pub use prepare::Window;
pub use relationships::{engagement_end, ContactStatus, Relationship};
pub use report::text_report;
pub use stakeholders::{Quadrant, Salience, Stakeholder};
pub use structure::Structure;
pub use timeline::{timeline, timeline_csv, Period, Timeline, TimelinePoint};
pub use whatif::{action_changes, whatif, whatif_from, whatif_lang, Difference, WhatIf};

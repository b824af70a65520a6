//! Gaps (docs/method.md §7, and `engagement-gap` of docs/method.md §12): typed findings with
//! a severity, subjects, evidence (the numbers and ids behind them, typed per gap type in
//! [`evidence`], a JSON object in the output) and a
//! plain-language message that names the actors, in the language asked.
//!
//! Decisions where the spec is silent (also in the report of issue 5):
//! - Without a core narrative there is no alignment and no T, so no gaps (docs/interfaces.md §8).
//! - Sorting: severity (high first), then the influence the gap concerns (evidence
//!   `influence`, high first), then the first subject, then the type. Ids `g1, g2, ...`
//!   follow that order. The influence a gap concerns: Σ infl of its actor subjects; for a
//!   bridge the influence on its smaller side; for a broker the influence of the parts it
//!   holds together except the largest; for `missing-domain` Σ infl of the domain's actors in
//!   the map; for `weak-domain` Σ infl of the domain's members in T; for a narrative Σ infl of
//!   the actors with a non-zero position on it; for `fragmented-coalition` Σ infl outside the
//!   largest component.
//! - `latent-ally`: "no path of length <= 2 in ties" is read on the structural graph of the
//!   whole map (no direct tie and no common tie partner, supporter or not).
//! - `isolated-supporter` and `fragmented-coalition` need |T| >= 2.
//! - `broker-dependency`: every articulation point of G_T (evidence says whether it is also a
//!   critical broker, which lowers connectedness).
//! - `unchampioned-narrative`: a champion of core narrative n is a member of T with influence
//!   >= `champion_influence` and p(a,n) > 0.
//! - `dormant`: the window's end E is the window's `to`, else the latest stance date or tie
//!   `since` date in the map (never the clock; a tie's `until` can lie in the future, so it
//!   does not set E). The cutoff is E minus `dormant_months` calendar months. An actor's
//!   activity dates are its stance dates in the window and the `since` and `until` dates (up
//!   to E) of its ties active in the window. A member of T is dormant when it has at least one
//!   activity date and the latest is before the cutoff (an actor with only undated data is
//!   never dormant: nothing says when). A tie of G_T (pair of members) is dormant when every
//!   non-conflict tie between the two has a `since` before the cutoff and no `until` in
//!   [cutoff, E], neither actor has a stance dated in [cutoff, E], and neither is reported
//!   dormant itself. No dates in the map: no dormant gaps.

//!
//! One file per rule family: [`domains`], [`ties`] (of G_T), [`positions`] (swing actors,
//! opponents, engagement), [`narratives`], [`dormant`]; [`transition_graph`] is G_T with its
//! depth-first forest.

mod domains;
mod dormant;
mod engagement;
pub mod evidence;
mod narratives;
mod positions;
mod ties;
pub(crate) mod transition_graph;

use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::i18n::Lang;
use crate::stakeholders::Stakeholder;
use crate::structure::Structure;

pub(crate) use evidence::two_decimals;
pub use evidence::Evidence;
pub(crate) use transition_graph::TransitionGraph;

/// The gap types of docs/method.md §7 and docs/method.md §12, serialised in kebab-case
/// (`missing-domain`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GapType {
    MissingDomain,
    WeakDomain,
    LatentAlly,
    IsolatedSupporter,
    Bridge,
    BrokerDependency,
    FragmentedCoalition,
    SwingActor,
    StrongOpponent,
    NegativeDominance,
    UnchampionedNarrative,
    Dormant,
    EngagementGap,
    OverdueCommitment,
    ContactOverdue,
}

impl GapType {
    /// Every type, in declaration order.
    pub const ALL: [GapType; 15] = [
        GapType::MissingDomain,
        GapType::WeakDomain,
        GapType::LatentAlly,
        GapType::IsolatedSupporter,
        GapType::Bridge,
        GapType::BrokerDependency,
        GapType::FragmentedCoalition,
        GapType::SwingActor,
        GapType::StrongOpponent,
        GapType::NegativeDominance,
        GapType::UnchampionedNarrative,
        GapType::Dormant,
        GapType::EngagementGap,
        GapType::OverdueCommitment,
        GapType::ContactOverdue,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            GapType::MissingDomain => "missing-domain",
            GapType::WeakDomain => "weak-domain",
            GapType::LatentAlly => "latent-ally",
            GapType::IsolatedSupporter => "isolated-supporter",
            GapType::Bridge => "bridge",
            GapType::BrokerDependency => "broker-dependency",
            GapType::FragmentedCoalition => "fragmented-coalition",
            GapType::SwingActor => "swing-actor",
            GapType::StrongOpponent => "strong-opponent",
            GapType::NegativeDominance => "negative-dominance",
            GapType::UnchampionedNarrative => "unchampioned-narrative",
            GapType::Dormant => "dormant",
            GapType::EngagementGap => "engagement-gap",
            GapType::OverdueCommitment => "overdue-commitment",
            GapType::ContactOverdue => "contact-overdue",
        }
    }
}

/// A typed finding: `{"id": "g1", "type": TYPE, "severity": 1..3, "subjects": [...],
/// "evidence": {...}, "message": TEXT}` (docs/interfaces.md).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// `g1`, `g2`, ... in the order of the sorted list.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: GapType,
    /// 1 low .. 3 high.
    pub severity: u8,
    /// Actor ids (a tie: its two actors in id order; a component: its actors), a domain, or a
    /// narrative id.
    pub subjects: Vec<String>,
    /// The numbers and ids behind the finding (a JSON object, typed per gap type); always has
    /// `influence`, the influence the gap concerns (the second sort key).
    pub evidence: Evidence,
    /// Plain-language message that names the actors.
    pub message: String,
}

impl Gap {
    /// The `influence` of the evidence (rounded).
    pub fn influence(&self) -> f64 {
        self.evidence.influence()
    }
}

/// A gap before sorting and numbering, with its unrounded influence (the sort key).
pub(crate) struct Finding {
    kind: GapType,
    severity: u8,
    subjects: Vec<String>,
    evidence: Evidence,
    message: String,
    influence: f64,
}

/// What every rule family reads: the context, the language and each actor's group.
pub(crate) struct Scope<'c, 'a> {
    ctx: &'c Context<'a>,
    lang: Lang,
    /// Per actor: 1 supporter, 2 opponent, 3 undecided, 4 silent, 0 none.
    group: Vec<u8>,
}

/// Detects the gaps of docs/method.md §7 (and `engagement-gap`), sorted and numbered, from the
/// context, the structure of G_T (`t_structure`) and the stakeholder rows.
pub fn detect(
    ctx: &Context<'_>,
    t_structure: &Structure,
    stakeholders: &[Stakeholder],
    lang: Lang,
) -> Vec<Gap> {
    let prep = &ctx.prep;
    if !prep.narratives.iter().any(|n| n.core) {
        return Vec::new();
    }
    let mut group = vec![0u8; prep.n_actors()];
    for (g, list) in [
        (1, &ctx.groups.supporters),
        (2, &ctx.groups.opponents),
        (3, &ctx.groups.undecided),
        (4, &ctx.groups.silent),
    ] {
        for &a in list {
            group[a as usize] = g;
        }
    }
    let scope = Scope { ctx, lang, group };
    let mut raw: Vec<Finding> = Vec::new();
    domains::domains(&scope, &mut raw);
    let tg = TransitionGraph::new(ctx);
    ties::ties(&scope, &tg, t_structure, &mut raw);
    positions::swing_and_opponents(&scope, &mut raw);
    narratives::narratives(&scope, &mut raw);
    dormant::dormant(ctx, &tg, lang, &mut raw);
    positions::engagement(&scope, stakeholders, &mut raw);
    engagement::engagement(ctx, lang, &mut raw);

    raw.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then(y.influence.total_cmp(&x.influence))
            .then_with(|| x.subjects.first().cmp(&y.subjects.first()))
            .then(x.kind.cmp(&y.kind))
            .then_with(|| x.subjects.cmp(&y.subjects))
    });
    raw.into_iter()
        .enumerate()
        .map(|(i, r)| Gap {
            id: format!("g{}", i + 1),
            kind: r.kind,
            severity: r.severity,
            subjects: r.subjects,
            evidence: r.evidence,
            message: r.message,
        })
        .collect()
}

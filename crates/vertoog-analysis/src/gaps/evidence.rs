//! The evidence of a gap as typed data: one struct per gap type (two for `dormant`: an actor
//! or a tie). It serialises to the JSON object of docs/interfaces.md: the fields are declared in
//! alphabetical order, the order in which the object's keys have always been written, and
//! every one has `influence`, the influence the gap concerns (the second sort key).
//! Numbers are rounded to 4 decimals ([`round4`]) where they are computed.

use serde::{Deserialize, Serialize};
use vertoog_model::Date;

use crate::stakeholders::Quadrant;

/// A number rounded for evidence and messages: 4 decimals in evidence keeps JSON readable.
pub(crate) fn round4(x: f64) -> f64 {
    // `+ 0.0` turns the -0.0 of an empty f64 sum into 0.
    (x * 10_000.0).round() / 10_000.0 + 0.0
}

/// Two decimals, for messages.
pub(crate) fn two_decimals(x: f64) -> String {
    format!("{x:.2}")
}

/// The evidence of one gap; the variant follows the gap's type. Untagged: the JSON is the
/// inner object, and reading it back picks the one variant whose fields it has exactly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Evidence {
    MissingDomain(MissingDomain),
    WeakDomain(WeakDomain),
    LatentAlly(LatentAlly),
    IsolatedSupporter(IsolatedSupporter),
    FragmentedCoalition(FragmentedCoalition),
    Bridge(Bridge),
    BrokerDependency(BrokerDependency),
    SwingActor(SwingActor),
    StrongOpponent(StrongOpponent),
    NegativeDominance(NegativeDominance),
    UnchampionedNarrative(UnchampionedNarrative),
    DormantActor(DormantActor),
    DormantTie(DormantTie),
    EngagementGap(EngagementGap),
    OverdueCommitment(OverdueCommitment),
    ContactOverdue(ContactOverdue),
}

impl Evidence {
    /// The influence the gap concerns (rounded).
    pub fn influence(&self) -> f64 {
        match self {
            Evidence::MissingDomain(e) => e.influence,
            Evidence::WeakDomain(e) => e.influence,
            Evidence::LatentAlly(e) => e.influence,
            Evidence::IsolatedSupporter(e) => e.influence,
            Evidence::FragmentedCoalition(e) => e.influence,
            Evidence::Bridge(e) => e.influence,
            Evidence::BrokerDependency(e) => e.influence,
            Evidence::SwingActor(e) => e.influence,
            Evidence::StrongOpponent(e) => e.influence,
            Evidence::NegativeDominance(e) => e.influence,
            Evidence::UnchampionedNarrative(e) => e.influence,
            Evidence::DormantActor(e) => e.influence,
            Evidence::DormantTie(e) => e.influence,
            Evidence::EngagementGap(e) => e.influence,
            Evidence::OverdueCommitment(e) => e.influence,
            Evidence::ContactOverdue(e) => e.influence,
        }
    }
}

/// `missing-domain`: no member of T in a required domain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingDomain {
    /// How many actors of the domain the map has.
    pub actors_in_map: usize,
    /// Up to 5 actors of the domain that are not opponents, most influential first.
    pub candidates: Vec<String>,
    pub domain: String,
    /// Σ infl of the domain's actors in the map.
    pub influence: f64,
}

/// `weak-domain`: the domain's members in T are all below `weak_domain_influence`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeakDomain {
    pub domain: String,
    /// Σ infl of the domain's members in T.
    pub influence: f64,
    pub max_influence: f64,
    pub members: Vec<String>,
    pub threshold: f64,
}

/// `latent-ally`: two members of T that agree (w) without a tie or a common tie partner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatentAlly {
    pub influence: f64,
    pub w: f64,
}

/// `isolated-supporter`: a member of T without ties to other members.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IsolatedSupporter {
    pub influence: f64,
    pub ties_outside_coalition: usize,
}

/// `fragmented-coalition`: G_T has more than one component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FragmentedCoalition {
    pub components: Vec<Vec<String>>,
    pub count: usize,
    /// Σ infl outside the largest component.
    pub influence: f64,
    pub largest: usize,
}

/// `bridge`: a tie of G_T whose removal splits its component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bridge {
    /// The influence on the smaller side.
    pub influence: f64,
    pub side_influence: [f64; 2],
    pub side_sizes: [u32; 2],
    pub weight: Option<f64>,
}

/// `broker-dependency`: an articulation point of G_T.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokerDependency {
    pub betweenness: Option<f64>,
    /// Whether it is also a critical broker (lowers connectedness).
    pub critical: bool,
    /// The influence of the parts it holds together except the largest, and its own.
    pub influence: f64,
    pub part_sizes: Vec<u32>,
    pub parts: usize,
}

/// The group of a swing actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SwingGroup {
    Undecided,
    Silent,
}

/// `swing-actor`: an influential undecided or silent actor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwingActor {
    pub align: Option<f64>,
    pub group: SwingGroup,
    pub influence: f64,
}

/// `strong-opponent`: an influential opponent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrongOpponent {
    pub align: Option<f64>,
    pub influence: f64,
}

/// `negative-dominance`: opposition outweighs support on a core narrative.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegativeDominance {
    /// Up to 5 actors against it, most influential first.
    pub against: Vec<String>,
    pub dominance: f64,
    /// Σ infl of the actors with a non-zero position on the narrative.
    pub influence: f64,
    pub opposition: f64,
    pub support: f64,
}

/// `unchampioned-narrative`: no influential member of T carries a core narrative.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnchampionedNarrative {
    pub best: Option<String>,
    pub best_influence: Option<f64>,
    pub carriers: usize,
    pub influence: f64,
    pub threshold: f64,
}

/// `dormant` of a member of T.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DormantActor {
    pub cutoff: Date,
    pub influence: f64,
    pub last_activity: Date,
    pub months: u32,
    pub window_end: Date,
}

/// `dormant` of a tie between two members of T.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DormantTie {
    pub cutoff: Date,
    pub influence: f64,
    pub months: u32,
    /// The latest `since` of the ties, `""` when none is dated.
    pub since: String,
    pub ties: Vec<String>,
    pub window_end: Date,
}

/// `overdue-commitment` (engagement): a commitment past its due date, not done or dropped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverdueCommitment {
    pub commitment: String,
    pub days_late: i64,
    pub direction: vertoog_model::Direction,
    pub due: Date,
    pub influence: f64,
}

/// `contact-overdue` (engagement): relationship status `overdue` or `never`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactOverdue {
    pub cadence_days: u32,
    pub influence: f64,
    pub last_contact: Option<Date>,
    pub quadrant: Quadrant,
    pub status: crate::relationships::ContactStatus,
}

/// `engagement-gap` (docs/method.md §12).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngagementGap {
    pub align: Option<f64>,
    pub engagement_gap: f64,
    pub influence: f64,
    pub quadrant: Quadrant,
    pub target_position: i8,
}

//! Command-line arguments (docs/interfaces.md §1). Names here are a contract with users' scripts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

// The names of the domain values the flags take, as the JSON, the HTTP API and the files
// write them (the test at the end checks each against the domain type).
const AGGREGATIONS: &[&str] = &["ignore", "congruence", "conflict", "subtract", "combine"];
const BASES: &[&str] = &["discourse", "ties", "combined"];
const BRIEF_FORMATS: &[&str] = &["pdf", "docx", "html"];
const DUPLICATES: &[&str] = &[
    "include",
    "document",
    "week",
    "month",
    "year",
    "acrossrange",
];
const LANGS: &[&str] = &["nl", "en"];
const MODES: &[&str] = &["twomode", "onemode"];
const NORMALIZATIONS: &[&str] = &[
    "no",
    "average",
    "jaccard",
    "cosine",
    "activity",
    "prominence",
];
const PERIODS: &[&str] = &["month", "quarter", "year"];
const PLAN_STATUSES: &[&str] = &["planned", "in-progress", "done", "dropped"];
const ROLES: &[&str] = &["viewer", "editor", "admin"];

/// A value parser straight into a domain type: `--help` lists `names` and a value outside
/// them is a usage error (exit 2) that lists them; `parse` is the domain type's own (the
/// names are the ones the JSON, the HTTP API and the files use; a test checks that each
/// parses).
fn domain<T: Clone + Send + Sync + 'static>(
    names: &'static [&'static str],
    parse: fn(&str) -> Option<T>,
) -> impl clap::builder::TypedValueParser<Value = T> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(names).try_map(move |s: String| {
        parse(&s).ok_or_else(|| format!("`{s}` is not one of {}", names.join(", ")))
    })
}

#[derive(Parser, Debug)]
#[command(
    name = "vertoog",
    version,
    about = "Map the discourse coalitions around a transition: who supports which storyline, \
             how strong and broad the coalition is, where it is weak, and what to do about it.",
    long_about = None,
    after_help = "The store is a folder: --store, else $VERTOOG_STORE, else ./vertoog-data.\n\
                  Exit codes: 0 success, 1 runtime error, 2 usage or input error.\n\
                  Start with `vertoog serve --demo` and open the printed address."
)]
pub struct Cli {
    /// Store folder (created when absent).
    #[arg(
        long,
        global = true,
        env = "VERTOOG_STORE",
        default_value = "vertoog-data"
    )]
    pub store: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create, list or delete maps (one map per transition or programme).
    #[command(subcommand)]
    Map(MapCommand),
    /// Import a CSV bundle, a JSON bundle or a Discourse Network Analyzer database into a map.
    ///
    /// An import is atomic: it succeeds whole or changes nothing. Every error of every file is
    /// reported with file, line and field. A name that resembles an existing actor's stops the
    /// import unless --on-duplicate says keep or merge.
    Import(ImportArgs),
    /// Export a map: json and csv bundles (lossless), dot, svg, png, graphml, gexf diagrams.
    Export(ExportArgs),
    /// Analyse a map: coalitions, the transition coalition's strength, weak links, gaps, actions.
    Analyse(AnalyseArgs),
    /// Discourse networks as the Discourse Network Analyzer computes them.
    Network(NetworkArgs),
    /// DNA's polarization score of a map and the partition that attains it.
    Polarization(PolarizationArgs),
    /// The transition coalition over time, one point per period.
    Timeline(TimelineArgs),
    /// Coalitions per moving window, their lineages, and who joined, left or changed sides.
    Dynamics(DynamicsArgs),
    /// What changed between two dates: strength, classes, coalitions, ties, stances, gaps.
    Diff(DiffArgs),
    /// Analyse hypothetical changes (a CHANGES.json file) without storing anything.
    Whatif(WhatifArgs),
    /// The activation plan: adopt actions of the analysis, list the plan with the simulated
    /// and measured gains, set a plan item's status; `plan best`: the best plan within an
    /// effort budget.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Relationship health per actor (last contact, cadence, status), due and overdue first,
    /// with the open commitments both ways.
    Contacts(ContactsArgs),
    /// Coalitions: give a detected coalition a name that is kept while its members stay.
    #[command(subcommand)]
    Coalition(CoalitionCommand),
    /// A brief to read and forward: the coalition brief (1-3 A4 pages) or, with --actor, the
    /// actor brief (1 page), as PDF, DOCX (Word) or self-contained HTML.
    Brief(BriefArgs),
    /// Merge actor OTHER_ID into KEEP_ID: stances and ties move, OTHER's name becomes an alias.
    Merge(MergeArgs),
    /// The map's change log: who changed what, and when.
    Log(LogArgs),
    /// Revert the last write to a map, or every write after log entry --to.
    Undo(UndoArgs),
    /// Write a consistent snapshot of the whole store (maps, logs, token hashes) to a file.
    Backup(BackupArgs),
    /// Restore a snapshot written by `backup` into an empty store.
    Restore(RestoreArgs),
    /// Erase a person completely: the actor, its stances and ties, and its change-log entries.
    Erase(EraseArgs),
    /// Rewrite the store into fresh files: frees the space of old versions and removes old
    /// bytes (of erased persons, too) that the store's files still hold. Stop `vertoog serve`
    /// first. Interrupted, it leaves the old or the complete new store, never a mix.
    Compact,
    /// Manage access tokens for the web server.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Generate a CSV bundle of a scale class with planted coalitions (+ planted.csv).
    Generate(GenerateArgs),
    /// Start the web UI and JSON API.
    Serve(ServeArgs),
}

#[derive(Subcommand, Debug)]
pub enum MapCommand {
    /// Create an empty map.
    Create {
        /// Map id: a-z, 0-9 and -, starting with a letter or digit.
        id: String,
        /// Display name (defaults to the id).
        #[arg(long)]
        name: Option<String>,
    },
    /// List the maps of the store.
    List {
        /// JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Delete a map with all its data and log.
    Delete { id: String },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    Csv,
    Json,
    Dna,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnDuplicate {
    /// Stop and report the near-duplicate names (default).
    Stop,
    /// Keep both actors.
    Keep,
    /// Merge the imported actor into the existing one.
    Merge,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DnaActor {
    Organization,
    Person,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[arg(long)]
    pub map: String,
    /// Create the map when it does not exist.
    #[arg(long)]
    pub create: bool,
    /// Input format; by default it follows from the file extension or folder content.
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    #[arg(long, value_enum, default_value = "stop")]
    pub on_duplicate: OnDuplicate,
    /// DNA statement type to import.
    #[arg(long, default_value = "DNA Statement")]
    pub dna_statement_type: String,
    /// Which DNA variable becomes the actors.
    #[arg(long, value_enum, default_value = "organization")]
    pub dna_actor: DnaActor,
    /// A CSV bundle folder may hold other files: name them as warnings and import the
    /// known ones (without this flag they are errors, so a misnamed file never drops data).
    #[arg(long)]
    pub ignore_unknown_files: bool,
    /// A folder with a CSV bundle, single CSV files named by entity (actors.csv, ...),
    /// a JSON bundle, or a DNA .dna database.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Csv,
    Dot,
    Svg,
    Png,
    Graphml,
    Gexf,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewArg {
    /// Actors and their ties.
    Structure,
    /// The signed discourse network: agreement and conflict between actors.
    Discourse,
    /// Actors grouped by detected coalition.
    Coalitions,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayoutArg {
    Dot,
    Neato,
    Sfdp,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[arg(long)]
    pub map: String,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    #[arg(long, value_enum, default_value = "structure")]
    pub view: ViewArg,
    /// Graphviz layout program for svg and png; default: dot, or sfdp for large maps (the
    /// HTTP export's rule, docs/interfaces.md §1).
    #[arg(long, value_enum)]
    pub layout: Option<LayoutArg>,
    /// Discourse view: leave out edges with |w| below this (DOT, SVG, PNG, GraphML, GEXF
    /// alike); default 0.1, raised for an image so that at most 2,000 edges are drawn.
    #[arg(long)]
    pub threshold: Option<f64>,
    /// GraphML and GEXF: give each edge its own direction in the format's own way (an
    /// undirected GraphML graph with `directed` on every edge; GEXF edges of type directed or
    /// undirected), as Gephi and graphology read it. networkx refuses such files; the default
    /// is an undirected graph with a typed `directed` edge attribute (source to target).
    #[arg(long)]
    pub mixed_direction: bool,
    /// Output file (a folder for csv); stdout when absent, for text formats.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// JSON and CSV bundles: include confidential interactions (left out by default; the
    /// local user of the CLI is the store's admin).
    #[arg(long)]
    pub include_confidential: bool,
    /// With --format gexf: a dynamic GEXF of the coalition dynamics (quarters, 4-quarter
    /// windows), nodes and edges with spells and the lineage per spell.
    #[arg(long)]
    pub dynamic: bool,
}

#[derive(Args, Debug, Clone)]
pub struct WindowArgs {
    /// Start of the time window (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// End of the time window (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
}

#[derive(Args, Debug)]
pub struct AnalyseArgs {
    #[arg(long)]
    pub map: String,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Network that coalitions are detected on.
    #[arg(long, value_parser = domain(BASES, vertoog_model::CoalitionBasis::parse))]
    pub coalition_basis: Option<vertoog_model::CoalitionBasis>,
    /// γ+ of signed modularity: higher gives more, smaller coalitions.
    #[arg(long)]
    pub resolution: Option<f64>,
    /// γ- of signed modularity.
    #[arg(long)]
    pub conflict_resolution: Option<f64>,
    /// A JSON file with settings (any subset) that override the map's settings.
    #[arg(long)]
    pub settings: Option<PathBuf>,
    /// Language of the text report.
    #[arg(long, value_parser = domain(LANGS, vertoog_analysis::Lang::parse), default_value = "en")]
    pub lang: vertoog_analysis::Lang,
    /// The full analysis as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum PlanCommand {
    /// The best plan within an effort budget: greedy on marginal gain per unit of effort,
    /// each step simulated together with the steps before it (docs/method.md §9).
    Best(PlanBestArgs),
    /// Adopt action ACTION (e.g. a3) of the current analysis into the plan: its kind,
    /// targets and rationale, the strength now and its expected gain are copied into a new
    /// plan item (they are never recomputed). Prints the plan item's id.
    Adopt(PlanAdoptArgs),
    /// The plan: every item with status, owner, due date (overdue marked), and for done
    /// items the simulated gain beside the measured change (what followed, not proof of
    /// cause).
    List(PlanListArgs),
    /// Set a plan item's status (done sets done_on to today), owner or due date.
    Set(PlanSetArgs),
}

#[derive(Args, Debug)]
pub struct PlanAdoptArgs {
    #[command(flatten)]
    pub analyse: AnalyseArgs,
    /// Id of an action of the analysis (as `analyse` prints them: a1, a2, ...).
    pub action: String,
    /// Who on the team answers for it.
    #[arg(long)]
    pub owner: Option<String>,
    /// Due date (YYYY-MM-DD).
    #[arg(long)]
    pub due: Option<String>,
}

#[derive(Args, Debug)]
pub struct PlanListArgs {
    #[command(flatten)]
    pub analyse: AnalyseArgs,
    /// Only items with this status.
    #[arg(long, value_parser = domain(PLAN_STATUSES, vertoog_model::PlanStatus::parse))]
    pub status: Option<vertoog_model::PlanStatus>,
    /// Only items of this owner.
    #[arg(long)]
    pub owner: Option<String>,
}

#[derive(Args, Debug)]
pub struct PlanSetArgs {
    #[arg(long)]
    pub map: String,
    /// Plan item id (p1, p2, ...).
    pub id: String,
    #[arg(long, value_parser = domain(PLAN_STATUSES, vertoog_model::PlanStatus::parse))]
    pub status: Option<vertoog_model::PlanStatus>,
    /// New owner.
    #[arg(long)]
    pub owner: Option<String>,
    /// New due date (YYYY-MM-DD; empty to clear).
    #[arg(long)]
    pub due: Option<String>,
    /// With --status done: the day it was done (YYYY-MM-DD; default today).
    #[arg(long)]
    pub on: Option<String>,
    /// The plan item as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ContactsArgs {
    #[command(flatten)]
    pub analyse: AnalyseArgs,
    /// Only the actors this team member met or holds a commitment with.
    #[arg(long)]
    pub owner: Option<String>,
}

#[derive(Args, Debug)]
pub struct PlanBestArgs {
    #[command(flatten)]
    pub analyse: AnalyseArgs,
    /// Effort budget: the plan's efforts (1..3 per action) add up to at most this.
    #[arg(long, default_value_t = 6)]
    pub budget: u32,
}

#[derive(Subcommand, Debug)]
pub enum CoalitionCommand {
    /// Name a detected coalition (id as in `analyse`, e.g. c2); the name is stored with the
    /// map and kept while the coalition's members overlap these by Jaccard >= 0.5. An empty
    /// NAME removes the user's name (the storyline name shows again).
    Name(CoalitionNameArgs),
}

#[derive(Args, Debug)]
pub struct CoalitionNameArgs {
    #[command(flatten)]
    pub analyse: AnalyseArgs,
    /// The coalition's id in the current analysis (c1, c2, ...).
    pub coalition: String,
    /// The name.
    pub name: String,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Json,
    Graphml,
}

#[derive(Args, Debug)]
pub struct NetworkArgs {
    #[arg(long)]
    pub map: String,
    #[arg(long, value_parser = domain(MODES, vertoog_analysis::dna::NetworkMode::parse), default_value = "twomode")]
    pub mode: vertoog_analysis::dna::NetworkMode,
    #[arg(long, value_parser = domain(AGGREGATIONS, vertoog_analysis::dna::Aggregation::parse), default_value = "ignore")]
    pub aggregation: vertoog_analysis::dna::Aggregation,
    #[arg(long, value_parser = domain(NORMALIZATIONS, vertoog_analysis::dna::Normalization::parse), default_value = "no")]
    pub normalization: vertoog_analysis::dna::Normalization,
    #[arg(long, value_parser = domain(DUPLICATES, vertoog_analysis::dna::Duplicates::parse), default_value = "include")]
    pub duplicates: vertoog_analysis::dna::Duplicates,
    #[command(flatten)]
    pub window: WindowArgs,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: TableFormat,
}

#[derive(Args, Debug)]
pub struct PolarizationArgs {
    #[arg(long)]
    pub map: String,
    /// Number of clusters.
    #[arg(long, default_value_t = 2)]
    pub k: usize,
    #[command(flatten)]
    pub window: WindowArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct TimelineArgs {
    #[arg(long)]
    pub map: String,
    #[arg(long, value_parser = domain(PERIODS, vertoog_analysis::Period::parse), default_value = "quarter")]
    pub period: vertoog_analysis::Period,
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    #[arg(long)]
    pub csv: bool,
}

#[derive(Args, Debug)]
pub struct DynamicsArgs {
    #[arg(long)]
    pub map: String,
    #[arg(long, value_parser = domain(PERIODS, vertoog_analysis::Period::parse), default_value = "quarter")]
    pub period: vertoog_analysis::Period,
    /// Window length in periods, or `all` for cumulative windows (default: 12 months,
    /// 4 quarters or 2 years).
    #[arg(long)]
    pub window: Option<String>,
    #[arg(long, value_parser = domain(LANGS, vertoog_analysis::Lang::parse), default_value = "en")]
    pub lang: vertoog_analysis::Lang,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct DiffArgs {
    #[arg(long)]
    pub map: String,
    /// The earlier date (YYYY-MM-DD).
    #[arg(long)]
    pub from: String,
    /// The later date (YYYY-MM-DD).
    #[arg(long)]
    pub to: String,
    #[arg(long, value_parser = domain(LANGS, vertoog_analysis::Lang::parse), default_value = "en")]
    pub lang: vertoog_analysis::Lang,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct BriefArgs {
    #[arg(long)]
    pub map: String,
    /// The actor brief of this actor id (without: the coalition brief).
    #[arg(long)]
    pub actor: Option<String>,
    #[arg(long, value_parser = domain(BRIEF_FORMATS, vertoog_brief::Format::parse), default_value = "pdf")]
    pub format: vertoog_brief::Format,
    #[arg(long, value_parser = domain(LANGS, vertoog_analysis::Lang::parse), default_value = "en")]
    pub lang: vertoog_analysis::Lang,
    /// "What changed since" this date (YYYY-MM-DD); default: one year before the latest
    /// dated position.
    #[arg(long)]
    pub since: Option<String>,
    /// Effort budget of the best plan.
    #[arg(long, default_value_t = 6)]
    pub budget: u32,
    #[command(flatten)]
    pub window: WindowArgs,
    /// Output file.
    #[arg(long, short = 'o')]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct WhatifArgs {
    #[arg(long)]
    pub map: String,
    /// Language of the text report and of the gap messages in the JSON.
    #[arg(long, value_parser = domain(LANGS, vertoog_analysis::Lang::parse), default_value = "en")]
    pub lang: vertoog_analysis::Lang,
    /// {"changes": [{"op": "add_tie", ...}, ...]}
    pub changes: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    #[arg(long)]
    pub map: String,
    pub keep_id: String,
    pub other_id: String,
}

#[derive(Args, Debug)]
pub struct LogArgs {
    #[arg(long)]
    pub map: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct UndoArgs {
    #[arg(long)]
    pub map: String,
    /// Revert every write after this log entry (default: only the last write).
    #[arg(long)]
    pub to: Option<u64>,
}

#[derive(Args, Debug)]
pub struct BackupArgs {
    #[arg(long)]
    pub out: PathBuf,
    /// Take the backup from this running server (http://HOST:PORT) instead of the store
    /// folder, which the server holds locked; needs an admin token in $VERTOOG_TOKEN when the
    /// server has tokens.
    #[arg(long)]
    pub server: Option<String>,
}

#[derive(Args, Debug)]
pub struct RestoreArgs {
    pub path: PathBuf,
}

#[derive(Args, Debug)]
pub struct EraseArgs {
    #[arg(long)]
    pub map: String,
    pub actor_id: String,
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token; it is printed once, alone on stdout, and stored only as a hash.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = domain(ROLES, vertoog_store::Role::parse))]
        role: vertoog_store::Role,
        /// Ask this running server (http://HOST:PORT), which holds the store, instead;
        /// needs an admin token in $VERTOOG_TOKEN when the server has tokens.
        #[arg(long)]
        server: Option<String>,
    },
    /// List token names and roles.
    List {
        #[arg(long)]
        json: bool,
        /// Ask this running server (http://HOST:PORT) instead of the store folder.
        #[arg(long)]
        server: Option<String>,
    },
    /// Revoke a token by name; it stops working at once, also in a running server.
    Revoke {
        name: String,
        /// Ask this running server (http://HOST:PORT) instead of the store folder.
        #[arg(long)]
        server: Option<String>,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassArg {
    /// 300 actors, 40 narratives, 3,000 stances, 1,500 ties.
    #[value(name = "S", alias = "s")]
    S,
    /// 5,000 actors, 500 narratives, 200,000 stances, 50,000 ties.
    #[value(name = "M", alias = "m")]
    M,
    /// 50,000 actors, 2,000 narratives, 2,000,000 stances, 500,000 ties.
    #[value(name = "L", alias = "l")]
    L,
}

#[derive(Args, Debug)]
pub struct GenerateArgs {
    #[arg(long, value_enum)]
    pub class: ClassArg,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long)]
    pub out: PathBuf,
    /// A named shape: default, skewed, sparse or dense (the options below change it further).
    #[arg(long, default_value = "default")]
    pub shape: String,
    /// Share of the narratives on each group's storyline (narratives per actor).
    #[arg(long)]
    pub storyline_share: Option<f64>,
    /// Share of an actor's stances on its group's storyline (the rest is noise).
    #[arg(long)]
    pub on_storyline: Option<f64>,
    /// Share of silent actors (no stance).
    #[arg(long)]
    pub silent: Option<f64>,
    /// Multiplier of the class's tie count.
    #[arg(long)]
    pub tie_density: Option<f64>,
    /// Share of ties inside a group.
    #[arg(long)]
    pub ties_inside: Option<f64>,
    /// Zipf exponent of the group sizes (0: equal).
    #[arg(long)]
    pub group_skew: Option<f64>,
    /// Zipf exponent of the stances over narratives (0: uniform).
    #[arg(long)]
    pub narrative_skew: Option<f64>,
    /// Zipf exponent of the stances per speaking actor (0: equal).
    #[arg(long)]
    pub activity_skew: Option<f64>,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on. Any address other than loopback needs an access token.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Load the demo map first if the store lacks it.
    #[arg(long)]
    pub demo: bool,
    /// A host name (or name:port) the server answers besides 127.0.0.1, localhost and [::1],
    /// e.g. the name users type behind a reverse proxy. Repeatable. With tokens and without
    /// this option any Host is answered; in local mode only the loopback names (and these).
    #[arg(long = "allowed-host", value_name = "HOST")]
    pub allowed_hosts: Vec<String>,
}

// The clap enums parse straight into the domain types: one mapping each, here.

impl From<ImportFormat> for vertoog_formats::Format {
    fn from(f: ImportFormat) -> Self {
        match f {
            ImportFormat::Csv => vertoog_formats::Format::Csv,
            ImportFormat::Json => vertoog_formats::Format::Json,
            ImportFormat::Dna => vertoog_formats::Format::Dna,
        }
    }
}

impl From<OnDuplicate> for vertoog_store::OnDuplicate {
    fn from(d: OnDuplicate) -> Self {
        match d {
            OnDuplicate::Stop => vertoog_store::OnDuplicate::Stop,
            OnDuplicate::Keep => vertoog_store::OnDuplicate::Keep,
            OnDuplicate::Merge => vertoog_store::OnDuplicate::Merge,
        }
    }
}

impl From<DnaActor> for vertoog_formats::dna::DnaActor {
    fn from(a: DnaActor) -> Self {
        match a {
            DnaActor::Organization => vertoog_formats::dna::DnaActor::Organization,
            DnaActor::Person => vertoog_formats::dna::DnaActor::Person,
        }
    }
}

impl From<ViewArg> for vertoog_formats::View {
    fn from(v: ViewArg) -> Self {
        match v {
            ViewArg::Structure => vertoog_formats::View::Structure,
            ViewArg::Discourse => vertoog_formats::View::Discourse,
            ViewArg::Coalitions => vertoog_formats::View::Coalitions,
        }
    }
}

impl From<LayoutArg> for vertoog_formats::dot::Layout {
    fn from(l: LayoutArg) -> Self {
        match l {
            LayoutArg::Dot => vertoog_formats::dot::Layout::Dot,
            LayoutArg::Neato => vertoog_formats::dot::Layout::Neato,
            LayoutArg::Sfdp => vertoog_formats::dot::Layout::Sfdp,
        }
    }
}

impl From<ClassArg> for vertoog_generate::Class {
    fn from(c: ClassArg) -> Self {
        match c {
            ClassArg::S => vertoog_generate::Class::S,
            ClassArg::M => vertoog_generate::Class::M,
            ClassArg::L => vertoog_generate::Class::L,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name a flag offers parses into the domain type, and every value of the domain
    /// types that list their values is offered.
    #[test]
    fn flag_names_are_the_domain_names() {
        fn check<T>(names: &[&str], parse: fn(&str) -> Option<T>, all: &[&'static str]) {
            for n in names {
                assert!(parse(n).is_some(), "`{n}` does not parse");
            }
            for a in all {
                assert!(names.contains(a), "`{a}` is not offered");
            }
        }
        check(
            AGGREGATIONS,
            vertoog_analysis::dna::Aggregation::parse,
            &vertoog_analysis::dna::Aggregation::ALL
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>(),
        );
        check(BASES, vertoog_model::CoalitionBasis::parse, &[]);
        check(BRIEF_FORMATS, vertoog_brief::Format::parse, &[]);
        check(
            DUPLICATES,
            vertoog_analysis::dna::Duplicates::parse,
            &vertoog_analysis::dna::Duplicates::ALL
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>(),
        );
        check(LANGS, vertoog_analysis::Lang::parse, &[]);
        check(
            MODES,
            vertoog_analysis::dna::NetworkMode::parse,
            &vertoog_analysis::dna::NetworkMode::ALL
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>(),
        );
        check(
            NORMALIZATIONS,
            vertoog_analysis::dna::Normalization::parse,
            &vertoog_analysis::dna::Normalization::ALL
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>(),
        );
        check(PERIODS, vertoog_analysis::Period::parse, &[]);
        check(
            PLAN_STATUSES,
            vertoog_model::PlanStatus::parse,
            &vertoog_model::PlanStatus::ALL
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>(),
        );
        check(ROLES, vertoog_store::Role::parse, &[]);
        let wrong =
            Cli::try_parse_from(["vertoog", "timeline", "--map", "m", "--period", "weekly"]);
        assert!(wrong
            .unwrap_err()
            .to_string()
            .contains("month, quarter, year"));
        let right = Cli::try_parse_from([
            "vertoog",
            "plan",
            "set",
            "--map",
            "m",
            "p1",
            "--status",
            "in-progress",
        ]);
        assert!(right.is_ok());
    }
}

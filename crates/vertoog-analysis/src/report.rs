//! The readable report of `vertoog analyse` without `--json`: the transition coalition's
//! strength with its components, the coalitions with their storylines, the weak links.

use std::collections::HashMap;
use std::fmt::Write;

use vertoog_model::Bundle;

use crate::analyse::Analysis;
use crate::i18n::text;
use crate::metrics::Metrics;

pub use crate::i18n::Lang;

/// Every fixed text of the report, per language.
struct Texts {
    title: &'static str,
    window: &'static str,
    whole_history: &'static str,
    approximate: &'static str,
    transition: &'static str,
    strength: &'static str,
    components: &'static str,
    influence_share: &'static str,
    breadth: &'static str,
    cohesion: &'static str,
    connectedness: &'static str,
    narrative_support: &'static str,
    evenness: &'static str,
    supporters: &'static str,
    opponents: &'static str,
    undecided: &'static str,
    silent: &'static str,
    no_core: &'static str,
    dominance: &'static str,
    coalitions: &'static str,
    modularity: &'static str,
    members: &'static str,
    storyline: &'static str,
    singletons: &'static str,
    weak_links: &'static str,
    t_bridges: &'static str,
    t_brokers: &'static str,
    map_bridges: &'static str,
    map_brokers: &'static str,
    top_betweenness: &'static str,
    none: &'static str,
    unpositioned: &'static str,
    gaps: &'static str,
    actions: &'static str,
    undefined: &'static str,
    estimated: &'static str,
    n_components: &'static str,
    n_bridges: &'static str,
    n_critical: &'static str,
    targets_met: &'static str,
    gaps_intro: &'static str,
    no_gaps: &'static str,
    actions_intro: &'static str,
    no_actions: &'static str,
    effort: &'static str,
    gain: &'static str,
    not_simulated: &'static str,
    answers: &'static str,
    messenger: &'static str,
    about: &'static str,
}

const EN: Texts = Texts {
    title: "Analysis of map",
    window: "Window",
    whole_history: "whole history",
    approximate: "Approximate (large map; estimated numbers)",
    transition: "Transition coalition",
    strength: "Strength",
    components: "components",
    influence_share: "influence share",
    breadth: "breadth (required domains present)",
    cohesion: "discourse cohesion",
    connectedness: "connectedness",
    narrative_support: "narrative support",
    evenness: "domain evenness",
    supporters: "Supporters",
    opponents: "Opponents",
    undecided: "Undecided",
    silent: "Silent",
    no_core: "The map has no core narrative: no alignment, so no transition coalition.",
    dominance: "Dominance per core narrative (-1 opposition .. +1 support)",
    coalitions: "Discourse coalitions",
    modularity: "signed modularity Q",
    members: "members",
    storyline: "storyline",
    singletons: "actors stand alone (a coalition of one)",
    weak_links: "Weak links",
    t_bridges: "Ties the transition coalition hangs on (bridges)",
    t_brokers: "Brokers the transition coalition hangs on",
    map_bridges: "Bridges in the whole map",
    map_brokers: "Articulation points in the whole map",
    top_betweenness: "Highest betweenness (brokers between others)",
    none: "none",
    unpositioned: "Not in any coalition (no data on the basis network)",
    gaps: "Gaps",
    actions: "Actions",
    undefined: "n/a",
    estimated: "estimated",
    n_components: "components",
    n_bridges: "bridges",
    n_critical: "critical brokers",
    targets_met: "engagement targets met",
    gaps_intro: "What weakens the transition coalition, most serious first (g1, g2, ... are referred to by the actions)",
    no_gaps: "No gaps found.",
    actions_intro: "What to do first: each action is simulated on a copy of the map; gain = change in strength (0-100), priority = gain per unit of effort (1 small .. 3 large)",
    no_actions: "No action found that would strengthen the coalition.",
    effort: "effort",
    gain: "gain",
    not_simulated: "not simulated",
    answers: "answers",
    messenger: "messenger",
    about: "about",
};

const NL: Texts = Texts {
    title: "Analyse van kaart",
    window: "Periode",
    whole_history: "hele geschiedenis",
    approximate: "Benaderd (grote kaart; geschatte getallen)",
    transition: "Transitiecoalitie",
    strength: "Sterkte",
    components: "onderdelen",
    influence_share: "aandeel in invloed",
    breadth: "breedte (vereiste domeinen aanwezig)",
    cohesion: "vertoogsamenhang",
    connectedness: "verbondenheid",
    narrative_support: "steun voor de verhalen",
    evenness: "spreiding over domeinen",
    supporters: "Voorstanders",
    opponents: "Tegenstanders",
    undecided: "Twijfelaars",
    silent: "Zwijgers",
    no_core: "De kaart heeft geen kernverhaal: geen instemming, dus geen transitiecoalitie.",
    dominance: "Dominantie per kernverhaal (-1 tegenstand .. +1 steun)",
    coalitions: "Vertoogcoalities",
    modularity: "getekende modulariteit Q",
    members: "leden",
    storyline: "verhaallijn",
    singletons: "actoren staan alleen (een coalitie van één)",
    weak_links: "Zwakke schakels",
    t_bridges: "Banden waaraan de transitiecoalitie hangt (bruggen)",
    t_brokers: "Makelaars waaraan de transitiecoalitie hangt",
    map_bridges: "Bruggen in de hele kaart",
    map_brokers: "Scharnierpunten in de hele kaart",
    top_betweenness: "Hoogste tussenpositie (makelaars tussen anderen)",
    none: "geen",
    unpositioned: "In geen coalitie (geen gegevens in het basisnetwerk)",
    gaps: "Gaten",
    actions: "Acties",
    undefined: "n.v.t.",
    estimated: "geschat",
    n_components: "onderdelen",
    n_bridges: "bruggen",
    n_critical: "kritieke makelaars",
    targets_met: "betrokkenheidsdoelen gehaald",
    gaps_intro: "Wat de transitiecoalitie verzwakt, ernstigste eerst (de acties verwijzen naar g1, g2, ...)",
    no_gaps: "Geen gaten gevonden.",
    actions_intro: "Wat eerst te doen: elke actie is gesimuleerd op een kopie van de kaart; winst = verandering van de sterkte (0-100), prioriteit = winst per eenheid inspanning (1 klein .. 3 groot)",
    no_actions: "Geen actie gevonden die de coalitie zou versterken.",
    effort: "inspanning",
    gain: "winst",
    not_simulated: "niet gesimuleerd",
    answers: "beantwoordt",
    messenger: "boodschapper",
    about: "over",
};

fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::En => &EN,
        Lang::Nl => &NL,
    }
}

fn num(x: Option<f64>, t: &Texts) -> String {
    x.map_or_else(|| t.undefined.to_string(), |v| format!("{v:.2}"))
}

fn pct(x: Option<f64>, t: &Texts) -> String {
    x.map_or_else(|| t.undefined.to_string(), |v| format!("{:.0}%", v * 100.0))
}

/// Names of the ids (the id itself when the bundle lacks it), joined, at most `max` shown.
fn names(ids: &[String], lookup: &HashMap<&str, &str>, max: usize) -> String {
    let mut out: Vec<String> = ids
        .iter()
        .take(max)
        .map(|i| lookup.get(i.as_str()).map_or(i.clone(), |n| n.to_string()))
        .collect();
    if ids.len() > max {
        out.push(format!("... (+{})", ids.len() - max));
    }
    out.join(", ")
}

/// The name of an actor id (the id itself when unknown).
fn name_of(id: &str, lookup: &HashMap<&str, &str>) -> String {
    lookup
        .get(id)
        .map_or_else(|| id.to_string(), |n| n.to_string())
}

fn metrics_lines(out: &mut String, m: &Metrics, t: &Texts, with_support: bool) {
    let _ = writeln!(
        out,
        "  {}: {} / 100",
        t.strength,
        m.strength
            .map_or_else(|| t.undefined.to_string(), |s| format!("{s:.0}"))
    );
    let _ = writeln!(out, "  {}:", t.components);
    let _ = writeln!(
        out,
        "    {}: {}",
        t.influence_share,
        pct(m.influence_share, t)
    );
    let _ = writeln!(out, "    {}: {}", t.breadth, pct(m.breadth, t));
    let _ = writeln!(out, "    {}: {}", t.cohesion, num(m.discourse_cohesion, t));
    let _ = writeln!(
        out,
        "    {}: {} ({} {}, {} {}, {} {})",
        t.connectedness,
        num(m.connectedness, t),
        m.components,
        t.n_components,
        m.bridges,
        t.n_bridges,
        m.critical_brokers,
        t.n_critical
    );
    if with_support {
        let _ = writeln!(
            out,
            "    {}: {}",
            t.narrative_support,
            num(m.narrative_support, t)
        );
    }
    let _ = writeln!(out, "    {}: {}", t.evenness, num(m.evenness, t));
}

/// A readable report of `analysis`: headline strength of the transition coalition with its
/// components, the alignment groups, dominance per core narrative, the coalitions with their
/// storylines (labels and names from `bundle`), and the weak links (bridges, brokers, highest
/// betweenness), followed by gaps and actions when there are any.
pub fn text_report(analysis: &Analysis, bundle: &Bundle, lang: Lang) -> String {
    let t = texts(lang);
    let actor_names: HashMap<&str, &str> = bundle
        .actors
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let labels: HashMap<&str, &str> = bundle
        .narratives
        .iter()
        .map(|n| (n.id.as_str(), n.label.as_str()))
        .collect();
    let label = |id: &str| labels.get(id).copied().unwrap_or(id).to_string();
    let mut out = String::new();
    let _ = writeln!(out, "{} {} ({})", t.title, bundle.map.name, analysis.map);
    let w = &analysis.window;
    let window = match (w.from, w.to) {
        (None, None) => t.whole_history.to_string(),
        (f, to) => format!(
            "{} .. {}",
            f.map_or("".into(), |d| d.to_string()),
            to.map_or("".into(), |d| d.to_string())
        ),
    };
    let _ = writeln!(out, "{}: {}", t.window, window);
    if !analysis.approximate.is_empty() {
        let _ = writeln!(
            out,
            "{}: {}",
            t.approximate,
            analysis.approximate.join(", ")
        );
    }

    let tr = &analysis.transition;
    let _ = writeln!(out, "\n== {} ==", t.transition);
    if tr.dominance.is_empty() {
        let _ = writeln!(out, "{}", t.no_core);
    }
    metrics_lines(&mut out, &tr.metrics, t, true);
    for (title, list) in [
        (t.supporters, &tr.supporters),
        (t.opponents, &tr.opponents),
        (t.undecided, &tr.undecided),
        (t.silent, &tr.silent),
    ] {
        let _ = writeln!(
            out,
            "  {} ({}): {}",
            title,
            list.len(),
            names(list, &actor_names, 12)
        );
    }
    if let Some(met) = tr.targets_met {
        let _ = writeln!(out, "  {}: {:.0}%", t.targets_met, met * 100.0);
    }
    if !tr.dominance.is_empty() {
        let _ = writeln!(out, "  {}:", t.dominance);
        for (n, d) in &tr.dominance {
            let _ = writeln!(out, "    {}: {}", label(n), num(*d, t));
        }
    }

    let _ = writeln!(
        out,
        "\n== {} ({}: {}) ==",
        t.coalitions,
        t.modularity,
        num(analysis.modularity, t)
    );
    let mut singletons = 0;
    for c in &analysis.coalitions {
        if c.members.len() < 2 {
            singletons += 1;
            continue;
        }
        let _ = writeln!(
            out,
            "{} \"{}\" ({} {}; {} {}, {} {}):",
            c.id,
            c.name,
            c.members.len(),
            t.members,
            t.strength.to_lowercase(),
            c.metrics
                .strength
                .map_or_else(|| t.undefined.to_string(), |s| format!("{s:.0}")),
            t.cohesion,
            num(c.metrics.discourse_cohesion, t)
        );
        let _ = writeln!(out, "  {}", names(&c.members, &actor_names, 10));
        let mut story: Vec<_> = c.storyline.iter().collect();
        story.sort_by(|a, b| {
            b.coverage
                .total_cmp(&a.coverage)
                .then_with(|| b.mean_position.abs().total_cmp(&a.mean_position.abs()))
                .then_with(|| a.narrative.cmp(&b.narrative))
        });
        let _ = writeln!(out, "  {}:", t.storyline);
        for s in story.iter().take(5) {
            let _ = writeln!(
                out,
                "    {:+.1} {} ({:.0}%, sd {:.1})",
                s.mean_position,
                label(&s.narrative),
                s.coverage * 100.0,
                s.sd
            );
        }
    }
    if singletons > 0 {
        let _ = writeln!(out, "{singletons} {}", t.singletons);
    }
    if !analysis.unpositioned.is_empty() {
        let _ = writeln!(
            out,
            "{} ({}): {}",
            t.unpositioned,
            analysis.unpositioned.len(),
            names(&analysis.unpositioned, &actor_names, 12)
        );
    }

    let _ = writeln!(out, "\n== {} ==", t.weak_links);
    let pair_names = |pairs: &[[String; 2]]| -> String {
        if pairs.is_empty() {
            return t.none.to_string();
        }
        pairs
            .iter()
            .take(10)
            .map(|[a, b]| {
                format!(
                    "{} - {}",
                    name_of(a, &actor_names),
                    name_of(b, &actor_names)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let list_or_none = |ids: &[String]| -> String {
        if ids.is_empty() {
            t.none.to_string()
        } else {
            names(ids, &actor_names, 10)
        }
    };
    let _ = writeln!(
        out,
        "{}: {}",
        t.t_bridges,
        pair_names(&tr.structure.bridges)
    );
    let _ = writeln!(
        out,
        "{}: {}",
        t.t_brokers,
        list_or_none(&tr.structure.critical_brokers)
    );
    let s = &analysis.structure;
    let _ = writeln!(out, "{}: {}", t.map_bridges, pair_names(&s.bridges));
    let _ = writeln!(
        out,
        "{}: {}",
        t.map_brokers,
        list_or_none(&s.articulation_points)
    );
    let mut top: Vec<(&String, &f64)> = s.betweenness.iter().filter(|(_, v)| **v > 0.0).collect();
    top.sort_by(|a, b| b.1.total_cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let _ = write!(out, "{}", t.top_betweenness);
    if !s.betweenness_exact {
        let _ = write!(out, " ({})", t.estimated);
    }
    let _ = writeln!(out, ":");
    if top.is_empty() {
        let _ = writeln!(out, "  {}", t.none);
    }
    for (id, v) in top.iter().take(5) {
        let _ = writeln!(out, "  {:.3} {}", v, name_of(id, &actor_names));
    }

    gaps_and_actions(&mut out, analysis, &actor_names, &label, lang, t);
    out.push_str(&crate::plans::report_lines(&analysis.best_plan, lang));
    out
}

/// The Gaps and Actions sections: gaps grouped by severity with their ids; actions numbered
/// in priority order with kind, targets, messenger, narrative, effort, gain, the gaps they
/// answer, the rationale and the lesson.
fn gaps_and_actions(
    out: &mut String,
    analysis: &Analysis,
    actor_names: &HashMap<&str, &str>,
    label: &dyn Fn(&str) -> String,
    lang: Lang,
    t: &Texts,
) {
    let _ = writeln!(out, "\n== {} ({}) ==", t.gaps, analysis.gaps.len());
    if analysis.gaps.is_empty() {
        let _ = writeln!(out, "{}", t.no_gaps);
    } else {
        let _ = writeln!(out, "{}.", t.gaps_intro);
        for sev in [3u8, 2, 1] {
            let list: Vec<_> = analysis.gaps.iter().filter(|g| g.severity == sev).collect();
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "{}:", text(lang, &format!("severity.{sev}")));
            for g in list {
                let _ = writeln!(out, "  {:<4} {}", g.id, g.message);
            }
        }
    }
    let _ = writeln!(out, "\n== {} ({}) ==", t.actions, analysis.actions.len());
    if analysis.actions.is_empty() {
        let _ = writeln!(out, "{}", t.no_actions);
        return;
    }
    let _ = writeln!(out, "{}.", t.actions_intro);
    for a in &analysis.actions {
        let targets = names(&a.targets, actor_names, 4);
        let mut head = format!(
            "{:<4} {}",
            a.id,
            text(lang, &format!("kind.{}", a.kind.as_str()))
        );
        if !targets.is_empty() {
            let _ = write!(head, ": {targets}");
        }
        if let Some(n) = &a.narrative {
            let _ = write!(head, " ({} “{}”)", t.about, label(n));
        }
        let gain = a
            .expected_gain
            .map_or_else(|| t.not_simulated.to_string(), |g| format!("{g:+.1}"));
        let _ = writeln!(
            out,
            "{head}\n     [{} {}, {} {}, {} {}]",
            t.effort,
            a.effort,
            t.gain,
            gain,
            t.answers,
            a.gaps.join(", ")
        );
        if let Some(m) = &a.messenger {
            let _ = writeln!(out, "     {}: {}", t.messenger, name_of(m, actor_names));
        }
        let _ = writeln!(out, "     {}", a.rationale);
        let _ = writeln!(out, "     {}", a.lesson);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyse, Window};
    use vertoog_model::{Actor, Map, Narrative, Settings, Stance, Tie, TieKind};

    #[test]
    fn report_names_actors_narratives_and_weak_links() {
        let mut b = Bundle::new(Map::new("demo"));
        b.actors = vec![
            Actor::new("bzk", "Ministerie van BZK").with_domain("ministry"),
            Actor::new("vng", "VNG").with_domain("vng"),
            Actor::new("ams", "Gemeente Amsterdam").with_domain("municipality"),
        ];
        b.narratives = vec![Narrative::new("dbd", "Digital by default", true)];
        b.stances = vec![
            Stance::new("s1", "bzk", "dbd", 2),
            Stance::new("s2", "vng", "dbd", 1),
            Stance::new("s3", "ams", "dbd", 2),
        ];
        b.ties = vec![
            Tie::new("t1", "bzk", "vng", TieKind::Collaboration),
            Tie::new("t2", "vng", "ams", TieKind::Collaboration),
        ];
        let a = analyse(&b, &Settings::default(), Window::default());
        let text = text_report(&a, &b, Lang::En);
        assert!(text.contains("Transition coalition"), "{text}");
        assert!(text.contains("Strength: "), "{text}");
        assert!(text.contains("Supporters (3): Gemeente Amsterdam, Ministerie van BZK, VNG"));
        assert!(text.contains("Digital by default"), "{text}");
        // G_T is the path BZK - VNG - Amsterdam: both ties are bridges.
        assert!(text.contains("Ministerie van BZK - VNG"), "{text}");
        assert!(text.contains("VNG"), "{text}");
        assert_eq!(Lang::parse("nl"), Some(Lang::Nl));
        assert_eq!(Lang::parse("de"), None);
        let nl = text_report(&a, &b, Lang::Nl);
        assert!(nl.contains("Transitiecoalitie"), "{nl}");
        assert!(nl.contains("Voorstanders (3)"), "{nl}");
        assert!(!nl.contains("Supporters"), "{nl}");
    }
}

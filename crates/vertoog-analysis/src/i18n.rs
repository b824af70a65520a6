//! The message catalogue of the human texts the analysis produces: gap messages, action
//! rationales, lessons and domain names, in Dutch and English (docs/interfaces.md §4).
//!
//! One catalogue per language, as a list of `(key, template)`; a template names its
//! arguments in braces (`{name}`), filled by [`fill`]. A test checks that every key exists in
//! both languages with the same arguments. JSON keys and ids stay English; only human text is
//! translated.

use std::fmt::Write;

/// Language of human text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    Nl,
    #[default]
    En,
}

impl Lang {
    /// `nl` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// `nl` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

type Catalogue = &'static [(&'static str, &'static str)];

const EN: Catalogue = &[
    // Domains (docs/interfaces.md §8 vocabulary).
    ("domain.ministry", "national government (Rijk)"),
    ("domain.vng", "VNG"),
    ("domain.municipality", "municipalities"),
    ("domain.province", "provinces"),
    ("domain.water-board", "water boards"),
    ("domain.agency", "implementing agencies"),
    ("domain.science", "science"),
    ("domain.business", "business"),
    ("domain.civil-society", "civil society"),
    ("domain.media", "media"),
    ("domain.other", "other parties"),
    // Alignment groups.
    ("group.supporter", "supporter"),
    ("group.opponent", "opponent"),
    ("group.undecided", "undecided"),
    ("group.silent", "silent"),
    // Gaps (docs/method.md §7, docs/method.md §12).
    (
        "gap.missing-domain.absent",
        "Nobody in the transition coalition comes from the domain “{domain}”, and the map has no actor of that domain at all: map that domain first.",
    ),
    (
        "gap.missing-domain.present",
        "Nobody in the transition coalition comes from the domain “{domain}”. The map has {count} actor(s) of that domain outside it; the most influential is {name} (influence {influence}).",
    ),
    (
        "gap.weak-domain",
        "The domain “{domain}” is in the transition coalition only through actors of little influence ({names}; highest influence {influence}, below {threshold}).",
    ),
    (
        "gap.latent-ally",
        "{a} and {b} tell the same story (w = {w}) but have no tie and no contact in common.",
    ),
    (
        "gap.isolated-supporter",
        "{name} supports the transition but has no tie to any other member of the coalition.",
    ),
    (
        "gap.bridge",
        "The coalition hangs on one tie: {a} – {b}. Without it the side of {a} ({na} actors) and the side of {b} ({nb} actors) are apart.",
    ),
    (
        "gap.broker-dependency",
        "The coalition hangs on {name}: without {name} it falls apart into {parts} parts (the largest has {largest} actors).",
    ),
    (
        "gap.fragmented-coalition",
        "The coalition is not one network: its {size} members form {count} groups without ties between them (the largest has {largest} members).",
    ),
    (
        "gap.swing-actor.undecided",
        "{name} (influence {influence}) is undecided about the transition (alignment {align}).",
    ),
    (
        "gap.swing-actor.silent",
        "{name} (influence {influence}) has taken no position on the core narratives.",
    ),
    (
        "gap.strong-opponent",
        "{name} (influence {influence}) opposes the transition (alignment {align}).",
    ),
    (
        "gap.negative-dominance",
        "On “{narrative}” the opposition dominates (dominance {dominance}; weighted support {support} against opposition {opposition}). Where negative stories dominate, a transition fails, as the patient record (EPD) did.",
    ),
    (
        "gap.unchampioned-narrative",
        "Nobody influential carries “{narrative}”: no supporter with influence {threshold} or more speaks for it.",
    ),
    (
        "gap.dormant.actor",
        "{name} has shown no recorded activity since {last} (more than {months} months before {end}).",
    ),
    (
        "gap.dormant.tie",
        "The tie {a} – {b} dates from {since}, and neither has taken a dated position since {cutoff}.",
    ),
    (
        "gap.engagement-gap",
        "{name} is at alignment {align}; the target is {target} (a gap of {gap}).",
    ),
    // Actions (docs/method.md §8).
    ("action.via", " through {messenger}"),
    (
        "action.simulated",
        "Simulated: strength {before} → {after} ({gain}).",
    ),
    (
        "action.convene.bridge",
        "Organise a meeting of {a} and {b}. Today the coalition hangs on the tie {x} – {y}; a second link across it makes the coalition hold together.",
    ),
    (
        "action.convene.broker",
        "Organise a meeting of {a} and {b}. Today the coalition hangs on {name} as its only link between these parts.",
    ),
    (
        "action.convene.latent",
        "Organise a meeting of {a} and {b}: they share the storyline (w = {w}) but do not know each other.",
    ),
    (
        "action.convene.isolated",
        "Organise a meeting of {a} and {b}: {a} supports the transition but is not connected to the rest of the coalition.",
    ),
    (
        "action.convene.components",
        "Organise a meeting of {a} and {b}: this links two separate groups of the coalition ({na} and {nb} members).",
    ),
    (
        "action.recruit-domain",
        "Win {target} (influence {influence}, now {group}) for the core narratives{via}, so that the domain “{domain}” takes part in the coalition.",
    ),
    (
        "action.recruit-domain.none",
        "The map has no actor of the domain “{domain}” that could join: map that domain and find parties to approach.",
    ),
    (
        "action.brief",
        "Brief {target} (influence {influence}, now {group}) on the core narratives{via}.",
    ),
    (
        "action.mobilise",
        "Ask {names} to speak up in public for “{narrative}” (dominance now {dominance}).",
    ),
    (
        "action.counter",
        "Engage {target} (influence {influence}, alignment {align}) in dialogue{via}; the simulation moves its positions one step towards neutral.",
    ),
    (
        "action.maintain.actor",
        "Renew the contact with {name}{via}: no recorded activity since {last}.",
    ),
    (
        "action.maintain.tie",
        "Renew the contact between {a} and {b}: their tie dates from {since}.",
    ),
    // Report labels for action kinds and severities. The action-kind labels are the web UI's
    // (`web/i18n/*.json`, `actionkind.*`): one label per term in both front ends.
    ("kind.convene", "Convene"),
    ("kind.recruit-domain", "Recruit a domain"),
    ("kind.brief", "Brief"),
    ("kind.mobilise", "Mobilise"),
    ("kind.counter", "Engage the opponent"),
    ("kind.maintain", "Maintain contact"),
    ("severity.3", "High"),
    ("severity.2", "Medium"),
    ("severity.1", "Low"),
    // Lessons of the background note (deelnotitie 3, "Leren in digitale transitie").
    (
        "lesson.convene",
        "Lesson 2: activate the discourse coalition at the moment of transition: organise conversation and meeting, and activate the networks around the coalition.",
    ),
    (
        "lesson.recruit-domain",
        "Lesson 2: build a broad discourse coalition of parties from Rijk, VNG, municipalities and science that supports and strengthens the transition.",
    ),
    (
        "lesson.brief",
        "Lesson 3: know the different target groups and reach them; communicate with the organisations that want to carry the transition.",
    ),
    (
        "lesson.mobilise",
        "Lesson 2: mobilise supporters in public, as with the OV-chipkaart; with the patient record (EPD) the negative stories came to dominate.",
    ),
    (
        "lesson.counter",
        "Lesson 5: meet the dissatisfiers seriously and offer an alternative route, but do not let laggards set the pace.",
    ),
    (
        "lesson.maintain",
        "Lesson 2: a discourse coalition needs a lot of maintenance and energy.",
    ),
    // Engagement (docs/method.md §16).
    (
        "gap.overdue-commitment.ours",
        "We promised {name} “{text}” by {due}; it is {days} days late (owner: {owner}).",
    ),
    (
        "gap.overdue-commitment.theirs",
        "{name} promised “{text}” by {due}; it is {days} days late (owner: {owner}).",
    ),
    (
        "gap.contact-overdue.never",
        "There is no recorded contact with {name}, who should be contacted every {cadence} days.",
    ),
    (
        "gap.contact-overdue.overdue",
        "The last contact with {name} was on {last}; the cadence is every {cadence} days.",
    ),
    (
        "action.honour",
        "Keep the promise to {name}: “{text}”, due {due}, owner {owner}.",
    ),
    (
        "action.honour.theirs",
        "Ask {name} about its promise: “{text}”, due {due}, owner {owner}.",
    ),
    (
        "action.maintain.contact",
        "Contact {name}{via}: last contact {last}, expected every {cadence} days.",
    ),
    ("kind.honour", "Keep a promise"),
    (
        "lesson.honour",
        "Lesson 2: a discourse coalition lives on trust: keep the promises made to its members.",
    ),
];

const NL: Catalogue = &[
    ("domain.ministry", "Rijk"),
    ("domain.vng", "VNG"),
    ("domain.municipality", "gemeenten"),
    ("domain.province", "provincies"),
    ("domain.water-board", "waterschappen"),
    ("domain.agency", "uitvoeringsorganisaties"),
    ("domain.science", "wetenschap"),
    ("domain.business", "bedrijfsleven"),
    ("domain.civil-society", "maatschappelijke organisaties"),
    ("domain.media", "media"),
    ("domain.other", "overige partijen"),
    ("group.supporter", "voorstander"),
    ("group.opponent", "tegenstander"),
    ("group.undecided", "twijfelend"),
    ("group.silent", "zwijgend"),
    (
        "gap.missing-domain.absent",
        "Niemand in de transitiecoalitie komt uit het domein “{domain}”, en de kaart heeft helemaal geen actor uit dat domein: breng dat domein eerst in kaart.",
    ),
    (
        "gap.missing-domain.present",
        "Niemand in de transitiecoalitie komt uit het domein “{domain}”. De kaart heeft {count} actor(en) uit dat domein daarbuiten; de invloedrijkste is {name} (invloed {influence}).",
    ),
    (
        "gap.weak-domain",
        "Het domein “{domain}” zit alleen in de transitiecoalitie via actoren met weinig invloed ({names}; hoogste invloed {influence}, onder {threshold}).",
    ),
    (
        "gap.latent-ally",
        "{a} en {b} vertellen hetzelfde verhaal (w = {w}) maar hebben geen band en geen gemeenschappelijk contact.",
    ),
    (
        "gap.isolated-supporter",
        "{name} steunt de transitie maar heeft geen band met een ander lid van de coalitie.",
    ),
    (
        "gap.bridge",
        "De coalitie hangt aan één band: {a} – {b}. Zonder die band staan de kant van {a} ({na} actoren) en de kant van {b} ({nb} actoren) los van elkaar.",
    ),
    (
        "gap.broker-dependency",
        "De coalitie hangt aan {name}: zonder {name} valt ze uiteen in {parts} delen (het grootste heeft {largest} actoren).",
    ),
    (
        "gap.fragmented-coalition",
        "De coalitie is geen geheel: haar {size} leden vormen {count} groepen zonder banden onderling (de grootste heeft {largest} leden).",
    ),
    (
        "gap.swing-actor.undecided",
        "{name} (invloed {influence}) twijfelt over de transitie (instemming {align}).",
    ),
    (
        "gap.swing-actor.silent",
        "{name} (invloed {influence}) heeft geen standpunt ingenomen over de kernverhalen.",
    ),
    (
        "gap.strong-opponent",
        "{name} (invloed {influence}) is tegen de transitie (instemming {align}).",
    ),
    (
        "gap.negative-dominance",
        "Bij “{narrative}” overheerst de tegenstand (dominantie {dominance}; gewogen steun {support} tegen tegenstand {opposition}). Waar negatieve verhalen gaan overheersen mislukt een transitie, zoals het elektronisch patiëntendossier (EPD).",
    ),
    (
        "gap.unchampioned-narrative",
        "Niemand met invloed draagt “{narrative}” uit: geen voorstander met invloed {threshold} of meer spreekt zich ervoor uit.",
    ),
    (
        "gap.dormant.actor",
        "Van {name} is sinds {last} geen activiteit vastgelegd (meer dan {months} maanden voor {end}).",
    ),
    (
        "gap.dormant.tie",
        "De band {a} – {b} dateert van {since}, en geen van beiden heeft sinds {cutoff} een gedateerd standpunt ingenomen.",
    ),
    (
        "gap.engagement-gap",
        "{name} staat op instemming {align}; het doel is {target} (een achterstand van {gap}).",
    ),
    ("action.via", " via {messenger}"),
    (
        "action.simulated",
        "Gesimuleerd: sterkte {before} → {after} ({gain}).",
    ),
    (
        "action.convene.bridge",
        "Organiseer een ontmoeting van {a} en {b}. Nu hangt de coalitie aan de band {x} – {y}; een tweede verbinding eroverheen houdt de coalitie bij elkaar.",
    ),
    (
        "action.convene.broker",
        "Organiseer een ontmoeting van {a} en {b}. Nu hangt de coalitie aan {name} als enige verbinding tussen deze delen.",
    ),
    (
        "action.convene.latent",
        "Organiseer een ontmoeting van {a} en {b}: ze delen het verhaal (w = {w}) maar kennen elkaar niet.",
    ),
    (
        "action.convene.isolated",
        "Organiseer een ontmoeting van {a} en {b}: {a} steunt de transitie maar is niet verbonden met de rest van de coalitie.",
    ),
    (
        "action.convene.components",
        "Organiseer een ontmoeting van {a} en {b}: dat verbindt twee losse groepen van de coalitie ({na} en {nb} leden).",
    ),
    (
        "action.recruit-domain",
        "Win {target} (invloed {influence}, nu {group}) voor de kernverhalen{via}, zodat het domein “{domain}” deel wordt van de coalitie.",
    ),
    (
        "action.recruit-domain.none",
        "De kaart heeft geen actor uit het domein “{domain}” die zou kunnen aansluiten: breng dat domein in kaart en zoek partijen om te benaderen.",
    ),
    (
        "action.brief",
        "Informeer {target} (invloed {influence}, nu {group}) over de kernverhalen{via}.",
    ),
    (
        "action.mobilise",
        "Vraag {names} om zich in het openbaar uit te spreken voor “{narrative}” (dominantie nu {dominance}).",
    ),
    (
        "action.counter",
        "Ga met {target} (invloed {influence}, instemming {align}) in gesprek{via}; de simulatie schuift zijn standpunten één stap richting neutraal.",
    ),
    (
        "action.maintain.actor",
        "Vernieuw het contact met {name}{via}: geen activiteit vastgelegd sinds {last}.",
    ),
    (
        "action.maintain.tie",
        "Vernieuw het contact tussen {a} en {b}: hun band dateert van {since}.",
    ),
    ("kind.convene", "Bijeenbrengen"),
    ("kind.recruit-domain", "Domein werven"),
    ("kind.brief", "Informeren"),
    ("kind.mobilise", "Mobiliseren"),
    ("kind.counter", "In gesprek met de tegenstander"),
    ("kind.maintain", "Contact onderhouden"),
    ("severity.3", "Hoog"),
    ("severity.2", "Middel"),
    ("severity.1", "Laag"),
    (
        "lesson.convene",
        "Les 2: activeer de vertoogcoalitie op het moment van transitie: organiseer gesprek en ontmoeting, en activeer netwerken rondom de coalitie.",
    ),
    (
        "lesson.recruit-domain",
        "Les 2: bouw een brede vertoogcoalitie van partijen uit Rijk, VNG, gemeenten en wetenschap die de transitie ondersteunt en versterkt.",
    ),
    (
        "lesson.brief",
        "Les 3: heb inzicht in de verschillende doelgroepen en probeer die te bereiken; communiceer met organisaties die de transitie willen uitdragen.",
    ),
    (
        "lesson.mobilise",
        "Les 2: mobiliseer voorstanders in de publiciteit, zoals bij de OV-chipkaart; bij het EPD gingen de negatieve verhalen overheersen.",
    ),
    (
        "lesson.counter",
        "Les 5: treed dissatisfiers serieus tegemoet en bied een alternatieve route, maar laat achterblijvers niet het tempo bepalen.",
    ),
    (
        "lesson.maintain",
        "Les 2: een vertoogcoalitie vereist veel onderhoud en energie.",
    ),
    (
        "gap.overdue-commitment.ours",
        "We hebben {name} “{text}” toegezegd voor {due}; dat is {days} dagen te laat (eigenaar: {owner}).",
    ),
    (
        "gap.overdue-commitment.theirs",
        "{name} heeft “{text}” toegezegd voor {due}; dat is {days} dagen te laat (eigenaar: {owner}).",
    ),
    (
        "gap.contact-overdue.never",
        "Er is geen contact met {name} vastgelegd, terwijl elke {cadence} dagen contact gewenst is.",
    ),
    (
        "gap.contact-overdue.overdue",
        "Het laatste contact met {name} was op {last}; gewenst is elke {cadence} dagen.",
    ),
    (
        "action.honour",
        "Kom de toezegging aan {name} na: “{text}”, uiterlijk {due}, eigenaar {owner}.",
    ),
    (
        "action.honour.theirs",
        "Vraag {name} naar de toezegging: “{text}”, uiterlijk {due}, eigenaar {owner}.",
    ),
    (
        "action.maintain.contact",
        "Neem contact op met {name}{via}: laatste contact {last}, gewenst elke {cadence} dagen.",
    ),
    ("kind.honour", "Toezegging nakomen"),
    (
        "lesson.honour",
        "Les 2: een vertoogcoalitie leeft van vertrouwen: kom de toezeggingen aan haar leden na.",
    ),
];

fn catalogue(lang: Lang) -> Catalogue {
    match lang {
        Lang::En => EN,
        Lang::Nl => NL,
    }
}

/// Every message key of a language's catalogue, in catalogue order.
pub fn keys(lang: Lang) -> Vec<&'static str> {
    catalogue(lang).iter().map(|(k, _)| *k).collect()
}

/// The template of `key` in `lang`; the key itself when the catalogue lacks it (a test makes
/// sure that never happens for the keys the crate uses).
pub fn text(lang: Lang, key: &str) -> &'static str {
    catalogue(lang)
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .or_else(|| EN.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
        .unwrap_or("")
}

/// The template of `key` in `lang` with every `{name}` replaced by its value in `args`; a
/// placeholder without a value stays as it is.
pub fn fill(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let template = text(lang, key);
    let template = if template.is_empty() { key } else { template };
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        let _ = write!(out, "{{{name}}}");
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The human name of a domain (`domain.<id>`), or the id itself for a domain outside the
/// default vocabulary.
pub fn domain_name(lang: Lang, domain: &str) -> String {
    let key = format!("domain.{domain}");
    if catalogue(lang).iter().any(|(k, _)| *k == key) {
        text(lang, &key).to_string()
    } else {
        domain.to_string()
    }
}

/// The placeholders `{name}` of a template, sorted and deduplicated.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_key_exists_in_both_languages_with_the_same_arguments() {
        let en: BTreeSet<&str> = keys(Lang::En).into_iter().collect();
        let nl: BTreeSet<&str> = keys(Lang::Nl).into_iter().collect();
        assert_eq!(en.len(), EN.len(), "duplicate key in EN");
        assert_eq!(nl.len(), NL.len(), "duplicate key in NL");
        let only_en: Vec<_> = en.difference(&nl).collect();
        let only_nl: Vec<_> = nl.difference(&en).collect();
        assert!(only_en.is_empty(), "only in English: {only_en:?}");
        assert!(only_nl.is_empty(), "only in Dutch: {only_nl:?}");
        for k in &en {
            assert_eq!(
                placeholders(text(Lang::En, k)),
                placeholders(text(Lang::Nl, k)),
                "arguments of {k}"
            );
            assert!(!text(Lang::Nl, k).is_empty());
        }
    }

    /// Every literal key the crate's code passes to the catalogue, and every key it builds
    /// (action kinds, lessons, severities), exists in both languages.
    #[test]
    fn every_key_the_code_uses_exists() {
        let sources = [
            include_str!("gaps/mod.rs"),
            include_str!("gaps/domains.rs"),
            include_str!("gaps/ties.rs"),
            include_str!("gaps/positions.rs"),
            include_str!("gaps/narratives.rs"),
            include_str!("gaps/dormant.rs"),
            include_str!("actions.rs"),
            include_str!("report.rs"),
        ];
        let prefixes = [
            "gap.",
            "action.",
            "lesson.",
            "kind.",
            "severity.",
            "group.",
            "domain.",
        ];
        let mut used: Vec<String> = Vec::new();
        for src in sources {
            for (i, _) in src.match_indices('"') {
                let rest = &src[i + 1..];
                if !prefixes.iter().any(|p| rest.starts_with(p)) {
                    continue;
                }
                let Some(end) = rest.find('"') else { continue };
                let key = &rest[..end];
                if !key.contains('{') && !key.ends_with('.') && !key.contains(' ') {
                    used.push(key.to_string());
                }
            }
        }
        for k in crate::actions::ActionKind::ALL {
            used.push(format!("kind.{}", k.as_str()));
            used.push(format!("lesson.{}", k.as_str()));
        }
        for s in 1..=3 {
            used.push(format!("severity.{s}"));
        }
        for d in vertoog_model::DEFAULT_DOMAINS {
            used.push(format!("domain.{d}"));
        }
        assert!(used.len() > 40, "{used:?}");
        for k in &used {
            for lang in [Lang::En, Lang::Nl] {
                assert!(
                    catalogue(lang).iter().any(|(x, _)| x == k),
                    "{k} missing in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn fill_replaces_named_arguments() {
        let s = fill(
            Lang::En,
            "gap.isolated-supporter",
            &[("name", "Gemeente Utrecht".into())],
        );
        assert_eq!(
            s,
            "Gemeente Utrecht supports the transition but has no tie to any other member of the coalition."
        );
        let s = fill(Lang::Nl, "action.via", &[("messenger", "VNG".into())]);
        assert_eq!(s, " via VNG");
        // A missing argument stays visible rather than vanishing.
        assert_eq!(fill(Lang::En, "action.via", &[]), " through {messenger}");
        assert_eq!(domain_name(Lang::Nl, "science"), "wetenschap");
        assert_eq!(domain_name(Lang::En, "unknown-x"), "unknown-x");
        assert_eq!(Lang::parse("nl"), Some(Lang::Nl));
        assert_eq!(Lang::Nl.code(), "nl");
    }
}

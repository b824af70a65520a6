//! The brief's fixed texts in Dutch and English, and numbers as a person says them.
//!
//! Every key has both languages in one tuple, so a text can never exist in one language only.
//! Templates name their arguments in braces (`{name}`), filled by [`fill`].

use vertoog_analysis::Lang;

/// The template of `key` in `lang`; the key itself when unknown (a test checks every key used).
pub fn tr(lang: Lang, key: &str) -> &'static str {
    let (en, nl) = match key {
        "title.coalition" => ("Coalition brief", "Coalitiebrief"),
        "title.actor" => ("Actor brief", "Actorbrief"),
        "map" => ("Map", "Kaart"),
        "date" => ("Date", "Datum"),
        "window" => ("Window", "Periode"),
        "whole_history" => ("the whole history", "de hele geschiedenis"),
        "page" => ("Page {n} of {of}", "Pagina {n} van {of}"),
        // Section headings.
        "h.summary" => ("In short", "In het kort"),
        "h.strength" => ("Strength and trend", "Sterkte en verloop"),
        "h.picture" => ("The picture", "Het beeld"),
        "h.coalitions" => ("The coalitions", "De coalities"),
        "h.gaps" => ("The most serious gaps", "De ernstigste gaten"),
        "h.actions" => ("What to do", "Wat te doen"),
        "h.progress" => ("Progress of the activation plan", "Voortgang van het activeringsplan"),
        "h.commitments" => ("Open commitments", "Open toezeggingen"),
        "h.method" => ("About the method", "Over de methode"),
        "h.who" => ("Who they are", "Wie het is"),
        "h.positions" => ("Positions", "Standpunten"),
        "h.over_time" => ("Position over time", "Standpunt in de tijd"),
        "h.coalition" => ("Coalition", "Coalitie"),
        "h.ties" => ("Ties", "Banden"),
        "h.contacts" => ("Contacts, commitments and relationship health", "Contacten, toezeggingen en relatie"),
        "h.recommended" => ("What the analysis recommends", "Wat de analyse aanraadt"),
        "h.talking" => ("Talking points", "Gesprekspunten"),
        // Summary paragraph.
        "sum.strength" => (
            "The coalition behind the transition is {words}: {strength} out of 100, with {supporters}, {opponents} and {undecided}.",
            "De coalitie achter de transitie is {words}: {strength} van de 100, met {supporters}, {opponents} en {undecided}.",
        ),
        "sum.no_core" => (
            "The map has no core narrative, so there is no transition coalition to measure.",
            "De kaart heeft geen kernverhaal, dus er is geen transitiecoalitie om te meten.",
        ),
        "n.supporters" => ("{n} supporters", "{n} voorstanders"),
        "n.supporters.1" => ("one supporter", "één voorstander"),
        "n.opponents" => ("{n} opponents", "{n} tegenstanders"),
        "n.opponents.1" => ("one opponent", "één tegenstander"),
        "n.undecided" => ("{n} actors still undecided", "{n} actoren die nog twijfelen"),
        "n.undecided.1" => ("one actor still undecided", "één actor die nog twijfelt"),
        "sum.first" => ("The one thing to do first: {action}.", "Het eerste om te doen: {action}."),
        "sum.no_action" => (
            "The analysis found no action that would strengthen the coalition.",
            "De analyse vond geen actie die de coalitie zou versterken.",
        ),
        "words.0" => ("weak", "zwak"),
        "words.1" => ("fragile", "kwetsbaar"),
        "words.2" => ("moderate", "middelmatig"),
        "words.3" => ("fairly strong", "tamelijk sterk"),
        "words.4" => ("strong", "sterk"),
        "words.none" => ("not measurable", "niet te meten"),
        // What changed.
        "chg.intro" => ("Since {since}: ", "Sinds {since}: "),
        "chg.strength_up" => ("strength rose by {points}", "de sterkte steeg met {points}"),
        "chg.strength_down" => ("strength fell by {points}", "de sterkte daalde met {points}"),
        "chg.strength_same" => ("strength stayed the same", "de sterkte bleef gelijk"),
        "chg.strength_new" => ("strength became measurable", "de sterkte werd meetbaar"),
        "chg.classes" => ("{n} actors changed sides", "{n} actoren kozen een andere kant"),
        "chg.class_one" => ("{name} moved from {from} to {to}", "{name} ging van {from} naar {to}"),
        "chg.gaps" => ("{opened} gaps opened and {closed} closed", "{opened} gaten kwamen erbij en {closed} gingen dicht"),
        "chg.stances" => ("{n} new positions were recorded", "{n} nieuwe standpunten werden vastgelegd"),
        "chg.nothing" => ("nothing in the map changed", "er veranderde niets op de kaart"),
        "chg.default" => (
            "(Compared with one year before the latest recorded position; another date can be chosen.)",
            "(Vergeleken met een jaar vóór het laatste vastgelegde standpunt; een andere datum kan worden gekozen.)",
        ),
        "points" => ("about {n} points", "ongeveer {n} punten"),
        "point_one" => ("about one point", "ongeveer één punt"),
        "points_less" => ("less than a point", "minder dan een punt"),
        // Strength.
        "comp.influence_share" => ("Influence share", "Aandeel in invloed"),
        "comp.breadth" => ("Breadth", "Breedte"),
        "comp.discourse_cohesion" => ("Discourse cohesion", "Vertoogsamenhang"),
        "comp.connectedness" => ("Connectedness", "Verbondenheid"),
        "comp.narrative_support" => ("Narrative support", "Steun voor de verhalen"),
        "strength.components" => (
            "Strength combines five components, each from 0 to 1. The weakest is {weakest} ({value}), the strongest {strongest} ({svalue}).",
            "De sterkte combineert vijf onderdelen, elk van 0 tot 1. Het zwakste is {weakest} ({value}), het sterkste {strongest} ({svalue}).",
        ),
        "fig.components" => ("The five components of strength (0 to 1)", "De vijf onderdelen van de sterkte (0 tot 1)"),
        "fig.trend" => ("Strength per year (0 to 100)", "Sterkte per jaar (0 tot 100)"),
        "trend.none" => ("There are no dated positions, so there is no trend.", "Er zijn geen gedateerde standpunten, dus er is geen verloop."),
        "trend.text" => (
            "In {first} the strength was {a}; in {last} it was {b}.",
            "In {first} was de sterkte {a}; in {last} was die {b}.",
        ),
        // Picture.
        "fig.graph" => (
            "The coalitions: each dot is an actor, sized by influence and coloured by coalition; lines are ties, red lines conflicts.",
            "De coalities: elke stip is een actor, naar invloed geschaald en naar coalitie gekleurd; lijnen zijn banden, rode lijnen conflicten.",
        ),
        "fig.graph_large" => (
            "Only the {shown} most influential of {total} actors are drawn, and the {named} most influential are named.",
            "Alleen de {shown} invloedrijkste van de {total} actoren zijn getekend, en de {named} invloedrijkste hebben een naam.",
        ),
        "fig.graph_named" => (
            "Every actor is drawn; the {named} most influential are named.",
            "Elke actor is getekend; de {named} invloedrijkste hebben een naam.",
        ),
        // Coalitions.
        "coal.intro" => (
            "The analysis finds {n} discourse coalitions: groups of actors that tell compatible stories.",
            "De analyse vindt {n} vertoogcoalities: groepen actoren die verenigbare verhalen vertellen.",
        ),
        "coal.head" => ("{name} ({size} actors, strength {strength})", "{name} ({size} actoren, sterkte {strength})"),
        "coal.supports" => ("It supports {list}.", "Ze steunt {list}."),
        "coal.opposes" => ("It opposes {list}.", "Ze is tegen {list}."),
        "coal.neither" => ("It takes no clear side on any narrative.", "Ze kiest op geen enkel verhaal duidelijk een kant."),
        "coal.members" => ("Among its members: {list}.", "Onder de leden: {list}."),
        "coal.story" => ("Its storyline is “{narrative}”.", "De verhaallijn is “{narrative}”."),
        "coal.more" => (
            "{n} smaller coalitions and {s} actors who stand alone are not described here.",
            "{n} kleinere coalities en {s} actoren die alleen staan worden hier niet beschreven.",
        ),
        "coal.singles" => ("{s} actors stand alone (a coalition of one).", "{s} actoren staan alleen (een coalitie van één)."),
        "and" => ("and", "en"),
        "more" => ("and {n} more", "en nog {n}"),
        // Gaps.
        "gaps.none" => ("The analysis found no gaps.", "De analyse vond geen gaten."),
        "gaps.group.missing-domain" => ("{n} domains are missing from the coalition", "Er ontbreken {n} domeinen in de coalitie"),
        "gaps.group.weak-domain" => ("{n} domains take part only weakly", "{n} domeinen doen maar zwak mee"),
        "gaps.group.latent-ally" => ("{n} pairs tell the same story without a tie", "{n} paren vertellen hetzelfde verhaal zonder band"),
        "gaps.group.isolated-supporter" => ("{n} supporters stand alone", "{n} voorstanders staan alleen"),
        "gaps.group.bridge" => ("The coalition hangs on {n} single ties", "De coalitie hangt aan {n} losse banden"),
        "gaps.group.broker-dependency" => ("The coalition hangs on {n} brokers", "De coalitie hangt aan {n} makelaars"),
        "gaps.group.fragmented-coalition" => ("The coalition is not one network", "De coalitie is geen één netwerk"),
        "gaps.group.swing-actor" => ("{n} influential actors are undecided or silent", "{n} invloedrijke actoren twijfelen of zwijgen"),
        "gaps.group.strong-opponent" => ("{n} strong opponents", "{n} sterke tegenstanders"),
        "gaps.group.negative-dominance" => ("Opposition dominates {n} core narratives", "Tegenstand overheerst op {n} kernverhalen"),
        "gaps.group.unchampioned-narrative" => ("{n} narratives have no influential champion", "{n} verhalen hebben geen invloedrijke voorvechter"),
        "gaps.group.dormant" => ("{n} actors or ties have gone quiet", "{n} actoren of banden zijn stilgevallen"),
        "gaps.group.engagement-gap" => ("{n} actors are far from their engagement target", "{n} actoren zitten ver van hun betrokkenheidsdoel"),
        "gaps.group.missing-domain.1" => ("A domain is missing from the coalition", "Er ontbreekt een domein in de coalitie"),
        "gaps.group.weak-domain.1" => ("A domain takes part only weakly", "Een domein doet maar zwak mee"),
        "gaps.group.latent-ally.1" => ("Two actors tell the same story without a tie", "Twee actoren vertellen hetzelfde verhaal zonder band"),
        "gaps.group.isolated-supporter.1" => ("A supporter stands alone", "Een voorstander staat alleen"),
        "gaps.group.bridge.1" => ("The coalition hangs on a single tie", "De coalitie hangt aan één band"),
        "gaps.group.broker-dependency.1" => ("The coalition hangs on one broker", "De coalitie hangt aan één makelaar"),
        "gaps.group.fragmented-coalition.1" => ("The coalition is not one network", "De coalitie is geen één netwerk"),
        "gaps.group.swing-actor.1" => ("An influential actor is undecided or silent", "Een invloedrijke actor twijfelt of zwijgt"),
        "gaps.group.strong-opponent.1" => ("A strong opponent", "Een sterke tegenstander"),
        "gaps.group.negative-dominance.1" => ("Opposition dominates a core narrative", "Tegenstand overheerst op een kernverhaal"),
        "gaps.group.unchampioned-narrative.1" => ("A narrative has no influential champion", "Een verhaal heeft geen invloedrijke voorvechter"),
        "gaps.group.dormant.1" => ("An actor or tie has gone quiet", "Een actor of band is stilgevallen"),
        "gaps.group.engagement-gap.1" => ("An actor is far from its engagement target", "Een actor zit ver van zijn betrokkenheidsdoel"),
        "gaps.severity" => ("severity {s} of 3", "ernst {s} van 3"),
        // Actions.
        "plan.intro" => (
            "The best plan within an effort budget of {budget} has {steps} steps and would raise strength from {before} to {after} ({gain}).",
            "Het beste plan binnen een inspanningsbudget van {budget} heeft {steps} stappen en zou de sterkte van {before} naar {after} brengen ({gain}).",
        ),
        "plan.none" => (
            "No plan within an effort budget of {budget} would strengthen the coalition.",
            "Geen plan binnen een inspanningsbudget van {budget} zou de coalitie versterken.",
        ),
        "plan.table" => ("The best plan, step by step", "Het beste plan, stap voor stap"),
        "top.table" => ("Other actions, most worthwhile first", "Andere acties, meest lonend eerst"),
        "col.step" => ("Step", "Stap"),
        "col.action" => ("Action", "Actie"),
        "col.target" => ("Target", "Doel"),
        "col.messenger" => ("Messenger", "Boodschapper"),
        "col.gain" => ("Gain", "Winst"),
        "col.effort" => ("Effort", "Inspanning"),
        "col.narrative" => ("Narrative", "Verhaal"),
        "col.position" => ("Position", "Standpunt"),
        "col.quote" => ("Latest quote and source", "Laatste citaat en bron"),
        "col.actor" => ("Actor", "Actor"),
        "col.kind" => ("Kind", "Soort"),
        "col.weight" => ("Weight", "Gewicht"),
        "effort.1" => ("small", "klein"),
        "effort.2" => ("medium", "middel"),
        "effort.3" => ("large", "groot"),
        "gain.none" => ("not simulated", "niet gesimuleerd"),
        "gain.pts" => ("+{n}", "+{n}"),
        "nobody" => ("–", "–"),
        // Engagement (issue 19) is not there yet.
        "engagement.absent" => (
            "Plan progress, contacts and commitments are not recorded in this version of Vertoog, so this section is left out; it appears once the engagement log is available.",
            "Voortgang van het plan, contacten en toezeggingen worden in deze versie van Vertoog nog niet vastgelegd; deze paragraaf ontbreekt daarom en verschijnt zodra het contactlogboek er is.",
        ),
        "engagement.absent.actor" => (
            "Contacts, commitments and relationship health are not recorded in this version of Vertoog yet, so they are left out.",
            "Contacten, toezeggingen en de relatie worden in deze versie van Vertoog nog niet vastgelegd; ze ontbreken daarom.",
        ),
        // Engagement (engagement.md).
        "h.overdue_contacts" => ("Contacts overdue", "Achterstallige contacten"),
        "eng.status.planned" => ("Planned", "Gepland"),
        "eng.status.in-progress" => ("In progress", "Bezig"),
        "eng.status.done" => ("Done", "Gedaan"),
        "eng.status.dropped" => ("Dropped", "Geschrapt"),
        "eng.no_owner" => ("no owner", "geen eigenaar"),
        "eng.item" => ("{status}: {title} ({targets}; owner {owner}).", "{status}: {title} ({targets}; eigenaar {owner})."),
        "eng.item.late" => ("Due {due}: {n} days late.", "Deadline {due}: {n} dagen te laat."),
        "eng.item.due" => ("Due {due}.", "Deadline {due}."),
        "eng.no_due" => ("No due date.", "Geen deadline."),
        "eng.done.measured" => (
            "Done on {date}. Simulated gain {sim}; measured change {measured} (strength {before} at adoption, {after} after).",
            "Gedaan op {date}. Gesimuleerde winst {sim}; gemeten verandering {measured} (sterkte {before} bij overname, {after} erna).",
        ),
        "eng.done.unmeasured" => (
            "Done on {date}. Simulated gain {sim}; the change that followed is not yet measurable (no data after the adoption).",
            "Gedaan op {date}. Gesimuleerde winst {sim}; de verandering die volgde is nog niet meetbaar (geen gegevens na de overname).",
        ),
        "eng.caveat" => (
            "A measured change is what followed an action, not proof of what caused it.",
            "Een gemeten verandering is wat op een actie volgde, geen bewijs van wat haar veroorzaakte.",
        ),
        "eng.no_plan" => ("The team has adopted no action yet.", "Het team heeft nog geen actie overgenomen."),
        "eng.commit.ours" => ("We promised {actor} “{text}”. {when} Owner: {owner}.", "Wij beloofden {actor} “{text}”. {when} Eigenaar: {owner}."),
        "eng.commit.theirs" => ("{actor} promised us “{text}”. {when} Owner: {owner}.", "{actor} beloofde ons “{text}”. {when} Eigenaar: {owner}."),
        "eng.late" => ("Due {due}: {n} days late.", "Deadline {due}: {n} dagen te laat."),
        "eng.due" => ("Due {due}.", "Deadline {due}."),
        "eng.no_commitments" => ("No commitment is overdue or due within 30 days.", "Geen toezegging is te laat of verloopt binnen 30 dagen."),
        "eng.contact.overdue" => ("{actor}: last contact {last}, expected every {days} days.", "{actor}: laatste contact {last}, verwacht elke {days} dagen."),
        "eng.contact.never" => ("{actor}: no contact recorded, expected every {days} days.", "{actor}: geen contact vastgelegd, verwacht elke {days} dagen."),
        "eng.contacts.more" => ("And {n} more contacts are overdue.", "En nog {n} contacten zijn achterstallig."),
        "eng.no_overdue_contacts" => ("No contact is overdue.", "Geen contact is achterstallig."),
        "eng.rel.never" => ("No contact recorded; expected every {days} days.", "Geen contact vastgelegd; verwacht elke {days} dagen."),
        "eng.rel.ok" => ("In touch: last contact {last} (expected every {days} days); {n} in the last 90 days.", "In contact: laatste contact {last} (verwacht elke {days} dagen); {n} in de laatste 90 dagen."),
        "eng.rel.due" => ("A contact is due: the last was {last} (expected every {days} days).", "Een contact is nodig: het laatste was {last} (verwacht elke {days} dagen)."),
        "eng.rel.overdue" => ("The contact is overdue: the last was {last} (expected every {days} days).", "Het contact is achterstallig: het laatste was {last} (verwacht elke {days} dagen)."),
        "eng.rel.none" => ("No contact rhythm is set for this actor; {n} contacts in the last 90 days.", "Voor deze actor is geen contactritme ingesteld; {n} contacten in de laatste 90 dagen."),
        "eng.contact" => ("{date}: {title}.", "{date}: {title}."),
        // Method.
        "method" => (
            "Strength (0 to 100) is the weighted geometric mean of five components of the coalition of supporters: its share of the influence on the map, the breadth of required domains it covers, how alike its members talk (discourse cohesion), how well it is connected by ties, and the support for the core narratives. The gains of actions and plans are simulated on a copy of the map; they are estimates, not promises. This brief covers {window}: {actors} actors, {narratives} narratives, {stances} positions and {ties} ties.",
            "Sterkte (0 tot 100) is het gewogen meetkundig gemiddelde van vijf onderdelen van de coalitie van voorstanders: haar aandeel in de invloed op de kaart, de breedte van de vereiste domeinen die ze dekt, hoe gelijk haar leden spreken (vertoogsamenhang), hoe goed ze door banden verbonden is, en de steun voor de kernverhalen. De winst van acties en plannen is gesimuleerd op een kopie van de kaart; het zijn schattingen, geen beloften. Deze brief beslaat {window}: {actors} actoren, {narratives} verhalen, {stances} standpunten en {ties} banden.",
        ),
        "approximate" => (
            "The map is large: some numbers are estimated from samples.",
            "De kaart is groot: sommige getallen zijn geschat uit steekproeven.",
        ),
        // Actor brief.
        "who.line" => (
            "{name} belongs to {domain}. Influence {influence}, interest {interest}: {quadrant}; salience: {salience}. Towards the transition: {group}.",
            "{name} hoort bij {domain}. Invloed {influence}, belang {interest}: {quadrant}; saillantie: {salience}. Ten opzichte van de transitie: {group}.",
        ),
        "quadrant.manage-closely" => ("manage closely", "nauw betrekken"),
        "quadrant.keep-satisfied" => ("keep satisfied", "tevreden houden"),
        "quadrant.keep-informed" => ("keep informed", "informeren"),
        "quadrant.monitor" => ("monitor", "volgen"),
        "group.none" => ("no position on the core narratives", "geen standpunt over de kernverhalen"),
        "pos.none" => ("{name} has taken no position on any narrative.", "{name} heeft over geen enkel verhaal een standpunt ingenomen."),
        "pos.2" => ("strongly for", "sterk voor"),
        "pos.1" => ("for", "voor"),
        "pos.0" => ("neutral", "neutraal"),
        "pos.-1" => ("against", "tegen"),
        "pos.-2" => ("strongly against", "sterk tegen"),
        "quote.none" => ("no quote", "geen citaat"),
        "over_time.none" => ("No dated positions on the core narratives.", "Geen gedateerde standpunten over de kernverhalen."),
        "fig.over_time" => (
            "Mean position on the core narratives per year (-2 against to +2 for)",
            "Gemiddeld standpunt over de kernverhalen per jaar (-2 tegen tot +2 voor)",
        ),
        "over_time.text" => ("From {a} in {first} to {b} in {last}.", "Van {a} in {first} naar {b} in {last}."),
        "coalition.member" => ("{name} is in the coalition “{coalition}”. {story}", "{name} zit in de coalitie “{coalition}”. {story}"),
        "coalition.none" => ("{name} is in no coalition.", "{name} zit in geen coalitie."),
        "ties.strongest" => ("Strongest ties: {list}.", "Sterkste banden: {list}."),
        "ties.none" => ("{name} has no ties on the map.", "{name} heeft geen banden op de kaart."),
        "ties.conflicts" => ("Conflicts: {list}.", "Conflicten: {list}."),
        "rec.none" => ("No action names {name}.", "Geen actie noemt {name}."),
        "rec.target" => ("{action} ({gain}, effort {effort}).", "{action} ({gain}, inspanning {effort})."),
        "rec.messenger" => ("{kind}: {name} as messenger to {targets} ({gain}, effort {effort}).", "{kind}: {name} als boodschapper naar {targets} ({gain}, inspanning {effort})."),
        "rec.via" => (", through {m}", ", via {m}"),
        "talk.build" => ("To build on (they agree): {list}.", "Om op voort te bouwen (ze zijn het eens): {list}."),
        "talk.address" => ("To address (they do not agree): {list}.", "Om te bespreken (ze zijn het niet eens): {list}."),
        "talk.none" => ("No talking points: no position on the narratives the transition takes a side on.", "Geen gesprekspunten: geen standpunt over de verhalen waarop de transitie een kant kiest."),
        _ => return fallback(key),
    };
    match lang {
        Lang::En => en,
        Lang::Nl => nl,
    }
}

/// Unknown keys: a visible marker, never a panic (the test `every_key_used_exists` keeps it
/// unreachable).
fn fallback(_key: &str) -> &'static str {
    "[?]"
}

/// Fills `{name}` placeholders of `template` with `args`.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// [`tr`] then [`fill`].
pub fn t(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    fill(tr(lang, key), args)
}

/// "one supporter" or "5 supporters": `key.1` for one, `key` with `{n}` otherwise.
pub fn count(lang: Lang, key: &str, n: usize) -> String {
    if n == 1 {
        tr(lang, &format!("{key}.1")).to_string()
    } else {
        t(lang, key, &[("n", int(lang, n as i64))])
    }
}

/// A whole number in the language's style: 1,234 (en) or 1.234 (nl).
pub fn int(lang: Lang, n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let sep = if lang == Lang::Nl { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A 0..1 number with two decimals in the language's style (0.45 or 0,45).
pub fn dec2(lang: Lang, x: f64) -> String {
    let s = format!("{x:.2}");
    if lang == Lang::Nl {
        s.replace('.', ",")
    } else {
        s
    }
}

/// A number with one decimal, sign shown (+1.5 / +1,5).
pub fn signed1(lang: Lang, x: f64) -> String {
    let s = format!("{x:+.1}");
    if lang == Lang::Nl {
        s.replace('.', ",")
    } else {
        s
    }
}

/// Strength out of 100 as a person says it: a whole number.
pub fn strength(lang: Lang, s: Option<f64>) -> String {
    s.map_or_else(
        || tr(lang, "words.none").to_string(),
        |v| int(lang, v.round() as i64),
    )
}

/// A change in strength points in words: "less than a point", "about one point",
/// "about 4 points".
pub fn points(lang: Lang, x: f64) -> String {
    let a = x.abs();
    if a < 0.5 {
        tr(lang, "points_less").to_string()
    } else if a < 1.5 {
        tr(lang, "point_one").to_string()
    } else {
        t(lang, "points", &[("n", int(lang, a.round() as i64))])
    }
}

/// A simulated gain as a short figure: "+4", "+0.4", or "not simulated".
pub fn gain(lang: Lang, g: Option<f64>) -> String {
    match g {
        None => tr(lang, "gain.none").to_string(),
        Some(g) if g.abs() >= 1.0 => format!("{:+}", g.round() as i64),
        Some(g) => signed1(lang, g),
    }
}

/// The strength in words (five bands of 20).
pub fn strength_words(lang: Lang, s: Option<f64>) -> &'static str {
    match s {
        None => tr(lang, "words.none"),
        Some(v) => tr(
            lang,
            match v {
                v if v < 20.0 => "words.0",
                v if v < 40.0 => "words.1",
                v if v < 60.0 => "words.2",
                v if v < 80.0 => "words.3",
                _ => "words.4",
            },
        ),
    }
}

/// A list in words: "a, b and c"; at most `max` shown, then "and N more".
pub fn list(lang: Lang, items: &[String], max: usize) -> String {
    let and = tr(lang, "and");
    let shown: Vec<&String> = items.iter().take(max).collect();
    let rest = items.len().saturating_sub(max);
    match (shown.len(), rest) {
        (0, _) => String::new(),
        (1, 0) => shown[0].clone(),
        (_, 0) => {
            let head: Vec<&str> = shown[..shown.len() - 1]
                .iter()
                .map(|s| s.as_str())
                .collect();
            format!("{} {and} {}", head.join(", "), shown[shown.len() - 1])
        }
        _ => {
            let head: Vec<&str> = shown.iter().map(|s| s.as_str()).collect();
            format!(
                "{} {}",
                head.join(", "),
                t(lang, "more", &[("n", int(lang, rest as i64))])
            )
        }
    }
}

/// A date as people write it: 3 December 2026 / 3 december 2026.
pub fn date(lang: Lang, d: vertoog_model::Date) -> String {
    use chrono::Datelike;
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let m = d.month0() as usize;
    let month = if lang == Lang::Nl { NL[m] } else { EN[m] };
    format!("{} {} {}", d.day(), month, d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_rounded_as_people_say_them() {
        assert_eq!(points(Lang::En, 0.3), "less than a point");
        assert_eq!(points(Lang::En, -1.2), "about one point");
        assert_eq!(points(Lang::Nl, 4.4), "ongeveer 4 punten");
        assert_eq!(gain(Lang::En, Some(3.6)), "+4");
        assert_eq!(gain(Lang::Nl, Some(0.44)), "+0,4");
        assert_eq!(strength(Lang::En, Some(63.4)), "63");
        assert_eq!(int(Lang::Nl, 12345), "12.345");
        assert_eq!(int(Lang::En, 1234567), "1,234,567");
        assert_eq!(strength_words(Lang::En, Some(63.0)), "fairly strong");
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(list(Lang::En, &v(&["a", "b", "c"]), 5), "a, b and c");
        assert_eq!(list(Lang::Nl, &v(&["a", "b", "c"]), 2), "a, b en nog 1");
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(
            fill("{a} and {b}, {a}", &[("a", "x".into()), ("b", "y".into())]),
            "x and y, x"
        );
    }
}

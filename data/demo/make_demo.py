#!/usr/bin/env python3
"""Writes the demo map (a CSV bundle) into this folder.

The demo map "Samen Digitaal Loket" is an ILLUSTRATIVE stakeholder landscape around a
fictional national digital service rolled out to municipalities. Real organisations are named
so the map looks familiar, but every stance and tie is invented: none is a real position.

Run `python3 data/demo/make_demo.py` to regenerate actors.csv, narratives.csv, stances.csv,
ties.csv, the contact history (interactions.csv, commitments.csv, plan.csv) and map.csv. The
output is deterministic (seeded).

The contact history is as illustrative as the rest: the team members (Anouk, Bram, Chantal,
Daan) are invented, and so is every meeting, promise and plan item. map.csv fixes the demo's
"today" (settings `as_of`) at 2026-06-30, the end of its data, so the relationship statuses,
overdue promises and measured effects read the same whenever the demo is started.
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(2026)

# id, name, domain, kind, parent, influence, interest, legitimacy, urgency, tags
ACTORS = [
    ("min-bzk", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "ministry", "organisation", "", 0.9, 0.9, True, True, "rijk;opdrachtgever"),
    ("dgdoo", "DG Digitalisering en Overheidsorganisatie", "ministry", "organisation", "min-bzk", 0.7, 0.9, True, True, "rijk"),
    ("staatssecretaris", "Staatssecretaris Digitalisering", "ministry", "person", "min-bzk", 0.8, 0.8, True, True, "rijk;bestuurder"),
    ("min-fin", "Ministerie van Financiën", "ministry", "organisation", "", 0.75, 0.4, True, False, "rijk"),
    ("min-ezk", "Ministerie van Economische Zaken en Klimaat", "ministry", "organisation", "", 0.6, 0.3, True, False, "rijk"),
    ("min-jenv", "Ministerie van Justitie en Veiligheid", "ministry", "organisation", "", 0.65, 0.4, True, False, "rijk"),
    ("vng", "Vereniging van Nederlandse Gemeenten", "vng", "organisation", "", 0.85, 0.9, True, True, "koepel"),
    ("vng-realisatie", "VNG Realisatie", "vng", "organisation", "vng", 0.38, 0.9, True, False, "uitvoering"),
    ("ibd", "Informatiebeveiligingsdienst (IBD)", "vng", "organisation", "vng", 0.35, 0.7, True, False, "bio"),
    ("utrecht", "Gemeente Utrecht", "municipality", "organisation", "", 0.55, 0.8, True, False, "g4;voorloper"),
    ("zaanstad", "Gemeente Zaanstad", "municipality", "organisation", "", 0.35, 0.6, True, False, "voorloper"),
    ("amsterdam", "Gemeente Amsterdam", "municipality", "organisation", "", 0.75, 0.7, True, False, "g4"),
    ("rotterdam", "Gemeente Rotterdam", "municipality", "organisation", "", 0.7, 0.6, True, False, "g4"),
    ("den-haag", "Gemeente Den Haag", "municipality", "organisation", "", 0.65, 0.6, True, True, "g4"),
    ("eindhoven", "Gemeente Eindhoven", "municipality", "organisation", "", 0.5, 0.6, True, False, "g40"),
    ("groningen", "Gemeente Groningen", "municipality", "organisation", "", 0.5, 0.5, True, False, "g40"),
    ("tubbergen", "Gemeente Tubbergen", "municipality", "organisation", "", 0.15, 0.4, True, True, "klein"),
    ("vlieland", "Gemeente Vlieland", "municipality", "organisation", "", 0.1, 0.3, True, True, "klein"),
    ("westland", "Gemeente Westland", "municipality", "organisation", "", 0.25, 0.4, True, False, "middelgroot"),
    ("ipo", "Interprovinciaal Overleg", "province", "organisation", "", 0.5, 0.4, True, False, "koepel"),
    ("prov-utrecht", "Provincie Utrecht", "province", "organisation", "", 0.35, 0.4, True, False, ""),
    ("uvw", "Unie van Waterschappen", "water-board", "organisation", "", 0.45, 0.3, True, False, "koepel"),
    ("hdsr", "Hoogheemraadschap De Stichtse Rijnlanden", "water-board", "organisation", "", 0.2, 0.2, True, False, ""),
    ("logius", "Logius", "agency", "organisation", "dgdoo", 0.6, 0.9, True, True, "digid;voorziening"),
    ("rvig", "Rijksdienst voor Identiteitsgegevens", "agency", "organisation", "", 0.55, 0.6, True, False, "brp"),
    ("kadaster", "Kadaster", "agency", "organisation", "", 0.5, 0.5, True, False, "basisregistratie"),
    ("belastingdienst", "Belastingdienst", "agency", "organisation", "", 0.7, 0.3, True, False, "uitvoering"),
    ("ictu", "ICTU", "agency", "organisation", "", 0.45, 0.8, False, False, "programma"),
    ("ap", "Autoriteit Persoonsgegevens", "agency", "organisation", "", 0.7, 0.6, True, True, "toezicht"),
    ("uu", "Universiteit Utrecht", "science", "organisation", "", 0.5, 0.4, True, False, "onderzoek"),
    ("tu-delft", "TU Delft", "science", "organisation", "", 0.45, 0.3, True, False, "onderzoek"),
    ("rathenau", "Rathenau Instituut", "science", "organisation", "", 0.5, 0.6, True, True, "onderzoek"),
    ("tno", "TNO", "science", "organisation", "", 0.55, 0.4, True, False, "onderzoek"),
    ("berenschot", "Berenschot", "science", "organisation", "", 0.3, 0.5, False, False, "advies;casus-utrecht"),
    ("nederland-ict", "Nederland ICT", "business", "organisation", "", 0.5, 0.6, False, False, "branche"),
    ("centric", "Centric", "business", "organisation", "", 0.4, 0.7, False, True, "leverancier"),
    ("pinkroccade", "PinkRoccade Local Government", "business", "organisation", "", 0.35, 0.7, False, True, "leverancier"),
    ("bits-of-freedom", "Bits of Freedom", "civil-society", "organisation", "", 0.5, 0.8, True, True, "privacy"),
    ("privacy-first", "Privacy First", "civil-society", "organisation", "", 0.35, 0.7, True, True, "privacy"),
    ("consumentenbond", "Consumentenbond", "civil-society", "organisation", "", 0.45, 0.5, True, False, "burger"),
    ("iederin", "Ieder(in)", "civil-society", "organisation", "", 0.4, 0.8, True, True, "toegankelijkheid"),
    ("alert-online", "Alert Online", "civil-society", "organisation", "", 0.3, 0.5, False, False, "campagne;bio"),
    ("nos", "NOS", "media", "organisation", "", 0.6, 0.3, False, False, "landelijk"),
    ("binnenlands-bestuur", "Binnenlands Bestuur", "media", "organisation", "", 0.4, 0.6, False, False, "vakblad"),
    ("ibestuur", "iBestuur", "media", "organisation", "", 0.3, 0.6, False, False, "vakblad"),
    ("ombudsman", "Nationale ombudsman", "other", "organisation", "", 0.6, 0.5, True, True, "burger"),
    ("ao-fonds", "A&O-fonds Gemeenten", "other", "organisation", "", 0.3, 0.6, True, False, "leren"),
    ("kloosterhoeve", "Kloosterhoeve-overleg", "other", "organisation", "", 0.4, 0.8, True, False, "overleg"),
    ("vgs", "Vereniging van Gemeentesecretarissen", "other", "organisation", "", 0.35, 0.6, True, False, "koepel"),
]

# id, label, core, description
NARRATIVES = [
    ("digital-by-default", "Digitaal als standaard", True, "Burgers en ondernemers regelen hun zaken met de gemeente standaard online, via één loket."),
    ("central-facilities", "Eerst centrale voorzieningen", True, "Het Rijk bouwt de gemeenschappelijke voorzieningen; gemeenten sluiten daarna aan."),
    ("improve-after-golive", "Constant verbeteren na de invoering", True, "Na het moment van transitie blijven experimenteren, leren en centraal verbeteren."),
    ("privacy-risks", "Privacyrisico's van centrale systemen", False, "Een centraal systeem bundelt gegevens en vergroot het risico bij een lek."),
    ("local-autonomy", "Gemeentelijke autonomie en maatwerk", False, "Gemeenten moeten zelf kunnen kiezen hoe zij hun dienstverlening inrichten."),
    ("fallback-channels", "Terugvalopties voor wie niet digitaal kan", False, "Wie niet digitaal kan of wil, houdt een balie, telefoon of hulp."),
    ("costs-municipalities", "De kosten komen bij gemeenten terecht", False, "De invoering kost gemeenten geld en capaciteit die het Rijk niet vergoedt."),
    ("bio-security", "Informatieveiligheid volgens de BIO", False, "Alle overheidslagen voldoen aan de Baseline Informatiebeveiliging Overheid."),
    ("experiment-bottom-up", "Experimenteren en innoveren van onderop", False, "Voorlopers experimenteren; wat werkt wordt verbreed."),
    ("data-driven", "Datagedreven sturing", False, "Gemeenten sturen op data en bouwen daarvoor competenties op."),
    ("vendor-lockin", "Afhankelijkheid van leveranciers", False, "Gemeenten raken afhankelijk van een paar grote softwareleveranciers."),
]

D, C, I = "digital-by-default", "central-facilities", "improve-after-golive"
# Current positions (dated 2020-2026); an earlier stance (2015-2019) is added for some.
POSITIONS = {
    "min-bzk": {D: 2, C: 2, "bio-security": 2, "data-driven": 1, "fallback-channels": 1},
    "dgdoo": {D: 2, C: 2, "experiment-bottom-up": 1},
    "staatssecretaris": {D: 2, C: 1, "fallback-channels": 1},
    "min-fin": {D: 1, C: 1, "costs-municipalities": -1},
    "min-ezk": {D: 1, "vendor-lockin": -1, "data-driven": 2},
    "min-jenv": {D: 1, C: -1, "privacy-risks": 1, "bio-security": 2},
    "vng": {D: 1, C: -1, I: 0, "local-autonomy": 2, "costs-municipalities": 2},
    "vng-realisatie": {D: 2, C: 1, I: 2, "experiment-bottom-up": 2},
    "ibd": {D: 1, I: 2, "bio-security": 2},
    "utrecht": {D: 2, C: 0, I: 2, "experiment-bottom-up": 2, "data-driven": 2},
    "zaanstad": {D: 1, I: 2, "data-driven": 1},
    "amsterdam": {D: 2, C: 0, "privacy-risks": 1, "local-autonomy": 1},
    "rotterdam": {D: 1, C: -1, "local-autonomy": 1},
    "den-haag": {D: 2, C: -2, "local-autonomy": 2},
    "eindhoven": {D: 2, C: 1},
    "groningen": {D: 1, C: 1, I: 1, "local-autonomy": 1},
    "tubbergen": {D: -1, C: -1, "fallback-channels": 2, "costs-municipalities": 2},
    "vlieland": {D: -2, "fallback-channels": 2},
    "westland": {D: 1, C: -1, "costs-municipalities": 1},
    "ipo": {D: 1},
    "prov-utrecht": {D: 1, I: 1},
    "uvw": {D: 1, C: 1},
    "hdsr": {"bio-security": 1},
    "logius": {D: 2, C: 2, "bio-security": 1, "vendor-lockin": -1},
    "rvig": {D: 2, C: 2},
    "kadaster": {D: 2, C: 1},
    "belastingdienst": {"fallback-channels": 1, "bio-security": 1},
    "ictu": {D: 1, C: 1, I: 2},
    "ap": {D: -1, C: -2, "privacy-risks": 2},
    "uu": {D: 1, C: -1, I: 1, "data-driven": 2},
    "tu-delft": {C: -1, I: 1, "vendor-lockin": 2},
    "rathenau": {D: -1, C: -2, "privacy-risks": 2, "fallback-channels": 1},
    "tno": {D: 1, C: -1, "data-driven": 2},
    "berenschot": {"experiment-bottom-up": 2, "data-driven": 2},
    "nederland-ict": {D: 2, C: 1},
    "centric": {D: 1, C: -1, "vendor-lockin": -2},
    "pinkroccade": {D: 1, C: -1},
    "bits-of-freedom": {D: -1, C: -2, "privacy-risks": 2},
    "privacy-first": {C: -2, "privacy-risks": 2},
    "consumentenbond": {D: -1, "fallback-channels": 2},
    "iederin": {D: -2, "fallback-channels": 2},
    "alert-online": {D: 1, "bio-security": 2},
    "nos": {C: -1, "privacy-risks": 1},
    "binnenlands-bestuur": {C: -1, "costs-municipalities": 1},
    "ibestuur": {D: 1, I: 1},
    "ombudsman": {D: -2, "fallback-channels": 2},
    "ao-fonds": {I: 2, "experiment-bottom-up": 2},
    "kloosterhoeve": {D: 2, C: 1, I: 1},
    "vgs": {D: 1, C: -1},
}
# Actors whose every stance lies before 2020: the coalition has not heard from them lately.
DORMANT = {"zaanstad"}

SOURCES = [
    "Kamerbrief voortgang digitale overheid",
    "Position paper rondetafelgesprek",
    "Jaarverslag",
    "Interview in vakblad",
    "Reactie op internetconsultatie",
    "Congresbijdrage",
    "Ledenbrief",
]

# source, target, kind, weight, since (year)
TIES = [
    ("min-bzk", "dgdoo", "authority", 0.9, 2015),
    ("min-bzk", "staatssecretaris", "authority", 0.9, 2022),
    ("min-bzk", "min-fin", "communication", 0.6, 2015),
    ("min-bzk", "min-ezk", "communication", 0.5, 2016),
    ("min-bzk", "min-jenv", "communication", 0.5, 2016),
    ("min-bzk", "kadaster", "authority", 0.5, 2015),
    ("dgdoo", "logius", "authority", 0.8, 2015),
    ("dgdoo", "rvig", "authority", 0.7, 2015),
    ("dgdoo", "ictu", "funding", 0.6, 2017),
    ("dgdoo", "staatssecretaris", "communication", 0.8, 2022),
    ("dgdoo", "min-fin", "communication", 0.4, 2019),
    ("logius", "rvig", "collaboration", 0.7, 2016),
    ("logius", "kadaster", "collaboration", 0.5, 2018),
    ("logius", "ictu", "collaboration", 0.6, 2017),
    ("logius", "belastingdienst", "collaboration", 0.6, 2016),
    ("rvig", "kadaster", "communication", 0.4, 2019),
    ("rvig", "ictu", "communication", 0.4, 2021),
    ("min-fin", "belastingdienst", "authority", 0.9, 2015),
    ("min-ezk", "logius", "communication", 0.3, 2021),
    ("min-ezk", "tno", "funding", 0.5, 2015),
    ("min-jenv", "ap", "communication", 0.4, 2018),
    ("min-bzk", "ap", "conflict", 0.6, 2023),
    ("logius", "vng-realisatie", "collaboration", 0.6, 2019),
    ("vng", "vng-realisatie", "membership", 0.9, 2015),
    ("vng", "ibd", "membership", 0.9, 2015),
    ("vng-realisatie", "ibd", "collaboration", 0.8, 2017),
    ("vng", "utrecht", "membership", 0.5, 2015),
    ("vng", "zaanstad", "membership", 0.5, 2015),
    ("vng", "amsterdam", "membership", 0.5, 2015),
    ("vng", "rotterdam", "membership", 0.5, 2015),
    ("vng", "den-haag", "membership", 0.5, 2015),
    ("vng", "eindhoven", "membership", 0.5, 2015),
    ("vng", "groningen", "membership", 0.5, 2015),
    ("vng", "tubbergen", "membership", 0.5, 2015),
    ("vng", "vlieland", "membership", 0.5, 2015),
    ("vng", "westland", "membership", 0.5, 2015),
    ("vng-realisatie", "utrecht", "collaboration", 0.7, 2018),
    ("vng-realisatie", "zaanstad", "collaboration", 0.5, 2017),
    ("vng-realisatie", "groningen", "collaboration", 0.5, 2020),
    ("ibd", "utrecht", "communication", 0.6, 2018),
    ("ibd", "amsterdam", "communication", 0.6, 2018),
    ("ibd", "zaanstad", "communication", 0.4, 2018),
    ("ibd", "alert-online", "collaboration", 0.5, 2019),
    ("utrecht", "amsterdam", "communication", 0.5, 2016),
    ("utrecht", "zaanstad", "communication", 0.4, 2018),
    ("utrecht", "eindhoven", "collaboration", 0.4, 2021),
    ("utrecht", "groningen", "communication", 0.4, 2020),
    ("utrecht", "prov-utrecht", "collaboration", 0.5, 2017),
    ("amsterdam", "rotterdam", "communication", 0.6, 2015),
    ("rotterdam", "den-haag", "communication", 0.6, 2015),
    ("prov-utrecht", "ipo", "membership", 0.7, 2015),
    ("prov-utrecht", "hdsr", "communication", 0.4, 2018),
    ("uvw", "hdsr", "membership", 0.8, 2015),
    ("ipo", "uvw", "communication", 0.4, 2019),
    ("ipo", "vng", "communication", 0.5, 2016),
    ("ao-fonds", "vng", "collaboration", 0.6, 2016),
    ("ao-fonds", "zaanstad", "collaboration", 0.5, 2017),
    ("ao-fonds", "utrecht", "communication", 0.3, 2021),
    ("vng", "min-bzk", "communication", 0.7, 2015),
    ("kloosterhoeve", "min-bzk", "collaboration", 0.6, 2016),
    ("kloosterhoeve", "vng", "collaboration", 0.6, 2016),
    ("kloosterhoeve", "vgs", "collaboration", 0.6, 2016),
    ("vgs", "vng", "membership", 0.5, 2015),
    ("vgs", "utrecht", "communication", 0.3, 2020),
    ("uu", "utrecht", "collaboration", 0.5, 2019),
    ("uu", "tno", "communication", 0.4, 2018),
    ("tu-delft", "tno", "collaboration", 0.5, 2017),
    ("tu-delft", "logius", "communication", 0.3, 2022),
    ("rathenau", "min-bzk", "communication", 0.4, 2019),
    ("berenschot", "utrecht", "communication", 0.4, 2019),
    ("berenschot", "zaanstad", "communication", 0.3, 2019),
    ("uu", "berenschot", "communication", 0.3, 2020),
    ("rotterdam", "tno", "collaboration", 0.4, 2021),
    ("nederland-ict", "centric", "membership", 0.6, 2015),
    ("nederland-ict", "pinkroccade", "membership", 0.6, 2015),
    ("centric", "den-haag", "collaboration", 0.5, 2018),
    ("centric", "tubbergen", "collaboration", 0.4, 2019),
    ("pinkroccade", "westland", "collaboration", 0.4, 2019),
    ("pinkroccade", "logius", "communication", 0.3, 2020),
    ("bits-of-freedom", "privacy-first", "collaboration", 0.7, 2016),
    ("bits-of-freedom", "nos", "communication", 0.4, 2020),
    ("privacy-first", "ap", "communication", 0.3, 2019),
    ("consumentenbond", "iederin", "collaboration", 0.5, 2018),
    ("consumentenbond", "ombudsman", "communication", 0.4, 2019),
    ("iederin", "ombudsman", "communication", 0.5, 2019),
    ("ombudsman", "belastingdienst", "conflict", 0.5, 2021),
    ("alert-online", "min-jenv", "funding", 0.5, 2016),
    ("nos", "binnenlands-bestuur", "communication", 0.3, 2020),
    ("nos", "min-bzk", "conflict", 0.3, 2024),
    ("binnenlands-bestuur", "vng", "communication", 0.5, 2017),
    ("ibestuur", "min-bzk", "communication", 0.4, 2018),
    ("ibestuur", "ictu", "communication", 0.3, 2019),
    ("ibestuur", "binnenlands-bestuur", "communication", 0.3, 2021),
    ("staatssecretaris", "vng", "conflict", 0.5, 2024),
    ("min-fin", "vng", "conflict", 0.5, 2023),
    ("amsterdam", "ap", "communication", 0.3, 2022),
    ("tubbergen", "vlieland", "communication", 0.2, 2021),
]


def date_in(year_from, year_to):
    year = rng.randint(year_from, year_to)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    return f"{year:04d}-{month:02d}-{day:02d}"


# The demo's "today": the end of its data (map.csv settings `as_of`).
AS_OF = "2026-06-30"
TEAM = ["Anouk", "Bram", "Chantal", "Daan"]

# The contact history, hand-written: date, kind, title, actors, team, narratives, outcome,
# sentiment, next_step, next_contact, confidential. Chosen so that on the demo's "today" every
# relationship status shows (ok, due, overdue, never, none), and the two done plan items have
# contacts that carried them out.
INTERACTIONS = [
    ("2024-01-18", "meeting", "Kick-off programme board", ["min-bzk", "dgdoo"], ["Anouk", "Bram"], [D, C], "Mandate for the programme confirmed.", 1, "Send the roadmap", "", False),
    ("2024-02-06", "meeting", "Introduction VNG directorate", ["vng"], ["Anouk"], [D, "local-autonomy"], "VNG wants a say in the order of the roll-out.", 0, "Propose a joint steering group", "", False),
    ("2024-02-27", "call", "Zaanstad pilot results", ["zaanstad"], ["Chantal"], [I, "data-driven"], "Pilot documents shared; no new pilot planned.", 1, "", "", False),
    ("2024-03-12", "consultation", "Round table privacy and central facilities", ["ap", "bits-of-freedom", "privacy-first"], ["Bram", "Daan"], [C, "privacy-risks"], "Strong objections to central storage; asked for a DPIA.", -1, "Share the DPIA plan", "", False),
    ("2024-04-09", "meeting", "Logius: capacity for the roll-out", ["logius"], ["Bram"], [C, "bio-security"], "Logius can host the facilities from 2025.", 1, "", "", False),
    ("2024-05-14", "event", "Regional meeting East", ["tubbergen", "vlieland", "westland"], ["Chantal"], ["fallback-channels", "costs-municipalities"], "Small municipalities worry about counter services and costs.", -1, "Costs paper for small municipalities", "", False),
    ("2024-06-04", "meeting", "Staatssecretaris: priorities 2025", ["staatssecretaris", "dgdoo"], ["Anouk"], [D, "fallback-channels"], "Fallback channels become a condition.", 1, "", "", True),
    ("2024-09-10", "meeting", "VNG on the cost model", ["vng"], ["Anouk", "Daan"], ["costs-municipalities", "local-autonomy"], "VNG wants compensation written into the agreement.", -1, "Cost model to VNG", "", False),
    ("2024-10-01", "letter", "Letter to the Nationale ombudsman", ["ombudsman"], ["Daan"], ["fallback-channels"], "Our plan for counter services explained.", 0, "", "", False),
    ("2024-11-19", "meeting", "Utrecht: digital counter pilot", ["utrecht", "vng-realisatie"], ["Chantal"], [I, "experiment-bottom-up"], "Utrecht offers to be the first pilot.", 2, "Pilot agreement", "", False),
    ("2025-01-21", "meeting", "Programme board January", ["min-bzk", "dgdoo", "logius"], ["Anouk", "Bram"], [D, C], "Roll-out order agreed.", 1, "", "", False),
    ("2025-02-11", "call", "Rotterdam on local autonomy", ["rotterdam"], ["Daan"], ["local-autonomy"], "Rotterdam keeps its own front office for now.", -1, "", "", False),
    ("2025-03-04", "meeting", "TNO and EZK: research partnership", ["tno", "min-ezk"], ["Bram"], ["data-driven", D], "EZK willing to ask TNO to co-author the evaluation.", 1, "Draft research question", "", False),
    ("2025-04-15", "meeting", "TNO: evaluation design", ["tno"], ["Bram"], [D, C, I], "TNO agrees to evaluate the pilots.", 1, "", "", False),
    ("2025-05-20", "consultation", "Internet consultation: reactions", ["consumentenbond", "iederin"], ["Daan"], ["fallback-channels"], "Access for people who cannot go digital is the main concern.", 0, "", "", False),
    ("2025-06-10", "meeting", "Den Haag: central facilities", ["den-haag"], ["Anouk"], [C, "local-autonomy"], "Den Haag remains opposed to central facilities.", -2, "", "", False),
    ("2025-06-24", "event", "Science day digital government", ["tno", "uu", "tu-delft", "rathenau"], ["Bram", "Chantal"], [I, "data-driven"], "TNO presents the evaluation design.", 1, "", "", False),
    ("2025-07-08", "meeting", "DGDOO and Eindhoven: roll-out partnership", ["dgdoo", "eindhoven"], ["Anouk"], [D, C], "Eindhoven joins the first roll-out wave.", 2, "", "", False),
    ("2025-08-26", "call", "Eindhoven: planning wave 1", ["eindhoven"], ["Chantal"], [C], "Planning agreed.", 1, "", "", False),
    ("2025-09-16", "meeting", "Programme board September", ["min-bzk", "dgdoo"], ["Anouk"], [D, C], "Budget 2026 confirmed.", 1, "", "", False),
    ("2025-10-07", "meeting", "VNG Realisatie: joint steering group", ["vng-realisatie", "vng"], ["Anouk", "Chantal"], [D, I, "local-autonomy"], "Steering group set up; VNG still hesitant on central facilities.", 0, "Prepare the VNG congress", "", False),
    ("2025-11-04", "meeting", "Autoriteit Persoonsgegevens: DPIA", ["ap"], ["Bram"], ["privacy-risks"], "AP asks for a second DPIA round.", -1, "", "", True),
    ("2025-12-09", "call", "Rotterdam: year-end call", ["rotterdam"], ["Daan"], [D], "No change in position.", 0, "", "", False),
    ("2026-01-15", "meeting", "Rotterdam: front office", ["rotterdam"], ["Daan"], ["local-autonomy", C], "Rotterdam asks for an opt-out.", -1, "Answer on the opt-out", "2026-03-01", False),
    ("2026-01-27", "meeting", "Programme board January", ["min-bzk", "dgdoo", "logius", "staatssecretaris"], ["Anouk", "Bram"], [D, C], "Wave 2 approved.", 2, "", "", False),
    ("2026-02-17", "meeting", "VNG: cost compensation", ["vng"], ["Anouk", "Daan"], ["costs-municipalities"], "VNG waits for the cost model before it takes a position.", -1, "Cost model before May", "", False),
    ("2026-03-10", "event", "Kloosterhoeve overleg spring session", ["kloosterhoeve", "vgs", "vng", "min-bzk", "ipo", "uvw"], ["Anouk", "Chantal"], [D, C, I], "Broad support for the digital counter; costs remain the sticking point.", 1, "", "", False),
    ("2026-03-24", "event", "Regional meeting municipalities", ["utrecht", "amsterdam", "den-haag", "eindhoven", "groningen", "westland", "tubbergen"], ["Chantal", "Daan"], [D, "fallback-channels", "costs-municipalities"], "Municipalities ask for help desks and a cost guarantee.", 0, "", "", False),
    ("2026-04-07", "meeting", "Staatssecretaris: progress", ["staatssecretaris"], ["Anouk"], [D], "Progress letter to parliament in June.", 1, "Input for the progress letter", "2026-06-01", True),
    ("2026-04-20", "meeting", "VNG directorate: roll-out wave 2", ["vng"], ["Anouk"], [D, "local-autonomy"], "VNG agrees to inform its members, not to endorse.", 0, "Next directorate meeting in June", "2026-06-15", False),
    ("2026-04-28", "event", "Suppliers and agencies day", ["nederland-ict", "centric", "pinkroccade", "ictu", "kadaster", "rvig", "belastingdienst", "ibd", "alert-online"], ["Bram"], [C, "vendor-lockin", "bio-security"], "Suppliers ready to connect; concerns about lock-in.", 0, "", "", False),
    ("2026-05-06", "consultation", "Civil society panel", ["consumentenbond", "iederin", "ombudsman", "bits-of-freedom", "privacy-first", "rathenau"], ["Daan"], ["fallback-channels", "privacy-risks"], "Support for fallback channels; privacy remains contested.", 0, "", "", False),
    ("2026-05-12", "meeting", "Ministry of Finance: budget", ["min-fin", "min-jenv", "min-ezk"], ["Anouk"], ["costs-municipalities", "bio-security"], "Finance wants the cost model before the autumn budget.", 0, "", "", False),
    ("2026-05-19", "meeting", "Amsterdam: privacy by design", ["amsterdam"], ["Bram"], ["privacy-risks", D], "Amsterdam joins if data stays local.", 1, "", "", False),
    ("2026-05-26", "call", "Media briefing", ["nos", "binnenlands-bestuur", "ibestuur"], ["Daan"], [D], "Background briefing on wave 2.", 0, "", "", False),
    ("2026-06-03", "meeting", "Utrecht and Groningen: pilot evaluation", ["utrecht", "groningen", "vng-realisatie", "ao-fonds"], ["Chantal"], [I, "experiment-bottom-up"], "Evaluation shows shorter handling times.", 2, "", "", False),
    ("2026-06-09", "meeting", "Programme board June", ["min-bzk", "dgdoo", "logius"], ["Anouk", "Bram"], [D, C], "Progress letter text agreed.", 1, "", "", False),
    ("2026-06-16", "meeting", "Den Haag: second attempt", ["den-haag"], ["Anouk"], [C], "Den Haag open to a trial of one facility.", 1, "", "", False),
]

# Routine contacts over 2024-2026 (drawn with the seeded generator): kind, title, actor pool.
ROUTINE = [
    ("call", "Update on the roll-out", ["logius", "dgdoo", "vng-realisatie", "ictu", "rvig", "kadaster"]),
    ("email", "Documents for the next meeting", ["min-bzk", "vng", "utrecht", "eindhoven", "tno"]),
    ("meeting", "Working session", ["logius", "vng-realisatie", "ibd", "utrecht", "ictu"]),
    ("call", "Check-in", ["amsterdam", "rotterdam", "groningen", "min-fin", "min-jenv"]),
]

# Commitments: actor, direction, text, owner, made_on, due, status, interaction date, closed_on.
COMMITMENTS = [
    ("vng", "ours", "Send the cost model for municipalities", "Daan", "2026-02-17", "2026-05-15", "open", "2026-02-17", ""),
    ("min-bzk", "ours", "Send the roadmap of the programme", "Anouk", "2024-01-18", "2024-03-01", "done", "2024-01-18", "2024-02-26"),
    ("ap", "ours", "Share the plan for the second DPIA", "Bram", "2025-11-04", "2026-02-01", "in-progress", "2025-11-04", ""),
    ("rotterdam", "ours", "Answer on the opt-out for the front office", "Daan", "2026-01-15", "2026-03-01", "open", "2026-01-15", ""),
    ("utrecht", "theirs", "Share the evaluation report of the pilot", "Chantal", "2024-11-19", "2026-06-01", "in-progress", "2024-11-19", ""),
    ("tno", "theirs", "Co-author the evaluation of the pilots", "Bram", "2025-04-15", "2025-12-31", "done", "2025-04-15", "2025-12-12"),
    ("eindhoven", "theirs", "Name a contact person for wave 1", "Chantal", "2025-07-08", "2025-08-01", "done", "2025-07-08", "2025-07-30"),
    ("staatssecretaris", "ours", "Input for the progress letter to parliament", "Anouk", "2026-04-07", "2026-06-01", "done", "2026-04-07", "2026-05-29"),
    ("vng", "theirs", "Inform the members about wave 2", "Anouk", "2026-04-20", "2026-06-15", "open", "2026-04-20", ""),
    ("tubbergen", "ours", "Costs paper for small municipalities", "Chantal", "2024-05-14", "2024-09-01", "dropped", "2024-05-14", "2024-10-15"),
    ("min-fin", "ours", "Cost model before the autumn budget", "Anouk", "2026-05-12", "2026-09-01", "open", "2026-05-12", ""),
    ("den-haag", "theirs", "Propose one facility for a trial", "Anouk", "2026-06-16", "2026-07-31", "open", "2026-06-16", ""),
]

# Plan items: kind, title, targets, messenger, narrative, owner, due, status, adopted_on,
# done_on, strength_at_adoption, simulated_gain, rationale, interaction dates that carried it.
PLAN = [
    ("recruit-domain", "Win TNO through EZK", ["tno"], "min-ezk", "", "Bram", "2025-06-30", "done", "2025-02-15", "2025-06-24", 48.9, 3.9,
     "Win TNO for the core narratives through the Ministry of Economic Affairs, so that science takes part in the coalition.", ["2025-03-04", "2025-04-15", "2025-06-24"]),
    ("convene", "Bring DGDOO and Eindhoven together", ["dgdoo", "eindhoven"], "", "", "Anouk", "2025-09-01", "done", "2025-06-01", "2025-08-26", 49.0, 1.1,
     "Convene DGDOO and Eindhoven, who share the core narratives but have no tie.", ["2025-07-08", "2025-08-26"]),
    ("recruit-domain", "Win VNG through VNG Realisatie", ["vng"], "vng-realisatie", "", "Anouk", "2026-09-30", "in-progress", "2025-10-01", "", 51.2, 2.7,
     "Win VNG for the core narratives through VNG Realisatie, so that the VNG domain takes part in the coalition.", ["2025-10-07", "2026-04-20"]),
    ("convene", "Bring Alert Online and BZK together", ["alert-online", "min-bzk"], "", "", "Bram", "2026-05-01", "planned", "2026-03-01", "", 54.9, 1.1,
     "Convene Alert Online and the Ministry of BZK, who share the core narratives but have no tie.", []),
    ("custom", "Round table with privacy organisations", ["bits-of-freedom", "privacy-first"], "", "privacy-risks", "Daan", "2025-12-01", "dropped", "2025-09-01", "", None, None,
     "Our own idea: explain the DPIA to the privacy organisations. Dropped after the AP asked for a second DPIA round.", []),
]


def write_engagement():
    routine = []
    for year in (2024, 2025, 2026):
        for kind, title, pool in ROUTINE:
            for _ in range(2 if year < 2026 else 1):
                month = rng.randint(1, 12 if year < 2026 else 5)
                date = f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}"
                actor = rng.choice(pool)
                narrative = rng.choice(sorted(POSITIONS[actor]))
                sentiment = rng.choice([0, 1, 1, 2])
                routine.append((date, kind, title, [actor], [rng.choice(TEAM)], [narrative], "", sentiment, "", "", False))
    rows = sorted(INTERACTIONS + routine, key=lambda r: (r[0], r[2], r[3]))
    ids = {}
    with open(os.path.join(HERE, "interactions.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "date", "kind", "title", "actors", "team", "narratives", "outcome", "sentiment", "next_step", "next_contact", "source", "confidential"])
        for i, r in enumerate(rows, 1):
            ids.setdefault(r[0], []).append((f"i{i}", r[3]))
            w.writerow([f"i{i}", r[0], r[1], r[2], ";".join(r[3]), ";".join(r[4]), ";".join(r[5]), r[6],
                        "" if r[7] is None else r[7], r[8], r[9], "", "true" if r[10] else "false"])

    def interaction_on(date, actor_ids):
        return next(i for i, actors in ids[date] if set(actor_ids) & set(actors))

    with open(os.path.join(HERE, "commitments.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "actor", "direction", "text", "owner", "made_on", "due", "status", "interaction", "closed_on"])
        for k, c in enumerate(COMMITMENTS, 1):
            w.writerow([f"k{k}", c[0], c[1], c[2], c[3], c[4], c[5], c[6], interaction_on(c[7], [c[0]]), c[8]])
    with open(os.path.join(HERE, "plan.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "kind", "title", "targets", "messenger", "narrative", "owner", "due", "status", "adopted_on", "done_on", "strength_at_adoption", "simulated_gain", "rationale", "interactions"])
        for n, p in enumerate(PLAN, 1):
            carried = [interaction_on(d, p[2]) for d in p[13]]
            w.writerow([f"p{n}", p[0], p[1], ";".join(p[2]), p[3], p[4], p[5], p[6], p[7], p[8], p[9],
                        "" if p[10] is None else p[10], "" if p[11] is None else p[11], p[12], ";".join(carried)])
    with open(os.path.join(HERE, "map.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["field", "value"])
        w.writerow(["settings", '{"as_of":"%s"}' % AS_OF])
    return len(rows)


def main():
    with open(os.path.join(HERE, "actors.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name", "domain", "kind", "parent", "influence", "interest", "legitimacy", "urgency", "tags"])
        for a in ACTORS:
            row = list(a)
            row[7] = "true" if a[7] else "false"
            row[8] = "true" if a[8] else "false"
            w.writerow(row)
    with open(os.path.join(HERE, "narratives.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "label", "core", "description"])
        for n in NARRATIVES:
            w.writerow([n[0], n[1], "true" if n[2] else "false", n[3]])
    stances = []
    for actor in sorted(POSITIONS):
        # Every active actor said something in the last year of the data (the window's end is
        # the latest date, 2026-06-30); dormant ones did not.
        recent = rng.choice(sorted(POSITIONS[actor]))
        for narrative, pos in sorted(POSITIONS[actor].items()):
            late = (2016, 2019) if actor in DORMANT else (2020, 2026)
            if actor not in DORMANT and rng.random() < 0.6:
                # An earlier, milder (or the same) position: the coalition grew over time.
                early = pos - (1 if pos > 0 else -1 if pos < 0 else 0) if rng.random() < 0.5 else pos
                stances.append((actor, narrative, early, date_in(2015, 2019), rng.choice(SOURCES)))
            date = date_in(*late)
            if narrative == recent and actor not in DORMANT:
                date = rng.choice(["2025-09-", "2025-11-", "2026-02-", "2026-04-"]) + f"{rng.randint(1, 28):02d}"
            if date > "2026-06-30":
                date = "2026-06-30"
            stances.append((actor, narrative, pos, date, rng.choice(SOURCES)))
    # VNG's turn on central facilities: for in 2016, against since 2021.
    stances.append(("vng", C, 1, "2016-03-15", "Ledenbrief"))
    stances.append(("staatssecretaris", D, 2, "2026-06-30", "Kamerbrief voortgang digitale overheid"))
    stances.sort(key=lambda s: (s[3], s[0], s[1]))
    with open(os.path.join(HERE, "stances.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "actor", "narrative", "position", "date", "source"])
        for i, s in enumerate(stances, 1):
            w.writerow([f"s{i}", s[0], s[1], s[2], s[3], s[4]])
    with open(os.path.join(HERE, "ties.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "source", "target", "kind", "weight", "directed", "since"])
        for i, t in enumerate(TIES, 1):
            directed = "true" if t[2] in ("authority", "funding") else "false"
            w.writerow([f"t{i}", t[0], t[1], t[2], t[3], directed, f"{t[4]}-01-01"])
    contacts = write_engagement()
    print(f"{len(ACTORS)} actors, {len(NARRATIVES)} narratives, {len(stances)} stances, {len(TIES)} ties, "
          f"{contacts} interactions, {len(COMMITMENTS)} commitments, {len(PLAN)} plan items")


if __name__ == "__main__":
    main()

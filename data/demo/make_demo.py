#!/usr/bin/env python3
"""Writes the demo map (a CSV bundle) into this folder.

The demo map "Samen Digitaal Loket" is an ILLUSTRATIVE stakeholder landscape around a
fictional national digital service rolled out to municipalities. Real organisations are named
so the map looks familiar, but every stance and tie is invented: none is a real position.

Run `python3 data/demo/make_demo.py` to regenerate actors.csv, narratives.csv, stances.csv and
ties.csv. The output is deterministic (seeded).
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
    print(f"{len(ACTORS)} actors, {len(NARRATIVES)} narratives, {len(stances)} stances, {len(TIES)} ties")


if __name__ == "__main__":
    main()

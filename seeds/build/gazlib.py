"""Shared helpers for the seed builders: .gaz parsing and writing, folding, word lists."""
from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path

BUILD = Path(__file__).resolve().parent
SEEDS = BUILD.parent
DEFAULT = SEEDS / "default"
HAND_FILES = ("places.gaz", "institutions.gaz", "people.gaz")


def fold(s: str) -> str:
    """Case-, accent-, apostrophe-, dash- and space-folded form (close to what the tagger does)."""
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[\u2018\u2019\u02bc`´]", "'", s)
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    return re.sub(r"\s+", " ", s).strip()


def split_unescaped(s: str, sep: str) -> list[str]:
    out, cur, i = [], [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur.append(s[i : i + 2])
            i += 2
            continue
        if c == sep:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append("".join(cur))
    return out


def unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)


def parse_gaz(path: Path) -> list[dict]:
    """Parse plain definition lines of a .gaz file (no +/- lines are used in seeds/default)."""
    ents = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        t = line.strip()
        if not t or t.startswith("#"):
            continue
        f = [x.strip() for x in split_unescaped(t, "|")]
        e = {"line": n, "id": f[0], "type": f[1] if len(f) > 1 else "", "name": unescape(f[2]) if len(f) > 2 else ""}
        aliases = []
        if len(f) > 3 and f[3]:
            for a in split_unescaped(f[3], ";"):
                a = a.strip()
                if not a:
                    aliases.append(("", False))
                    continue
                exact = a.startswith("=")
                aliases.append((unescape(a[1:] if exact else a), exact))
        e["aliases"] = aliases
        e["options"] = f[4:]
        e["fields"] = f
        ents.append(e)
    return ents


def hand_aliases() -> dict[str, list[str]]:
    """Folded name/alias -> ids, over the hand-curated files (exact-case aliases such as "=ILO"
    only match their own case, so they do not claim the folded name)."""
    out: dict[str, list[str]] = {}
    for fn in HAND_FILES:
        p = DEFAULT / fn
        if not p.exists():
            continue
        for e in parse_gaz(p):
            exact_line = "case=exact" in e["options"]
            for a, exact in [(e["name"], exact_line)] + [(a, x or exact_line) for a, x in e["aliases"]]:
                if a and not exact:
                    out.setdefault(fold(a), []).append(e["id"])
    return out


def person_single_word_aliases() -> set[str]:
    """Folded one-word names that people.gaz uses as aliases (surnames alone, noms de guerre)."""
    out = set()
    for e in parse_gaz(DEFAULT / "people.gaz"):
        for a, _ in e["aliases"]:
            if a and " " not in a.strip():
                out.add(fold(a))
    return out


def common_words() -> set[str]:
    p = SEEDS / "common-words.txt"
    return {fold(w) for w in p.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")}


# Common first names beyond seeds/rules/first-names.txt (English and Spanish), and very common
# surnames: a place with one of these names would fire on people.
EXTRA_FIRST_NAMES = """
Aaron Adam Agnes Alan Albert Alexander Alice Amanda Amy Andrea Andrew Angela Ann Anna Anne Anthony
Arthur Barbara Betty Beverly Brenda Brian Bruce Carl Carol Caroline Catherine Charles Charlotte
Cheryl Christina Christine Christopher Cynthia Daniel Deborah Dennis Diana Diane Donald Donna
Dorothy Douglas Edward Elizabeth Emily Emma Eric Eugene Evelyn Florence Frances Frank Gary George
Gerald Gloria Grace Gregory Harold Harry Heather Helen Henry Irene Jack Jacqueline James Janet Janice
Jean Jeffrey Jennifer Jeremy Jerry Jessica Joan Joe John Johnny Jonathan Joseph Joshua Joyce Judith
Judy Julia Julie Justin Karen Katherine Kathleen Keith Kelly Kenneth Kevin Kimberly Larry Laura
Lawrence Linda Lisa Louis Louise Lydia Margaret Maria Marie Marilyn Mark Martha Mary Matthew Megan
Melissa Michael Michelle Nancy Natalie Nicholas Nicole Olivia Pamela Patricia Patrick Paul Peter
Philip Rachel Ralph Raymond Rebecca Richard Robert Roger Ronald Rose Roy Russell Ruth Ryan Samuel
Sandra Sara Sarah Scott Sharon Shirley Sophia Stephanie Stephen Steven Susan Teresa Terry Theresa
Thomas Timothy Tyler Victoria Vincent Virginia Walter Wayne William Willie Zachary
Alba Alicia Ana Andrea Beatriz Blanca Carmen Carolina Catalina Cecilia Clara Claudia Consuelo Cristina
Dolores Elena Elisa Esperanza Estela Eva Fátima Florencia Gabriela Gloria Graciela Guadalupe Inés
Isabel Josefina Juana Julia Laura Leticia Lourdes Lucía Luisa Luz Magdalena Marcela Margarita Mariana
Marina Marta Mercedes Milagros Mónica Natalia Norma Olga Paula Paz Pilar Raquel Regina Rocío Rosa
Rosario Sandra Silvia Sofía Soledad Susana Teresa Trinidad Valentina Verónica Victoria Virginia Yolanda
""".split()

COMMON_SURNAMES = """
García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz
Hernández Díaz Moreno Álvarez Muñoz Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos
Gil Ramírez Serrano Blanco Suárez Molina Morales Ortega Delgado Castro Ortiz Rubio Marín Sanz Núñez
Iglesias Medina Garrido Castillo Cortés Santos Lozano Guerrero Cano Prieto Méndez Cruz Flores Herrera
Peña León Márquez Cabrera Gallego Calvo Vidal Campos Reyes Vega Fuentes Carrasco Aguilar Caballero
Nieto Santana Pascual Herrero Montero Hidalgo Giménez Ibáñez Ferrer Durán Benítez Mora Vargas Arias
Carmona Crespo Román Pastor Soto Velasco Moya Soler Parra Bravo Gallardo Rojas Quispe Mamani Huamán
Chávez Mendoza Salazar Paredes Espinoza Rivera Valdivia Zapata Silva Sousa Oliveira Costa Pereira
Ferreira Alves Ribeiro Carvalho Gomes Souza Rocha Almeida Barbosa Cardoso
Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin
Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams
Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart
Morris Murphy Cook Rogers Morgan Cooper Peterson Bailey Reed Kelly Howard Cox Ward Richardson Watson
Brooks Wood James Bennett Gray Hughes Price Sanders Myers Long Ross Foster Jordan Hamilton Graham
Wallace Stone Kennedy Warren Ford Gordon Marshall Hunt Palmer Webb Mills Wells Stevens Austin Owens
Boyd Dixon Burns Lincoln Franklin Jefferson Madison Monroe Houston Dallas Cleveland Fox Cruz
""".split()


def first_names() -> set[str]:
    out = {fold(n) for n in EXTRA_FIRST_NAMES}
    p = SEEDS / "rules" / "first-names.txt"
    if p.exists():
        for line in p.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                out.add(fold(line))
    return out


def surnames() -> set[str]:
    return {fold(n) for n in COMMON_SURNAMES}


def esc(s: str) -> str:
    s = s.replace("\\", "\\\\").replace("|", "\\|").replace(";", "\\;")
    return "\\" + s if s.startswith("=") else s


def gaz_line(id_: str, type_: str, name: str, aliases: list[str], **opts) -> str:
    """aliases: already formatted ('=X' for exact-case, else escaped by esc)."""
    parts = [id_, type_, esc(name), "; ".join(aliases)]
    for k in ("case", "priority", "qid", "xref", "desc"):
        v = opts.get(k)
        if v is not None and v != "":
            parts.append(f"{k}={v}")
    return " | ".join(parts)


def pop_priority(pop: int) -> int:
    """Priority that grows with population: 15k -> 4, 100k -> 6, 1M -> 8, 10M -> 10."""
    return max(0, int(2 * math.log10(max(pop, 1))) - 4)


def frequent_word(name: str, threshold: float = 4.0) -> bool:
    """Is a one-word name a frequent English or Spanish word (wordfreq Zipf >= threshold)?"""
    if " " in name.strip():
        return False
    from wordfreq import zipf_frequency

    w = name.lower()
    return zipf_frequency(w, "en") >= threshold or zipf_frequency(w, "es") >= threshold


def hand_exact_aliases() -> set[str]:
    """Folded forms of the exact-case aliases of the hand-curated files (acronyms: "=OAS")."""
    out = set()
    for fn in HAND_FILES:
        p = DEFAULT / fn
        if p.exists():
            for e in parse_gaz(p):
                out |= {fold(a) for a, x in e["aliases"] if x}
    return out

#!/usr/bin/env python3
"""Check the format of seeds/default/*.gaz (or the files given): field count, unique ids across
all files, non-empty aliases, known options, qid pattern. Also reports aliases shared by several
entities with equal priority (a warning). Exit status 1 on any error.

Run: python3 seeds/build/validate.py [files...]
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gazlib import DEFAULT, fold, split_unescaped, unescape  # noqa: E402

OPTIONS = {"case", "priority", "qid", "xref", "desc"}
ID_RE = re.compile(r"^[^\s|]+$")
TYPE_RE = re.compile(r"^[A-Z0-9_-]+$")


def check(paths: list[Path]) -> int:
    errors = 0
    ids: dict[str, str] = {}
    alias_owners: dict[str, list[tuple[str, int]]] = {}
    counts = {}

    def err(p, n, msg):
        nonlocal errors
        errors += 1
        print(f"{p.name}:{n}: error: {msg}")

    for p in paths:
        counts[p.name] = 0
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            t = line.strip()
            if not t or t.startswith("#"):
                continue
            if t[0] in "+-":
                err(p, n, "change lines (+/-) are not used in seeds/default")
                continue
            f = [x.strip() for x in split_unescaped(t, "|")]
            if len(f) < 3:
                err(p, n, f"expected at least 3 fields, got {len(f)}")
                continue
            id_, typ, name = f[0], f[1], f[2]
            if not ID_RE.match(id_):
                err(p, n, f"bad id {id_!r}")
            if id_ in ids:
                err(p, n, f"duplicate id {id_!r} (also in {ids[id_]})")
            ids[id_] = f"{p.name}:{n}"
            if not TYPE_RE.match(typ):
                err(p, n, f"bad type {typ!r}")
            if not unescape(name).strip():
                err(p, n, "empty canonical name")
            names = [(unescape(name), False)]
            if len(f) > 3 and f[3]:
                for a in split_unescaped(f[3], ";"):
                    a = a.strip()
                    exact = a.startswith("=")
                    txt = unescape(a[1:] if exact else a).strip()
                    if not txt:
                        err(p, n, "empty alias")
                    elif not re.search(r"\w", txt):
                        err(p, n, f"alias {a!r} is punctuation only")
                    else:
                        names.append((txt, exact))
            prio = 0
            case_exact = False
            for o in f[4:]:
                if "=" not in o:
                    err(p, n, f"option without '=': {o!r}")
                    continue
                k, v = o.split("=", 1)
                k = k.strip()
                v = v.strip()
                if k not in OPTIONS:
                    err(p, n, f"unknown option {k!r}")
                elif k == "case" and v != "exact":
                    err(p, n, f"case must be 'exact', got {v!r}")
                elif k == "priority":
                    if not re.fullmatch(r"-?\d+", v):
                        err(p, n, f"priority must be an integer, got {v!r}")
                    else:
                        prio = int(v)
                elif k == "qid" and not re.fullmatch(r"Q\d+", v):
                    err(p, n, f"bad qid {v!r}")
                elif k == "xref" and not re.fullmatch(r"[A-Za-z0-9_.-]+:\S+", v):
                    err(p, n, f"bad xref {v!r}")
                elif k == "desc" and not v:
                    err(p, n, "empty desc")
                if k == "case" and v == "exact":
                    case_exact = True
            seen = set()
            for txt, exact in names:
                key = (txt if (exact or case_exact) else fold(txt))
                if key in seen:
                    continue
                seen.add(key)
                alias_owners.setdefault(fold(txt), []).append((id_, prio))
            counts[p.name] += 1
    ties = 0
    for a, owners in alias_owners.items():
        ids_ = {i for i, _ in owners}
        if len(ids_) < 2:
            continue
        top = max(pr for _, pr in owners)
        best = {i for i, pr in owners if pr == top}
        if len(best) > 1:
            ties += 1
            if "-v" in sys.argv:
                print(f"warning: alias {a!r} shared at equal priority {top} by {sorted(best)}")
    for k, v in counts.items():
        print(f"{k}: {v} entities")
    print(f"{len(ids)} entities, {errors} errors, {ties} aliases shared at equal top priority (-v lists them)")
    return 1 if errors else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    paths = [Path(a) for a in args] or sorted(DEFAULT.glob("*.gaz"))
    sys.exit(check(paths))

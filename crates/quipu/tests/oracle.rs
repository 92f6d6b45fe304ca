//! The fast matcher checked against a slow, obviously correct oracle of the documented
//! semantics (top of `src/matcher.rs`, DESIGN.md):
//!
//! - a candidate is any (start, end) pair of character boundaries of the original text whose
//!   substring folds (`quipu::normalize::fold_str`) to the same string as an alias;
//! - it must start on a UAX #29 word boundary of the whole text, with a character that folds
//!   to something (a match cannot start with a combining mark);
//! - invisible characters (soft hyphen, zero-width joiner ...) at its end stay outside the
//!   span; the word must end at the span's end or after those invisible characters, on a word
//!   boundary or before a possessive suffix followed by one;
//! - an exact alias matches when the substring folded but for case equals the alias folded
//!   but for case; another alias when every letter upper case in the alias and beginning a
//!   word there (preceded by a non-letter or the start) is upper case at the same folded
//!   position of the text;
//! - among valid candidates the leftmost wins, then the longest, and the search goes on after
//!   its end; the entity is the best (priority, then later gazetteer, then earlier line) among
//!   the aliases that accept the candidate.
//!
//! The oracle folds substrings, while the tagger folds the whole text once. The two agree
//! only when folding is local, so the random alphabet below keeps out what folds differently
//! in context: mis-decoded UTF-8 and its lead characters (`Â Ã Ä Å â`, which would start a
//! mojibake sequence), and characters whose compatibility decomposition mixes cases ("㎒").
//! White space is folded a run at a time, as the tagger does; candidates never start or end
//! in white space because aliases are trimmed. Each fold is checked: the oracle asserts that
//! folding the units of a substring one by one gives `fold_str` of the substring.

mod common;
use common::APOSTROPHES;

use proptest::prelude::*;
use quipu::gazetteer::{Alias, Record};
use quipu::normalize::fold_str;
use quipu::{Gazetteer, Tagger};
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// An entity as the oracle sees it.
#[derive(Debug, Clone)]
struct OEntity {
    id: String,
    priority: i32,
    gazetteer: usize,
    line: usize,
    /// (text, exact case)
    aliases: Vec<(String, bool)>,
}

/// Characters that fold to nothing and are not combining marks.
fn invisible(c: char) -> bool {
    !is_combining_mark(c) && fold_str(c.encode_utf8(&mut [0; 4])).is_empty()
}

/// The units of `s`: runs of white space, and single characters. Each with its byte offset,
/// its first character and its folded form.
fn units(s: &str) -> Vec<(usize, char, String)> {
    let mut out: Vec<(usize, char, String)> = Vec::new();
    let mut run: Option<usize> = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            run.get_or_insert(i);
            continue;
        }
        if let Some(r) = run.take() {
            out.push((r, ' ', fold_str(&s[r..i])));
        }
        out.push((i, c, fold_str(c.encode_utf8(&mut [0; 4]))));
    }
    if let Some(r) = run {
        out.push((r, ' ', fold_str(&s[r..])));
    }
    let joined: String = out.iter().map(|u| u.2.as_str()).collect();
    assert_eq!(joined, fold_str(s), "the alphabet must fold locally: {s:?}");
    out
}

/// Folded except for case.
fn fold_keep_case(s: &str) -> String {
    units(s)
        .into_iter()
        .map(|(_, c, f)| {
            if c.is_uppercase() {
                f.to_uppercase()
            } else {
                f
            }
        })
        .collect()
}

/// Folded offsets of the letters the alias needs in upper case.
fn required_capitals(alias: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut folded = 0;
    for (o, c, f) in units(alias) {
        let word_start = alias[..o]
            .chars()
            .next_back()
            .is_none_or(|p| !p.is_alphabetic());
        if !f.is_empty() && c.is_uppercase() && word_start {
            out.push(folded);
        }
        folded += f.len();
    }
    out
}

/// Does `found` satisfy the case policy of the alias?
fn case_ok(found: &str, alias: &str, exact: bool) -> bool {
    if exact {
        return fold_keep_case(found) == fold_keep_case(alias);
    }
    let mut at = Vec::new(); // (folded offset, first char) of units with output
    let mut folded = 0;
    for (_, c, f) in units(found) {
        if !f.is_empty() {
            at.push((folded, c));
        }
        folded += f.len();
    }
    required_capitals(alias).into_iter().all(|p| {
        // A capital that falls inside a unit's output ("ß" for "SS") is not checked.
        at.iter()
            .find(|(o, _)| *o == p)
            .is_none_or(|(_, c)| c.is_uppercase())
    })
}

fn possessive_len(rest: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let s = |r: &str| r.starts_with(['s', 'S']);
    for a in APOSTROPHES {
        if rest.starts_with(a) && s(&rest[a.len()..]) {
            out.push(a.len() + 1);
        }
        if s(rest) && rest[1..].starts_with(a) {
            out.push(1 + a.len());
        }
    }
    let mut chars = rest.chars();
    if let (Some(c), Some('s' | 'S')) = (chars.next(), chars.next()) {
        if ('\u{80}'..='\u{24F}').contains(&c) && c.is_alphabetic() {
            out.push(c.len_utf8() + 1);
        }
    }
    out
}

/// The spans the documented semantics give: (byte start, byte end, entity id).
fn oracle(text: &str, entities: &[OEntity]) -> Vec<(usize, usize, String)> {
    let mut bounds = vec![false; text.len() + 1];
    for (i, _) in text.split_word_bound_indices() {
        bounds[i] = true;
    }
    bounds[0] = true;
    bounds[text.len()] = true;
    let ends_word = |p: usize| {
        bounds[p]
            || possessive_len(&text[p..])
                .into_iter()
                .any(|l| bounds[p + l])
    };
    let mut cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    cuts.push(text.len());
    let aliases: Vec<(String, &str, bool, &OEntity)> = entities
        .iter()
        .flat_map(|e| {
            e.aliases
                .iter()
                .map(move |(a, exact)| (fold_str(a.trim()), a.trim(), *exact, e))
        })
        .filter(|a| !a.0.is_empty())
        .collect();

    let mut out = Vec::new();
    let mut pos = 0;
    'search: loop {
        for (si, &s) in cuts.iter().enumerate() {
            if s < pos || s == text.len() || !bounds[s] {
                continue;
            }
            let first = text[s..].chars().next().expect("s < len");
            if fold_str(first.encode_utf8(&mut [0; 4])).is_empty() {
                continue;
            }
            // Longest first.
            for &e in cuts[si + 1..].iter().rev() {
                let mut trimmed = e;
                while let Some(c) = text[s..trimmed].chars().next_back() {
                    if !invisible(c) {
                        break;
                    }
                    trimmed -= c.len_utf8();
                }
                if trimmed == s || !(ends_word(trimmed) || ends_word(e)) {
                    continue;
                }
                let found = &text[s..trimmed];
                let folded = fold_str(found);
                let best = aliases
                    .iter()
                    .filter(|(f, a, exact, _)| *f == folded && case_ok(found, a, *exact))
                    .map(|(_, _, _, e)| *e)
                    .min_by_key(|e| {
                        (
                            std::cmp::Reverse(e.priority),
                            std::cmp::Reverse(e.gazetteer),
                            e.line,
                        )
                    });
                if let Some(best) = best {
                    out.push((s, trimmed, best.id.clone()));
                    pos = e;
                    continue 'search;
                }
            }
        }
        return out;
    }
}

fn fast(entities: &[OEntity]) -> Tagger {
    let gazetteers = entities.iter().map(|e| e.gazetteer).max().unwrap_or(0) + 1;
    let mut builder = Tagger::builder()
        .default_gazetteer(false)
        .rules(false)
        .linking(false);
    for g in 0..gazetteers {
        let mut records: Vec<Record> = Vec::new();
        for e in entities.iter().filter(|e| e.gazetteer == g) {
            let (name, _) = &e.aliases[0];
            records.push(Record {
                id: e.id.clone(),
                entity_type: "PLACE".into(),
                name: name.clone(),
                aliases: e.aliases[1..]
                    .iter()
                    .map(|(t, exact)| {
                        if *exact {
                            Alias::exact(t.clone())
                        } else {
                            Alias::new(t.clone())
                        }
                    })
                    .collect(),
                priority: Some(e.priority),
                line: e.line,
                ..Record::default()
            });
        }
        let g = Gazetteer::from_records(&format!("g{g}"), records).expect("valid records");
        builder = builder.gazetteer(g);
    }
    builder.build().expect("builds")
}

fn compare(text: &str, entities: &[OEntity]) -> Result<(), TestCaseError> {
    let want = oracle(text, entities);
    let got: Vec<(usize, usize, String)> = fast(entities)
        .tag(text)
        .into_iter()
        .map(|s| (s.byte_start, s.byte_end, s.id.to_string()))
        .collect();
    let show = |v: &[(usize, usize, String)]| {
        v.iter()
            .map(|(s, e, id)| format!("{:?}={id}", &text[*s..*e]))
            .collect::<Vec<_>>()
    };
    prop_assert_eq!(
        &got,
        &want,
        "\ntext {:?}\nentities {:?}\nfast   {:?}\noracle {:?}",
        text,
        entities,
        show(&got),
        show(&want)
    );
    Ok(())
}

/// Names: the source of aliases and of the words of texts. Their case variants (upper,
/// lower, title) are generated too.
const NAMES: &[&str] = &[
    "Lima",
    "Perú",
    "Peru",
    "Peruvian",
    "SIN",
    "Sin",
    "US",
    "U.S.",
    "José Williams",
    "Jose\u{301}",
    "José",
    "O’Connor",
    "O'Connor",
    "İstanbul",
    "Straße",
    "STRASSE",
    "ﬁnance",
    "McKinley",
    "Juan de la Cruz",
    "la Cruz",
    "Perú Libre",
    "AK-47",
    "Œuvre",
    "Fuji\u{AD}mori",
    "Fujimori",
    "e",
    "s",
    "Lima\u{AD}",
    "ı",
    "ß",
];

/// Pieces between and inside names. None is a mojibake lead, none folds differently in
/// context.
const GLUE: &[&str] = &[
    " ",
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\t",
    "'s ",
    "’s ",
    "s' ",
    "ís ",
    "?s ",
    "-",
    "–",
    "—",
    ", ",
    ". ",
    "(",
    ")",
    "\"",
    "“",
    "”",
    "'",
    "’",
    "s",
    "ian",
    "x",
    "\u{301}",
    "\u{308}",
    "\u{AD}",
    "😀",
    "👍🏽",
    "👨\u{200D}👩\u{200D}👧",
    "🇵🇪",
    "𝔄",
    "1",
    "47",
    "_",
    ":",
    "ß",
    "ẞ",
    "İ",
    "é",
    "É",
    "ñ",
    "Ñ",
    "ﬁ",
];

/// A case variant of a name: 0 as written, 1 upper, 2 lower, 3 title.
fn variant(name: &str, v: u8) -> String {
    match v {
        1 => name.to_uppercase(),
        2 => name.to_lowercase(),
        3 => {
            let mut out = String::new();
            let mut start = true;
            for c in name.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                start = !c.is_alphabetic();
            }
            out
        }
        _ => name.to_string(),
    }
}

fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        2 => (prop::sample::select(NAMES), 0..4u8).prop_map(|(n, v)| variant(n, v)),
        3 => prop::sample::select(GLUE).prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..14).prop_map(|p| p.concat())
}

fn entities_strategy() -> impl Strategy<Value = Vec<OEntity>> {
    let alias = (
        prop::sample::select(NAMES),
        0..4u8,
        prop::bool::weighted(0.25),
    )
        .prop_map(|(n, v, exact)| (variant(n, v), exact));
    let entity = (prop::collection::vec(alias, 1..4), -1..=1i32, 0..2usize);
    prop::collection::vec(entity, 1..6).prop_map(|list| {
        list.into_iter()
            .enumerate()
            .map(|(i, (mut aliases, priority, gazetteer))| {
                // The first name is the canonical one, which is never exact-case.
                aliases[0].1 = false;
                OEntity {
                    id: format!("e{i}"),
                    priority,
                    gazetteer,
                    line: i + 1,
                    aliases,
                }
            })
            .collect()
    })
}

/// The number of cases: `PROPTEST_CASES` if set (for long runs), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(4000), ..ProptestConfig::default() })]

    #[test]
    fn fast_matcher_agrees_with_oracle(text in text_strategy(), entities in entities_strategy()) {
        compare(&text, &entities)?;
    }
}

/// Cases the random search found, and the rules of the semantics one by one.
#[test]
fn table() {
    let e = |id: &str, priority: i32, gazetteer: usize, line: usize, aliases: &[(&str, bool)]| {
        OEntity {
            id: id.into(),
            priority,
            gazetteer,
            line,
            aliases: aliases.iter().map(|(a, x)| (a.to_string(), *x)).collect(),
        }
    };
    type Case<'a> = (&'a str, Vec<OEntity>, Vec<(&'a str, &'a str)>);
    let cases: Vec<Case> = vec![
        // Accented capitals before a curly apostrophe or a dash are not mojibake.
        (
            "JOSÉ’S PLAN, PERÚ–BOLIVIA",
            vec![
                e("jose", 0, 0, 1, &[("José", false)]),
                e("peru", 0, 0, 2, &[("Perú", false)]),
            ],
            vec![("JOSÉ", "jose"), ("PERÚ", "peru")],
        ),
        // A soft hyphen after a name: the word ends after it.
        (
            "Lima\u{AD} is",
            vec![e("lima", 0, 0, 1, &[("Lima", false)])],
            vec![("Lima", "lima")],
        ),
        // A long run of combining marks belongs to the letter before it.
        (
            &*Box::leak(format!("a{}Lima", "\u{301}".repeat(40)).into_boxed_str()),
            vec![e("lima", 0, 0, 1, &[("Lima", false)])],
            vec![],
        ),
        // Ties: priority, then the later gazetteer, then the earlier line.
        (
            "Lima",
            vec![
                e("a", 0, 1, 1, &[("Lima", false)]),
                e("b", 1, 0, 1, &[("Lima", false)]),
            ],
            vec![("Lima", "b")],
        ),
        (
            "Lima",
            vec![
                e("a", 0, 0, 1, &[("Lima", false)]),
                e("b", 0, 1, 1, &[("Lima", false)]),
                e("c", 0, 1, 2, &[("Lima", false)]),
            ],
            vec![("Lima", "b")],
        ),
        // The best entity whose case policy holds.
        (
            "sin embargo, SIN",
            vec![
                e("a", 1, 0, 1, &[("Servicio", false), ("SIN", true)]),
                e("b", 0, 0, 2, &[("sin", false)]),
            ],
            vec![("sin", "b"), ("SIN", "a")],
        ),
    ];
    for (text, entities, want) in cases {
        let got: Vec<(String, String)> = fast(&entities)
            .tag(text)
            .into_iter()
            .map(|s| (s.text, s.id.to_string()))
            .collect();
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(t, id)| (t.to_string(), id.to_string()))
            .collect();
        assert_eq!(got, want, "fast, {text:?}");
        let oracle: Vec<(String, String)> = oracle(text, &entities)
            .into_iter()
            .map(|(s, e, id)| (text[s..e].to_string(), id))
            .collect();
        assert_eq!(oracle, want, "oracle, {text:?}");
    }
}

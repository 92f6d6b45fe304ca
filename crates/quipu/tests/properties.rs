//! Property tests: whatever the text and the gazetteer, the spans are well formed.
//!
//! For random texts (ASCII letters in every case, accented letters, combining marks, emoji
//! and other characters outside the BMP, "İ", "ß", ligatures, spaces, line and paragraph
//! breaks, CRLF, apostrophes, hyphens and dashes, digits, punctuation, invisible characters
//! and mis-decoded UTF-8) and random gazetteers drawn from the text's own words and from a
//! fixed list, the spans are sorted, do not overlap, sit on character boundaries, slice the
//! text they claim, carry code point and UTF-16 offsets that agree with the byte offsets, and
//! start and end on UAX #29 word boundaries of the whole text (or end before a possessive).
//!
//! The boundaries are computed here independently, with `split_word_bound_indices` over the
//! whole text, not with the library's windowed check.

mod common;
use common::APOSTROPHES;

use proptest::prelude::*;
use proptest::sample::Index;
use quipu::gazetteer::{Alias, Record};
use quipu::{Gazetteer, Span, Tagger};
use unicode_segmentation::UnicodeSegmentation;

/// The pieces random texts are made of.
const PIECES: &[&str] = &[
    // ASCII letters and bits of names, in all cases.
    "a",
    "b",
    "e",
    "i",
    "l",
    "m",
    "n",
    "o",
    "p",
    "r",
    "s",
    "u",
    "A",
    "B",
    "E",
    "L",
    "M",
    "P",
    "R",
    "S",
    "U",
    "Li",
    "ma",
    "LI",
    "MA",
    "Pe",
    "ru",
    "PE",
    "RU",
    "Sin",
    "SIN",
    "Jo",
    "se",
    // Accented letters, precomposed and with combining marks.
    "é",
    "É",
    "ú",
    "Ú",
    "ñ",
    "Ñ",
    "í",
    "ü",
    "ç",
    "ø",
    "ł",
    "e\u{301}",
    "\u{301}",
    "\u{308}",
    "\u{327}",
    // Emoji and other characters outside the BMP.
    "😀",
    "👍🏽",
    "👨\u{200D}👩\u{200D}👧",
    "🇵🇪",
    "𝔄",
    "𝒳",
    "❤\u{FE0F}",
    "東京",
    // Letters whose folding changes length.
    "İ",
    "ß",
    "ẞ",
    "ﬁ",
    "ﬂ",
    "æ",
    "Œ",
    "ı",
    // White space.
    " ",
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\r\n\r\n",
    "\t",
    "\u{A0}",
    // Apostrophes, quotes, hyphens and dashes.
    "'",
    "’",
    "‘",
    "`",
    "'s",
    "’s",
    "s'",
    "-",
    "‐",
    "–",
    "—",
    "\"",
    "“",
    "”",
    // Digits and punctuation.
    "1",
    "7",
    "0",
    "47",
    ".",
    ",",
    ";",
    ":",
    "(",
    ")",
    "?",
    "!",
    "/",
    "_",
    // Invisible characters and mis-decoded UTF-8.
    "\u{AD}",
    "\u{200B}",
    "\u{FEFF}",
    "Ã©",
    "â€™",
    "Ã",
    "â",
];

/// Names that may be in a gazetteer whatever the text.
const FIXED: &[&str] = &[
    "Lima",
    "Perú",
    "Peru",
    "SIN",
    "José Williams",
    "O’Connor",
    "İstanbul",
    "Straße",
    "ﬁnance",
    "US",
    "U.S.",
    "McKinley",
    "Juan de la Cruz",
    "AK-47",
    "Œuvre",
    "e",
    "s",
    "😀 Lima",
];

fn text_strategy(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max).prop_map(|p| p.concat())
}

/// A gazetteer entity, as indices into the pool of candidate names.
#[derive(Debug, Clone)]
struct EntitySpec {
    names: Vec<(Index, bool)>,
    priority: i32,
}

fn entities_strategy() -> impl Strategy<Value = Vec<EntitySpec>> {
    let entity = (
        prop::collection::vec((any::<Index>(), prop::bool::weighted(0.2)), 1..4),
        -1..=1i32,
    )
        .prop_map(|(names, priority)| EntitySpec { names, priority });
    prop::collection::vec(entity, 1..6)
}

/// Candidate names: the text's words, pairs of adjacent words, and the fixed list.
fn pool(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut pool: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
    pool.extend(words.iter().map(|w| w.to_string()));
    pool.extend(words.windows(2).map(|w| format!("{} {}", w[0], w[1])));
    // Parts of words cut at punctuation, so names also occur inside "pro-Lima" or "(Lima)".
    for w in &words {
        pool.extend(
            w.split(|c: char| !c.is_alphanumeric())
                .filter(|p| !p.is_empty())
                .map(str::to_string),
        );
    }
    pool.retain(|n| n.chars().any(char::is_alphanumeric));
    pool
}

fn build(text: &str, specs: &[EntitySpec]) -> Tagger {
    let pool = pool(text);
    let records = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let mut names = spec
                .names
                .iter()
                .map(|(ix, exact)| (pool[ix.index(pool.len())].clone(), *exact));
            let (name, _) = names.next().expect("at least one name");
            Record {
                id: format!("e{i}"),
                entity_type: ["PERSON", "PLACE", "INSTITUTION"][i % 3].to_string(),
                name,
                aliases: names
                    .map(|(t, exact)| {
                        if exact {
                            Alias::exact(t)
                        } else {
                            Alias::new(t)
                        }
                    })
                    .collect(),
                priority: Some(spec.priority),
                ..Record::default()
            }
        })
        .collect();
    let g = Gazetteer::from_records("random", records).expect("valid records");
    Tagger::builder()
        .default_gazetteer(false)
        .rules(false)
        .linking(false)
        .gazetteer(g)
        .build()
        .expect("builds")
}

/// The default tagger, with its rules and linking: built once.
#[cfg(feature = "default-gazetteer")]
fn default_tagger() -> &'static Tagger {
    static TAGGER: std::sync::OnceLock<Tagger> = std::sync::OnceLock::new();
    TAGGER.get_or_init(|| Tagger::new().expect("the default gazetteer builds"))
}

/// Checks what must hold of any list of spans, whatever found them.
fn check_offsets(text: &str, spans: &[Span]) -> Result<(), TestCaseError> {
    let mut prev_end = 0;
    for s in spans {
        prop_assert!(s.byte_start < s.byte_end, "empty span {s:?}");
        prop_assert!(s.byte_start >= prev_end, "unsorted or overlapping at {s:?}");
        prev_end = s.byte_end;
        prop_assert!(text.is_char_boundary(s.byte_start) && text.is_char_boundary(s.byte_end));
        prop_assert_eq!(&text[s.byte_start..s.byte_end], s.text.as_str());
        let before = &text[..s.byte_start];
        let upto = &text[..s.byte_end];
        prop_assert_eq!(s.start, before.chars().count());
        prop_assert_eq!(s.end, upto.chars().count());
        prop_assert_eq!(
            s.utf16_start,
            before.chars().map(char::len_utf16).sum::<usize>()
        );
        prop_assert_eq!(
            s.utf16_end,
            upto.chars().map(char::len_utf16).sum::<usize>()
        );
    }
    Ok(())
}

/// Word boundaries of the whole text, by unicode-segmentation, as a byte-indexed table.
fn boundaries(text: &str) -> Vec<bool> {
    let mut b = vec![false; text.len() + 1];
    for (i, _) in text.split_word_bound_indices() {
        b[i] = true;
    }
    b[0] = true;
    b[text.len()] = true;
    b
}

/// Characters that fold to nothing and stay out of spans.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Is `pos` a word end: a boundary, or a possessive followed by one? Invisible characters
/// right after the span may come first.
fn ends_word(text: &str, bounds: &[bool], pos: usize) -> bool {
    let mut p = pos;
    loop {
        if bounds[p] {
            return true;
        }
        let rest = &text[p..];
        let mut suffixes: Vec<usize> = Vec::new();
        for a in APOSTROPHES {
            if let Some(r) = rest.strip_prefix(a) {
                if r.starts_with(['s', 'S']) {
                    suffixes.push(a.len() + 1);
                }
            }
            if rest.starts_with(['s', 'S']) && rest[1..].starts_with(a) {
                suffixes.push(1 + a.len());
            }
        }
        let mut chars = rest.chars();
        if let (Some(c), Some('s' | 'S')) = (chars.next(), chars.next()) {
            if ('\u{80}'..='\u{24F}').contains(&c) && c.is_alphabetic() {
                suffixes.push(c.len_utf8() + 1);
            }
        }
        if suffixes.into_iter().any(|len| bounds[p + len]) {
            return true;
        }
        match rest.chars().next() {
            Some(c) if invisible(c) => p += c.len_utf8(),
            _ => return false,
        }
    }
}

/// The number of cases: `PROPTEST_CASES` if set (for long runs), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2000), ..ProptestConfig::default() })]

    #[test]
    fn spans_are_well_formed(text in text_strategy(60), specs in entities_strategy()) {
        let tagger = build(&text, &specs);
        let spans = tagger.tag(&text);
        check_offsets(&text, &spans)?;
        let bounds = boundaries(&text);
        for s in &spans {
            prop_assert!(bounds[s.byte_start], "span starts inside a word: {s:?}");
            prop_assert!(
                ends_word(&text, &bounds, s.byte_end),
                "span ends inside a word: {s:?}"
            );
            prop_assert!(!s.text.starts_with(invisible) && !s.text.ends_with(invisible));
        }
    }

    #[test]
    #[cfg(feature = "default-gazetteer")]
    fn default_tagger_spans_are_well_formed(text in text_strategy(80)) {
        let spans = default_tagger().tag(&text);
        check_offsets(&text, &spans)?;
    }

    /// Emoji, combining marks and other wide characters before an entity shift the three
    /// kinds of offsets differently.
    #[test]
    fn offsets_agree_after_wide_characters(
        prefix in prop::collection::vec(
            prop::sample::select(&["😀", "𝔄", "é", "e\u{301}", "\u{301}", "ß", "İ", "🇵🇪",
                "👨\u{200D}👩\u{200D}👧", " ", "\r\n", "x", "ﬁ", "東"][..]), 0..20),
        name in prop::sample::select(&["Lima", "LIMA", "Perú", "PERU", "İstanbul",
            "ISTANBUL", "Straße", "STRASSE"][..]),
    ) {
        let prefix = prefix.concat();
        let text = format!("{prefix} {name}, then 😀.");
        let g = Gazetteer::parse_text("g", "lima | PLACE | Lima\nperu | PLACE | Perú\n\
            istanbul | PLACE | İstanbul\nstrasse | PLACE | Straße").expect("parses");
        let tagger = Tagger::builder()
            .default_gazetteer(false)
            .rules(false)
            .linking(false)
            .gazetteer(g)
            .build()
            .expect("builds");
        let spans = tagger.tag(&text);
        check_offsets(&text, &spans)?;
        prop_assert_eq!(spans.len(), 1, "{:?} in {:?}", spans, text);
        let s = &spans[0];
        prop_assert_eq!(s.text.as_str(), name);
        prop_assert_eq!(s.byte_start, prefix.len() + 1);
    }
}

//! Tagging arbitrary text with a small gazetteer taken from the input.
//!
//! Input: names, one per line (a leading '=' makes the name exact-case), then a NUL byte,
//! then the text. The spans must be sorted, non-overlapping, on character boundaries, slice
//! the text they claim, agree in their three kinds of offsets, and start and end on UAX #29
//! word boundaries of the whole text (or end before a possessive or invisible characters).
//! The tagger read back from its snapshot must find the same spans.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use quipu::gazetteer::{Alias, Record};
use quipu::{Gazetteer, Span, Tagger};
use unicode_segmentation::UnicodeSegmentation;

fn check_offsets(text: &str, spans: &[Span]) {
    let mut prev = 0;
    for s in spans {
        assert!(prev <= s.byte_start && s.byte_start < s.byte_end, "{s:?}");
        prev = s.byte_end;
        assert!(text.is_char_boundary(s.byte_start) && text.is_char_boundary(s.byte_end));
        assert_eq!(&text[s.byte_start..s.byte_end], s.text);
        let (before, upto) = (&text[..s.byte_start], &text[..s.byte_end]);
        assert_eq!(s.start, before.chars().count());
        assert_eq!(s.end, upto.chars().count());
        assert_eq!(s.utf16_start, before.encode_utf16().count());
        assert_eq!(s.utf16_end, upto.encode_utf16().count());
    }
}

fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// A word boundary at `pos`, perhaps after a possessive suffix or invisible characters.
fn ends_word(text: &str, bounds: &[bool], mut pos: usize) -> bool {
    const APOSTROPHES: &[&str] = &[
        "'",
        "\u{2019}",
        "\u{2018}",
        "`",
        "\u{B4}",
        "\u{2BC}",
        "\u{2032}",
        "\u{FF07}",
        "?",
        "\u{FFFD}",
        "â€™",
        "â€˜",
        "Ã¢â‚¬â„¢",
        "â\u{80}\u{99}",
    ];
    loop {
        if bounds[pos] {
            return true;
        }
        let rest = &text[pos..];
        let s = |r: &str| r.starts_with(['s', 'S']);
        for a in APOSTROPHES {
            if rest.starts_with(a) && s(&rest[a.len()..]) && bounds[pos + a.len() + 1] {
                return true;
            }
            if s(rest) && rest[1..].starts_with(a) && bounds[pos + 1 + a.len()] {
                return true;
            }
        }
        let mut chars = rest.chars();
        if let (Some(c), Some('s' | 'S')) = (chars.next(), chars.next()) {
            if ('\u{80}'..='\u{24F}').contains(&c)
                && c.is_alphabetic()
                && bounds[pos + c.len_utf8() + 1]
            {
                return true;
            }
        }
        match rest.chars().next() {
            Some(c) if invisible(c) => pos += c.len_utf8(),
            _ => return false,
        }
    }
}

fn default_tagger() -> &'static Tagger {
    static T: OnceLock<Tagger> = OnceLock::new();
    T.get_or_init(|| Tagger::new().expect("default gazetteer"))
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let (names, text) = input
        .split_once('\0')
        .unwrap_or(("Lima\nPerú\n=SIN", &input));
    let records: Vec<Record> = names
        .lines()
        .take(16)
        .enumerate()
        .filter(|(_, n)| n.chars().any(char::is_alphanumeric))
        .map(|(i, n)| {
            let alias = match n.strip_prefix('=') {
                Some(exact) => Alias::exact(exact),
                None => Alias::new(n),
            };
            Record {
                id: format!("e{i}"),
                entity_type: "PLACE".into(),
                name: format!("entity {i}"),
                aliases: vec![alias],
                priority: Some(i as i32 % 3),
                ..Record::default()
            }
        })
        .collect();
    let Ok(g) = Gazetteer::from_records("fuzz", records) else {
        return;
    };
    let tagger = Tagger::builder()
        .default_gazetteer(false)
        .rules(false)
        .linking(false)
        .gazetteer(g)
        .build()
        .expect("valid records build");
    let spans = tagger.tag(text);
    check_offsets(text, &spans);
    // Read back from its snapshot, the tagger finds the same spans.
    let read = Tagger::builder()
        .rules(false)
        .linking(false)
        .build_from_snapshot(&tagger.snapshot())
        .expect("a tagger's own snapshot reads");
    assert_eq!(read.tag(text), spans);
    let mut bounds = vec![false; text.len() + 1];
    for (i, _) in text.split_word_bound_indices() {
        bounds[i] = true;
    }
    bounds[0] = true;
    bounds[text.len()] = true;
    for s in &spans {
        assert!(bounds[s.byte_start], "starts inside a word: {s:?}");
        assert!(
            ends_word(text, &bounds, s.byte_end),
            "ends inside a word: {s:?}"
        );
    }
    // The default tagger, its rules and linking on: offsets only.
    check_offsets(text, &default_tagger().tag(text));
});

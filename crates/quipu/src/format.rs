//! Output formats: the spans of one document written as TSV, CoNLL, brat standoff, spaCy's
//! displaCy JSON or a standalone HTML page.
//!
//! Every function here is pure: it takes the document's text and the spans that
//! [`Tagger::tag`](crate::Tagger::tag) returned for it, and gives back a string. The command
//! line writes these strings to files or standard output; the browser can call the same
//! functions.
//!
//! The functions never panic on spans that do not fit the text (from another tagger run, or
//! hand-made): spans out of range, not on character boundaries or overlapping an earlier
//! span are left out of the formats that need the text (CoNLL, HTML).
//!
//! ```
//! use quipu::{format, Gazetteer, Tagger};
//! let g = Gazetteer::parse_text("g.gaz", "lima | PLACE | Lima")?;
//! let tagger = Tagger::builder().default_gazetteer(false).gazetteer(g).build()?;
//! let text = "We flew to Lima.";
//! let spans = tagger.tag(text);
//! assert_eq!(format::brat(text, &spans), "T1\tPLACE 11 15\tLima\n#1\tAnnotatorNotes T1\tlima\n");
//! assert_eq!(
//!     format::spacy(text, &spans),
//!     r#"{"text":"We flew to Lima.","ents":[{"start":11,"end":15,"label":"PLACE"}]}"#
//! );
//! # Ok::<(), quipu::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::str::FromStr;

use unicode_segmentation::UnicodeSegmentation;

use crate::span::Span;

/// The output formats of the command line.
///
/// ```
/// use quipu::format::Format;
/// let f: Format = "brat".parse()?;
/// assert_eq!(f, Format::Brat);
/// assert_eq!(f.extension(), "ann");
/// assert_eq!(f.to_string(), "brat");
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON Lines: one `{"path", "entities"}` object per document.
    Jsonl,
    /// One pretty-printed JSON document holding every document.
    Json,
    /// Tab-separated values, one span per row: see [`tsv`].
    Tsv,
    /// One token per line with IOB2 tags: see [`conll`].
    Conll,
    /// brat standoff annotations (`.ann`): see [`brat`].
    Brat,
    /// spaCy's displaCy manual format: see [`spacy`].
    Spacy,
    /// A standalone HTML page: see [`html`].
    Html,
}

impl Format {
    /// Every format, in the order the help lists them.
    pub const ALL: [Format; 7] = [
        Format::Jsonl,
        Format::Json,
        Format::Tsv,
        Format::Conll,
        Format::Brat,
        Format::Spacy,
        Format::Html,
    ];

    /// The names the formats are parsed from and printed as.
    pub const NAMES: [&'static str; 7] = ["jsonl", "json", "tsv", "conll", "brat", "spacy", "html"];

    /// The format's name, as given to `--format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Tsv => "tsv",
            Format::Conll => "conll",
            Format::Brat => "brat",
            Format::Spacy => "spacy",
            Format::Html => "html",
        }
    }

    /// The extension of a file in this format, without the dot (`spacy.json` for spaCy, so
    /// that it never collides with `json`).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Tsv => "tsv",
            Format::Conll => "conll",
            Format::Brat => "ann",
            Format::Spacy => "spacy.json",
            Format::Html => "html",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown format '{s}': expected one of {}",
                    Format::NAMES.join(", ")
                )
            })
    }
}

/// The header row of [`tsv`].
pub const TSV_HEADER: &str =
    "doc\tstart\tend\tbyte_start\tbyte_end\ttype\tid\tname\ttext\tsource\n";

/// Escapes a TSV field: backslash, tab, line feed and carriage return become `\\`, `\t`,
/// `\n` and `\r`, so every row stays on one line with the same number of columns.
///
/// ```
/// assert_eq!(quipu::format::tsv_escape("a\tb\r\nc\\d"), "a\\tb\\r\\nc\\\\d");
/// ```
pub fn tsv_escape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    for c in field.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// The spans of document `doc` as tab-separated rows, without the header ([`TSV_HEADER`]):
/// `doc`, `start`, `end` (code points), `byte_start`, `byte_end`, `type`, `id`, `name`,
/// `text`, `source`. Text fields are escaped with [`tsv_escape`].
///
/// ```
/// use quipu::{format, Gazetteer, Tagger};
/// let g = Gazetteer::parse_text("g.gaz", "lima | PLACE | Lima")?;
/// let tagger = Tagger::builder().default_gazetteer(false).gazetteer(g).build()?;
/// let spans = tagger.tag("Café in Lima");
/// assert_eq!(format::tsv("a.txt", &spans), "a.txt\t8\t12\t9\t13\tPLACE\tlima\tLima\tLima\tgazetteer\n");
/// # Ok::<(), quipu::Error>(())
/// ```
pub fn tsv(doc: &str, spans: &[Span]) -> String {
    let mut out = String::new();
    let doc = tsv_escape(doc);
    for s in spans {
        let _ = writeln!(
            out,
            "{doc}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            s.start,
            s.end,
            s.byte_start,
            s.byte_end,
            tsv_escape(&s.entity_type),
            tsv_escape(&s.id),
            tsv_escape(&s.name),
            tsv_escape(&s.text),
            s.source
        );
    }
    out
}

/// The spans that fit `text`, sorted by start, each starting at or after the end of the one
/// before, on character boundaries.
fn usable<'s>(text: &str, spans: &'s [Span]) -> Vec<&'s Span> {
    let mut sorted: Vec<&Span> = spans.iter().collect();
    sorted.sort_by_key(|s| (s.byte_start, s.byte_end));
    let mut out: Vec<&Span> = Vec::with_capacity(sorted.len());
    let mut end = 0;
    for s in sorted {
        if s.byte_start < end
            || s.byte_start >= s.byte_end
            || text.get(s.byte_start..s.byte_end).is_none()
        {
            continue;
        }
        end = s.byte_end;
        out.push(s);
    }
    out
}

/// White space, and the zero-width characters that are no token: ZWSP, ZWNJ, ZWJ, word
/// joiner, BOM.
fn invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The text as CoNLL: one token per line, `TOKEN<TAB>TAG`, with IOB2 tags (`B-PERSON` on the
/// first token of a mention, `I-PERSON` on the next ones, `O` outside), and an empty line
/// after each sentence.
///
/// Tokens are the UAX #29 word-bound segments of the text, white space (and a BOM or other
/// zero-width character standing alone) left out, split
/// further at the edges of mentions (so "Fujimori's" gives the tokens "Fujimori", "'" and
/// "s" when "Fujimori" is a mention). Sentences are UAX #29 sentences, never broken inside a
/// mention. Tabs, line breaks and other white space inside a token become spaces.
///
/// ```
/// use quipu::{format, Gazetteer, Tagger};
/// let g = Gazetteer::parse_text("g.gaz", "fujimori | PERSON | Alberto Fujimori | Fujimori")?;
/// let tagger = Tagger::builder().default_gazetteer(false).gazetteer(g).build()?;
/// let text = "Alberto Fujimori's plane. It landed.";
/// let conll = format::conll(text, &tagger.tag(text));
/// assert_eq!(conll, "\
/// Alberto\tB-PERSON
/// Fujimori\tI-PERSON
/// '\tO
/// s\tO
/// plane\tO
/// .\tO
///
/// It\tO
/// landed\tO
/// .\tO
///
/// ");
/// # Ok::<(), quipu::Error>(())
/// ```
pub fn conll(text: &str, spans: &[Span]) -> String {
    let spans = usable(text, spans);
    let mut out = String::with_capacity(text.len() * 2);
    let mut sentences = text
        .split_sentence_bound_indices()
        .map(|(i, _)| i)
        .skip(1)
        .peekable();
    let mut next_span = 0;
    let mut emitted_in_sentence = false;
    // Pieces: the text cut at every mention edge, each with the mention it belongs to.
    let mut pos = 0;
    while pos < text.len() {
        let (piece_end, mention) = match spans.get(next_span) {
            Some(s) if s.byte_start == pos => (s.byte_end, Some(*s)),
            Some(s) => (s.byte_start, None),
            None => (text.len(), None),
        };
        let piece = &text[pos..piece_end];
        let mut first = true;
        for (i, token) in piece.split_word_bound_indices() {
            if token.chars().all(invisible) {
                continue;
            }
            let at = pos + i;
            let mut new_sentence = false;
            while let Some(&b) = sentences.peek() {
                if b > at {
                    break;
                }
                sentences.next();
                new_sentence = true;
            }
            // Never break a sentence inside a mention.
            if new_sentence && emitted_in_sentence && (mention.is_none() || first) {
                out.push('\n');
            }
            for c in token.chars() {
                out.push(if c.is_whitespace() { ' ' } else { c });
            }
            out.push('\t');
            match mention {
                Some(s) => {
                    out.push_str(if first { "B-" } else { "I-" });
                    out.push_str(&s.entity_type);
                }
                None => out.push('O'),
            }
            out.push('\n');
            first = false;
            emitted_in_sentence = true;
        }
        if mention.is_some() {
            next_span += 1;
        }
        pos = piece_end;
    }
    if emitted_in_sentence {
        out.push('\n');
    }
    out
}

/// The spans as a brat standoff annotation file (`.ann`), for the text file they were found
/// in: one `T` line per mention, `T1<TAB>TYPE start end<TAB>text`, with code point offsets,
/// followed by an `AnnotatorNotes` line holding the entity's id.
///
/// A mention that contains a line break is written in brat's discontinuous form, one
/// fragment per line (`T2<TAB>PLACE 10 15;16 22<TAB>Barrios Altos`), its text the fragments
/// joined by a space, as brat itself writes them.
///
/// ```
/// use quipu::{format, Gazetteer, Tagger};
/// let g = Gazetteer::parse_text("g.gaz", "ba | PLACE | Barrios Altos")?;
/// let tagger = Tagger::builder().default_gazetteer(false).gazetteer(g).build()?;
/// let text = "😀 In Barrios\nAltos";
/// assert_eq!(
///     format::brat(text, &tagger.tag(text)),
///     "T1\tPLACE 5 12;13 18\tBarrios Altos\n#1\tAnnotatorNotes T1\tba\n"
/// );
/// # Ok::<(), quipu::Error>(())
/// ```
pub fn brat(text: &str, spans: &[Span]) -> String {
    let _ = text;
    let mut out = String::new();
    for (n, s) in spans.iter().enumerate() {
        let n = n + 1;
        // Fragments: the runs of the mention between line breaks, in code points.
        let mut fragments: Vec<(usize, usize, String)> = Vec::new();
        let mut current: Option<(usize, String)> = None;
        for (i, c) in s.text.chars().enumerate() {
            let at = s.start + i;
            if matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
                if let Some((start, t)) = current.take() {
                    fragments.push((start, at, t));
                }
            } else {
                current.get_or_insert_with(|| (at, String::new())).1.push(c);
            }
        }
        if let Some((start, t)) = current.take() {
            fragments.push((start, s.start + s.text.chars().count(), t));
        }
        if fragments.is_empty() {
            fragments.push((s.start, s.end, s.text.clone()));
        }
        let offsets: Vec<String> = fragments
            .iter()
            .map(|(a, b, _)| format!("{a} {b}"))
            .collect();
        let texts: Vec<&str> = fragments.iter().map(|(_, _, t)| t.as_str()).collect();
        let _ = writeln!(
            out,
            "T{n}\t{} {}\t{}",
            s.entity_type,
            offsets.join(";"),
            texts.join(" ").replace('\t', " ")
        );
        let _ = writeln!(
            out,
            "#{n}\tAnnotatorNotes T{n}\t{}",
            s.id.replace(['\t', '\n', '\r'], " ")
        );
    }
    out
}

/// The text and its spans in spaCy's displaCy "manual" format, as one line of compact JSON:
/// `{"text": ..., "ents": [{"start", "end", "label"}]}`, with code point offsets (as Python
/// strings count), ready for `displacy.render(doc, style="ent", manual=True)`.
///
/// ```
/// use quipu::{format, Gazetteer, Tagger};
/// let g = Gazetteer::parse_text("g.gaz", "lima | PLACE | Lima")?;
/// let tagger = Tagger::builder().default_gazetteer(false).gazetteer(g).build()?;
/// let text = "😀 Lima";
/// assert_eq!(
///     format::spacy(text, &tagger.tag(text)),
///     r#"{"text":"😀 Lima","ents":[{"start":2,"end":6,"label":"PLACE"}]}"#
/// );
/// # Ok::<(), quipu::Error>(())
/// ```
pub fn spacy(text: &str, spans: &[Span]) -> String {
    // Keys in displaCy's order (serde_json's maps are sorted), so the object is written by
    // hand; strings go through serde_json for escaping.
    let mut out = String::from("{\"text\":");
    out.push_str(&serde_json::Value::from(text).to_string());
    out.push_str(",\"ents\":[");
    for (i, s) in spans.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"start\":{},\"end\":{},\"label\":{}}}",
            s.start,
            s.end,
            serde_json::Value::from(&*s.entity_type)
        );
    }
    out.push_str("]}");
    out
}

/// Escapes text for HTML content and attribute values: `&`, `<`, `>`, `"` and `'`.
///
/// ```
/// assert_eq!(quipu::format::html_escape("<a href=\"x\">R&D's</a>"),
///            "&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;");
/// ```
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Background colours (light scheme, dark scheme) of the types: the three built-in types
/// first, then a palette for the others.
const PALETTE: [(&str, &str); 8] = [
    ("#ffd8a8", "#8a4b0f"), // PERSON: orange
    ("#b2f2bb", "#1f6b33"), // PLACE: green
    ("#a5d8ff", "#1c5a8a"), // INSTITUTION: blue
    ("#eebefa", "#6e2a80"),
    ("#ffec99", "#7a6400"),
    ("#99e9f2", "#0b6470"),
    ("#ffc9c9", "#8a2323"),
    ("#d0bfff", "#4b3a8c"),
];

fn colour(entity_type: &str) -> (&'static str, &'static str) {
    match entity_type {
        "PERSON" => PALETTE[0],
        "PLACE" => PALETTE[1],
        "INSTITUTION" => PALETTE[2],
        other => {
            // FNV-1a: the same colour for the same type on every page.
            let mut h: u32 = 0x811c_9dc5;
            for b in other.bytes() {
                h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
            }
            PALETTE[3 + (h as usize) % (PALETTE.len() - 3)]
        }
    }
}

/// A standalone HTML page showing `text` with every mention highlighted.
///
/// Each mention is a `<mark>` with `data-entity-type`, `data-entity-id` and `data-source`
/// attributes (and the entity's name, id and source as its tooltip), coloured by type;
/// mentions found by a context rule have a dashed outline and linked ones a dotted outline,
/// explained under the legend when there are any; a legend lists the types with
/// their number of mentions. All text is HTML-escaped, the page needs no network, and its
/// colours follow the reader's light or dark scheme. `title` names the page (a file name).
///
/// ```
/// use quipu::{format, Gazetteer, Tagger};
/// let g = Gazetteer::parse_text("g.gaz", "lima | PLACE | Lima")?;
/// let tagger = Tagger::builder().default_gazetteer(false).gazetteer(g).build()?;
/// let text = "<b>Lima</b> & co";
/// let page = format::html("doc.txt", text, &tagger.tag(text));
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(page.contains(
///     r#"&lt;b&gt;<mark data-entity-type="PLACE" data-entity-id="lima" data-source="gazetteer" title="Lima (lima, gazetteer)">Lima</mark>&lt;/b&gt; &amp; co"#
/// ));
/// # Ok::<(), quipu::Error>(())
/// ```
pub fn html(title: &str, text: &str, spans: &[Span]) -> String {
    let spans = usable(text, spans);
    // Types in legend order: PERSON, PLACE, INSTITUTION, then the others alphabetically.
    let mut counts: BTreeMap<(usize, &str), usize> = BTreeMap::new();
    for s in &spans {
        let t = &*s.entity_type;
        let rank = ["PERSON", "PLACE", "INSTITUTION"]
            .iter()
            .position(|m| *m == t)
            .unwrap_or(3);
        *counts.entry((rank, t)).or_insert(0) += 1;
    }
    let mut out = String::with_capacity(text.len() * 2 + 2048);
    let title = html_escape(title);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"und\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"generator\" content=\"quipu\">\n<title>{title}</title>\n<style>\n\
:root {{ color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; }}\n\
@media (prefers-color-scheme: dark) {{ :root {{ --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; }} }}\n\
body {{ margin: 2rem auto; max-width: 48rem; padding: 0 1rem; color: var(--fg); background: var(--bg); \
font: 1rem/1.6 system-ui, sans-serif; }}\n\
h1 {{ font-size: 1.2rem; overflow-wrap: anywhere; }}\n\
.legend {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1rem; color: var(--muted); }}\n\
.doc {{ white-space: pre-wrap; overflow-wrap: anywhere; }}\n\
mark {{ color: inherit; border-radius: .2em; padding: 0 .1em; }}\n\
mark[data-source^=\"rule\"] {{ outline: 1px dashed currentColor; }}\n\
mark[data-source=\"linked\"] {{ outline: 1px dotted currentColor; }}\n\
.how {{ color: var(--muted); font-size: .9rem; }}\n"
    );
    for (_, t) in counts.keys() {
        let (light, dark) = colour(t);
        let t = html_escape(t);
        let _ = writeln!(
            out,
            "mark[data-entity-type=\"{t}\"] {{ background: {light}; }}\n\
@media (prefers-color-scheme: dark) {{ mark[data-entity-type=\"{t}\"] {{ background: {dark}; }} }}"
        );
    }
    let _ = write!(
        out,
        "</style>\n</head>\n<body>\n<h1>{title}</h1>\n<ul class=\"legend\">\n"
    );
    for ((_, t), n) in &counts {
        let t = html_escape(t);
        let _ = writeln!(
            out,
            "<li><mark data-entity-type=\"{t}\">{t}</mark> {n}</li>"
        );
    }
    out.push_str("</ul>\n");
    if spans.iter().any(|s| s.source != crate::Source::Gazetteer) {
        out.push_str(
            "<p class=\"how\"><mark data-source=\"rule\">dashed</mark>: found by a context rule; \
<mark data-source=\"linked\">dotted</mark>: linked to a name found earlier in the document.</p>\n",
        );
    }
    out.push_str("<div class=\"doc\">");
    let mut pos = 0;
    for s in spans {
        out.push_str(&html_escape(&text[pos..s.byte_start]));
        let _ = write!(
            out,
            "<mark data-entity-type=\"{}\" data-entity-id=\"{}\" data-source=\"{}\" title=\"{} ({}, {})\">{}</mark>",
            html_escape(&s.entity_type),
            html_escape(&s.id),
            html_escape(&s.source.to_string()),
            html_escape(&s.name),
            html_escape(&s.id),
            html_escape(&s.source.to_string()),
            html_escape(&text[s.byte_start..s.byte_end])
        );
        pos = s.byte_end;
    }
    out.push_str(&html_escape(&text[pos..]));
    out.push_str("</div>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Gazetteer, Tagger};

    fn tag(text: &str) -> Vec<Span> {
        let g = Gazetteer::parse_text(
            "t.gaz",
            "lima | PLACE | Lima\nba | PLACE | Barrios Altos\nf | PERSON | Alberto Fujimori | Fujimori",
        )
        .unwrap();
        Tagger::builder()
            .default_gazetteer(false)
            .rules(false)
            .linking(false)
            .gazetteer(g)
            .build()
            .unwrap()
            .tag(text)
    }

    #[test]
    fn brat_splits_at_crlf() {
        let text = "x Barrios\r\nAltos";
        let spans = tag(text);
        assert_eq!(spans.len(), 1);
        assert_eq!(
            brat(text, &spans),
            "T1\tPLACE 2 9;11 16\tBarrios Altos\n#1\tAnnotatorNotes T1\tba\n"
        );
    }

    #[test]
    fn conll_keeps_sentence_inside_mention_and_skips_bad_spans() {
        let text = "Lima. Lima";
        let mut spans = tag(text);
        let mut bad = spans[0].clone();
        bad.byte_start = 3;
        bad.byte_end = 400;
        spans.push(bad);
        assert_eq!(
            conll(text, &spans),
            "Lima\tB-PLACE\n.\tO\n\nLima\tB-PLACE\n\n"
        );
        assert_eq!(conll("", &[]), "");
        assert!(html("t", text, &spans).contains("Lima</mark>. <mark"));
    }

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert!("xml".parse::<Format>().unwrap_err().contains("jsonl, json"));
    }

    #[test]
    fn custom_types_get_a_stable_colour() {
        assert_eq!(colour("EVENT"), colour("EVENT"));
        assert!(PALETTE[3..].contains(&colour("WEAPON")));
    }
}

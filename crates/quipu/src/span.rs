//! Spans: what the tagger returns, with offsets for every consumer.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// How a span was found.
///
/// Serialised as a string: `gazetteer`, `rule:<name>` or `linked`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Source {
    /// An alias of a gazetteer matched.
    Gazetteer,
    /// A context rule fired; the string names the rule.
    Rule(String),
    /// Linked to an entity found earlier in the same document.
    Linked,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Gazetteer => f.write_str("gazetteer"),
            Source::Rule(name) => write!(f, "rule:{name}"),
            Source::Linked => f.write_str("linked"),
        }
    }
}

impl FromStr for Source {
    type Err = String;
    fn from_str(s: &str) -> Result<Source, String> {
        match s {
            "gazetteer" => Ok(Source::Gazetteer),
            "linked" => Ok(Source::Linked),
            _ => match s.strip_prefix("rule:") {
                Some(name) if !name.is_empty() => Ok(Source::Rule(name.to_string())),
                _ => Err(format!(
                    "unknown source '{s}': expected gazetteer, rule:<name> or linked"
                )),
            },
        }
    }
}

impl From<Source> for String {
    fn from(s: Source) -> String {
        s.to_string()
    }
}

impl TryFrom<String> for Source {
    type Error = String;
    fn try_from(s: String) -> Result<Source, String> {
        s.parse()
    }
}

/// A mention of an entity in a text.
///
/// The same span type serves the library, the command line (JSON Lines) and the browser.
/// Offsets are given three ways, all with an exclusive end: Unicode code points (`start`,
/// `end`, as Python and spaCy count), UTF-8 bytes (`byte_start`, `byte_end`, as Rust slices)
/// and UTF-16 code units (`utf16_start`, `utf16_end`, as JavaScript strings).
///
/// ```
/// use quipu::{Gazetteer, Tagger};
/// let g = Gazetteer::parse_text("g.gaz", "lima | PLACE | Lima")?;
/// let tagger = Tagger::builder().default_gazetteer(false).gazetteer(g).build()?;
/// let text = "😀 Café in Lima";
/// let span = &tagger.tag(text)[0];
/// assert_eq!((span.start, span.end), (10, 14));
/// assert_eq!((span.utf16_start, span.utf16_end), (11, 15));
/// assert_eq!(&text[span.byte_start..span.byte_end], "Lima");
/// # Ok::<(), quipu::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Start, in code points.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// Start, in UTF-8 bytes.
    pub byte_start: usize,
    /// End (exclusive), in UTF-8 bytes.
    pub byte_end: usize,
    /// Start, in UTF-16 code units.
    pub utf16_start: usize,
    /// End (exclusive), in UTF-16 code units.
    pub utf16_end: usize,
    /// The text of the mention, as in the original.
    pub text: String,
    /// The entity's type. Shared by every span of the entity, as are `id` and `name`: a
    /// span costs one allocation (its text), not four.
    #[serde(rename = "type")]
    pub entity_type: Arc<str>,
    /// The entity's id.
    pub id: Arc<str>,
    /// The entity's canonical name.
    pub name: Arc<str>,
    /// How the span was found.
    pub source: Source,
}

/// Converts byte offsets of one text, visited in increasing order, to code points and UTF-16
/// code units, in one pass over the text.
///
/// ```
/// let mut c = quipu::span::OffsetCounter::new("a😀b");
/// assert_eq!(c.at(5), (2, 3));
/// assert_eq!(c.at(6), (3, 4));
/// ```
#[derive(Debug, Clone)]
pub struct OffsetCounter<'t> {
    text: &'t str,
    byte: usize,
    chars: usize,
    utf16: usize,
}

impl<'t> OffsetCounter<'t> {
    /// A counter at the start of `text`.
    pub fn new(text: &'t str) -> OffsetCounter<'t> {
        OffsetCounter {
            text,
            byte: 0,
            chars: 0,
            utf16: 0,
        }
    }

    /// The (code point, UTF-16) offsets of byte offset `byte`, which must be on a character
    /// boundary. Going backwards restarts from the beginning of the text.
    pub fn at(&mut self, byte: usize) -> (usize, usize) {
        if byte < self.byte {
            *self = OffsetCounter::new(self.text);
        }
        // Sliced as a str, which checks that `byte` is on a character boundary.
        let piece = &self.text[self.byte..byte];
        let (chars, astral) = count_chars(piece.as_bytes());
        self.chars += chars;
        self.utf16 += chars + astral;
        self.byte = byte;
        (self.chars, self.utf16)
    }
}

/// The code points in valid UTF-8 `bytes`, and how many of them take four bytes (two UTF-16
/// units). Eight bytes at a time: a code point per byte that is not a continuation byte
/// (`10xxxxxx`), an astral one per lead byte `11110xxx`.
fn count_chars(bytes: &[u8]) -> (usize, usize) {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut continuation = 0;
    let mut astral = 0;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("chunks of eight"));
        // Bit 7 of each byte, after shifting bit 6 (then 5, 4) into its place.
        continuation += (w & !(w << 1) & HIGH).count_ones() as usize;
        astral += (w & (w << 1) & (w << 2) & (w << 3) & HIGH).count_ones() as usize;
    }
    for &b in words.remainder() {
        continuation += usize::from(b & 0xC0 == 0x80);
        astral += usize::from(b >= 0xF0);
    }
    (bytes.len() - continuation, astral)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_chars_and_utf16_units_as_std_does() {
        let pieces = [
            "",
            "a",
            "é",
            "😀",
            "€",
            "abcdefgh",
            "ñandú 😀 a€b 𝄞x",
            "\u{10FFFF}",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}{a}");
                    let want = (
                        s.chars().count(),
                        s.chars().filter(|c| c.len_utf16() == 2).count(),
                    );
                    assert_eq!(count_chars(s.as_bytes()), want, "{s:?}");
                }
            }
        }
    }
}

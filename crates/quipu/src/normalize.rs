//! Folding: the text and the aliases are folded the same way, and matching runs on the folded
//! copy.
//!
//! Folding removes the differences that should not stop a name from matching:
//!
//! - Unicode case (`JOSÉ` = `José`), with full lowercasing (`İ`, `ẞ`);
//! - diacritics, by compatibility decomposition and dropping combining marks (`Bermúdez` =
//!   `Bermudez`), ligatures (`ﬁ` = `fi`), full-width forms, and the letters that do not
//!   decompose (`ł`, `ø`, `đ`, `æ`, `œ`, `ß`, dotless `ı`);
//! - apostrophe, quote and dash variants (`O’Connor` = `O'Connor`, `–` = `-`);
//! - runs of white space: a run with at most one line break folds to one space, so a name
//!   may be broken across two lines; a run with two or more line breaks (a paragraph break)
//!   folds to a line break, which no alias contains, so names never span paragraphs;
//! - invisible format characters (soft hyphen, zero-width space and joiners, byte order mark),
//!   which are dropped;
//! - UTF-8 text that was decoded as Windows-1252 or Latin-1 ("mojibake": `JosÃ©`, `â€™`),
//!   which folds as the character it was meant to be.
//!
//! Every *unit* of the original text (a character, a mojibake sequence, or a run of white
//! space) becomes zero or more folded characters. [`Folded`] records, for every folded byte,
//! the original offset of the unit it came from, so a match in the folded text maps back to
//! the original exactly, even where folding changes a character's length.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Marks a folded byte that is not the first byte of its unit's output.
const CONT: u32 = 1 << 31;

/// A folded copy of a piece of text, with a map back to it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Folded {
    text: String,
    /// For each byte of `text`: the offset, relative to the folded piece's start, of the
    /// original unit it comes from; `CONT` is set on all bytes but the unit's first.
    map: Vec<u32>,
    /// Length in bytes of the original piece.
    original_len: usize,
}

impl Folded {
    /// The folded text.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The original offset of folded offset `i`, if `i` starts a unit (or is the end).
    ///
    /// A folded offset inside a unit's output (the second `s` of `ß` folded to `ss`) has no
    /// original offset, and a match may not start or end there.
    #[inline]
    pub(crate) fn original(&self, i: usize) -> Option<usize> {
        match self.map.get(i) {
            None => Some(self.original_len),
            Some(&m) if m & CONT == 0 => Some(m as usize),
            Some(_) => None,
        }
    }

    /// The raw offset map: for each folded byte, the original offset of its unit, with the
    /// high bit set on all bytes of a unit but the first. Two folded bytes at `i - 1` and `i`
    /// come from adjacent one-byte units exactly when `map[i] == map[i - 1] + 1`.
    #[inline]
    pub(crate) fn map(&self) -> &[u32] {
        &self.map
    }

    /// Refolds `text` into this buffer, reusing its allocations.
    pub(crate) fn refill(&mut self, text: &str) {
        assert!(
            text.len() < CONT as usize,
            "pieces are split below 2 GiB before folding"
        );
        self.text.clear();
        self.map.clear();
        self.text.reserve(text.len() + 8);
        self.map.reserve(text.len() + 8);
        self.original_len = text.len();
        fold_into(text, false, &mut self.text, Some(&mut self.map));
    }
}

/// Folds `text` with its offset map.
pub(crate) fn fold(text: &str) -> Folded {
    let mut folded = Folded::default();
    folded.refill(text);
    folded
}

/// Folds `text` the way aliases and texts are folded for matching.
///
/// ```
/// assert_eq!(quipu::normalize::fold_str("JOSÉ  Bermúdez’s"), "jose bermudez's");
/// assert_eq!(quipu::normalize::fold_str("İstanbul\nStraße"), "istanbul strasse");
/// assert_eq!(quipu::normalize::fold_str("JosÃ© Williams"), "jose williams");
/// ```
pub fn fold_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, false, &mut out, None);
    out
}

/// Folds everything but letter case: used to compare exact-case aliases.
pub(crate) fn fold_keep_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, true, &mut out, None);
    out
}

/// Is `c` dropped by folding (and by span ends)?
pub(crate) fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn fold_into(text: &str, keep_case: bool, out: &mut String, map: Option<&mut Vec<u32>>) {
    fold_into_with(text, keep_case, out, map, true);
}

/// `runs`: copy runs of plain ASCII whole; without, every unit goes the slow way (the tests
/// compare the two).
fn fold_into_with(
    text: &str,
    keep_case: bool,
    out: &mut String,
    mut map: Option<&mut Vec<u32>>,
    runs: bool,
) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Most of a text is runs of ASCII that fold byte for byte: copied whole.
        let run = if runs { ascii_run_end(bytes, i) } else { i };
        if run > i {
            let start = out.len();
            out.push_str(&text[i..run]);
            if !keep_case {
                out[start..].make_ascii_lowercase();
            }
            if let Some(map) = map.as_deref_mut() {
                map.extend(i as u32..run as u32);
            }
            i = run;
            continue;
        }
        let b = bytes[i];
        let start = out.len();
        let unit_start = i;
        if b < 0x80 {
            // ASCII fast path: most archival text is ASCII.
            if b.is_ascii_whitespace() {
                i = skip_whitespace(text, i, out);
            } else {
                let c = match b {
                    b'A'..=b'Z' if !keep_case => b + 32,
                    b'`' => b'\'',
                    _ => b,
                };
                out.push(c as char);
                i += 1;
            }
        } else {
            let c = text[i..].chars().next().expect("i is on a char boundary");
            if c.is_whitespace() {
                i = skip_whitespace(text, i, out);
            } else if let Some((decoded, len)) = mojibake(&text[i..]) {
                fold_char(decoded, keep_case, out);
                i += len;
            } else {
                fold_char(c, keep_case, out);
                i += c.len_utf8();
            }
        }
        if let Some(map) = map.as_deref_mut() {
            let added = out.len() - start;
            if added > 0 {
                map.push(unit_start as u32);
                map.extend(std::iter::repeat_n(unit_start as u32 | CONT, added - 1));
            }
        }
    }
}

/// The end of the run of bytes from `i` that fold to themselves but for ASCII case: printable
/// ASCII but the backtick, and single spaces between two of those. Other bytes (white space
/// runs, line breaks, control characters, non-ASCII) go through the unit-by-unit path.
#[inline]
fn ascii_run_end(bytes: &[u8], mut i: usize) -> usize {
    // 1: folds to itself but for case; 2: a space, which does when a 1 follows.
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut b = b'!';
        while b < 0x7F {
            t[b as usize] = 1;
            b += 1;
        }
        t[b'`' as usize] = 0;
        t[b' ' as usize] = 2;
        t
    };
    let start = i;
    while let Some(&b) = bytes.get(i) {
        match CLASS[usize::from(b)] {
            1 => i += 1,
            2 if i > start
                && bytes
                    .get(i + 1)
                    .is_some_and(|&n| CLASS[usize::from(n)] == 1) =>
            {
                i += 2
            }
            _ => break,
        }
    }
    i
}

/// Folds the run of white space at `i` to one space, or to a line break when it holds a
/// paragraph break; returns where the run ends.
fn skip_whitespace(text: &str, mut i: usize, out: &mut String) -> usize {
    let mut breaks = 0;
    let mut prev_cr = false;
    for c in text[i..].chars() {
        if !c.is_whitespace() {
            break;
        }
        match c {
            '\n' if prev_cr => {}
            '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => breaks += 1,
            _ => {}
        }
        prev_cr = c == '\r';
        i += c.len_utf8();
    }
    out.push(if breaks >= 2 { '\n' } else { ' ' });
    i
}

/// Latin-1 Supplement to Latin Extended-B: the non-ASCII letters of most Latin American and
/// European text, folded once and looked up, since decomposition costs far more per character.
const LATIN: std::ops::Range<u32> = 0x80..0x250;

fn fold_latin(c: char) -> &'static str {
    static TABLE: std::sync::OnceLock<Vec<Box<str>>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        LATIN
            .filter_map(char::from_u32)
            .map(|c| {
                let mut s = String::new();
                fold_char_slow(c, false, &mut s);
                s.into_boxed_str()
            })
            .collect()
    });
    &table[(c as u32 - LATIN.start) as usize]
}

fn fold_char(c: char, keep_case: bool, out: &mut String) {
    if !keep_case && LATIN.contains(&(c as u32)) {
        out.push_str(fold_latin(c));
    } else {
        fold_char_slow(c, keep_case, out);
    }
}

fn fold_char_slow(c: char, keep_case: bool, out: &mut String) {
    if is_ignorable(c) {
        return;
    }
    if let Some(p) = punctuation(c) {
        out.push(p);
        return;
    }
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        if let Some(p) = punctuation(d) {
            out.push(p);
        } else if keep_case || !d.is_uppercase() {
            push_letter(d, out);
        } else {
            for l in d.to_lowercase() {
                if !is_combining_mark(l) {
                    push_letter(l, out);
                }
            }
        }
    });
}

/// Apostrophe, quote and dash variants, folded to their ASCII forms.
fn punctuation(c: char) -> Option<char> {
    Some(match c {
        '`' | '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '\u{02BC}'
        | '\u{FF07}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' | '\u{FF02}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        _ => return None,
    })
}

/// Letters that compatibility decomposition leaves alone but readers treat as plain ones.
fn push_letter(c: char, out: &mut String) {
    match c {
        'ß' => out.push_str("ss"),
        'ẞ' => out.push_str("SS"),
        'ł' => out.push('l'),
        'Ł' => out.push('L'),
        'ø' => out.push('o'),
        'Ø' => out.push('O'),
        'đ' | 'ð' => out.push('d'),
        'Đ' | 'Ð' => out.push('D'),
        'þ' => out.push_str("th"),
        'Þ' => out.push_str("TH"),
        'æ' => out.push_str("ae"),
        'Æ' => out.push_str("AE"),
        'œ' => out.push_str("oe"),
        'Œ' => out.push_str("OE"),
        'ı' => out.push('i'),
        'ς' => out.push('σ'),
        _ => out.push(c),
    }
}

/// The byte a character stands for when UTF-8 was decoded as Windows-1252 (or Latin-1).
fn cp1252_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if (0x80..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    Some(match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201C}' => 0x93,
        '\u{201D}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// If `s` starts with a UTF-8 sequence for a non-ASCII character that was decoded as
/// Windows-1252 ("Ã©" for "é", "â€™" for "’"), returns that character and the length of
/// the sequence in `s`.
fn mojibake(s: &str) -> Option<(char, usize)> {
    let mut chars = s.chars();
    let lead = chars.next()? as u32;
    // Only the leads that real mis-decoding leaves: `Â Ã Ä Å` (U+0080..U+017F, the accented
    // Latin letters) and `â` (U+2000..U+2FFF, quotes, dashes, `€`, `™`). The other Latin-1
    // letters are legitimate before a curly quote or a dash: "JOSÉ’S", "PERÚ–BOLIVIA".
    let width = match lead {
        0xC2..=0xC5 => 2,
        0xE2 => 3,
        _ => return None,
    };
    let mut buf = [lead as u8, 0, 0];
    let mut len = 2; // the lead character is two bytes in UTF-8
    for slot in buf.iter_mut().take(width).skip(1) {
        let c = chars.next()?;
        let b = cp1252_byte(c)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        *slot = b;
        len += c.len_utf8();
    }
    let decoded = std::str::from_utf8(&buf[..width]).ok()?.chars().next()?;
    Some((decoded, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_runs_fold_as_unit_by_unit() {
        // Every string of up to four bytes from an alphabet of the cases the run copy must
        // get right: spaces single and double, other white space, the backtick, control
        // characters, capitals, non-ASCII white space and letters.
        let alphabet = [
            "a", "Z", " ", "  ", "\t", "\n", "\r\n", "`", "\u{1}", "\u{7F}", "é", "\u{A0}", "ß",
            ".", "\u{AD}",
        ];
        let mut cases = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = cases
                .iter()
                .flat_map(|c| alphabet.iter().map(move |a| format!("{c}{a}")))
                .collect();
            cases.extend(longer);
        }
        for text in &cases {
            for keep_case in [false, true] {
                let (mut fast, mut slow) = (String::new(), String::new());
                let (mut fast_map, mut slow_map) = (Vec::new(), Vec::new());
                fold_into_with(text, keep_case, &mut fast, Some(&mut fast_map), true);
                fold_into_with(text, keep_case, &mut slow, Some(&mut slow_map), false);
                assert_eq!((&fast, &fast_map), (&slow, &slow_map), "{text:?}");
            }
        }
    }

    #[test]
    fn latin_table_folds_as_decomposition() {
        for c in LATIN.filter_map(char::from_u32) {
            let (mut table, mut slow) = (String::new(), String::new());
            fold_char(c, false, &mut table);
            fold_char_slow(c, false, &mut slow);
            assert_eq!(table, slow, "{c:?}");
        }
    }

    #[test]
    fn folds_table() {
        let table = [
            ("José", "jose"),
            ("JOSE", "jose"),
            ("Bermúdez", "bermudez"),
            ("BERMÚDEZ", "bermudez"),
            ("Jose\u{301}", "jose"),
            ("O’Connor", "o'connor"),
            ("O`Connor", "o'connor"),
            ("“Chino”", "\"chino\""),
            ("US–Peru", "us-peru"),
            ("Armed\nForces", "armed forces"),
            ("Armed \r\n  Forces", "armed forces"),
            ("Armed\n\nForces", "armed\nforces"),
            ("Armed\r\n\r\nForces", "armed\nforces"),
            ("İstanbul", "istanbul"),
            ("Straße", "strasse"),
            ("ﬁnance", "finance"),
            ("Łódź", "lodz"),
            ("Fuji\u{AD}mori", "fujimori"),
            ("JosÃ© Williams", "jose williams"),
            ("Fujimoriâ€™s", "fujimori's"),
            ("Ａｂｃ", "abc"),
            ("Diyarbakır", "diyarbakir"),
        ];
        for (input, want) in table {
            assert_eq!(fold_str(input), want, "folding {input:?}");
        }
    }

    #[test]
    fn keep_case_folds_all_but_case() {
        assert_eq!(fold_keep_case("SÍN  O’Connor"), "SIN O'Connor");
    }

    #[test]
    fn map_points_at_units() {
        let text = "Straße İ é";
        let f = fold(text);
        assert_eq!(f.as_str(), "strasse i e");
        // "ß" is one unit folded to two bytes: only its first folded byte maps back.
        assert_eq!(f.original(4), Some(4));
        assert_eq!(f.original(5), None);
        assert_eq!(f.original(6), Some(6));
        assert_eq!(f.original(f.as_str().len()), Some(text.len()));
        let i = f.as_str().find('i').unwrap();
        assert_eq!(f.original(i), Some(text.find('İ').unwrap()));
    }

    #[test]
    fn mojibake_needs_continuation_characters() {
        assert_eq!(mojibake("Ã©"), Some(('é', 4)));
        assert_eq!(mojibake("â€™s"), Some(('\u{2019}', 8)));
        assert_eq!(mojibake("Ãx"), None);
        assert_eq!(mojibake("é"), None);
        // Accented capitals before a curly apostrophe or a dash are not mojibake.
        assert_eq!(mojibake("É’S"), None);
        assert_eq!(mojibake("Ú–B"), None);
        assert_eq!(mojibake("Ñ»"), None);
        assert_eq!(mojibake("é’’"), None);
        assert_eq!(fold_str("JOSÉ’S PERÚ–BOLIVIA"), "jose's peru-bolivia");
    }
}

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
//! space) becomes zero or more folded characters. `Folded` records where each stretch of
//! the folded text comes from (byte for byte for runs of one-byte units, else one unit), so
//! every folded byte that starts a unit's output maps back to the original offset of that
//! unit: a match in the folded text maps back exactly, even where folding changes a
//! character's length.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Marks a stretch that is the output of one unit (see [`Stretch`]).
const UNIT: u32 = 1 << 31;

/// Where a stretch of the folded text comes from. A *run* stretch maps byte for byte: its
/// folded bytes come from adjacent one-byte units of the original, from `original` on. A
/// *unit* stretch (`original` has [`UNIT`] set) is the whole output of one unit: only its
/// first byte maps back, to the unit's start.
///
/// Most text folds byte for byte, so a piece has far fewer stretches than bytes: the map is
/// a few of these instead of an offset per folded byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stretch {
    folded: u32,
    original: u32,
}

/// A folded copy of a piece of text, with a map back to it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Folded {
    text: Out,
    /// The stretches of `text`, in order; the first starts at 0 when `text` is not empty.
    stretches: Vec<Stretch>,
    /// Length in bytes of the original piece.
    original_len: usize,
}

impl Folded {
    /// The folded text.
    pub(crate) fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// The folded text's bytes.
    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.text.0
    }

    /// The original offset of folded offset `i`, if `i` starts a unit (or is the end).
    ///
    /// A folded offset inside a unit's output (the second `s` of `ß` folded to `ss`) has no
    /// original offset, and a match may not start or end there.
    #[cfg(test)]
    pub(crate) fn original(&self, i: usize) -> Option<usize> {
        let k = self
            .stretches
            .partition_point(|s| s.folded as usize <= i)
            .saturating_sub(1);
        self.original_in(k, i)
    }

    /// The stretch that holds folded offset `i`, looked for from stretch `from` on, which
    /// must start at or before `i`: a scan moving forward finds it in a step or two.
    #[inline]
    pub(crate) fn stretch_at(&self, mut from: usize, i: usize) -> usize {
        while self
            .stretches
            .get(from + 1)
            .is_some_and(|s| s.folded as usize <= i)
        {
            from += 1;
        }
        from
    }

    /// Where folded byte `i` comes from in the original, knowing that stretch `k` holds `i`.
    #[inline]
    pub(crate) fn original_in(&self, k: usize, i: usize) -> Option<usize> {
        if i >= self.text.len() {
            return Some(self.original_len);
        }
        let s = self.stretches[k];
        if s.original & UNIT == 0 {
            Some((s.original + (i as u32 - s.folded)) as usize)
        } else if i == s.folded as usize {
            Some((s.original & !UNIT) as usize)
        } else {
            None
        }
    }

    /// Where stretch `k` starts and ends, and whether it is a run (its folded bytes come
    /// byte for byte from adjacent one-byte units).
    #[inline]
    pub(crate) fn stretch(&self, k: usize) -> (usize, usize, bool) {
        let Some(s) = self.stretches.get(k) else {
            return (self.text.len(), self.text.len(), false);
        };
        let end = self
            .stretches
            .get(k + 1)
            .map_or(self.text.len(), |n| n.folded as usize);
        (s.folded as usize, end, s.original & UNIT == 0)
    }

    /// Refolds `text` into this buffer, reusing its allocations.
    pub(crate) fn refill(&mut self, text: &str) {
        assert!(
            text.len() < UNIT as usize,
            "pieces are split below 2 GiB before folding"
        );
        self.text.0.clear();
        self.stretches.clear();
        self.text.0.reserve(text.len() + 8);
        self.original_len = text.len();
        fold_into(text, false, &mut self.text, Some(&mut self.stretches));
    }
}

/// Records that the folded bytes from `folded` on come byte for byte from the original
/// bytes from `original` on, extending the last stretch when it is a run that ends there.
#[inline]
fn record_run(stretches: &mut Vec<Stretch>, folded: usize, original: usize) {
    let (folded, original) = (folded as u32, original as u32);
    if let Some(last) = stretches.last() {
        if last.original & UNIT == 0 && last.original + (folded - last.folded) == original {
            return;
        }
    }
    stretches.push(Stretch { folded, original });
}

/// Records that the unit `original[unit..unit + len]` folded to `added` bytes at `folded`.
#[inline]
fn record_unit(stretches: &mut Vec<Stretch>, folded: usize, unit: usize, len: usize, added: usize) {
    if len == 1 && added == 1 {
        // A one-byte unit folded to one byte maps byte for byte.
        record_run(stretches, folded, unit);
    } else if added > 0 {
        stretches.push(Stretch {
            folded: folded as u32,
            original: unit as u32 | UNIT,
        });
    }
}

/// Folds `text` with its offset map.
#[cfg(test)]
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
    let mut out = Out(Vec::with_capacity(text.len()));
    fold_into(text, false, &mut out, None);
    out.into_string()
}

/// Folds everything but letter case: used to compare exact-case aliases.
pub(crate) fn fold_keep_case(text: &str) -> String {
    let mut out = Out(Vec::with_capacity(text.len()));
    fold_into(text, true, &mut out, None);
    out.into_string()
}

/// Folded output: bytes, written only as whole UTF-8 characters, so that runs of ASCII can
/// be folded as they are copied (a `String` offers no safe way to change its bytes).
#[derive(Debug, Clone, Default)]
struct Out(Vec<u8>);

impl Out {
    #[inline]
    fn len(&self) -> usize {
        self.0.len()
    }

    #[inline]
    fn push(&mut self, c: char) {
        if c.is_ascii() {
            self.0.push(c as u8);
        } else {
            self.0
                .extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }

    #[inline]
    fn push_str(&mut self, s: &str) {
        self.0.extend_from_slice(s.as_bytes());
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("folding writes whole characters")
    }

    fn into_string(self) -> String {
        String::from_utf8(self.0).expect("folding writes whole characters")
    }
}

/// Is `c` dropped by folding (and by span ends)?
pub(crate) fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn fold_into(text: &str, keep_case: bool, out: &mut Out, map: Option<&mut Vec<Stretch>>) {
    fold_into_with(text, keep_case, out, map, true);
}

/// `runs`: copy runs of plain ASCII whole; without, every unit goes the slow way (the tests
/// compare the two).
fn fold_into_with(
    text: &str,
    keep_case: bool,
    out: &mut Out,
    mut map: Option<&mut Vec<Stretch>>,
    runs: bool,
) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Most of a text is runs of ASCII that fold byte for byte, with accented letters
        // between them: copied whole, mapped as they go.
        let run = if runs {
            fold_run(bytes, i, keep_case, out, map.as_deref_mut())
        } else {
            i
        };
        if run > i {
            i = run;
            // The byte that ended the run is a unit of its own: no second look for a run.
            if i == bytes.len() {
                break;
            }
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
        } else if let Some(folded) = runs.then(|| latin_letter(bytes, i, keep_case)).flatten() {
            // The accented letters of Latin-1 and Latin Extended: two bytes, folded by table.
            match folded.as_bytes() {
                &[one] => out.0.push(one),
                _ => out.push_str(folded),
            }
            i += 2;
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
            record_unit(map, start, unit_start, i - unit_start, out.len() - start);
        }
    }
}

/// Folds the run of bytes from `i` that fold byte for byte onto `out`, with the two-byte
/// letters of the Latin table between them ([`latin_letter`]), records their map, and
/// returns where it ends: printable ASCII but the backtick (folded by lower-casing), and
/// single spaces or line breaks between two of those (folded to a space). Other bytes (runs
/// of white space, `\r`, tabs, control characters, other non-ASCII) go through the
/// unit-by-unit path.
///
/// The letters are taken here rather than by the caller because Spanish text has one every
/// 30-40 bytes: leaving the run for each cost about 210 instructions (callgrind).
#[inline]
fn fold_run(
    bytes: &[u8],
    mut i: usize,
    keep_case: bool,
    out: &mut Out,
    mut map: Option<&mut Vec<Stretch>>,
) -> usize {
    // 1: folds to itself but for case; 2: a space or line break, which folds to a space when
    // a 1 follows.
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut b = b'!';
        while b < 0x7F {
            t[b as usize] = 1;
            b += 1;
        }
        t[b'`' as usize] = 0;
        t[b' ' as usize] = 2;
        t[b'\n' as usize] = 2;
        t
    };
    let case = if keep_case { 0 } else { 0x20 };
    let lower = |b: u8| b | (u8::from(b.wrapping_sub(b'A') < 26) * case);
    let start = i;
    // Where the byte-for-byte stretch being copied starts, in the original and in `out`.
    let (mut run_from, mut out_from) = (i, out.len());
    loop {
        // Eight bytes at a time while they all fold byte for byte, lower-cased as a word; a
        // chunk that does not still gives the bytes before its first exception, and one
        // scalar step below settles that one exactly.
        while let Some(chunk) = bytes.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            let next_ok = bytes
                .get(i + 8)
                .is_some_and(|&n| CLASS[usize::from(n)] == 1);
            let n = swar_run(w, i > start, next_ok);
            let folded = if keep_case {
                w
            } else {
                // The high bit of each capital, shifted to 0x20, lower-cases it.
                w | (ascii_bytes_in(w, b'A', b'Z') >> 2)
            };
            if n == 8 {
                out.0.extend_from_slice(&folded.to_le_bytes());
                i += 8;
                continue;
            }
            // All eight written and the rest taken back: a fixed-size copy, where copying
            // `n` bytes would call `memcpy`.
            let len = out.len();
            out.0.extend_from_slice(&folded.to_le_bytes());
            out.0.truncate(len + n);
            i += n;
            break;
        }
        match bytes.get(i).map(|&b| CLASS[usize::from(b)]) {
            Some(1) => {
                out.0.push(lower(bytes[i]));
                i += 1;
            }
            Some(2)
                if i > start
                    && bytes
                        .get(i + 1)
                        .is_some_and(|&n| CLASS[usize::from(n)] == 1) =>
            {
                out.0.extend_from_slice(&[b' ', lower(bytes[i + 1])]);
                i += 2;
            }
            class => {
                let letter = if class.is_some() {
                    latin_letter(bytes, i, keep_case)
                } else {
                    None
                };
                if let Some(map) = map.as_deref_mut() {
                    if i > run_from {
                        record_run(map, out_from, run_from);
                    }
                }
                let Some(folded) = letter else {
                    return i;
                };
                // An accented letter: a unit of its own in the map, and the run goes on.
                let at = out.len();
                match folded.as_bytes() {
                    &[one] => out.0.push(one),
                    more => out.0.extend_from_slice(more),
                }
                if let Some(map) = map.as_deref_mut() {
                    record_unit(map, at, i, 2, folded.len());
                }
                i += 2;
                (run_from, out_from) = (i, out.len());
            }
        }
    }
}

/// The high bit of each byte of `w` that is in `lo..=hi` (both below 0x80), counting only
/// the bytes below 0x80 (their high bit clear): the SWAR range test of the folding and of
/// the matcher's scan. No sum carries into the next byte, since the high bits are cleared
/// first.
#[inline]
pub(crate) fn ascii_bytes_in(w: u64, lo: u8, hi: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let v = w & !HIGH;
    // The high bit of `v + (0x80 - lo)` is set when `v >= lo`; of `v + (0x7F - hi)`, when
    // `v > hi`.
    let (lo, hi) = (u64::from(lo), u64::from(hi));
    v.wrapping_add(ONES * (0x80 - lo)) & !v.wrapping_add(ONES * (0x7F - hi)) & !w & HIGH
}

/// How many of the eight bytes of `w` (little-endian) continue a run, in the terms of
/// `fold_run`: printable ASCII but the backtick, and single spaces followed by one of
/// those (the first byte may only be a space when `mid_run`; the last, when `next_ok` says the
/// byte after the chunk is plain). Line breaks are left to the scalar step.
#[inline]
fn swar_run(w: u64, mid_run: bool, next_ok: bool) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    // The high bit of each byte of `x` that is zero, exactly (no carry between bytes).
    let zero = |x: u64| !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
    let v = w & LOW7;
    // Non-ASCII, below 0x20, the backtick, DEL.
    let below_space = !v.wrapping_add(ONES * 0x60) & HIGH;
    let spaces = zero(w ^ (ONES * 0x20));
    let mut bad = (w & HIGH) | below_space | zero(w ^ (ONES * 0x60)) | zero(w ^ (ONES * 0x7F));
    // The first of two spaces in a row ends the run.
    bad |= spaces & (spaces >> 8);
    if !mid_run {
        bad |= spaces & 0x80;
    }
    if !next_ok {
        bad |= spaces & (0x80 << 56);
    }
    if bad == 0 {
        return 8;
    }
    let n = (bad.trailing_zeros() / 8) as usize;
    // A space must be followed by a plain byte: not by the exception.
    if n > 0 && spaces & (0x80 << (8 * (n - 1))) != 0 {
        n - 1
    } else {
        n
    }
}

/// The folded form of the two-byte character at `i` when it is in the Latin table and cannot
/// be white space (U+0085, U+00A0) or begin mojibake (`Â Ã Ä Å â`).
#[inline]
fn latin_letter(bytes: &[u8], i: usize, keep_case: bool) -> Option<&'static str> {
    let (&b0, &b1) = (bytes.get(i)?, bytes.get(i + 1)?);
    if keep_case || !(0xC2..=0xC9).contains(&b0) {
        return None;
    }
    let c = (u32::from(b0 & 0x1F) << 6) | u32::from(b1 & 0x3F);
    if c >= LATIN.end || matches!(c, 0x85 | 0xA0 | 0xC2..=0xC5 | 0xE2) {
        return None;
    }
    Some(fold_latin(char::from_u32(c)?))
}

/// Folds the run of white space at `i` to one space, or to a line break when it holds a
/// paragraph break; returns where the run ends.
fn skip_whitespace(text: &str, mut i: usize, out: &mut Out) -> usize {
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
                let mut s = Out::default();
                fold_char_slow(c, false, &mut s);
                s.into_string().into_boxed_str()
            })
            .collect()
    });
    &table[(c as u32 - LATIN.start) as usize]
}

fn fold_char(c: char, keep_case: bool, out: &mut Out) {
    if !keep_case && LATIN.contains(&(c as u32)) {
        out.push_str(fold_latin(c));
    } else {
        fold_char_slow(c, keep_case, out);
    }
}

fn fold_char_slow(c: char, keep_case: bool, out: &mut Out) {
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
fn push_letter(c: char, out: &mut Out) {
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
    use crate::test_support::strings_of;

    /// Folds `text` with the run copy and unit by unit, and asserts both give the same text
    /// and the same map.
    fn assert_runs_fold_as_units(text: &str, keep_case: bool) {
        let (mut fast, mut slow) = (Out::default(), Out::default());
        let (mut fast_map, mut slow_map) = (Vec::new(), Vec::new());
        fold_into_with(text, keep_case, &mut fast, Some(&mut fast_map), true);
        fold_into_with(text, keep_case, &mut slow, Some(&mut slow_map), false);
        assert_eq!((&fast.0, &fast_map), (&slow.0, &slow_map), "{text:?}");
    }

    #[test]
    fn ascii_bytes_in_agrees_with_a_range_test() {
        for (lo, hi) in [
            (b'A', b'Z'),
            (b'a', b'z'),
            (b'0', b'9'),
            (0, 0x7F),
            (b' ', b' '),
        ] {
            for b in 0..=255u8 {
                for at in 0..8 {
                    let mut bytes = [0x80u8; 8];
                    bytes[at] = b;
                    let want = if (lo..=hi).contains(&b) {
                        0x80u64 << (8 * at)
                    } else {
                        0
                    };
                    let got = ascii_bytes_in(u64::from_le_bytes(bytes), lo, hi);
                    assert_eq!(got, want, "{b:#x} at {at} in {lo:#x}..={hi:#x}");
                }
            }
        }
    }

    #[test]
    fn ascii_runs_fold_as_unit_by_unit() {
        // Every string of up to four bytes from an alphabet of the cases the run copy must
        // get right: spaces single and double, other white space, the backtick, control
        // characters, capitals, non-ASCII white space and letters.
        let alphabet = [
            "a", "Z", " ", "  ", "\t", "\n", "\r\n", "`", "\u{1}", "\u{7F}", "é", "\u{A0}", "ß",
            ".", "\u{AD}",
        ];
        let cases = strings_of(&alphabet, 4);
        for text in &cases {
            for keep_case in [false, true] {
                assert_runs_fold_as_units(text, keep_case);
            }
        }
    }

    #[test]
    fn map_agrees_with_folding_prefixes() {
        // Independent of how the map is stored: an offset maps back to `o` exactly when the
        // original up to `o` folds to the folded text up to it, and every unit start of the
        // original that folds to something is the target of one folded offset.
        let alphabet = [
            "a", "Z", " ", "  ", "\n\n", "`", "é", "É", "ß", "ﬁ", "\u{AD}", "Ã©", "😀", "İ", "x",
        ];
        let cases = strings_of(&alphabet, 4);
        for text in &cases {
            let f = fold(text);
            let hay = f.as_str();
            let mut k = 0;
            for i in 0..=hay.len() {
                let o = f.original(i);
                k = f.stretch_at(k, i);
                assert_eq!(o, f.original_in(k, i), "{text:?} at {i}");
                if let Some(o) = o {
                    assert_eq!(fold_str(&text[..o]), hay[..i], "{text:?} at {i} -> {o}");
                } else {
                    assert!(i > 0 && i < hay.len(), "{text:?} at {i}");
                }
                // Inside a run, neighbours come from adjacent one-byte units.
                let (start, end, run) = f.stretch(k);
                assert!(start <= i && (i < end || i == hay.len()), "{text:?} at {i}");
                if run && i > start && i < end {
                    let prev = f.original(i - 1).unwrap();
                    assert_eq!(o, Some(prev + 1), "{text:?} at {i}");
                    assert_eq!(text[prev..].chars().next().unwrap().len_utf8(), 1);
                }
            }
        }
    }

    #[test]
    fn long_ascii_runs_fold_as_unit_by_unit() {
        // Longer strings, so that eight-byte steps start at every offset and meet every
        // kind of byte: a deterministic pseudo-random sample.
        let pieces = [
            "a", "Lima", "PERU", " ", "  ", "\t", "\n", "`", "\u{1}", "\u{7F}", "~", "!", "é", "@",
            "{", "0", "9", "Z", "[", "z", "\u{1F}", " x", "Ñ", "ß", "ó ",
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            let mut text = String::new();
            while text.len() < 40 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            assert_runs_fold_as_units(&text, false);
        }
    }

    #[test]
    fn swar_run_agrees_with_a_byte_by_byte_count() {
        // Bytes around the rules: every byte value at every position of a plain chunk, and
        // every chunk of eight from a small alphabet, with each context.
        let scalar = |bytes: &[u8; 8], mid_run: bool, next_ok: bool| {
            let plain = |b: u8| (0x21..0x7F).contains(&b) && b != b'`';
            let mut n = 0;
            while n < 8 {
                let b = bytes[n];
                let next = if n + 1 < 8 {
                    plain(bytes[n + 1])
                } else {
                    next_ok
                };
                if plain(b) || (b == b' ' && (n > 0 || mid_run) && next) {
                    n += 1;
                } else {
                    break;
                }
            }
            n
        };
        let mut chunks = Vec::new();
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = *b"abcdefgh";
                bytes[at] = b;
                chunks.push(bytes);
            }
        }
        let alphabet = [b'a', b' ', b'`', b'\n', 0xC3, b'~'];
        for code in 0..alphabet.len().pow(8) {
            let mut bytes = [0u8; 8];
            let mut c = code;
            for b in &mut bytes {
                *b = alphabet[c % alphabet.len()];
                c /= alphabet.len();
            }
            chunks.push(bytes);
        }
        for bytes in &chunks {
            for mid_run in [false, true] {
                for next_ok in [false, true] {
                    assert_eq!(
                        swar_run(u64::from_le_bytes(*bytes), mid_run, next_ok),
                        scalar(bytes, mid_run, next_ok),
                        "{bytes:?} {mid_run} {next_ok}"
                    );
                }
            }
        }
    }

    #[test]
    fn latin_letters_fold_as_unit_by_unit() {
        // Every two-byte character, alone and next to the characters mojibake and white
        // space look at.
        for c in ('\u{80}'..'\u{800}').chain(['a']) {
            for (pre, post) in [
                ("", ""),
                ("x", "©"),
                ("Ã", ""),
                ("", "\u{A0}y"),
                ("â", "€™"),
            ] {
                let text = format!("{pre}{c}{post}");
                assert_runs_fold_as_units(&text, false);
            }
        }
    }

    #[test]
    fn latin_table_folds_as_decomposition() {
        for c in LATIN.filter_map(char::from_u32) {
            let (mut table, mut slow) = (Out::default(), Out::default());
            fold_char(c, false, &mut table);
            fold_char_slow(c, false, &mut slow);
            assert_eq!(table.0, slow.0, "{c:?}");
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

//! Word boundaries (UAX #29) and possessive suffixes, checked in the original text.
//!
//! A match counts only where the original text has word boundaries at both ends, so "Peru"
//! never matches inside "Peruvian" and "SIN" never inside "SINCE". UAX #29 keeps
//! "Fujimori's" together as one word, so a possessive suffix after a name is accepted on its
//! own terms and left outside the span.
//!
//! Hyphens separate words in UAX #29: "pro-Fujimori" and "US-Peruvian" contain the names
//! "Fujimori" and "US", and they match.

use unicode_segmentation::UnicodeSegmentation;

/// How far either side of a position the segmenter looks (bytes), at most: UAX #29 needs
/// only a few characters of context, and white space always breaks.
const WINDOW: usize = 48;

/// Is there a UAX #29 word boundary at byte `pos` of `text`?
pub(crate) fn is_word_boundary(text: &str, pos: usize) -> bool {
    quick_word_boundary(text, pos).unwrap_or_else(|| segmenter_says(text, pos))
}

/// Can a name end at `pos`: a word boundary, or a possessive suffix that ends at one?
pub(crate) fn ends_word(text: &str, pos: usize) -> bool {
    match quick_word_boundary(text, pos) {
        Some(true) => true,
        // Inside a word, a possessive can only start with "s" ("Williams'") or a Latin
        // letter where the apostrophe was ("Fujimoriís", "â€™s"): the lead bytes of those.
        Some(false) => {
            matches!(text.as_bytes()[pos], b's' | b'S' | 0xC2..=0xC9)
                && possessive_follows(text, pos)
        }
        // The possessive before the segmenter: where it holds UAX #29 finds no boundary
        // ("Fujimori's" is one word), and it is much cheaper.
        None => possessive_follows(text, pos) || segmenter_says(text, pos),
    }
}

/// The word boundary at `pos` where plain ASCII decides it, else `None`.
#[inline]
pub(crate) fn quick_word_boundary(text: &str, pos: usize) -> Option<bool> {
    if pos == 0 || pos >= text.len() {
        return Some(true);
    }
    let bytes = text.as_bytes();
    let (p, n) = (bytes[pos - 1], bytes[pos]);
    let tricky = |b: u8| matches!(b, b'\'' | b'.' | b':' | b',' | b';' | b'_' | b'\r');
    // A word followed by punctuation that joins words only between letters or digits (WB6,
    // WB12: "U.S", "1,000"), when no letter or digit follows it: "Lima, " "Lima." "Perú, ".
    let joins_nothing = |n: u8| {
        matches!(n, b'.' | b':' | b',' | b';' | b'\'' | b'\r')
            && bytes
                .get(pos + 1)
                .is_none_or(|&a| a.is_ascii() && !a.is_ascii_alphanumeric() && a != b'_')
    };
    if p.is_ascii() && n.is_ascii() {
        // Fast paths for the common ASCII cases; the rest goes to the segmenter.
        if p.is_ascii_alphanumeric() && n.is_ascii_alphanumeric() {
            return Some(false);
        }
        if !tricky(p) && !tricky(n) && (p.is_ascii_alphanumeric() || n.is_ascii_alphanumeric()) {
            return Some(true);
        }
        if p.is_ascii_alphanumeric() && joins_nothing(n) {
            return Some(true);
        }
        return None;
    }
    // Latin letters beyond ASCII (accented letters, "ñ", "ß"): between two letters or digits
    // UAX #29 never breaks (WB5, WB9, WB10); between one and a space, a line break or other
    // ASCII punctuation that joins nothing it always does (WB999), as between ASCII letters.
    let before = text[..pos].chars().next_back()?;
    let after = text[pos..].chars().next()?;
    match (latin_word_char(before), latin_word_char(after)) {
        (true, true) => Some(false),
        (true, false) if after.is_ascii() => {
            let n = after as u8;
            (!n.is_ascii_alphanumeric() && (!tricky(n) || joins_nothing(n))).then_some(true)
        }
        (false, true) if before.is_ascii() => {
            let p = before as u8;
            (!p.is_ascii_alphanumeric() && !tricky(p)).then_some(true)
        }
        _ => None,
    }
}

/// Is `c` a letter or digit of the Latin scripts up to Latin Extended-B, all of which UAX
/// #29 counts as ALetter or Numeric?
#[inline]
fn latin_word_char(c: char) -> bool {
    // The letters of Latin-1 (but × and ÷) and all of Latin Extended-A and -B.
    c.is_ascii_alphanumeric()
        || matches!(c, 'ª' | 'µ' | 'º' | 'À'..='Ö' | 'Ø'..='ö' | 'ø'..='\u{24F}')
}

fn segmenter_says(text: &str, pos: usize) -> bool {
    let mut lo = pos.saturating_sub(WINDOW);
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    // A window must not start inside a run of marks: at the start of a text they stand alone
    // (WB4), where in the text they belong to the letter before them.
    let floor = lo.saturating_sub(4 * WINDOW);
    while lo > floor {
        match text[..lo].chars().next_back() {
            Some(c) if attaches(text[lo..].chars().next().expect("lo < pos")) => lo -= c.len_utf8(),
            _ => break,
        }
    }
    if let Some(ws) = text[lo..pos].rfind(char::is_whitespace) {
        lo += ws;
    }
    let mut hi = (pos + WINDOW).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    if let Some(ws) = text[pos..hi].find(char::is_whitespace) {
        let c = text[pos + ws..].chars().next().expect("found a char");
        hi = pos + ws + c.len_utf8();
    }
    let rel = pos - lo;
    text[lo..hi]
        .split_word_bound_indices()
        .any(|(i, _)| i == rel)
}

/// Does `c` attach to the character before it (UAX #29 Extend, Format or ZWJ, roughly)?
fn attaches(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
        || crate::normalize::is_ignorable(c)
        || ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
}

/// Does a possessive suffix start at `pos`, followed by a word boundary?
///
/// Accepted: an apostrophe in any of its forms (`'s`, `’s`, `` `s``, `´s`), the same
/// mis-decoded (`â€™s`, `?s`, `�s`), an apostrophe decoded as one stray letter (`Fujimoriís`),
/// and the plural possessive (`s'`, `s’`). Case does not matter (`PERU'S`).
pub(crate) fn possessive_follows(text: &str, pos: usize) -> bool {
    let rest = &text[pos..];
    let is_s = |c: Option<char>| matches!(c, Some('s' | 'S'));
    let mut candidates = [None, None, None];
    // An apostrophe, then "s".
    if let Some(len) = apostrophe_len(rest) {
        if is_s(rest[len..].chars().next()) {
            candidates[0] = Some(len + 1);
        }
    }
    // One stray letter where the apostrophe was, then "s".
    let mut chars = rest.chars();
    if let Some(c) = chars.next() {
        if ('\u{80}'..='\u{24F}').contains(&c) && c.is_alphabetic() && is_s(chars.next()) {
            candidates[1] = Some(c.len_utf8() + 1);
        }
    }
    // "s", then an apostrophe: the plural possessive.
    if is_s(rest.chars().next()) {
        if let Some(len) = apostrophe_len(&rest[1..]) {
            candidates[2] = Some(1 + len);
        }
    }
    candidates
        .into_iter()
        .flatten()
        .any(|len| is_word_boundary(text, pos + len))
}

/// The length of the apostrophe (in any of its forms, mis-decoded ones included) at the
/// start of `s`.
fn apostrophe_len(s: &str) -> Option<usize> {
    const FORMS: [&str; 14] = [
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
    FORMS.iter().find(|f| s.starts_with(**f)).map(|f| f.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_answers_agree_with_the_segmenter() {
        // Every position in every string of five characters from an alphabet around the
        // fast paths: letters, digits, the punctuation UAX #29 treats specially, white space.
        let alphabet = [
            'a', 'Z', '1', '.', ',', ':', ';', '\'', '_', '-', ' ', '\r', '\n', '"', 'é', '’',
        ];
        let mut text = String::new();
        let n = alphabet.len();
        for code in 0..n.pow(5) {
            text.clear();
            let mut c = code;
            for _ in 0..5 {
                text.push(alphabet[c % n]);
                c /= n;
            }
            for (pos, _) in text.char_indices().skip(1) {
                if let Some(quick) = quick_word_boundary(&text, pos) {
                    assert_eq!(quick, segmenter_says(&text, pos), "{text:?} at {pos}");
                }
            }
        }
    }

    #[test]
    fn quick_latin_answers_agree_with_the_segmenter() {
        // Every pair of characters the Latin fast path answers for, alone and in context.
        for c in '\u{80}'..'\u{250}' {
            assert_eq!(latin_word_char(c), c.is_alphabetic(), "{c:?}");
        }
        let chars: Vec<char> = (' '..'\u{250}')
            .filter(|&c| latin_word_char(c))
            .chain([' ', '\n'])
            .collect();
        let mut text = String::new();
        for (i, &a) in chars.iter().enumerate() {
            for &b in &chars {
                // Contexts that UAX #29 looks at (WB6, WB7, WB11, WB12), on a sample of pairs.
                let contexts: &[(&str, &str)] = if i % 16 == 0 {
                    &[("", ""), ("a.", ".1"), ("'", "'"), ("1,", ",a")]
                } else {
                    &[("", "")]
                };
                for (pre, post) in contexts {
                    text.clear();
                    text.push_str(pre);
                    text.push(a);
                    let pos = text.len();
                    text.push(b);
                    text.push_str(post);
                    if let Some(quick) = quick_word_boundary(&text, pos) {
                        assert_eq!(quick, segmenter_says(&text, pos), "{text:?} at {pos}");
                    }
                }
            }
        }
    }

    #[test]
    fn boundaries_table() {
        // (text with | at the position, expected)
        let table = [
            ("|Peru", true),
            ("Peru|", true),
            ("Peru|vian", false),
            ("SIN|CE", false),
            ("in |Peru", true),
            ("(|Peru)", true),
            ("pro-|Fujimori", true),
            ("US|-Peruvian", true),
            ("Fujimori|'s", false),
            ("Fujimori|’s", false),
            ("Fujimori|. Then", true),
            ("U.S.| embassy", true),
            ("U.S|.A", false),
            ("Lima|, Peru", true),
            ("1,0|00", false),
            ("é|Lima", false),
            ("José| Lima", true),
            ("José|x", false),
            ("Perú|, Lima", true),
            ("Perú|. Lima", true),
            ("Perú|.Lima", false),
            ("(|Perú)", true),
            ("Perú|'s", false),
            ("Lima|\r\nPeru", true),
            ("Lima\r|\n", false),
            ("foo_|Lima", false),
            ("\u{1F600}|Lima", true),
            ("東京|大学", true),
        ];
        for (marked, want) in table {
            let pos = marked.find('|').unwrap();
            let text = marked.replacen('|', "", 1);
            assert_eq!(is_word_boundary(&text, pos), want, "{marked:?}");
        }
        // A long run of marks belongs to the letter before it, beyond the window.
        let marks = "\u{301}".repeat(40);
        let text = format!("a{marks}Lima");
        assert!(!is_word_boundary(&text, text.find('L').unwrap()));
        let text = format!("a {marks}Lima");
        assert!(is_word_boundary(&text, text.find('L').unwrap()));
    }

    #[test]
    fn possessives_table() {
        let table = [
            ("Fujimori|'s rule", true),
            ("Fujimori|’s rule", true),
            ("FUJIMORI|'S RULE", true),
            ("Fujimori|â€™s rule", true),
            ("Fujimori|ís rule", true),
            ("Fujimori|?s rule", true),
            ("Fujimori|s' rule", true),
            ("Fujimori|'s.", true),
            ("Fujimori|sm", false),
            ("Fujimori|'sa", false),
            ("Fujimori|ísa", false),
            ("Fujimori|xs", false),
        ];
        for (marked, want) in table {
            let pos = marked.find('|').unwrap();
            let text = marked.replacen('|', "", 1);
            assert_eq!(possessive_follows(&text, pos), want, "{marked:?}");
        }
    }
}

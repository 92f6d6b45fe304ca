//! Matching: aho-corasick over the folded text, then the checks that need the original text
//! (word boundaries, possessives, letter case) and overlap resolution.
//!
//! Semantics: among the *valid* matches (folded alias equals folded text, word boundaries
//! hold in the original, case policy holds), the leftmost wins, then the longest; after it the
//! search goes on past its end. When several aliases fold to the same string, the best entity
//! (priority, then gazetteer order) whose case policy holds wins.
//!
//! The automaton is only ever run anchored, from the places where a name can start: a walk
//! from each such place collects every pattern that starts there, and the longest one that
//! passes the checks wins, else the next shorter. Places inside a word are skipped without
//! running the automaton, which is what makes this faster than an unanchored search: most of
//! the raw matches an unanchored search reports start inside a word and fail.

use rustc_hash::FxHashMap;

use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa, nfa::contiguous, Anchored, Input, MatchKind, StartKind};

use crate::boundary::{ends_word, is_word_boundary, quick_word_boundary};
use crate::gazetteer::Entity;
use crate::normalize::{fold, fold_keep_case, is_ignorable, Folded};

/// Texts are folded in pieces of about this many bytes, cut at paragraph breaks where
/// possible, so the offset map stays small whatever the size of the text.
const PIECE: usize = 4 << 20;

/// One alias, ready for the checks a raw match must pass.
#[derive(Debug)]
struct AliasCheck {
    entity: u32,
    /// The alias folded but for case, when it matches only with exact case.
    exact: Option<Box<str>>,
    /// Where, in `Matcher::caps`, the folded offsets (within the alias) of the letters that
    /// must be upper case in the text are: the word-initial capitals of the alias.
    caps: (u32, u32),
}

/// A match that passed every check, in original byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) entity: u32,
}

/// A byte that begins some pattern (see `Matcher::class`).
const FIRST: u8 = 1;
/// An ASCII letter or digit (see `Matcher::class`).
const ALNUM: u8 = 2;

/// Up to this many patterns the automaton is a DFA (a table lookup per byte); above, its
/// memory grows too fast and a contiguous NFA is used.
const DFA_MAX_PATTERNS: usize = 5_000;

/// The automaton, of the kind that suits the gazetteer's size.
#[derive(Debug)]
enum Trie {
    Dfa(dfa::DFA),
    Nfa(contiguous::NFA),
}

/// The automaton and what each of its patterns stands for.
#[derive(Debug)]
pub(crate) struct Matcher {
    trie: Option<Trie>,
    /// For each byte: [`FIRST`] if some pattern begins with it (a walk starts only at
    /// these), [`ALNUM`] if it is an ASCII letter or digit.
    class: [u8; 256],
    /// The aliases folding to pattern `p`, best entity first, are
    /// `pattern_aliases[pattern_start[p]..pattern_start[p + 1]]`: flat arrays rather than a
    /// list per pattern, which with 100,000 patterns saves memory and allocations.
    pattern_start: Vec<u32>,
    pattern_aliases: Vec<u32>,
    aliases: Vec<AliasCheck>,
    /// The capitals of every alias, one after the other (see `AliasCheck::caps`).
    caps: Vec<u32>,
}

impl Matcher {
    pub(crate) fn new(entities: &[Entity]) -> Matcher {
        Matcher::with_dfa_up_to(entities, DFA_MAX_PATTERNS)
    }

    /// A matcher built for one use, as linking builds one per document: a DFA takes longer
    /// to build than the one search it would speed up.
    pub(crate) fn for_one_search(entities: &[Entity]) -> Matcher {
        Matcher::with_dfa_up_to(entities, 0)
    }

    fn with_dfa_up_to(entities: &[Entity], dfa_max: usize) -> Matcher {
        // Folded alias -> pattern id; the map owns the only copy of each pattern.
        let mut by_key: FxHashMap<Box<str>, u32> = FxHashMap::default();
        // (pattern, alias) for every alias.
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut aliases = Vec::new();
        let mut caps = Vec::new();
        for (ei, e) in entities.iter().enumerate() {
            for a in &e.aliases {
                let text = a.text.trim();
                let folded = fold(text);
                let key = folded.as_str();
                if key.is_empty() {
                    continue;
                }
                let pid = match by_key.get(key) {
                    Some(&pid) => pid,
                    None => {
                        let pid = by_key.len() as u32;
                        by_key.insert(key.into(), pid);
                        pid
                    }
                };
                pairs.push((pid, aliases.len() as u32));
                let first = caps.len() as u32;
                capitals(text, &folded, &mut caps);
                aliases.push(AliasCheck {
                    entity: ei as u32,
                    exact: a.exact_case.then(|| fold_keep_case(text).into_boxed_str()),
                    caps: (first, caps.len() as u32),
                });
            }
        }
        let rank = |ai: u32| {
            let e = &entities[aliases[ai as usize].entity as usize];
            (
                std::cmp::Reverse(e.priority),
                std::cmp::Reverse(e.rank.0),
                e.rank.1,
            )
        };
        pairs.sort_by_key(|&(pid, ai)| (pid, rank(ai)));
        let mut pattern_start = vec![0u32; by_key.len() + 1];
        for &(pid, _) in &pairs {
            pattern_start[pid as usize + 1] += 1;
        }
        for p in 1..pattern_start.len() {
            pattern_start[p] += pattern_start[p - 1];
        }
        let pattern_aliases = pairs.iter().map(|&(_, ai)| ai).collect();
        drop(pairs);
        let mut keys: Vec<&str> = vec![""; by_key.len()];
        for (k, &pid) in &by_key {
            keys[pid as usize] = k;
        }
        let mut class = [0u8; 256];
        for (b, c) in class.iter_mut().enumerate() {
            if (b as u8).is_ascii_alphanumeric() {
                *c |= ALNUM;
            }
        }
        for k in &keys {
            class[usize::from(k.as_bytes()[0])] |= FIRST;
        }
        // Leftmost-longest keeps every pattern in the trie (leftmost-first would drop those
        // that extend a shorter one), so a walk sees every pattern starting where it begins.
        let trie = (!keys.is_empty()).then(|| {
            if keys.len() <= dfa_max {
                Trie::Dfa(
                    dfa::Builder::new()
                        .match_kind(MatchKind::LeftmostLongest)
                        .start_kind(StartKind::Both)
                        // Measured: the prefilter slowed tagging by a sixth on text dense
                        // with names (it restarts after every hit) and gained nothing on
                        // the suite's text.
                        .prefilter(false)
                        .build(&keys)
                        .expect("folded aliases are valid patterns"),
                )
            } else {
                Trie::Nfa(
                    contiguous::Builder::new()
                        // Walks start at the root and most die within a few bytes: one more
                        // level of dense states (aho-corasick's default is 2) costs about 1% more
                        // memory and saves 5% of the instructions of tagging.
                        .dense_depth(3)
                        .match_kind(MatchKind::LeftmostLongest)
                        .build(&keys)
                        .expect("folded aliases are valid patterns"),
                )
            }
        });
        Matcher {
            trie,
            class,
            pattern_start,
            pattern_aliases,
            aliases,
            caps,
        }
    }

    /// The number of distinct folded aliases.
    pub(crate) fn pattern_count(&self) -> usize {
        self.pattern_start.len() - 1
    }

    /// Calls `emit` with every accepted match, in order.
    pub(crate) fn find(&self, text: &str, mut emit: impl FnMut(Hit)) {
        let Some(trie) = &self.trie else { return };
        let mut folded = Folded::default();
        let mut base = 0;
        while base < text.len() {
            let end = piece_end(text, base);
            folded.refill(&text[base..end]);
            let piece = Piece {
                text,
                base,
                folded: &folded,
            };
            match trie {
                Trie::Dfa(a) => self.search_piece(a, &piece, &mut emit),
                Trie::Nfa(a) => self.scan_piece(a, &piece, &mut emit),
            }
            base = end;
        }
    }

    /// Walks the automaton anchored from every place where a name may start (see
    /// `next_start`): for the NFA, whose unanchored search would report many matches inside
    /// words, each costing a restart.
    fn scan_piece<A: Automaton>(&self, aut: &A, piece: &Piece, emit: &mut impl FnMut(Hit)) {
        let len = piece.folded.as_bytes().len();
        let mut found = Vec::new();
        let mut cur = Cursor::default();
        let mut p = self.next_start(piece, &mut cur, 0);
        while p < len {
            let next = self
                .try_start(aut, piece, cur.k, p, &mut found, emit)
                .unwrap_or(p + 1);
            p = self.next_start(piece, &mut cur, next);
        }
    }

    /// Finds the next place where some pattern starts with the automaton's own unanchored
    /// search, then tries it as the scan does: for the DFA, whose search (with its
    /// prefilter) runs far ahead of a scan that stops at every word.
    fn search_piece(&self, aut: &dfa::DFA, piece: &Piece, emit: &mut impl FnMut(Hit)) {
        let hay = piece.folded.as_bytes();
        let mut found = Vec::new();
        let mut cur = Cursor::default();
        let mut pos = 0;
        while pos < hay.len() {
            let input = Input::new(hay).range(pos..).anchored(Anchored::No);
            let Some(m) = aut
                .try_find(&input)
                .expect("the automaton supports unanchored searches")
            else {
                break;
            };
            let p = m.start();
            cur.seek(piece.folded, p);
            pos = self
                .try_start(aut, piece, cur.k, p, &mut found, emit)
                .unwrap_or(p + 1);
        }
    }

    /// Tries every pattern that starts at folded offset `p` (in stretch `k`), the longest
    /// first; emits the first that passes the checks and returns where it ends.
    #[inline(always)]
    fn try_start<A: Automaton>(
        &self,
        aut: &A,
        piece: &Piece,
        k: usize,
        p: usize,
        found: &mut Vec<(usize, usize)>,
        emit: &mut impl FnMut(Hit),
    ) -> Option<usize> {
        let hay = piece.folded.as_bytes();
        let mut sid = aut
            .start_state(Anchored::Yes)
            .expect("the automaton supports anchored searches");
        // (end, pattern) of every pattern starting at `p`, shortest first.
        found.clear();
        let mut q = p;
        while q < hay.len() {
            sid = aut.next_state(Anchored::Yes, sid, hay[q]);
            q += 1;
            if aut.is_special(sid) {
                if aut.is_dead(sid) {
                    break;
                }
                if aut.is_match(sid) {
                    // A state may also carry the matches of a suffix (copied from its
                    // failure state): only the pattern as long as the walk starts here.
                    let pid = aut.match_pattern(sid, 0);
                    if aut.pattern_len(pid) == q - p {
                        found.push((q, pid.as_usize()));
                    }
                }
            }
        }
        // The start's word boundary holds for all candidates or none: checked once.
        if found.is_empty()
            || !piece
                .folded
                .original_in(k, p)
                .is_some_and(|o| is_word_boundary(piece.text, piece.base + o))
        {
            return None;
        }
        let (end, hit) = found
            .iter()
            .rev()
            .find_map(|&(end, pattern)| Some((end, self.check(piece, k, p..end, pattern)?)))?;
        emit(hit);
        Some(end)
    }

    /// The first place from `p` on where a name may start: a byte that begins some pattern,
    /// not inside a word. Places between ASCII letters or digits that come from adjacent
    /// one-byte units (where UAX #29 never breaks) and inside one unit's output are skipped
    /// without running the automaton; so is the start of a stretch that continues a word
    /// ("rez" after the "é" of "Pérez"), where the boundary is quickly known not to hold.
    #[inline(always)]
    fn next_start(&self, piece: &Piece, cur: &mut Cursor, mut p: usize) -> usize {
        let Piece { text, base, folded } = *piece;
        let hay = folded.as_bytes();
        while p < hay.len() {
            cur.seek(folded, p);
            if p > cur.start {
                if !cur.run {
                    // Inside one unit's output ("ß" folded to "ss"): nothing maps back here.
                    p = cur.end;
                    continue;
                }
                let end = cur.end;
                let mut prev_alnum = self.class[usize::from(hay[p - 1])] & ALNUM != 0;
                while p < end {
                    if prev_alnum {
                        // The rest of the word, then the byte after it.
                        p = skip_alnum(hay, p, end);
                        if p == end {
                            break;
                        }
                    }
                    let c = self.class[usize::from(hay[p])];
                    if c & FIRST != 0 {
                        return p;
                    }
                    prev_alnum = c & ALNUM != 0;
                    p += 1;
                }
                continue;
            }
            let c = self.class[usize::from(hay[p])];
            if c & FIRST != 0 {
                let continues_word = p > 0
                    && self.class[usize::from(hay[p - 1])] & ALNUM != 0
                    && folded
                        .original_in(cur.k, p)
                        .is_some_and(|o| quick_word_boundary(text, base + o) == Some(false));
                if !continues_word {
                    return p;
                }
            }
            p += 1;
        }
        p
    }

    fn check(
        &self,
        piece: &Piece,
        k: usize,
        range: std::ops::Range<usize>,
        pattern: usize,
    ) -> Option<Hit> {
        let Piece { text, base, folded } = *piece;
        let (fstart, fend) = (range.start, range.end);
        // Stretch `k` holds `fstart`; the offsets looked up below are at or after it.
        let start = base + folded.original_in(k, fstart)?;
        let raw_end = base + folded.original_in(folded.stretch_at(k, fend), fend)?;
        // Invisible characters before the next unit stay out of the span, but UAX #29 joins
        // most of them to the word before: the word may end after them ("Lima\u{AD} is").
        let mut end = raw_end;
        while let Some(c) = text[start..end].chars().next_back() {
            if !is_ignorable(c) {
                break;
            }
            end -= c.len_utf8();
        }
        // The start's word boundary was checked by the caller, once for all candidates.
        if !ends_word(text, end) && (raw_end == end || !ends_word(text, raw_end)) {
            return None;
        }
        let found = &text[start..end];
        let list = self.pattern_start[pattern] as usize..self.pattern_start[pattern + 1] as usize;
        let best = self.pattern_aliases[list].iter().find(|&&ai| {
            let a = &self.aliases[ai as usize];
            match &a.exact {
                Some(exact) => fold_keep_case(found) == **exact,
                None => self.caps[a.caps.0 as usize..a.caps.1 as usize]
                    .iter()
                    .all(|&p| {
                        let f = fstart + p as usize;
                        folded
                            .original_in(folded.stretch_at(k, f), f)
                            .and_then(|o| text[base + o..].chars().next())
                            .is_none_or(char::is_uppercase)
                    }),
            }
        })?;
        Some(Hit {
            start,
            end,
            entity: self.aliases[*best as usize].entity,
        })
    }
}

/// A piece of the text being tagged: the whole text (boundary checks look beyond the piece),
/// where the piece starts in it, and the piece folded.
#[derive(Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    base: usize,
    folded: &'a Folded,
}

/// The stretch of a folded piece's map that holds the scan's position, with its bounds at
/// hand: the scan only moves forward, a stretch at a time.
#[derive(Debug, Default)]
struct Cursor {
    k: usize,
    start: usize,
    end: usize,
    run: bool,
}

impl Cursor {
    #[inline]
    fn seek(&mut self, folded: &Folded, p: usize) {
        if p >= self.end {
            self.k = folded.stretch_at(self.k, p);
            (self.start, self.end, self.run) = folded.stretch(self.k);
        }
    }
}

/// The first offset from `p` (up to `end`) that is not an ASCII letter or digit, eight
/// bytes at a time: most words end within the first eight.
#[inline]
fn skip_alnum(hay: &[u8], mut p: usize, end: usize) -> usize {
    while let Some(chunk) = hay.get(p..p + 8).filter(|_| p + 8 <= end) {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let other = !alnum_bytes(w) & 0x8080_8080_8080_8080;
        if other != 0 {
            return p + (other.trailing_zeros() / 8) as usize;
        }
        p += 8;
    }
    while p < end && hay[p].is_ascii_alphanumeric() {
        p += 1;
    }
    p
}

/// The high bit of each byte of `w` that is an ASCII letter or digit, exactly: every sum
/// below stays within its byte, since the high bits are cleared first.
#[inline]
fn alnum_bytes(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let v = w & !HIGH;
    // The high bit of `x + (0x80 - lo)` is set when `x >= lo`; of `x + (0x7F - hi)`, when
    // `x > hi`.
    let within = |x: u64, lo: u64, hi: u64| {
        x.wrapping_add(ONES * (0x80 - lo)) & !x.wrapping_add(ONES * (0x7F - hi))
    };
    let letters = within(v | (ONES * 0x20), 0x61, 0x7A);
    let digits = within(v, 0x30, 0x39);
    (letters | digits) & !w & HIGH
}

/// Appends to `caps` the folded offsets of the letters of `alias` that must be upper case in
/// the text: those upper case in the alias that start a word (so "McKinley" asks for the M,
/// not the K).
fn capitals(alias: &str, folded: &Folded, caps: &mut Vec<u32>) {
    for (f, _) in folded.as_str().char_indices() {
        let Some(o) = folded.original(f) else {
            continue;
        };
        let Some(c) = alias[o..].chars().next() else {
            continue;
        };
        let word_start = alias[..o]
            .chars()
            .next_back()
            .is_none_or(|p| !p.is_alphabetic());
        if c.is_uppercase() && word_start {
            caps.push(f as u32);
        }
    }
}

/// Where the piece starting at `base` ends: at a paragraph break if there is one in the
/// second half of the piece, else at a line break, else at a space, else anywhere.
pub(crate) fn piece_end(text: &str, base: usize) -> usize {
    piece_end_within(text, base, PIECE)
}

/// Like [`piece_end`], for pieces of about `size` bytes.
pub(crate) fn piece_end_within(text: &str, base: usize, size: usize) -> usize {
    if text.len() - base <= size {
        return text.len();
    }
    let mut limit = base + size;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let mut lo = base + size / 2;
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let window = &text[lo..limit];
    if let Some(i) = window.rfind("\n\n") {
        return lo + i + 1;
    }
    if let Some(i) = window.rfind('\n') {
        return lo + i + 1;
    }
    if let Some(i) = window.rfind(' ') {
        return lo + i + 1;
    }
    limit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dfa_search_agrees_with_nfa_scan() {
        // The two strategies (the DFA's unanchored search, the NFA's scan of word starts)
        // must find the same hits: random gazetteers and texts built from the same pieces,
        // with names inside words, across line breaks, in capitals and with accents.
        let pieces = [
            "lima",
            "Lima",
            "LIMA",
            "san",
            "San Martín",
            "martin",
            "Perú",
            "PERU",
            "peru'",
            "ß",
            "o'connor",
            "O’Connor",
            "SIN",
            "sin",
            "ca",
            "a",
            "x",
            " ",
            " ",
            "  ",
            "\n",
            "-",
            ".",
            "é",
            "É",
            "climate",
            "Sanlima",
            "(",
            "Ãº",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut total = 0;
        for case in 0..2_000 {
            let mut gaz = String::new();
            let mut names = Vec::new();
            for e in 0..1 + next(6) {
                let mut alias = String::new();
                for _ in 0..1 + next(3) {
                    alias.push_str(pieces[next(pieces.len())]);
                }
                let alias = alias.replace(['|', ';', '\n'], " ");
                if !alias.chars().any(char::is_alphanumeric) {
                    continue;
                }
                let exact = if next(4) == 0 { "=" } else { "" };
                gaz.push_str(&format!(
                    "e{e} | PLACE | Name{e} | {exact}{}\n",
                    alias.trim()
                ));
                names.push(alias);
            }
            let g = crate::Gazetteer::parse_text("g", &gaz).expect("a valid gazetteer");
            let Ok(entities) = crate::gazetteer::merge(&[g]) else {
                continue;
            };
            let mut text = String::new();
            for _ in 0..next(40) {
                match next(4) {
                    0 if !names.is_empty() => text.push_str(&names[next(names.len())]),
                    1 if !names.is_empty() => {
                        text.push_str(&names[next(names.len())].to_uppercase());
                    }
                    _ => text.push_str(pieces[next(pieces.len())]),
                }
            }
            let hits = |m: Matcher| {
                let mut v = Vec::new();
                m.find(&text, |h| v.push(h));
                v
            };
            let dfa = hits(Matcher::with_dfa_up_to(&entities, usize::MAX));
            let nfa = hits(Matcher::with_dfa_up_to(&entities, 0));
            assert_eq!(dfa, nfa, "case {case}: {gaz:?} {text:?}");
            total += dfa.len();
        }
        // Not vacuous: the cases find names.
        assert!(total > 1_000, "{total} hits");
    }

    #[test]
    fn alnum_bytes_agrees_with_std() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = [b' '; 8];
                bytes[at] = b;
                let mask = alnum_bytes(u64::from_le_bytes(bytes));
                let want = if b.is_ascii_alphanumeric() {
                    0x80u64 << (8 * at)
                } else {
                    0
                };
                assert_eq!(mask, want, "{b:#x} at {at}");
            }
        }
        let hay = b"Lima123 Peru\xc3\xa9xyz,abcdefghijklmnop";
        for p in 0..hay.len() {
            for end in p..=hay.len() {
                let want = (p..end)
                    .find(|&i| !hay[i].is_ascii_alphanumeric())
                    .unwrap_or(end);
                assert_eq!(skip_alnum(hay, p, end), want, "{p} {end}");
            }
        }
    }

    #[test]
    fn pieces_cut_on_char_boundaries_in_any_text() {
        // Two-byte characters after an odd start: no cut may land inside one.
        for text in [
            format!("a{}", "é".repeat(3 * PIECE / 2)),
            format!("ab{}", "😀 ".repeat(PIECE / 2)),
        ] {
            let mut base = 0;
            while base < text.len() {
                let end = piece_end(&text, base);
                assert!(end > base && text.is_char_boundary(end));
                base = end;
            }
        }
    }

    #[test]
    fn pieces_cut_at_paragraphs() {
        let para = "Lima y Cusco. ".repeat(1000);
        let text = format!("{para}\n\n").repeat(700);
        let mut base = 0;
        let mut pieces = 0;
        while base < text.len() {
            let end = piece_end(&text, base);
            assert!(end > base);
            assert!(
                end == text.len() || text[..end].ends_with("\n\n") || text[..end].ends_with('\n')
            );
            base = end;
            pieces += 1;
        }
        assert!(pieces > 1);
    }
}

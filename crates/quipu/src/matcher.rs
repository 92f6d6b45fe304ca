//! Matching: a trie (and, for small gazetteers, aho-corasick's DFA) over the folded text,
//! then the checks that need the original text (word boundaries, possessives, letter case)
//! and overlap resolution.
//!
//! Semantics: among the *valid* matches (folded alias equals folded text, word boundaries
//! hold in the original, case policy holds), the leftmost wins, then the longest; after it the
//! search goes on past its end. When several aliases fold to the same string, the best entity
//! (priority, then gazetteer order) whose case policy holds wins.
//!
//! The trie is walked anchored from the places where a name can start: a walk collects every
//! pattern that starts there, and the longest one that passes the checks wins, else the next
//! shorter. The places come from a scan that skips the inside of words without walking (most
//! raw matches of an unanchored search start inside a word and fail), or, with up to
//! [`DFA_MAX_PATTERNS`] patterns, from the DFA's unanchored search, which runs ahead faster
//! than the scan when few places begin a pattern.

use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa, Anchored, Input, MatchKind, StartKind};

use crate::boundary::{ends_word, is_word_boundary, quick_word_boundary};
use crate::gazetteer::Entity;
use crate::normalize::{ascii_bytes_in, fold_keep_case, is_ignorable, Folded};
use crate::snapshot::{Reader, Writer};
use crate::trie::{TooLarge, Trie};
use crate::Error;

/// Texts are folded in pieces of about this many bytes, cut at paragraph breaks where
/// possible, so the offset map stays small whatever the size of the text.
pub(crate) const PIECE: usize = 4 << 20;

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

/// Up to this many patterns the automaton is aho-corasick's DFA (a table lookup per byte,
/// and an unanchored search that runs ahead of a scan); above, the DFA's memory and build
/// time grow too fast and a [`Trie`] is walked from every place where a name may start.
const DFA_MAX_PATTERNS: usize = 5_000;

/// The automaton and what each of its patterns stands for.
#[derive(Debug)]
pub(crate) struct Matcher {
    /// The folded aliases, walked from the places where a name may start.
    trie: Option<Trie>,
    /// With up to [`DFA_MAX_PATTERNS`] patterns, what finds those places: its unanchored
    /// search. Unanchored only: a DFA with anchored states too is twice the size, and
    /// walking the trie instead measured 12-15% faster. Without it, a scan of word starts
    /// finds them.
    dfa: Option<dfa::DFA>,
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
    pub(crate) fn new(entities: &[Entity]) -> Result<Matcher, TooLarge> {
        Matcher::with_dfa_up_to(entities, DFA_MAX_PATTERNS)
    }

    /// A matcher built for one use, as linking builds one per document: a DFA takes longer
    /// to build than the one search it would speed up.
    pub(crate) fn for_one_search(entities: &[Entity]) -> Result<Matcher, TooLarge> {
        Matcher::with_dfa_up_to(entities, 0)
    }

    fn with_dfa_up_to(entities: &[Entity], dfa_max: usize) -> Result<Matcher, TooLarge> {
        // Every folded alias, one after the other: one allocation instead of one per alias.
        let mut arena = String::new();
        // Where each alias's folded form is in `arena`.
        let mut keyed: Vec<(u32, u32)> = Vec::new();
        let mut aliases = Vec::new();
        let mut caps = Vec::new();
        let mut folded = Folded::default();
        for (ei, e) in entities.iter().enumerate() {
            for a in &e.aliases {
                let text = a.text.trim();
                folded.refill(text);
                // Checked as UTF-8 once: the arena then takes it as a `str`.
                let key = folded.as_str();
                if key.is_empty() {
                    continue;
                }
                let start = u32::try_from(arena.len()).map_err(|_| TooLarge)?;
                let end = u32::try_from(arena.len() + key.len()).map_err(|_| TooLarge)?;
                keyed.push((start, end));
                arena.push_str(key);
                let first = caps.len() as u32;
                capitals(text, &folded, &mut caps);
                aliases.push(AliasCheck {
                    entity: ei as u32,
                    exact: a.exact_case.then(|| fold_keep_case(text).into_boxed_str()),
                    caps: (first, caps.len() as u32),
                });
            }
        }
        // Each entity's place in the order its aliases are tried in: priority, then later
        // gazetteers, then earlier lines.
        // Sorted as plain tuples, each entity read once.
        let mut by_rank: Vec<_> = entities
            .iter()
            .enumerate()
            .map(|(ei, e)| {
                (
                    std::cmp::Reverse(e.priority),
                    std::cmp::Reverse(e.rank.0),
                    e.rank.1,
                    ei,
                )
            })
            .collect();
        by_rank.sort_unstable();
        let mut place = vec![0u32; entities.len()];
        for (i, &(_, _, _, ei)) in by_rank.iter().enumerate() {
            place[ei] = i as u32;
        }
        drop(by_rank);
        // One sort groups the aliases by folded form, in byte order (the order the trie is
        // laid out in), and puts each group's best entity first. It sorts integers: each
        // alias's first eight bytes, big-endian (zero padding keeps them in the keys' order),
        // then its entity's place; only the few runs of equal first bytes are sorted again
        // by whole keys.
        let key = |ai: usize| &arena.as_bytes()[keyed[ai].0 as usize..keyed[ai].1 as usize];
        // (head, place, alias) packed into one integer: the sort compares integers.
        let mut sortable: Vec<u128> = (0..aliases.len())
            .map(|ai| {
                let mut head = [0u8; 8];
                let k = key(ai);
                let n = k.len().min(8);
                head[..n].copy_from_slice(&k[..n]);
                let place = place[aliases[ai].entity as usize];
                u128::from(u64::from_be_bytes(head)) << 64 | u128::from(place) << 32 | ai as u128
            })
            .collect();
        drop(place);
        sortable.sort_unstable();
        for run in sortable.chunk_by_mut(|x, y| x >> 64 == y >> 64) {
            if run.len() > 1 {
                run.sort_unstable_by(|x, y| {
                    key(*x as u32 as usize)
                        .cmp(key(*y as u32 as usize))
                        .then(x.cmp(y))
                });
            }
        }
        let order: Vec<u32> = sortable.into_iter().map(|x| x as u32).collect();
        // Pattern `p` is the `p`-th distinct folded form, in byte order.
        let mut keys: Vec<&str> = Vec::new();
        let mut pattern_start = Vec::new();
        for (i, &ai) in order.iter().enumerate() {
            if i == 0 || key(order[i - 1] as usize) != key(ai as usize) {
                let (start, end) = keyed[ai as usize];
                keys.push(&arena[start as usize..end as usize]);
                pattern_start.push(i as u32);
            }
        }
        pattern_start.push(order.len() as u32);
        Matcher::from_patterns(&keys, dfa_max, pattern_start, order, aliases, caps)
    }

    /// The matcher of `keys` (sorted, distinct, non-empty: pattern `p` is `keys[p]`) and of
    /// the aliases they stand for: the byte classes, the trie and, with up to `dfa_max`
    /// patterns, the DFA.
    fn from_patterns(
        keys: &[&str],
        dfa_max: usize,
        pattern_start: Vec<u32>,
        pattern_aliases: Vec<u32>,
        aliases: Vec<AliasCheck>,
        caps: Vec<u32>,
    ) -> Result<Matcher, TooLarge> {
        let class = byte_classes(keys.iter().map(|k| k.as_bytes()[0]));
        let dfa = (keys.len() <= dfa_max).then(|| build_dfa(keys)).flatten();
        let trie = if keys.is_empty() {
            None
        } else {
            Some(Trie::new(keys)?)
        };
        Ok(Matcher {
            trie,
            dfa,
            class,
            pattern_start,
            pattern_aliases,
            aliases,
            caps,
        })
    }

    /// Writes what [`Matcher::read`] needs: the patterns (sorted, each as its common prefix
    /// with the one before and the rest) and the aliases' checks, as variable-length
    /// integers. Not the trie, which is ten times the size of its keys, and in a browser
    /// fetching it took longer than building it again; nor the DFA, which aho-corasick
    /// cannot write.
    pub(crate) fn write(&self, w: &mut Writer) {
        let mut keys = self.trie.as_ref().map(Trie::keys).unwrap_or_default();
        keys.sort_unstable();
        w.front_coded(&keys.iter().map(|(_, k)| k).collect::<Vec<_>>());
        w.varints(
            &self
                .pattern_start
                .windows(2)
                .map(|p| p[1] - p[0])
                .collect::<Vec<_>>(),
        );
        w.varints(&self.pattern_aliases);
        // A column at a time: the aliases come entity by entity, so that each entity is
        // written as its step from the one before.
        w.len(self.aliases.len());
        w.deltas(self.aliases.iter().map(|a| a.entity));
        for a in &self.aliases {
            w.opt_str(a.exact.as_deref());
        }
        for a in &self.aliases {
            w.varint(a.caps.1 - a.caps.0);
        }
        w.varints(&self.caps);
    }

    /// Reads what [`Matcher::write`] wrote, for `entities` entities, builds the trie (and
    /// the DFA) again, and checks every index a search follows, so that no text can make it
    /// panic.
    pub(crate) fn read(r: &mut Reader, entities: usize) -> Result<Matcher, Error> {
        let keys_at = r.offset();
        let (arena, ends) = r.front_coded("patterns")?;
        let patterns = ends.len() - 1;
        let mut keys: Vec<&str> = Vec::with_capacity(patterns);
        for w in ends.windows(2) {
            if w[0] == w[1] {
                return Err(Reader::error_at(keys_at, "an empty pattern"));
            }
            keys.push(&arena[w[0] as usize..w[1] as usize]);
        }
        let lists_at = r.offset();
        let mut pattern_start = vec![0u32];
        for n in r.varints()? {
            let next = pattern_start[pattern_start.len() - 1].checked_add(n);
            pattern_start.push(next.ok_or_else(|| Reader::error_at(lists_at, "too many aliases"))?);
        }
        let pattern_aliases = r.varints()?;
        let checks_at = r.offset();
        let n = r.count(3)?;
        let mut aliases = Vec::with_capacity(n);
        r.deltas(n, |_, entity| {
            aliases.push(AliasCheck {
                entity,
                exact: None,
                caps: (0, 0),
            })
        })?;
        for a in &mut aliases {
            a.exact = r.opt_str()?.map(Box::from);
        }
        let mut caps_end = 0u32;
        for (i, a) in aliases.iter_mut().enumerate() {
            let count = r.varint()?;
            let first = caps_end;
            caps_end = caps_end
                .checked_add(count)
                .filter(|_| (a.entity as usize) < entities)
                .ok_or_else(|| {
                    Reader::error_at(
                        checks_at,
                        format!("alias {i}: of no entity, or too many capitals"),
                    )
                })?;
            a.caps = (first, caps_end);
        }
        let caps = r.varints()?;
        let bad = |what: &str| Err(Reader::error_at(lists_at, what));
        if pattern_start.len() != patterns + 1
            || pattern_start[patterns] as usize != pattern_aliases.len()
        {
            return bad("the pattern list does not match the patterns");
        }
        if pattern_aliases
            .iter()
            .any(|&ai| ai as usize >= aliases.len())
            || caps_end as usize != caps.len()
        {
            return bad("an alias out of range");
        }
        // A capital is looked up within the match: before the pattern's end.
        for (p, w) in pattern_start.windows(2).enumerate() {
            for &ai in &pattern_aliases[w[0] as usize..w[1] as usize] {
                let a = &aliases[ai as usize];
                if caps[a.caps.0 as usize..a.caps.1 as usize]
                    .iter()
                    .any(|&c| c as usize >= keys[p].len())
                {
                    return bad("a capital past its alias's end");
                }
            }
        }
        Matcher::from_patterns(
            &keys,
            DFA_MAX_PATTERNS,
            pattern_start,
            pattern_aliases,
            aliases,
            caps,
        )
        .map_err(|_| Reader::error_at(keys_at, "too large"))
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
            match &self.dfa {
                Some(dfa) => self.search_piece(dfa, trie, &piece, &mut emit),
                None => self.scan_piece(trie, &piece, &mut emit),
            }
            base = end;
        }
    }

    /// Walks the trie from every place where a name may start (see `next_start`).
    fn scan_piece(&self, trie: &Trie, piece: &Piece, emit: &mut impl FnMut(Hit)) {
        let hay = piece.folded.as_bytes();
        let mut found = Vec::new();
        let mut cur = Cursor::default();
        let mut p = self.next_start(piece, &mut cur, 0);
        while p < hay.len() {
            found.clear();
            trie.prefixes(hay, p, &mut found);
            let next = self.accept(piece, cur.k, p, &found, emit).unwrap_or(p + 1);
            p = self.next_start(piece, &mut cur, next);
        }
    }

    /// Finds the next place where some pattern starts with the DFA's own unanchored search,
    /// then walks the trie from there: the search runs far ahead of a scan that stops at
    /// every word.
    fn search_piece(&self, aut: &dfa::DFA, trie: &Trie, piece: &Piece, emit: &mut impl FnMut(Hit)) {
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
            found.clear();
            trie.prefixes(hay, p, &mut found);
            pos = self.accept(piece, cur.k, p, &found, emit).unwrap_or(p + 1);
        }
    }

    /// Of the patterns `found` to start at folded offset `p` (in stretch `k`), shortest
    /// first, emits the longest that passes the checks and returns where it ends.
    #[inline(always)]
    fn accept(
        &self,
        piece: &Piece,
        k: usize,
        p: usize,
        found: &[(usize, usize)],
        emit: &mut impl FnMut(Hit),
    ) -> Option<usize> {
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

/// [`Matcher::class`] for patterns beginning with `first` bytes.
fn byte_classes(first: impl Iterator<Item = u8>) -> [u8; 256] {
    let mut class = [0u8; 256];
    for (b, c) in class.iter_mut().enumerate() {
        if (b as u8).is_ascii_alphanumeric() {
            *c |= ALNUM;
        }
    }
    for b in first {
        class[usize::from(b)] |= FIRST;
    }
    class
}

/// The DFA whose search reports the leftmost place where one of `keys` starts; the trie's
/// walk from there finds them all. None without keys, or when the DFA would not fit its
/// state ids (patterns megabytes long): the scan does without.
fn build_dfa<K: AsRef<[u8]>>(keys: &[K]) -> Option<dfa::DFA> {
    if keys.is_empty() {
        return None;
    }
    dfa::Builder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Unanchored)
        // Measured: the prefilter slowed tagging by a sixth on text dense with names (it
        // restarts after every hit) and gained nothing on the suite's text.
        .prefilter(false)
        .build(keys)
        .ok()
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
    // Letters of either case: 0x20 set makes capitals lower case (and moves no digit or
    // other byte into a-z).
    let letters = ascii_bytes_in(w | 0x2020_2020_2020_2020, b'a', b'z');
    letters | ascii_bytes_in(w, b'0', b'9')
}

/// Appends to `caps` the folded offsets of the letters of `alias` that must be upper case in
/// the text: those upper case in the alias that start a word (so "McKinley" asks for the M,
/// not the K).
fn capitals(alias: &str, folded: &Folded, caps: &mut Vec<u32>) {
    // An alias without capitals has nothing to look for: most are known by one byte scan.
    if alias.is_ascii() && !alias.bytes().any(|b| b.is_ascii_uppercase()) {
        return;
    }
    // The stretch holding `f`, followed forward rather than searched for at every letter.
    let mut k = 0;
    for (f, _) in folded.as_str().char_indices() {
        k = folded.stretch_at(k, f);
        let Some(o) = folded.original_in(k, f) else {
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
    fn dfa_search_trie_scan_and_snapshot_agree() {
        // The two strategies (the DFA's unanchored search, the trie's scan of word starts)
        // and a matcher read from a snapshot must find the same hits: random gazetteers and texts built from the same pieces,
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
            let dfa = hits(Matcher::with_dfa_up_to(&entities, usize::MAX).unwrap());
            let trie = hits(Matcher::with_dfa_up_to(&entities, 0).unwrap());
            assert_eq!(dfa, trie, "case {case}: {gaz:?} {text:?}");
            // Written to a snapshot and read back (the DFA built again from the trie).
            let built = Matcher::new(&entities).unwrap();
            let bytes = crate::snapshot::write(&entities, |w| built.write(w));
            let (table, read) = crate::snapshot::read(&bytes, Matcher::read).unwrap();
            let read_entities: Vec<_> = (0..table.len()).map(|i| table.entity(i)).collect();
            assert_eq!(read_entities, entities, "case {case}");
            assert_eq!(read.dfa.is_some(), built.dfa.is_some(), "case {case}");
            assert_eq!(hits(read), dfa, "case {case}: {gaz:?} {text:?}");
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

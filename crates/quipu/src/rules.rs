//! Context rules: names no gazetteer knows, found from the words around them, in the style of
//! GATE's ANNIE. Rules only fill the gaps between the gazetteer's spans, and their word lists
//! are data in `seeds/rules/`.
//!
//! - `title`: a title, rank or role ("Gen.", "Ambassador", "journalist") followed by
//!   capitalised words gives a PERSON; the title stays outside the span.
//! - `first-name`: a known first name followed by capitalised words gives a PERSON.
//! - `org-keyword`: a capitalised sequence that starts ("Ministry of ...") or ends ("...
//!   Directorate") with an organisation keyword gives an INSTITUTION; a place or institution the
//!   gazetteer found inside it is absorbed (the longest name wins).
//! - `embassy`: a place or a capitalised word followed by "embassy" or "consulate" (any case).
//! - `place-prefix`: a place directly followed by an institution ("US" + "Drug Enforcement
//!   Administration") is one institution: a country that is part of a name stays in the span.
//!
//! ALL CAPS text has no capitalisation signal. There, only the title rule runs, takes at most
//! two words after the title, and stops at any common word.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::sync::OnceLock;

use unicode_segmentation::UnicodeSegmentation;

use crate::gazetteer::{INSTITUTION, PERSON, PLACE};
use crate::normalize::fold_str;
use crate::span::Source;
use crate::tagger::Mention;

/// The word lists the rules use.
struct Lists {
    /// Titles as sequences of folded words, longest first.
    titles: Vec<Vec<String>>,
    /// First word of a title -> the titles starting with it, longest first: a token is
    /// compared with these only, not with every title.
    titles_by_first: HashMap<String, Vec<usize>>,
    first_names: HashSet<String>,
    org_keywords: HashSet<String>,
    common: HashSet<String>,
}

fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn words(s: &str) -> Vec<String> {
    fold_str(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let common: HashSet<String> = crate::common_words().iter().map(|w| fold_str(w)).collect();
        let mut titles: Vec<Vec<String>> = lines(include_str!("../../../seeds/rules/titles.txt"))
            .map(words)
            .collect();
        titles.sort_by_key(|t| std::cmp::Reverse(t.len()));
        titles.dedup();
        titles.retain(|t| !t.is_empty());
        let mut titles_by_first: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, t) in titles.iter().enumerate() {
            titles_by_first.entry(t[0].clone()).or_default().push(i);
        }
        let first_names = lines(include_str!("../../../seeds/rules/first-names.txt"))
            .map(fold_str)
            .filter(|n| !common.contains(n))
            .collect();
        let org_keywords = lines(include_str!("../../../seeds/rules/org-keywords.txt"))
            .map(fold_str)
            .collect();
        Lists {
            titles,
            titles_by_first,
            first_names,
            org_keywords,
            common,
        }
    })
}

/// Is `folded` a common English or Spanish word?
pub(crate) fn is_common_word(folded: &str) -> bool {
    lists().common.contains(folded)
}

/// Words that may sit inside a person's name in lower case.
pub(crate) const PARTICLES: &[&str] = &[
    "de", "del", "la", "las", "los", "y", "da", "do", "dos", "das", "van", "von", "der", "den",
    "di", "du", "le", "e",
];

/// The longest institution name the org-keyword rule builds, in words.
const MAX_ORG_WORDS: usize = 12;

/// Words that may join the words of an institution's name.
const CONNECTORS: &[&str] = &[
    "of", "the", "for", "and", "on", "de", "del", "la", "las", "los", "el", "y", "para", "en",
];

/// Capitalised at the start of a sentence without being part of a name.
const FUNCTION_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "after",
    "before",
    "when",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "with",
    "to",
    "and",
    "but",
    "as",
    "if",
    "since",
    "while",
    "during",
    "under",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "its",
    "their",
    "our",
    "my",
    "your",
    "we",
    "they",
    "he",
    "she",
    "it",
    "there",
    "then",
    "also",
    "meanwhile",
    "however",
    "according",
    "both",
    "former",
    "new",
    "el",
    "la",
    "los",
    "las",
    "un",
    "una",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Place,
    Other,
}

/// Endings of English words that are not names: in ALL CAPS text, "GENERAL ACQUISITIONS" is
/// no general.
fn english_morphology(folded: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "tion", "tions", "sion", "sions", "ment", "ments", "ity", "ities", "ing", "ings", "ed",
        "ly", "ive", "ives", "ary", "ous", "ance", "ences", "ence", "ship", "ness", "ism", "able",
        "ible", "ical", "eral", "ure", "ures", "ist", "ists", "ize", "izes", "ise", "ate", "ates",
    ];
    folded.len() > 4 && ENDINGS.iter().any(|e| folded.ends_with(e))
}

#[derive(Debug)]
struct Token<'t> {
    start: usize,
    /// The end, before a possessive suffix.
    end: usize,
    possessive: bool,
    /// Borrowed from the text when the word folds to itself (lower case ASCII), as most do.
    folded: Cow<'t, str>,
    text: &'t str,
    /// Starts with an upper-case letter.
    cap: bool,
    /// On a line written in ALL CAPS.
    shouting: bool,
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let shouting_lines = shouting_lines(text);
    let mut line = 0;
    let mut out: Vec<Token> = Vec::new();
    for (start, w) in text.split_word_bound_indices() {
        if !w.chars().any(char::is_alphanumeric) {
            continue;
        }
        while line + 1 < shouting_lines.len() && shouting_lines[line + 1].0 <= start {
            line += 1;
        }
        // Mis-decoded UTF-8 ("CÃ©sar") is split by the segmenter at the symbol: join it back.
        if let Some(prev) = out.last_mut() {
            let gap = &text[prev.end..start];
            if !prev.possessive && is_mojibake_tail(prev.text, gap) {
                let (core, possessive) = strip_possessive(&text[prev.start..start + w.len()]);
                prev.end = prev.start + core.len();
                prev.text = core;
                prev.folded = fold_token(core);
                prev.possessive = possessive;
                continue;
            }
        }
        let (core, possessive) = strip_possessive(w);
        out.push(Token {
            start,
            end: start + core.len(),
            possessive,
            folded: fold_token(core),
            text: core,
            cap: core.chars().next().is_some_and(char::is_uppercase),
            shouting: shouting_lines.get(line).is_some_and(|l| l.1),
        });
    }
    out
}

/// A word folded, without a copy when it folds to itself.
fn fold_token(word: &str) -> Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(fold_str(word))
    }
}

/// Does `word` followed by `gap` look like a word cut by mis-decoded UTF-8: a lead character
/// ("Ã", "Â", "â") then one or two continuation symbols ("©", "€™")?
fn is_mojibake_tail(word: &str, gap: &str) -> bool {
    let lead = word.ends_with(['Ã', 'Â', 'Å', 'Ä', 'â']);
    let n = gap.chars().count();
    lead && (1..=2).contains(&n)
        && gap
            .chars()
            .all(|c| ('\u{80}'..='\u{BF}').contains(&c) || "€‚ƒ„…†‡ˆ‰‹Œ‘’“”•–—˜™›œ".contains(c))
}

fn strip_possessive(w: &str) -> (&str, bool) {
    for suffix in ["'s", "'S", "\u{2019}s", "\u{2019}S"] {
        if let Some(core) = w.strip_suffix(suffix) {
            if !core.is_empty() {
                return (core, true);
            }
        }
    }
    (w, false)
}

/// (start of line, is the line ALL CAPS) for every line.
fn shouting_lines(text: &str) -> Vec<(usize, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let (mut upper, mut lower) = (0usize, 0usize);
        for c in line.chars() {
            if c.is_uppercase() {
                upper += 1;
            } else if c.is_lowercase() {
                lower += 1;
            }
        }
        out.push((start, upper >= 6 && lower * 10 <= upper));
        start += line.len();
    }
    out
}

/// The text between two tokens lets a name go on: white space with at most one line break,
/// or a hyphen.
fn joins(gap: &str) -> bool {
    if gap == "-" {
        return true;
    }
    !gap.is_empty()
        && gap.chars().all(char::is_whitespace)
        && gap.chars().filter(|&c| c == '\n').count() <= 1
}

struct Ctx<'t> {
    text: &'t str,
    tokens: Vec<Token<'t>>,
    /// For each token, the index of the mention covering it.
    covered: Vec<Option<usize>>,
    /// (start, end, kind) of each mention found before the rules.
    mentions: Vec<(usize, usize, Kind)>,
    lists: &'static Lists,
}

impl Ctx<'_> {
    fn gap(&self, a: usize, b: usize) -> &str {
        &self.text[self.tokens[a].end..self.tokens[b].start]
    }

    /// Joined to the previous token, and that one has no possessive.
    fn joined(&self, k: usize) -> bool {
        k > 0 && !self.tokens[k - 1].possessive && joins(self.gap(k - 1, k))
    }

    fn is_common(&self, k: usize) -> bool {
        self.lists.common.contains(&*self.tokens[k].folded)
    }

    /// A run of name words starting at `from`: capitalised words, with lower-case particles
    /// between them. Returns the last token of the run.
    fn name_run(&self, from: usize, max: usize) -> Option<usize> {
        let mut last = None;
        let mut k = from;
        let mut count = 0;
        while k < self.tokens.len() && count < max {
            if k > from && !self.joined(k) {
                break;
            }
            // A one-word place the gazetteer found may be a surname ("Mariano Alvarado").
            if self.covered[k].is_some() && !self.place_word(k) {
                break;
            }
            let t = &self.tokens[k];
            let shouting = t.shouting;
            let word = t.cap
                && t.text.chars().next().is_some_and(char::is_alphabetic)
                && !FUNCTION_WORDS.contains(&&*t.folded)
                && !(shouting && (self.is_common(k) || english_morphology(&t.folded)))
                && !self.lists.org_keywords.contains(&*t.folded);
            if word {
                last = Some(k);
                count += 1;
                if t.possessive {
                    break;
                }
                k += 1;
                continue;
            }
            // Lower-case particles, one or more ("de los"), then a capitalised word.
            let is_particle = |j: usize| PARTICLES.contains(&self.tokens[j].text);
            if !shouting && k > from && is_particle(k) {
                let mut j = k;
                while j < self.tokens.len() && is_particle(j) && j - k < 3 {
                    j += 1;
                }
                if j < self.tokens.len()
                    && self.tokens[j].cap
                    && (self.covered[j].is_none() || self.place_word(j))
                {
                    k = j;
                    continue;
                }
            }
            break;
        }
        last
    }

    /// Is token `k` exactly a one-word place the gazetteer found?
    fn place_word(&self, k: usize) -> bool {
        self.covered[k].is_some_and(|m| {
            let (ms, me, kind) = self.mentions[m];
            kind == Kind::Place && ms == self.tokens[k].start && me == self.tokens[k].end
        })
    }

    /// The longest title starting at token `i`: returns the token after it.
    fn title_at(&self, i: usize) -> Option<usize> {
        let candidates = self.lists.titles_by_first.get(&*self.tokens[i].folded)?;
        'titles: for title in candidates.iter().map(|&t| &self.lists.titles[t]) {
            if i + title.len() > self.tokens.len() {
                continue;
            }
            for (j, w) in title.iter().enumerate() {
                let k = i + j;
                if self.covered[k].is_some() || self.tokens[k].folded != *w {
                    continue 'titles;
                }
                if j > 0 {
                    let gap = self.gap(k - 1, k);
                    if !joins(gap.trim_start_matches('.')) && gap != "." {
                        continue 'titles;
                    }
                }
            }
            return Some(i + title.len());
        }
        None
    }
}

fn mention(ctx: &Ctx, first: usize, last: usize, entity_type: &str, rule: &str) -> Mention {
    let start = ctx.tokens[first].start;
    let end = ctx.tokens[last].end;
    let name: String = ctx.text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    Mention {
        start,
        end,
        id: format!("{}:{}", entity_type.to_ascii_lowercase(), slug(&name)).into(),
        name: name.into(),
        entity_type: entity_type.into(),
        source: Source::Rule(rule.to_string()),
    }
}

/// A stable id fragment for a name found by a rule: folded, words joined by '-'.
pub(crate) fn slug(name: &str) -> String {
    fold_str(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Adds the mentions the rules find to `mentions` (sorted, non-overlapping), which stay sorted
/// and non-overlapping.
pub(crate) fn apply(text: &str, mentions: &mut Vec<Mention>) {
    // Rules look a few words around; running them piece by piece keeps the tokens' memory
    // bounded whatever the size of the text.
    const RULES_PIECE: usize = 1 << 20;
    if text.len() <= RULES_PIECE {
        apply_piece(text, mentions);
        return;
    }
    let all = std::mem::take(mentions);
    let mut rest = all.into_iter().peekable();
    let mut base = 0;
    while base < text.len() {
        let mut end = crate::matcher::piece_end_within(text, base, RULES_PIECE);
        let mut local: Vec<Mention> = Vec::new();
        while let Some(m) = rest.next_if(|m| m.start < end) {
            // A mention across the cut moves the cut after it.
            end = end.max(m.end);
            local.push(m);
        }
        for m in &mut local {
            m.start -= base;
            m.end -= base;
        }
        apply_piece(&text[base..end], &mut local);
        for mut m in local {
            m.start += base;
            m.end += base;
            mentions.push(m);
        }
        base = end;
    }
}

fn apply_piece(text: &str, mentions: &mut Vec<Mention>) {
    let tokens = tokenize(text);
    drop_us_pronouns(text, &tokens, mentions);
    let mut ctx = Ctx {
        text,
        covered: vec![None; tokens.len()],
        tokens,
        mentions: mentions
            .iter()
            .map(|m| {
                let kind = match &*m.entity_type {
                    PERSON => Kind::Person,
                    PLACE => Kind::Place,
                    _ => Kind::Other,
                };
                (m.start, m.end, kind)
            })
            .collect(),
        lists: lists(),
    };
    mark_covered(&mut ctx, mentions);
    let mut found: Vec<Mention> = Vec::new();
    let mut absorbed: Vec<usize> = Vec::new();

    let n = ctx.tokens.len();
    let mut i = 0;
    while i < n {
        if ctx.covered[i].is_some() {
            i += 1;
            continue;
        }
        // Titles, possibly several in a row ("Army Commander Gen.").
        if let Some(mut after) = ctx.title_at(i) {
            while after < n && ctx.joined_loose(after) {
                match ctx.title_at(after) {
                    Some(next) => after = next,
                    None => break,
                }
            }
            if after < n && ctx.joined_loose(after) {
                let shouting = ctx.tokens[after].shouting;
                let max = if shouting { 2 } else { 4 };
                if let Some(last) = ctx.name_run(after, max) {
                    let all_common = (after..=last).all(|k| ctx.is_common(k));
                    if !all_common {
                        found.push(mention(&ctx, after, last, PERSON, "title"));
                        absorbed.extend((after..=last).filter_map(|k| ctx.covered[k]));
                        i = last + 1;
                        continue;
                    }
                }
            }
            i = after;
            continue;
        }
        let t = &ctx.tokens[i];
        if t.shouting {
            i += 1;
            continue;
        }
        // A first name, then a surname.
        if t.cap
            && !t.possessive
            && ctx.lists.first_names.contains(&*t.folded)
            && i + 1 < n
            && ctx.joined(i + 1)
        {
            if let Some(last) = ctx.name_run(i + 1, 3) {
                found.push(mention(&ctx, i, last, PERSON, "first-name"));
                absorbed.extend((i + 1..=last).filter_map(|k| ctx.covered[k]));
                i = last + 1;
                continue;
            }
        }
        i += 1;
    }

    // Institutions: capitalised sequences with a keyword at either end. They may absorb the
    // gazetteer's places and institutions inside them (not people).
    let people = found.len();
    let mut i = 0;
    while i < n {
        match org_sequence(&ctx, i) {
            Some((first, last, entity_type, rule)) => {
                let inner: Vec<usize> = (first..=last).filter_map(|k| ctx.covered[k]).collect();
                let rule_overlap = overlaps(
                    &found[..people],
                    ctx.tokens[first].start,
                    ctx.tokens[last].end,
                );
                // A sequence that is exactly one known name adds nothing.
                let same = inner.first().is_some_and(|&m| {
                    let (ms, me, _) = ctx.mentions[m];
                    ms == ctx.tokens[first].start && me == ctx.tokens[last].end
                });
                if !rule_overlap && !same {
                    found.push(mention(&ctx, first, last, entity_type, rule));
                    absorbed.extend(inner);
                }
                i = last + 1;
            }
            None => i += 1,
        }
    }

    // "Mexican embassy", "the US embassy".
    for k in 1..n {
        let t = &ctx.tokens[k];
        if !matches!(t.folded.as_ref(), "embassy" | "consulate") || ctx.covered[k].is_some() {
            continue;
        }
        if overlaps(&found[..people], t.start, t.end) || overlaps(&found[people..], t.start, t.end)
        {
            continue;
        }
        let prev = k - 1;
        let first_start = match ctx.covered[prev] {
            Some(m)
                if &*mentions[m].entity_type == PLACE && joins(&text[mentions[m].end..t.start]) =>
            {
                mentions[m].start
            }
            Some(_) => continue,
            None if !ctx.joined(k) => continue,
            None if ctx.tokens[prev].cap
                && !ctx.tokens[prev].shouting
                && !FUNCTION_WORDS.contains(&ctx.tokens[prev].folded.as_ref()) =>
            {
                ctx.tokens[prev].start
            }
            None => continue,
        };
        let mut m = mention(&ctx, prev, k, INSTITUTION, "embassy");
        m.start = first_start;
        m.name = text[first_start..m.end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .into();
        m.id = format!("institution:{}", slug(&m.name)).into();
        if let Some(p) = ctx.covered[prev] {
            absorbed.push(p);
        }
        found.push(m);
    }

    // A place directly followed by an institution: one institution.
    let mut merged_into: Vec<(usize, usize)> = Vec::new();
    for w in 0..mentions.len().saturating_sub(1) {
        let (a, b) = (&mentions[w], &mentions[w + 1]);
        if &*a.entity_type == PLACE
            && &*b.entity_type == INSTITUTION
            && joins(&text[a.end..b.start])
            && !text[a.end..b.start].contains('\n')
        {
            let k = ctx.tokens.partition_point(|t| t.start < a.start);
            let shouting = ctx.tokens.get(k).is_some_and(|t| t.shouting);
            if !shouting {
                merged_into.push((w, w + 1));
            }
        }
    }
    for &(a, b) in &merged_into {
        if absorbed.contains(&a) || absorbed.contains(&b) {
            continue;
        }
        let mut m = mentions[b].clone();
        m.start = mentions[a].start;
        m.source = Source::Rule("place-prefix".into());
        absorbed.push(a);
        absorbed.push(b);
        found.push(m);
    }

    if found.is_empty() {
        return;
    }
    let mut keep = vec![true; mentions.len()];
    for a in absorbed {
        keep[a] = false;
    }
    let mut k = 0;
    mentions.retain(|_| {
        k += 1;
        keep[k - 1]
    });
    mentions.extend(found);
    mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    // Drop anything overlapping an earlier, longer mention.
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    for m in mentions.drain(..) {
        if out.last().is_some_and(|p| m.start < p.end) {
            continue;
        }
        out.push(m);
    }
    *mentions = out;
}

impl Ctx<'_> {
    /// Like `joined`, but a "." may end the previous word ("Gen. Salinas").
    fn joined_loose(&self, k: usize) -> bool {
        k > 0 && !self.tokens[k - 1].possessive && {
            let gap = self.gap(k - 1, k);
            joins(gap) || joins(gap.strip_prefix('.').unwrap_or(gap))
        }
    }
}

/// In ALL CAPS text the pronoun "us" is written "US", like the country. After a preposition or
/// a verb that takes an object ("WITH US", "TELL US") it is the pronoun: such mentions go.
fn drop_us_pronouns(text: &str, tokens: &[Token], mentions: &mut Vec<Mention>) {
    const BEFORE_PRONOUN: &[&str] = &[
        "to",
        "with",
        "from",
        "by",
        "against",
        "among",
        "between",
        "toward",
        "towards",
        "let",
        "tell",
        "tells",
        "told",
        "give",
        "gives",
        "gave",
        "given",
        "show",
        "shows",
        "showed",
        "help",
        "helps",
        "helped",
        "ask",
        "asks",
        "asked",
        "join",
        "joins",
        "joined",
        "inform",
        "informs",
        "informed",
        "assure",
        "assured",
        "urge",
        "urged",
        "leave",
        "leaves",
        "left",
        "like",
        "about",
        "upon",
        "invite",
        "invited",
        "contact",
        "contacted",
        "approach",
        "approached",
        "visit",
        "visited",
        "thank",
        "thanked",
        "allow",
        "allowed",
        "keep",
        "kept",
        "provide",
        "provided",
        "send",
        "sent",
        "before",
        "after",
        "behind",
        "than",
        "both",
        "all",
        "of",
        "for",
    ];
    // "OF US" and "FOR US" are the pronoun only when no noun follows: "FOR US TO", "OF US."
    const WEAK: &[&str] = &["of", "for"];
    mentions.retain(|m| {
        if &text[m.start..m.end] != "US" {
            return true;
        }
        let k = tokens.partition_point(|t| t.start < m.start);
        let Some(t) = tokens.get(k) else { return true };
        if k == 0 || t.start != m.start {
            return true;
        }
        let prev = &tokens[k - 1];
        // Written in capitals: the line, or at least the word before ("LET US SEE").
        let capitals = t.shouting
            || (prev.text.chars().count() >= 2 && !prev.text.chars().any(char::is_lowercase));
        if !capitals {
            return true;
        }
        if !joins(&text[prev.end..t.start]) || !BEFORE_PRONOUN.contains(&prev.folded.as_ref()) {
            return true;
        }
        if WEAK.contains(&prev.folded.as_ref()) {
            let after = &text[m.end..];
            let next_is_noun = after.starts_with(' ')
                && tokens.get(k + 1).is_some_and(|n| {
                    joins(&text[m.end..n.start])
                        && !FUNCTION_WORDS.contains(&n.folded.as_ref())
                        && !matches!(
                            n.folded.as_ref(),
                            "is" | "are"
                                | "was"
                                | "were"
                                | "in"
                                | "on"
                                | "at"
                                | "and"
                                | "or"
                                | "to"
                        )
                });
            return next_is_noun;
        }
        false
    });
}

/// Does any of `sorted` (sorted, non-overlapping) overlap `start..end`?
fn overlaps(sorted: &[Mention], start: usize, end: usize) -> bool {
    let i = sorted.partition_point(|m| m.end <= start);
    i < sorted.len() && sorted[i].start < end
}

fn mark_covered(ctx: &mut Ctx, mentions: &[Mention]) {
    let mut m = 0;
    for (k, t) in ctx.tokens.iter().enumerate() {
        while m < mentions.len() && mentions[m].end <= t.start {
            m += 1;
        }
        if m < mentions.len()
            && mentions[m].start < t.end.max(t.start + 1)
            && t.start < mentions[m].end
        {
            ctx.covered[k] = Some(m);
        }
    }
}

/// An institution's name around token `i`: a capitalised sequence, joined by connectors, with
/// an organisation keyword at its end or at its start followed by a connector.
fn org_sequence(ctx: &Ctx, i: usize) -> Option<(usize, usize, &'static str, &'static str)> {
    let n = ctx.tokens.len();
    let t = &ctx.tokens[i];
    if t.shouting || !t.cap || FUNCTION_WORDS.contains(&&*t.folded) {
        return None;
    }
    let mut last = i;
    let mut k = i + 1;
    // Names of institutions are short: the bound keeps long runs of capitals linear.
    while k < n && k - i < MAX_ORG_WORDS && ctx.joined(k) && !ctx.tokens[k - 1].possessive {
        let tk = &ctx.tokens[k];
        if tk.shouting {
            break;
        }
        if tk.cap && !FUNCTION_WORDS.contains(&tk.folded.as_ref()) {
            last = k;
            k += 1;
            continue;
        }
        if CONNECTORS.contains(&tk.text) {
            // "and" does not join two institutions ("the Army and Navy").
            if matches!(tk.text, "and" | "y")
                && (ctx.lists.org_keywords.contains(&*ctx.tokens[k - 1].folded)
                    || ctx.covered[k - 1].is_some())
            {
                break;
            }
            k += 1;
            continue;
        }
        break;
    }
    if last == i {
        return None;
    }
    // The sequence may not hold a person, nor cut through a mention.
    let (start, end) = (ctx.tokens[i].start, ctx.tokens[last].end);
    for j in i..=last {
        if let Some(m) = ctx.covered[j] {
            let (ms, me, kind) = ctx.mentions[m];
            if kind == Kind::Person || ms < start || me > end {
                return None;
            }
        }
    }
    let keyword_first = ctx.lists.org_keywords.contains(&*ctx.tokens[i].folded)
        && (i + 1..last)
            .any(|j| matches!(ctx.tokens[j].text, "of" | "de" | "del" | "for" | "para"));
    let keyword_last = ctx.lists.org_keywords.contains(&*ctx.tokens[last].folded);
    if STREETS.contains(&ctx.tokens[i].folded.as_ref()) {
        Some((i, last, PLACE, "street"))
    } else if keyword_first || keyword_last {
        Some((i, last, INSTITUTION, "org-keyword"))
    } else {
        None
    }
}

/// Words that start the name of a street or square: "Jirón de la Unión" is a place, whatever
/// keyword follows.
const STREETS: &[&str] = &[
    "jiron",
    "jr",
    "avenida",
    "av",
    "calle",
    "paseo",
    "plaza",
    "plazuela",
    "parque",
    "malecon",
    "carretera",
    "street",
    "avenue",
    "square",
    "boulevard",
    "road",
];

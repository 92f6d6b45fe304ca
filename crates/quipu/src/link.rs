//! Document-level linking, in the style of GATE's OrthoMatcher: once a document names
//! "Jaime Salinas", a later "Salinas" is the same person, even where no gazetteer knows him;
//! and "Military Assistance and Advisory Group (MAAG)" makes "MAAG" a name of that group for
//! the rest of the document (the reverse order too).
//!
//! An alias learned from two different entities in one document is ambiguous and links
//! nothing. Linking fills gaps between mentions, and relinks a one-word person or place the
//! gazetteer found when it is exactly a learned name ("Salinas" the city becomes Salinas the
//! general once "Gen. Jaime Salinas" has been named).

use std::collections::HashMap;

use crate::gazetteer::{Alias, Entity, PERSON, PLACE};
use crate::matcher::Matcher;
use crate::normalize::fold_str;
use crate::span::Source;
use crate::tagger::Mention;

/// Beyond the particles a name may hold (`rules::PARTICLES`), words that only make sense
/// before or after another name word.
const NOT_ALONE: &[&str] = &["san", "santa", "mc", "jr", "sr"];

fn is_particle(folded: &str) -> bool {
    crate::rules::PARTICLES.contains(&folded) || NOT_ALONE.contains(&folded)
}

struct Learned {
    alias: String,
    exact: bool,
    /// Index of the mention that taught it.
    teacher: usize,
    /// Applies from this offset on.
    from: usize,
}

/// Links later mentions to entities named earlier in the same document.
pub(crate) fn apply(text: &str, mentions: &mut Vec<Mention>) {
    let mut learned: Vec<Learned> = Vec::new();
    let mut added: Vec<Mention> = Vec::new();

    // Acronyms in parentheses after or before a name: "Name (ABC)" teaches ABC from its own
    // end on, "ABC (Name)" from the end of the name.
    for (i, m) in mentions.iter().enumerate() {
        let after = acronym_after(text, m.end).map(|(s, e)| (s, e, e));
        let before = acronym_before(text, m.start).map(|(s, e)| (s, e, m.end));
        for (s, e, from) in after.into_iter().chain(before) {
            if overlapping(mentions, s, e).is_none() {
                added.push(Mention {
                    start: s,
                    end: e,
                    source: Source::Rule("acronym".into()),
                    ..m.clone()
                });
            }
            learned.push(Learned {
                alias: text[s..e].to_string(),
                exact: true,
                teacher: i,
                from,
            });
        }
    }

    // The parts of people's full names.
    for (i, m) in mentions.iter().enumerate() {
        if &*m.entity_type != PERSON {
            continue;
        }
        let words: Vec<&str> = m.text(text).split_whitespace().collect();
        if words.len() < 2 {
            continue;
        }
        // Every word, and every run of two or more words short of the whole name.
        for len in 1..words.len() {
            for start in 0..=words.len() - len {
                let part = &words[start..start + len];
                if len == 1 {
                    let w = part[0];
                    let f = fold_str(w);
                    if f.chars().count() < 3 || is_particle(&f) || crate::rules::is_common_word(&f)
                    {
                        continue;
                    }
                }
                if is_particle(&fold_str(part[0])) || is_particle(&fold_str(part[len - 1])) {
                    continue;
                }
                learned.push(Learned {
                    alias: part.join(" "),
                    exact: false,
                    teacher: i,
                    from: m.end,
                });
            }
        }
    }
    if learned.is_empty() && added.is_empty() {
        return;
    }

    // Ambiguous aliases (taught by two entities) link nothing.
    let mut owners: HashMap<String, Vec<&str>> = HashMap::new();
    for l in &learned {
        let ids = owners.entry(fold_str(&l.alias)).or_default();
        let id = &*mentions[l.teacher].id;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    learned.retain(|l| owners[&fold_str(&l.alias)].len() == 1);
    // Keep the first teaching of each alias.
    let mut seen = std::collections::HashSet::new();
    learned.retain(|l| seen.insert(fold_str(&l.alias)));

    let entities: Vec<Entity> = learned
        .iter()
        .enumerate()
        .map(|(k, l)| Entity {
            id: k.to_string(),
            entity_type: mentions[l.teacher].entity_type.to_string(),
            name: l.alias.clone(),
            aliases: vec![Alias {
                text: l.alias.clone(),
                exact_case: l.exact,
            }],
            priority: 0,
            qid: None,
            xref: None,
            description: None,
            origin: String::new(),
            rank: (0, k),
        })
        .collect();
    let mut relinked: Vec<(usize, Mention)> = Vec::new();
    // The learned names are the document's own: a trie too large for them would take a
    // text of gigabytes; linking then finds nothing more rather than failing the tagging.
    if let Ok(matcher) = Matcher::for_one_search(&entities) {
        matcher.find(text, |hit| {
            let l = &learned[hit.entity as usize];
            if hit.start < l.from {
                return;
            }
            let teacher = &mentions[l.teacher];
            let linked = Mention {
                start: hit.start,
                end: hit.end,
                source: Source::Linked,
                ..teacher.clone()
            };
            match overlapping(mentions, hit.start, hit.end) {
                // Overlaps among the additions are settled after the sort below.
                None => added.push(linked),
                Some(j) => {
                    let m = &mentions[j];
                    let one_word = !m.text(text).contains(char::is_whitespace);
                    if m.start == hit.start
                        && m.end == hit.end
                        && m.id != teacher.id
                        && one_word
                        && (&*m.entity_type == PERSON
                            || (&*m.entity_type == PLACE && !after_locative(text, m.start)))
                        && m.source == Source::Gazetteer
                    {
                        relinked.push((j, linked));
                    }
                }
            }
        });
    }
    for (j, m) in relinked {
        mentions[j] = m;
    }
    mentions.extend(added);
    mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    mentions.dedup_by(|b, a| b.start < a.end);
}

/// Is the word before `pos` a preposition of place ("in Trujillo", "the port of Trujillo")?
/// Then a place the gazetteer found stays a place, whoever shares its name.
fn after_locative(text: &str, pos: usize) -> bool {
    const LOCATIVE: &[&str] = &[
        "in", "at", "to", "from", "near", "into", "of", "around", "outside", "across", "through",
        "via", "toward", "towards", "en", "de", "desde", "hacia",
    ];
    let before = text[..pos].trim_end();
    let word = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    LOCATIVE.contains(&fold_str(word).as_str())
}

fn overlapping(mentions: &[Mention], start: usize, end: usize) -> Option<usize> {
    let i = mentions.partition_point(|m| m.end <= start);
    (i < mentions.len() && mentions[i].start < end).then_some(i)
}

/// An acronym: two to ten characters, upper-case letters (digits, '&' and '.' allowed after
/// the first).
fn is_acronym(s: &str) -> bool {
    let n = s.chars().count();
    (2..=10).contains(&n)
        && s.chars().next().is_some_and(char::is_uppercase)
        && s.chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '&' || c == '.')
        && s.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// "Name (ABC)": the acronym's span after a mention ending at `end`.
fn acronym_after(text: &str, end: usize) -> Option<(usize, usize)> {
    let rest = &text[end..];
    let open = rest.len() - rest.trim_start_matches([' ', '\u{a0}']).len();
    let rest2 = rest[open..].strip_prefix('(')?;
    let close = rest2.find(')')?;
    let inner = &rest2[..close];
    let trimmed = inner.trim();
    if !is_acronym(trimmed) {
        return None;
    }
    let s = end + open + 1 + (inner.len() - inner.trim_start().len());
    Some((s, s + trimmed.len()))
}

/// "ABC (Name)": the acronym's span before a mention starting at `start`.
fn acronym_before(text: &str, start: usize) -> Option<(usize, usize)> {
    let before = text[..start].strip_suffix('(')?;
    let before = before.trim_end_matches([' ', '\u{a0}']);
    // The mention must be closed by ')' right after: checked loosely by the caller's layout.
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '(' | '"' | '\u{201C}'))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let word = &before[word_start..];
    is_acronym(word).then_some((word_start, before.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronym_positions() {
        let t = "the Military Assistance and Advisory Group (MAAG) said";
        let end = t.find(" (").unwrap();
        let (s, e) = acronym_after(t, end).unwrap();
        assert_eq!(&t[s..e], "MAAG");
        let t = "the MRTA (Tupac Amaru Revolutionary Movement)";
        let start = t.find("Tupac").unwrap();
        let (s, e) = acronym_before(t, start).unwrap();
        assert_eq!(&t[s..e], "MRTA");
        assert!(acronym_after("Lima (Peru)", 4).is_none());
    }
}

//! The tagger: gazetteers in, spans out.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::error::Error;
use crate::gazetteer::{merge_owned, Entity, Gazetteer};
use crate::matcher::Matcher;
use crate::span::{OffsetCounter, Source, Span};

/// Options for building a [`Tagger`].
///
/// ```
/// # #[cfg(feature = "default-gazetteer")] {
/// use quipu::{Gazetteer, Tagger};
/// let mine = Gazetteer::parse_text("mine.gaz", "kenna | PERSON | Lisa Kenna | Kenna")?;
/// let tagger = Tagger::builder()
///     .gazetteer(mine)
///     .types(["PERSON", "PLACE"])
///     .build()?;
/// let spans = tagger.tag("Ambassador Kenna flew to Lima.");
/// assert_eq!(spans[0].text, "Kenna");
/// assert_eq!(spans[1].text, "Lima");
/// # }
/// # Ok::<(), quipu::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct TaggerBuilder {
    default_gazetteer: bool,
    gazetteers: Vec<Gazetteer>,
    types: Option<BTreeSet<String>>,
    rules: bool,
    linking: bool,
}

impl Default for TaggerBuilder {
    fn default() -> TaggerBuilder {
        TaggerBuilder::new()
    }
}

impl TaggerBuilder {
    /// A builder with the default gazetteer and no other.
    pub fn new() -> TaggerBuilder {
        TaggerBuilder {
            default_gazetteer: true,
            gazetteers: Vec::new(),
            types: None,
            rules: true,
            linking: true,
        }
    }

    /// Whether context rules find names no gazetteer knows (on by default): titles
    /// ("Gen. Jaime Salinas"), known first names, organisation keywords ("... Directorate").
    pub fn rules(mut self, yes: bool) -> TaggerBuilder {
        self.rules = yes;
        self
    }

    /// Whether later mentions link to names found earlier in the same document (on by
    /// default): a surname alone after the full name, an acronym after "Full Name (ABC)".
    pub fn linking(mut self, yes: bool) -> TaggerBuilder {
        self.linking = yes;
        self
    }

    /// Whether to start from the default gazetteer compiled into the library (on by default).
    ///
    /// Built without the cargo feature `default-gazetteer`, the library has none: `build`
    /// then fails with an [`Error`] saying so unless this is `false` (add the gazetteers of
    /// [`crate::parse_default_gazetteers`] first to have it anyway).
    pub fn default_gazetteer(mut self, yes: bool) -> TaggerBuilder {
        self.default_gazetteer = yes;
        self
    }

    /// Adds a gazetteer after those already given; later ones add to, override and win ties
    /// over earlier ones.
    pub fn gazetteer(mut self, gazetteer: Gazetteer) -> TaggerBuilder {
        self.gazetteers.push(gazetteer);
        self
    }

    /// Tags only entities of these types (all types when never called).
    pub fn types<I, S>(mut self, types: I) -> TaggerBuilder
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.types = Some(
            types
                .into_iter()
                .map(|t| t.as_ref().trim().to_ascii_uppercase())
                .collect(),
        );
        self
    }

    /// Merges the gazetteers and builds the automaton.
    ///
    /// The builder is consumed: its gazetteers become the tagger's entities without a copy
    /// (with 170,000 entities a copy was a tenth of the build's time and 40 MB of its
    /// peak). Clone the builder first to build twice.
    pub fn build(self) -> Result<Tagger, Error> {
        let mut all = if self.default_gazetteer {
            crate::compiled_default_gazetteers()?
        } else {
            Vec::new()
        };
        all.extend(self.gazetteers);
        let mut entities = merge_owned(all)?;
        if let Some(types) = &self.types {
            entities.retain(|e| types.contains(&e.entity_type));
        }
        let matcher = Matcher::new(&entities).map_err(|_| {
            Error::new(
                "gazetteers",
                None,
                "too large: the folded aliases (and their trie) must fit in 4 GiB",
            )
        })?;
        // One string per type, however many entities have it.
        let mut type_names: Vec<Arc<str>> = Vec::new();
        for e in &entities {
            if !type_names.iter().any(|t| **t == *e.entity_type) {
                type_names.push(e.entity_type.as_str().into());
            }
        }
        let shared = entities.iter().map(|_| OnceLock::new()).collect();
        Ok(Tagger {
            entities,
            shared,
            type_names,
            by_id: OnceLock::new(),
            matcher,
            types: self.types,
            rules: self.rules,
            linking: self.linking,
        })
    }
}

/// Finds the entities of its gazetteers in texts.
///
/// Build one with [`Tagger::builder`] (or [`Tagger::new`] for the default gazetteer), then
/// call [`Tagger::tag`] as often as needed, from any number of threads.
///
/// ```
/// # #[cfg(feature = "default-gazetteer")] {
/// let tagger = quipu::Tagger::new()?;
/// let spans = tagger.tag("THE EMBASSY IN LIMA REPORTED TO WASHINGTON.");
/// assert!(spans.iter().any(|s| s.text == "LIMA" && &*s.entity_type == "PLACE"));
/// # }
/// # Ok::<(), quipu::Error>(())
/// ```
#[derive(Debug)]
pub struct Tagger {
    entities: Vec<Entity>,
    /// Each entity's type, id and name, shared by its spans: made on the entity's first
    /// span, since most entities of a large gazetteer never have one (making them all was
    /// 6% of the build).
    shared: Vec<OnceLock<[Arc<str>; 3]>>,
    /// Every entity type, once.
    type_names: Vec<Arc<str>>,
    /// Entity indices sorted by id, for `entity`: no second copy of every id. Sorted on
    /// the first lookup, since many uses never look one up (with 170,000 entities the sort
    /// was a tenth of the build).
    by_id: OnceLock<Vec<u32>>,
    matcher: Matcher,
    types: Option<BTreeSet<String>>,
    rules: bool,
    linking: bool,
}

/// A mention before its offsets are counted: what the matcher, the rules and linking pass
/// along.
#[derive(Debug, Clone)]
pub(crate) struct Mention {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) entity_type: Arc<str>,
    pub(crate) id: Arc<str>,
    pub(crate) name: Arc<str>,
    pub(crate) source: Source,
}

impl Mention {
    pub(crate) fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }
}

/// Counts describing a tagger's gazetteers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Entities, in all.
    pub entities: usize,
    /// Entities per type.
    pub by_type: BTreeMap<String, usize>,
    /// Aliases, the canonical names included.
    pub aliases: usize,
    /// Distinct aliases once folded: the patterns of the automaton.
    pub patterns: usize,
}

impl Tagger {
    /// A builder, with the default gazetteer on.
    pub fn builder() -> TaggerBuilder {
        TaggerBuilder::new()
    }

    /// A tagger with the default gazetteer and default options.
    pub fn new() -> Result<Tagger, Error> {
        TaggerBuilder::new().build()
    }

    /// The entities of the merged gazetteers, in order.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// The entity with this id.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        let by_id = self.by_id.get_or_init(|| {
            let mut by_id: Vec<u32> = (0..self.entities.len() as u32).collect();
            by_id.sort_unstable_by_key(|&i| self.entities[i as usize].id.as_str());
            by_id
        });
        let i = by_id
            .binary_search_by(|&i| self.entities[i as usize].id.as_str().cmp(id))
            .ok()?;
        Some(&self.entities[by_id[i] as usize])
    }

    /// Counts of entities, types, aliases and patterns.
    pub fn stats(&self) -> Stats {
        let mut by_type = BTreeMap::new();
        for e in &self.entities {
            *by_type.entry(e.entity_type.clone()).or_insert(0) += 1;
        }
        Stats {
            entities: self.entities.len(),
            by_type,
            aliases: self.entities.iter().map(|e| e.aliases.len()).sum(),
            patterns: self.matcher.pattern_count(),
        }
    }

    /// Entity `i`'s type, id and name, as its spans share them.
    fn shared(&self, i: usize) -> &[Arc<str>; 3] {
        self.shared[i].get_or_init(|| {
            let e = &self.entities[i];
            let t = self.type_names.iter().find(|t| ***t == *e.entity_type);
            [
                t.cloned().unwrap_or_else(|| e.entity_type.as_str().into()),
                e.id.as_str().into(),
                e.name.as_str().into(),
            ]
        })
    }

    /// Finds every mention in `text`: sorted, never overlapping, each with its offsets in
    /// bytes, code points and UTF-16 code units.
    pub fn tag(&self, text: &str) -> Vec<Span> {
        let mut mentions = Vec::new();
        self.matcher.find(text, |hit| {
            let [entity_type, id, name] = self.shared(hit.entity as usize);
            mentions.push(Mention {
                start: hit.start,
                end: hit.end,
                entity_type: entity_type.clone(),
                id: id.clone(),
                name: name.clone(),
                source: Source::Gazetteer,
            });
        });
        if self.rules {
            crate::rules::apply(text, &mut mentions);
        }
        if self.linking {
            crate::link::apply(text, &mut mentions);
        }
        if let Some(types) = &self.types {
            mentions.retain(|m| types.contains(&*m.entity_type));
        }
        let mut counter = OffsetCounter::new(text);
        mentions
            .into_iter()
            .map(|m| {
                let (start, utf16_start) = counter.at(m.start);
                let (end, utf16_end) = counter.at(m.end);
                Span {
                    start,
                    end,
                    byte_start: m.start,
                    byte_end: m.end,
                    utf16_start,
                    utf16_end,
                    text: text[m.start..m.end].to_string(),
                    entity_type: m.entity_type,
                    id: m.id,
                    name: m.name,
                    source: m.source,
                }
            })
            .collect()
    }
}

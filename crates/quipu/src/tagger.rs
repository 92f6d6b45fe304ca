//! The tagger: gazetteers in, spans out.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::error::Error;
use crate::gazetteer::{merge_owned, Entity, Gazetteer};
use crate::matcher::Matcher;
use crate::snapshot::EntityTable;
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
        let matcher = Matcher::new(&entities).map_err(|_| too_large())?;
        Ok(Tagger::assemble(
            Entities::Built(entities),
            matcher,
            self.types,
            self.rules,
            self.linking,
        ))
    }

    /// Builds a tagger from a snapshot ([`Tagger::snapshot`]) instead of gazetteers: the
    /// entities and the automaton are read, not built, which takes a fraction of the time.
    /// The snapshot holds every gazetteer of the tagger it was taken from; this builder's
    /// options `rules`, `linking` and `types` apply (a `types` filter makes the kept entities
    /// and builds their automaton, passing over the stored one), and `default_gazetteer` is
    /// not used.
    ///
    /// A snapshot is refused with an [`Error`] naming the byte where reading stopped when it
    /// is damaged or cut short, or when another version of quipu made it (folding and
    /// matching may change between versions): take it again from its gazetteers.
    ///
    /// ```
    /// use quipu::{Gazetteer, Tagger};
    /// let mine = Gazetteer::parse_text("mine.gaz", "kenna | PERSON | Lisa Kenna | Kenna")?;
    /// let built = Tagger::builder().default_gazetteer(false).gazetteer(mine).build()?;
    /// let bytes = built.snapshot();
    ///
    /// let read = Tagger::builder().build_from_snapshot(&bytes)?;
    /// assert_eq!(read.tag("Lisa Kenna spoke."), built.tag("Lisa Kenna spoke."));
    ///
    /// let err = Tagger::builder().build_from_snapshot(&bytes[..bytes.len() - 1]).unwrap_err();
    /// assert!(err.to_string().starts_with("snapshot: byte "), "{err}");
    /// # Ok::<(), quipu::Error>(())
    /// ```
    pub fn build_from_snapshot(self, bytes: &[u8]) -> Result<Tagger, Error> {
        if let Some(g) = self.gazetteers.first() {
            return Err(Error::new(
                g.source_name(),
                None,
                "a snapshot holds every gazetteer of its tagger: build from the gazetteers \
                 (with this one) instead, or take a snapshot that has it",
            ));
        }
        // With a `types` filter the stored matcher is not used: its bytes are passed over
        // (the checksum has vouched for them), and a matcher is built for the kept entities.
        let types = &self.types;
        let (table, stored) = crate::snapshot::read(bytes, |r, entities| match types {
            Some(_) => {
                r.skip_rest();
                Ok(None)
            }
            None => Matcher::read(r, entities).map(Some),
        })?;
        let (entities, matcher) = match stored {
            Some(matcher) => (Entities::read(table), matcher),
            None => {
                // Only the kept entities are made.
                let entities: Vec<Entity> = (0..table.len())
                    .filter(|&i| {
                        types
                            .as_ref()
                            .is_none_or(|t| t.contains(table.entity_type(i)))
                    })
                    .map(|i| table.entity(i))
                    .collect();
                let matcher = Matcher::new(&entities).map_err(|_| too_large())?;
                (Entities::Built(entities), matcher)
            }
        };
        Ok(Tagger::assemble(
            entities,
            matcher,
            self.types,
            self.rules,
            self.linking,
        ))
    }
}

/// A gazetteer past the matcher's limits.
fn too_large() -> Error {
    Error::new(
        "gazetteers",
        None,
        "too large: the folded aliases (and their trie) must fit in 4 GiB",
    )
}

impl Tagger {
    /// The tagger of these entities and their matcher.
    fn assemble(
        entities: Entities,
        matcher: Matcher,
        types: Option<BTreeSet<String>>,
        rules: bool,
        linking: bool,
    ) -> Tagger {
        // One string per type, however many entities have it.
        let mut type_names: Vec<Arc<str>> = Vec::new();
        for i in 0..entities.len() {
            let t = entities.entity_type(i);
            if !type_names.iter().any(|n| **n == *t) {
                type_names.push(t.into());
            }
        }
        let shared = (0..entities.len()).map(|_| OnceLock::new()).collect();
        Tagger {
            entities,
            shared,
            type_names,
            by_id: OnceLock::new(),
            matcher,
            types,
            rules,
            linking,
        }
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
    entities: Entities,
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

/// A tagger's entities: built from gazetteers, or as a snapshot stores them, each made when
/// it is first asked for (see [`EntityTable`]).
#[derive(Debug)]
enum Entities {
    Built(Vec<Entity>),
    Read {
        table: EntityTable,
        /// Entities made one at a time (`Tagger::entity`).
        each: Vec<OnceLock<Box<Entity>>>,
        /// All of them, made at once (`Tagger::entities`).
        all: OnceLock<Vec<Entity>>,
    },
}

impl Entities {
    fn read(table: EntityTable) -> Entities {
        Entities::Read {
            each: (0..table.len()).map(|_| OnceLock::new()).collect(),
            table,
            all: OnceLock::new(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Entities::Built(v) => v.len(),
            Entities::Read { table, .. } => table.len(),
        }
    }

    fn id(&self, i: usize) -> &str {
        match self {
            Entities::Built(v) => &v[i].id,
            Entities::Read { table, .. } => table.id(i),
        }
    }

    fn entity_type(&self, i: usize) -> &str {
        match self {
            Entities::Built(v) => &v[i].entity_type,
            Entities::Read { table, .. } => table.entity_type(i),
        }
    }

    fn name(&self, i: usize) -> &str {
        match self {
            Entities::Built(v) => &v[i].name,
            Entities::Read { table, .. } => table.name(i),
        }
    }

    fn alias_count(&self, i: usize) -> usize {
        match self {
            Entities::Built(v) => v[i].aliases.len(),
            Entities::Read { table, .. } => table.alias_count(i),
        }
    }

    fn get(&self, i: usize) -> &Entity {
        match self {
            Entities::Built(v) => &v[i],
            // Once all are made, one of them: not a second copy.
            Entities::Read { table, each, all } => match all.get() {
                Some(all) => &all[i],
                None => each[i].get_or_init(|| Box::new(table.entity(i))),
            },
        }
    }

    fn all(&self) -> &[Entity] {
        match self {
            Entities::Built(v) => v,
            Entities::Read { table, all, .. } => {
                all.get_or_init(|| (0..table.len()).map(|i| table.entity(i)).collect())
            }
        }
    }
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

    /// The tagger's entities and automaton as bytes, for
    /// [`TaggerBuilder::build_from_snapshot`]: a tagger that starts without parsing or
    /// building (the browser page starts from a snapshot of the default gazetteer). The
    /// options `rules` and `linking` are not in it; the `types` filter is, as the entities
    /// it kept.
    pub fn snapshot(&self) -> Vec<u8> {
        crate::snapshot::write(self.entities(), |w| self.matcher.write(w))
    }

    /// The entities of the merged gazetteers, in order.
    ///
    /// A tagger read from a snapshot makes them on the first call.
    pub fn entities(&self) -> &[Entity] {
        self.entities.all()
    }

    /// The entity with this id.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        let e = &self.entities;
        let by_id = self.by_id.get_or_init(|| {
            let mut by_id: Vec<u32> = (0..e.len() as u32).collect();
            by_id.sort_unstable_by_key(|&i| e.id(i as usize));
            by_id
        });
        let i = by_id.binary_search_by(|&i| e.id(i as usize).cmp(id)).ok()?;
        Some(e.get(by_id[i] as usize))
    }

    /// Counts of entities, types, aliases and patterns.
    pub fn stats(&self) -> Stats {
        let e = &self.entities;
        let mut by_type = BTreeMap::new();
        for i in 0..e.len() {
            let t = e.entity_type(i);
            match by_type.get_mut(t) {
                Some(n) => *n += 1,
                None => {
                    by_type.insert(t.to_owned(), 1);
                }
            }
        }
        Stats {
            entities: e.len(),
            by_type,
            aliases: (0..e.len()).map(|i| e.alias_count(i)).sum(),
            patterns: self.matcher.pattern_count(),
        }
    }

    /// Entity `i`'s type, id and name, as its spans share them.
    fn shared(&self, i: usize) -> &[Arc<str>; 3] {
        self.shared[i].get_or_init(|| {
            let e = &self.entities;
            let t = e.entity_type(i);
            [
                self.type_names
                    .iter()
                    .find(|n| ***n == *t)
                    .cloned()
                    .unwrap_or_else(|| t.into()),
                e.id(i).into(),
                e.name(i).into(),
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

//! Quipu tags people, places and institutions in text by matching gazetteers, and links
//! every mention to a canonical entity.
//!
//! Data flows through the modules in this order:
//!
//! 1. [`gazetteer`]: names and their aliases, read from a text format or JSON and merged;
//! 2. [`normalize`]: the text and the aliases are folded (case, diacritics, apostrophes,
//!    dashes, white space, mis-decoded UTF-8) with a map back to the original;
//! 3. `matcher`: aho-corasick finds the aliases in the folded text; `boundary` checks word
//!    boundaries and possessives in the original; overlaps resolve leftmost-longest, ties by
//!    priority, then gazetteer order;
//! 4. [`span`]: each mention with byte, code point and UTF-16 offsets.
//!
//! ```
//! use quipu::{Gazetteer, Tagger};
//!
//! let mine = Gazetteer::parse_text("mine.gaz", "\
//! bermudez | PERSON | Francisco Morales Bermúdez | Morales Bermúdez
//! sin | INSTITUTION | Servicio de Inteligencia Nacional | =SIN
//! ")?;
//! let tagger = Tagger::builder().default_gazetteer(false).gazetteer(mine).build()?;
//! let spans = tagger.tag("MORALES BERMUDEZ'S GOVERNMENT. Since then, the SIN grew.");
//! let found: Vec<(&str, &str)> = spans.iter().map(|s| (s.text.as_str(), s.id.as_str())).collect();
//! assert_eq!(found, [("MORALES BERMUDEZ", "bermudez"), ("SIN", "sin")]);
//! # Ok::<(), quipu::Error>(())
//! ```
//!
//! The library does no file or network I/O and compiles to `wasm32-unknown-unknown`.

#![deny(missing_docs)]

mod boundary;
mod error;
pub mod eval;
pub mod format;
pub mod gazetteer;
mod link;
mod matcher;
pub mod normalize;
mod rules;
pub mod span;
mod tagger;

pub use error::Error;
pub use gazetteer::{Entity, Gazetteer};
pub use span::{Source, Span};
pub use tagger::{Stats, Tagger, TaggerBuilder};

/// The gazetteers compiled into the library, from `seeds/default/`, in the order they load.
const DEFAULT_SOURCES: &[(&str, &str)] = &[
    (
        "seeds/default/countries.gaz",
        include_str!("../../../seeds/default/countries.gaz"),
    ),
    (
        "seeds/default/cities.gaz",
        include_str!("../../../seeds/default/cities.gaz"),
    ),
    (
        "seeds/default/peru-ubigeo.gaz",
        include_str!("../../../seeds/default/peru-ubigeo.gaz"),
    ),
    (
        "seeds/default/places.gaz",
        include_str!("../../../seeds/default/places.gaz"),
    ),
    (
        "seeds/default/institutions.gaz",
        include_str!("../../../seeds/default/institutions.gaz"),
    ),
    (
        "seeds/default/people.gaz",
        include_str!("../../../seeds/default/people.gaz"),
    ),
];

/// The default gazetteer: people, places and institutions of Peruvian and Latin American
/// politics, countries and world cities (see `seeds/README.md` for sources and licences).
///
/// ```
/// let sources = quipu::default_gazetteers()?;
/// assert!(sources.iter().map(|g| g.records().len()).sum::<usize>() > 0);
/// # Ok::<(), quipu::Error>(())
/// ```
pub fn default_gazetteers() -> Result<Vec<Gazetteer>, Error> {
    DEFAULT_SOURCES
        .iter()
        .map(|(name, text)| Gazetteer::parse_text(name, text))
        .collect()
}

/// Common English (and Spanish) words, lower case: the lint's list of aliases that would fire
/// on ordinary text.
pub fn common_words() -> Vec<&'static str> {
    include_str!("../../../seeds/common-words.txt")
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty() && !w.starts_with('#'))
        .collect()
}

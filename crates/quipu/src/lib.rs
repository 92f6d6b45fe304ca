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
//! A built tagger can be saved as bytes and read back without parsing or building anything
//! ([`Tagger::snapshot`], [`TaggerBuilder::build_from_snapshot`]): `snapshot`.
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
//! let found: Vec<(&str, &str)> = spans.iter().map(|s| (s.text.as_str(), &*s.id)).collect();
//! assert_eq!(found, [("MORALES BERMUDEZ", "bermudez"), ("SIN", "sin")]);
//! # Ok::<(), quipu::Error>(())
//! ```
//!
//! The library does no file or network I/O and compiles to `wasm32-unknown-unknown`.
//!
//! The cargo feature `default-gazetteer` (on by default) compiles the default gazetteer, about
//! 2.5 MB of text, into the library. Without it, [`TaggerBuilder::build`] refuses to start
//! from the default gazetteer (an [`Error`] says why) unless told `default_gazetteer(false)`;
//! [`parse_default_gazetteers`] takes the same texts at run time instead.

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
mod snapshot;
pub mod span;
mod tagger;
mod trie;

pub use error::Error;
pub use gazetteer::{Entity, Gazetteer};
pub use span::{Source, Span};
pub use tagger::{Stats, Tagger, TaggerBuilder};

/// The size, in bytes, of the pieces a text is folded and matched in (see [`piece_end`]).
pub const PIECE_BYTES: usize = matcher::PIECE;

/// Where the tagger ends the first piece of `text`: the whole text when it is at most
/// [`PIECE_BYTES`] long; else within the last paragraph break in the second half of a piece
/// (after its first line break), else after the last line break, else after the last space,
/// else at [`PIECE_BYTES`] (moved back to a character boundary).
///
/// No name is found across a cut, and when the cut follows white space, the gazetteer
/// matches of each piece tagged alone are those of the whole text in that piece: which is
/// how a caller holding only part of a large text in memory (the wasm bindings) can tag it
/// piece by piece. Rules and linking look further and need the whole text.
///
/// ```
/// let text = "Lima\n\n".repeat(1 << 20); // 6 MiB
/// let end = quipu::piece_end(&text);
/// assert!(end <= quipu::PIECE_BYTES);
/// assert!(text[..end].ends_with("Lima\n") && text[end..].starts_with("\nLima"));
/// assert_eq!(quipu::piece_end("short"), 5);
/// ```
pub fn piece_end(text: &str) -> usize {
    matcher::piece_end(text, 0)
}

/// Declares the default gazetteer's files once: their names (always) and their texts (with the
/// `default-gazetteer` feature), so that the two lists cannot drift apart. `scripts/build-wasm`
/// reads this list to write the npm package's `dist/default-gazetteer.js`.
macro_rules! default_gazetteer_files {
    ($($path:literal),+ $(,)?) => {
        /// The source names of the default gazetteer's files (paths in Quipu's repository), in
        /// the order they load: the order `default_gazetteers()` returns them in, and the one
        /// [`parse_default_gazetteers`] requires.
        pub const DEFAULT_GAZETTEER_NAMES: &[&str] = &[$($path),+];

        #[cfg(feature = "default-gazetteer")]
        const DEFAULT_TEXTS: &[&str] = &[$(include_str!(concat!("../../../", $path))),+];
    };
}

default_gazetteer_files!(
    "seeds/default/countries.gaz",
    "seeds/default/cities.gaz",
    "seeds/default/peru-ubigeo.gaz",
    "seeds/default/places.gaz",
    "seeds/default/institutions.gaz",
    "seeds/default/people.gaz",
);

/// The default gazetteer: people, places and institutions of Peruvian and Latin American
/// politics, countries and world cities (see `seeds/README.md` for sources and licences).
///
/// Compiled in with the cargo feature `default-gazetteer` (on by default). Without it, read
/// the files of [`DEFAULT_GAZETTEER_NAMES`] yourself and pass them to
/// [`parse_default_gazetteers`].
///
/// ```
/// let sources = quipu::default_gazetteers()?;
/// assert!(sources.iter().map(|g| g.records().len()).sum::<usize>() > 0);
/// # Ok::<(), quipu::Error>(())
/// ```
#[cfg(feature = "default-gazetteer")]
pub fn default_gazetteers() -> Result<Vec<Gazetteer>, Error> {
    parse_default_gazetteers(DEFAULT_GAZETTEER_NAMES.iter().zip(DEFAULT_TEXTS))
}

/// What [`TaggerBuilder::build`] starts from when the default gazetteer is on.
#[cfg(feature = "default-gazetteer")]
pub(crate) fn compiled_default_gazetteers() -> Result<Vec<Gazetteer>, Error> {
    default_gazetteers()
}

/// Without the data, a builder left at its default must not quietly tag nothing.
#[cfg(not(feature = "default-gazetteer"))]
pub(crate) fn compiled_default_gazetteers() -> Result<Vec<Gazetteer>, Error> {
    Err(Error::new(
        "default gazetteer",
        None,
        "this build of quipu has no default gazetteer compiled in (the cargo feature \
         `default-gazetteer` is off): call `TaggerBuilder::default_gazetteer(false)`, and to \
         use the default gazetteer anyway, add the gazetteers of \
         `quipu::parse_default_gazetteers` (from the texts of seeds/default/) first",
    ))
}

/// Parses the default gazetteer from its files' texts, given at run time as
/// `(source name, text)` pairs: for builds without the `default-gazetteer` feature, such as
/// the WebAssembly one, which ships the texts beside the wasm instead of inside it.
///
/// The names must be those of [`DEFAULT_GAZETTEER_NAMES`], all of them, in that order, so
/// that entities keep their origin and ties between entities rank as with the compiled-in
/// gazetteer. Add the result before your own gazetteers, with the compiled-in one off:
///
/// ```
/// use quipu::{Gazetteer, Tagger, DEFAULT_GAZETTEER_NAMES};
///
/// # let read = |name: &str| std::fs::read_to_string(format!("{}/../../{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
/// let texts: Vec<(&str, String)> = DEFAULT_GAZETTEER_NAMES.iter().map(|&n| (n, read(n))).collect();
/// let mut builder = Tagger::builder().default_gazetteer(false);
/// for g in quipu::parse_default_gazetteers(texts)? {
///     builder = builder.gazetteer(g);
/// }
/// let mine = Gazetteer::parse_text("mine.gaz", "kenna | PERSON | Lisa Kenna | Kenna")?;
/// let tagger = builder.gazetteer(mine).build()?;
/// let spans = tagger.tag("Ambassador Kenna flew to Lima.");
/// assert_eq!(spans.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(), ["Kenna", "Lima"]);
///
/// // Missing, extra, renamed or reordered files are refused.
/// let err = quipu::parse_default_gazetteers([("seeds/default/cities.gaz", "")]).unwrap_err();
/// assert!(err.to_string().contains("must be seeds/default/countries.gaz"), "{err}");
/// # Ok::<(), quipu::Error>(())
/// ```
pub fn parse_default_gazetteers<I, N, T>(sources: I) -> Result<Vec<Gazetteer>, Error>
where
    I: IntoIterator<Item = (N, T)>,
    N: AsRef<str>,
    T: AsRef<str>,
{
    let count = DEFAULT_GAZETTEER_NAMES.len();
    let mut out = Vec::with_capacity(count);
    for (name, text) in sources {
        let name = name.as_ref();
        match DEFAULT_GAZETTEER_NAMES.get(out.len()) {
            Some(&expected) if expected == name => {
                out.push(Gazetteer::parse_text(name, text.as_ref())?);
            }
            Some(&expected) => {
                return Err(Error::new(
                    name,
                    None,
                    format!(
                        "file {} of the default gazetteer's {count} must be {expected} \
                         (the files and their order are quipu::DEFAULT_GAZETTEER_NAMES)",
                        out.len() + 1
                    ),
                ))
            }
            None => {
                return Err(Error::new(
                    name,
                    None,
                    format!("the default gazetteer has {count} files; this one is not among them"),
                ))
            }
        }
    }
    if let Some(missing) = DEFAULT_GAZETTEER_NAMES.get(out.len()) {
        return Err(Error::new(
            missing,
            None,
            format!("missing: the default gazetteer needs its {count} files (quipu::DEFAULT_GAZETTEER_NAMES)"),
        ));
    }
    Ok(out)
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

/// Helpers shared by the unit tests of several modules.
#[cfg(test)]
mod test_support {
    /// Every string of up to `n` pieces from `alphabet`, each once.
    pub(crate) fn strings_of(alphabet: &[&str], n: usize) -> Vec<String> {
        let mut cases = vec![String::new()];
        let mut last = cases.clone();
        for _ in 0..n {
            last = last
                .iter()
                .flat_map(|c| alphabet.iter().map(move |a| format!("{c}{a}")))
                .collect();
            cases.extend(last.iter().cloned());
        }
        cases
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str) -> String {
        let path = format!("{}/../../{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn the_default_gazetteer_from_texts_ranks_as_the_compiled_one() {
        let texts: Vec<(&str, String)> = DEFAULT_GAZETTEER_NAMES
            .iter()
            .map(|&n| (n, read(n)))
            .collect();
        let mut builder = Tagger::builder().default_gazetteer(false);
        for g in parse_default_gazetteers(texts).unwrap() {
            builder = builder.gazetteer(g);
        }
        let mine = Gazetteer::parse_text(
            "mine.gaz",
            "-geo-3936456\nlima-x | PLACE | Lima | | priority=30",
        )
        .unwrap();
        let from_texts = builder.gazetteer(mine.clone()).build().unwrap();
        let lima = from_texts.entity("lima-x").unwrap();
        assert_eq!(lima.origin, "mine.gaz");
        let cables = "THE EMBASSY IN LIMA REPORTED TO WASHINGTON ON FUJIMORI.";
        assert!(from_texts.tag(cables).len() >= 3);
        #[cfg(feature = "default-gazetteer")]
        {
            let compiled = Tagger::builder().gazetteer(mine).build().unwrap();
            assert_eq!(compiled.entities(), from_texts.entities());
            assert_eq!(compiled.tag(cables), from_texts.tag(cables));
        }
        #[cfg(not(feature = "default-gazetteer"))]
        {
            let err = Tagger::builder().gazetteer(mine).build().unwrap_err();
            assert!(
                err.to_string().contains("no default gazetteer compiled in"),
                "{err}"
            );
        }
    }

    #[test]
    fn the_default_gazetteer_needs_all_its_files_in_order() {
        let n = DEFAULT_GAZETTEER_NAMES;
        let reordered = [(n[1], ""), (n[0], "")];
        let err = parse_default_gazetteers(reordered).unwrap_err();
        assert_eq!(err.source_name(), n[1]);
        assert!(
            err.message().contains(&format!("must be {}", n[0])),
            "{err}"
        );
        let err = parse_default_gazetteers([(n[0], "")]).unwrap_err();
        assert_eq!(err.source_name(), n[1]);
        assert!(err.message().starts_with("missing"), "{err}");
        let extra = n.iter().map(|&name| (name, "")).chain([("extra.gaz", "")]);
        let err = parse_default_gazetteers(extra).unwrap_err();
        assert_eq!(err.source_name(), "extra.gaz");
        // A syntax error names the file and line, as for any gazetteer.
        let bad = n
            .iter()
            .map(|&name| (name, if name == n[2] { "\n\nx | PLACE" } else { "" }));
        let err = parse_default_gazetteers(bad).unwrap_err();
        assert_eq!((err.source_name(), err.line()), (n[2], Some(3)));
    }
}

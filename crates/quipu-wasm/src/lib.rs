//! WebAssembly bindings for Quipu: the tagger of the browser page and of the `quipu-tagger`
//! npm package.
//!
//! Built for `wasm32-unknown-unknown` and bound with `wasm-bindgen --target web` by
//! `scripts/build-wasm`. From JavaScript:
//!
//! ```js
//! import init, { Tagger, setDefaultGazetteer } from "./pkg/quipu_wasm.js";
//! import { DEFAULT_GAZETTEER } from "../dist/default-gazetteer.js";
//! await init();
//! setDefaultGazetteer(DEFAULT_GAZETTEER);           // once: [{ name, content }, ...]
//! const tagger = new Tagger();                      // the default gazetteer
//! tagger.addGazetteerText("mine.gaz", "kenna | PERSON | Lisa Kenna | Kenna");
//! for (const s of tagger.tag("Ambassador Kenna flew to Lima.")) {
//!   console.log(s.type, s.id, text.slice(s.utf16_start, s.utf16_end));
//! }
//! ```
//!
//! Values cross the boundary through serde-wasm-bindgen as plain objects (never `Map`s), with
//! the field names of the command line's JSON. Errors arrive as JavaScript exceptions
//! (`Error`) carrying the core's message, such as `mine.gaz:3: missing column ...`.
//!
//! The default gazetteer is not compiled into the wasm (quipu's `default-gazetteer` feature is
//! off): it would double the package, which ships the wasm twice (the file, and inlined).
//! JavaScript gives its texts once, with `setDefaultGazetteer`, before building a tagger that
//! uses it; they are parsed then (to report errors), that parse goes to the first tagger, and
//! later taggers parse the texts again. A tagger keeps only texts beside what it built (the
//! default gazetteer's, shared, and those of the gazetteers added), never parsed records, and
//! parses them again to rebuild.
//!
//! Spans cross to JavaScript as objects (`tag`, serde-wasm-bindgen), or in columns
//! (`tagUtf8`: a [`SpanTable`] of offsets and indices into a table of distinct strings), which
//! quipu-tagger's `tag` turns into the same objects in JavaScript for a fraction of the cost.
//!
//! The crate also compiles natively (the workspace's clippy and tests build it), where the
//! same methods are available to Rust.

#![deny(missing_docs)]

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Options for `new Tagger(options)`; every field is optional. */
export interface TaggerOptions {
  /** Start from the default gazetteer, given first with `setDefaultGazetteer` (default `true`). */
  defaultGazetteer?: boolean;
  /** Tag only entities of these types, e.g. `["PERSON", "PLACE"]` (default: all types). */
  types?: string[];
  /** Context rules for names no gazetteer knows: titles, first names, keywords (default `true`). */
  rules?: boolean;
  /** Link later mentions (a surname alone, an acronym) to names found earlier (default `true`). */
  linking?: boolean;
  /**
   * Gazetteers to add after the default one, in order: built once with the rest, where adding
   * them one by one afterwards rebuilds the tagger each time. `format` is guessed as
   * `addGazetteer` does when absent (`.json` names or content starting with `{` or `[` are JSON).
   */
  gazetteers?: { name: string; content: string; format?: "text" | "json" }[];
}

/** A mention of an entity, with the fields of the command line's JSON output. */
export interface Span {
  /** Start, in Unicode code points. */
  start: number;
  /** End (exclusive), in code points. */
  end: number;
  /** Start, in UTF-8 bytes. */
  byte_start: number;
  /** End (exclusive), in UTF-8 bytes. */
  byte_end: number;
  /** Start, in UTF-16 code units: `text.slice(utf16_start, utf16_end)` in JavaScript. */
  utf16_start: number;
  /** End (exclusive), in UTF-16 code units. */
  utf16_end: number;
  /** The mention as written in the text. */
  text: string;
  /** `PERSON`, `PLACE`, `INSTITUTION` or a label of the user's. */
  type: string;
  /** The entity's id. */
  id: string;
  /** The entity's canonical name. */
  name: string;
  /** How it was found: `gazetteer`, `rule:<name>` or `linked`. */
  source: string;
}

/** An alias: a plain string, or one that matches only with exactly this case. */
export type Alias = string | { text: string; case: "exact" };

/** An entity of the merged gazetteers. */
export interface Entity {
  id: string;
  type: string;
  /** Canonical name. */
  name: string;
  /** Every name that matches, the canonical one first. */
  aliases: Alias[];
  priority: number;
  /** Wikidata id (`Q` and digits), when known. */
  qid?: string;
  /** Another external id, `scheme:id`. */
  xref?: string;
  description?: string;
  /** The gazetteer that defined it (its source name). */
  origin: string;
}

/** A gazetteer's text and its source name, as `setDefaultGazetteer` takes them. */
export interface GazetteerSource {
  /** The source name, e.g. `seeds/default/cities.gaz`. */
  name: string;
  /** The text format. */
  content: string;
}

/** Counts describing a tagger's gazetteers. */
export interface Stats {
  entities: number;
  by_type: Record<string, number>;
  /** Aliases, the canonical names included. */
  aliases: number;
  /** Distinct folded aliases: the patterns of the automaton. */
  patterns: number;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `TaggerOptions | undefined` in TypeScript.
    #[wasm_bindgen(typescript_type = "TaggerOptions | undefined")]
    pub type TaggerOptionsArg;
    /// `Span[]` in TypeScript.
    #[wasm_bindgen(typescript_type = "Span[]")]
    pub type SpanArray;
    /// `Entity | undefined` in TypeScript.
    #[wasm_bindgen(typescript_type = "Entity | undefined")]
    pub type EntityOrUndefined;
    /// `(Entity | null)[]` in TypeScript.
    #[wasm_bindgen(typescript_type = "(Entity | null)[]")]
    pub type EntityArray;
    /// `Stats` in TypeScript.
    #[wasm_bindgen(typescript_type = "Stats")]
    pub type StatsObject;
    /// `GazetteerSource[]` in TypeScript.
    #[wasm_bindgen(typescript_type = "GazetteerSource[]")]
    pub type GazetteerSourceArray;
}

/// Options of [`Tagger::new`], as JavaScript passes them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Options {
    default_gazetteer: Option<bool>,
    types: Option<Vec<String>>,
    rules: Option<bool>,
    linking: Option<bool>,
    gazetteers: Option<Vec<AddedSource>>,
}

/// A gazetteer given in the options: its text, a name for messages, and maybe its format.
#[derive(Debug, Clone, Deserialize)]
struct AddedSource {
    name: String,
    content: String,
    format: Option<String>,
}

impl AddedSource {
    /// Parses it in its format: as given, else JSON for a `.json` name or content opening
    /// with `{` or `[`, else the text format (as the package's `gazetteerFormat` guesses).
    fn parse(&self) -> Result<quipu::Gazetteer, Error> {
        let json = match self.format.as_deref() {
            Some("json") => true,
            Some("text") => false,
            Some(other) => {
                return Err(Error::Format(format!(
                    "gazetteer '{}': unknown format '{other}' (expected \"text\" or \"json\")",
                    self.name
                )))
            }
            None => {
                self.name.to_ascii_lowercase().ends_with(".json")
                    || self.content.trim_start().starts_with(['{', '['])
            }
        };
        Ok(if json {
            quipu::Gazetteer::parse_json(&self.name, &self.content)?
        } else {
            quipu::Gazetteer::parse_text(&self.name, &self.content)?
        })
    }
}

/// Serialises `value` as JavaScript sees JSON: maps as plain objects, never `Map`s.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// `bytes` as a string, or std's error (with its offset) where they are not UTF-8: the same
/// as `std::str::from_utf8`, faster on text that is mostly ASCII. In wasm32 std's check takes
/// ASCII two four-byte words a step, and only from an aligned place (byte by byte after each
/// accented letter, in Spanish every few dozen bytes); it was a fourteenth of tagging's time.
/// Here ASCII goes sixteen bytes a step from anywhere, and other characters are checked by
/// the rules std follows (the Unicode standard's table 3-7); anything else is left to std.
fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("eight bytes"));
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 16) {
            let (a, b) = (word(&chunk[..8]) & HIGH, word(&chunk[8..]) & HIGH);
            if a | b == 0 {
                i += 16;
                continue;
            }
            // To the first byte that is not ASCII (little-endian: the lowest set bit).
            i += if a != 0 {
                a.trailing_zeros() / 8
            } else {
                8 + b.trailing_zeros() / 8
            } as usize;
        }
        let lead = bytes[i];
        if lead < 0x80 {
            i += 1;
            continue;
        }
        // The second byte's range depends on the lead (no overlong forms, no surrogates,
        // nothing past U+10FFFF); the others are continuation bytes.
        let (width, second) = match lead {
            0xC2..=0xDF => (2, 0x80..=0xBF),
            0xE0 => (3, 0xA0..=0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80..=0xBF),
            0xED => (3, 0x80..=0x9F),
            0xF0 => (4, 0x90..=0xBF),
            0xF1..=0xF3 => (4, 0x80..=0xBF),
            0xF4 => (4, 0x80..=0x8F),
            _ => return std::str::from_utf8(bytes),
        };
        match bytes.get(i + 1..i + width) {
            Some([b1, rest @ ..])
                if second.contains(b1) && rest.iter().all(|&b| b & 0xC0 == 0x80) =>
            {
                i += width
            }
            // std finds the same error and says where.
            _ => return std::str::from_utf8(bytes),
        }
    }
    // SAFETY: every byte was checked above: ASCII, or part of a character that follows the
    // rules of UTF-8 (the tests compare this function with std's on any bytes).
    Ok(unsafe { std::str::from_utf8_unchecked(bytes) })
}

/// One file of the default gazetteer, as JavaScript passes it.
#[derive(Debug, Clone, Deserialize)]
struct Source {
    name: String,
    content: String,
}

/// The default gazetteer as `setDefaultGazetteer` gave it: its texts, shared by the taggers
/// (each keeps them to rebuild), and their parse, made once to check them and handed to the
/// first tagger built with them, which thus neither parses nor copies them again.
struct DefaultGazetteer {
    texts: Rc<Vec<Source>>,
    parsed: Option<Vec<quipu::Gazetteer>>,
}

thread_local! {
    /// The default gazetteer (the wasm has one thread; natively, each thread sets its own).
    static DEFAULT_GAZETTEER: RefCell<Option<DefaultGazetteer>> = const { RefCell::new(None) };
    /// A snapshot of the tagger of the default gazetteer alone (`setDefaultTaggerSnapshot`),
    /// for the next tagger built with the default gazetteer and no other: read, not built.
    static DEFAULT_SNAPSHOT: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
}

/// Parses the default gazetteer from `(source name, text)` pairs (the files of
/// `quipu::DEFAULT_GAZETTEER_NAMES`, in that order) and keeps it for the taggers built
/// afterwards. On error the one set before, if any, stays.
pub fn set_default_gazetteer_texts<N, T>(
    sources: impl IntoIterator<Item = (N, T)>,
) -> Result<(), quipu::Error>
where
    N: AsRef<str>,
    T: AsRef<str>,
{
    let texts: Vec<Source> = sources
        .into_iter()
        .map(|(n, t)| Source {
            name: n.as_ref().to_owned(),
            content: t.as_ref().to_owned(),
        })
        .collect();
    set_default_sources(texts)
}

fn set_default_sources(texts: Vec<Source>) -> Result<(), quipu::Error> {
    let parsed = parse_default(&texts)?;
    DEFAULT_GAZETTEER.with(|d| {
        *d.borrow_mut() = Some(DefaultGazetteer {
            texts: Rc::new(texts),
            parsed: Some(parsed),
        })
    });
    Ok(())
}

fn parse_default(texts: &[Source]) -> Result<Vec<quipu::Gazetteer>, quipu::Error> {
    quipu::parse_default_gazetteers(texts.iter().map(|s| (&s.name, &s.content)))
}

/// The texts of the default gazetteer set by [`set_default_gazetteer_texts`], or an error
/// saying how to give it.
fn default_texts() -> Result<Rc<Vec<Source>>, Error> {
    DEFAULT_GAZETTEER
        .with(|d| d.borrow().as_ref().map(|d| d.texts.clone()))
        .ok_or(Error::NoDefaultGazetteer)
}

/// The default gazetteer of `texts`, parsed: the parse `setDefaultGazetteer` made when it is
/// still unused (the first tagger's build), else parsed again (the texts were checked).
fn default_gazetteers(texts: &Rc<Vec<Source>>) -> Result<Vec<quipu::Gazetteer>, Error> {
    let taken = DEFAULT_GAZETTEER.with(|d| match d.borrow_mut().as_mut() {
        Some(d) if Rc::ptr_eq(&d.texts, texts) => d.parsed.take(),
        _ => None,
    });
    match taken {
        Some(parsed) => Ok(parsed),
        None => Ok(parse_default(texts)?),
    }
}

/// Why a tagger could not be built or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The core's error: a gazetteer's syntax, a merge conflict.
    Core(quipu::Error),
    /// The default gazetteer was asked for but never given (`setDefaultGazetteer`).
    NoDefaultGazetteer,
    /// A gazetteer of the options names a format that does not exist.
    Format(String),
    /// A piece of text given wrongly to `tagPiece`.
    Piece(String),
    /// Not the text of the default gazetteer's module (`setDefaultGazetteerModule`).
    Module(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Core(e) => e.fmt(f),
            Error::Format(m) | Error::Piece(m) | Error::Module(m) => f.write_str(m),
            Error::NoDefaultGazetteer => f.write_str(
                "the default gazetteer is not loaded: this wasm does not embed it. Call \
                 setDefaultGazetteer(DEFAULT_GAZETTEER) (from quipu-tagger's \
                 dist/default-gazetteer.js) first, as createTagger does, or pass \
                 defaultGazetteer: false",
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<quipu::Error> for Error {
    fn from(e: quipu::Error) -> Error {
        Error::Core(e)
    }
}

/// Gives the default gazetteer's texts, once, before building taggers that use it:
/// `[{ name, content }, ...]`, the files `seeds/default/*.gaz` named and ordered as in
/// Quipu's `DEFAULT_GAZETTEER_NAMES` (quipu-tagger's `dist/default-gazetteer.js` exports
/// them so). Errors (a missing or misnamed file, a syntax error) carry the core's message;
/// then nothing changes.
#[wasm_bindgen(js_name = setDefaultGazetteer)]
pub fn set_default_gazetteer(sources: GazetteerSourceArray) -> Result<(), JsError> {
    let sources: Vec<Source> = serde_wasm_bindgen::from_value(sources.into()).map_err(js_error)?;
    set_default_sources(sources).map_err(js_error)
}

/// Gives the default gazetteer as the bytes of quipu-tagger's `dist/default-gazetteer.js`
/// (fetched as data: `new Uint8Array(await (await fetch(url)).arrayBuffer())`), read here
/// without running it as JavaScript: one `{ name: "...", content: "..." }` a line, JSON
/// strings. Neither compiling the 2.5 MB module nor decoding its text into JavaScript strings
/// (which `setDefaultGazetteer` then encodes back to UTF-8) is needed. Errors say what is
/// wrong; then nothing changes.
#[wasm_bindgen(js_name = setDefaultGazetteerModule)]
pub fn set_default_gazetteer_module(source: &[u8]) -> Result<(), JsError> {
    let text = utf8(source).map_err(js_error)?;
    let sources = read_default_gazetteer_module(text).map_err(js_error)?;
    set_default_sources(sources).map_err(js_error)
}

/// The files of a `dist/default-gazetteer.js` module's text (see
/// [`set_default_gazetteer_module`]).
fn read_default_gazetteer_module(text: &str) -> Result<Vec<Source>, Error> {
    const NOT: &str = "not the text of quipu-tagger's dist/default-gazetteer.js";
    if !text
        .lines()
        .any(|l| l == "export const DEFAULT_GAZETTEER = [")
    {
        return Err(Error::Module(format!("{NOT}: no DEFAULT_GAZETTEER")));
    }
    let mut sources = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(rest) = line.strip_prefix("  { name: ") else {
            continue;
        };
        let bad = |what: &str| Error::Module(format!("{NOT}: line {}: {what}", i + 1));
        let (name, rest) = json_string(rest).map_err(|e| bad(&e))?;
        let rest = rest
            .strip_prefix(", content: ")
            .ok_or_else(|| bad("expected `, content: ` after the name"))?;
        let (content, rest) = json_string(rest).map_err(|e| bad(&e))?;
        if rest != " }," && rest != " }" {
            return Err(bad("expected ` },` after the content"));
        }
        sources.push(Source { name, content });
    }
    if sources.is_empty() {
        return Err(Error::Module(format!("{NOT}: no files")));
    }
    Ok(sources)
}

/// The JSON string at the start of `s` (as `JSON.stringify` writes it), and what follows.
fn json_string(s: &str) -> Result<(String, &str), String> {
    if !s.starts_with('"') {
        return Err("expected a string".into());
    }
    let mut values = serde_json::Deserializer::from_str(s).into_iter::<String>();
    match values.next() {
        Some(Ok(value)) => Ok((value, &s[values.byte_offset()..])),
        Some(Err(e)) => Err(e.to_string()),
        None => Err("expected a string".into()),
    }
}

/// Gives a snapshot of the tagger of the default gazetteer alone (the bytes
/// [`default_gazetteer_snapshot`] returned, as quipu-tagger's `dist/default-tagger.bin`
/// holds them): the next tagger built with the default gazetteer and no other gazetteer
/// reads it instead of parsing and building the default gazetteer, which in a browser takes
/// several times longer. That tagger takes the snapshot (it is not kept); its options
/// (`types`, `rules`, `linking`) apply. A snapshot that another version made, or a damaged
/// one, is not used: the tagger is built from the texts as usual.
///
/// The texts (`setDefaultGazetteer`) are still needed to add gazetteers to that tagger, and
/// for taggers built later: a rebuild parses them. Until they are given, adding a gazetteer
/// fails and leaves the tagger as it was.
#[wasm_bindgen(js_name = setDefaultTaggerSnapshot)]
pub fn set_default_tagger_snapshot(bytes: Vec<u8>) {
    DEFAULT_SNAPSHOT.with(|d| *d.borrow_mut() = Some(bytes));
}

/// The snapshot of the tagger of the default gazetteer alone, with every type, for
/// [`set_default_tagger_snapshot`]: `scripts/build-wasm` makes `dist/default-tagger.bin`
/// with it. Needs the default gazetteer's texts (`setDefaultGazetteer`).
#[wasm_bindgen(js_name = defaultGazetteerSnapshot)]
pub fn default_gazetteer_snapshot() -> Result<Vec<u8>, JsError> {
    let texts = default_texts().map_err(js_error)?;
    let tagger = build(
        &quipu::Tagger::builder().default_gazetteer(false),
        Some(&texts),
        &[],
        None,
    )
    .map_err(js_error)?;
    Ok(tagger.snapshot())
}

/// Whether the default gazetteer was given (`setDefaultGazetteer`).
#[wasm_bindgen(js_name = hasDefaultGazetteer)]
pub fn has_default_gazetteer() -> bool {
    DEFAULT_GAZETTEER.with(|d| d.borrow().is_some())
}

/// A gazetteer added to a tagger, kept so that the tagger can be rebuilt when another one is
/// added or they are cleared: the text JavaScript gave (parsed again for a rebuild, so that
/// the records are not held twice beside the built tagger), or one parsed in Rust.
#[derive(Debug, Clone)]
enum Kept {
    Text(AddedSource),
    Parsed(quipu::Gazetteer),
}

impl Kept {
    fn gazetteer(&self) -> Result<quipu::Gazetteer, Error> {
        match self {
            Kept::Text(source) => source.parse(),
            Kept::Parsed(g) => Ok(g.clone()),
        }
    }
}

/// A tagger: the default gazetteer (unless switched off), then the gazetteers added, in order.
///
/// Adding a gazetteer rebuilds the tagger; a gazetteer with an error is not added and the
/// tagger stays as it was. Beside the built tagger it keeps only the gazetteers' texts, and
/// parses them again when it is rebuilt.
#[wasm_bindgen]
pub struct Tagger {
    /// The options; the core's own default gazetteer always off (this build has none).
    builder: quipu::TaggerBuilder,
    /// The default gazetteer's texts (when on): first of all, as the core would put its own.
    defaults: Option<Rc<Vec<Source>>>,
    /// Built from the default gazetteer's snapshot, maybe before its texts were given: they
    /// are looked up (into `defaults`) by the first rebuild.
    defaults_pending: bool,
    added: Vec<Kept>,
    inner: quipu::Tagger,
    /// Whether the context rules, and the linking of later mentions, are on.
    rules: bool,
    linking: bool,
}

impl Tagger {
    /// Builds a tagger from Rust, with the options JavaScript would pass (rules and linking
    /// on). With `default_gazetteer`, [`set_default_gazetteer_texts`] must have been called.
    pub fn with_options(
        default_gazetteer: bool,
        types: Option<Vec<String>>,
    ) -> Result<Tagger, Error> {
        Tagger::from_options(Options {
            default_gazetteer: Some(default_gazetteer),
            types,
            rules: None,
            linking: None,
            gazetteers: None,
        })
    }

    /// Builds a tagger from the options of `new Tagger(options)`: every field optional, the
    /// default gazetteer, rules and linking on unless switched off.
    fn from_options(options: Options) -> Result<Tagger, Error> {
        let with_default = options.default_gazetteer.unwrap_or(true);
        let rules = options.rules.unwrap_or(true);
        let linking = options.linking.unwrap_or(true);
        let mut builder = quipu::Tagger::builder()
            .default_gazetteer(false)
            .rules(rules)
            .linking(linking);
        if let Some(types) = options.types {
            builder = builder.types(types);
        }
        let added: Vec<Kept> = options
            .gazetteers
            .unwrap_or_default()
            .into_iter()
            .map(Kept::Text)
            .collect();
        if with_default && added.is_empty() {
            // A snapshot that does not read (damaged, another version) is dropped: the texts
            // build the same tagger.
            let read = DEFAULT_SNAPSHOT
                .with(|d| d.borrow_mut().take())
                .and_then(|bytes| builder.clone().build_from_snapshot(&bytes).ok());
            if let Some(inner) = read {
                return Ok(Tagger {
                    inner,
                    builder,
                    defaults: None,
                    defaults_pending: true,
                    added,
                    rules,
                    linking,
                });
            }
        }
        let defaults = if with_default {
            Some(default_texts()?)
        } else {
            None
        };
        Ok(Tagger {
            inner: build(&builder, defaults.as_ref(), &added, None)?,
            builder,
            defaults,
            defaults_pending: false,
            added,
            rules,
            linking,
        })
    }

    /// The default gazetteer's texts for a tagger read from a snapshot, before it is rebuilt:
    /// an error (and the tagger unchanged) when they were never given.
    fn resolve_defaults(&mut self) -> Result<(), Error> {
        if self.defaults_pending {
            self.defaults = Some(default_texts()?);
            self.defaults_pending = false;
        }
        Ok(())
    }

    /// The core tagger.
    pub fn core(&self) -> &quipu::Tagger {
        &self.inner
    }

    /// Adds a parsed gazetteer and rebuilds; on error the tagger is unchanged.
    pub fn add(&mut self, gazetteer: quipu::Gazetteer) -> Result<(), Error> {
        self.add_kept(Kept::Parsed(gazetteer.clone()), gazetteer)
    }

    /// Adds a gazetteer given as text (parsed already, to report its errors first), keeping
    /// only the text.
    fn add_text(&mut self, source: AddedSource, parsed: quipu::Gazetteer) -> Result<(), Error> {
        self.add_kept(Kept::Text(source), parsed)
    }

    fn add_kept(&mut self, kept: Kept, parsed: quipu::Gazetteer) -> Result<(), Error> {
        self.resolve_defaults()?;
        // Dropped first: the old tagger and the new one are never both in memory.
        let inner = std::mem::replace(&mut self.inner, empty_tagger());
        drop(inner);
        let built = build(
            &self.builder,
            self.defaults.as_ref(),
            &self.added,
            Some(parsed),
        );
        match built {
            Ok(t) => {
                self.inner = t;
                self.added.push(kept);
                Ok(())
            }
            Err(e) => {
                // As it was (a build that worked before works again).
                self.inner = build(&self.builder, self.defaults.as_ref(), &self.added, None)?;
                Err(e)
            }
        }
    }

    fn rebuild(&mut self) -> Result<(), Error> {
        self.resolve_defaults()?;
        drop(std::mem::replace(&mut self.inner, empty_tagger()));
        self.inner = build(&self.builder, self.defaults.as_ref(), &self.added, None)?;
        Ok(())
    }

    /// Finds every mention in `text`, as a [`SpanTable`].
    pub fn tag_table(&self, text: &str) -> SpanTable {
        let spans = self.inner.tag(text);
        SpanTable::new(&spans).extent(text, &spans)
    }

    /// Whether tagging a text piece by piece ([`Tagger::tag_piece_table`]) gives exactly the
    /// spans of tagging it in one call: when the context rules and linking are off. Linking
    /// works over the whole document (a surname linked to a full name anywhere before it), and
    /// the rules run in pieces of their own, cut elsewhere.
    pub fn tags_in_pieces(&self) -> bool {
        !self.rules && !self.linking
    }

    /// Tags the first piece of `rest`, the part of a text not tagged yet (`first`: all of it;
    /// `state` says where `rest` starts in the text, and is moved past the piece), and says
    /// how long that piece was ([`SpanTable::bytes`], `chars`, `utf16`). The spans' offsets
    /// are in the whole text; their strings are indexed across the pieces of the text (each
    /// table holds the strings that are new to it).
    ///
    /// The piece is the one the core's matcher folds and searches on its own when it tags the
    /// whole text: about [`PIECE`] bytes, cut after a paragraph break, else a line break, else
    /// a space. Cut there, a piece has the same matches alone as within the whole text (the
    /// matcher never sees across the cut, and the word-boundary and possessive checks at it see
    /// white space either way), so the spans of the pieces, moved by where each starts, are
    /// those of one call, when [`Tagger::tags_in_pieces`] (gazetteer matching only). Where the
    /// core would cut elsewhere than after white space (no space in the last half of a piece),
    /// there is no such piece: `Ok(None)`, and the text must be tagged in one call.
    ///
    /// With `last`, `rest` is the whole rest of the text: it is tagged whole. Otherwise `rest`
    /// must hold more than [`PIECE`] bytes (a window of the text at least that long; what
    /// follows the cut is not tagged).
    pub fn tag_piece_table(
        &self,
        rest: &str,
        first: bool,
        last: bool,
        state: &mut PieceState,
    ) -> Result<Option<SpanTable>, Error> {
        if first {
            *state = PieceState::default();
        }
        let end = if last {
            rest.len()
        } else {
            if rest.len() <= PIECE {
                return Err(Error::Piece(format!(
                    "a piece that is not the last must be given more than {PIECE} bytes of \
                     text (got {})",
                    rest.len()
                )));
            }
            let end = quipu::piece_end(rest);
            if !matches!(rest.as_bytes()[end - 1], b'\n' | b' ') {
                return Ok(None);
            }
            end
        };
        let piece = &rest[..end];
        let spans = self.inner.tag(piece);
        let table = SpanTable::build(&spans, &mut state.interner, state.at).extent(piece, &spans);
        state.at.bytes += table.bytes;
        state.at.chars += table.chars;
        state.at.utf16 += table.utf16;
        Ok(Some(table))
    }

    /// Tags `text` piece by piece as quipu-tagger's `tag` does (a window of at most
    /// `window` bytes of the rest at a time, as `TextEncoder.encodeInto` fills the input
    /// buffer); `None` where [`Tagger::tag_piece_table`] found no piece.
    pub fn tag_in_pieces(
        &self,
        text: &str,
        window: usize,
    ) -> Result<Option<Vec<quipu::Span>>, Error> {
        let mut state = PieceState::default();
        let mut all = SpanTable::default();
        loop {
            let rest = &text[state.at.bytes..];
            let mut n = rest.len().min(window);
            while !rest.is_char_boundary(n) {
                n -= 1;
            }
            let first = state.at.bytes == 0;
            let last = n == rest.len();
            let Some(table) = self.tag_piece_table(&rest[..n], first, last, &mut state)? else {
                return Ok(None);
            };
            all.numbers.extend(table.numbers);
            all.refs.extend(table.refs);
            all.strings.extend(table.strings);
            if last {
                return Ok(Some(all.spans(text)));
            }
        }
    }

    /// Adds a gazetteer's text in `format` (`"text"` or `"json"`): parsed (errors change
    /// nothing), built with the rest, and kept as text.
    pub fn add_source(&mut self, name: &str, content: &str, format: &str) -> Result<(), Error> {
        let source = AddedSource {
            name: name.to_owned(),
            content: content.to_owned(),
            format: Some(format.to_owned()),
        };
        let parsed = source.parse()?;
        self.add_text(source, parsed)
    }
}

/// A tagger with nothing in it, held for a moment while the real one is rebuilt.
fn empty_tagger() -> quipu::Tagger {
    quipu::Tagger::builder()
        .default_gazetteer(false)
        .rules(false)
        .linking(false)
        .build()
        .expect("an empty tagger builds")
}

/// Builds with every gazetteer: the default ones (when on), then those added, then `extra`.
/// These are the positions the core gives its compiled-in default gazetteer and then the
/// user's, so entities rank the same (a user's gazetteer wins ties). The gazetteers are
/// parsed into the builder and dropped with it: after the build only the tagger remains.
fn build(
    builder: &quipu::TaggerBuilder,
    defaults: Option<&Rc<Vec<Source>>>,
    added: &[Kept],
    extra: Option<quipu::Gazetteer>,
) -> Result<quipu::Tagger, Error> {
    let mut builder = builder.clone();
    if let Some(texts) = defaults {
        for g in default_gazetteers(texts)? {
            builder = builder.gazetteer(g);
        }
    }
    for k in added {
        builder = builder.gazetteer(k.gazetteer()?);
    }
    if let Some(g) = extra {
        builder = builder.gazetteer(g);
    }
    Ok(builder.build()?)
}

/// The size of the pieces the core's matcher folds and searches one at a time:
/// [`Tagger::tag_piece_table`] cuts a text where the core cuts it ([`quipu::piece_end`]), so
/// that each piece alone has the matches it has within the whole text. The tests
/// (`pieces_give_the_spans_of_one_call`) check that the spans are those of one call.
pub const PIECE: usize = quipu::PIECE_BYTES;

/// The bytes a window of text given to [`Tagger::tag_piece_table`] holds at most: a piece
/// and the few bytes past it that tell where to cut (`TextEncoder.encodeInto` leaves up to
/// three bytes of a buffer unfilled before a character that does not fit).
pub const PIECE_WINDOW: usize = PIECE + 16;

/// A buffer in the wasm memory that JavaScript encodes text into
/// (`TextEncoder.encodeInto(text, new Uint8Array(memory.buffer, buffer.ptr, buffer.capacity))`),
/// then hands to [`Tagger::tag_piece`]: one buffer reused for every piece of a text, instead
/// of the whole text copied into the memory, which never shrinks.
#[wasm_bindgen]
#[derive(Debug)]
pub struct TextBuffer {
    bytes: Box<[u8]>,
    /// The text being tagged through it, piece by piece.
    state: PieceState,
}

#[wasm_bindgen]
impl TextBuffer {
    /// A buffer of `capacity` bytes (at most [`PIECE_WINDOW`] are ever needed).
    #[wasm_bindgen(constructor)]
    pub fn new(capacity: usize) -> TextBuffer {
        TextBuffer {
            bytes: vec![0; capacity].into_boxed_slice(),
            state: PieceState::default(),
        }
    }

    /// Where the buffer is in the wasm memory (a byte offset). It does not move; a view of
    /// the memory must be made again after the memory grows.
    #[wasm_bindgen(getter)]
    pub fn ptr(&self) -> usize {
        self.bytes.as_ptr() as usize
    }

    /// Its size in bytes.
    #[wasm_bindgen(getter)]
    pub fn capacity(&self) -> usize {
        self.bytes.len()
    }
}

/// [`PIECE_WINDOW`]: the input buffer that `tagPiece` needs at most.
#[wasm_bindgen(js_name = pieceWindow)]
pub fn piece_window() -> usize {
    PIECE_WINDOW
}

/// Where a piece starts in its text, or how long it is: UTF-8 bytes, code points, UTF-16
/// code units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Offsets {
    bytes: usize,
    chars: usize,
    utf16: usize,
}

/// The distinct strings of a [`SpanTable`], or of the tables of a text's pieces: each gets
/// the next index when first seen.
#[derive(Debug, Default)]
struct Interner {
    // Four lookups a span, of short strings: Fx, not SipHash.
    index: rustc_hash::FxHashMap<Box<str>, u32>,
    /// The shared strings seen, by address: the spans of one entity share its strings, so
    /// most lookups hash a pointer instead of a text (with the default gazetteer, hashing
    /// and comparing texts was a tenth of tagging's time in wasm). Each string is held, so
    /// its address cannot be reused by another while the interner lives.
    shared: rustc_hash::FxHashMap<usize, (std::sync::Arc<str>, u32)>,
}

impl Interner {
    /// The index of `s`, pushed onto `new` when it is new.
    fn get(&mut self, s: &str, new: &mut Vec<String>) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.index.len() as u32;
        self.index.insert(s.into(), i);
        new.push(s.to_owned());
        i
    }

    /// The same for a shared string.
    fn get_shared(&mut self, s: &std::sync::Arc<str>, new: &mut Vec<String>) -> u32 {
        let address = std::sync::Arc::as_ptr(s).cast::<u8>() as usize;
        if let Some(&(_, i)) = self.shared.get(&address) {
            return i;
        }
        let i = self.get(s, new);
        self.shared.insert(address, (std::sync::Arc::clone(s), i));
        i
    }
}

/// Where the tagging of a text piece by piece stands: where the next piece starts, and the
/// strings the tables of the pieces before it gave.
#[derive(Debug, Default)]
pub struct PieceState {
    at: Offsets,
    interner: Interner,
}

/// Spans in columns, for JavaScript: what crosses the boundary is two arrays of numbers and
/// each distinct string once, instead of an object of eleven fields per span.
///
/// - `numbers()`: six per span, `start, end, byte_start, byte_end, utf16_start, utf16_end`;
/// - `refs()`: four per span, indices into `strings()` of its `type, id, name, source`;
/// - `strings()`: the distinct strings, in order of first use.
///
/// A span's `text` is left out: it is `text.slice(utf16_start, utf16_end)` of the string
/// tagged. quipu-tagger's `tag` makes `Span` objects of it (`unpackSpans`).
#[wasm_bindgen]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpanTable {
    numbers: Vec<u32>,
    refs: Vec<u32>,
    strings: Vec<String>,
    /// The text tagged: its length in UTF-8 bytes, code points and UTF-16 code units.
    bytes: usize,
    chars: usize,
    utf16: usize,
}

impl SpanTable {
    /// The table of `spans`.
    pub fn new(spans: &[quipu::Span]) -> SpanTable {
        SpanTable::build(spans, &mut Interner::default(), Offsets::default())
    }

    /// The table of `spans` found in a piece of a text that starts at `at`: offsets moved
    /// by `at`, strings indexed by `interner` (shared by the pieces of one text), `strings`
    /// holding only those it had not seen.
    fn build(spans: &[quipu::Span], interner: &mut Interner, at: Offsets) -> SpanTable {
        let mut numbers = Vec::with_capacity(spans.len() * 6);
        let mut refs = Vec::with_capacity(spans.len() * 4);
        let mut strings: Vec<String> = Vec::new();
        let mut sources: rustc_hash::FxHashMap<&quipu::Source, u32> = Default::default();
        for s in spans {
            numbers.extend(
                [
                    s.start + at.chars,
                    s.end + at.chars,
                    s.byte_start + at.bytes,
                    s.byte_end + at.bytes,
                    s.utf16_start + at.utf16,
                    s.utf16_end + at.utf16,
                ]
                .map(|n| n as u32),
            );
            let t = interner.get_shared(&s.entity_type, &mut strings);
            let i = interner.get_shared(&s.id, &mut strings);
            let n = interner.get_shared(&s.name, &mut strings);
            let src = *sources
                .entry(&s.source)
                .or_insert_with(|| interner.get(&s.source.to_string(), &mut strings));
            refs.extend([t, i, n, src]);
        }
        SpanTable {
            numbers,
            refs,
            strings,
            ..SpanTable::default()
        }
    }

    /// The same, saying that the text tagged was `text` (its length in bytes, code points
    /// and UTF-16 code units), and `spans` its spans.
    fn extent(self, text: &str, spans: &[quipu::Span]) -> SpanTable {
        // Counted on from the last span's end, where the core's count stopped: one pass
        // over the text, not two (counting it whole was a tenth of tagging's time in wasm).
        let (from, chars, utf16) = spans
            .last()
            .map_or((0, 0, 0), |s| (s.byte_end, s.end, s.utf16_end));
        let rest = &text[from..];
        let (more_chars, more_utf16) = quipu::span::OffsetCounter::new(rest).at(rest.len());
        SpanTable {
            bytes: text.len(),
            chars: chars + more_chars,
            utf16: utf16 + more_utf16,
            ..self
        }
    }

    /// The spans again, as the core returned them; `text` is the string tagged.
    pub fn spans(&self, text: &str) -> Vec<quipu::Span> {
        (0..self.len())
            .map(|k| {
                let n = &self.numbers[k * 6..k * 6 + 6];
                let r = &self.refs[k * 4..k * 4 + 4];
                let s = |i: usize| self.strings[r[i] as usize].as_str();
                quipu::Span {
                    start: n[0] as usize,
                    end: n[1] as usize,
                    byte_start: n[2] as usize,
                    byte_end: n[3] as usize,
                    utf16_start: n[4] as usize,
                    utf16_end: n[5] as usize,
                    text: text[n[2] as usize..n[3] as usize].to_owned(),
                    entity_type: s(0).into(),
                    id: s(1).into(),
                    name: s(2).into(),
                    source: s(3).parse().expect("a source written by SpanTable::new"),
                }
            })
            .collect()
    }

    /// How many spans.
    pub fn len(&self) -> usize {
        self.refs.len() / 4
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.refs.is_empty()
    }
}

#[wasm_bindgen]
impl SpanTable {
    /// How many spans.
    #[wasm_bindgen(getter)]
    pub fn count(&self) -> usize {
        self.len()
    }

    /// Six numbers per span: `start, end, byte_start, byte_end, utf16_start, utf16_end`.
    pub fn numbers(&self) -> Vec<u32> {
        self.numbers.clone()
    }

    /// Four indices into `strings()` per span: `type, id, name, source`.
    pub fn refs(&self) -> Vec<u32> {
        self.refs.clone()
    }

    /// The distinct strings the spans refer to.
    pub fn strings(&self) -> Vec<String> {
        self.strings.clone()
    }

    /// The length of the text tagged, in UTF-8 bytes (for `tagPiece`: of the piece).
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The length of the text tagged, in code points.
    #[wasm_bindgen(getter)]
    pub fn chars(&self) -> usize {
        self.chars
    }

    /// The length of the text tagged, in UTF-16 code units.
    #[wasm_bindgen(getter)]
    pub fn utf16(&self) -> usize {
        self.utf16
    }
}

#[wasm_bindgen]
impl Tagger {
    /// Builds a tagger: with the default gazetteer unless `options.defaultGazetteer` is
    /// `false`; `options.types` limits the types tagged; `options.rules` and
    /// `options.linking` (both `true` by default) switch the context rules and the linking of
    /// later mentions.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<TaggerOptionsArg>) -> Result<Tagger, JsError> {
        let options: Options = match options {
            Some(o) if !o.is_undefined() && !o.is_null() => {
                serde_wasm_bindgen::from_value(o.into()).map_err(js_error)?
            }
            _ => Options::default(),
        };
        Tagger::from_options(options).map_err(js_error)
    }

    /// Adds a gazetteer in the text format (`id | TYPE | name | aliases | options`);
    /// `source` names it in error messages (a file name, say).
    #[wasm_bindgen(js_name = addGazetteerText)]
    pub fn add_gazetteer_text(&mut self, source: &str, text: &str) -> Result<(), JsError> {
        self.add_source(source, text, "text").map_err(js_error)
    }

    /// Adds a gazetteer in the JSON format (`{"entities": [...]}` or a bare array).
    #[wasm_bindgen(js_name = addGazetteerJson)]
    pub fn add_gazetteer_json(&mut self, source: &str, json: &str) -> Result<(), JsError> {
        self.add_source(source, json, "json").map_err(js_error)
    }

    /// Removes every gazetteer added, keeping the default one (if it was on).
    #[wasm_bindgen(js_name = clearGazetteers)]
    pub fn clear_gazetteers(&mut self) -> Result<(), JsError> {
        self.added.clear();
        self.rebuild().map_err(js_error)
    }

    /// Whether this tagger was read from the default gazetteer's snapshot
    /// (`setDefaultTaggerSnapshot`) rather than built, and not rebuilt since.
    #[wasm_bindgen(getter, js_name = fromSnapshot)]
    pub fn from_snapshot(&self) -> bool {
        self.defaults_pending
    }

    /// How many gazetteers were added (the default one not counted).
    #[wasm_bindgen(getter, js_name = addedGazetteers)]
    pub fn added_gazetteers(&self) -> usize {
        self.added.len()
    }

    /// Finds every mention in `text`: sorted, never overlapping, with UTF-16 offsets
    /// (`utf16_start`, `utf16_end`) for JavaScript strings.
    pub fn tag(&self, text: &str) -> Result<SpanArray, JsError> {
        Ok(to_js(&self.inner.tag(text))?.unchecked_into())
    }

    /// Finds every mention in a text given as UTF-8 bytes (`new TextEncoder().encode(text)`),
    /// as a [`SpanTable`]: the same spans as `tag`, in columns (quipu-tagger's `tag` uses it).
    /// The bytes are copied into the wasm memory as they are, where a string argument may
    /// reserve three bytes per UTF-16 code unit while it is encoded. Throws on invalid UTF-8.
    #[wasm_bindgen(js_name = tagUtf8)]
    pub fn tag_utf8(&self, text: &[u8]) -> Result<SpanTable, JsError> {
        let text = utf8(text).map_err(js_error)?;
        Ok(self.tag_table(text))
    }

    /// Whether `tagPiece`, piece after piece, gives exactly the spans of one call: when the
    /// context rules and linking are off (linking works over the whole document).
    #[wasm_bindgen(getter, js_name = tagsInPieces)]
    pub fn tags_in_pieces_js(&self) -> bool {
        self.tags_in_pieces()
    }

    /// Tags the next piece of a text, which JavaScript encoded into the first `len` bytes of
    /// `buffer` (`TextEncoder.encodeInto` of the rest of the text), as the core's matcher
    /// would cut the whole text (about 4 MiB, after a paragraph break where there is one).
    /// `first`: the first piece of a text (the buffer forgets the one before); `last`: the
    /// buffer holds the whole rest, tagged whole; otherwise it must hold more than 4 MiB
    /// (`pieceWindow()` bytes make sure). The table's offsets are in the whole text, its
    /// `refs` index the strings of all the tables of the text so far (`strings()` holds only
    /// the new ones), and its `bytes`, `chars` and `utf16` say how long the piece was: the
    /// next starts there. Returns `undefined` when the core would cut the text where no white
    /// space is (then tag it in one call). Throws on invalid UTF-8, or a `len` past the
    /// buffer's end.
    #[wasm_bindgen(js_name = tagPiece)]
    pub fn tag_piece(
        &self,
        buffer: &mut TextBuffer,
        len: usize,
        first: bool,
        last: bool,
    ) -> Result<Option<SpanTable>, JsError> {
        let TextBuffer { bytes, state } = buffer;
        let bytes = bytes.get(..len).ok_or_else(|| {
            js_error(format!(
                "tagPiece: {len} bytes asked of a buffer of {}",
                bytes.len()
            ))
        })?;
        let text = utf8(bytes).map_err(js_error)?;
        self.tag_piece_table(text, first, last, state)
            .map_err(js_error)
    }

    /// The entities with these ids, in order: an `Entity`, or `null` for an unknown id. One
    /// call for many ids (the worker asks for every entity of a document).
    #[wasm_bindgen(js_name = entitiesById)]
    pub fn entities_by_id(&self, ids: Vec<String>) -> Result<EntityArray, JsError> {
        let found: Vec<Option<&quipu::Entity>> =
            ids.iter().map(|id| self.inner.entity(id)).collect();
        Ok(to_js(&found)?.unchecked_into())
    }

    /// The entity with this id, or `undefined`.
    pub fn entity(&self, id: &str) -> Result<EntityOrUndefined, JsError> {
        Ok(match self.inner.entity(id) {
            Some(e) => to_js(e)?,
            None => JsValue::UNDEFINED,
        }
        .unchecked_into())
    }

    /// Counts of entities (per type), aliases and patterns.
    pub fn stats(&self) -> Result<StatsObject, JsError> {
        Ok(to_js(&self.inner.stats())?.unchecked_into())
    }
}

/// Converts a gazetteer to the text format; `format` is `"text"` or `"json"`. Checks it on
/// the way: errors carry the core's message.
#[wasm_bindgen(js_name = gazetteerToText)]
pub fn gazetteer_to_text(source: &str, content: &str, format: &str) -> Result<String, JsError> {
    parse(source, content, format)
        .map(|g| g.to_text())
        .map_err(js_error)
}

/// Converts a gazetteer to the JSON format (`{"entities": [...]}`); `format` is `"text"` or
/// `"json"`.
#[wasm_bindgen(js_name = gazetteerToJson)]
pub fn gazetteer_to_json(source: &str, content: &str, format: &str) -> Result<String, JsError> {
    parse(source, content, format)
        .map(|g| g.to_json())
        .map_err(js_error)
}

fn parse(source: &str, content: &str, format: &str) -> Result<quipu::Gazetteer, quipu::Error> {
    if format.eq_ignore_ascii_case("json") {
        quipu::Gazetteer::parse_json(source, content)
    } else {
        quipu::Gazetteer::parse_text(source, content)
    }
}

/// A standalone HTML page showing `text` with `spans` highlighted: the command line's
/// `--format html`. All text is escaped; the page needs no network.
#[wasm_bindgen(js_name = toHtml)]
pub fn to_html(title: &str, text: &str, spans: SpanArray) -> Result<String, JsError> {
    let spans: Vec<quipu::Span> = serde_wasm_bindgen::from_value(spans.into()).map_err(js_error)?;
    Ok(quipu::format::html(title, text, &spans))
}

/// The version of Quipu.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `createTagger` does before building a tagger: give the default gazetteer's texts.
    fn load_default_gazetteer() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let texts: Vec<(&str, String)> = quipu::DEFAULT_GAZETTEER_NAMES
            .iter()
            .map(|&n| (n, std::fs::read_to_string(format!("{root}/{n}")).unwrap()))
            .collect();
        set_default_gazetteer_texts(texts).unwrap();
    }

    #[test]
    fn the_default_gazetteer_is_given_at_run_time_and_ranks_as_compiled_in() {
        assert!(!has_default_gazetteer());
        let err = Tagger::with_options(true, None).err().unwrap();
        assert_eq!(err, Error::NoDefaultGazetteer);
        assert!(err.to_string().contains("setDefaultGazetteer"), "{err}");
        // Without it, a tagger that does not ask for it builds.
        assert!(Tagger::with_options(false, None).is_ok());

        // A misnamed file is refused and nothing is set.
        let bad = set_default_gazetteer_texts([("cities.gaz", "")]).unwrap_err();
        assert!(
            bad.to_string()
                .contains("must be seeds/default/countries.gaz"),
            "{bad}"
        );
        assert!(!has_default_gazetteer());

        load_default_gazetteer();
        assert!(has_default_gazetteer());
        let mine = "kenna | PERSON | Lisa Kenna | Kenna\n-geo-3936456\nlima-x | PLACE | Lima";
        let mut t = Tagger::with_options(true, None).unwrap();
        t.add(quipu::Gazetteer::parse_text("mine.gaz", mine).unwrap())
            .unwrap();
        // The core with its default gazetteer compiled in (a dev-dependency feature), then the
        // same user's gazetteer: the same entities, ranks and spans.
        let compiled = quipu::Tagger::builder()
            .gazetteer(quipu::Gazetteer::parse_text("mine.gaz", mine).unwrap())
            .build()
            .unwrap();
        assert_eq!(t.core().entities(), compiled.entities());
        let text = "THE EMBASSY IN LIMA: Kenna met Fujimori in Cusco and Washington.";
        assert_eq!(t.core().tag(text), compiled.tag(text));
        assert_eq!(t.core().entity("lima-x").unwrap().origin, "mine.gaz");
        t.clear_gazetteers().unwrap();
        assert!(t.core().entity("lima-x").is_none());
        assert!(t.core().entity("geo-3936456").is_some());
    }

    #[test]
    fn a_snapshot_of_the_default_gazetteer_builds_the_first_tagger() {
        // Made as scripts/build-wasm makes dist/default-tagger.bin, in another thread: this
        // one has no default gazetteer's texts yet, as the page has none when it starts.
        let bytes = std::thread::spawn(|| {
            load_default_gazetteer();
            default_gazetteer_snapshot().unwrap_or_else(|_| panic!("no snapshot"))
        })
        .join()
        .unwrap();
        set_default_tagger_snapshot(bytes.clone());
        let mut t = Tagger::with_options(true, None).unwrap();
        assert!(t.from_snapshot());
        let compiled = quipu::Tagger::new().unwrap();
        assert_eq!(t.core().entities(), compiled.entities());
        let text = "THE EMBASSY IN LIMA: Kenna met Fujimori in Cusco and Washington.";
        assert_eq!(t.core().tag(text), compiled.tag(text));
        // Adding a gazetteer rebuilds from the texts: refused without them, and the tagger
        // stays as it was.
        let mine = || {
            quipu::Gazetteer::parse_text("mine.gaz", "kenna | PERSON | Lisa Kenna | Kenna").unwrap()
        };
        assert_eq!(t.add(mine()).unwrap_err(), Error::NoDefaultGazetteer);
        assert!(t.from_snapshot());
        assert_eq!(t.core().tag(text), compiled.tag(text));
        // The first tagger took the snapshot: the next one needs the texts.
        assert_eq!(
            Tagger::with_options(true, None).err(),
            Some(Error::NoDefaultGazetteer)
        );
        load_default_gazetteer();
        t.add(mine()).unwrap();
        assert!(!t.from_snapshot());
        let compiled = quipu::Tagger::builder().gazetteer(mine()).build().unwrap();
        assert_eq!(t.core().entities(), compiled.entities());
        assert_eq!(t.core().tag(text), compiled.tag(text));
        // A damaged snapshot is not used: the texts build the tagger.
        set_default_tagger_snapshot(bytes[..bytes.len() / 2].to_vec());
        let t = Tagger::with_options(true, None).unwrap();
        assert!(!t.from_snapshot());
        assert_eq!(
            t.core().entities(),
            quipu::Tagger::new().unwrap().entities()
        );
    }

    #[test]
    fn adding_a_gazetteer_rebuilds_and_a_bad_one_changes_nothing() {
        let mut t = Tagger::with_options(false, None).unwrap();
        assert!(t.core().tag("I saw Kenna.").is_empty());
        t.add(
            quipu::Gazetteer::parse_text("mine.gaz", "kenna | PERSON | Lisa Kenna | Kenna")
                .unwrap(),
        )
        .unwrap();
        let spans = t.core().tag("😀 I saw Kenna.");
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].utf16_start, spans[0].utf16_end), (9, 14));
        // Same id twice across gazetteers with another type: the merge refuses it.
        let clash = quipu::Gazetteer::parse_text("bad.gaz", "kenna | PLACE | Kenna").unwrap();
        assert!(t.add(clash).is_err());
        assert_eq!(t.added.len(), 1);
        assert_eq!(t.core().tag("Kenna").len(), 1);
    }

    #[test]
    fn gazetteers_in_the_options_are_built_with_the_rest() {
        let source = |name: &str, content: &str, format: Option<&str>| AddedSource {
            name: name.into(),
            content: content.into(),
            format: format.map(Into::into),
        };
        let options = |gazetteers| Options {
            default_gazetteer: Some(false),
            gazetteers: Some(gazetteers),
            ..Options::default()
        };
        let json = r#"[{"id": "lima", "type": "PLACE", "name": "Lima"}]"#;
        let t = Tagger::from_options(options(vec![
            source("mine.gaz", "kenna | PERSON | Lisa Kenna | Kenna", None),
            // JSON guessed from the content, then given explicitly.
            source("places", json, None),
            source(
                "more",
                r#"{"entities": [{"id": "cusco", "type": "PLACE", "name": "Cusco"}]}"#,
                Some("json"),
            ),
        ]))
        .unwrap();
        assert_eq!(t.added.len(), 3);
        let found: Vec<String> = t
            .core()
            .tag("Kenna flew from Lima to Cusco.")
            .into_iter()
            .map(|s| s.id.to_string())
            .collect();
        assert_eq!(found, ["kenna", "lima", "cusco"]);
        // The same as adding them one by one.
        let mut one_by_one = Tagger::with_options(false, None).unwrap();
        for k in &t.added {
            // Kept as the texts given, not parsed.
            assert!(matches!(k, Kept::Text(_)), "{k:?}");
            one_by_one.add(k.gazetteer().unwrap()).unwrap();
        }
        assert_eq!(one_by_one.core().entities(), t.core().entities());
        // Errors name the gazetteer.
        let bad = Tagger::from_options(options(vec![source("x.gaz", "kenna | PERSON", None)]));
        assert!(bad.err().unwrap().to_string().contains("x.gaz"));
        let bad = Tagger::from_options(options(vec![source("y", "", Some("yaml"))]));
        assert!(bad
            .err()
            .unwrap()
            .to_string()
            .contains("unknown format 'yaml'"));
    }

    #[test]
    fn rules_and_linking_are_on_by_default_and_switch_off() {
        load_default_gazetteer();
        let text = "Gen. Ramiro Quispe Huamán met the press.\n\nQuispe said nothing.";
        let sources = |o: Options| -> Vec<String> {
            let t = Tagger::from_options(o).unwrap();
            t.core()
                .tag(text)
                .iter()
                .map(|s| format!("{} {}", s.text, s.source))
                .collect()
        };
        let on = sources(Options::default());
        assert_eq!(
            on,
            ["Ramiro Quispe Huamán rule:title", "Quispe linked"],
            "{on:?}"
        );
        assert_eq!(
            sources(Options {
                linking: Some(false),
                ..Options::default()
            }),
            ["Ramiro Quispe Huamán rule:title"]
        );
        assert!(sources(Options {
            rules: Some(false),
            ..Options::default()
        })
        .is_empty());
        // From Rust: the same defaults.
        let t = Tagger::with_options(true, None).unwrap();
        assert_eq!(t.core().tag(text).len(), 2);
    }

    #[test]
    fn an_accepted_name_is_found_by_the_gazetteer() {
        load_default_gazetteer();
        let mut t = Tagger::from_options(Options::default()).unwrap();
        t.add(
            quipu::Gazetteer::parse_json(
                "my-entities.json",
                r#"{"entities": [{"id": "my-ramiro-quispe-huaman", "type": "PERSON", "name": "Ramiro Quispe Huamán"}]}"#,
            )
            .unwrap(),
        )
        .unwrap();
        let spans = t.core().tag("Gen. Ramiro Quispe Huamán met the press.");
        assert_eq!(spans.len(), 1);
        assert_eq!(&*spans[0].id, "my-ramiro-quispe-huaman");
        assert_eq!(spans[0].source, quipu::Source::Gazetteer);
    }

    #[test]
    fn the_default_parse_goes_to_the_first_tagger_and_later_ones_parse_again() {
        load_default_gazetteer();
        let parsed = || DEFAULT_GAZETTEER.with(|d| d.borrow().as_ref().unwrap().parsed.is_some());
        assert!(parsed());
        let first = Tagger::with_options(true, None).unwrap();
        assert!(!parsed(), "the first build takes the parse");
        let second = Tagger::with_options(true, None).unwrap();
        assert_eq!(first.core().entities(), second.core().entities());
        let text = "THE EMBASSY IN LIMA: Fujimori met the Ministry of Defence in Cusco.";
        assert_eq!(first.core().tag(text), second.core().tag(text));
        // A tagger without the default gazetteer leaves the parse for the next that has it.
        load_default_gazetteer();
        let _none = Tagger::with_options(false, None).unwrap();
        assert!(parsed());
        // Given again, new texts: a tagger keeps those it was built with for its rebuilds.
        let mut t = Tagger::with_options(true, None).unwrap();
        load_default_gazetteer();
        t.add_source("mine.gaz", "kenna | PERSON | Lisa Kenna | Kenna", "text")
            .unwrap();
        assert!(parsed(), "a rebuild parses its own texts again");
        assert_eq!(t.core().tag("Kenna in Lima").len(), 2);
    }

    #[test]
    fn gazetteers_added_later_are_kept_as_text_and_rebuilt_from_it() {
        load_default_gazetteer();
        let mut t = Tagger::with_options(true, None).unwrap();
        let before = t.core().entities().len();
        t.add_source("mine.gaz", "kenna | PERSON | Lisa Kenna | Kenna", "text")
            .unwrap();
        t.add_source(
            "more.json",
            r#"{"entities": [{"id": "xantoria", "type": "PLACE", "name": "Xantoria"}]}"#,
            "json",
        )
        .unwrap();
        assert!(t.added.iter().all(|k| matches!(k, Kept::Text(_))));
        let text = "Kenna flew to Xantoria.";
        let ids = |t: &Tagger| -> Vec<String> {
            t.core()
                .tag(text)
                .into_iter()
                .map(|s| s.id.to_string())
                .collect()
        };
        assert_eq!(ids(&t), ["kenna", "xantoria"]);
        // A third one rebuilds from the texts: the first two still work.
        t.add_source("third.gaz", "vorn | PLACE | Vornhall", "text")
            .unwrap();
        assert_eq!(ids(&t), ["kenna", "xantoria"]);
        assert_eq!(t.core().tag("Vornhall").len(), 1);
        assert_eq!(t.core().entity("vorn").unwrap().origin, "third.gaz");
        // Errors change nothing: a syntax error, then a merge conflict (found by the build).
        assert!(t.add_source("bad.gaz", "x | PERSON", "text").is_err());
        let clash = t.add_source("clash.gaz", "kenna | PLACE | Kenna", "text");
        assert!(clash.is_err(), "{clash:?}");
        assert_eq!(t.added.len(), 3);
        assert_eq!(ids(&t), ["kenna", "xantoria"]);
        // The same as built with all of them at once.
        let once = Tagger::from_options(Options {
            gazetteers: Some(
                t.added
                    .iter()
                    .map(|k| match k {
                        Kept::Text(s) => s.clone(),
                        Kept::Parsed(_) => unreachable!(),
                    })
                    .collect(),
            ),
            ..Options::default()
        })
        .unwrap();
        assert_eq!(once.core().entities(), t.core().entities());
        t.clear_gazetteers().unwrap();
        assert_eq!(t.core().entities().len(), before);
        assert!(t.core().entity("kenna").is_none());
    }

    #[test]
    fn the_span_table_holds_the_same_spans() {
        load_default_gazetteer();
        let t = Tagger::with_options(true, None).unwrap();
        // Emoji, accents, a rule and a linked mention, the same entity twice.
        let text =
            "😀 Gen. Ramiro Quispe Huamán met Fujimori in Lima.\n\nQuispe left Lima for Cusco; \
                    FUJIMORI'S MINISTERS STAYED IN LIMA.";
        let spans = t.core().tag(text);
        assert!(spans.len() >= 6, "{spans:?}");
        let sources: std::collections::BTreeSet<String> =
            spans.iter().map(|s| s.source.to_string()).collect();
        assert!(sources.len() >= 3, "{sources:?}");
        let table = t.tag_table(text);
        assert_eq!(table.len(), spans.len());
        assert_eq!(table.numbers().len(), spans.len() * 6);
        assert_eq!(table.spans(text), spans);
        // Each string once: types, ids, names and sources are shared.
        let distinct: std::collections::BTreeSet<&String> = table.strings.iter().collect();
        assert_eq!(distinct.len(), table.strings.len());
        assert!(table.strings.len() < spans.len() * 4);
        assert!(table.strings.contains(&"gazetteer".to_string()));
        assert!(SpanTable::new(&[]).is_empty());
    }

    /// A text of about `mb` MB from `words` (seeded), each paragraph made by `para`.
    fn generated(mb: usize, seed: u64, sep: &str, words: &[&str]) -> String {
        let mut x = seed;
        let mut next = move || {
            // SplitMix64.
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) as usize
        };
        let mut text = String::new();
        while text.len() < mb << 20 {
            // A name right at each end of a paragraph, whatever comes between.
            text.push_str("Lima,");
            for _ in 0..next() % 60 {
                text.push_str(words[next() % words.len()]);
            }
            text.push_str("Fujimori");
            text.push_str(sep);
        }
        text
    }

    const PIECE_WORDS: &[&str] = &[
        "the ",
        "señor ",
        "Lima ",
        "LIMA ",
        "Fujimori's ",
        "😀 ",
        "🇵🇪 ",
        "San Martín ",
        "SAN MARTIN ",
        "Armed\nForces ",
        "ARMED FORCES ",
        "Perúvian ",
        "Perú ",
        "é ",
        "ж ",
        "x ",
        "Lima\n",
        "Martín\n",
        "Fujimori’s\n",
        "\n",
        "\u{2028}",
        "San\nMartín ",
    ];

    fn pieces_tagger(rules: bool, linking: bool) -> Tagger {
        Tagger::from_options(Options {
            default_gazetteer: Some(false),
            rules: Some(rules),
            linking: Some(linking),
            gazetteers: Some(vec![AddedSource {
                name: "mine.gaz".into(),
                content: "lima | PLACE | Lima\nsm | PLACE | San Martín\n\
                          fuji | PERSON | Alberto Fujimori | Fujimori\n\
                          ff | INSTITUTION | Armed Forces\nperu | PLACE | Perú\n\
                          zh | PERSON | Ж"
                    .into(),
                format: None,
            }]),
            ..Options::default()
        })
        .unwrap()
    }

    #[test]
    fn pieces_give_the_spans_of_one_call() {
        let t = pieces_tagger(false, false);
        assert!(t.tags_in_pieces());
        assert!(!pieces_tagger(true, false).tags_in_pieces());
        assert!(!pieces_tagger(false, true).tags_in_pieces());
        // Cut after a paragraph break; after a line break, where every line break is inside
        // a name ("Armed\nForces"), so that the cut splits one; after a space, where every
        // space is inside a name ("San Martín"). Names at every paragraph's ends, so at every
        // cut of the first text; accents, emoji and flags (four-byte characters, two UTF-16
        // units) before them, so that each offset moves differently. Cut anywhere else than
        // where the core cuts, the second and third texts get other spans.
        let lines: Vec<&str> = PIECE_WORDS
            .iter()
            .copied()
            .filter(|w| !w.contains('\n') || w.contains("Armed") || w.contains("San"))
            .collect();
        let solid: Vec<String> = PIECE_WORDS
            .iter()
            .filter(|w| !w.contains('\n'))
            .map(|w| {
                if w.contains("San") {
                    w.trim_end().to_string() + ","
                } else {
                    w.replace(' ', ",")
                }
            })
            .collect();
        let solid: Vec<&str> = solid.iter().map(String::as_str).collect();
        let texts = [
            generated(5, 1, "\n\n", PIECE_WORDS),
            generated(5, 2, "; ", &lines),
            generated(5, 3, ",", &solid),
            generated(1, 4, "\n\n", PIECE_WORDS),
        ];
        for (k, text) in texts.iter().enumerate() {
            let whole = t.core().tag(text);
            assert!(whole.len() > 1000, "text {k}: {} spans", whole.len());
            for window in [PIECE_WINDOW, PIECE + 4] {
                let pieces = t
                    .tag_in_pieces(text, window)
                    .unwrap()
                    .expect("cut at white space");
                assert_eq!(pieces.len(), whole.len(), "text {k}, window {window}");
                assert!(
                    pieces == whole,
                    "text {k}, window {window}: the spans differ"
                );
            }
            // Cut where the core cuts: by a name (at the paragraph's ends: right at the cut),
            // astral characters before it.
            if text.len() > PIECE {
                let end = quipu::piece_end(text);
                let near = if k == 0 { 1 } else { 64 };
                assert!(
                    whole
                        .iter()
                        .any(|s| s.byte_end + near >= end && s.byte_end <= end),
                    "text {k}: a name ends at the cut"
                );
                assert!(
                    whole
                        .iter()
                        .any(|s| s.byte_start >= end && s.byte_start <= end + near),
                    "text {k}: a name starts at the cut"
                );
                assert!(text[..end].chars().any(|c| c.len_utf16() == 2));
            }
        }
        // Where the core would cut without white space, there is no piece.
        let solid = "é".repeat(PIECE);
        assert!(t.tag_in_pieces(&solid, PIECE_WINDOW).unwrap().is_none());
        // A piece that is not the last needs a window longer than a piece.
        let state = &mut PieceState::default();
        let err = t.tag_piece_table("Lima", true, false, state).unwrap_err();
        assert!(err.to_string().contains("more than"), "{err}");
        // A short text is one piece, measured.
        let table = t
            .tag_piece_table("😀 Lima, é", true, true, state)
            .unwrap()
            .unwrap();
        assert_eq!((table.bytes, table.chars, table.utf16), (13, 9, 10));
        assert_eq!(table.numbers(), [2, 6, 5, 9, 3, 7]);
        assert_eq!(table.strings(), ["PLACE", "lima", "Lima", "gazetteer"]);
        // The next piece: offsets from the end of the first, the strings known already
        // left out.
        let table = t
            .tag_piece_table("Lima é", false, true, state)
            .unwrap()
            .unwrap();
        assert_eq!(table.numbers(), [9, 13, 13, 17, 10, 14]);
        assert_eq!(table.refs(), [0, 1, 2, 3]);
        assert!(table.strings().is_empty());
        // A first piece starts again.
        let table = t
            .tag_piece_table("Lima", true, true, state)
            .unwrap()
            .unwrap();
        assert_eq!(
            (table.numbers(), table.strings().len()),
            (vec![0, 4, 0, 4, 0, 4], 4)
        );
        // Measured with no span, and with one at the very end.
        for (text, extent) in [("😀 é", (7, 3, 4)), ("é 😀 Lima", (12, 8, 9))] {
            let table = t.tag_piece_table(text, true, true, state).unwrap().unwrap();
            assert_eq!((table.bytes, table.chars, table.utf16), extent, "{text}");
        }
    }

    #[test]
    fn the_input_buffer_is_checked() {
        let t = pieces_tagger(false, false);
        let mut buffer = TextBuffer::new(8);
        assert_eq!(buffer.capacity(), 8);
        assert_ne!(buffer.ptr(), 0);
        buffer.bytes[..4].copy_from_slice(b"Lima");
        let table = t.tag_piece_table(
            std::str::from_utf8(&buffer.bytes[..4]).unwrap(),
            true,
            true,
            &mut buffer.state,
        );
        assert_eq!(table.unwrap().unwrap().len(), 1);
        // tagPiece's checks, natively: the length and the UTF-8 (JsError needs a wasm host).
        assert!(buffer.bytes.get(..9).is_none());
        buffer.bytes[..2].copy_from_slice(&[0xc3, 0x28]);
        assert!(std::str::from_utf8(&buffer.bytes[..2]).is_err());
    }

    #[test]
    fn json_strings_are_read_as_json_stringify_writes_them() {
        fn ok(s: &str) -> (String, &str) {
            json_string(s).unwrap()
        }
        assert_eq!(ok(r#""a" rest"#), ("a".to_string(), " rest"));
        assert_eq!(
            ok(r#""q\"b\\s\/n\nr\rt\tb\bf\f" }"#),
            ("q\"b\\s/n\nr\rt\tb\u{8}f\u{c}".to_string(), " }")
        );
        assert_eq!(ok(r#""\u00e9é\ud83d\ude00😀\u0000""#).0, "éé😀😀\u{0}");
        // Not strings, unterminated, bad escapes, lone surrogates: errors (serde_json's
        // messages), never a panic or a guess.
        for bad in [
            "a",
            r#""abc"#,
            r#""a\"#,
            r#""\x""#,
            r#""\u12""#,
            r#""\u+123""#,
            r#""\ud83d""#,
            r#""\ud83d\u0041""#,
            r#""\ude00""#,
        ] {
            let err = json_string(bad).unwrap_err();
            assert!(!err.is_empty(), "{bad}");
        }
    }

    #[test]
    fn the_default_gazetteer_module_is_read_as_data() {
        // As scripts/build-wasm writes it (JSON.stringify: quotes, backslashes and control
        // characters escaped, the rest as is).
        fn stringify(s: &str) -> String {
            let mut out = String::from("\"");
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out + "\""
        }
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let files: Vec<(String, String)> = quipu::DEFAULT_GAZETTEER_NAMES
            .iter()
            .map(|&n| {
                (
                    n.to_string(),
                    std::fs::read_to_string(format!("{root}/{n}")).unwrap(),
                )
            })
            .collect();
        let lines: Vec<String> = files
            .iter()
            .map(|(n, c)| format!("  {{ name: {}, content: {} }},", stringify(n), stringify(c)))
            .collect();
        let module = format!(
            "// Generated.\nexport const DEFAULT_GAZETTEER = [\n{}\n];\n",
            lines.join("\n")
        );
        let read = read_default_gazetteer_module(&module).unwrap();
        let read: Vec<(String, String)> = read.into_iter().map(|s| (s.name, s.content)).collect();
        assert_eq!(read, files);
        // Taggers built from it are those built from the texts.
        set_default_sources(read_default_gazetteer_module(&module).unwrap()).unwrap();
        let text = "THE EMBASSY IN LIMA: Fujimori met the Ministry of Defence in Cusco.";
        let from_module = Tagger::with_options(true, None).unwrap().core().tag(text);
        load_default_gazetteer();
        assert_eq!(
            Tagger::with_options(true, None).unwrap().core().tag(text),
            from_module
        );
        assert!(from_module.len() >= 3, "{from_module:?}");
        // Anything else is refused, with what is wrong.
        for (bad, why) in [
            (String::new(), "no DEFAULT_GAZETTEER"),
            (
                "export const DEFAULT_GAZETTEER = [\n];\n".to_string(),
                "no files",
            ),
            (
                module.replacen(", content: ", ", contents: ", 1),
                "line 3: expected `, content: `",
            ),
            (module.replacen(" },", " ],", 1), "line 3: expected ` },`"),
            (module.replacen("\\n", "\\q", 1), "line 3: invalid escape"),
        ] {
            let err = read_default_gazetteer_module(&bad).unwrap_err().to_string();
            assert!(
                err.starts_with("not the text of quipu-tagger's dist/default-gazetteer.js"),
                "{err}"
            );
            assert!(err.contains(why), "{why}: {err}");
        }
    }

    #[test]
    fn gazetteers_convert_between_formats() {
        let text = gazetteer_to_text(
            "g.json",
            r#"[{"id": "lima", "type": "PLACE", "name": "Lima", "aliases": ["Ciudad de los Reyes"]}]"#,
            "json",
        )
        .ok()
        .unwrap();
        assert!(
            text.starts_with("lima | PLACE | Lima | Ciudad de los Reyes"),
            "{text}"
        );
        assert!(parse("g.gaz", "x | PERSON", "text").is_err());
    }

    /// `utf8` against std's `from_utf8`: the same string or the same error offset.
    fn utf8_agrees_with_std(bytes: &[u8]) {
        match (utf8(bytes), std::str::from_utf8(bytes)) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(
                (a.valid_up_to(), a.error_len()),
                (b.valid_up_to(), b.error_len())
            ),
            (a, b) => panic!("{bytes:?}: {a:?} against std's {b:?}"),
        }
    }

    #[test]
    fn utf8_checks_as_std_does() {
        let ascii = "The cable from Lima, sixteen+ bytes".as_bytes();
        let mut cases: Vec<Vec<u8>> = vec![
            vec![],
            b"a".to_vec(),
            ascii.to_vec(),
            "señor Ñuñoa".as_bytes().to_vec(),
            "😀".repeat(9).into_bytes(),
            [ascii, "é".as_bytes(), ascii].concat(),
            // Invalid: a lone continuation byte, a lead byte cut short, an overlong form, a
            // surrogate, past U+10FFFF.
            [ascii, &[0x80], ascii].concat(),
            [ascii, &[0xC3]].concat(),
            [ascii, &[0xE2, 0x82], ascii].concat(),
            [&ascii[..5], &[0xC0, 0xAF], ascii].concat(),
            [ascii, &[0xED, 0xA0, 0x80]].concat(),
            [ascii, &[0xF4, 0x90, 0x80, 0x80]].concat(),
        ];
        // A many-byte character and an error at every place around the sixteen-byte steps.
        for at in 0..40 {
            let mut a = "x".repeat(40).into_bytes();
            a.splice(at..at, "€".bytes());
            cases.push(a.clone());
            a[at + 1] = b'x';
            cases.push(a);
        }
        for bytes in &cases {
            utf8_agrees_with_std(bytes);
        }
        // Every lead and second byte, with the bytes after them at the edges of the
        // continuation range, after ASCII of both parities of the sixteen-byte step.
        let edges = [0x7F, 0x80, 0xBF, 0xC0];
        for lead in 0..=255u8 {
            for second in 0..=255u8 {
                for (third, fourth) in edges.iter().flat_map(|&t| edges.map(|f| (t, f))) {
                    for pad in [3, 16] {
                        let mut bytes = vec![b'a'; pad];
                        bytes.extend([lead, second, third, fourth]);
                        utf8_agrees_with_std(&bytes);
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn utf8_agrees_with_std_on_any_bytes(
            text in "[a -~é€😀]{0,80}",
            damage in proptest::collection::vec((0usize..200, proptest::num::u8::ANY), 0..3),
        ) {
            let mut bytes = text.into_bytes();
            for (at, b) in damage {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = b;
                }
            }
            utf8_agrees_with_std(&bytes);
        }
    }
}

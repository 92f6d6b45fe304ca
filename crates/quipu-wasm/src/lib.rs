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
//! uses it; they are parsed once and shared by every tagger.
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

/// One file of the default gazetteer, as JavaScript passes it.
#[derive(Debug, Clone, Deserialize)]
struct Source {
    name: String,
    content: String,
}

thread_local! {
    /// The default gazetteer, parsed once from the texts `setDefaultGazetteer` gave, shared by
    /// the taggers (the wasm has one thread; natively, each thread sets its own).
    static DEFAULT_GAZETTEER: RefCell<Option<Rc<Vec<quipu::Gazetteer>>>> = const { RefCell::new(None) };
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
    let parsed = quipu::parse_default_gazetteers(sources)?;
    DEFAULT_GAZETTEER.with(|d| *d.borrow_mut() = Some(Rc::new(parsed)));
    Ok(())
}

/// The default gazetteer set by [`set_default_gazetteer_texts`], or an error saying how to
/// give it.
fn default_gazetteer() -> Result<Rc<Vec<quipu::Gazetteer>>, Error> {
    DEFAULT_GAZETTEER
        .with(|d| d.borrow().clone())
        .ok_or(Error::NoDefaultGazetteer)
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
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Core(e) => e.fmt(f),
            Error::Format(m) => f.write_str(m),
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
    set_default_gazetteer_texts(sources.iter().map(|s| (&s.name, &s.content))).map_err(js_error)
}

/// Whether the default gazetteer was given (`setDefaultGazetteer`).
#[wasm_bindgen(js_name = hasDefaultGazetteer)]
pub fn has_default_gazetteer() -> bool {
    DEFAULT_GAZETTEER.with(|d| d.borrow().is_some())
}

/// A tagger: the default gazetteer (unless switched off), then the gazetteers added, in order.
///
/// Adding a gazetteer rebuilds the tagger; a gazetteer with an error is not added and the
/// tagger stays as it was.
#[wasm_bindgen]
pub struct Tagger {
    /// The options; the core's own default gazetteer always off (this build has none).
    builder: quipu::TaggerBuilder,
    /// The default gazetteer (when on), first of all, as the core would put its own.
    defaults: Option<Rc<Vec<quipu::Gazetteer>>>,
    added: Vec<quipu::Gazetteer>,
    inner: quipu::Tagger,
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
        let defaults = if options.default_gazetteer.unwrap_or(true) {
            Some(default_gazetteer()?)
        } else {
            None
        };
        let mut builder = quipu::Tagger::builder()
            .default_gazetteer(false)
            .rules(options.rules.unwrap_or(true))
            .linking(options.linking.unwrap_or(true));
        if let Some(types) = options.types {
            builder = builder.types(types);
        }
        let added = options
            .gazetteers
            .unwrap_or_default()
            .iter()
            .map(AddedSource::parse)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Tagger {
            inner: with_gazetteers(&builder, defaults.as_deref().map(Vec::as_slice), &added)
                .build()?,
            builder,
            defaults,
            added,
        })
    }

    /// The core tagger.
    pub fn core(&self) -> &quipu::Tagger {
        &self.inner
    }

    /// Adds a parsed gazetteer and rebuilds; on error the tagger is unchanged.
    pub fn add(&mut self, gazetteer: quipu::Gazetteer) -> Result<(), Error> {
        self.inner = with_gazetteers(
            &self.builder,
            self.defaults.as_deref().map(Vec::as_slice),
            &self.added,
        )
        .gazetteer(gazetteer.clone())
        .build()?;
        self.added.push(gazetteer);
        Ok(())
    }

    fn rebuild(&mut self) -> Result<(), Error> {
        self.inner = with_gazetteers(
            &self.builder,
            self.defaults.as_deref().map(Vec::as_slice),
            &self.added,
        )
        .build()?;
        Ok(())
    }
}

/// The options with every gazetteer: the default ones (when on), then those added. These are
/// the positions the core gives its compiled-in default gazetteer and then the user's, so
/// entities rank the same (a user's gazetteer wins ties).
fn with_gazetteers(
    builder: &quipu::TaggerBuilder,
    defaults: Option<&[quipu::Gazetteer]>,
    added: &[quipu::Gazetteer],
) -> quipu::TaggerBuilder {
    let mut builder = builder.clone();
    for g in defaults.unwrap_or_default().iter().chain(added) {
        builder = builder.gazetteer(g.clone());
    }
    builder
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
        let g = quipu::Gazetteer::parse_text(source, text).map_err(js_error)?;
        self.add(g).map_err(js_error)
    }

    /// Adds a gazetteer in the JSON format (`{"entities": [...]}` or a bare array).
    #[wasm_bindgen(js_name = addGazetteerJson)]
    pub fn add_gazetteer_json(&mut self, source: &str, json: &str) -> Result<(), JsError> {
        let g = quipu::Gazetteer::parse_json(source, json).map_err(js_error)?;
        self.add(g).map_err(js_error)
    }

    /// Removes every gazetteer added, keeping the default one (if it was on).
    #[wasm_bindgen(js_name = clearGazetteers)]
    pub fn clear_gazetteers(&mut self) -> Result<(), JsError> {
        self.added.clear();
        self.rebuild().map_err(js_error)
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
            .map(|s| s.id)
            .collect();
        assert_eq!(found, ["kenna", "lima", "cusco"]);
        // The same as adding them one by one.
        let mut one_by_one = Tagger::with_options(false, None).unwrap();
        for g in &t.added {
            one_by_one.add(g.clone()).unwrap();
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
        assert_eq!(spans[0].id, "my-ramiro-quispe-huaman");
        assert_eq!(spans[0].source, quipu::Source::Gazetteer);
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
}

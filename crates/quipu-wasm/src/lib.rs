//! WebAssembly bindings for Quipu: the tagger of the browser page and of the `quipu-tagger`
//! npm package.
//!
//! Built for `wasm32-unknown-unknown` and bound with `wasm-bindgen --target web` by
//! `scripts/build-wasm`. From JavaScript:
//!
//! ```js
//! import init, { Tagger } from "./pkg/quipu_wasm.js";
//! await init();
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
//! The crate also compiles natively (the workspace's clippy and tests build it), where the
//! same methods are available to Rust.

#![deny(missing_docs)]

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Options for `new Tagger(options)`; every field is optional. */
export interface TaggerOptions {
  /** Start from the default gazetteer compiled into Quipu (default `true`). */
  defaultGazetteer?: boolean;
  /** Tag only entities of these types, e.g. `["PERSON", "PLACE"]` (default: all types). */
  types?: string[];
  /** Context rules for names no gazetteer knows: titles, first names, keywords (default `true`). */
  rules?: boolean;
  /** Link later mentions (a surname alone, an acronym) to names found earlier (default `true`). */
  linking?: boolean;
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
}

/// Options of [`Tagger::new`], as JavaScript passes them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Options {
    default_gazetteer: Option<bool>,
    types: Option<Vec<String>>,
    rules: Option<bool>,
    linking: Option<bool>,
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

/// A tagger: the default gazetteer (unless switched off), then the gazetteers added, in order.
///
/// Adding a gazetteer rebuilds the tagger; a gazetteer with an error is not added and the
/// tagger stays as it was.
#[wasm_bindgen]
pub struct Tagger {
    builder: quipu::TaggerBuilder,
    added: Vec<quipu::Gazetteer>,
    inner: quipu::Tagger,
}

impl Tagger {
    /// Builds a tagger from Rust, with the options JavaScript would pass (rules and linking
    /// on).
    pub fn with_options(
        default_gazetteer: bool,
        types: Option<Vec<String>>,
    ) -> Result<Tagger, quipu::Error> {
        Tagger::from_options(Options {
            default_gazetteer: Some(default_gazetteer),
            types,
            rules: None,
            linking: None,
        })
    }

    /// Builds a tagger from the options of `new Tagger(options)`: every field optional, the
    /// default gazetteer, rules and linking on unless switched off.
    fn from_options(options: Options) -> Result<Tagger, quipu::Error> {
        let mut builder = quipu::Tagger::builder()
            .default_gazetteer(options.default_gazetteer.unwrap_or(true))
            .rules(options.rules.unwrap_or(true))
            .linking(options.linking.unwrap_or(true));
        if let Some(types) = options.types {
            builder = builder.types(types);
        }
        let inner = builder.build()?;
        Ok(Tagger {
            builder,
            added: Vec::new(),
            inner,
        })
    }

    /// The core tagger.
    pub fn core(&self) -> &quipu::Tagger {
        &self.inner
    }

    /// Adds a parsed gazetteer and rebuilds; on error the tagger is unchanged.
    pub fn add(&mut self, gazetteer: quipu::Gazetteer) -> Result<(), quipu::Error> {
        let mut builder = self.builder.clone();
        for g in &self.added {
            builder = builder.gazetteer(g.clone());
        }
        self.inner = builder.gazetteer(gazetteer.clone()).build()?;
        self.added.push(gazetteer);
        Ok(())
    }

    fn rebuild(&mut self) -> Result<(), quipu::Error> {
        let mut builder = self.builder.clone();
        for g in &self.added {
            builder = builder.gazetteer(g.clone());
        }
        self.inner = builder.build()?;
        Ok(())
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
    fn rules_and_linking_are_on_by_default_and_switch_off() {
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

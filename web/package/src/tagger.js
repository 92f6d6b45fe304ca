// The JavaScript API over the wasm tagger: `await createTagger(options)`.

import init, { Tagger, setDefaultGazetteer, hasDefaultGazetteer, gazetteerToText, gazetteerToJson, toHtml, version } from "../pkg/quipu_wasm.js";
import { concatPacked, measure, splitAtParagraphs, unpackSpans } from "./chunks.js";

const encoder = new TextEncoder();

let ready = null;

/**
 * Loads and instantiates the wasm once. Pass `wasmUrl` when a bundler moved the file, or the
 * module already compiled (a `WebAssembly.Module`, which the worker gets from the page).
 * @param {string | URL | WebAssembly.Module} [wasmUrl]
 */
export function initWasm(wasmUrl) {
  if (!ready) ready = init(wasmUrl ? { module_or_path: wasmUrl } : undefined);
  return ready;
}

let texts = null;
let loaded = null;

/**
 * The default gazetteer's texts: `dist/default-gazetteer.js` (about 2.5 MB, 0.6 MB gzipped),
 * shared by every entry and imported only when a tagger uses it, so `defaultGazetteer: false`
 * never loads it. Not part of the public API (the exports map hides this module).
 */
export function defaultGazetteerTexts() {
  if (!texts) {
    texts = import("../dist/default-gazetteer.js").then((m) => m.DEFAULT_GAZETTEER);
    texts.catch(() => (texts = null)); // a failed request may succeed later
  }
  return texts;
}

/**
 * The default gazetteer's texts when they are loaded already (the page gives them to the
 * worker), so that `defaultGazetteerTexts` does not import them again.
 * @param {{ name: string, content: string }[]} sources
 */
export function provideDefaultGazetteerTexts(sources) {
  if (!texts) texts = Promise.resolve(sources);
}

/** Gives the default gazetteer to the wasm (which does not embed it), once; after `initWasm`. */
function loadDefaultGazetteer() {
  if (!loaded) {
    loaded = defaultGazetteerTexts().then((sources) => {
      if (!hasDefaultGazetteer()) setDefaultGazetteer(sources);
    });
    loaded.catch(() => (loaded = null));
  }
  return loaded;
}

/** A User Timing mark (the benchmark reads them to break the page's start down). */
function mark(name) {
  globalThis.performance?.mark?.(name);
}

/** Guesses a gazetteer's format from its name or its first character. */
export function gazetteerFormat(name, content) {
  if (/\.json$/i.test(name)) return "json";
  if (/\.(gaz|txt|tsv)$/i.test(name)) return "text";
  return /^\s*[[{]/.test(content) ? "json" : "text";
}

/**
 * A tagger: the default gazetteer (unless `defaultGazetteer: false`), then `gazetteers`.
 * @param {{ wasmUrl?: string | URL, defaultGazetteer?: boolean, types?: string[],
 *           rules?: boolean, linking?: boolean,
 *           gazetteers?: { name: string, content: string, format?: "text" | "json" }[] }} [options]
 */
export async function createTagger(options = {}) {
  const withDefault = options.defaultGazetteer !== false;
  if (withDefault) defaultGazetteerTexts(); // fetched beside the wasm, not after it
  await initWasm(options.wasmUrl);
  mark("quipu:wasm-ready");
  if (withDefault) {
    await loadDefaultGazetteer();
    mark("quipu:default-gazetteer-parsed");
  }
  const { wasmUrl: _w, gazetteers = [], ...taggerOptions } = options;
  // Given to the constructor, the gazetteers are built once with the rest; added one by one
  // they would rebuild the tagger each time.
  const tagger = new QuipuTagger(new Tagger({ ...taggerOptions, gazetteers: gazetteers.map((g) => gazetteerSource(g)) }));
  mark("quipu:tagger-built");
  return tagger;
}

/**
 * `{ name, content, format }` for any form `addGazetteer` takes.
 * @param {string | object} g
 * @param {{ name?: string, format?: "text" | "json" }} [o]
 */
function gazetteerSource(g, o = {}) {
  let name, content, format;
  if (typeof g === "string") ({ content, name = "gazetteer", format } = { content: g, ...o });
  else if (g && typeof g === "object" && typeof g.content === "string") ({ name = "gazetteer", content, format } = g);
  else ({ content, name = "gazetteer.json", format = "json" } = { content: JSON.stringify(g), ...o });
  return { name, content, format: format || gazetteerFormat(name, content) };
}

/** A tagger; wraps the wasm `Tagger`. */
export class QuipuTagger {
  /** @param {Tagger} inner */
  constructor(inner) {
    this.inner = inner;
  }

  /**
   * Adds a gazetteer (`format` guessed from the name when not given); throws an `Error` with
   * the core's message, and then the tagger is unchanged. Either
   * `addGazetteer(textOrJson, { format, name })` (a string in the text or JSON format, or a
   * JSON value such as `{ entities: [...] }`) or `addGazetteer({ name, content, format })`.
   * @param {string | object} g
   * @param {{ name?: string, format?: "text" | "json" }} [o]
   */
  addGazetteer(g, o = {}) {
    const { name, content, format } = gazetteerSource(g, o);
    if (format === "json") this.inner.addGazetteerJson(name, content);
    else this.inner.addGazetteerText(name, content);
  }

  /** Removes every gazetteer added. */
  clearGazetteers() {
    this.inner.clearGazetteers();
  }

  /**
   * The spans of `text`: `Span` objects with the command line's fields.
   * @param {string} text
   */
  tag(text) {
    return unpackSpans(this.tagPacked(text), text);
  }

  /**
   * The spans of `text` in columns, as `packSpans` packs them (`{ count, numbers, refs,
   * strings }`; `unpackSpans(packed, text)` makes the objects): what the wasm returns, with
   * no object per span. The text goes in as UTF-8 bytes.
   * @param {string} text
   */
  tagPacked(text) {
    const table = this.inner.tagUtf8(encoder.encode(text));
    try {
      return { count: table.count, numbers: table.numbers(), refs: table.refs(), strings: table.strings() };
    } finally {
      table.free();
    }
  }

  /**
   * Tags a big text piece by piece (cut at paragraph breaks), calling `onProgress(done,
   * total)` in UTF-16 code units after each piece; the spans have whole-text offsets.
   * @param {string} text
   * @param {{ pieceSize?: number, onProgress?: (done: number, total: number) => void }} [o]
   */
  tagInPieces(text, o = {}) {
    return unpackSpans(this.tagPackedInPieces(text, o), text);
  }

  /**
   * `tagInPieces`, its spans packed as `tagPacked` returns them.
   * @param {string} text
   * @param {{ pieceSize?: number, onProgress?: (done: number, total: number) => void }} [o]
   */
  tagPackedInPieces(text, { pieceSize = 1 << 20, onProgress } = {}) {
    const pieces = splitAtParagraphs(text, pieceSize);
    const parts = [];
    let at = { utf16: 0, chars: 0, bytes: 0 };
    for (const [k, p] of pieces.entries()) {
      parts.push({ packed: this.tagPacked(p.text), at });
      if (k + 1 < pieces.length) {
        const m = measure(p.text);
        at = { utf16: at.utf16 + p.text.length, chars: at.chars + m.chars, bytes: at.bytes + m.bytes };
      }
      if (onProgress) onProgress(p.utf16 + p.text.length, text.length);
    }
    return concatPacked(parts);
  }

  /** @param {string} id */
  entity(id) {
    return this.inner.entity(id);
  }

  /**
   * The entities with these ids, in one call: an `Entity` or `null` each.
   * @param {string[]} ids
   */
  entitiesById(ids) {
    return this.inner.entitiesById(ids);
  }

  stats() {
    return this.inner.stats();
  }

  free() {
    this.inner.free();
  }
}

export { gazetteerToText, gazetteerToJson, toHtml, version };

// The JavaScript API over the wasm tagger: `await createTagger(options)`.

import init, { Tagger, TextBuffer, pieceWindow, setDefaultGazetteer, setDefaultGazetteerModule, setDefaultTaggerSnapshot, hasDefaultGazetteer, gazetteerToText, gazetteerToJson, toHtml, version } from "../pkg/quipu_wasm.js";
import { concatPacked, measure, splitAtParagraphs, unpackSpans } from "./chunks.js";
import { gazetteerFormat } from "./formats.js";
import { wasmEncoder } from "./utf8.js";

const encoder = new TextEncoder();

let ready = null;
/** The wasm's exports once instantiated: its `memory`, where `tag` encodes text. */
let wasmExports = null;

/**
 * Loads and instantiates the wasm once (again after a failure). Pass `wasmUrl` when a bundler
 * moved the file, or the module already compiled (a `WebAssembly.Module`, which the worker
 * gets from the page), or a promise of either or of a `Response`.
 * @param {string | URL | WebAssembly.Module | Promise<WebAssembly.Module | Response>} [wasmUrl]
 */
export function initWasm(wasmUrl) {
  if (!ready) {
    ready = init(wasmUrl ? { module_or_path: wasmUrl } : undefined).then((exports) => (wasmExports = exports));
    ready.catch(() => (ready = null)); // a failed request may succeed later, or another source
  }
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

let moduleBytes = null;

/**
 * The bytes of `dist/default-gazetteer.js` fetched as data, for the wasm to read
 * (`setDefaultGazetteerModule`) instead of importing the module: compiling 2.5 MB of string
 * literals as JavaScript took chromium's worker 86 ms, and decoding them 13-68 ms more,
 * before the wasm got them. Given as a function that fetches them (a promise of a
 * `Uint8Array`), called when a tagger first needs the texts. Should they fail, the module
 * is imported. Not part of the public API (the page's worker uses it).
 * @param {() => Promise<Uint8Array>} fetchBytes
 */
export function provideDefaultGazetteerModule(fetchBytes) {
  if (!texts && !moduleBytes) moduleBytes = fetchBytes;
}

let snapshotBytes = null;

/**
 * The bytes of `dist/default-tagger.bin` (a promise of a `Uint8Array`): a snapshot of the
 * tagger of the default gazetteer, which the next `createTagger` of the default gazetteer
 * and no other gazetteer reads instead of parsing and building that gazetteer (in
 * chromium, those took 300 ms of the page's start; reading takes a fraction of it). The
 * texts are still loaded for any later tagger, or when gazetteers are given. Not part of
 * the public API (the page's worker uses it).
 * @param {Uint8Array | Promise<Uint8Array>} bytes
 */
export function provideDefaultTaggerSnapshot(bytes) {
  snapshotBytes = Promise.resolve(bytes);
}

/** Gives the default gazetteer to the wasm (which does not embed it), once; after `initWasm`. */
function loadDefaultGazetteer() {
  if (!loaded) {
    loaded = (async () => {
      if (hasDefaultGazetteer()) return;
      if (moduleBytes) {
        const fetchBytes = moduleBytes;
        moduleBytes = null;
        try {
          setDefaultGazetteerModule(await fetchBytes());
          return;
        } catch {
          // Not fetched, or not understood: import the module.
        }
      }
      const sources = await defaultGazetteerTexts();
      if (!hasDefaultGazetteer()) setDefaultGazetteer(sources);
    })();
    loaded.catch(() => (loaded = null));
  }
  return loaded;
}

/** A User Timing mark (the benchmark reads them to break the page's start down). */
function mark(name) {
  globalThis.performance?.mark?.(name);
}

export { gazetteerFormat };

/**
 * A tagger: the default gazetteer (unless `defaultGazetteer: false`), then `gazetteers`.
 * @param {{ wasmUrl?: string | URL, defaultGazetteer?: boolean, types?: string[],
 *           rules?: boolean, linking?: boolean,
 *           gazetteers?: { name: string, content: string, format?: "text" | "json" }[] }} [options]
 */
export async function createTagger(options = {}) {
  const withDefault = options.defaultGazetteer !== false;
  // `useSnapshot: false`: the caller adds gazetteers next (the page's worker), which needs
  // the texts anyway. Not part of the public API.
  const { wasmUrl: _w, gazetteers = [], useSnapshot = true, ...taggerOptions } = options;
  const snapshot = withDefault && useSnapshot && !gazetteers.length ? snapshotBytes : null;
  if (snapshot) snapshotBytes = null; // one tagger reads it
  if (withDefault && !moduleBytes && !snapshot) defaultGazetteerTexts(); // fetched beside the wasm, not after it
  await initWasm(options.wasmUrl);
  mark("quipu:wasm-ready");
  if (snapshot) {
    const bytes = await snapshot.catch(() => null);
    mark("quipu:default-snapshot-fetched");
    if (bytes) {
      setDefaultTaggerSnapshot(bytes);
      try {
        // Read from the snapshot; or, should it not read, built from the texts if they
        // are loaded already. Without them, this throws: they are loaded below.
        const tagger = new QuipuTagger(new Tagger(taggerOptions));
        mark("quipu:tagger-built");
        return tagger;
      } catch {
        // Built from the texts below.
      }
    }
  }
  if (withDefault) {
    await loadDefaultGazetteer();
    mark("quipu:default-gazetteer-parsed");
  }
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
    /** @type {TextBuffer | null} the input buffer in the wasm memory, kept between calls */
    this.buffer = null;
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
    if (typeof text !== "string") throw new TypeError(`tag: expected a string, got ${text === null ? "null" : typeof text}`);
    if (this.inner.tagsInPieces && wasmExports?.memory) {
      const packed = this.tagPackedByPiece(text);
      if (packed) return packed;
    }
    return takeTable(this.inner.tagUtf8(encoder.encode(text)));
  }

  /**
   * The spans of `text` from the wasm piece by piece, where that gives the same spans as one
   * call (rules and linking off: see the wasm's `tagPiece`): each piece, cut as the core cuts
   * (about 4 MiB, after a paragraph break), is encoded into one buffer in the wasm memory,
   * reused, so that tagging a big text does not copy it whole into the memory (which never
   * shrinks) nor hold all its spans there at once. `null` where the core would cut a piece
   * at no white space (then the text is tagged in one call).
   * @param {string} text
   */
  tagPackedByPiece(text) {
    // Three bytes per UTF-16 code unit at most: a short text fits in a buffer of its size.
    const capacity = Math.min(pieceWindow(), Math.max(16, text.length * 3));
    if (!this.buffer || this.buffer.capacity < capacity) {
      this.buffer?.free();
      this.buffer = null;
      this.buffer = new TextBuffer(capacity);
    }
    const buffer = this.buffer;
    // Each piece's table has whole-text offsets, and indices into the strings of all the
    // tables so far (each brings the strings new to it).
    const numbers = [];
    const refs = [];
    const strings = [];
    let count = 0;
    const encodeInto = wasmEncoder(wasmExports.memory);
    for (let at = 0; ; ) {
      // As many whole characters as fit; as many code units as bytes are always enough.
      const rest = at === 0 && text.length <= buffer.capacity ? text : text.slice(at, at + buffer.capacity);
      const { read, written } = encodeInto
        ? encodeInto(rest, buffer.ptr, buffer.capacity)
        : // A fresh view each time: the memory may have grown (and moved) since.
          encoder.encodeInto(rest, new Uint8Array(wasmExports.memory.buffer, buffer.ptr, buffer.capacity));
      const last = at + read === text.length;
      const table = this.inner.tagPiece(buffer, written, at === 0, last);
      if (!table) return null;
      try {
        numbers.push(table.numbers());
        refs.push(table.refs());
        for (const s of table.strings()) strings.push(s);
        count += table.count;
        at += table.utf16;
      } finally {
        table.free();
      }
      if (last) break;
    }
    return { count, numbers: concatU32(numbers, count * 6), refs: concatU32(refs, count * 4), strings };
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
    this.buffer?.free();
    this.buffer = null;
    this.inner.free();
  }
}

/** The arrays as one `Uint32Array` of `length`. */
function concatU32(arrays, length) {
  if (arrays.length === 1) return arrays[0];
  const out = new Uint32Array(length);
  let k = 0;
  for (const a of arrays) {
    out.set(a, k);
    k += a.length;
  }
  return out;
}

/** The columns of a wasm `SpanTable`, copied out, and the table freed. */
function takeTable(table) {
  try {
    return { count: table.count, numbers: table.numbers(), refs: table.refs(), strings: table.strings() };
  } finally {
    table.free();
  }
}

export { gazetteerToText, gazetteerToJson, toHtml, version };

// quipu-tagger: the JavaScript API. Hand-written; see README.md.

/** Options of `createTagger(options)`; every field is optional. */
export interface CreateTaggerOptions {
  /**
   * Where `quipu_wasm_bg.wasm` is served from, when a bundler or a server moved it (default:
   * next to `pkg/quipu_wasm.js`, `new URL("quipu_wasm_bg.wasm", import.meta.url)`). The
   * wasm is instantiated once per page (or worker): only the first call's URL counts.
   */
  wasmUrl?: string | URL;
  /** Start from the default gazetteer (default `true`): `dist/default-gazetteer.js`, imported on first use. */
  defaultGazetteer?: boolean;
  /** Context rules for names no gazetteer knows: titles, first names, keywords (default `true`). */
  rules?: boolean;
  /** Link later mentions (a surname alone, an acronym) to names found earlier (default `true`). */
  linking?: boolean;
  /** Tag only entities of these types, e.g. `["PERSON", "PLACE"]` (default: all types). */
  types?: string[];
  /** Gazetteers to add after the default one, in order. */
  gazetteers?: GazetteerSource[];
}

/** A gazetteer as text: the text format (`id | TYPE | name | aliases | options`) or JSON. */
export interface GazetteerSource {
  /** A name for error messages (a file name, say); its extension guesses the format. */
  name: string;
  content: string;
  /** `"text"` or `"json"`; guessed from `name`, then from the first character, when absent. */
  format?: GazetteerFormat;
}

export type GazetteerFormat = "text" | "json";

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
  /** `PERSON`, `PLACE`, `INSTITUTION` or a label of a gazetteer's. */
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

/** A tagger. Methods are synchronous once it is created. */
export declare class QuipuTagger {
  private constructor();
  /**
   * Every mention in `text`: sorted, never overlapping, with UTF-16 offsets for JavaScript
   * strings (`text.slice(s.utf16_start, s.utf16_end) === s.text`). With context rules and
   * linking off, a big text goes to the wasm piece by piece (about 4 MiB each, cut where the
   * core cuts) through one buffer, so the wasm memory holds one piece and its spans at a
   * time; the spans are those of one call. With either on, the text goes in whole (linking
   * reads the whole document).
   */
  tag(text: string): Span[];
  /**
   * Tags a big text piece by piece (cut at paragraph breaks, about `pieceSize` UTF-16 code
   * units each), calling `onProgress(done, total)`; the spans have whole-text offsets.
   */
  tagInPieces(text: string, options?: { pieceSize?: number; onProgress?: (done: number, total: number) => void }): Span[];
  /**
   * The spans of `tag(text)` in columns, as the wasm returns them (no object per span):
   * `unpackSpans(packed, text)` gives the `Span` objects. For transfers (`postMessage` with
   * `numbers.buffer` and `refs.buffer`) and for code that only needs some fields.
   */
  tagPacked(text: string): PackedSpans;
  /** `tagInPieces`, its spans packed as `tagPacked` returns them. */
  tagPackedInPieces(text: string, options?: { pieceSize?: number; onProgress?: (done: number, total: number) => void }): PackedSpans;
  /**
   * Adds a gazetteer: a string in the text format or JSON (`{"entities": [...]}` or an
   * array), or a JSON value. The format is guessed from `name` and the content when absent.
   * Throws an `Error` with the core's message (`mine.gaz:3: missing column ...`); the tagger
   * is then unchanged.
   */
  addGazetteer(textOrJson: string | object, options?: { name?: string; format?: GazetteerFormat }): void;
  addGazetteer(gazetteer: GazetteerSource): void;
  /** Removes every gazetteer added (the default one stays, if it was on). */
  clearGazetteers(): void;
  /** The entity with this id (of any gazetteer), or `undefined`. */
  entity(id: string): Entity | undefined;
  /** The entities with these ids, in one call: an `Entity`, or `null` for an unknown id. */
  entitiesById(ids: string[]): (Entity | null)[];
  /** Counts of entities (per type), aliases and patterns. */
  stats(): Stats;
  /** Frees the wasm memory of this tagger; it cannot be used afterwards. */
  free(): void;
}

/** Instantiates the wasm (once), then builds a tagger. */
export declare function createTagger(options?: CreateTaggerOptions): Promise<QuipuTagger>;
/** Instantiates the wasm once; later calls return the same promise, whatever their URL. */
export declare function initWasm(wasmUrl?: string | URL | WebAssembly.Module | BufferSource | Promise<BufferSource> | Response | Promise<Response>): Promise<unknown>;
/** Guesses a gazetteer's format from its name, then from its first character. */
export declare function gazetteerFormat(name: string, content: string): GazetteerFormat;
/** Converts a gazetteer to the text format (checking it: errors carry the core's message). */
export declare function gazetteerToText(source: string, content: string, format: GazetteerFormat): string;
/** Converts a gazetteer to the JSON format (`{"entities": [...]}`). */
export declare function gazetteerToJson(source: string, content: string, format: GazetteerFormat): string;
/** A standalone HTML page showing `text` with `spans` highlighted (the CLI's `--format html`). */
export declare function toHtml(title: string, text: string, spans: Span[]): string;
/** The version of Quipu (the Rust core). */
export declare function version(): string;

export { createWorkerTagger } from "./worker.js";
export type { WorkerTagger, WorkerTaggerOptions, WorkerProgress } from "./worker.js";
export { QuipuHighlighter, defineQuipuHighlighter, renderMarks } from "./element.js";
export type { QuipuEntitiesEvent, QuipuEntitiesDetail, QuipuErrorEvent } from "./element.js";

// Rendering and export helpers (used by the Quipu browser page).

/** The built-in types, in legend order. */
export declare const BUILT_IN_TYPES: readonly ["PERSON", "PLACE", "INSTITUTION"];
/**
 * Renders `text` with `spans` into `container` as `<mark data-entity-type data-entity-id
 * data-source>` elements, in parts of about `partSize` code units added in slices so that
 * the page stays responsive. Resolves to the marks, in span order.
 */
export declare function renderHighlights(
  container: HTMLElement,
  text: string,
  spans: Span[],
  options?: { partSize?: number; onProgress?: (done: number, total: number) => void; signal?: AbortSignal; markClass?: string; partClass?: string },
): Promise<HTMLElement[]>;
/** Spans grouped by entity id, with counts, in order of first mention. */
export declare function groupEntities(spans: Span[]): {
  id: string; type: string; name: string; count: number; first: number;
  mentions: number[]; texts: Map<string, number>; sources: Set<string>;
}[];
/** The command line's JSON for one document: `{"path", "entities"}`. */
export declare function toJson(path: string, spans: Span[]): string;
/** CSV (RFC 4180) of the spans, one per row, with a header row (`CSV_COLUMNS`). */
export declare function toCsv(doc: string, spans: Span[]): string;
export declare const CSV_COLUMNS: readonly string[];
/** Offers `content` as a file download through a `blob:` URL. */
export declare function download(filename: string, content: string, type: string): void;
/** Cuts `text` at paragraph breaks into pieces of about `target` UTF-16 code units. */
export declare function splitAtParagraphs(text: string, target?: number): { text: string; utf16: number }[];
/** Shifts spans found in a piece by the piece's offsets in the whole text (in place). */
export declare function shiftSpans(spans: Span[], at: { utf16: number; chars: number; bytes: number }): Span[];
/** Code points and UTF-8 bytes in `s`. */
export declare function measure(s: string): { chars: number; bytes: number };
/**
 * Spans in columns: `numbers` has six per span (`start, end, byte_start, byte_end,
 * utf16_start, utf16_end`), `refs` four (indices into `strings` of `type, id, name,
 * source`); `text` is left out (the document's slice at the UTF-16 offsets). `packSpans`
 * makes `Int32Array`s, `tagPacked` `Uint32Array`s.
 */
export interface PackedSpans { count: number; numbers: Int32Array | Uint32Array; refs: Int32Array | Uint32Array; strings: string[] }
/** Packs spans for `postMessage` (typed arrays and a string table). */
export declare function packSpans(spans: Span[]): PackedSpans;
/** Unpacks `packSpans`' result; `text` is the document the spans are in. */
export declare function unpackSpans(packed: PackedSpans, text: string): Span[];

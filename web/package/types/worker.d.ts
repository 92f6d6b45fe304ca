// quipu-tagger/worker: the tagger in a Web Worker, for big texts. Hand-written.

import type { Entity, GazetteerSource, Span, Stats } from "./index.js";

export interface WorkerTaggerOptions {
  /**
   * The worker script (`quipu-tagger/worker-script`, i.e. `src/worker.js`), when a bundler
   * does not handle `new Worker(new URL("./worker.js", import.meta.url))` itself.
   */
  workerUrl?: string | URL;
  /**
   * A worker started already (from `quipu-tagger/worker-script`), to talk to instead of
   * starting one: a page can start it first thing, before its modules load. Its replies to
   * requests with an `id` of 0 or below are left to whoever sent them.
   */
  worker?: Worker;
}

export interface WorkerProgress {
  phase: "tagging";
  /** UTF-16 code units done. */
  done: number;
  total: number;
}

export interface WorkerTagger {
  /**
   * Builds (or rebuilds) the tagger in the worker. Gazetteers with errors are skipped and
   * reported in `errors`.
   */
  init(args?: {
    options?: { defaultGazetteer?: boolean; rules?: boolean; linking?: boolean; types?: string[] };
    gazetteers?: GazetteerSource[];
    /** Where the `.wasm` file is, resolved by the worker (pass an absolute URL). */
    wasmUrl?: string;
    /**
     * The wasm, compiled already by the page (`WebAssembly.compileStreaming`): the worker
     * instantiates it instead of fetching it. Only the first `init` of a worker uses it.
     */
    wasmModule?: WebAssembly.Module;

    /**
     * The default gazetteer's texts, loaded already by the page (the `DEFAULT_GAZETTEER` of
     * `quipu-tagger`'s `dist/default-gazetteer.js`): the worker does not import them again.
     */
    defaultGazetteer?: GazetteerSource[];
  }): Promise<{ stats: Stats; errors: { name: string; message: string }[] }>;
  /**
   * Tags `text` in pieces of about a million characters cut at blank lines (the spans have
   * whole-text UTF-16 offsets); `entities` maps each id found to its entity.
   */
  tag(text: string, onProgress?: (p: WorkerProgress) => void): Promise<{ spans: Span[]; entities: Record<string, Entity | null> }>;
  /** The standalone HTML page of the CLI's `--format html`. */
  html(title: string, text: string, spans: Span[]): Promise<string>;
  /** Gazetteers converted to the text format, one after another. */
  gazText(gazetteers: GazetteerSource[]): Promise<string>;
  /** Stops the worker. */
  terminate(): void;
}

/** Starts a tagging worker. */
export declare function createWorkerTagger(options?: WorkerTaggerOptions): WorkerTagger;

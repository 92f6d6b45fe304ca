// quipu-tagger/inline: the main entry's API with the wasm inlined (no .wasm file fetched).

export * from "./index.js";
import type { CreateTaggerOptions, QuipuTagger } from "./index.js";
import type { QuipuHighlighter } from "./element.js";

/** `createTagger` on the inlined wasm; `wasmUrl` is ignored. */
export declare function createTagger(options?: Omit<CreateTaggerOptions, "wasmUrl">): Promise<QuipuTagger>;
/** Instantiates the inlined wasm once (call it before anything loads the wasm by URL). */
export declare function initWasm(): Promise<unknown>;
/** The wasm's bytes (decompressed with DecompressionStream). */
export declare function inlineWasmBytes(): Promise<ArrayBuffer>;
/** Registers `<quipu-highlighter>` (or `name`); its elements use the inlined wasm. */
export declare function defineQuipuHighlighter(name?: string): typeof QuipuHighlighter;

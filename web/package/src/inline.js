// quipu-tagger/inline: the same API, with the wasm inlined (gzip, base64) in a JavaScript
// module, for bundlers and hosts that lose or cannot serve the `.wasm` file. No request is
// made for the wasm; it is decompressed with the browser's DecompressionStream.
//
//   import { createTagger } from "quipu-tagger/inline";
//   const tagger = await createTagger();

import { WASM_GZIP_BASE64, WASM_BYTES } from "../dist/wasm-inline.js";
import { createTagger as createTaggerFrom, defaultGazetteerTexts, initWasm as initWasmFrom } from "./tagger.js";
import { defineQuipuHighlighter as define } from "./highlighter.js";

export * from "./index.js";

function base64ToBytes(b64) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The wasm's bytes, decompressed. */
export async function inlineWasmBytes() {
  if (typeof DecompressionStream !== "function") {
    throw new Error("quipu-tagger/inline needs DecompressionStream (Chrome 80, Firefox 113, Safari 16.4, Node 18)");
  }
  const stream = new Blob([base64ToBytes(WASM_GZIP_BASE64)]).stream().pipeThrough(new DecompressionStream("gzip"));
  const bytes = await new Response(stream).arrayBuffer();
  if (bytes.byteLength !== WASM_BYTES) throw new Error("quipu-tagger/inline: the inlined wasm is damaged");
  return bytes;
}

/**
 * Instantiates the inlined wasm (once; later calls, and the other entries' calls, reuse it).
 * Call it before anything else loads the wasm from its URL.
 */
let inlined = null;
export function initWasm() {
  if (!inlined) inlined = initWasmFrom(inlineWasmBytes());
  return inlined;
}

/** `createTagger(options)` of the main entry, on the inlined wasm (`wasmUrl` is ignored). */
export async function createTagger(options = {}) {
  if (options.defaultGazetteer !== false) defaultGazetteerTexts(); // beside the wasm, not after
  await initWasm();
  const { wasmUrl: _ignored, ...rest } = options;
  return createTaggerFrom(rest);
}

/** Registers `<quipu-highlighter>` (or `name`), its elements using the inlined wasm. */
export function defineQuipuHighlighter(name) {
  initWasm().catch(() => {}); // the elements report failures as quipu-error events
  return define(name);
}

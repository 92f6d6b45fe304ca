// Checks that a bound and optimised wasm works: loads it in Node and tags a sentence.
// Usage: node check-wasm.mjs path/to/quipu_wasm.js path/to/quipu_wasm_bg.wasm
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const [js, wasm] = process.argv.slice(2);
const { initSync, Tagger } = await import(pathToFileURL(resolve(js)).href);
initSync({ module: readFileSync(wasm) });
const tagger = new Tagger({ defaultGazetteer: false });
tagger.addGazetteerText("check.gaz", "lima | PLACE | Lima");
const text = "😀 Café in Lima";
const spans = tagger.tag(text);
if (spans.length !== 1 || text.slice(spans[0].utf16_start, spans[0].utf16_end) !== "Lima") {
  console.error("check-wasm: unexpected spans", JSON.stringify(spans));
  process.exit(1);
}

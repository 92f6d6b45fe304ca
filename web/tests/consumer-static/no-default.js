// A consumer that never uses the default gazetteer: createTagger({ defaultGazetteer: false })
// and an element with default-gazetteer="false".
import { createTagger } from "./quipu-tagger/src/index.js";
import "./quipu-tagger/src/element.js";

window.quipuEvents = [];
document.addEventListener("quipu-entities", (e) => window.quipuEvents.push({ id: e.target.id, entities: e.detail.entities }));
const tagger = await createTagger({ defaultGazetteer: false, gazetteers: [{ name: "mine.gaz", content: "kenna | PERSON | Lisa Kenna | Kenna" }] });
let error = null;
try {
  // Asking the wasm directly for the default gazetteer it was never given fails clearly.
  const { Tagger } = await import("./quipu-tagger/pkg/quipu_wasm.js");
  new Tagger();
} catch (e) {
  error = String(e.message);
}
window.result = { spans: tagger.tag("Kenna met Fujimori in Lima.").map((s) => s.text), stats: tagger.stats(), error };

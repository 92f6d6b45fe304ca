// A consumer of quipu-tagger/inline: the wasm comes inlined in the JavaScript.
import { createTagger, defineQuipuHighlighter, version } from "quipu-tagger/inline";

window.quipuEvents = [];
document.addEventListener("quipu-entities", (e) => window.quipuEvents.push({ id: e.target.id, entities: e.detail.entities }));
defineQuipuHighlighter();
window.quipu = { entry: "inline", createTagger, version };

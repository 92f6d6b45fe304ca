// A consumer of quipu-tagger with no bundler: plain module imports of the package's files.
import { createTagger, version } from "./quipu-tagger/src/index.js";
import "./quipu-tagger/src/element.js";
import { createWorkerTagger } from "./quipu-tagger/src/worker-client.js";

window.quipuEvents = [];
document.addEventListener("quipu-entities", (e) => window.quipuEvents.push({ id: e.target.id, entities: e.detail.entities }));
window.quipu = { entry: "static", createTagger, createWorkerTagger, version };

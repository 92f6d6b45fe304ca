// A consumer of quipu-tagger: the main entry, the custom element and the worker entry.
import { createTagger, version } from "quipu-tagger";
import "quipu-tagger/element";
import { createWorkerTagger } from "quipu-tagger/worker";

window.quipuEvents = [];
document.addEventListener("quipu-entities", (e) => window.quipuEvents.push({ id: e.target.id, entities: e.detail.entities }));
window.quipu = { entry: "main", createTagger, createWorkerTagger, version };

// Starts the tagging worker as soon as the page starts, before the rest of the page's code
// has loaded: this module's imports are few (index.html loads it on its own, `async`), so the
// worker fetches the wasm and the default gazetteer and builds the tagger while app.js and its
// imports are still arriving. app.js picks up the worker and its first build from here.

import { createWorkerTagger } from "../package/src/worker-client.js";

export const STORE_KEY = "quipu.gazetteer.v1";
export const SETTINGS_KEY = "quipu.settings.v1";
export const MY_ENTITIES = "my-entities.json";

/** The user's gazetteer, in localStorage: uploaded files and entries made on the page. */
export function loadGazetteer() {
  try {
    const g = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
    if (g && Array.isArray(g.files) && Array.isArray(g.records)) return g;
  } catch {
    /* a broken store starts afresh */
  }
  return { files: [], records: [] };
}

/** Context rules and linking: on unless switched off, kept in localStorage. */
export function loadSettings() {
  const settings = { rules: true, linking: true };
  try {
    const s = JSON.parse(localStorage.getItem(SETTINGS_KEY) || "null");
    if (s && typeof s.rules === "boolean") settings.rules = s.rules;
    if (s && typeof s.linking === "boolean") settings.linking = s.linking;
  } catch {
    /* a broken store: the defaults */
  }
  return settings;
}

/** The gazetteers given to the worker: the files uploaded, then the entries made here. */
export function gazetteerSources(gaz) {
  const sources = gaz.files.map((f) => ({ name: f.name, content: f.content, format: f.format }));
  if (gaz.records.length) {
    sources.push({ name: MY_ENTITIES, content: JSON.stringify({ entities: gaz.records }), format: "json" });
  }
  return sources;
}

/** The arguments of the worker's `init` for these settings and this gazetteer. */
export function initArgs(settings, gaz) {
  return { options: { rules: settings.rules, linking: settings.linking }, gazetteers: gazetteerSources(gaz) };
}

performance.mark("quipu:boot");
export const worker = createWorkerTagger();

/**
 * The first build, with what localStorage holds now: `{ args, result }` (a promise). While
 * the worker starts (a thread, its scripts), the page compiles the wasm and loads the
 * default gazetteer's module (index.html preloads both), and hands them over; should either
 * fail, the worker loads them itself.
 */
export const firstInit = (() => {
  const args = initArgs(loadSettings(), loadGazetteer());
  const wasmModule = WebAssembly.compileStreaming(fetch(new URL("../package/pkg/quipu_wasm_bg.wasm", import.meta.url)));
  const defaultGazetteer = import("../package/dist/default-gazetteer.js").then((m) => m.DEFAULT_GAZETTEER);
  const result = Promise.all([wasmModule, defaultGazetteer]).then(
    ([wasmModule, defaultGazetteer]) => {
      performance.mark("quipu:handed-over");
      return worker.init({ ...args, wasmModule, defaultGazetteer });
    },
    () => worker.init(args),
  );
  result.catch(() => {}); // reported by app.js, which awaits it
  return { args, result };
})();

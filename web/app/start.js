// The first script of the page, a classic one run while <head> is parsed: it starts the
// tagging worker and its first build before the page lays itself out and loads its modules,
// which keep the main thread busy for a few hundred milliseconds on a cold start.
//
//   - the worker (worker.js here, a classic script) downloads the wasm and the default
//     gazetteer as soon as it runs, and loads the package's worker meanwhile; it gets its
//     first `init` from here at once, with the settings and the user's gazetteer from
//     localStorage. Nothing of the wasm or the gazetteer runs on the page's thread.
//
// boot.js (a module) picks up the worker, the first build's promise and the helpers below
// from `globalThis.quipuStart`. Should anything here fail, boot.js starts the worker itself.

(() => {
  "use strict";
  const STORE_KEY = "quipu.gazetteer.v1";
  const SETTINGS_KEY = "quipu.settings.v1";
  const MY_ENTITIES = "my-entities.json";

  /** The user's gazetteer, in localStorage: uploaded files and entries made on the page. */
  function loadGazetteer() {
    try {
      const g = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
      if (g && Array.isArray(g.files) && Array.isArray(g.records)) return g;
    } catch {
      /* a broken store starts afresh */
    }
    return { files: [], records: [] };
  }

  /** Context rules and linking: on unless switched off, kept in localStorage. */
  function loadSettings() {
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
  function gazetteerSources(gaz) {
    const sources = gaz.files.map((f) => ({ name: f.name, content: f.content, format: f.format }));
    if (gaz.records.length) {
      sources.push({ name: MY_ENTITIES, content: JSON.stringify({ entities: gaz.records }), format: "json" });
    }
    return sources;
  }

  /** The arguments of the worker's `init` for these settings and this gazetteer. */
  function initArgs(settings, gaz) {
    return { options: { rules: settings.rules, linking: settings.linking }, gazetteers: gazetteerSources(gaz) };
  }

  const start = { STORE_KEY, SETTINGS_KEY, MY_ENTITIES, loadGazetteer, loadSettings, gazetteerSources, initArgs };
  globalThis.quipuStart = start;
  try {
    performance.mark("quipu:start");
    const here = document.currentScript.src;
    const worker = new Worker(new URL("worker.js", here));
    const args = initArgs(loadSettings(), loadGazetteer());
    // The first build: request 0 of the worker's protocol (worker-client.js numbers its own
    // from 1, and leaves this one to the listener here).
    const result = new Promise((resolve, reject) => {
      const onMessage = (event) => {
        const { id, ok, result, error, progress } = event.data || {};
        if (id !== 0 || progress) return;
        done();
        if (ok) resolve(result);
        else reject(new Error(error));
      };
      const onError = (event) => {
        done();
        reject(new Error(event.message || "the tagging worker failed"));
      };
      const done = () => {
        worker.removeEventListener("message", onMessage);
        worker.removeEventListener("error", onError);
      };
      worker.addEventListener("message", onMessage);
      worker.addEventListener("error", onError);
    });
    result.catch(() => {}); // reported by app.js, which awaits it
    worker.postMessage({ id: 0, op: "init", ...args });
    start.worker = worker;
    start.firstInit = { args, result };
  } catch {
    /* boot.js starts the worker */
  }
})();

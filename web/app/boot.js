// The page's side of the tagging worker that start.js (a classic script, run first) started
// with its first build: the client of ../package/src/worker-client.js over that worker, the
// first build's promise, and start.js's helpers for the user's gazetteer and settings. app.js
// imports them from here. Should start.js have failed, the worker is started here, as the
// package's worker entry would be, and builds with what it fetches itself.

import { createWorkerTagger } from "../package/src/worker-client.js";

const start = globalThis.quipuStart;
if (!start) throw new Error("start.js did not run: the page cannot start its tagger");

export const { STORE_KEY, SETTINGS_KEY, MY_ENTITIES, loadGazetteer, loadSettings, gazetteerSources, initArgs } = start;

performance.mark("quipu:boot");
/** The tagging worker's client. */
export const worker = start.worker ? createWorkerTagger({ worker: start.worker }) : createWorkerTagger({ worker: new Worker(new URL("worker.js", import.meta.url)) });

/**
 * The first build, with what localStorage held when the page started: `{ args, result }`
 * (`result` a promise).
 */
export const firstInit = start.firstInit || (() => {
  const args = initArgs(loadSettings(), loadGazetteer());
  const result = worker.init(args);
  result.catch(() => {}); // reported by app.js, which awaits it
  return { args, result };
})();

// The page's side of the worker: promises for each request, progress callbacks.

import { unpackSpans } from "./chunks.js";

/**
 * Starts the tagging worker, or talks to one started already (`worker`: a page may start it
 * before its modules load; requests numbered 0 or below are left to whoever sent them).
 * @param {{ workerUrl?: string | URL, worker?: Worker }} [o]
 */
export function createWorkerTagger({ workerUrl, worker: started } = {}) {
  // The literal `new Worker(new URL("./worker.js", import.meta.url), ...)` is the pattern that
  // bundlers (Vite, webpack 5, Parcel) recognise: they bundle the worker and its wasm.
  const worker = started
    ? started
    : workerUrl
      ? new Worker(workerUrl, { type: "module" })
      : new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  let next = 1;
  const pending = new Map();
  worker.onmessage = (event) => {
    const { id, progress, ok, result, error } = event.data;
    const p = pending.get(id);
    if (!p) return;
    if (progress) {
      if (p.onProgress) p.onProgress(progress);
      return;
    }
    pending.delete(id);
    if (ok) p.resolve(result);
    else p.reject(new Error(error));
  };
  worker.onerror = (event) => {
    for (const p of pending.values()) p.reject(new Error(event.message || "the tagging worker failed"));
    pending.clear();
  };
  const call = (op, args, onProgress) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject, onProgress });
      worker.postMessage({ id, op, ...args });
    });
  return {
    /** Builds the tagger: `{ options, gazetteers }` -> `{ stats, errors }`. */
    init: (args) => call("init", args),
    /** Tags `text` -> `{ spans, entities }`; `onProgress({ phase, done, total })`. */
    tag: (text, onProgress) =>
      call("tag", { text }, onProgress).then(({ spans, entities }) => ({ spans: unpackSpans(spans, text), entities })),
    /** The standalone HTML page of the command line's `--format html`. */
    html: (title, text, spans) => call("html", { title, text, spans }),
    /** Gazetteers (`{ name, content, format }`) in the text format, one after another. */
    gazText: (gazetteers) => call("gazText", { gazetteers }),
    terminate: () => worker.terminate(),
  };
}

// The page's tagging worker, a classic script: it starts downloading the wasm and the default
// tagger's snapshot the moment it runs, then loads the package's worker (../package/src/worker.js)
// and its modules, all requested at once rather than one level of imports after another (a
// module worker would run nothing until every import had arrived). The wasm is compiled as
// it arrives, meanwhile. The first build reads the snapshot of the default gazetteer's tagger
// (`provideDefaultTaggerSnapshot`) rather than parsing and building it. The gazetteer's module,
// fetched when a later build needs its texts, is read as data, by the wasm (its strings are
// JSON strings: compiling 2.5 MB of JavaScript and decoding the strings takes 100 ms or more;
// see `provideDefaultGazetteerModule`). Messages that come before the package's worker is
// loaded (start.js sends the first `init` at once) wait for it.

"use strict";

(() => {
  const early = [];
  self.onmessage = (event) => early.push(event);
  const at = (path) => new URL(path, self.location.href);
  // Compiled while the modules load (it needs none of them); instantiated once they have.
  const wasmUrl = at("../package/pkg/quipu_wasm_bg.wasm");
  const wasm = WebAssembly.compileStreaming(fetch(wasmUrl));
  const bytesOf = (path) =>
    fetch(at(path)).then((res) =>
      res.ok ? res.arrayBuffer().then((b) => new Uint8Array(b)) : Promise.reject(new Error(`HTTP ${res.status}`)),
    );
  // The first build reads the default tagger's snapshot; the gazetteer's texts are fetched
  // only when a build needs them (the user's own gazetteers, changed settings).
  const snapshot = bytesOf("../package/dist/default-tagger.bin");
  wasm.catch(() => {}); // then it is fetched again, below
  snapshot.catch(() => {}); // then the first build parses the texts
  Promise.all([
    import("../package/pkg/quipu_wasm.js"),
    import("../package/src/chunks.js"),
    import("../package/src/formats.js"),
    import("../package/src/tagger.js"),
    import("../package/src/utf8.js"),
    import("../package/src/worker.js"), // sets self.onmessage
  ]).then(
    ([, , , tagger]) => {
      // The first build uses them; should either fail, that one is loaded again the usual way.
      tagger.initWasm(wasm.catch(() => fetch(wasmUrl))).catch(() => {});
      tagger.provideDefaultTaggerSnapshot(snapshot);
      tagger.provideDefaultGazetteerModule(() => bytesOf("../package/dist/default-gazetteer.js"));
      for (const event of early.splice(0)) self.onmessage(event);
    },
    (e) => {
      const error = `the tagging worker could not load its modules: ${e && e.message ? e.message : e}`;
      for (const event of early.splice(0)) self.postMessage({ id: event.data && event.data.id, ok: false, error });
      self.onmessage = (event) => self.postMessage({ id: event.data && event.data.id, ok: false, error });
    },
  );
})();

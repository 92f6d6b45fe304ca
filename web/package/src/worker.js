// The tagger in a Web Worker, so that big documents keep the page responsive.
// Messages in: { id, op: "init" | "tag" | "html" | "gazText", ... }; out: { id, ok, result }
// or { id, ok: false, error }, and { id, progress: { phase, done, total } } while tagging.

import { createTagger, gazetteerFormat, gazetteerToText, provideDefaultGazetteerTexts, toHtml } from "./tagger.js";

globalThis.performance?.mark?.("quipu:worker-started"); // its imports are in (read by the benchmark)

/** @type {import("./tagger.js").QuipuTagger | null} */
let tagger = null;

// `wasmModule` and `defaultGazetteer`: what the page loaded already (the compiled wasm, the
// default gazetteer's texts), so that the worker need not fetch them once it has started.
async function build({ options = {}, gazetteers = [], wasmUrl, wasmModule, defaultGazetteer }) {
  if (tagger) tagger.free();
  tagger = null;
  if (defaultGazetteer) provideDefaultGazetteerTexts(defaultGazetteer);
  // Gazetteers to add: the default gazetteer's texts are needed to rebuild, so its
  // snapshot (when the page gave one) is not worth reading first.
  tagger = await createTagger({ ...options, wasmUrl: wasmModule || wasmUrl, useSnapshot: !gazetteers.length });
  const errors = [];
  for (const g of gazetteers) {
    try {
      tagger.addGazetteer(g);
    } catch (e) {
      errors.push({ name: g.name, message: String(e && e.message ? e.message : e) });
    }
  }
  const stats = tagger.stats();
  globalThis.performance?.mark?.("quipu:worker-answered"); // read by the benchmark
  return { stats, errors };
}

// Builds run one at a time, in the order their `init`s came: two at once (settings switched
// twice quickly) each made a tagger, and the worker kept whichever finished last, leaking the
// other. A build that a later `init` overtakes before it starts is skipped, and an overtaken
// `init` answers with the latest one's result: what the worker tags with once it is done.
let generation = 0;
let builds = Promise.resolve();
let latest = null;

function init(args) {
  const mine = ++generation;
  const built = builds.then(() => (mine === generation ? build(args) : null));
  builds = built.catch(() => {});
  // Overtaken: the answer of the latest `init`, which follows any later one in turn.
  const current = () => (mine === generation ? built : latest);
  latest = built.then(current, current);
  return latest;
}

const ops = {
  init,

  async tag({ text, pieceSize }, progress) {
    if (!tagger) throw new Error("the tagger is not initialised");
    progress("tagging", 0, text.length);
    // Packed from the wasm to the page: no object per span on this side.
    const spans = tagger.tagPackedInPieces(text, {
      pieceSize,
      onProgress: (done, total) => progress("tagging", done, total),
    });
    const idRefs = new Set();
    for (let k = 0; k < spans.count; k++) idRefs.add(spans.refs[k * 4 + 1]);
    const ids = [...idRefs].map((r) => spans.strings[r]);
    const found = tagger.entitiesById(ids);
    const entities = {};
    ids.forEach((id, i) => (entities[id] = found[i] ?? null));
    return { spans, entities };
  },

  async html({ title, text, spans }) {
    return toHtml(title, text, spans);
  },

  async gazText({ gazetteers }) {
    return gazetteers
      .map((g) => `# ${g.name.replace(/[\r\n]/g, " ")}\n` +
        gazetteerToText(g.name, g.content, g.format || gazetteerFormat(g.name, g.content)))
      .join("\n");
  },
};

self.onmessage = async (event) => {
  const { id, op, ...args } = event.data;
  const progress = (phase, done, total) => self.postMessage({ id, progress: { phase, done, total } });
  try {
    if (!(op in ops)) throw new Error(`unknown operation ${op}`);
    const result = await ops[op](args, progress);
    const transfer = result && result.spans && result.spans.numbers ? [result.spans.numbers.buffer, result.spans.refs.buffer] : [];
    self.postMessage({ id, ok: true, result }, transfer);
  } catch (e) {
    self.postMessage({ id, ok: false, error: String(e && e.message ? e.message : e) });
  }
};

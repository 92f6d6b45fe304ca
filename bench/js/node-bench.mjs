#!/usr/bin/env node
// The Node side of the benchmark suite (issue 8): for each gazetteer (small, default,
// large), Quipu's wasm through the quipu-tagger package, the bare aho-corasick wasm
// (bench/ac-wasm) and the npm packages ahocorasick and modern-ahocorasick; and compromise,
// with its own semantics and no gazetteer. Writes <dir>/results/node.json.
//
// Usage: node bench/js/node-bench.mjs <dir> [--quick] [--only quipu,ac-wasm,ahocorasick,modern,compromise]
//   <dir>    the data of `quipu-bench gen` (text.txt, text.folded.txt, *.patterns.txt,
//            small.gaz, large-cities.gaz, meta.json)
//   --quick  small slices of the text and short time limits: a smoke run
//
// Each measurement runs in a child process of its own: a fresh wasm instance (wasm memory
// never shrinks, so one gazetteer's peak would hide the next one's), a peak RSS of its own,
// and a time limit after which the child is killed and a row says so.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AC_WASM_DIR, RUNS, gazetteerFiles, log, mbps, median, parseArgs, readMeta, round, row,
  sliceBytes, utf8Bytes, writeResults,
} from "./lib.mjs";

const SELF = fileURLToPath(import.meta.url);
const RUNTIME_WASM = "node wasm";
const RUNTIME_JS = "node js";
const MEDIAN_NOTE = `median of ${RUNS} runs`;

// ---------------------------------------------------------------------------------------
// In the child: one measurement, its row printed on stdout as `ROW <json>` (several for a
// measurement that grows: the parent keeps the last).

const emit = (r) => process.stdout.write(`ROW ${JSON.stringify(r)}\n`);
const rssMb = () => round(process.resourceUsage().maxRSS / 1024, 1);

/**
 * Runs `fn` up to `runs` times and returns the median time in ms and the last result; stops
 * repeating once one run takes longer than `capMs` (the note says how many runs there were).
 */
function timed(fn, { runs = RUNS, capMs = Infinity } = {}) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    result = undefined; // let the previous result go before the next run
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
    if (times.at(-1) > capMs) break;
  }
  return { ms: median(times), runs: times.length, times, result };
}

async function timedAsync(fn, { runs = RUNS } = {}) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn(result);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), runs: times.length, times, result };
}

const runsNote = (n) => (n === RUNS ? MEDIAN_NOTE : `${n} run${n > 1 ? "s" : ""} (one run took long)`);

function readText(job, name) {
  const buf = readFileSync(join(job.dir, name));
  return job.textBytes ? sliceBytes(buf, job.textBytes) : buf.toString("utf8");
}

const patternsOf = (job) => readFileSync(join(job.dir, `${job.gazetteer}.patterns.txt`), "utf8");
const patternList = (text) => text.split("\n").map((l) => l.replace(/\r$/, "")).filter(Boolean);

const CHILD = {
  /** Quipu's wasm through the package's public API, rules and linking off. */
  async quipu(job) {
    const { createTagger, initWasm } = await import("quipu-tagger/inline");
    // initWasm resolves to the wasm's exports (wasm-bindgen's init); its memory, if there,
    // gives the linear memory's size, which only grows: its peak.
    const wasm = await initWasm().catch(() => null);
    const { defaultGazetteer, files } = gazetteerFiles(job.dir, job.gazetteer);
    const gazetteers = files.map((f) => ({ name: f, content: readFileSync(join(job.dir, f), "utf8") }));
    const text = readText(job, "text.txt");
    const bytes = utf8Bytes(text);
    log(`quipu ${job.gazetteer}: building (${RUNS}×)`);
    let firstBuildMemory; // the wasm memory once the first tagger is built: before any tagging
    const build = await timedAsync(async (prev) => {
      prev?.free();
      // The gazetteers in the options: one build with the default gazetteer.
      const tagger = await createTagger({ defaultGazetteer, rules: false, linking: false, gazetteers });
      firstBuildMemory ??= wasm?.memory?.buffer?.byteLength;
      return tagger;
    });
    const tagger = build.result;
    const stats = tagger.stats();
    log(`quipu ${job.gazetteer}: built in ${round(build.ms)} ms; tagging ${bytes} bytes (${RUNS}×)`);
    const tag = timed(() => tagger.tag(text).length);
    const memory = wasm?.memory?.buffer?.byteLength;
    emit(row({
      engine: "quipu",
      runtime: RUNTIME_WASM,
      gazetteer: job.gazetteer,
      patterns: stats.patterns,
      build_ms: round(build.ms),
      build_runs_ms: build.times.map((x) => round(x)),
      bytes,
      tag_ms: round(tag.ms),
      mb_per_s: mbps(bytes, tag.ms),
      matches: tag.result,
      peak_mb: memory ? round(memory / 1e6, 1) : null,
      build_peak_mb: firstBuildMemory ? round(firstBuildMemory / 1e6, 1) : null,
      rss_peak_mb: rssMb(),
      note:
        `quipu-tagger/inline in Node: createTagger({ rules: false, linking: false, gazetteers }) ` +
        `(build_ms: the whole call, one build of the default gazetteer and the gazetteer files given; build_runs_ms: the first run also loads the package's default gazetteer, if it does so lazily); tag(text) over the original text, ` +
        `spans returned as JS objects; ${runsNote(tag.runs)}; ` +
        (memory ? "peak_mb = the wasm linear memory at the end (it never shrinks: its peak over builds and tagging), build_peak_mb = the same after the first build, rss_peak_mb = the Node process's peak RSS" : "peak_mb: wasm memory not reachable through the package"),
    }));
  },

  /** The bare aho-corasick wasm (bench/ac-wasm) over the folded text. */
  async "ac-wasm"(job) {
    const { initSync, Searcher, Haystack } = await import(join(AC_WASM_DIR, "ac_wasm.js"));
    const wasm = initSync({ module: readFileSync(join(AC_WASM_DIR, "ac_wasm_bg.wasm")) });
    const patterns = patternsOf(job);
    const folded = readText(job, "text.folded.txt");
    const foldedBytes = utf8Bytes(folded);
    log(`ac-wasm ${job.gazetteer}: building (${RUNS}×)`);
    const build = timed(() => new Searcher(patterns));
    const searcher = build.result;
    const t0 = performance.now();
    const hay = new Haystack(folded);
    const copyMs = performance.now() - t0;
    log(`ac-wasm ${job.gazetteer}: ${searcher.patterns} patterns (${searcher.kind}) built in ${round(build.ms)} ms; searching`);
    const search = timed(() => searcher.count(hay));
    // Throughput in bytes of the original text when the whole folded text was searched (as
    // the native ceiling reports it); of the folded slice otherwise.
    const bytes = job.textBytes ? foldedBytes : job.originalBytes;
    emit(row({
      engine: "aho-corasick (bare)",
      runtime: RUNTIME_WASM,
      gazetteer: job.gazetteer,
      patterns: searcher.patterns,
      build_ms: round(build.ms),
      bytes,
      tag_ms: round(search.ms),
      mb_per_s: mbps(bytes, search.ms),
      matches: search.result,
      peak_mb: round(wasm.memory.buffer.byteLength / 1e6, 1),
      rss_peak_mb: rssMb(),
      automaton: searcher.kind,
      automaton_mb: round(searcher.memoryUsage / 1e6, 1),
      copy_ms: round(copyMs),
      note:
        `bench/ac-wasm: find_iter(..).count() over ${job.textBytes ? `a ${foldedBytes}-byte slice of ` : ""}` +
        `the folded text (${foldedBytes} bytes) already copied into wasm memory (copy_ms, not in tag_ms); ` +
        `LeftmostLongest, StartKind::Unanchored, ${searcher.kind}; ${job.textBytes ? "bytes = the folded slice" : "throughput in bytes of the original text"}; ` +
        `${runsNote(search.runs)}; peak_mb = the wasm linear memory`,
    }));
  },

  /** npm ahocorasick: all overlapping matches, case-sensitive, on a slice of the folded text. */
  async ahocorasick(job) {
    const { createRequire } = await import("node:module");
    const AhoCorasick = createRequire(import.meta.url)("ahocorasick");
    const patterns = patternList(patternsOf(job));
    const text = readText(job, "text.folded.txt");
    const bytes = utf8Bytes(text);
    log(`ahocorasick ${job.gazetteer}: building with ${patterns.length} patterns`);
    const build = timed(() => new AhoCorasick(patterns), { capMs: 20000 });
    const ac = build.result;
    log(`ahocorasick ${job.gazetteer}: built in ${round(build.ms)} ms; searching ${bytes} bytes`);
    const search = timed(() => {
      let n = 0;
      for (const [, found] of ac.search(text)) n += found.length;
      return n;
    }, { capMs: 20000 });
    emit(row({
      engine: "ahocorasick (npm)",
      runtime: RUNTIME_JS,
      gazetteer: job.gazetteer,
      patterns: patterns.length,
      build_ms: round(build.ms),
      bytes,
      tag_ms: round(search.ms),
      mb_per_s: mbps(bytes, search.ms),
      matches: search.result,
      peak_mb: rssMb(),
      note:
        `ahocorasick 1.0.2: search() over the first ${bytes} bytes of the folded text with the folded patterns; ` +
        `its semantics: every overlapping match, case-sensitive, no word boundaries (matches not comparable with ` +
        `leftmost-longest counts); build ${runsNote(build.runs)}, search ${runsNote(search.runs)}; peak_mb = the Node process's peak RSS`,
    }));
  },

  /**
   * npm modern-ahocorasick: `count()` (every overlapping match) over growing slices of the
   * folded text, until a run takes more than the limit; the row is the largest slice.
   */
  async modern(job) {
    const { default: AhoCorasick } = await import("modern-ahocorasick");
    const patterns = patternList(patternsOf(job));
    const buf = readFileSync(join(job.dir, "text.folded.txt"));
    log(`modern-ahocorasick ${job.gazetteer}: building with ${patterns.length} patterns`);
    const build = timed(() => new AhoCorasick(patterns), { capMs: 20000 });
    const ac = build.result;
    log(`modern-ahocorasick ${job.gazetteer}: built in ${round(build.ms)} ms`);
    const curve = [];
    for (const size of job.sizes) {
      const text = sliceBytes(buf, size);
      const bytes = utf8Bytes(text);
      const search = timed(() => ac.count(text), { capMs: 1000 });
      curve.push({ bytes, ms: round(search.ms), mb_per_s: mbps(bytes, search.ms) });
      log(`modern-ahocorasick ${job.gazetteer}: ${bytes} bytes in ${round(search.ms)} ms`);
      emit(row({
        engine: "modern-ahocorasick (npm)",
        runtime: RUNTIME_JS,
        gazetteer: job.gazetteer,
        patterns: patterns.length,
        build_ms: round(build.ms),
        bytes,
        tag_ms: round(search.ms),
        mb_per_s: mbps(bytes, search.ms),
        matches: search.result,
        peak_mb: rssMb(),
        curve,
        note:
          `modern-ahocorasick 3.3.0: count() over slices of the folded text, growing until a run would take over ` +
          `${job.limitMs / 1000} s or the square law puts the next one past that (its time grows at least as the square of the text) ` +
          `(curve: every slice); this row is the largest slice; its semantics: every overlapping ` +
          `match, case-sensitive, on grapheme boundaries; build ${runsNote(build.runs)}, search ${runsNote(search.runs)}` +
          `; peak_mb = the Node process's peak RSS`,
      }));
      // Its time grows faster than the text (at least as its square: 50 KB to 100 KB went
      // from under 2 s to 55 s in a trial): skip a slice whose run the square law puts past
      // the limit.
      const next = job.sizes[job.sizes.indexOf(size) + 1];
      const predicted = next ? search.ms * (next / bytes) ** 2 : Infinity;
      if (search.ms > job.limitMs || predicted > job.limitMs || bytes >= buf.length) break;
    }
  },

  /** compromise: its own people, places and organizations, no gazetteer. */
  async compromise(job) {
    const { default: nlp } = await import("compromise");
    const text = readText(job, "text.txt");
    const bytes = utf8Bytes(text);
    log(`compromise: ${bytes} bytes`);
    const run = timed(() => {
      const doc = nlp(text);
      return { people: doc.people().length, places: doc.places().length, organizations: doc.organizations().length };
    }, { capMs: 30000 });
    const c = run.result;
    emit(row({
      engine: "compromise (npm)",
      runtime: RUNTIME_JS,
      gazetteer: null,
      bytes,
      tag_ms: round(run.ms),
      mb_per_s: mbps(bytes, run.ms),
      matches: c.people + c.places + c.organizations,
      ...c,
      peak_mb: rssMb(),
      note:
        `compromise 14.17.0: nlp(text) then .people(), .places(), .organizations() over the first ${bytes} bytes ` +
        `of the original text; its own lexicon and rules, no gazetteer; ${runsNote(run.runs)}; peak_mb = the Node process's peak RSS`,
    }));
  },
};

// ---------------------------------------------------------------------------------------
// In the parent: the jobs, each in a child process with a time limit.

// The child under way, killed with the parent (a stopped suite leaves nothing running).
let current = null;
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    current?.kill("SIGKILL");
    process.exit(130);
  });
}

function runChild(job, timeoutMs) {
  return new Promise((resolve) => {
    const child = (current = spawn(process.execPath, ["--max-old-space-size=8192", SELF, "--child", JSON.stringify(job)], {
      stdio: ["ignore", "pipe", "pipe"],
    }));
    let last = null;
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      let i;
      while ((i = out.indexOf("\n")) >= 0) {
        const line = out.slice(0, i);
        out = out.slice(i + 1);
        if (line.startsWith("ROW ")) last = JSON.parse(line.slice(4));
      }
    });
    child.stderr.on("data", (d) => {
      err = (err + d).slice(-4000);
      process.stderr.write(d);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      current = null;
      resolve({ last, code, signal, timedOut, err });
    });
  });
}

const ENGINE_NAMES = {
  quipu: ["quipu", RUNTIME_WASM],
  "ac-wasm": ["aho-corasick (bare)", RUNTIME_WASM],
  ahocorasick: ["ahocorasick (npm)", RUNTIME_JS],
  modern: ["modern-ahocorasick (npm)", RUNTIME_JS],
  compromise: ["compromise (npm)", RUNTIME_JS],
};

async function main() {
  const { dir, quick, only, gazetteers } = parseArgs(process.argv, "usage: node bench/js/node-bench.mjs <dir> [--quick] [--only quipu,ac-wasm,ahocorasick,modern,compromise] [--gazetteers small,default,large]");
  const meta = readMeta(dir);
  const originalBytes = meta.text_bytes;
  const base = { dir, originalBytes };
  const jobs = [];
  for (const gazetteer of gazetteers) {
    // Quipu and the wasm ceiling: the whole text (a slice in quick runs).
    jobs.push({ ...base, engine: "quipu", gazetteer, textBytes: quick ? 2e6 : null, timeoutMs: quick ? 300e3 : 900e3 });
    jobs.push({ ...base, engine: "ac-wasm", gazetteer, textBytes: quick ? 2e6 : null, timeoutMs: quick ? 300e3 : 600e3 });
    // The JavaScript matchers are slow: slices sized for a few seconds a run.
    jobs.push({ ...base, engine: "ahocorasick", gazetteer, textBytes: quick ? 200e3 : 5e6, timeoutMs: quick ? 120e3 : 300e3 });
    jobs.push({
      ...base, engine: "modern", gazetteer, timeoutMs: quick ? 120e3 : 300e3, limitMs: quick ? 300 : 3000,
      // Small steps: the square law is only a guide, and a step too far costs a minute.
      sizes: quick ? [10e3, 20e3] : [10e3, 20e3, 30e3, 50e3, 70e3, 100e3, 150e3, 250e3, 500e3, 1e6, 2e6, 5e6, 10e6, 20e6, 50e6, 100e6],
    });
  }
  jobs.push({ ...base, engine: "compromise", gazetteer: null, textBytes: quick ? 50e3 : 1e6, timeoutMs: quick ? 120e3 : 600e3 });

  const rows = [];
  for (const job of jobs) {
    if (only && !only.has(job.engine)) continue;
    log(`== ${job.engine} ${job.gazetteer ?? ""}`);
    const t0 = performance.now();
    const r = await runChild(job, job.timeoutMs);
    const secs = round((performance.now() - t0) / 1000, 1);
    const [engine, runtime] = ENGINE_NAMES[job.engine];
    if (r.last && !r.timedOut && r.code === 0) {
      rows.push(r.last);
    } else {
      const why = r.timedOut
        ? `killed after the ${job.timeoutMs / 1000} s limit`
        : `the child failed (exit ${r.code ?? r.signal}): ${r.err.trim().split("\n").slice(-3).join(" / ")}`;
      // A growing measurement keeps its last finished slice; anything else has no figure.
      const kept = r.last ? { ...r.last, note: `${r.last.note}; then ${why} on the next slice` } : null;
      rows.push(kept ?? row({ engine, runtime, gazetteer: job.gazetteer, note: `not measured: ${why}` }));
    }
    log(`   ${secs} s: ${JSON.stringify({ build_ms: rows.at(-1).build_ms, tag_ms: rows.at(-1).tag_ms, mb_per_s: rows.at(-1).mb_per_s, matches: rows.at(-1).matches })}`);
  }
  const out = writeResults(dir, "node", rows);
  log(`wrote ${out} (${rows.length} rows)`);
}

if (process.argv[2] === "--child") {
  const job = JSON.parse(process.argv[3]);
  CHILD[job.engine](job).then(
    () => process.exit(0),
    (e) => {
      console.error(e?.stack || String(e));
      process.exit(1);
    },
  );
} else {
  main().catch((e) => {
    console.error(e?.stack || String(e));
    process.exit(1);
  });
}

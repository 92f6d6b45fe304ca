#!/usr/bin/env node
// The browser side of the benchmark suite (issue 8), in Debian's headless chromium through
// playwright-core:
//   - the Quipu page (web/app, served by web/serve.mjs as the browser tests do): time from
//     navigation start to ready (wasm and default gazetteer loaded), and to tag and render
//     1 MB of text.txt pasted into it;
//   - Quipu's wasm (the quipu-tagger package, main entry) and the bare aho-corasick wasm
//     (bench/ac-wasm) in a page: build and search times for each gazetteer, so that wasm in
//     chromium can be compared with native.
// Writes <dir>/results/browser.json.
//
// Usage: node bench/js/browser-bench.mjs <dir> [--quick] [--only page,quipu,ac-wasm]
// Needs scripts/build-wasm (and build-package) and bench/build-ac-wasm to have run.
// CHROMIUM=/path/to/chromium overrides /usr/bin/chromium.

import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { readFileSync, statSync } from "node:fs";
import { extname, join, normalize, sep } from "node:path";
import { chromium } from "playwright-core";
import {
  AC_WASM_DIR, ROOT, RUNS, gazetteerFiles, log, mbps, median, packageDir, parseArgs, readMeta,
  round, row, sliceBytes, utf8Bytes, writeResults,
} from "./lib.mjs";

const RUNTIME = "chromium wasm";
const MEDIAN_NOTE = `median of ${RUNS} runs`;

async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Rejects after `ms`, so that a stuck page cannot hang the suite. */
function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------
// A static server for the in-page measurements: the package, the ac-wasm build and the data.

const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".html": "text/html" };

function startDataServer(dir) {
  const mounts = { "/pkg/": packageDir(), "/ac/": AC_WASM_DIR, "/data/": dir };
  const slices = new Map(); // "file bytes" -> the slice, cut once
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname === "/") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end("<!doctype html><title>quipu bench</title>");
      return;
    }
    const mount = Object.keys(mounts).find((m) => url.pathname.startsWith(m));
    if (!mount) return res.writeHead(404).end();
    const base = mounts[mount];
    const file = normalize(join(base, decodeURIComponent(url.pathname.slice(mount.length))));
    if (!file.startsWith(base + sep)) return res.writeHead(403).end();
    try {
      statSync(file);
    } catch {
      return res.writeHead(404).end();
    }
    const headers = { "Content-Type": TYPES[extname(file)] || "text/plain; charset=utf-8", "Cache-Control": "no-store" };
    const bytes = Number(url.searchParams.get("bytes") || 0);
    let body;
    if (bytes) {
      const key = `${file} ${bytes}`;
      if (!slices.has(key)) slices.set(key, Buffer.from(sliceBytes(readFileSync(file), bytes), "utf8"));
      body = slices.get(key);
    } else {
      body = readFileSync(file);
    }
    res.writeHead(200, { ...headers, "Content-Length": body.length }).end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, stop: () => server.close() })));
}

/** The package's main entry, as its package.json exports it. */
function mainEntry() {
  const pkg = JSON.parse(readFileSync(join(packageDir(), "package.json"), "utf8"));
  const dot = pkg.exports?.["."];
  const entry = (typeof dot === "string" ? dot : dot?.default || dot?.import) || pkg.module || pkg.main;
  return "/pkg/" + entry.replace(/^\.\//, "");
}

// ---------------------------------------------------------------------------------------
// Quipu and the bare aho-corasick in a page. Each measurement gets a fresh browser context
// (a fresh wasm instance: its memory never shrinks).

async function inPage(browser, base, fn, arg, timeoutMs) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(base);
    return await withTimeout(page.evaluate(fn, arg), timeoutMs, "the page");
  } catch (e) {
    throw new Error(`${e.message.split("\n")[0]}${errors.length ? `; page errors: ${errors.join("; ")}` : ""}`);
  } finally {
    await ctx.close().catch(() => {});
  }
}

/** In the page: build Quipu's tagger RUNS times, tag the text RUNS times. */
async function quipuInPage({ entry, files, defaultGazetteer, textUrl, runs }) {
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const m = await import(entry);
  const wasm = await m.initWasm();
  const gazetteers = await Promise.all(files.map(async (f) => ({ name: f, content: await (await fetch(`/data/${f}`)).text() })));
  const text = await (await fetch(textUrl)).text();
  const build = [];
  let firstBuildMemory; // the wasm memory once the first tagger is built: before any tagging
  let tagger = null;
  for (let i = 0; i < runs; i++) {
    tagger?.free();
    const t0 = performance.now();
    // The gazetteers in the options: one build with the default gazetteer.
    tagger = await m.createTagger({ defaultGazetteer, rules: false, linking: false, gazetteers });
    build.push(performance.now() - t0);
    firstBuildMemory ??= wasm?.memory?.buffer?.byteLength;
  }
  const tag = [];
  let matches = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    matches = tagger.tag(text).length;
    tag.push(performance.now() - t0);
  }
  return {
    patterns: tagger.stats().patterns,
    build_ms: median(build),
    build_runs: build,
    tag_ms: median(tag),
    matches,
    memory: wasm?.memory?.buffer?.byteLength ?? null,
    buildMemory: firstBuildMemory ?? null,
  };
}

/** In the page: build the bare automaton RUNS times, count matches RUNS times. */
async function acInPage({ patternsUrl, textUrl, runs }) {
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const m = await import("/ac/ac_wasm.js");
  const wasm = await m.default({ module_or_path: "/ac/ac_wasm_bg.wasm" });
  const patterns = await (await fetch(patternsUrl)).text();
  const text = await (await fetch(textUrl)).text();
  const build = [];
  let searcher = null;
  for (let i = 0; i < runs; i++) {
    searcher?.free();
    const t0 = performance.now();
    searcher = new m.Searcher(patterns);
    build.push(performance.now() - t0);
  }
  const t0 = performance.now();
  const hay = new m.Haystack(text);
  const copy = performance.now() - t0;
  const search = [];
  let matches = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    matches = searcher.count(hay);
    search.push(performance.now() - t0);
  }
  return {
    patterns: searcher.patterns,
    kind: searcher.kind,
    build_ms: median(build),
    tag_ms: median(search),
    copy_ms: copy,
    matches,
    memory: wasm.memory.buffer.byteLength,
  };
}

async function measureEngines(browser, dir, quick, only, meta, gazetteers) {
  const data = await startDataServer(dir);
  const rows = [];
  const entry = mainEntry();
  const textBytes = quick ? 2e6 : null;
  // The byte length of what the page searches, measured here (the server cuts the same slice).
  const sizeOf = (file) => (textBytes ? utf8Bytes(sliceBytes(readFileSync(join(dir, file)), textBytes)) : null);
  const textSize = sizeOf("text.txt") ?? meta.text_bytes;
  const foldedSlice = sizeOf("text.folded.txt");
  const q = textBytes ? `?bytes=${textBytes}` : "";
  const timeoutMs = quick ? 300e3 : 900e3;
  try {
    for (const gazetteer of gazetteers) {
      if (!only || only.has("quipu")) {
        log(`== quipu ${gazetteer} (chromium)`);
        const { defaultGazetteer, files } = gazetteerFiles(dir, gazetteer);
        try {
          const r = await inPage(browser, data.url, quipuInPage, { entry, files, defaultGazetteer, textUrl: `/data/text.txt${q}`, runs: RUNS }, timeoutMs);
          rows.push(row({
            engine: "quipu",
            runtime: RUNTIME,
            gazetteer,
            patterns: r.patterns,
            build_ms: round(r.build_ms),
            build_runs_ms: r.build_runs.map((x) => round(x)),
            bytes: textSize,
            tag_ms: round(r.tag_ms),
            mb_per_s: mbps(textSize, r.tag_ms),
            matches: r.matches,
            peak_mb: r.memory ? round(r.memory / 1e6, 1) : null,
            build_peak_mb: r.buildMemory ? round(r.buildMemory / 1e6, 1) : null,
            note:
              `quipu-tagger (${entry.replace("/pkg/", "")}) in headless chromium: createTagger({ rules: false, linking: false, gazetteers }) ` +
              `(build_ms: the whole call, one build of the default gazetteer and the gazetteer files given; ` +
              `build_runs_ms: the first run also fetches the wasm's default gazetteer if the package loads it lazily); ` +
              `tag(text) over ${textBytes ? "a slice of " : ""}the original text; ${MEDIAN_NOTE}; peak_mb = the wasm linear memory at the end ` +
              `(it never shrinks: its peak over builds and tagging), build_peak_mb = the same after the first build`,
          }));
        } catch (e) {
          rows.push(row({ engine: "quipu", runtime: RUNTIME, gazetteer, note: `not measured: ${e.message}` }));
        }
        log(`   ${JSON.stringify(rows.at(-1)).slice(0, 300)}`);
      }
      if (!only || only.has("ac-wasm")) {
        log(`== aho-corasick (bare) ${gazetteer} (chromium)`);
        try {
          const r = await inPage(browser, data.url, acInPage, { patternsUrl: `/data/${gazetteer}.patterns.txt`, textUrl: `/data/text.folded.txt${q}`, runs: RUNS }, timeoutMs);
          const bytes = foldedSlice ?? meta.text_bytes;
          rows.push(row({
            engine: "aho-corasick (bare)",
            runtime: RUNTIME,
            gazetteer,
            patterns: r.patterns,
            build_ms: round(r.build_ms),
            bytes,
            tag_ms: round(r.tag_ms),
            mb_per_s: mbps(bytes, r.tag_ms),
            matches: r.matches,
            peak_mb: round(r.memory / 1e6, 1),
            automaton: r.kind,
            copy_ms: round(r.copy_ms),
            note:
              `bench/ac-wasm in headless chromium: find_iter(..).count() over ${foldedSlice ? "a slice of " : ""}the folded text already in ` +
              `wasm memory (copy_ms, not in tag_ms); LeftmostLongest, StartKind::Unanchored, ${r.kind}; ` +
              `${foldedSlice ? "bytes = the folded slice" : "throughput in bytes of the original text"}; ${MEDIAN_NOTE}; peak_mb = the wasm linear memory`,
          }));
        } catch (e) {
          rows.push(row({ engine: "aho-corasick (bare)", runtime: RUNTIME, gazetteer, note: `not measured: ${e.message}` }));
        }
        log(`   ${JSON.stringify(rows.at(-1)).slice(0, 300)}`);
      }
    }
  } finally {
    data.stop();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------
// The page, served by web/serve.mjs as the browser tests serve it (web/tests/harness.mjs).

function startPageServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "web", "serve.mjs"), "--port", "0", "--root", join(ROOT, "web")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve({ url: m[0], stop: () => child.kill("SIGTERM") });
    });
    child.on("exit", (code) => reject(new Error(`web/serve.mjs exited (${code}): ${out}`)));
  });
}

// Installed before the page's scripts: records performance.now() (milliseconds since the
// navigation started) when the page first shows its gazetteer's summary in #engine-info,
// which app.js writes once the worker has loaded the wasm and built the default tagger.
// `window.__quipuReady` resolves then: the harness awaits it with one evaluate, where
// `waitForFunction` would first load Playwright's injected script into the page (40-60 ms of
// its main thread, while it is still starting).
function recordReady() {
  let resolve;
  window.__quipuReady = new Promise((r) => (resolve = r));
  const check = () => {
    const info = document.getElementById("engine-info");
    if (window.__quipuReadyAt == null && info && info.textContent.trim()) {
      window.__quipuReadyAt = performance.now();
      obs.disconnect();
      resolve(window.__quipuReadyAt);
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true, characterData: true });
}

/**
 * The User Timing marks of the page and of its tagging worker (`quipu:*`), in milliseconds
 * since the page's navigation start: where the time to ready goes.
 */
async function readyPhases(page, workers) {
  const read = () => ({
    origin: performance.timeOrigin,
    marks: performance.getEntriesByType("mark").filter((m) => m.name.startsWith("quipu:")).map((m) => [m.name, m.startTime]),
  });
  const pageMarks = await page.evaluate(read);
  const out = {};
  for (const [name, t] of pageMarks.marks) out[name] ??= t;
  for (const w of workers) {
    const wm = await w.evaluate(read).catch(() => null);
    if (!wm) continue;
    for (const [name, t] of wm.marks) out[name] ??= wm.origin + t - pageMarks.origin;
  }
  return out;
}

/** The median of each mark over the runs that have it, in time order. */
function medianPhases(runs) {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  const out = {};
  for (const name of names) out[name] = round(median(runs.filter((r) => name in r).map((r) => r[name])));
  return Object.fromEntries(Object.entries(out).sort((a, b) => a[1] - b[1]));
}

// More loads than the engines' runs: a load is a second or two, and its time moves by a
// hundred milliseconds or more from one to the next on this machine.
const PAGE_RUNS = 7;

async function measurePage(browser, dir, quick) {
  const pageRuns = quick ? RUNS : PAGE_RUNS;
  const server = await startPageServer();
  const rows = [];
  const bytes = quick ? 100e3 : 1e6;
  const text = sliceBytes(readFileSync(join(dir, "text.txt")), bytes);
  const textBytes = utf8Bytes(text);
  const ready = [];
  const render = [];
  const phases = []; // per run: { mark: ms since navigation start }
  let marks = null;
  const errors = [];
  try {
    // One load first, not measured: the server compresses the page's files in the background
    // when it starts (as it would have long before a real visit), which took the CPU from
    // the first measured run.
    {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      try {
        await ctx.addInitScript(recordReady);
        const page = await ctx.newPage();
        await page.goto(server.url + "app/");
        await withTimeout(page.evaluate(() => window.__quipuReady), 60e3, "ready");
      } finally {
        await ctx.close().catch(() => {});
      }
    }
    for (let i = 0; i < pageRuns; i++) {
      // A fresh context each time: an empty HTTP cache, no service worker, no localStorage
      // (a first visit: the page loads and tags its sample once ready).
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      try {
        await ctx.addInitScript(recordReady);
        const page = await ctx.newPage();
        page.on("pageerror", (e) => errors.push(String(e)));
        const workers = [];
        page.on("worker", (w) => workers.push(w));
        await page.goto(server.url + "app/");
        ready.push(await withTimeout(page.evaluate(() => window.__quipuReady), 60e3, "ready"));
        phases.push(await readyPhases(page, workers));
        // Wait for the sample to be tagged, then paste.
        await page.waitForFunction(() => !document.getElementById("export-json").disabled && !document.getElementById("result").hidden, null, { timeout: 60000 });
        if (await page.locator("#input-form").isHidden()) await page.click("#edit-btn");
        // Set as a paste would (page.fill is too slow for a megabyte: over 30 s).
        await page.evaluate((t) => {
          const area = document.getElementById("input-text");
          area.value = t;
          area.dispatchEvent(new Event("input", { bubbles: true }));
        }, text);
        const r = await withTimeout(page.evaluate(async (length) => {
          const $ = (id) => document.getElementById(id);
          const frame = () => new Promise((res) => requestAnimationFrame(() => res()));
          const t0 = performance.now();
          $("tag-btn").click();
          // Rendered: the exports come back on (app.js enables them after the marks are in
          // the DOM) with the pasted text shown whole; then one more frame for the paint.
          for (;;) {
            await frame();
            if (!$("export-json").disabled && !$("result").hidden && $("doc-name").textContent === "Pasted text" &&
                $("doc").textContent.length === length) break;
          }
          await frame();
          return { ms: performance.now() - t0, marks: $("doc").querySelectorAll("mark").length };
        }, text.length), 120e3, "tag and render");
        render.push(r.ms);
        marks = r.marks;
        log(`page run ${i + 1}: ready ${round(ready.at(-1))} ms, ${textBytes} bytes tagged and rendered in ${round(r.ms)} ms (${r.marks} marks)`);
      } finally {
        await ctx.close().catch(() => {});
      }
    }
    rows.push(row({
      engine: "quipu page",
      runtime: "chromium",
      gazetteer: "default",
      // tag_ms and mb_per_s stay null: this is tagging with rules and linking plus
      // rendering, not comparable with the engines' throughput.
      bytes: textBytes,
      matches: marks,
      load_to_ready_ms: round(median(ready)),
      tag_render_1mb_ms: quick ? null : round(median(render)),
      tag_render_ms: round(median(render)),
      load_to_ready_runs: ready.map((x) => round(x)),
      load_to_ready_phases_ms: medianPhases(phases),
      tag_render_runs: render.map((x) => round(x)),
      note:
        `web/app served by web/serve.mjs, headless chromium, a fresh context (cold cache) per run, median of ${pageRuns} runs after one unmeasured load (the server compresses its files when it starts); ` +
        `load_to_ready_ms: navigation start to #engine-info filled (the worker has the wasm and the default gazetteer); ` +
        `load_to_ready_phases_ms: the medians of the User Timing marks of the page (quipu:start, quipu:handed-over, quipu:boot) and of its worker ` +
        `(quipu:worker-started, quipu:wasm-ready, quipu:default-snapshot-fetched, quipu:tagger-built: read from the default tagger's snapshot, quipu:worker-answered) and of the page again (quipu:answer-received), in ms since navigation start; ` +
        `tag_render_ms: click on "Highlight entities" with the first ${textBytes} bytes of text.txt pasted, to the marks ` +
        `rendered and painted, with the page's defaults (context rules and linking on; tagging in its worker)` +
        (errors.length ? `; page errors: ${errors.slice(0, 3).join("; ")}` : ""),
    }));
  } catch (e) {
    rows.push(row({
      engine: "quipu page",
      runtime: "chromium",
      gazetteer: "default",
      load_to_ready_ms: ready.length ? round(median(ready)) : null,
      tag_render_1mb_ms: null,
      note: `not measured: ${e.message.split("\n")[0]}`,
    }));
  } finally {
    server.stop();
  }
  return rows;
}

async function main() {
  const { dir, quick, only, gazetteers } = parseArgs(process.argv, "usage: node bench/js/browser-bench.mjs <dir> [--quick] [--only page,quipu,ac-wasm] [--gazetteers small,default,large]");
  const meta = readMeta(dir);
  const browser = await launch();
  log(`chromium ${browser.version()}`);
  const rows = [];
  try {
    if (!only || only.has("page")) rows.push(...(await measurePage(browser, dir, quick)));
    rows.push(...(await measureEngines(browser, dir, quick, only, meta, gazetteers)));
  } finally {
    await browser.close();
  }
  const out = writeResults(dir, "browser", rows);
  log(`wrote ${out} (${rows.length} rows)`);
}

main().catch((e) => {
  console.error(e?.stack || String(e));
  process.exit(1);
});

// The npm package quipu-tagger as a consumer gets it: the tarball of `npm pack`
// (scripts/build-package writes its path to web/dist/PACKED) installed into a fresh temporary
// project built with Vite, and unpacked into a static folder imported with no bundler; both
// run in headless chromium, served by web/serve.mjs (which sends a strict CSP).

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { launch, openPage, outsideRequests } from "./harness.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const WEB = resolve(HERE, "..");
const PACKED = join(WEB, "dist", "PACKED");

function tarball() {
  assert.ok(existsSync(PACKED), "no web/dist/PACKED: run scripts/build-package (scripts/test-web does)");
  const tgz = resolve(WEB, "..", readFileSync(PACKED, "utf8").trim());
  assert.ok(existsSync(tgz), `missing ${tgz}`);
  return tgz;
}

function run(cmd, args, cwd) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300000, env: { ...process.env, NO_UPDATE_NOTIFIER: "1" } });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) failed: ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return { ...r, ms: Date.now() - t0 };
}

/** web/serve.mjs on a free port, serving `root`. */
function serve(root) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(WEB, "serve.mjs"), "--port", "0", "--root", root], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolvePromise({ url: m[0], stop: () => child.kill("SIGTERM") });
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

const TEXT = "😀 Alberto Fujimori visitó Lima.";

/** In the page: the API on TEXT, a gazetteer added, entity() and stats(). */
async function probeApi(page) {
  await page.waitForFunction(() => window.quipu, null, { timeout: 30000 });
  return page.evaluate(async (text) => {
    const { createTagger, version } = window.quipu;
    const tagger = await createTagger();
    const spans = tagger.tag(text);
    const mine = await createTagger({ defaultGazetteer: false });
    mine.addGazetteer("kenna | PERSON | Lisa Kenna | Kenna", { name: "mine.gaz" });
    mine.addGazetteer({ entities: [{ id: "my-lima", type: "PLACE", name: "Lima" }] });
    const text2 = "🎉🎉 Kenna, Lima";
    const mineSpans = mine.tag(text2).map((s) => ({ ...s, slice: text2.slice(s.utf16_start, s.utf16_end) }));
    let error = null;
    try {
      mine.addGazetteer("broken | PERSON", { name: "bad.gaz" });
    } catch (e) {
      error = String(e.message);
    }
    const people = await createTagger({ types: ["PERSON"], rules: false, linking: false });
    return {
      version: version(),
      spans: spans.map((s) => ({ ...s, slice: text.slice(s.utf16_start, s.utf16_end) })),
      mineSpans,
      error,
      entity: tagger.entity("fujimori-alberto"),
      stats: tagger.stats(),
      peopleTypes: people.tag(text).map((s) => s.type),
    };
  }, TEXT);
}

function checkApi(r) {
  assert.match(r.version, /^\d+\.\d+\.\d+/);
  const person = r.spans.find((s) => s.type === "PERSON");
  const place = r.spans.find((s) => s.type === "PLACE");
  assert.ok(person && place, JSON.stringify(r.spans));
  // The emoji is 2 UTF-16 code units, 1 code point, 4 UTF-8 bytes.
  assert.deepEqual(
    { slice: person.slice, text: person.text, id: person.id, utf16_start: person.utf16_start, utf16_end: person.utf16_end, start: person.start, byte_start: person.byte_start, source: person.source },
    { slice: "Alberto Fujimori", text: "Alberto Fujimori", id: "fujimori-alberto", utf16_start: 3, utf16_end: 19, start: 2, byte_start: 5, source: "gazetteer" },
  );
  assert.equal(place.slice, "Lima");
  assert.equal(place.name, "Lima");
  for (const k of ["start", "end", "byte_start", "byte_end", "utf16_start", "utf16_end", "text", "type", "id", "name", "source"]) {
    assert.ok(k in person, `span field ${k}`);
  }
  assert.deepEqual(r.mineSpans.map((s) => [s.slice, s.type, s.id, s.utf16_start]), [["Kenna", "PERSON", "kenna", 5], ["Lima", "PLACE", "my-lima", 12]]);
  assert.match(r.error, /bad\.gaz/);
  assert.equal(r.entity.name, "Alberto Fujimori");
  assert.equal(r.entity.qid, "Q188943");
  assert.ok(r.stats.entities > 1000 && r.stats.by_type.PERSON > 0, JSON.stringify(r.stats));
  assert.ok(r.peopleTypes.length > 0 && r.peopleTypes.every((t) => t === "PERSON"));
}

/** In the page: the elements' marks and events (waits for `ids` to have fired). */
async function probeElements(page, ids) {
  await page.waitForFunction((ids) => ids.every((id) => window.quipuEvents && window.quipuEvents.some((e) => e.id === id)), ids, { timeout: 30000 });
  return page.evaluate((ids) => {
    const out = {};
    for (const id of ids) {
      const el = document.getElementById(id);
      const marks = [...el.shadowRoot.querySelectorAll("mark")];
      out[id] = {
        marks: marks.map((m) => ({ text: m.textContent, part: m.getAttribute("part"), type: m.dataset.entityType, id: m.dataset.entityId })),
        shadowText: el.shadowRoot.querySelector("[part=text]").textContent,
        event: window.quipuEvents.find((e) => e.id === id).entities.map((s) => [s.text, s.type, s.utf16_start]),
        personBg: marks[0] ? getComputedStyle(marks.find((m) => m.dataset.entityType === "PERSON") || marks[0]).backgroundColor : null,
        placeOutline: marks.some((m) => m.dataset.entityType === "PLACE")
          ? getComputedStyle(marks.find((m) => m.dataset.entityType === "PLACE")).outlineColor
          : null,
      };
    }
    return out;
  }, ids);
}

function checkElements(r) {
  assert.deepEqual(r.all.marks.map((m) => [m.text, m.part]), [["Alberto Fujimori", "mark mark-PERSON"], ["Lima", "mark mark-PLACE"]]);
  assert.equal(r.all.shadowText, TEXT);
  assert.deepEqual(r.all.event, [["Alberto Fujimori", "PERSON", 3], ["Lima", "PLACE", 27]]);
  // Themed from outside: --quipu-person-bg and ::part(mark-PLACE).
  assert.equal(r.all.personBg, "rgb(1, 2, 3)");
  assert.equal(r.all.placeOutline, "rgb(4, 5, 6)");
  if (r.people) {
    assert.deepEqual(r.people.marks.map((m) => m.text), ["Alberto Fujimori"]);
    assert.equal(r.people.personBg, "rgb(120, 53, 15)", "the dark theme's person colour");
  }
  if (r.mine) assert.deepEqual(r.mine.marks.map((m) => [m.text, m.id, m.part]), [["Kenna", "kenna", "mark mark-PERSON"]]);
}

/** In the page: the `text` property with markup in it is shown as text; the event fires again. */
async function probeTextProperty(page) {
  return page.evaluate(async () => {
    const el = document.getElementById("all");
    const n = window.quipuEvents.length;
    el.text = '<img src=x onerror="window.pwned=1"> Lima 🇵🇪 <b>Fujimori</b>';
    await el.rendered;
    const ev = window.quipuEvents.slice(n).find((e) => e.id === "all");
    return {
      imgs: el.shadowRoot.querySelectorAll("img, b").length,
      text: el.shadowRoot.querySelector("[part=text]").textContent,
      marks: [...el.shadowRoot.querySelectorAll("mark")].map((m) => m.textContent),
      event: ev && ev.entities.map((s) => s.text),
      entities: el.entities.length,
      pwned: window.pwned === 1,
    };
  });
}

function checkTextProperty(r) {
  assert.equal(r.imgs, 0);
  assert.equal(r.pwned, false);
  assert.match(r.text, /^<img src=x/);
  assert.deepEqual(r.marks, ["Lima", "Fujimori"]);
  assert.deepEqual(r.event, ["Lima", "Fujimori"]);
  assert.equal(r.entities, 2);
}

/** In the page: the worker entry tags a text. */
async function probeWorker(page) {
  return page.evaluate(async (text) => {
    const w = window.quipu.createWorkerTagger();
    try {
      const init = await w.init({});
      const { spans, entities } = await w.tag(text.repeat(3));
      // A new worker asked for two builds at once (settings switched twice quickly while it
      // loads): both answer with the second, which is what it then tags with.
      const w2 = window.quipu.createWorkerTagger();
      const gaz = (...names) => ({ name: "mine.gaz", content: names.map((n) => `${n} | PLACE | ${n} |\n`).join(""), format: "text" });
      const both = await Promise.all([w2.init({ gazetteers: [gaz("Xanadu", "Erewhon")] }), w2.init({ gazetteers: [gaz("Shangrila")] })]);
      const after = await w2.tag("From Xanadu to Shangrila by Erewhon.");
      w2.terminate();
      return {
        entities: init.stats.entities,
        spans: spans.map((s) => [s.text, s.utf16_start]),
        name: entities["fujimori-alberto"].name,
        both: both.map((r) => r.stats.entities - init.stats.entities),
        after: after.spans.map((s) => s.text),
      };
    } finally {
      w.terminate();
    }
  }, TEXT);
}

function checkWorker(r) {
  assert.ok(r.entities > 1000);
  assert.deepEqual(r.spans.slice(0, 3), [["Alberto Fujimori", 3], ["Lima", 27], ["Alberto Fujimori", 35]]);
  assert.equal(r.name, "Alberto Fujimori");
  assert.deepEqual(r.both, [1, 1]);
  assert.deepEqual(r.after, ["Shangrila"]);
}

function checkLog(log, base) {
  assert.deepEqual(log.errors, []);
  assert.deepEqual(log.dialogs, []);
  assert.deepEqual(outsideRequests(log, base), []);
}

let browser;
const temps = [];
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** Every file under `dir`, as paths relative to it. */
function walk(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)]);
}

describe("the tarball", () => {
  const SEEDS = resolve(WEB, "..", "seeds", "default");
  let dir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "quipu-tgz-"));
    temps.push(dir);
    run("tar", ["-xzf", tarball(), "-C", dir], dir);
  });

  test("is under 1.5 MB gzipped", () => {
    const size = statSync(tarball()).size;
    console.log(`# tarball: ${size} bytes gzipped`);
    assert.ok(size < 1_500_000, `the tarball is ${size} bytes gzipped: over the 1.5 MB aim`);
  });

  test("holds the default gazetteer once: in dist/default-gazetteer.js, not in the wasm", async () => {
    const files = walk(join(dir, "package"));
    assert.ok(files.includes("dist/default-gazetteer.js") && files.includes("pkg/quipu_wasm_bg.wasm") && files.includes("dist/wasm-inline.js"), files.join(" "));
    // What each file holds, with the ./inline entry's wasm decoded (base64, gzip).
    const contents = new Map(files.map((f) => [f, readFileSync(join(dir, "package", f))]));
    const inline = await import(pathToFileURL(join(dir, "package", "dist", "wasm-inline.js")).href);
    const inlined = gunzipSync(Buffer.from(inline.WASM_GZIP_BASE64, "base64"));
    assert.ok(inlined.equals(contents.get("pkg/quipu_wasm_bg.wasm")), "the inlined wasm is the wasm file");
    contents.set("dist/wasm-inline.js (decoded)", inlined);

    // The module holds every file of seeds/default whole.
    const { DEFAULT_GAZETTEER } = await import(pathToFileURL(join(dir, "package", "dist", "default-gazetteer.js")).href);
    const seeds = readdirSync(SEEDS).filter((f) => f.endsWith(".gaz")).sort();
    assert.deepEqual(DEFAULT_GAZETTEER.map((g) => g.name).sort(), seeds.map((f) => `seeds/default/${f}`));
    for (const g of DEFAULT_GAZETTEER) assert.equal(g.content, readFileSync(resolve(WEB, "..", g.name), "utf8"), g.name);

    // Lines of every file, chosen so that JSON escaping leaves them as they are: each is found
    // in one file of the package only.
    for (const f of seeds) {
      const lines = readFileSync(join(SEEDS, f), "utf8").split("\n")
        .filter((l) => l.length >= 30 && !l.startsWith("#") && !/["\\]/.test(l) && /^[\x20-\x7e]+$/.test(l));
      assert.ok(lines.length >= 3, `${f}: lines to look for`);
      for (const line of [lines[0], lines[Math.floor(lines.length / 2)], lines.at(-1)]) {
        const holders = [...contents].filter(([, bytes]) => bytes.includes(line)).map(([name]) => name);
        assert.deepEqual(holders, ["dist/default-gazetteer.js"], `${f}: "${line}"`);
      }
    }
  });
});

let viteDir = null;
/** A fresh copy of tests/consumer-vite with the tarball installed (made once, for the build and the dev server). */
function viteProject() {
  if (viteDir) return viteDir;
  const tgz = tarball();
  const dir = mkdtempSync(join(tmpdir(), "quipu-vite-"));
  temps.push(dir);
  cpSync(join(HERE, "consumer-vite"), dir, { recursive: true, filter: (src) => !src.includes("node_modules") && !src.endsWith("/dist") });
  const ci = run("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], dir);
  const inst = run("npm", ["install", tgz, "--no-save", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], dir);
  console.log(`# vite project: npm ci ${ci.ms} ms, tarball install ${inst.ms} ms`);
  const installed = JSON.parse(readFileSync(join(dir, "node_modules", "quipu-tagger", "package.json"), "utf8"));
  assert.equal(installed.name, "quipu-tagger");
  viteDir = dir;
  return dir;
}

/** Vite's dev server (`vite`, no options but the address) in `dir`; resolves to { url, stop }. */
function viteDev(dir) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(dir, "node_modules", "vite", "bin", "vite.js"), "--host", "127.0.0.1", "--port", "0", "--clearScreen", "false"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let out = "";
    const timer = setTimeout(() => reject(new Error(`vite dev printed no URL: ${out}`)), 60000);
    const onData = (d) => {
      out += d;
      const m = out.replace(/\x1b\[[0-9;]*m/g, "").match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ url: m[0], stop: () => child.kill("SIGTERM"), output: () => out });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`vite dev exited (${code}): ${out}`)));
  });
}

describe("the npm package in a Vite project", () => {
  let server;
  before(async () => {
    const dir = viteProject();
    const build = run(process.execPath, [join(dir, "node_modules", "vite", "bin", "vite.js"), "build", "--logLevel", "warn"], dir);
    console.log(`# vite build ${build.ms} ms`);
    server = await serve(join(dir, "dist"));
  });
  after(() => server?.stop());

  test("the main entry's API, the element and the worker", async () => {
    const { ctx, page, log } = await openPage(browser, server.url);
    try {
      await page.goto(server.url + "index.html");
      checkApi(await probeApi(page));
      checkElements(await probeElements(page, ["all", "people", "mine"]));
      checkTextProperty(await probeTextProperty(page));
      checkWorker(await probeWorker(page));
      assert.ok(log.requests.some((u) => u.endsWith(".wasm")), "the wasm file is fetched");
      checkLog(log, server.url);
    } finally {
      await ctx.close();
    }
  });

  test("the ./inline entry: no .wasm file fetched", async () => {
    const { ctx, page, log } = await openPage(browser, server.url);
    try {
      await page.goto(server.url + "inline.html");
      const r = await probeApi(page);
      checkApi(r);
      checkElements(await probeElements(page, ["all"]));
      checkTextProperty(await probeTextProperty(page));
      assert.deepEqual(log.requests.filter((u) => /\.wasm(\?|$)/.test(u)), []);
      checkLog(log, server.url);
    } finally {
      await ctx.close();
    }
  });
});

describe("the npm package in Vite's dev server", () => {
  let server;
  before(async () => {
    server = await viteDev(viteProject());
  });
  after(() => server?.stop());

  test("the main entry's API, the element and the worker, no configuration", async () => {
    const { ctx, page, log } = await openPage(browser, server.url);
    try {
      await page.goto(server.url + "index.html");
      checkApi(await probeApi(page));
      checkElements(await probeElements(page, ["all", "people", "mine"]));
      checkTextProperty(await probeTextProperty(page));
      checkWorker(await probeWorker(page));
      checkLog(log, server.url);
    } finally {
      await ctx.close();
    }
  });

  test("the ./inline entry", async () => {
    const { ctx, page, log } = await openPage(browser, server.url);
    try {
      await page.goto(server.url + "inline.html");
      checkApi(await probeApi(page));
      checkElements(await probeElements(page, ["all"]));
      assert.deepEqual(log.requests.filter((u) => /\.wasm(\?|$)/.test(u)), []);
      checkLog(log, server.url);
    } finally {
      await ctx.close();
    }
  });
});

describe("the npm package from a static folder, no bundler", () => {
  let server;
  before(async () => {
    const tgz = tarball();
    const dir = mkdtempSync(join(tmpdir(), "quipu-static-"));
    temps.push(dir);
    cpSync(join(HERE, "consumer-static"), dir, { recursive: true });
    mkdirSync(join(dir, "quipu-tagger"));
    run("tar", ["-xzf", tgz, "-C", join(dir, "quipu-tagger"), "--strip-components=1"], dir);
    assert.ok(readdirSync(join(dir, "quipu-tagger", "pkg")).includes("quipu_wasm_bg.wasm"));
    server = await serve(dir);
  });
  after(() => server?.stop());

  test("script type=module importing the unpacked files: API, element, worker", async () => {
    const { ctx, page, log } = await openPage(browser, server.url);
    try {
      await page.goto(server.url + "index.html");
      checkApi(await probeApi(page));
      checkElements(await probeElements(page, ["all", "people", "mine"]));
      checkTextProperty(await probeTextProperty(page));
      checkWorker(await probeWorker(page));
      checkLog(log, server.url);
      // The default gazetteer's module, loaded by the page and by the worker.
      assert.ok(log.requests.some((u) => u.endsWith("/dist/default-gazetteer.js")), "the default gazetteer is imported");
    } finally {
      await ctx.close();
    }
  });

  test("defaultGazetteer: false never loads the default gazetteer", async () => {
    const { ctx, page, log } = await openPage(browser, server.url);
    try {
      await page.goto(server.url + "no-default.html");
      await page.waitForFunction(() => window.result && window.quipuEvents.length > 0, null, { timeout: 30000 });
      const r = await page.evaluate(() => ({ ...window.result, marks: [...document.getElementById("mine").shadowRoot.querySelectorAll("mark")].map((m) => m.textContent) }));
      assert.deepEqual(r.spans, ["Kenna"]);
      assert.equal(r.stats.entities, 1);
      assert.deepEqual(r.marks, ["Kenna"]);
      assert.match(r.error, /default gazetteer is not loaded.*setDefaultGazetteer/);
      assert.deepEqual(log.requests.filter((u) => u.includes("default-gazetteer")), []);
      checkLog(log, server.url);
    } finally {
      await ctx.close();
    }
  });
});

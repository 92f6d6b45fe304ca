// Browser tests of the Quipu page (web/app), in Debian's headless chromium.
// Run by scripts/test-web, which builds the wasm, installs what is missing and starts nothing
// else: this file starts web/serve.mjs on a free port itself.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import {
  DOWNLOADS, SHOTS, WEB, marks, openPage, outsideRequests, pasteAndTag, toggle, waitTagged, withServerAndBrowser,
} from "./harness.mjs";

const fixture = (name) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const ACCENTS = readFileSync(fixture("accents.txt"), "utf8");
// What the default gazetteer must find in accents.txt: [text, type, count].
const EXPECTED = [
  ["Alberto Fujimori", "PERSON", 1],
  ["Fujimori", "PERSON", 1],
  ["SIN", "INSTITUTION", 1],
  ["Vladimiro Montesinos", "PERSON", 1],
  ["Lima", "PLACE", 2],
  ["Washington", "PLACE", 1],
  ["OAS", "INSTITUTION", 1],
];

let server;
let browser;
const logs = [];

async function fresh(options) {
  const p = await openPage(browser, server.url, options);
  logs.push(p.log);
  return p;
}

/** Each mark with its UTF-16 offset in the document, measured in the DOM. */
function markOffsets(page) {
  return page.$$eval("#doc mark", (ms) => {
    const doc = document.getElementById("doc");
    return ms.map((m) => {
      const r = document.createRange();
      r.setStart(doc, 0);
      r.setEnd(m, 0);
      return { at: r.toString().length, text: m.textContent, type: m.dataset.entityType, id: m.dataset.entityId };
    });
  });
}

async function checkAccents(page) {
  assert.equal(await page.textContent("#doc"), ACCENTS, "the document shows the text unchanged");
  const found = await markOffsets(page);
  for (const m of found) {
    assert.equal(ACCENTS.slice(m.at, m.at + m.text.length), m.text, `mark at ${m.at} matches the text`);
  }
  for (const [text, type, count] of EXPECTED) {
    const hits = found.filter((m) => m.text === text);
    assert.equal(hits.length, count, `${text}: ${count} mark(s)`);
    for (const h of hits) assert.equal(h.type, type, `${text} is a ${type}`);
    // Where the text has it as a whole word: UTF-16 offsets right after emoji and accents.
    let from = 0;
    const where = [];
    for (;;) {
      const i = ACCENTS.indexOf(text, from);
      if (i < 0) break;
      const before = ACCENTS[i - 1] || " ";
      const after = ACCENTS[i + text.length] || " ";
      if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) where.push(i);
      from = i + 1;
    }
    for (const h of hits) assert.ok(where.includes(h.at), `${text} at ${h.at}, one of ${where}`);
  }
  return found;
}

async function saveDownload(page, click, name) {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.click(click)]);
  const path = `${DOWNLOADS}${name}`;
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), content: readFileSync(path, "utf8") };
}

withServerAndBrowser((env) => ({ server, browser } = env));

describe("the Quipu page", () => {
  test("first visit shows the sample, highlighted; screenshots light, dark and narrow", async () => {
    const shots = [
      ["light", { width: 1280, height: 860 }, "wide-light"],
      ["dark", { width: 1280, height: 860 }, "wide-dark"],
      ["light", { width: 390, height: 844 }, "narrow-light"],
      ["dark", { width: 390, height: 844 }, "narrow-dark"],
    ];
    for (const [colorScheme, viewport, name] of shots) {
      const { ctx, page, log } = await fresh({ colorScheme, viewport });
      await page.goto(server.url);
      await waitTagged(page);
      assert.equal(await page.textContent("#doc-name"), "sample.txt");
      const sample = readFileSync(new URL("../app/sample.txt", import.meta.url), "utf8");
      assert.equal(await page.textContent("#doc"), sample);
      const ms = await marks(page);
      assert.ok(ms.length >= 10, `the sample has ${ms.length} marks`);
      for (const m of ms) assert.ok(m.type && m.id, "every mark has data-entity-type and data-entity-id");
      // Colours differ by type, in both schemes.
      const colours = await page.$$eval("#doc mark", (all) => {
        const by = {};
        for (const m of all) by[m.dataset.entityType] ??= getComputedStyle(m).backgroundColor;
        return by;
      });
      assert.equal(new Set([colours.PERSON, colours.PLACE, colours.INSTITUTION]).size, 3, JSON.stringify(colours));
      await page.click("#entity-list button.entity >> nth=0");
      await page.waitForTimeout(400);
      await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: name.startsWith("narrow") });
      assert.deepEqual(log.errors, []);
      await ctx.close();
    }
  });

  test("ready means usable: the gazetteer summary shows once the default tagger is read from its snapshot, the wasm and the snapshot fetched once", async () => {
    const { ctx, page, log } = await fresh();
    // A returning visit: no sample is tagged on the way.
    await ctx.addInitScript(() => {
      localStorage.setItem("quipu.visited.v1", "1");
      // Whether the tagger was ready when the page registered its service worker.
      const register = navigator.serviceWorker.register.bind(navigator.serviceWorker);
      navigator.serviceWorker.register = (...a) => {
        window.__swRegisteredReady = document.getElementById("engine-info").textContent.trim() !== "";
        return register(...a);
      };
    });
    const fetched = [];
    ctx.on("request", (r) => r.serviceWorker() || fetched.push(r.url())); // the page's and its worker's
    await page.goto(server.url + "app/");
    await page.waitForFunction(() => document.getElementById("engine-info").textContent.trim() !== "");
    const before = fetched.length;
    // The summary counts the default gazetteer's entities, and the tagger answers at once.
    const info = await page.textContent("#engine-info");
    const entities = Number(info.match(/Gazetteer: ([\d,]+) entities/)[1].replace(/,/g, ""));
    assert.ok(entities > 1000, info);
    await pasteAndTag(page, ACCENTS);
    await checkAccents(page);
    // Up to ready, the wasm and the default tagger's snapshot were fetched once each (by the
    // worker start.js starts), and the default gazetteer's texts not at all: the tagger was
    // read from the snapshot (had it not read, the texts would have been fetched to build
    // it). The service worker, which downloads them again to cache them, was registered only
    // once the tagger was ready.
    const upToReady = fetched.slice(0, before);
    assert.equal(upToReady.filter((u) => u.endsWith("/quipu_wasm_bg.wasm")).length, 1, upToReady.join("\n"));
    assert.equal(upToReady.filter((u) => u.endsWith("/default-tagger.bin")).length, 1, upToReady.join("\n"));
    assert.equal(upToReady.filter((u) => u.endsWith("/default-gazetteer.js")).length, 0, upToReady.join("\n"));
    // Switching the context rules off builds a new tagger, from the texts, fetched once now
    // and read as data.
    const fetchedBefore = fetched.length;
    await toggle(page, "opt-rules", false);
    const afterRules = fetched.slice(fetchedBefore);
    assert.equal(afterRules.filter((u) => u.endsWith("/default-gazetteer.js")).length, 1, afterRules.join("\n"));
    await pasteAndTag(page, ACCENTS);
    await checkAccents(page);
    await page.waitForFunction(() => window.__swRegisteredReady !== undefined);
    assert.equal(await page.evaluate(() => window.__swRegisteredReady), true, "the service worker is registered after ready");
    assert.deepEqual(log.errors, []);
    await ctx.close();
  });

  test("the server sends validators and gzip, and 304 when unchanged", async () => {
    for (const [path, type] of [["package/pkg/quipu_wasm_bg.wasm", "application/wasm"], ["package/dist/default-gazetteer.js", "text/javascript; charset=utf-8"]]) {
      // Compressed in the background when the server starts: sent as is until then.
      let res;
      for (let i = 0; i < 100; i++) {
        res = await fetch(server.url + path, { headers: { "Accept-Encoding": "gzip" } });
        if (res.headers.get("content-encoding") === "gzip") break;
        await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), type);
      assert.equal(res.headers.get("content-encoding"), "gzip");
      const body = Buffer.from(await res.arrayBuffer()); // fetch decompresses
      assert.deepEqual(body, readFileSync(new URL(`../${path}`, import.meta.url)));
      const etag = res.headers.get("etag");
      assert.ok(etag, "an ETag");
      const again = await fetch(server.url + path, { headers: { "If-None-Match": etag } });
      assert.equal(again.status, 304);
    }
  });

  test("a long entity list grows as it is scrolled", async () => {
    const { ctx, page, log } = await fresh();
    await page.goto(server.url + "app/");
    await waitTagged(page);
    // 400 entities of the user's, each named once in the document.
    const names = Array.from({ length: 400 }, (_, i) => `Zorbaq${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
    const gaz = names.map((n) => `${n.toLowerCase()} | PERSON | ${n}`).join("\n") + "\n";
    await page.setInputFiles("#gaz-input", { name: "many.gaz", mimeType: "text/plain", buffer: Buffer.from(gaz) });
    await page.waitForFunction(() => document.getElementById("status-text").textContent === "Loaded many.gaz.");
    await pasteAndTag(page, names.map((n) => `${n} spoke.`).join("\n\n") + "\n");
    assert.equal(await page.locator("#doc mark").count(), 400);
    assert.equal(await page.textContent("#entity-count"), "(400)");
    const rows = () => page.locator("#entity-list button.entity").count();
    const first = await rows();
    assert.ok(first >= 100 && first < 400, `${first} rows at first`);
    for (let i = 0; i < 20 && (await rows()) < 400; i++) {
      await page.$eval("#entity-list", (ul) => { ul.scrollTop = ul.scrollHeight; });
      await page.waitForTimeout(50);
    }
    assert.equal(await rows(), 400, "every entity once scrolled to the end");
    // The filter still searches all of them.
    await page.fill("#filter", names[399].toLowerCase());
    assert.equal(await rows(), 1);
    assert.deepEqual(log.errors, []);
    await ctx.close();
  });

  test("paste: marks at the right UTF-16 offsets after emoji and accented letters", async () => {
    const { ctx, page, log } = await fresh();
    await page.goto(server.url + "app/");
    await waitTagged(page);
    await pasteAndTag(page, ACCENTS);
    await checkAccents(page);
    assert.equal(await page.textContent("#doc-name"), "Pasted text");
    assert.deepEqual(log.errors, []);
    await ctx.close();
  });

  test("upload: a .txt file, and an .html file with its markup stripped", async () => {
    const { ctx, page, log } = await fresh();
    await page.goto(server.url + "app/");
    await waitTagged(page);
    await page.setInputFiles("#file-input", fixture("accents.txt"));
    await page.waitForFunction(() => document.getElementById("doc-name").textContent === "accents.txt");
    await waitTagged(page);
    await checkAccents(page);

    await page.setInputFiles("#file-input", fixture("article.html"));
    await page.waitForFunction(() => document.getElementById("doc-name").textContent === "article.html");
    await waitTagged(page);
    const text = await page.textContent("#doc");
    assert.match(text, /^Notes from Lima\n\nVladimiro Montesinos met officials of the OAS\.\n\nNothing here runs: and stay out\.\n$/);
    const ms = await marks(page);
    assert.deepEqual(ms.map((m) => [m.text, m.type]), [
      ["Lima", "PLACE"], ["Vladimiro Montesinos", "PERSON"], ["OAS", "INSTITUTION"],
    ]);
    assert.equal(await page.locator("img").count(), 0);
    assert.deepEqual(log.dialogs, []);
    // Parsing the file reports the inline style and handler it refused (CSP): nothing else.
    assert.deepEqual(log.errors.filter((e) => !/violates the following Content Security Policy/.test(e)), []);
    await ctx.close();
  });

  test("legend: each type switches on and off", async () => {
    const { ctx, page } = await fresh();
    await page.goto(server.url + "app/");
    await waitTagged(page);
    await pasteAndTag(page, ACCENTS);
    const bg = () => page.$eval('#doc mark[data-entity-type="PLACE"]', (m) => getComputedStyle(m).backgroundColor);
    const visible = await bg();
    assert.notEqual(visible, "rgba(0, 0, 0, 0)");
    const place = page.locator('.legend-item[data-type="PLACE"]');
    assert.equal(await place.getAttribute("aria-pressed"), "true");
    const places = await page.locator('#doc mark[data-entity-type="PLACE"]').count();
    assert.ok(places >= 3);
    assert.equal(await place.textContent(), `Places${places}`, "the legend counts the mentions");
    await place.click();
    assert.equal(await place.getAttribute("aria-pressed"), "false");
    assert.equal(await bg(), "rgba(0, 0, 0, 0)");
    assert.equal(await page.locator('#entity-list button[data-entity-type="PLACE"]').count(), 0);
    assert.ok(await page.locator('#entity-list button[data-entity-type="PERSON"]').count() > 0);
    // The other types stay on; keyboard works too.
    const person = await page.$eval('#doc mark[data-entity-type="PERSON"]', (m) => getComputedStyle(m).backgroundColor);
    assert.notEqual(person, "rgba(0, 0, 0, 0)");
    await place.focus();
    await page.keyboard.press("Enter");
    assert.equal(await place.getAttribute("aria-pressed"), "true");
    assert.equal(await bg(), visible);
    assert.ok(await page.locator('#entity-list button[data-entity-type="PLACE"]').count() > 0);
    await ctx.close();
  });

  test("entity panel: grouped with counts, sorted, filtered; clicking steps through mentions", async () => {
    const { ctx, page } = await fresh();
    await page.goto(server.url + "app/");
    await waitTagged(page);
    await pasteAndTag(page, ACCENTS);
    const rows = () => page.$$eval("#entity-list button.entity", (bs) =>
      bs.map((b) => ({ id: b.dataset.entityId, name: b.querySelector(".name").firstChild.textContent, n: Number(b.querySelector(".n").textContent) })));
    let list = await rows();
    const fujimori = list.find((r) => r.name === "Alberto Fujimori");
    assert.equal(fujimori.n, 2, "Alberto Fujimori and Fujimori are one entity");
    assert.equal(list.find((r) => r.name === "Lima").n, 2);
    assert.ok(list[0].n >= list[list.length - 1].n, "sorted by count");
    await page.selectOption("#sort", "name");
    list = await rows();
    const names = list.map((r) => r.name);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: "base" })));
    await page.fill("#filter", "montes");
    list = await rows();
    assert.deepEqual(list.map((r) => r.name), ["Vladimiro Montesinos"]);
    assert.equal(await page.textContent("#entity-count"), "(1)");
    await page.fill("#filter", "");

    // Click: the first mention, focused; click again: the next one.
    await page.click(`#entity-list button[data-entity-id="${fujimori.id}"]`);
    assert.equal(await page.textContent("#mention-pos"), "1 / 2");
    assert.equal(await page.textContent("#d-name"), "Alberto Fujimori");
    assert.equal(await page.textContent("#d-type"), "PERSON");
    assert.match(await page.textContent("#d-source"), /Gazetteer match/);
    assert.equal(await page.$eval("mark.is-current", (m) => m.textContent), "Alberto Fujimori");
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "Alberto Fujimori");
    const link = page.locator('#d-id a[href^="https://www.wikidata.org/wiki/Q"]');
    assert.equal(await link.count(), 1, "the QID links to Wikidata");
    await page.click(`#entity-list button[data-entity-id="${fujimori.id}"]`);
    assert.equal(await page.textContent("#mention-pos"), "2 / 2");
    assert.equal(await page.$eval("mark.is-current", (m) => m.textContent), "Fujimori");
    const inView = await page.$eval("mark.is-current", (m) => {
      const r = m.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight;
    });
    assert.ok(inView, "the mention is scrolled into view");
    await page.click("#next-mention");
    assert.equal(await page.textContent("#mention-pos"), "1 / 2");
    await page.click("#prev-mention");
    assert.equal(await page.textContent("#mention-pos"), "2 / 2");
    // Clicking a mark in the text selects its entity.
    await page.click('#doc mark:text-is("Washington")');
    assert.equal(await page.textContent("#d-type"), "PLACE");
    assert.equal(await page.textContent("#mention-pos"), "1 / 1");
    await ctx.close();
  });

  test("my gazetteer: add from a selection, as an entity and as an alias, kept across reloads", async () => {
    const { ctx, page, log } = await fresh();
    const text = "😀 La Comisión Quipucamayoc met in Lima. Later the CQ (Comisión Quipucamayoc) wrote to Plan Ñusta.\n";
    await page.goto(server.url + "app/");
    await waitTagged(page);
    await pasteAndTag(page, text);
    assert.equal(await page.locator('#doc mark:text-is("Comisión Quipucamayoc")').count(), 0);

    const select = (needle) => page.evaluate((needle) => {
      const doc = document.getElementById("doc");
      const walker = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.data.indexOf(needle);
        if (i >= 0) {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + needle.length);
          const sel = getSelection();
          sel.removeAllRanges();
          sel.addRange(r);
          return true;
        }
      }
      return false;
    }, needle);

    assert.ok(await select("Comisión Quipucamayoc"));
    await page.waitForFunction(() => document.getElementById("add-text").value === "Comisión Quipucamayoc");
    await page.selectOption("#add-type", "INSTITUTION");
    await page.click("#add-btn");
    await page.waitForFunction(() => document.querySelectorAll("#doc mark").length > 0 &&
      [...document.querySelectorAll("#doc mark")].filter((m) => m.textContent === "Comisión Quipucamayoc").length === 2);
    const cq = await page.$$eval("#doc mark", (ms) => ms.filter((m) => m.textContent === "Comisión Quipucamayoc").map((m) => [m.dataset.entityType, m.dataset.entityId]));
    assert.deepEqual(cq, [["INSTITUTION", "my-comision-quipucamayoc"], ["INSTITUTION", "my-comision-quipucamayoc"]]);

    // "CQ" as an alias of the new entity.
    assert.ok(await select("CQ"));
    await page.waitForFunction(() => document.getElementById("add-text").value === "CQ");
    await page.check('input[name="add-mode"][value="alias"]');
    await page.selectOption("#add-target", "my-comision-quipucamayoc");
    await page.click("#add-btn");
    await page.waitForSelector('#doc mark[data-entity-id="my-comision-quipucamayoc"]:text-is("CQ")');

    // A label of the user's own, with the fallback colour.
    await page.fill("#add-text", "Plan Ñusta");
    await page.check('input[name="add-mode"][value="new"]');
    await page.selectOption("#add-type", "__custom");
    await page.fill("#add-label", "operation");
    await page.click("#add-btn");
    await page.waitForSelector('#doc mark[data-entity-type="OPERATION"]:text-is("Plan Ñusta")');
    const colour = await page.$eval('#doc mark[data-entity-type="OPERATION"]', (m) => getComputedStyle(m).backgroundColor);
    assert.notEqual(colour, "rgba(0, 0, 0, 0)");
    assert.equal(await page.locator('.legend-item[data-type="OPERATION"]').count(), 1);

    // Reload: the entries are still there.
    await page.reload();
    await page.waitForSelector("#input-text");
    await pasteAndTag(page, text);
    const after = await marks(page);
    assert.deepEqual(
      after.filter((m) => m.id.startsWith("my-")).map((m) => [m.text, m.type]),
      [["Comisión Quipucamayoc", "INSTITUTION"], ["CQ", "INSTITUTION"], ["Comisión Quipucamayoc", "INSTITUTION"], ["Plan Ñusta", "OPERATION"]],
    );
    assert.match(await page.textContent("#gaz-summary"), /2 entries added here/);

    // Upload a gazetteer file; export the whole of it as .gaz.
    await page.setInputFiles("#gaz-input", fixture("mine.gaz"));
    await page.waitForFunction(() => document.getElementById("status-text").textContent === "Loaded mine.gaz.");
    await pasteAndTag(page, "Operación Chasqui began; Chasqui ended.\n");
    assert.deepEqual((await marks(page)).map((m) => [m.text, m.type, m.id]), [
      ["Operación Chasqui", "OPERATION", "operacion-chasqui"], ["Chasqui", "OPERATION", "operacion-chasqui"],
    ]);
    const gaz = await saveDownload(page, "#gaz-export", "my-gazetteer.gaz");
    assert.equal(gaz.name, "my-gazetteer.gaz");
    assert.match(gaz.content, /^my-comision-quipucamayoc \| INSTITUTION \| Comisión Quipucamayoc \| CQ$/m);
    assert.match(gaz.content, /^my-plan-nusta \| OPERATION \| Plan Ñusta( \| )?$/m);
    assert.match(gaz.content, /^operacion-chasqui \| OPERATION \| Operación Chasqui \| Chasqui$/m);

    // A bad gazetteer is refused with the core's message, and changes nothing.
    await page.setInputFiles("#gaz-input", { name: "bad.gaz", mimeType: "text/plain", buffer: Buffer.from("x | PERSON\n") });
    await page.waitForFunction(() => /bad\.gaz:1: missing column/.test(document.getElementById("status-text").textContent));
    assert.equal(await page.locator("#gaz-list li").count(), 1);
    assert.deepEqual(log.errors, []);
    await ctx.close();
  });

  test("exports: JSON with the command line's fields, CSV and standalone HTML", async () => {
    const { ctx, page } = await fresh();
    await page.goto(server.url + "app/");
    await waitTagged(page);
    await page.setInputFiles("#file-input", fixture("accents.txt"));
    await page.waitForFunction(() => document.getElementById("doc-name").textContent === "accents.txt");
    await waitTagged(page);
    const shown = await marks(page);

    const json = await saveDownload(page, "#export-json", "accents.quipu.json");
    assert.equal(json.name, "accents.quipu.json");
    const doc = JSON.parse(json.content);
    assert.equal(doc.path, "accents.txt");
    assert.equal(doc.entities.length, shown.length);
    const keys = ["start", "end", "byte_start", "byte_end", "utf16_start", "utf16_end", "text", "type", "id", "name", "source"];
    for (const s of doc.entities) {
      assert.deepEqual(Object.keys(s).sort(), [...keys].sort());
      assert.equal(ACCENTS.slice(s.utf16_start, s.utf16_end), s.text);
      assert.equal([...ACCENTS].slice(s.start, s.end).join(""), s.text);
      assert.equal(Buffer.from(ACCENTS).subarray(s.byte_start, s.byte_end).toString(), s.text);
    }

    const csv = await saveDownload(page, "#export-csv", "accents.quipu.csv");
    assert.equal(csv.name, "accents.quipu.csv");
    const lines = csv.content.trimEnd().split("\r\n");
    assert.equal(lines[0], "doc,start,end,byte_start,byte_end,utf16_start,utf16_end,type,id,name,text,source");
    assert.equal(lines.length, shown.length + 1);
    assert.ok(lines.some((l) => /^accents\.txt,\d+,\d+,\d+,\d+,\d+,\d+,PERSON,montesinos-vladimiro,Vladimiro Montesinos,Vladimiro Montesinos,gazetteer$/.test(l)));

    const html = await saveDownload(page, "#export-html", "accents.quipu.html");
    assert.equal(html.name, "accents.quipu.html");
    assert.match(html.content, /^<!DOCTYPE html>/i);
    assert.equal((html.content.match(/<mark [^>]*data-entity-id=/g) || []).length, shown.length);
    assert.match(html.content, /data-entity-type="PERSON"/);
    assert.ok(html.content.includes("😀🎉 Crónica"));
    await ctx.close();
  });

  test("injection: markup in a document is shown as text and runs nothing, in the page and the HTML export", async () => {
    const { ctx, page, log } = await fresh();
    const evil = 'Lima <img src=x onerror=alert(1)> <script>alert(2)</script> "><svg onload=alert(3)> & Fujimori\n';
    await page.goto(server.url + "app/");
    await waitTagged(page);
    await pasteAndTag(page, evil);
    assert.equal(await page.textContent("#doc"), evil);
    assert.equal(await page.locator("#doc img, #doc script, #doc svg").count(), 0);
    assert.equal(await page.locator("img").count(), 0);
    // A gazetteer entry with markup in its name shows as text too.
    await page.fill("#add-text", "<b onmouseover=alert(4)>x</b>");
    await page.click("#add-btn");
    await page.waitForFunction(() => /Added/.test(document.getElementById("status-text").textContent));
    const html = await saveDownload(page, "#export-html", "evil.quipu.html");
    assert.ok(!html.content.includes("<img"), "the export escapes the text");
    assert.ok(html.content.includes("&lt;img src=x onerror=alert(1)&gt;"));
    // Open the export in the browser: nothing runs there either.
    const view = await ctx.newPage();
    view.on("dialog", (d) => { log.dialogs.push(d.message()); d.dismiss(); });
    await view.setContent(html.content);
    await view.waitForTimeout(300);
    assert.equal(await view.locator("img, script:not([type])").count(), 0);
    await page.hover("#doc mark");
    await page.waitForTimeout(300);
    assert.deepEqual(log.dialogs, [], "no dialog opened");
    await ctx.close();
  });

  test("a big document is tagged in the worker with progress, and the page stays responsive", async () => {
    const { ctx, page, log } = await fresh();
    await page.goto(server.url + "app/");
    await waitTagged(page);
    await pasteAndTag(page, ACCENTS);
    const perCopy = await page.locator("#doc mark").count();
    await page.click("#edit-btn");
    // About 4 MB: the fixture, repeated in paragraphs.
    await page.evaluate((t) => { document.getElementById("input-text").value = (t + "\n").repeat(12000); }, ACCENTS);
    const gaps = page.evaluate(() => new Promise((resolve) => {
      let last = performance.now();
      let worst = 0;
      const seen = new Set();
      const timer = setInterval(() => {
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
        const p = document.getElementById("progress");
        if (!p.hidden) seen.add(document.getElementById("status-text").textContent.split("…")[0]);
        if (!document.getElementById("export-json").disabled && !document.getElementById("result").hidden) {
          clearInterval(timer);
          resolve({ worst, phases: [...seen] });
        }
      }, 20);
    }));
    await page.click("#tag-btn");
    const { worst, phases } = await gaps;
    assert.ok(phases.some((p) => p.startsWith("Tagging")), `phases: ${phases}`);
    assert.ok(phases.some((p) => p.startsWith("Rendering")), `phases: ${phases}`);
    assert.equal(await page.locator("#doc mark").count(), 12000 * perCopy);
    assert.ok(worst < 1500, `the main thread was blocked ${worst.toFixed(0)} ms at most`);
    console.log(`# big document: longest main-thread pause ${worst.toFixed(0)} ms; phases ${phases.join(", ")}`);
    assert.deepEqual(log.errors, []);
    await ctx.close();
  });

  test("works offline once loaded (service worker)", async () => {
    const { ctx, page } = await fresh();
    await page.goto(server.url + "app/");
    await waitTagged(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await page.waitForSelector("#input-text");
    await page.evaluate(() => navigator.serviceWorker.ready);
    await ctx.setOffline(true);
    await page.reload();
    await page.waitForSelector("#input-text");
    await pasteAndTag(page, ACCENTS);
    await checkAccents(page);
    await ctx.close();
  });

  test("the tagging worker requests, and the service worker keeps, every module the page imports", () => {
    // The web/-relative paths of the static imports reachable from `entry`.
    const graph = (entry, seen = new Set()) => {
      if (seen.has(entry)) return seen;
      seen.add(entry);
      const source = readFileSync(join(WEB, entry), "utf8");
      for (const m of source.matchAll(/^\s*(?:import|export)\b[^;"]*?\bfrom\s+"(\.{1,2}\/[^"]+)"|^\s*import\s+"(\.{1,2}\/[^"]+)"/gm)) {
        graph(posix.join(posix.dirname(entry), m[1] ?? m[2]), seen);
      }
      return seen;
    };
    // app/worker.js asks for the package worker's modules all at once: one found only by
    // importing another would wait for it.
    const worker = readFileSync(join(WEB, "app/worker.js"), "utf8");
    const asked = new Set([...worker.matchAll(/import\("(\.\.\/[^"]+)"\)/g)].map((m) => posix.join("app", m[1])));
    const workerModules = graph("package/src/worker.js");
    assert.ok(workerModules.size >= 5, [...workerModules].join(" "));
    for (const path of workerModules) assert.ok(asked.has(path), `app/worker.js does not ask for ${path} with the rest`);
    // sw.js keeps them at install, for a first visit's pages to work offline.
    const kept = new Set([...readFileSync(join(WEB, "sw.js"), "utf8").matchAll(/"\.\/([^"]+)"/g)].map((m) => m[1]));
    for (const path of [...workerModules, ...graph("app/app.js"), "app/worker.js", "app/start.js"]) {
      assert.ok(kept.has(path), `sw.js does not keep ${path}`);
    }
  });

  test("no request ever left the page's origin", () => {
    const all = logs.flatMap((l) => outsideRequests(l, server.url));
    assert.deepEqual(all, []);
    assert.ok(logs.flatMap((l) => l.requests).some((u) => u.endsWith(".wasm")), "the wasm was requested");
  });
});

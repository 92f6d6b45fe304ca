// Browser tests of context rules and linking in the page (issue 7): rule-found marks are
// dashed, linked ones dotted; the switches; accepting a rule-found entity into the user's
// gazetteer. The fixture is made up for these tests.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SHOTS, openPage, outsideRequests, pasteAndTag, toggle, waitTagged, withServerAndBrowser } from "./harness.mjs";

const TEXT = readFileSync(fileURLToPath(new URL("./fixtures/rules.txt", import.meta.url)), "utf8");
const RAMIRO = "person:ramiro-quispe-huaman";

let server;
let browser;
const logs = [];

async function fresh(options) {
  const p = await openPage(browser, server.url, options);
  logs.push(p.log);
  return p;
}

/** The marks with their source and outline style: [{ text, type, id, source, outline }]. */
function sourced(page) {
  return page.$$eval("#doc mark", (ms) =>
    ms.map((m) => ({
      text: m.textContent,
      type: m.dataset.entityType,
      id: m.dataset.entityId,
      source: m.dataset.source,
      outline: getComputedStyle(m).outlineStyle,
    })));
}

withServerAndBrowser((env) => ({ server, browser } = env));

describe("context rules and linking in the page", () => {
  test("rule-found marks are dashed, linked ones dotted, with badges, a key and words in the details", async () => {
    for (const colorScheme of ["light", "dark"]) {
      const { ctx, page, log } = await fresh({ colorScheme });
      await page.goto(server.url + "app/");
      await waitTagged(page);
      await pasteAndTag(page, TEXT);
      const ms = await sourced(page);
      const by = (text) => ms.filter((m) => m.text === text);
      assert.deepEqual(by("Ramiro Quispe Huamán"), [
        { text: "Ramiro Quispe Huamán", type: "PERSON", id: RAMIRO, source: "rule:title", outline: "dashed" },
      ]);
      assert.deepEqual(by("Quispe"), [{ text: "Quispe", type: "PERSON", id: RAMIRO, source: "linked", outline: "dotted" }]);
      assert.deepEqual(by("Lima").map((m) => [m.type, m.source, m.outline]), [["PLACE", "gazetteer", "none"]]);
      assert.deepEqual(by("Directorate of Rural Roads").map((m) => [m.type, m.source, m.outline]), [["INSTITUTION", "rule:org-keyword", "dashed"]]);
      assert.deepEqual(by("DRR").map((m) => m.source), ["rule:acronym", "linked"]);
      // "Gen." stays outside the span.
      assert.equal(ms.filter((m) => m.text.includes("Gen")).length, 0);

      // The key, next to the switches.
      assert.equal(await page.locator('.doc-settings .key[data-source="rule"]').isVisible(), true);
      assert.equal(await page.locator('.doc-settings .key[data-source="linked"]').isVisible(), true);
      assert.equal(await page.$eval('.key[data-source="rule"]', (k) => getComputedStyle(k).borderTopStyle), "dashed");
      assert.equal(await page.$eval('.key[data-source="linked"]', (k) => getComputedStyle(k).borderTopStyle), "dotted");

      // Badges in the entity panel.
      const badges = (id) => page.$$eval(`#entity-list button[data-entity-id="${id}"] .badge`, (bs) => bs.map((b) => b.textContent));
      assert.deepEqual(await badges(RAMIRO), ["rule", "linked"]);
      const lima = ms.find((m) => m.text === "Lima").id;
      assert.deepEqual(await badges(lima), []);
      assert.match(await page.getAttribute(`#entity-list button[data-entity-id="${RAMIRO}"]`, "aria-label"), /found by a context rule/);

      // The details say how each mention was found.
      await page.click('#doc mark:text-is("Ramiro Quispe Huamán")');
      assert.match(await page.textContent("#d-source .how"), /^Found by a context rule: title$/);
      assert.match(await page.textContent("#d-source"), /linked to an earlier mention in this document/);
      assert.equal(await page.locator("#d-accept").isVisible(), true);
      await page.click('#doc mark:text-is("Quispe")');
      assert.equal(await page.textContent("#mention-pos"), "2 / 2");
      assert.match(await page.textContent("#d-source .how"), /^Linked to an earlier mention in this document/);
      await page.click('#doc mark:text-is("Lima")');
      assert.match(await page.textContent("#d-source .how"), /^Gazetteer match/);
      assert.equal(await page.locator("#d-accept").isVisible(), false, "a gazetteer match has nothing to accept");

      await page.click('#doc mark:text-is("Ramiro Quispe Huamán")');
      await page.mouse.move(0, 0);
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${SHOTS}rules-${colorScheme}.png` });
      assert.deepEqual(log.errors, []);
      await ctx.close();
    }
  });

  test("switching rules and linking off removes their marks, kept across reloads", async () => {
    const { ctx, page, log } = await fresh();
    await page.goto(server.url + "app/");
    await waitTagged(page);
    await pasteAndTag(page, TEXT);
    assert.equal(await page.isChecked("#opt-rules"), true, "rules on by default");
    assert.equal(await page.isChecked("#opt-linking"), true, "linking on by default");
    const sources = async () => (await sourced(page)).map((m) => `${m.text}=${m.source}`);

    await toggle(page, "opt-linking", false);
    let now = await sources();
    assert.ok(now.includes("Ramiro Quispe Huamán=rule:title"), now.join(", "));
    assert.ok(!now.some((s) => s.endsWith("=linked")), now.join(", "));
    assert.equal(await page.textContent("#doc"), TEXT);

    await toggle(page, "opt-rules", false);
    now = await sources();
    assert.deepEqual(now, ["Lima=gazetteer"]);
    assert.equal(await page.locator(`#entity-list button[data-entity-id="${RAMIRO}"]`).count(), 0);

    // Kept in localStorage: still off after a reload.
    await page.reload();
    await page.waitForSelector("#input-text");
    await pasteAndTag(page, TEXT);
    assert.equal(await page.isChecked("#opt-rules"), false);
    assert.equal(await page.isChecked("#opt-linking"), false);
    assert.deepEqual(await sources(), ["Lima=gazetteer"]);

    // Rules back on, linking still off; then linking too.
    await toggle(page, "opt-rules", true);
    now = await sources();
    assert.ok(now.includes("Ramiro Quispe Huamán=rule:title"), now.join(", "));
    assert.ok(!now.includes("Quispe=linked"), now.join(", "));
    await toggle(page, "opt-linking", true);
    assert.ok((await sources()).includes("Quispe=linked"));
    await page.screenshot({ path: `${SHOTS}rules-switches.png`, clip: { x: 0, y: 0, width: 1280, height: 420 } });
    assert.deepEqual(log.errors, []);
    await ctx.close();
  });

  test("one click accepts a rule-found entity into my gazetteer, found by it after a reload", async () => {
    const { ctx, page, log } = await fresh();
    await page.goto(server.url + "app/");
    await waitTagged(page);
    await pasteAndTag(page, TEXT);

    await page.click(`#entity-list button[data-entity-id="${RAMIRO}"]`);
    assert.equal(await page.textContent("#d-accept"), "Add to my gazetteer");
    await page.click("#d-accept");
    const mine = "my-ramiro-quispe-huaman";
    await page.waitForSelector(`#doc mark[data-entity-id="${mine}"][data-source="gazetteer"]:text-is("Ramiro Quispe Huamán")`);
    await page.waitForFunction(() => /^Added “Ramiro Quispe Huamán” to your gazetteer/.test(document.getElementById("status-text").textContent));
    let ms = await sourced(page);
    const ramiro = ms.find((m) => m.text === "Ramiro Quispe Huamán");
    assert.deepEqual(ramiro, { text: "Ramiro Quispe Huamán", type: "PERSON", id: mine, source: "gazetteer", outline: ramiro.outline });
    assert.notEqual(ramiro.outline, "dashed", "no longer outlined as rule-found");
    assert.equal(await page.$eval("mark.is-current", (m) => m.dataset.entityId), mine, "the accepted entity stays selected");
    // The details now show the user's gazetteer, and nothing more to accept.
    assert.equal(await page.textContent("#d-name"), "Ramiro Quispe Huamán");
    assert.match(await page.textContent("#d-source .how"), /^Gazetteer match \(yours: my-entities\.json\)$/);
    assert.equal(await page.locator("#d-accept").isVisible(), false);
    assert.deepEqual(await page.$$eval(`#entity-list button[data-entity-id="${mine}"] .badge`, (bs) => bs.map((b) => b.textContent)), ["linked"]);
    assert.match(await page.textContent("#gaz-summary"), /^1 entry added here/);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SHOTS}rules-accepted.png` });

    // An institution found by a rule, with its acronym: the acronym comes along as an alias.
    await page.click('#doc mark:text-is("Directorate of Rural Roads")');
    assert.match(await page.textContent("#d-source .how"), /^Found by a context rule: org-keyword$/);
    await page.click("#d-accept");
    await page.waitForSelector('#doc mark[data-entity-id="my-directorate-of-rural-roads"][data-source="gazetteer"]:text-is("Directorate of Rural Roads")');
    ms = await sourced(page);
    assert.deepEqual(ms.filter((m) => m.text === "DRR").map((m) => [m.id, m.source]), [
      ["my-directorate-of-rural-roads", "gazetteer"], ["my-directorate-of-rural-roads", "gazetteer"],
    ]);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem("quipu.gazetteer.v1")).records);
    assert.deepEqual(stored, [
      { id: mine, type: "PERSON", name: "Ramiro Quispe Huamán" },
      { id: "my-directorate-of-rural-roads", type: "INSTITUTION", name: "Directorate of Rural Roads", aliases: ["DRR"] },
    ]);

    // After a reload, and with the rules off, the gazetteer finds both.
    await page.reload();
    await page.waitForSelector("#input-text");
    await pasteAndTag(page, TEXT);
    ms = await sourced(page);
    assert.deepEqual(ms.filter((m) => m.text === "Ramiro Quispe Huamán").map((m) => [m.id, m.source]), [[mine, "gazetteer"]]);
    await toggle(page, "opt-rules", false);
    ms = await sourced(page);
    assert.deepEqual(ms.map((m) => [m.text, m.id, m.source]).filter(([, id]) => id.startsWith("my-")), [
      ["Ramiro Quispe Huamán", mine, "gazetteer"],
      ["Quispe", mine, "linked"],
      ["Directorate of Rural Roads", "my-directorate-of-rural-roads", "gazetteer"],
      ["DRR", "my-directorate-of-rural-roads", "gazetteer"],
      ["DRR", "my-directorate-of-rural-roads", "gazetteer"],
    ]);
    await toggle(page, "opt-rules", true);
    assert.deepEqual(log.errors, []);
    await ctx.close();
  });

  test("no request left the page's origin", () => {
    assert.deepEqual(logs.flatMap((l) => outsideRequests(l, server.url)), []);
  });
});

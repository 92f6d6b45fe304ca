// The package's spans in Node (no browser): `tag` gets them from the wasm in columns
// (`tagPacked`, `SpanTable`) and makes the objects in JavaScript; they must be the spans the
// wasm's own `tag` gives (serde-wasm-bindgen objects), field for field and in field order.

import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const pkg = new URL("../package/", import.meta.url);
let api;
let chunks;

before(async () => {
  api = await import(new URL("src/tagger.js", pkg));
  chunks = await import(new URL("src/chunks.js", pkg));
  await api.initWasm(readFileSync(new URL("pkg/quipu_wasm_bg.wasm", pkg)));
});

const ACCENTS = readFileSync(new URL("./fixtures/accents.txt", import.meta.url), "utf8");
// Rules and linking at work, emoji before names, and a lone surrogate.
const RULES = "😀 Gen. Ramiro Quispe Huamán met the press.\n\nQuispe said nothing in Lima; the " +
  "Comisión de la Verdad (CVR) wrote to the CVR.\n\nx\uD800 FUJIMORI'S MINISTERS MET IN LIMA.\n";

describe("packed spans", () => {
  test("tag() gives the spans of the wasm's tag(), in the same field order", async () => {
    for (const options of [{}, { rules: false, linking: false }, { types: ["PLACE"] }]) {
      const tagger = await api.createTagger(options);
      for (const text of [ACCENTS, RULES, ACCENTS.repeat(40), ""]) {
        const reference = tagger.inner.tag(text);
        const spans = tagger.tag(text);
        assert.equal(JSON.stringify(spans), JSON.stringify(reference), `${JSON.stringify(options)}: ${text.slice(0, 30)}`);
        for (const s of spans) assert.equal(text.slice(s.utf16_start, s.utf16_end), s.text);
      }
      const sources = new Set(tagger.tag(RULES).map((s) => s.source));
      if (options.rules !== false && !options.types) assert.ok(sources.has("linked") && [...sources].some((s) => s.startsWith("rule:")), [...sources].join());
      tagger.free();
    }
  });

  test("tagPacked: columns and a table of distinct strings", async () => {
    const tagger = await api.createTagger();
    const text = ACCENTS.repeat(10);
    const p = tagger.tagPacked(text);
    assert.ok(p.numbers instanceof Uint32Array && p.refs instanceof Uint32Array);
    assert.equal(p.numbers.length, p.count * 6);
    assert.equal(p.refs.length, p.count * 4);
    assert.equal(new Set(p.strings).size, p.strings.length, "each string once");
    assert.ok(p.strings.length < p.count, `${p.strings.length} strings for ${p.count} spans`);
    assert.deepEqual(chunks.unpackSpans(p, text), tagger.inner.tag(text));
    tagger.free();
  });

  test("tagInPieces: pieces give the whole text's spans (gazetteer only), with whole-text offsets", async () => {
    const tagger = await api.createTagger({ rules: false, linking: false });
    const text = (ACCENTS + "\n\n").repeat(30);
    const whole = tagger.inner.tag(text);
    const progress = [];
    const pieces = tagger.tagInPieces(text, { pieceSize: 2000, onProgress: (done, total) => progress.push([done, total]) });
    assert.ok(progress.length > 2, `${progress.length} pieces`);
    assert.deepEqual(progress.at(-1), [text.length, text.length]);
    assert.deepEqual(pieces, whole);
    const packed = tagger.tagPackedInPieces(text, { pieceSize: 2000 });
    assert.deepEqual(chunks.unpackSpans(packed, text), whole);
    tagger.free();
  });

  test("entitiesById: the entities of entity(), null for an unknown id", async () => {
    const tagger = await api.createTagger();
    const ids = [...new Set(tagger.tag(ACCENTS).map((s) => s.id)), "no-such-id"];
    const found = tagger.entitiesById(ids);
    assert.equal(found.length, ids.length);
    ids.slice(0, -1).forEach((id, i) => assert.deepEqual(found[i], tagger.entity(id)));
    assert.equal(found.at(-1), null);
    tagger.free();
  });

  test("gazetteers added later are rebuilt from their texts: adding, clearing, adding again", async () => {
    const tagger = await api.createTagger({ gazetteers: [{ name: "one.gaz", content: "zarkov | PERSON | Ilse Zarkov | Zarkov" }] });
    const ids = (t) => tagger.tag(t).map((s) => s.id);
    assert.deepEqual(ids("Zarkov met Xantor."), ["zarkov"]);
    tagger.addGazetteer("xantor | PLACE | Xantor", { name: "two.gaz" });
    assert.deepEqual(ids("Zarkov met Xantor."), ["zarkov", "xantor"]);
    tagger.addGazetteer({ entities: [{ id: "vorn", type: "PLACE", name: "Vornhall" }] });
    assert.deepEqual(ids("Zarkov met Xantor in Vornhall."), ["zarkov", "xantor", "vorn"]);
    assert.throws(() => tagger.addGazetteer("zarkov | PLACE | Zarkov", { name: "clash.gaz" }));
    assert.deepEqual(ids("Zarkov met Xantor in Vornhall."), ["zarkov", "xantor", "vorn"]);
    assert.equal(tagger.entity("vorn").origin, "gazetteer.json");
    tagger.clearGazetteers();
    assert.deepEqual(ids("Zarkov met Xantor in Vornhall. Lima."), ["geo-3936456"]);
    tagger.addGazetteer("xantor | PLACE | Xantor", { name: "two.gaz" });
    assert.deepEqual(ids("Zarkov met Xantor."), ["xantor"]);
    tagger.free();
  });
});

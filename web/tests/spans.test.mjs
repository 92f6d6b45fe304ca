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

  test("tag() of big texts, piece by piece through one buffer: the spans of one call", async () => {
    // Gazetteer only (rules and linking off): the wasm tags pieces of about 4 MiB cut where
    // the core's matcher cuts (after a paragraph break, else a line break, else a space).
    const gazetteers = [{
      name: "mine.gaz",
      content: "lima | PLACE | Lima\nsm | PLACE | San Martín\nfuji | PERSON | Alberto Fujimori | Fujimori\n" +
        "ff | INSTITUTION | Armed Forces\nperu | PLACE | Perú\nzh | PERSON | Ж",
    }];
    const tagger = await api.createTagger({ defaultGazetteer: false, rules: false, linking: false, gazetteers });
    assert.equal(tagger.inner.tagsInPieces, true);
    const memory = (await api.initWasm()).memory;
    let seed = 7;
    const random = (n) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // Names at both ends of every paragraph, so at every cut; emoji and flags (two UTF-16
    // units, four bytes), accents (two bytes), a lone surrogate (three bytes as U+FFFD).
    const make = (mb, sep, fix = (w) => w) => {
      const out = [];
      let n = 0;
      while (n < mb * 1e6) {
        let p = "Lima,";
        // Mostly words that are no name (a name every few words in the benchmark's text).
        for (let k = random(150); k > 0; k--) p += fix(random(12) ? FILLER[random(FILLER.length)] : WORDS[random(WORDS.length)]);
        p += "Fujimori" + sep;
        out.push(p);
        n += Buffer.byteLength(p);
      }
      return out.join("");
    };
    const FILLER = ["the ", "of ", "señora ", "and ", "ñandú ", "über ", "año ", "report ", "said\n", "💬 ", "THE ", "mañana, "];
    const WORDS = ["the ", "señor ", "Lima ", "LIMA ", "Fujimori's ", "😀 ", "🇵🇪 ", "San Martín ", "SAN MARTIN ",
      "Armed\nForces ", "ARMED FORCES ", "Perúvian ", "Perú ", "é ", "ж ", "x\uD800 ", "Lima\n", "Fujimori’s\n", "\n"];
    const texts = {
      // Cut after a paragraph break, next to names.
      paragraphs: make(6, "\n\n"),
      // No blank line, every line break inside a name: the cut splits "Armed\nForces" (the
      // core's matcher misses it there, and so must the pieces).
      lines: make(6, "; ", (w) => (/Armed/.test(w) ? w : w.replaceAll("\n", " "))),
      // No line break, every space inside a name: the cut splits "San Martín".
      spaces: make(6, ",", (w) => (w === "San Martín " ? "San Martín," : w.replace(/[ \n]/g, ","))),
    };
    const calls = []; // the UTF-16 length of each piece tagged
    const sizes = []; // and its size in the buffer, in bytes
    let wholeCalls = 0;
    const tagUtf8 = tagger.inner.tagUtf8.bind(tagger.inner);
    tagger.inner.tagUtf8 = (...a) => (wholeCalls++, tagUtf8(...a));
    const tagPiece = tagger.inner.tagPiece.bind(tagger.inner);
    tagger.inner.tagPiece = (...a) => {
      sizes.push(a[1]);
      const table = tagPiece(...a);
      calls.push(table ? table.utf16 : null);
      return table;
    };
    for (const [name, text] of Object.entries(texts)) {
      const bytes = new TextEncoder().encode(text).length;
      calls.length = 0;
      sizes.length = 0;
      const spans = tagger.tag(text);
      assert.ok(calls.length >= 2, `${name}: ${calls.length} pieces`);
      const cuts = calls.slice();
      // The text never goes in whole: pieces of at most pieceWindow() bytes, one buffer.
      assert.ok(sizes.every((n) => n <= 4194320) && !wholeCalls, `${name}: ${sizes}, ${wholeCalls} whole`);
      if (name === "paragraphs") {
        // The wasm memory holds a piece at a time, whatever the length of the text: eight
        // times the text takes less than half its size more (one call would copy it all in,
        // and hold all its spans).
        const before = memory.buffer.byteLength;
        const long = text.repeat(8);
        assert.equal(tagger.tag(long).length, 8 * spans.length);
        const grown = memory.buffer.byteLength - before;
        assert.ok(grown < (8 * bytes) / 2, `the wasm memory grew by ${grown} bytes for ${8 * bytes} bytes of text`);
      }
      // One call: the text copied in whole.
      const whole = tagger.inner.tag(text);
      assert.ok(whole.length > 10000, `${name}: ${whole.length} spans`);
      assert.equal(spans.length, whole.length, name);
      assert.ok(JSON.stringify(spans) === JSON.stringify(whole), `${name}: the spans differ`);
      for (const s of spans) assert.equal(text.slice(s.utf16_start, s.utf16_end), s.text);
      // The cuts: names next to each, astral characters and accents before it.
      let cut = 0;
      for (const len of cuts.slice(0, -1)) {
        cut += len;
        const near = name === "paragraphs" ? 1 : 400;
        assert.ok(spans.some((s) => s.utf16_end <= cut && s.utf16_end + near >= cut), `${name}: a name ends at ${cut}`);
        assert.ok(spans.some((s) => s.utf16_start >= cut && s.utf16_start <= cut + near), `${name}: a name starts at ${cut}`);
        const before = spans.filter((s) => s.utf16_end <= cut).at(-1);
        assert.ok(before.start < before.utf16_start && before.start < before.byte_start, `${name}: offsets differ at ${cut}`);
      }
      // Where the last cut fell: between two paragraphs, in a name broken across lines, in a
      // name with a space.
      const at = { paragraphs: [1, 1, "\n\n"], lines: [6, 6, "Armed\nForces"], spaces: [4, 6, "San Martín"] }[name];
      assert.equal(text.slice(cut - at[0], cut + at[1]), at[2]);
    }
    // Where the core would cut a piece at no white space, the text is tagged in one call.
    const solid = "Lima " + "é".repeat(5e6) + " Lima";
    calls.length = 0;
    assert.deepEqual(tagger.tag(solid), tagger.inner.tag(solid));
    assert.deepEqual([calls, wholeCalls], [[null], 1]);
    // With rules or linking on, tag() makes one call (linking reads the whole document).
    const linked = await api.createTagger({ defaultGazetteer: false, gazetteers });
    assert.equal(linked.inner.tagsInPieces, false);
    linked.free();
    tagger.free();
  });

  test("setDefaultGazetteerModule: the module's bytes, read by the wasm, give the default gazetteer", async () => {
    const wasm = await import(new URL("pkg/quipu_wasm.js", pkg));
    const bytes = readFileSync(new URL("dist/default-gazetteer.js", pkg));
    const { DEFAULT_GAZETTEER } = await import(new URL("dist/default-gazetteer.js", pkg));
    const text = readFileSync(new URL("./fixtures/accents.txt", import.meta.url), "utf8");
    const of = () => {
      const t = new wasm.Tagger({});
      try {
        return { stats: t.stats(), spans: t.tag(text) };
      } finally {
        t.free();
      }
    };
    wasm.setDefaultGazetteer(DEFAULT_GAZETTEER);
    const fromTexts = of();
    wasm.setDefaultGazetteerModule(new Uint8Array(bytes));
    const fromModule = of();
    assert.deepEqual(fromModule, fromTexts);
    assert.ok(fromModule.stats.entities > 1000 && fromModule.spans.length > 5);
    for (const bad of ["", "export const X = 1;", bytes.toString().replace("content: ", "contents: ")]) {
      assert.throws(() => wasm.setDefaultGazetteerModule(new TextEncoder().encode(bad)), /not the text of quipu-tagger's dist\/default-gazetteer.js/);
    }
    assert.throws(() => wasm.setDefaultGazetteerModule(new Uint8Array([0xff])), /utf-8/i);
    assert.deepEqual(of(), fromTexts, "an error changes nothing");
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

// The package's UTF-8 encoder into the wasm memory (package/src/utf8.wat, through the JS
// String Builtins): its bytes are those of the .wat, it writes exactly what
// `TextEncoder.encodeInto` writes, and in chromium (which has the builtins) `tag()` takes it
// and gives the spans of one call. Node 20 has no builtins: there `tag()` keeps TextEncoder
// (spans.test.mjs).

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { openPage, withServerAndBrowser } from "./harness.mjs";

let server;
let browser;

withServerAndBrowser((env) => ({ server, browser } = env));

describe("the UTF-8 encoder into the wasm memory", () => {
  test("src/utf8.js holds the bytes of src/utf8.wat", () => {
    const tool = fileURLToPath(new URL("../package/tools/utf8-wasm.mjs", import.meta.url));
    execFileSync(process.execPath, [tool, "--check"], { stdio: "pipe" });
  });

  test("in chromium it is used, and writes what TextEncoder.encodeInto writes", async () => {
    const { ctx, page, log } = await openPage(browser, server.url);
    try {
      await page.goto(server.url + "app/");
      const result = await page.evaluate(async () => {
        const { wasmEncoder } = await import("/package/src/utf8.js");
        const memory = new WebAssembly.Memory({ initial: 2 });
        const encodeInto = wasmEncoder(memory);
        if (!encodeInto) return { available: false };
        const text = new TextEncoder();
        const differences = [];
        let compared = 0;
        const compare = (s, ptr, capacity) => {
          const ours = encodeInto(s, ptr, capacity);
          const bytes = new Uint8Array(memory.buffer, ptr, ours.written).slice();
          const expected = new Uint8Array(capacity);
          const theirs = text.encodeInto(s, expected);
          compared++;
          const same =
            ours.read === theirs.read && ours.written === theirs.written &&
            bytes.every((b, i) => b === expected[i]);
          if (!same && differences.length < 5) differences.push({ s: [...s].map((c) => c.codePointAt(0).toString(16)), capacity, ours, theirs });
        };
        // Every width, lone surrogates of both kinds, a pair broken by the end, each cut by
        // every capacity from nothing to all of it.
        const table = ["", "a", "é", "ж", "€", "\uFFFF", "😀", "\u{10FFFF}", "\uD800", "\uDC00", "\uDBFF\uDFFF",
          "a\uD800b", "\uDC00\uD800", "\uD800\uD800\uDC00", "x\uDBFF", "Perú 🇵🇪 Lima\n", "ñandú\u0000\u007F\u0080\u07FF\u0800"];
        for (const s of table) {
          for (let capacity = 0; capacity <= 4 * s.length + 1; capacity++) compare(s, 7, capacity);
        }
        // Random strings: mostly ASCII, some of every width and surrogates alone or paired.
        let seed = 11;
        const random = (n) => {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          return seed % n;
        };
        const unit = () => {
          switch (random(8)) {
            case 0: return String.fromCharCode(0x80 + random(0x780));
            case 1: return String.fromCharCode(0x800 + random(0xD000));
            case 2: return String.fromCharCode(0xD800 + random(0x800));
            case 3: return String.fromCodePoint(0x10000 + random(0x100000));
            default: return String.fromCharCode(random(0x80));
          }
        };
        for (let k = 0; k < 1000; k++) {
          let s = "";
          for (let n = random(300); n > 0; n--) s += unit();
          compare(s, random(64), random(4 * s.length + 2));
          compare(s, 0, 4 * s.length);
        }
        // Where the memory grows after the encoder was made.
        memory.grow(1);
        compare("señor 😀".repeat(3000), 70000, 100000);
        return { available: true, compared, differences };
      });
      assert.equal(result.available, true, "chromium has wasm GC and the js-string builtins");
      assert.deepEqual(result.differences, []);
      assert.ok(result.compared > 2000, `${result.compared} compared`);
      assert.deepEqual(log.errors, []);
    } finally {
      await ctx.close();
    }
  });

  test("in chromium tag() of a text of several pieces gives the spans of one call", async () => {
    const { ctx, page, log } = await openPage(browser, server.url);
    try {
      await page.goto(server.url + "app/");
      const result = await page.evaluate(async () => {
        const api = await import("/package/src/tagger.js");
        const { wasmEncoder } = await import("/package/src/utf8.js");
        const wasm = await api.initWasm(new URL("/package/pkg/quipu_wasm_bg.wasm", location.href));
        const gazetteers = [{ name: "mine.gaz", content: "lima | PLACE | Lima\nsm | PLACE | San Martín\nfuji | PERSON | Alberto Fujimori | Fujimori\nzh | PERSON | Ж" }];
        const tagger = await api.createTagger({ defaultGazetteer: false, rules: false, linking: false, gazetteers });
        // Emoji and flags, accents, Cyrillic, lone surrogates, names at the paragraphs' ends.
        const words = ["Lima ", "señor ", "😀 ", "🇵🇪 ", "San Martín ", "x\uD800 ", "\uDC00y ", "Ж ", "Fujimori's ", "the ", "of ", "mañana, "];
        const parts = [];
        let seed = 3;
        for (let n = 0; n < 13e6; ) {
          let p = "Lima,";
          for (let k = 0; k < 60; k++) {
            seed = (seed * 1103515245 + 12345) % 2147483648;
            p += words[seed % words.length];
          }
          p += "Fujimori\n\n";
          parts.push(p);
          n += p.length * 1.3;
        }
        const text = parts.join("");
        const pieces = [];
        const tagPiece = tagger.inner.tagPiece.bind(tagger.inner);
        tagger.inner.tagPiece = (...a) => {
          const table = tagPiece(...a);
          pieces.push(table ? table.utf16 : null);
          return table;
        };
        const spans = tagger.tag(text);
        const whole = tagger.inner.tag(text);
        const same = spans.length === whole.length && JSON.stringify(spans) === JSON.stringify(whole);
        const texts = spans.every((s) => text.slice(s.utf16_start, s.utf16_end) === s.text);
        tagger.free();
        return { used: !!wasmEncoder(wasm.memory), pieces, spans: spans.length, same, texts };
      });
      assert.equal(result.used, true);
      assert.ok(result.pieces.length >= 3 && !result.pieces.includes(null), `pieces: ${result.pieces}`);
      assert.ok(result.spans > 100000, `${result.spans} spans`);
      assert.equal(result.same, true, "the spans of tag() and of the wasm's own tag() differ");
      assert.equal(result.texts, true);
      assert.deepEqual(log.errors, []);
    } finally {
      await ctx.close();
    }
  });
});

// Helpers shared by node-bench.mjs and browser-bench.mjs: the benchmark data (written by
// `quipu-bench gen` and gen-large.mjs), slices, medians, result rows and atomic writes.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const GAZETTEERS = ["small", "default", "large"];
export const RUNS = 3;

/** Command line: `<dir> [--quick] [--only a,b] [--gazetteers small,default,large]`. */
export function parseArgs(argv, usage) {
  const args = argv.slice(2);
  const valued = ["--only", "--gazetteers"];
  const dir = args.find((a, i) => !a.startsWith("--") && !(i > 0 && valued.includes(args[i - 1])));
  if (!dir) {
    console.error(usage);
    process.exit(2);
  }
  const i = args.indexOf("--only");
  const g = args.indexOf("--gazetteers");
  const gazetteers = g >= 0 ? (args[g + 1] || "").split(",") : GAZETTEERS;
  const unknown = gazetteers.filter((x) => !GAZETTEERS.includes(x));
  if (unknown.length || !gazetteers.length) {
    console.error(`unknown gazetteer ${unknown.join(", ") || "(none)"}: --gazetteers takes some of ${GAZETTEERS.join(",")}\n${usage}`);
    process.exit(2);
  }
  return {
    dir: resolve(dir),
    quick: args.includes("--quick"),
    only: i >= 0 ? new Set(args[i + 1].split(",")) : null,
    gazetteers,
  };
}

export const log = (...a) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

export const round = (x, d = 2) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
/** 10^6 bytes per second, to three significant digits at least (the JS peers are slow). */
export const mbps = (bytes, ms) => {
  if (!(ms > 0)) return null;
  const x = bytes / 1e6 / (ms / 1000);
  return round(x, x >= 1 ? 2 : Math.max(2, 2 - Math.floor(Math.log10(x))));
};

/** Reads `<dir>/meta.json` (or measures text.txt when absent). */
export function readMeta(dir) {
  const p = join(dir, "meta.json");
  if (existsSync(p)) return JSON.parse(readFileSync(p, "utf8"));
  return { text_bytes: readFileSync(join(dir, "text.txt")).length };
}

/**
 * The first `n` bytes of a UTF-8 buffer as a string, cut at the last line break (or space)
 * before `n` when there is one in the last tenth, and never inside a character.
 */
export function sliceBytes(buf, n) {
  if (n >= buf.length) return buf.toString("utf8");
  let end = n;
  const floor = Math.floor(n * 0.9);
  let cut = buf.lastIndexOf(0x0a, end - 1);
  if (cut < floor) cut = buf.lastIndexOf(0x20, end - 1);
  if (cut >= floor) end = cut + 1;
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString("utf8");
}

export const utf8Bytes = (s) => Buffer.byteLength(s, "utf8");

/** The gazetteer options of `createTagger` for one of the benchmark's gazetteers. */
export function gazetteerFiles(dir, gaz) {
  if (gaz === "small") return { defaultGazetteer: false, files: ["small.gaz"] };
  if (gaz === "default") return { defaultGazetteer: true, files: [] };
  if (gaz === "large") return { defaultGazetteer: true, files: ["large-cities.gaz"] };
  throw new Error(`unknown gazetteer ${gaz}`);
}

/** A result row with every common field present (null when not measured). */
export function row(fields) {
  return {
    engine: null,
    runtime: null,
    gazetteer: null,
    patterns: null,
    build_ms: null,
    bytes: null,
    tag_ms: null,
    mb_per_s: null,
    matches: null,
    peak_mb: null,
    note: "",
    ...fields,
  };
}

/** Writes `<dir>/results/<name>.json` atomically (a temporary file, then a rename). */
export function writeResults(dir, name, rows) {
  const out = join(dir, "results", `${name}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out + ".tmp", JSON.stringify(rows, null, 2) + "\n");
  renameSync(out + ".tmp", out);
  return out;
}

/** The folder of the quipu-tagger package (web/package, linked by npm as a file: dependency). */
export function packageDir() {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("quipu-tagger/package.json"));
}

/** The bare aho-corasick wasm built by bench/build-ac-wasm. */
export const AC_WASM_DIR = join(resolve(ROOT, process.env.CARGO_TARGET_DIR || "target"), "bench", "ac-wasm");

// Assembles src/utf8.wat with binaryen's wasm-as (the one scripts/build-wasm installs into
// web/.tools, else one on the PATH) and writes the bytes, in base64, into src/utf8.js.
// `--check`: exits 1, writing nothing, when src/utf8.js does not hold those bytes.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const WAT = here("../src/utf8.wat");
const JS = here("../src/utf8.js");
const LOCAL = here("../../.tools/node_modules/.bin/wasm-as");

const dir = mkdtempSync(join(tmpdir(), "quipu-utf8-"));
let base64;
try {
  const out = join(dir, "utf8.wasm");
  execFileSync(existsSync(LOCAL) ? LOCAL : "wasm-as", ["--enable-gc", "--enable-reference-types", WAT, "-o", out], { stdio: ["ignore", "ignore", "inherit"] });
  base64 = readFileSync(out).toString("base64");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const js = readFileSync(JS, "utf8");
const line = /^const BYTES = "[A-Za-z0-9+/=]*";$/m;
if (!line.test(js)) throw new Error(`${JS}: no line \`const BYTES = "...";\` to write the bytes into`);
const updated = js.replace(line, `const BYTES = "${base64}";`);
if (process.argv.includes("--check")) {
  if (updated !== js) {
    console.error(`${JS} does not hold the bytes of ${WAT}: run node web/package/tools/utf8-wasm.mjs`);
    process.exit(1);
  }
  console.log(`${JS} holds the bytes of ${WAT}`);
} else {
  writeFileSync(JS, updated);
  console.log(`${JS}: ${Buffer.from(base64, "base64").length} bytes from ${WAT}`);
}

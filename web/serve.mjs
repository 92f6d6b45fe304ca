#!/usr/bin/env node
// A tiny static server for web/, with no dependencies: 127.0.0.1 only, .wasm served as
// application/wasm, a Content-Security-Policy header on every response (workers get it too).
// As a real deployment would: validators (ETag, Last-Modified; 304 when unchanged, so that a
// revisit, or the service worker, does not download the wasm and the gazetteer again) and
// gzip for text and wasm (compressed once per file version, kept in memory).
// Usage: node web/serve.mjs [--port 8080] [--root web]; PORT=0 picks a free port.
// Prints "Quipu: http://127.0.0.1:PORT/" once listening.

import { createServer } from "node:http";
import { createReadStream, readFileSync, statSync } from "node:fs";
import { gzip } from "node:zlib";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const root = resolve(opt("root", fileURLToPath(new URL(".", import.meta.url))));
const port = Number(opt("port", process.env.PORT ?? 8080));
const host = "127.0.0.1";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".gaz": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".bin": "application/octet-stream",
};
// Worth compressing: text, wasm and the default tagger's snapshot (the 2.5 MB gazetteer module
// is 0.6 MB gzipped, the 1.9 MB snapshot 0.96 MB).
const COMPRESS = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".txt", ".md", ".gaz", ".ts", ".webmanifest", ".bin"]);
const gzipped = new Map(); // file -> { tag, body } (body null while it is being compressed)

/**
 * The gzipped bytes of `file` at version `tag`, or null: then they are compressed in the
 * background (zlib's thread pool, never blocking requests) and this response goes out as is.
 */
function gzipOf(file, tag) {
  const hit = gzipped.get(file);
  if (hit && hit.tag === tag) return hit.body;
  gzipped.set(file, { tag, body: null });
  gzip(readFileSync(file), { level: 9 }, (err, body) => {
    const now = gzipped.get(file);
    if (now && now.tag === tag) {
      if (err) gzipped.delete(file);
      else now.body = body;
    }
  });
  return null;
}

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; " +
  "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

const server = createServer((req, res) => {
  const headers = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
  };
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, headers).end();
    return;
  }
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  } catch {
    res.writeHead(400, headers).end();
    return;
  }
  let file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403, headers).end();
    return;
  }
  let st;
  try {
    st = statSync(file);
    if (st.isDirectory()) {
      if (!path.endsWith("/")) {
        res.writeHead(301, { ...headers, Location: path + "/" }).end();
        return;
      }
      file = join(file, "index.html");
      st = statSync(file);
    }
  } catch {
    res.writeHead(404, { ...headers, "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
    return;
  }
  const ext = extname(file).toLowerCase();
  const tag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  const validators = { ETag: tag, "Last-Modified": st.mtime.toUTCString() };
  const since = req.headers["if-modified-since"];
  const unchanged = req.headers["if-none-match"]
    ? req.headers["if-none-match"].split(",").some((t) => t.trim().replace(/^W\//, "") === tag)
    : since && Math.floor(st.mtimeMs / 1000) <= Math.floor(Date.parse(since) / 1000);
  if (unchanged) {
    res.writeHead(304, { ...headers, ...validators }).end();
    return;
  }
  const type = { "Content-Type": TYPES[ext] || "application/octet-stream" };
  const body = COMPRESS.has(ext) && st.size > 1024 && /\bgzip\b/.test(req.headers["accept-encoding"] || "") ? gzipOf(file, tag) : null;
  if (body) {
    res.writeHead(200, { ...headers, ...validators, ...type, "Content-Encoding": "gzip", Vary: "Accept-Encoding", "Content-Length": body.length });
    res.end(req.method === "HEAD" ? undefined : body);
    return;
  }
  res.writeHead(200, { ...headers, ...validators, ...type, Vary: "Accept-Encoding", "Content-Length": st.size });
  if (req.method === "HEAD") res.end();
  else createReadStream(file).pipe(res);
});

server.listen(port, host, () => {
  const { port: actual } = server.address();
  console.log(`Quipu: http://${host}:${actual}/`);
  // Compress the page's files now (in the background) rather than on their first request.
  for (const f of ["package/dist/default-tagger.bin", "package/dist/default-gazetteer.js", "package/pkg/quipu_wasm_bg.wasm", "package/pkg/quipu_wasm.js", "app/app.js", "app/index.html", "app/app.css", "app/sample.txt"]) {
    try {
      const file = join(root, f);
      const st = statSync(file);
      gzipOf(file, `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`);
    } catch {
      /* not built: served as a 404 when asked for */
    }
  }
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));

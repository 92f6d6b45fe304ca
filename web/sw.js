// A small service worker: keeps the page's files so that it works offline once loaded.
// Network first (a rebuilt wasm is picked up at once), the cache when offline. It caches
// only this origin's own files; documents the user opens are never fetched, so never cached.

const CACHE = "quipu-shell-v5";
const SHELL = [
  "./app/",
  "./app/index.html",
  "./app/app.js",
  "./app/boot.js",
  "./app/start.js",
  "./app/worker.js",
  "./app/app.css",
  "./app/icon.svg",
  "./app/sample.txt",
  "./package/src/index.js",
  "./package/src/tagger.js",
  "./package/src/chunks.js",
  "./package/src/worker.js",
  "./package/src/worker-client.js",
  "./package/src/highlight.js",
  "./package/src/formats.js",
  "./package/src/utf8.js",
  "./package/pkg/quipu_wasm.js",
  "./package/pkg/quipu_wasm_bg.wasm",
  "./package/dist/default-gazetteer.js",
  "./package/dist/default-tagger.bin",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(req)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put(req, copy));
        }
        return res;
      })
      .catch(() => caches.match(req, { ignoreSearch: true }).then((r) => r || Response.error())),
  );
});

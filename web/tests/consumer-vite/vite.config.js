// Two pages: index.html (the main entry, the element, the worker) and inline.html (the
// ./inline entry). Nothing here is specific to quipu-tagger: the package needs no Vite config.
import { defineConfig } from "vite";

export default defineConfig({
  build: {
    // The ./inline entry carries the wasm (about 1.2 MB of base64): expected to be big.
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: { main: "index.html", inline: "inline.html" } },
  },
});

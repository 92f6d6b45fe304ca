// Two pages: index.html (the main entry, the element, the worker) and inline.html (the
// ./inline entry). Nothing here is specific to quipu-tagger: the package needs no Vite config.
import { defineConfig } from "vite";

export default defineConfig({
  build: {
    // The default gazetteer's chunk is about 2.5 MB of text (0.6 MB gzipped): expected to be big.
    chunkSizeWarningLimit: 2600,
    rollupOptions: { input: { main: "index.html", inline: "inline.html" } },
  },
});

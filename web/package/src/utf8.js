// UTF-8 encoding of a string straight into the wasm memory, where the engine has wasm GC and
// the JS String Builtins (Chrome 130, Firefox 134): chromium's `TextEncoder.encodeInto` takes
// about 5 ns a UTF-16 code unit, a third of tagging's time there, and this about 2. The
// module is src/utf8.wat, assembled by tools/utf8-wasm.mjs into the line below.

const BYTES = "AGFzbQEAAAABGARedwFgA29jAH8Bf2ABbwF/YANvf38BfwJMAwVxdWlwdQZtZW1vcnkCAAAOd2FzbTpqcy1zdHJpbmcRaW50b0NoYXJDb2RlQXJyYXkAAQ53YXNtOmpzLXN0cmluZwZsZW5ndGgAAgMCAQMGBgF/AUEACwcYAgd3cml0dGVuAwAKZW5jb2RlSW50bwACCrQDAbEDAgFjAAZ/IAAQASEEIAT7BwAhAyAAIANBABAAGiABIQYgASACaiEHAkADQCAFIARPDQEgAyAF+w0AIQggCEGAAUkEQCAGIAdGDQIgBiAIOgAAIAZBAWohBiAFQQFqIQUMAQsgCEGAEEkEQCAHIAZrQQJJDQIgBkHAASAIQQZ2cjoAACAGQYABIAhBP3FyOgABIAZBAmohBiAFQQFqIQUMAQsgCEGA+ANxQYCwA0YgBUEBaiAESXEEQCADIAVBAWr7DQAhCSAJQYD4A3FBgLgDRgRAIAcgBmtBBEkNAyAIQf8HcUEKdCAJQf8HcXIhCCAGQfABIAhBgIAEakESdnI6AAAgBkGAASAIQYCABGpBDHZBP3FyOgABIAZBgAEgCEEGdkE/cXI6AAIgBkGAASAIQT9xcjoAAyAGQQRqIQYgBUECaiEFDAILCyAIQYDwA3FBgLADRgRAQf3/AyEICyAHIAZrQQNJDQEgBkHgASAIQQx2cjoAACAGQYABIAhBBnZBP3FyOgABIAZBgAEgCEE/cXI6AAIgBkEDaiEGIAVBAWohBQwACwALIAYgAWskACAFCw==";

/** @type {WeakMap<WebAssembly.Memory, ((text: string, ptr: number, capacity: number) => { read: number, written: number }) | null>} */
const encoders = new WeakMap();

/**
 * `encodeInto(text, ptr, capacity)`: `TextEncoder.encodeInto(text, new Uint8Array(
 * memory.buffer, ptr, capacity))` with the same result, `{ read, written }`; or `null` where
 * the engine lacks what it needs (Node 20, older browsers, a page whose CSP forbids compiling
 * wasm), and then `TextEncoder` it is.
 * @param {WebAssembly.Memory} memory
 */
export function wasmEncoder(memory) {
  if (!encoders.has(memory)) encoders.set(memory, make(memory));
  return encoders.get(memory);
}

function make(memory) {
  let exports;
  try {
    const bytes = Uint8Array.from(atob(BYTES), (c) => c.charCodeAt(0));
    // Small enough to compile synchronously on a page's main thread.
    const module = new WebAssembly.Module(bytes, { builtins: ["js-string"] });
    // An engine without the builtins ignores the option and asks for them as imports.
    if (WebAssembly.Module.imports(module).some((i) => i.module === "wasm:js-string")) return null;
    ({ exports } = new WebAssembly.Instance(module, { quipu: { memory } }));
  } catch {
    return null; // no wasm GC, builtins of another shape, or no wasm at all
  }
  return (text, ptr, capacity) => {
    const read = exports.encodeInto(text, ptr, capacity);
    return { read, written: exports.written.value };
  };
}

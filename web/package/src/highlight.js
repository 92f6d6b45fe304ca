// Rendering a text with its spans as <mark> elements. Everything from the text or the
// gazetteers goes into text nodes and attributes, never through HTML parsing.

/** The built-in types, in legend order. */
export const BUILT_IN_TYPES = ["PERSON", "PLACE", "INSTITUTION"];

/**
 * Renders `text` with `spans` (sorted, not overlapping, UTF-16 offsets) into `container`:
 * each mention a `<mark data-entity-type data-entity-id data-source>`.
 *
 * The text goes into parts (`<div class="q-part">`) cut after blank lines, about `partSize`
 * code units each, so that a stylesheet can skip the layout of parts off screen
 * (`content-visibility: auto`); the parts are added in slices of about 30 ms so that the page
 * stays responsive. Resolves to the <mark> elements, in span order. `onProgress(done,
 * total)` is called after each slice (in spans); `signal` aborts.
 * @param {HTMLElement} container
 * @param {string} text
 * @param {import("../pkg/quipu_wasm.js").Span[]} spans
 * @param {{ partSize?: number, onProgress?: (done: number, total: number) => void,
 *           signal?: AbortSignal, markClass?: string, partClass?: string }} [o]
 * @returns {Promise<HTMLElement[]>}
 */
export async function renderHighlights(container, text, spans, o = {}) {
  const { partSize = 8000, onProgress, signal, markClass = "q-mark", partClass = "q-part" } = o;
  const doc = container.ownerDocument;
  container.replaceChildren();
  const marks = new Array(spans.length);
  let frag = doc.createDocumentFragment();
  let since = performance.now();
  let pos = 0;
  let i = 0;
  while (pos < text.length) {
    let end = text.indexOf("\n\n", Math.min(pos + partSize, text.length));
    end = end < 0 ? text.length : end + 2;
    const part = doc.createElement("div");
    part.className = partClass;
    let at = pos;
    while (i < spans.length && spans[i].utf16_start < end) {
      const s = spans[i];
      if (s.utf16_start >= at && s.utf16_end <= text.length && s.utf16_end > s.utf16_start) {
        if (s.utf16_end > end) end = s.utf16_end; // never cut a mention in two
        if (s.utf16_start > at) part.append(text.slice(at, s.utf16_start));
        const m = doc.createElement("mark");
        m.className = markClass;
        // setAttribute: the same attributes as `dataset`, without its proxy (thousands of marks).
        m.setAttribute("data-entity-type", s.type);
        m.setAttribute("data-entity-id", s.id);
        if (s.source) m.setAttribute("data-source", s.source); // gazetteer, rule:<name> or linked
        m.setAttribute("data-i", String(i));
        m.textContent = text.slice(s.utf16_start, s.utf16_end);
        part.append(m);
        marks[i] = m;
        at = s.utf16_end;
      }
      i += 1;
    }
    if (end > at) part.append(text.slice(at, end));
    // A guess at the part's height until it is first laid out (lines of about 90 characters).
    let lines = 1;
    for (let k = text.indexOf("\n", pos); k >= 0 && k < end; k = text.indexOf("\n", k + 1)) lines += 1;
    lines += Math.floor((end - pos) / 90);
    part.style.containIntrinsicSize = `auto ${Math.round(lines * 1.75)}em`;
    frag.append(part);
    pos = end;
    if (performance.now() - since > 30 && pos < text.length) {
      container.append(frag);
      frag = doc.createDocumentFragment();
      if (onProgress) onProgress(i, spans.length);
      await new Promise((r) => setTimeout(r, 0));
      if (signal && signal.aborted) throw new DOMException("aborted", "AbortError");
      since = performance.now();
    }
  }
  container.append(frag);
  if (onProgress) onProgress(spans.length, spans.length);
  return marks;
}

/**
 * Groups spans by entity (id), with counts, in order of first mention.
 * @param {import("../pkg/quipu_wasm.js").Span[]} spans
 * @returns {{ id: string, type: string, name: string, count: number, first: number,
 *             mentions: number[], texts: Map<string, number>, sources: Set<string> }[]}
 */
export function groupEntities(spans) {
  const byId = new Map();
  spans.forEach((s, i) => {
    let g = byId.get(s.id);
    if (!g) {
      g = { id: s.id, type: s.type, name: s.name, count: 0, first: i, mentions: [], texts: new Map(), sources: new Set() };
      byId.set(s.id, g);
    }
    g.count += 1;
    g.mentions.push(i);
    g.texts.set(s.text, (g.texts.get(s.text) || 0) + 1);
    g.sources.add(s.source);
  });
  return [...byId.values()];
}

// <quipu-highlighter>: highlights its text content (or its `text` property) in shadow DOM.
// This module only defines the class; `element.js` registers it (that import has a side
// effect), `defineQuipuHighlighter()` registers it under a name of your choice.
//
// Everything from the text and the gazetteers reaches the DOM as text nodes and attributes,
// never through HTML parsing. Styles go through a constructed stylesheet (adoptedStyleSheets),
// which a Content-Security-Policy without 'unsafe-inline' allows.

import { createTagger, gazetteerFormat, initWasm } from "./tagger.js";

const CSS = `
:host {
  display: block;
  color: var(--quipu-text, inherit);
  background: var(--quipu-background, transparent);
  --_person-bg: var(--quipu-person-bg, #fde68a);
  --_person-fg: var(--quipu-person-fg, #422006);
  --_place-bg: var(--quipu-place-bg, #bfdbfe);
  --_place-fg: var(--quipu-place-fg, #172554);
  --_institution-bg: var(--quipu-institution-bg, #ddd6fe);
  --_institution-fg: var(--quipu-institution-fg, #2e1065);
  --_other-bg: var(--quipu-other-bg, #bbf7d0);
  --_other-fg: var(--quipu-other-fg, #052e16);
}
:host([hidden]) { display: none; }
:host([theme="dark"]) {
  color: var(--quipu-text, #e5e7eb);
  background: var(--quipu-background, #111827);
  --_person-bg: var(--quipu-person-bg, #78350f);
  --_person-fg: var(--quipu-person-fg, #fef3c7);
  --_place-bg: var(--quipu-place-bg, #1e3a8a);
  --_place-fg: var(--quipu-place-fg, #dbeafe);
  --_institution-bg: var(--quipu-institution-bg, #4c1d95);
  --_institution-fg: var(--quipu-institution-fg, #ede9fe);
  --_other-bg: var(--quipu-other-bg, #14532d);
  --_other-fg: var(--quipu-other-fg, #dcfce7);
}
@media (prefers-color-scheme: dark) {
  :host(:not([theme="light"]):not([theme="dark"])) {
    --_person-bg: var(--quipu-person-bg, #78350f);
    --_person-fg: var(--quipu-person-fg, #fef3c7);
    --_place-bg: var(--quipu-place-bg, #1e3a8a);
    --_place-fg: var(--quipu-place-fg, #dbeafe);
    --_institution-bg: var(--quipu-institution-bg, #4c1d95);
    --_institution-fg: var(--quipu-institution-fg, #ede9fe);
    --_other-bg: var(--quipu-other-bg, #14532d);
    --_other-fg: var(--quipu-other-fg, #dcfce7);
  }
}
.text { white-space: pre-wrap; overflow-wrap: anywhere; font: var(--quipu-font, inherit); }
mark {
  background: var(--_other-bg);
  color: var(--_other-fg);
  border-radius: var(--quipu-mark-radius, 0.25em);
  padding: var(--quipu-mark-padding, 0 0.1em);
  box-decoration-break: clone;
  -webkit-box-decoration-break: clone;
}
mark[data-entity-type="PERSON"] { background: var(--_person-bg); color: var(--_person-fg); }
mark[data-entity-type="PLACE"] { background: var(--_place-bg); color: var(--_place-fg); }
mark[data-entity-type="INSTITUTION"] { background: var(--_institution-bg); color: var(--_institution-fg); }
mark[data-source^="rule:"] { outline: var(--quipu-rule-outline, 1px dashed currentColor); }
mark[data-source="linked"] { outline: var(--quipu-linked-outline, 1px dotted currentColor); }
`;

let sheet = null;
function styles(root) {
  if (typeof CSSStyleSheet === "function" && "adoptedStyleSheets" in root) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = root.ownerDocument.createElement("style");
    style.textContent = CSS;
    root.append(style);
  }
}

/** Taggers shared by the elements, one per configuration (gazetteer URL, rules, linking...). */
const taggers = new Map();

function sharedTagger(key, make) {
  let p = taggers.get(key);
  if (!p) {
    p = make();
    taggers.set(key, p);
    p.catch(() => taggers.delete(key)); // a failed fetch may succeed later
  }
  return p;
}

const off = (v) => v !== null && /^(false|off|no|0)$/i.test(v.trim());

/** A token usable in a `part` attribute: letters, digits, `-` and `_`. */
const partToken = (type) => String(type).replace(/[^A-Za-z0-9_-]/g, "_");

/**
 * `<quipu-highlighter>`: highlights the people, places and institutions in its text.
 *
 * Attributes: `types` (comma-separated, e.g. `PERSON,PLACE`; all when absent),
 * `gazetteer-src` (a `.gaz` or `.json` gazetteer to add, fetched once per URL),
 * `default-gazetteer="false"` (only the fetched gazetteer), `rules="off"`, `linking="off"`,
 * `wasm-src` (where the `.wasm` file is, when a bundler moved it), `theme` (`light`, `dark`
 * or `auto`, the default, which follows `prefers-color-scheme`).
 *
 * Fires `quipu-entities` (detail: `{ entities, text }`) after each rendering and
 * `quipu-error` (detail: `{ error }`) when the tagger or the gazetteer fails.
 */
export class QuipuHighlighter extends (typeof HTMLElement === "function" ? HTMLElement : class {}) {
  static get observedAttributes() {
    return ["types", "gazetteer-src", "default-gazetteer", "rules", "linking", "wasm-src"];
  }

  constructor() {
    super();
    this._text = null;
    this._entities = [];
    this._generation = 0;
    this._scheduled = false;
    this._rendered = Promise.resolve();
    this._resolveRendered = null;
    const root = this.attachShadow({ mode: "open" });
    styles(root);
    this._out = root.ownerDocument.createElement("div");
    this._out.className = "text";
    this._out.setAttribute("part", "text");
    root.append(this._out);
    this._observer = new MutationObserver(() => {
      if (this._text === null) this._schedule();
    });
  }

  connectedCallback() {
    this._observer.observe(this, { childList: true, characterData: true, subtree: true });
    this._schedule();
  }

  disconnectedCallback() {
    this._observer.disconnect();
  }

  attributeChangedCallback(_name, oldValue, newValue) {
    if (oldValue !== newValue && this.isConnected) this._schedule();
  }

  /** The text highlighted: the `text` property when set, else the element's text content. */
  get text() {
    return this._text !== null ? this._text : this.textContent || "";
  }

  set text(value) {
    this._text = value === null || value === undefined ? null : String(value);
    if (this.isConnected) this._schedule();
  }

  /** The types shown (the `types` attribute as an array), or `null` for all. */
  get types() {
    const a = this.getAttribute("types");
    if (a === null || !a.trim()) return null;
    return a.split(/[\s,]+/).filter(Boolean).map((t) => t.toUpperCase());
  }

  set types(value) {
    if (value === null || value === undefined) this.removeAttribute("types");
    else this.setAttribute("types", [].concat(value).join(","));
  }

  /** The spans shown after the last rendering (the CLI's fields, UTF-16 offsets). */
  get entities() {
    return this._entities;
  }

  /** Resolves when the rendering under way (if any) is done. */
  get rendered() {
    return this._rendered;
  }

  /** The tagger this element uses (shared with other elements of the same configuration). */
  tagger() {
    const src = this.getAttribute("gazetteer-src");
    const url = src ? new URL(src, this.ownerDocument.baseURI).href : "";
    const options = {
      defaultGazetteer: !off(this.getAttribute("default-gazetteer")),
      rules: !off(this.getAttribute("rules")),
      linking: !off(this.getAttribute("linking")),
    };
    const wasm = this.getAttribute("wasm-src");
    const wasmUrl = wasm ? new URL(wasm, this.ownerDocument.baseURI) : undefined;
    const key = JSON.stringify([url, options]);
    return sharedTagger(key, async () => {
      await initWasm(wasmUrl);
      const tagger = await createTagger(options);
      if (url) {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`gazetteer-src: ${res.status} ${res.statusText} fetching ${url}`);
        const content = await res.text();
        const name = decodeURIComponent(new URL(url).pathname.split("/").pop() || "gazetteer");
        tagger.addGazetteer(content, { name, format: gazetteerFormat(name, content) });
      }
      return tagger;
    });
  }

  _schedule() {
    if (!this._resolveRendered) this._rendered = new Promise((r) => (this._resolveRendered = r));
    if (this._scheduled) return;
    this._scheduled = true;
    queueMicrotask(() => {
      this._scheduled = false;
      this._render();
    });
  }

  async _render() {
    const generation = ++this._generation;
    const text = this.text;
    let spans = [];
    let error = null;
    try {
      const tagger = await this.tagger();
      if (generation !== this._generation) return;
      spans = tagger.tag(text);
      const types = this.types;
      if (types) spans = spans.filter((s) => types.includes(s.type));
    } catch (e) {
      if (generation !== this._generation) return;
      error = e;
      spans = [];
    }
    this._out.replaceChildren(renderMarks(this.ownerDocument, text, spans));
    this._entities = spans;
    const done = this._resolveRendered;
    this._resolveRendered = null;
    if (error) {
      this.dispatchEvent(new CustomEvent("quipu-error", { detail: { error }, bubbles: true, composed: true }));
    } else {
      this.dispatchEvent(new CustomEvent("quipu-entities", { detail: { entities: spans, text }, bubbles: true, composed: true }));
    }
    if (done) done();
  }
}

/**
 * A fragment: `text` as text nodes, each span a `<mark part="mark mark-TYPE">` with
 * `data-entity-type`, `data-entity-id`, `data-source` and the entity's name as its title.
 * @param {Document} doc
 * @param {string} text
 * @param {{ utf16_start: number, utf16_end: number, type: string, id: string, name: string, source: string }[]} spans
 */
export function renderMarks(doc, text, spans) {
  const frag = doc.createDocumentFragment();
  let at = 0;
  for (const s of spans) {
    if (s.utf16_start < at || s.utf16_end > text.length || s.utf16_end <= s.utf16_start) continue;
    if (s.utf16_start > at) frag.append(doc.createTextNode(text.slice(at, s.utf16_start)));
    const m = doc.createElement("mark");
    const parts = ["mark", `mark-${partToken(s.type)}`];
    if (s.source && s.source.startsWith("rule:")) parts.push("mark-rule");
    else if (s.source === "linked") parts.push("mark-linked");
    m.setAttribute("part", parts.join(" "));
    m.dataset.entityType = s.type;
    m.dataset.entityId = s.id;
    if (s.source) m.dataset.source = s.source;
    if (s.name) m.title = `${s.name} (${s.type})`;
    m.append(doc.createTextNode(text.slice(s.utf16_start, s.utf16_end)));
    frag.append(m);
    at = s.utf16_end;
  }
  if (at < text.length) frag.append(doc.createTextNode(text.slice(at)));
  return frag;
}

/**
 * Registers `<quipu-highlighter>` (or `name`) unless that name is taken; returns the class
 * registered under it.
 * @param {string} [name]
 */
export function defineQuipuHighlighter(name = "quipu-highlighter") {
  const existing = customElements.get(name);
  if (existing) return existing;
  // A subclass per name: one class can be registered under one name only.
  const cls = name === "quipu-highlighter" ? QuipuHighlighter : class extends QuipuHighlighter {};
  customElements.define(name, cls);
  return cls;
}

// quipu-tagger/element: registers <quipu-highlighter> on import. Hand-written.

import type { QuipuTagger, Span } from "./index.js";

export interface QuipuEntitiesDetail {
  /** The spans shown (filtered by the `types` attribute), UTF-16 offsets into `text`. */
  entities: Span[];
  /** The text highlighted. */
  text: string;
}
export type QuipuEntitiesEvent = CustomEvent<QuipuEntitiesDetail>;
export type QuipuErrorEvent = CustomEvent<{ error: unknown }>;

/**
 * `<quipu-highlighter>`: highlights the people, places and institutions in its text content
 * (or its `text` property) in shadow DOM, as `<mark part="mark mark-TYPE">` elements
 * (`mark-rule` / `mark-linked` added for names found by a context rule / linked to an earlier
 * mention).
 *
 * Attributes: `types="PERSON,PLACE"`, `gazetteer-src="my.gaz"`, `default-gazetteer="false"`,
 * `rules="off"`, `linking="off"`, `wasm-src`, `theme="light|dark|auto"`.
 * Events (bubbling, composed): `quipu-entities` after each rendering, `quipu-error`.
 * CSS custom properties: `--quipu-person-bg`, `--quipu-person-fg`, `--quipu-place-bg`,
 * `--quipu-place-fg`, `--quipu-institution-bg`, `--quipu-institution-fg`, `--quipu-other-bg`,
 * `--quipu-other-fg`, `--quipu-text`, `--quipu-background`, `--quipu-font`,
 * `--quipu-mark-radius`, `--quipu-mark-padding`, `--quipu-rule-outline`,
 * `--quipu-linked-outline`. Parts: `text`, `mark`, `mark-<TYPE>`, `mark-rule`, `mark-linked`.
 */
export declare class QuipuHighlighter extends HTMLElement {
  static readonly observedAttributes: string[];
  /** The text highlighted: the property when set (a string), else the text content. */
  get text(): string;
  set text(value: string | null);
  /** The `types` attribute as an array, or `null` for all types. */
  get types(): string[] | null;
  set types(value: string[] | string | null);
  /** The spans shown after the last rendering. */
  readonly entities: Span[];
  /** Resolves when the rendering under way (if any) is done. */
  readonly rendered: Promise<void>;
  /** The tagger of this element's configuration (shared between elements). */
  tagger(): Promise<QuipuTagger>;
}

/** Registers the element under `name` (default `quipu-highlighter`) unless it is taken. */
export declare function defineQuipuHighlighter(name?: string): typeof QuipuHighlighter;

/** A fragment of text nodes and `<mark part="mark mark-TYPE">` elements (never HTML parsing). */
export declare function renderMarks(doc: Document, text: string, spans: Span[]): DocumentFragment;

declare global {
  interface HTMLElementTagNameMap {
    "quipu-highlighter": QuipuHighlighter;
  }
  interface HTMLElementEventMap {
    "quipu-entities": QuipuEntitiesEvent;
    "quipu-error": QuipuErrorEvent;
  }
}

// quipu-tagger: tag people, places and institutions in the browser.
// The JavaScript API, the worker client and the highlighter rendering.

export { createTagger, initWasm, QuipuTagger, gazetteerFormat, gazetteerToText, gazetteerToJson, toHtml, version } from "./tagger.js";
export { createWorkerTagger } from "./worker-client.js";
export { QuipuHighlighter, defineQuipuHighlighter, renderMarks } from "./highlighter.js";
export { renderHighlights, groupEntities, BUILT_IN_TYPES } from "./highlight.js";
export { toJson, toCsv, CSV_COLUMNS, download } from "./formats.js";
export { splitAtParagraphs, shiftSpans, measure, packSpans, unpackSpans } from "./chunks.js";

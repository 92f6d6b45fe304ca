// quipu-tagger/element: registers <quipu-highlighter> (this import has that side effect).
//
//   import "quipu-tagger/element";
//   <quipu-highlighter types="PERSON,PLACE" theme="auto">Alberto Fujimori visitó Lima.</quipu-highlighter>

import { defineQuipuHighlighter, QuipuHighlighter, renderMarks } from "./highlighter.js";

if (typeof customElements !== "undefined") defineQuipuHighlighter();

export { defineQuipuHighlighter, QuipuHighlighter, renderMarks };

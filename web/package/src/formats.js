// Exports of a tagged document: JSON (the command line's fields) and CSV; and gazetteer
// formats. No wasm here: the page's thread imports this module without loading the tagger.

/** Guesses a gazetteer's format from its name or its first character. */
export function gazetteerFormat(name, content) {
  if (/\.json$/i.test(name)) return "json";
  if (/\.(gaz|txt|tsv)$/i.test(name)) return "text";
  return /^\s*[[{]/.test(content) ? "json" : "text";
}

/**
 * The command line's JSON for one document: `{"path", "entities"}`.
 * @param {string} path a file name
 * @param {import("../pkg/quipu_wasm.js").Span[]} spans
 */
export function toJson(path, spans) {
  return JSON.stringify({ path, entities: spans }, null, 2) + "\n";
}

export const CSV_COLUMNS = [
  "doc", "start", "end", "byte_start", "byte_end", "utf16_start", "utf16_end",
  "type", "id", "name", "text", "source",
];

function csvField(v) {
  let s = String(v);
  // Cells starting with = + - @ are formulas to spreadsheets: quote them with a '.
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV (RFC 4180, CRLF line ends), one span per row, with a header row.
 * @param {string} doc a file name
 * @param {import("../pkg/quipu_wasm.js").Span[]} spans
 */
export function toCsv(doc, spans) {
  const rows = [CSV_COLUMNS.join(",")];
  for (const s of spans) {
    rows.push(CSV_COLUMNS.map((c) => csvField(c === "doc" ? doc : s[c])).join(","));
  }
  return rows.join("\r\n") + "\r\n";
}

/**
 * Offers `content` as a file download (through a blob: URL; nothing leaves the machine).
 * @param {string} filename
 * @param {string} content
 * @param {string} type MIME type
 */
export function download(filename, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

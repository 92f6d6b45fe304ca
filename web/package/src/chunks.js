// Splitting big texts at paragraph breaks, and moving spans found in a piece back to the
// offsets of the whole text. Names never cross a blank line, so gazetteer matches do not
// change; linking (a surname alone after the full name) works within each piece.

/**
 * Cuts `text` into pieces of about `target` UTF-16 code units, each ending after a blank line
 * (or, failing that, a line break) where there is one near the target. Small texts are one
 * piece.
 * @param {string} text
 * @param {number} [target]
 * @returns {{ text: string, utf16: number }[]} the pieces and where each starts in `text`
 */
export function splitAtParagraphs(text, target = 1 << 20) {
  const pieces = [];
  let from = 0;
  while (text.length - from > target * 1.5) {
    let cut = text.indexOf("\n\n", from + target);
    if (cut < 0 || cut > from + target * 2) cut = text.indexOf("\n", from + target);
    if (cut < 0 || cut > from + target * 2) {
      cut = from + target;
      // Never cut a surrogate pair.
      const c = text.charCodeAt(cut - 1);
      if (c >= 0xd800 && c <= 0xdbff) cut += 1;
    } else {
      while (text.charCodeAt(cut) === 10) cut += 1;
    }
    pieces.push({ text: text.slice(from, cut), utf16: from });
    from = cut;
  }
  pieces.push({ text: text.slice(from), utf16: from });
  return pieces;
}

/**
 * Code points and UTF-8 bytes in `s`.
 * @param {string} s
 * @returns {{ chars: number, bytes: number }}
 */
export function measure(s) {
  let chars = 0;
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    chars += 1;
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return { chars, bytes };
}

/**
 * Shifts spans found in a piece by the piece's offsets in the whole text (in place).
 * @param {import("../pkg/quipu_wasm.js").Span[]} spans
 * @param {{ utf16: number, chars: number, bytes: number }} at
 */
export function shiftSpans(spans, at) {
  if (at.utf16 === 0 && at.chars === 0 && at.bytes === 0) return spans;
  for (const s of spans) {
    s.start += at.chars;
    s.end += at.chars;
    s.byte_start += at.bytes;
    s.byte_end += at.bytes;
    s.utf16_start += at.utf16;
    s.utf16_end += at.utf16;
  }
  return spans;
}

/**
 * A table of distinct strings: `ref(s)` gives the index of `s` in `strings`, adding it once.
 */
function stringTable() {
  const strings = [];
  const index = new Map();
  const ref = (s) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  return { strings, ref };
}

/**
 * Packs spans for postMessage: offsets in an Int32Array, the strings once each in a table
 * (cloning 100,000 small objects would block the page for a second). `text` is left out:
 * it is the slice of the document at the UTF-16 offsets.
 * @param {import("../pkg/quipu_wasm.js").Span[]} spans
 */
export function packSpans(spans) {
  const numbers = new Int32Array(spans.length * 6);
  const refs = new Int32Array(spans.length * 4);
  const { strings, ref } = stringTable();
  spans.forEach((s, k) => {
    numbers.set([s.start, s.end, s.byte_start, s.byte_end, s.utf16_start, s.utf16_end], k * 6);
    refs.set([ref(s.type), ref(s.id), ref(s.name), ref(s.source)], k * 4);
  });
  return { count: spans.length, numbers, refs, strings };
}

/**
 * Packed spans of pieces of one text, as one: each piece's offsets moved by `at` (where the
 * piece starts in the text: UTF-16 code units, code points, bytes), its strings merged.
 * @param {{ packed: { count: number, numbers: ArrayLike<number>, refs: ArrayLike<number>, strings: string[] },
 *           at: { utf16: number, chars: number, bytes: number } }[]} parts
 */
export function concatPacked(parts) {
  if (parts.length === 1 && !parts[0].at.utf16 && !parts[0].at.chars && !parts[0].at.bytes) return parts[0].packed;
  let count = 0;
  for (const { packed } of parts) count += packed.count;
  const numbers = new Uint32Array(count * 6);
  const refs = new Uint32Array(count * 4);
  const { strings, ref } = stringTable();
  let k = 0;
  for (const { packed: p, at } of parts) {
    const map = p.strings.map(ref);
    const shift = [at.chars, at.chars, at.bytes, at.bytes, at.utf16, at.utf16];
    for (let j = 0; j < p.count; j++, k++) {
      for (let f = 0; f < 6; f++) numbers[k * 6 + f] = p.numbers[j * 6 + f] + shift[f];
      for (let f = 0; f < 4; f++) refs[k * 4 + f] = map[p.refs[j * 4 + f]];
    }
  }
  return { count, numbers, refs, strings };
}

/**
 * The spans [`packSpans`] packed, as objects with the command line's fields, in its order.
 * @param {{ count: number, numbers: ArrayLike<number>, refs: ArrayLike<number>, strings: string[] }} p
 * @param {string} text the document the spans are in
 */
export function unpackSpans(p, text) {
  const { count, numbers: n, refs: r, strings: t } = p;
  const spans = new Array(count);
  for (let k = 0; k < count; k++) {
    const a = k * 6;
    const b = k * 4;
    spans[k] = {
      start: n[a], end: n[a + 1], byte_start: n[a + 2], byte_end: n[a + 3],
      utf16_start: n[a + 4], utf16_end: n[a + 5],
      text: text.slice(n[a + 4], n[a + 5]),
      type: t[r[b]], id: t[r[b + 1]], name: t[r[b + 2]], source: t[r[b + 3]],
    };
  }
  return spans;
}

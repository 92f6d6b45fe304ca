// Quipu: the browser page. Built on the quipu-tagger code in ../package/.
//
// Every piece of user text and gazetteer content reaches the DOM through text nodes,
// textContent or attributes, never through HTML parsing of strings.

// Only the modules the page's thread needs: the tagger (the wasm and its bindings) runs in the
// worker, and loading it here too would cost requests and compiling on the way to ready.
import { BUILT_IN_TYPES, groupEntities, renderHighlights } from "../package/src/highlight.js";
import { download, gazetteerFormat, toCsv, toJson } from "../package/src/formats.js";
import { MY_ENTITIES, SETTINGS_KEY, STORE_KEY, firstInit, initArgs, loadGazetteer, loadSettings, worker } from "./boot.js";

const $ = (id) => document.getElementById(id);
const VISITED_KEY = "quipu.visited.v1";

const state = {
  /** The tagging worker, started by boot.js. */
  worker,
  ready: null,
  text: "",
  name: "",
  spans: [],
  entities: {},
  groups: [],
  marks: [],
  hidden: new Set(),
  current: null, // { id, pos }
  busy: 0,
  gaz: loadGazetteer(),
  settings: loadSettings(),
};

const hideSheet = new CSSStyleSheet();
document.adoptedStyleSheets = [...document.adoptedStyleSheets, hideSheet];

// ---------------------------------------------------------------------------------------
// The user's gazetteer, in localStorage (loadGazetteer, loadSettings: boot.js).

function saveGazetteer() {
  localStorage.setItem(STORE_KEY, JSON.stringify(state.gaz));
}

function gazetteerSources() {
  return initArgs(state.settings, state.gaz).gazetteers;
}

function slug(s) {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "entity";
}

function newId(name) {
  const base = `my-${slug(name)}`;
  const taken = new Set(state.gaz.records.map((r) => r.id));
  let id = base;
  for (let n = 2; taken.has(id) || state.entities[id]; n++) id = `${base}-${n}`;
  return id;
}

// ---------------------------------------------------------------------------------------
// Status and progress.

function setStatus(message, { error = false, progress = null } = {}) {
  $("status-text").textContent = message;
  $("status").classList.toggle("error", error);
  const bar = $("progress");
  if (progress === null) {
    bar.hidden = true;
  } else {
    bar.hidden = false;
    bar.value = Math.round(progress * 100);
  }
}

// Counts with thousands separators, as Intl.NumberFormat("en") writes them, without Intl on
// the way to ready: the first Intl object of a page loads ICU's data, 40-80 ms of the main
// thread on a cold start.
const fmt = {
  format: (n) => (Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",") : (fmt.intl ??= new Intl.NumberFormat("en")).format(n)),
};
const plural = (n, one, many = one + "s") => `${fmt.format(n)} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------------------
// The tagger (in a worker).

/** Builds the tagger in the worker (again); `started`: a build already under way for it. */
async function startTagger(started) {
  const { stats, errors } = await (started || state.worker.init(initArgs(state.settings, state.gaz)));
  performance.mark("quipu:answer-received"); // read by the benchmark
  const types = Object.entries(stats.by_type).map(([t, n]) => `${fmt.format(n)} ${t.toLowerCase()}`);
  $("engine-info").textContent =
    `Gazetteer: ${plural(stats.entities, "entity", "entities")} (${types.join(", ")}), ` +
    `${plural(stats.aliases, "name")}.`;
  if (errors.length) {
    setStatus(`Skipped a gazetteer with an error: ${errors.map((e) => e.message).join("; ")}`, { error: true });
  }
  return errors;
}

async function tagAndShow(text, name) {
  const ticket = ++state.busy;
  state.text = text;
  state.name = name;
  setExportsEnabled(false);
  if (!$("input-form").hidden) {
    // From the input: the document's view at once, empty until it is rendered (the text
    // area, with the whole text in it, costs every frame while the worker tags).
    $("doc").replaceChildren();
    $("doc-name").textContent = name;
    state.spans = [];
    state.groups = [];
    state.marks = [];
    renderLegend();
    renderEntityList();
    showResult();
  }
  setStatus("Loading the tagger…", { progress: 0 });
  try {
    await state.ready;
    const t0 = performance.now();
    setStatus(`Tagging ${sizeLabel(text)}…`, { progress: 0 });
    const { spans, entities } = await state.worker.tag(text, ({ done, total }) => {
      if (ticket === state.busy) setStatus(`Tagging ${sizeLabel(text)}…`, { progress: total ? (0.6 * done) / total : 0 });
    });
    if (ticket !== state.busy) return;
    state.spans = spans;
    state.entities = entities;
    state.groups = groupEntities(spans);
    state.current = null;
    showResult();
    setStatus(`Rendering ${plural(spans.length, "mention")}…`, { progress: 0.6 });
    state.marks = await renderHighlights($("doc"), text, spans, {
      onProgress: (done, total) => {
        if (ticket === state.busy) setStatus(`Rendering ${plural(spans.length, "mention")}…`, { progress: 0.6 + (0.4 * done) / Math.max(total, 1) });
      },
    });
    if (ticket !== state.busy) return;
    $("doc-name").textContent = name;
    $("doc-name").title = name;
    renderLegend();
    renderEntityList();
    if (addMode() === "alias") renderTargets(); // else when "Alias of…" is chosen
    $("detail").hidden = true;
    setExportsEnabled(true);
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    setStatus(`${plural(spans.length, "mention")} of ${plural(state.groups.length, "entity", "entities")} in ${secs} s.`);
  } catch (e) {
    if (ticket === state.busy) setStatus(`Could not tag the text: ${e.message}`, { error: true });
  }
}

function sizeLabel(text) {
  const n = text.length;
  if (n < 10_000) return plural(n, "character");
  if (n < 1_000_000) return `${(n / 1000).toFixed(0)} thousand characters`;
  return `${(n / 1_000_000).toFixed(1)} million characters`;
}

// ---------------------------------------------------------------------------------------
// Views: input and result.

function showInput() {
  $("input-form").hidden = false;
  $("result").hidden = true;
  $("input-text").value = state.text;
  $("input-text").focus();
}

function showResult() {
  $("input-form").hidden = true;
  $("result").hidden = false;
}

function setExportsEnabled(on) {
  for (const id of ["export-json", "export-csv", "export-html"]) $(id).disabled = !on;
}

// ---------------------------------------------------------------------------------------
// Legend: one switch per type.

function typesInOrder() {
  const counts = new Map();
  for (const s of state.spans) counts.set(s.type, (counts.get(s.type) || 0) + 1);
  const others = [...counts.keys()].filter((t) => !BUILT_IN_TYPES.includes(t)).sort();
  return [...BUILT_IN_TYPES, ...others].map((t) => ({ type: t, count: counts.get(t) || 0 }));
}

function renderLegend() {
  const legend = $("legend");
  const frag = document.createDocumentFragment();
  for (const { type, count } of typesInOrder()) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "legend-item";
    b.dataset.type = type;
    b.setAttribute("aria-pressed", String(!state.hidden.has(type)));
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.dataset.type = type;
    const label = document.createElement("span");
    label.textContent = typeLabel(type);
    const n = document.createElement("span");
    n.className = "n";
    n.textContent = fmt.format(count);
    b.append(sw, label, n);
    b.title = `Show or hide ${typeLabel(type).toLowerCase()}`;
    b.addEventListener("click", () => toggleType(type));
    frag.append(b);
  }
  legend.replaceChildren(frag);
}

function typeLabel(type) {
  return { PERSON: "People", PLACE: "Places", INSTITUTION: "Institutions" }[type] || type;
}

function toggleType(type) {
  if (state.hidden.has(type)) state.hidden.delete(type);
  else state.hidden.add(type);
  const rules = [...state.hidden].map(
    (t) => `mark.q-mark[data-entity-type="${CSS.escape(t)}"] { background: transparent; box-shadow: none; outline: none; cursor: text; }`,
  );
  hideSheet.replaceSync(rules.join("\n"));
  for (const b of $("legend").querySelectorAll(".legend-item")) {
    b.setAttribute("aria-pressed", String(!state.hidden.has(b.dataset.type)));
  }
  $("doc").dataset.hiddenTypes = [...state.hidden].join(" ");
  renderEntityList();
}

// ---------------------------------------------------------------------------------------
// The entity panel.

function entityMatches(g, q) {
  if (!q) return true;
  if (g.name.toLowerCase().includes(q) || g.id.toLowerCase().includes(q)) return true;
  for (const t of g.texts.keys()) if (t.toLowerCase().includes(q)) return true;
  return false;
}

function sortedGroups() {
  const q = $("filter").value.trim().toLowerCase();
  const list = state.groups.filter((g) => !state.hidden.has(g.type) && entityMatches(g, q));
  const byName = (a, b) => byNameBase.compare(a.name, b.name);
  const order = typesInOrder().map((t) => t.type);
  const sorts = {
    count: (a, b) => b.count - a.count || byName(a, b),
    name: byName,
    type: (a, b) => order.indexOf(a.type) - order.indexOf(b.type) || b.count - a.count || byName(a, b),
    first: (a, b) => a.first - b.first,
  };
  return list.sort(sorts[$("sort").value] || sorts.count);
}

// localeCompare with these arguments, without making a collator per comparison.
// Made on first use (see fmt).
const collators = {};
const byNameBase = { compare: (a, b) => (collators.base ??= new Intl.Collator(undefined, { sensitivity: "base" })).compare(a, b) };
const byNameDefault = { compare: (a, b) => (collators.default ??= new Intl.Collator()).compare(a, b) };

const LIST_LIMIT = 3000;

// Rows are added a page at a time as the list is scrolled (a document can name thousands of
// entities, and laying out every row at once took most of a big document's render).
const LIST_PAGE = 150;
let listed = { list: [], shown: 0 };

function entityRow(g) {
  const li = document.createElement("li");
  const b = document.createElement("button");
  b.type = "button";
  b.className = "entity";
  b.dataset.entityId = g.id;
  b.dataset.entityType = g.type;
  if (state.current && state.current.id === g.id) b.setAttribute("aria-current", "true");
  const sw = document.createElement("span");
  sw.className = "swatch";
  sw.dataset.type = g.type;
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = g.name;
  const type = document.createElement("span");
  type.className = "type";
  type.textContent = g.type;
  const how = howFound(g);
  for (const h of how) type.append(" ", badge(h));
  name.append(type);
  const n = document.createElement("span");
  n.className = "n";
  n.textContent = fmt.format(g.count);
  n.title = plural(g.count, "mention");
  b.append(sw, name, n);
  const extra = how.map((h) => (h === "rule" ? ", found by a context rule" : ", with linked mentions")).join("");
  b.setAttribute("aria-label", `${g.name}, ${g.type}${extra}, ${plural(g.count, "mention")}`);
  li.append(b);
  return li;
}

/** Adds the next page of rows to the list. */
function listMore() {
  const { list } = listed;
  const to = Math.min(list.length, LIST_LIMIT, listed.shown + LIST_PAGE);
  if (to <= listed.shown) return;
  const frag = document.createDocumentFragment();
  for (let i = listed.shown; i < to; i++) frag.append(entityRow(list[i]));
  $("entity-list").append(frag);
  listed.shown = to;
}

function renderEntityList() {
  const list = sortedGroups();
  listed = { list, shown: 0 };
  $("entity-list").replaceChildren();
  listMore();
  $("entity-count").textContent = `(${fmt.format(list.length)})`;
  const empty = $("entity-empty");
  empty.hidden = list.length > 0;
  empty.textContent = state.groups.length ? "No entity matches." : "Nothing found yet.";
  if (list.length > LIST_LIMIT) {
    empty.hidden = false;
    empty.textContent = `Showing ${fmt.format(LIST_LIMIT)} of ${fmt.format(list.length)}: filter to find the others.`;
  }
}

$("entity-list").addEventListener("scroll", () => {
  const ul = $("entity-list");
  if (ul.scrollTop + ul.clientHeight > ul.scrollHeight - 600) listMore();
}, { passive: true });

$("entity-list").addEventListener("click", (e) => {
  const b = e.target.closest("button.entity");
  if (!b) return;
  const id = b.dataset.entityId;
  if (state.current && state.current.id === id) step(1);
  else selectEntity(id, 0);
});

/** "rule" when a context rule found the entity, "linked" when later mentions were linked. */
function howFound(g) {
  const how = [];
  if ([...g.sources].some((s) => s.startsWith("rule:"))) how.push("rule");
  if (g.sources.has("linked")) how.push("linked");
  return how;
}

function badge(how) {
  const b = document.createElement("span");
  b.className = "badge";
  b.dataset.source = how;
  b.textContent = how;
  b.title = how === "rule" ? "Found by a context rule" : "Later mentions linked to an earlier one";
  return b;
}

function groupOf(id) {
  return state.groups.find((g) => g.id === id);
}

function selectEntity(id, pos, { focusMark = true } = {}) {
  const g = groupOf(id);
  if (!g) return;
  pos = ((pos % g.count) + g.count) % g.count;
  state.current = { id, pos };
  for (const m of $("doc").querySelectorAll("mark.is-current, mark.is-selected")) {
    m.classList.remove("is-current", "is-selected");
    m.removeAttribute("tabindex");
  }
  for (const i of g.mentions) state.marks[i]?.classList.add("is-selected");
  const mark = state.marks[g.mentions[pos]];
  if (mark) {
    mark.classList.add("is-current");
    mark.tabIndex = -1;
    mark.scrollIntoView({ block: "center", behavior: "smooth" });
    if (focusMark) mark.focus({ preventScroll: true });
  }
  for (const b of $("entity-list").querySelectorAll("button.entity")) {
    if (b.dataset.entityId === id) b.setAttribute("aria-current", "true");
    else b.removeAttribute("aria-current");
  }
  showDetail(g, pos);
}

function step(delta) {
  if (!state.current) return;
  selectEntity(state.current.id, state.current.pos + delta);
}

$("prev-mention").addEventListener("click", () => step(-1));
$("next-mention").addEventListener("click", () => step(1));

$("doc").addEventListener("click", (e) => {
  const m = e.target.closest("mark.q-mark");
  if (!m || state.hidden.has(m.dataset.entityType)) return;
  if (String(window.getSelection()).length > 0) return; // selecting text, not clicking
  const g = groupOf(m.dataset.entityId);
  if (g) selectEntity(g.id, g.mentions.indexOf(Number(m.dataset.i)), { focusMark: false });
});

$("doc").addEventListener("keydown", (e) => {
  if (!state.current) return;
  if (e.key === "n" || e.key === "j") step(1);
  else if (e.key === "p" || e.key === "k") step(-1);
});

function showDetail(g, pos) {
  $("detail").hidden = false;
  const e = state.entities[g.id];
  const span = state.spans[g.mentions[pos]];
  $("d-name").textContent = g.name;
  const type = $("d-type");
  const sw = document.createElement("span");
  sw.className = "swatch";
  sw.classList.add("dot");
  sw.dataset.type = g.type;
  type.replaceChildren(sw, document.createTextNode(g.type));

  const idCell = $("d-id");
  const code = document.createElement("code");
  code.textContent = g.id;
  idCell.replaceChildren(code);
  const qid = (e && e.qid) || (/^Q[1-9][0-9]*$/.test(g.id) ? g.id : null);
  if (qid && /^Q[1-9][0-9]*$/.test(qid)) {
    const a = document.createElement("a");
    a.href = `https://www.wikidata.org/wiki/${qid}`;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.textContent = `Wikidata ${qid}`;
    a.title = "Opens Wikidata in a new tab (the only link on this page that leaves your computer, and only when you click it)";
    idCell.append(document.createTextNode(" · "), a);
  }
  if (e && e.xref) {
    const x = document.createElement("code");
    x.textContent = e.xref;
    idCell.append(document.createTextNode(" · "), x);
  }

  const src = $("d-source");
  const how = document.createElement("span");
  how.className = "how";
  how.dataset.source = span.source;
  how.textContent = sourceLabel(span.source, e, g);
  src.replaceChildren(how);
  const about = RULES[span.source.slice(5)];
  if (span.source.startsWith("rule:") && about) {
    const note = document.createElement("span");
    note.className = "how-note";
    note.textContent = about;
    src.append(note);
  }
  if (g.sources.size > 1) {
    const others = [...g.sources].filter((s) => s !== span.source).map((s) => sourceLabel(s, e));
    const note = document.createElement("span");
    note.className = "how-note";
    note.textContent = `Other mentions: ${others.map((o) => o.charAt(0).toLowerCase() + o.slice(1)).join("; ")}.`;
    src.append(note);
  }
  $("d-accept-row").hidden = !acceptable(g);
  $("d-accept").disabled = false;

  const desc = e && e.description;
  for (const el of document.querySelectorAll(".d-desc-row")) el.hidden = !desc;
  $("d-desc").textContent = desc || "";

  const texts = $("d-texts");
  const frag = document.createDocumentFragment();
  for (const [t, n] of [...g.texts.entries()].sort((a, b) => b[1] - a[1])) {
    const c = document.createElement("span");
    c.className = "chip";
    c.textContent = n > 1 ? `${t} ×${n}` : t;
    frag.append(c);
  }
  texts.replaceChildren(frag);
  $("mention-pos").textContent = `${pos + 1} / ${g.count}`;
}

/** What each context rule looks for, in words. */
const RULES = {
  title: "A title, rank or role before capitalised words (Gen., Minister, Dr., journalist…).",
  "first-name": "A known first name followed by a capitalised word.",
  "org-keyword": "Capitalised words starting or ending with an organisation keyword (Ministry, Party, Bank…).",
  street: "Capitalised words after a street word (Jirón, Avenida, Plaza, Street…).",
  embassy: "A place or a capitalised word followed by “embassy” or “consulate”.",
  "place-prefix": "A place directly followed by an institution’s name, taken as one institution.",
  acronym: "An acronym in brackets next to a full name (or the reverse), used for it from there on.",
};

function sourceLabel(source, entity, g) {
  if (source === "gazetteer") {
    const origin = entity && entity.origin ? entity.origin : "a gazetteer";
    const mine = state.gaz.files.some((f) => f.name === origin) || origin === MY_ENTITIES;
    return `Gazetteer match (${mine ? "yours: " : ""}${origin})`;
  }
  if (source === "linked") {
    return `Linked to an earlier mention in this document${g ? ` (${g.name})` : ""}`;
  }
  if (source.startsWith("rule:")) return `Found by a context rule: ${source.slice(5)}`;
  return source;
}

/** A context rule found it, and no gazetteer did: it can be accepted into the user's. */
function acceptable(g) {
  return howFound(g).includes("rule") && !g.sources.has("gazetteer");
}

$("d-accept").addEventListener("click", async () => {
  const g = state.current && groupOf(state.current.id);
  if (!g || !acceptable(g)) return;
  $("d-accept").disabled = true;
  const before = JSON.stringify(state.gaz);
  // The name, and what a rule found written otherwise (an acronym in brackets): never the
  // linked mentions (a surname alone), which linking finds anyway.
  const aliases = [];
  g.mentions.forEach((i) => {
    const s = state.spans[i];
    const t = s.text.replace(/\s+/g, " ").trim();
    if (s.source.startsWith("rule:") && t.toLowerCase() !== g.name.toLowerCase() && !aliases.includes(t)) aliases.push(t);
  });
  const id = newId(g.name);
  state.gaz.records.push(aliases.length ? { id, type: g.type, name: g.name, aliases } : { id, type: g.type, name: g.name });
  const ok = await applyGazetteerChange(before, `Added “${g.name}” to your gazetteer as a ${g.type} (${id}).`);
  if (ok && groupOf(id)) selectEntity(id, 0, { focusMark: false });
});

$("filter").addEventListener("input", renderEntityList);
$("sort").addEventListener("change", renderEntityList);

// ---------------------------------------------------------------------------------------
// Input: paste, files, drop, sample.

$("input-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("input-text").value;
  if (!text.trim()) {
    setStatus("Paste some text first.", { error: true });
    return;
  }
  tagAndShow(text, "Pasted text");
});

$("input-text").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) $("input-form").requestSubmit();
});

$("edit-btn").addEventListener("click", showInput);
$("sample-btn").addEventListener("click", loadSample);

$("file-input").addEventListener("change", async (e) => {
  const file = e.target.files && e.target.files[0];
  if (file) await openFile(file);
  e.target.value = "";
});

async function openFile(file) {
  try {
    setStatus(`Reading ${file.name}…`, { progress: 0 });
    const raw = await file.text();
    const text = /\.html?$/i.test(file.name) || file.type === "text/html" ? htmlToText(raw) : raw;
    await tagAndShow(text, file.name);
  } catch (err) {
    setStatus(`Could not open ${file.name}: ${err.message}`, { error: true });
  }
}

/** The text of an HTML document, markup stripped. DOMParser documents run no scripts and
 *  load nothing; only text nodes are read. */
export function htmlToText(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const el of doc.querySelectorAll("script, style, noscript, template, head, svg, iframe, object")) el.remove();
  const body = doc.body || doc.documentElement;
  // Collapse source white space outside <pre>, then turn blocks into paragraphs.
  const walker = doc.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement || !n.parentElement.closest("pre, textarea")) n.data = n.data.replace(/\s+/g, " ");
  }
  for (const br of body.querySelectorAll("br")) br.replaceWith(doc.createTextNode("\n"));
  const blocks = "p, div, section, article, header, footer, aside, main, nav, h1, h2, h3, h4, h5, h6, li, blockquote, pre, table, tr, dl, dt, dd, figure, figcaption, ul, ol, hr";
  for (const el of body.querySelectorAll(blocks)) {
    const sep = /^(LI|TR|DT|DD)$/.test(el.tagName) ? "\n" : "\n\n";
    el.before(doc.createTextNode(sep));
    el.after(doc.createTextNode(sep));
  }
  return body.textContent
    .split("\n")
    .map((l) => l.replace(/ {2,}/g, " ").replace(/^ +| +$/g, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim() + "\n";
}

// Drag and drop anywhere on the page.
let dragDepth = 0;
window.addEventListener("dragenter", (e) => {
  if (!e.dataTransfer || ![...e.dataTransfer.types].includes("Files")) return;
  e.preventDefault();
  dragDepth += 1;
  $("drop-overlay").hidden = false;
});
window.addEventListener("dragover", (e) => {
  if (e.dataTransfer && [...e.dataTransfer.types].includes("Files")) e.preventDefault();
});
window.addEventListener("dragleave", () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (!dragDepth) $("drop-overlay").hidden = true;
});
window.addEventListener("drop", (e) => {
  e.preventDefault();
  dragDepth = 0;
  $("drop-overlay").hidden = true;
  const file = e.dataTransfer && e.dataTransfer.files[0];
  if (!file) return;
  if (/\.(gaz|json)$/i.test(file.name)) uploadGazetteers([...e.dataTransfer.files]);
  else openFile(file);
});

async function loadSample() {
  try {
    const res = await fetch("sample.txt");
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    await tagAndShow(await res.text(), "sample.txt");
  } catch (e) {
    setStatus(`Could not load the sample text: ${e.message}`, { error: true });
    showInput();
  }
}

// ---------------------------------------------------------------------------------------
// Exports.

function baseName() {
  return (state.name === "Pasted text" ? "pasted" : state.name.replace(/\.[^.]+$/, "")) || "document";
}

$("export-json").addEventListener("click", () => {
  const path = state.name === "Pasted text" ? "pasted.txt" : state.name;
  download(`${baseName()}.quipu.json`, toJson(path, state.spans), "application/json");
});
$("export-csv").addEventListener("click", () => {
  const path = state.name === "Pasted text" ? "pasted.txt" : state.name;
  download(`${baseName()}.quipu.csv`, toCsv(path, state.spans), "text/csv");
});
$("export-html").addEventListener("click", async () => {
  try {
    const html = await state.worker.html(state.name, state.text, state.spans);
    download(`${baseName()}.quipu.html`, html, "text/html");
  } catch (e) {
    setStatus(`Could not export HTML: ${e.message}`, { error: true });
  }
});

// ---------------------------------------------------------------------------------------
// My gazetteer: add from a selection, upload files, export, clear.

document.addEventListener("selectionchange", () => {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || !sel.rangeCount) return;
  const range = sel.getRangeAt(0);
  if (!$("doc").contains(range.commonAncestorContainer)) return;
  const text = sel.toString().replace(/\s+/g, " ").trim();
  if (text && text.length <= 200) $("add-text").value = text;
});

function addMode() {
  return document.querySelector('input[name="add-mode"]:checked').value;
}

for (const r of document.querySelectorAll('input[name="add-mode"]')) {
  r.addEventListener("change", () => {
    if (addMode() === "alias") renderTargets();
    $("add-new-fields").hidden = addMode() !== "new";
    $("add-alias-fields").hidden = addMode() !== "alias";
  });
}

$("add-type").addEventListener("change", () => {
  const custom = $("add-type").value === "__custom";
  $("add-label").hidden = !custom;
  $("add-label-label").hidden = !custom;
  $("add-label").required = custom;
});

function renderTargets() {
  const select = $("add-target");
  const seen = new Set();
  const frag = document.createDocumentFragment();
  const groups = [...state.groups].sort((a, b) => byNameDefault.compare(a.name, b.name));
  for (const g of groups) {
    seen.add(g.id);
    const o = document.createElement("option");
    o.value = g.id;
    o.textContent = `${g.name} (${g.type})`;
    frag.append(o);
  }
  for (const r of state.gaz.records) {
    if (r.action === "add" || seen.has(r.id)) continue;
    const o = document.createElement("option");
    o.value = r.id;
    o.textContent = `${r.name} (${r.type}, yours)`;
    frag.append(o);
  }
  select.replaceChildren(frag);
}

$("add-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = $("add-text").value.replace(/\s+/g, " ").trim();
  if (!text) return;
  const before = JSON.stringify(state.gaz);
  let message;
  if (addMode() === "new") {
    let type = $("add-type").value;
    if (type === "__custom") type = $("add-label").value.trim().toUpperCase();
    if (!/^[A-Z0-9_-]+$/.test(type)) {
      setStatus("A label is made of letters, digits, _ and -.", { error: true });
      return;
    }
    const id = newId(text);
    state.gaz.records.push({ id, type, name: text });
    message = `Added “${text}” as a new ${type} (${id}).`;
  } else {
    const id = $("add-target").value;
    if (!id) {
      setStatus("Tag a document first, then choose the entity.", { error: true });
      return;
    }
    const own = state.gaz.records.find((r) => r.id === id && r.action !== "add");
    if (own) {
      own.aliases = [...(own.aliases || []), text];
    } else {
      const add = state.gaz.records.find((r) => r.id === id && r.action === "add");
      if (add) add.aliases.push(text);
      else state.gaz.records.push({ id, action: "add", aliases: [text] });
    }
    const g = groupOf(id);
    message = `Added “${text}” as a name of ${g ? g.name : id}.`;
  }
  await applyGazetteerChange(before, message);
});

async function applyGazetteerChange(before, message) {
  saveGazetteer();
  renderGazetteer();
  let errors;
  try {
    errors = await (state.ready = startTagger());
  } catch (err) {
    errors = [{ message: err.message }];
  }
  if (errors.length) {
    state.gaz = JSON.parse(before);
    saveGazetteer();
    renderGazetteer();
    state.ready = startTagger();
    setStatus(`Not added: ${errors.map((x) => x.message).join("; ")}`, { error: true });
    return false;
  }
  if (state.text && !$("result").hidden) await tagAndShow(state.text, state.name);
  setStatus(message);
  return true;
}

async function uploadGazetteers(files) {
  const before = JSON.stringify(state.gaz);
  const names = [];
  for (const file of files) {
    const content = await file.text();
    const format = gazetteerFormat(file.name, content);
    state.gaz.files = state.gaz.files.filter((f) => f.name !== file.name);
    state.gaz.files.push({ name: file.name, content, format });
    names.push(file.name);
  }
  await applyGazetteerChange(before, `Loaded ${names.join(", ")}.`);
}

$("gaz-input").addEventListener("change", async (e) => {
  const files = [...(e.target.files || [])];
  e.target.value = "";
  if (files.length) await uploadGazetteers(files);
});

$("gaz-export").addEventListener("click", async () => {
  try {
    await state.ready;
    const text = await state.worker.gazText(gazetteerSources());
    const header = "# My Quipu gazetteer, exported from the browser page.\n# Format: docs/gazetteer-format.md\n";
    download("my-gazetteer.gaz", header + text, "text/plain");
  } catch (err) {
    setStatus(`Could not export: ${err.message}`, { error: true });
  }
});

$("gaz-clear").addEventListener("click", async () => {
  if (!state.gaz.files.length && !state.gaz.records.length) return;
  if (!window.confirm("Remove every name you added and every gazetteer you uploaded from this browser?")) return;
  const before = JSON.stringify(state.gaz);
  state.gaz = { files: [], records: [] };
  await applyGazetteerChange(before, "Your gazetteer is now empty.");
});

function renderGazetteer() {
  const n = state.gaz.records.length;
  const f = state.gaz.files.length;
  $("gaz-summary").textContent =
    n || f ? `${plural(n, "entry", "entries")} added here${f ? `, ${plural(f, "file")} uploaded` : ""}.` : "Nothing added yet.";
  const ul = $("gaz-list");
  const frag = document.createDocumentFragment();
  for (const file of state.gaz.files) {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = file.name;
    const rm = document.createElement("button");
    rm.type = "button";
    rm.className = "btn btn-small btn-quiet";
    rm.textContent = "Remove";
    rm.setAttribute("aria-label", `Remove ${file.name}`);
    rm.addEventListener("click", () => {
      const before = JSON.stringify(state.gaz);
      state.gaz.files = state.gaz.files.filter((x) => x !== file);
      applyGazetteerChange(before, `Removed ${file.name}.`);
    });
    li.append(name, rm);
    frag.append(li);
  }
  ul.replaceChildren(frag);
  $("gaz-export").disabled = !n && !f;
  $("gaz-clear").disabled = !n && !f;
}

// ---------------------------------------------------------------------------------------
// Settings: context rules and linking. Switching one rebuilds the tagger and tags again.

function renderSettings() {
  $("opt-rules").checked = state.settings.rules;
  $("opt-linking").checked = state.settings.linking;
}

async function changeSetting(key, on) {
  state.settings[key] = on;
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(state.settings));
  state.ready = startTagger();
  try {
    await state.ready;
  } catch (e) {
    setStatus(`Could not start the tagger: ${e.message}`, { error: true });
    return;
  }
  if (state.text && !$("result").hidden) await tagAndShow(state.text, state.name);
  if ($("status").classList.contains("error")) return;
  const what = key === "rules" ? "Context rules" : "Linking of later mentions";
  setStatus(`${what} ${on ? "on" : "off"}.${state.text && !$("result").hidden ? ` ${$("status-text").textContent}` : ""}`);
}

$("opt-rules").addEventListener("change", (e) => changeSetting("rules", e.target.checked));
$("opt-linking").addEventListener("change", (e) => changeSetting("linking", e.target.checked));

// ---------------------------------------------------------------------------------------
// Start.

function main() {
  renderSettings();
  renderGazetteer();
  renderEntityList();
  // boot.js started the first build with what localStorage held; the same here, unless a
  // store changed in between (another tab).
  const same = JSON.stringify(firstInit.args) === JSON.stringify(initArgs(state.settings, state.gaz));
  state.ready = startTagger(same ? firstInit.result : undefined).catch((e) => {
    setStatus(`Could not start the tagger: ${e.message}`, { error: true });
    throw e;
  });
  state.ready.then(
    () => {
      if (!state.busy) setStatus("Ready.");
    },
    () => {},
  );
  if (!localStorage.getItem(VISITED_KEY)) {
    localStorage.setItem(VISITED_KEY, "1");
    loadSample();
  } else {
    showInput();
    setStatus("Paste a document, open a file, or use the sample text.");
  }
  // The service worker caches the page's files (the wasm and the gazetteer among them): once
  // the tagger is ready, so that its downloads do not compete with the first build.
  if ("serviceWorker" in navigator && /^https?:$/.test(location.protocol)) {
    state.ready.finally(() => navigator.serviceWorker.register("../sw.js", { scope: "../" }).catch(() => {})).catch(() => {});
  }
}

main();

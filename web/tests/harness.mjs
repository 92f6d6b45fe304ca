// Shared by the browser tests: the static server, Debian's chromium through playwright-core,
// and a page that records every request, dialog and console error.

import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

export const WEB = fileURLToPath(new URL("..", import.meta.url));
export const SHOTS = fileURLToPath(new URL("./screenshots/", import.meta.url));
export const DOWNLOADS = fileURLToPath(new URL("./downloads/", import.meta.url));
mkdirSync(SHOTS, { recursive: true });
mkdirSync(DOWNLOADS, { recursive: true });

/** Starts web/serve.mjs on a free port; resolves to { url, stop }. */
export function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL("../serve.mjs", import.meta.url)), "--port", "0", "--root", WEB], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve({ url: m[0], stop: () => child.kill("SIGTERM") });
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/**
 * Starts the server and chromium before a test file's tests, stops them after; `set` gets
 * `{ server, browser }` once both run.
 */
export function withServerAndBrowser(set) {
  let server;
  let browser;
  before(async () => {
    server = await startServer();
    browser = await launch();
    set({ server, browser });
  });
  after(async () => {
    await browser?.close();
    server?.stop();
  });
}

/**
 * A fresh context and page. Records requests (checked against the origin), dialogs (none
 * may open: they are dismissed and counted), page errors and console errors.
 */
export async function openPage(browser, base, { colorScheme = "light", viewport = { width: 1280, height: 860 }, context } = {}) {
  const ctx = context || (await browser.newContext({ colorScheme, viewport, acceptDownloads: true }));
  const page = await ctx.newPage();
  const log = { requests: [], dialogs: [], errors: [] };
  page.on("request", (r) => log.requests.push(r.url()));
  ctx.on("request", (r) => log.requests.push(r.url()));
  page.on("dialog", (d) => {
    log.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on("response", (r) => {
    if (r.status() >= 400) log.errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  page.on("pageerror", (e) => log.errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") log.errors.push(m.text());
  });
  page.on("worker", (w) => w.on("console", (m) => m.type() === "error" && log.errors.push(m.text())));
  return { ctx, page, log };
}

/** Every request must stay on the page's origin (or be data:/blob:). */
export function outsideRequests(log, base) {
  const origin = new URL(base).origin;
  return log.requests.filter((u) => !(u.startsWith("data:") || u.startsWith("blob:") || new URL(u).origin === origin));
}

/**
 * Waits until the page has tagged and rendered a document (the exports come on). The page
 * may not be the app yet (web/index.html redirects to it): then it waits on.
 */
export async function waitTagged(page) {
  await page.waitForFunction(() => {
    const exports = document.getElementById("export-json");
    const result = document.getElementById("result");
    return Boolean(exports && result && !exports.disabled && !result.hidden);
  }, null, { timeout: 60000 });
}

/** Toggles a switch of the settings and waits until the document has been tagged again. */
export async function toggle(page, id, on) {
  const before = await page.evaluate(() => document.getElementById("status-text").textContent);
  await page.setChecked(`#${id}`, on);
  await page.waitForFunction((b) => {
    const t = document.getElementById("status-text").textContent;
    return t !== b && /^(Context rules|Linking of later mentions) (on|off)\./.test(t);
  }, before);
  await waitTagged(page);
}

/** Pastes `text` into the input and highlights it. */
export async function pasteAndTag(page, text) {
  if (await page.locator("#input-form").isHidden()) await page.click("#edit-btn");
  await page.fill("#input-text", text);
  await page.click("#tag-btn");
  await waitTagged(page);
  await page.waitForFunction((t) => document.getElementById("doc").textContent === t, text);
}

/** The marks: [{ text, type, id }]. */
export function marks(page) {
  return page.$$eval("#doc mark", (ms) => ms.map((m) => ({ text: m.textContent, type: m.dataset.entityType, id: m.dataset.entityId })));
}

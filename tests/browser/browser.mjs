// tests/browser/browser.mjs — what the browser tests share: a demo `qyzmet serve` (started
// and stopped through tests/api/server.mjs), Debian's Chromium driven headless by
// playwright-core, signing in as a demo user, and the checks every page gets:
// accessibility by axe-core (no serious or critical violation), no horizontal scrolling at
// 390 px, every visible text changing with the language, and its screenshots at desktop
// and phone width (build/screens/; docs/screens/ with `make screens`).
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { startServer } from "../api/server.mjs";

export const CHROMIUM = process.env.QZ_CHROMIUM || "/usr/bin/chromium";
// The screenshots go to build/screens/ on every run, so that a test run leaves the tree as
// it was; `make screens` runs the tests with QZ_SCREENS=docs/screens/ to refresh those kept.
export const SCREENS = process.env.QZ_SCREENS
  ? new URL(`../../${process.env.QZ_SCREENS.replace(/\/?$/, "/")}`, import.meta.url).pathname
  : new URL("../../build/screens/", import.meta.url).pathname;
mkdirSync(SCREENS, { recursive: true });
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export async function start(now) {
  const srv = await startServer(["--clock", `fixed:${now}`], { demo: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  const pw = (login) => srv.demo.users.find((u) => u.login === login).password;
  return { srv, browser, pw };
}

export async function stop({ srv, browser }) {
  await browser?.close();
  if (srv) assert.equal(await srv.stop(), 0);
}

// A new tab of its own (its own session storage: one person), in Kazakh to start with.
export async function newPage(env, { viewport = DESKTOP, lang = "kk" } = {}) {
  const context = await env.browser.newContext({ viewport, locale: lang === "kk" ? "kk-KZ" : "ru-RU" });
  await context.addInitScript((l) => {
    if (!localStorage.getItem("qz.lang")) localStorage.setItem("qz.lang", l);
  }, lang);
  const page = await context.newPage();
  page.setDefaultTimeout(15000); // a state that does not come fails the test soon
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  return page;
}

// Opens a path and waits until the page has rendered (body.ready).
export async function open(page, env, path) {
  await page.goto(env.srv.base + path);
  await ready(page);
}

export async function ready(page) {
  await page.waitForSelector("body.ready", { state: "attached" });
}

// The newest one-time password sent to iin, from the outbox.
export function lastCode(env, iin) {
  const sms = env.srv.outbox(iin).filter((m) => /\b\d{6}\b/.test(m.text)).at(-1);
  assert.ok(sms, `an SMS with a code for ${iin}`);
  return sms.text.match(/\b(\d{6})\b/)[1];
}

export async function signInStaff(page, env, login) {
  await open(page, env, "/signin");
  await page.fill("#login", login);
  await page.fill("#password", env.pw(login));
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/signin")), page.click("#staff-submit")]);
  await ready(page);
}

// A citizen signs in by a one-time password (read from the outbox), or by password.
export async function signInCitizen(page, env, iin, next = "", { password = false } = {}) {
  await open(page, env, `/signin${next ? `?next=${encodeURIComponent(next)}` : ""}`);
  await page.fill("#iin", iin);
  if (password) {
    await page.check("#way-pw");
    await page.fill("#cpw", env.pw(iin));
  } else {
    await page.click("#send-otp");
    await page.waitForSelector("#otp", { state: "visible" });
    await page.fill("#otp", lastCode(env, iin));
  }
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/signin")), page.click("#citizen-submit")]);
  await ready(page);
}

// ---- the checks every page gets ----

export async function axe(page, name) {
  // only the violations: the passes are most of axe's time
  const r = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).options({ resultTypes: ["violations"] }).analyze();
  const bad = r.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), [], `${name}: axe`);
}

export async function noHorizontalScroll(page, name) {
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(w[0] <= w[1], `${name}: ${w[0]} px wide in a ${w[1]} px window`);
}

// The visible texts of the page, one per element's own text, without those marked as
// another language (lang="…") or as names (translate="no").
export function visibleTexts(page) {
  return page.evaluate(() => {
    const out = [];
    const lang = document.documentElement.lang;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.replace(/\s+/g, " ").trim();
      const el = n.parentElement;
      if (!text || !el || !el.checkVisibility?.()) continue;
      if (el.closest("[translate=no], script, style")) continue;
      const tagged = el.closest("[lang]");
      if (tagged && tagged.getAttribute("lang") !== lang) continue;
      out.push(text);
    }
    for (const el of document.querySelectorAll("input[placeholder], [aria-label]")) {
      if (!el.checkVisibility?.() || el.closest("[translate=no]")) continue;
      const tagged = el.closest("[lang]");
      if (tagged && tagged.getAttribute("lang") !== lang) continue;
      out.push(el.getAttribute("aria-label") || el.getAttribute("placeholder"));
    }
    out.push(document.title);
    return out;
  });
}

// Letters only Kazakh has among the Cyrillic ones.
const KAZAKH = /[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/;
// A text with no words: numbers, dates, codes and punctuation.
const WORDLESS = /^[\p{N}\p{P}\p{S}\s]*$/u;

// Renders the page in Kazakh and in Russian (the switch on the page) and finds no text
// left in the other language: nothing the same in both but numbers, and no Kazakh letter
// in the Russian rendering. Leaves the page in Kazakh.
export async function languagesDiffer(page, name) {
  assert.equal(await page.evaluate(() => document.documentElement.lang), "kk", `${name}: starts in Kazakh`);
  const kk = await visibleTexts(page);
  await Promise.all([page.waitForEvent("load"), page.click("#lang-switch")]);
  await ready(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), "ru", `${name}: switched to Russian`);
  const ru = await visibleTexts(page);
  const same = ru.filter((x) => kk.includes(x) && !WORDLESS.test(x));
  assert.deepEqual(same, [], `${name}: texts the same in both languages`);
  const kazakhInRu = ru.filter((x) => KAZAKH.test(x));
  assert.deepEqual(kazakhInRu, [], `${name}: Kazakh left in the Russian page`);
  await Promise.all([page.waitForEvent("load"), page.click("#lang-switch")]);
  await ready(page);
  return { kk, ru };
}

// Every check, then the screenshots (desktop and phone), the page left as it was found
// (in Kazakh, at desktop width). lang: false skips the language check (a page whose state
// a reload would lose).
export async function checkPage(page, name, { lang = true } = {}) {
  const t0 = Date.now();
  await axe(page, name);
  const t1 = Date.now();
  const size = page.viewportSize();
  mkdirSync(SCREENS, { recursive: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `${SCREENS}${name}-desktop.png`, fullPage: true });
  await page.setViewportSize(PHONE);
  await noHorizontalScroll(page, name);
  await page.screenshot({ path: `${SCREENS}${name}-phone.png`, fullPage: true });
  await page.setViewportSize(size);
  const t2 = Date.now();
  if (lang) await languagesDiffer(page, name);
  if (process.env.QZ_TIMES) console.error(`${name}: axe ${t1 - t0} ms, screens ${t2 - t1} ms, languages ${Date.now() - t2} ms`);
  assert.deepEqual(page.errors, [], `${name}: script errors`);
}

// Presses Tab until the focused element matches selector (keyboard only); fails after 60.
export async function tabTo(page, selector, { back = false } = {}) {
  for (let i = 0; i < 60; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  assert.fail(`Tab never reached ${selector}`);
}

// app.js — what every page shares: the language and its texts (GET /api/v1/strings/LANG,
// the "web.…" keys of catalog/strings/), the session, calls to the API with its errors
// shown in the person's language, the page's header with the language switch, and small
// helpers to build the DOM. The pages hold no text of their own: every text is a key.

const LANGS = ["kk", "ru"];
const LANG_KEY = "qz.lang";
const SESSION_KEY = "qz.session";

let texts = {};

export function lang() {
  const l = localStorage.getItem(LANG_KEY);
  return LANGS.includes(l) ? l : "kk";
}

// The text of key in the current language, {name} placeholders filled from vars. A key
// that is missing shows as itself, so a gap is visible.
export function t(key, vars = {}) {
  const s = texts[key];
  if (s === undefined) return key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

// A text the API gives in both languages ({kk, ru, en?}).
export function pick(text) {
  if (!text) return "";
  if (typeof text === "string") return text;
  return text[lang()] || text.ru || text.kk || "";
}

// Fills the texts of elements marked data-t (text), data-t-label (aria-label) and
// data-t-placeholder under root.
export function localize(root = document) {
  for (const el of root.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  for (const el of root.querySelectorAll("[data-t-label]")) el.setAttribute("aria-label", t(el.dataset.tLabel));
}

// ---- the session (sessionStorage: gone with the tab) ----
export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY)) || null;
  } catch {
    return null;
  }
}
export function setSession(s) {
  if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
  else sessionStorage.removeItem(SESSION_KEY);
}
const here = () => location.pathname + location.search;

// Sends the person to sign in, to come back here afterwards.
export function toSignIn(reason) {
  setSession(null);
  const q = new URLSearchParams({ next: here() });
  if (reason) q.set("why", reason);
  location.assign(`/signin?${q}`);
}

// The page a role starts on after signing in.
export function home(role) {
  if (role === "applicant") return "/cabinet";
  if (role === "psc-operator") return "/desk";
  return "/inbox";
}

// ---- the API ----
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code || "";
    this.field = body?.error?.field || "";
    this.body = body || {};
  }
}

// Calls the API: the answer's JSON, or throws ApiError with the message in the person's
// language. A session that has ended (401 auth.*) goes to sign-in and back here.
export async function api(method, path, body, headers = {}) {
  const s = session();
  const h = { "Accept-Language": lang(), ...headers };
  if (s?.token) h.Authorization = `Bearer ${s.token}`;
  if (body !== undefined) h["Content-Type"] = "application/json";
  let r;
  try {
    r = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { error: { code: "web.offline", message: t("web.error.offline") } });
  }
  let json = null;
  try {
    json = await r.json();
  } catch {
    json = null;
  }
  if (r.status === 401 && s?.token && /^auth\./.test(json?.error?.code || "")) {
    toSignIn("expired");
    throw new ApiError(r.status, json);
  }
  if (!r.ok) throw new ApiError(r.status, json || { error: { message: t("web.error.unknown") } });
  return json;
}

// ---- building the DOM ----
// h("p.lead", {id: "x"}, "text", child…): an element with classes, attributes and children.
export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split(".");
  const el = document.createElement(name);
  if (classes.length) el.className = classes.join(" ");
  if (attrs && (typeof attrs !== "object" || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// A date and time of the API (ISO with offset) as "2026-06-08 18:00", in the country's
// time as the API gives it; a date alone stays as it is.
export function when(iso) {
  if (!iso) return "—";
  const m = String(iso).match(/^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/);
  return m ? (m[2] ? `${m[1]} ${m[2]}` : m[1]) : String(iso);
}

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

// ---- errors, GOV.UK's way: a summary at the top linking to each field, and the message
// beside the field ----
export function clearErrors(form) {
  document.querySelector(".error-summary")?.remove();
  for (const f of (form || document).querySelectorAll(".field.has-error")) {
    f.classList.remove("has-error");
    f.querySelector(".field-error")?.remove();
    const input = f.querySelector("[aria-invalid]");
    if (input) {
      input.removeAttribute("aria-invalid");
      const d = (input.getAttribute("aria-describedby") || "").split(" ").filter((x) => !x.endsWith("-error"));
      if (d.length) input.setAttribute("aria-describedby", d.join(" "));
      else input.removeAttribute("aria-describedby");
    }
  }
}

// Shows errors [{message, field}] (field: the id of an input, or empty) above `before`.
export function showErrors(errors, before) {
  clearErrors();
  const items = errors.map((e) => {
    const input = e.field && document.getElementById(e.field);
    if (input) {
      const box = input.closest(".field");
      if (box && !box.classList.contains("has-error")) {
        box.classList.add("has-error");
        const id = `${e.field}-error`;
        const label = box.querySelector("label, legend, .label");
        const msg = h("p.field-error", { id }, e.message);
        if (label) label.after(msg);
        else box.prepend(msg);
        input.setAttribute("aria-invalid", "true");
        const d = input.getAttribute("aria-describedby");
        input.setAttribute("aria-describedby", d ? `${d} ${id}` : id);
      }
      return h("li", h("a", { href: `#${e.field}`, onclick: (ev) => { ev.preventDefault(); input.focus(); } }, e.message));
    }
    return h("li", e.message);
  });
  const box = h("div.error-summary", { role: "alert", tabindex: "-1", "aria-labelledby": "error-summary-title" },
    h("h2", { id: "error-summary-title" }, t("web.error.title")), h("ul", items));
  (before || document.querySelector("main").firstChild).before(box);
  box.focus();
  return box;
}

// The error of an API call as the summary shows it; field maps the API's field names to
// the page's input ids.
export function apiErrors(err, fieldIds = {}) {
  if (!(err instanceof ApiError)) return [{ message: t("web.error.unknown") }];
  const base = (err.field || "").replace(/\[\d+\]$/, "");
  return [{ message: err.message, field: fieldIds[err.field] || fieldIds[base] || "" }];
}

// ---- the page's frame ----
function navFor(s) {
  if (!s) return [["/", "web.nav.services"], ["/signin", "web.nav.signin"]];
  if (s.role === "applicant") return [["/", "web.nav.services"], ["/cabinet", "web.nav.cabinet"]];
  const items = [];
  if (s.role === "psc-operator") items.push(["/desk", "web.nav.desk"]);
  items.push(["/inbox", "web.nav.inbox"]);
  return items;
}

async function signOut() {
  try {
    await api("DELETE", "/api/v1/sessions");
  } catch {
    /* the session may have ended already: signed out either way */
  }
  setSession(null);
  location.assign("/");
}

function header() {
  const s = session();
  const other = lang() === "kk" ? "ru" : "kk";
  const sw = h("button.lang", {
    type: "button", lang: other, id: "lang-switch",
    "aria-label": t(`web.lang.switch_to.${other}`),
    onclick: () => {
      localStorage.setItem(LANG_KEY, other);
      location.reload();
    },
  }, t(`web.lang.name.${other}`));
  const nav = h("nav", { "aria-label": t("web.nav.label") },
    h("ul", navFor(s).map(([href, key]) => h("li", h("a", { href, "aria-current": location.pathname === href ? "page" : null }, t(key))))));
  const bar = h("div.bar", h("a.brand", { href: "/" }, t("web.brand")), nav);
  if (s) {
    bar.append(h("span.who", { translate: "no" }, s.login), h("button.signout", { type: "button", onclick: signOut }, t("web.nav.signout")));
  }
  bar.append(sw);
  return bar;
}

// Starts a page: loads the texts, fills the frame, then runs render(main). needs: "any",
// "signed", "applicant", "staff" or a role list: who may see the page (others go to sign in).
export async function page(titleKey, render, { needs } = {}) {
  document.documentElement.lang = lang();
  try {
    const r = await fetch(`/api/v1/strings/${lang()}`);
    texts = (await r.json()).strings || {};
  } catch {
    texts = {};
  }
  const s = session();
  if (needs && needs !== "any") {
    const ok = s && (needs === "signed" || (needs === "staff" ? s.role !== "applicant" : Array.isArray(needs) ? needs.includes(s.role) : s.role === needs));
    if (!ok) return toSignIn(s ? "role" : "needed");
  }
  document.title = `${t(titleKey)} — ${t("web.brand")}`;
  document.querySelector("header.top").replaceChildren(header());
  document.querySelector("footer p")?.replaceChildren(t("web.footer"));
  localize();
  const main = document.querySelector("main");
  main.replaceChildren();
  try {
    await render(main);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) main.append(h("div.notice", { role: "alert" }, e instanceof ApiError ? e.message : t("web.error.unknown")));
  }
  document.body.classList.add("ready");
}

// ---- form fields built from the catalogue's descriptions ({name, type, required, values}) ----
// labels: a value's text (grounds' names); returns the .field element; its input's id is
// `${prefix}${name}`.
export function fieldFor(f, prefix, { labels = {}, value, label: named } = {}) {
  const id = `${prefix}${f.name}`;
  const labelText = (named || t(`web.field.${f.name}`)) + (f.required ? "" : ` ${t("web.optional")}`);
  const label = h("label", { for: id }, labelText);
  let input;
  const valueText = (v) => labels[v] || t(`web.value.${v}`);
  if (["ground", "outcome", "choice"].includes(f.type)) {
    input = h("select", { id, name: f.name }, h("option", { value: "" }, t("web.choose")),
      (f.values || []).map((v) => h("option", { value: v, selected: v === value }, valueText(v))));
  } else if (f.type === "bool") {
    input = h("input", { id, name: f.name, type: "checkbox" });
    return h("div.field", h("div.check", input, h("label", { for: id }, labelText)));
  } else if (f.type === "date") {
    input = h("input.short", { id, name: f.name, type: "date" });
  } else if (f.type === "int") {
    input = h("input.short", { id, name: f.name, type: "number", inputmode: "numeric" });
  } else if (f.type === "iin") {
    input = h("input.short", { id, name: f.name, type: "text", inputmode: "numeric", autocomplete: "off", maxlength: "12", pattern: "[0-9]{12}" });
  } else if (f.type === "text" && /^(text|reasons|basis|reason|cover_letter)$/.test(f.name)) {
    input = h("textarea", { id, name: f.name, rows: "4" });
  } else {
    input = h("input", { id, name: f.name, type: "text", autocomplete: "off" });
  }
  if (f.required) input.setAttribute("aria-required", "true");
  return h("div.field", label, input);
}

// The values of fields `fs` read from the form, typed as the API wants them.
export function readFields(form, fs, prefix) {
  const data = {};
  for (const f of fs) {
    const el = form.querySelector(`#${CSS.escape(prefix + f.name)}`);
    if (!el) continue;
    if (f.type === "bool") data[f.name] = el.checked;
    else if (el.value === "") continue;
    else if (f.type === "int") data[f.name] = Number(el.value);
    else data[f.name] = el.value.trim();
  }
  return data;
}

// The id of the input for the API's field name `field` among fs, for the error summary.
export function fieldIds(fs, prefix) {
  return Object.fromEntries(fs.map((f) => [f.name, prefix + f.name]));
}

// The label of a role.
export const roleName = (r) => (r ? t(`web.role.${r}`) : "—");

// A case's status as a tag.
export function statusTag(status) {
  const cls = status === "done" ? "tag.done" : status === "refused" || status === "withdrawn" ? "tag.overdue" : "tag";
  return h(`span.${cls}`, t(`web.status.${status}`));
}

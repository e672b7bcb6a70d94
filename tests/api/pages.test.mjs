// The web pages served by `qyzmet serve` itself (src/http/static.c): "/" and the files of
// web/ with their content types, revalidation by ETag, no way out of the folder, the JSON
// 404 kept for everything else; GET /api/v1/strings/LANG, the pages' texts; and every text
// key the pages use is in the string catalogue in kk, ru and en.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";
import { startServer } from "./server.mjs";

const WEB = new URL("../../web/", import.meta.url).pathname;
let srv;

before(async () => {
  srv = await startServer(["--clock", "fixed:2026-06-01T10:00+05:00"], { demo: true });
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

// One raw request (fetch would normalise "..").
function raw(path, method = "GET") {
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(new URL(srv.base).port), "127.0.0.1", () =>
      s.end(`${method} ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    let data = "";
    s.on("data", (d) => (data += d));
    s.on("end", () => {
      const [head, ...body] = data.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), head, body: body.join("\r\n\r\n") });
    });
    s.on("error", reject);
  });
}

test("GET / is the portal's page, HTML, with its cache and security headers", async () => {
  const r = await srv.request("GET", "/");
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal(r.text, readFileSync(join(WEB, "index.html"), "utf8"));
  assert.equal(r.headers.get("cache-control"), "no-cache");
  assert.match(r.headers.get("content-security-policy"), /default-src 'self'/);
  assert.equal(r.headers.get("x-content-type-options"), "nosniff");
  const again = await srv.request("GET", "/", { headers: { "If-None-Match": r.headers.get("etag") } });
  assert.equal(again.status, 304, "unchanged: revalidated");
  const other = await srv.request("GET", "/", { headers: { "If-None-Match": '"0-0"' } });
  assert.equal(other.status, 200, "another ETag: the file again");
});

test("a page's name without .html, and the files beside it, with their content types", async () => {
  const desk = await srv.request("GET", "/desk");
  assert.equal(desk.status, 200);
  assert.equal(desk.text, readFileSync(join(WEB, "desk.html"), "utf8"));
  for (const [path, type] of [["/js/app.js", "text/javascript; charset=utf-8"], ["/css/app.css", "text/css; charset=utf-8"], ["/signin.html", "text/html; charset=utf-8"]]) {
    const r = await srv.request("GET", path);
    assert.equal(r.status, 200, path);
    assert.equal(r.headers.get("content-type"), type, path);
  }
  const head = await raw("/js/app.js", "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.body, "", "HEAD: no body");
});

test("no path leaves web/: traversal, hidden files and odd names get the JSON 404", async () => {
  for (const p of ["/../Makefile", "/js/../../Makefile", "/%2e%2e/Makefile", "/js/%2e%2e/%2e%2e/Makefile", "/.gitignore", "/js/.x",
    "/..", "/js//app.js", "/js/app.js/", "/no-such-page", "/js/none.js", "/" + "a".repeat(5000), "/a/b/c/d/e/f"]) {
    const r = await raw(p);
    assert.equal(r.status, 404, `${p}: ${r.head}`);
    assert.match(r.head, /content-type: application\/json/i, p);
    assert.equal(JSON.parse(r.body).error.code, "request.no_route", p);
  }
  const post = await srv.request("POST", "/");
  assert.equal(post.status, 404, "only GET and HEAD reach the pages");
  assert.equal(post.json.error.code, "request.no_route");
});

test("/api keeps its JSON 404s, in the caller's language", async () => {
  const r = await srv.request("GET", "/api/v1/nothing", { headers: { "Accept-Language": "ru" } });
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, "request.no_route");
  assert.match(r.json.error.message, /[а-я]/);
  assert.equal((await srv.request("GET", "/api")).json.error.code, "request.no_route");
  assert.equal((await srv.request("GET", "/healthz")).json.status, "ok");
});

test("QYZMET_WEB names another folder of pages", async () => {
  const dir = mkdtempSync(join(tmpdir(), "qz-web-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>other</title>");
  process.env.QYZMET_WEB = dir;
  const other = await startServer();
  delete process.env.QYZMET_WEB;
  try {
    const r = await other.request("GET", "/");
    assert.equal(r.text, "<!doctype html><title>other</title>");
    assert.equal((await other.request("GET", "/desk")).status, 404, "not in that folder");
  } finally {
    assert.equal(await other.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("GET /api/v1/strings/LANG gives every web.* text, the same keys in kk, ru and en", async () => {
  const got = {};
  for (const lang of ["kk", "ru", "en"]) {
    const r = await srv.request("GET", `/api/v1/strings/${lang}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.lang, lang);
    got[lang] = r.json.strings;
    assert.ok(Object.keys(got[lang]).length > 100, "the pages' texts");
    for (const [k, v] of Object.entries(got[lang])) {
      assert.match(k, /^web\./, k);
      assert.ok(typeof v === "string" && v.length > 0, k);
    }
  }
  assert.deepEqual(Object.keys(got.ru).sort(), Object.keys(got.kk).sort());
  assert.equal(got.kk["web.nav.signin"], "Кіру");
  assert.equal(got.ru["web.nav.signin"], "Войти");
  const bad = await srv.request("GET", "/api/v1/strings/de", { headers: { "Accept-Language": "en" } });
  assert.equal(bad.status, 404);
  assert.equal(bad.json.error.code, "strings.lang_unknown");
  assert.equal(bad.json.error.field, "lang");
});

test("GET /api/v1/branches lists the PSC branches, by code, with names in kk and ru", async () => {
  const r = await srv.request("GET", "/api/v1/branches");
  assert.equal(r.status, 200);
  const pscs = srv.demo.units.filter((u) => u.kind === "psc").map((u) => u.unit).sort();
  assert.deepEqual(r.json.map((b) => b.code), pscs);
  for (const b of r.json) assert.ok(b.name.kk && b.name.ru, b.code);
});

// Every key the pages name — data-t in the HTML, t("web.…") in the modules, and the
// prefixes they build keys from — has its texts: no text in a page without kk and ru.
test("every text key of web/ is in the string catalogue", async () => {
  const strings = (await srv.request("GET", "/api/v1/strings/kk")).json.strings;
  const files = [...readdirSync(WEB).filter((f) => f.endsWith(".html")), ...readdirSync(join(WEB, "js")).map((f) => `js/${f}`)];
  const used = new Set();
  for (const f of files) {
    const text = readFileSync(join(WEB, f), "utf8");
    for (const m of text.matchAll(/["'](web\.[a-z0-9_.-]+[a-z0-9_])["']/g)) used.add(m[1]);
    // HTML holds no words of its own: only the brand in <title> before the texts load
    if (f.endsWith(".html")) assert.doesNotMatch(text.replace(/<title>qyzmet<\/title>/, "").replace(/<[^>]*>/g, ""), /\p{L}/u, `${f}: text outside the catalogue`);
  }
  assert.ok(used.size > 100, `${used.size} keys`);
  const missing = [...used].filter((k) => !(k in strings));
  assert.deepEqual(missing, []);
  // keys built from a prefix: each value the pages can meet
  for (const k of ["web.status.open", "web.status.ready", "web.status.done", "web.status.refused", "web.status.withdrawn",
    "web.channel.psc", "web.channel.portal", "web.cstate.registered", "web.cstate.forwarded", "web.cstate.satisfied", "web.cstate.decided",
    "web.caction.satisfy", "web.caction.forward", "web.caction.decide", "web.lang.name.kk", "web.lang.name.ru"])
    assert.ok(k in strings, k);
});

// The forms are built from the catalogue: every field an action or a payload names (but a
// check's outcome, labelled by the check's own name) has its label among the texts, so a
// field added to the catalogue without one fails here rather than showing its key.
test("every field the catalogue names has a label in web.field.*", async () => {
  const strings = (await srv.request("GET", "/api/v1/strings/ru")).json.strings;
  const names = new Set();
  const walk = (o) => {
    if (Array.isArray(o)) return o.forEach(walk);
    if (!o || typeof o !== "object") return;
    for (const key of ["fields", "payload_fields"])
      for (const f of Array.isArray(o[key]) ? o[key] : []) if (f?.name && f.type !== "outcome") names.add(f.name);
    Object.values(o).forEach(walk);
  };
  const root = new URL("../../catalog/", import.meta.url).pathname;
  for (const dir of ["services", "workflows"])
    for (const f of readdirSync(join(root, dir)).filter((x) => x.endsWith(".json"))) walk(JSON.parse(readFileSync(join(root, dir, f), "utf8")));
  walk(JSON.parse(readFileSync(join(root, "complaints.json"), "utf8")));
  assert.ok(names.size > 20, `${names.size} fields`);
  assert.deepEqual([...names].filter((n) => !(`web.field.${n}` in strings)).sort(), []);
});

// HTTP as RFC 9110 and RFC 6750 say, over a raw socket (rawhttp.mjs): a path carrying NUL,
// a control character or a broken percent-encoding is refused 400 before any route sees
// it; HEAD is answered wherever GET is; 405 says which methods are allowed; 401 names the
// Bearer scheme; 201 says where the new resource is; the catalogue's GETs carry an ETag
// and answer 304 to If-None-Match; an impossible Content-Length is refused 413 at once;
// the API's description is served at /api/v1/openapi.yaml.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startServer } from "./server.mjs";
import { rawRequest } from "./rawhttp.mjs";

const NOW = "2026-06-01T10:00:00+05:00";
const APPLICANT = "921029350851"; // the demo applicant
let srv, port;
const req = (o) => rawRequest(port, o);

before(async () => {
  srv = await startServer(["--clock", `fixed:${NOW}`], { demo: true });
  port = Number(new URL(srv.base).port);
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

test("a path with NUL, a control character or a bad %-escape is refused 400 before routing", async () => {
  for (const path of [
    "/api/v1/applications/1%00/actions",
    "/api/v1/admin/clock%00.css",
    "/api/v1/services%00",
    "/api/v1/services/apostille%0a",
    "/api/v1/services/%7f",
    "/healthz%",
    "/healthz%zz",
    "/healthz%4",
    "/api/v1/services?x=%00",
  ]) {
    const r = await req({ path });
    assert.equal(r.status, 400, `${path}: ${r.text}`);
    assert.equal(r.json?.error?.code, "request.bad_path", path);
  }
  // A raw control byte in the request line, too.
  const r = await req({ path: "/healthz\x01" });
  assert.equal(r.status, 400, r.text);
  // Percent-encoded text that decodes to printable characters still routes.
  assert.equal((await req({ path: "/api/v1/services/%61postille" })).status, 200);
});

test("HEAD answers wherever GET does, with GET's headers and no body", async () => {
  for (const path of ["/healthz", "/api/v1/services", "/api/v1/services/apostille", "/api/v1/openapi.yaml"]) {
    const get = await req({ path });
    const head = await req({ method: "HEAD", path });
    assert.equal(head.status, get.status, path);
    assert.equal(head.text, "", path);
    assert.equal(head.headers["content-type"], get.headers["content-type"], path);
  }
  // A GET that needs a session: HEAD gets the same 401.
  assert.equal((await req({ method: "HEAD", path: "/api/v1/me" })).status, 401);
});

test("405 carries Allow with the methods the path takes (HEAD beside GET)", async () => {
  const cases = [
    ["DELETE", "/healthz", "GET, HEAD"],
    ["PUT", "/api/v1/sessions", "POST, DELETE"],
    ["GET", "/api/v1/applications", "POST"],
    ["POST", "/api/v1/services/apostille", "GET, HEAD"],
  ];
  for (const [method, path, allow] of cases) {
    const r = await req({ method, path, body: method === "GET" ? undefined : "{}" });
    assert.equal(r.status, 405, `${method} ${path}`);
    assert.equal(r.headers.allow, allow, `${method} ${path}`);
  }
});

test("401 names the Bearer scheme (WWW-Authenticate)", async () => {
  for (const headers of [{}, { Authorization: "Bearer nonsense" }, { Authorization: "Basic eDp4" }]) {
    const r = await req({ path: "/api/v1/me", headers });
    assert.equal(r.status, 401);
    assert.match(r.headers["www-authenticate"] || "", /^Bearer\b/);
  }
});

test("201 says where the new resource is (Location)", async () => {
  const op = srv.demo.users.find((u) => u.login === "operator.astana");
  const s = await srv.request("POST", "/api/v1/sessions", { body: { login: op.login, password: op.password } });
  assert.equal(s.status, 201, s.text);
  const r = await srv.request("POST", "/api/v1/applications", {
    body: {
      service: "apostille",
      channel: "psc",
      branch: "psc-astana-1",
      applicant: APPLICANT,
      documents: ["application", "identity", "official-document", "duty-receipt"],
      payload: {},
    },
    headers: { Authorization: `Bearer ${s.json.token}`, "Idempotency-Key": "http-location" },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get("location"), `/api/v1/applications/${r.json.id}`);
  const back = await srv.request("GET", r.headers.get("location"), {
    headers: { Authorization: `Bearer ${s.json.token}` },
  });
  assert.equal(back.status, 200, back.text);
});

test("the catalogue's GETs carry an ETag; If-None-Match with it answers 304 without a body", async () => {
  for (const path of ["/api/v1/services", "/api/v1/services/apostille", "/api/v1/openapi.yaml"]) {
    const first = await req({ path });
    const etag = first.headers.etag;
    assert.match(etag || "", /^"[0-9a-f]{32}"$/, path);
    assert.equal((await req({ path })).headers.etag, etag, `${path}: the same bytes, the same tag`);
    const again = await req({ path, headers: { "If-None-Match": etag } });
    assert.equal(again.status, 304, path);
    assert.equal(again.text, "", path);
    assert.equal(again.headers.etag, etag, path);
    const other = await req({ path, headers: { "If-None-Match": '"0000"' } });
    assert.equal(other.status, 200, path);
  }
  const list = (await req({ path: "/api/v1/services" })).headers.etag;
  const one = (await req({ path: "/api/v1/services/apostille" })).headers.etag;
  assert.notEqual(list, one);
});

test("an impossible Content-Length is refused 413 before the body is sent", async () => {
  for (const length of ["10000000000", "99999999999999999999999"]) {
    const r = await req({
      method: "POST",
      path: "/api/v1/sessions",
      headers: { "Content-Length": length },
      body: "",
      timeoutMs: 5000,
    });
    assert.equal(r.status, 413, `${length}: ${r.text}`);
  }
});

test("GET /api/v1/openapi.yaml serves docs/openapi.yaml as built", async () => {
  const r = await req({ path: "/api/v1/openapi.yaml" });
  assert.equal(r.status, 200);
  assert.match(r.headers["content-type"], /^application\/yaml/);
  assert.equal(r.text, readFileSync(new URL("../../docs/openapi.yaml", import.meta.url), "utf8"));
});

test("429 says when to try again (Retry-After, in seconds)", async () => {
  // One-time passwords to one IIN are limited in number per window (src/http/auth.h):
  // asking 20 times passes that limit whatever it is set to below 20.
  let r;
  for (let i = 0; i < 20; i++) {
    r = await req({ method: "POST", path: "/api/v1/otp", body: JSON.stringify({ iin: APPLICANT }) });
    if (r.status === 429) break;
  }
  assert.equal(r.status, 429, r.text);
  assert.match(r.headers["retry-after"] || "", /^[1-9]\d*$/);
});

// The service answers JSON, and a clear JSON error for every bad request.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";

let srv;
before(async () => {
  srv = await startServer(["--clock", "fixed:2026-11-23T10:00+05:00"]);
});
after(async () => {
  assert.equal(await srv.stop(), 0, "SIGTERM ends the server with status 0");
});

test("healthz answers 200", async () => {
  const r = await srv.request("GET", "/healthz");
  assert.equal(r.status, 200);
  assert.equal(r.json.status, "ok");
});

test("the ten services are listed with names in both languages", async () => {
  const r = await srv.request("GET", "/api/v1/services");
  assert.equal(r.status, 200);
  assert.equal(r.json.length, 10);
  for (const s of r.json) {
    assert.ok(s.name.kk && s.name.ru, `${s.code} has kk and ru names`);
    assert.ok(s.channels.length > 0);
  }
});

test("a service lists its documents per channel with kinds", async () => {
  const r = await srv.request("GET", "/api/v1/services/apostille");
  assert.equal(r.status, 200);
  const kinds = r.json.documents.psc.map((d) => d.kind);
  assert.ok(kinds.includes("duty-receipt"), kinds.join(","));
  assert.equal(r.json.fee_mci, 0.5);
});

test("a service says how a portal request for it may be confirmed", async () => {
  const list = await srv.request("GET", "/api/v1/services");
  const confirm = Object.fromEntries(list.json.map((s) => [s.code, s.confirm]));
  // catalogue: criminal-record's portal channel has "confirm": {"by": ["eds", "otp"]}
  assert.deepEqual(confirm["criminal-record"], ["eds", "otp"]);
  // passport-id's portal channel names no "confirm": the EDS alone, the default
  assert.deepEqual(confirm["passport-id"], ["eds"]);
  // apostille has no portal channel
  assert.equal(confirm.apostille, null);
  for (const s of list.json) assert.equal(s.confirm === null, !s.channels.includes("portal"), s.code);
  const one = await srv.request("GET", "/api/v1/services/archival-certificate");
  assert.equal(one.status, 200);
  assert.deepEqual(one.json.confirm, ["eds", "otp"]);
});

test("an unknown service is a 404 with a message in the asked language", async () => {
  const r = await srv.request("GET", "/api/v1/services/nothing", {
    headers: { "Accept-Language": "ru-RU,ru;q=0.9" },
  });
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, "service.unknown");
  assert.match(r.json.error.message, /услуги/);
});

test("unknown routes, wrong methods, bad JSON and big bodies get 4xx JSON errors", async () => {
  const cases = [
    ["GET", "/api/v1/nothing", undefined, 404, "request.no_route"],
    ["DELETE", "/api/v1/services", undefined, 405, "request.method_not_allowed"],
    ["POST", "/api/v1/services", "{not json", 400, "request.bad_json"],
    ["POST", "/api/v1/services", Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 400, "request.bad_json"],
    ["POST", "/api/v1/services", "x".repeat(200000), 413, "request.too_large"],
  ];
  for (const [method, path, raw, status, code] of cases) {
    const r = await srv.request(method, path, { raw });
    assert.equal(r.status, status, `${method} ${path}`);
    assert.equal(r.json.error.code, code);
    assert.ok(r.json.error.message.length > 0);
  }
  const after = await srv.request("GET", "/healthz");
  assert.equal(after.status, 200, "still healthy");
});

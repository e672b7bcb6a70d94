// docs/openapi.yaml against the code and a running server: every documented path and
// method is routed (not request.no_route, not 405), every route of src/http/routes.c is
// documented, and a sample request per operation gets the documented success status and
// a body whose top-level fields are the documented ones (all required ones present, none
// undocumented). The YAML is read by a small reader for the block-style subset it uses.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, qz } from "./server.mjs";
import { parseYaml } from "./yaml.mjs";

const spec = parseYaml(readFileSync(new URL("../../docs/openapi.yaml", import.meta.url), "utf8"));
const ROUTES = [
  ...readFileSync(new URL("../../src/http/routes.c", import.meta.url), "utf8").matchAll(
    /\{"([A-Z]+)", "([^"]+)", qz_h_\w+\}/g,
  ),
].map((m) => `${m[1]} ${m[2]}`);
const METHODS = ["get", "post", "put", "patch", "delete"];
// Documented operations as "METHOD /pattern/{}" (parameters' names dropped).
const OPS = Object.entries(spec.paths).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((m) => ({ key: `${m.toUpperCase()} ${path.replace(/\{[^}]+\}/g, "{}")}`, path, method: m, op: item[m] })),
);

function resolve(schema) {
  for (let k = 0; schema && schema.$ref && k < 10; k++) {
    const [, , kind, name] = schema.$ref.split("/");
    schema = spec.components[kind][name];
  }
  return schema;
}
// The documented success: [status, schema, content type].
function success(op) {
  const [status, r] = Object.entries(op.responses).find(([s]) => /^2\d\d$/.test(s));
  const [type, content] = Object.entries(resolve(r).content)[0];
  return [Number(status), resolve(content.schema), type];
}

const NOW = "2026-06-01T10:00:00+05:00";
const APPLICANT = "921029350851";
let srv;
const tok = {};
let caseId, caseNumber, complaintId;

before(async () => {
  // The PSC branch's signing key, for the receipt (docs/pki.h).
  const keys = join(mkdtempSync(join(tmpdir(), "qz-openapi-")), "keys");
  const k = qz(["pki", "make", "--dir", keys, "--unit", "psc-astana-1", "--name", "ХҚКО"]);
  assert.equal(k.status, 0, k.stderr);
  srv = await startServer(["--clock", `fixed:${NOW}`, "--keys", keys], { demo: true });
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

const auth = (who) => ({ Authorization: `Bearer ${tok[who]}` });
const pw = (login) => srv.demo.users.find((u) => u.login === login).password;
// One sample request per operation, run in this order: { who, path, body, headers }.
const SAMPLES = [
  ["GET /healthz", () => ({})],
  ["GET /api/v1/services", () => ({})],
  ["GET /api/v1/openapi.yaml", () => ({ yaml: true })],
  ["GET /api/v1/services/{}", () => ({ path: "/api/v1/services/apostille" })],
  ["GET /api/v1/strings/{}", () => ({ path: "/api/v1/strings/ru" })],
  ["GET /api/v1/branches", () => ({})],
  ["POST /api/v1/otp", () => ({ body: { iin: APPLICANT } })],
  ["POST /api/v1/sessions", () => ({ body: { login: "clerk.kpssu", password: pw("clerk.kpssu") }, keep: "clerk" })],
  ["GET /api/v1/me", () => ({ headers: auth("operator") })],
  ["POST /api/v1/applications", () => ({
    headers: { ...auth("operator"), "Idempotency-Key": "openapi-1" },
    body: { service: "apostille", channel: "psc", branch: "psc-astana-1", applicant: APPLICANT, documents: ["application", "identity", "official-document", "duty-receipt"], payload: {} },
    keepCase: true,
  })],
  ["GET /api/v1/applications/{}", () => ({ path: `/api/v1/applications/${caseId}`, headers: auth("operator") })],
  ["POST /api/v1/applications/{}/actions", () => ({ path: `/api/v1/applications/${caseId}/actions`, headers: auth("operator"), body: { action: "certify", version: 1, data: {} } })],
  ["POST /api/v1/applications/{}/assign", () => ({ path: `/api/v1/applications/${caseId}/assign`, headers: auth("head"), body: { role: "provider-executor", login: "executor2.kpssu", version: 2 } })],
  ["GET /api/v1/applications/{}/documents", () => ({ path: `/api/v1/applications/${caseId}/documents`, headers: auth("operator") })],
  ["GET /api/v1/documents/{}", () => ({ path: `/api/v1/documents/${caseNumber}`, headers: auth("operator") })],
  ["GET /api/v1/documents/{}/verify", () => ({ path: `/api/v1/documents/${caseNumber}/verify` })],
  ["GET /api/v1/inbox", () => ({ headers: auth("operator") })],
  ["GET /api/v1/me/cases", () => ({ headers: auth("citizen") })],
  ["GET /api/v1/me/notifications", () => ({ headers: auth("citizen") })],
  ["GET /api/v1/me/access-log", () => ({ headers: auth("citizen") })],
  ["POST /api/v1/complaints", () => ({ headers: auth("citizen"), body: { application: caseId, against: "psc", addressed_to: "state-corporation", text: "openapi sample" }, keepComplaint: true })],
  ["GET /api/v1/complaints", () => ({ headers: auth("citizen") })],
  ["GET /api/v1/complaints/{}", () => ({ path: `/api/v1/complaints/${complaintId}`, headers: auth("citizen") })],
  ["POST /api/v1/complaints/{}/actions", () => ({ path: `/api/v1/complaints/${complaintId}/actions`, headers: auth("pschead"), body: { action: "forward", version: 1 } })],
  ["POST /api/v1/admin/clock", () => ({ headers: auth("admin"), body: { set: "2026-06-01T11:00:00+05:00" } })],
  ["DELETE /api/v1/sessions", () => ({ headers: auth("operator") })],
];

test("the YAML reads as OpenAPI 3.0 and every operation has a success response with a schema", () => {
  assert.match(spec.openapi, /^3\.0\./);
  assert.ok(OPS.length >= 12, `${OPS.length} operations`);
  for (const { key, op } of OPS) {
    assert.ok(op.summary && op.operationId, `${key}: summary and operationId`);
    const [status, schema] = success(op);
    assert.ok(status >= 200 && schema && schema.type, `${key}: a 2xx response with a schema`);
  }
});

test("every route of routes.c is documented, and nothing else", () => {
  const documented = OPS.map((o) => o.key).sort();
  assert.deepEqual(documented, [...ROUTES].sort());
});

test("every documented path and method is routed by the server", async () => {
  for (const { key } of OPS) {
    const [method, pattern] = key.split(" ");
    const r = await srv.request(method, pattern.replace(/\{\}/g, "1"));
    assert.notEqual(r.status, 405, `${key}: ${r.text}`);
    assert.ok(!(r.status === 404 && r.json?.error?.code === "request.no_route"), `${key}: ${r.text}`);
  }
});

test("a sample request per operation gets the documented status and top-level fields", async () => {
  for (const [who, body] of [
    ["operator", { login: "operator.astana", password: pw("operator.astana") }],
    ["admin", { login: "admin", password: pw("admin") }],
    ["citizen", { iin: APPLICANT, password: pw(APPLICANT) }],
    ["pschead", { login: "head.astana", password: pw("head.astana") }],
    ["head", { login: "head.kpssu", password: pw("head.kpssu") }],
  ]) {
    const r = await srv.request("POST", "/api/v1/sessions", { body });
    assert.equal(r.status, 201, r.text);
    tok[who] = r.json.token;
  }
  const byKey = new Map(OPS.map((o) => [o.key, o]));
  assert.deepEqual([...new Set(SAMPLES.map(([k]) => k))].sort(), [...byKey.keys()].sort(), "one sample per documented operation");
  for (const [key, make] of SAMPLES) {
    const s = make();
    const [method, pattern] = key.split(" ");
    const r = await srv.request(method, s.path || pattern, { body: s.body, headers: s.headers });
    const [status, schema, type] = success(byKey.get(key).op);
    assert.equal(r.status, status, `${key}: ${r.text.slice(0, 300)}`);
    if (s.yaml) {
      assert.equal(r.text, readFileSync(new URL("../../docs/openapi.yaml", import.meta.url), "utf8"));
      continue;
    }
    if (type !== "application/json") {
      assert.equal(r.headers.get("content-type"), type, key);
      continue;
    }
    if (s.keep) tok[s.keep] = r.json.token;
    if (s.keepCase) [caseId, caseNumber] = [r.json.id, r.json.number];
    if (s.keepComplaint) complaintId = r.json.id;
    let obj = r.json;
    let objSchema = schema;
    if (schema.type === "array") {
      assert.ok(Array.isArray(r.json), `${key}: an array`);
      assert.ok(r.json.length > 0, `${key}: the sample gives at least one item`);
      obj = r.json[0];
      objSchema = resolve(schema.items);
    }
    assert.equal(objSchema.type, "object", `${key}: an object schema`);
    assert.ok(obj && typeof obj === "object" && !Array.isArray(obj), `${key}: an object`);
    const props = Object.keys(objSchema.properties || {});
    for (const f of objSchema.required || []) assert.ok(f in obj, `${key}: required field ${f} missing in ${r.text.slice(0, 200)}`);
    for (const f of Object.keys(obj)) assert.ok(props.includes(f), `${key}: field ${f} is not documented`);
  }
});

test("documented errors have the Error shape", async () => {
  const r = await srv.request("GET", "/api/v1/services/nothing");
  const err = resolve(spec.components.schemas.Error);
  for (const f of err.required) assert.ok(f in r.json);
  for (const f of err.properties.error.required) assert.ok(f in r.json.error);
});

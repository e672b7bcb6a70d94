// Hostile and malformed requests, generated: for every route of src/http/routes.c and
// every method, bodies that are not JSON or not the JSON asked for, missing and mistyped
// fields, huge strings, deep nesting, bad UTF-8, NUL bytes, out-of-range numbers, bad
// dates and IINs, odd path parameters, and bad headers and tokens. Every one must get a
// 4xx with a JSON body {"error":{"code","message"}}; afterwards the server is healthy and
// a staff member still signs in. Requests go over a raw socket, so that paths and bytes
// reach the server exactly as written (fetch would normalise "../" and refuse bad bytes).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { readFileSync } from "node:fs";
import { startServer } from "./server.mjs";
import { parseYaml } from "./yaml.mjs";

const NOW = "2026-06-01T10:00:00+05:00";
const APPLICANT = "921029350851"; // the demo applicant
const BAD_IIN = "921029350852"; // the same with a wrong check digit
const APOSTILLE_DOCS = ["application", "identity", "official-document", "duty-receipt"];

// The routing table, read from the C source: [{method, pattern}].
const ROUTES = [
  ...readFileSync(new URL("../../src/http/routes.c", import.meta.url), "utf8").matchAll(
    /\{"([A-Z]+)", "([^"]+)", qz_h_\w+\}/g,
  ),
].map((m) => ({ method: m[1], pattern: m[2] }));
const PUBLIC = new Set(["GET /healthz", "GET /api/v1/openapi.yaml", "GET /api/v1/services", "GET /api/v1/services/{}", "GET /api/v1/strings/{}", "GET /api/v1/branches", "POST /api/v1/sessions", "POST /api/v1/otp"]);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "FOO"];

let srv, port;
const tok = {};
let caseId, caseVersion;

// One raw HTTP/1.1 request: { status, headers, text, json }.
function raw({ method = "GET", path = "/", headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const buf = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const head = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, "Connection: close"];
    for (const [k, v] of Object.entries(headers)) head.push(`${k}: ${v}`);
    if (buf) head.push(`Content-Length: ${buf.length}`);
    const s = net.connect(port, "127.0.0.1");
    const chunks = [];
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer in 15 s: ${method} ${path.slice(0, 80)}`));
    }, 15000);
    s.on("connect", () => {
      const h = Buffer.from(head.join("\r\n") + "\r\n\r\n", "latin1");
      s.write(buf ? Buffer.concat([h, buf]) : h);
    });
    s.on("data", (d) => chunks.push(d));
    s.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on("close", () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const i = all.indexOf("\r\n\r\n");
      if (i < 0) return resolve({ status: 0, headers: {}, text: all.toString("latin1") });
      const lines = all.subarray(0, i).toString("latin1").split("\r\n");
      const headers = {};
      for (const l of lines.slice(1)) {
        const c = l.indexOf(":");
        headers[l.slice(0, c).toLowerCase()] = l.slice(c + 1).trim();
      }
      let b = all.subarray(i + 4);
      if (/chunked/i.test(headers["transfer-encoding"] || "")) {
        const parts = [];
        for (let p = 0; ; ) {
          const e = b.indexOf("\r\n", p);
          const n = parseInt(b.subarray(p, e).toString(), 16);
          if (!n) break;
          parts.push(b.subarray(e + 2, e + 2 + n));
          p = e + 4 + n;
        }
        b = Buffer.concat(parts);
      }
      const text = b.toString("utf8");
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(lines[0].split(" ")[1]), headers, text, json });
    });
  });
}

const j = (v) => JSON.stringify(v);
const bearer = (t) => ({ Authorization: `Bearer ${t}` });

before(async () => {
  srv = await startServer(["--clock", `fixed:${NOW}`], { demo: true });
  port = Number(new URL(srv.base).port);
  for (const login of ["operator.astana", "admin", APPLICANT]) {
    const u = srv.demo.users.find((x) => x.login === login);
    const body = u.role === "applicant" ? { iin: login, password: u.password } : { login, password: u.password };
    const r = await srv.request("POST", "/api/v1/sessions", { body });
    assert.equal(r.status, 201, r.text);
    tok[login === APPLICANT ? "citizen" : login] = r.json.token;
  }
  const r = await srv.request("POST", "/api/v1/applications", {
    body: { service: "apostille", channel: "psc", branch: "psc-astana-1", applicant: APPLICANT, documents: APOSTILLE_DOCS, payload: {} },
    headers: { ...bearer(tok["operator.astana"]), "Idempotency-Key": "hostile-setup" },
  });
  assert.equal(r.status, 201, r.text);
  caseId = r.json.id;
  caseVersion = 1;
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

// A path for a pattern, its parameters filled with sample values.
const sample = (pattern) => pattern.replace("/services/{}", "/services/apostille").replace("{}", () => String(caseId));
// Who calls a route when the test wants to get past authentication.
function callerOf(route) {
  const key = `${route.method} ${route.pattern}`;
  if (PUBLIC.has(key)) return {};
  if (key === "POST /api/v1/admin/clock") return bearer(tok.admin);
  if (/\/me\/|complaints/.test(route.pattern)) return bearer(tok.citizen);
  return bearer(tok["operator.astana"]);
}

// A valid body per route taking one; the hostile bodies below are its mutations.
const baseBodies = () => ({
  "POST /api/v1/sessions": { login: "hostile.nobody", password: "wrong-password" },
  "POST /api/v1/otp": { iin: APPLICANT },
  "POST /api/v1/admin/clock": { set: "2026-06-01T11:00+05:00" },
  "POST /api/v1/applications": { service: "apostille", channel: "psc", branch: "psc-astana-1", applicant: APPLICANT, documents: APOSTILLE_DOCS, payload: {} },
  "POST /api/v1/applications/{}/actions": { action: "no-such-action", version: caseVersion, data: {} },
  "POST /api/v1/complaints": { application: caseId, against: "psc", addressed_to: "state-corporation", text: "hostile test" },
});
// Fields that may be absent (a body without one of them is not wrong by that alone).
const OPTIONAL = new Set(["subject", "representative", "department", "urgency", "variant", "lang", "payload", "data"]);
// Values of the wrong type for a field whose valid value is v.
function wrongTypes(v) {
  const all = [123, -1.5, true, [], ["x"], {}, ""];
  return all.filter((w) => typeof w !== typeof v || Array.isArray(w) !== Array.isArray(v) || (typeof w === "string" && w === ""));
}

const NOT_JSON = [
  "hello", "{", "}", "{\"a\":", "[1,2", "\"unterminated", "nul", "tru", "1e", "{'a':1}", "{a:1}", "{} trailing",
  "\ufeff{}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":1,\"a\":2}", "NaN", "-", "[\"\\x41\"]", "{\"a\":\"\\ud800\"}",
];
const BAD_BYTES = [
  Buffer.from('{"login":"\xff","password":"x"}', "latin1"),
  Buffer.from('{"login":"\xc0\xaf","password":"x"}', "latin1"), // overlong "/"
  Buffer.from('{"login":"\xe0\x80\xaf","password":"x"}', "latin1"), // overlong, 3 bytes
  Buffer.from('{"login":"\xed\xa0\x80","password":"x"}', "latin1"), // a surrogate
  Buffer.from('{"login":"\xf5\x80\x80\x80","password":"x"}', "latin1"), // above U+10FFFF
  Buffer.from('{"login":"\xd0","password":"x"}', "latin1"), // cut in the middle
  Buffer.from('{"login":"a\x00b","password":"x"}', "latin1"), // a raw NUL
  Buffer.from('{"login":"a\\u0000b","password":"x"}', "latin1"), // an escaped NUL
  Buffer.from("\x00", "latin1"),
  Buffer.from("{\x00}", "latin1"),
];
const DEEP = ["[".repeat(10000) + "]".repeat(10000), '{"a":'.repeat(10000) + "1" + "}".repeat(10000), "[".repeat(100000)];

// Every hostile request: { name, method, path, headers, body }.
function hostile() {
  const out = [];
  const add = (name, method, path, headers = {}, body) => out.push({ name, method, path, headers, body });
  const bases = baseBodies();
  const paths = [...new Set(ROUTES.map((r) => r.pattern))];

  // Methods the path is not routed for: 405.
  for (const pattern of paths) {
    const routed = ROUTES.filter((r) => r.pattern === pattern).map((r) => r.method);
    for (const m of METHODS.filter((x) => !routed.includes(x)))
      add(`${m} on ${pattern}`, m, sample(pattern), callerOf({ method: routed[0], pattern }));
  }
  for (const route of ROUTES) {
    const key = `${route.method} ${route.pattern}`;
    const path = sample(route.pattern);
    const who = callerOf(route);
    // Bodies that are not JSON, bad bytes, too deep or too big: on every route (the body
    // is parsed before routing).
    for (const b of [...NOT_JSON, ...BAD_BYTES, ...DEEP]) add(`${key} body ${j(String(b).slice(0, 20))}`, route.method, path, who, b);
    add(`${key} body of 70 KB`, route.method, path, who, "x".repeat(70000));
    // Authentication.
    if (!PUBLIC.has(key)) {
      const real = who.Authorization.slice(7);
      const auths = {
        missing: undefined,
        empty: "",
        basic: "Basic dXNlcjpwYXNz",
        "bearer alone": "Bearer",
        "bearer space": "Bearer ",
        "not hex": "Bearer " + "z".repeat(64),
        "forged hex": "Bearer " + "0123456789abcdef".repeat(4),
        "upper-case real": "Bearer " + real.toUpperCase(),
        "real, one char changed": "Bearer " + real.slice(0, -1) + (real.at(-1) === "0" ? "1" : "0"),
        "real, too long": "Bearer " + real + "0",
        "real, cut": "Bearer " + real.slice(0, 63),
        "real twice": `Bearer ${real}, Bearer ${real}`,
        "20 KB": "Bearer " + "a".repeat(20000),
        "latin-1 bytes": "Bearer \xff\xfe" + real,
      };
      for (const [n, v] of Object.entries(auths))
        add(`${key} Authorization ${n}`, route.method, path, v === undefined ? {} : { Authorization: v }, route.method === "POST" ? j(bases[key] || {}) : undefined);
    }
    // Path parameters.
    if (route.pattern.includes("{}")) {
      const bad = ["abc", "0", "-1", "00", "01x", "1.5", "1e3", "+1", "0x10", " 1", "%201", "99999999999999999999999",
        "9223372036854775808", "9223372036854775807", "%2e%2e", "..", "..%2f..%2fhealthz", "%00", "%ff%fe", "%c0%af",
        "%D0%B6".repeat(150), "x".repeat(4000), "%", "%zz", "1;DROP TABLE cases"];
      for (const p of bad) {
        const pp = route.pattern.replace("{}", route.pattern.startsWith("/api/v1/services") ? p : p);
        add(`${key} with {} = ${p.slice(0, 30)}`, route.method, pp, who, route.method === "POST" ? j(bases[key] || {}) : undefined);
      }
    }
    // JSON bodies of the wrong shape, and mutations of a valid body, for the routes taking one.
    const base = bases[key];
    if (!base) continue;
    for (const b of [[], [base], "string", 42, -1, 1.5, null, true, false, {}])
      add(`${key} body ${j(b)}`, route.method, path, who, j(b));
    for (const f of Object.keys(base)) {
      if (!OPTIONAL.has(f)) {
        const { [f]: _, ...rest } = base;
        add(`${key} without ${f}`, route.method, path, who, j(rest));
        add(`${key} ${f}: null`, route.method, path, who, j({ ...base, [f]: null }));
      }
      for (const w of wrongTypes(base[f])) add(`${key} ${f}: ${j(w)}`, route.method, path, who, j({ ...base, [f]: w }));
      if (typeof base[f] === "string") {
        add(`${key} ${f}: 60 KB`, route.method, path, who, j({ ...base, [f]: "x".repeat(60000) }));
        if (f !== "text") {
          // (a complaint's text may be any text: these would be accepted)
          add(`${key} ${f}: Cyrillic x 300`, route.method, path, who, j({ ...base, [f]: "ж".repeat(300) }));
          add(`${key} ${f}: control characters`, route.method, path, who, j({ ...base, [f]: "\u0001\u001f\u007f" }));
        }
        add(`${key} ${f}: nested deep`, route.method, path, who, `{${Object.entries(base).filter(([k]) => k !== f).map(([k, v]) => `${j(k)}:${j(v)},`).join("")}${j(f)}:${"[".repeat(1500)}${"]".repeat(1500)}}`);
      }
    }
    // Truncated: the valid body cut at several places.
    const text = j(base);
    for (const at of [1, 2, Math.floor(text.length / 3), Math.floor(text.length / 2), text.length - 2, text.length - 1])
      add(`${key} cut at ${at}`, route.method, path, who, text.slice(0, at));
    // Unknown fields, where the route is strict about them.
    if (key !== "POST /api/v1/applications" && key !== "POST /api/v1/applications/{}/actions")
      for (const extra of [{ extra: 1 }, { "": 1 }, { __proto__x: {} }, { ["ж".repeat(200)]: 1 }])
        add(`${key} unknown field ${Object.keys(extra)[0].slice(0, 10)}`, route.method, path, who, j({ ...base, ...extra }));
  }

  // Route-specific values: IINs, dates, numbers.
  const iins = [BAD_IIN, "92102935085", "9210293508510", "92102935085x", "000000000000", "999999999999", "-92102935085", " 921029350851", "９２１０２９３５０８５１"];
  for (const iin of iins) {
    add(`sessions iin ${iin}`, "POST", "/api/v1/sessions", {}, j({ iin, password: "x" }));
    add(`sessions otp iin ${iin}`, "POST", "/api/v1/sessions", {}, j({ iin, otp: "123456" }));
    add(`otp iin ${iin}`, "POST", "/api/v1/otp", {}, j({ iin }));
    for (const f of ["applicant", "subject", "representative"])
      add(`applications ${f} ${iin}`, "POST", "/api/v1/applications", bearer(tok["operator.astana"]), j({ ...bases["POST /api/v1/applications"], [f]: iin }));
  }
  for (const otp of ["", "12345", "1234567", "12a456", "-12345", "１２３４５６", "123456\n"])
    add(`sessions otp ${j(otp)}`, "POST", "/api/v1/sessions", {}, j({ iin: APPLICANT, otp }));
  const sets = ["2026-02-30T10:00+05:00", "tomorrow", "2026-13-01T10:00+05:00", "2026-06-01", "2026-06-01T25:00+05:00",
    "2026-06-01T10:00", "2026-06-01T10:00+25:00", "2026-06-01T10:60+05:00", "2025-01-01T10:00+05:00", "2026-05-31T10:00+05:00",
    "26-06-01T10:00+05:00", "2026-6-1T10:00+05:00", "", " ", "0000-00-00T00:00+00:00",
    "2026-06-01T10:00+05:00x", "99999-01-01T00:00Z", "-2026-06-01T10:00Z", "2026-02-29T10:00+05:00"];
  for (const set of sets) add(`clock set ${j(set)}`, "POST", "/api/v1/admin/clock", bearer(tok.admin), j({ set }));
  for (const who of ["operator.astana", "citizen"])
    add(`clock set by ${who}`, "POST", "/api/v1/admin/clock", bearer(tok[who]), j({ set: "2026-06-01T11:00+05:00" }));
  const act = `/api/v1/applications/${caseId}/actions`;
  for (const v of ["1e400", "99999999999999999999", "9223372036854775807", "-9223372036854775808", "1.5", "-1", "0", "1e2", "\"1\"", "null"])
    add(`actions version ${v}`, "POST", act, bearer(tok["operator.astana"]), `{"action":"no-such-action","version":${v}}`);
  for (const data of ["[]", "\"x\"", "1", "true", '{"ground":' + "[".repeat(1500) + "]".repeat(1500) + "}"])
    add(`actions data ${data.slice(0, 12)}`, "POST", act, bearer(tok["operator.astana"]), `{"action":"no-such-action","version":${caseVersion},"data":${data}}`);
  for (const a of ["1e400", "99999999999999999999", "9223372036854775807", "-1", "0", "1.5", '"abc"', '"-1"', '"99999999999999999999999"', "null", "[1]"])
    add(`complaints application ${a}`, "POST", "/api/v1/complaints", bearer(tok.citizen), `{"application":${a},"against":"psc","addressed_to":"provider","text":"x"}`);
  for (const [f, v] of [["against", "nobody"], ["addressed_to", "the-moon"], ["text", "x".repeat(8001)]])
    add(`complaints ${f} ${v.slice(0, 10)}`, "POST", "/api/v1/complaints", bearer(tok.citizen), j({ ...bases["POST /api/v1/complaints"], [f]: v }));
  const app = bases["POST /api/v1/applications"];
  for (const [f, v] of [["service", "nothing"], ["channel", "fax"], ["branch", "nowhere"], ["branch", "kpssu-astana"], ["documents", ["passport-of-mars"]],
    ["documents", []], ["documents", Array(33).fill("identity")], ["documents", [1, 2]], ["documents", [null]], ["channel", "portal"], ["service", "APOSTILLE"]])
    add(`applications ${f} ${j(v).slice(0, 20)}`, "POST", "/api/v1/applications", bearer(tok["operator.astana"]), j({ ...app, [f]: v }));
  add("applications by a citizen for someone else", "POST", "/api/v1/applications", bearer(tok.citizen), j({ ...app, applicant: "850315423272" }));
  add("applications by the admin", "POST", "/api/v1/applications", bearer(tok.admin), j(app));

  // Headers: Accept-Language, Content-Type and Idempotency-Key on requests that fail.
  for (const lang of ["", "*", "xx-YY", "q=;;;", ",,,,", "kk;q=0", "en-GB-oxendict-x-private", "x".repeat(8000), "\xff\xfe", "ru".repeat(3000), "k"])
    add(`Accept-Language ${j(lang.slice(0, 16))}`, "GET", "/api/v1/services/nothing", { "Accept-Language": lang });
  for (const ct of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1",
    "image/png", "garbage", "", "application/json".repeat(500)])
    add(`Content-Type ${j(ct.slice(0, 30))}`, "POST", "/api/v1/sessions", { "Content-Type": ct }, j({ login: "hostile.nobody", password: "x" }));
  const key10k = "k".repeat(10240);
  add("Idempotency-Key of 10 KB", "POST", "/api/v1/applications", { ...bearer(tok["operator.astana"]), "Idempotency-Key": key10k }, j(app));
  add("Idempotency-Key of 10 KB, bad body", "POST", "/api/v1/applications", { ...bearer(tok["operator.astana"]), "Idempotency-Key": key10k }, "{");
  add("Idempotency-Key of 10 KB, missing documents", "POST", "/api/v1/applications", { ...bearer(tok["operator.astana"]), "Idempotency-Key": key10k }, j({ ...app, documents: [] }));
  add("Idempotency-Key of Latin-1 bytes", "POST", "/api/v1/applications", { ...bearer(tok["operator.astana"]), "Idempotency-Key": "\xff\xfe" }, j({ ...app, documents: [] }));

  // Paths that are not routes.
  for (const p of ["/api", "/api/v1", "/api/v1/", "/api/v2/services", "/healthz/", "//healthz", "/api/v1/services/", "/api/v1/services//",
    "/api/v1/applications/", "/api/v1/applications/1/actions/", "/api/v1/applications/1/x", "/../../etc/passwd", "/api/v1/%2e%2e/healthz",
    "*", "http://evil/healthz", "/" + "a".repeat(8000), "/api/v1/services/apostille/documents", "/%ff",
    "/..", "/js/../index.html", "/.hidden", "/no-such-page", "/index.html/", "/js//app.js"])
    add(`no route ${p.slice(0, 40)}`, "GET", p);
  return out;
}

function assertError(r, name) {
  assert.ok(r.status >= 400 && r.status < 500, `${name}: 4xx expected, got ${r.status} ${r.text.slice(0, 200)}`);
  assert.ok(r.json && typeof r.json === "object", `${name}: JSON body expected, got ${r.text.slice(0, 200)}`);
  assert.match(r.headers["content-type"] || "", /^application\/json/, `${name}: content-type`);
  assert.ok(r.json.error && typeof r.json.error.code === "string" && r.json.error.code.length > 0, `${name}: error.code in ${r.text.slice(0, 200)}`);
  assert.ok(typeof r.json.error.message === "string" && r.json.error.message.length > 0, `${name}: error.message in ${r.text.slice(0, 200)}`);
}

test("every route of routes.c is attacked, and the table was read", () => {
  assert.ok(ROUTES.length >= 12, `routes found: ${ROUTES.length}`);
  for (const r of ROUTES) assert.ok(hostile().some((h) => h.path === sample(r.pattern) && h.method === r.method), `${r.method} ${r.pattern}`);
});

test("at least 250 hostile requests each get a 4xx JSON error", async () => {
  const all = hostile();
  assert.ok(all.length >= 250, `only ${all.length} requests`);
  const failures = [];
  for (const h of all) {
    const r = await raw(h);
    answered.push({ method: h.method, path: h.path, status: r.status });
    try {
      assertError(r, `${h.name} [${h.method} ${h.path.slice(0, 60)}]`);
    } catch (e) {
      failures.push(e.message);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${all.length} failed`);
});

// Every status an operation answered the hostile requests with is one docs/openapi.yaml
// lists for that operation (a wrong method's 405 is no operation's, and is left out).
const answered = [];
test("every status a documented operation answered is listed for it in docs/openapi.yaml", () => {
  assert.ok(answered.length >= 250, "the hostile requests ran");
  const spec = parseYaml(readFileSync(new URL("../../docs/openapi.yaml", import.meta.url), "utf8"));
  const ops = Object.entries(spec.paths).flatMap(([p, item]) =>
    Object.entries(item).map(([m, op]) => ({
      method: m.toUpperCase(),
      re: new RegExp(`^${p.replace(/\{[^}]+\}/g, "[^/?]+")}(\\?.*)?$`),
      key: `${m.toUpperCase()} ${p}`,
      statuses: Object.keys(op.responses),
    })),
  );
  const missing = new Set();
  for (const a of answered) {
    const op = ops.find((o) => o.method === a.method && o.re.test(a.path));
    if (op && !op.statuses.includes(String(a.status))) missing.add(`${op.key} ${a.status}`);
  }
  assert.deepEqual([...missing].sort(), []);
});

test("accepted but odd: unknown fields and a deep payload in an application never give a 5xx", async () => {
  // POST /api/v1/applications ignores fields it does not know (unlike the sign-in forms),
  // and keeps `payload` as given: these may be accepted, but never break the server.
  const app = baseBodies()["POST /api/v1/applications"];
  let deep = "{}";
  for (let i = 0; i < 1500; i++) deep = `{"a":${deep}}`;
  const bodies = [j({ ...app, extra: 1 }), j({ ...app, payload: { x: "y".repeat(60000) } }), j(app).replace('"payload":{}', `"payload":${deep}`)];
  for (const [i, body] of bodies.entries()) {
    const r = await raw({ method: "POST", path: "/api/v1/applications", headers: bearer(tok["operator.astana"]), body });
    assert.ok(r.status < 500 && r.json, `${i}: ${r.status} ${r.text.slice(0, 200)}`);
    if (r.status === 201) {
      const g = await raw({ method: "GET", path: `/api/v1/applications/${r.json.id}`, headers: bearer(tok["operator.astana"]) });
      assert.equal(g.status, 200, g.text.slice(0, 200));
    }
  }
});

test("a header bigger than the connection's memory gets a 4xx from libmicrohttpd, and the server lives on", async () => {
  // libmicrohttpd answers 431 itself (an HTML body) before qyzmet sees the request.
  const r = await raw({ method: "GET", path: "/api/v1/me", headers: { Authorization: "Bearer " + "a".repeat(200000) } });
  assert.ok(r.status >= 400 && r.status < 500, `${r.status}`);
  assert.equal((await raw({ method: "GET", path: "/healthz" })).status, 200);
});

test("an expired token is refused with 401 auth.expired", async () => {
  const citizen = tok.citizen; // citizens' sessions last 30 minutes
  const moved = await raw({ method: "POST", path: "/api/v1/admin/clock", headers: bearer(tok.admin), body: j({ set: "2026-06-01T11:00+05:00" }) });
  assert.equal(moved.status, 200, moved.text);
  for (const path of ["/api/v1/me", `/api/v1/applications/${caseId}`]) {
    const r = await raw({ method: "GET", path, headers: bearer(citizen) });
    assertError(r, path);
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, "auth.expired");
  }
});

test("after all that: healthz is 200 and a staff member signs in and works", async () => {
  const h = await raw({ method: "GET", path: "/healthz" });
  assert.equal(h.status, 200);
  assert.equal(h.json.status, "ok");
  const u = srv.demo.users.find((x) => x.login === "operator.astana");
  const s = await raw({ method: "POST", path: "/api/v1/sessions", body: j({ login: u.login, password: u.password }) });
  assert.equal(s.status, 201, s.text);
  const me = await raw({ method: "GET", path: "/api/v1/me", headers: bearer(s.json.token) });
  assert.equal(me.status, 200);
  assert.equal(me.json.login, "operator.astana");
  const c = await raw({ method: "GET", path: `/api/v1/applications/${caseId}`, headers: bearer(s.json.token) });
  assert.equal(c.status, 200, c.text.slice(0, 200));
});

// Signing in: staff by login and password, citizens by IIN and password or a one-time
// password sent to their phone; sign-out, rate limits, expiry, and the test clock.
// The tests run in order on one server whose clock stands at 2026-11-23T10:00+05:00
// until the clock tests move it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, qz } from "./server.mjs";
import { rawRequest } from "./rawhttp.mjs";

const START = "fixed:2026-11-23T10:00+05:00";
const APPLICANT = "921029350851"; // the demo applicant: an account and a phone, kk
const PHONE_KK = "061211600012"; // a demo person with a phone and no account, kk
const PHONE_RU = "850315423272"; // a demo person with a phone, ru
const NO_PHONE = "990101300013"; // added below without a phone

let srv;
before(async () => {
  srv = await startServer(["--clock", START], { demo: true });
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

const en = { "Accept-Language": "en" };
const bearer = (token) => ({ Authorization: `Bearer ${token}`, ...en });
const password = (login) => srv.demo.users.find((u) => u.login === login).password;
const signIn = (body) => srv.request("POST", "/api/v1/sessions", { body, headers: en });
const me = (token) => srv.request("GET", "/api/v1/me", { headers: bearer(token) });
const setClock = (token, set) =>
  srv.request("POST", "/api/v1/admin/clock", { body: { set }, headers: bearer(token) });

// The code of the last SMS sent to `iin`, read with `qyzmet outbox --to IIN`.
function lastCode(iin) {
  const sent = srv.outbox(iin);
  assert.ok(sent.length > 0, `something was sent to ${iin}`);
  const m = sent.at(-1).text.match(/\b\d{6}\b/);
  assert.ok(m, sent.at(-1).text);
  return m[0];
}

const tokens = {};

test("staff sign in with login and password for 8 hours, and /me names them", async () => {
  for (const login of ["operator.astana", "clerk.kpssu", "head.astana", "admin"]) {
    const user = srv.demo.users.find((u) => u.login === login);
    const r = await signIn({ login, password: user.password });
    assert.equal(r.status, 201, `${login}: ${r.text}`);
    assert.match(r.json.token, /^[0-9a-f]{64}$/);
    assert.equal(r.json.role, user.role);
    assert.equal(r.json.unit, user.unit);
    assert.equal(r.json.expires_at, "2026-11-23T18:00:00+05:00"); // 10:00 + 8 h
    tokens[login] = r.json.token;
    const who = await me(r.json.token);
    assert.equal(who.status, 200);
    assert.equal(who.json.login, login);
    assert.equal(who.json.role, user.role);
    assert.equal(who.json.unit, user.unit);
    assert.equal(who.json.iin, null);
    assert.match(who.json.region, /^KZ-\d\d$/);
  }
  assert.notEqual(tokens.admin, tokens["operator.astana"]);
});

test("a citizen signs in with IIN and password for 30 minutes", async () => {
  const r = await signIn({ iin: APPLICANT, password: password(APPLICANT) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.role, "applicant");
  assert.equal(r.json.unit, null);
  assert.equal(r.json.expires_at, "2026-11-23T10:30:00+05:00"); // 10:00 + 30 min
  tokens.citizen = r.json.token;
  const who = await me(r.json.token);
  assert.deepEqual(who.json, {
    login: APPLICANT,
    role: "applicant",
    unit: null,
    iin: APPLICANT,
    region: "KZ-71",
  });
});

test("a wrong password and an unknown login get the same 401", async () => {
  const wrong = await signIn({ login: "operator.astana", password: "not-it" });
  const unknown = await signIn({ login: "nobody.here", password: "not-it" });
  const staffAsCitizen = await signIn({ iin: APPLICANT, password: password("operator.astana") });
  for (const r of [wrong, unknown, staffAsCitizen]) {
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, "auth.failed");
    assert.equal(r.json.error.field, undefined);
  }
  assert.equal(wrong.text, unknown.text);
});

test("request bodies are checked strictly and name the field", async () => {
  const cases = [
    ["/api/v1/sessions", undefined, 400, "auth.body_object", undefined],
    ["/api/v1/sessions", "[1]", 400, "auth.body_object", undefined],
    ["/api/v1/sessions", { login: "a", password: "b", extra: 1 }, 422, "json.unknown_field", "extra"],
    ["/api/v1/sessions", { login: "a", password: "b", iin: APPLICANT }, 422, "json.unknown_field", "iin"],
    ["/api/v1/sessions", { login: 5, password: "b" }, 422, "json.wrong_type", "login"],
    ["/api/v1/sessions", { login: "admin" }, 422, "json.missing", "password"],
    ["/api/v1/sessions", { login: "", password: "b" }, 422, "json.empty", "login"],
    ["/api/v1/sessions", { login: "a\u0000b", password: "b" }, 400, "request.bad_json", undefined],
    ["/api/v1/sessions", { password: "b" }, 422, "json.missing", "iin"],
    ["/api/v1/sessions", { iin: "123", password: "b" }, 422, "iin.wrong_length", "iin"],
    ["/api/v1/sessions", { iin: APPLICANT, otp: "12ab56" }, 422, "auth.otp_format", "otp"],
    ["/api/v1/sessions", { iin: APPLICANT, otp: 123456 }, 422, "json.wrong_type", "otp"],
    ["/api/v1/otp", {}, 422, "json.missing", "iin"],
    ["/api/v1/otp", { iin: APPLICANT, phone: "+7701" }, 422, "json.unknown_field", "phone"],
    ["/api/v1/otp", { iin: "921029350852" }, 422, "iin.wrong_check_digit", "iin"],
  ];
  for (const [path, body, status, code, field] of cases) {
    const raw = typeof body === "string" ? body : undefined;
    const r = await srv.request("POST", path, { body: raw ? undefined : body, raw, headers: en });
    assert.equal(r.status, status, `${path} ${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.error.code, code);
    assert.equal(r.json.error.field, field);
    assert.ok(r.json.error.message.length > 0);
  }
});

// Sign-in from another client address: rawhttp.mjs over 127.0.0.0/8.
const signInFrom = (from, body) =>
  rawRequest(Number(new URL(srv.base).port), {
    method: "POST",
    path: "/api/v1/sessions",
    from,
    headers: { "Content-Type": "application/json", ...en },
    body: JSON.stringify(body),
  });

test("failed passwords slow the guesser's address down, and never lock the login's owner out", async () => {
  // src/http/throttle.h: 3 failures of a (login, address) are free, the next waits 1 s.
  for (let i = 0; i < 3; i++) {
    const r = await signInFrom("127.0.0.7", { login: "issuer.astana", password: `wrong-${i}` });
    assert.equal(r.status, 401, `attempt ${i + 1}`);
  }
  const slowed = await signInFrom("127.0.0.7", { login: "issuer.astana", password: "wrong-3" });
  assert.equal(slowed.status, 429, slowed.text);
  assert.equal(slowed.json.error.code, "auth.slow_down");
  assert.equal(slowed.headers["retry-after"], "1"); // 2^(3 - 3) s, the clock standing still
  const right = await signInFrom("127.0.0.7", { login: "issuer.astana", password: password("issuer.astana") });
  assert.equal(right.status, 429, "the guesser's address waits even with the right password");
  // The owner, from their own address, is not slowed at all: there is no lock.
  const owner = await signInFrom("127.0.0.8", { login: "issuer.astana", password: password("issuer.astana") });
  assert.equal(owner.status, 201, owner.text);
  const admin = await signInFrom("127.0.0.8", { login: "admin", password: password("admin") });
  assert.equal(admin.status, 201, "nor is anyone else");
});

test("one address failing over many logins is slowed for all of them", async () => {
  // 20 failures from one address are free (an office behind one address), then delays.
  for (let i = 0; i < 20; i++) {
    const r = await signInFrom("127.0.0.9", { login: `nobody.${i}`, password: "wrong" });
    assert.equal(r.status, 401, `attempt ${i + 1}`);
  }
  const r = await signInFrom("127.0.0.9", { login: "nobody.new", password: "wrong" });
  assert.equal(r.status, 429, r.text);
  assert.match(r.headers["retry-after"], /^[1-9]\d*$/);
  const elsewhere = await signInFrom("127.0.0.10", { login: "head.kpssu", password: password("head.kpssu") });
  assert.equal(elsewhere.status, 201, "other addresses are not slowed");
});

test("a one-time password goes to the phone, in the person's language, and opens once", async () => {
  const r = await srv.request("POST", "/api/v1/otp", { body: { iin: PHONE_KK } });
  assert.equal(r.status, 202);
  assert.deepEqual(r.json, { sent: true, expires_in: 300 });
  const sms = srv.outbox(PHONE_KK).at(-1);
  assert.equal(sms.channel, "sms");
  assert.equal(sms.lang, "kk");
  assert.match(sms.text, /құпиясөз/);
  const code = lastCode(PHONE_KK);
  const s = await signIn({ iin: PHONE_KK, otp: code });
  assert.equal(s.status, 201, s.text);
  assert.equal(s.json.role, "applicant");
  assert.equal(s.json.unit, null);
  assert.equal(s.json.expires_at, "2026-11-23T10:30:00+05:00");
  const who = await me(s.json.token);
  assert.equal(who.json.iin, PHONE_KK);
  assert.equal(who.json.region, "KZ-75");
  const again = await signIn({ iin: PHONE_KK, otp: code });
  assert.equal(again.status, 401, "a used one-time password does not open again");
  assert.equal(again.json.error.code, "auth.failed");

  const ru = await srv.request("POST", "/api/v1/otp", { body: { iin: PHONE_RU } });
  assert.equal(ru.status, 202);
  const sent = srv.outbox(PHONE_RU).at(-1);
  assert.equal(sent.lang, "ru");
  assert.match(sent.text, /одноразовый пароль \d{6}/);
});

test("three wrong one-time passwords burn it", async () => {
  const r = await srv.request("POST", "/api/v1/otp", { body: { iin: PHONE_KK } });
  assert.equal(r.status, 202);
  const code = lastCode(PHONE_KK);
  const wrong = String((Number(code) + 1) % 1000000).padStart(6, "0");
  for (let i = 0; i < 3; i++) {
    const w = await signIn({ iin: PHONE_KK, otp: wrong });
    assert.equal(w.status, 401);
    assert.equal(w.json.error.code, "auth.failed");
  }
  const right = await signIn({ iin: PHONE_KK, otp: code });
  assert.equal(right.status, 401);
  assert.equal(right.json.error.code, "auth.otp_burned");
});

test("a fourth one-time password for one IIN within 15 minutes is refused", async () => {
  // PHONE_RU had one above; two more are allowed
  for (let i = 0; i < 2; i++) {
    const r = await srv.request("POST", "/api/v1/otp", { body: { iin: PHONE_RU } });
    assert.equal(r.status, 202);
  }
  const before = srv.outbox(PHONE_RU).length;
  const r = await srv.request("POST", "/api/v1/otp", { body: { iin: PHONE_RU }, headers: en });
  assert.equal(r.status, 429);
  assert.equal(r.json.error.code, "auth.rate_limited");
  assert.equal(srv.outbox(PHONE_RU).length, before, "nothing more was sent");
});

test("a person without a phone, or no such person, gets the same answer as one with a phone, and nothing is sent", async () => {
  const added = qz(["person", "add", "--db", srv.db, "--iin", NO_PHONE, "--surname", "Нұр", "--name", "Ая"]);
  assert.equal(added.status, 0, added.stderr);
  const unknown = qz(["iin", "new", "--birth", "1990-01-01", "--sex", "female"]).stdout.trim();
  const withPhone = await srv.request("POST", "/api/v1/otp", { body: { iin: APPLICANT }, headers: en });
  assert.equal(withPhone.status, 202, withPhone.text);
  for (const iin of [NO_PHONE, unknown]) {
    const r = await srv.request("POST", "/api/v1/otp", { body: { iin }, headers: en });
    assert.equal(r.status, withPhone.status, `${iin}: ${r.text}`);
    assert.equal(r.text, withPhone.text, `${iin}: the same body`);
    assert.deepEqual(srv.outbox(iin), []);
  }
});

test("requests without a token, or with one qyzmet did not issue, get 401", async () => {
  const cases = [
    [{}, "auth.missing"],
    [{ Authorization: "Bearer xyz" }, "auth.invalid"],
    [{ Authorization: `Basic ${Buffer.from("admin:x").toString("base64")}` }, "auth.invalid"],
    [{ Authorization: `Bearer ${"0".repeat(64)}` }, "auth.invalid"],
  ];
  for (const [headers, code] of cases) {
    const r = await srv.request("GET", "/api/v1/me", { headers });
    assert.equal(r.status, 401, JSON.stringify(headers));
    assert.equal(r.json.error.code, code);
  }
});

test("signing out ends the session", async () => {
  const s = await signIn({ login: "operator.almaty", password: password("operator.almaty") });
  assert.equal(s.status, 201);
  const out = await srv.request("DELETE", "/api/v1/sessions", { headers: bearer(s.json.token) });
  assert.equal(out.status, 200);
  const who = await me(s.json.token);
  assert.equal(who.status, 401);
  assert.equal(who.json.error.code, "auth.invalid");
  const twice = await srv.request("DELETE", "/api/v1/sessions", { headers: bearer(s.json.token) });
  assert.equal(twice.status, 401);
  assert.equal((await me(tokens["operator.astana"])).status, 200, "other sessions go on");
});

test("only an admin moves the clock, and only forward", async () => {
  const none = await srv.request("POST", "/api/v1/admin/clock", { body: { set: "2026-11-24T10:00+05:00" } });
  assert.equal(none.status, 401);
  const operator = await setClock(tokens["operator.astana"], "2026-11-24T10:00+05:00");
  assert.equal(operator.status, 403);
  assert.equal(operator.json.error.code, "auth.forbidden");
  const back = await setClock(tokens.admin, "2026-11-23T09:59+05:00");
  assert.equal(back.status, 422);
  assert.equal(back.json.error.code, "clock.backwards");
  assert.equal(back.json.error.field, "set");
  for (const set of ["tomorrow", "2026-11-24", "2026-11-24T10:00"]) {
    const r = await setClock(tokens.admin, set);
    assert.equal(r.status, 422, set);
    assert.equal(r.json.error.code, "clock.set_invalid");
  }
  const extra = await srv.request("POST", "/api/v1/admin/clock", {
    body: { set: "2026-11-23T10:00+05:00", runTimers: true },
    headers: bearer(tokens.admin),
  });
  assert.equal(extra.status, 422);
  assert.equal(extra.json.error.field, "runTimers");
  const same = await setClock(tokens.admin, "2026-11-23T10:00+05:00");
  assert.equal(same.status, 200, "standing still is not going back");
  assert.equal(same.json.now, "2026-11-23T10:00:00+05:00");
});

test("a one-time password expires after 5 minutes", async () => {
  const r = await srv.request("POST", "/api/v1/otp", { body: { iin: APPLICANT } });
  assert.equal(r.status, 202);
  const code = lastCode(APPLICANT);
  const moved = await setClock(tokens.admin, "2026-11-23T10:05+05:00"); // sent at 10:00 + 300 s
  assert.equal(moved.status, 200);
  assert.equal(moved.json.now, "2026-11-23T10:05:00+05:00");
  const s = await signIn({ iin: APPLICANT, otp: code });
  assert.equal(s.status, 401);
  assert.equal(s.json.error.code, "auth.otp_expired");
});

test("a citizen's session expires after 30 minutes, a lock after 15, staff's after 8 hours", async () => {
  assert.equal((await me(tokens.citizen)).status, 200, "at 10:05 the citizen is still in");
  const moved = await setClock(tokens.admin, "2026-11-23T10:30+05:00"); // signed in at 10:00 + 30 min
  assert.equal(moved.status, 200);
  const citizen = await me(tokens.citizen);
  assert.equal(citizen.status, 401);
  assert.equal(citizen.json.error.code, "auth.expired");
  assert.equal((await me(tokens["operator.astana"])).status, 200);
  const unlocked = await signIn({ login: "issuer.astana", password: password("issuer.astana") });
  assert.equal(unlocked.status, 201, "the lock of 10:00 ended at 10:15");

  assert.equal((await setClock(tokens.admin, "2026-11-23T17:59:59+05:00")).status, 200);
  assert.equal((await me(tokens["operator.astana"])).status, 200);
  assert.equal((await setClock(tokens.admin, "2026-11-23T18:00+05:00")).status, 200); // 10:00 + 8 h
  for (const login of ["operator.astana", "admin"]) {
    const r = await me(tokens[login]);
    assert.equal(r.status, 401, login);
    assert.equal(r.json.error.code, "auth.expired");
  }
});

test("without --clock the clock endpoint does not exist", async () => {
  const plain = await startServer();
  try {
    const r = await plain.request("POST", "/api/v1/admin/clock", {
      body: { set: "2030-01-01T00:00+05:00" },
    });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, "request.no_route");
  } finally {
    assert.equal(await plain.stop(), 0);
  }
});

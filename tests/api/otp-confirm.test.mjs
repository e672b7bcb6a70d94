// A one-time password instead of the EDS on the portal (seed 004: criminal record, standard
// row 8 item 2, L274; archival certificates, L547): POST /api/v1/otp sends the code to the
// applicant's registered phone, and the application carries it in X-OTP. Accepted only
// where the service's portal channel allows "otp" (catalogue: "confirm"), only with the
// applicant's current code, and only once. The code is read from the outbox. The server's
// clock stands still, so the 3 codes a person may ask for in 15 minutes are all this file
// has for the demo applicant: each test below says which it uses.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";

const NOW = "2026-06-01T10:00:00+05:00";
const APPLICANT = "921029350851"; // the demo applicant, phone +77011234567 (catalog/demo/persons.json)
const OTHER = "850315423272"; // another person of the register

let srv, token;

before(async () => {
  srv = await startServer(["--clock", `fixed:${NOW}`], { demo: true });
  const u = srv.demo.users.find((x) => x.login === APPLICANT);
  const r = await srv.request("POST", "/api/v1/sessions", {
    body: { iin: u.login, password: u.password },
  });
  assert.equal(r.status, 201, r.text);
  token = r.json.token;
});
after(async () => assert.equal(await srv.stop(), 0));

// Asks for a one-time password for the applicant and reads it from their SMS.
async function newCode() {
  const r = await srv.request("POST", "/api/v1/otp", { body: { iin: APPLICANT } });
  assert.equal(r.status, 202, r.text);
  const m = srv.outbox(APPLICANT).at(-1).text.match(/\b\d{6}\b/);
  assert.ok(m, "the SMS carries a 6-digit code");
  return m[0];
}

// A code that is not `code`: its last digit moved by one.
const other = (code) => code.slice(0, 5) + ((Number(code[5]) + 1) % 10);

let n = 0;
function application(extra = {}) {
  return {
    service: "criminal-record",
    channel: "portal",
    branch: "psc-astana-1",
    applicant: APPLICANT,
    documents: ["e-request"],
    payload: { note: `otp-${++n}` },
    ...extra,
  };
}

function post(body, otp, key) {
  const headers = { Authorization: `Bearer ${token}` };
  if (otp !== undefined) headers["X-OTP"] = otp;
  if (key !== undefined) headers["Idempotency-Key"] = key;
  return srv.request("POST", "/api/v1/applications", { body, headers });
}

function refused(r, status, code, what) {
  assert.equal(r.status, status, `${what}: ${r.text}`);
  assert.equal(r.json.error.code, code, what);
}

let used; // the code that confirmed the first application
let first; // that application: { body, key, answer }

test("a criminal-record application confirmed by a one-time password is accepted (code 1)", async () => {
  const code = await newCode();
  const incomplete = await post(application({ documents: [] }), code);
  assert.equal(incomplete.status, 422, "documents are still checked");
  const body = application();
  const r = await post(body, code, "otp-first");
  assert.equal(r.status, 201, `a refused application does not use the code up: ${r.text}`);
  assert.equal(r.json.receipt.operator.role, "applicant");
  const c = await srv.request("GET", `/api/v1/applications/${r.json.id}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.data.confirmed_by, "otp");
  used = code;
  first = { body, key: "otp-first", answer: r.json };
});

test("the same request with the same key gets the first answer, though the code is used up", async () => {
  assert.ok(first, "the first test ran");
  const auth = { headers: { Authorization: `Bearer ${token}` } };
  const cases = (await srv.request("GET", "/api/v1/me/cases", auth)).json.length;
  const sent = srv.outbox(APPLICANT).length;
  const again = await post(first.body, used, first.key);
  assert.equal(again.status, 201, `a retry is answered before the code is looked at: ${again.text}`);
  assert.deepEqual(again.json, first.answer);
  const after = await srv.request("GET", "/api/v1/me/cases", auth);
  assert.equal(after.json.length, cases, "no new case");
  assert.equal(srv.outbox(APPLICANT).length, sent, "nobody is told twice");
});

test("a used code does not confirm a second application", async () => {
  assert.ok(used, "the first test ran");
  const r = await post(application(), used);
  refused(r, 403, "eds.otp_invalid", "reused");
  assert.match(r.json.error.message, /wrong/);
});

test("a wrong code is 403 eds.otp_invalid; three burn the code: 429 (code 2)", async () => {
  const code = await newCode();
  for (const bad of ["12345", "abcdef"])
    refused(await post(application(), bad), 403, "eds.otp_invalid", `malformed ${bad}`);
  for (let i = 0; i < 3; i++) // QZ_OTP_MAX_TRIES wrong tries, as at signing in
    refused(await post(application(), other(code)), 403, "eds.otp_invalid", `wrong try ${i + 1}`);
  const r = await post(application(), code);
  refused(r, 429, "eds.otp_rate_limited", "the right code after 3 wrong ones");
});

test("an archival certificate asked by a representative is confirmed by their own code (code 3)", async () => {
  // The code is the sender's: the signed-in representative's, not the applicant's.
  const r = await post(
    application({
      service: "archival-certificate",
      applicant: OTHER,
      representative: APPLICANT,
      payload: { under_16_on_1940_01_01: false },
    }),
    await newCode(),
  );
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.receipt.operator.role, "applicant");
});

test("a service whose portal needs the EDS refuses a one-time password: 403 eds.otp_not_allowed", async () => {
  const r = await post(
    application({ service: "address-certificate", payload: {} }),
    "123456", // never checked: the service takes no code at all
  );
  refused(r, 403, "eds.otp_not_allowed", "address-certificate");
  assert.match(r.json.error.message, /address-certificate/);
});

test("without X-Signature or X-OTP the application is 401 eds.missing, naming both", async () => {
  for (const otp of [undefined, ""]) {
    const r = await post(application(), otp);
    refused(r, 401, "eds.missing", `X-OTP ${JSON.stringify(otp)}`);
    assert.match(r.json.error.message, /X-Signature/);
    assert.match(r.json.error.message, /X-OTP/);
  }
});

// Notifications and a citizen's own pages: every status change of a case reaches its
// applicant (and the subject of a third-party case) in the cabinet and by SMS, in the
// case's language, with the number, the service and the hand-out date; never for a write
// that failed or was replayed. GET /api/v1/me/cases and /me/notifications list a
// citizen's cases and messages; staff are refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APPLICANT, OTHER, startDemo, stopDemo } from "./demo-client.mjs";

const NOW = "2026-06-01T10:00:00+05:00"; // a Monday, no holiday for weeks
let srv, cl;

before(async () => ({ srv, cl } = await startDemo(NOW)));
after(() => stopDemo(srv));

// The messages to `iin` about case number `number`.
const about = (iin, number) => srv.outbox(iin).filter((m) => m.text.includes(number));

test("an accepted case is told to its applicant in the cabinet and by SMS, in Kazakh", async () => {
  const r = await cl.apply("operator.astana", "apostille");
  assert.equal(r.status, 201, r.text);
  const msgs = about(APPLICANT, r.json.number);
  assert.deepEqual(msgs.map((m) => m.channel).sort(), ["cabinet", "sms"]);
  for (const m of msgs) {
    assert.equal(m.lang, "kk");
    assert.match(m.text, /қабылданды/);
    assert.ok(m.text.includes(r.json.receipt.hand_out_on), m.text);
    assert.ok(m.text.includes("Апостиль") || m.text.includes("апостиль"), m.text);
  }
});

test("ready and done each reach the applicant once per channel; the hand-out date when ready", async () => {
  const r = await cl.apply("operator.astana", "apostille");
  const ready = await cl.drive(r.json.id, (c) => c.status === "ready");
  assert.equal(ready.status, "ready");
  const readyMsgs = about(APPLICANT, r.json.number).filter((m) => /дайын/.test(m.text));
  assert.equal(readyMsgs.length, 2, JSON.stringify(readyMsgs));
  assert.ok(readyMsgs[0].text.includes(ready.due_at.slice(0, 10)));
  const done = await cl.drive(r.json.id);
  assert.equal(done.status, "done");
  const msgs = about(APPLICANT, r.json.number);
  // accepted, the consent asked, ready, done: a cabinet message and an SMS each; steps
  // that keep the status tell nothing
  assert.equal(msgs.filter((m) => m.channel === "cabinet").length, 4, JSON.stringify(msgs));
  assert.equal(msgs.filter((m) => m.channel === "sms").length, 4);
  assert.equal(msgs.filter((m) => /келісіміңіз сұралады/.test(m.text)).length, 2);
  assert.match(msgs.at(-1).text, /орындалды/);
});

test("a third-party case is told to the applicant and the subject, in the case's language", async () => {
  const r = await cl.apply("operator.astana", "apostille", { subject: OTHER, lang: "ru" });
  assert.equal(r.status, 201, r.text);
  for (const iin of [APPLICANT, OTHER]) {
    const msgs = about(iin, r.json.number);
    assert.deepEqual(msgs.map((m) => m.channel).sort(), ["cabinet", "sms"], iin);
    for (const m of msgs) {
      assert.equal(m.lang, "ru");
      assert.match(m.text, /принято/);
    }
  }
});

test("a failed write, a desk refusal and a replayed key notify nobody", async () => {
  const before = srv.outbox().length;
  const refused = await cl.apply("operator.astana", "apostille", { documents: ["application"] });
  assert.equal(refused.status, 422);
  assert.equal(srv.outbox().length, before);

  const body = {
    service: "apostille",
    channel: "psc",
    branch: "psc-astana-1",
    applicant: APPLICANT,
    documents: await cl.requiredDocuments("apostille"),
  };
  const headers = { "Idempotency-Key": "me-test-replay" };
  const a = await cl.as("operator.astana", "POST", "/api/v1/applications", { body, headers });
  assert.equal(a.status, 201);
  const afterFirst = srv.outbox().length;
  assert.equal(afterFirst, before + 2);
  const b = await cl.as("operator.astana", "POST", "/api/v1/applications", { body, headers });
  assert.equal(b.status, 201);
  assert.equal(srv.outbox().length, afterFirst, "a replay tells nobody again");

  const c = await cl.intake(a.json.id);
  const afterIntake = srv.outbox().length;
  const send = { action: "send", version: c.version, data: {} };
  const path = `/api/v1/applications/${a.json.id}/actions`;
  const first = await cl.as("operator.astana", "POST", path, { body: send });
  assert.equal(first.status, 200);
  const stale = await cl.as("operator.astana", "POST", path, { body: send });
  assert.equal(stale.status, 409);
  const forbidden = await cl.as("issuer.astana", "POST", path, {
    body: { action: "register", version: first.json.version, data: {} },
  });
  assert.equal(forbidden.status, 403);
  assert.equal(srv.outbox().length, afterIntake, "sending on keeps the status: nothing to tell");
});

test("GET /me/cases lists the applicant's cases, newest first, with number, service and status", async () => {
  const r = await cl.apply("operator.astana", "criminal-record", { variant: "electronic" });
  assert.equal(r.status, 201, r.text);
  const mine = await cl.as(APPLICANT, "GET", "/api/v1/me/cases");
  assert.equal(mine.status, 200, mine.text);
  assert.ok(mine.json.length >= 5);
  const top = mine.json[0];
  assert.equal(top.id, r.json.id);
  assert.equal(top.number, r.json.number);
  assert.equal(top.service, "criminal-record");
  assert.ok(top.service_name.kk && top.service_name.ru);
  assert.equal(top.state, r.json.state);
  assert.equal(top.status, "open");
  assert.equal(top.due_at, r.json.due_at);
  assert.equal(top.as, "applicant");
  const ids = mine.json.map((c) => c.id);
  assert.deepEqual(ids, [...ids].sort((x, y) => y - x));
  assert.ok(mine.json.some((c) => c.status === "done"));
});

test("the subject of a third-party case sees it as theirs, and their messages newest first", async () => {
  const sent = await srv.request("POST", "/api/v1/otp", { body: { iin: OTHER } });
  assert.ok([200, 201, 202, 204].includes(sent.status), sent.text);
  const sms = srv.outbox(OTHER).filter((m) => m.channel === "sms").at(-1);
  const otp = sms.text.match(/\b(\d{6})\b/)[1];
  const s = await srv.request("POST", "/api/v1/sessions", { body: { iin: OTHER, otp } });
  assert.equal(s.status, 201, s.text);
  const auth = { Authorization: `Bearer ${s.json.token}` };
  const cases = await srv.request("GET", "/api/v1/me/cases", { headers: auth });
  assert.equal(cases.status, 200, cases.text);
  assert.ok(cases.json.length >= 1);
  assert.ok(cases.json.every((c) => c.as === "subject"));
  const msgs = await srv.request("GET", "/api/v1/me/notifications", { headers: auth });
  assert.equal(msgs.status, 200);
  // The one-time password's SMS is the phone's alone: not in the cabinet's list.
  const outbox = srv.outbox(OTHER).filter((m) => !m.secret);
  assert.ok(srv.outbox(OTHER).some((m) => m.secret), "a code was sent");
  assert.equal(msgs.json.length, outbox.length);
  for (const m of msgs.json) assert.doesNotMatch(m.text, new RegExp(otp));
  assert.equal(msgs.json[0].text, outbox.at(-1).text, "newest first");
  const ids = msgs.json.map((m) => m.id);
  assert.deepEqual(ids, [...ids].sort((x, y) => y - x));
  for (const m of msgs.json) assert.ok(m.channel && m.lang && m.text && m.at);
});

test("the /me lists are the applicant's only: staff 403, nobody 401", async () => {
  for (const path of ["/api/v1/me/cases", "/api/v1/me/notifications"]) {
    const staff = await cl.as("operator.astana", "GET", path);
    assert.equal(staff.status, 403, staff.text);
    assert.equal(staff.json.error.code, "me.applicants_only");
    const anon = await srv.request("GET", path);
    assert.equal(anon.status, 401);
  }
  const mine = await cl.as(APPLICANT, "GET", "/api/v1/me/notifications");
  assert.equal(mine.status, 200);
  const own = srv.outbox(APPLICANT).filter((m) => !m.secret).map((m) => m.text);
  assert.equal(mine.json.length, own.length);
  assert.deepEqual(mine.json.map((m) => m.text).reverse(), own);
});

// Consent before a case reaches its provider (seed 002 item 8): the PSC employee
// certifies the application, then the person it concerns consents — the applicant, or
// for a request about someone else that person, signed in by a one-time password to
// their own phone. Nobody else may consent for them; declining ends the case without it
// reaching the provider; the provider sees nothing until then.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APPLICANT, OTHER, startDemo, stopDemo } from "./demo-client.mjs";

const NOW = "2026-06-01T10:00:00+05:00";
let srv, cl;

before(async () => ({ srv, cl } = await startDemo(NOW)));
after(() => stopDemo(srv));

const act = (who, id, action, version) =>
  (who === OTHER ? cl.asPerson : cl.as)(who, "POST", `/api/v1/applications/${id}/actions`, {
    body: { action, version, data: {} },
  });

// A criminal-record certificate asked at the PSC by the demo applicant about OTHER, on
// a notarised power of attorney, and certified by the operator.
async function certifiedAboutOther() {
  // each kind once (a kind named twice is refused): the power of attorney is required here
  const documents = [
    ...new Set([...(await cl.requiredDocuments("criminal-record")), "power-of-attorney"]),
  ];
  const r = await cl.apply("operator.astana", "criminal-record", {
    subject: OTHER,
    documents,
    payload: { by_representative: true },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.state, "intake");
  const c = await act("operator.astana", r.json.id, "certify", 1);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.state, "intake.consent");
  return c.json;
}

test("the person concerned consents by one-time password; then the provider works it", async () => {
  const c = await certifiedAboutOther();
  const asked = srv.outbox(OTHER).filter((m) => m.text.includes(c.number));
  assert.ok(asked.some((m) => m.channel === "sms" && /келісіміңіз сұралады/.test(m.text)), JSON.stringify(asked));
  const inbox = (await cl.as("clerk.kpssu", "GET", "/api/v1/inbox")).json;
  assert.ok(!inbox.some((l) => l.case === c.id), "the provider sees nothing before the consent");
  // The attorney who applied may not consent for the person.
  const byAttorney = await act(APPLICANT, c.id, "consent", c.version);
  assert.equal(byAttorney.status, 403, byAttorney.text);
  assert.equal(byAttorney.json.error.code, "case.not_the_person");
  const seen = await cl.asPerson(OTHER, "GET", `/api/v1/applications/${c.id}`);
  assert.equal(seen.status, 200, seen.text);
  assert.deepEqual(
    seen.json.actions.map((a) => a.name),
    ["consent", "decline"],
  );
  const given = await act(OTHER, c.id, "consent", c.version);
  assert.equal(given.status, 200, given.text);
  assert.equal(given.json.state, "check");
  assert.equal(given.json.due_at, c.due_at, "consent at the desk keeps the receipt's date");
  const done = await cl.drive(c.id);
  assert.equal(done.status, "done");
  const history = done.history.map((e) => `${e.action}:${e.actor}`);
  assert.ok(history.includes("certify:operator.astana"), history.join(" "));
  assert.ok(history.includes(`consent:${OTHER}`), history.join(" "));
});

test("declined consent ends the case before the provider, told to both", async () => {
  const c = await certifiedAboutOther();
  const declined = await act(OTHER, c.id, "decline", c.version);
  assert.equal(declined.status, 200, declined.text);
  assert.equal(declined.json.status, "withdrawn");
  assert.equal(declined.json.state, "intake.declined");
  assert.deepEqual(declined.json.actions, []);
  for (const iin of [APPLICANT, OTHER]) {
    const told = srv.outbox(iin).filter((m) => m.text.includes(c.number));
    assert.ok(told.some((m) => /келісім берілмеді: өтініш/.test(m.text)), JSON.stringify(told));
  }
  const late = await act(OTHER, c.id, "consent", declined.json.version);
  assert.equal(late.status, 409);
  assert.equal(late.json.error.code, "case.ended");
});

test("only the person concerned is offered the consent; the operator certifies first", async () => {
  const r = await cl.apply("operator.astana", "apostille");
  const id = r.json.id;
  const early = await act(APPLICANT, id, "consent", 1);
  assert.equal(early.status, 422, "nothing to consent to before the certification");
  assert.equal(early.json.error.code, "case.action_unknown");
  const byOperator = await act("operator.astana", id, "certify", 1);
  assert.equal(byOperator.status, 200);
  const forOperator = (await cl.as("operator.astana", "GET", `/api/v1/applications/${id}`)).json;
  assert.deepEqual(forOperator.actions, []);
  const operatorConsents = await act("operator.astana", id, "consent", 2);
  assert.equal(operatorConsents.status, 403);
  const lapse = await act(APPLICANT, id, "lapse", 2);
  assert.equal(lapse.status, 422, "the lapse is the sweeper's");
  // The PSC's inbox shows the case waiting for the applicant.
  const line = (await cl.as("operator.astana", "GET", "/api/v1/inbox")).json.find(
    (l) => l.case === id,
  );
  assert.equal(line.step, "intake.consent");
  assert.equal(line.role, "applicant");
});

// Last in this file: it moves the clock.
test("a third-party request on the portal waits for the person's consent and runs from it", async () => {
  const sent = await srv.request("POST", "/api/v1/otp", { body: { iin: APPLICANT } });
  assert.equal(sent.status, 202, sent.text);
  const code = srv.outbox(APPLICANT).at(-1).text.match(/\b\d{6}\b/)[0];
  const body = {
    service: "criminal-record",
    channel: "portal",
    branch: "psc-astana-1",
    applicant: APPLICANT,
    subject: OTHER,
    documents: ["e-request"],
  };
  const r = await cl.as(APPLICANT, "POST", "/api/v1/applications", {
    body,
    headers: { "X-OTP": code, "Idempotency-Key": "consent-portal-1" },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.state, "intake.consent", "no certification on the portal; the person's consent");
  const asked = srv.outbox(OTHER).filter((m) => m.text.includes(r.json.number));
  assert.ok(asked.some((m) => /келісіміңіз сұралады/.test(m.text)), JSON.stringify(asked));
  // The next day (Tue 2 June, 10:00) the person consents: the 10-minute term runs from then.
  await cl.nextDay();
  const seen = await cl.asPerson(OTHER, "GET", `/api/v1/applications/${r.json.id}`);
  assert.deepEqual(
    seen.json.actions.map((a) => a.name),
    ["consent-third-party", "decline"],
  );
  const given = await act(OTHER, r.json.id, "consent-third-party", seen.json.version);
  assert.equal(given.status, 200, given.text);
  assert.equal(given.json.state, "check");
  assert.equal(given.json.accepted_at, "2026-06-02T10:00:00+05:00");
  assert.equal(given.json.due_at, "2026-06-02T10:10:00+05:00");
  const done = await cl.drive(r.json.id);
  assert.equal(done.status, "done");
});

// The rules of the seeds read again (issue "the seeds, read again"): who accepts an
// application, storage terms that run, notices the applicant is sent, the state duty on the
// receipt — each as a person at the desk or in the cabinet meets it, over HTTP on the demo
// database.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APPLICANT, startDemo, stopDemo } from "./demo-client.mjs";

// Monday 1 June 2026, 10:00 in Astana, as in the other demo tests.
const NOW = "2026-06-01T10:00:00+05:00";

let srv, cl;

before(async () => ({ srv, cl } = await startDemo(NOW)));
after(() => stopDemo(srv));

// Seed 001 item 5 of S3 (L595) and of S5 (L1117): the Centre's employee accepts the
// documents; table 1 step 1 names the Centre (L664, L1178).
test("S3 and S5 are accepted at the desk by the PSC operator, not the district officer", async () => {
  for (const service of ["temporary-id", "residence-deregistration"]) {
    const std = (await srv.request("GET", `/api/v1/services/${service}`)).json;
    assert.equal(std.standard.channels.psc.accepted_by, "psc-operator", service);
    const officer = await cl.apply("officer.esil", service);
    assert.equal(officer.status, 403, `${service}: ${officer.text}`);
    const r = await cl.apply("operator.astana", service);
    assert.equal(r.status, 201, `${service}: ${r.text}`);
    // The operator who accepted certifies it (seed 002 item 8), then checks the documents
    // as step 1 of the table, at the PSC.
    const c = await cl.intake(r.json.id);
    assert.equal(c.state, "accept", service);
    const open = c.steps.find((s) => !s.done_at);
    assert.equal(open.role, "psc-operator", service);
    assert.equal(open.unit, "psc-astana-1", service);
    const trail = cl.trail(r.json.id);
    assert.match(trail[0], /^intake:operator\.astana:certify$/, trail.join(" "));
  }
});

// Seed 004, S9 standard row 6 (L399-L403): 0.5 MCI for each document; seed 002 item 11
// (L87): the desk checks the payment. The MCI on Mon 1 June 2026 is 4 325 tenge
// (catalog/mci.json), so a document costs 0.5 × 4 325 = 2 162.50 tenge.
test("the apostille's duty in tenge: on its page, on the receipt, with the payment", async () => {
  const std = (await srv.request("GET", "/api/v1/services/apostille")).json;
  assert.deepEqual(std.fee, {
    mci: 0.5,
    per: "document",
    count: "official_documents",
    on: "2026-06-01",
    mci_tenge: 4325,
    tenge_per_unit: 2162.5,
  });
  const payload = { official_documents: 3, payment_reference: "EGOV-2026-000123" };
  const r = await cl.apply("operator.astana", "apostille", { payload });
  assert.equal(r.status, 201, r.text);
  // 3 × 2 162.50 = 6 487.50 tenge.
  assert.deepEqual(r.json.receipt.fee, {
    mci: 0.5,
    per: "document",
    count: 3,
    mci_tenge: 4325,
    tenge: 6487.5,
    payment_reference: "EGOV-2026-000123",
  });
  const c = (await cl.as("operator.astana", "GET", `/api/v1/applications/${r.json.id}`)).json;
  const accepted = c.history.find((e) => e.action === "accept");
  assert.equal(accepted.data.fee.tenge, 6487.5);
  assert.equal(accepted.data.fee.payment_reference, "EGOV-2026-000123");
  // A free service owes nothing; a count that is not a number of documents is refused.
  const free = await cl.apply("operator.astana", "archival-certificate");
  assert.equal(free.status, 201, free.text);
  assert.equal(free.json.receipt.fee.tenge, 0);
  const bad = await cl.apply("operator.astana", "apostille", { payload: { official_documents: 0 } });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.error.field, "official_documents");
});

// Case `id` moved along its first advance actions until it is in `state`; then the action
// `name` of that state taken (its required fields filled as the demo client fills them).
async function takeAt(id, state, name) {
  const c = await cl.drive(id, (x) => x.state === state);
  assert.equal(c.state, state);
  const n = await cl.step(id, (x) => x.actions.find((a) => a.name === name));
  assert.ok(n, `someone may take ${state}/${name}`);
  return n;
}

// The last message sent to the demo applicant (cabinet and SMS carry the same text).
const lastToApplicant = () => srv.outbox(APPLICANT).at(-1).text;

// Seed 004, S8 standard row 3 (L219): with an additional check, the interim answer within
// 4 WD tells the applicant to apply again after 20 WD from the receipt of the application.
test("the interim answer computes the date to apply again and tells the applicant so", async () => {
  const r = await cl.apply("operator.astana", "criminal-record");
  assert.equal(r.status, 201, r.text);
  const c = await takeAt(r.json.id, "check", "additional-check");
  assert.equal(c.state, "additional-check");
  // The executor is offered the answer with nothing to type: the date is computed…
  const exec = (await cl.as("executor.kpssu", "GET", `/api/v1/applications/${c.id}`)).json;
  const interim = exec.actions.find((a) => a.name === "interim-answer");
  assert.deepEqual(interim.fields, []);
  // … and may not be given.
  const typed = await cl.as("executor.kpssu", "POST", `/api/v1/applications/${c.id}/actions`, {
    body: { action: "interim-answer", version: exec.version, data: { apply_again_after: "2026-06-02" } },
  });
  assert.equal(typed.status, 422, typed.text);
  assert.equal(typed.json.error.code, "case.field_computed");
  const done = await cl.as("executor.kpssu", "POST", `/api/v1/applications/${c.id}/actions`, {
    body: { action: "interim-answer", version: exec.version, data: {} },
  });
  assert.equal(done.status, 200, done.text);
  // Accepted Mon 1 June 2026 (not counted): 20 WD are 2-5, 8-12, 15-19, 22-26 and 29 June
  // (no holiday in June 2026): apply again after Mon 29 June.
  assert.equal(done.json.data.apply_again_after, "2026-06-29");
  const event = done.json.history.findLast((e) => e.action === "interim-answer");
  assert.equal(event.data.apply_again_after, "2026-06-29");
  const text = lastToApplicant();
  assert.match(text, /2026-06-29/);
  assert.match(text, new RegExp(done.json.number));
  // Not the message of a rendered service (notify.case.done).
  assert.doesNotMatch(text, /орындалды|оказана|rendered\./);
});

// Seed 004, S9 rules item 6 (L54-L58): the applicant is notified of the preliminary decision
// and of the hearing's time and place, and of the result after it.
test("the hearing's notice tells the applicant its time and place, then the decision", async () => {
  const r = await cl.apply("operator.astana", "apostille");
  assert.equal(r.status, 201, r.text);
  const c = await takeAt(r.json.id, "decide", "preliminary-refusal");
  assert.equal(c.state, "hearing");
  const at = "2026-06-04 11:00";
  const place = "Astana, Mangilik El 14, room 305, or by video link";
  const notify = await cl.as("executor.kpssu", "POST", `/api/v1/applications/${c.id}/actions`, {
    body: { action: "notify", version: c.version, data: { hearing_at: at, hearing_place: place } },
  });
  assert.equal(notify.status, 200, notify.text);
  assert.equal(notify.json.state, "hearing.held");
  const told = lastToApplicant();
  assert.ok(told.includes(at) && told.includes(place), told);
  // The sent notice goes by SMS too (the demo applicant has a phone).
  const sent = srv.outbox(APPLICANT).filter((m) => m.text === told);
  assert.deepEqual(sent.map((m) => m.channel).sort(), ["cabinet", "sms"]);
  const granted = await cl.step(c.id, (x) => x.actions.find((a) => a.name === "grant"));
  assert.ok(granted, "the head may grant after the hearing");
  const after = lastToApplicant();
  assert.notEqual(after, told);
  assert.match(after, new RegExp(granted.number));
});

// Seed 000 item 20 (L83), seed 004 L34: a complaint about PSC staff goes to the head of the
// State Corporation or to the authority for informatization; item 21 (L85): going to court
// comes after this pre-trial appeal, which is shown where the complaint is decided.
test("a complaint about PSC staff is decided by the authority for informatization, with the court rule", async () => {
  const r = await cl.apply("operator.astana", "apostille");
  assert.equal(r.status, 201, r.text);
  const complain = (addressed_to) =>
    cl.as(APPLICANT, "POST", "/api/v1/complaints", {
      body: { application: r.json.id, against: "psc", addressed_to, text: "Оператор дөрекі сөйледі" },
    });
  const wrong = await complain("nobody");
  assert.equal(wrong.status, 422, wrong.text);
  const k = await complain("informatization-authority");
  assert.equal(k.status, 201, k.text);
  // 15 WD after Mon 1 June (the authorised body's term, item 19 L81, by default): 2-5,
  // 8-12, 15-19, 22 June, at the PSC's close.
  assert.equal(k.json.decide_by, "2026-06-22T18:00:00+05:00");
  const path = `/api/v1/complaints/${k.json.id}/actions`;
  const fwd = await cl.as("head.astana", "POST", path, { body: { action: "forward", version: 1 } });
  assert.equal(fwd.status, 200, fwd.text);
  assert.deepEqual(fwd.json.holder, { role: "informatization-authority", unit: "mdai" });
  // Neither the reviewer of providers nor the branch head decides it.
  for (const login of ["reviewer", "head.astana"]) {
    const no = await cl.as(login, "POST", path, {
      body: { action: "decide", version: 2, data: { outcome: "rejected", text: "x" } },
    });
    assert.ok([403, 404].includes(no.status), `${login}: ${no.status} ${no.text}`);
  }
  const seen = await cl.as("informatization", "GET", `/api/v1/complaints/${k.json.id}`);
  assert.equal(seen.status, 200, seen.text);
  assert.match(seen.json.court.ru, /обращение в суд допускается после обжалования в досудебном порядке/);
  assert.ok(seen.json.court.kk && seen.json.court.en);
  const d = await cl.as("informatization", "POST", path, {
    body: { action: "decide", version: 2, data: { outcome: "upheld", text: "Тексерілді" } },
  });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.state, "decided");
  assert.ok(d.json.court, "the decision shows the court rule");
  const told = srv.outbox(APPLICANT).at(-1).text;
  assert.match(told, /сотқа жүгінуге сотқа дейінгі тәртіппен шағым жасалғаннан кейін/);
});

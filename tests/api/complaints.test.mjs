// Complaints (platform.md, "Complaints"; catalog/complaints.json): the applicant of a
// case files one against the provider or the PSC, addressed to the provider or to the
// quality authority, and learns when it must be forwarded (3 WD) and decided (5 WD to
// the provider, 15 WD to the quality authority), counted in the unit's working days, the
// day of registration not counted. The heads of the unit, the reviewer and the quality
// authority list them with their due dates; the complainant their own.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";
import { demoClient, APPLICANT, OTHER } from "./demo-client.mjs";

// Monday 1 June 2026, 10:00 in Astana; 6 July (Capital Day) is the next holiday.
const NOW = "2026-06-01T10:00:00+05:00";
let srv, cl, caseId, thirdParty;

before(async () => {
  srv = await startServer(["--clock", `fixed:${NOW}`], { demo: true });
  cl = demoClient(srv, NOW);
  const r = await cl.apply("operator.astana", "apostille");
  assert.equal(r.status, 201, r.text);
  caseId = r.json.id;
  const t = await cl.apply("operator.astana", "apostille", { applicant: OTHER, subject: APPLICANT });
  assert.equal(t.status, 201, t.text);
  thirdParty = t.json.id;
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

const complain = (login, body) => cl.as(login, "POST", "/api/v1/complaints", { body });

test("a complaint to the provider: forwarded within 3 WD, decided within 5 WD, at the provider's close", async () => {
  const r = await complain(APPLICANT, {
    application: caseId,
    against: "provider",
    addressed_to: "provider",
    text: "Апостиль мерзімінде қойылмады",
  });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.id > 0);
  // Registered Mon 1 June, which does not count: Thu 4 June and Mon 8 June, at the
  // Prosecutor's Committee's close (18:30).
  assert.equal(r.json.forward_by, "2026-06-04T18:30:00+05:00");
  assert.equal(r.json.decide_by, "2026-06-08T18:30:00+05:00");
  assert.equal(r.json.unit, "kpssu-astana");
  assert.equal(r.json.registered_at, NOW);
});

test("a complaint to the quality authority is decided within 15 WD", async () => {
  const r = await complain(APPLICANT, {
    application: caseId,
    against: "provider",
    addressed_to: "quality-authority",
    text: "Шағым",
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.forward_by, "2026-06-04T18:30:00+05:00");
  // 15 WD after Mon 1 June: 2–5, 8–12, 15–19, 22 June.
  assert.equal(r.json.decide_by, "2026-06-22T18:30:00+05:00");
});

test("a complaint against the PSC counts in the PSC's hours", async () => {
  const r = await complain(APPLICANT, {
    application: String(caseId),
    against: "psc",
    addressed_to: "provider",
    text: "Кезек ұзақ болды",
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.unit, "psc-astana-1");
  assert.equal(r.json.forward_by, "2026-06-04T18:00:00+05:00");
  assert.equal(r.json.decide_by, "2026-06-08T18:00:00+05:00");
});

test("bad complaints are 4xx with the field named", async () => {
  const base = { application: caseId, against: "provider", addressed_to: "provider", text: "x" };
  const cases = [
    [{ ...base, against: "court" }, 422, "complaint.against_unknown", "against"],
    [{ ...base, addressed_to: "president" }, 422, "complaint.addressee_unknown", "addressed_to"],
    [{ ...base, application: 0 }, 422, "request.field_invalid", "application"],
    [{ against: "provider", addressed_to: "provider", text: "x" }, 422, "request.field_missing", "application"],
    [{ ...base, text: "" }, 422, undefined, "text"],
    [{ ...base, extra: 1 }, 422, undefined, "extra"],
    [{ ...base, application: 999999 }, 404, "store.case_not_found", "application"],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await complain(APPLICANT, body);
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    if (code) assert.equal(r.json.error.code, code);
    if (field) assert.equal(r.json.error.field, field);
  }
  const staff = await complain("operator.astana", base);
  assert.equal(staff.status, 403);
  assert.equal(staff.json.error.code, "complaint.applicants_only");
  const anon = await srv.request("POST", "/api/v1/complaints", { body: base });
  assert.equal(anon.status, 401);
});

test("only the applicant complains: the subject of a third-party case is refused", async () => {
  const r = await complain(APPLICANT, {
    application: thirdParty,
    against: "provider",
    addressed_to: "provider",
    text: "x",
  });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, "complaint.not_applicant");
});

test("the provider's head, the reviewer and the quality authority list them with due dates", async () => {
  const head = await cl.as("head.kpssu", "GET", "/api/v1/complaints");
  assert.equal(head.status, 200, head.text);
  assert.equal(head.json.length, 2, "the two against the provider");
  assert.ok(head.json.every((c) => c.unit === "kpssu-astana"));
  const dues = head.json.map((c) => c.decide_by);
  assert.deepEqual(dues, [...dues].sort(), "soonest decision first");
  for (const c of head.json) {
    assert.equal(c.application, caseId);
    assert.match(c.number, /^KZ-71-\d{8}$/);
    assert.equal(c.complainant, APPLICANT);
    assert.ok(c.forward_by && c.decide_by && c.text);
    assert.equal(c.overdue, false);
  }
  const psc = await cl.as("head.astana", "GET", "/api/v1/complaints");
  assert.equal(psc.status, 200);
  assert.deepEqual(psc.json.map((c) => c.against), ["psc"]);
  const reviewer = await cl.as("reviewer", "GET", "/api/v1/complaints");
  assert.equal(reviewer.status, 200);
  assert.equal(reviewer.json.length, 3);
  const quality = await cl.as("quality", "GET", "/api/v1/complaints");
  assert.equal(quality.status, 200);
  assert.equal(quality.json.length, 3);
  const mine = await cl.as(APPLICANT, "GET", "/api/v1/complaints");
  assert.equal(mine.status, 200);
  assert.equal(mine.json.length, 3);
  const operator = await cl.as("operator.astana", "GET", "/api/v1/complaints");
  assert.equal(operator.status, 403);
  assert.equal(operator.json.error.code, "complaint.list_forbidden");
});

test("a complaint not decided in its term is overdue", async () => {
  const r = await cl.as("admin", "POST", "/api/v1/admin/clock", {
    body: { set: "2026-06-09T09:00:00+05:00" },
  });
  assert.equal(r.status, 200, r.text);
  const head = await cl.as("head.kpssu", "GET", "/api/v1/complaints");
  const overdue = head.json.filter((c) => c.overdue).map((c) => c.addressed_to);
  assert.deepEqual(overdue, ["provider"]);
});

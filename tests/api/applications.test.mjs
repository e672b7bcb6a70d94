// Applications over HTTP on the demo database: taken at the Astana PSC with a receipt,
// refused at the desk for missing documents, idempotent by key, worked to their end by
// the demo users (each role taking the first "advance" action it is offered), a stale
// version refused, and nobody seeing a case that is not theirs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APPLICANT, OTHER, BRANCH, startDemo, stopDemo } from "./demo-client.mjs";

// Monday 1 June 2026, 10:00 in Astana: no holiday until 6 July, and the calendar data
// (to the end of 2026) covers the longest term of every service.
const NOW = "2026-06-01T10:00:00+05:00";

let srv, client;

before(async () => ({ srv, cl: client } = await startDemo(NOW)));
after(() => stopDemo(srv));

const as = (...args) => client.as(...args);
const apply = (...args) => client.apply(...args);
const requiredDocuments = (...args) => client.requiredDocuments(...args);
const nextDay = () => client.nextDay();

// Works case `id` to its end: again and again, the first staff member of the case's units
// who is offered an "advance" action takes it, required fields filled; when nobody is, a
// day passes. Returns the ended case and who did what.
async function drive(id) {
  const c = await client.drive(id);
  return { c, trail: client.trail(id) };
}

test("an operator takes an apostille at the PSC: 201 with its number, due date and receipt", async () => {
  const documents = ["application", "identity", "official-document", "duty-receipt"];
  const r = await apply("operator.astana", "apostille", { documents });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.id > 0);
  assert.match(r.json.number, /^KZ-71-\d{8}$/);
  // First the operator certifies it and the applicant consents (seed 002 item 8).
  assert.equal(r.json.state, "intake");
  assert.equal(r.json.status, "open");
  // 5 working days (a regional PSC), the day of acceptance not counted: Tue 2 … Mon 8
  // June, to the PSC's close at 18:00.
  assert.equal(r.json.due_at, "2026-06-08T18:00:00+05:00");
  const rc = r.json.receipt;
  assert.equal(rc.number, r.json.number);
  assert.equal(rc.operator.login, "operator.astana");
  assert.equal(rc.at, NOW);
  assert.equal(rc.hand_out_on, "2026-06-08");
  assert.equal(rc.branch.code, BRANCH);
  assert.ok(rc.branch.name.kk && rc.branch.name.ru);
  assert.deepEqual(
    rc.documents.map((d) => d.kind),
    documents,
  );
  for (const d of rc.documents) assert.ok(d.name.kk && d.name.ru, d.kind);
});

test("an incomplete set is refused with a receipt naming each missing document", async () => {
  const r = await apply("operator.astana", "apostille", {
    documents: ["application", "identity"],
  });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, "case.documents_missing");
  assert.equal(r.json.receipt.kind, "refusal");
  assert.deepEqual(
    r.json.receipt.missing.map((d) => d.kind),
    ["official-document", "duty-receipt"],
  );
  for (const d of r.json.receipt.missing) assert.ok(d.name.kk && d.name.ru, d.kind);
  assert.equal(r.json.receipt.operator.login, "operator.astana");
});

test("the same Idempotency-Key answers the same, and makes one case", async () => {
  const body = {
    service: "apostille",
    channel: "psc",
    branch: BRANCH,
    applicant: APPLICANT,
    documents: await requiredDocuments("apostille"),
  };
  const headers = { "Idempotency-Key": "same-key-twice" };
  const a = await as("operator.astana", "POST", "/api/v1/applications", { body, headers });
  const b = await as("operator.astana", "POST", "/api/v1/applications", { body, headers });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.deepEqual(b.json, a.json);
  const c = await as("operator.astana", "POST", "/api/v1/applications", {
    body,
    headers: { "Idempotency-Key": "another-key" },
  });
  assert.equal(c.status, 201);
  assert.notEqual(c.json.id, a.json.id);
});

test("bad applications are 4xx with the field named", async () => {
  const docs = await requiredDocuments("apostille");
  const base = { service: "apostille", channel: "psc", branch: BRANCH, applicant: APPLICANT };
  const cases = [
    [{ ...base }, 422, "json.missing", "documents"],
    [[], 400, "auth.body_object"],
    [{ ...base, documents: docs, note: "x" }, 422, "json.unknown_field", "note"],
    [{ ...base, documents: "application" }, 422, "json.wrong_type", "documents"],
    [{ ...base, documents: [...docs, 7] }, 422, "json.wrong_type", `documents[${docs.length}]`],
    [{ ...base, documents: [""] }, 422, "json.empty", "documents[0]"],
    [{ ...base, documents: Array(33).fill("identity") }, 422, "json.too_many", "documents"],
    [{ ...base, documents: docs, service: "" }, 422, "json.empty", "service"],
    [{ ...base, documents: docs, subject: 7 }, 422, "json.wrong_type", "subject"],
    [{ ...base, documents: docs, payload: [] }, 422, "json.wrong_type", "payload"],
    [{ ...base, documents: docs, bundle: {} }, 422, "json.wrong_type", "bundle"],
    [{ ...base, documents: docs, bundle: Array(5).fill({}) }, 422, "json.too_many", "bundle"],
    [{ ...base, documents: docs, bundle: ["apostille"] }, 422, "json.wrong_type", "bundle[0]"],
    [{ ...base, documents: docs, bundle: [{ service: "apostille" }] }, 422, "json.missing", "bundle[0].documents"],
    [
      { ...base, documents: docs, bundle: [{ service: "apostille", documents: docs, branch: BRANCH }] },
      422,
      "json.unknown_field",
      "bundle[0].branch",
    ],
    [{ ...base, documents: docs, service: "nothing" }, 422, "service.unknown"],
    [{ ...base, documents: [...docs, "photo-of-a-cat"] }, 422, "application.document_unknown"],
    [{ ...base, documents: docs, applicant: "123" }, 422, "case.field_invalid", "applicant"],
    [{ ...base, documents: docs, branch: "psc-mars" }, 422, "routing.branch_unknown", "branch"],
    [{ ...base, documents: docs, branch: "kpssu-astana" }, 422, "routing.not_a_branch"],
    [{ ...base, documents: docs, channel: "portal" }, 422, "service.channel_unavailable"],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await as("operator.astana", "POST", "/api/v1/applications", { body });
    assert.equal(r.status, status, `${code}: ${r.text}`);
    assert.equal(r.json.error.code, code);
    if (field) assert.equal(r.json.error.field, field);
  }
  const anon = await srv.request("POST", "/api/v1/applications", { body: base });
  assert.equal(anon.status, 401);
});

test("a branch in a region where nobody provides the service is a clear 422", async () => {
  const r = await as("operator.tselinograd", "POST", "/api/v1/applications", {
    body: {
      service: "apostille",
      channel: "psc",
      branch: "psc-akmola-tselinograd",
      applicant: APPLICANT,
      documents: await requiredDocuments("apostille"),
    },
  });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, "routing.no_unit");
  assert.match(r.json.error.message, /prosecutor-committee \(KZ-11\)/);
});

test("staff take applications only at their own branch", async () => {
  const r = await apply("operator.tselinograd", "apostille");
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, "case.unit_forbidden");
});

test("an apostille is worked to done, each role taking its first advance action", async () => {
  const r = await apply("operator.astana", "apostille");
  assert.equal(r.status, 201);
  const { c, trail } = await drive(r.json.id);
  assert.equal(c.status, "done");
  assert.equal(c.state, "handed-out");
  assert.deepEqual(trail, [
    "intake:operator.astana:certify",
    `intake.consent:${APPLICANT}:consent`,
    "dispatch:operator.astana:send",
    "register:clerk.kpssu:register",
    "check:executor.kpssu:checked",
    "decide:head.kpssu:apostille",
    "deliver:clerk.kpssu:sent",
    "ready:issuer.astana:hand-out",
  ]);
  assert.equal(c.steps.length, 9);
  for (const s of c.steps) assert.ok(s.role && s.due_at && s.done_at, s.step);
  const actions = c.history.map((e) => e.action).filter((a) => a !== "read");
  assert.deepEqual(actions, [
    "accept",
    "certify",
    "consent",
    "send",
    "register",
    "checked",
    "apostille",
    "sent",
    "hand-out",
  ]);
  assert.deepEqual(c.actions, []);
});

test("a criminal-record certificate is worked to done, in each of its PSC variants", async () => {
  const expected = {
    electronic: "check:executor.kpssu:issue",
    abroad: "check:executor.kpssu:prepare-abroad",
  };
  for (const variant of Object.keys(expected)) {
    const r = await apply("operator.astana", "criminal-record", { variant });
    assert.equal(r.status, 201, r.text);
    const { c, trail } = await drive(r.json.id);
    assert.equal(c.status, "done", variant);
    assert.equal(c.variant, variant);
    assert.equal(trail[2], expected[variant]);
    assert.ok(trail.at(-1).endsWith(":issuer.astana:hand-out"), trail.join(" "));
  }
});

test("every demo service taken at the Astana PSC is worked to done", async () => {
  const services = await srv.request("GET", "/api/v1/services");
  const acceptors = { "district-officer": "officer.esil", "psc-operator": "operator.astana" };
  const options = { "passport-id": { urgency: "general" } };
  for (const s of services.json) {
    if (!s.channels.includes("psc")) continue;
    const std = await srv.request("GET", `/api/v1/services/${s.code}`);
    const role = std.json.standard.channels.psc.accepted_by;
    const r = await apply(acceptors[role], s.code, options[s.code] ?? {});
    assert.equal(r.status, 201, `${s.code}: ${r.text}`);
    const { c, trail } = await drive(r.json.id);
    assert.equal(c.status, "done", `${s.code}: ${trail.join(" ")}`);
  }
});

test("a stale version is 409 and changes nothing", async () => {
  const r = await apply("operator.astana", "apostille");
  const id = r.json.id;
  const c = await client.intake(id);
  const body = { action: "send", version: c.version, data: {} };
  const first = await as("operator.astana", "POST", `/api/v1/applications/${id}/actions`, { body });
  assert.equal(first.status, 200);
  assert.equal(first.json.state, "register");
  const again = await as("operator.astana", "POST", `/api/v1/applications/${id}/actions`, { body });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, "store.stale_version");
  const now = (await as("operator.astana", "GET", `/api/v1/applications/${id}`)).json;
  assert.equal(now.version, c.version + 1);
  assert.equal(now.state, "register");
});

test("a role that may not take the action is 403; bad action bodies are 422", async () => {
  const r = await apply("operator.astana", "apostille");
  const id = r.json.id;
  const path = `/api/v1/applications/${id}/actions`;
  const { version } = await client.intake(id);
  const forbidden = await as("issuer.astana", "POST", path, {
    body: { action: "send", version },
  });
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.json.error.code, "case.role_forbidden");
  const unknown = await as("operator.astana", "POST", path, {
    body: { action: "fly", version },
  });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.error.code, "case.action_unknown");
  const noVersion = await as("operator.astana", "POST", path, { body: { action: "send" } });
  assert.equal(noVersion.status, 422);
  assert.equal(noVersion.json.error.code, "json.missing");
  assert.equal(noVersion.json.error.field, "version");
  const bodies = [
    [{ action: "send", version: "1" }, "json.wrong_type", "version"],
    [{ action: "send", version, data: [] }, "json.wrong_type", "data"],
    [{ action: "send", version, note: "x" }, "json.unknown_field", "note"],
  ];
  for (const [body, code, field] of bodies) {
    const bad = await as("operator.astana", "POST", path, { body });
    assert.equal(bad.status, 422, bad.text);
    assert.equal(bad.json.error.code, code);
    assert.equal(bad.json.error.field, field);
  }
});

test("another unit's staff get 404, as for a case that does not exist", async () => {
  const r = await apply("operator.astana", "apostille");
  const id = r.json.id;
  const hidden = await as("operator.tselinograd", "GET", `/api/v1/applications/${id}`);
  const missing = await as("operator.tselinograd", "GET", "/api/v1/applications/99999999");
  assert.equal(hidden.status, 404);
  assert.equal(missing.status, 404);
  assert.equal(hidden.json.error.code, missing.json.error.code);
  const act = await as("officer.esil", "POST", `/api/v1/applications/${id}/actions`, {
    body: { action: "send", version: 1 },
  });
  assert.equal(act.status, 404);
  for (const bad of ["0", "-1", "abc", "1x"]) {
    const x = await as("operator.astana", "GET", `/api/v1/applications/${bad}`);
    assert.equal(x.status, 404, bad);
  }
});

test("every read by staff is an event of the case; a citizen's is not", async () => {
  const r = await apply("operator.astana", "apostille");
  const id = r.json.id;
  const first = await as("head.astana", "GET", `/api/v1/applications/${id}`);
  const last = first.json.history.at(-1);
  assert.equal(last.action, "read");
  assert.equal(last.actor, "head.astana");
  assert.equal(last.unit, BRANCH);
  assert.equal(first.json.version, 1, "a read changes no version");
  const mine = await as(APPLICANT, "GET", `/api/v1/applications/${id}`);
  assert.equal(mine.status, 200);
  assert.equal(mine.json.history.length, first.json.history.length);
  assert.deepEqual(mine.json.actions, []);
});

test("an applicant sees only the cases they are party to", async () => {
  const own = await apply("operator.astana", "criminal-record");
  const theirs = await apply("operator.astana", "criminal-record", { applicant: OTHER });
  const aboutMe = await apply("operator.astana", "criminal-record", {
    applicant: OTHER,
    subject: APPLICANT,
  });
  for (const r of [own, theirs, aboutMe]) assert.equal(r.status, 201, r.text);
  const see = async (id) => (await as(APPLICANT, "GET", `/api/v1/applications/${id}`)).status;
  assert.equal(await see(own.json.id), 200);
  assert.equal(await see(theirs.json.id), 404);
  assert.equal(await see(aboutMe.json.id), 200);
  const inbox = await as(APPLICANT, "GET", "/api/v1/inbox");
  assert.equal(inbox.status, 403);
  const forOther = await as(APPLICANT, "POST", "/api/v1/applications", {
    body: {
      service: "criminal-record",
      channel: "portal",
      branch: BRANCH,
      applicant: OTHER,
      documents: ["e-request"],
    },
  });
  assert.equal(forOther.status, 403);
  assert.equal(forOther.json.error.code, "application.not_yours");
  const portal = await srv.request("POST", "/api/v1/applications", {
    headers: { Authorization: `Bearer ${client.token(APPLICANT)}` },
    body: {
      service: "criminal-record",
      channel: "portal",
      branch: BRANCH,
      applicant: APPLICANT,
      documents: ["e-request"],
    },
  });
  // Portal applications need the applicant's EDS (signed ones: eds.test.mjs).
  assert.equal(portal.status, 401, portal.text);
  assert.equal(portal.json.error.code, "eds.missing");
});

test("the inbox lists the unit's open steps soonest due first, overdue and at risk", async () => {
  const a = await apply("operator.astana", "apostille");
  const b = await apply("operator.astana", "criminal-record", { variant: "abroad" });
  for (const r of [a, b]) {
    const c = await client.intake(r.json.id);
    if (c.state === "dispatch") {
      const n = await as("operator.astana", "POST", `/api/v1/applications/${c.id}/actions`, {
        body: { action: "send", version: c.version },
      });
      assert.equal(n.status, 200);
    }
  }
  const inbox = await as("clerk.kpssu", "GET", "/api/v1/inbox");
  assert.equal(inbox.status, 200);
  const lines = inbox.json;
  assert.ok(lines.length >= 2);
  const dues = lines.map((l) => Date.parse(l.due_at));
  assert.deepEqual(dues, [...dues].sort((x, y) => x - y), "soonest due first");
  for (const l of lines) {
    assert.equal(l.unit, "kpssu-astana");
    assert.equal(typeof l.overdue, "boolean");
    assert.equal(typeof l.at_risk, "boolean");
  }
  const line = lines.find((l) => l.case === a.json.id);
  assert.ok(line, "the apostille waits to be registered");
  assert.equal(line.step, "register");
  assert.equal(line.role, "provider-clerk");
  assert.equal(line.mine, true);
  assert.equal(line.overdue, false);
  // Registration is due the same day; two days later it is overdue.
  await nextDay();
  await nextDay();
  const later = await as("clerk.kpssu", "GET", "/api/v1/inbox");
  const late = later.json.find((l) => l.case === a.json.id);
  assert.equal(late.overdue, true);
});

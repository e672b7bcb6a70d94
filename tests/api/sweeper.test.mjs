// The sweeper over HTTP: moving the test clock runs the timers that fell due, each
// recorded once as an event on its case ("at-risk", "overdue", "storage-expired"), never
// twice however often the clock moves, and without changing the case's version.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { demoClient } from "./demo-client.mjs";
import { startServer } from "./server.mjs";

// Monday 1 June 2026, 10:00 in Astana (as in applications.test.mjs).
const NOW = "2026-06-01T10:00:00+05:00";
const APPLICANT = "921029350851";
const BRANCH = "psc-astana-1";

let srv;
let client;
let clockNow = new Date(NOW);

before(async () => {
  srv = await startServer(["--clock", `fixed:${NOW}`], { demo: true });
  client = demoClient(srv, NOW);
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

const as = (...args) => client.as(...args);

let keys = 0;
async function applyApostille() {
  const s = await srv.request("GET", "/api/v1/services/apostille");
  assert.equal(s.status, 200);
  const documents = s.json.documents.psc.filter((d) => d.required).map((d) => d.kind);
  const r = await as("operator.astana", "POST", "/api/v1/applications", {
    body: { service: "apostille", channel: "psc", branch: BRANCH, applicant: APPLICANT, documents, payload: {} },
    headers: { "Idempotency-Key": `sweeper-test-${++keys}` },
  });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// Moves the clock to `to` (a Date); returns the answer.
async function moveClock(to) {
  clockNow = to;
  const r = await as("admin", "POST", "/api/v1/admin/clock", {
    body: { set: to.toISOString().replace(/\.\d+Z$/, "Z") },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(Date.parse(r.json.now), to.getTime() - (to.getTime() % 1000));
  return r.json;
}

async function getCase(id, login = "operator.astana") {
  const r = await as(login, "GET", `/api/v1/applications/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const timerEvents = (c, action) => c.history.filter((e) => e.action === action);

test("a step in its last quarter is at risk, then overdue, each recorded once", async () => {
  const id = await applyApostille();
  const c = await getCase(id);
  const open = c.steps.find((s) => !s.done_at);
  assert.ok(open && open.due_at, "the first step is open with a due time");
  const started = Date.parse(open.started_at);
  const due = Date.parse(open.due_at);
  assert.ok(due > started);

  // A minute into its last quarter: at risk, not overdue.
  let r = await moveClock(new Date(due - Math.floor((due - started) / 4) + 60 * 1000));
  assert.deepEqual(r.swept, { overdue: 0, at_risk: 1, storage: 0, expired: 0 });

  // Past its due time: overdue.
  r = await moveClock(new Date(due + 60 * 1000));
  assert.deepEqual(r.swept, { overdue: 1, at_risk: 0, storage: 0, expired: 0 });
  let after = await getCase(id);
  assert.equal(after.version, c.version, "timers do not change the case's version");
  const overdue = timerEvents(after, "overdue");
  assert.equal(overdue.length, 1);
  assert.equal(overdue[0].data.step, open.step);
  assert.equal(Date.parse(overdue[0].data.due_at), due);
  assert.equal(overdue[0].actor, "sweeper");
  assert.equal(overdue[0].role, "system");
  assert.equal(timerEvents(after, "at-risk").length, 1);

  // Moving the clock again records nothing twice.
  r = await moveClock(new Date(due + 24 * 3600 * 1000));
  assert.deepEqual(r.swept, { overdue: 0, at_risk: 0, storage: 0, expired: 0 });
  after = await getCase(id);
  assert.equal(timerEvents(after, "overdue").length, 1);
  assert.equal(timerEvents(after, "at-risk").length, 1);
});

test("a result kept at the PSC longer than its storage term is flagged once", async () => {
  const id = await applyApostille();
  const first = await getCase(id);
  const units = new Set(first.units.map((u) => u.code));
  const staff = srv.demo.users
    .filter((u) => (u.unit && units.has(u.unit)) || u.role === "applicant")
    .map((u) => u.login);
  let c = first;
  for (let round = 0; round < 60 && c.status !== "ready"; round++) {
    let acted = false;
    for (const login of staff) {
      c = await getCase(id, login);
      if (c.status === "ready") break;
      const a = c.actions.find((x) => x.kind === "advance");
      if (!a) continue;
      const data = {};
      for (const f of a.fields || [])
        if (f.required)
          data[f.name] = f.values ? f.values[0] : { text: "recorded by the API test", date: "2026-12-01", bool: true, int: 1, iin: APPLICANT }[f.type];
      const n = await as(login, "POST", `/api/v1/applications/${id}/actions`, {
        body: { action: a.name, version: c.version, data },
      });
      assert.equal(n.status, 200, `${login} ${c.state}/${a.name}: ${n.text}`);
      acted = true;
      break;
    }
    if (!acted && c.status !== "ready") await moveClock(new Date(clockNow.getTime() + 24 * 3600 * 1000));
  }
  assert.equal(c.status, "ready", "the apostille waits to be handed out");
  const ready = c.steps.find((s) => !s.done_at);
  // Apostille: one month at the PSC (catalog/services/apostille.json, storage).
  const end = new Date(Date.parse(ready.started_at));
  end.setUTCMonth(end.getUTCMonth() + 1);
  let r = await moveClock(new Date(end.getTime() + 3600 * 1000));
  assert.equal(r.swept.storage, 1);
  r = await moveClock(new Date(end.getTime() + 2 * 3600 * 1000));
  assert.equal(r.swept.storage, 0);
  const after = await getCase(id);
  const expired = timerEvents(after, "storage-expired");
  assert.equal(expired.length, 1);
  assert.equal(expired[0].data.step, ready.step);
});

test("a consent not given by its due ends the case once, told to the applicant", async () => {
  const id = await applyApostille();
  let c = await getCase(id);
  const certify = await as("operator.astana", "POST", `/api/v1/applications/${id}/actions`, {
    body: { action: "certify", version: c.version },
  });
  assert.equal(certify.status, 200, certify.text);
  c = certify.json;
  assert.equal(c.state, "intake.consent");
  const consent = c.steps.find((s) => !s.done_at);
  assert.equal(consent.role, "applicant");
  // The consent is asked at the desk: it is due at the PSC's close that day.
  const due = Date.parse(consent.due_at);
  let r = await moveClock(new Date(Math.max(clockNow.getTime(), due - 60 * 1000)));
  assert.equal(r.swept.expired, 0, "not before its due");
  r = await moveClock(new Date(due + 60 * 1000));
  assert.equal(r.swept.expired, 1);
  r = await moveClock(new Date(due + 2 * 60 * 1000));
  assert.equal(r.swept.expired, 0, "once");
  const after = await getCase(id);
  assert.equal(after.status, "withdrawn");
  assert.equal(after.state, "intake.lapsed");
  assert.equal(after.version, c.version + 1, "the lapse is a change of the case");
  const lapse = after.history.filter((e) => e.action === "lapse");
  assert.equal(lapse.length, 1);
  assert.equal(lapse[0].actor, "sweeper");
  const told = srv.outbox(APPLICANT).filter((m) => m.text.includes(after.number));
  assert.ok(told.some((m) => /кері қайтарылды/.test(m.text)), JSON.stringify(told));
});

// The sweeper over HTTP: moving the test clock runs the timers that fell due, each
// recorded once as an event on its case ("at-risk", "overdue"), never twice however often
// the clock moves, and without changing the case's version; and it takes the timeout
// actions of steps whose due has passed (a result returned as unclaimed, then filed; a
// consent that lapsed), each a change of the case told to its persons.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDemo, stopDemo } from "./demo-client.mjs";

// Monday 1 June 2026, 10:00 in Astana (as in applications.test.mjs).
const NOW = "2026-06-01T10:00:00+05:00";
const APPLICANT = "921029350851";
const BRANCH = "psc-astana-1";

let srv;
let client;
let clockNow = new Date(NOW);

before(async () => ({ srv, cl: client } = await startDemo(NOW)));
after(() => stopDemo(srv));

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
  assert.deepEqual(r.swept, { overdue: 0, at_risk: 1, expired: 0 });

  // Past its due time: overdue.
  r = await moveClock(new Date(due + 60 * 1000));
  assert.deepEqual(r.swept, { overdue: 1, at_risk: 0, expired: 0 });
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
  assert.deepEqual(r.swept, { overdue: 0, at_risk: 0, expired: 0 });
  after = await getCase(id);
  assert.equal(timerEvents(after, "overdue").length, 1);
  assert.equal(timerEvents(after, "at-risk").length, 1);
});

// Works case `id` along its advance actions, as whoever of its units may act, moving the
// clock a day when nobody can, until its result is ready; returns the case.
async function toReady(id) {
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
  return c;
}

// The same local time `n` calendar months after instant t (Astana keeps UTC+5 all year,
// and the days used here exist in every month).
function monthsAfter(t, n) {
  const d = new Date(t);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d;
}

async function act(login, id, action) {
  const c = await getCase(id, login);
  assert.ok(c.actions.some((a) => a.name === action), `${login} may ${action} at ${c.state}`);
  const r = await as(login, "POST", `/api/v1/applications/${id}/actions`, {
    body: { action, version: c.version, data: {} },
  });
  assert.equal(r.status, 200, `${login} ${c.state}/${action}: ${r.text}`);
  return r.json;
}

test("an uncollected result is returned to the provider after its month, then filed; or sent back on request", async () => {
  const filed = await applyApostille();
  const recalled = await applyApostille();
  await toReady(filed);
  const ready = await toReady(recalled);
  const readyStep = (c) => c.steps.find((s) => !s.done_at);
  // Apostille: one month at the PSC (catalog/services/apostille.json, the ready step's term).
  const a = readyStep(await getCase(filed));
  const b = readyStep(ready);
  for (const s of [a, b]) assert.equal(Date.parse(s.due_at), monthsAfter(Date.parse(s.started_at), 1).getTime());
  const last = Math.max(Date.parse(a.due_at), Date.parse(b.due_at));
  let r = await moveClock(new Date(Math.min(Date.parse(a.due_at), Date.parse(b.due_at)) - 60 * 1000));
  assert.equal(r.swept.expired, 0, "kept until the month ends");
  assert.equal((await getCase(filed)).state, "ready");
  r = await moveClock(new Date(last + 60 * 1000));
  assert.ok(r.swept.expired >= 1, JSON.stringify(r));

  for (const id of [filed, recalled]) {
    const c = await getCase(id);
    assert.equal(c.state, "unclaimed", "returned to the provider");
    assert.equal(c.status, "ready", "still to be had, at the provider");
    const moved = c.history.filter((e) => e.action === "return");
    assert.equal(moved.length, 1);
    assert.equal(moved[0].actor, "sweeper");
    assert.equal(moved[0].from, "ready");
    assert.equal(moved[0].to, "unclaimed");
    const kept = readyStep(c);
    assert.equal(kept.role, "provider-clerk");
    // Two more months at the Committee (storage.provider_months).
    assert.equal(Date.parse(kept.due_at), monthsAfter(Date.parse(kept.started_at), 2).getTime());
    const told = srv.outbox(APPLICANT).filter((m) => m.text.includes(c.number));
    assert.ok(told.some((m) => /талап етілмеген/.test(m.text)), JSON.stringify(told));
  }
  r = await moveClock(new Date(last + 2 * 60 * 1000));
  assert.equal(r.swept.expired, 0, "once");

  // The applicant comes: the PSC asks for it, the Committee sends it back within 1 WD.
  let c = await act("issuer.astana", recalled, "recall");
  assert.equal(c.state, "unclaimed.recalled");
  c = await act("clerk.kpssu", recalled, "send-back");
  assert.equal(c.state, "ready");
  assert.equal(c.status, "ready");
  const back = srv.outbox(APPLICANT).filter((m) => m.text.includes(c.number) && /беруге дайын/.test(m.text));
  assert.ok(back.length >= 2, "told it is ready, then ready again: " + JSON.stringify(back));
  c = await act("issuer.astana", recalled, "hand-out");
  assert.equal(c.status, "done");

  // Nobody came for the other: filed when the provider's two months end.
  const kept = readyStep(await getCase(filed));
  r = await moveClock(new Date(Date.parse(kept.due_at) + 60 * 1000));
  assert.ok(r.swept.expired >= 1, JSON.stringify(r));
  c = await getCase(filed);
  assert.equal(c.state, "unclaimed.filed");
  assert.equal(c.status, "done");
  const file = c.history.filter((e) => e.action === "file");
  assert.equal(file.length, 1);
  assert.equal(file[0].actor, "sweeper");
  const told = srv.outbox(APPLICANT).filter((m) => m.text.includes(c.number));
  assert.match(told.at(-1).text, /номенклатуралық іске тігілді/);
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
  assert.ok(told.some((m) => /мерзімінде берілмеді: өтініш/.test(m.text)), JSON.stringify(told));
});

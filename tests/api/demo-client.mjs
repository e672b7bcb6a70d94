// tests/api/demo-client.mjs — a client of a demo server for the API tests: requests as a
// demo user (signing in as needed), applications taken at the Astana PSC, and a case
// worked step by step by the staff of its units.
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";

export const APPLICANT = "921029350851"; // the demo applicant (catalog/demo/persons.json), kk
export const OTHER = "850315423272"; // another demo person, with a phone, ru, no account
export const BRANCH = "psc-astana-1";
const ENDED = ["done", "refused", "withdrawn"];

// A demo server whose clock stands at `now` (the admin moves it), and a client of it.
export async function startDemo(now) {
  const srv = await startServer(["--clock", `fixed:${now}`], { demo: true });
  return { srv, cl: demoClient(srv, now) };
}

// Stops a demo server: it finishes the requests in flight and exits 0.
export async function stopDemo(srv) {
  assert.equal(await srv.stop(), 0);
}

export function demoClient(srv, now) {
  const tokens = new Map();
  const trails = new Map(); // case id -> ["state:login:action", …]
  let clockNow = new Date(now);
  let keys = 0;

  function user(login) {
    const u = srv.demo.users.find((x) => x.login === login);
    assert.ok(u, `a demo user ${login}`);
    return u;
  }

  async function signIn(u) {
    const body =
      u.role === "applicant"
        ? { iin: u.login, password: u.password }
        : { login: u.login, password: u.password };
    const r = await srv.request("POST", "/api/v1/sessions", { body });
    assert.equal(r.status, 201, `${u.login} signs in: ${r.text}`);
    return r.json.token;
  }

  // A request as the demo user `login` (signing in again when the session has ended).
  async function as(login, method, path, { body, headers = {} } = {}) {
    const u = user(login);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!tokens.has(login)) tokens.set(login, await signIn(u));
      const r = await srv.request(method, path, {
        body,
        headers: { Authorization: `Bearer ${tokens.get(login)}`, ...headers },
      });
      if (r.status !== 401) return r;
      tokens.delete(login);
    }
    throw new Error(`${login} cannot stay signed in`);
  }

  // A request as person `iin`, signed in by the one-time password sent to their phone
  // (read from the outbox); the session is kept as the demo users' are.
  async function signInByOtp(iin) {
    const sent = await srv.request("POST", "/api/v1/otp", { body: { iin } });
    assert.equal(sent.status, 202, sent.text);
    const code = srv.outbox(iin).at(-1).text.match(/\b\d{6}\b/);
    assert.ok(code, `a one-time password reached ${iin}`);
    const s = await srv.request("POST", "/api/v1/sessions", { body: { iin, otp: code[0] } });
    assert.equal(s.status, 201, s.text);
    return s.json.token;
  }

  async function asPerson(iin, method, path, { body, headers = {} } = {}) {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!tokens.has(iin)) tokens.set(iin, await signInByOtp(iin));
      const r = await srv.request(method, path, {
        body,
        headers: { Authorization: `Bearer ${tokens.get(iin)}`, ...headers },
      });
      if (r.status !== 401) return r;
      tokens.delete(iin);
    }
    throw new Error(`${iin} cannot stay signed in`);
  }

  async function requiredDocuments(service, channel = "psc") {
    const r = await srv.request("GET", `/api/v1/services/${service}`);
    assert.equal(r.status, 200);
    return r.json.documents[channel].filter((d) => d.required).map((d) => d.kind);
  }

  // An application taken by `login` at the Astana PSC.
  async function apply(login, service, extra = {}) {
    const body = {
      service,
      channel: "psc",
      branch: BRANCH,
      applicant: APPLICANT,
      documents: await requiredDocuments(service),
      payload: {},
      ...extra,
    };
    return as(login, "POST", "/api/v1/applications", {
      body,
      headers: { "Idempotency-Key": `demo-client-${++keys}` },
    });
  }

  // Valid values for the required fields of an action on case `c`; a staff field names
  // the first demo user of its role in the case's units.
  function fill(fields = [], c = { units: [] }) {
    const byType = { text: "recorded by the API test", date: "2026-12-01", bool: true, int: 1 };
    const units = new Set(c.units.map((u) => u.code));
    const staff = (role) => srv.demo.users.find((u) => u.role === role && units.has(u.unit));
    const data = {};
    for (const f of fields) {
      if (!f.required) continue;
      if (f.type === "staff") data[f.name] = staff(f.role).login;
      else data[f.name] = f.values ? f.values[0] : f.type === "iin" ? APPLICANT : byType[f.type];
    }
    return data;
  }

  async function nextDay() {
    clockNow = new Date(clockNow.getTime() + 24 * 3600 * 1000);
    const r = await as("admin", "POST", "/api/v1/admin/clock", {
      body: { set: clockNow.toISOString().replace(/\.\d+Z$/, "Z") },
    });
    assert.equal(r.status, 200, r.text);
  }

  // One step of case `id`: the first staff member of its units — or the demo applicant,
  // whose consent some steps ask — offered an action that `pick` chooses takes it.
  // Returns the new case, or null when the case ended or nobody was offered one.
  async function step(id, pick = (c) => c.actions.find((x) => x.kind === "advance")) {
    const first = await as("operator.astana", "GET", `/api/v1/applications/${id}`);
    assert.equal(first.status, 200);
    if (ENDED.includes(first.json.status)) return null;
    const units = new Set(first.json.units.map((u) => u.code));
    // Those of the open step's role and unit first: usually they are the ones to act.
    const open = first.json.steps.find((s) => !s.done_at);
    const likely = (u) => open && u.role === open.role && (!u.unit || u.unit === open.unit);
    const staff = srv.demo.users
      .filter((u) => (u.unit && units.has(u.unit)) || u.role === "applicant")
      .sort((a, b) => likely(b) - likely(a))
      .map((u) => u.login);
    for (const login of staff) {
      const r = await as(login, "GET", `/api/v1/applications/${id}`);
      const c = r.json;
      const a = pick(c);
      if (!a) continue;
      const n = await as(login, "POST", `/api/v1/applications/${id}/actions`, {
        body: { action: a.name, version: c.version, data: fill(a.fields, c) },
      });
      assert.equal(n.status, 200, `${login} ${c.state}/${a.name}: ${n.text}`);
      assert.equal(n.json.version, c.version + 1);
      if (!trails.has(id)) trails.set(id, []);
      trails.get(id).push(`${c.state}:${login}:${a.name}`);
      return n.json;
    }
    return null;
  }

  // Case `id`, just taken at the desk, through its intake: the operator certifies it
  // and the demo applicant consents (seed 002 item 8). Returns the case at the provider.
  async function intake(id) {
    const certified = await step(id);
    assert.equal(certified.state, "intake.consent");
    const consented = await step(id);
    assert.ok(!consented.state.startsWith("intake"), consented.state);
    return consented;
  }

  // Works case `id` until `until(case)` holds (default: it ended); returns the case.
  async function drive(id, until = (c) => ENDED.includes(c.status)) {
    for (let round = 0; round < 60; round++) {
      const c = await step(id);
      if (c && until(c)) return c;
      if (!c) {
        const now = (await as("operator.astana", "GET", `/api/v1/applications/${id}`)).json;
        if (until(now)) return now;
        if (ENDED.includes(now.status)) throw new Error(`case ${id} ended as ${now.status}`);
        await nextDay();
      }
    }
    throw new Error(`case ${id} did not get there`);
  }

  // Who did what on case `id`, in order: "state:login:action".
  const trail = (id) => trails.get(id) || [];
  const token = (login) => tokens.get(login);

  return {
    as,
    asPerson,
    apply,
    step,
    intake,
    drive,
    trail,
    nextDay,
    token,
    user,
    requiredDocuments,
  };
}

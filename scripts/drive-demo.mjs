// scripts/drive-demo(.mjs) — drives one application of every service (or of those named) to `done`
// on a demo server, knowing only the public contract (docs/api.md).
//
//   scripts/drive-demo --url http://127.0.0.1:8080 --logins var/demo-logins.jsonl [--service CODE]…
//                      [--contract-only]
//
// What it knows: the JSON lines `qyzmet init --demo` printed (units with their kind, users
// with login, password, role and unit), and the contract's endpoints: sessions, services,
// applications, a case's `actions` (kinds and fields with their types), actions posted with
// the case's version, and the admin's clock (`POST /api/v1/admin/clock`, on a server started
// with `--clock`).
//
// What it does not know: which role acts on which step, any service's workflow or states,
// the catalogue. For each service it files an application at the first PSC branch that
// takes it (as that branch's psc-operator; on the portal as the applicant when the service
// has no PSC channel).
//
// Two things the contract does not say, which filing needs (each use is printed on stderr
// as "beyond the contract", and --contract-only turns both off, so those services fail):
// - who may file: when the server refuses the psc-operator's role (403), the other demo
//   users try in turn, as they do for a case's actions;
// - the application's options (docs/api.md: department, urgency, variant): when the server
//   answers 422 term.option_needed, the first value the service's standard lists for the
//   option it names (GET /api/v1/services/CODE, `standard`) is sent.
//
// Then, over and over, it asks every demo user for the case and lets the
// first user offered an `advance` action take it, filling the required fields by their type;
// when nobody is offered one, the admin moves the clock a day forward. It stops at `done`
// (success), at `refused` or `withdrawn`, or after a bound of rounds (failure).
//
// Prints one line per service, `CODE done in N actions, M clock moves` or `CODE FAILED:
// reason`; exits 0 only when every service reached `done` (1 otherwise, 2 on bad usage).
import { readFileSync } from "node:fs";

const ENDED = ["done", "refused", "withdrawn"];
const MAX_ACTIONS = 100; // advance actions taken on one case before giving up
const MAX_CLOCK_MOVES = 60; // days the clock may move for one case before giving up
const DAY_MS = 24 * 3600 * 1000;

function usage(message) {
  if (message) process.stderr.write(`drive-demo: ${message}\n`);
  process.stderr.write(
    "usage: scripts/drive-demo --url http://127.0.0.1:8080 --logins FILE [--service CODE]… [--contract-only]\n",
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { url: undefined, logins: undefined, services: [], contractOnly: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--contract-only") {
      opts.contractOnly = true;
      continue;
    }
    const value = argv[i + 1];
    if (!["--url", "--logins", "--service"].includes(argv[i])) usage(`unknown argument ${argv[i]}`);
    if (value === undefined) usage(`${argv[i]} needs a value`);
    if (argv[i] === "--url") opts.url = value.replace(/\/+$/, "");
    else if (argv[i] === "--logins") opts.logins = value;
    else opts.services.push(value);
    i++;
  }
  if (!opts.url || !opts.logins) usage("--url and --logins are required");
  return opts;
}

// The units and users of `qyzmet init --demo`'s output.
function readLogins(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    usage(`cannot read ${file}: ${e.message}`);
  }
  const lines = text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  const units = lines.filter((l) => l.unit && l.kind);
  const users = lines.filter((l) => l.login && l.password);
  const applicant = users.find((u) => u.role === "applicant");
  if (!applicant) usage(`${file} names no user with the role applicant`);
  if (!users.some((u) => u.role === "admin")) usage(`${file} names no admin`);
  return { units, users, applicant };
}

// ---- the HTTP client: requests as a demo user, and the server's time as last seen ----

function client(base) {
  const tokens = new Map();
  // The server's time: the latest instant it printed (a case's history — reading a case is
  // itself an event —, the clock's answer); before any, the Date header, which is the
  // system's time and not the server's clock when it runs with --clock.
  let serverNow = 0; // ms since the epoch
  let dateHeader = 0;
  let offset = "+05:00"; // the offset the server prints its instants with

  function sawInstant(text) {
    const t = Date.parse(text);
    if (Number.isNaN(t)) return;
    serverNow = Math.max(serverNow, t);
    const m = /([+-]\d\d:\d\d)$/.exec(text);
    if (m) offset = m[1];
  }

  async function request(method, path, { body, token, headers = {} } = {}) {
    const init = { method, headers: { ...headers } };
    if (token) init.headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["Content-Type"] = "application/json";
    }
    const r = await fetch(base + path, init);
    const text = await r.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const date = r.headers.get("date");
    if (date && !Number.isNaN(Date.parse(date))) dateHeader = Date.parse(date);
    return { status: r.status, json, text };
  }

  // Staff sign in with their login, the applicant with the IIN (its login) and password.
  async function signIn(user) {
    const body =
      user.role === "applicant"
        ? { iin: user.login, password: user.password }
        : { login: user.login, password: user.password };
    const r = await request("POST", "/api/v1/sessions", { body });
    if (r.status !== 201) throw new Error(`${user.login} cannot sign in: ${r.status} ${r.text}`);
    return r.json.token;
  }

  // A request as `user`, signing in again once when the session has ended.
  async function as(user, method, path, options = {}) {
    let r;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!tokens.has(user.login)) tokens.set(user.login, await signIn(user));
      r = await request(method, path, { ...options, token: tokens.get(user.login) });
      if (r.status !== 401 || errorCode(r).startsWith("eds.")) return r;
      tokens.delete(user.login);
    }
    return r;
  }

  return {
    request,
    as,
    sawInstant,
    now: () => serverNow || dateHeader,
    offset: () => offset,
  };
}

function errorCode(r) {
  return (r.json && r.json.error && r.json.error.code) || "";
}

function describe(r) {
  return `${r.status} ${errorCode(r) || r.text.slice(0, 200)}`;
}

// The server's date today (YYYY-MM-DD) at the offset it prints its instants with.
function today(api) {
  const m = /^([+-])(\d\d):(\d\d)$/.exec(api.offset());
  const shift = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60000 : 0;
  return new Date(api.now() + shift).toISOString().slice(0, 10);
}

// ---- filing an application ----

async function requiredDocuments(api, code, channel) {
  const r = await api.request("GET", `/api/v1/services/${code}`);
  if (r.status !== 200) throw new Error(`GET /api/v1/services/${code}: ${describe(r)}`);
  const docs = (r.json.documents && r.json.documents[channel]) || [];
  return docs.filter((d) => d.required).map((d) => d.kind);
}

let keys = 0;
function idempotencyKey(code) {
  return `drive-demo-${process.pid}-${Date.now()}-${code}-${++keys}`;
}

async function post(api, user, body) {
  return api.as(user, "POST", "/api/v1/applications", {
    body,
    headers: { "Idempotency-Key": idempotencyKey(body.service) },
  });
}

// The values the standard lists for an option of the application the server says it needs
// (422 term.option_needed, `field` naming it). Beyond the contract: the contract's
// application body names no such options; docs/api.md adds department, urgency and variant.
function optionValues(standard, field) {
  if (field === "department") return ["regional", "other"];
  const list = standard && (standard[`${field.replace(/y$/, "ie")}s`] || standard[`${field}s`]);
  return Array.isArray(list) ? list.map((v) => (typeof v === "object" ? v.code : v)) : [];
}

// Files `body` as `user`, adding an option the server asks for (unless contract-only).
async function attempt(api, ctx, user, body) {
  for (let tries = 0; tries < 4; tries++) {
    const r = await post(api, user, body);
    const field = r.json && r.json.error && r.json.error.field;
    if (r.status !== 422 || errorCode(r) !== "term.option_needed" || ctx.contractOnly) return r;
    const value = optionValues(ctx.standard, field)[0];
    if (value === undefined || field in body) return r;
    ctx.notes.add(`the server needs \`${field}\`, which the contract does not name; sent "${value}"`);
    body = { ...body, [field]: value };
  }
  return post(api, user, body);
}

// Who files at `branch`: its psc-operator; unless contract-only, when the server refuses
// that role (403), every other demo user in the order of the logins file.
function filers(demo, branch, contractOnly) {
  const operators = demo.users.filter((u) => u.role === "psc-operator");
  const first = operators.find((u) => u.unit === branch.unit) || operators[0];
  const others = demo.users.filter((u) => u !== first && u.role !== "applicant");
  return [first, ...(contractOnly ? [] : others)].filter(Boolean);
}

async function fileAtPsc(api, demo, ctx, base) {
  const documents = await requiredDocuments(api, base.service, "psc");
  const refusals = [];
  for (const branch of demo.units.filter((u) => u.kind === "psc")) {
    const tried = [];
    for (const user of filers(demo, branch, ctx.contractOnly)) {
      const r = await attempt(api, ctx, user, { ...base, channel: "psc", branch: branch.unit, documents });
      if (r.status === 201) {
        if (tried.length)
          ctx.notes.add(
            `filed at ${branch.unit} by ${user.login} (${user.role}) after ${tried.length} demo users were refused, first ${tried[0]}`,
          );
        return { id: r.json.id };
      }
      tried.push(`${user.login} ${describe(r)}`);
      if (r.status !== 403) break; // not a matter of who files: try the next branch
    }
    refusals.push(`${branch.unit}: ${tried.join(", ") || "no psc-operator among the demo users"}`);
  }
  return { failure: `no PSC branch took the application: ${refusals.join("; ") || "no PSC units"}` };
}

async function fileOnPortal(api, demo, ctx, base) {
  const documents = await requiredDocuments(api, base.service, "portal");
  const r = await attempt(api, ctx, demo.applicant, { ...base, channel: "portal", documents });
  if (r.status === 201) return { id: r.json.id };
  if ((r.status === 401 || r.status === 403) && errorCode(r).startsWith("eds."))
    return { failure: `needs EDS (the portal answered ${describe(r)})` };
  return { failure: `the portal refused the application: ${describe(r)}` };
}

// Files an application for `service` (an entry of GET /api/v1/services): at a PSC, or on
// the portal when the service has no PSC channel. Returns { id } or { failure }.
async function fileApplication(api, demo, ctx, service) {
  const channels = service.channels || [];
  const base = { service: service.code, applicant: demo.applicant.login, payload: {} };
  if (channels.includes("psc")) return fileAtPsc(api, demo, ctx, base);
  if (channels.includes("portal")) return fileOnPortal(api, demo, ctx, base);
  return { failure: `no psc or portal channel (channels: ${channels.join(", ")})` };
}

// ---- working a case ----

// A valid value for a required field of case `c`, by its type; undefined when the script
// may not invent one (a refusal's ground).
function valueFor(field, c, api, demo) {
  switch (field.type) {
    case "staff": {
      // a demo user of the field's role in one of the case's units
      const units = new Set((c.units || []).map((u) => u.code));
      const u = demo.users.find((x) => x.role === field.role && units.has(x.unit));
      return u ? u.login : undefined;
    }
    case "outcome":
      return "clear";
    case "text":
      return "recorded by scripts/drive-demo";
    case "date":
      return today(api);
    case "bool":
      return true;
    case "int":
      return 1;
    case "iin":
      return demo.applicant.login;
    case "choice":
      return field.values && field.values.length ? field.values[0] : undefined;
    default:
      return undefined; // ground, or a type this script does not know
  }
}

// The data for `action`, or undefined when a required field cannot be filled.
function fill(action, c, api, demo) {
  const data = {};
  for (const f of action.fields || []) {
    if (!f.required) continue;
    const v = valueFor(f, c, api, demo);
    if (v === undefined) return undefined;
    data[f.name] = v;
  }
  return data;
}

// The first `advance` action of the case whose required fields can be filled.
function firstAdvance(c, api, demo) {
  for (const a of c.actions || []) {
    if (a.kind !== "advance") continue;
    const data = fill(a, c, api, demo);
    if (data) return { action: a, data };
  }
  return undefined;
}

function sawCase(api, c) {
  for (const h of c.history || []) if (h.at) api.sawInstant(h.at);
  if (c.accepted_at) api.sawInstant(c.accepted_at);
}

function actionList(c) {
  return (c.actions || []).map((a) => `${a.name}/${a.kind}`).join(", ") || "none";
}

// One round: every demo user looks at the case; the first offered an advance action that
// it can fill takes it. Returns { acted: true }, { ended: case }, or { acted: false, seen }
// where `seen` says which user saw which actions.
async function round(api, demo, id, problems) {
  const seen = [];
  let state;
  for (const user of demo.users) {
    const r = await api.as(user, "GET", `/api/v1/applications/${id}`);
    if (r.status === 404 || r.status === 403) continue; // this user may not see the case
    if (r.status !== 200) {
      problems.add(`${user.login} GET: ${describe(r)}`);
      continue;
    }
    const c = r.json;
    sawCase(api, c);
    state = `${c.state} (${c.status})`;
    if (ENDED.includes(c.status)) return { ended: c };
    seen.push(`${user.login} [${user.role}]: ${actionList(c)}`);
    const pick = firstAdvance(c, api, demo);
    if (!pick) continue;
    const n = await api.as(user, "POST", `/api/v1/applications/${id}/actions`, {
      body: { action: pick.action.name, version: c.version, data: pick.data },
    });
    if (n.status === 200) {
      sawCase(api, n.json);
      return { acted: true };
    }
    if (n.status === 409) return { acted: false, retry: true }; // stale version: look again
    problems.add(`${user.login} ${c.state}/${pick.action.name}: ${describe(n)}`);
  }
  return { acted: false, state, seen };
}

// Moves the server's clock a day past the latest time seen, as the admin.
async function moveClock(api, demo) {
  const admin = demo.users.find((u) => u.role === "admin");
  const set = new Date(api.now() + DAY_MS).toISOString().replace(/\.\d+Z$/, "Z");
  const r = await api.as(admin, "POST", "/api/v1/admin/clock", { body: { set } });
  if (r.status !== 200) throw new Error(`the admin cannot move the clock to ${set}: ${describe(r)}`);
  if (r.json && r.json.now) api.sawInstant(r.json.now);
}

// Drives case `id` until it ends; { actions, moves } or { failure }.
async function driveCase(api, demo, id) {
  let actions = 0;
  let moves = 0;
  const problems = new Set();
  for (;;) {
    const r = await round(api, demo, id, problems);
    const why = problems.size ? `; errors: ${[...problems].join("; ")}` : "";
    if (r.ended) {
      if (r.ended.status === "done") return { actions, moves };
      return { failure: `case ${id} ended ${r.ended.status} in state ${r.ended.state}${why}` };
    }
    if (r.retry) continue;
    if (r.acted) {
      if (++actions > MAX_ACTIONS)
        return { failure: `case ${id} still open after ${MAX_ACTIONS} actions${why}` };
      continue;
    }
    if (r.state === undefined) return { failure: `no demo user can see case ${id}${why}` };
    if (moves >= MAX_CLOCK_MOVES) {
      return {
        failure: `case ${id} stuck in state ${r.state} after ${actions} actions and ${moves} clock moves; the users who see it were offered: ${r.seen.join("; ")}${why}`,
      };
    }
    await moveClock(api, demo);
    moves++;
  }
}

async function driveService(api, demo, opts, service) {
  const std = await api.request("GET", `/api/v1/services/${service.code}`);
  const ctx = { contractOnly: opts.contractOnly, standard: std.json && std.json.standard, notes: new Set() };
  const filed = await fileApplication(api, demo, ctx, service);
  for (const note of ctx.notes) process.stderr.write(`${service.code}: beyond the contract: ${note}\n`);
  if (filed.failure) return `${service.code} FAILED: ${filed.failure}`;
  const r = await driveCase(api, demo, filed.id);
  if (r.failure) return `${service.code} FAILED: ${r.failure}`;
  return `${service.code} done in ${r.actions} actions, ${r.moves} clock moves`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const demo = readLogins(opts.logins);
  const api = client(opts.url);
  const list = await api.request("GET", "/api/v1/services");
  if (list.status !== 200 || !Array.isArray(list.json))
    throw new Error(`GET /api/v1/services: ${describe(list)}`);
  let services = list.json;
  if (opts.services.length) {
    const unknown = opts.services.filter((c) => !services.some((s) => s.code === c));
    if (unknown.length) usage(`unknown service ${unknown.join(", ")}`);
    services = services.filter((s) => opts.services.includes(s.code));
  }
  let ok = true;
  for (const service of services) {
    let line;
    try {
      line = await driveService(api, demo, opts, service);
    } catch (e) {
      line = `${service.code} FAILED: ${e.message}`;
    }
    if (!/ done in /.test(line)) ok = false;
    console.log(line);
  }
  process.exitCode = ok ? 0 : 1;
}

main().catch((e) => {
  process.stderr.write(`drive-demo: ${e.message}\n`);
  process.exitCode = 1;
});

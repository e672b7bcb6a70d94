// Every kind of path the catalogue defines, over HTTP, for each of the ten services taken
// at the PSC (in each of its variants): the normal path to its end, and, for every action
// met on the way other than the one taken there — a refusal proposed, a hearing that
// refuses, an extension, an interim answer, a return, consent declined … — and for every
// check recorded as a "hit" instead of "clear", a new case that takes that branch at that
// point and then goes on by "advance" actions to its end. Each path ends as the catalogue
// says (done, refused or withdrawn), with every step it went through given a due time and
// an end, and every action in the case's history.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDemo, stopDemo } from "./demo-client.mjs";

const NOW = "2026-06-01T10:00:00+05:00";
const ENDED = ["done", "refused", "withdrawn"];
const ACCEPTORS = { "district-officer": "officer.esil", "psc-operator": "operator.astana" };
let srv, cl;

before(async () => ({ srv, cl } = await startDemo(NOW)));
after(() => stopDemo(srv));

// The branches a case offers its actor at state c.state that the walk has not taken yet:
// each non-first action, and the first advance with its checks found ("hit").
function branches(c, seen) {
  const out = [];
  const first = c.actions.find((a) => a.kind === "advance");
  for (const a of c.actions) {
    const hits = (a.fields || []).some((f) => f.type === "outcome");
    const ways = a === first ? (hits ? [true] : []) : hits ? [false, true] : [false];
    for (const hit of ways) {
      const key = `${c.state}/${a.name}${hit ? "/hit" : ""}`;
      if (!seen.has(key)) out.push({ key, state: c.state, action: a.name, hit });
    }
  }
  return out;
}

// Fills the fields of action a, the outcomes as "hit" when asked.
function withHits(a, hit) {
  return (a.fields || []).map((f) =>
    f.type === "outcome" && hit ? { ...f, values: ["hit"] } : f,
  );
}

// One path: a new case follows `prefix` (branches taken at their states, in order), then
// the first advance action, to its end. New branches met are queued. Returns the case.
async function walkOne(service, options, prefix, seen, queue) {
  const std = (await srv.request("GET", `/api/v1/services/${service}`)).json;
  const acceptor = ACCEPTORS[std.standard.channels.psc.accepted_by];
  const r = await cl.apply(acceptor, service, options);
  assert.equal(r.status, 201, `${service}: ${r.text}`);
  let i = 0;
  const taken = [];
  const pick = (c) => {
    if (i < prefix.length && c.state === prefix[i].state) {
      const a = c.actions.find((x) => x.name === prefix[i].action);
      if (!a) return undefined; // another user holds it
      const b = prefix[i];
      return { ...a, fields: withHits(a, b.hit), branch: b };
    }
    for (const b of branches(c, seen)) {
      seen.add(b.key);
      queue.push([...taken, b]);
    }
    return c.actions.find((x) => x.kind === "advance");
  };
  for (let round = 0; round < 80; round++) {
    const n = await cl.step(r.json.id, pick);
    if (n && ENDED.includes(n.status)) return n;
    if (n) {
      const last = n.history.findLast((e) => e.action !== "read");
      if (i < prefix.length && last.action === prefix[i].action && last.from === prefix[i].state)
        taken.push(prefix[i++]);
      else taken.push({ state: last.from, action: last.action, hit: false });
      continue;
    }
    const now = (await cl.as("admin", "GET", `/api/v1/applications/${r.json.id}`)).status;
    assert.notEqual(now, 500);
    await cl.nextDay();
  }
  throw new Error(`${service}: a path did not end: ${cl.trail(r.json.id).join(" ")}`);
}

// Every step the case went through has a due time and an end; every action taken is in
// its history.
function assertWellFormed(service, c) {
  for (const s of c.steps) {
    assert.ok(s.due_at, `${service} ${s.step}: a due time`);
    assert.ok(s.done_at, `${service} ${s.step}: ended`);
  }
  const actions = new Set(c.history.map((e) => e.action));
  for (const s of c.steps.slice(0, -1)) assert.ok(actions.has(s.action), `${service}: ${s.action}`);
}

const RUNS = [
  ["iin-foreigner", {}],
  ["passport-id", { urgency: "general" }],
  ["temporary-id", {}],
  ["residence-registration", {}],
  ["residence-deregistration", {}],
  ["address-certificate", {}],
  ["entry-invitation", { variant: "standard" }],
  ["entry-invitation", { variant: "extended" }],
  ["criminal-record", { variant: "electronic" }],
  ["criminal-record", { variant: "abroad" }],
  ["apostille", {}],
  ["archival-certificate", {}],
];

const covered = { statuses: new Set(), kinds: new Set(), actions: new Set() };

for (const [service, options] of RUNS) {
  test(`${service} ${options.variant ?? ""}: every branch it offers, each to its end`, async (t) => {
    const seen = new Set();
    const queue = [[]];
    const ends = {};
    let paths = 0;
    while (queue.length) {
      const prefix = queue.shift();
      const c = await walkOne(service, options, prefix, seen, queue);
      paths++;
      assertWellFormed(service, c);
      ends[c.status] = (ends[c.status] ?? 0) + 1;
      covered.statuses.add(c.status);
      for (const e of c.history) covered.actions.add(e.action);
      for (const b of prefix) covered.kinds.add(b.action);
      assert.ok(paths < 80, `${service}: too many paths`);
    }
    t.diagnostic(`${paths} paths: ${JSON.stringify(ends)}; branches ${[...seen].join(" ")}`);
    assert.ok(ends.done > 0, `${service}: some path reaches done`);
    assert.ok(ends.withdrawn > 0, `${service}: declining consent withdraws it`);
  });
}

test("the walk met every kind of path the issue names", () => {
  for (const s of ["done", "refused", "withdrawn"]) assert.ok(covered.statuses.has(s), s);
  // a hearing before a refusal, an extension, an interim answer, consent declined
  for (const a of ["notify", "refuse", "decline", "interim-answer"])
    assert.ok(covered.actions.has(a), `${a}: ${[...covered.actions].sort().join(" ")}`);
  assert.ok(
    [...covered.actions].some((a) => /extend|extension/.test(a)),
    [...covered.actions].sort().join(" "),
  );
});

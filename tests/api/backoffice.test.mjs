// The provider's back office: the head assigns a case's executor (catalog/roles.json,
// "assignments"; seed 003 item 6.2), after which only that executor is offered the
// executor's steps, sees them as "mine" in the inbox and may take them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDemo, stopDemo } from "./demo-client.mjs";

const NOW = "2026-06-01T10:00:00+05:00";
let srv, cl;

before(async () => ({ srv, cl } = await startDemo(NOW)));
after(() => stopDemo(srv));

const assign = (who, id, body) =>
  cl.as(who, "POST", `/api/v1/applications/${id}/assign`, { body });

// An apostille through intake, ready for the Committee.
async function atProvider() {
  const r = await cl.apply("operator.astana", "apostille");
  assert.equal(r.status, 201, r.text);
  return cl.intake(r.json.id);
}

test("the head assigns the executor; only they work the executor's step", async () => {
  const c = await atProvider();
  const a = await assign("head.kpssu", c.id, {
    role: "provider-executor",
    login: "executor2.kpssu",
    version: c.version,
  });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.version, c.version + 1);
  assert.deepEqual(a.json.data.assigned, { "provider-executor": "executor2.kpssu" });
  const event = a.json.history.findLast((e) => e.action === "assign");
  assert.equal(event.actor, "head.kpssu");
  assert.deepEqual(event.data, { role: "provider-executor", login: "executor2.kpssu" });
  // The case moves on to the check.
  let n = await cl.step(c.id); // the operator sends
  n = await cl.step(c.id); // the clerk registers
  assert.equal(n.state, "check");
  const other = (await cl.as("executor.kpssu", "GET", `/api/v1/applications/${c.id}`)).json;
  assert.deepEqual(other.actions, []);
  const tried = await cl.as("executor.kpssu", "POST", `/api/v1/applications/${c.id}/actions`, {
    body: { action: "checked", version: other.version, data: {} },
  });
  assert.equal(tried.status, 403, tried.text);
  assert.equal(tried.json.error.code, "case.assigned_to_other");
  const line = async (login) =>
    (await cl.as(login, "GET", "/api/v1/inbox")).json.find((l) => l.case === c.id);
  assert.equal((await line("executor.kpssu")).mine, false);
  assert.equal((await line("executor.kpssu")).assignee, "executor2.kpssu");
  assert.equal((await line("executor2.kpssu")).mine, true);
  const own = (await cl.as("executor2.kpssu", "GET", `/api/v1/applications/${c.id}`)).json;
  assert.ok(own.actions.some((x) => x.kind === "advance"));
  const done = await cl.drive(c.id);
  assert.equal(done.status, "done");
  assert.ok(cl.trail(c.id).some((t) => t.startsWith("check:executor2.kpssu:")), cl.trail(c.id).join(" "));
});

test("only a head of the case's units assigns, and only staff of that role there", async () => {
  const c = await atProvider();
  const body = { role: "provider-executor", login: "executor2.kpssu", version: c.version };
  const byClerk = await assign("clerk.kpssu", c.id, body);
  assert.equal(byClerk.status, 403);
  assert.equal(byClerk.json.error.code, "case.assign_forbidden");
  const otherUnit = await assign("head.mia", c.id, body);
  assert.equal(otherUnit.status, 404, "another unit does not see the case");
  for (const login of ["operator.astana", "executor.mia", "nobody.here"]) {
    const bad = await assign("head.kpssu", c.id, { ...body, login });
    assert.equal(bad.status, 422, `${login}: ${bad.text}`);
    assert.equal(bad.json.error.code, "case.assignee_invalid");
  }
  const stale = await assign("head.kpssu", c.id, { ...body, version: c.version - 1 });
  assert.equal(stale.status, 409);
  const unknown = await assign("head.kpssu", c.id, { ...body, when: "now" });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.error.field, "when");
  const after = (await cl.as("head.kpssu", "GET", `/api/v1/applications/${c.id}`)).json;
  assert.equal(after.version, c.version, "nothing was written");
});

test("a step another unit answers in is in that unit's inbox too", async () => {
  const r = await cl.apply("operator.astana", "entry-invitation");
  assert.equal(r.status, 201, r.text);
  const c = await cl.drive(r.json.id, (x) => x.state === "agree");
  // The migration service's executor agrees the invitation with the NSC, whose liaison
  // answers (catalog/services/entry-invitation.json, agree.actions.answer.unit).
  const nsc = (await cl.as("nsc", "GET", "/api/v1/inbox")).json.find((l) => l.case === c.id);
  assert.ok(nsc, "the NSC sees the agreement step");
  assert.equal(nsc.step, "agree");
  assert.equal(nsc.role, "nsc-liaison");
  assert.equal(nsc.unit, "nsc");
  assert.equal(nsc.mine, true);
  const mia = (await cl.as("executor.mia", "GET", "/api/v1/inbox")).json.find(
    (l) => l.case === c.id,
  );
  assert.equal(mia.role, "provider-executor", "and its own unit's still");
  const done = await cl.drive(c.id);
  assert.equal(done.status, "done");
  const after = (await cl.as("nsc", "GET", "/api/v1/inbox")).json;
  assert.ok(!after.some((l) => l.case === c.id), "gone once answered");
});

// A crash in the middle of a load of submissions (issue: one write path): the server is
// killed with SIGKILL while applications are being filed, then started again on the same
// database. Every application acknowledged before the crash is there with its
// notifications; every key retried after the restart creates its case exactly once (the
// acknowledged ones answer with the case they made); `audit verify` passes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { dirname } from "node:path";
import { APPLICANT, BRANCH, demoClient } from "./demo-client.mjs";
import { qz, startServer } from "./server.mjs";

const NOW = "2026-06-01T10:00+05:00";
const N = 240; // submissions offered; the server is killed after KILL_AFTER answers
const KILL_AFTER = 60;
const CONCURRENCY = 16;

const key = (i) => `crash-${i}`;

async function body(cl) {
  return {
    service: "apostille",
    channel: "psc",
    branch: BRANCH,
    applicant: APPLICANT,
    documents: await cl.requiredDocuments("apostille"),
    payload: {},
  };
}

const submit = (cl, b, i) =>
  cl.as("operator.astana", "POST", "/api/v1/applications", {
    body: b,
    headers: { "Idempotency-Key": key(i) },
  });

test("after SIGKILL mid-load every acknowledged application stands and each key makes one case", async () => {
  const first = await startServer(["--clock", `fixed:${NOW}`], { demo: true });
  const cl1 = demoClient(first, NOW);
  const b = await body(cl1);
  await cl1.as("operator.astana", "GET", "/api/v1/inbox"); // signed in before the load
  const acked = new Map(); // key index -> {id, number}
  let next = 0;
  let killed;
  async function worker() {
    while (next < N && !killed) {
      const i = next++;
      let r;
      try {
        r = await submit(cl1, b, i);
      } catch {
        continue; // the connection died with the server: not acknowledged
      }
      if (r.status !== 201) continue;
      acked.set(i, { id: r.json.id, number: r.json.number });
      if (acked.size >= KILL_AFTER && !killed) killed = first.kill();
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await killed;
  assert.ok(acked.size >= KILL_AFTER, `${acked.size} acknowledged before the crash`);

  const second = await startServer(["--clock", `fixed:${NOW}`], { db: first.db, demo: first.demo });
  try {
    const cl2 = demoClient(second, NOW);
    // every acknowledged application is there, with its notices to the applicant (the
    // cabinet and, as they have a phone, an SMS)
    const outbox = second.outbox(APPLICANT);
    for (const [i, c] of acked) {
      const r = await cl2.as("operator.astana", "GET", `/api/v1/applications/${c.id}`);
      assert.equal(r.status, 200, `${key(i)}: ${r.text}`);
      assert.equal(r.json.number, c.number);
      const told = outbox.filter((m) => m.text.includes(c.number)).map((m) => m.channel);
      assert.deepEqual(told.sort(), ["cabinet", "sms"], `${c.number} told`);
    }
    // every key again: the acknowledged ones answer with their case; the others make theirs
    const ids = [];
    for (let i = 0; i < N; i++) {
      const r = await submit(cl2, b, i);
      assert.equal(r.status, 201, `${key(i)}: ${r.text}`);
      if (acked.has(i)) assert.equal(r.json.id, acked.get(i).id, key(i));
      ids.push(r.json.id);
    }
    // exactly one case per key: ids 1…N, each once, and no case N + 1
    assert.deepEqual(
      [...ids].sort((x, y) => x - y),
      Array.from({ length: N }, (_, k) => k + 1),
    );
    const beyond = await cl2.as("operator.astana", "GET", `/api/v1/applications/${N + 1}`);
    assert.equal(beyond.status, 404);
  } finally {
    assert.equal(await second.stop(), 0);
  }
  const audit = qz(["audit", "verify", "--db", first.db]);
  assert.equal(audit.status, 0, audit.stdout + audit.stderr);
  assert.match(audit.stdout, /^ok \d+ events/);
  rmSync(dirname(first.db), { recursive: true, force: true });
});

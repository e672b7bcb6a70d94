// The rules of the seeds read again (issue "the seeds, read again"): who accepts an
// application, storage terms that run, notices the applicant is sent, the state duty on the
// receipt — each as a person at the desk or in the cabinet meets it, over HTTP on the demo
// database.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDemo, stopDemo } from "./demo-client.mjs";

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

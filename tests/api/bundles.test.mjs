// "One application" (services.md S8-S10; catalogue `bundles`): a criminal-record
// certificate for travel abroad and the apostille on it, taken together at the Astana PSC
// as linked cases with one receipt; a bundle the catalogue does not allow; a part lacking
// a document refusing the whole application; and the same key twice making one set of
// cases.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APPLICANT, BRANCH, startDemo, stopDemo } from "./demo-client.mjs";

const NOW = "2026-06-01T10:00:00+05:00"; // Monday 1 June 2026, 10:00 in Astana

let srv, client;

before(async () => ({ srv, cl: client } = await startDemo(NOW)));
after(() => stopDemo(srv));

const as = (...args) => client.as(...args);

async function bundleBody(apostilleDocs) {
  return {
    service: "criminal-record",
    channel: "psc",
    branch: BRANCH,
    applicant: APPLICANT,
    variant: "abroad",
    documents: await client.requiredDocuments("criminal-record"),
    payload: {},
    bundle: [
      {
        service: "apostille",
        documents: apostilleDocs ?? (await client.requiredDocuments("apostille")),
        payload: {},
      },
    ],
  };
}

const post = (body, key) =>
  as("operator.astana", "POST", "/api/v1/applications", {
    body,
    headers: key ? { "Idempotency-Key": key } : {},
  });

test("criminal-record (abroad) + apostille: two linked cases, one receipt", async () => {
  const body = await bundleBody();
  const r = await post(body, "bundle-1");
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.receipt.kind, "acceptance");
  const rows = r.json.receipt.cases;
  assert.equal(rows.length, 2);
  assert.deepEqual(
    rows.map((x) => x.service.code),
    ["criminal-record", "apostille"],
  );
  assert.equal(rows[0].id, r.json.id);
  assert.equal(rows[0].number, r.json.number);
  assert.equal(r.json.bundle.length, 1);
  const ap = r.json.bundle[0];
  assert.equal(ap.service, "apostille");
  assert.equal(rows[1].id, ap.id);
  assert.equal(rows[1].number, ap.number);
  assert.notEqual(ap.id, r.json.id);
  for (const row of rows) {
    assert.match(row.number, /^KZ-71-\d{8}$/);
    assert.ok(row.due_at && row.hand_out_on, row.number);
    assert.ok(row.documents.length > 0);
    for (const d of row.documents) assert.ok(d.name.kk && d.name.ru, d.kind);
  }
  assert.deepEqual(
    rows[1].documents.map((d) => d.kind),
    body.bundle[0].documents,
  );

  // each case shows its links to the other
  const main = await as("operator.astana", "GET", `/api/v1/applications/${r.json.id}`);
  assert.equal(main.status, 200, main.text);
  assert.equal(main.json.variant, "abroad");
  assert.deepEqual(main.json.bundle, [ap.id]);
  const other = await as("operator.astana", "GET", `/api/v1/applications/${ap.id}`);
  assert.equal(other.status, 200, other.text);
  assert.equal(other.json.service, "apostille");
  assert.equal(other.json.applicant, APPLICANT);
  assert.equal(other.json.branch, BRANCH);
  assert.deepEqual(other.json.bundle, [r.json.id]);

  // One application, one intake: the operator certifies once and the applicant consents
  // once, for both cases.
  const certified = await client.step(r.json.id);
  assert.equal(certified.state, "intake.consent");
  assert.equal((await as("operator.astana", "GET", `/api/v1/applications/${ap.id}`)).json.state, "intake.consent");
  const consented = await client.step(r.json.id);
  assert.equal(consented.state, "check");
  const linked = (await as("operator.astana", "GET", `/api/v1/applications/${ap.id}`)).json;
  assert.equal(linked.state, "dispatch");
  assert.deepEqual(
    linked.history.filter((e) => e.action !== "read").map((e) => `${e.action}:${e.actor}`),
    ["accept:operator.astana", "certify:operator.astana", `consent:${APPLICANT}`],
  );
});

test("a bundle the catalogue does not allow is 422 naming the service", async () => {
  const body = await bundleBody();
  body.bundle = [
    {
      service: "archival-certificate",
      documents: await client.requiredDocuments("archival-certificate"),
    },
  ];
  const r = await post(body, "bundle-not-allowed");
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, "application.bundle_not_allowed");
  assert.equal(r.json.error.field, "bundle");
  assert.match(r.json.error.message, /archival-certificate/);

  const twice = await bundleBody();
  twice.bundle.push(twice.bundle[0]);
  const t = await post(twice);
  assert.equal(t.status, 422, t.text);
  assert.equal(t.json.error.code, "application.bundle_not_allowed");
});

test("a part missing a document refuses the whole application with one receipt", async () => {
  const before = await as(APPLICANT, "GET", "/api/v1/me/cases");
  const body = await bundleBody(["application", "identity"]);
  const r = await post(body, "bundle-missing");
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, "case.documents_missing");
  assert.equal(r.json.receipt.kind, "refusal");
  assert.deepEqual(
    r.json.receipt.missing.map((d) => [d.service, d.kind]),
    [
      ["apostille", "official-document"],
      ["apostille", "duty-receipt"],
    ],
  );
  for (const d of r.json.receipt.missing) assert.ok(d.name.kk && d.name.ru, d.kind);
  const after = await as(APPLICANT, "GET", "/api/v1/me/cases");
  assert.equal(after.text, before.text, "nothing was written");
});

test("the same key twice answers the same and makes one set of cases", async () => {
  const body = await bundleBody();
  const a = await post(body, "bundle-twice");
  const b = await post(body, "bundle-twice");
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.deepEqual(b.json, a.json);
  const c = await post(body, "bundle-thrice");
  assert.equal(c.status, 201, c.text);
  assert.notEqual(c.json.id, a.json.id);
  assert.notEqual(c.json.bundle[0].id, a.json.bundle[0].id);
  // the apostille case was not written a second time: the next case follows the third set
  assert.equal(c.json.bundle[0].id, a.json.id + 1);
});

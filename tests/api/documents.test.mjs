// Documents (contract.md; docs/documents.md): a case's receipt and result as signed PDFs,
// downloaded, verified by anyone, read back by poppler; the criminal-record certificate
// says what the convictions register says (an expunged record does not count); a
// receipt's number finds its case; who read my data (GET /me/access-log).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, qz } from "./server.mjs";
import { APPLICANT, OTHER, demoClient, stopDemo } from "./demo-client.mjs";

const NOW = "2026-06-01T10:00:00+05:00"; // a Monday, no holiday for weeks
const REGISTERS = new URL("../../catalog/demo/registers/", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "qz-docs-"));
const keys = join(dir, "keys");
let srv, cl;

// The rows of a demo register (plain CSV: no quoted commas in these columns).
const rows = (kind) => {
  const [head, ...lines] = readFileSync(join(REGISTERS, `${kind}.csv`), "utf8").trim().split("\n");
  const cols = head.split(",");
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
};

before(async () => {
  // Keys for the units that sign in these tests (pki make: a test CA and unit keys).
  for (const u of ["psc-astana-1", "kpssu-astana", "mp-astana-esil", "moj"]) {
    const r = qz(["pki", "make", "--dir", keys, "--unit", u, "--name", `Бөлімше ${u}`]);
    assert.equal(r.status, 0, r.stderr);
  }
  srv = await startServer(["--clock", `fixed:${NOW}`, "--keys", keys], { demo: true });
  cl = demoClient(srv, NOW);
});
after(() => stopDemo(srv));

async function download(login, id) {
  const r = await fetch(`${srv.base}/api/v1/documents/${id}`, {
    headers: { Authorization: `Bearer ${cl.token(login)}` },
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("content-type"), "application/pdf");
  const file = join(dir, `${id}.pdf`);
  writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  return file;
}

const text = (file) => spawnSync("pdftotext", [file, "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, " ");

async function certificateFor(applicant) {
  const r = await cl.apply("operator.astana", "criminal-record", { applicant });
  assert.equal(r.status, 201, r.text);
  const done = await cl.drive(r.json.id);
  assert.equal(done.status, "done");
  const docs = await cl.as("operator.astana", "GET", `/api/v1/applications/${r.json.id}/documents`);
  assert.equal(docs.status, 200, docs.text);
  return { c: r.json, docs: docs.json };
}

test("a finished case has its receipt and its result, signed, verifiable by anyone", async () => {
  const { c, docs } = await certificateFor(APPLICANT);
  assert.deepEqual(docs.map((d) => d.kind), ["receipt", "certificate"]);
  const receipt = docs[0];
  assert.equal(receipt.number, c.number, "a receipt's number is its case's");
  for (const d of docs) {
    const file = await download("operator.astana", d.id);
    assert.ok(readFileSync(file).subarray(0, 5).toString() === "%PDF-");
    const v = await srv.request("GET", `/api/v1/documents/${d.id}/verify`);
    assert.equal(v.status, 200);
    assert.equal(v.json.valid, true, v.text);
    assert.deepEqual(v.json.document, { kind: d.kind, number: d.number });
    assert.equal(v.json.signers.length, 1);
    const sig = spawnSync("pdfsig", [file], { encoding: "utf8" }).stdout;
    assert.match(sig, /Signature is Valid/);
    const cli = qz(["verify", file, "--trust", join(keys, "ca.pem")]);
    assert.equal(cli.status, 0, cli.stdout);
    assert.equal(JSON.parse(cli.stdout).valid, true);
  }
  assert.equal((await srv.request("GET", `/api/v1/documents/${receipt.id}/verify`)).json.signers[0].unit, "psc-astana-1");
  // Asking again issues nothing new.
  const again = await cl.as("operator.astana", "GET", `/api/v1/applications/${c.id}/documents`);
  assert.deepEqual(again.json, docs);
});

test("the certificate: an expunged conviction does not count, a standing one does, in both languages", async () => {
  // The demo applicant's only conviction is expunged (catalog/demo/registers/convictions.csv).
  assert.ok(rows("convictions").some((r) => r.iin === APPLICANT && r.expunged_on));
  const clean = await certificateFor(APPLICANT);
  const t1 = text(await download("operator.astana", clean.docs[1].id));
  assert.match(t1, /соттылығы жоқ/);
  assert.match(t1, /судимости не имеет/);
  assert.match(t1, /Абенов Ержан Серікұлы/);

  // A standing conviction imported into the register: the next certificate has it.
  const csv = join(dir, "conviction.csv");
  writeFileSync(csv, `iin,article,sentenced_on,expunged_on\n${APPLICANT},190,2020-02-03,\n`);
  const imp = qz(["import", "convictions", csv, "--db", srv.db]);
  assert.equal(imp.stdout, "imported 1\n", imp.stderr);
  const convicted = await certificateFor(APPLICANT);
  const t2 = text(await download("operator.astana", convicted.docs[1].id));
  assert.match(t2, /соттылығы бар/);
  assert.match(t2, /судимость имеет/);
});

test("a changed document is not valid; an unknown one is not found", async () => {
  const { docs } = await certificateFor(APPLICANT);
  const file = await download("operator.astana", docs[1].id);
  const bytes = readFileSync(file);
  bytes[Math.floor(bytes.length / 3)] ^= 1;
  writeFileSync(file, bytes);
  const cli = qz(["verify", file, "--trust", join(keys, "ca.pem")]);
  assert.equal(cli.status, 1);
  assert.equal(JSON.parse(cli.stdout).valid, false);
  assert.equal((await srv.request("GET", "/api/v1/documents/KZ-71-99999999/verify")).status, 404);
});

test("documents are for those who may see the case", async () => {
  const { docs } = await certificateFor(APPLICANT);
  const mine = await cl.asPerson(APPLICANT, "GET", `/api/v1/documents/${docs[1].id}`);
  assert.equal(mine.status, 200);
  const other = await cl.asPerson(OTHER, "GET", `/api/v1/documents/${docs[1].id}`);
  assert.equal(other.status, 404);
  assert.equal((await srv.request("GET", `/api/v1/documents/${docs[1].id}`)).status, 401);
});

test("who read my data: unit, role, when and which case, not the staff member", async () => {
  const { c } = await certificateFor(APPLICANT);
  const log = await cl.asPerson(APPLICANT, "GET", "/api/v1/me/access-log");
  assert.equal(log.status, 200, log.text);
  const reads = log.json.filter((e) => e.number === c.number);
  assert.ok(reads.length > 0, log.text);
  for (const e of reads) {
    assert.deepEqual(Object.keys(e).sort(), ["at", "case", "number", "role", "service", "unit", "unit_name"]);
    assert.ok(!JSON.stringify(e).includes("operator.astana"));
  }
  assert.ok(reads.some((e) => e.unit === "psc-astana-1" && e.role === "psc-operator"));
  const staff = await cl.as("operator.astana", "GET", "/api/v1/me/access-log");
  assert.equal(staff.status, 403);
});

test("the executor at the check sees what the registers hold, and records the outcome with its basis", async () => {
  const r = await cl.apply("operator.astana", "criminal-record");
  const at = await cl.drive(r.json.id, (c) => c.steps.some((s) => s.role === "provider-executor" && !s.done_at));
  const seen = await cl.as("executor.kpssu", "GET", `/api/v1/applications/${at.id}`);
  assert.equal(seen.status, 200, seen.text);
  const f = seen.json.register_findings;
  assert.ok(Array.isArray(f), seen.text.slice(0, 400));
  const records = f.find((x) => x.register === "convictions");
  assert.equal(records.person, APPLICANT);
  // The expunged conviction is shown and does not count; the one imported above does.
  assert.ok(records.rows.some((x) => x.expunged_on), JSON.stringify(records));
  assert.equal(records.record, records.rows.some((x) => !x.expunged_on) ? "has" : "none");
  // The operator, who does not act at this step, is not shown the registers.
  const operator = await cl.as("operator.astana", "GET", `/api/v1/applications/${at.id}`);
  assert.equal(operator.json.register_findings, undefined);
});

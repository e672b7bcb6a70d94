// The EDS of portal applications: a test CA (made here with the `openssl` command) is the
// server's trust store (--trust); the demo applicant signs the body with a detached CMS
// (`openssl cms -sign -binary -outform DER`), sent base64 in X-Signature. Accepted when
// good; 401 without a signature; 403 for a tampered body, a CA the server does not trust,
// an expired certificate, a certificate of another person, and a signature that is not
// one. Certificates carry fixed dates and the server a fixed clock, so nothing ages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { qz, startServer } from "./server.mjs";

const NOW = "2026-06-01T10:00:00+05:00";
const APPLICANT = "921029350851"; // the demo applicant (catalog/demo/persons.json)
const OTHER = "850315423272";
const VALID = ["20250101000000Z", "20300101000000Z"];
const EXPIRED = ["20200101000000Z", "20210101000000Z"];

const work = mkdtempSync(join(tmpdir(), "qz-eds-"));
let srv, token;
const certs = {};

function openssl(...args) {
  return execFileSync("openssl", args, { cwd: work, stdio: ["ignore", "pipe", "pipe"] });
}

// A CA in folder `name` (its own `openssl ca` configuration), self-signed: { dir, cnf }.
function makeCa(name) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "index.txt"), "");
  writeFileSync(join(dir, "serial"), "1000\n");
  const cnf = join(dir, "ca.cnf");
  writeFileSync(
    cnf,
    `[ca]
default_ca = ca_here
[ca_here]
database = ${dir}/index.txt
new_certs_dir = ${dir}
serial = ${dir}/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
[policy_any]
countryName = optional
commonName = optional
serialNumber = optional
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[person]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
`,
  );
  const key = join(dir, "ca.key");
  openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", key, "-subj", `/C=KZ/CN=${name}`, "-out", join(dir, "ca.csr"));
  openssl("ca", "-batch", "-config", cnf, "-selfsign", "-keyfile", key, "-in", join(dir, "ca.csr"),
    "-out", join(dir, "ca.pem"), "-startdate", "20200101000000Z", "-enddate", "20400101000000Z",
    "-extensions", "v3_ca", "-notext");
  return { dir, cnf, key, pem: join(dir, "ca.pem") };
}

// A citizen's certificate of `iin` issued by `ca` for [from, to): { cert, key }.
function makePerson(ca, name, iin, [from, to]) {
  const key = join(work, `${name}.key`);
  const csr = join(work, `${name}.csr`);
  const cert = join(work, `${name}.pem`);
  openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", key, "-subj", `/C=KZ/CN=TEST CITIZEN/serialNumber=IIN${iin}`, "-out", csr);
  openssl("ca", "-batch", "-config", ca.cnf, "-cert", ca.pem, "-keyfile", ca.key, "-in", csr,
    "-out", cert, "-startdate", from, "-enddate", to, "-extensions", "person", "-notext");
  return { cert, key };
}

// The base64 detached CMS of `body` signed by `who`.
function sign(who, body) {
  const file = join(work, "body.json");
  writeFileSync(file, body);
  openssl("cms", "-sign", "-binary", "-outform", "DER", "-in", file, "-signer", who.cert,
    "-inkey", who.key, "-out", join(work, "sig.der"));
  return readFileSync(join(work, "sig.der")).toString("base64");
}

before(async () => {
  const nca = makeCa("test-nca");
  const rogue = makeCa("rogue-ca");
  certs.good = makePerson(nca, "good", APPLICANT, VALID);
  certs.expired = makePerson(nca, "expired", APPLICANT, EXPIRED);
  certs.other = makePerson(nca, "other", OTHER, VALID);
  certs.rogue = makePerson(rogue, "rogue", APPLICANT, VALID);
  srv = await startServer(["--clock", `fixed:${NOW}`, "--trust", nca.pem], { demo: true });
  const u = srv.demo.users.find((x) => x.login === APPLICANT);
  const r = await srv.request("POST", "/api/v1/sessions", {
    body: { iin: u.login, password: u.password },
  });
  assert.equal(r.status, 201, r.text);
  token = r.json.token;
});
after(async () => {
  assert.equal(await srv.stop(), 0);
  rmSync(work, { recursive: true, force: true });
});

let n = 0;
function application(extra = {}) {
  return JSON.stringify({
    service: "criminal-record",
    channel: "portal",
    branch: "psc-astana-1",
    applicant: APPLICANT,
    documents: ["e-request"],
    payload: { note: `eds-${++n}` },
    ...extra,
  });
}

function post(raw, signature) {
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  if (signature !== undefined) headers["X-Signature"] = signature;
  return srv.request("POST", "/api/v1/applications", { raw, headers });
}

test("a portal application signed by the applicant is accepted", async () => {
  const body = application();
  const r = await post(body, sign(certs.good, body));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.receipt.operator.role, "applicant");
});

test("a portal application without a signature is 401 eds.missing", async () => {
  for (const sig of [undefined, ""]) {
    const r = await post(application(), sig);
    assert.equal(r.status, 401, r.text);
    assert.equal(r.json.error.code, "eds.missing");
  }
});

test("bad signatures are 403 eds.invalid with the reason", async () => {
  const body = application();
  const good = sign(certs.good, body);
  const tampered = body.replace(`eds-${n}`, "eds-x");
  const cases = [
    ["tampered body", tampered, good, "signature"],
    ["untrusted CA", body, sign(certs.rogue, body), "untrusted"],
    ["expired certificate", body, sign(certs.expired, body), "expired"],
    ["not base64", body, "!!!not-base64!!!", "malformed"],
    ["not CMS", body, Buffer.from("hello, world").toString("base64"), "malformed"],
  ];
  for (const [what, raw, sig, reason] of cases) {
    const r = await post(raw, sig);
    assert.equal(r.status, 403, `${what}: ${r.text}`);
    assert.equal(r.json.error.code, "eds.invalid", what);
    assert.match(r.json.error.message, new RegExp(reason), what);
  }
});

test("a signature by another person than the sender is 403 eds.not_sender", async () => {
  const body = application();
  const r = await post(body, sign(certs.other, body));
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, "eds.not_sender");
  // Not even the applicant's, when their representative sends it.
  const forOther = application({ applicant: OTHER, representative: APPLICANT });
  const byApplicant = await post(forOther, sign(certs.other, forOther));
  assert.equal(byApplicant.status, 403, byApplicant.text);
  assert.equal(byApplicant.json.error.code, "eds.not_sender");
});

test("a representative signs the request they send with their own EDS", async () => {
  const body = application({ applicant: OTHER, representative: APPLICANT });
  const r = await post(body, sign(certs.good, body));
  assert.equal(r.status, 201, r.text);
});

test("desk applications need no signature: an operator's is accepted without one", async () => {
  const op = srv.demo.users.find((x) => x.login === "operator.astana");
  const s = await srv.request("POST", "/api/v1/sessions", {
    body: { login: op.login, password: op.password },
  });
  assert.equal(s.status, 201, s.text);
  const std = await srv.request("GET", "/api/v1/services/criminal-record");
  const documents = std.json.documents.psc.filter((d) => d.required).map((d) => d.kind);
  const r = await srv.request("POST", "/api/v1/applications", {
    body: { ...JSON.parse(application({ channel: "psc" })), documents },
    headers: { Authorization: `Bearer ${s.json.token}`, "Idempotency-Key": "eds-desk-1" },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.receipt.operator.login, "operator.astana");
  assert.equal(r.json.receipt.operator.role, "psc-operator");
});

test("serve refuses a trust store it cannot read", () => {
  const bad = join(work, "not-a-pem.txt");
  writeFileSync(bad, "not a certificate\n");
  for (const path of [bad, join(work, "missing.pem")]) {
    const r = qz(["serve", "--db", join(work, "x.db"), "--port", "1", "--trust", path]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /eds\.trust_unreadable|PEM/);
  }
});

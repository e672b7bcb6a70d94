// scripts/drive-demo against a demo server with a movable clock: knowing only the contract
// (and the logins `init --demo` printed), it must drive one application of each of the ten
// services to `done`. Any service it cannot finish fails this test, with the script's reason.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "./server.mjs";

// Monday 1 June 2026, 10:00 in Astana, as in the other demo tests.
const NOW = "2026-06-01T10:00:00+05:00";
const SCRIPT = new URL("../../scripts/drive-demo", import.meta.url).pathname;
const SERVICES = [
  "iin-foreigner",
  "passport-id",
  "temporary-id",
  "residence-registration",
  "residence-deregistration",
  "address-certificate",
  "entry-invitation",
  "criminal-record",
  "apostille",
  "archival-certificate",
];

let srv, dir, logins;

before(async () => {
  srv = await startServer(["--clock", `fixed:${NOW}`], { demo: true });
  dir = mkdtempSync(join(tmpdir(), "qz-drive-"));
  logins = join(dir, "demo-logins.jsonl");
  const lines = [...srv.demo.units, ...srv.demo.users].map((l) => JSON.stringify(l));
  writeFileSync(logins, lines.join("\n") + "\n");
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  assert.equal(await srv.stop(), 0);
});

// Runs the script to its end: { status, stdout, stderr }.
function drive(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (status) => resolve({ status, stdout, stderr }));
  });
}

test("drive-demo drives every service to done", async () => {
  const r = await drive(["--url", srv.base, "--logins", logins]);
  const report = `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
  const lines = r.stdout.split("\n").filter((l) => l.trim());
  for (const code of SERVICES) {
    const line = lines.find((l) => l.startsWith(`${code} `));
    assert.match(line ?? "", /^\S+ done in \d+ actions, \d+ clock moves$/, `${code}: ${report}`);
  }
  assert.equal(lines.length, SERVICES.length, report);
  assert.equal(r.status, 0, report);
});

test("drive-demo --service drives only the services named", async () => {
  const r = await drive(["--url", srv.base, "--logins", logins, "--service", "apostille"]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^apostille done in \d+ actions, \d+ clock moves\n$/);
});

test("drive-demo refuses bad usage with status 2", async () => {
  const noLogins = await drive(["--url", srv.base]);
  assert.equal(noLogins.status, 2);
  assert.match(noLogins.stderr, /usage: scripts\/drive-demo/);
  const unknown = await drive(["--url", srv.base, "--logins", logins, "--service", "fly"]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown service fly/);
});

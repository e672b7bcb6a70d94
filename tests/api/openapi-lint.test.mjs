// docs/openapi.yaml passes `redocly lint` (@redocly/cli, the recommended rules) with no
// error: installed from package-lock.json by scripts/deps, run offline (no telemetry, no
// update check).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const root = new URL("../../", import.meta.url).pathname;
const redocly = `${root}node_modules/.bin/redocly`;

test("redocly lint reports no error in docs/openapi.yaml", () => {
  assert.ok(existsSync(redocly), "@redocly/cli is installed (scripts/deps install)");
  const r = spawnSync(redocly, ["lint", "--format=stylish", "docs/openapi.yaml"], {
    cwd: root,
    encoding: "utf8",
    timeout: 120000,
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
  });
  const out = `${r.stdout}${r.stderr}`;
  const errors = out.split("\n").filter((l) => /^\s*\d+:\d+\s+error\b/.test(l));
  assert.deepEqual(errors, [], out.slice(-2000));
  assert.equal(r.status, 0, out.slice(-2000));
});

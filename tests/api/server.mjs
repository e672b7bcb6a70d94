// tests/api/server.mjs — starts a real `qyzmet serve` on a fresh database and a free port
// for an API test, and stops it with SIGTERM. With { demo: true } the database is first
// made by `qyzmet init --demo`, and the demo units and users it printed (with their
// passwords) come back as `demo`. With { db, demo } it serves an existing database again
// (a restart; `demo` as the first start returned it), and kill() ends it with SIGKILL,
// leaving the database for the next start.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import net from "node:net";

export const QZ = process.env.QZ || new URL("../../build/qyzmet", import.meta.url).pathname;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

// Runs the qyzmet binary to its end: { status, stdout, stderr }.
export function qz(args, input) {
  const r = spawnSync(QZ, args, { input, encoding: "utf8" });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// The JSON objects printed one a line.
function jsonLines(text) {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

// Makes a demo database: { units, users } as `init --demo` printed them.
function initDemo(db) {
  const r = qz(["init", "--db", db, "--demo"]);
  if (r.status !== 0) throw new Error(`qyzmet init --demo failed: ${r.stderr}`);
  const lines = jsonLines(r.stdout);
  return { units: lines.filter((l) => l.unit && l.kind), users: lines.filter((l) => l.login) };
}

export async function startServer(extraArgs = [], { demo = false, db: existing } = {}) {
  const dir = existing ? undefined : mkdtempSync(join(tmpdir(), "qz-api-"));
  const port = await freePort();
  const db = existing ?? join(dir, "test.db");
  const demoData = existing ? demo || undefined : demo ? initDemo(db) : undefined;
  const child = spawn(QZ, ["serve", "--db", db, "--port", String(port), ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
    if (child.exitCode !== null) throw new Error(`qyzmet serve exited: ${output}`);
  }
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    base,
    db,
    demo: demoData,
    output: () => output,
    // The notifications sent to `iin` (all when undefined), read with `qyzmet outbox`.
    outbox(iin) {
      const r = qz(["outbox", "--db", db, ...(iin ? ["--to", iin] : [])]);
      if (r.status !== 0) throw new Error(`qyzmet outbox failed: ${r.stderr}`);
      return jsonLines(r.stdout);
    },
    async request(method, path, { body, headers = {}, raw } = {}) {
      const init = { method, headers: { ...headers } };
      if (raw !== undefined) init.body = raw;
      else if (body !== undefined) {
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
      return { status: r.status, json, text, headers: r.headers };
    },
    async stop() {
      child.kill("SIGTERM");
      const code = await exited;
      if (dir) rmSync(dir, { recursive: true, force: true });
      return code;
    },
    // Ends the server at once, as a crash would; the database stays.
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

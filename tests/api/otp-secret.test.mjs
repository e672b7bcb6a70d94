// The one-time password lives only in the SMS channel: `qyzmet outbox` shows it in demo
// and test mode (a demo database, or a server whose clock the tests move) and withholds
// it in production; the cabinet never lists it (me.test.mjs); the server's answers and its
// log never carry it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer, qz } from "./server.mjs";

const IIN = "990101300013"; // a valid IIN (check digit computed by `qyzmet iin check`)

async function serveWithPerson(args) {
  const srv = await startServer(args);
  const added = qz(["person", "add", "--db", srv.db, "--iin", IIN, "--surname", "Нұр", "--name", "Ая", "--phone", "+77011112233"]);
  assert.equal(added.status, 0, added.stderr);
  return srv;
}

test("in production (no demo data, the system clock) the outbox withholds the code", async () => {
  const srv = await serveWithPerson([]);
  try {
    const r = await srv.request("POST", "/api/v1/otp", { body: { iin: IIN } });
    assert.equal(r.status, 202, r.text);
    const sms = srv.outbox(IIN);
    assert.equal(sms.length, 1);
    assert.equal(sms[0].secret, true);
    assert.equal(sms[0].channel, "sms");
    assert.doesNotMatch(sms[0].text, /\d{6}/, "no code in the outbox's text");
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

test("in test mode the outbox shows the code, and neither the answers nor the log carry it", async () => {
  const srv = await serveWithPerson(["--clock", "fixed:2026-06-01T10:00+05:00"]);
  try {
    const r = await srv.request("POST", "/api/v1/otp", { body: { iin: IIN } });
    assert.equal(r.status, 202, r.text);
    const [sms] = srv.outbox(IIN);
    assert.equal(sms.secret, true);
    const code = sms.text.match(/\b(\d{6})\b/)[1];
    assert.ok(!r.text.includes(code), "not in the answer");
    const s = await srv.request("POST", "/api/v1/sessions", { body: { iin: IIN, otp: code } });
    assert.equal(s.status, 201, s.text);
    assert.ok(!s.text.includes(code), "not in the session's answer");
    const me = await srv.request("GET", "/api/v1/me/notifications", { headers: { Authorization: `Bearer ${s.json.token}` } });
    assert.equal(me.status, 200, me.text);
    assert.ok(!me.text.includes(code), "not in the cabinet");
    assert.ok(!srv.output().includes(code), "not in the server's log");
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

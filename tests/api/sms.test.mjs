// The outbox's sender (app/sender.h): with `serve --sms-gateway URL` the SMS a write leaves
// in the outbox are POSTed to the gateway, a small HTTP server here that refuses the first
// try of each message (so each is retried), keeps the ids it took, and answers 200. Every
// SMS to the applicant arrives, each with an id and the Idempotency-Key the gateway can
// drop duplicates by, in the order written. Without a gateway, start-up says the SMS stay
// in the outbox.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { APPLICANT, demoClient } from "./demo-client.mjs";
import { startServer } from "./server.mjs";

const NOW = "2026-06-01T10:00+05:00";

function startGateway() {
  const tries = new Map(); // message id -> tries seen
  const taken = []; // the messages accepted, in the order they came
  const server = http.createServer((req, res) => {
    let data = "";
    req.on("data", (d) => (data += d));
    req.on("end", () => {
      const m = JSON.parse(data);
      const n = (tries.get(m.id) ?? 0) + 1;
      tries.set(m.id, n);
      if (n === 1) {
        res.writeHead(503).end(); // the first try of each fails: the sender retries
        return;
      }
      taken.push({ ...m, key: req.headers["idempotency-key"] });
      res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, taken, tries })),
  );
}

async function until(cond, what) {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("SMS leave through the gateway, retried, in order, with an id to drop duplicates by", async () => {
  const gw = await startGateway();
  const url = `http://127.0.0.1:${gw.server.address().port}/sms`;
  const srv = await startServer(["--clock", `fixed:${NOW}`, "--sms-gateway", url], {
    demo: true,
  });
  try {
    await until(() => srv.output().includes("serving on"), "the start-up message");
    assert.ok(srv.output().includes(url), srv.output());
    const cl = demoClient(srv, NOW);
    const numbers = [];
    for (let i = 0; i < 3; i++) {
      const r = await cl.apply("operator.astana", "apostille");
      assert.equal(r.status, 201, r.text);
      numbers.push(r.json.number);
    }
    const sms = () => srv.outbox(APPLICANT).filter((m) => m.channel === "sms");
    const expected = sms().length; // every SMS to the applicant written so far
    assert.ok(expected >= 3, `${expected} SMS`);
    await until(() => gw.taken.filter((m) => m.iin === APPLICANT).length >= expected, "the SMS");
    const got = gw.taken.filter((m) => m.iin === APPLICANT);
    assert.equal(got.length, expected);
    for (const m of got) {
      assert.equal(m.key, `qyzmet-sms-${m.id}`);
      assert.equal(m.to, "+77011234567"); // the demo applicant's phone (catalog/demo/persons.json)
      assert.equal(gw.tries.get(m.id), 2); // refused once, taken the second time
    }
    // in the order written: ids rising, and each case's acceptance in filing order
    const ids = got.map((m) => Number(m.id));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    const order = numbers.map((n) => got.findIndex((m) => m.text.includes(n)));
    assert.ok(order.every((p) => p >= 0), "each acceptance was sent");
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
  } finally {
    assert.equal(await srv.stop(), 0);
    gw.server.close();
  }
});

test("without a gateway the SMS stay in the outbox, and start-up says so", async () => {
  const srv = await startServer([], { demo: true });
  try {
    await until(() => srv.output().includes("serving on"), "the start-up message");
    assert.match(srv.output(), /--sms-gateway/);
  } finally {
    assert.equal(await srv.stop(), 0);
  }
});

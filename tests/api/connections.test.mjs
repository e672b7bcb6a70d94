// One client cannot stall the server (src/http/guard.h), tried with a bounded number of
// sockets on loopback, from several source addresses of 127.0.0.0/8: one address holding
// its maximum of connections is refused more, while /healthz and a normal request from
// another address still answer; once the server is nearly full only an address holding
// almost nothing gets in (the reserve); headers or a body trickling in a byte at a time
// are cut at their deadline. The server runs with small limits so that a few dozen
// sockets reach them: 40 connections, 8 per address, 2 s for headers and for a body.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { startServer } from "./server.mjs";
import { rawRequest } from "./rawhttp.mjs";

const LIMITS = ["--max-connections", "40", "--max-per-address", "8", "--header-timeout", "2", "--body-timeout", "2"];
let srv, port;
const open = [];

before(async () => {
  srv = await startServer(LIMITS);
  port = Number(new URL(srv.base).port);
});
after(async () => {
  for (const s of open) s.destroy();
  assert.equal(await srv.stop(), 0);
});

// A socket from `from` that writes `first` (if any) once connected. Resolves when it has
// connected: { sock, closed } where `closed` resolves when the server closes it, with
// what the server sent.
function connectFrom(from, first) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ port, host: "127.0.0.1", localAddress: from });
    open.push(sock);
    let got = "";
    sock.on("data", (d) => (got += d));
    const closed = new Promise((r) => sock.on("close", () => r(got)));
    sock.on("error", () => {});
    sock.on("connect", () => {
      if (first) sock.write(first);
      resolve({ sock, closed });
    });
    setTimeout(() => reject(new Error(`no connection from ${from}`)), 5000);
  });
}

// Whether the server closes `c` within `ms` (a bound, not a measure): the text it sent, or
// undefined when the socket is still open.
const closedWithin = (c, ms) => Promise.race([c.closed, new Promise((r) => setTimeout(() => r(undefined), ms))]);

// Lets the server's threads see the sockets just opened.
const settle = () => new Promise((r) => setTimeout(r, 300));

test("an address holding its maximum is refused more; /healthz and a normal request still answer", async () => {
  const held = [];
  for (let i = 0; i < 8; i++) held.push(await connectFrom("127.0.0.2"));
  await settle();
  for (const h of held) assert.equal(await closedWithin(h, 50), undefined, "the first 8 are kept");
  // 92 more from the same address (100 sockets in all): each is closed unanswered.
  const more = [];
  for (let i = 0; i < 92; i++) more.push(await connectFrom("127.0.0.2"));
  for (const m of more) assert.equal(await closedWithin(m, 5000), "", "refused without an answer");
  const h = await rawRequest(port, { path: "/healthz", timeoutMs: 5000 });
  assert.equal(h.status, 200);
  const s = await rawRequest(port, { path: "/api/v1/services", timeoutMs: 5000 });
  assert.equal(s.status, 200);
  for (const x of held) x.sock.destroy();
});

test("headers sent a byte at a time are cut at their deadline", async () => {
  const c = await connectFrom("127.0.0.3", "GET /healthz HTTP/1.1\r\n");
  const timer = setInterval(() => c.sock.writable && c.sock.write("X"), 300);
  try {
    const got = await closedWithin(c, 15000);
    assert.notEqual(got, undefined, "the server closed the connection");
    assert.doesNotMatch(got, /^HTTP\/1\.1 200/);
  } finally {
    clearInterval(timer);
  }
  assert.equal((await rawRequest(port, { path: "/healthz" })).status, 200);
});

test("a body sent a byte at a time is cut at its deadline", async () => {
  const head = "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n";
  const c = await connectFrom("127.0.0.4", head);
  const timer = setInterval(() => c.sock.writable && c.sock.write(" "), 300);
  try {
    const got = await closedWithin(c, 15000);
    assert.notEqual(got, undefined, "the server closed the connection");
    assert.doesNotMatch(got, /^HTTP\/1\.1 2/);
  } finally {
    clearInterval(timer);
  }
});

test("a server nearly full admits only addresses holding almost nothing (the reserve)", async () => {
  // 9 addresses hold 4 each: 36 of 40, the reserve of 4 (a tenth) is reached.
  const held = [];
  for (let a = 1; a <= 9; a++) for (let i = 0; i < 4; i++) held.push(await connectFrom(`127.0.1.${a}`));
  await settle();
  const busy = await connectFrom("127.0.1.1");
  assert.equal(await closedWithin(busy, 5000), "", "an address holding 4 is refused");
  const h = await rawRequest(port, { path: "/healthz", timeoutMs: 5000 });
  assert.equal(h.status, 200, "an address holding nothing gets in");
  for (const x of held) x.sock.destroy();
});

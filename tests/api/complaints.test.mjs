// Complaints (platform.md, "Complaints"; catalog/complaints.json): the applicant of a
// case files one against the provider or the PSC, addressed to the provider or to the
// quality authority, and learns when it must be forwarded (3 WD) and decided (5 WD to
// the provider, 15 WD to the quality authority), counted in the unit's working days, the
// day of registration not counted. The heads of the unit, the reviewer and the quality
// authority list them with their due dates; the complainant their own. Then they act on
// them: the unit complained about satisfies or forwards one within 3 WD, the reviewing
// body (the reviewer for one addressed to the provider, the quality authority for one
// addressed to it) decides it; each move is in the history and told to the complainant.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { APPLICANT, OTHER, startDemo, stopDemo } from "./demo-client.mjs";

// Monday 1 June 2026, 10:00 in Astana; 6 July (Capital Day) is the next holiday.
const NOW = "2026-06-01T10:00:00+05:00";
let srv, cl, caseId, thirdParty, ruCase;

before(async () => {
  ({ srv, cl } = await startDemo(NOW));
  const r = await cl.apply("operator.astana", "apostille");
  assert.equal(r.status, 201, r.text);
  caseId = r.json.id;
  const t = await cl.apply("operator.astana", "apostille", { applicant: OTHER, subject: APPLICANT });
  assert.equal(t.status, 201, t.text);
  thirdParty = t.json.id;
  const ru = await cl.apply("operator.astana", "apostille", { lang: "ru" });
  assert.equal(ru.status, 201, ru.text);
  ruCase = ru.json.id;
});
after(() => stopDemo(srv));

const complain = (login, body) => cl.as(login, "POST", "/api/v1/complaints", { body });

test("a complaint to the provider: forwarded within 3 WD, decided within 5 WD, at the provider's close", async () => {
  const r = await complain(APPLICANT, {
    application: caseId,
    against: "provider",
    addressed_to: "provider",
    text: "Апостиль мерзімінде қойылмады",
  });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.id > 0);
  // Registered Mon 1 June, which does not count: Thu 4 June and Mon 8 June, at the
  // Prosecutor's Committee's close (18:30).
  assert.equal(r.json.forward_by, "2026-06-04T18:30:00+05:00");
  assert.equal(r.json.decide_by, "2026-06-08T18:30:00+05:00");
  assert.equal(r.json.unit, "kpssu-astana");
  assert.equal(r.json.registered_at, NOW);
});

test("a complaint to the quality authority is decided within 15 WD", async () => {
  const r = await complain(APPLICANT, {
    application: caseId,
    against: "provider",
    addressed_to: "quality-authority",
    text: "Шағым",
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.forward_by, "2026-06-04T18:30:00+05:00");
  // 15 WD after Mon 1 June: 2–5, 8–12, 15–19, 22 June.
  assert.equal(r.json.decide_by, "2026-06-22T18:30:00+05:00");
});

test("a complaint against the PSC counts in the PSC's hours", async () => {
  const r = await complain(APPLICANT, {
    application: String(caseId),
    against: "psc",
    addressed_to: "state-corporation",
    text: "Кезек ұзақ болды",
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.unit, "psc-astana-1");
  assert.equal(r.json.forward_by, "2026-06-04T18:00:00+05:00");
  assert.equal(r.json.decide_by, "2026-06-08T18:00:00+05:00");
});

test("bad complaints are 4xx with the field named", async () => {
  const base = { application: caseId, against: "provider", addressed_to: "provider", text: "x" };
  const cases = [
    [{ ...base, against: "court" }, 422, "complaint.against_unknown", "against"],
    [{ ...base, addressed_to: "president" }, 422, "complaint.addressee_unknown", "addressed_to"],
    [{ ...base, application: 0 }, 422, "request.field_invalid", "application"],
    [{ against: "provider", addressed_to: "provider", text: "x" }, 422, "request.field_missing", "application"],
    [{ ...base, text: "" }, 422, undefined, "text"],
    [{ ...base, extra: 1 }, 422, undefined, "extra"],
    [{ ...base, application: 999999 }, 404, "store.case_not_found", "application"],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await complain(APPLICANT, body);
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    if (code) assert.equal(r.json.error.code, code);
    if (field) assert.equal(r.json.error.field, field);
  }
  const staff = await complain("operator.astana", base);
  assert.equal(staff.status, 403);
  assert.equal(staff.json.error.code, "complaint.applicants_only");
  const anon = await srv.request("POST", "/api/v1/complaints", { body: base });
  assert.equal(anon.status, 401);
});

test("only the applicant complains: the subject of a third-party case is refused", async () => {
  const r = await complain(APPLICANT, {
    application: thirdParty,
    against: "provider",
    addressed_to: "provider",
    text: "x",
  });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.code, "complaint.not_applicant");
});

test("the provider's head, the reviewer and the quality authority list them with due dates", async () => {
  const head = await cl.as("head.kpssu", "GET", "/api/v1/complaints");
  assert.equal(head.status, 200, head.text);
  assert.equal(head.json.length, 2, "the two against the provider");
  assert.ok(head.json.every((c) => c.unit === "kpssu-astana"));
  const dues = head.json.map((c) => c.decide_by);
  assert.deepEqual(dues, [...dues].sort(), "soonest decision first");
  for (const c of head.json) {
    assert.equal(c.application, caseId);
    assert.match(c.number, /^KZ-71-\d{8}$/);
    assert.equal(c.complainant, APPLICANT);
    assert.ok(c.forward_by && c.decide_by && c.text);
    assert.equal(c.overdue, false);
  }
  const psc = await cl.as("head.astana", "GET", "/api/v1/complaints");
  assert.equal(psc.status, 200);
  assert.deepEqual(psc.json.map((c) => c.against), ["psc"]);
  const reviewer = await cl.as("reviewer", "GET", "/api/v1/complaints");
  assert.equal(reviewer.status, 200);
  assert.equal(reviewer.json.length, 3);
  const quality = await cl.as("quality", "GET", "/api/v1/complaints");
  assert.equal(quality.status, 200);
  assert.equal(quality.json.length, 3);
  const mine = await cl.as(APPLICANT, "GET", "/api/v1/complaints");
  assert.equal(mine.status, 200);
  assert.equal(mine.json.length, 3);
  const operator = await cl.as("operator.astana", "GET", "/api/v1/complaints");
  assert.equal(operator.status, 403);
  assert.equal(operator.json.error.code, "complaint.list_forbidden");
});

// ---- acting on complaints --------------------------------------------------------------

const get = (login, id) => cl.as(login, "GET", `/api/v1/complaints/${id}`);
const act = (login, id, body) => cl.as(login, "POST", `/api/v1/complaints/${id}/actions`, { body });
const file = async (against, addressed_to, application = caseId) => {
  const r = await complain(APPLICANT, { application, against, addressed_to, text: "Шағым мәтіні" });
  assert.equal(r.status, 201, r.text);
  return r.json;
};
const cabinet = () => srv.outbox(APPLICANT).filter((m) => m.channel === "cabinet");
let toReview, toSatisfy, toQuality, againstPsc, stale;

test("a complaint shows its state, due time, holder and the holder's actions", async () => {
  toReview = await file("provider", "provider");
  toSatisfy = await file("provider", "provider");
  toQuality = await file("provider", "quality-authority");
  againstPsc = await file("psc", "state-corporation");
  stale = await file("provider", "provider", ruCase);
  assert.equal(toReview.state, "registered");
  assert.equal(toReview.version, 1);
  assert.deepEqual(toReview.holder, { role: "provider-head", unit: "kpssu-astana" });
  assert.equal(toReview.due, toReview.forward_by, "while registered, the forwarding is due");
  assert.deepEqual(toReview.actions, [], "the complainant takes no action");
  assert.deepEqual(toReview.history.map((h) => h.action), ["register"]);

  const head = await get("head.kpssu", toReview.id);
  assert.equal(head.status, 200, head.text);
  assert.deepEqual(head.json.actions.map((a) => [a.name, a.kind]), [["satisfy", "close"], ["forward", "advance"]]);
  assert.deepEqual(head.json.actions[0].fields, [{ name: "text", type: "text", required: true }]);
  assert.equal(head.json.overdue, false);
  assert.deepEqual(againstPsc.holder, { role: "psc-head", unit: "psc-astana-1" }, "the PSC head holds one against the PSC");
  const mine = await get(APPLICANT, toReview.id);
  assert.equal(mine.status, 200);
  assert.equal(mine.json.state, "registered");
});

test("staff of another unit do not see a complaint: 404", async () => {
  for (const login of ["head.mia", "operator.tselinograd", "clerk.mia"]) {
    const r = await get(login, toReview.id);
    assert.equal(r.status, 404, `${login}: ${r.text}`);
    assert.equal(r.json.error.code, "store.complaint_not_found");
    const a = await act(login, toReview.id, { action: "forward", version: 1 });
    assert.equal(a.status, 404, `${login}: ${a.text}`);
  }
  const psc = await get("head.kpssu", againstPsc.id);
  assert.equal(psc.status, 404, "the provider does not see the one against the PSC");
  const none = await get("head.kpssu", 999999);
  assert.equal(none.status, 404);
});

test("a role that does not hold the complaint may not act: 403", async () => {
  for (const login of ["executor.kpssu", "clerk.kpssu", "reviewer", "quality", APPLICANT]) {
    const r = await act(login, toReview.id, { action: "forward", version: 1 });
    assert.equal(r.status, 403, `${login}: ${r.text}`);
    assert.equal(r.json.error.code, "complaint.not_holder");
  }
  const seen = await get("executor.kpssu", toReview.id);
  assert.equal(seen.status, 200, "staff of the unit see it");
  assert.deepEqual(seen.json.actions, []);
});

test("bad actions are 4xx: unknown action, missing text, stale version", async () => {
  const cases = [
    [{ action: "decide", version: 1 }, 422, "complaint.action_unknown", "action"],
    [{ action: "satisfy", version: 1, data: {} }, 422, "request.field_missing", "text"],
    [{ action: "satisfy", version: 1, data: { text: 5 } }, 422, "request.field_invalid", "text"],
    [{ action: "forward", version: 1, data: { why: "x" } }, 422, "json.unknown_field", "why"],
    [{ action: "forward", version: "1" }, 422, "json.wrong_type", "version"],
    [{ action: "forward", data: [] }, 422, "json.wrong_type", "data"],
    [{ version: 1 }, 422, undefined, "action"],
    [{ action: "forward", version: 7 }, 409, "store.stale_version", "version"],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await act("head.kpssu", stale.id, body);
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    if (code) assert.equal(r.json.error.code, code);
    assert.equal(r.json.error.field, field);
  }
  const after = await get("head.kpssu", stale.id);
  assert.equal(after.json.version, 1, "nothing moved");
});

// The complaint's line in `login`'s inbox, or undefined.
const inboxLine = async (login, id) =>
  (await cl.as(login, "GET", "/api/v1/inbox")).json.find(
    (l) => l.kind === "complaint" && l.id === id,
  );

test("forwarded within 3 WD, then decided by the reviewer before decide_by", async () => {
  await cl.nextDay(); // Tue 2 June, inside the 3 WD
  const sent = cabinet().length;
  // Held by the provider, it is in its inbox, the forwarding due.
  const held = await inboxLine("head.kpssu", toReview.id);
  assert.ok(held, "in the provider's inbox");
  assert.equal(held.step, "registered");
  assert.equal(held.role, "provider-head");
  assert.equal(held.due_at, toReview.forward_by);
  assert.equal(held.case_due_at, toReview.decide_by);
  assert.equal(held.mine, true);
  assert.equal((await inboxLine("clerk.kpssu", toReview.id)).mine, false, "the head's, not the clerk's");
  const f = await act("head.kpssu", toReview.id, { action: "forward", version: 1, data: { text: "Іс қоса беріледі" } });
  assert.equal(f.status, 200, f.text);
  assert.equal(f.json.state, "forwarded");
  assert.equal(f.json.version, 2);
  assert.deepEqual(f.json.holder, { role: "reviewer", unit: "reviewer-astana-police" });
  assert.equal(f.json.due, toReview.decide_by, "while forwarded, the decision is due");
  assert.deepEqual(f.json.actions, [], "the provider has nothing more to do");
  const again = await act("head.kpssu", toReview.id, { action: "forward", version: 2 });
  assert.equal(again.status, 403, "no longer the provider's");
  assert.equal(await inboxLine("head.kpssu", toReview.id), undefined, "gone from the provider's inbox");
  const review = await inboxLine("reviewer", toReview.id);
  assert.equal(review.step, "forwarded");
  assert.equal(review.due_at, toReview.decide_by);
  assert.equal(review.mine, true);

  const r = await get("reviewer", toReview.id);
  assert.deepEqual(r.json.actions.map((a) => a.name), ["decide"]);
  assert.deepEqual(r.json.actions[0].fields[0], { name: "outcome", type: "choice", required: true, values: ["upheld", "rejected"] });
  const bad = await act("reviewer", toReview.id, { action: "decide", version: 2, data: { outcome: "maybe", text: "x" } });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.error.code, "complaint.value_unknown");
  const d = await act("reviewer", toReview.id, {
    action: "decide",
    version: 2,
    data: { outcome: "rejected", text: "Апостиль заңда белгіленген мерзімде қойылған" },
  });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.state, "decided");
  assert.equal(d.json.outcome, "rejected");
  assert.equal(d.json.resolution, "Апостиль заңда белгіленген мерзімде қойылған");
  assert.equal(d.json.holder, null);
  assert.equal(d.json.due, null);
  assert.equal(await inboxLine("reviewer", toReview.id), undefined, "closed: in nobody's inbox");
  assert.equal(d.json.overdue, false);
  assert.ok(d.json.closed_at < d.json.decide_by, "decided before decide_by");
  assert.deepEqual(
    d.json.history.map((h) => [h.action, h.from, h.to, h.role]),
    [
      ["register", null, "registered", "applicant"],
      ["forward", "registered", "forwarded", "provider-head"],
      ["decide", "forwarded", "decided", "reviewer"],
    ],
  );
  assert.equal(d.json.history[2].data.outcome, "rejected");
  const closed = await act("reviewer", toReview.id, { action: "decide", version: 3, data: { outcome: "upheld", text: "x" } });
  assert.equal(closed.status, 409, closed.text);
  assert.equal(closed.json.error.code, "complaint.closed");

  const told = cabinet().slice(sent).map((m) => m.text);
  assert.equal(told.length, 2, "one message per move");
  assert.match(told[0], new RegExp(`${toReview.number}.*қарайтын органға жолданды.*2026-06-08`));
  assert.match(told[1], /қанағаттандырусыз қалдырылды/);
  const mine = await get(APPLICANT, toReview.id);
  assert.equal(mine.json.state, "decided");
  assert.equal(mine.json.history.length, 3);
  const c = await cl.as("operator.astana", "GET", `/api/v1/applications/${caseId}`);
  assert.ok(c.json.history.some((e) => e.action === "complaint.decide"), "the moves are events of the case");
  // Staff reading the complaint is recorded on the case too; the applicant's reading is not.
  const reads = c.json.history.filter((e) => e.action === "complaint.read");
  assert.ok(reads.length > 0 && reads.every((e) => e.role !== "applicant"), JSON.stringify(reads));
  assert.ok(reads.some((e) => e.actor === "reviewer"), "the reviewer read it");
});

test("satisfied by the provider within 3 WD: closed, and the applicant told", async () => {
  const sent = cabinet().length;
  const r = await act("head.kpssu", toSatisfy.id, { action: "satisfy", version: 1, data: { text: "Апостиль қойылды" } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, "satisfied");
  assert.equal(r.json.resolution, "Апостиль қойылды");
  assert.equal(r.json.outcome, null);
  assert.equal(r.json.holder, null);
  assert.ok(r.json.closed_at <= r.json.forward_by);
  const told = cabinet().slice(sent);
  assert.equal(told.length, 1);
  assert.match(told[0].text, /толық қанағаттандырылды/);
  const notes = await cl.as(APPLICANT, "GET", "/api/v1/me/notifications");
  assert.equal(notes.json[0].text, told[0].text, "in the applicant's cabinet, newest first");
});

test("addressed to the quality authority: forwarded to it, decided within 15 WD", async () => {
  const f = await act("head.kpssu", toQuality.id, { action: "forward", version: 1 });
  assert.equal(f.status, 200, f.text);
  assert.deepEqual(f.json.holder, { role: "quality-authority", unit: "quality-authority" });
  // 15 WD after Mon 1 June: 2–5, 8–12, 15–19, 22 June, at the provider's close.
  assert.equal(f.json.due, "2026-06-22T18:30:00+05:00");
  const reviewer = await act("reviewer", toQuality.id, { action: "decide", version: 2, data: { outcome: "upheld", text: "x" } });
  assert.equal(reviewer.status, 403, "the reviewer does not decide one addressed to the quality authority");
  const d = await act("quality", toQuality.id, { action: "decide", version: 2, data: { outcome: "upheld", text: "Шағым негізді" } });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.state, "decided");
  assert.equal(d.json.outcome, "upheld");
  assert.match(cabinet().at(-1).text, /қаралды: қанағаттандырылды/);
});

// Seed 000 item 20 (L83): complaints about PSC staff go to the head of the State Corporation
// (or the authority for informatization), not to a provider's reviewer.
test("against the PSC: its department head forwards it to the head of the State Corporation", async () => {
  const r = await act("head.astana", againstPsc.id, { action: "forward", version: 1 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.holder, { role: "sc-head", unit: "sc-head-office" });
  const held = await cl.as("head.sc", "GET", "/api/v1/complaints");
  const line = held.json.find((c) => c.id === againstPsc.id);
  assert.equal(line.state, "forwarded");
  assert.equal(line.due, againstPsc.decide_by);
});

test("a Russian-speaking applicant is told in Russian", async () => {
  const r = await act("head.kpssu", stale.id, { action: "forward", version: 1 });
  assert.equal(r.status, 200, r.text);
  const m = cabinet().at(-1);
  assert.equal(m.lang, "ru");
  assert.match(m.text, /направлена с административным делом/);
});

test("the holder's list is its inbox: open ones first, soonest due first", async () => {
  const head = await cl.as("head.kpssu", "GET", "/api/v1/complaints");
  assert.equal(head.status, 200);
  const states = head.json.map((c) => c.state);
  const firstClosed = states.findIndex((s) => s === "decided" || s === "satisfied");
  assert.ok(firstClosed > 0 && states.slice(firstClosed).every((s) => s === "decided" || s === "satisfied"), states.join());
  const dues = head.json.slice(0, firstClosed).map((c) => c.due);
  assert.deepEqual(dues, [...dues].sort(), "soonest due first");
  for (const c of head.json.slice(0, firstClosed)) assert.ok(c.holder && typeof c.overdue === "boolean");
});

test("a complaint not moved in its term is overdue", async () => {
  const r = await cl.as("admin", "POST", "/api/v1/admin/clock", {
    body: { set: "2026-06-09T09:00:00+05:00" },
  });
  assert.equal(r.status, 200, r.text);
  const head = await cl.as("head.kpssu", "GET", "/api/v1/complaints");
  const open = head.json.filter((c) => c.state === "registered");
  assert.equal(open.length, 2, "the first two, never forwarded");
  assert.ok(open.every((c) => c.overdue), "their forwarding was due on 4 June");
  assert.ok(head.json.filter((c) => c.due === null).every((c) => !c.overdue), "closed ones are never overdue");
  // The one against the PSC, forwarded, is due on Mon 8 June at the PSC's close.
  const sc = await cl.as("head.sc", "GET", "/api/v1/complaints");
  const psc = sc.json.find((c) => c.id === againstPsc.id);
  assert.equal(psc.overdue, true);
});

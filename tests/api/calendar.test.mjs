// A due date in a provisional year of the calendar (2027: no act moving days off yet,
// Kurban Ait an estimate) is given, and the receipt and the case say it may move.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDemo, stopDemo } from "./demo-client.mjs";

// Friday 25 December 2026, 10:00 in Astana.
const NOW = "2026-12-25T10:00:00+05:00";

let srv, client;

before(async () => ({ srv, cl: client } = await startDemo(NOW)));
after(() => stopDemo(srv));

test("an apostille of 25 December 2026 is due in 2027, and the receipt says the date may move", async () => {
  const r = await client.apply("operator.astana", "apostille");
  assert.equal(r.status, 201, r.text);
  // 5 WD at a regional department, the day of acceptance not counted: 28, 29, 30, 31
  // December; 1 January holiday, 2 January holiday on a Saturday (its day off Monday 4),
  // 3 Sunday; Tuesday 5 January 2027, at the PSC's close.
  assert.equal(r.json.due_at, "2027-01-05T18:00:00+05:00");
  for (const o of [r.json, r.json.receipt]) {
    assert.equal(o.due_provisional, true);
    assert.match(o.due_notice.en, /2027.*provisional.*may move/);
    assert.ok(o.due_notice.kk.includes("2027") && o.due_notice.ru.includes("2027"));
  }
  const c = await client.as("operator.astana", "GET", `/api/v1/applications/${r.json.id}`);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.due_provisional, true);
  assert.match(c.json.due_notice.ru, /предварительный/);
});

// Whole journeys through the pages in a real browser (Debian's Chromium, headless), each
// page checked on the way (tests/browser/browser.mjs: axe, 390 px, both languages,
// screenshots in build/screens/, or docs/screens/ by `make screens`):
//   1. a citizen signs in by one-time password and applies for a criminal-record
//      certificate on the portal, confirming by a one-time password;
//   2. a PSC operator, by keyboard alone, accepts an apostille application at the desk —
//      a missing document first gives the refusal receipt —, prints and certifies it; the
//      citizen consents in the cabinet; the provider's clerk, executor and head work it
//      through a hearing to a refusal; the citizen sees it and complains;
//   3. a third party's request waits for the person's consent in that person's cabinet;
//   4. a session that has ended returns to sign-in and then to the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, stop, newPage, open, ready, signInStaff, signInCitizen, checkPage, tabTo, PHONE } from "./browser.mjs";

const NOW = "2026-06-01T10:00:00+05:00";
const CITIZEN = "921029350851"; // the demo applicant (catalog/demo/persons.json)
const OTHER = "850315423272"; // another demo person with a phone
let env;

before(async () => {
  env = await start(NOW);
});
after(() => stop(env));

// The case id of application `number` as its page's address shows it.
const caseIdOf = (page) => new URL(page.url()).searchParams.get("id");

test("the portal: the catalogue, a service, and sign-in, in both languages", async () => {
  const page = await newPage(env, { viewport: PHONE });
  await open(page, env, "/");
  assert.equal(await page.locator("[data-service]").count(), 10, "the ten services");
  await checkPage(page, "portal");
  await page.click('[data-service="apostille"] a');
  await ready(page);
  // 0.5 MCI a document, the MCI of 2026 being 4 325 tenge (catalog/mci.json): 2 162,5
  assert.match(await page.textContent("main"), /2162,5 .*0,5/, "the apostille's fee in tenge and MCI");
  await checkPage(page, "service");
  await open(page, env, "/signin");
  await checkPage(page, "signin");
  // a wrong IIN: the error summary links to the field, in the person's language
  await page.fill("#iin", "123");
  await page.click("#send-otp");
  await page.waitForSelector(".error-summary");
  assert.equal(await page.getAttribute(".error-summary a", "href"), "#iin");
  assert.equal(await page.getAttribute("#iin", "aria-invalid"), "true");
  assert.doesNotMatch(await page.textContent(".error-summary"), /[{}"]/, "no raw JSON");
  await checkPage(page, "signin-error", { lang: false });
  await page.context().close();
});

test("a citizen applies for a criminal-record certificate on the portal, confirming by one-time password", async () => {
  const page = await newPage(env, { viewport: PHONE });
  await signInCitizen(page, env, CITIZEN, "/service?code=criminal-record");
  assert.equal(new URL(page.url()).pathname, "/service", "back to the page that asked to sign in");
  await Promise.all([page.waitForURL(/\/apply/), page.click("#apply")]);
  await ready(page);
  await page.selectOption("#branch", "psc-astana-1");
  await checkPage(page, "apply");
  await page.selectOption("#branch", "psc-astana-1");
  // sent without the code: the summary says so, tied to the field
  await page.click("#apply-submit");
  await page.waitForSelector('.error-summary a[href="#otp"]');
  await page.click("#send-otp");
  await page.waitForSelector("#otp-sent", { state: "visible" });
  const { lastCode } = await import("./browser.mjs");
  await page.fill("#otp", lastCode(env, CITIZEN));
  await page.click("#apply-submit");
  await page.waitForSelector("#acceptance-receipt");
  const number = await page.textContent("#receipt-number");
  assert.match(number, /^KZ-71-\d{8}$/);
  await checkPage(page, "apply-done", { lang: false });
  await open(page, env, "/cabinet");
  assert.ok(await page.locator(`[data-case="${number}"]`).count(), "the case is in the cabinet");
  await page.click(`[data-case="${number}"] a`);
  await ready(page);
  assert.equal(await page.textContent("h1"), number);
  await checkPage(page, "case-citizen");
  await page.context().close();
});

test("the desk by keyboard alone, an apostille through a hearing to a refusal, and the citizen's complaint", async () => {
  // -- the operator, keyboard only --
  const desk = await newPage(env);
  await signInStaff(desk, env, "operator.astana");
  assert.equal(new URL(desk.url()).pathname, "/desk", "an operator starts at the desk");
  await checkPage(desk, "desk");
  assert.ok(await desk.evaluate(() => document.activeElement.id === "applicant"), "the IIN field has the focus");
  await desk.keyboard.type(CITIZEN);
  await desk.keyboard.press("Tab");
  const options = await desk.$$eval("#service option", (os) => os.map((o) => o.value));
  for (let i = 0; i < options.indexOf("apostille"); i++) await desk.keyboard.press("ArrowDown");
  assert.equal(await desk.inputValue("#service"), "apostille");
  // the documents brought (catalog/services/apostille.json), the duty receipt last
  const brought = ["application", "identity", "official-document"];
  for (const kind of brought) {
    await tabTo(desk, `#checklist input[value="${kind}"]`);
    await desk.keyboard.press("Space");
  }
  await tabTo(desk, "#accept");
  await desk.keyboard.press("Enter");
  await desk.waitForSelector("#refusal-receipt");
  assert.deepEqual(await desk.$$eval("#missing li", (xs) => xs.map((x) => x.dataset.kind)), ["duty-receipt"], "the missing document");
  await checkPage(desk, "desk-refusal", { lang: false });
  await tabTo(desk, '#checklist input[value="duty-receipt"]');
  await desk.keyboard.press("Space");
  await tabTo(desk, "#accept");
  await desk.keyboard.press("Enter");
  await desk.waitForSelector("#acceptance-receipt");
  const number = await desk.textContent("#receipt-number");
  assert.ok(await desk.evaluate(() => document.activeElement.id === "certify"), "certify has the focus");
  await checkPage(desk, "desk-accepted", { lang: false });
  await desk.keyboard.press("Enter");
  await desk.waitForSelector("#certify", { state: "detached" });
  assert.match(await desk.textContent("#accepted"), new RegExp(number));

  // -- the citizen consents in the cabinet --
  const citizen = await newPage(env, { viewport: PHONE });
  await signInCitizen(citizen, env, CITIZEN, "", { password: true });
  assert.equal(new URL(citizen.url()).pathname, "/cabinet");
  await citizen.waitForSelector(`#consent [data-case="${number}"], [data-case="${number}"] [data-action="consent"]`);
  await checkPage(citizen, "cabinet-consent");
  await citizen.click(`[data-case="${number}"] [data-action="consent"]`);
  await citizen.waitForSelector(".notice.ok");

  // -- the operator sends it on, from the inbox (keyboard still) --
  await open(desk, env, "/inbox");
  await checkPage(desk, "inbox-psc");
  await tabTo(desk, `tr[data-number="${number}"] a`);
  await Promise.all([desk.waitForURL(/\/case/), desk.keyboard.press("Enter")]);
  await ready(desk);
  await act(desk, "send");
  const id = caseIdOf(desk);

  // -- the provider: register, check, preliminary refusal, hearing, refusal --
  const clerk = await newPage(env);
  await signInStaff(clerk, env, "clerk.kpssu");
  assert.equal(new URL(clerk.url()).pathname, "/inbox");
  await clerk.waitForSelector(`tr[data-number="${number}"]`);
  await checkPage(clerk, "inbox-provider");
  await clerk.selectOption("#filter-assignee", "none");
  assert.ok(await clerk.locator(`tr[data-number="${number}"]`).count(), "unassigned filter keeps it");
  await clerk.click(`tr[data-number="${number}"] a`);
  await ready(clerk);
  await checkPage(clerk, "case-register");
  await act(clerk, "register", async (f) => {
    // sent empty first: the error is tied to the field
    await f.locator("button[type=submit]").click();
    await clerk.waitForSelector(".error-summary");
    await f.locator("[name=journal_number]").fill("J-2026-0601");
  });
  await clerk.context().close();

  // the head assigns the executor: from then on the inbox names them
  const head = await newPage(env);
  await signInStaff(head, env, "head.kpssu");
  await open(head, env, `/case?id=${id}`);
  await head.selectOption("#assign-role", "provider-executor");
  await head.fill("#assign-login", "executor.kpssu");
  await head.click("#assign-submit");
  await head.waitForSelector("#case-notice");
  await open(head, env, "/inbox");
  await head.selectOption("#filter-assignee", "@executor.kpssu");
  assert.equal(await head.locator(`tr[data-number="${number}"]`).count(), 1, "filtered by assignee");

  const executor = await newPage(env);
  await signInStaff(executor, env, "executor.kpssu");
  await open(executor, env, `/case?id=${id}`);
  await act(executor, "checked", async (f) => {
    for (const s of await f.locator("select").all()) await s.selectOption("clear");
    await f.locator("[name=basis]").fill("Тексерілді / Проверено");
  });

  await open(head, env, `/case?id=${id}`);
  await checkPage(head, "case-decide");
  await act(head, "preliminary-refusal", async (f) => {
    await f.locator("[name=ground]").selectOption({ index: 1 });
    await f.locator("[name=reasons]").fill("Құжаттың түпнұсқалығы расталмады / Подлинность не подтверждена");
  });

  await open(executor, env, `/case?id=${id}`);
  await act(executor, "notify", async (f) => {
    await f.locator("[name=hearing_at]").fill("2026-06-03 10:00");
    await f.locator("[name=hearing_place]").fill("каб. 12");
  });
  await executor.context().close();

  await open(head, env, `/case?id=${id}`);
  await checkPage(head, "case-hearing");
  await act(head, "refuse", (f) => f.locator("[name=ground]").selectOption({ index: 1 }));
  await head.context().close();

  // -- the citizen sees where it is and complains --
  await open(citizen, env, `/case?id=${id}`);
  const history = await citizen.textContent("#history");
  assert.ok(history.split("\n").length >= 1 && (await citizen.locator("#history li").count()) >= 7, "the history");
  await citizen.locator("#complaint-text").fill("Апостиль қойылмады / Апостиль не проставлен");
  await citizen.click("#complaint-submit");
  await citizen.waitForSelector("#case-notice");
  await open(citizen, env, "/cabinet");
  await citizen.waitForSelector("[data-complaint]");
  await checkPage(citizen, "cabinet");
  await citizen.click("[data-complaint] a");
  await ready(citizen);
  await checkPage(citizen, "complaint");
  await citizen.context().close();
  await desk.context().close();
});

test("a third party's request waits for the person's consent in their cabinet", async () => {
  const asker = await newPage(env, { viewport: PHONE });
  await signInCitizen(asker, env, CITIZEN, "/apply?code=criminal-record", { password: true });
  await asker.check("#whom-other");
  await asker.fill("#subject", OTHER);
  await asker.selectOption("#branch", "psc-astana-1");
  await asker.click("#send-otp");
  await asker.waitForSelector("#otp-sent", { state: "visible" });
  const { lastCode } = await import("./browser.mjs");
  await asker.fill("#otp", lastCode(env, CITIZEN));
  await asker.click("#apply-submit");
  await asker.waitForSelector("#acceptance-receipt");
  const number = await asker.textContent("#receipt-number");
  await asker.context().close();

  const person = await newPage(env, { viewport: PHONE, lang: "ru" });
  await signInCitizen(person, env, OTHER);
  const box = person.locator(`#consent [data-case="${number}"]`);
  await box.waitFor();
  assert.match(await box.textContent(), new RegExp(CITIZEN), "who asks");
  await box.locator('[data-action="consent-third-party"]').click();
  await person.waitForSelector(".notice.ok");
  await open(person, env, "/cabinet");
  assert.equal(await person.locator(`#consent [data-case="${number}"]`).count(), 0, "no longer waiting");
  await person.context().close();
});

test("a session that has ended returns to sign-in, then to the page", async () => {
  const page = await newPage(env);
  await signInStaff(page, env, "clerk.kpssu");
  // the server forgets the session (signed out elsewhere); the page's next call gets 401
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem("qz.session")).token);
  await env.srv.request("DELETE", "/api/v1/sessions", { headers: { Authorization: `Bearer ${token}` } });
  await page.goto(`${env.srv.base}/inbox?x=1`);
  await page.waitForURL(/\/signin\?/);
  await ready(page);
  assert.ok(await page.locator(".notice").count(), "says why");
  await page.fill("#login", "clerk.kpssu");
  await page.fill("#password", env.pw("clerk.kpssu"));
  await Promise.all([page.waitForURL(/\/inbox\?x=1$/), page.click("#staff-submit")]);
  await page.context().close();
});

// Takes the case's action `name` on its page: fill(form) fills its fields; waits for the
// page to say it was done.
async function act(page, name, fill) {
  const form = page.locator(`form[data-action="${name}"]`);
  await form.waitFor().catch(async (e) => {
    throw new Error(`no action ${name} on ${page.url()}: ${(await page.textContent("main")).slice(0, 600)}`, { cause: e });
  });
  if (fill) await fill(form);
  await page.evaluate(() => document.querySelector("#case-notice")?.remove());
  await form.locator("button[type=submit]").click();
  await page.waitForSelector("#case-notice");
}

// The personal cabinet: the person's cases with their status and due date, requests that
// wait for their consent (approve or refuse here), the messages sent to them, and their
// complaints.
import { page, api, h, t, pick, when, showErrors, apiErrors, statusTag } from "./app.js";


async function consentBox(c, main) {
  const full = await api("GET", `/api/v1/applications/${c.id}`);
  const acts = full.actions.filter((a) => a.kind !== "other" || /consent|decline/.test(a.name));
  if (!acts.length) return null;
  const box = h("li.card", { "data-case": c.number, id: `consent-${c.id}` },
    h("h3", pick(c.service_name)),
    h("p", t("web.cabinet.consent_text", { number: c.number, applicant: full.applicant })),
    h("p", h("strong", `${t("web.case.due")}: `), when(full.steps.findLast((s) => !s.done_at)?.due_at)),
    h("div.actions", acts.map((a) => h(a.kind === "refuse" || /decline/.test(a.name) ? "button.warning" : "button", {
      type: "button", "data-action": a.name,
      onclick: async () => {
        try {
          await api("POST", `/api/v1/applications/${c.id}/actions`, { action: a.name, version: full.version, data: {} });
          box.replaceChildren(h("p.notice.ok", { role: "status" }, t(/decline/.test(a.name) ? "web.cabinet.declined" : "web.cabinet.consented", { number: c.number })));
        } catch (e) {
          showErrors(apiErrors(e), main.firstChild);
        }
      },
    }, pick(a.label)))));
  return box;
}

page("web.cabinet.title", async (main) => {
  main.append(h("h1", t("web.cabinet.title")));
  const [cases, notes, complaints] = await Promise.all([
    api("GET", "/api/v1/me/cases"), api("GET", "/api/v1/me/notifications"), api("GET", "/api/v1/complaints")]);

  const waiting = cases.filter((c) => c.status === "open" && /consent/.test(c.state));
  const boxes = (await Promise.all(waiting.map((c) => consentBox(c, main)))).filter(Boolean);
  main.append(h("section", { id: "consent", "aria-labelledby": "consent-title" }, h("h2", { id: "consent-title" }, t("web.cabinet.consents")),
    boxes.length ? h("ul.cards", boxes) : h("p.muted", t("web.cabinet.no_consents"))));

  main.append(h("h2", { id: "cases" }, t("web.cabinet.cases")));
  main.append(cases.length ? h("ul.cards", { id: "case-list" }, cases.map((c) => h("li.card", { "data-case": c.number },
    h("h3", h("a", { href: `/case?id=${c.id}` }, h("span", { translate: "no" }, c.number), ` — ${pick(c.service_name)}`)),
    h("p", statusTag(c.status), " ", t(`web.as.${c.as}`)),
    h("p", h("strong", `${t("web.case.due")}: `), when(c.due_at))))) : h("p.muted", t("web.cabinet.no_cases")));

  main.append(h("h2", { id: "complaints" }, t("web.cabinet.complaints")));
  main.append(complaints.length ? h("ul.cards", complaints.map((x) => h("li.card", { "data-complaint": x.id },
    h("h3", h("a", { href: `/complaint?id=${x.id}` }, t("web.complaint.name", { id: x.id, number: x.number }))),
    h("p", h("span.tag", t(`web.cstate.${x.state}`)), x.due ? ` ${t("web.complaint.due")}: ${when(x.due)}` : "")))) : h("p.muted", t("web.cabinet.no_complaints")));

  main.append(h("h2", { id: "notifications" }, t("web.cabinet.notifications")));
  const mine = notes.filter((n) => n.channel === "cabinet"); // an SMS may carry a one-time password
  main.append(mine.length ? h("ul", { id: "notes" }, mine.slice(0, 30).map((n) => h("li", h("span.muted", `${when(n.at)} · ${t(`web.via.${n.channel}`)} · `), h("span", { lang: n.lang }, n.text)))) : h("p.muted", t("web.cabinet.no_notifications")));
}, { needs: "applicant" });

// The unit's inbox: its open steps and the complaints it holds, soonest due first (as the
// API orders them), overdue and at-risk lines marked, filtered by step and by assignee.
import { page, api, h, t, pick, when, session, roleName } from "./app.js";

page("web.inbox.title", async (main) => {
  const me = session();
  const rows = await api("GET", "/api/v1/inbox");
  const codes = [...new Set(rows.filter((r) => r.kind === "step").map((r) => r.service))];
  const stds = Object.fromEntries(await Promise.all(codes.map(async (c) => [c, (await api("GET", `/api/v1/services/${encodeURIComponent(c)}`)).standard])));
  const stepName = (r) => r.kind === "complaint" ? t(`web.cstate.${r.step}`) : pick(stds[r.service]?.workflow?.steps?.[r.step]?.name) || t(`web.step.${r.step}`);
  const serviceName = (r) => pick(stds[r.service]?.name) || r.service;

  main.append(h("h1", t("web.inbox.title")), h("p.lead", t("web.inbox.lead", { unit: me.unit || "" })));
  const steps = [...new Map(rows.map((r) => [`${r.kind}:${r.step}`, r])).values()];
  const people = [...new Set(rows.map((r) => r.assignee).filter(Boolean))];
  const stepSel = h("select", { id: "filter-step" }, h("option", { value: "" }, t("web.inbox.all_steps")),
    steps.map((r) => h("option", { value: `${r.kind}:${r.step}` }, stepName(r))));
  const whoSel = h("select", { id: "filter-assignee" },
    h("option", { value: "" }, t("web.inbox.everyone")), h("option", { value: "mine" }, t("web.inbox.mine")),
    h("option", { value: "none" }, t("web.inbox.unassigned")), people.map((p) => h("option", { value: `@${p}`, translate: "no" }, p)));
  const count = h("p", { id: "inbox-count", role: "status" });
  const tbody = h("tbody");
  main.append(h("form.filters", { role: "search", onsubmit: (e) => e.preventDefault() },
    h("div.field", h("label", { for: "filter-step" }, t("web.inbox.filter_step")), stepSel),
    h("div.field", h("label", { for: "filter-assignee" }, t("web.inbox.filter_assignee")), whoSel)),
  count,
  h("div.table-wrap", h("table.stack", { id: "inbox" },
    h("thead", h("tr", ["web.inbox.case", "web.inbox.step", "web.case.role", "web.case.due", "web.inbox.flags", "web.inbox.assignee"].map((k) => h("th", { scope: "col" }, t(k))))),
    tbody)));

  const show = () => {
    const st = stepSel.value;
    const who = whoSel.value;
    const shown = rows.filter((r) => (!st || `${r.kind}:${r.step}` === st) &&
      (!who || (who === "mine" ? r.mine : who === "none" ? !r.assignee : r.assignee === who.slice(1))));
    tbody.replaceChildren(...shown.map((r) => h("tr", { class: r.overdue ? "overdue" : r.at_risk ? "risk" : null, "data-number": r.number, "data-kind": r.kind },
      h("td", { "data-h": t("web.inbox.case") }, h("a", { href: r.kind === "complaint" ? `/complaint?id=${r.id}` : `/case?id=${r.case}` },
        r.kind === "complaint" ? t("web.complaint.name", { id: r.id, number: r.number }) : h("span", { translate: "no" }, r.number)), h("br"), h("span.muted", serviceName(r))),
      h("td", { "data-h": t("web.inbox.step") }, stepName(r)),
      h("td", { "data-h": t("web.case.role") }, roleName(r.role)),
      h("td", { "data-h": t("web.case.due") }, when(r.due_at)),
      h("td", { "data-h": t("web.inbox.flags") }, r.overdue ? h("span.tag.overdue", t("web.inbox.overdue")) : r.at_risk ? h("span.tag.risk", t("web.inbox.at_risk")) : "—"),
      h("td", { "data-h": t("web.inbox.assignee") }, r.assignee ? h("span", { translate: "no" }, r.assignee) : r.mine ? t("web.inbox.you") : "—"))));
    count.textContent = t("web.inbox.count", { n: shown.length, all: rows.length });
  };
  stepSel.addEventListener("change", show);
  whoSel.addEventListener("change", show);
  show();
}, { needs: "staff" });

// One complaint: what it is about, when it must be forwarded and decided, its history,
// and the moves its holder may make (satisfy, forward, decide) with their fields.
import { page, api, h, t, param, when, session, showErrors, apiErrors, clearErrors, fieldFor, readFields, fieldIds, roleName } from "./app.js";

page("web.complaint.title", async (main) => {
  const id = param("id") || "";
  const me = session();
  const render = async (notice) => {
    const x = await api("GET", `/api/v1/complaints/${encodeURIComponent(id)}`);
    main.replaceChildren(h("p", h("a", { href: me.role === "applicant" ? "/cabinet" : "/inbox" }, t(me.role === "applicant" ? "web.back.cabinet" : "web.back.inbox"))));
    if (notice) main.append(h("p.notice.ok", { role: "status", id: "complaint-notice" }, notice));
    main.append(h("h1", t("web.complaint.name", { id: x.id, number: x.number })),
      h("dl.facts", { id: "complaint-facts" },
        h("dt", t("web.complaint.state")), h("dd", { id: "complaint-state" }, h("span.tag", t(`web.cstate.${x.state}`)), x.outcome ? ` ${t(`web.value.${x.outcome}`)}` : ""),
        h("dt", t("web.complaint.against")), h("dd", t(`web.complaint.against.${x.against}`)),
        h("dt", t("web.complaint.to")), h("dd", t(`web.complaint.to.${x.addressed_to}`)),
        h("dt", t("web.complaint.forward_by")), h("dd", when(x.forward_by)),
        h("dt", t("web.complaint.decide_by")), h("dd", when(x.decide_by)),
        h("dt", t("web.complaint.case")), h("dd", me.role === "applicant" || x.holder ? h("a", { href: `/case?id=${x.application}`, translate: "no" }, x.number) : h("span", { translate: "no" }, x.number))),
      h("h2", t("web.complaint.text")), h("p", { id: "complaint-text", translate: "no" }, x.text));
    if (x.resolution) main.append(h("h2", t("web.complaint.resolution")), h("p", { translate: "no" }, x.resolution));
    for (const a of x.actions) {
      const prefix = `c-${a.name}-`;
      const fs = (a.fields || []).map((f) => (f.name === "outcome" && !f.values ? { ...f, type: "choice", values: ["upheld", "rejected"] } : f));
      const form = h("form.action", { "data-action": a.name, novalidate: true }, h("h2", t(`web.caction.${a.name}`)),
        fs.map((f) => fieldFor(f, prefix)), h("button", { type: "submit" }, t(`web.caction.${a.name}`)));
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        clearErrors();
        try {
          await api("POST", `/api/v1/complaints/${x.id}/actions`, { action: a.name, version: x.version, data: readFields(form, fs, prefix) });
          await render(t("web.complaint.moved"));
        } catch (e) {
          showErrors(apiErrors(e, fieldIds(fs, prefix)), form);
        }
      });
      main.append(form);
    }
    main.append(h("h2", t("web.case.history")), h("ol", x.history.map((e) =>
      h("li", h("span.muted", `${when(e.at)} · `), t(`web.caction.${e.action}`), " · ", h("span", { translate: "no" }, e.actor), ` (${roleName(e.role)})`))));
  };
  await render();
}, { needs: "signed" });

// One case, for whoever may see it: its status and due date, its steps with their terms,
// its history, and the actions the caller may take now, each with the fields it needs
// (an extension, an interim answer, a hearing, a refusal with its ground …). The
// applicant may complain about it here.
import { page, api, h, t, pick, param, when, session, showErrors, apiErrors, clearErrors, fieldFor, readFields, fieldIds, roleName, statusTag } from "./app.js";
import { groundNames, actionNames, checkNames } from "./catalogue.js";

function actionForm(c, a, labels, reload) {
  const prefix = `a-${a.name}-`;
  const fs = a.fields || [];
  const form = h("form.action", { "data-action": a.name, novalidate: true },
    fs.length ? h("h3", pick(a.label) || a.name) : null,
    fs.map((f) => fieldFor(f, prefix, { labels: f.type === "ground" ? labels.grounds : {}, label: f.type === "outcome" ? labels.checks[f.name] : undefined })),
    h("button", { type: "submit", class: a.kind === "refuse" ? "warning" : null }, pick(a.label) || a.name));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors();
    try {
      await api("POST", `/api/v1/applications/${c.id}/actions`, { action: a.name, version: c.version, data: readFields(form, fs, prefix) });
      reload(t("web.case.done_action", { action: pick(a.label) || a.name }));
    } catch (e) {
      showErrors(apiErrors(e, fieldIds(fs, prefix)), form);
    }
  });
  return form;
}

function assignForm(c, reload) {
  const roles = [...new Set(c.steps.map((s) => s.role).filter((r) => r && r !== "applicant"))];
  const form = h("form", { id: "assign-form", novalidate: true },
    h("h2", t("web.assign.title")),
    h("div.field", h("label", { for: "assign-role" }, t("web.assign.role")),
      h("select", { id: "assign-role" }, roles.map((r) => h("option", { value: r }, roleName(r))))),
    h("div.field", h("label", { for: "assign-login" }, t("web.assign.login")),
      h("input", { id: "assign-login", type: "text", autocomplete: "off" })),
    h("button.secondary", { type: "submit", id: "assign-submit" }, t("web.assign.submit")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors();
    try {
      const login = form.querySelector("#assign-login").value.trim();
      await api("POST", `/api/v1/applications/${c.id}/assign`, { role: form.querySelector("#assign-role").value, login, version: c.version });
      reload(t("web.assign.done", { login }));
    } catch (e) {
      showErrors(apiErrors(e, { role: "assign-role", login: "assign-login" }), form);
    }
  });
  return form;
}

function complaintForm(c, reload) {
  const form = h("form", { id: "complaint-form", novalidate: true },
    h("h2", t("web.complaint.new")),
    h("fieldset.field", h("legend", t("web.complaint.against")),
      ["provider", "psc"].map((v, i) => h("div.check", h("input", { type: "radio", name: "against", id: `against-${v}`, value: v, checked: i === 0 }), h("label", { for: `against-${v}` }, t(`web.complaint.against.${v}`))))),
    h("fieldset.field", h("legend", t("web.complaint.to")),
      ["provider", "quality-authority"].map((v, i) => h("div.check", h("input", { type: "radio", name: "to", id: `to-${v}`, value: v, checked: i === 0 }), h("label", { for: `to-${v}` }, t(`web.complaint.to.${v}`))))),
    h("div.field", h("label", { for: "complaint-text" }, t("web.complaint.text")), h("textarea", { id: "complaint-text", rows: "5" })),
    h("button", { type: "submit", id: "complaint-submit" }, t("web.complaint.submit")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors();
    const text = form.querySelector("#complaint-text").value.trim();
    if (!text) return showErrors([{ message: t("web.complaint.text_missing"), field: "complaint-text" }], form);
    try {
      const r = await api("POST", "/api/v1/complaints", { application: c.id, against: form.querySelector("input[name=against]:checked").value,
        addressed_to: form.querySelector("input[name=to]:checked").value, text });
      reload(t("web.complaint.filed", { id: r.id, due: when(r.decide_by) }));
    } catch (e) {
      showErrors(apiErrors(e, { text: "complaint-text" }), form);
    }
  });
  return form;
}

page("web.case.title", async (main) => {
  const id = param("id") || "";
  const render = async (notice) => {
    const c = await api("GET", `/api/v1/applications/${encodeURIComponent(id)}`);
    const svc = await api("GET", `/api/v1/services/${encodeURIComponent(c.service)}`);
    const labels = { grounds: groundNames(svc.standard), actions: actionNames(svc.standard), checks: checkNames(svc.standard) };
    const me = session();
    main.replaceChildren();
    document.title = `${c.number} — ${t("web.brand")}`;
    main.append(h("p", h("a", { href: me?.role === "applicant" ? "/cabinet" : "/inbox" }, t(me?.role === "applicant" ? "web.back.cabinet" : "web.back.inbox"))));
    if (notice) main.append(h("p.notice.ok", { role: "status", id: "case-notice" }, notice));
    main.append(h("h1", { translate: "no" }, `${c.number}`), h("p.lead", pick(c.service_name)));
    main.append(h("dl.facts", { id: "case-facts" },
      h("dt", t("web.case.status")), h("dd", { id: "case-status" }, statusTag(c.status), " ", pick(c.state_name)),
      h("dt", t("web.case.due")), h("dd", when(c.due_at), c.at_risk ? [" ", h("span.tag.risk", t("web.inbox.at_risk"))] : null),
      h("dt", t("web.case.applicant")), h("dd", { translate: "no" }, c.applicant),
      c.subject ? [h("dt", t("web.case.subject")), h("dd", { translate: "no" }, c.subject)] : null,
      h("dt", t("web.case.accepted")), h("dd", when(c.accepted_at)),
      h("dt", t("web.case.channel")), h("dd", t(`web.channel.${c.channel}`))));
    if (c.actions.length) {
      main.append(h("h2", { id: "actions" }, t("web.case.actions")), h("div", { id: "action-list" }, c.actions.map((a) => actionForm(c, a, labels, render))));
    }
    main.append(h("h2", t("web.case.steps")), h("div.table-wrap", h("table.stack", { id: "steps" },
      h("thead", h("tr", ["web.case.step", "web.case.role", "web.case.due", "web.case.done"].map((k) => h("th", { scope: "col" }, t(k))))),
      h("tbody", c.steps.map((s) => h("tr", { class: !s.done_at ? "open" : null },
        h("td", { "data-h": t("web.case.step") }, pick(s.name) || s.step),
        h("td", { "data-h": t("web.case.role") }, roleName(s.role)),
        h("td", { "data-h": t("web.case.due") }, when(s.due_at)),
        h("td", { "data-h": t("web.case.done") }, s.done_at ? when(s.done_at) : h("span.tag", t("web.case.open")))))))));
    const history = c.history.filter((e) => e.action !== "read");
    main.append(h("h2", t("web.case.history")), h("ol", { id: "history" }, history.map((e) =>
      h("li", h("span.muted", `${when(e.at)} · `), labels.actions[e.action] || t(`web.action.${e.action}`), " · ", h("span", { translate: "no" }, e.actor), ` (${roleName(e.role)})`))));
    // who may assign whom is the catalogue's (roles.json); the heads are offered the form
    // and the API answers for the rule
    if (/-head$/.test(me?.role || "") && c.status === "open") main.append(assignForm(c, render));
    if (me?.role === "applicant" && c.applicant === me.login) main.append(complaintForm(c, render));
    if (notice) main.querySelector("#case-notice").focus?.();
  };
  await render();
}, { needs: "signed" });

// The PSC desk, keyboard first: the applicant's IIN, the service, the checklist of its
// documents from the catalogue; accepting gives the acceptance receipt to print (or, with
// documents missing, the refusal receipt naming them), then the operator certifies it.
import { page, api, h, t, pick, session, showErrors, apiErrors, clearErrors, fieldFor, readFields, fieldIds, when } from "./app.js";
import { variantName } from "./catalogue.js";
import { receiptView } from "./receipt.js";

page("web.desk.title", async (main) => {
  const me = session();
  const list = await api("GET", "/api/v1/services");
  const all = await Promise.all(list.map((x) => api("GET", `/api/v1/services/${encodeURIComponent(x.code)}`)));
  const mine = all.filter((d) => d.standard.channels?.psc?.accepted_by === me.role);
  let key = crypto.randomUUID();

  main.append(h("h1", t("web.desk.title")), h("p.lead", t("web.desk.lead")));
  const details = h("div", { id: "desk-details" });
  const form = h("form", { id: "desk-form", novalidate: true },
    h("div.field", h("label", { for: "applicant" }, t("web.desk.applicant")), h("p.hint", { id: "applicant-hint" }, t("web.signin.iin_hint")),
      h("input.short", { id: "applicant", type: "text", inputmode: "numeric", maxlength: "12", autocomplete: "off", "aria-describedby": "applicant-hint" })),
    h("div.field", h("label", { for: "service" }, t("web.desk.service")),
      h("select", { id: "service" }, h("option", { value: "" }, t("web.choose")), mine.map((d) => h("option", { value: d.code }, pick(d.name))))),
    details);
  const out = h("div", { id: "desk-result", "aria-live": "polite" });
  main.append(form, out);
  form.querySelector("#applicant").focus();

  let current = null;
  let payloadFields = [];
  const showService = () => {
    current = mine.find((d) => d.code === form.querySelector("#service").value) || null;
    details.replaceChildren();
    if (!current) return;
    const std = current.standard;
    const docs = current.documents.psc || [];
    payloadFields = Array.isArray(std.payload_fields) ? std.payload_fields : std.payload_fields?.psc || [];
    details.append(...[
      h("fieldset.field", { id: "checklist" }, h("legend", t("web.desk.checklist")), h("p.hint", t("web.desk.checklist_hint")),
        docs.map((x, i) => h("div.check", h("input", { type: "checkbox", id: `doc-${i}`, value: x.kind, "data-required": x.required ? "true" : null }),
          h("label", { for: `doc-${i}` }, pick(x.name), x.required ? "" : ` ${t("web.optional")}`)))),
      std.variants?.length ? h("div.field", h("label", { for: "variant" }, t("web.field.variant")),
        h("select", { id: "variant" }, std.variants.map((v) => h("option", { value: v.code }, variantName(std, v.code))))) : null,
      std.urgencies?.length ? h("div.field", h("label", { for: "urgency" }, t("web.field.urgency")),
        h("select", { id: "urgency" }, std.urgencies.map((u) => h("option", { value: u }, t(`web.urgency.${u}`))))) : null,
      std.third_party?.allowed ? h("div.field", h("label", { for: "subject" }, `${t("web.desk.subject")} ${t("web.optional")}`),
        h("input.short", { id: "subject", type: "text", inputmode: "numeric", maxlength: "12", autocomplete: "off" })) : null,
      payloadFields.map((f) => fieldFor(f, "p-")),
      h("button", { type: "submit", id: "accept" }, t("web.desk.accept"))].flat().filter(Boolean));
  };
  form.querySelector("#service").addEventListener("change", showService);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors();
    out.replaceChildren();
    const errs = [];
    const applicant = form.querySelector("#applicant").value.trim();
    if (!/^\d{12}$/.test(applicant)) errs.push({ message: t("web.desk.iin_missing"), field: "applicant" });
    if (!current) errs.push({ message: t("web.desk.service_missing"), field: "service" });
    if (errs.length) return showErrors(errs, form);
    const body = { service: current.code, channel: "psc", branch: me.unit, applicant,
      documents: [...form.querySelectorAll("#checklist input:checked")].map((x) => x.value), payload: readFields(form, payloadFields, "p-"),
      lang: document.documentElement.lang };
    for (const k of ["variant", "urgency"]) if (form.querySelector(`#${k}`)) body[k] = form.querySelector(`#${k}`).value;
    const subject = form.querySelector("#subject")?.value.trim();
    if (subject) body.subject = subject;
    try {
      const r = await api("POST", "/api/v1/applications", body, { "Idempotency-Key": key });
      key = crypto.randomUUID();
      accepted(r);
    } catch (e) {
      if (e.code === "case.documents_missing" && e.body.receipt) {
        key = crypto.randomUUID();
        const names = (e.body.receipt.missing || []).map((d) => pick(d.name)).join("; ");
        const first = e.body.receipt.missing?.[0]?.kind;
        const box = form.querySelector(`#checklist input[value="${CSS.escape(first || "")}"]`) || form.querySelector("#checklist input");
        showErrors([{ message: t("web.desk.missing", { docs: names }), field: box?.id || "" }], form);
        out.append(receiptView(e.body.receipt));
        return;
      }
      showErrors(apiErrors(e, { applicant: "applicant", subject: "subject", service: "service", variant: "variant", urgency: "urgency", ...fieldIds(payloadFields, "p-") }), form);
    }
  });

  function accepted(r) {
    form.hidden = true;
    const certifyBtn = h("button", { type: "button", id: "certify" }, t("web.desk.certify"));
    const next = h("button.secondary", { type: "button", id: "next-applicant", onclick: () => location.reload() }, t("web.desk.next"));
    const status = h("p.notice.ok", { role: "status", id: "accepted", tabindex: "-1" }, t("web.desk.accepted", { number: r.number, due: when(r.due_at) }));
    out.replaceChildren(status, receiptView(r.receipt), h("div.actions", certifyBtn, next));
    certifyBtn.addEventListener("click", async () => {
      clearErrors();
      try {
        const c = await api("GET", `/api/v1/applications/${r.id}`);
        const a = c.actions.find((x) => x.name === "certify");
        if (!a) throw new Error(t("web.desk.nothing_to_certify"));
        const done = await api("POST", `/api/v1/applications/${r.id}/actions`, { action: "certify", version: c.version, data: {} });
        certifyBtn.remove();
        status.textContent = t("web.desk.certified", { number: r.number, state: pick(done.state_name) });
        status.focus();
        next.focus();
      } catch (e) {
        showErrors(e.status !== undefined ? apiErrors(e) : [{ message: e.message }], out);
      }
    });
    status.focus();
    certifyBtn.focus();
  }
}, { needs: ["psc-operator"] });

// Applying on the portal: the form is built from the service's catalogue entry (its
// documents on the portal, its variants, the data its payload needs), confirmed by a
// one-time password where the service allows it. A new service needs no new page.
import { page, api, h, t, pick, param, session, showErrors, apiErrors, clearErrors, fieldFor, readFields, fieldIds, when } from "./app.js";
import { variantName } from "./catalogue.js";
import { receiptView } from "./receipt.js";

page("web.apply.title", async (main) => {
  const code = param("code") || "";
  const d = await api("GET", `/api/v1/services/${encodeURIComponent(code)}`);
  const std = d.standard;
  const me = session();
  main.append(h("p", h("a", { href: `/service?code=${encodeURIComponent(code)}` }, t("web.back.service"))),
    h("h1", t("web.apply.title")), h("p.lead", pick(d.name)));
  if (!d.channels.includes("portal") || !d.confirm?.includes("otp")) {
    main.append(h("p.notice", t(d.channels.includes("portal") ? "web.service.eds_only" : "web.service.psc_only")));
    return;
  }
  const branches = await api("GET", "/api/v1/branches");
  const docs = d.documents.portal || [];
  const payloadFields = Array.isArray(std.payload_fields) ? std.payload_fields : std.payload_fields?.portal || [];
  const idem = crypto.randomUUID();

  const form = h("form", { id: "apply-form", novalidate: true });
  if (std.third_party?.allowed) {
    const subject = h("div.field", { id: "subject-box", hidden: true },
      h("label", { for: "subject" }, t("web.apply.subject")), h("p.hint", { id: "subject-hint" }, t("web.apply.subject_hint")),
      h("input.short", { id: "subject", type: "text", inputmode: "numeric", maxlength: "12", autocomplete: "off", "aria-describedby": "subject-hint" }));
    const radios = h("fieldset.field", h("legend", t("web.apply.for_whom")),
      h("div.check", h("input", { type: "radio", name: "whom", id: "whom-me", value: "me", checked: true }), h("label", { for: "whom-me" }, t("web.apply.for_me"))),
      h("div.check", h("input", { type: "radio", name: "whom", id: "whom-other", value: "other" }), h("label", { for: "whom-other" }, t("web.apply.for_other"))));
    for (const r of radios.querySelectorAll("input")) r.addEventListener("change", () => (subject.hidden = form.querySelector("#whom-other").checked === false));
    form.append(radios, subject);
  }
  if (std.variants?.length)
    form.append(h("div.field", h("label", { for: "variant" }, t("web.field.variant")),
      h("select", { id: "variant" }, std.variants.map((v) => h("option", { value: v.code }, variantName(std, v.code))))));
  if (std.urgencies?.length)
    form.append(h("div.field", h("label", { for: "urgency" }, t("web.field.urgency")),
      h("select", { id: "urgency" }, std.urgencies.map((u) => h("option", { value: u }, t(`web.urgency.${u}`))))));
  form.append(h("div.field", h("label", { for: "branch" }, t("web.apply.branch")), h("p.hint", { id: "branch-hint" }, t("web.apply.branch_hint")),
    h("select", { id: "branch", "aria-describedby": "branch-hint" }, h("option", { value: "" }, t("web.choose")), branches.map((b) => h("option", { value: b.code }, pick(b.name))))));
  form.append(h("fieldset.field", { id: "documents" }, h("legend", t("web.apply.documents")),
    docs.map((x, i) => h("div.check", h("input", { type: "checkbox", id: `doc-${i}`, value: x.kind, checked: x.required }), h("label", { for: `doc-${i}` }, pick(x.name))))));
  for (const f of payloadFields) form.append(fieldFor(f, "p-"));
  const sent = h("p.notice.ok", { role: "status", id: "otp-sent", hidden: true });
  form.append(h("h2", t("web.apply.confirm")), h("p", t("web.apply.confirm_hint")),
    h("div.actions", h("button.secondary", { type: "button", id: "send-otp", onclick: sendCode }, t("web.signin.send_otp"))), sent,
    h("div.field", h("label", { for: "otp" }, t("web.signin.otp")),
      h("input.short", { id: "otp", type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "6" })),
    h("button", { type: "submit", id: "apply-submit" }, t("web.apply.submit")));
  main.append(form);

  async function sendCode() {
    clearErrors();
    try {
      await api("POST", "/api/v1/otp", { iin: me.login });
      sent.textContent = t("web.signin.otp_sent");
      sent.hidden = false;
      form.querySelector("#otp").focus();
    } catch (e) {
      showErrors(apiErrors(e), form);
    }
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors();
    const body = { service: code, channel: "portal", branch: form.querySelector("#branch").value, applicant: me.login,
      documents: [...form.querySelectorAll("#documents input:checked")].map((x) => x.value), payload: readFields(form, payloadFields, "p-") };
    if (form.querySelector("#whom-other")?.checked) body.subject = form.querySelector("#subject").value.trim();
    if (form.querySelector("#variant")) body.variant = form.querySelector("#variant").value;
    if (form.querySelector("#urgency")) body.urgency = form.querySelector("#urgency").value;
    body.lang = document.documentElement.lang;
    const errs = [];
    if (!body.branch) errs.push({ message: t("web.apply.branch_missing"), field: "branch" });
    if (!/^\d{6}$/.test(form.querySelector("#otp").value.trim())) errs.push({ message: t("web.apply.otp_missing"), field: "otp" });
    if (errs.length) return showErrors(errs, form);
    try {
      const r = await api("POST", "/api/v1/applications", body, { "X-OTP": form.querySelector("#otp").value.trim(), "Idempotency-Key": idem });
      form.remove();
      main.append(h("div.notice.ok", { role: "status", id: "applied" }, t("web.apply.done", { number: r.number, due: when(r.due_at) })),
        receiptView(r.receipt), h("p", h("a.button", { href: `/case?id=${r.id}` }, t("web.apply.open_case")), " ", h("a", { href: "/cabinet" }, t("web.nav.cabinet"))));
      main.querySelector("#applied").focus?.();
    } catch (e) {
      const ids = { branch: "branch", subject: "subject", variant: "variant", urgency: "urgency", documents: docs.length ? "doc-0" : "", "X-OTP": "otp", otp: "otp", ...fieldIds(payloadFields, "p-") };
      if (/^eds\./.test(e.code)) e.field = "otp";
      showErrors(apiErrors(e, ids), form);
    }
  });
}, { needs: "applicant" });

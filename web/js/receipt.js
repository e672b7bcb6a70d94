// receipt.js — the receipts of an application (acceptance, or refusal for missing
// documents) as the API gives them, ready to print.
import { h, t, pick, when } from "./app.js";

export function receiptView(r, extra = {}) {
  const refusal = r.kind === "refusal";
  const box = h("section.receipt", { id: refusal ? "refusal-receipt" : "acceptance-receipt", "aria-labelledby": "receipt-title" },
    h("h2", { id: "receipt-title" }, t(refusal ? "web.receipt.refusal" : "web.receipt.acceptance")),
    h("dl.facts",
      r.number ? [h("dt", t("web.receipt.number")), h("dd", { id: "receipt-number", translate: "no" }, r.number)] : null,
      h("dt", t("web.receipt.service")), h("dd", pick(r.service?.name)),
      h("dt", t("web.receipt.branch")), h("dd", pick(r.branch?.name) || r.branch?.code || "—"),
      h("dt", t("web.receipt.at")), h("dd", when(r.at)),
      r.operator ? [h("dt", t("web.receipt.operator")), h("dd", { translate: "no" }, r.operator.login)] : null,
      r.due_at ? [h("dt", t("web.receipt.due")), h("dd", when(r.due_at))] : null,
      r.hand_out_on ? [h("dt", t("web.receipt.hand_out")), h("dd", when(r.hand_out_on))] : null),
    h("h3", t("web.receipt.documents")),
    h("ul", (r.documents || []).map((d) => h("li", pick(d.name)))));
  if (refusal)
    box.append(h("h3", t("web.receipt.missing")), h("ul", { id: "missing" }, (r.missing || []).map((d) => h("li", { "data-kind": d.kind }, pick(d.name)))),
      h("p", t("web.receipt.refusal_note")));
  box.append(h("div.actions.no-print", h("button.secondary", { type: "button", onclick: () => window.print() }, t("web.receipt.print")), extra.actions || null));
  return box;
}

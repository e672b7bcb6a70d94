// One service: what it needs on each channel, its terms, fee and where to apply; the
// button to apply on the portal where the service allows it.
import { page, api, h, t, pick, param, session } from "./app.js";
import { termText, feeText, channelText } from "./catalogue.js";

page("web.service.title", async (main) => {
  const code = param("code") || "";
  const d = await api("GET", `/api/v1/services/${encodeURIComponent(code)}`);
  document.title = `${pick(d.name)} — ${t("web.brand")}`;
  main.append(h("p", h("a", { href: "/" }, t("web.back.services"))), h("h1", pick(d.name)));
  main.append(h("dl.facts",
    h("dt", t("web.service.provider")), h("dd", pick(d.standard.provider?.name)),
    h("dt", t("web.service.fee")), h("dd", feeText(d.fee_mci, d.fee)),
    h("dt", t("web.service.where")), h("dd", d.channels.map(channelText).join(", ")),
    h("dt", t("web.service.term")), h("dd", h("ul", d.standard.terms.map((x) => h("li", termText(d.standard, x)))))));
  if (d.channels.includes("portal")) {
    const s = session();
    const href = `/apply?code=${encodeURIComponent(d.code)}`;
    if (!d.confirm?.includes("otp")) main.append(h("p.notice", t("web.service.eds_only")));
    else if (!s) main.append(h("p", h("a.button", { href: `/signin?next=${encodeURIComponent(href)}` }, t("web.service.apply_signin"))));
    else if (s.role === "applicant") main.append(h("p", h("a.button", { href, id: "apply" }, t("web.service.apply"))));
  } else {
    main.append(h("p.notice", t("web.service.psc_only")));
  }
  for (const [channel, docs] of Object.entries(d.documents)) {
    main.append(h("h2", t("web.service.documents", { channel: channelText(channel) })),
      h("ul", docs.map((x) => h("li", pick(x.name), x.required ? "" : ` ${t("web.optional")}`))));
  }
});

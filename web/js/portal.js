// The portal's first page: the services, what each needs, its term, fee and where to apply.
import { page, api, h, t, pick, session } from "./app.js";
import { termText, feeText, channelText } from "./catalogue.js";

page("web.portal.title", async (main) => {
  const s = session();
  main.append(h("h1", t("web.portal.title")), h("p.lead", t("web.portal.lead")));
  if (!s) main.append(h("p", h("a.button", { href: "/signin" }, t("web.portal.signin"))));
  const list = await api("GET", "/api/v1/services");
  const details = await Promise.all(list.map((x) => api("GET", `/api/v1/services/${encodeURIComponent(x.code)}`)));
  main.append(h("h2", t("web.portal.services")),
    h("ul.cards.two", details.map((d) => h("li.card", { "data-service": d.code },
      h("h3", h("a", { href: `/service?code=${encodeURIComponent(d.code)}` }, pick(d.name))),
      h("p", h("strong", `${t("web.service.term")}: `), termText(d.standard, d.standard.terms[0])),
      h("p", h("strong", `${t("web.service.fee")}: `), feeText(d.fee_mci, d.fee)),
      h("p", h("strong", `${t("web.service.where")}: `), d.channels.map(channelText).join(", "))))));
});

// catalogue.js — a service's standard in words: its terms, fee and channels, the names of
// its variants and refusal grounds (GET /api/v1/services/CODE).
import { t, pick } from "./app.js";

const variantName = (std, code) => pick((std.variants || []).find((v) => v.code === code)?.name) || code;

// One term of standard.terms as a line: "5 working days (abroad, regional centres)".
export function termText(std, term) {
  let amount;
  if (term.wd !== undefined) amount = t("web.term.wd", { n: term.wd });
  else if (term.minutes !== undefined) amount = t("web.term.minutes", { n: term.minutes });
  else if (term.cd !== undefined) amount = t("web.term.cd", { n: term.cd });
  else if (term.hours !== undefined) amount = t("web.term.hours", { n: term.hours });
  else amount = "—";
  const when = [];
  if (term.variant) when.push(variantName(std, term.variant));
  if (term.urgency) when.push(t(`web.urgency.${term.urgency}`));
  if (term.department) when.push(t(`web.department.${term.department}`));
  if (term.channels) when.push(term.channels.map((c) => t(`web.channel.${c}`)).join(", "));
  return when.length ? `${amount} (${when.join("; ")})` : amount;
}

// The state duty today: in tenge (the MCI in force, GET /api/v1/services/CODE's fee) and
// in MCI, for a document or the application; in MCI alone when the tenge are not known.
export function feeText(feeMci, fee) {
  if (!feeMci) return t("web.fee.free");
  const n = String(feeMci).replace(".", ",");
  if (fee?.tenge_per_unit === null || fee?.tenge_per_unit === undefined) return t("web.fee.mci", { n });
  const tenge = String(fee.tenge_per_unit).replace(".", ",");
  return t(fee.per === "document" ? "web.fee.tenge_document" : "web.fee.tenge_application", { n, tenge });
}

export const channelText = (c) => t(`web.channel.${c}`);

export { variantName };

// The names of the refusal grounds, by code.
export function groundNames(std) {
  return Object.fromEntries((std.grounds || []).map((g) => [g.code, pick(g.name)]));
}

// The names of the service's actions (its own workflow), by code, for the history.
export function actionNames(std) {
  const out = {};
  for (const step of Object.values(std.workflow?.steps || {}))
    for (const [code, a] of Object.entries(step.actions || {})) if (a?.name) out[code] = pick(a.name);
  return out;
}

// The names of the checks a step records (an action's "outcome" fields are named by them).
export function checkNames(std) {
  const out = {};
  for (const step of Object.values(std.workflow?.steps || {}))
    for (const c of step.checks || []) out[c.code] = pick(c.name);
  return out;
}

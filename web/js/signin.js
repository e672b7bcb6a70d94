// Sign in: a citizen by IIN and a one-time password sent by SMS (or a password); staff by
// login and password. Then back to the page that sent the person here, or their home.
import { page, api, h, t, param, setSession, home, showErrors, apiErrors, clearErrors } from "./app.js";

function next(role) {
  const n = param("next");
  // only a path of this site: never an address elsewhere
  return n && /^\/(?!\/)/.test(n) && !n.startsWith("/signin") ? n : home(role);
}

async function signedIn(body, form) {
  const r = await api("POST", "/api/v1/sessions", body);
  const me = await fetch("/api/v1/me", { headers: { Authorization: `Bearer ${r.token}` } }).then((x) => x.json());
  setSession({ token: r.token, role: r.role, unit: r.unit, login: me.login || body.login || body.iin, expires_at: r.expires_at });
  location.assign(next(r.role));
}

page("web.signin.title", (main) => {
  main.append(h("h1", t("web.signin.title")));
  const why = param("why");
  if (why) main.append(h("p.notice", { role: "status" }, t(`web.signin.why.${why}`)));

  // The citizen's form.
  const otpBox = h("div.field", { id: "otp-box", hidden: true },
    h("label", { for: "otp" }, t("web.signin.otp")),
    h("p.hint", { id: "otp-hint" }, t("web.signin.otp_hint")),
    h("input.short", { id: "otp", name: "otp", type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "6", "aria-describedby": "otp-hint" }));
  const pwBox = h("div.field", { id: "cpw-box", hidden: true },
    h("label", { for: "cpw" }, t("web.signin.password")),
    h("input", { id: "cpw", name: "password", type: "password", autocomplete: "current-password" }));
  const sent = h("p.notice.ok", { role: "status", hidden: true, id: "otp-sent" });
  const way = () => main.querySelector("input[name=way]:checked").value;
  const sendBtn = h("button.secondary", { type: "button", id: "send-otp" }, t("web.signin.send_otp"));
  const submit = h("button", { type: "submit", id: "citizen-submit", hidden: true }, t("web.signin.submit"));
  const citizen = h("form", { id: "citizen", novalidate: true },
    h("h2", t("web.signin.citizen")),
    h("div.field", h("label", { for: "iin" }, t("web.field.iin")), h("p.hint", { id: "iin-hint" }, t("web.signin.iin_hint")),
      h("input.short", { id: "iin", name: "iin", type: "text", inputmode: "numeric", autocomplete: "username", maxlength: "12", "aria-describedby": "iin-hint" })),
    h("fieldset.field", h("legend", t("web.signin.way")),
      h("div.check", h("input", { type: "radio", name: "way", id: "way-otp", value: "otp", checked: true }), h("label", { for: "way-otp" }, t("web.signin.way_otp"))),
      h("div.check", h("input", { type: "radio", name: "way", id: "way-pw", value: "password" }), h("label", { for: "way-pw" }, t("web.signin.way_password")))),
    h("div.actions", sendBtn), sent, otpBox, pwBox, h("div.actions", submit));
  const showWay = () => {
    const pw = way() === "password";
    pwBox.hidden = !pw;
    sendBtn.hidden = pw;
    otpBox.hidden = pw || sent.hidden;
    submit.hidden = !pw && sent.hidden;
  };
  for (const r of citizen.querySelectorAll("input[name=way]")) r.addEventListener("change", showWay);
  sendBtn.addEventListener("click", async () => {
    clearErrors();
    try {
      await api("POST", "/api/v1/otp", { iin: citizen.iin.value.trim() });
      sent.textContent = t("web.signin.otp_sent");
      sent.hidden = false;
      showWay();
      citizen.querySelector("#otp").focus();
    } catch (e) {
      showErrors(apiErrors(e, { iin: "iin" }), citizen);
    }
  });
  citizen.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors();
    const iin = citizen.iin.value.trim();
    const body = way() === "password" ? { iin, password: citizen.querySelector("#cpw").value } : { iin, otp: citizen.querySelector("#otp").value.trim() };
    try {
      await signedIn(body);
    } catch (e) {
      showErrors(apiErrors(e, { iin: "iin", otp: "otp", password: "cpw" }), citizen);
    }
  });

  // The staff's form.
  const staff = h("form", { id: "staff", novalidate: true },
    h("h2", t("web.signin.staff")),
    h("div.field", h("label", { for: "login" }, t("web.signin.login")), h("input", { id: "login", name: "login", type: "text", autocomplete: "username" })),
    h("div.field", h("label", { for: "password" }, t("web.signin.password")), h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password" })),
    h("button", { type: "submit", id: "staff-submit" }, t("web.signin.submit")));
  staff.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearErrors();
    try {
      await signedIn({ login: staff.login.value.trim(), password: staff.password.value });
    } catch (e) {
      showErrors(apiErrors(e, { login: "login", password: "password" }), staff);
    }
  });
  main.append(citizen, staff);
});

// The staff pairing page. Link: /qr/?company=<id>#token=<staff token>. The token lives in the URL fragment (never
// sent to the server, not in its logs); it is kept in sessionStorage and removed from the address bar.
"use strict";
(function () {
  const STRINGS = window.QR_STRINGS;
  const UNPAIRED = ["unpaired", "logged_out"];
  const LINKED = ["connecting", "connected", "reconnecting", "banned"];
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const company = params.get("company") || "";
  let lang = BBPage.pickLanguage(params);
  let token = BBPage.readToken(company);
  let current = null; // the last SessionOut
  let qrSince = null; // `since` of the QR on screen: a newer one means WhatsApp issued a new code
  let qrUrl = null;
  let autoPair = true; // start a pairing by ourselves once on opening, and again after unlinking
  let fatal = false;
  let pollTimer = null;



  function t(key, values) {
    return BBPage.translate(STRINGS, lang, key, values);
  }

  function translateStatic() {
    document.documentElement.lang = lang;
    $("lang").value = lang;
    for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
    document.title = t("title");
    $("qr").alt = t("s_pairing_qr");
    if (current) render(current);
  }

  function message(text, ok) {
    $("message").textContent = text || "";
    $("message").classList.toggle("ok", Boolean(ok));
  }

  async function api(path, options) {
    const response = await fetch("/api/v1/companies/" + encodeURIComponent(company) + path, {
      ...(options || {}),
      headers: { Authorization: "Bearer " + token, ...((options || {}).headers || {}) },
      cache: "no-store",
    });
    if (response.status === 401 || response.status === 403) {
      fatal = true;
      showFatal("err_auth");
      throw new Error("unauthorized");
    }
    return response;
  }

  function explainError(response, body) {
    const code = body && body.error;
    if (response.status === 429) return t("err_rate", { s: response.headers.get("Retry-After") || "10" });
    if (code === "linked") return t("err_linked");
    if (code === "pairing") return t("err_pairing");
    if (code === "moving" || code === "gateway_timeout") return t("err_moving");
    if (code === "bad_phone" || code === "invalid") return t("err_phone");
    return t("err_generic");
  }

  async function post(path, body) {
    const response = await api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) throw Object.assign(new Error("failed"), { text: explainError(response, data) });
    return data;
  }

  function showFatal(key) {
    $("card").dataset.state = "error";
    $("status").textContent = t(key);
    $("explain").textContent = "";
    for (const box of ["qr-box", "code-box", "linked-box", "pair-actions"]) $(box).hidden = true;
    $("live").textContent = "";
  }

  function clock(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function formatTime(iso) {
    try {
      return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
    } catch (e) { return iso; }
  }

  function render(s) {
    current = s;
    const state = s.state;
    $("card").dataset.state = state;
    $("salon").textContent = s.company_name;
    $("status").textContent = t("s_" + state);
    const reason = s.health && s.health.pause_reason;
    const why = reason && reason !== "temporary_ban" ? "e_paused_" + reason : "e_banned";
    $("explain").textContent = state === "banned"
      ? t(why, { until: s.paused_until ? formatTime(s.paused_until) : "?" })
      : (STRINGS.en["e_" + state] ? t("e_" + state) : "");
    renderHealth(s.health, LINKED.includes(state));
    $("qr-box").hidden = state !== "pairing_qr";
    $("code-box").hidden = state !== "pairing_code";
    $("linked-box").hidden = !LINKED.includes(state);
    $("number").textContent = s.number || "";
    $("pair-actions").hidden = !(UNPAIRED.includes(state) || state === "pairing_qr");
    if (state !== "pairing_code") $("code").textContent = "";
    if (state === "pairing_qr" && s.since !== qrSince) loadQr(s.since);
    if (state !== "pairing_qr") qrSince = null;
    if (LINKED.includes(state)) autoPair = false;
    if (UNPAIRED.includes(state) && autoPair && !fatal) {
      autoPair = false;
      startPairing(false);
    }
    tick();
  }

  // The number's last 24 hours and, for a newly linked number, its warm-up (docs/gateway.md, "Ban-safe sending").
  function renderHealth(h, linked) {
    $("health").hidden = !h || !linked;
    if (!h) return;
    $("health-day").textContent = t("h_day", { sent: h.sent_24h, failed: h.failed_24h })
      + (h.refused_24h || h.held_back_24h ? " " + t("h_held", { n: h.refused_24h + h.held_back_24h }) : "");
    const warming = h.warmup_day !== null && h.warmup_day !== undefined;
    $("warmup").hidden = !warming;
    if (warming) {
      $("warmup").textContent = t("h_warmup", { day: h.warmup_day, days: h.warmup_days, left: h.proactive_left_today });
    }
  }

  function tick() {
    const s = current;
    if (!s) return;
    const running = s.state === "pairing_qr";
    const left = running && s.qr_expires_at ? s.qr_expires_at - Date.now() / 1000 : 0;
    $("countdown").textContent = running && s.qr_expires_at ? (left > 0 ? t("countdown", { t: clock(left) }) : t("expired")) : "";
    $("new-code").disabled = running && left > 0;
  }

  async function loadQr(since) {
    qrSince = since;
    try {
      const response = await api("/session/qr");
      if (!response.ok) { qrSince = null; return; }
      const blob = await response.blob();
      if (qrUrl) URL.revokeObjectURL(qrUrl);
      qrUrl = URL.createObjectURL(blob);
      $("qr").src = qrUrl;
      $("qr").dataset.since = since;
    } catch (e) {
      qrSince = null;
    }
  }

  async function startPairing(byHand) {
    message("");
    $("new-code").disabled = true;
    try {
      render(await post("/session/pairing"));
    } catch (e) {
      if (byHand || (e.text && e.text !== t("err_pairing"))) message(e.text || t("err_generic"));
      if (e.text === t("err_moving")) autoPair = true; // the session is restarting: try again on its next status
      tick();
    }
  }

  async function unlink() {
    $("confirm").hidden = true;
    $("unlink").disabled = true;
    try {
      autoPair = true;
      render(await post("/session/logout"));
      message(t("unlinked"), true);
    } catch (e) {
      message(e.text || t("err_generic"));
    } finally {
      $("unlink").disabled = false;
    }
  }

  async function askCode(event) {
    event.preventDefault();
    message("");
    try {
      const data = await post("/session/pairing-code", { phone: $("phone").value });
      $("code").textContent = data.code;
    } catch (e) {
      message(e.text || t("err_generic"));
    }
  }

  // Live status: server-sent events read through fetch (EventSource cannot send the token), polling as fallback.
  async function stream(failures) {
    if (fatal) return;
    try {
      const response = await api("/session/events", { headers: { Accept: "text/event-stream" } });
      if (!response.ok || !response.body) throw new Error("no stream");
      $("live").textContent = t("liveStream");
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      failures = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
          if (data) render(JSON.parse(data));
        }
      }
    } catch (e) {
      if (fatal) return;
      failures += 1;
    }
    if (failures >= 3) return poll();
    setTimeout(() => stream(failures), failures ? 1000 * failures : 100);
  }

  async function poll() {
    $("live").textContent = t("livePolling");
    clearTimeout(pollTimer);
    try {
      const response = await api("/session");
      if (response.ok) render(await response.json());
    } catch (e) {
      if (fatal) return;
      $("live").textContent = t("liveOffline");
    }
    pollTimer = setTimeout(poll, 2000);
  }

  $("lang").addEventListener("change", (e) => { lang = e.target.value; translateStatic(); });
  $("new-code").addEventListener("click", () => startPairing(true));
  $("unlink").addEventListener("click", () => { $("confirm").hidden = false; $("confirm-unlink").focus(); });
  $("cancel-unlink").addEventListener("click", () => { $("confirm").hidden = true; });
  $("confirm-unlink").addEventListener("click", unlink);
  $("phone-form").addEventListener("submit", askCode);
  translateStatic();
  setInterval(tick, 1000);
  if (!company || !token) {
    fatal = true;
    showFatal("err_no_link");
  } else {
    $("status").textContent = t("s_loading");
    stream(0);
  }
})();

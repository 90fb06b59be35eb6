// The salon's stats page. Link: /qr/stats.html?company=<id>#token=<staff token>. Like the QR page, the token lives
// in the URL fragment (never sent to the server), is kept in sessionStorage and removed from the address bar.
// Numbers come from GET /api/v1/companies/<id>/stats (the store), refreshed every minute.
"use strict";
(function () {
  const STRINGS = window.STATS_STRINGS;
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const company = params.get("company") || "";
  let lang = BBPage.pickLanguage(params);
  let token = BBPage.readToken(company);
  let period = "7";
  let data = null;



  function t(key, values) {
    return BBPage.translate(STRINGS, lang, key, values);
  }

  function number(value) {
    return new Intl.NumberFormat(lang).format(value);
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return t("none");
    if (seconds < 90) return t("seconds", { n: number(Math.round(seconds * 10) / 10) });
    return t("minutes", { n: number(Math.round(seconds / 6) / 10) });
  }

  function share(value) {
    if (value === null || value === undefined) return t("none");
    return new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 }).format(value);
  }

  function showError(key) {
    $("error").textContent = t(key);
    $("error").hidden = false;
  }

  function tiles(stats) {
    fill($("numbers"), [
      ["messagesIn", number(stats.messages_in)],
      ["messagesOut", number(stats.messages_out)],
      ["conversations", number(stats.conversations)],
      ["bookingsCreated", number(stats.bookings_created)],
      ["bookingsMoved", number(stats.bookings_moved)],
      ["bookingsCancelled", number(stats.bookings_cancelled)],
      ["remindersSent", number(stats.reminders_sent)],
      ["remindersConfirmed", number(stats.reminders_confirmed)],
      ["understood", share(stats.understood_without_llm_share)],
      ["medianReply", duration(stats.median_reply_seconds)],
    ]);
  }

  // Yesterday as the owner's morning digest tells it: the same figures as GET …/digest.
  function yesterday(digest) {
    fill($("yesterday"), [
      ["bookingsMade", number(digest.bookings_made)],
      ["refilled", number(digest.refilled)],
      ["noShows", number(digest.no_shows)],
      ["handoffsUnanswered", t("ofTotal", { n: number(digest.handoffs_unanswered), total: number(digest.handoffs) })],
    ]);
  }

  function fill(grid, rows) {
    grid.replaceChildren();
    for (const [key, value] of rows) {
      const tile = document.createElement("div");
      tile.className = "tile";
      tile.dataset.metric = key;
      const v = document.createElement("div");
      v.className = "value";
      v.textContent = value;
      const l = document.createElement("div");
      l.className = "label";
      l.textContent = t(key);
      tile.append(v, l);
      grid.append(tile);
    }
  }

  function el(name, attrs) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  }

  function chart(days) {
    const width = 600, height = 180, bottom = 18, top = 8;
    const max = Math.max(1, ...days.map((d) => Math.max(d.messages_in, d.messages_out)));
    const slot = width / days.length;
    const bar = Math.max(2, slot / 2 - 1);
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": t("chart") });
    const scale = (v) => ((height - bottom - top) * v) / max;
    days.forEach((day, i) => {
      const x = i * slot;
      const hin = scale(day.messages_in), hout = scale(day.messages_out);
      svg.append(el("rect", { class: "bar-in", x: x + 1, y: height - bottom - hin, width: bar, height: hin }));
      svg.append(el("rect", { class: "bar-out", x: x + 1 + bar, y: height - bottom - hout, width: bar, height: hout }));
      if (i % 5 === days.length % 5 || i === days.length - 1) {
        const label = el("text", { x: x + slot / 2, y: height - 4, "text-anchor": "middle" });
        const date = new Date(day.date + "T12:00:00Z");
        label.textContent = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", timeZone: "UTC" }).format(date);
        svg.append(label);
      }
    });
    $("chart").replaceChildren(svg);
  }

  function render() {
    document.documentElement.lang = lang;
    $("lang").value = lang;
    for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
    document.title = t("title");
    for (const button of document.querySelectorAll("[data-period]")) {
      button.setAttribute("aria-pressed", String(button.dataset.period === period));
    }
    if (!data) return;
    $("salon").textContent = data.company_name;
    tiles(period === "7" ? data.last_7_days : data.last_30_days);
    yesterday(data.yesterday);
    chart(period === "7" ? data.days.slice(-7) : data.days);
    const generated = new Intl.DateTimeFormat(lang, {
      dateStyle: "medium", timeStyle: "short", timeZone: data.timezone,
    }).format(new Date(data.generated_at));
    $("updated").textContent = t("updated", { time: generated });
    document.body.dataset.ready = "true";
  }

  async function load() {
    if (!token) {
      showError("noToken");
      return;
    }
    try {
      const response = await fetch(`/api/v1/companies/${encodeURIComponent(company)}/stats`, {
        headers: { Authorization: "Bearer " + token },
        cache: "no-store",
      });
      if (response.status === 401 || response.status === 403) {
        showError("denied");
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
      $("error").hidden = true;
      render();
    } catch (e) {
      showError("failed");
    }
    setTimeout(load, 60_000);
  }

  $("lang").addEventListener("change", (e) => {
    lang = e.target.value;
    render();
  });
  for (const button of document.querySelectorAll("[data-period]")) {
    button.addEventListener("click", () => {
      period = button.dataset.period;
      render();
    });
  }
  render();
  load();
})();

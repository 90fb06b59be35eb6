// Shared by the staff pages (the QR page and the stats page): language choice, the staff token from the URL
// fragment (never sent to the server; kept in sessionStorage and removed from the address bar), and templates.
"use strict";
window.BBPage = (function () {
  const LANGS = ["en", "ru", "pt", "es"];

  function pickLanguage(params) {
    const asked = (params.get("lang") || "").slice(0, 2).toLowerCase();
    if (LANGS.includes(asked)) return asked;
    for (const l of navigator.languages || [navigator.language || "en"]) {
      const short = String(l).slice(0, 2).toLowerCase();
      if (LANGS.includes(short)) return short;
    }
    return "en";
  }

  function readToken(company) {
    const key = "bb-staff-token:" + company;
    const fragment = new URLSearchParams(location.hash.slice(1)).get("token");
    if (fragment) {
      sessionStorage.setItem(key, fragment);
      history.replaceState(null, "", location.pathname + location.search);
      return fragment;
    }
    return sessionStorage.getItem(key) || "";
  }

  function translate(strings, lang, key, values) {
    let text = (strings[lang] && strings[lang][key]) || strings.en[key] || key;
    for (const [name, value] of Object.entries(values || {})) text = text.replace("{" + name + "}", value);
    return text;
  }

  return { LANGS, pickLanguage, readToken, translate };
})();

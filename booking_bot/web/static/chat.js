/* WhatsApp-style demo chat for the salon booking assistant.
 *
 * Talks to the demo server:
 *   GET  /demo/api/salon  -> {"name": ..., "timezone": ..., "languages": [...]}
 *   POST /demo/api/chat   {customer, name, language, text} -> {"replies": [...]}
 *   GET  /demo/api/messages?customer=... -> {"messages": [{id, text}]}: what the bot wrote on its own (an offer
 *        from the waiting list, a reminder), polled every few seconds for the phone on screen
 *
 * All user and bot text is rendered with textContent (never innerHTML).
 * Per-phone history lives in sessionStorage so a reload keeps the view.
 */
(function () {
  'use strict';

  // The pure helpers: chat_util.js, loaded first.
  var U = window.DemoChatUtil;
  var normalizePhone = U.normalizePhone, hhmm = U.hhmm, dayKey = U.dayKey, dayLabel = U.dayLabel;
  var newId = U.newId, el = U.el, initials = U.initials, tickNode = U.tickNode;

  var DEFAULTS = { phone: '+15550000001', name: 'Alex', language: '' };
  var SETTINGS_KEY = 'bookingbot.demo.settings';
  var HISTORY_PREFIX = 'bookingbot.demo.history.';
  var POLL_MS = 3000;
  var REQUEST_TIMEOUT_MS = 45000; // longer than the server's own reply timeout (30 s default), so its 504 message wins
  var QUICK_REPLIES = [
    'Hi',
    "Can I book a men's haircut with Anna tomorrow at 3pm?",
    'yes',
    'Хочу записаться на маникюр завтра в 15:00'
  ];
  var LANGUAGE_LABELS = { '': 'auto', en: 'English', ru: 'Русский', pt: 'Português', es: 'Español' };

  var els = {
    avatar: document.getElementById('salon-avatar'),
    salonName: document.getElementById('salon-name'),
    status: document.getElementById('chat-status'),
    settings: document.getElementById('settings'),
    summary: document.getElementById('settings-summary'),
    form: document.getElementById('settings-form'),
    phone: document.getElementById('set-phone'),
    name: document.getElementById('set-name'),
    language: document.getElementById('set-language'),
    settingsError: document.getElementById('settings-error'),
    body: document.getElementById('chat-body'),
    list: document.getElementById('messages'),
    chips: document.getElementById('chips'),
    inputBar: document.getElementById('input-bar'),
    input: document.getElementById('input'),
    send: document.getElementById('send-btn')
  };

  var salonName = 'Demo Salon';
  var settings = loadSettings();
  var history = loadHistory(settings.phone);
  var inflight = {};          // phone -> true while a request for it is pending
  var lastRendered = null;    // last message rendered in the current view (for grouping/day separators)
  var typingEl = null;

  /* ---------- storage ---------- */

  function storageGet(key) {
    try { return window.sessionStorage.getItem(key); } catch (e) { return null; }
  }
  function storageSet(key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (e) { /* storage full or disabled: keep going */ }
  }

  function loadSettings() {
    var s = { phone: DEFAULTS.phone, name: DEFAULTS.name, language: DEFAULTS.language };
    try {
      var raw = JSON.parse(storageGet(SETTINGS_KEY) || 'null');
      if (raw && typeof raw === 'object') {
        if (typeof raw.phone === 'string' && normalizePhone(raw.phone)) s.phone = normalizePhone(raw.phone);
        if (typeof raw.name === 'string' && raw.name.trim()) s.name = raw.name.trim();
        if (Object.prototype.hasOwnProperty.call(LANGUAGE_LABELS, raw.language)) s.language = raw.language;
      }
    } catch (e) { /* ignore corrupt settings */ }
    return s;
  }
  function saveSettings() { storageSet(SETTINGS_KEY, JSON.stringify(settings)); }

  function loadHistory(phone) {
    try {
      var raw = JSON.parse(storageGet(HISTORY_PREFIX + phone) || '[]');
      if (!Array.isArray(raw)) return [];
      return raw.filter(function (m) {
        return m && typeof m.text === 'string' && typeof m.ts === 'number' &&
          (m.kind === 'out' || m.kind === 'in' || m.kind === 'system' || m.kind === 'error');
      }).map(function (m) {
        // A request cannot survive a reload: show it as sent, not as pending forever.
        if (m.kind === 'out' && m.status === 'pending') m.status = 'sent';
        return m;
      });
    } catch (e) { return []; }
  }
  function saveHistory(phone, msgs) { storageSet(HISTORY_PREFIX + phone, JSON.stringify(msgs)); }

  /* history of another phone may be updated while it is not on screen */
  function historyFor(phone) { return phone === settings.phone ? history : loadHistory(phone); }
  function commit(phone, msgs) {
    saveHistory(phone, msgs);
    if (phone === settings.phone) history = msgs;
  }

  /* ---------- rendering ---------- */

  function scrollToBottom() { els.body.scrollTop = els.body.scrollHeight; }

  function renderIntro() {
    var li = el('li', 'notice notice-intro');
    var box = el('div', 'notice-box');
    box.appendChild(el('span', 'notice-lock', '\uD83D\uDD12 '));
    box.appendChild(document.createTextNode(
      'Demo conversation with ' + salonName + '\u2019s booking assistant as customer ' +
      settings.phone + '. Messages go to the demo bot, not to WhatsApp.'));
    li.appendChild(box);
    return li;
  }

  function renderMessage(msg) {
    if (!lastRendered || dayKey(lastRendered.ts) !== dayKey(msg.ts)) {
      var sep = el('li', 'day-sep');
      sep.appendChild(el('span', null, dayLabel(msg.ts)));
      els.list.appendChild(sep);
      lastRendered = null;
    }
    var li;
    if (msg.kind === 'system' || msg.kind === 'error') {
      li = el('li', 'notice notice-' + msg.kind);
      var box = el('div', 'notice-box');
      if (msg.kind === 'error') box.appendChild(el('span', 'notice-icon', '\u26A0\uFE0F '));
      box.appendChild(document.createTextNode(msg.text));
      box.appendChild(el('span', 'notice-time', ' \u00B7 ' + hhmm(msg.ts)));
      li.appendChild(box);
      li.setAttribute('role', msg.kind === 'error' ? 'alert' : 'status');
    } else {
      var continued = lastRendered && lastRendered.kind === msg.kind;
      li = el('li', 'msg msg-' + msg.kind + (continued ? ' msg-cont' : ''));
      li.dataset.id = msg.id;
      var bubble = el('div', 'bubble');
      bubble.appendChild(el('span', 'text', msg.text)); // white-space: pre-wrap keeps line breaks
      var meta = el('span', 'meta');
      meta.appendChild(el('time', 'time', hhmm(msg.ts)));
      if (msg.kind === 'out') meta.appendChild(tickNode(msg.status));
      bubble.appendChild(meta);
      li.appendChild(bubble);
    }
    els.list.appendChild(li);
    lastRendered = msg;
    return li;
  }

  function renderAll() {
    els.list.textContent = '';
    lastRendered = null;
    typingEl = null;
    els.list.appendChild(renderIntro());
    history.forEach(renderMessage);
    if (inflight[settings.phone]) showTyping(true);
    updateState();
    scrollToBottom();
  }

  function updateTicks(msg) {
    var li = els.list.querySelector('li[data-id="' + msg.id + '"]');
    if (!li) return;
    var old = li.querySelector('.ticks');
    if (old) old.replaceWith(tickNode(msg.status));
    li.classList.toggle('msg-failed', msg.status === 'failed');
  }

  function showTyping(on) {
    if (on && !typingEl) {
      typingEl = el('li', 'msg msg-in typing');
      typingEl.setAttribute('aria-label', 'typing');
      var bubble = el('div', 'bubble');
      for (var i = 0; i < 3; i++) bubble.appendChild(el('span', 'dot'));
      typingEl.appendChild(bubble);
      els.list.appendChild(typingEl);
      scrollToBottom();
    } else if (!on && typingEl) {
      typingEl.remove();
      typingEl = null;
    }
  }

  function updateState() {
    var busy = !!inflight[settings.phone];
    els.status.textContent = busy ? 'typing\u2026' : 'online';
    els.status.classList.toggle('is-typing', busy);
    els.input.disabled = busy;
    els.send.disabled = busy || !els.input.value.trim();
    Array.prototype.forEach.call(els.chips.querySelectorAll('button'), function (b) { b.disabled = busy; });
    els.summary.textContent = settings.name + ' \u00B7 ' + settings.phone + ' \u00B7 ' +
      LANGUAGE_LABELS[settings.language];
  }

  function autosize() {
    els.input.style.height = 'auto';
    els.input.style.height = Math.min(els.input.scrollHeight, 120) + 'px';
  }

  /* ---------- sending ---------- */

  function append(phone, msg) {
    var msgs = historyFor(phone).concat([msg]);
    commit(phone, msgs);
    if (phone === settings.phone) {
      if (typingEl) { typingEl.remove(); typingEl = null; }
      renderMessage(msg);
      if (inflight[phone]) showTyping(true);
      scrollToBottom();
    }
  }

  function setStatus(phone, id, status) {
    var msgs = historyFor(phone).map(function (m) {
      if (m.id === id) { m = Object.assign({}, m, { status: status }); }
      return m;
    });
    commit(phone, msgs);
    if (phone === settings.phone) {
      var m = msgs.filter(function (x) { return x.id === id; })[0];
      if (m) updateTicks(m);
    }
  }

  function describeHttpError(res, data) {
    var detail = data && typeof data.error === 'string' && data.error ? data.error : (res.statusText || 'error');
    return 'Message not delivered: ' + detail + ' (HTTP ' + res.status + ')';
  }

  function send(text) {
    text = String(text || '').replace(/\s+$/, '');
    if (!text.trim()) return;
    var phone = settings.phone;
    if (inflight[phone]) return;

    var msg = { id: newId(), kind: 'out', text: text, ts: Date.now(), status: 'pending' };
    inflight[phone] = true;
    append(phone, msg);
    updateState();

    var payload = {
      customer: phone,
      name: settings.name,
      language: settings.language || null,
      text: text
    };
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, REQUEST_TIMEOUT_MS);

    fetch('/demo/api/chat', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(payload),
      signal: controller ? controller.signal : undefined
    }).then(function (res) {
      return res.text().then(function (body) {
        var data = null;
        try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
        if (!res.ok) throw new Error(describeHttpError(res, data));
        if (!data || !Array.isArray(data.replies)) throw new Error('Message not delivered: unexpected response from the server');
        return data.replies;
      });
    }, function (err) {
      var aborted = err && err.name === 'AbortError';
      throw new Error(aborted ? 'Message not delivered: the server did not answer in time'
        : 'Message not delivered: network error, is the demo server running?');
    }).then(function (replies) {
      inflight[phone] = false;
      setStatus(phone, msg.id, 'delivered');
      replies.forEach(function (r) {
        if (r == null) return;
        var t = String(r);
        if (!t) return;
        append(phone, { id: newId(), kind: 'in', text: t, ts: Date.now() });
      });
    }).catch(function (err) {
      inflight[phone] = false;
      setStatus(phone, msg.id, 'failed');
      append(phone, { id: newId(), kind: 'error', text: err.message || String(err), ts: Date.now() });
    }).then(function () {
      clearTimeout(timer);
      if (phone === settings.phone) {
        showTyping(false);
        updateState();
        els.input.focus();
      }
    });
  }

  /* ---------- what the bot writes on its own ---------- */

  function poll() {
    var phone = settings.phone;
    fetch('/demo/api/messages?customer=' + encodeURIComponent(phone), { headers: { 'Accept': 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (data) {
        if (!data || !Array.isArray(data.messages)) return;
        var seen = {};
        historyFor(phone).forEach(function (m) { if (m.key) seen[m.key] = true; });
        data.messages.forEach(function (m) {
          if (!m || typeof m.id !== 'string' || typeof m.text !== 'string' || !m.text || seen[m.id]) return;
          seen[m.id] = true;
          append(phone, { id: newId(), key: m.id, kind: 'in', text: m.text, ts: Date.now() });
        });
      })
      .catch(function () { /* the next poll asks again */ });
  }

  /* ---------- settings ---------- */

  function applyPhone() {
    var normalized = normalizePhone(els.phone.value);
    if (!normalized) {
      els.settingsError.textContent = 'Enter a phone number in international format, e.g. +15550000001.';
      els.settingsError.hidden = false;
      els.phone.setAttribute('aria-invalid', 'true');
      return;
    }
    els.settingsError.hidden = true;
    els.phone.removeAttribute('aria-invalid');
    els.phone.value = normalized;
    if (normalized === settings.phone) return;
    settings.phone = normalized;
    saveSettings();
    history = loadHistory(normalized);
    renderAll();
    poll();
  }

  function applyName() {
    var v = els.name.value.trim();
    if (!v) { v = DEFAULTS.name; els.name.value = v; }
    settings.name = v;
    saveSettings();
    updateState();
  }

  els.phone.addEventListener('change', applyPhone);
  els.phone.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') { e.preventDefault(); applyPhone(); }
  });
  els.name.addEventListener('change', applyName);
  els.name.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') { e.preventDefault(); applyName(); }
  });
  els.language.addEventListener('change', function () {
    settings.language = els.language.value;
    saveSettings();
    updateState();
  });
  els.form.addEventListener('submit', function (e) { e.preventDefault(); });

  /* ---------- composer ---------- */

  els.inputBar.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = els.input.value;
    if (!text.trim() || inflight[settings.phone]) return;
    els.input.value = '';
    autosize();
    send(text);
  });
  els.input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      if (typeof els.inputBar.requestSubmit === 'function') els.inputBar.requestSubmit();
      else els.inputBar.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });
  els.input.addEventListener('input', function () { autosize(); updateState(); });

  QUICK_REPLIES.forEach(function (text) {
    var b = el('button', 'chip', text);
    b.type = 'button';
    b.addEventListener('click', function () {
      if (inflight[settings.phone]) return;
      send(text); // the user's draft in the input stays untouched
    });
    els.chips.appendChild(b);
  });

  /* ---------- salon info ---------- */

  function applySalonName(name) {
    salonName = name;
    els.salonName.textContent = name;
    els.avatar.textContent = initials(name);
    document.title = name + ' \u00B7 WhatsApp booking assistant demo';
  }

  fetch('/demo/api/salon', { headers: { 'Accept': 'application/json' } })
    .then(function (res) { return res.ok ? res.json() : null; })
    .then(function (data) {
      if (data && typeof data.name === 'string' && data.name.trim()) {
        applySalonName(data.name.trim());
        var intro = els.list.querySelector('.notice-intro');
        if (intro) intro.replaceWith(renderIntro()); // refresh the intro with the real name
      }
    })
    .catch(function () { /* keep the default name */ });

  /* ---------- init ---------- */

  els.phone.value = settings.phone;
  els.name.value = settings.name;
  els.language.value = settings.language;
  if (window.matchMedia && window.matchMedia('(min-width: 700px)').matches) els.settings.open = true;
  renderAll();
  autosize();
  poll();
  setInterval(poll, POLL_MS);
  // focus the input on desktop; on touch devices that would pop the keyboard up at once
  if (!window.matchMedia || window.matchMedia('(pointer: fine)').matches) els.input.focus();
})();

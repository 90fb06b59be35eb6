/* Bookings table for the demo salon.
 *
 * GET /demo/api/bookings -> {"bookings": [{id, customer, service, staff, start, status}]}
 * `start` is ISO 8601 with an offset; the wall time written in the string (i.e. the
 * salon's local time) is shown as is, never converted to the browser's time zone.
 * Refreshes every 3 s. All values are rendered with textContent.
 */
(function () {
  'use strict';

  var REFRESH_MS = 3000;
  var WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  var ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

  var els = {
    body: document.getElementById('bookings-body'),
    table: document.getElementById('bookings-table'),
    empty: document.getElementById('empty-state'),
    counts: document.getElementById('counts'),
    state: document.getElementById('refresh-state'),
    error: document.getElementById('load-error'),
    salonName: document.getElementById('salon-name'),
    salonTz: document.getElementById('salon-tz')
  };

  var lastJson = null;
  var seenIds = null; // ids from the previous load; null before the first load

  function pad2(n) { return (n < 10 ? '0' : '') + n; }

  /* Parse "2026-11-28T15:00:00+03:00" into its wall-clock parts and offset. */
  function parseIso(value) {
    var m = ISO_RE.exec(String(value || '').trim());
    if (!m) return null;
    var y = +m[1], mo = +m[2], d = +m[3];
    var hasTime = m[4] != null;
    var h = hasTime ? +m[4] : 0, mi = hasTime ? +m[5] : 0, s = m[6] != null ? +m[6] : 0;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
    var offsetMin = null, offsetLabel = '';
    if (m[7]) {
      if (m[7].toUpperCase() === 'Z') {
        offsetMin = 0; offsetLabel = 'UTC';
      } else {
        var sign = m[7].charAt(0) === '-' ? -1 : 1;
        var digits = m[7].slice(1).replace(':', '');
        var oh = +digits.slice(0, 2), om = digits.length > 2 ? +digits.slice(2, 4) : 0;
        offsetMin = sign * (oh * 60 + om);
        offsetLabel = 'UTC' + (sign < 0 ? '\u2212' : '+') + oh + (om ? ':' + pad2(om) : '');
      }
    }
    var wallUtc = Date.UTC(y, mo - 1, d, h, mi, s);
    var weekday = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
    return {
      date: WEEKDAYS[weekday] + ', ' + d + ' ' + MONTHS[mo - 1] + ' ' + y,
      time: hasTime ? pad2(h) + ':' + pad2(mi) : '',
      offset: offsetLabel,
      // absolute instant for sorting (wall time minus offset)
      instant: wallUtc - (offsetMin || 0) * 60000
    };
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function str(v) { return v == null ? '' : String(v); }

  function cell(label, className, text) {
    var td = el('td', className, text);
    td.setAttribute('data-label', label);
    return td;
  }

  function statusBadge(status) {
    var s = str(status).toLowerCase();
    var known = s === 'booked' || s === 'cancelled';
    var badge = el('span', 'badge ' + (known ? 'badge-' + s : 'badge-other'), s || 'unknown');
    return badge;
  }

  function render(bookings) {
    var rows = bookings.map(function (b) {
      return { b: b || {}, t: parseIso(b && b.start) };
    });
    rows.sort(function (a, z) {
      var ai = a.t ? a.t.instant : Infinity, zi = z.t ? z.t.instant : Infinity;
      if (ai !== zi) return ai < zi ? -1 : 1;
      return str(a.b.id) < str(z.b.id) ? -1 : str(a.b.id) > str(z.b.id) ? 1 : 0;
    });

    var frag = document.createDocumentFragment();
    var ids = {};
    var booked = 0, cancelled = 0;
    rows.forEach(function (r) {
      var b = r.b, t = r.t;
      var status = str(b.status).toLowerCase();
      if (status === 'booked') booked++;
      if (status === 'cancelled') cancelled++;
      var tr = el('tr', 'row-' + (status || 'other'));
      if (b.id != null) {
        tr.dataset.id = str(b.id);
        tr.title = 'Booking ' + str(b.id);
        ids[str(b.id)] = true;
        if (seenIds && !seenIds[str(b.id)]) tr.classList.add('is-new');
      }
      if (t) {
        tr.appendChild(cell('Date', 'col-date', t.date));
        var tdTime = cell('Time', 'col-time');
        tdTime.appendChild(el('span', 'time-main', t.time || '\u2014'));
        if (t.offset) tdTime.appendChild(el('span', 'time-offset', t.offset));
        tr.appendChild(tdTime);
      } else {
        tr.appendChild(cell('Date', 'col-date', str(b.start) || '\u2014'));
        tr.appendChild(cell('Time', 'col-time', '\u2014'));
      }
      tr.appendChild(cell('Service', 'col-service', str(b.service) || '\u2014'));
      tr.appendChild(cell('Staff', 'col-staff', str(b.staff) || '\u2014'));
      tr.appendChild(cell('Customer', 'col-customer', str(b.customer) || '\u2014'));
      var tdStatus = cell('Status', 'col-status');
      tdStatus.appendChild(statusBadge(b.status));
      tr.appendChild(tdStatus);
      frag.appendChild(tr);
    });

    els.body.textContent = '';
    els.body.appendChild(frag);
    var empty = rows.length === 0;
    els.empty.hidden = !empty;
    els.table.hidden = empty;
    els.counts.textContent = empty ? '' :
      rows.length + (rows.length === 1 ? ' booking' : ' bookings') +
      ' \u00B7 ' + booked + ' booked \u00B7 ' + cancelled + ' cancelled';
    seenIds = ids;
  }

  function nowLabel() {
    var d = new Date();
    return pad2(d.getHours()) + ':' + pad2(d.getMinutes()) + ':' + pad2(d.getSeconds());
  }

  function load() {
    return fetch('/demo/api/bookings', { headers: { 'Accept': 'application/json' }, cache: 'no-store' })
      .then(function (res) {
        return res.text().then(function (body) {
          var data = null;
          try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
          if (!res.ok) {
            var detail = data && typeof data.error === 'string' ? data.error : (res.statusText || 'error');
            throw new Error(detail + ' (HTTP ' + res.status + ')');
          }
          if (!data || !Array.isArray(data.bookings)) throw new Error('unexpected response from the server');
          return { list: data.bookings, json: body };
        });
      })
      .then(function (r) {
        if (r.json !== lastJson) { // only rebuild when something changed
          render(r.list);
          lastJson = r.json;
        }
        els.error.hidden = true;
        els.state.textContent = 'Auto-refresh every 3 s \u00B7 updated ' + nowLabel();
      }, function (err) {
        var msg = err && err.name === 'TypeError' ? 'network error, is the demo server running?' : (err.message || String(err));
        els.error.textContent = 'Couldn\u2019t load bookings: ' + msg + '. Retrying\u2026';
        els.error.hidden = false;
        els.state.textContent = 'Last attempt ' + nowLabel();
      })
      .then(function () { setTimeout(load, REFRESH_MS); });
  }

  fetch('/demo/api/salon', { headers: { 'Accept': 'application/json' } })
    .then(function (res) { return res.ok ? res.json() : null; })
    .then(function (data) {
      if (!data) return;
      if (typeof data.name === 'string' && data.name.trim()) {
        els.salonName.textContent = data.name.trim();
        document.title = 'Bookings \u00B7 ' + data.name.trim();
      }
      if (typeof data.timezone === 'string' && data.timezone) {
        els.salonTz.textContent = 'Times are shown in the salon\u2019s time zone (' + data.timezone + ')';
      }
    })
    .catch(function () { /* keep defaults */ });

  load();
})();

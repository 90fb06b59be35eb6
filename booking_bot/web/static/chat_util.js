/* The demo chat's pure helpers (no state, no DOM beyond building nodes): phone numbers, times, ids, ticks.
 * Loaded before chat.js, which takes them from window.DemoChatUtil.
 */
(function () {
  'use strict';

  function normalizePhone(value) {
    var v = String(value || '').replace(/[\s\-().]/g, '');
    if (/^\d{7,15}$/.test(v)) v = '+' + v;
    return /^\+\d{7,15}$/.test(v) ? v : null;
  }

  function pad2(n) { return (n < 10 ? '0' : '') + n; }
  function hhmm(ts) { var d = new Date(ts); return pad2(d.getHours()) + ':' + pad2(d.getMinutes()); }
  function dayKey(ts) { var d = new Date(ts); return d.getFullYear() + '-' + d.getMonth() + '-' + d.getDate(); }
  function dayLabel(ts) {
    var now = new Date();
    var yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
    if (dayKey(ts) === dayKey(now.getTime())) return 'Today';
    if (dayKey(ts) === dayKey(yesterday.getTime())) return 'Yesterday';
    var d = new Date(ts);
    var months = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
      'August', 'September', 'October', 'November', 'December'];
    return d.getDate() + ' ' + months[d.getMonth()] + ' ' + d.getFullYear();
  }
  function newId() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 8); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function initials(name) {
    var parts = String(name).trim().split(/\s+/).filter(Boolean);
    var s = parts.slice(0, 2).map(function (p) { return p.charAt(0); }).join('');
    return (s || '?').toUpperCase();
  }

  var SVG_NS = 'http://www.w3.org/2000/svg';
  function tickSvg(double) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 18 11');
    svg.setAttribute('width', '17');
    svg.setAttribute('height', '11');
    svg.setAttribute('aria-hidden', 'true');
    var path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', double ? 'M1 5.8l3.2 3.2L11.2 1.6M8.4 8.8l0.3 0.3L16.6 1.6' : 'M3 5.8l3.2 3.2L13.2 1.6');
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '1.7');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
    svg.appendChild(path);
    return svg;
  }

  function tickNode(status) {
    var span = el('span', 'ticks ticks-' + (status || 'sent'));
    span.setAttribute('aria-label', {
      pending: 'Sending', sent: 'Sent', delivered: 'Delivered', failed: 'Not delivered'
    }[status] || 'Sent');
    if (status === 'pending') {
      span.textContent = '\uD83D\uDD52'; // clock
      span.className += ' ticks-clock';
    } else if (status === 'failed') {
      span.textContent = '!';
    } else {
      span.appendChild(tickSvg(status === 'delivered'));
    }
    return span;
  }

  window.DemoChatUtil = {
    normalizePhone: normalizePhone, hhmm: hhmm, dayKey: dayKey, dayLabel: dayLabel, newId: newId, el: el,
    initials: initials, tickNode: tickNode
  };
})();

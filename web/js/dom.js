// DOM helpers: every text goes in through textContent (never innerHTML),
// every API figure through fig() so it carries data-fig and data-src.
import { t } from './i18n.js';

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = String(v);
    else if (k === 'i18n') { el.dataset.i18n = v; el.textContent = t(v); }
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'style') throw new Error('no inline style attributes (CSP)');
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  add(el, children);
  return el;
}

function add(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

// The value at a dotted path ("rows.3.confirmed.new", "items.length").
export function at(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

export const PERCENT = /(^|\.)(cure_rate|fatality_rate|round_coverage|occupancy|percent)$/;

// How a figure is written: the API's number as plain text; percentages
// with two decimals; null as an em dash.
export function fmt(v, path = '') {
  if (v == null) return '—';
  if (typeof v === 'number' && PERCENT.test(path)) return v.toFixed(2);
  return String(v);
}

// A figure: <TAG data-fig=PATH data-src=SRC>value</TAG>.
export function fig(json, src, path, tag = 'span', cls = 'fig') {
  return h(tag, { class: cls, 'data-fig': path, 'data-src': src }, fmt(at(json, path), path));
}

// A labelled figure card.
export function card(label, json, src, path, extra) {
  return h('div', { class: 'card' + (extra ? ' ' + extra : '') },
    h('div', { class: 'card-label', i18n: label }), fig(json, src, path, 'div', 'card-value fig'));
}

export function hamlet(code, name) {
  return h('span', { class: 'hamlet', 'data-hamlet': code, title: code }, name ? `${name} ${code}` : code);
}

// A table with a heading row of labels; on a phone each row becomes a card
// whose cells carry their heading (data-label, shown by app.css).
export function table(headKeys, rows, cls = 'cardable') {
  for (const tr of rows.flat()) {
    [...tr.children].forEach((td, i) => { if (headKeys[i]) td.dataset.label = t(headKeys[i]); });
  }
  return h('div', { class: 'table-wrap' },
    h('table', { class: cls },
      h('thead', null, h('tr', null, headKeys.map((k) => h('th', { i18n: k })))),
      h('tbody', null, rows)));
}

export function empty(key = 'msg.none') { return h('p', { class: 'empty', i18n: key }); }

export function section(titleKey, ...children) {
  return h('section', { class: 'panel' }, h('h2', { i18n: titleKey }), ...children);
}

// "2022-03-30T10:58:00+08:00" → "2022-03-30 10:58" (the API's own CST clock).
export function when(iso) { return iso ? iso.slice(0, 16).replace('T', ' ') : '—'; }

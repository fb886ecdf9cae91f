// Contacts (close and secondary, distinct persons) with their quarantine
// plan and sampling days; filters by category, status and unit; paged.
import * as api from '../api.js';
import { h, section, empty, hamlet, table, when } from '../dom.js';
import { t } from '../i18n.js';
import { href } from '../route.js';
import { pager, unitSelect } from './common.js';

const STATUSES = ['waiting', 'central', 'home', 'released', 'none'];

export async function render(root, ctx) {
  const q = ctx.q;
  const offset = Math.max(0, parseInt(q.offset || '0', 10) || 0);
  const src = `/api/v1/contacts${api.qs({ category: q.category, status: q.status, unit: q.unit, limit: 50, offset })}`;
  const cat = h('select', { id: 'f-category' }, h('option', { value: '', i18n: 'msg.all' }),
    ['close', 'secondary'].map((c) => h('option', { value: c, selected: c === q.category, i18n: 'cat.' + c })));
  const st = h('select', { id: 'f-status' }, h('option', { value: '', i18n: 'msg.all' }),
    STATUSES.map((s) => h('option', { value: s, selected: s === q.status, i18n: 'q.status.' + s })));
  const [unit, j] = await Promise.all([unitSelect(ctx, 'f-unit', q.unit), api.get(src)]);
  for (const [el, key] of [[cat, 'category'], [st, 'status'], [unit, 'unit']])
    el.addEventListener('change', () => ctx.go({ [key]: el.value, offset: '' }));
  root.append(h('h1', { i18n: 'nav.contacts' }),
    h('div', { class: 'filters' },
      h('label', null, h('span', { i18n: 'contacts.category' }), cat),
      h('label', null, h('span', { i18n: 'contacts.status' }), st),
      h('label', null, h('span', { i18n: 'contacts.unit' }), unit)));
  if (!j.items.length) { root.append(empty()); return; }
  root.append(section('nav.contacts', table(['cases.name', 'cases.rid', 'cases.hamlet', 'contacts.category', 'contacts.cases', 'contacts.via',
    'contacts.last_exposure', 'contacts.status', 'contacts.place', 'q.end', 'contacts.sampling'],
  j.items.map((c) => {
    const qu = c.quarantine || {};
    const cases = c.cases || (c.case ? [c.case] : []);
    const days = qu.sampling_days || qu.sampling || [];
    return h('tr', null,
      h('td', null, c.name),
      h('td', null, c.rid || ''),
      h('td', null, hamlet(c.hamlet, c.hamlet_name)),
      h('td', null, h('span', { class: 'tag cat-' + c.category, i18n: 'cat.' + c.category })),
      h('td', null, cases.map((n, i) => [i ? ', ' : '', h('a', { href: href('cases', n, { date: ctx.date }) }, n)])),
      h('td', null, c.via ? (typeof c.via === 'object' ? c.via.name || c.via.person : c.via) : '—'),
      h('td', null, c.last_exposure ? when(c.last_exposure) : '—'),
      h('td', null, h('span', { class: 'tag q-' + (qu.status || 'none'), i18n: 'q.status.' + (qu.status || 'none') })),
      h('td', null, qu.site ? `${qu.site_name || qu.site}${qu.room ? ' / ' + qu.room : ''}` : '—'),
      h('td', null, qu.quarantine_end || '—'),
      h('td', { class: 'days' }, h('span', null, days.length ? days.map((d) => h('span', { class: 'day' + (d === ctx.date ? ' today' : ''), title: d }, d.slice(5))) : '—')));
  })), pager(j, src, ctx)));
}

// Quarantine sites: the list with occupancy (/sites), one site's rooms
// (/sites/{site}?date=) and the day's lists (/quarantine-due?date=).
import * as api from '../api.js';
import { h, fig, section, empty, hamlet, table } from '../dom.js';
import { t } from '../i18n.js';

export async function render(root, ctx) {
  root.append(h('h1', { i18n: 'nav.sites' }));
  const src = '/api/v1/sites?limit=100';
  const dueSrc = `/api/v1/quarantine-due${api.qs({ date: ctx.date })}`;
  const [j, due] = await Promise.all([api.get(src), ctx.may('/api/v1/quarantine-due') ? api.get(dueSrc) : null]);
  const cols = ['room_count', 'capacity', 'occupied_rooms', 'people', 'free_rooms'];
  const current = ctx.q.site || (j.items[0] && j.items[0].site);
  root.append(section('sites.list', j.items.length ? table(['sites.site', 'sites.name', ...cols.map((c) => 'sites.' + c), 'sites.occupancy'],
    j.items.map((s, i) => h('tr', { class: s.site === current ? 'selected' : '' },
      h('td', null, h('a', { href: '#', 'data-site': s.site, onclick: (e) => { e.preventDefault(); ctx.go({ site: s.site }); } }, s.site)),
      h('td', null, s.name),
      cols.map((c) => h('td', { class: 'num' }, fig(j, src, `items.${i}.${c}`))),
      h('td', null, bar(s.people, s.capacity))))) : empty()));
  const jobs = [];
  if (current) jobs.push(site(root, ctx, current));
  await Promise.all(jobs);
  if (due) root.append(dueLists(due, due, dueSrc, 'sites.due_all'));
}

function bar(n, of) {
  const pct = of ? Math.min(100, Math.round((100 * n) / of)) : 0;
  const fill = h('span', { class: 'bar-fill' + (pct >= 90 ? ' full' : '') });
  fill.style.width = pct + '%';
  return h('span', { class: 'bar', title: `${n}/${of}` }, fill, h('span', { class: 'bar-text' }, `${pct}%`));
}

async function site(root, ctx, code) {
  const src = `/api/v1/sites/${encodeURIComponent(code)}${api.qs({ date: ctx.date })}`;
  const s = await api.get(src);
  root.append(section('sites.rooms',
    h('p', { class: 'sub' }, `${s.site} ${s.name} · ${s.address || ''}`),
    h('div', { class: 'cards small' }, ['room_count', 'capacity', 'occupied_rooms', 'people', 'free_rooms'].map((k) =>
      h('div', { class: 'card' }, h('div', { class: 'card-label', i18n: 'sites.' + k }), fig(s, src, k, 'div', 'card-value fig')))),
    h('div', { class: 'rooms' }, s.rooms.map((r, i) => h('div', { class: `room ${r.people ? (r.people >= r.capacity ? 'full' : 'part') : 'free'}`, title: r.group ? t('cat.' + r.group) : '' },
      h('div', { class: 'room-no' }, r.room),
      h('div', { class: 'room-occ' }, fig(s, src, `rooms.${i}.people`), '/', fig(s, src, `rooms.${i}.capacity`)),
      r.occupants.map((o) => h('div', { class: 'room-who' }, o.name, ' ', hamlet(o.hamlet))),
      r.others ? h('div', { class: 'note' }, `+${r.others}`) : '')))),
  s.due ? dueLists(s, s.due, src, 'sites.due_site', 'due.') : '');
}

function dueLists(json, d, src, title, prefix = '') {
  const lists = [['sample', 'due.sample'], ['release', 'due.release'], ['overdue', 'due.overdue']];
  return section(title, h('p', { class: 'sub' }, `${t('hdr.date')} ${d.date}`), lists.map(([k, label]) => h('details', { class: 'due-list', open: d[k].length > 0 && d[k].length <= 10 },
    h('summary', null, h('span', { i18n: label }), ' ', fig(json, src, `${prefix}${k}.length`, 'span', 'fig badge')),
    d[k].length ? table(['cases.name', 'cases.hamlet', 'due.what', 'contacts.status', 'contacts.place', 'due.ready'], d[k].slice(0, 100).map((x) => h('tr', null,
      h('td', null, x.name), h('td', null, hamlet(x.hamlet)), h('td', null, x.what || x.why || ''),
      h('td', { i18n: 'q.status.' + (x.status || 'none') }),
      h('td', null, x.site ? `${x.site}${x.room ? ' / ' + x.room : ''}` : '—'),
      h('td', null, x.ready ? '✓' : (x.why || '—'))))) : empty())));
}

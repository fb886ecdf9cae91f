// Cases: a paged list (/cases), and a case's detail (#/cases/NUMBER):
// the record, its trajectory (/cases/{case}/trajectory) and its
// transmission chain as a graph (/cases/{case}/chain).
import * as api from '../api.js';
import { h, fig, section, empty, hamlet, table, when } from '../dom.js';
import { t } from '../i18n.js';
import { chart, COLORS } from '../charts.js';
import { href } from '../route.js';
import { pager } from './common.js';

export async function render(root, ctx) {
  if (ctx.arg) return detail(root, ctx, ctx.arg);
  const offset = Math.max(0, parseInt(ctx.q.offset || '0', 10) || 0);
  const cls = ctx.q.class || '';
  const src = `/api/v1/cases${api.qs({ class: cls, limit: 50, offset })}`;
  const sel = h('select', { id: 'f-class' }, h('option', { value: '', i18n: 'msg.all' }),
    ['confirmed', 'asymptomatic', 'suspected'].map((c) => h('option', { value: c, selected: c === cls, i18n: 'class.' + c })));
  sel.addEventListener('change', () => ctx.go({ class: sel.value, offset: '' }));
  root.append(h('h1', { i18n: 'nav.cases' }), h('div', { class: 'filters' }, h('label', null, h('span', { i18n: 'cases.class' }), sel)));
  const j = await api.get(src);
  if (!j.items.length) { root.append(empty()); return; }
  root.append(table(['cases.number', 'cases.name', 'cases.class', 'cases.origin', 'cases.found', 'cases.onset', 'cases.reported', 'cases.hamlet', 'cases.outcome'],
    j.items.map((c) => h('tr', null,
      h('td', null, h('a', { href: href('cases', c.number, { date: ctx.date }), 'data-case': c.number }, c.number)),
      h('td', null, c.name),
      h('td', null, h('span', { class: 'tag class-' + c.class, i18n: 'class.' + c.class }), c.converted ? h('span', { class: 'note' }, ` (${t('cases.converted')} ${c.converted})`) : ''),
      h('td', { i18n: 'origin.' + c.origin }),
      h('td', { i18n: 'found.' + (c.found || 'other') }),
      h('td', null, c.onset || '—'),
      h('td', null, when(c.reported)),
      h('td', null, hamlet(c.hamlet)),
      h('td', null, c.outcome ? `${t('outcome.' + c.outcome)} ${c.outcome_date || ''}` : '—')))),
    pager(j, src, ctx));
}

async function detail(root, ctx, number) {
  const base = `/api/v1/cases/${encodeURIComponent(number)}`;
  root.append(h('p', null, h('a', { href: href('cases', '', { date: ctx.date }), i18n: 'cases.back' })), h('h1', null, `${t('cases.case')} ${number}`));
  const info = h('div');
  const traj = h('div');
  const chain = h('div');
  root.append(section('cases.record', info), section('cases.chain', chain), section('cases.trajectory', traj));
  const jobs = [api.get(base).then((c) => {
    const rows = [
      ['cases.name', c.name], ['cases.rid', c.rid], ['cases.phone', c.phone || '—'],
      ['cases.class', t('class.' + c.class)], ['cases.clinical', c.clinical_type ? t('clinical.' + c.clinical_type) : '—'],
      ['cases.origin', t('origin.' + c.origin)], ['cases.found', t('found.' + (c.found || 'other'))],
      ['cases.onset', c.onset || '—'], ['cases.sampling', c.sampling || '—'], ['cases.reported', when(c.reported)],
      ['cases.isolated', when(c.isolated)], ['cases.hospital', c.hospital || '—'],
      ['cases.converted', c.converted || '—'],
      ['cases.outcome', c.outcome ? `${t('outcome.' + c.outcome)} ${c.outcome_date || ''}` : '—'],
      ['cases.address', c.address || '—'],
    ];
    info.append(h('dl', { class: 'kv' }, rows.map(([k, v]) => [h('dt', { i18n: k }), h('dd', null, v)]),
      h('dt', { i18n: 'cases.hamlet' }), h('dd', null, hamlet(c.hamlet, c.hamlet_name))));
  })];
  if (ctx.may('/api/v1/cases/{case}/chain')) jobs.push(api.get(base + '/chain').then((j) => drawChain(chain, j, base + '/chain')));
  if (ctx.may('/api/v1/cases/{case}/trajectory')) jobs.push(api.get(base + '/trajectory').then((j) => timeline(traj, j, base + '/trajectory')));
  await Promise.all(jobs);
}

function drawChain(box, j, src) {
  const secondary = j.close.reduce((s, c) => s + c.secondary.length, 0);
  box.append(h('div', { class: 'cards small' },
    h('div', { class: 'card' }, h('div', { class: 'card-label', i18n: 'cat.close' }), fig(j, src, 'close.length', 'div', 'card-value fig')),
    h('div', { class: 'card' }, h('div', { class: 'card-label', i18n: 'cat.secondary' }), h('div', { class: 'card-value' }, String(secondary))),
    h('div', { class: 'card' }, h('div', { class: 'card-label', i18n: 'cat.companion' }), fig(j, src, 'companions', 'div', 'card-value fig')),
    h('div', { class: 'card' }, h('div', { class: 'card-label', i18n: 'cat.general' }), fig(j, src, 'general', 'div', 'card-value fig'))));
  const nodes = [{ id: 'case', name: j.number, category: 0, symbolSize: 28, value: j.name }];
  const links = [];
  const seen = new Set(['case']);
  for (const c of j.close) {
    const id = 'p' + c.person;
    if (!seen.has(id)) { seen.add(id); nodes.push({ id, name: c.name, category: c.is_case ? 0 : 1, symbolSize: 14, value: c.hamlet }); }
    links.push({ source: 'case', target: id });
    for (const s of c.secondary) {
      const sid = 'p' + s.person;
      if (!seen.has(sid)) { seen.add(sid); nodes.push({ id: sid, name: s.name, category: s.is_case ? 0 : 2, symbolSize: 8, value: s.hamlet }); }
      links.push({ source: id, target: sid });
    }
  }
  const el = h('div', { class: 'chart tall', id: 'chart-chain' });
  box.append(el);
  chart(el, {
    legend: { data: [t('cases.case'), t('cat.close'), t('cat.secondary')] },
    tooltip: { formatter: (p) => (p.dataType === 'node' ? `${p.data.name} ${p.data.value || ''}` : '') },
    series: [{
      type: 'graph', layout: 'force', roam: true, draggable: true,
      force: { repulsion: 60, edgeLength: [20, 60], gravity: 0.15 },
      categories: [{ name: t('cases.case'), itemStyle: { color: COLORS.confirmed } },
        { name: t('cat.close'), itemStyle: { color: COLORS.close } },
        { name: t('cat.secondary'), itemStyle: { color: COLORS.secondary } }],
      label: { show: nodes.length <= 40, position: 'right', fontSize: 10 },
      data: nodes, links, lineStyle: { opacity: 0.5 },
    }],
  });
  if (j.close.length) {
    box.append(h('details', null, h('summary', { i18n: 'cases.close_list' }),
      table(['cases.name', 'cases.hamlet', 'cases.evidence', 'cat.secondary'], j.close.map((c) => h('tr', null,
        h('td', null, c.name, c.is_case ? h('span', { class: 'tag class-confirmed', i18n: 'cases.is_case' }) : ''),
        h('td', null, hamlet(c.hamlet)), h('td', null, (c.evidence || []).join(', ')),
        h('td', null, c.secondary.length ? c.secondary.map((s, i) => [i ? '、' : '', s.name, ' ', hamlet(s.hamlet)]) : '—'))))));
  }
}

function timeline(box, j, src) {
  box.append(h('p', { class: 'note' }, t('cases.movements') + ' ', fig(j, src, 'items.length')));
  if (!j.items.length) { box.append(empty()); return; }
  box.append(h('ol', { class: 'timeline' }, j.items.map((m) => h('li', { class: 'kind-' + m.kind },
    h('span', { class: 'tl-time' }, when(m.at), m.until ? ` – ${when(m.until).slice(11)}` : ''),
    h('span', { class: 'tag', i18n: 'move.' + m.kind }),
    h('span', { class: 'tl-place' }, m.place || '—'),
    m.unit ? h('span', { class: 'note' }, ` ${typeof m.unit === 'object' ? (m.unit.name || m.unit.code) : m.unit}`) : ''))));
}

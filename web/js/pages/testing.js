// Testing: rounds (/rounds), a round's coverage per unit and grid
// (/rounds/{round}), its missing list (paged), positive pools with their
// recall status (/pools?status=positive).
import * as api from '../api.js';
import { h, fig, section, empty, hamlet, table, when } from '../dom.js';
import { t } from '../i18n.js';
import { pager } from './common.js';

export async function render(root, ctx) {
  root.append(h('h1', { i18n: 'nav.testing' }));
  const roundsSrc = '/api/v1/rounds?limit=50';
  const jobs = [api.get(roundsSrc)];
  if (ctx.may('/api/v1/pools')) jobs.push(api.get('/api/v1/pools?status=positive'));
  const [rounds, pools] = await Promise.all(jobs);
  const list = h('div');
  const detail = h('div');
  root.append(section('testing.rounds', list), detail);
  if (pools) root.append(section('testing.pools', poolTable(pools, '/api/v1/pools?status=positive')));
  if (!rounds.items.length) { list.append(empty()); return; }
  // The round chosen, else the latest one started by the report date.
  const byDate = rounds.items.find((r) => r.start && r.start.slice(0, 10) <= ctx.date) || rounds.items[0];
  const current = ctx.q.round || byDate.round;
  list.append(table(['testing.round', 'testing.state', 'testing.start', 'testing.deadline', 'testing.closed', 'testing.targets', 'testing.units'],
    rounds.items.map((r, i) => h('tr', { class: r.round === current ? 'selected' : '' },
      h('td', null, h('a', { href: '#', 'data-round': r.round, onclick: (e) => { e.preventDefault(); ctx.go({ round: r.round, offset: '' }); } }, r.round)),
      h('td', null, h('span', { class: 'tag st-' + r.state, i18n: 'round.' + r.state })),
      h('td', null, when(r.start)), h('td', null, when(r.deadline)), h('td', null, when(r.closed_at)),
      h('td', null, fig(rounds, roundsSrc, `items.${i}.targets`)),
      h('td', null, r.units.join(', '))))));
  await roundDetail(detail, ctx, current);
}

async function roundDetail(box, ctx, round) {
  const src = `/api/v1/rounds/${encodeURIComponent(round)}`;
  const offset = Math.max(0, parseInt(ctx.q.offset || '0', 10) || 0);
  const missSrc = `${src}/missing${api.qs({ limit: 50, offset })}`;
  const [r, miss] = await Promise.all([api.get(src),
    ctx.may('/api/v1/rounds/{round}/missing') ? api.get(missSrc) : null]);
  const ov = ['expected', 'sampled', 'missing', 'percent'];
  box.append(section('testing.coverage',
    h('p', { class: 'sub' }, `${t('testing.round')} ${r.round} · `, h('span', { i18n: 'round.' + r.state }), r.past_deadline && r.state === 'open' ? h('span', { class: 'tag warn', i18n: 'testing.past_deadline' }) : ''),
    h('div', { class: 'cards small' }, ov.map((k) => h('div', { class: 'card' }, h('div', { class: 'card-label', i18n: 'cov.' + k }), fig(r, src, 'overall.' + k, 'div', 'card-value fig')))),
    h('h3', { i18n: 'testing.per_unit' }),
    table(['testing.unit', ...ov.map((k) => 'cov.' + k)], r.units.map((u, i) => h('tr', null,
      h('td', null, `${u.name} ${u.unit}`), ov.map((k) => h('td', { class: 'num' }, fig(r, src, `units.${i}.${k}`)))))),
    h('h3', { i18n: 'testing.per_grid' }),
    r.grids.length ? table(['testing.grid', ...ov.map((k) => 'cov.' + k)], r.grids.map((g, i) => h('tr', { class: g.missing ? 'warn' : '' },
      h('td', null, hamlet(g.unit, g.name)), ov.map((k) => h('td', { class: 'num' }, fig(r, src, `grids.${i}.${k}`)))))) : empty()));
  if (!miss) return;
  box.append(section('testing.missing', miss.items.length
    ? [table(['cases.name', 'cases.rid', 'cases.phone', 'cases.hamlet', 'testing.household', 'testing.worker'], miss.items.map((m) => h('tr', null,
      h('td', null, m.name), h('td', null, m.rid), h('td', null, m.phone || '—'), h('td', null, hamlet(m.hamlet, m.hamlet_name)),
      h('td', null, m.household), h('td', null, m.worker ? `${m.worker.name} ${m.worker.phone || ''}` : '—')))), pager(miss, missSrc, ctx)]
    : [empty('testing.none_missing'), h('p', { class: 'note' }, h('span', { i18n: 'msg.rows' }), ' ',
      h('span', { class: 'fig', 'data-fig': 'items.length', 'data-src': missSrc }, '0'))]));
}

function poolTable(j, src) {
  if (!j.items.length) return [empty('testing.no_pools'), h('p', { class: 'note' }, h('span', { i18n: 'msg.rows' }), ' ',
    h('span', { class: 'fig', 'data-fig': 'items.length', 'data-src': src }, '0'))];
  const keys = ['members', 'resolved', 'negative', 'positive', 'pending'];
  return table(['testing.tube', 'testing.point', 'testing.sampled_at', 'testing.result_at', 'testing.state', ...keys.map((k) => 'recall.' + k)],
    j.items.map((p, i) => h('tr', { class: p.pending ? 'warn' : '' },
      h('td', null, p.tube), h('td', null, p.point || '—'), h('td', null, when(p.sampled_at)), h('td', null, when(p.result_at)),
      h('td', { i18n: 'pool.' + p.state }),
      keys.map((k) => h('td', { class: 'num' }, fig(j, src, `items.${i}.${k}`))))));
}

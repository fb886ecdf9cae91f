// Overview: the day's figures (reports/daily), the epidemic curve
// (reports/curve), the time series (reports/series), zones, quarantine,
// round coverage and alerts. A user without the report role (a grid
// worker) sees alerts, the zones of their area and contact counts.
import * as api from '../api.js';
import { h, card, fig, section, empty, hamlet, at, table, when } from '../dom.js';
import { t } from '../i18n.js';
import { chart, COLORS } from '../charts.js';
import { addDays } from '../route.js';
import { FIG_GROUPS, FIGS, SERIES_DEFAULT } from '../figs.js';

const HEADLINE = [
  ['confirmed.new', 'hot'], ['confirmed.new_local', ''], ['confirmed.new_imported', ''], ['confirmed.cumulative', 'hot'],
  ['confirmed.cumulative_local', ''], ['confirmed.cumulative_imported', ''],
  ['asymptomatic.new', 'warm'], ['asymptomatic.converted', ''], ['asymptomatic.released', ''], ['asymptomatic.under_observation', 'warm'],
  ['cured.new', ''], ['cured.cumulative', 'good'], ['deaths.new', ''], ['deaths.cumulative', ''], ['current', 'hot'],
  ['cure_rate', 'good'], ['fatality_rate', ''],
];

export async function render(root, ctx) {
  const d = ctx.date;
  root.append(h('h1', { i18n: 'nav.overview' }), h('p', { class: 'sub' }, `${t('hdr.date')} ${d}`));
  const jobs = [];
  if (ctx.may('/api/v1/reports/daily')) jobs.push(reportPart(root, ctx));
  else {
    if (ctx.may('/api/v1/contacts')) jobs.push(contactCounts(root));
    if (ctx.may('/api/v1/zones')) jobs.push(zoneList(root));
  }
  if (ctx.may('/api/v1/alerts')) jobs.push(alerts(root, d));
  await Promise.all(jobs);
}

async function reportPart(root, ctx) {
  const d = ctx.date;
  const src = `/api/v1/reports/daily${api.qs({ date: d })}`;
  const from = addDays(d, -29);
  const curveSrc = `/api/v1/reports/curve${api.qs({ from, to: d })}`;
  const seriesSrc = `/api/v1/reports/series${api.qs({ from, to: d })}`;
  const figs = h('div', { class: 'cards' });
  const more = h('div', { class: 'grid3' });
  const charts = h('div', { class: 'grid2' });
  root.append(section('ov.today', figs), more, charts);
  const [rep, curve, series] = await Promise.all([api.get(src), api.get(curveSrc), api.get(seriesSrc)]);
  for (const [path, cls] of HEADLINE) figs.append(card('fig.' + path, rep, src, 'totals.' + path, cls));
  figs.append(h('p', { class: 'note' }, `${rep.unit.name} · ${t('rep.cutoff')} ${rep.cutoff} · ${when(rep.window.from)} – ${when(rep.window.to)}`));

  const group = (title, paths) => section(title, h('div', { class: 'cards small' },
    paths.map((p) => card('fig.' + p, rep, src, 'totals.' + p))));
  more.append(
    group('grp.contacts', FIG_GROUPS[3][1]),
    group('ov.zones', FIG_GROUPS[5][1]),
    group('ov.quarantine', FIG_GROUPS[6][1]),
    group('grp.testing', FIG_GROUPS[4][1]));

  // The epidemic curve, by onset and by report date.
  for (const [key, list] of [['ov.curve_onset', 'by_onset'], ['ov.curve_report', 'by_report']]) {
    const el = h('div', { class: 'chart', id: 'chart-' + list });
    const days = curve[list];
    const sum = (k) => days.reduce((s, x) => s + x[k], 0);
    charts.append(section(key, h('p', { class: 'note' },
      t('class.confirmed') + ' ', h('b', null, String(sum('confirmed'))), ' · ',
      t('class.asymptomatic') + ' ', h('b', null, String(sum('asymptomatic')))), el));
    chart(el, {
      legend: { data: [t('class.confirmed'), t('class.asymptomatic')] },
      grid: { left: 40, right: 10, top: 30, bottom: 40 },
      xAxis: { type: 'category', data: days.map((x) => x.date.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      tooltip: { trigger: 'axis' },
      series: [
        { name: t('class.confirmed'), type: 'bar', stack: 'n', color: COLORS.confirmed, data: days.map((x) => x.confirmed) },
        { name: t('class.asymptomatic'), type: 'bar', stack: 'n', color: COLORS.asymptomatic, data: days.map((x) => x.asymptomatic) },
      ],
    });
  }

  // The time series of chosen figures over the last 30 days.
  const el = h('div', { class: 'chart wide', id: 'chart-series' });
  let chosen = JSON.parse(localStorage.getItem('cordon.series') || 'null') || SERIES_DEFAULT;
  chosen = chosen.filter((p) => FIGS.includes(p));
  const picker = h('div', { class: 'series-pick' });
  const draw = (c) => c.setOption({
    legend: { data: chosen.map((p) => t('fig.' + p)), type: 'scroll' },
    grid: { left: 50, right: 10, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: series.days.map((x) => x.date.slice(5)) },
    yAxis: { type: 'value' },
    tooltip: { trigger: 'axis' },
    series: chosen.map((p) => ({ name: t('fig.' + p), type: 'line', data: series.days.map((x) => at(x, p)) })),
  }, { replaceMerge: ['series'] });
  for (const p of FIGS) {
    const box = h('input', { type: 'checkbox', value: p, checked: chosen.includes(p) });
    box.addEventListener('change', () => {
      chosen = FIGS.filter((q) => (q === p ? box.checked : chosen.includes(q)));
      localStorage.setItem('cordon.series', JSON.stringify(chosen));
      draw(c);
    });
    picker.append(h('label', null, box, h('span', { i18n: 'fig.' + p })));
  }
  root.append(section('ov.series', el, h('details', null, h('summary', { i18n: 'ov.series_pick' }), picker),
    h('p', { class: 'note' }, `${series.days.length} ${t('ov.days')} · ${t('fig.confirmed.cumulative')} `,
      fig(series, seriesSrc, `days.${series.days.length - 1}.confirmed.cumulative`))));
  const c = chart(el, {});
  draw(c);
}

async function contactCounts(root) {
  const box = h('div', { class: 'cards small' });
  root.append(section('ov.contacts', box));
  const kinds = [['close', 'cat.close'], ['secondary', 'cat.secondary']];
  const res = await Promise.all(kinds.map(([c]) => {
    const src = `/api/v1/contacts${api.qs({ category: c, limit: 500 })}`;
    return api.get(src).then((j) => [src, j]);
  }));
  res.forEach(([src, j], i) => {
    const c = card(kinds[i][1], j, src, 'items.length');
    if (j.next_offset != null) c.append(h('span', { class: 'note' }, '+'));
    box.append(c);
  });
}

async function zoneList(root) {
  const src = '/api/v1/zones?limit=50';
  const box = h('div');
  root.append(section('ov.zones_area', box));
  const j = await api.get(src);
  box.append(h('p', null, t('zones.active') + ': ', fig(j, src, 'items.length')));
  if (!j.items.length) { box.append(empty('zones.none_active')); return; }
  box.append(table(['zones.zone', 'zones.level', 'zones.residents', 'zones.areas', 'zones.earliest'], j.items.map((z, i) =>
    h('tr', null, h('td', null, z.zone), h('td', null, z.level_zh ? `${z.level_zh}` : z.level),
      h('td', null, fig(j, src, `items.${i}.residents`)),
      h('td', null, z.areas.map((a) => a.name).join('、')),
      h('td', null, (z.next && z.next.earliest) || '—')))));
}

async function alerts(root, d) {
  const src = `/api/v1/alerts${api.qs({ date: d })}`;
  const box = h('div', { class: 'alerts' });
  root.append(section('ov.alerts', box));
  const j = await api.get(src);
  const lists = [
    ['positive_pools', 'alert.positive_pools', (p) => [p.tube, p.point || '', `${t('recall.pending')} ${p.pending}/${p.members}`, when(p.result_at)]],
    ['fever', 'alert.fever', (m) => [m.name, hamlet(m.hamlet), `${m.temp} °C`, m.site ? `${m.site}/${m.room || ''}` : t('q.status.' + m.status), m.symptoms || '', when(m.at)]],
    ['overdue_releases', 'alert.overdue', (q) => [q.name, hamlet(q.hamlet), t('q.status.' + q.status), `${t('q.end')} ${q.quarantine_end || '—'}`]],
  ];
  for (const [key, label, row] of lists) {
    const items = j[key] || [];
    box.append(h('div', { class: 'alert-group ' + (items.length ? 'on' : 'off') },
      h('h3', null, h('span', { i18n: label }), ' ', fig(j, src, j.totals ? `totals.${key}` : `${key}.length`, 'span', 'fig badge')),
      items.length ? h('ul', null, items.map((it) => h('li', null, row(it).filter((x) => x !== '').map((x, i) => [i ? ' · ' : '', x]))))
        : empty('msg.none')));
  }
}

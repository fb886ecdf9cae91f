// Reports: the daily report (/reports/daily) as the table the county
// sends up — one row per child unit and a totals row — with the cutoff
// and unit chosen here, and CSV / XLSX downloads of the same report.
import * as api from '../api.js';
import { h, fig, section, when } from '../dom.js';
import { t } from '../i18n.js';
import { FIG_GROUPS } from '../figs.js';
import { unitSelect } from './common.js';

export async function render(root, ctx) {
  const q = ctx.q;
  const cutoff = /^\d{2}:\d{2}$/.test(q.cutoff || '') ? q.cutoff : '';
  const params = { date: ctx.date, unit: q.unit, cutoff };
  const src = `/api/v1/reports/daily${api.qs(params)}`;
  const cut = h('input', { id: 'f-cutoff', type: 'text', value: cutoff || '24:00', pattern: '[0-2][0-9]:[0-5][0-9]', size: 5, inputmode: 'numeric' });
  cut.addEventListener('change', () => {
    if (/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(cut.value)) ctx.go({ cutoff: cut.value === '24:00' ? '' : cut.value });
    else cut.classList.add('bad');
  });
  const status = h('span', { class: 'note', id: 'dl-status' });
  const dl = (format) => h('button', { type: 'button', id: 'dl-' + format, class: 'download', onclick: async () => {
    status.textContent = '…';
    try {
      const name = await api.download(`/api/v1/reports/daily${api.qs({ ...params, format })}`, `daily-${ctx.date}.${format}`);
      status.textContent = `${t('rep.saved')} ${name}`;
    } catch (e) {
      status.textContent = `${t('msg.error')}: ${e.message}`;
    }
  } }, t('rep.download_' + format));
  const rep = await api.get(src);
  // The user's unit and its children; for a user of the whole database,
  // the report's county (the first six digits of a unit code) and its towns.
  const unit = await unitSelect(ctx, 'f-unit', q.unit, false, ctx.me.unit || rep.unit.code.slice(0, 6));
  if (![...unit.options].some((o) => o.value === rep.unit.code))
    unit.prepend(h('option', { value: rep.unit.code }, `${rep.unit.name} ${rep.unit.code}`));
  unit.value = rep.unit.code;
  unit.addEventListener('change', () => ctx.go({ unit: unit.value }));
  root.append(h('h1', { i18n: 'nav.reports' }),
    h('div', { class: 'filters' },
      h('label', null, h('span', { i18n: 'contacts.unit' }), unit),
      h('label', null, h('span', { i18n: 'rep.cutoff' }), cut),
      dl('csv'), dl('xlsx'), status));
  root.append(section('rep.title',
    h('p', { class: 'sub', id: 'rep-head' }, `${rep.unit.name}（${rep.unit.code}）· ${t('hdr.date')} ${rep.date} · ${t('rep.cutoff')} ${rep.cutoff} · ${t('rep.window')} ${when(rep.window.from)} – ${when(rep.window.to)}`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'report', id: 'report' },
      h('thead', null,
        h('tr', null, h('th', { rowspan: 2, class: 'sticky', i18n: 'rep.unit' }),
          FIG_GROUPS.map(([g, f]) => h('th', { colspan: f.length, class: 'grp', i18n: g }))),
        h('tr', null, FIG_GROUPS.flatMap(([, f]) => f.map((p) => h('th', { i18n: 'fig.' + p }))))),
      h('tbody', null, rep.rows.map((r, i) => h('tr', null,
        h('th', { class: 'sticky', scope: 'row', title: r.unit.code }, r.unit.name),
        FIG_GROUPS.flatMap(([, f]) => f.map((p) => fig(rep, src, `rows.${i}.${p}`, 'td', 'num fig')))))),
      h('tfoot', null, h('tr', { class: 'totals' },
        h('th', { class: 'sticky', scope: 'row', i18n: 'rep.totals' }),
        FIG_GROUPS.flatMap(([, f]) => f.map((p) => fig(rep, src, `totals.${p}`, 'td', 'num fig')))))))));
}

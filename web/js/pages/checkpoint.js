// Checkpoint: enter (or scan into the same field) a resident ID, pick the
// checkpoint and the temperature → GET /check/{id}; the outcome with its
// reasons, coloured.
import * as api from '../api.js';
import { h, section, hamlet, clear, when } from '../dom.js';
import { t } from '../i18n.js';

export async function render(root, ctx) {
  root.append(h('h1', { i18n: 'nav.checkpoint' }));
  const id = h('input', { id: 'check-id', name: 'id', autocomplete: 'off', inputmode: 'text', required: true, maxlength: 32, placeholder: '430422…' });
  const cp = h('select', { id: 'check-point', required: true });
  const temp = h('input', { id: 'check-temp', type: 'number', step: '0.1', min: '34', max: '43', value: '36.5' });
  const out = h('div', { id: 'check-result', 'aria-live': 'polite' });
  const form = h('form', { id: 'check-form', class: 'check-form' },
    h('label', null, h('span', { i18n: 'check.id' }), id),
    h('button', { type: 'button', class: 'scan', i18n: 'check.scan', onclick: () => { id.value = ''; id.focus(); } }),
    h('label', null, h('span', { i18n: 'check.point' }), cp),
    h('label', null, h('span', { i18n: 'check.temp' }), temp),
    h('button', { type: 'submit', id: 'check-submit', i18n: 'check.verify' }));
  root.append(section('check.title', form), out);
  const saved = localStorage.getItem('cordon.checkpoint') || '';
  if (ctx.may('/api/v1/venues')) {
    const v = await api.get('/api/v1/venues?kind=checkpoint&limit=500');
    for (const x of v.items) cp.append(h('option', { value: x.code, selected: x.code === saved }, `${x.name} ${x.code}`));
  }
  if (!cp.options.length && saved) cp.append(h('option', { value: saved }, saved));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    localStorage.setItem('cordon.checkpoint', cp.value);
    const path = `/api/v1/check/${encodeURIComponent(id.value.trim())}${api.qs({ checkpoint: cp.value, temp: temp.value })}`;
    try {
      const r = await api.get(path);
      out.append(h('div', { class: 'outcome oc-' + r.outcome, id: 'check-outcome', 'data-outcome': r.outcome },
        h('div', { class: 'oc-big', i18n: 'oc.' + r.outcome }),
        h('div', { class: 'oc-who' }, `${r.name} ${r.rid} `, hamlet(r.hamlet)),
        h('div', null, h('span', { class: 'code-' + r.colour, i18n: 'colour.' + r.colour }), ` · ${r.temperature != null ? r.temperature + ' °C' : ''} · ${t('check.window')} ${r.window} h · ${when(r.at)}`),
        h('ol', { class: 'findings' }, r.findings.map((f) => h('li', { class: 'oc-' + f.outcome },
          h('span', { class: 'tag', i18n: 'oc.' + f.outcome }), ` ${t('check.step' + f.step)}: ${f.finding}`)))));
    } catch (e) {
      out.append(h('div', { class: 'outcome oc-error', role: 'alert' }, `${t('msg.error')}: ${e.message}`));
    }
    id.select();
  });
  id.focus();
}

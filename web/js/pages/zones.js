// Zones: the tree of units (/zone-tree, one level at a time, expanded on
// click) as at the end of the report date, each coloured by the most
// severe zone then in force covering it (today: with the earliest lifting
// date); and the zones list as they are now (/zones, all=true for lifted
// ones too).
import * as api from '../api.js';
import { h, fig, section, empty, table, hamlet } from '../dom.js';
import { t, lang } from '../i18n.js';
import { zoneClass } from '../charts.js';

export async function render(root, ctx) {
  root.append(h('h1', { i18n: 'nav.zones' }));
  const all = ctx.q.all === '1';
  const src = `/api/v1/zones${api.qs({ all: all ? 'true' : '', limit: 100 })}`;
  const jobs = [api.get(src)];
  const tree = h('ul', { class: 'tree', id: 'zone-tree' });
  if (ctx.may('/api/v1/zone-tree')) {
    root.append(section('zones.tree', h('p', { class: 'note' }, t('zones.asof') + ' ' + ctx.date),
      h('div', { class: 'legend' },
        ['sealed', 'controlled', 'precaution', 'none'].map((l) => h('span', { class: 'zl zl-' + l, i18n: 'zl.' + l }))), tree));
    jobs.push(level(tree, ctx.me.unit || '', ctx.date));
  }
  const box = h('div');
  const allBox = h('input', { type: 'checkbox', id: 'f-all', checked: all });
  allBox.addEventListener('change', () => ctx.go({ all: allBox.checked ? '1' : '' }));
  root.append(section('zones.list', h('p', { class: 'note', i18n: 'zones.now' }),
    h('label', { class: 'filters' }, allBox, h('span', { i18n: 'zones.show_all' })), box));
  const [j] = await Promise.all(jobs);
  box.append(h('p', null, t(all ? 'zones.all' : 'zones.active') + ': ', fig(j, src, 'items.length')));
  if (!j.items.length) { box.append(empty('zones.none_active')); return; }
  box.append(table(['zones.zone', 'zones.level', 'zones.status', 'zones.residents', 'zones.areas', 'zones.next', 'zones.earliest'],
    j.items.map((z, i) => h('tr', { class: 'zl-row zl-' + (z.status === 'active' ? zoneClass(z.level) : 'none') },
      h('td', null, z.zone),
      h('td', null, h('span', { class: 'zl zl-' + zoneClass(z.level) }, levelName({ name: z.level, name_zh: z.level_zh }))),
      h('td', { i18n: 'zstatus.' + z.status }),
      h('td', { class: 'num' }, fig(j, src, `items.${i}.residents`)),
      h('td', null, z.areas.map((a) => a.name).join('、')),
      h('td', null, z.next ? t('zstatus.' + z.next.to) : '—'),
      h('td', null, (z.next && z.next.earliest) || '—')))));
}

// One level of the tree under UNIT (the user's unit when empty) as at the
// end of DATE.
async function level(ul, unit, date, offset = 0) {
  const src = `/api/v1/zone-tree${api.qs({ unit, date, offset: offset || '' })}`;
  const j = await api.get(src);
  const items = j.items || [];
  if (!items.length && !offset) { ul.append(h('li', { class: 'empty', i18n: 'msg.none' })); return; }
  items.forEach((u, i) => {
    const zc = u.zone ? zoneClass(u.zone.level) : 'none';
    const sub = h('ul', { class: 'tree' });
    const label = h('span', { class: 'zl zl-' + zc }, u.zone ? `${u.zone.zone} ${levelName(u.zone)}` : t('zl.none'));
    const inner = u.inner ? h('span', { class: 'note' }, ` ${t('zones.inner')} `,
      h('span', { class: 'zl zl-' + zoneClass(u.inner.level) }, `${levelName(u.inner)} ×${u.inner.zones}`)) : '';
    const lift = u.earliest || null;
    const toggle = h('button', { type: 'button', class: 'twisty', 'aria-expanded': 'false', disabled: !u.has_children, 'data-unit': u.code },
      u.has_children ? '▸' : '·');
    const li = h('li', { class: 'node zl-node-' + zc },
      toggle, ' ',
      /-\d{3}$/.test(u.code) ? hamlet(u.code, u.name) : h('span', { class: 'unit-name' }, `${u.name} `, h('span', { class: 'code' }, u.code)),
      ' ', label, inner,
      lift ? h('span', { class: 'note' }, ` ${t('zones.earliest')} ${lift}`) : '',
      sub);
    li.dataset.src = src;
    li.dataset.path = `items.${i}`;
    let loaded = false;
    toggle.addEventListener('click', async () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? '▾' : '▸';
      sub.hidden = !open;
      if (open && !loaded) {
        loaded = true;
        await level(sub, u.code, date);
      }
    });
    ul.append(li);
  });
  if (j.next_offset != null) {
    const more = h('li', null, h('button', { type: 'button', class: 'more', i18n: 'msg.more' }));
    more.firstChild.addEventListener('click', async () => { more.remove(); await level(ul, unit, date, j.next_offset); });
    ul.append(more);
  }
}

// A level's name in the language on screen (the rules' name_zh in Chinese).
function levelName(z) {
  return lang() === 'zh' && z.name_zh ? z.name_zh : t('zone.' + (z.name || z.level));
}

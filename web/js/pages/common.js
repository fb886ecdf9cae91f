// Pieces shared by the pages.
import * as api from '../api.js';
import { h } from '../dom.js';

// Previous / next buttons of a paged list ({items, limit, offset, next_offset}).
export function pager(j, src, ctx, key = 'offset') {
  const prev = h('button', { type: 'button', class: 'prev', i18n: 'msg.prev', disabled: j.offset <= 0 });
  const next = h('button', { type: 'button', class: 'next', i18n: 'msg.next', disabled: j.next_offset == null });
  prev.addEventListener('click', () => ctx.go({ [key]: Math.max(0, j.offset - j.limit) || '' }));
  next.addEventListener('click', () => ctx.go({ [key]: j.next_offset }));
  return h('div', { class: 'pager' }, prev,
    h('span', { class: 'range' }, `${j.items.length ? j.offset + 1 : 0}–${j.offset + j.items.length}`),
    next,
    h('span', { class: 'count' }, h('span', { i18n: 'msg.rows' }), ' ',
      h('span', { class: 'fig', 'data-fig': 'items.length', 'data-src': src }, String(j.items.length))));
}

// A select of the user's unit and its direct children (/units/{unit}).
// BASE defaults to the user's unit (a user of the whole database: none).
export async function unitSelect(ctx, id, current, withAll = true, base = ctx.me.unit) {
  const sel = h('select', { id });
  if (withAll) sel.append(h('option', { value: '', i18n: 'msg.all' }));
  if (!base || !ctx.may('/api/v1/units/{unit}')) return sel;
  const u = await api.get(`/api/v1/units/${encodeURIComponent(base)}`);
  for (const x of [u, ...(u.children || [])]) {
    sel.append(h('option', { value: x.code, selected: x.code === current }, `${x === u ? '' : '— '}${x.name} ${x.code}`));
  }
  return sel;
}

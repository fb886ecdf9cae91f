// Hash routes: #/PAGE[/ARG][?date=YYYY-MM-DD&...]. The report date rides
// along in every link so it stays the same across pages.
export function todayCST() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

export function addDays(date, n) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function parseHash(hash) {
  const s = (hash || '').replace(/^#\/?/, '');
  const [path, query = ''] = s.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const q = Object.fromEntries(new URLSearchParams(query));
  const date = /^\d{4}-\d{2}-\d{2}$/.test(q.date || '') ? q.date : todayCST();
  delete q.date;
  return { page: parts[0] || '', arg: parts.slice(1).join('/'), q, date };
}

export function href(page, arg, params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v != null && v !== '') p.set(k, v);
  const s = p.toString().replace(/%3A/gi, ':');
  return `#/${page}${arg ? '/' + encodeURIComponent(arg) : ''}${s ? '?' + s : ''}`;
}

// The API client: the session token lives in sessionStorage and goes out
// as "Authorization: Bearer"; a 401 anywhere ends the session and shows
// the login page again.
const KEY = 'cordon.token';
let onLogout = () => {};

export class ApiError extends Error {
  constructor(status, err) {
    super((err && err.message) || `HTTP ${status}`);
    this.status = status;
    this.code = err && err.code;
    this.field = err && err.field;
  }
}

export function token() { return sessionStorage.getItem(KEY); }
export function setLogoutHandler(fn) { onLogout = fn; }

function dropSession() {
  sessionStorage.removeItem(KEY);
  onLogout();
}

async function reply(r) {
  let j = null;
  try { j = await r.json(); } catch { /* not JSON */ }
  if (r.status === 401 && token()) dropSession();
  if (!r.ok) throw new ApiError(r.status, j && j.error);
  return j;
}

export async function login(username, password) {
  const r = await fetch('/api/v1/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const j = await reply(r);
  sessionStorage.setItem(KEY, j.token);
  return j;
}

export async function logout() {
  try {
    await fetch('/api/v1/logout', { method: 'POST', headers: { Authorization: 'Bearer ' + token() } });
  } finally {
    dropSession();
  }
}

export async function get(path) {
  const r = await fetch(path, { headers: { Authorization: 'Bearer ' + token() } });
  return reply(r);
}

// Fetch a download with the token and save it through a Blob URL.
export async function download(path, fallbackName) {
  const r = await fetch(path, { headers: { Authorization: 'Bearer ' + token() } });
  if (!r.ok) return reply(r);
  const cd = r.headers.get('Content-Disposition') || '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd) || /filename="?([^";]+)"?/i.exec(cd);
  const name = m ? decodeURIComponent(m[1]) : fallbackName;
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return name;
}

// A query string from an object, leaving out empty values.
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
}

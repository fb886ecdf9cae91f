// The shell: login, header (user, report date, language), navigation and
// the hash router. Pages live in js/pages/*.js; each exports
// render(root, ctx) and resolves when all its API calls have finished.
import * as api from './api.js';
import { t, lang, setLang, applyI18n } from './i18n.js';
import { h, clear } from './dom.js';
import { disposeCharts, resizeCharts } from './charts.js';
import { todayCST, parseHash, href } from './route.js';
import * as overview from './pages/overview.js';
import * as cases from './pages/cases.js';
import * as contacts from './pages/contacts.js';
import * as testing from './pages/testing.js';
import * as zones from './pages/zones.js';
import * as sites from './pages/sites.js';
import * as checkpoint from './pages/checkpoint.js';
import * as reports from './pages/reports.js';

// Which page needs which route: a page is shown when the user's /me lists
// one of its routes (the server's role table, x-roles in the OpenAPI).
const PAGES = [
  ['overview', overview, ['/api/v1/reports/daily', '/api/v1/alerts', '/api/v1/zones']],
  ['cases', cases, ['/api/v1/cases']],
  ['contacts', contacts, ['/api/v1/contacts']],
  ['testing', testing, ['/api/v1/rounds']],
  ['zones', zones, ['/api/v1/zones']],
  ['sites', sites, ['/api/v1/sites']],
  ['checkpoint', checkpoint, ['/api/v1/check/{person}']],
  ['reports', reports, ['/api/v1/reports/daily']],
];

const app = document.getElementById('app');
let me = null;
let seq = 0;

function may(path) {
  return !!me && me.routes.some((r) => r.method === 'GET' && r.path === path);
}

function pagesFor() {
  return PAGES.filter(([, , routes]) => routes.some(may));
}

function showLogin(message) {
  disposeCharts();
  me = null;
  document.title = t('app.title');
  const err = h('p', { class: 'error', id: 'login-error', role: 'alert' }, message || '');
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { id: 'login', class: 'login' },
    h('h1', { i18n: 'app.title' }),
    h('label', { for: 'username', i18n: 'login.username' }), user,
    h('label', { for: 'password', i18n: 'login.password' }), pass,
    h('button', { type: 'submit', id: 'login-submit', i18n: 'login.submit' }),
    err,
    langButton());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    try {
      await api.login(user.value, pass.value);
      pass.value = '';
      await start();
    } catch (e) {
      err.textContent = e.status === 401 ? t('login.wrong') : e.status === 429 ? t('login.wait') : e.message;
    }
  });
  clear(app).append(h('div', { class: 'login-page', 'data-page': 'login', 'data-ready': '1' }, form));
  user.focus();
}

function langButton() {
  return h('button', {
    type: 'button', id: 'lang', class: 'lang', title: 'Language / 语言',
    onclick: () => { setLang(lang() === 'zh' ? 'en' : 'zh'); me ? render() : showLogin(); },
  }, t('lang.other'));
}

function header(r) {
  const dateInput = h('input', { type: 'date', id: 'date', value: r.date, min: '2020-01-01', max: '2099-12-31' });
  dateInput.addEventListener('change', () => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value))
      location.hash = href(r.page, r.arg, { ...r.q, date: dateInput.value, offset: '' });
  });
  const navToggle = h('button', { type: 'button', id: 'nav-toggle', class: 'nav-toggle', 'aria-expanded': 'false', i18n: 'nav.menu' });
  const nav = h('nav', { id: 'nav', class: 'nav' },
    pagesFor().map(([name]) => h('a', {
      href: href(name, '', { date: r.date }),
      class: name === r.page ? 'active' : '',
      'data-nav': name,
      i18n: 'nav.' + name,
    })));
  navToggle.addEventListener('click', () => {
    const open = nav.classList.toggle('open');
    navToggle.setAttribute('aria-expanded', String(open));
  });
  return h('header', { class: 'top' },
    h('div', { class: 'brand' }, h('span', { class: 'logo' }, '◆'), h('span', { i18n: 'app.title' })),
    navToggle,
    h('div', { class: 'who', id: 'who' },
      h('span', { class: 'who-name', id: 'who-name' }, me.name),
      h('span', { class: 'who-role', id: 'who-role', i18n: 'role.' + me.role }),
      h('span', { class: 'who-unit', id: 'who-unit', title: me.unit || '' }, me.unit_name || me.unit || '')),
    h('label', { class: 'date-pick' }, h('span', { i18n: 'hdr.date' }), dateInput),
    langButton(),
    h('button', { type: 'button', id: 'logout', class: 'logout', i18n: 'hdr.logout', onclick: () => api.logout() }),
    nav);
}

async function render() {
  const my = ++seq;
  if (!me) return;
  const r = parseHash(location.hash);
  const allowed = pagesFor();
  if (!allowed.length) {
    clear(app).append(header({ ...r, page: '' }), h('main', { class: 'page', 'data-page': 'none', 'data-ready': '1' },
      h('p', { class: 'empty', i18n: 'msg.no_pages' })));
    return;
  }
  const entry = allowed.find(([name]) => name === r.page);
  if (!entry) {
    location.replace(href(allowed[0][0], '', { ...r.q, date: r.date }));
    return;
  }
  disposeCharts();
  document.title = `${t('nav.' + r.page)} · ${t('app.title')}`;
  const root = h('main', { class: 'page', id: 'page', 'data-page': r.page });
  clear(app).append(header(r), root);
  const ctx = {
    me, may, date: r.date, arg: r.arg, q: r.q, page: r.page,
    go: (params, arg = r.arg) => { location.hash = href(r.page, arg, { ...r.q, date: r.date, ...params }); },
    live: () => my === seq,
  };
  try {
    await entry[1].render(root, ctx);
  } catch (e) {
    if (my !== seq) return;
    root.append(h('p', { class: 'error', role: 'alert' }, `${t('msg.error')}: ${e.message}`));
  }
  if (my === seq) {
    applyI18n(root);
    root.dataset.ready = '1';
  }
}

async function start() {
  try {
    me = await api.get('/api/v1/me');
  } catch (e) {
    showLogin(e.status === 401 ? '' : e.message);
    return;
  }
  if (!location.hash || location.hash === '#/' || location.hash === '#/login')
    location.replace(href('', '', { date: todayCST() }));
  render();
}

api.setLogoutHandler(() => showLogin());
window.addEventListener('hashchange', () => { if (me) render(); });
window.addEventListener('resize', resizeCharts);
document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
if (api.token()) start(); else showLogin();

// Browser tests of the dashboard (issue 8), in Debian's headless Chromium
// driven by puppeteer-core. Run by tests/e2e/t0017-dashboard.sh, which
// starts `cordon serve --web web` on the demo's reference scenario and
// passes, in the environment:
//   CORDON_URL     http://127.0.0.1:PORT
//   ANALYST, GRID  user names (analyst of the county; grid worker of one hamlet)
//   ADMIN          (optional) an admin of the whole database
//   GRID_UNIT      the grid worker's hamlet code
//   PASSWORD       their password
//   REPORT_DATE    the report date to look at (the scenario is in 2022)
//   SHOTS          where screenshots go (build/screenshots)
// For each user and language it opens every page the role may use and
// checks: every element with data-fig shows exactly the value at that path
// of the API reply named by its data-src (fetched here with the same
// token); a grid worker sees only hamlet codes of his hamlet; no raw i18n
// key is visible; the language switch changes the labels; no console
// error, page error, failed request or HTTP error. The grid worker's pages
// are also checked at phone width (390x844) for horizontal overflow.
// Prints "dashboard: N passed, M failed" and exits non-zero on a failure.
import puppeteer from 'puppeteer-core';
import fs from 'node:fs';
import path from 'node:path';

const BASE = process.env.CORDON_URL;
const PASSWORD = process.env.PASSWORD;
const DATE = process.env.REPORT_DATE || '2022-03-30';
const SHOTS = process.env.SHOTS || 'build/screenshots';
const GRID_UNIT = process.env.GRID_UNIT;
if (!BASE || !PASSWORD || !process.env.ANALYST || !process.env.GRID || !GRID_UNIT) {
  console.error('dashboard.test: set CORDON_URL, ANALYST, GRID, GRID_UNIT, PASSWORD');
  process.exit(2);
}
fs.mkdirSync(SHOTS, { recursive: true });

let passed = 0;
let failed = 0;
function ok(cond, what) {
  if (cond) passed++;
  else { failed++; console.error(`  FAIL [dashboard] ${what}`); }
  return cond;
}

// Pages each role must see in the navigation, from the roles of
// docs/api.md (the dashboard decides from /me's routes; this is the
// independent table).
const ALL = ['overview', 'cases', 'contacts', 'testing', 'zones', 'sites', 'checkpoint', 'reports'];
const EXPECT_PAGES = {
  admin: ALL,
  analyst: ALL,
  grid: ['overview', 'cases', 'contacts', 'testing', 'zones'],
};
// Pages where the screen must carry at least this many API figures.
const MIN_FIGS = {
  admin: { overview: 60, reports: 150, cases: 1, contacts: 1, testing: 10, zones: 1, sites: 10, checkpoint: 0 },
  analyst: { overview: 60, reports: 150, cases: 1, contacts: 1, testing: 10, zones: 1, sites: 10, checkpoint: 0 },
  grid: { overview: 3, cases: 1, contacts: 1, testing: 4, zones: 1 },
};
// Labels that must change with the language (selector → [zh, en]).
const LABELS = [
  ['[data-nav="cases"]', '病例', 'Cases'],
  ['[data-nav="zones"]', '风险区', 'Zones'],
  ['#logout', '退出', 'Log out'],
  ['#lang', 'English', '中文'],
];
const RAW_KEY = /\b(?:app|login|hdr|nav|role|msg|ov|alert|grp|fig|class|origin|found|clinical|outcome|cases|move|cat|contacts|q|testing|round|cov|recall|pools|zones|zl|zone|zstatus|sites|due|check|oc|colour|rep|lang)\.[a-z][a-z_]*(?:\.[a-z_]+)*\b/;
const PERCENT = /(^|\.)(cure_rate|fatality_rate|round_coverage|occupancy|percent)$/;

function at(obj, p) {
  return p.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

// The text the contract asks for: the API's number, percentages with two
// decimals, null as an em dash.
function shown(v, p) {
  if (v === null) return '—';
  if (typeof v === 'number' && PERCENT.test(p)) return v.toFixed(2);
  return String(v);
}

async function api(token, p) {
  const r = await fetch(BASE + p, { headers: { Authorization: `Bearer ${token}` } });
  const body = await r.json().catch(() => null);
  return { status: r.status, body };
}

// Watches a page for console errors, page errors, failed requests and HTTP
// errors; `allow` is a list of URL substrings whose errors are deliberate.
function watch(page) {
  const w = { errors: [], allow: [] };
  const allowed = (u) => w.allow.some((a) => u.includes(a));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const u = (m.location() && m.location().url) || '';
    if (!allowed(u)) w.errors.push(`console: ${m.text()} ${u}`);
  });
  page.on('pageerror', (e) => w.errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!allowed(r.url())) w.errors.push(`request failed: ${r.url()} ${r.failure() && r.failure().errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !allowed(r.url())) w.errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return w;
}

async function ready(page, name) {
  await page.waitForSelector(`[data-page="${name}"][data-ready="1"]`, { timeout: 20000 });
}

async function go(page, hash, name) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await ready(page, name);
}

async function login(page, user) {
  await page.goto(`${BASE}/#/overview?date=${DATE}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#login');
  await page.type('#username', user);
  await page.type('#password', PASSWORD);
  await Promise.all([page.waitForSelector('[data-page][data-ready="1"]:not([data-page="login"])', { timeout: 20000 }),
    page.click('#login-submit')]);
  return page.evaluate(() => sessionStorage.getItem('cordon.token'));
}

// Every data-fig on screen equals the API's value; returns how many.
async function checkFigs(page, token, where) {
  const figs = await page.$$eval('[data-fig]', (els) => els.map((e) => ({ fig: e.dataset.fig, src: e.dataset.src, text: e.textContent.trim() })));
  const bySrc = new Map();
  for (const f of figs) {
    if (!bySrc.has(f.src)) bySrc.set(f.src, []);
    bySrc.get(f.src).push(f);
  }
  let bad = 0;
  for (const [src, list] of bySrc) {
    if (!ok(src && src.startsWith('/api/v1/'), `${where}: data-src "${src}" is an API path`)) continue;
    const r = await api(token, src);
    if (!ok(r.status === 200, `${where}: ${src} answers 200 (got ${r.status})`)) continue;
    for (const f of list) {
      const v = at(r.body, f.fig);
      if (v === undefined) { bad++; ok(false, `${where}: ${src} has no "${f.fig}"`); continue; }
      const want = shown(v, f.fig);
      if (f.text !== want) { bad++; ok(false, `${where}: ${f.fig} of ${src} shows "${f.text}", the API says "${want}"`); }
    }
  }
  ok(bad === 0, `${where}: all ${figs.length} figures equal the API's`);
  return figs.length;
}

// Every hamlet code on screen (data-hamlet, or written in the text) is
// within UNIT.
async function checkHamlets(page, unit, where, seen) {
  const { attrs, text } = await page.evaluate(() => ({
    attrs: [...document.querySelectorAll('[data-hamlet]')].map((e) => e.dataset.hamlet),
    text: document.body.innerText,
  }));
  const codes = new Set([...attrs, ...(text.match(/\b\d{12}-\d{3}\b/g) || [])]);
  const outside = [...codes].filter((c) => c !== unit && !c.startsWith(unit + '-'));
  ok(outside.length === 0, `${where}: grid worker sees only his hamlet ${unit} (also saw ${outside.slice(0, 5).join(', ')})`);
  for (const c of codes) seen.add(c);
}

async function checkText(page, where) {
  const text = await page.evaluate(() => document.body.innerText);
  const m = text.match(RAW_KEY);
  ok(!m, `${where}: no raw i18n key on screen (found "${m && m[0]}")`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

// The extra steps a page has beyond its first view.
async function visitExtras(page, role, name, lang, token) {
  const where = `${role}/${lang}/${name}`;
  if (name === 'overview' && lang === 'zh') {
    // The date picker: another day, carried in the hash (a later day of
    // the scenario, when quarantine releases are overdue).
    const later = '2022-04-08';
    await page.$eval('#date', (e, d) => { e.value = d; e.dispatchEvent(new Event('change', { bubbles: true })); }, later);
    await page.waitForFunction((d) => location.hash.includes(`date=${d}`) && document.querySelector('[data-page="overview"][data-ready="1"]'), { timeout: 20000 }, later);
    ok(await page.$eval('#date', (e) => e.value) === later, `${where}: the date picker changes the report date`);
    const navHref = await page.$eval('[data-nav="cases"]', (e) => e.getAttribute('href'));
    ok(navHref.includes(`date=${later}`), `${where}: the menu carries the new date (${navHref})`);
    await shot(page, `${role}-${lang}-overview-${later}`);
    const n = await checkFigs(page, token, `${where}@${later}`);
    if (role === 'grid') await checkHamlets(page, GRID_UNIT, `${where}@${later}`, new Set());
    await go(page, `#/overview?date=${DATE}`, 'overview');
    return n;
  }
  if (name === 'cases') {
    const link = await page.$('[data-case]');
    if (!ok(link, `${where}: the list shows a case`)) return 0;
    const num = await page.$eval('[data-case]', (e) => e.dataset.case);
    await go(page, `#/cases/${encodeURIComponent(num)}?date=${DATE}`, 'cases');
    ok(await page.$('#chart-chain canvas'), `${where}: the chain graph is drawn`);
    await shot(page, `${role}-${lang}-case-detail`);
    return checkFigs(page, token, `${where}/detail`);
  }
  if (name === 'zones') {
    const tw = await page.$('#zone-tree .twisty:not([disabled])');
    if (tw) {
      const before = await page.$$eval('#zone-tree li', (l) => l.length);
      await tw.click();
      await page.waitForFunction((n) => document.querySelectorAll('#zone-tree li').length > n, { timeout: 10000 }, before);
      ok(true, `${where}: a tree node expands`);
      await shot(page, `${role}-${lang}-zones-expanded`);
    }
    return 0;
  }
  if (name === 'checkpoint') {
    const r = await api(token, '/api/v1/cases?limit=1');
    await page.type('#check-id', String(r.body.items[0].person));
    await page.click('#check-submit');
    await page.waitForSelector('#check-outcome', { timeout: 10000 });
    const oc = await page.$eval('#check-outcome', (e) => e.dataset.outcome);
    ok(oc === 'hand-over-to-health-staff', `${where}: a confirmed case is handed over to health staff (got ${oc})`);
    await shot(page, `${role}-${lang}-checkpoint-outcome`);
    return 0;
  }
  if (name === 'reports' && lang === 'zh') {
    const dir = fs.mkdtempSync('/tmp/cordon-dl-');
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir, browserContextId: page.browserContext().id });
    for (const fmt of ['csv', 'xlsx']) {
      await page.click(`#dl-${fmt}`);
      const t0 = Date.now();
      let files = [];
      while (Date.now() - t0 < 10000) {
        files = fs.readdirSync(dir).filter((f) => f.endsWith('.' + fmt));
        if (files.length) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      if (ok(files.length === 1, `${where}: the ${fmt} download is saved`)) {
        const buf = fs.readFileSync(path.join(dir, files[0]));
        if (fmt === 'csv') ok(buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf, `${where}: the CSV starts with a UTF-8 BOM`);
        else ok(buf[0] === 0x50 && buf[1] === 0x4b, `${where}: the XLSX is a zip file`);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    // Another cutoff, then a town: the figures follow the API's again.
    let n = 0;
    await page.$eval('#f-cutoff', (e) => { e.value = '12:00'; e.dispatchEvent(new Event('change', { bubbles: true })); });
    await page.waitForFunction(() => location.hash.includes('cutoff=12:00') && document.querySelector('[data-page="reports"][data-ready="1"]'), { timeout: 20000 });
    ok((await page.$eval('#rep-head', (e) => e.textContent)).includes('12:00'), `${where}: the cutoff 12:00 is shown`);
    n += await checkFigs(page, token, `${where}@12:00`);
    const town = await page.$eval('#f-unit', (e) => e.options[1] && e.options[1].value);
    if (ok(town, `${where}: the unit selector offers a town`)) {
      await page.select('#f-unit', town);
      await page.waitForFunction((u) => location.hash.includes(`unit=${u}`) && document.querySelector('[data-page="reports"][data-ready="1"]'), { timeout: 20000 }, town);
      ok((await page.$eval('#rep-head', (e) => e.textContent)).includes(town), `${where}: the report is for ${town}`);
      n += await checkFigs(page, token, `${where}@${town}`);
      await shot(page, `${role}-${lang}-reports-town`);
    }
    return n;
  }
  return 0;
}

async function runUser(browser, user, role) {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
  await page.setViewport({ width: 1366, height: 768 });
  const w = watch(page);
  const token = await login(page, user);
  ok(token && token.length > 20, `${role}: logged in with a token`);
  const me = (await api(token, '/api/v1/me')).body;
  ok(me.role === role, `${role}: /me says role ${me.role}`);
  const nav = await page.$$eval('[data-nav]', (els) => els.map((e) => e.dataset.nav));
  ok(JSON.stringify(nav) === JSON.stringify(EXPECT_PAGES[role]), `${role}: navigation shows ${EXPECT_PAGES[role].join(',')} (got ${nav.join(',')})`);
  ok(await page.$eval('#who-name', (e) => e.textContent) === user, `${role}: the header names the user`);
  ok(await page.$eval('#date', (e) => e.value) === DATE, `${role}: the date picker shows the hash's date`);
  const hamlets = new Set();
  const figCount = {};
  for (const lang of ['zh', 'en']) {
    if (lang === 'en') {
      await go(page, `#/overview?date=${DATE}`, 'overview');
      const before = await page.$eval('html', (e) => e.lang);
      ok(before === 'zh-CN', `${role}: Chinese by default (html lang ${before})`);
      for (const [sel, zh] of LABELS) ok(await page.$eval(sel, (e) => e.textContent.trim()) === zh, `${role}: ${sel} reads ${zh}`);
      await page.click('#lang');
      await ready(page, 'overview');
      ok(await page.$eval('html', (e) => e.lang) === 'en', `${role}: html lang is en after the switch`);
      for (const [sel, , en] of LABELS) ok(await page.$eval(sel, (e) => e.textContent.trim()) === en, `${role}: ${sel} reads ${en}`);
      ok(await page.evaluate(() => localStorage.getItem('cordon.lang')) === 'en', `${role}: the language is kept in localStorage`);
    }
    for (const name of nav) {
      await go(page, `#/${name}?date=${DATE}`, name);
      ok(await page.$eval('#date', (e) => e.value) === DATE, `${role}/${lang}/${name}: the date is carried to the page`);
      const where = `${role}/${lang}/${name}`;
      figCount[name] = await checkFigs(page, token, where);
      await checkText(page, where);
      if (role === 'grid') await checkHamlets(page, GRID_UNIT, where, hamlets);
      if (name === 'overview' && role === 'analyst')
        ok(await page.$('#chart-by_onset canvas') && await page.$('#chart-by_report canvas') && await page.$('#chart-series canvas'),
          `${where}: the epidemic curves and the time series are drawn`);
      if (name === 'overview' && role === 'analyst') {
        // Tooltips must not need inline styles (the CSP would log an error).
        for (const id of ['#chart-by_report', '#chart-series']) {
          const box = await page.$(id);
          const b = box && await box.boundingBox();
          if (b) { await page.mouse.move(b.x + b.width * 0.9, b.y + b.height * 0.6); await new Promise((r) => setTimeout(r, 150)); }
        }
      }
      await shot(page, `${role}-${lang}-${name}`);
      const extra = await visitExtras(page, role, name, lang, token);
      if (role === 'grid') await checkHamlets(page, GRID_UNIT, `${where}+`, hamlets);
      await checkText(page, `${where}+`);
      if (lang === 'zh') ok(figCount[name] + extra >= MIN_FIGS[role][name], `${where}: at least ${MIN_FIGS[role][name]} API figures on screen (${figCount[name]}+${extra})`);
    }
  }
  if (role === 'grid') ok(hamlets.size > 0 && hamlets.has(GRID_UNIT), `grid: his hamlet ${GRID_UNIT} was shown somewhere (${[...hamlets].join(',')})`);
  // Back to Chinese, then log out: the login page again, the session gone.
  await page.click('#lang');
  await ready(page, nav[nav.length - 1]);
  ok(await page.$eval('html', (e) => e.lang) === 'zh-CN', `${role}: switched back to Chinese`);
  await page.click('#logout');
  await page.waitForSelector('#login');
  ok(await page.evaluate(() => sessionStorage.getItem('cordon.token')) === null, `${role}: logout drops the token`);
  ok((await api(token, '/api/v1/me')).status === 401, `${role}: the old token no longer works`);
  // A stale token sends the user back to the login page (a deliberate 401).
  w.allow.push('/api/v1/me');
  await page.evaluate(() => sessionStorage.setItem('cordon.token', 'stale-token-0123456789'));
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#login');
  ok(true, `${role}: a stale token shows the login page`);
  ok(w.errors.length === 0, `${role}: no console errors, page errors or failed requests:\n    ${w.errors.slice(0, 10).join('\n    ')}`);
  await ctx.close();
}

// The grid worker on a phone: every page, no sideways overflow, the menu
// collapsed behind its button.
async function runPhone(browser, user) {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const w = watch(page);
  await login(page, user);
  ok(!(await page.$eval('#nav', (e) => e.offsetParent !== null)), 'phone: the menu is collapsed');
  await page.click('#nav-toggle');
  ok(await page.$eval('#nav', (e) => e.offsetParent !== null), 'phone: the menu button opens the menu');
  const nav = await page.$$eval('[data-nav]', (els) => els.map((e) => e.dataset.nav));
  for (const lang of ['zh', 'en']) {
    if (lang === 'en') { await page.click('#lang'); await ready(page, nav[nav.length - 1]); }
    for (const name of nav) {
      await go(page, `#/${name}?date=${DATE}`, name);
      const { sw, iw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
      ok(sw <= iw, `phone/${lang}/${name}: no horizontal overflow (scrollWidth ${sw} > ${iw})`);
      await shot(page, `grid-${lang}-${name}-phone`);
    }
  }
  ok(w.errors.length === 0, `phone: no console errors or failed requests:\n    ${w.errors.slice(0, 10).join('\n    ')}`);
  await ctx.close();
}

const t0 = Date.now();
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--lang=zh-CN'],
});
try {
  await runUser(browser, process.env.ANALYST, 'analyst');
  if (process.env.ADMIN) await runUser(browser, process.env.ADMIN, 'admin');
  await runUser(browser, process.env.GRID, 'grid');
  await runPhone(browser, process.env.GRID);
} catch (e) {
  ok(false, `unexpected: ${e.stack || e}`);
} finally {
  await browser.close();
}
console.log(`dashboard: ${((Date.now() - t0) / 1000).toFixed(1)} s, screenshots in ${SHOTS}`);
console.log(`dashboard: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// End-to-end test of `earshot serve` and its web UI in headless Chromium.
//
//   node tests/browser/e2e.mjs --earshot PATH [--artifacts DIR] [--web-dir DIR] [--chromium PATH]
//
// Prepares a simulated market in a temporary data directory, starts the
// server on a free port with a random admin password, and walks through the
// UI as a marketing user would: log in, the dashboard, a new watch, live
// mentions over SSE, drill-downs, search with a query error, hostile
// mentions, a viewer's limits, and logging out. Screenshots of the main pages
// go to --artifacts; on failure also a screenshot and the console log.
// Exits 0 when every step passes, 1 otherwise (also when Chromium or
// playwright-core is missing: `make test` installs both, and a browser test
// that quietly skips would hide a broken set-up).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, '../../web');

function parseArgs(argv) {
  const args = { artifacts: path.join(os.tmpdir(), 'earshot-browser-artifacts'), chromium: process.env.EARSHOT_CHROMIUM
    || '/usr/bin/chromium' };
  for (let i = 2; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (!['earshot', 'artifacts', 'web-dir', 'chromium'].includes(key) || i + 1 >= argv.length) {
      console.error(`usage: e2e.mjs --earshot PATH [--artifacts DIR] [--web-dir DIR] [--chromium PATH] (bad: ${argv[i]})`);
      process.exit(2);
    }
    args[key] = argv[++i];
  }
  if (!args.earshot) {
    console.error('e2e.mjs: --earshot PATH is required');
    process.exit(2);
  }
  return args;
}

const args = parseArgs(process.argv);
let chromium;
try {
  ({ chromium } = createRequire(path.join(webDir, 'package.json'))('playwright-core'));
} catch {
  console.error(`e2e.mjs: playwright-core is not installed in ${webDir}/node_modules: run scripts/setup-deps`);
  process.exit(1);
}
if (!fs.existsSync(args.chromium)) {
  console.error(`e2e.mjs: no Chromium at ${args.chromium} (scripts/setup-deps --browser)`);
  process.exit(1);
}
fs.mkdirSync(args.artifacts, { recursive: true });

// ---------------------------------------------------------------------------
// Small helpers

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

function assertEq(actual, expected, message) {
  if (actual !== expected) {
    throw new Error(`assertion failed: ${message}: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
  }
}

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 300000, ...opts });
  if (r.status !== 0) {
    throw new Error(`${path.basename(cmd)} ${argv.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}\n${r.stdout}`);
  }
  return r.stdout;
}

const randomWord = (prefix) => prefix + Array.from(crypto.randomBytes(6), (b) => 'bcdfghjklmnpqrstvwxz'[b % 20]).join('');

// One X API v2 filtered-stream line (the real shape: data + includes.users).
function xLine({ id, text, createdAt, username, name, followers = 10, hashtags = [], lang = 'en' }) {
  const data = { id, text, author_id: `u${id}`, created_at: createdAt, lang };
  if (hashtags.length) {
    data.entities = { hashtags: hashtags.map((tag) => ({ start: 0, end: tag.length + 1, tag })) };
  }
  return JSON.stringify({ data, includes: { users: [{ id: `u${id}`, username, name,
    public_metrics: { followers_count: followers, following_count: 1, tweet_count: 1, listed_count: 0 } }] } });
}

let nextId = 9100000000000000000n;
const newId = () => String(nextId++);

// ---------------------------------------------------------------------------
// The server

let server = null;

function startServer(dataDir, password) {
  const argv = ['--data', dataDir, 'serve', '--port', '0', '--no-poll'];
  if (args['web-dir']) argv.push('--web-dir', args['web-dir']);
  const child = spawn(args.earshot, argv, { env: { ...process.env, EARSHOT_ADMIN_PASSWORD: password },
    stdio: ['ignore', 'pipe', 'pipe'] });
  server = child;
  const log = fs.createWriteStream(path.join(args.artifacts, 'server.log'));
  child.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not say where it listens within 30 s')), 30000);
    const rl = readline.createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      log.write(`${line}\n`);
      const m = /Earshot is listening on (http:\/\/[^\s]+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? sig}) before listening; see server.log`));
    });
  });
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10000);
  await exited;
  clearTimeout(timer);
}

// No orphan server whatever happens.
process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (server) server.kill('SIGKILL');
    process.exit(1);
  });
}

// ---------------------------------------------------------------------------
// The browser side

const consoleLog = [];
const problems = [];  // page errors and CSP violations: each fails the run
let dialogs = 0;

function watchPage(page, label) {
  page.on('console', (msg) => {
    const line = `[${label}] ${msg.type()}: ${msg.text()}`;
    consoleLog.push(line);
    if (/Content Security Policy|Refused to/.test(msg.text())) problems.push(line);
  });
  page.on('pageerror', (err) => {
    const line = `[${label}] pageerror: ${err.message}`;
    consoleLog.push(line);
    problems.push(line);
  });
  page.on('dialog', async (d) => {
    dialogs++;
    consoleLog.push(`[${label}] dialog ${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(args.artifacts, `${name}.png`), fullPage: false });
}

// fetch from the page (same origin, its cookie), with the session's CSRF token on writes.
async function pageFetch(page, method, url, { body, contentType = 'application/json' } = {}) {
  return page.evaluate(async ({ method, url, body, contentType }) => {
    const s = await fetch('/api/v1/session');
    const csrf = s.ok ? (await s.json()).csrf_token : '';
    const headers = {};
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) headers['Content-Type'] = contentType;
    const r = await fetch(url, { method, headers, body });
    const text = await r.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch { /* not JSON */ }
    return { status: r.status, json };
  }, { method, url, body, contentType });
}

async function login(page, base, user, password) {
  await page.goto(`${base}/`);
  await page.waitForSelector('#login-form', { timeout: 20000 });
  await page.fill('#login-user', user);
  await page.fill('#login-pass', password);
  await page.click('#login-submit');
  await page.waitForSelector('#page', { timeout: 20000 });
}

// Goes to an in-app route and waits for `readySelector` on the new page (each
// route renders a new main#page; the old one is marked so that it cannot match).
async function gotoHash(page, hash, readySelector) {
  await page.evaluate((h) => {
    const old = document.getElementById('page');
    if (old) old.dataset.stale = 'true';
    location.hash = h;
  }, hash);
  if (readySelector) {
    await page.waitForSelector(`main#page:not([data-stale]) ${readySelector}`, { timeout: 30000 });
  }
}

// The pixel of the middle of bucket `index` of an ECharts bar chart, in page coordinates.
async function barPixel(page, chartSelector, index) {
  await page.locator(chartSelector).scrollIntoViewIfNeeded();
  // The chart follows its box's size asynchronously: wait until they agree.
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    const chart = el && window.echarts.getInstanceByDom(el);
    return chart && Math.abs(chart.getWidth() - el.clientWidth) <= 1;
  }, chartSelector, { timeout: 10000 });
  return page.evaluate(({ sel, index }) => {
    const el = document.querySelector(sel);
    const chart = window.echarts.getInstanceByDom(el);
    const opt = chart.getOption();
    // Stack total of the bucket: the sum of the stacked bar series.
    let total = 0;
    for (const s of opt.series) if (s.type === 'bar') total += Number(s.data[index]) || 0;
    const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [index, total / 2]);
    const rect = el.getBoundingClientRect();
    return { x: rect.left + x, y: rect.top + y };
  }, { sel: chartSelector, index });
}

async function drawerTotal(page) {
  await page.waitForSelector('#drawer .total[data-total]', { timeout: 30000 });
  return Number(await page.getAttribute('#drawer .total', 'data-total'));
}

async function closeDrawer(page) {
  await page.click('#drawer button.close');
  await page.waitForSelector('#drawer', { state: 'detached', timeout: 10000 });
}

// Security checks on whatever the page shows now.
async function assertSafe(page, where) {
  const state = await page.evaluate(() => ({
    pwned: typeof window.__pwned,
    badLinks: [...document.querySelectorAll('a[href]')].map((a) => a.href).filter((h) => !/^https?:/i.test(h)),
    scripts: [...document.querySelectorAll('script')].filter((s) => !/\/(echarts\.min|js\/app)\.js$/.test(s.src))
      .length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name)))
      .length,
  }));
  assertEq(state.pwned, 'undefined', `window.__pwned after ${where}`);
  assertEq(dialogs, 0, `dialogs opened after ${where}`);
  assertEq(state.badLinks.length, 0, `non-http(s) links after ${where}: ${state.badLinks.join(' ')}`);
  assertEq(state.scripts, 0, `unexpected <script> elements after ${where}`);
  assertEq(state.handlers, 0, `elements with on* attributes after ${where}`);
}

// ---------------------------------------------------------------------------
// The test

const results = [];

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'earshot-e2e-'));
  const dataDir = path.join(tmp, 'data');
  const adminPassword = crypto.randomBytes(12).toString('base64url');
  let browser = null;
  let page = null;
  try {
    // The demo's simulated market: its mentions and its watches (matched live during ingest).
    run(args.earshot, ['--data', dataDir, 'demo', '--mentions', '5000', '--days', '30', '--seed', '3']);
    const base = await startServer(dataDir, adminPassword);
    console.log(`server at ${base}`);

    browser = await chromium.launch({ executablePath: args.chromium, headless: true, args: ['--no-sandbox'] });
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    page = await ctx.newPage();
    watchPage(page, 'admin');

    const word = randomWord('zq');
    const hostileWord = randomWord('hx');
    const watchName = `E2E ${word}`;
    let lastMs = 0;

    const step = async (name, fn) => {
      try {
        await fn();
        results.push({ name, ok: true });
        console.log(`ok - ${name}`);
      } catch (e) {
        results.push({ name, ok: false });
        console.log(`FAILED - ${name}: ${e.stack || e.message}`);
        const safeName = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
        for (const p of browser.contexts().flatMap((c) => c.pages())) {
          await p.screenshot({ path: path.join(args.artifacts, `FAILED-${safeName}-${results.length}.png`) })
            .catch(() => {});
        }
        throw e;
      }
    };

    await step('login page: wrong password, then the right one', async () => {
      await page.goto(`${base}/`);
      await page.waitForSelector('#login-form', { timeout: 20000 });
      await shot(page, 'login');
      await page.fill('#login-user', 'admin');
      await page.fill('#login-pass', 'not-the-password');
      await page.click('#login-submit');
      await page.waitForFunction(() => /wrong/i.test(document.querySelector('#login-error')?.textContent || ''), null,
        { timeout: 10000 });
      await page.fill('#login-pass', adminPassword);
      await page.click('#login-submit');
      await page.waitForSelector('#dashboard[data-ready="true"]', { timeout: 30000 });
      const who = await page.textContent('#account-menu summary');
      assert(who.includes('admin'), `account menu shows the user (${who})`);
    });

    await step('dashboard: charts render and the KPI equals the report', async () => {
      for (const id of ['chart-volume', 'chart-channels', 'chart-langs', 'chart-map']) {
        await page.waitForSelector(`#${id}[data-ready="true"]`, { timeout: 30000 });
        const has = await page.evaluate((id) => !!window.echarts.getInstanceByDom(document.getElementById(id)), id);
        assert(has, `ECharts instance in #${id}`);
      }
      const rep = await pageFetch(page, 'GET', '/api/v1/report?top=10');
      assertEq(rep.status, 200, 'GET /api/v1/report');
      const total = rep.json.comparison.current.total.count;
      assert(total > 1000, `the simulated market has mentions (${total})`);
      assertEq(Number(await page.getAttribute('[data-kpi="count"]', 'data-value')), total, 'KPI data-value');
      const shown = await page.textContent('[data-kpi="count"] .kpi-value');
      assertEq(Number(shown.replace(/[^0-9]/g, '')), total, 'KPI text');
      const stats = await pageFetch(page, 'GET', '/api/v1/stats');
      lastMs = Date.parse(stats.json.last);
      assert(!Number.isNaN(lastMs), 'stats.last is a time');
      await shot(page, 'dashboard');

      // The 7-day preset: the week ending with the newest data's day, compared with the week before.
      await page.evaluate(() => {
        document.getElementById('page').dataset.stale = 'true';
      });
      await page.click('button.preset[data-days="7"]');
      await page.waitForSelector('main#page:not([data-stale]) #dashboard[data-ready="true"]', { timeout: 30000 });
      const hash = new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1]);
      const days = (Date.parse(hash.get('to')) - Date.parse(hash.get('from'))) / 86400000;
      assertEq(days, 7, 'the preset range in days');
      const week = await pageFetch(page, 'GET', `/api/v1/report?top=10&from=${hash.get('from')}&to=${hash.get('to')}`);
      const weekTotal = week.json.comparison.current.total.count;
      assertEq(Number(await page.getAttribute('[data-kpi="count"]', 'data-value')), weekTotal, 'KPI of the week');
      const change = week.json.comparison.change_vs_previous.count;
      assert(change !== null, 'the week before has mentions');
      const deltaText = await page.textContent('[data-kpi="count"] .delta');
      const shownPct = Number(/([+-]?[0-9.]+)%/.exec(deltaText)?.[1]);
      assert(Math.abs(shownPct - change * 100) < 1, `change vs the previous week shown (${deltaText} vs ${change})`);
      await gotoHash(page, '#/dashboard', '#dashboard[data-ready="true"]');
      await page.waitForSelector('#chart-volume[data-ready="true"]', { timeout: 30000 });

      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForFunction(() => {
        const c = window.echarts.getInstanceByDom(document.getElementById('chart-volume'));
        return c && c.getWidth() <= 390;
      }, null, { timeout: 10000 });
      await shot(page, 'dashboard-phone');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 1, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
      await page.setViewportSize({ width: 1366, height: 768 });
      await page.waitForFunction(() => {
        const c = window.echarts.getInstanceByDom(document.getElementById('chart-volume'));
        return c && c.getWidth() > 1000;
      }, null, { timeout: 10000 });
    });

    await step('drill-down: a bar of the volume chart lists the mentions behind it', async () => {
      const vol = await page.evaluate(() => {
        const c = window.echarts.getInstanceByDom(document.getElementById('chart-volume'));
        const o = c.getOption();
        const bars = o.series.filter((s) => s.type === 'bar');
        return o.xAxis[0].data.map((t, i) => bars.reduce((n, s) => n + Number(s.data[i] || 0), 0));
      });
      const index = vol.indexOf(Math.max(...vol));
      const rep = await pageFetch(page, 'GET', '/api/v1/report?top=10');
      assertEq(vol[index], rep.json.volume[index].count, 'chart bucket equals the report bucket');
      const { x, y } = await barPixel(page, '#chart-volume', index);
      await page.mouse.click(x, y);
      assertEq(await drawerTotal(page), vol[index], 'drill-down total equals the bucket count');
      const cards = await page.locator('#drawer article.mention').count();
      assertEq(cards, Math.min(50, vol[index]), 'first page of mentions');
      const t0 = Date.parse(rep.json.volume[index].t);
      const times = await page.$$eval('#drawer article.mention .time', (els) => els.map((e) => e.textContent));
      for (const t of times) {
        const ms = Date.parse(t.replace(' UTC', 'Z').replace(' ', 'T'));
        assert(ms >= t0 && ms < t0 + 86400000, `mention time ${t} inside the bucket`);
      }
      if (vol[index] > 50) {
        await page.click('#drawer .more-btn');
        await page.waitForFunction((n) => document.querySelectorAll('#drawer article.mention').length > n, 50,
          { timeout: 20000 });
      }
      await closeDrawer(page);

      // The channel mix: a bar of the channel chart gives that channel's mentions over the range.
      const channels = Object.entries(rep.json.channels).sort((a, b) => b[1].count - a[1].count);
      const [ch, chStats] = channels[0];
      await page.locator('#chart-channels').scrollIntoViewIfNeeded();
      const pos = await page.evaluate(() => {
        const el = document.getElementById('chart-channels');
        const c = window.echarts.getInstanceByDom(el);
        const [x, y] = c.convertToPixel({ seriesIndex: 0 }, [0, 0]);
        const r = el.getBoundingClientRect();
        return { x: r.left + x + 3, y: r.top + y };
      });
      // Bars of the first category start at the axis; click inside the stack, right of the axis.
      await page.mouse.click(pos.x + 10, pos.y);
      assertEq(await drawerTotal(page), chStats.count, `drill-down total for channel ${ch}`);
      await closeDrawer(page);

      // The world map: the United States.
      await page.waitForSelector('#chart-map[data-ready="true"]', { timeout: 30000 });
      await page.locator('#chart-map').scrollIntoViewIfNeeded();
      const us = await page.evaluate(() => {
        const el = document.getElementById('chart-map');
        const c = window.echarts.getInstanceByDom(el);
        const [x, y] = c.convertToPixel({ seriesIndex: 0 }, [-98, 39]);
        const r = el.getBoundingClientRect();
        return { x: r.left + x, y: r.top + y };
      });
      await page.mouse.click(us.x, us.y);
      assertEq(await drawerTotal(page), rep.json.countries.US.count, 'drill-down total for the United States');
      assert((await page.textContent('#drawer .chips')).includes('US'), 'the country filter is shown');
      await closeDrawer(page);

      // The share-of-voice pie: a member watch over the range.
      await page.locator('#chart-sov-pie').scrollIntoViewIfNeeded();
      const slice = await page.evaluate(() => {
        const el = document.getElementById('chart-sov-pie');
        const c = window.echarts.getInstanceByDom(el);
        const data = c.getModel().getSeriesByIndex(0).getData();
        const l = data.getItemLayout(0);
        const mid = (l.startAngle + l.endAngle) / 2;
        const rad = (l.r + l.r0) / 2;
        const r = el.getBoundingClientRect();
        return { x: r.left + l.cx + rad * Math.cos(mid), y: r.top + l.cy + rad * Math.sin(mid), name: data.getName(0),
          value: data.get('value', 0) };
      });
      await page.mouse.click(slice.x, slice.y);
      assertEq(await drawerTotal(page), slice.value, `drill-down total for the slice of ${slice.name}`);
      await closeDrawer(page);
    });

    await step('watches: create a watch through the UI', async () => {
      await gotoHash(page, '#/watches', '#watch-form');
      await page.fill('#w-name', watchName);
      await page.fill('#w-query', `${word} OR #${word}`);
      await page.waitForSelector('.querybox.valid', { timeout: 10000 });
      await page.click('#w-add');
      await page.waitForSelector(`tr[data-watch="${watchName}"]`, { timeout: 20000 });
      assertEq((await page.textContent(`tr[data-watch="${watchName}"] .matches`)).trim(), '0', 'new watch matches');
      await shot(page, 'watches');
    });

    await step('live: uploaded mentions appear on the stream and the watch dashboard', async () => {
      // The stream of the watch in a second tab, the upload through the Sources page in this one.
      const streamPage = await ctx.newPage();
      watchPage(streamPage, 'stream');
      await streamPage.goto(`${base}/#/stream?watch=${encodeURIComponent(watchName)}`);
      await streamPage.waitForSelector('#s-status.live', { timeout: 20000 });

      const n = 5;
      const lines = [];
      for (let i = 0; i < n; i++) {
        lines.push(xLine({ id: newId(), text: `Trying ${word} number ${i} for our storage team #${word}`,
          createdAt: new Date(lastMs - (i + 1) * 60000).toISOString(), username: `e2e_user${i}`,
          name: `E2E User ${i}`, followers: 100 * (i + 1), hashtags: [word] }));
      }
      const file = path.join(tmp, `e2e-${word}.jsonl`);
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      await gotoHash(page, '#/sources', '#upload-form');
      await shot(page, 'sources');
      await page.setInputFiles('#upload-file', file);
      await page.click('#upload-go');
      await page.waitForSelector('#upload-report [data-count="stored"]', { timeout: 30000 });
      assertEq(await page.getAttribute('#upload-report [data-count="stored"]', 'data-value'), String(n), 'stored');
      assertEq(await page.getAttribute('#upload-report [data-count="rejected"]', 'data-value'), '0', 'rejected');

      await streamPage.waitForFunction((n) => document.querySelectorAll('#stream-list article.mention').length >= n, n,
        { timeout: 30000 });
      const texts = await streamPage.$$eval('#stream-list article.mention', (els) => els.map((e) => e.textContent));
      assertEq(texts.length, n, 'mentions on the stream of the watch');
      for (const t of texts) assert(t.includes(word), 'stream mention has the word');
      await shot(streamPage, 'stream');
      await streamPage.close();

      await gotoHash(page, `#/dashboard?watch=${encodeURIComponent(watchName)}`, '#dashboard[data-ready="true"]');
      await page.waitForSelector('#chart-volume[data-ready="true"]', { timeout: 30000 });
      assertEq(Number(await page.getAttribute('[data-kpi="count"]', 'data-value')), n, 'KPI of the new watch');
    });

    await step('drill-down on the watch: the bucket of the new mentions', async () => {
      const vol = await page.evaluate(() => {
        const c = window.echarts.getInstanceByDom(document.getElementById('chart-volume'));
        const bars = c.getOption().series.filter((s) => s.type === 'bar');
        return bars[0].data.map((_, i) => bars.reduce((n, s) => n + Number(s.data[i] || 0), 0));
      });
      const index = vol.findIndex((v) => v > 0);
      assert(index >= 0, 'a bucket with the new mentions');
      const { x, y } = await barPixel(page, '#chart-volume', index);
      await page.mouse.click(x, y);
      assertEq(await drawerTotal(page), vol[index], 'watch drill-down total equals the bucket');
      const texts = await page.$$eval('#drawer article.mention', (els) => els.map((e) => e.textContent));
      assertEq(texts.length, vol[index], 'cards in the drawer');
      for (const t of texts) assert(t.includes(word), 'drill-down mention has the word');
      await closeDrawer(page);
    });

    await step('search: a bad query shows its error at its position; a good one its results', async () => {
      await gotoHash(page, '#/search', '#search-form');
      const bad = `${word} AND country:usa`;
      await page.fill('#search-q', bad);
      await page.waitForSelector('.q-error[data-position]', { timeout: 10000 });
      const posAttr = Number(await page.getAttribute('.q-error', 'data-position'));
      const expected = bad.indexOf(':usa') + 2;  // 1-based column of "usa" (the query is ASCII)
      assertEq(posAttr, expected, 'error position (column of "usa")');
      assertEq(await page.textContent('.q-error .q-at'), 'u', 'marked character');
      const caret = await page.textContent('.q-error .q-caret');
      assertEq(caret.indexOf('^'), expected - 1, 'caret column');
      assert(/country/i.test(await page.textContent('.q-error .q-msg')), 'error message');
      await shot(page, 'search-error');

      await page.fill('#search-q', word);
      await page.waitForSelector('.querybox.valid', { timeout: 10000 });
      await page.click('#search-go');
      await page.waitForSelector('#search-results .total[data-total]', { timeout: 20000 });
      assertEq(await page.getAttribute('#search-results .total', 'data-total'), '5', 'search total');
      assertEq(await page.locator('#search-results article.mention').count(), 5, 'result cards');
      await shot(page, 'search');
    });

    await step('hostile mentions render as text everywhere', async () => {
      const xss = ['<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">',
        '"><svg onload=window.__pwned=1>'];
      const rlo = '\u202Egnp.exe\u202C \u2066isolated\u2069 \u202Bright\u202A';
      const huge = `${hostileWord} ${'A'.repeat(300000)}${'supercalifragilistic'.repeat(30000)}`;
      const t0 = lastMs - 500;
      const lines = [
        xLine({ id: newId(), text: `${xss[0]} ${hostileWord} ${xss[1]}`, createdAt: new Date(t0).toISOString(),
          username: 'h_script', name: xss[1], hashtags: ['<script>window.__pwned=1</script>'] }),
        xLine({ id: newId(), text: `${xss[2]} ${hostileWord} ${rlo}`, createdAt: new Date(t0 - 1000).toISOString(),
          username: 'h_svg', name: `${rlo} ${xss[2]}` }),
        xLine({ id: newId(), text: huge, createdAt: new Date(t0 - 2000).toISOString(), username: 'h_huge',
          name: 'Huge' }),
      ];
      assert(Buffer.byteLength(lines[2]) < 1024 * 1024, 'the huge record is under 1 MiB');
      // A CSV record with a javascript: permalink and hostile author, site and title.
      const csvEscape = (s) => `"${String(s).replace(/"/g, '""')}"`;
      const csv = [
        'id,created_at,author,url,title,text,site,location',
        ['h-csv-1', new Date(t0 - 3000).toISOString(), xss[2], 'javascript:window.__pwned=1', xss[1],
          `${xss[0]} ${hostileWord} csv`, 'javascript:alert(1)', rlo].map(csvEscape).join(','),
      ].join('\n');

      // Open the stream first, so the hostile mentions arrive live.
      await gotoHash(page, '#/stream', '#s-status.live');
      const x = await pageFetch(page, 'POST', '/api/v1/ingest?format=x&name=hostile.jsonl',
        { body: `${lines.join('\n')}\n`, contentType: 'application/octet-stream' });
      assertEq(x.status, 200, `ingest hostile X lines: ${JSON.stringify(x.json)}`);
      assertEq(x.json.stored, 3, `hostile X lines stored: ${JSON.stringify(x.json)}`);
      const c = await pageFetch(page, 'POST', '/api/v1/ingest?format=csv&name=hostile.csv',
        { body: csv, contentType: 'text/csv' });
      assertEq(c.status, 200, `ingest hostile CSV: ${JSON.stringify(c.json)}`);
      assertEq(c.json.stored, 1, `hostile CSV stored: ${JSON.stringify(c.json)}`);
      await page.waitForFunction(() => document.querySelectorAll('#stream-list article.mention').length >= 4, null,
        { timeout: 30000 });
      await assertSafe(page, 'the stream');
      await shot(page, 'stream-hostile');

      // Search results.
      await gotoHash(page, `#/search?q=${encodeURIComponent(hostileWord)}`, '#search-results .total[data-total]');
      assertEq(await page.getAttribute('#search-results .total', 'data-total'), '4', 'hostile search total');
      await assertSafe(page, 'search results');
      const bodyText = await page.evaluate(() => document.body.innerText);
      assert(bodyText.includes('<script>window.__pwned=1</script>'), 'the literal <script> text is shown');
      assert(await page.locator('text=<script>window.__pwned=1</script>').first().isVisible(), '<script> text visible');
      // The huge text: cut for display, and the page still answers clicks.
      const longest = await page.$$eval('#search-results .long', (els) => Math.max(...els.map((e) => e.textContent.length)));
      assert(longest < 5000, `long text is truncated for display (${longest} chars shown)`);
      await page.click('#search-results .long button.more');
      await page.waitForFunction(() => [...document.querySelectorAll('#search-results .long')]
        .some((e) => e.textContent.length >= 20000), null, { timeout: 10000 });
      const width = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(width <= 1, `long unbroken words wrap (overflow ${width}px)`);
      // No link to the javascript: URL (assertSafe), but its text is there.
      assert(bodyText.includes('javascript:window.__pwned=1'), 'the javascript: URL shows as text');
      await shot(page, 'search-hostile');

      // The drill-down list of the newest bucket of all mentions (the hostile ones are its newest).
      await gotoHash(page, '#/dashboard', '#dashboard[data-ready="true"]');
      await page.waitForSelector('#chart-volume[data-ready="true"]', { timeout: 30000 });
      const lastIndex = await page.evaluate(() => {
        const c = window.echarts.getInstanceByDom(document.getElementById('chart-volume'));
        const cats = c.getOption().xAxis[0].data;
        return cats.length - 1;
      });
      const { x: px, y: py } = await barPixel(page, '#chart-volume', lastIndex);
      await page.mouse.click(px, py);
      await drawerTotal(page);
      await page.waitForFunction((w) => document.querySelector('#drawer')?.textContent.includes(w), hostileWord,
        { timeout: 10000 });
      await assertSafe(page, 'the drill-down list');
      await shot(page, 'drilldown-hostile');
      await closeDrawer(page);

      // Chart tooltips render HTML: a hostile watch and group name in the share-of-voice charts.
      const evilWatch = '<img src=x onerror="window.__pwned=1">';
      const evilGroup = '"><svg onload=window.__pwned=1>';
      const w = await pageFetch(page, 'POST', '/api/v1/watches',
        { body: JSON.stringify({ name: evilWatch, query: hostileWord, group: evilGroup, backfill: true }) });
      assertEq(w.status, 201, `create the hostile watch: ${JSON.stringify(w.json)}`);
      await gotoHash(page, `#/dashboard?group=${encodeURIComponent(evilGroup)}`, '#chart-sov-series[data-ready="true"]');
      for (const id of ['chart-sov-series', 'chart-sov-pie', 'chart-volume']) {
        const tip = await page.evaluate((id) => {
          const el = document.getElementById(id);
          const c = window.echarts.getInstanceByDom(el);
          const n = c.getOption().series[0].data.length;
          c.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: id === 'chart-sov-pie' ? 0 : n - 1 });
          return new Promise((resolve) => requestAnimationFrame(() => resolve(el.innerText)));
        }, id);
        assert(id === 'chart-volume' || tip.includes(evilWatch), `${id}: the watch name shows as text (${tip})`);
        await assertSafe(page, `the tooltip of ${id}`);
        const injected = await page.evaluate((id) => document.querySelectorAll(`#${id} img, #${id} svg`).length, id);
        assertEq(injected, 0, `elements injected into the tooltip of ${id}`);
      }
      await shot(page, 'tooltip-hostile');

      // Still responsive: navigating works.
      await page.click('a[data-page="watches"]');
      await page.waitForSelector('#watches-table', { timeout: 10000 });
      // The RTL overrides are isolated: the account menu and nav read as before.
      const navText = await page.textContent('#nav');
      assert(navText.startsWith('Dashboard'), `navigation unchanged (${navText})`);
      await assertSafe(page, 'navigation after hostile content');
    });

    await step('roles: a viewer cannot add watches', async () => {
      await gotoHash(page, '#/users', '#user-form');
      const viewerPassword = crypto.randomBytes(9).toString('base64url');
      await page.fill('#u-name', 'e2e-viewer');
      await page.selectOption('#u-role', 'viewer');
      await page.fill('#u-pass', viewerPassword);
      await page.click('#u-add');
      await page.waitForSelector('tr[data-user="e2e-viewer"]', { timeout: 10000 });
      await shot(page, 'users');
      await gotoHash(page, '#/audit', '#audit-table');
      await page.waitForSelector('#audit-table tbody tr[data-id]', { timeout: 10000 });
      await shot(page, 'audit');

      const vctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const vpage = await vctx.newPage();
      watchPage(vpage, 'viewer');
      await login(vpage, base, 'e2e-viewer', viewerPassword);
      await vpage.waitForSelector('#dashboard[data-ready="true"]', { timeout: 30000 });
      assertEq(await vpage.locator('a[data-page="users"]').count(), 0, 'no Users link for a viewer');
      await gotoHash(vpage, '#/watches', '#watches-table');
      assertEq(await vpage.locator('#watch-form').count(), 0, 'no add form for a viewer');
      assertEq(await vpage.locator('#watches-readonly').count(), 1, 'read-only note');
      assertEq(await vpage.locator('#watches-table button').count(), 0, 'no watch buttons for a viewer');
      const r = await pageFetch(vpage, 'POST', '/api/v1/watches',
        { body: JSON.stringify({ name: 'viewer-watch', query: 'viewer', group: '' }) });
      assertEq(r.status, 403, 'a viewer POST /api/v1/watches');
      await vctx.close();
    });

    await step('log out: back to the login page, and the API answers 401', async () => {
      await page.click('#account-menu summary');
      await page.click('#logout');
      await page.waitForSelector('#login-form', { timeout: 10000 });
      const r = await pageFetch(page, 'GET', '/api/v1/watches');
      assertEq(r.status, 401, 'GET /api/v1/watches after logout');
    });

    assertEq(problems.length, 0, `page errors or CSP violations:\n${problems.join('\n')}`);
  } finally {
    fs.writeFileSync(path.join(args.artifacts, 'console.log'), `${consoleLog.join('\n')}\n`);
    if (browser) await browser.close().catch(() => {});
    await stopServer();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(() => {
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}, (e) => {
  const failed = results.filter((r) => !r.ok).length || 1;
  if (!results.some((r) => !r.ok)) console.log(`FAILED - setup: ${e.stack || e.message}`);
  console.log(`${results.filter((r) => r.ok).length} passed, ${failed} failed`);
  process.exit(1);
});

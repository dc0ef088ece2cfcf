// The application shell: the session (login page or app), the top bar with
// navigation and the account menu, and a hash router (#/page?params) so
// every view, filters included, has a URL that survives a reload.
import { api, setSession, currentUser, setUnauthorizedHandler, isAdmin } from './api.js';
import { h, replace, untrusted } from './dom.js';
import { disposeCharts } from './charts.js';
import { closeDrawer } from './mentions.js';
import { renderLogin } from './pages/login.js';
import * as dashboard from './pages/dashboard.js';
import * as stream from './pages/stream.js';
import * as search from './pages/search.js';
import * as watches from './pages/watches.js';
import * as sources from './pages/sources.js';
import * as users from './pages/users.js';
import * as audit from './pages/audit.js';
import * as account from './pages/account.js';

const PAGES = {
  dashboard: { title: 'Dashboard', mod: dashboard },
  stream: { title: 'Stream', mod: stream },
  search: { title: 'Search', mod: search },
  watches: { title: 'Watches', mod: watches },
  sources: { title: 'Sources', mod: sources },
  users: { title: 'Users', mod: users, admin: true },
  audit: { title: 'Audit', mod: audit, admin: true },
  account: { title: 'Account', mod: account, hidden: true },
};

const root = document.getElementById('app');
let cleanup = null;
let renderSeq = 0;

export function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const name = (q < 0 ? raw : raw.slice(0, q)) || 'dashboard';
  const params = Object.fromEntries(new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
  return { name, params };
}

export function hrefFor(name, params = {}) {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') sp.set(k, v);
  const s = sp.toString();
  return `#/${name}${s ? `?${s}` : ''}`;
}

export function navigate(name, params, { replaceState = false } = {}) {
  const href = hrefFor(name, params);
  if (replaceState) {
    history.replaceState(null, '', href);
  } else if (location.hash !== href) {
    location.hash = href;
    return;  // hashchange renders
  }
  route();
}

function teardown() {
  closeDrawer();
  if (typeof cleanup === 'function') {
    try {
      cleanup();
    } catch (e) {
      console.error(e);
    }
  }
  cleanup = null;
  disposeCharts();
}

function shell(activeName) {
  const user = currentUser();
  const links = Object.entries(PAGES)
    .filter(([, p]) => !p.hidden && (!p.admin || isAdmin(user)))
    .map(([name, p]) => h('a', { href: `#/${name}`, class: name === activeName ? 'active' : null,
      'aria-current': name === activeName ? 'page' : null, dataset: { page: name } }, p.title));
  const nav = h('nav', { class: 'nav', id: 'nav', 'aria-label': 'Main' }, links);
  const toggle = h('button', { type: 'button', class: 'menu-toggle', 'aria-label': 'Menu',
    'aria-controls': 'nav', 'aria-expanded': 'false' }, '☰');
  toggle.addEventListener('click', () => {
    const open = nav.classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  });
  nav.addEventListener('click', (e) => {
    if (e.target.closest('a')) nav.classList.remove('open');
  });
  const logout = h('button', { type: 'button', id: 'logout', class: 'link' }, 'Log out');
  logout.addEventListener('click', doLogout);
  const menu = h('details', { class: 'account-menu', id: 'account-menu' },
    h('summary', null, untrusted(user.name, { limit: 40 }), h('span', { class: 'role' }, user.role)),
    h('div', { class: 'menu' },
      h('a', { href: '#/account', dataset: { page: 'account' } }, 'Password and API tokens'),
      h('a', { href: `${location.origin}/licenses.txt`, target: '_blank', rel: 'noopener' }, 'Third-party licences'),
      logout));
  menu.addEventListener('click', (e) => {
    if (e.target.closest('a')) menu.open = false;
  });
  const page = h('main', { id: 'page', tabindex: '-1' });
  replace(root, h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: '#/dashboard' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◉'),
      'Earshot'),
    toggle, nav, menu), page);
  return page;
}

async function route() {
  const seq = ++renderSeq;
  teardown();
  if (!currentUser()) {
    renderLogin(root, onLoggedIn);
    return;
  }
  let { name, params } = parseHash();
  let page = PAGES[name];
  if (!page || (page.admin && !isAdmin())) {
    name = 'dashboard';
    page = PAGES.dashboard;
  }
  document.title = `${page.title} · Earshot`;
  const main = shell(name);
  try {
    const c = await page.mod.render(main, params, { navigate, hrefFor });
    if (seq !== renderSeq) {
      if (typeof c === 'function') c();
      return;
    }
    cleanup = c;
  } catch (e) {
    if (seq !== renderSeq || !currentUser()) return;
    console.error(e);
    main.appendChild(h('div', { class: 'msg error' }, `Could not load this page: ${e.message}`));
  }
}

function onLoggedIn(answer) {
  setSession(answer);
  route();
}

async function doLogout() {
  try {
    await api('DELETE', '/session');
  } catch (e) {
    console.warn('logout', e);
  }
  setSession(null);
  teardown();
  history.replaceState(null, '', '#/');
  route();
}

async function start() {
  setUnauthorizedHandler(() => {
    setSession(null);
    route();
  });
  try {
    const answer = await api('GET', '/session', { allow401: true });
    setSession(answer);
  } catch (e) {
    if (e.status !== 401) console.warn('session', e);
    setSession(null);
  }
  window.addEventListener('hashchange', route);
  route();
}

start();

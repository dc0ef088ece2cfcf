// Search: the query language with a live check, filters, results newest
// first with their total and "Load more". The URL keeps the query and the
// filters, so a search can be bookmarked and shared.
import { api } from '../api.js';
import { h, replace, select, messageBox } from '../dom.js';
import { queryBox } from '../querybox.js';
import { mentionList } from '../mentions.js';

const DAY = 86400000;

export async function render(main, params, { navigate }) {
  const [watchList, groups, stats] = await Promise.all([api('GET', '/watches'), api('GET', '/groups'),
    api('GET', '/stats').catch(() => null)]);

  const qb = queryBox({ value: params.q || '', id: 'search-q', rows: 3, onSubmit: () => submit() });
  const scopeValue = params.watch ? `watch:${params.watch}` : params.group ? `group:${params.group}` : '';
  const scopeSel = select([{ value: '', label: 'All mentions' },
    { group: 'Groups', options: groups.map((g) => ({ value: `group:${g.name}`, label: g.name })) },
    { group: 'Watches', options: watchList.map((w) => ({ value: `watch:${w.name}`, label: w.name })) }],
  scopeValue, { id: 'search-scope', 'aria-label': 'Watch or group' });
  const fromIn = h('input', { type: 'date', id: 'search-from', 'aria-label': 'From', value: params.from?.slice(0, 10) });
  const toIn = h('input', { type: 'date', id: 'search-to', 'aria-label': 'To (inclusive)',
    value: params.to ? new Date(Date.parse(params.to) - DAY).toISOString().slice(0, 10) : '' });
  const chSel = select([{ value: '', label: 'All channels' },
    ...Object.keys(stats?.by_channel || {}).sort().map((c) => ({ value: c, label: c }))], params.channel || '',
  { id: 'search-channel', 'aria-label': 'Channel' });
  const langSel = select([{ value: '', label: 'All languages' },
    ...Object.keys(stats?.by_language || {}).sort().map((c) => ({ value: c, label: c }))], params.lang || '',
  { id: 'search-lang', 'aria-label': 'Language' });
  const country = h('input', { id: 'search-country', 'aria-label': 'Country (two letters)', placeholder: 'Country',
    maxlength: 2, class: 'short', value: params.country || '' });
  const go = h('button', { type: 'submit', class: 'primary', id: 'search-go' }, 'Search');
  const msg = messageBox();
  const results = h('div', { id: 'search-results' });

  async function submit() {
    msg.clear();
    if (!(await qb.check())) {
      msg.show('Fix the query first.');
      return;
    }
    const p = { q: qb.value().trim() };
    const [kind, ...rest] = scopeSel.value.split(':');
    if (kind) p[kind] = rest.join(':');
    if (fromIn.value) p.from = fromIn.value;
    if (toIn.value) p.to = new Date(Date.parse(toIn.value) + DAY).toISOString().slice(0, 10);
    if (chSel.value) p.channel = chSel.value;
    if (langSel.value) p.lang = langSel.value;
    const cc = country.value.trim().toUpperCase();
    if (/^[A-Z]{2}$/.test(cc)) p.country = cc;
    p.run = String(Date.now() % 1e9);  // a new search even when nothing changed
    navigate('search', p);
  }

  const form = h('form', { class: 'search-form', id: 'search-form' },
    qb,
    h('div', { class: 'filters' }, h('div', { class: 'fgroup' }, scopeSel),
      h('div', { class: 'fgroup dates' }, fromIn, h('span', { class: 'muted' }, '–'), toIn),
      h('div', { class: 'fgroup' }, chSel, langSel, country), go),
    h('p', { class: 'muted small' }, 'Enter searches; Shift+Enter adds a line. ',
      'Examples: "hybrid cloud" OR (storage NEAR/3 outage) · #solveth AND lang:en · author:jdoe · site:example.com · ',
      'channel:forum AND ("looking for" OR alternatives)'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Search')), form, msg, results);

  const ran = Object.keys(params).some((k) => ['q', 'watch', 'group', 'from', 'to', 'channel', 'lang', 'country',
    'run'].includes(k));
  if (ran) {
    const apiParams = {};
    for (const k of ['q', 'watch', 'group', 'from', 'to', 'channel', 'lang', 'country']) {
      if (params[k]) apiParams[k] = params[k];
    }
    results.appendChild(mentionList(apiParams, {
      emptyText: 'No mention matches this search.',
      onError: (e) => {
        if (e.position) {
          qb.showError(e.message, e.position);
          return true;
        }
        return false;
      },
    }));
  } else {
    results.appendChild(h('p', { class: 'muted' }, 'Type a query and press Enter.'));
  }
  qb.input.focus();
}

// Mention cards, the paged mention list (GET /api/v1/mentions with a cursor)
// and the drill-down drawer that shows the mentions behind a chart element.
import { api } from './api.js';
import {
  h, replace, untrusted, longText, externalLink, safeHref, fmtInt, fmtTime, messageBox,
} from './dom.js';

// The API's Mention, tolerant of the CLI's older field names (author as a
// string with author_detail, language) so one card renders both.
export function normalizeMention(m) {
  const a = m.author && typeof m.author === 'object' ? m.author : {};
  const d = m.author_detail || {};
  return {
    id: m.id,
    source: m.source,
    channel: m.channel,
    url: m.url,
    site: m.site,
    handle: a.handle ?? d.handle ?? (typeof m.author === 'string' ? m.author : ''),
    name: a.name ?? d.display_name ?? '',
    followers: a.followers ?? d.followers ?? -1,
    authorUrl: a.url ?? d.profile_url ?? '',
    location: a.location ?? d.location ?? '',
    title: m.title || '',
    text: m.text || '',
    lang: m.lang ?? m.language ?? '',
    createdAt: m.created_at,
    country: m.geo?.country || '',
    city: m.geo?.city || '',
    hashtags: Array.isArray(m.hashtags) ? m.hashtags : [],
    engagement: m.engagement || {},
    sentiment: m.sentiment,
    intents: Array.isArray(m.intents) ? m.intents : [],
    watches: Array.isArray(m.watches) ? m.watches : [],
  };
}

// Sentiment arrives as a label or as a compound score in [-1, 1].
export function sentimentLabel(s) {
  if (typeof s === 'string') return ['positive', 'negative', 'neutral'].includes(s) ? s : 'neutral';
  if (typeof s === 'number') {
    if (s >= 0.05) return 'positive';
    if (s <= -0.05) return 'negative';
    return 'neutral';
  }
  return 'neutral';
}

export function sentimentBadge(s) {
  const label = sentimentLabel(s);
  const title = typeof s === 'number' ? `sentiment ${s.toFixed(2)}` : `sentiment ${label}`;
  return h('span', { class: `badge sent-${label}`, title }, label);
}

export function mentionCard(raw) {
  const m = normalizeMention(raw);
  const who = h('div', { class: 'who' },
    m.name ? untrusted(m.name, { cls: 'name', limit: 120 }) : null,
    m.handle ? externalLink(m.authorUrl, `@${String(m.handle).slice(0, 120)}`, 'handle') : null,
    m.followers >= 0 ? h('span', { class: 'muted small' }, `${fmtInt(m.followers)} followers`) : null);
  const meta = h('div', { class: 'meta' },
    h('span', { class: 'badge channel' }, m.channel || '?'),
    m.site ? untrusted(m.site, { cls: 'site', limit: 120 }) : null,
    m.url ? externalLink(m.url, fmtTime(m.createdAt), 'time') : h('span', { class: 'time' }, fmtTime(m.createdAt)),
    sentimentBadge(m.sentiment));
  const card = h('article', { class: 'mention', dataset: { id: m.id ?? '' } }, h('header', null, who, meta));
  if (m.watches.length) {
    card.appendChild(h('div', { class: 'chips watches' },
      m.watches.slice(0, 20).map((w) => h('span', { class: `chip sent-${sentimentLabel(w.sentiment)}`,
        title: 'watch matched' }, untrusted(w.name, { limit: 60 })))));
  }
  if (m.title) card.appendChild(untrusted(m.title, { tag: 'h3', cls: 'title', limit: 500 }));
  if (m.text) card.appendChild(longText(m.text));
  const tags = m.hashtags.slice(0, 30).map((t) => h('span', { class: 'chip tag' }, untrusted(`#${t}`, { limit: 80 })));
  const eng = m.engagement;
  const footer = h('footer', null,
    tags.length ? h('span', { class: 'chips' }, tags) : null,
    h('span', { class: 'muted small' },
      [m.lang && `lang ${m.lang}`, m.country && `country ${m.country}`,
        eng.likes >= 0 && `${fmtInt(eng.likes)} likes`, eng.reshares >= 0 && `${fmtInt(eng.reshares)} reshares`,
        eng.replies >= 0 && `${fmtInt(eng.replies)} replies`,
        m.intents.length && `intent ${m.intents.map((i) => i.label).join(', ')}`]
        .filter(Boolean).join(' · ')),
    safeHref(m.url) ? externalLink(m.url, 'Open original', 'open')
      : m.url ? h('span', { class: 'muted small open', title: 'not an http(s) link: not opened' }, 'link: ',
        untrusted(m.url, { limit: 100 })) : null);
  card.appendChild(footer);
  return card;
}

// A paged list of mentions for the given API parameters. `params` are the
// query parameters of GET /api/v1/mentions (q, watch, group, from, to,
// channel, lang, country); the list keeps the cursor and adds "Load more".
export function mentionList(params, { pageSize = 50, emptyText = 'No mentions.', onError } = {}) {
  const totalEl = h('div', { class: 'total', 'aria-live': 'polite' });
  const list = h('div', { class: 'mentions' });
  const msg = messageBox();
  const more = h('button', { type: 'button', class: 'more-btn', hidden: true }, 'Load more');
  const root = h('div', { class: 'mention-list' }, totalEl, msg, list, more);
  let cursor = null;
  let loading = false;
  let shown = 0;

  async function load() {
    if (loading) return;
    loading = true;
    more.disabled = true;
    msg.clear();
    try {
      const res = await api('GET', '/mentions', { query: { ...params, limit: pageSize, cursor } });
      const results = res.results || [];
      const frag = document.createDocumentFragment();
      for (const m of results) frag.appendChild(mentionCard(m));
      list.appendChild(frag);
      shown += results.length;
      cursor = res.next_cursor || null;
      totalEl.dataset.total = String(res.total);
      replace(totalEl, h('strong', null, fmtInt(res.total)), ` mention${res.total === 1 ? '' : 's'}`,
        shown < res.total ? h('span', { class: 'muted' }, ` · showing ${fmtInt(shown)}`) : null);
      if (res.total === 0) list.appendChild(h('p', { class: 'muted empty' }, emptyText));
      more.hidden = !cursor;
    } catch (e) {
      if (!onError || !onError(e)) msg.show(e.position ? `${e.message} (column ${e.position})` : e.message);
    } finally {
      loading = false;
      more.disabled = false;
    }
  }
  more.addEventListener('click', load);
  root.ready = load();
  return root;
}

// Describes the filters of a drill-down as chips: what the list is showing.
function filterChips(params) {
  const names = { watch: 'watch', group: 'group', from: 'from', to: 'to', channel: 'channel', lang: 'language',
    country: 'country', q: 'query' };
  const chips = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || !names[k]) continue;
    const text = k === 'from' || k === 'to' ? fmtTime(v) : v;
    chips.push(h('span', { class: 'chip filter' }, `${names[k]}: `, untrusted(text, { limit: 200 })));
  }
  return chips;
}

let drawerState = null;

export function closeDrawer() {
  if (!drawerState) return;
  drawerState.root.remove();
  document.removeEventListener('keydown', drawerState.onKey);
  drawerState.opener?.focus?.();
  drawerState = null;
}

// The drill-down drawer: the mention list behind one chart element.
export function openDrawer(title, params) {
  const list = mentionList(params);
  showDrawer(title, h('div', { class: 'chips' }, filterChips(params)), list);
  return list;
}

// The drawer with one mention (a cascade's root), by id.
export function openMentionDrawer(title, id) {
  const box = h('div', { class: 'mention-list' }, h('p', { class: 'muted' }, 'Loading…'));
  showDrawer(title, null, box);
  api('GET', `/mentions/${encodeURIComponent(id)}`)
    .then((m) => replace(box, mentionCard(m)))
    .catch((e) => replace(box, h('p', { class: 'msg error' }, e.status === 404
      ? 'This mention is no longer stored (expired or removed).' : e.message)));
}

function showDrawer(title, chips, content) {
  closeDrawer();
  const opener = document.activeElement;
  const closeBtn = h('button', { type: 'button', class: 'close', 'aria-label': 'Close' }, '×');
  const panel = h('aside', { class: 'drawer', id: 'drawer', role: 'dialog', 'aria-modal': 'true',
    'aria-label': 'Mentions' },
  h('header', null, h('h2', null, untrusted(title, { limit: 200 })), closeBtn),
  chips, content);
  const overlay = h('div', { class: 'overlay' });
  const root = h('div', { class: 'drawer-root' }, overlay, panel);
  const onKey = (e) => {
    if (e.key === 'Escape') closeDrawer();
  };
  closeBtn.addEventListener('click', closeDrawer);
  overlay.addEventListener('click', closeDrawer);
  document.addEventListener('keydown', onKey);
  document.body.appendChild(root);
  closeBtn.focus();
  drawerState = { root, onKey, opener };
}


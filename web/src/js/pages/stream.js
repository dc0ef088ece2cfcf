// The live stream: Server-Sent Events from /api/v1/stream (the session
// cookie authenticates a same-origin EventSource). Newest on top, at most
// MAX cards kept, a pause that buffers, and spike alerts as banners.
import { api } from '../api.js';
import { h, replace, untrusted, fmtInt, fmtTime, select } from '../dom.js';
import { mentionCard } from '../mentions.js';

const MAX = 500;

export async function render(main, params, { navigate }) {
  const [watchList, groups] = await Promise.all([api('GET', '/watches'), api('GET', '/groups')]);
  const scopeValue = params.watch ? `watch:${params.watch}` : params.group ? `group:${params.group}` : '';
  const scopeSel = select([{ value: '', label: 'Every mention' },
    { group: 'Groups', options: groups.map((g) => ({ value: `group:${g.name}`, label: g.name })) },
    { group: 'Watches', options: watchList.map((w) => ({ value: `watch:${w.name}`, label: w.name })) }],
  scopeValue, { id: 's-scope', 'aria-label': 'Watch or group' });
  scopeSel.addEventListener('change', () => {
    const [kind, ...rest] = scopeSel.value.split(':');
    navigate('stream', kind ? { [kind]: rest.join(':') } : {});
  });

  const status = h('span', { class: 'conn', id: 's-status' }, 'connecting…');
  const counter = h('span', { class: 'muted', id: 's-count' }, '0 received');
  const pauseBtn = h('button', { type: 'button', id: 's-pause', 'aria-pressed': 'false' }, 'Pause');
  const clearBtn = h('button', { type: 'button', class: 'link' }, 'Clear');
  const alerts = h('div', { class: 'alerts', id: 'alerts', 'aria-live': 'assertive' });
  const pendingNote = h('div', { class: 'pending', hidden: true });
  const droppedNote = h('div', { class: 'pending', hidden: true });
  let dropped = 0;
  const list = h('div', { class: 'mentions stream', id: 'stream-list' });
  const empty = h('p', { class: 'muted empty' }, 'Waiting for new mentions… They appear here as soon as they are stored.');
  list.appendChild(empty);

  replace(main,
    h('div', { class: 'page-head' }, h('h1', null, 'Live stream'), h('div', { class: 'actions' }, status)),
    h('div', { class: 'filters' }, scopeSel, pauseBtn, clearBtn, counter),
    alerts, droppedNote, pendingNote, list);

  let received = 0;
  let paused = false;
  let pending = [];

  function show(m) {
    if (empty.isConnected) empty.remove();
    list.insertBefore(mentionCard(m), list.firstChild);
    while (list.childElementCount > MAX) list.lastElementChild.remove();
  }
  function updatePending() {
    pendingNote.hidden = pending.length === 0;
    pendingNote.textContent = `${fmtInt(pending.length)} new mention${pending.length === 1 ? '' : 's'} while paused`;
  }
  pauseBtn.addEventListener('click', () => {
    paused = !paused;
    pauseBtn.textContent = paused ? 'Resume' : 'Pause';
    pauseBtn.setAttribute('aria-pressed', String(paused));
    if (!paused) {
      for (const m of pending) show(m);
      pending = [];
    }
    updatePending();
  });
  clearBtn.addEventListener('click', () => {
    replace(list, empty);
    pending = [];
    updatePending();
  });

  const query = new URLSearchParams();
  if (params.watch) query.set('watch', params.watch);
  else if (params.group) query.set('group', params.group);
  const qs = query.toString();
  const es = new EventSource(`/api/v1/stream${qs ? `?${qs}` : ''}`);
  es.addEventListener('open', () => {
    status.textContent = '● live';
    status.className = 'conn live';
  });
  es.addEventListener('error', () => {
    // EventSource reconnects by itself; a closed one was refused (e.g. 401).
    status.textContent = es.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…';
    status.className = 'conn down';
    if (es.readyState === EventSource.CLOSED) {
      api('GET', '/session').catch(() => {});  // a 401 here takes the app back to the login page
    }
  });
  es.addEventListener('mention', (e) => {
    let m;
    try {
      m = JSON.parse(e.data);
    } catch {
      return;
    }
    received++;
    counter.textContent = `${fmtInt(received)} received`;
    list.dataset.received = String(received);
    if (paused) {
      pending.push(m);
      if (pending.length > MAX) pending.shift();
      updatePending();
    } else {
      show(m);
    }
  });
  // The server drops events for a client that cannot keep up, and says how many.
  es.addEventListener('dropped', (e) => {
    let n = 0;
    try {
      n = JSON.parse(e.data).dropped || 0;
    } catch {
      return;
    }
    droppedNote.hidden = false;
    dropped += n;
    droppedNote.textContent = `${fmtInt(dropped)} mentions were skipped because they came faster than this page `
      + 'could take them; search finds them all.';
  });
  es.addEventListener('alert', (e) => {
    let a;
    try {
      a = JSON.parse(e.data);
    } catch {
      return;
    }
    // The documented fields (count, tone, hour) and the server's (observed, signal, detected_at) alike.
    const tone = a.tone || (a.signal && a.signal !== 'up' && a.signal !== 'volume' ? a.signal : '');
    const count = a.count ?? a.observed;
    const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Dismiss' }, '×');
    const banner = h('div', { class: `alert-banner ${tone === 'negative' ? 'neg' : ''}`, role: 'alert' },
      h('strong', null, 'Spike: '), untrusted(a.watch, { limit: 80 }),
      ` · since ${fmtTime(a.start || a.hour)} · ${fmtInt(count)} mentions vs ${Number(a.expected || 0).toFixed(1)}`
        + ' expected ',
      tone && tone !== 'none' ? h('span', { class: `badge sent-${tone}` }, tone) : null,
      a.reason ? h('div', { class: 'small' }, untrusted(a.reason, { limit: 500 })) : null,
      h('a', { href: `#/dashboard?watch=${encodeURIComponent(a.watch || '')}`, class: 'small' }, 'Open its dashboard'),
      close);
    close.addEventListener('click', () => banner.remove());
    alerts.insertBefore(banner, alerts.firstChild);
    while (alerts.childElementCount > 5) alerts.lastElementChild.remove();
  });
  return () => es.close();
}

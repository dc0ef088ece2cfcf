// Sources: the feeds Earshot polls (add, poll now, delete) and file uploads
// (POST /api/v1/ingest with the file's bytes) with the per-record report.
import { api, canWrite } from '../api.js';
import {
  h, replace, untrusted, externalLink, fmtInt, fmtTime, confirmButton, field, select, messageBox,
} from '../dom.js';

export const FORMATS = ['auto', 'x', 'feed', 'mastodon', 'bluesky', 'hn', 'reddit', 'csv'];
export const CHANNELS = ['microblog', 'blog', 'news', 'forum', 'community', 'video', 'review', 'other'];

function formatOptions() {
  return FORMATS.map((f) => ({ value: f, label: f === 'auto' ? 'auto-detect' : f }));
}

function channelOptions() {
  return [{ value: '', label: 'from the data' }, ...CHANNELS.map((c) => ({ value: c, label: c }))];
}

function interval(s) {
  if (!s) return '—';
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

export async function render(main) {
  const writable = canWrite();
  const msg = messageBox();
  const listBox = h('div', { id: 'sources-list' });
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Sources')),
    writable ? h('div', { class: 'grid two' }, uploadForm(), feedForm())
      : h('p', { class: 'muted note' }, 'Your role can see the sources but not change them or upload data.'),
    msg, h('h2', null, 'Polled feeds'), listBox);

  async function refresh() {
    const list = await api('GET', '/sources');
    if (!list.length) {
      replace(listBox, h('p', { class: 'muted' }, 'No feeds are polled yet.'));
      return;
    }
    const rows = list.map((s) => {
      const ok = s.last_http_status >= 200 && s.last_http_status < 300;
      const actions = writable ? h('td', { class: 'actions' },
        (() => {
          const b = h('button', { type: 'button', class: 'small' }, 'Poll now');
          b.addEventListener('click', async () => {
            b.disabled = true;
            try {
              const ns = await api('POST', `/sources/${encodeURIComponent(s.id)}/poll`);
              msg.show(`Polled: ${ns.last_result || 'done'}; ${fmtInt(ns.last_stored)} new mentions.`, 'ok');
              await refresh();
            } catch (e) {
              msg.show(e.message);
              b.disabled = false;
            }
          });
          return b;
        })(), ' ',
        confirmButton('Delete', 'Stop polling this feed?', async () => {
          try {
            await api('DELETE', `/sources/${encodeURIComponent(s.id)}`);
            await refresh();
          } catch (e) {
            msg.show(e.message);
          }
        }, { cls: 'small danger' })) : null;
      return h('tr', { dataset: { source: s.id } },
        h('td', { class: 'url-cell' }, externalLink(s.url, s.url)),
        h('td', null, s.format || 'auto', s.channel ? h('div', { class: 'muted small' }, s.channel) : null),
        h('td', null, interval(s.interval_s)),
        h('td', null, s.last_polled ? fmtTime(s.last_polled) : h('span', { class: 'muted' }, 'never')),
        h('td', null, s.last_http_status ? h('span', { class: `badge ${ok ? 'sent-positive' : 'sent-negative'}` },
          String(s.last_http_status)) : null, ' ', untrusted(s.last_result || '', { limit: 200, cls: 'small' })),
        h('td', { class: 'num' }, fmtInt(s.last_stored), s.last_text_copies > 0
          ? h('div', { class: 'small muted' }, `${fmtInt(s.last_text_copies)} copies of a stored text`) : null,
        s.last_rejected > 0
          ? h('div', { class: 'small sent-negative' }, `${fmtInt(s.last_rejected)} rejected`) : null),
        h('td', { class: 'num' }, fmtInt(s.total_stored)),
        h('td', { class: 'num' }, fmtInt(s.polls)),
        actions);
    });
    replace(listBox, h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'sources-table' },
      h('thead', null, h('tr', null, ['feed', 'format', 'every', 'last polled', 'last result', 'new', 'stored',
        'polls'].map((t, i) => h('th', { class: i >= 5 ? 'num' : null }, t)), writable ? h('th') : null)),
      h('tbody', null, rows))));
  }

  function feedForm() {
    const url = h('input', { id: 'src-url', type: 'url', required: true, placeholder: 'https://example.com/feed.xml' });
    const format = select(formatOptions(), 'auto', { id: 'src-format' });
    const channel = select(channelOptions(), '', { id: 'src-channel' });
    const every = h('input', { id: 'src-interval', type: 'number', min: 60, step: 60, value: 900, class: 'short' });
    const add = h('button', { type: 'submit', class: 'primary', id: 'src-add' }, 'Add feed');
    const fmsg = messageBox();
    const form = h('form', { class: 'card form', id: 'source-form' }, h('h2', null, 'Poll a feed'),
      field('Feed URL', url), h('div', { class: 'row' }, field('Format', format), field('Channel', channel),
        field('Every (s)', every)), fmsg, h('div', { class: 'buttons' }, add));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      fmsg.clear();
      add.disabled = true;
      try {
        await api('POST', '/sources', { body: { url: url.value.trim(), format: format.value,
          channel: channel.value, interval_s: Number(every.value) || 900 } });
        url.value = '';
        fmsg.show('Added. It is polled at its interval; "Poll now" polls it at once.', 'ok');
        await refresh();
      } catch (err) {
        fmsg.show(err.status === 409 ? 'This feed is polled already.' : err.message);
      } finally {
        add.disabled = false;
      }
    });
    return form;
  }

  function uploadForm() {
    const file = h('input', { id: 'upload-file', type: 'file', required: true });
    const format = select(formatOptions(), 'auto', { id: 'upload-format' });
    const channel = select(channelOptions(), '', { id: 'upload-channel' });
    const go = h('button', { type: 'submit', class: 'primary', id: 'upload-go' }, 'Upload');
    const fmsg = messageBox();
    const out = h('div', { id: 'upload-report' });
    const form = h('form', { class: 'card form', id: 'upload-form' }, h('h2', null, 'Upload a file'),
      h('p', { class: 'muted small' }, 'X API v2 JSON lines, RSS/Atom, Mastodon, Bluesky, Hacker News, Reddit or CSV.'),
      field('File', file), h('div', { class: 'row' }, field('Format', format), field('Channel', channel)),
      fmsg, h('div', { class: 'buttons' }, go), out);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      fmsg.clear();
      const f = file.files?.[0];
      if (!f) {
        fmsg.show('Choose a file.');
        return;
      }
      go.disabled = true;
      fmsg.show(`Uploading ${f.name} (${fmtInt(Math.ceil(f.size / 1024))} KiB)…`, 'note');
      try {
        const rep = await api('POST', '/ingest', { query: { name: f.name, format: format.value,
          channel: channel.value }, raw: f });
        fmsg.clear();
        replace(out, ingestReport(rep));
      } catch (err) {
        fmsg.show(err.status === 413 ? 'The file is over the server\'s upload limit.' : err.message);
      } finally {
        go.disabled = false;
      }
    });
    return form;
  }

  await refresh();
}

export function ingestReport(rep) {
  const counts = ['read', 'stored', 'updated', 'duplicates', 'rejected', 'skipped'];
  const errors = rep.errors || [];
  return h('div', { class: 'ingest-report' },
    h('dl', { class: 'counts' }, counts.map((k) => [h('dt', null, k),
      h('dd', { dataset: { count: k, value: rep[k] ?? 0 } }, fmtInt(rep[k] ?? 0))])),
    errors.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data errors' },
      h('thead', null, h('tr', null, h('th', null, 'file'), h('th', { class: 'num' }, 'record'),
        h('th', { class: 'num' }, 'line'), h('th', null, 'reason'))),
      h('tbody', null, errors.slice(0, 500).map((er) => h('tr', null,
        h('td', null, untrusted(er.file, { limit: 120 })), h('td', { class: 'num' }, fmtInt(er.record)),
        h('td', { class: 'num' }, fmtInt(er.line)), h('td', null, untrusted(er.reason, { limit: 400 }))))))) : null,
    errors.length > 500 ? h('p', { class: 'muted' }, `… and ${fmtInt(errors.length - 500)} more errors.`) : null);
}

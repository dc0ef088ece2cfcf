// Audit log (admin): who changed what, when and from where; newest first,
// paged with before=<id>.
import { api } from '../api.js';
import { h, replace, untrusted, fmtTime, messageBox } from '../dom.js';

const PAGE = 100;

// The detail is a JSON object (or its text): shown as "key: value" pairs.
function detailText(detail) {
  let d = detail;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d);
    } catch {
      return d;
    }
  }
  if (d && typeof d === 'object' && !Array.isArray(d)) {
    return Object.entries(d).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ');
  }
  return d === null || d === undefined ? '' : String(d);
}

export async function render(main) {
  const msg = messageBox();
  const tbody = h('tbody');
  const older = h('button', { type: 'button', id: 'audit-older', hidden: true }, 'Older entries');
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Audit log')), msg,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'audit-table' },
      h('thead', null, h('tr', null, ['#', 'when', 'who', 'action', 'target', 'detail', 'from'].map((t) => h('th', null, t)))),
      tbody)), older);
  let before = null;

  async function load() {
    older.disabled = true;
    try {
      const rows = await api('GET', '/audit', { query: { limit: PAGE, before } });
      for (const a of rows) {
        tbody.appendChild(h('tr', { dataset: { id: a.id } },
          h('td', { class: 'num' }, String(a.id)), h('td', null, fmtTime(a.at)),
          h('td', null, untrusted(a.actor, { limit: 80 })), h('td', null, untrusted(a.action, { limit: 80 })),
          h('td', null, untrusted(a.target, { limit: 200 })),
          h('td', { class: 'detail' }, untrusted(detailText(a.detail), { limit: 400 })),
          h('td', null, untrusted(a.ip, { limit: 60 }))));
      }
      if (rows.length) before = rows[rows.length - 1].id;
      older.hidden = rows.length < PAGE;
      if (!tbody.childElementCount) tbody.appendChild(h('tr', null, h('td', { colspan: 7, class: 'muted' }, 'No entries.')));
    } catch (e) {
      msg.show(e.message);
    } finally {
      older.disabled = false;
    }
  }
  older.addEventListener('click', load);
  await load();
}

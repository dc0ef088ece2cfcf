// Watches: saved queries matched live against every mention. List with
// matches and group; add (with the live query check), test a query on
// stored mentions, backfill, delete. Roles that cannot change watches see
// the list only.
import { api, canWrite } from '../api.js';
import { h, replace, untrusted, fmtInt, fmtDate, confirmButton, field, messageBox } from '../dom.js';
import { queryBox } from '../querybox.js';
import { mentionCard } from '../mentions.js';

export async function render(main, params, { hrefFor }) {
  const msg = messageBox();
  const listBox = h('div', { id: 'watches-list' });
  const writable = canWrite();
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Watches')),
    writable ? addForm() : h('p', { class: 'muted note', id: 'watches-readonly' },
      'Your role can read watches but not change them.'),
    msg, listBox);

  async function refresh() {
    const list = await api('GET', '/watches');
    renderList(list);
    return list;
  }

  function renderList(list) {
    if (!list.length) {
      replace(listBox, h('p', { class: 'muted' }, 'No watches yet.'));
      return;
    }
    const rows = list.map((w) => {
      const actions = writable ? h('td', { class: 'actions' },
        (() => {
          const b = h('button', { type: 'button', class: 'small' }, 'Backfill');
          b.addEventListener('click', async () => {
            b.disabled = true;
            msg.show(`Backfilling ${w.name}…`, 'note');
            try {
              const nw = await api('POST', `/watches/${encodeURIComponent(w.name)}/backfill`);
              msg.show(`${w.name}: ${fmtInt(nw.matches)} matches after backfill.`, 'ok');
              await refresh();
            } catch (e) {
              msg.show(e.message);
              b.disabled = false;
            }
          });
          return b;
        })(),
        ' ',
        confirmButton('Delete', 'Delete this watch?', async () => {
          try {
            await api('DELETE', `/watches/${encodeURIComponent(w.name)}`);
            msg.show(`Deleted ${w.name}.`, 'ok');
            await refresh();
          } catch (e) {
            msg.show(e.message);
          }
        }, { cls: 'small danger' })) : null;
      return h('tr', { dataset: { watch: w.name } },
        h('td', null, h('a', { href: hrefFor('dashboard', { watch: w.name }), title: 'Open on the dashboard' },
          untrusted(w.name, { limit: 80 }))),
        h('td', { class: 'query-cell' }, h('code', null, untrusted(w.query, { limit: 400 }))),
        h('td', null, w.group ? h('a', { href: hrefFor('dashboard', { group: w.group }) },
          untrusted(w.group, { limit: 60 })) : h('span', { class: 'muted' }, '—')),
        h('td', { class: 'num matches' }, fmtInt(w.matches)),
        h('td', null, fmtDate(w.created_at)),
        h('td', null, h('a', { href: hrefFor('search', { watch: w.name }) }, 'Mentions'), ' · ',
          h('a', { href: hrefFor('stream', { watch: w.name }) }, 'Live')),
        actions);
    });
    replace(listBox, h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'watches-table' },
      h('thead', null, h('tr', null, h('th', null, 'name'), h('th', null, 'query'), h('th', null, 'group'),
        h('th', { class: 'num' }, 'matches'), h('th', null, 'created'), h('th', null, ''),
        writable ? h('th', null, '') : null)),
      h('tbody', null, rows))));
  }

  function addForm() {
    const name = h('input', { id: 'w-name', required: true, maxlength: 200, autocomplete: 'off' });
    const qb = queryBox({ id: 'w-query', rows: 2, allowEmpty: false });
    const group = h('input', { id: 'w-group', list: 'w-groups', autocomplete: 'off', placeholder: 'optional' });
    const groupList = h('datalist', { id: 'w-groups' });
    const backfill = h('input', { type: 'checkbox', id: 'w-backfill', checked: true });
    const testBtn = h('button', { type: 'button', id: 'w-test' }, 'Test');
    const addBtn = h('button', { type: 'submit', class: 'primary', id: 'w-add' }, 'Add watch');
    const formMsg = messageBox();
    const testOut = h('div', { id: 'w-test-results', class: 'test-results' });
    api('GET', '/groups').then((gs) => replace(groupList, gs.map((g) => {
      const o = document.createElement('option');
      o.value = g.name;
      return o;
    }))).catch(() => {});

    testBtn.addEventListener('click', async () => {
      formMsg.clear();
      if (!(await qb.check())) return;
      testBtn.disabled = true;
      try {
        const res = await api('POST', '/watches/test', { body: { query: qb.value(), limit: 5 } });
        replace(testOut, h('p', null, h('strong', { class: 'test-total', dataset: { total: res.total } },
          fmtInt(res.total)), ' stored mentions match', res.results?.length ? '; the newest:' : '.'),
        h('div', { class: 'mentions' }, (res.results || []).map(mentionCard)));
      } catch (e) {
        if (e.position) qb.showError(e.message, e.position);
        else formMsg.show(e.message);
      } finally {
        testBtn.disabled = false;
      }
    });

    const form = h('form', { class: 'card form', id: 'watch-form' },
      h('h2', null, 'New watch'),
      h('div', { class: 'row' }, field('Name', name), field('Group', group, 'brand and competitors share a group')),
      field('Query', qb, 'checked as you type; see the query language help on the Search page'),
      h('label', { class: 'check' }, backfill, ' Apply to stored mentions too (backfill)'),
      groupList, formMsg,
      h('div', { class: 'buttons' }, testBtn, addBtn), testOut);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      formMsg.clear();
      if (!name.value.trim()) {
        formMsg.show('Give the watch a name.');
        return;
      }
      if (!(await qb.check())) {
        formMsg.show('Fix the query first.');
        return;
      }
      addBtn.disabled = true;
      try {
        const w = await api('POST', '/watches', { body: { name: name.value.trim(), query: qb.value(),
          group: group.value.trim(), backfill: backfill.checked } });
        msg.show(`Added ${w.name}${backfill.checked ? ` (${fmtInt(w.matches)} stored mentions match)` : ''}.`, 'ok');
        name.value = '';
        qb.setValue('');
        replace(testOut);
        await refresh();
      } catch (err) {
        if (err.position) qb.showError(err.message, err.position);
        else if (err.status === 409) formMsg.show(`A watch named "${name.value.trim()}" exists already.`);
        else formMsg.show(err.message);
      } finally {
        addBtn.disabled = false;
      }
    });
    return form;
  }

  await refresh();
}

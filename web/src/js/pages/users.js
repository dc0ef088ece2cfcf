// Users (admin): list, add, change role, disable / enable, delete.
import { api, ROLES, currentUser } from '../api.js';
import { h, replace, untrusted, fmtTime, confirmButton, field, select, messageBox } from '../dom.js';

export async function render(main) {
  const msg = messageBox();
  const listBox = h('div', { id: 'users-list' });
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Users')), addForm(), msg, listBox);

  async function patch(name, body, done) {
    try {
      await api('PATCH', `/users/${encodeURIComponent(name)}`, { body });
      msg.show(done, 'ok');
    } catch (e) {
      msg.show(e.message);
    }
    await refresh();
  }

  async function refresh() {
    const users = await api('GET', '/users');
    const me = currentUser()?.name;
    const rows = users.map((u) => {
      const role = select(ROLES.map((r) => ({ value: r, label: r })), u.role, { 'aria-label': `Role of ${u.name}`,
        class: 'role-select' });
      role.addEventListener('change', () => patch(u.name, { role: role.value }, `${u.name} is now ${role.value}.`));
      const toggle = h('button', { type: 'button', class: 'small' }, u.disabled ? 'Enable' : 'Disable');
      toggle.addEventListener('click', () => patch(u.name, { disabled: !u.disabled },
        `${u.name} ${u.disabled ? 'enabled' : 'disabled'}.`));
      return h('tr', { dataset: { user: u.name }, class: u.disabled ? 'disabled' : null },
        h('td', null, untrusted(u.name, { limit: 80 }), u.name === me ? h('span', { class: 'muted' }, ' (you)') : null),
        h('td', null, role),
        h('td', null, u.disabled ? h('span', { class: 'badge sent-negative' }, 'disabled')
          : h('span', { class: 'badge sent-positive' }, 'active')),
        h('td', null, fmtTime(u.created_at)),
        h('td', null, u.last_login ? fmtTime(u.last_login) : h('span', { class: 'muted' }, 'never')),
        h('td', { class: 'actions' }, u.name === me ? null : [toggle, ' ',
          confirmButton('Delete', `Delete ${u.name.slice(0, 40)}?`, async () => {
            try {
              await api('DELETE', `/users/${encodeURIComponent(u.name)}`);
              msg.show(`Deleted ${u.name}.`, 'ok');
            } catch (e) {
              msg.show(e.status === 409 ? 'The last admin cannot be deleted.' : e.message);
            }
            await refresh();
          }, { cls: 'small danger' })]));
    });
    replace(listBox, h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'users-table' },
      h('thead', null, h('tr', null, ['name', 'role', 'status', 'created', 'last login', ''].map((t) => h('th', null, t)))),
      h('tbody', null, rows))));
  }

  function addForm() {
    const name = h('input', { id: 'u-name', required: true, autocomplete: 'off', maxlength: 100 });
    const role = select(ROLES.map((r) => ({ value: r, label: r })), 'viewer', { id: 'u-role' });
    const pass = h('input', { id: 'u-pass', type: 'password', required: true, autocomplete: 'new-password' });
    const add = h('button', { type: 'submit', class: 'primary', id: 'u-add' }, 'Add user');
    const fmsg = messageBox();
    const form = h('form', { class: 'card form', id: 'user-form' }, h('h2', null, 'New user'),
      h('div', { class: 'row' }, field('Name', name), field('Role', role), field('Password', pass)),
      h('p', { class: 'muted small' }, 'viewer, sales and expert read; manager and admin also change watches, ',
        'sources and ingest; admin manages users and reads the audit log.'),
      fmsg, h('div', { class: 'buttons' }, add));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      fmsg.clear();
      add.disabled = true;
      try {
        const u = await api('POST', '/users', { body: { name: name.value.trim(), role: role.value,
          password: pass.value } });
        msg.show(`Added ${u.name} (${u.role}).`, 'ok');
        name.value = '';
        pass.value = '';
        await refresh();
      } catch (err) {
        fmsg.show(err.status === 409 ? 'This name is taken.' : err.message);
      } finally {
        add.disabled = false;
      }
    });
    return form;
  }

  await refresh();
}

// The account page: change one's own password, and one's API tokens
// (create — the secret is shown once —, revoke). Admins see every token.
import { api, currentUser, isAdmin, setLoginNote } from '../api.js';
import { h, replace, untrusted, fmtTime, confirmButton, field, messageBox } from '../dom.js';

export async function render(main) {
  const me = currentUser();
  const tokensBox = h('div', { id: 'tokens-list' });
  replace(main, h('div', { class: 'page-head' }, h('h1', null, 'Account'),
    h('span', { class: 'muted' }, untrusted(me.name, { limit: 60 }), ` · ${me.role}`)),
  h('div', { class: 'grid two' }, passwordForm(), tokenForm()), h('h2', null, 'API tokens'), tokensBox);

  function passwordForm() {
    const cur = h('input', { type: 'password', id: 'pw-current', required: true, autocomplete: 'current-password' });
    const next = h('input', { type: 'password', id: 'pw-new', required: true, autocomplete: 'new-password' });
    const again = h('input', { type: 'password', id: 'pw-again', required: true, autocomplete: 'new-password' });
    const go = h('button', { type: 'submit', class: 'primary', id: 'pw-go' }, 'Change password');
    const fmsg = messageBox();
    // The user name, hidden, tells password managers whose password this is.
    const userField = h('input', { type: 'text', name: 'username', autocomplete: 'username', value: me.name,
      hidden: true, readonly: true });
    const form = h('form', { class: 'card form', id: 'password-form' }, h('h2', null, 'Password'), userField,
      field('Current password', cur), field('New password', next), field('New password again', again), fmsg,
      h('div', { class: 'buttons' }, go));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (next.value !== again.value) {
        fmsg.show('The new passwords differ.');
        return;
      }
      go.disabled = true;
      try {
        await api('PATCH', `/users/${encodeURIComponent(me.name)}`, { body: { password: next.value,
          current_password: cur.value } });
        fmsg.show('Password changed.', 'ok');
        for (const i of [cur, next, again]) i.value = '';
        // The server may end the sessions of a changed password, this one included.
        setLoginNote('Password changed: log in with the new one.');
        await api('GET', '/session').then(() => setLoginNote('')).catch(() => {});
      } catch (err) {
        fmsg.show(err.status === 401 || err.status === 403 ? 'The current password is wrong.' : err.message);
      } finally {
        go.disabled = false;
      }
    });
    return form;
  }

  function tokenForm() {
    const name = h('input', { id: 'tok-name', required: true, placeholder: 'e.g. reporting script', maxlength: 100 });
    const go = h('button', { type: 'submit', class: 'primary', id: 'tok-go' }, 'Create token');
    const fmsg = messageBox();
    const secret = h('div', { id: 'tok-secret' });
    const form = h('form', { class: 'card form', id: 'token-form' }, h('h2', null, 'New API token'),
      h('p', { class: 'muted small' }, 'Send it as "Authorization: Bearer <token>". It acts with your role.'),
      field('Name', name), fmsg, h('div', { class: 'buttons' }, go), secret);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      go.disabled = true;
      try {
        const t = await api('POST', '/tokens', { body: { name: name.value.trim() } });
        name.value = '';
        const out = h('input', { readonly: true, value: t.token, class: 'secret', 'aria-label': 'New token' });
        const copy = h('button', { type: 'button' }, 'Copy');
        copy.addEventListener('click', async () => {
          out.select();
          try {
            await navigator.clipboard.writeText(t.token);
            copy.textContent = 'Copied';
          } catch {
            copy.textContent = 'Press Ctrl+C';
          }
        });
        replace(secret, h('div', { class: 'secret-box' }, h('strong', null, 'Copy this token now: '),
          'it is shown only once.', h('div', { class: 'row' }, out, copy)));
        out.select();
        await refresh();
      } catch (err) {
        fmsg.show(err.message);
      } finally {
        go.disabled = false;
      }
    });
    return form;
  }

  async function refresh() {
    const tokens = await api('GET', '/tokens');
    const all = isAdmin();
    if (!tokens.length) {
      replace(tokensBox, h('p', { class: 'muted' }, 'No tokens.'));
      return;
    }
    replace(tokensBox, h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'tokens-table' },
      h('thead', null, h('tr', null, ['name', all ? 'user' : null, 'prefix', 'created', 'last used', 'status', '']
        .filter((t) => t !== null).map((t) => h('th', null, t)))),
      h('tbody', null, tokens.map((t) => h('tr', { dataset: { token: t.id } },
        h('td', null, untrusted(t.name, { limit: 80 })),
        all ? h('td', null, untrusted(t.user, { limit: 60 })) : null,
        h('td', null, h('code', null, untrusted(t.prefix, { limit: 20 }))),
        h('td', null, fmtTime(t.created_at)),
        h('td', null, t.last_used ? fmtTime(t.last_used) : h('span', { class: 'muted' }, 'never')),
        h('td', null, t.revoked ? h('span', { class: 'badge sent-negative' }, 'revoked')
          : h('span', { class: 'badge sent-positive' }, 'active')),
        h('td', null, t.revoked ? null : confirmButton('Revoke', 'Revoke this token?', async () => {
          await api('DELETE', `/tokens/${encodeURIComponent(t.id)}`);
          await refresh();
        }, { cls: 'small danger' }))))))));
  }

  await refresh();
}

// The login page: POST /api/v1/session; wrong password and rate limiting
// (429 with Retry-After) are said plainly.
import { api, takeLoginNote } from '../api.js';
import { h, replace, messageBox } from '../dom.js';

export function renderLogin(root, onLoggedIn) {
  document.title = 'Log in · Earshot';
  const user = h('input', { name: 'username', id: 'login-user', autocomplete: 'username', required: true,
    autocapitalize: 'off', spellcheck: 'false' });
  const pass = h('input', { name: 'password', id: 'login-pass', type: 'password', autocomplete: 'current-password',
    required: true });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, 'Log in');
  const msg = messageBox();
  msg.id = 'login-error';
  let retryTimer = null;

  const form = h('form', { class: 'login-form', id: 'login-form' },
    h('h1', null, h('span', { class: 'logo', 'aria-hidden': 'true' }, '◉'), ' Earshot'),
    h('p', { class: 'muted' }, 'Social listening for your market'),
    h('label', { class: 'field' }, h('span', { class: 'label' }, 'User name'), user),
    h('label', { class: 'field' }, h('span', { class: 'label' }, 'Password'), pass),
    msg, submit);

  function lockFor(seconds) {
    clearInterval(retryTimer);
    let left = Math.max(1, Math.ceil(seconds));
    submit.disabled = true;
    const tick = () => {
      msg.show(`Too many attempts, try again in ${left} s.`);
      if (left-- <= 0) {
        clearInterval(retryTimer);
        submit.disabled = false;
        msg.show('You can try again now.', 'note');
      }
    };
    tick();
    retryTimer = setInterval(tick, 1000);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    submit.disabled = true;
    try {
      const answer = await api('POST', '/session', { body: { username: user.value, password: pass.value },
        allow401: true });
      clearInterval(retryTimer);
      onLoggedIn(answer);
    } catch (err) {
      submit.disabled = false;
      pass.value = '';
      if (err.status === 429) lockFor(err.retryAfter || 60);
      else if (err.status === 401) msg.show('Wrong user name or password.');
      else msg.show(err.message || 'Could not log in.');
      pass.focus();
    }
  });
  const note = takeLoginNote();
  if (note) msg.show(note, 'note');
  replace(root, h('main', { class: 'login-page' }, form));
  user.focus();
}

// The query editor: a textarea checked as you type (debounced POST
// /api/v1/query/check) that shows the parser's error at its position: the
// line of the query with the offending character marked and a caret under it.
import { api } from './api.js';
import { h, replace, clear, debounce } from './dom.js';

// `position` is the 1-based column in the query counted in characters (code
// points). Returns the line holding it, the 0-based column in that line and
// the 1-based line number.
export function locate(text, position) {
  const chars = Array.from(text);
  const idx = Math.max(0, Math.min((position || 1) - 1, chars.length));
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < idx; i++) {
    if (chars[i] === '\n') {
      lineStart = i + 1;
      line++;
    }
  }
  let lineEnd = chars.indexOf('\n', idx);
  if (lineEnd < 0) lineEnd = chars.length;
  return { lineChars: chars.slice(lineStart, lineEnd), col: idx - lineStart, line };
}

export function errorView(text, position, message) {
  const box = h('div', { class: 'q-error', role: 'alert' });
  if (position) {
    const { lineChars, col, line } = locate(text, position);
    // Long lines: show a window around the spot.
    const from = Math.max(0, col - 60);
    const to = Math.min(lineChars.length, col + 60);
    const before = (from > 0 ? '…' : '') + lineChars.slice(from, col).join('');
    const at = col < lineChars.length ? lineChars[col] : ' ';
    const after = lineChars.slice(col + 1, to).join('') + (to < lineChars.length ? '…' : '');
    box.dataset.position = String(position);
    box.appendChild(h('pre', { class: 'q-mirror', dir: 'ltr' }, before,
      h('mark', { class: 'q-at', title: `column ${position}` }, at), after));
    box.appendChild(h('pre', { class: 'q-caret', 'aria-hidden': 'true', dir: 'ltr' },
      `${' '.repeat(Array.from(before).length)}^`));
    const where = line > 1 ? `Line ${line}, column ${col + 1}` : `Column ${position}`;
    box.appendChild(h('div', { class: 'q-msg' }, message && /column \d+/.test(message) ? message
      : `${where}: ${message || 'invalid query'}`));
  } else {
    box.appendChild(h('div', { class: 'q-msg' }, message || 'invalid query'));
  }
  return box;
}

// queryBox({value, placeholder, onChange}) → element with .value(), .check()
// (resolves to true when the query is valid) and .showError(message, position)
// for errors a later request reports.
export function queryBox({ value = '', placeholder = 'Query, e.g. "hybrid cloud" OR (storage NEAR/3 outage)',
  rows = 2, allowEmpty = true, onInput, onSubmit, id } = {}) {
  const ta = h('textarea', { class: 'query', rows, spellcheck: 'false', autocomplete: 'off', placeholder,
    'aria-label': 'Query', id });
  ta.value = value;
  const status = h('div', { class: 'q-status', 'aria-live': 'polite' });
  const root = h('div', { class: 'querybox' }, ta, status);
  let seq = 0;
  let lastChecked = null;
  let lastOk = true;

  async function check() {
    const text = ta.value;
    if (text === lastChecked) return lastOk;
    const mine = ++seq;
    if (text.trim() === '') {
      lastChecked = text;
      lastOk = allowEmpty;
      clear(status);
      root.classList.remove('invalid', 'valid');
      return lastOk;
    }
    let res;
    try {
      res = await api('POST', '/query/check', { body: { query: text } });
    } catch (e) {
      if (mine === seq) replace(status, h('div', { class: 'q-error' }, h('div', { class: 'q-msg' }, e.message)));
      return false;
    }
    if (mine !== seq) return lastOk;  // a newer check is on its way
    lastChecked = text;
    lastOk = !!res.ok;
    root.classList.toggle('invalid', !res.ok);
    root.classList.toggle('valid', !!res.ok);
    if (res.ok) replace(status, h('span', { class: 'q-ok' }, '✓ valid query'));
    else replace(status, errorView(text, res.error?.position, res.error?.message));
    return lastOk;
  }
  const debounced = debounce(check, 250);
  ta.addEventListener('input', () => {
    debounced();
    onInput?.(ta.value);
  });
  ta.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || !e.shiftKey) && onSubmit) {
      e.preventDefault();
      debounced.cancel();
      onSubmit();
    }
  });
  root.value = () => ta.value;
  root.setValue = (v) => {
    ta.value = v;
    debounced();
  };
  root.check = () => {
    debounced.cancel();
    return check();
  };
  root.showError = (message, position) => {
    lastChecked = null;
    root.classList.add('invalid');
    replace(status, errorView(ta.value, position, message));
  };
  root.input = ta;
  if (value) debounced();
  return root;
}

// DOM helpers. Every string that reaches the page goes through textContent or
// a vetted attribute here: the UI never builds HTML from strings, because
// mentions, names, handles, sites and queries are untrusted text from the public.

// Attributes a caller may set as strings. Event handlers are attached with
// addEventListener (on* keys take functions only), and href/src go through
// safeHref so that javascript:, data: and friends never become links.
const PLAIN_ATTRS = new Set([
  'id', 'class', 'title', 'type', 'name', 'value', 'placeholder', 'role', 'dir', 'for', 'min', 'max', 'step',
  'rows', 'cols', 'autocomplete', 'spellcheck', 'tabindex', 'colspan', 'lang', 'accept', 'maxlength', 'list',
  'form', 'autocapitalize', 'target', 'rel', 'required', 'disabled', 'checked', 'selected', 'hidden', 'multiple', 'readonly', 'open',
]);

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on') && key.length > 2) {
        if (typeof value !== 'function') throw new TypeError(`handler ${key} must be a function`);
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === 'text') {
        el.textContent = String(value);
      } else if (key === 'href') {
        // In-app routes ("#/page?params", built by the router) or absolute http(s) URLs; nothing else.
        const v = String(value);
        const safe = v.startsWith('#/') ? v : safeHref(v);
        if (safe) el.setAttribute('href', safe);
      } else if (key === 'dataset') {
        for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
      } else if (key === 'style' && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) el.style.setProperty(k, String(v));
      } else if (key.startsWith('aria-') || key.startsWith('data-') || PLAIN_ATTRS.has(key)) {
        if (value === true) el.setAttribute(key, '');
        else el.setAttribute(key, String(value));
        // Form state is a property as well as an attribute.
        if (key === 'value' && 'value' in el) el.value = String(value);
        if (key === 'checked') el.checked = Boolean(value);
      } else {
        throw new TypeError(`attribute ${key} is not allowed`);
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

// For the few places that must hand a string to a renderer that interprets
// HTML (ECharts tooltips in html render mode).
export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;',
  })[c]);
}

// Only absolute http(s) URLs become links; anything else (javascript:, data:,
// vbscript:, relative paths, garbage) is not a link.
export function safeHref(url) {
  if (typeof url !== 'string' || url === '') return null;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.href;
}

// A link to an untrusted URL when it is http(s), plain text otherwise.
export function externalLink(url, label, cls) {
  const safe = safeHref(url);
  const text = label ?? url ?? '';
  if (!safe) return untrusted(text, { cls });
  const a = h('a', { href: safe, target: '_blank', rel: 'noopener noreferrer nofollow', class: cls });
  a.appendChild(untrusted(text));
  return a;
}

// Untrusted text: isolated from the surrounding direction (bidi overrides in
// it cannot reorder the UI), wrapped anywhere, and cut to `limit` characters.
export function untrusted(text, { tag = 'bdi', cls, limit = 300 } = {}) {
  let s = text === null || text === undefined ? '' : String(text);
  if (s.length > limit) s = s.slice(0, limit) + '…';
  const el = document.createElement(tag);
  el.className = cls ? `ut ${cls}` : 'ut';
  el.setAttribute('dir', 'auto');
  el.textContent = s;
  return el;
}

// Long untrusted text (mention bodies): the first `first` characters, then
// "Show more" reveals up to `max`; beyond that it says how much was left out.
// Slicing first keeps a 1 MB text from ever reaching layout whole.
export function longText(text, { first = 2000, max = 20000, cls = 'body' } = {}) {
  const s = text === null || text === undefined ? '' : String(text);
  const wrap = h('div', { class: `ut long ${cls}`, dir: 'auto' });
  const body = document.createElement('span');
  wrap.appendChild(body);
  if (s.length <= first) {
    body.textContent = s;
    return wrap;
  }
  body.textContent = s.slice(0, first) + '…';
  const more = h('button', { type: 'button', class: 'link more' }, 'Show more');
  more.addEventListener('click', () => {
    body.textContent = s.length > max ? s.slice(0, max) + '…' : s;
    more.remove();
    if (s.length > max) {
      wrap.appendChild(h('div', { class: 'muted small' },
        `Showing ${fmtInt(max)} of ${fmtInt(s.length)} characters.`));
    }
  });
  wrap.appendChild(h('div', null, more));
  return wrap;
}

const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export function fmtInt(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  if (n < 0) return '—';  // -1 is the API's "unknown"
  return intFormat.format(n);
}

export function fmtCompact(n) {
  if (n === null || n === undefined || n < 0) return '—';
  if (n < 10000) return intFormat.format(n);
  const units = [[1e9, 'B'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, u] of units) {
    if (n >= v) return `${(n / v).toFixed(n / v >= 100 ? 0 : 1)}${u}`;
  }
  return intFormat.format(n);
}

export function fmtPct(x, digits = 1) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return `${(x * 100).toFixed(digits)}%`;
}

// A relative change (0.25 = +25%): signed, or "n/a" when the earlier period had none.
export function fmtChange(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  const pct = x * 100;
  const sign = pct > 0 ? '+' : '';
  return `${sign}${pct.toFixed(Math.abs(pct) >= 10 ? 0 : 1)}%`;
}

export function fmtSigned(x, digits = 2) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return `${x > 0 ? '+' : ''}${x.toFixed(digits)}`;
}

// Times are shown in UTC, the zone the report's buckets are cut in, so that a
// bucket and the mentions behind it read the same.
export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function fmtDate(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().slice(0, 10);
}

export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

// An inline two-step confirmation instead of window.confirm: the button asks
// "Sure?" and offers Yes / No next to itself.
export function confirmButton(label, question, onConfirm, { cls = 'danger' } = {}) {
  const box = h('span', { class: 'confirm' });
  const start = h('button', { type: 'button', class: cls }, label);
  const show = () => {
    const yes = h('button', { type: 'button', class: 'danger' }, 'Yes');
    const no = h('button', { type: 'button' }, 'No');
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      no.disabled = true;
      try {
        await onConfirm();
      } finally {
        if (box.isConnected) replace(box, start);
      }
    });
    no.addEventListener('click', () => replace(box, start));
    replace(box, h('span', { class: 'q' }, question), ' ', yes, ' ', no);
    yes.focus();
  };
  start.addEventListener('click', show);
  box.appendChild(start);
  return box;
}

export function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, label), input,
    hint ? h('span', { class: 'hint' }, hint) : null);
}

export function select(options, value, attrs) {
  const el = h('select', attrs);
  for (const opt of options) {
    if (opt.group) {
      const g = h('optgroup');
      g.label = opt.group;
      for (const o of opt.options) g.appendChild(option(o, value));
      el.appendChild(g);
    } else {
      el.appendChild(option(opt, value));
    }
  }
  return el;
}

function option(opt, value) {
  const o = document.createElement('option');
  o.value = opt.value;
  o.textContent = opt.label;
  if (opt.value === value) o.selected = true;
  return o;
}

// A message area: errors in red, notes in grey; role=status so screen readers hear it.
export function messageBox() {
  const el = h('div', { class: 'msg', role: 'status', 'aria-live': 'polite' });
  el.show = (text, kind = 'error') => {
    el.className = `msg ${kind}`;
    el.textContent = text;
  };
  el.clear = () => {
    el.className = 'msg';
    el.textContent = '';
  };
  return el;
}

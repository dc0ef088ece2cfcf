// The client of /api/v1: JSON in and out, the session's CSRF token on every
// request that changes state, errors as ApiError with the API's code, message
// and (for query errors) position.

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || '';
    this.position = err.position ?? null;
    this.retryAfter = retryAfter;
  }
}

const session = { csrf: '', user: null };
let onUnauthorized = () => {};

export function setSession(answer) {
  session.csrf = answer?.csrf_token || '';
  session.user = answer?.user || null;
}

export function currentUser() {
  return session.user;
}

export function csrfToken() {
  return session.csrf;
}

// Called when a request of a logged-in page answers 401 (session expired or
// revoked): the app goes back to the login page.
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export function qs(params) {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

// api('GET', '/watches'), api('POST', '/watches', {body}), api('GET', '/mentions', {query}).
// `raw` sends a Blob/File as the body as it is (uploads).
export async function api(method, path, { query, body, raw, allow401 = false } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (method !== 'GET' && method !== 'HEAD' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  if (raw !== undefined) {
    headers['Content-Type'] = 'application/octet-stream';
    init.body = raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(`/api/v1${path}${qs(query)}`, init);
  } catch (e) {
    throw new ApiError(0, { error: { code: 'network', message: `Cannot reach the server (${e.message})` } });
  }
  if (res.status === 204) return null;
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const retry = Number(res.headers.get('Retry-After')) || null;
    const err = new ApiError(res.status, data, retry);
    if (res.status === 401 && !allow401 && session.user) {
      session.user = null;
      session.csrf = '';
      onUnauthorized(err);
    }
    throw err;
  }
  return data;
}

// A note for the next login page ("password changed: log in again").
let loginNote = '';
export function setLoginNote(text) {
  loginNote = text;
}
export function takeLoginNote() {
  const t = loginNote;
  loginNote = '';
  return t;
}

export const ROLES = ['viewer', 'sales', 'expert', 'manager', 'admin'];

// What the role may change (the server enforces the same; the UI only hides).
export function canWrite(user = session.user) {
  return !!user && (user.role === 'manager' || user.role === 'admin');
}

export function isAdmin(user = session.user) {
  return !!user && user.role === 'admin';
}

// The admin page's session (sessionStorage) and its one way to call the API.

const MANAGER_ROLES = ['root', 'admin'];

const SESSION_KEY = 'flowgate.admin.session';

/** Called after the session changes and when the server ends it (a 401); app.js sets them. */
const hooks = { changed: () => {}, expired: () => {} };
export function onSession(changed, expired) { hooks.changed = changed; hooks.expired = expired; }

export let session = loadSession();

export function loadSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    return s && s.token ? s : null;
  } catch (e) { return null; }
}

export function saveSession(s) {
  session = s;
  if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
  else sessionStorage.removeItem(SESSION_KEY);
  hooks.changed();
}

export function isRoot() {
  return !!session && session.role === 'root';
}

export function isManager() {
  return !!session && MANAGER_ROLES.includes(session.role);
}

export class ApiError extends Error {
  constructor(status, body, text) {
    const errs = body && Array.isArray(body.errors) ? body.errors : [];
    const msg = errs.length
      ? errs.map((e) => (e.code ? `${e.message} (${e.code})` : e.message)).join('; ')
      : `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    super(msg);
    this.status = status;
    this.body = body;
  }
}

export function apiUrl(path, query) {
  const url = new URL(`/api/${path}`, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v === undefined || v === null) continue;
    url.searchParams.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  return url;
}

export function authHeaders() {
  const hd = {};
  if (session) {
    hd.Authorization = `Bearer ${session.token}`;
    if (session.role) hd['X-Role'] = session.role;
  }
  return hd;
}

/**
 * Calls the API. Throws ApiError on a non-2xx answer unless `raw`; a 401 ends the session. `binary`: a
 * successful answer's body is `blob` (a file download), not `text`.
 */
export async function api(method, path, opts) {
  const o = opts || {};
  const headers = Object.assign({ Accept: 'application/json' }, o.anonymous ? {} : authHeaders(), o.headers || {});
  let body;
  if (o.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  }
  const url = o.url || apiUrl(path, o.query);
  let res;
  try {
    res = await fetch(url, { method, headers, body, cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, null, `network error: ${e.message}`);
  }
  // A binary download (`binary`) is read as a Blob when it succeeded; errors are the JSON envelope.
  const blob = o.binary && res.ok ? await res.blob() : null;
  const text = blob ? '' : await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  const out = { status: res.status, statusText: res.statusText, json, text, blob, ok: res.ok, headers: res.headers };
  if (res.status === 401 && !o.anonymous && session) {
    const err = new ApiError(res.status, json, text);
    expireSession(err.message);
    throw err;
  }
  if (!res.ok && !o.raw) throw new ApiError(res.status, json, text);
  return out;
}

export function expireSession(message) {
  saveSession(null);
  hooks.expired(message || 'Your session has ended. Please sign in again.');
}

// The admin page's DOM helpers, shared constants and small widgets (copy button, pager, facts).
// Every text from the server reaches the DOM through textContent or attributes (see `h`).

export const EXECUTION_STATUS = new Map([
  [null, 'QUEUEING'], [0, 'STARTED'], [1, 'RESOLVED'], [-1, 'FAILED'], [-2, 'ERROR'],
  [-3, 'ABORTED'], [-4, 'CANCELED'], [-5, 'REJECTED'],
]);

export const JOB_STATUS = new Map([
  [null, 'PENDING'], [0, 'PENDING'], [1, 'RESOLVED'], [-1, 'FAILED'], [-2, 'ERROR'],
  [-3, 'ABORTED'], [-4, 'CANCELED'], [-5, 'REJECTED'],
]);

export const CONTEXT_TYPES = { 0: 'Global', 1: 'Single record', 2: 'Multiple records' };

export const SCALAR_SAMPLES = {
  string: 'Example', text: 'Example text', integer: 1, bigInt: 1, float: 1.5, double: 1.5,
  boolean: true, date: '2025-03-01', datetime: '2025-03-01T09:30:00.000Z', json: {},
};

export const SYSTEM_FIELDS = ['id', 'createdAt', 'updatedAt', 'createdById', 'updatedById', 'createdBy', 'updatedBy'];

export const OPERATORS = {
  equal: '==', notEqual: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=',
  includes: 'includes', notIncludes: 'does not include', startsWith: 'starts with',
  notStartsWith: 'does not start with', endsWith: 'ends with', notEndsWith: 'does not end with',
};

export const DELAY_UNITS = { 1: 'ms', 1000: 's', 60000: 'min', 3600000: 'h', 86400000: 'd', 604800000: 'weeks' };

// NocoBase's names of the node types; an unknown type shows its type name.
export const NODE_LABELS = {
  condition: 'Condition', 'multi-conditions': 'Multi-conditions', calculation: 'Calculation',
  query: 'Query record', create: 'Create record', update: 'Update record', destroy: 'Delete record',
  end: 'End process', 'response-message': 'Response message', output: 'Output', variable: 'Variable',
  loop: 'Loop', parallel: 'Parallel branch', request: 'HTTP request', delay: 'Delay',
  aggregate: 'Aggregate', sql: 'SQL action', 'json-query': 'JSON query',
  'json-variable-mapping': 'JSON variable mapping', dateCalculation: 'Date calculation', script: 'JavaScript',
};

/** Creates an element. Text children become text nodes; attributes are set as attributes. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else if (k === 'checked') el.checked = !!v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export const $ = (id) => document.getElementById(id);

export function announce(text) {
  const s = $('status');
  s.textContent = '';
  // A fresh text node so that screen readers announce a repeated message.
  window.setTimeout(() => { s.textContent = text; }, 20);
}

export function pretty(v) {
  if (v === undefined) return '';
  try { return JSON.stringify(v, null, 2); } catch (e) { return String(v); }
}

export function short(v) {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v);
}

export function pad(n, w) { return String(n).padStart(w || 2, '0'); }

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function timeEl(iso) {
  return iso ? h('time', { datetime: iso, title: iso }, fmtTime(iso)) : '—';
}

export function fmtDuration(ms) {
  if (ms < 0 || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60000);
  const s = Math.round((ms % 60000) / 1000);
  return m < 60 ? `${m} min ${s} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** updatedAt − startedAt of a finished execution. */
export function duration(e) {
  if (e.status === null || e.status === undefined) return 'queued';
  if (e.status === 0) return 'running';
  const start = Date.parse(e.startedAt || e.createdAt);
  const end = Date.parse(e.updatedAt);
  if (Number.isNaN(start) || Number.isNaN(end)) return '—';
  return fmtDuration(end - start);
}

export function statusBadge(status, map) {
  const s = status === undefined ? null : status;
  const name = (map || EXECUTION_STATUS).get(s) || `STATUS ${s}`;
  return h('span', {
    class: `badge status status-${name.toLowerCase()}`,
    'data-status': s === null ? 'null' : String(s),
    title: `status ${s === null ? 'null' : s}`,
  }, name);
}

export function normCollection(c) {
  if (typeof c !== 'string') return c;
  return c.startsWith('main:') ? c.slice(5) : c;
}

export function setTitle(t) {
  document.title = t ? `${t} · flowgate admin` : 'flowgate admin';
}

export function withTimeout(p, ms) {
  return Promise.race([p, new Promise((_, rej) => window.setTimeout(() => rej(new Error('timeout')), ms))]);
}

export async function copyText(text, button) {
  let ok = false;
  let method = 'none';
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await withTimeout(navigator.clipboard.writeText(text), 1000);
      ok = true;
      method = 'clipboard';
    } catch (e) { ok = false; }
  }
  if (!ok) {
    const ta = h('textarea', { class: 'copy-buffer', readonly: true, tabindex: '-1', 'aria-hidden': 'true' });
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    ta.setSelectionRange(0, text.length);
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    ta.remove();
    if (ok) method = 'execCommand';
    if (button) button.focus();
  }
  const root = document.documentElement;
  root.setAttribute('data-last-copied', text);
  root.setAttribute('data-copy-method', method);
  if (button) {
    button.setAttribute('data-copied', ok ? 'true' : 'false');
    const label = button.textContent;
    button.textContent = ok ? 'Copied' : 'Not copied';
    window.setTimeout(() => { button.textContent = label; }, 1500);
  }
  announce(ok ? `Copied: ${text.length > 80 ? `${text.slice(0, 77)}…` : text}`
    : 'The browser refused to copy; select the text and copy it by hand.');
  return ok;
}

export function copyButton(getText, what) {
  const b = h('button', { type: 'button', class: 'btn btn-small btn-copy', 'aria-label': `Copy ${what}` }, 'Copy');
  b.addEventListener('click', () => { copyText(typeof getText === 'function' ? getText() : getText, b); });
  return b;
}

export function errorBox(err, what) {
  return h('div', { class: 'alert', role: 'alert' },
    h('strong', null, what ? `${what}: ` : 'Error: '), err && err.message ? err.message : String(err));
}

export function fact(label, value) {
  return h('div', { class: 'fact' }, h('dt', null, label), h('dd', null, value));
}

export function kv(k, v) {
  return [h('dt', null, k), h('dd', null, h('code', null, v))];
}

export function kvRow(k, v) {
  return h('div', { class: 'kv' }, kv(k, v));
}

/** Previous/next page buttons with "Page p of n · count <noun>"; the executions list says Newer/Older. */
export function pager(page, total, count, go, opts) {
  const o = opts || { noun: 'executions', prev: '‹ Newer', next: 'Older ›' };
  const prev = h('button', { type: 'button', class: 'btn btn-small pager-prev', disabled: page <= 1, 'aria-label': 'Previous page' }, o.prev || '‹ Previous');
  const next = h('button', { type: 'button', class: 'btn btn-small pager-next', disabled: page >= total, 'aria-label': 'Next page' }, o.next || 'Next ›');
  prev.addEventListener('click', () => go(page - 1));
  next.addEventListener('click', () => go(page + 1));
  return h('nav', { class: 'pager', 'aria-label': 'Pages' }, prev,
    h('span', { class: 'muted pager-text' }, `Page ${page} of ${Math.max(total, 1)}${count !== undefined ? ` · ${count} ${o.noun}` : ''}`), next);
}

/** Asks the router to draw the current page again, keeping scroll and focus (app.js listens). */
export function rerender() {
  window.dispatchEvent(new CustomEvent('flowgate:rerender'));
}

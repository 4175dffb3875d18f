// flowgate admin page: one page, hash routes, the public API only. No framework, nothing fetched from
// elsewhere; ES modules served from /admin/.
// This file is the shell: header, router, sign-in, the workflows list, a workflow's page (facts, drawing, calls,
// Try it) and executions. The other modules hold the pages and widgets named in their first lines.

import {
  h, clear, $, announce, pretty, fmtDuration, timeEl, duration, statusBadge, normCollection, setTitle,
  copyButton, errorBox, fact, pager, EXECUTION_STATUS, JOB_STATUS, SCALAR_SAMPLES, SYSTEM_FIELDS,
} from './dom.js';
import { session, saveSession, isManager, ApiError, api, apiUrl, onSession } from './api.js';
import { triggerLabel, contextType, nodeChain } from './drawing.js';
import { drawingEditor } from './node-forms.js';
import { newWorkflowPage, workflowActions, frozenNotice } from './workflow-edit.js';
import { collectionsPage, collectionPage } from './collections.js';
import { recordsPage } from './records.js';
import { executionActions, deleteFinishedButton, rerunControl, takeRerunNotice } from './executions-edit.js';
import { downloadButtons } from './downloads.js';
import { statsPanel } from './charts.js';

// ---------------------------------------------------------------------------------------------
// Header

function renderAccount() {
  const signedIn = !!session;
  $('mainnav').hidden = !signedIn;
  $('account').hidden = !signedIn;
  if (!signedIn) return;
  const u = session.user || {};
  $('account-name').textContent = u.nickname || u.username || u.email || `user ${u.id}`;
  const roles = session.roles || [];
  const sel = $('role-select');
  clear(sel);
  for (const r of roles) sel.appendChild(h('option', { value: r.name }, r.title ? `${r.title} (${r.name})` : r.name));
  sel.value = session.role || '';
  $('role-picker').hidden = roles.length < 2;
  $('account-role').textContent = roles.length < 2 ? (session.role || '') : '';
}

function markNav(section) {
  for (const [id, s] of [['nav-workflows', 'workflows'], ['nav-collections', 'collections'], ['nav-executions', 'executions']]) {
    const a = $(id);
    if (s === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---------------------------------------------------------------------------------------------
// Router

let renderSeq = 0;
let quietRender = false; // a self-refresh: keep focus and scroll position
let signInNotice = '';
const pageCleanups = [];

function parseHash() {
  const raw = location.hash.replace(/^#/, '');
  const [path, qs] = raw.split('?');
  return { parts: (path || '').split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(qs || '') };
}

/** Puts a page into the view if no later navigation happened meanwhile. */
function show(seq, node, opts) {
  if (seq !== renderSeq) return false;
  const view = $('view');
  const quiet = quietRender;
  const y = window.scrollY;
  // A redraw after an edit keeps the keyboard where it was: the control with the same id, if any.
  const focused = document.activeElement && document.activeElement.id;
  clear(view);
  view.appendChild(node);
  if (quiet) {
    window.scrollTo(0, y);
    const again = focused ? document.getElementById(focused) : null;
    if (again && !document.querySelector('dialog[open]')) again.focus({ preventScroll: true });
    return true;
  }
  if (!(opts && opts.keepFocus)) {
    const h1 = view.querySelector('h1');
    if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
  }
  window.scrollTo(0, 0);
  return true;
}

function onPage(seq) { return seq === renderSeq; }

async function render(opts) {
  const seq = ++renderSeq;
  quietRender = !!(opts && opts.quiet);
  while (pageCleanups.length) { try { pageCleanups.pop()(); } catch (e) { /* ignore */ } }
  renderAccount();
  if (!session) {
    markNav(null);
    renderSignIn(seq);
    return;
  }
  const { parts, query } = parseHash();
  const [section, id, sub] = parts;
  markNav(section || 'workflows');
  if (!quietRender) {
    $('status').textContent = '';
    const view = $('view');
    clear(view);
    view.appendChild(h('p', { class: 'loading' }, 'Loading…'));
  }
  try {
    if (!section || section === 'workflows') {
      if (id && sub === 'executions') location.replace(`#/executions?workflowId=${encodeURIComponent(id)}`);
      else if (id === 'new') await newWorkflowPage(seq, show);
      else if (id) await workflowPage(seq, id);
      else await workflowsPage(seq);
    } else if (section === 'collections') {
      if (id && sub === 'records') await recordsPage(seq, show, id, query);
      else if (id) await collectionPage(seq, show, id);
      else await collectionsPage(seq, show);
    } else if (section === 'executions') {
      if (id) await executionPage(seq, id);
      else await executionsPage(seq, query);
    } else {
      setTitle('Not found');
      show(seq, h('section', null, h('h1', null, 'Page not found'),
        h('p', null, 'Nothing lives at this address. ', h('a', { href: '#/workflows' }, 'Go to the workflows.'))));
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    setTitle('Error');
    const hint = err instanceof ApiError && err.status === 403 && session
      ? h('p', null, `The role "${session.role}" may not see this page.`,
        (session.roles || []).length > 1 ? ' Pick another role in the header.' : '')
      : null;
    show(seq, h('section', null, h('h1', null, 'Something went wrong'), errorBox(err), hint));
  }
}

// ---------------------------------------------------------------------------------------------
// Sign-in

function renderSignIn(seq) {
  setTitle('Sign in');
  const err = h('div', { class: 'alert', role: 'alert', id: 'signin-error', hidden: !signInNotice }, signInNotice);
  const account = h('input', { id: 'signin-account', name: 'account', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'signin-submit' }, 'Sign in');
  const form = h('form', { class: 'signin-form', id: 'signin-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'signin-account' }, 'Username or email'), account),
    h('div', { class: 'field' }, h('label', { for: 'signin-password' }, 'Password'), password),
    err,
    submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    if (!account.value.trim()) {
      err.textContent = 'Please enter your username or email.';
      err.hidden = false;
      account.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const r = await api('POST', 'auth:signIn', { anonymous: true, body: { account: account.value.trim(), password: password.value } });
      const token = r.json.data.token;
      let user = r.json.data.user || {};
      let roles = [];
      const c = await api('GET', 'auth:check', { anonymous: true, headers: { Authorization: `Bearer ${token}` } });
      user = Object.assign({}, user, c.json.data || {});
      roles = (user.roles || []).map((x) => (typeof x === 'string' ? { name: x } : { name: x.name, title: x.title }));
      delete user.roles;
      signInNotice = '';
      saveSession({ token, user, roles, role: roles.length ? roles[0].name : null });
      announce(`Signed in as ${user.username || user.email}.`);
      if (!location.hash || location.hash === '#' || location.hash === '#/') location.hash = '#/workflows';
      else render();
    } catch (e) {
      err.textContent = e.message;
      err.hidden = false;
      submit.disabled = false;
      submit.textContent = 'Sign in';
      password.focus();
    }
  });
  const page = h('section', { class: 'signin' },
    h('div', { class: 'signin-card' },
      h('h1', null, 'Sign in'),
      h('p', { class: 'muted' }, 'flowgate admin: workflow keys, ready-to-copy calls and execution history.'),
      form));
  show(seq, page, { keepFocus: true });
  account.focus();
}

async function signOut() {
  const s = session;
  if (!s) return;
  try { await api('POST', 'auth:signOut', { raw: true }); } catch (e) { /* the token dies anyway */ }
  saveSession(null);
  signInNotice = '';
  announce('Signed out.');
  render();
}

// ---------------------------------------------------------------------------------------------
// Workflows list

let workflowFilter = '';

async function workflowsPage(seq) {
  setTitle('Workflows');
  const r = await api('GET', 'workflows:list', { query: { paginate: 'false', sort: 'id' } });
  const all = Array.isArray(r.json.data) ? r.json.data : [];
  // One row per key: the current version (workflows.md §2).
  const rows = all.some((w) => 'current' in w) ? all.filter((w) => w.current === true) : all;
  const manager = isManager();
  const count = h('p', { class: 'muted', id: 'workflow-count', 'aria-live': 'polite' });
  const filter = h('input', {
    id: 'workflow-filter', type: 'search', placeholder: 'title, key, collection…', value: workflowFilter,
    autocomplete: 'off', 'aria-describedby': 'workflow-count',
  });
  const tbody = h('tbody');
  const table = h('table', { class: 'data responsive', id: 'workflows' },
    h('caption', { class: 'visually-hidden' }, 'Workflows'),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Trigger'),
      h('th', { scope: 'col' }, 'Context'), h('th', { scope: 'col' }, 'Collection'), h('th', { scope: 'col' }, 'Mode'),
      h('th', { scope: 'col' }, 'Enabled'), h('th', { scope: 'col', class: 'num' }, 'Executed'))),
    tbody);
  for (const w of rows) tbody.appendChild(workflowRow(w, manager));
  const applyFilter = () => {
    workflowFilter = filter.value;
    const q = filter.value.trim().toLowerCase();
    let shown = 0;
    for (const tr of tbody.rows) {
      const hit = !q || tr.getAttribute('data-search').includes(q);
      tr.hidden = !hit;
      if (hit) shown += 1;
    }
    count.textContent = q ? `${shown} of ${rows.length} workflows match.` : `${rows.length} workflow${rows.length === 1 ? '' : 's'}.`;
  };
  for (const ev of ['input', 'change', 'search']) filter.addEventListener(ev, applyFilter);
  applyFilter();
  const page = h('section', null,
    h('div', { class: 'page-head' },
      h('h1', null, 'Workflows'),
      h('div', { class: 'toolbar' },
        h('label', { class: 'inline-field', for: 'workflow-filter' }, h('span', null, 'Filter'), filter),
        manager ? h('a', { class: 'btn btn-primary', href: '#/workflows/new', id: 'new-workflow' }, 'New workflow') : null,
        downloadButtons())),
    h('p', { class: 'muted intro' }, 'Call a workflow by its key: ',
      h('code', null, 'POST /api/<collection>:trigger/<id>?triggerWorkflows=<key>'),
      '. Open a workflow for ready-to-copy calls.'),
    count,
    rows.length ? h('div', { class: 'table-wrap' }, table)
      : h('p', { class: 'empty' }, 'No workflows yet. Press New workflow, or start the server with --demo.'));
  show(seq, page);
}

function workflowRow(w, manager) {
  const key = String(w.key || '');
  const collection = w.config && w.config.collection ? String(w.config.collection) : '';
  const search = [w.title, key, collection, w.type, contextType(w), w.sync ? 'sync' : 'async'].join(' ').toLowerCase();
  let enabledCell;
  if (manager) {
    const toggle = h('input', {
      type: 'checkbox', role: 'switch', class: 'switch', checked: !!w.enabled,
      'aria-label': `Enabled: ${w.title || key}`, 'data-key': key, id: `enabled-${w.id}`,
    });
    const state = h('span', { class: 'switch-state', 'aria-hidden': 'true' }, w.enabled ? 'On' : 'Off');
    toggle.addEventListener('change', async () => {
      const want = toggle.checked;
      toggle.disabled = true;
      try {
        const r = await api('POST', `workflows:update/${encodeURIComponent(w.id)}`, { body: { enabled: want } });
        const updated = Array.isArray(r.json.data) ? r.json.data[0] : r.json.data;
        w.enabled = updated && 'enabled' in updated ? !!updated.enabled : want;
        announce(`Workflow ${key} ${w.enabled ? 'enabled' : 'disabled'}.`);
      } catch (e) {
        announce(`Could not change workflow ${key}: ${e.message}`);
      }
      toggle.checked = !!w.enabled;
      state.textContent = w.enabled ? 'On' : 'Off';
      toggle.disabled = false;
    });
    enabledCell = h('label', { class: 'switch-label' }, toggle, state);
  } else {
    enabledCell = h('span', { class: `badge ${w.enabled ? 'on' : 'off'}` }, w.enabled ? 'On' : 'Off');
  }
  return h('tr', { 'data-key': key, 'data-id': String(w.id), 'data-search': search },
    h('td', { 'data-label': 'Title', class: 'title-cell' },
      h('a', { href: `#/workflows/${encodeURIComponent(w.id)}`, title: key, class: 'workflow-link' }, w.title || key || `#${w.id}`)),
    h('td', { 'data-label': 'Key' },
      h('span', { class: 'keybox' }, h('code', { class: 'workflow-key' }, key), copyButton(key, `key ${key}`))),
    h('td', { 'data-label': 'Trigger' }, triggerLabel(w.type)),
    h('td', { 'data-label': 'Context' }, contextType(w)),
    h('td', { 'data-label': 'Collection' }, collection ? h('code', null, collection) : h('span', { class: 'muted' }, '—')),
    h('td', { 'data-label': 'Mode' }, h('span', { class: `badge ${w.sync ? 'sync' : 'async'}` }, w.sync ? 'Sync' : 'Async')),
    h('td', { 'data-label': 'Enabled' }, enabledCell),
    h('td', { 'data-label': 'Executed', class: 'num' },
      h('a', { href: `#/executions?key=${encodeURIComponent(key)}`, 'aria-label': `${w.executed || 0} executions of ${key}` }, String(w.executed || 0))));
}

// ---------------------------------------------------------------------------------------------
// Workflow page

async function workflowPage(seq, id) {
  const [wr, cr] = await Promise.allSettled([
    api('GET', `workflows:get/${encodeURIComponent(id)}`, { query: { appends: 'nodes' } }),
    api('GET', 'collections:list', { query: { paginate: 'false' } }),
  ]);
  if (wr.status === 'rejected') throw wr.reason;
  const w = wr.value.json.data;
  if (!w) throw new Error(`Workflow ${id} not found`);
  const collections = cr.status === 'fulfilled' && Array.isArray(cr.value.json.data) ? cr.value.json.data : null;
  const key = String(w.key || '');
  setTitle(w.title || key);
  const cfg = w.config || {};
  const ctype = cfg.type === undefined || cfg.type === null ? 0 : Number(cfg.type);
  const collection = cfg.collection ? normCollection(String(cfg.collection)) : '';

  const nodes = Array.isArray(w.nodes) ? w.nodes : [];
  const manager = isManager();
  const frozen = (w.executed || 0) > 0;
  const reload = () => render({ quiet: true });
  const hasRequest = nodes.some((n) => n.type === 'request');
  const afterRun = () => { recent.reload(); if (stats) stats.reload(); };
  const edit = manager && !frozen ? drawingEditor({ w, nodes, collections: collections || [] }, reload) : null;
  const recent = executionsBlock({ filter: { key }, pageSize: 5, seq, compact: true });
  const stats = statsPanel({ filter: { key }, onPage: () => onPage(seq), title: `Runs of ${key}` });
  const facts = h('dl', { class: 'facts' },
    fact('Key', h('span', { class: 'keybox' }, h('code', { id: 'workflow-key' }, key), copyButton(key, `key ${key}`))),
    fact('Trigger', triggerLabel(w.type)),
    fact('Context', contextType(w)),
    fact('Collection', collection ? h('code', null, String(cfg.collection)) : '—'),
    fact('Mode', h('span', { class: `badge ${w.sync ? 'sync' : 'async'}` }, w.sync ? 'Sync' : 'Async')),
    fact('Enabled', h('span', { class: `badge ${w.enabled ? 'on' : 'off'}` }, w.enabled ? 'On' : 'Off')),
    fact('Version', `#${w.id}${w.current ? ' (current)' : ' (not current)'}`),
    versionsFact(w, seq),
    fact('Executed', h('a', { href: `#/executions?key=${encodeURIComponent(key)}` }, String(w.executed || 0))),
    Array.isArray(cfg.appends) && cfg.appends.length ? fact('Appends', h('code', null, cfg.appends.join(', '))) : null);

  const page = h('article', { class: 'workflow-page', 'data-key': key },
    h('p', { class: 'crumbs' }, h('a', { href: '#/workflows' }, 'Workflows'), ' / ', key),
    h('div', { class: 'page-head' }, h('h1', { title: key }, w.title || key),
      manager ? workflowActions(w, collections || [], reload) : null),
    w.description ? h('p', { class: 'description' }, w.description) : null,
    facts,
    manager && frozen ? frozenNotice(w) : null,
    !w.enabled ? h('p', { class: 'alert alert-warn' }, 'This workflow is disabled: calls answer 400 WORKFLOW_NOT_MATCHED (reason DISABLED) until it is enabled.') : null,
    h('section', { class: 'panel', 'aria-labelledby': 'nodes-h' },
      h('h2', { id: 'nodes-h' }, 'Nodes'),
      nodeChain(w, nodes, edit)),
    w.type && w.type !== 'custom-action'
      ? manualRunSection(w, collection, afterRun, hasRequest)
      : callsSection(w, key, ctype, collection, collections, afterRun, hasRequest),
    h('section', { class: 'panel', 'aria-labelledby': 'recent-h' },
      h('div', { class: 'panel-head' },
        h('h2', { id: 'recent-h' }, 'Recent executions'),
        h('a', { href: `#/executions?key=${encodeURIComponent(key)}` }, `All executions of ${key}`)),
      recent),
    stats);
  show(seq, page);
}

// ---------------------------------------------------------------------------------------------
// Calls: curl lines in the form of trigger.md §1, and "Try it"

/** The other versions of the key, as links (filled in when workflows:list answers). */
function versionsFact(w, seq) {
  const dd = h('span', { id: 'workflow-versions' }, '…');
  api('GET', 'workflows:list', { query: { paginate: 'false', sort: 'id', filter: { key: w.key } } }).then((r) => {
    if (!onPage(seq)) return;
    const others = (r.json.data || []).filter((v) => v.id !== w.id);
    clear(dd);
    if (!others.length) { dd.textContent = 'none'; return; }
    others.forEach((v, i) => {
      if (i) dd.appendChild(document.createTextNode(', '));
      dd.appendChild(h('a', { href: `#/workflows/${encodeURIComponent(v.id)}`, 'data-version-id': String(v.id) },
        `#${v.id}${v.current ? ' (current)' : ''}`));
    });
  }, () => { dd.textContent = '—'; });
  return fact('Other versions', dd);
}

function shellQuote(s) {
  return `'${String(s).replace(/'/g, "'\\''")}'`;
}

/** A curl call as in trigger.md §1: headers on the first line, `-d` body and URL on continuation lines. */
function curlLine(opts) {
  const token = opts.token || '<your token>';
  let s = `curl${opts.globoff ? ' -g' : ''} -X POST -H ${shellQuote(`Authorization: Bearer ${token}`)} -H ${shellQuote(`X-Role: ${opts.role || '<roleName>'}`)}`;
  if (opts.body !== undefined) {
    const text = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body, null, 2);
    const quoted = shellQuote(text).split('\n').map((l) => `  ${l}`).join('\n');
    s += ` -d \\\n${quoted} \\\n`;
  } else {
    s += ' \\\n';
  }
  // Single quotes: inside double quotes an interactive bash expands `key!association` (history).
  s += `  ${shellQuote(opts.url)}`;
  return s;
}

function sampleBody(collection, collections) {
  const col = collections ? collections.find((c) => normCollection(c.name) === collection) : null;
  if (!col || !Array.isArray(col.fields)) return { title: 'Example' };
  const body = {};
  for (const f of col.fields) {
    if (f.system || f.isForeignKey || f.primaryKey || SYSTEM_FIELDS.includes(f.name)) continue;
    if (Object.prototype.hasOwnProperty.call(SCALAR_SAMPLES, f.type)) body[f.name] = SCALAR_SAMPLES[f.type];
  }
  return Object.keys(body).length ? body : { title: 'Example' };
}

/** belongsTo/hasOne fields of any collection whose target is `collection` (the `key!assoc` form). */
function associationsTo(collection, collections) {
  const out = [];
  for (const c of collections || []) {
    for (const f of Array.isArray(c.fields) ? c.fields : []) {
      if ((f.type === 'belongsTo' || f.type === 'hasOne') && normCollection(f.target) === collection
        && !SYSTEM_FIELDS.includes(f.name)) {
        out.push({ collection: normCollection(c.name), field: f.name, type: f.type });
      }
    }
  }
  return out;
}

function callsSection(w, key, ctype, collection, collections, afterRun, hasRequest) {
  const origin = location.origin;
  const k = encodeURIComponent(key);
  const idInput = h('input', { id: 'try-id', type: 'text', inputmode: 'numeric', autocomplete: 'off', placeholder: 'empty: new record form' });
  const bodyInput = h('textarea', { id: 'try-body', rows: '6', spellcheck: 'false' });
  const includeToken = h('input', { id: 'include-token', type: 'checkbox' });
  const tokenWarn = h('p', { class: 'alert alert-warn', hidden: true, id: 'token-warning' }, 'The calls below hold your token: whoever has it acts as you until you sign out.');
  const defaultBody = ctype === 0 ? { example: true } : sampleBody(collection, collections);
  bodyInput.placeholder = `e.g. ${JSON.stringify(defaultBody)}`;
  const record = ctype === 1 || ctype === 2;

  // Each call: {id, label, note, build(state) → text, tryable}
  const calls = [];
  if (record) {
    const base = `${origin}/api/${collection}:trigger`;
    calls.push({ id: 'record', label: 'Record by id', note: `Loads the ${collection} record with that id (and the workflow's appends) as the context data.`,
      build: (st) => curlLine({ ...st.auth, url: `${base}/${st.id || '<id>'}?triggerWorkflows=${k}` }) });
    calls.push({ id: 'new', label: 'New record form (no id)', note: 'The body is the context data; nothing is loaded or stored.',
      build: (st) => curlLine({ ...st.auth, body: st.body, url: `${base}?triggerWorkflows=${k}` }) });
    calls.push({ id: 'edited', label: 'Edited record form (id + body)', note: 'The record is loaded, then the body’s properties replace the loaded ones (shallow; nothing is written).',
      build: (st) => curlLine({ ...st.auth, body: st.body, url: `${base}/${st.id || '<id>'}?triggerWorkflows=${k}` }) });
    if (ctype === 2) {
      calls.push({ id: 'several', label: 'Several records', note: 'Multiple-records context: the data is an array in id order. -g stops curl from reading [] as a glob.',
        build: (st) => curlLine({ ...st.auth, globoff: true, url: `${base}?filterByTk[]=${st.id || '<id>'}&filterByTk[]=<id2>&triggerWorkflows=${k}` }) });
    }
    if (collections) {
      for (const a of associationsTo(collection, collections)) {
        calls.push({ id: `assoc-${a.collection}-${a.field}`, label: `Through ${a.collection}.${a.field} (${a.type})`,
          note: `Fires for the ${collection} record that ${a.collection} record <id> points to through "${a.field}".`,
          build: (st) => curlLine({ ...st.auth, url: `${origin}/api/${a.collection}:trigger/<id>?triggerWorkflows=${k}!${a.field}` }) });
      }
    }
  } else {
    calls.push({ id: 'global', label: 'Global', note: 'A global workflow runs with workflows:trigger; any signed-in user may call it.',
      build: (st) => curlLine({ ...st.auth, url: `${origin}/api/workflows:trigger?triggerWorkflows=${k}` }) });
    calls.push({ id: 'global-data', label: 'Global with data', note: 'The body becomes $context.data.',
      build: (st) => curlLine({ ...st.auth, body: st.body, url: `${origin}/api/workflows:trigger?triggerWorkflows=${k}` }) });
  }

  const state = () => {
    const bodyText = bodyInput.value.trim();
    let body = defaultBody;
    if (bodyText) {
      try { body = JSON.parse(bodyText); } catch (e) { body = bodyText; }
    }
    return {
      id: idInput.value.trim() ? encodeURIComponent(idInput.value.trim()) : '',
      body,
      auth: {
        token: includeToken.checked && session ? session.token : '',
        role: session && session.role ? session.role : '<roleName>',
      },
    };
  };

  const list = h('div', { class: 'calls', id: 'calls' });
  const pres = [];
  for (const c of calls) {
    const code = h('code', { id: `call-${c.id}` });
    const pre = h('pre', { class: 'curl', tabindex: '0', 'aria-labelledby': `call-${c.id}-h` }, code);
    pres.push([c, code]);
    list.appendChild(h('div', { class: 'call', 'data-call': c.id },
      h('div', { class: 'call-head' },
        h('h3', { id: `call-${c.id}-h` }, c.label),
        copyButton(() => code.textContent, `curl call: ${c.label}`)),
      h('p', { class: 'muted small' }, c.note),
      pre));
  }
  const refresh = () => {
    const st = state();
    for (const [c, code] of pres) code.textContent = c.build(st);
    tokenWarn.hidden = !includeToken.checked;
    let t = null;
    try { t = tryTarget(); } catch (e) { t = null; }
    tryUrl.textContent = t ? `POST ${t.pathname}${t.search}` : 'The dry run stubs are not a JSON object.';
  };

  // Try it
  const dry = dryRunControls(hasRequest, () => refresh());
  const tryTarget = () => {
    const id = idInput.value.trim();
    const q = Object.assign({ triggerWorkflows: key }, dry.query());
    if (!record) return apiUrl('workflows:trigger', q);
    return apiUrl(`${collection}:trigger${id ? `/${encodeURIComponent(id)}` : ''}`, q);
  };
  const tryUrl = h('code', { id: 'try-url' });
  const runBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'try-run' }, 'Run');
  const result = h('div', { class: 'try-result', id: 'try-result', 'aria-live': 'polite' });
  runBtn.addEventListener('click', async () => {
    clear(result);
    const bodyText = bodyInput.value.trim();
    let target;
    try { target = tryTarget(); } catch (e) { result.appendChild(errorBox(e, 'Dry run stubs')); return; }
    await runTry(runBtn, result, target, bodyText ? bodyText : undefined, afterRun);
  });

  idInput.addEventListener('input', refresh);
  bodyInput.addEventListener('input', refresh);
  includeToken.addEventListener('change', refresh);

  const tryPanel = h('section', { class: 'panel try', 'aria-labelledby': 'try-h' },
    h('h2', { id: 'try-h' }, 'Try it'),
    h('p', { class: 'muted small' }, 'Runs the trigger from this page as you, with your role. The id and body also fill the calls above.'),
    h('div', { class: 'try-grid' },
      record ? h('div', { class: 'field' }, h('label', { for: 'try-id' }, `Record id (${collection})`), idInput,
        h('p', { class: 'hint' }, 'Empty: the new record form.')) : null,
      h('div', { class: 'field field-wide' }, h('label', { for: 'try-body' }, 'JSON body (optional)'), bodyInput,
        h('p', { class: 'hint' }, record ? 'With an id it is laid over the loaded record; without, it is the record.' : 'Becomes $context.data.'))),
    dry.el,
    h('p', { class: 'try-target' }, tryUrl),
    h('div', { class: 'actions' }, runBtn),
    result);

  const section = h('div', { class: 'calls-and-try' },
    h('section', { class: 'panel', 'aria-labelledby': 'calls-h' },
      h('div', { class: 'panel-head' },
        h('h2', { id: 'calls-h' }, 'Calls'),
        h('label', { class: 'checkbox', for: 'include-token' }, includeToken, ' Include my token')),
      h('p', { class: 'muted small' }, `Built from this page’s address (${origin}) and the workflow’s key. `,
        'curl -d sends the body as a form; flowgate reads it as JSON anyway.'),
      tokenWarn,
      list),
    tryPanel);
  refresh();
  return section;
}

/**
 * Try it for the trigger types run by events (collection, schedule, action, request interception):
 * workflows:execute with a record (its id or JSON) as `data` (`target` for request interception).
 */
function manualRunSection(w, collection, afterRun, hasRequest) {
  const c = w.config || {};
  const withRecord = !!collection && !(w.type === 'schedule' && Number(c.mode || 0) === 0);
  const idInput = h('input', { id: 'try-id', type: 'text', inputmode: 'numeric', autocomplete: 'off' });
  const bodyInput = h('textarea', { id: 'try-body', rows: '5', spellcheck: 'false' });
  const runBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'try-run' }, 'Run');
  const result = h('div', { class: 'try-result', id: 'try-result', 'aria-live': 'polite' });
  const call = h('code', { id: 'call-execute' });
  const dataKey = w.type === 'request-interception' ? 'target' : 'data';
  const body = () => {
    const text = bodyInput.value.trim();
    let json = {};
    if (text) json = JSON.parse(text);
    const out = { userId: session && session.user ? session.user.id : 1 };
    const id = idInput.value.trim();
    if (w.type === 'schedule' && !withRecord) return Object.assign(out, json);
    if (id) out[dataKey] = /^\d+$/.test(id) ? Number(id) : id;
    else if (text) out[dataKey] = json;
    return out;
  };
  const dry = dryRunControls(hasRequest, () => refresh());
  const url = () => apiUrl('workflows:execute', Object.assign({ filterByTk: w.id }, dry.query()));
  const refresh = () => {
    let b;
    try { b = body(); } catch (e) { b = '<the body is not JSON>'; }
    let u;
    try { u = url().toString(); } catch (e) { u = '<the dry run stubs are not a JSON object>'; }
    call.textContent = curlLine({ role: session && session.role, body: b, url: u });
  };
  idInput.addEventListener('input', refresh);
  bodyInput.addEventListener('input', refresh);
  runBtn.addEventListener('click', async () => {
    clear(result);
    let b;
    try { b = body(); } catch (e) { result.appendChild(errorBox(e, 'The body is not JSON')); return; }
    let u;
    try { u = url(); } catch (e) { result.appendChild(errorBox(e, 'Dry run stubs')); return; }
    await runTry(runBtn, result, u, b, afterRun);
  });
  refresh();
  return h('section', { class: 'panel try', 'aria-labelledby': 'try-h' },
    h('h2', { id: 'try-h' }, 'Try it'),
    h('p', { class: 'muted small' }, `A ${triggerLabel(w.type).toLowerCase()} workflow runs on its events; `,
      'here it runs now, by hand and synchronously (workflows:execute), as you.'),
    h('div', { class: 'try-grid' },
      withRecord ? h('div', { class: 'field' }, h('label', { for: 'try-id' }, `Record id (${collection})`), idInput,
        h('p', { class: 'hint' }, 'Loaded as the record; or leave it empty and give the record as JSON.')) : null,
      h('div', { class: 'field field-wide' }, h('label', { for: 'try-body' }, withRecord ? 'Record as JSON (optional)' : 'JSON body (optional)'), bodyInput)),
    dry.el,
    h('pre', { class: 'curl', tabindex: '0', 'aria-label': 'The call Try it makes' }, call),
    h('div', { class: 'actions' }, runBtn),
    result);
}

/**
 * Try it's "dry run" switch: `dryRun=true` runs the workflows on a throwaway copy of the store (nothing
 * stays), and with request nodes an optional `dryRunStubs` object (`{"<node key>": <result>}`) answers
 * them. `query()` gives the parameters to add, or throws when the stubs are not a JSON object.
 */
function dryRunControls(hasRequest, changed) {
  const box = h('input', { type: 'checkbox', id: 'try-dry-run' });
  const stubs = h('textarea', { id: 'try-dry-stubs', rows: '3', spellcheck: 'false', placeholder: '{"request_key": {"status": 200, "data": {}}}' });
  const stubsField = hasRequest ? h('div', { class: 'field field-wide', hidden: true, id: 'try-dry-stubs-field' },
    h('label', { for: 'try-dry-stubs' }, 'Answers for request nodes (optional JSON, by node key)'), stubs,
    h('p', { class: 'hint' }, 'Without one, a request node is answered with its last recorded response.')) : null;
  const sync = () => { if (stubsField) stubsField.hidden = !box.checked; changed(); };
  box.addEventListener('change', sync);
  stubs.addEventListener('input', changed);
  const el = h('div', { class: 'dry-run' },
    h('label', { class: 'checkbox', for: 'try-dry-run' }, box, ' Dry run: run on a throwaway copy of the store; nothing is kept'),
    stubsField);
  const query = () => {
    if (!box.checked) return {};
    const q = { dryRun: 'true' };
    const text = hasRequest ? stubs.value.trim() : '';
    if (text) {
      let v;
      try { v = JSON.parse(text); } catch (e) { throw new Error(`the dry run stubs are not JSON: ${e.message}`); }
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('the dry run stubs must be a JSON object of node keys');
      q.dryRunStubs = JSON.stringify(v);
    }
    return q;
  };
  return { el, query };
}

/** A dry run's jobs, straight from the answer (their ids belong to the copy, which is gone). */
function dryRunJobs(executions) {
  const out = [];
  for (const e of executions) {
    const jobs = Array.isArray(e.jobs) ? e.jobs.slice().sort((a, b) => a.id - b.id) : [];
    out.push(h('h4', null, `${e.workflowKey || 'Execution'} `, statusBadge(e.status)));
    out.push(jobs.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive jobs dry-jobs', 'data-dry-execution': String(e.id) },
      h('caption', { class: 'visually-hidden' }, 'Jobs of the dry run in the order they ran'),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Node'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Result'))),
      h('tbody', null, jobs.map((j) => h('tr', { 'data-node-key': String(j.nodeKey || '') },
        h('td', { 'data-label': 'Node' }, h('code', null, String(j.nodeKey || ''))),
        h('td', { 'data-label': 'Status' }, statusBadge(j.status, JOB_STATUS)),
        h('td', { 'data-label': 'Result', class: 'result-cell' }, h('pre', { class: 'json', tabindex: '0', 'aria-label': `Result of node ${j.nodeKey}` }, pretty(j.result === undefined ? null : j.result))))))))
      : h('p', { class: 'empty' }, 'No jobs.'));
  }
  return out;
}

/** Try it's run: POSTs, shows the answer in `result`, and keeps the button busy meanwhile. */
async function runTry(runBtn, result, url, body, afterRun) {
  runBtn.disabled = true;
  runBtn.textContent = 'Running…';
  const started = performance.now();
  try {
    const r = await api('POST', null, { url, body, raw: true });
    renderTryResult(result, r, performance.now() - started, { dryRun: url.searchParams.get('dryRun') === 'true' });
    if (afterRun) afterRun();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) result.appendChild(errorBox(e, 'Request failed'));
  } finally {
    runBtn.disabled = false;
    runBtn.textContent = 'Run';
  }
}

function renderTryResult(el, r, ms, asked) {
  clear(el);
  const ok = r.status >= 200 && r.status < 300;
  el.appendChild(h('p', { class: 'try-status' },
    h('span', { class: `badge http ${ok ? 'http-ok' : 'http-err'}`, id: 'try-status', 'data-status': String(r.status) }, `${r.status} ${r.statusText || ''}`.trim()),
    h('span', { class: 'muted' }, ` in ${fmtDuration(ms)}`)));
  const body = r.json;
  const data = body && body.data;
  // A dry run's answer: `data.dryRun`, or (a failed run, a refusal) errors marked `dryRun`.
  const dryErrors = body && Array.isArray(body.errors) ? body.errors.filter((e) => e && e.dryRun === true) : [];
  if ((data && data.dryRun === true) || dryErrors.length) {
    const execs = data && Array.isArray(data.executions) ? data.executions : data && data.execution ? [data.execution] : [];
    for (const e of dryErrors) {
      if (e.executionId !== undefined && e.executionId !== null) {
        execs.push({ id: e.executionId, workflowKey: e.workflowKey, status: e.status, jobs: e.jobs });
      }
    }
    el.setAttribute('data-dry-run', 'true');
    el.appendChild(h('p', { class: 'alert alert-ok', id: 'dry-run-notice' },
      'Dry run: it ran on a throwaway copy of the store, and nothing of it was kept (the ids below belong to that copy).'));
    if (dryErrors.length) {
      el.appendChild(h('div', { class: 'alert', role: 'alert', id: 'dry-run-errors' },
        dryErrors.map((e) => h('p', null, e.code ? `${e.message} (${e.code})` : String(e.message)))));
    }
    if (execs.length) el.appendChild(h('h3', null, 'Jobs'));
    for (const x of dryRunJobs(execs)) el.appendChild(x);
    el.appendChild(h('h3', null, 'Response'));
    el.appendChild(h('pre', { class: 'json', id: 'try-response', tabindex: '0', 'aria-label': 'Response body' }, pretty(body)));
    announce(`Dry run answered ${r.status}.`);
    return;
  }
  el.removeAttribute('data-dry-run');
  if (asked && asked.dryRun && r.ok) {
    el.appendChild(h('p', { class: 'alert alert-warn', id: 'dry-run-ignored' },
      'This server did not answer as a dry run (no data.dryRun): the run was real and its executions are kept.'));
  }
  const links = [];
  if (body && body.data && Array.isArray(body.data.executions)) {
    for (const e of body.data.executions) links.push({ id: e.id, text: `${e.workflowKey || 'execution'}, ${e.sync ? 'sync' : 'async'}`, status: e.status });
  }
  if (body && body.data && body.data.execution && body.data.execution.id !== undefined) {
    links.push({ id: body.data.execution.id, text: 'manual run', status: body.data.execution.status });
  }
  if (body && Array.isArray(body.errors)) {
    for (const e of body.errors) if (e.executionId !== undefined && e.executionId !== null) links.push({ id: e.executionId, text: e.workflowKey || e.code, status: e.status });
  }
  if (links.length) {
    const ul = h('ul', { class: 'exec-links' });
    for (const l of links) {
      ul.appendChild(h('li', null,
        h('a', { href: `#/executions/${encodeURIComponent(l.id)}`, class: 'exec-link', 'data-execution-id': String(l.id) }, `Execution #${l.id}`),
        ` (${l.text}) `, l.status !== undefined ? statusBadge(l.status) : null));
    }
    el.appendChild(h('h3', null, 'New executions'));
    el.appendChild(ul);
  }
  if (body && Array.isArray(body.messages) && body.messages.length) {
    const ul = h('ul', { class: 'messages' });
    for (const m of body.messages) ul.appendChild(h('li', null, m && m.message !== undefined ? String(m.message) : JSON.stringify(m)));
    el.appendChild(h('h3', null, 'Messages'));
    el.appendChild(ul);
  }
  el.appendChild(h('h3', null, 'Response'));
  el.appendChild(h('pre', { class: 'json', id: 'try-response', tabindex: '0', 'aria-label': 'Response body' }, body !== null ? pretty(body) : r.text));
  announce(`Response ${r.status}.`);
}

// ---------------------------------------------------------------------------------------------
// Executions

async function executionsPage(seq, query) {
  const key = query.get('key') || '';
  const workflowId = query.get('workflowId') || '';
  const status = query.get('status');
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  setTitle(key ? `Executions of ${key}` : 'Executions');
  const filter = {};
  if (key) filter.key = key;
  if (workflowId && /^\d+$/.test(workflowId)) filter.workflowId = Number(workflowId);
  if (status !== null && status !== '') filter.status = status === 'null' ? null : Number(status);

  const keyInput = h('input', { id: 'exec-key', type: 'search', value: key, placeholder: 'all workflows', autocomplete: 'off' });
  const statusSel = h('select', { id: 'exec-status' }, h('option', { value: '' }, 'any status'));
  for (const [s, name] of EXECUTION_STATUS) statusSel.appendChild(h('option', { value: s === null ? 'null' : String(s) }, name));
  statusSel.value = status === null ? '' : status;
  const form = h('form', { class: 'toolbar filters', role: 'search', 'aria-label': 'Filter executions' },
    h('label', { class: 'inline-field', for: 'exec-key' }, h('span', null, 'Workflow key'), keyInput),
    h('label', { class: 'inline-field', for: 'exec-status' }, h('span', null, 'Status'), statusSel),
    h('button', { type: 'submit', class: 'btn' }, 'Apply'),
    h('button', { type: 'button', class: 'btn btn-quiet', id: 'exec-refresh' }, 'Refresh'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams();
    if (keyInput.value.trim()) q.set('key', keyInput.value.trim());
    if (statusSel.value !== '') q.set('status', statusSel.value);
    const target = `#/executions${q.toString() ? `?${q}` : ''}`;
    if (location.hash === target) render(); else location.hash = target;
  });
  form.querySelector('#exec-refresh').addEventListener('click', () => render());

  const block = executionsBlock({ filter, page, pageSize: 20, seq, hashPaging: true, query });
  const statsFilter = filter.key ? { key: filter.key } : filter.workflowId ? { workflowId: filter.workflowId } : {};
  const stats = statsPanel({ filter: statsFilter, onPage: () => onPage(seq), title: key ? `Runs of ${key}` : 'Runs of every workflow' });
  const head = h('div', { class: 'page-head' },
    h('h1', null, key ? h('span', null, 'Executions of ', h('code', null, key)) : workflowId ? `Executions of workflow #${workflowId}` : 'Executions'),
    deleteFinishedButton(filter, describeFilter(key, workflowId, status), () => block.reload()));
  show(seq, h('section', null,
    key || workflowId ? h('p', { class: 'crumbs' }, h('a', { href: '#/executions' }, 'Executions'), ` / ${key || `workflow #${workflowId}`}`) : null,
    head, stats, form, block));
}

/** The list's filter in words, for the confirmation of deleting what it shows. */
function describeFilter(key, workflowId, status) {
  const parts = [];
  if (key) parts.push(`of ${key}`);
  if (workflowId) parts.push(`of workflow version #${workflowId}`);
  if (status !== null && status !== '') parts.push(`with status ${EXECUTION_STATUS.get(status === 'null' ? null : Number(status)) || status}`);
  return parts.length ? parts.join(' ') : '(all workflows)';
}

/** A table of executions, newest first, loading itself; pages by hash or in place. */
function executionsBlock(opts) {
  const wrap = h('div', { class: 'executions-block' }, h('p', { class: 'loading' }, 'Loading executions…'));
  let page = opts.page || 1;
  const load = async () => {
    const query = { sort: '-id', page, pageSize: opts.pageSize || 20 };
    if (opts.filter && Object.keys(opts.filter).length) query.filter = opts.filter;
    let r;
    try {
      r = await api('GET', 'executions:list', { query });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      clear(wrap);
      wrap.appendChild(errorBox(e, 'Executions'));
      return;
    }
    if (!onPage(opts.seq)) return;
    const rows = Array.isArray(r.json.data) ? r.json.data : [];
    const meta = r.json.meta || { count: rows.length, page, pageSize: opts.pageSize, totalPage: 1 };
    clear(wrap);
    if (!rows.length) {
      wrap.appendChild(h('p', { class: 'empty' }, page > 1 ? 'No executions on this page.' : 'No executions yet.'));
    } else {
      const tbody = h('tbody');
      const manager = isManager();
      for (const e of rows) tbody.appendChild(executionRow(e, manager));
      wrap.appendChild(h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive executions' },
        h('caption', { class: 'visually-hidden' }, 'Executions, newest first'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Execution'), h('th', { scope: 'col' }, 'Workflow'), h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col' }, 'Created'), h('th', { scope: 'col', class: 'num' }, 'Duration'),
          manager ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')) : null)),
        tbody)));
    }
    const total = meta.totalPage || 1;
    if (total > 1 || page > 1) wrap.appendChild(pager(page, total, meta.count, (p) => {
      if (opts.hashPaging) {
        const q = new URLSearchParams(opts.query);
        q.set('page', String(p));
        location.hash = `#/executions?${q}`;
      } else {
        page = p;
        load();
      }
    }));
  };
  wrap.reload = load;
  load();
  return wrap;
}

function executionRow(e, manager) {
  return h('tr', { 'data-execution-id': String(e.id) },
    h('td', { 'data-label': 'Execution' }, h('a', { href: `#/executions/${encodeURIComponent(e.id)}`, class: 'exec-link' }, `#${e.id}`),
      e.manually ? h('span', { class: 'badge subtle' }, 'manual') : null,
      e.rerunOf ? h('span', { class: 'badge subtle', title: `re-run of execution #${e.rerunOf}` }, `re-run of #${e.rerunOf}`) : null,
      e.attempt > 1 ? h('span', { class: 'badge subtle', title: 'options.retry attempt' }, `attempt ${e.attempt}`) : null),
    h('td', { 'data-label': 'Workflow' },
      h('a', { href: `#/workflows/${encodeURIComponent(e.workflowId)}`, title: `version #${e.workflowId}` },
        h('code', null, String(e.key || `#${e.workflowId}`)))),
    h('td', { 'data-label': 'Status' }, statusBadge(e.status), e.reason ? h('span', { class: 'muted small' }, ` ${e.reason}`) : null),
    h('td', { 'data-label': 'Created' }, timeEl(e.createdAt)),
    h('td', { 'data-label': 'Duration', class: 'num' }, duration(e)),
    manager ? h('td', { 'data-label': 'Actions', class: 'actions-cell' }, rerunControl(e)) : null);
}

/** What the re-run that opened this page answered: 200 ran in the request, 202 queued. */
function rerunNoticeBox(n, e) {
  if (!n) return null;
  const how = n.status === 202 ? 'queued (202): it runs in the background and this page follows it until it finishes'
    : 'ran in the request (200)';
  return h('p', { class: 'alert alert-ok', id: 'rerun-notice', role: 'status', 'data-http-status': String(n.status) },
    `Re-run of execution #${n.of}${n.current ? ' on the current version' : ''}: ${how}. Status now: `, statusBadge(e.status));
}

/** The failed attempts `options.retry` ran again (executions:get?appends=attempts), oldest first. */
function attemptsSection(e) {
  const rows = Array.isArray(e.attempts) ? e.attempts.slice().sort((a, b) => (a.attempt || 0) - (b.attempt || 0)) : [];
  if (!rows.length) return null;
  return h('section', { class: 'panel', 'aria-labelledby': 'attempts-h' },
    h('h2', { id: 'attempts-h' }, `Failed attempts (${rows.length})`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive attempts', id: 'attempts' },
      h('caption', { class: 'visually-hidden' }, 'Failed attempts, oldest first'),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Attempt'), h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col' }, 'Reason'), h('th', { scope: 'col' }, 'Node'), h('th', { scope: 'col' }, 'At'))),
      h('tbody', null, rows.map((a) => h('tr', { 'data-attempt': String(a.attempt) },
        h('td', { 'data-label': 'Attempt' }, `#${a.attempt}`),
        h('td', { 'data-label': 'Status' }, statusBadge(a.status)),
        h('td', { 'data-label': 'Reason' }, a.reason ? String(a.reason) : '—'),
        h('td', { 'data-label': 'Node' }, a.nodeKey ? h('code', null, String(a.nodeKey)) : '—'),
        h('td', { 'data-label': 'At' }, timeEl(a.createdAt))))))));
}

async function executionPage(seq, id) {
  const r = await api('GET', `executions:get/${encodeURIComponent(id)}`, { query: { appends: 'jobs,attempts' } });
  const e = r.json.data;
  if (!e) throw new Error(`Execution ${id} not found`);
  setTitle(`Execution #${e.id}`);
  // Node titles and types, best effort.
  let nodes = new Map();
  try {
    const wr = await api('GET', `workflows:get/${encodeURIComponent(e.workflowId)}`, { query: { appends: 'nodes' } });
    const w = wr.json.data;
    if (w && Array.isArray(w.nodes)) nodes = new Map(w.nodes.map((n) => [n.id, n]));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
  }
  const jobs = Array.isArray(e.jobs) ? e.jobs.slice().sort((a, b) => a.id - b.id) : [];
  const jobsTable = jobs.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive jobs', id: 'jobs' },
      h('caption', { class: 'visually-hidden' }, 'Jobs in the order they ran'),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Job'), h('th', { scope: 'col' }, 'Node'), h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col' }, 'Result'))),
      h('tbody', null, jobs.map((j) => {
        const n = nodes.get(j.nodeId);
        return h('tr', { 'data-job-id': String(j.id), 'data-node-key': String(j.nodeKey || '') },
          h('td', { 'data-label': 'Job' }, `#${j.id}`, h('br'), h('span', { class: 'muted small' }, timeEl(j.createdAt))),
          h('td', { 'data-label': 'Node' },
            h('code', null, String(j.nodeKey || '')), h('span', { class: 'muted' }, ` #${j.nodeId}`),
            n ? h('div', { class: 'small' }, h('span', { class: 'node-type' }, String(n.type)), ' ', n.title || '') : null),
          h('td', { 'data-label': 'Status' }, statusBadge(j.status, JOB_STATUS)),
          h('td', { 'data-label': 'Result', class: 'result-cell' }, h('pre', { class: 'json', tabindex: '0', 'aria-label': `Result of job ${j.id}` }, pretty(j.result === undefined ? null : j.result))));
      }))))
    : h('p', { class: 'empty' }, e.status === null ? 'Queued: no jobs yet.' : 'No jobs.');

  const pending = e.status === null || e.status === 0;
  const refresh = h('button', { type: 'button', class: 'btn btn-quiet', id: 'execution-refresh' }, 'Refresh');
  refresh.addEventListener('click', () => render());

  const actionErrors = h('div', { id: 'execution-action-errors', 'aria-live': 'polite' });
  const page = h('article', { class: 'execution-page', 'data-execution-id': String(e.id) },
    h('p', { class: 'crumbs' }, h('a', { href: '#/executions' }, 'Executions'), ' / ',
      h('a', { href: `#/executions?key=${encodeURIComponent(e.key || '')}` }, String(e.key || '')), ` / #${e.id}`),
    h('div', { class: 'page-head' }, h('h1', null, `Execution #${e.id} `, statusBadge(e.status)),
      h('div', { class: 'toolbar' }, executionActions(e, () => render({ quiet: true }), actionErrors), refresh)),
    rerunNoticeBox(takeRerunNotice(e.id), e),
    actionErrors,
    h('dl', { class: 'facts' },
      fact('Workflow', h('a', { href: `#/workflows/${encodeURIComponent(e.workflowId)}` }, h('code', null, String(e.key || '')), ` (version #${e.workflowId})`)),
      fact('Status', [statusBadge(e.status), ` ${e.status === null || e.status === undefined ? 'null' : e.status}`]),
      e.reason ? fact('Reason', e.reason) : null,
      fact('Created', timeEl(e.createdAt)),
      fact('Started', timeEl(e.startedAt)),
      fact('Updated', timeEl(e.updatedAt)),
      fact('Duration', duration(e)),
      e.manually ? fact('Run', 'manually (workflows:execute)') : null,
      e.rerunOf ? fact('Re-run of', h('a', { href: `#/executions/${encodeURIComponent(e.rerunOf)}`, id: 'rerun-of' }, `Execution #${e.rerunOf}`)) : null,
      e.attempt > 1 || e.retryAt ? fact('Attempt', h('span', { id: 'execution-attempt' }, String(e.attempt || 1))) : null,
      e.retryAt ? fact('Next attempt', h('span', { id: 'execution-retry-at' }, timeEl(e.retryAt))) : null),
    attemptsSection(e),
    h('section', { class: 'panel', 'aria-labelledby': 'context-h' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'context-h' }, 'Context'), copyButton(() => pretty(e.context), 'context')),
      h('pre', { class: 'json', id: 'execution-context', tabindex: '0', 'aria-labelledby': 'context-h' }, pretty(e.context === undefined ? null : e.context))),
    e.output !== undefined && e.output !== null ? h('section', { class: 'panel', 'aria-labelledby': 'output-h' },
      h('h2', { id: 'output-h' }, 'Output'), h('pre', { class: 'json', tabindex: '0', 'aria-labelledby': 'output-h' }, pretty(e.output))) : null,
    h('section', { class: 'panel', 'aria-labelledby': 'jobs-h' },
      h('h2', { id: 'jobs-h' }, `Jobs (${jobs.length})`), jobsTable));
  if (show(seq, page) && pending) {
    // Follow a queued or running execution for a while.
    const t = window.setTimeout(() => { if (onPage(seq)) render({ quiet: true }); }, 1000);
    pageCleanups.push(() => window.clearTimeout(t));
  }
}

// ---------------------------------------------------------------------------------------------
// Start

function start() {
  onSession(renderAccount, (message) => { signInNotice = message; render(); });
  $('sign-out').addEventListener('click', signOut);
  $('role-select').addEventListener('change', (ev) => {
    if (!session) return;
    saveSession(Object.assign({}, session, { role: ev.target.value }));
    announce(`Acting as role ${ev.target.value}.`);
    render();
  });
  window.addEventListener('hashchange', () => render());
  window.addEventListener('flowgate:rerender', () => render({ quiet: true }));
  render();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();

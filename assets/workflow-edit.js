// Authoring workflows: the trigger types' config forms (workflows.md §1, triggers-and-nodes.md §2–§5),
// the new-workflow page, and a workflow's own actions: edit title and options, enable or disable, new
// version (workflows:revision), delete.

import { h, announce, setTitle } from './dom.js';
import { api } from './api.js';
import { configForm, jsonConfigForm } from './config-form.js';
import { field, switchField, select, formAlert, showErrors, clearErrors, openDialog, confirmAction } from './forms.js';

/** The trigger types a workflow may have; the last three arrive with their branches. */
export const TRIGGER_TYPES = [
  ['custom-action', 'Custom action (called over HTTP)'],
  ['collection', 'Collection event (a record created, updated or deleted)'],
  ['schedule', 'Schedule (a time or a date field)'],
  ['request-interception', 'Before an action (request interception)'],
  ['action', 'After an action'],
];

const UNITS = [[1000, 'seconds'], [60000, 'minutes'], [3600000, 'hours'], [86400000, 'days'], [604800000, 'weeks']];
const isMode = (m) => (c) => Number(c.mode || 0) === m;
const recordCtx = (c) => Number(c.type || 0) !== 0;

export const TRIGGER_SPECS = {
  'custom-action': [
    { key: 'type', label: 'Context', kind: 'select', def: 0, redraw: true,
      options: [[0, 'Global (no record)'], [1, 'Single record'], [2, 'Multiple records']] },
    { key: 'collection', label: 'Collection', kind: 'collection', when: recordCtx },
    { key: 'appends', label: 'Appends', kind: 'list', when: recordCtx, placeholder: 'category, tags', hint: 'Associations loaded into $context.data.' },
  ],
  collection: [
    { key: 'collection', label: 'Collection', kind: 'collection', redraw: true },
    { key: 'mode', label: 'Fires on', kind: 'select', def: 1,
      options: [[1, 'a record created'], [2, 'a record updated'], [3, 'created or updated'], [4, 'a record deleted']] },
    { key: 'changed', label: 'Only when one of these fields changed', kind: 'list', placeholder: 'status, total', hint: 'Update events; empty: any change.' },
    { key: 'condition', label: 'Only records matching', kind: 'filter', noScope: true },
    { key: 'appends', label: 'Appends', kind: 'list' },
    { key: 'rollbackOnFailure', label: 'Undo the write when a sync run fails', kind: 'switch' },
  ],
  schedule: [
    { key: 'mode', label: 'Time source', kind: 'select', def: 0, redraw: true, options: [[0, 'a fixed time'], [1, 'a date field of a collection']] },
    { key: 'startsOn', label: 'Starts on', kind: 'datetime', when: isMode(0) },
    { key: 'collection', label: 'Collection', kind: 'collection', when: isMode(1), redraw: true },
    { key: 'startsOn.field', label: 'Date field', kind: 'field', types: ['datetime', 'date'], when: isMode(1) },
    { key: 'startsOn.offset', label: 'Offset (negative = earlier)', kind: 'number', step: '1', when: isMode(1) },
    { key: 'startsOn.unit', label: 'Offset unit', kind: 'select', def: 86400000, options: UNITS, when: isMode(1) },
    { key: 'repeat', label: 'Repeat', kind: 'text', typed: 'double', placeholder: 'empty: once; a cron text (0 9 * * *) or milliseconds', hint: 'A cron text may have a seconds field.' },
    { key: 'endsOn', label: 'Ends on', kind: 'datetime', when: isMode(0) },
    { key: 'limit', label: 'At most this many runs', kind: 'number', step: '1' },
    { key: 'appends', label: 'Appends', kind: 'list', when: isMode(1) },
  ],
  'request-interception': [
    { key: 'collection', label: 'Collection', kind: 'collection' },
    { key: 'global', label: 'Global: every request of these actions', kind: 'switch', redraw: true,
      hint: 'Off (local): only requests naming the key in triggerWorkflows.' },
    { key: 'actions', label: 'Actions', kind: 'checks', when: (c) => !!c.global,
      options: [['create', 'create'], ['update', 'update'], ['updateOrCreate', 'updateOrCreate'], ['destroy', 'destroy']] },
  ],
  action: [
    { key: 'collection', label: 'Collection', kind: 'collection' },
    { key: 'global', label: 'Global: every request of these actions', kind: 'switch', redraw: true,
      hint: 'Off (local): only requests naming the key in triggerWorkflows.' },
    { key: 'actions', label: 'Actions', kind: 'checks', when: (c) => !!c.global, options: [['create', 'create'], ['update', 'update']] },
    { key: 'appends', label: 'Appends', kind: 'list' },
  ],
};

/** Types whose runs are never sync or always inside the request: the sync switch means nothing there. */
const OWN_TIMING = ['schedule', 'request-interception'];

/** A trigger type's form; a type this page does not know edits its whole config as JSON. */
function triggerForm(type, config, collections) {
  const env = { collections, scope: [] };
  return TRIGGER_SPECS[type] ? configForm(TRIGGER_SPECS[type], config, env) : jsonConfigForm(config, env);
}

async function loadCollections() {
  const r = await api('GET', 'collections:list', { query: { paginate: 'false' } });
  return Array.isArray(r.json.data) ? r.json.data : [];
}

// ---------------------------------------------------------------------------------------------
// New workflow

export async function newWorkflowPage(seq, show) {
  setTitle('New workflow');
  const collections = await loadCollections();
  const title = h('input', { type: 'text', id: 'wf-title', autocomplete: 'off', required: true });
  const key = h('input', { type: 'text', id: 'wf-key', autocomplete: 'off', spellcheck: 'false', placeholder: 'empty: 11 random characters' });
  const typeSel = select(TRIGGER_TYPES, 'custom-action', { id: 'wf-type' });
  const sync = switchField('Sync: run inside the request and answer with its messages', false, { id: 'wf-sync', name: 'sync' });
  const description = h('textarea', { id: 'wf-description', rows: '2' });
  const slot = h('div', { id: 'wf-config' });
  let cf = triggerForm('custom-action', { type: 0 }, collections);
  slot.appendChild(cf);
  typeSel.addEventListener('change', () => {
    cf = triggerForm(typeSel.read(), {}, collections);
    slot.replaceChildren(cf);
    sync.hidden = OWN_TIMING.includes(typeSel.read());
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'wf-create' }, 'Create workflow');
  const form = h('form', { class: 'panel form-panel', id: 'workflow-form', novalidate: true },
    formAlert(),
    field('Title', title, { name: 'title' }),
    field('Key', key, { name: 'key', hint: 'Callers name the workflow by its key (triggerWorkflows=<key>); letters, digits, _ and -.' }),
    field('Trigger', typeSel, { name: 'type' }),
    h('fieldset', { class: 'group' }, h('legend', null, 'Trigger settings'), slot),
    sync,
    field('Description', description, { name: 'description' }),
    h('div', { class: 'actions' }, submit, h('a', { class: 'btn', href: '#/workflows' }, 'Cancel')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!title.value.trim()) { showErrors(form, { body: { errors: [{ message: 'A workflow needs a title.', field: 'title' }] } }); return; }
    let config;
    try { config = cf.read(); } catch (e) { showErrors(form, e); return; }
    const body = { title: title.value.trim(), type: typeSel.read(), config, sync: sync.input.checked };
    if (key.value.trim()) body.key = key.value.trim();
    if (description.value.trim()) body.description = description.value.trim();
    submit.disabled = true;
    try {
      const r = await api('POST', 'workflows:create', { body });
      announce(`Workflow ${r.json.data.key} created.`);
      location.hash = `#/workflows/${encodeURIComponent(r.json.data.id)}`;
    } catch (e) {
      submit.disabled = false;
      showErrors(form, e, { KEY_EXISTS: 'key', INVALID_KEY: 'key', TRIGGER_TYPE_REQUIRED: 'type', TRIGGER_TYPE_NOT_REGISTERED: 'type' });
    }
  });
  show(seq, h('section', null,
    h('p', { class: 'crumbs' }, h('a', { href: '#/workflows' }, 'Workflows'), ' / new'),
    h('div', { class: 'page-head' }, h('h1', null, 'New workflow')),
    h('p', { class: 'muted intro' }, 'Nodes are added on the workflow’s page once it exists.'),
    form));
  title.focus();
}

// ---------------------------------------------------------------------------------------------
// A workflow's actions

/** Edit title, description, options and (while it has not run) the trigger settings. */
function editDialog(w, collections, done) {
  const title = h('input', { type: 'text', id: 'wf-edit-title', autocomplete: 'off', value: w.title || '' });
  const description = h('textarea', { id: 'wf-edit-description', rows: '2' });
  description.value = w.description || '';
  const o = w.options || {};
  const timeout = h('input', { type: 'number', id: 'wf-edit-timeout', min: '0', step: '1', value: o.timeout === undefined ? '0' : String(o.timeout) });
  const stack = h('input', { type: 'number', id: 'wf-edit-stack', min: '1', step: '1', value: o.stackLimit === undefined ? '1' : String(o.stackLimit) });
  const keep = retentionChecks(o.deleteExecutionOnStatus);
  const retry = retryFields(o.retry);
  const frozen = (w.executed || 0) > 0;
  const cf = frozen ? null : triggerForm(w.type, w.config || {}, collections);
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'wf-edit-save' }, 'Save');
  const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
  const form = h('form', { id: 'workflow-edit-form', novalidate: true }, formAlert(),
    field('Title', title, { name: 'title' }),
    field('Description', description, { name: 'description' }),
    field('Timeout (ms, 0 = none)', timeout, { name: 'options.timeout' }),
    field('Stack limit', stack, { name: 'options.stackLimit' }),
    keep.el,
    retry.el,
    cf ? h('fieldset', { class: 'group' }, h('legend', null, 'Trigger settings'), cf)
      : h('p', { class: 'muted' }, 'The trigger settings are frozen: this version has run.'),
    h('div', { class: 'actions' }, save, cancel));
  const d = openDialog(`Edit workflow: ${w.title || w.key}`, form, { wide: true, id: 'workflow-edit-dialog' });
  cancel.addEventListener('click', d.close);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const options = Object.assign({}, o, { timeout: Number(timeout.value || 0), stackLimit: Number(stack.value || 1) });
    const statuses = keep.read();
    if (statuses.length) options.deleteExecutionOnStatus = statuses; else delete options.deleteExecutionOnStatus;
    const policy = retry.read();
    if (policy) options.retry = policy; else delete options.retry;
    const body = { title: title.value.trim(), description: description.value, options };
    try { if (cf) body.config = cf.read(); } catch (e) { showErrors(form, e); return; }
    try {
      await api('POST', `workflows:update/${encodeURIComponent(w.id)}`, { body });
      announce(`Workflow ${w.key} saved.`);
      d.close();
      done();
    } catch (e) {
      showErrors(form, e, { CONFIG_LOCKED: 'config' });
    }
  });
}

/** NocoBase's `options.deleteExecutionOnStatus`: the finished statuses whose runs are deleted. */
function retentionChecks(current) {
  const have = new Set(Array.isArray(current) ? current : []);
  const boxes = [[1, 'resolved'], [-1, 'failed'], [-2, 'error'], [-3, 'aborted']].map(([code, name]) => {
    const box = h('input', { type: 'checkbox', id: `wf-edit-delete-${name}`, checked: have.has(code) });
    box.dataset.code = String(code);
    return h('label', { class: 'checkbox', for: box.id }, box, ` ${name}`);
  });
  const el = h('fieldset', { class: 'checks', 'data-field': 'options.deleteExecutionOnStatus' },
    h('legend', null, 'Delete finished runs that end'), ...boxes,
    h('p', { class: 'hint' }, 'A run ending with a ticked status is deleted as it ends (it is still counted).'));
  return {
    el,
    read: () => boxes.map((l) => l.querySelector('input')).filter((b) => b.checked).map((b) => Number(b.dataset.code)),
  };
}

/** `options.retry`: how a failed async run is run again (empty attempts: never). */
function retryFields(current) {
  const r = current || {};
  const num = (id, value, min) => h('input', { type: 'number', id, min, step: '1', value: value === undefined ? '' : String(value) });
  const attempts = num('wf-edit-retry-attempts', r.attempts, '1');
  const delay = num('wf-edit-retry-delay', r.delay, '0');
  const maxDelay = num('wf-edit-retry-max-delay', r.maxDelay, '0');
  const jitter = h('input', { type: 'number', id: 'wf-edit-retry-jitter', min: '0', max: '1', step: '0.1', value: r.jitter === undefined ? '' : String(Number(r.jitter)) });
  const backoff = h('select', { id: 'wf-edit-retry-backoff' },
    h('option', { value: 'fixed', selected: r.backoff !== 'exponential' }, 'fixed'),
    h('option', { value: 'exponential', selected: r.backoff === 'exponential' }, 'exponential'));
  const el = h('fieldset', { class: 'group', 'data-field': 'options.retry' },
    h('legend', null, 'Retry failed async runs'),
    field('Attempts (the first included; empty = no retry)', attempts, { name: 'options.retry.attempts' }),
    field('Backoff', backoff, { name: 'options.retry.backoff' }),
    field('Delay (ms)', delay, { name: 'options.retry.delay', hint: 'empty: 1000' }),
    field('Longest delay (ms)', maxDelay, { name: 'options.retry.maxDelay' }),
    field('Jitter (0 to 1)', jitter, { name: 'options.retry.jitter' }));
  return {
    el,
    read: () => {
      if (attempts.value === '') return null;
      const p = { attempts: Number(attempts.value), backoff: backoff.value };
      if (delay.value !== '') p.delay = Number(delay.value);
      if (maxDelay.value !== '') p.maxDelay = Number(maxDelay.value);
      if (jitter.value !== '') p.jitter = Number(jitter.value);
      return p;
    },
  };
}

async function newVersion(w) {
  const r = await api('POST', 'workflows:revision', { query: { filterByTk: w.id, filter: { key: w.key } }, body: {} });
  const v = r.json.data;
  announce(`Version #${v.id} of ${w.key} created; enable it to make it current.`);
  location.hash = `#/workflows/${encodeURIComponent(v.id)}`;
}

async function deleteWorkflow(w) {
  const all = await api('GET', 'workflows:list', { query: { paginate: 'false', filter: { key: w.key } } });
  const versions = Array.isArray(all.json.data) ? all.json.data.length : 1;
  const lines = [w.current
    ? `Delete “${w.title || w.key}” (${w.key}) and all its ${versions} version${versions === 1 ? '' : 's'} with their nodes?`
    : `Delete version #${w.id} of “${w.title || w.key}” with its nodes? The other versions stay.`,
  'Its executions and their jobs stay in the history. Calls naming the key stop matching.'];
  if (!(await confirmAction('Delete workflow', lines, 'Delete workflow'))) return;
  await api('POST', `workflows:destroy/${encodeURIComponent(w.id)}`);
  announce(`Workflow ${w.key} deleted.`);
  location.hash = '#/workflows';
}

/** The buttons above a workflow's facts; `reload()` redraws the page after a change. */
export function workflowActions(w, collections, reload) {
  const enabled = h('input', { type: 'checkbox', role: 'switch', class: 'switch', id: 'wf-enabled', checked: !!w.enabled, 'aria-label': `Enabled: ${w.title || w.key}` });
  const state = h('span', { class: 'switch-state', 'aria-hidden': 'true' }, w.enabled ? 'On' : 'Off');
  enabled.addEventListener('change', async () => {
    enabled.disabled = true;
    try {
      await api('POST', `workflows:update/${encodeURIComponent(w.id)}`, { body: { enabled: enabled.checked } });
      announce(`Workflow ${w.key} ${enabled.checked ? 'enabled' : 'disabled'}.`);
      reload();
    } catch (e) {
      enabled.checked = !enabled.checked;
      enabled.disabled = false;
      announce(`Could not change workflow ${w.key}: ${e.message}`);
    }
  });
  const edit = h('button', { type: 'button', class: 'btn', id: 'wf-edit' }, 'Edit');
  edit.addEventListener('click', () => editDialog(w, collections, reload));
  const revision = h('button', { type: 'button', class: 'btn', id: 'wf-revision' }, 'New version');
  revision.addEventListener('click', () => newVersion(w).catch((e) => announce(`No new version: ${e.message}`)));
  const del = h('button', { type: 'button', class: 'btn btn-danger-quiet', id: 'wf-delete' }, 'Delete');
  del.addEventListener('click', () => deleteWorkflow(w).catch((e) => announce(`Not deleted: ${e.message}`)));
  return h('div', { class: 'toolbar workflow-actions' },
    h('label', { class: 'switch-label', for: 'wf-enabled' }, enabled, state), edit, revision, del);
}

/** The notice on a version that has run: frozen, with the way out. */
export function frozenNotice(w) {
  const b = h('button', { type: 'button', class: 'btn btn-primary', id: 'wf-frozen-revision' }, 'New version to edit');
  b.addEventListener('click', () => newVersion(w).catch((e) => announce(`No new version: ${e.message}`)));
  return h('div', { class: 'alert alert-warn frozen', id: 'frozen-notice' },
    h('p', null, `This version has run ${w.executed} time${w.executed === 1 ? '' : 's'}: its trigger settings and nodes are frozen. `,
      'Make a new version to change them; enabling it replaces this one.'), b);
}

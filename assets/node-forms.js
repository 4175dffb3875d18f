// Nodes on the drawing: the form of each node type (its config as in workflows.md §8 and
// triggers-and-nodes.md §7–§11), the variables in scope at a place in the chain, and the dialogs that
// add, edit, move and delete nodes through nodes:create, flow_nodes:update and flow_nodes:destroy.

import { h, announce, NODE_LABELS, DELAY_UNITS } from './dom.js';
import { api } from './api.js';
import { configForm, jsonConfigForm, fieldsOf } from './config-form.js';
import { field, select, formAlert, showErrors, clearErrors, openDialog, confirmAction, nextId } from './forms.js';

const ENGINES = [['math.js', 'math.js'], ['formula.js', 'formula.js'], ['string', 'string (text template)']];
const END_STATUS = [[1, 'succeed (RESOLVED)'], [-1, 'fail (FAILED)']];
const COLLECTION = { key: 'collection', label: 'Collection', kind: 'collection', redraw: true };
const isBasic = (c) => !c.engine || c.engine === 'basic';

/** Each node type's form; a type missing here is edited as one JSON config. */
export const NODE_SPECS = {
  condition: [
    { key: 'engine', label: 'Engine', kind: 'select', def: 'basic', redraw: true,
      options: [['basic', 'basic rules'], ['math.js', 'math.js expression'], ['formula.js', 'formula.js expression']] },
    { key: 'calculation', label: 'Rules', kind: 'rules', when: isBasic },
    { key: 'expression', label: 'Expression', kind: 'textarea', when: (c) => !isBasic(c), hint: 'True or false; {{…}} values are bound, never pasted.' },
    { key: 'rejectOnFalse', label: 'Fail the execution when false', kind: 'switch',
      hint: 'Off: the “if true” (1) or “if false” (0) branch runs, then the chain goes on.' },
  ],
  'multi-conditions': [
    { key: 'conditions', label: 'Conditions', kind: 'conditions', hint: 'In order; the first that holds runs its branch, none: branch 0.' },
    { key: 'continueOnNoMatch', label: 'Continue when nothing matches', kind: 'switch' },
  ],
  calculation: [
    { key: 'engine', label: 'Engine', kind: 'select', options: ENGINES, def: 'math.js' },
    { key: 'expression', label: 'Expression', kind: 'textarea' },
  ],
  query: [
    COLLECTION,
    { key: 'multiple', label: 'All matching records (an array)', kind: 'switch' },
    { key: 'params.filter', label: 'Filter', kind: 'filter' },
    { key: 'params.sort', label: 'Sort', kind: 'sort' },
    { key: 'params.pageSize', label: 'Page size', kind: 'number', placeholder: '20' },
    { key: 'params.appends', label: 'Appends', kind: 'list', placeholder: 'category, tags' },
    { key: 'failOnEmpty', label: 'Fail when nothing is found', kind: 'switch' },
  ],
  create: [COLLECTION, { key: 'params.values', label: 'Values', kind: 'values' }, { key: 'params.appends', label: 'Appends', kind: 'list' }],
  update: [COLLECTION, { key: 'params.filter', label: 'Filter', kind: 'filter', hint: 'An empty filter updates every record.' },
    { key: 'params.values', label: 'Values', kind: 'values' }],
  destroy: [COLLECTION, { key: 'params.filter', label: 'Filter', kind: 'filter', hint: 'An empty filter deletes nothing.' }],
  end: [{ key: 'endStatus', label: 'End the execution and', kind: 'select', options: END_STATUS, def: 1 }],
  'response-message': [{ key: 'message', label: 'Message', kind: 'textarea', hint: 'Added to the messages of a sync HTTP trigger’s answer.' }],
  output: [{ key: 'value', label: 'Output value', kind: 'textarea', hint: 'Becomes the execution’s output.' }],
  variable: [
    { key: 'target', label: 'Set the result of', kind: 'nodeKey' },
    { key: 'value', label: 'Value', kind: 'textarea' },
  ],
  loop: [
    { key: 'target', label: 'Loop over', kind: 'template', hint: 'A number n (0…n−1), an array, or one value.' },
    { key: 'exit', label: 'When an item’s branch fails', kind: 'select', def: 0, options: [[0, 'fail the loop'], [1, 'stop the loop (break)'], [2, 'go on with the next item']] },
    { key: 'condition', label: 'Condition', kind: 'loopCondition' },
  ],
  parallel: [{ key: 'mode', label: 'Mode', kind: 'select', def: 'all', options: [['all', 'all must succeed'], ['any', 'any succeeds'], ['race', 'the first to finish'], ['allSettled', 'run all, then go on']] }],
  request: [
    { key: 'method', label: 'Method', kind: 'select', def: 'POST', options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => [m, m]) },
    { key: 'url', label: 'URL', kind: 'template', placeholder: 'an absolute URL; {{…}} allowed' },
    { key: 'contentType', label: 'Content type', kind: 'select', def: 'application/json', options: [['application/json', 'application/json'], ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded']] },
    { key: 'headers', label: 'Headers', kind: 'pairs', what: 'Header', addLabel: 'Add header' },
    { key: 'params', label: 'Query parameters', kind: 'pairs', what: 'Parameter', addLabel: 'Add parameter' },
    { key: 'data', label: 'Body', kind: 'textarea', parseJson: true, hint: 'JSON (with {{…}} inside strings) or text.' },
    { key: 'timeout', label: 'Timeout (ms)', kind: 'number', placeholder: '5000' },
    { key: 'ignoreFail', label: 'Go on when the request fails', kind: 'switch' },
    { key: 'onlyData', label: 'Result is the response body only', kind: 'switch' },
  ],
  delay: [
    { key: 'duration', label: 'Duration', kind: 'template', typed: 'integer', placeholder: '1' },
    { key: 'unit', label: 'Unit', kind: 'select', def: 1000, options: Object.entries(DELAY_UNITS).map(([ms, n]) => [Number(ms), n]) },
    { key: 'endStatus', label: 'When due', kind: 'select', def: 1, options: [[1, 'go on'], [-1, 'fail']] },
  ],
  aggregate: [
    { key: 'aggregator', label: 'Aggregate', kind: 'select', def: 'count', options: ['count', 'sum', 'avg', 'min', 'max'].map((a) => [a, a]) },
    COLLECTION,
    { key: 'params.field', label: 'Field', kind: 'field' },
    { key: 'params.filter', label: 'Filter', kind: 'filter' },
    { key: 'precision', label: 'Decimals', kind: 'number', placeholder: '2', step: '1' },
  ],
  sql: [
    { key: 'sql', label: 'SQL', kind: 'textarea', rows: 4, hint: 'One statement; :name placeholders are bound to the variables below.' },
    { key: 'variables', label: 'Variables', kind: 'pairs', what: 'Variable', addLabel: 'Add variable', pairs: { nameLabel: 'Name (:name)' } },
    { key: 'unsafeInjection', label: 'Paste {{…}} values into the SQL text (unsafe)', kind: 'switch' },
    { key: 'withMeta', label: 'Result with metadata', kind: 'switch' },
  ],
  'json-query': [
    { key: 'engine', label: 'Engine', kind: 'select', def: 'jmespath', options: [['jmespath', 'JMESPath'], ['jsonpathplus', 'JSONPath'], ['jsonata', 'JSONata']] },
    { key: 'source', label: 'Source', kind: 'template', placeholder: '{{$context.data}}' },
    { key: 'expression', label: 'Expression', kind: 'template' },
    { key: 'model', label: 'Model (optional)', kind: 'pairs', what: 'Model entry', addLabel: 'Add path', noScope: true,
      hint: 'Each result object becomes {alias: value at path}; no alias: the path with _ for dots.',
      pairs: { nameKey: 'path', valueKey: 'alias', nameLabel: 'Path', valueLabel: 'Alias', parseValue: (v) => (v.trim() ? v.trim() : undefined) } },
  ],
  'json-variable-mapping': [
    { key: 'dataSource', label: 'Data', kind: 'textarea', parseJson: true, placeholder: '{{$context.data}}' },
    { key: 'variables', label: 'Variables', kind: 'pairs', what: 'Variable', addLabel: 'Add variable', noScope: true,
      hint: 'A name and the path to read, segments joined by dots (list.0.x).',
      pairs: { nameKey: 'key', valueKey: 'paths', nameLabel: 'Name', valueLabel: 'Path', parseValue: (v) => v.split('.').filter((x) => x !== ''),
        showValue: (v) => (Array.isArray(v) ? v.join('.') : v) } },
    { key: 'parseArray', label: 'Parse arrays', kind: 'switch' },
  ],
  dateCalculation: [
    { key: 'input', label: 'Input', kind: 'template', placeholder: 'empty: now' },
    { key: 'inputType', label: 'Input type', kind: 'select', def: 'date', options: [['date', 'date'], ['number', 'number']] },
    { key: 'steps', label: 'Steps', kind: 'steps', hint: 'Applied in order, each to the result of the one before.' },
  ],
  // NocoBase's JavaScript node: its type name is `script`.
  script: [
    { key: 'content', label: 'Code', kind: 'textarea', rows: 6, hint: 'The body of an async function; return the result.' },
    { key: 'arguments', label: 'Arguments', kind: 'pairs', what: 'Argument', addLabel: 'Add argument' },
    { key: 'timeout', label: 'Timeout (ms)', kind: 'number', hint: 'empty: 5000 ms, the most flowgate allows' },
    { key: 'continue', label: 'Continue when it fails', kind: 'switch' },
  ],
};

/** The types offered when adding a node, in NocoBase's menu order. */
export const NODE_TYPES = ['condition', 'multi-conditions', 'calculation', 'query', 'create', 'update', 'destroy',
  'end', 'response-message', 'output', 'variable', 'loop', 'parallel', 'request', 'delay', 'aggregate', 'sql',
  'json-query', 'json-variable-mapping', 'dateCalculation', 'script'];

// ---------------------------------------------------------------------------------------------
// Variables in scope

const nil = (v) => v === null || v === undefined;

function recordVars(prefix, fields, group) {
  return fields.filter((f) => !['hasMany', 'belongsToMany', 'hasOne'].includes(f.type))
    .map((f) => ({ path: `${prefix}.${f.name}`, label: `${prefix}.${f.name}`, group }));
}

/** What `$context` holds for the workflow's trigger (triggers-and-nodes.md §1.4). */
function contextVars(w, collections) {
  const cfg = w.config || {};
  const g = 'Trigger ($context)';
  const fields = cfg.collection ? fieldsOf(collections, cfg.collection) : [];
  const data = fields.length ? [{ path: '$context.data', label: '$context.data (the record)', group: g }, ...recordVars('$context.data', fields, g)]
    : [{ path: '$context.data', label: '$context.data', group: g }];
  const user = [{ path: '$context.user.id', label: '$context.user.id', group: g }, { path: '$context.user.nickname', label: '$context.user.nickname', group: g },
    { path: '$context.roleName', label: '$context.roleName', group: g }];
  switch (w.type) {
    case 'collection': return data;
    case 'schedule': return [{ path: '$context.date', label: '$context.date (the scheduled time)', group: g }, ...(Number(cfg.mode) === 1 ? data : [])];
    case 'request-interception':
      return [{ path: '$context.params.values', label: '$context.params.values (the body)', group: g },
        ...recordVars('$context.params.values', fields, g),
        { path: '$context.params.filterByTk', label: '$context.params.filterByTk', group: g },
        { path: '$context.params.filter', label: '$context.params.filter', group: g }, ...user];
    default: return [...data, ...user];
  }
}

/** Variables a node placed at `at` ({upstreamId, branchIndex}) may use: $context, earlier results, loops. */
export function scopeAt(w, nodes, collections, at) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const earlier = [];
  let cur = at;
  for (let guard = 0; cur && !nil(cur.upstreamId) && guard < 1000; guard += 1) {
    const n = byId.get(cur.upstreamId);
    if (!n) break;
    const inBranch = !nil(cur.branchIndex);
    const title = n.title || NODE_LABELS[n.type] || n.type;
    if (inBranch && n.type === 'loop') {
      const g = `Loop “${title}” ($scopes)`;
      for (const k of ['item', 'index', 'sequence', 'length']) earlier.push({ path: `$scopes.${n.key}.${k}`, label: `$scopes.${n.key}.${k}`, group: g });
    } else {
      const g = `Earlier nodes ($jobsMapByNodeKey)`;
      earlier.push({ path: `$jobsMapByNodeKey.${n.key}`, label: `${title}: result (${n.key})`, group: g });
      const c = n.config || {};
      if (['query', 'create'].includes(n.type) && !c.multiple && c.collection) {
        for (const f of fieldsOf(collections, c.collection).filter((x) => !['hasMany', 'belongsToMany', 'hasOne'].includes(x.type))) {
          earlier.push({ path: `$jobsMapByNodeKey.${n.key}.${f.name}`, label: `${title}: ${f.name}`, group: g });
        }
      }
    }
    cur = { upstreamId: n.upstreamId, branchIndex: n.branchIndex };
  }
  return [...contextVars(w, collections), ...earlier,
    { path: '$system.now', label: '$system.now (current time)', group: 'System' }];
}

// ---------------------------------------------------------------------------------------------
// Dialogs

function specFor(type, nodes) {
  return NODE_SPECS[type].map((item) => (item.kind === 'nodeKey'
    ? Object.assign({}, item, { kind: 'select', options: [[null, '— this node only —'], ...nodes.map((n) => [n.key, `${n.title || n.type} (${n.key})`])] })
    : item));
}

/** The config form of a node type; a type without a spec edits the whole config as JSON. */
function nodeConfigForm(type, config, env) {
  if (!NODE_SPECS[type]) return jsonConfigForm(config, env);
  return configForm(specFor(type, env.nodes), config, env);
}

/**
 * Adds a node at `at` ({upstreamId, branchIndex, label}) or edits `node`; `done()` after a save.
 * env: {w, nodes, collections}.
 */
export function nodeDialog(env, opts) {
  const { w, nodes, collections } = env;
  const node = opts.node || null;
  const at = node ? { upstreamId: node.upstreamId, branchIndex: node.branchIndex } : opts.at;
  const scope = scopeAt(w, nodes, collections, at);
  const formEnv = { collections, scope, nodes: nodes.filter((n) => !node || n.id !== node.id) };
  let type = node ? node.type : opts.type || 'condition';
  const typeSel = select(NODE_TYPES.map((t) => [t, `${NODE_LABELS[t] || t} (${t})`]), type, { id: 'node-type' });
  const title = h('input', { type: 'text', id: 'node-title', autocomplete: 'off', value: node ? node.title || '' : '' });
  const key = h('input', { type: 'text', id: 'node-key', autocomplete: 'off', placeholder: 'empty: 11 random characters', spellcheck: 'false' });
  const slot = h('div', { class: 'node-config-slot' });
  let cf = nodeConfigForm(type, node ? node.config : {}, formEnv);
  slot.appendChild(cf);
  typeSel.addEventListener('change', () => {
    type = typeSel.read();
    cf = nodeConfigForm(type, {}, formEnv);
    slot.replaceChildren(cf);
  });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'node-save' }, node ? 'Save node' : 'Add node');
  const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
  const form = h('form', { class: 'node-form', id: 'node-form', novalidate: true },
    formAlert(),
    opts.at && opts.at.label ? h('p', { class: 'muted' }, opts.at.label) : null,
    node ? h('p', { class: 'muted' }, `${NODE_LABELS[node.type] || node.type} · key `, h('code', null, String(node.key))) : field('Type', typeSel, { name: 'type' }),
    field('Title', title, { name: 'title' }),
    node ? null : field('Key', key, { name: 'key', hint: 'Templates name a node by its key: {{$jobsMapByNodeKey.<key>}}.' }),
    slot,
    h('div', { class: 'actions' }, save, cancel));
  const d = openDialog(node ? `Edit node: ${node.title || node.key}` : 'Add a node', form, { wide: true, id: 'node-dialog' });
  cancel.addEventListener('click', d.close);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    let config;
    try { config = cf.read(); } catch (e) { showErrors(form, e); return; }
    save.disabled = true;
    try {
      if (node) {
        await api('POST', `flow_nodes:update/${encodeURIComponent(node.id)}`, { body: { title: title.value, config } });
        announce(`Node ${node.key} saved.`);
      } else {
        const body = { type, title: title.value || NODE_LABELS[type] || type, config, upstreamId: nil(at.upstreamId) ? null : at.upstreamId };
        if (!nil(at.branchIndex)) body.branchIndex = at.branchIndex;
        if (key.value.trim()) body.key = key.value.trim();
        const r = await api('POST', `workflows/${encodeURIComponent(w.id)}/nodes:create`, { body });
        announce(`Node ${r.json.data.key} added.`);
      }
      d.close();
      opts.done();
    } catch (e) {
      save.disabled = false;
      showErrors(form, e, { NODE_TYPE_REQUIRED: 'type', NODE_TYPE_NOT_REGISTERED: 'type', KEY_EXISTS: 'key', INVALID_KEY: 'key' });
    }
  });
  if (node) title.focus(); else typeSel.focus();
}

/** Asks how to delete a node: with its branches, or keeping one of them in its place (keepBranch). */
export function deleteNodeDialog(node, branches, done) {
  const name = `delete-${node.id}`;
  const choices = [[null, 'Delete the node and everything in its branches']];
  for (const b of branches) if (b.count) choices.push([b.index, `Keep ${b.label} (${b.count} node${b.count === 1 ? '' : 's'}) in its place`]);
  const radios = choices.map(([v, label], i) => {
    const id = nextId('keep');
    const r = h('input', { type: 'radio', name, id, value: v === null ? '' : String(v), checked: i === 0 });
    return h('div', { class: 'radio' }, r, h('label', { for: id }, label));
  });
  const yes = h('button', { type: 'submit', class: 'btn btn-danger', id: 'node-delete-yes' }, 'Delete node');
  const no = h('button', { type: 'button', class: 'btn' }, 'Cancel');
  const form = h('form', { class: 'confirm' }, formAlert(),
    h('p', null, `Delete the ${NODE_LABELS[node.type] || node.type} node “${node.title || node.key}”? Its upstream is linked to its downstream.`),
    choices.length > 1 ? h('fieldset', { class: 'group' }, h('legend', null, 'Its branches'), radios) : null,
    h('div', { class: 'actions' }, yes, no));
  const d = openDialog('Delete node', form, { focusButton: true, id: 'node-delete-dialog' });
  no.addEventListener('click', d.close);
  no.focus();
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const picked = form.querySelector(`input[name="${name}"]:checked`);
    const keep = picked && picked.value !== '' ? picked.value : null;
    try {
      await api('POST', `flow_nodes:destroy/${encodeURIComponent(node.id)}`, { query: keep === null ? {} : { keepBranch: keep } });
      announce(`Node ${node.key} deleted.`);
      d.close();
      done();
    } catch (e) {
      showErrors(form, e);
    }
  });
}

/**
 * Moves a node (with its branches, keeping its id) one place up or down its chain with flow_nodes:move:
 * up takes the previous node's place (which then follows it), down goes right after the next node.
 */
export async function moveNode(node, dir, chainNodes) {
  const i = chainNodes.findIndex((n) => n.id === node.id);
  let values;
  if (dir < 0) {
    const prev = chainNodes[i - 1];
    values = { upstreamId: nil(prev.upstreamId) ? null : prev.upstreamId, branchIndex: nil(prev.branchIndex) ? null : prev.branchIndex };
  } else {
    values = { upstreamId: chainNodes[i + 1].id };
  }
  await api('POST', `flow_nodes:move/${encodeURIComponent(node.id)}`, { body: values });
  announce(`Node ${node.key} moved ${dir < 0 ? 'up' : 'down'}.`);
}

/** A copy of the node (type, title, config; not its branches) right after it, with flow_nodes:duplicate. */
export async function duplicateNode(node) {
  const res = await api('POST', `flow_nodes:duplicate/${encodeURIComponent(node.id)}`, { body: { upstreamId: node.id } });
  const copy = res.json && res.json.data;
  announce(`Node ${node.key} duplicated as ${copy && copy.key ? copy.key : 'a new node'}.`);
}

/** Asks, then deletes one branch of a node with everything in it (flow_nodes:destroyBranch). */
export async function deleteBranch(node, branch) {
  const name = node.title || node.key;
  const yes = await confirmAction('Delete branch',
    [`Delete ${branch.label} of “${name}” and the ${branch.count} node${branch.count === 1 ? '' : 's'} in it?`], 'Delete branch');
  if (!yes) return false;
  await api('POST', `flow_nodes:destroyBranch/${encodeURIComponent(node.id)}`, { query: { branchIndex: String(branch.index) } });
  announce(`${branch.label} of ${node.key} deleted.`);
  return true;
}

/** The drawing's edit hooks (see drawing.js nodeChain): add buttons in every gap, buttons on every node. */
export function drawingEditor(env, reload) {
  const fail = (what) => (e) => announce(`${what}: ${e.message}`);
  return {
    add: (at, label) => {
      const b = h('button', {
        type: 'button', class: 'btn btn-small add-node', 'aria-label': `Add a node ${label}`,
        'data-upstream': nil(at.upstreamId) ? 'none' : String(at.upstreamId),
        'data-branch': nil(at.branchIndex) ? 'none' : String(at.branchIndex),
      }, '+ node');
      b.addEventListener('click', () => nodeDialog(env, { at: Object.assign({}, at, { label: `New node ${label}.` }), done: reload }));
      return b;
    },
    actions: (n, place) => {
      const name = n.title || n.key;
      const button = (cls, text, label, onClick, enabled) => {
        const b = h('button', { type: 'button', class: `btn btn-small ${cls}`, 'aria-label': `${label} ${name}`, disabled: !enabled }, text);
        b.addEventListener('click', onClick);
        return b;
      };
      return h('div', { class: 'node-actions' },
        button('node-edit', 'Edit', 'Edit', () => nodeDialog(env, { node: n, done: reload }), true),
        button('node-up', '↑', 'Move up:', () => moveNode(n, -1, place.chain).then(reload, fail('Not moved')), place.canUp),
        button('node-down', '↓', 'Move down:', () => moveNode(n, 1, place.chain).then(reload, fail('Not moved')), place.canDown),
        button('node-duplicate', 'Duplicate', 'Duplicate', () => duplicateNode(n).then(reload, fail('Not duplicated')), true),
        button('node-delete', 'Delete', 'Delete', () => deleteNodeDialog(n, place.branches, reload), true));
    },
    branchActions: (n, branch) => {
      const b = h('button', { type: 'button', class: 'btn btn-small branch-delete', 'aria-label': `Delete ${branch.label} of ${n.title || n.key}` }, 'Delete branch');
      b.addEventListener('click', () => deleteBranch(n, branch).then((done) => { if (done) reload(); }, fail('Branch not deleted')));
      return b;
    },
  };
}

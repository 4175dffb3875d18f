// The workflow drawing: the trigger and the chain of nodes with their branches, each node's card and
// the one-line summaries of trigger and node configs.

import { h, kv, kvRow, short, EXECUTION_STATUS, NODE_LABELS, OPERATORS, DELAY_UNITS, CONTEXT_TYPES } from './dom.js';

/** The trigger type's name on the page; a type this page does not know shows as stored. */
export function triggerLabel(type) {
  return { 'custom-action': 'Custom action', collection: 'Collection event' }[type] || String(type || '');
}

/** A collection trigger's mode bitmask as the events it fires on (1 create, 2 update, 4 destroy). */
export function dataEvents(mode) {
  const m = Number(mode);
  const names = [[1, 'create'], [2, 'update'], [4, 'destroy']].filter(([bit]) => m & bit).map(([, n]) => n);
  return names.length ? names.join(', ') : 'none';
}

/** A custom action's context type; other trigger types have none of their own ('—'). */
export function contextType(w) {
  if (w.type && w.type !== 'custom-action') return '—';
  const t = w.config && w.config.type !== undefined && w.config.type !== null ? Number(w.config.type) : 0;
  return CONTEXT_TYPES[t] || `type ${t}`;
}

// Nodes: the main chain from the head, each node's branches beside it (workflows.md §3.2).
const nil = (v) => v === null || v === undefined;

/** A schedule's repeat: a cron text or a number of milliseconds. */
function fmtRepeat(r) {
  if (nil(r) || r === '') return 'once';
  if (typeof r === 'number' || /^\d+$/.test(String(r))) {
    const ms = Number(r);
    return `every ${ms % 86400000 === 0 ? `${ms / 86400000} d` : ms % 3600000 === 0 ? `${ms / 3600000} h` : ms % 60000 === 0 ? `${ms / 60000} min` : ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`}`;
  }
  return `cron ${r}`;
}

function fmtFieldTime(t) {
  if (!t || typeof t !== 'object') return short(t);
  const off = Number(t.offset || 0);
  const unit = DELAY_UNITS[t.unit || 86400000] || `× ${t.unit} ms`;
  return `${t.field}${off ? ` ${off > 0 ? '+' : '−'} ${Math.abs(off)} ${unit}` : ''}`;
}

/** The trigger's settings as [label, text] rows, for every trigger type (issue 14 point 4). */
export function triggerSummary(w) {
  const c = w.config || {};
  const out = [];
  const add = (k, v) => { if (!nil(v) && v !== '') out.push([k, typeof v === 'string' ? v : JSON.stringify(v)]); };
  switch (w.type) {
    case 'collection':
      add('events', dataEvents(c.mode));
      add('collection', c.collection);
      if (Array.isArray(c.changed) && c.changed.length) add('changed', c.changed.join(', '));
      if (c.condition && Object.keys(c.condition).length) add('condition', c.condition);
      if (c.rollbackOnFailure) add('rollbackOnFailure', 'true');
      break;
    case 'schedule':
      if (Number(c.mode) === 1) {
        add('when', `${c.collection || '?'}.${fmtFieldTime(c.startsOn)}`);
      } else {
        add('starts', c.startsOn || 'never (no start time)');
      }
      add('repeat', fmtRepeat(c.repeat));
      if (c.endsOn) add('ends', typeof c.endsOn === 'object' ? fmtFieldTime(c.endsOn) : c.endsOn);
      if (!nil(c.limit)) add('limit', `${c.limit} runs`);
      break;
    case 'request-interception':
    case 'action':
      add('collection', c.collection);
      add('actions', c.global ? `global: ${(Array.isArray(c.actions) ? c.actions : []).join(', ') || 'none'}`
        : 'local: only requests naming the key in triggerWorkflows');
      add('runs', w.type === 'request-interception' ? 'before the action, inside the request' : 'after the action');
      break;
    default:
      add('context', contextType(w));
      add('collection', c.collection);
  }
  if (Array.isArray(c.appends) && c.appends.length) add('appends', c.appends.join(', '));
  if (w.type === 'collection' || w.type === 'action' || w.type === 'custom-action' || !w.type) {
    add('mode', w.sync ? 'sync, inside the request' : 'async, queued');
  }
  return out;
}

/** The branches a node may have: condition 1 and 0, multi-conditions 1…n and 0, loop 0, parallel ≥ 0. */
function possibleBranches(n, existing) {
  const c = n.config || {};
  switch (n.type) {
    case 'condition': return [1, 0];
    case 'multi-conditions': return [...(Array.isArray(c.conditions) ? c.conditions.map((_, i) => i + 1) : []), 0];
    case 'loop': return [0];
    case 'parallel': {
      const have = [...new Set(existing.map((b) => b.branchIndex))].sort((a, b) => a - b);
      return [...have, have.length ? have[have.length - 1] + 1 : 0];
    }
    default: return [...new Set(existing.map((b) => b.branchIndex))];
  }
}

/**
 * Nodes: the main chain from the head, each node's branches beside it (workflows.md §3.2). With `edit`
 * ({add(at), actions(node, place), branchActions(node, branch)}) every gap gets an add button, every
 * branch is drawn (empty ones too, a non-empty one with its buttons) and every node its buttons.
 */
export function nodeChain(w, nodes, edit) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const seen = new Set();
  const trigger = h('li', { class: 'chain-item' },
    h('div', { class: 'node node-trigger', id: 'trigger-node' },
      h('div', { class: 'node-head' }, h('span', { class: 'node-type' }, 'trigger'), h('span', { class: 'node-title' }, triggerLabel(w.type))),
      h('dl', { class: 'node-config' }, triggerSummary(w).map(([k, v]) => kvRow(k, v)))));

  const nextOf = (n) => {
    if (!nil(n.downstreamId)) return byId.get(n.downstreamId) || null;
    return nodes.find((x) => x.upstreamId === n.id && nil(x.branchIndex)) || null;
  };
  const branchesOf = (n) => nodes
    .filter((x) => x.upstreamId === n.id && !nil(x.branchIndex))
    .sort((a, b) => (n.type === 'condition' ? b.branchIndex - a.branchIndex : a.branchIndex - b.branchIndex) || a.id - b.id);
  const countChain = (start) => {
    let k = 0;
    const walk = (s) => { for (let n = s; n; n = nextOf(n)) { k += 1; branchesOf(n).forEach(walk); } };
    walk(start);
    return k;
  };
  const addItem = (at, label) => h('li', { class: 'chain-add' }, edit.add(at, label));

  const chain = (start, withTrigger, branchAt) => {
    const ol = h('ol', { class: 'chain' });
    if (withTrigger) ol.appendChild(trigger);
    if (edit) ol.appendChild(addItem(branchAt || { upstreamId: null, branchIndex: null }, branchAt ? branchAt.label : 'after the trigger'));
    const inChain = [];
    for (let n = start; n && !seen.has(n.id); n = nextOf(n)) { seen.add(n.id); inChain.push(n); }
    inChain.forEach((n, i) => {
      const card = nodeCard(n);
      const existing = branchesOf(n);
      const li = h('li', { class: 'chain-item' }, card);
      const indexes = edit ? possibleBranches(n, existing) : [...new Set(existing.map((b) => b.branchIndex))];
      if (n.type === 'condition' && !edit) indexes.sort((a, b) => b - a);
      const branchInfo = [];
      if (indexes.length) {
        const wrap = h('div', { class: 'branches', role: 'group', 'aria-label': `Branches of ${n.title || n.key || n.type}` });
        for (const bi of indexes) {
          const bhead = existing.find((b) => b.branchIndex === bi && !seen.has(b.id)) || null;
          const label = branchLabel(n, bi);
          branchInfo.push({ index: bi, label, count: bhead ? countChain(bhead) : 0 });
          if (!bhead && !edit) continue;
          const count = bhead ? countChain(bhead) : 0;
          wrap.appendChild(h('section', { class: 'branch', 'data-branch-of': String(n.key), 'data-branch-index': String(bi) },
            h('h3', { class: 'branch-label' }, label),
            edit && count ? edit.branchActions(n, { index: bi, label, count }) : null,
            chain(bhead, false, { upstreamId: n.id, branchIndex: bi, label: `at the head of “${label}” of ${n.title || n.key}` })));
        }
        li.appendChild(wrap);
      }
      if (edit) {
        // flow_nodes:move takes a node with its branches, so every node but a chain's ends moves.
        card.appendChild(edit.actions(n, { chain: inChain, canUp: i > 0, canDown: i < inChain.length - 1, branches: branchInfo }));
      }
      ol.appendChild(li);
      if (edit) ol.appendChild(addItem({ upstreamId: n.id, branchIndex: null }, `after “${n.title || n.key}”`));
    });
    ol.appendChild(h('li', { class: 'chain-end', 'aria-label': withTrigger ? 'End of the workflow' : 'End of the branch' }, withTrigger ? 'end' : 'back to the main chain'));
    return ol;
  };

  const head = nodes.find((n) => nil(n.upstreamId) && nil(n.branchIndex)) || null;
  const wrap = h('div', { class: 'chain-wrap', id: 'node-chain' }, chain(head, true));
  if (!nodes.length) wrap.appendChild(h('p', { class: 'muted' }, 'No nodes: an execution resolves at once.'));
  const orphans = nodes.filter((n) => !seen.has(n.id));
  if (orphans.length) {
    wrap.appendChild(h('h3', null, 'Unlinked nodes'));
    const ol = h('ul', { class: 'chain orphans' });
    for (const n of orphans) ol.appendChild(h('li', { class: 'chain-item' }, nodeCard(n)));
    wrap.appendChild(ol);
  }
  return wrap;
}

export function branchLabel(n, i) {
  const c = n.config || {};
  switch (n.type) {
    case 'condition': return i === 1 ? 'if true (branch 1)' : i === 0 ? 'if false (branch 0)' : `branch ${i}`;
    case 'multi-conditions': {
      if (i === 0) return 'otherwise (branch 0)';
      const cond = Array.isArray(c.conditions) ? c.conditions[i - 1] : null;
      return `${cond && cond.title ? cond.title : `condition ${i}`} (branch ${i})`;
    }
    case 'loop': return 'each item (branch 0)';
    case 'parallel': return `branch ${i}`;
    default: return `branch ${i}`;
  }
}

export function fmtOperand(v) {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function fmtBasic(c) {
  if (!c || typeof c !== 'object') return 'true';
  if (c.group) {
    const g = c.group;
    const parts = (g.calculations || []).map(fmtBasic);
    if (!parts.length) return g.type === 'or' ? 'false' : 'true';
    return parts.length === 1 ? parts[0] : `(${parts.join(g.type === 'or' ? ' or ' : ' and ')})`;
  }
  if (c.calculator) {
    const ops = Array.isArray(c.operands) ? c.operands : [];
    return `${fmtOperand(ops[0])} ${OPERATORS[c.calculator] || c.calculator} ${fmtOperand(ops[1])}`;
  }
  return 'true';
}

export function fmtRule(c) {
  if (c.engine && c.engine !== 'basic') return `${c.expression === undefined ? '' : short(c.expression)}  [${c.engine}]`;
  return fmtBasic(c.calculation);
}

export function nodeSummary(n) {
  const c = n.config || {};
  const out = [];
  const add = (k, v) => { if (v !== undefined && v !== null && v !== '') out.push([k, typeof v === 'string' ? v : JSON.stringify(v)]); };
  switch (n.type) {
    case 'condition':
      add('rule', fmtRule(c));
      add('rejectOnFalse', String(!!c.rejectOnFalse));
      break;
    case 'multi-conditions':
      (Array.isArray(c.conditions) ? c.conditions : []).forEach((x, i) => add(x.title || `condition ${i + 1}`, fmtRule(x)));
      add('continueOnNoMatch', String(!!c.continueOnNoMatch));
      break;
    case 'calculation':
      add('expression', short(c.expression));
      add('engine', c.engine || 'math.js');
      break;
    case 'query':
      add('collection', c.collection);
      if (c.multiple) add('multiple', 'true');
      if (c.params) { add('filter', c.params.filter); add('sort', c.params.sort); add('appends', c.params.appends); }
      if (c.failOnEmpty) add('failOnEmpty', 'true');
      break;
    case 'create':
      add('collection', c.collection);
      if (c.params) add('values', c.params.values);
      break;
    case 'update':
      add('collection', c.collection);
      if (c.params) { add('filter', c.params.filter); add('values', c.params.values); }
      break;
    case 'destroy':
      add('collection', c.collection);
      if (c.params) add('filter', c.params.filter);
      break;
    case 'end':
      add('endStatus', `${c.endStatus === undefined ? 1 : c.endStatus} (${EXECUTION_STATUS.get(c.endStatus === undefined ? 1 : Number(c.endStatus)) || '?'})`);
      break;
    case 'response-message':
      add('message', short(c.message));
      break;
    case 'output':
      add('value', short(c.value));
      break;
    case 'variable':
      add('target', c.target);
      add('value', short(c.value));
      break;
    case 'loop':
      add('target', short(c.target));
      if (c.condition) add('condition', `${fmtRule(c.condition)} (checkpoint ${c.condition.checkpoint || 0})`);
      add('exit', ['fail', 'break', 'continue'][c.exit || 0]);
      break;
    case 'parallel':
      add('mode', c.mode || 'all');
      break;
    case 'request':
      add('request', `${c.method || 'POST'} ${short(c.url)}`);
      if (c.data !== undefined) add('data', c.data);
      if (c.ignoreFail) add('ignoreFail', 'true');
      break;
    case 'aggregate': {
      const p = c.params || {};
      const a = c.association || {};
      add('aggregate', `${c.aggregator || '?'}(${p.field || '?'})`);
      add('collection', c.associated ? `${a.associatedCollection}.${a.name} of ${short(a.associatedKey)}` : c.collection);
      add('filter', p.filter);
      add('precision', c.precision === undefined ? 2 : c.precision);
      break;
    }
    case 'sql':
      add('sql', short(c.sql));
      if (Array.isArray(c.variables) && c.variables.length) add('variables', c.variables.map((v) => `:${v.name}`).join(', '));
      if (c.unsafeInjection) add('unsafeInjection', 'true (templates bound as values)');
      break;
    case 'json-query':
      add('engine', c.engine || 'jmespath');
      add('source', short(c.source));
      add('expression', short(c.expression));
      if (Array.isArray(c.model) && c.model.length) add('model', c.model.map((m) => m.alias || m.path).join(', '));
      break;
    case 'json-variable-mapping':
      add('dataSource', short(c.dataSource));
      add('variables', (Array.isArray(c.variables) ? c.variables : []).map((v) => v.key).join(', '));
      break;
    case 'dateCalculation':
      add('input', c.input === undefined ? 'now' : short(c.input));
      if (c.inputType) add('inputType', c.inputType);
      add('steps', (Array.isArray(c.steps) ? c.steps : []).map((x) => x.function).join(' → '));
      break;
    case 'delay': {
      const unit = c.unit || 1000;
      add('duration', `${short(c.duration === undefined ? 1 : c.duration)} ${DELAY_UNITS[unit] || `× ${unit} ms`}`);
      add('endStatus', c.endStatus);
      break;
    }
    default:
      for (const [k, v] of Object.entries(c).slice(0, 5)) add(k, v);
  }
  return out;
}

export function nodeCard(n) {
  const dl = h('dl', { class: 'node-config' }, kvRow('key', String(n.key || '')));
  for (const [k, v] of nodeSummary(n)) dl.appendChild(kvRow(k, v));
  return h('div', { class: `node node-${String(n.type || 'unknown').replace(/[^a-z0-9-]/gi, '')}`, 'data-node-key': String(n.key || ''), 'data-node-id': String(n.id) },
    h('div', { class: 'node-head' },
      h('span', { class: 'node-type', title: String(n.type || '?'), 'data-node-type': String(n.type || '') }, NODE_LABELS[n.type] || String(n.type || '?')),
      h('span', { class: 'node-title' }, n.title || n.key || `node ${n.id}`),
      h('span', { class: 'node-id muted' }, `#${n.id}`)),
    dl);
}

// Forms built from a declarative spec. Trigger and node configs are lists of entries
// {key, label, kind, options?, hint?, when?(cfg), redraw?}; the form shows one control per entry whose
// `when` holds and reads them back into a copy of the stored config, so keys the page does not know
// are kept as they were.

import { h, clear, OPERATORS } from './dom.js';
import {
  field, switchField, select, templateInput, filterEditor, valuesEditor, pairsEditor, jsonEditor, typedValue,
  rowsEditor, nextId,
} from './forms.js';

export function getPath(obj, path) {
  let v = obj;
  for (const k of path.split('.')) {
    if (v === null || v === undefined || typeof v !== 'object') return undefined;
    v = v[k];
  }
  return v;
}

/** Sets a dotted path, creating objects on the way; undefined deletes the key. */
export function setPath(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== 'object' || Array.isArray(o[k])) {
      if (value === undefined) return;
      o[k] = {};
    }
    o = o[k];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
}

/** The fields of a collection a form may name (system ones included: filters use id and dates). */
export function fieldsOf(collections, name) {
  const bare = typeof name === 'string' && name.startsWith('main:') ? name.slice(5) : name;
  const c = (collections || []).find((x) => x.name === bare);
  return c && Array.isArray(c.fields) ? c.fields : [];
}

/** The config form: `spec` entries over `config`; env {collections, scope, nodes}. read() → config. */
export function configForm(spec, config, env) {
  const cfg = JSON.parse(JSON.stringify(config || {}));
  const el = h('div', { class: 'config-form' });
  let readers = [];
  const collect = () => {
    for (const [item, read] of readers) setPath(cfg, item.key, read());
  };
  const draw = (focusKey) => {
    clear(el);
    readers = [];
    for (const item of spec) {
      if (item.when && !item.when(cfg, env)) continue;
      const c = control(item, getPath(cfg, item.key), env, cfg);
      readers.push([item, c.read]);
      el.appendChild(c.el);
      if (item.redraw) {
        c.el.addEventListener('change', () => {
          try { collect(); } catch (e) { return; }
          draw(item.key);
        });
      }
    }
    if (focusKey) {
      const f = el.querySelector(`[data-field="${CSS.escape(focusKey)}"] input, [data-field="${CSS.escape(focusKey)}"] select`);
      if (f) f.focus();
    }
  };
  draw();
  el.read = () => { collect(); return cfg; };
  return el;
}

/** The whole config as one JSON box, for a type this page has no form for. */
export function jsonConfigForm(config, env) {
  const f = configForm([{ key: 'config', label: 'Config (JSON)', kind: 'json', rows: 8 }], { config }, env);
  const read = f.read;
  f.read = () => read().config || {};
  return f;
}

function textRead(input) {
  return () => (input.value.trim() === '' ? undefined : input.value);
}

/** One entry's control: { el, read }. */
function control(item, value, env, cfg) {
  const scope = env.scope || [];
  const opts = { name: item.key, hint: item.hint, wide: item.wide };
  switch (item.kind) {
    case 'switch': {
      const sw = switchField(item.label, value === undefined ? !!item.def : !!value, { name: item.key, hint: item.hint });
      return { el: sw, read: () => sw.input.checked };
    }
    case 'select': {
      const sel = select(item.options, value === undefined ? item.def : value);
      return { el: field(item.label, sel, opts), read: () => sel.read() };
    }
    case 'number': {
      const input = h('input', { type: 'number', step: item.step || 'any', value: value === undefined || value === null ? '' : String(value) });
      if (item.placeholder) input.placeholder = item.placeholder;
      return { el: field(item.label, input, opts), read: () => (input.value === '' ? undefined : Number(input.value)) };
    }
    case 'text': {
      const input = h('input', { type: 'text', autocomplete: 'off', value: value === undefined || value === null ? '' : String(value) });
      if (item.placeholder) input.placeholder = item.placeholder;
      const read = textRead(input);
      return { el: field(item.label, input, opts), read: item.typed ? () => typedValue(read(), item.typed) : read };
    }
    case 'template':
    case 'textarea': {
      const t = templateInput(value, { scope, label: item.label, multiline: item.kind === 'textarea', rows: item.rows, placeholder: item.placeholder });
      const read = () => {
        const v = t.input.value;
        if (v === '') return undefined;
        if (item.typed) return typedValue(v, item.typed);
        if (item.parseJson && /^\s*[[{]/.test(v)) {
          try { return JSON.parse(v); } catch (e) { return v; }
        }
        return v;
      };
      return { el: field(item.label, t, opts), read };
    }
    case 'collection': {
      const names = (env.collections || []).map((c) => [c.name, c.title && c.title !== c.name ? `${c.title} (${c.name})` : c.name]);
      const cur = typeof value === 'string' && value.startsWith('main:') ? value.slice(5) : value;
      const options = [['', '— choose a collection —'], ...names];
      if (cur && !names.some(([n]) => n === cur)) options.push([value, `${value} (not found)`]);
      const sel = select(options, cur === undefined ? '' : names.some(([n]) => n === cur) ? cur : value);
      return { el: field(item.label, sel, opts), read: () => sel.read() || undefined };
    }
    case 'field': {
      const fields = fieldsOf(env.collections, getPath(cfg, item.of || 'collection'))
        .filter((f) => !item.types || item.types.includes(f.type));
      const options = [['', '— choose a field —'], ...fields.map((f) => [f.name, `${f.name} (${f.type})`])];
      if (value && !fields.some((f) => f.name === value)) options.push([value, value]);
      const sel = select(options, value === undefined ? '' : value);
      return { el: field(item.label, sel, opts), read: () => sel.read() || undefined };
    }
    case 'list': {
      const input = h('input', { type: 'text', autocomplete: 'off', value: Array.isArray(value) ? value.join(', ') : value ? String(value) : '' });
      if (item.placeholder) input.placeholder = item.placeholder;
      return {
        el: field(item.label, input, opts),
        read: () => {
          const parts = input.value.split(',').map((s) => s.trim()).filter(Boolean);
          return parts.length ? parts : undefined;
        },
      };
    }
    case 'checks': {
      const have = Array.isArray(value) ? value : [];
      const boxes = item.options.map(([v, label]) => {
        const id = nextId('chk');
        const box = h('input', { type: 'checkbox', id, checked: have.includes(v), value: String(v) });
        return [v, box, h('label', { class: 'checkbox', for: id }, box, ` ${label}`)];
      });
      const group = h('fieldset', { class: 'checks', 'data-field': item.key },
        h('legend', null, item.label), boxes.map((b) => b[2]),
        item.hint ? h('p', { class: 'hint' }, item.hint) : null, h('p', { class: 'field-error', hidden: true }));
      return {
        el: group,
        read: () => {
          const out = boxes.filter((b) => b[1].checked).map((b) => b[0]);
          return out.length || value !== undefined ? out : undefined;
        },
      };
    }
    case 'datetime': {
      const input = h('input', { type: 'datetime-local', step: '1' });
      if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) input.value = value.slice(0, 19);
      return {
        el: field(item.label, input, Object.assign({}, opts, { hint: item.hint || 'UTC.' })),
        read: () => (input.value ? `${input.value.length === 16 ? `${input.value}:00` : input.value}.000Z` : undefined),
      };
    }
    case 'filter': {
      const ed = filterEditor(value, fieldsOf(env.collections, getPath(cfg, item.of || 'collection')), { scope: item.noScope ? null : scope, label: item.label });
      return { el: group(item, ed), read: () => ed.read() };
    }
    case 'values': {
      const fields = fieldsOf(env.collections, getPath(cfg, item.of || 'collection')).filter((f) => !f.system && !['hasMany', 'belongsToMany', 'hasOne'].includes(f.type));
      const ed = valuesEditor(value, fields, { scope });
      return { el: group(item, ed), read: () => ed.read() };
    }
    case 'pairs': {
      const ed = pairsEditor(value, Object.assign({ scope: item.noScope ? null : scope }, item.pairs || {}, { what: item.what, addLabel: item.addLabel }));
      return { el: group(item, ed), read: () => { const v = ed.read(); return v.length || value !== undefined ? v : undefined; } };
    }
    case 'sort': {
      const fields = fieldsOf(env.collections, getPath(cfg, item.of || 'collection'));
      const names = fields.map((f) => [f.name, f.name]);
      const ed = rowsEditor(Array.isArray(value) ? value : [], (r, i) => {
        const f = r && r.field ? r.field : names.length ? names[0][0] : '';
        const fieldSel = select(names.some(([n]) => n === f) ? names : [[f, f], ...names], f, { 'aria-label': `Sort field ${i + 1}` });
        const dir = select([['asc', 'ascending'], ['desc', 'descending']], r && r.direction === 'desc' ? 'desc' : 'asc', { 'aria-label': `Direction of sort field ${i + 1}` });
        return { cells: [fieldSel, dir], read: () => (fieldSel.read() ? { field: fieldSel.read(), direction: dir.read() } : undefined) };
      }, { addLabel: 'Add sort field', what: 'Sort field' });
      return { el: group(item, ed), read: () => { const v = ed.read(); return v.length ? v : undefined; } };
    }
    case 'steps': {
      const ed = stepsEditor(value, scope);
      return { el: group(item, ed), read: () => ed.read() };
    }
    case 'loopCondition': {
      const ed = loopConditionEditor(value, scope);
      return { el: group(item, ed), read: () => ed.read() };
    }
    case 'conditions': {
      const ed = conditionsEditor(value, scope);
      return { el: group(item, ed), read: () => ed.read() };
    }
    case 'rules': {
      const ed = rulesEditor(value, scope);
      return { el: group(item, ed), read: () => ed.read() };
    }
    case 'json':
    default: {
      const ed = jsonEditor(value, { label: item.label, rows: item.rows });
      return { el: field(item.label, ed, opts), read: () => ed.read() };
    }
  }
}

/** A fieldset around an editor of rows, with the error line showErrors fills. */
function group(item, editor) {
  return h('fieldset', { class: 'group', 'data-field': item.key },
    h('legend', null, item.label), item.hint ? h('p', { class: 'hint' }, item.hint) : null, editor,
    h('p', { class: 'field-error', hidden: true }));
}

/** The basic engine's calculation (workflows.md §7) as rows; a nested one is edited as JSON. */
function calculationRows(c) {
  if (c === undefined || c === null) return { type: 'and', rows: [] };
  if (c.calculator) return { type: 'and', rows: [c] };
  if (c.group && Array.isArray(c.group.calculations) && c.group.calculations.every((x) => x && x.calculator)) {
    return { type: c.group.type === 'or' ? 'or' : 'and', rows: c.group.calculations };
  }
  return null;
}

export function rulesEditor(calculation, scope) {
  const parsed = calculationRows(calculation);
  if (!parsed) return jsonEditor(calculation, { label: 'Calculation (JSON)', hint: 'Nested groups are edited as JSON.' });
  const typeSel = select([['and', 'all of these hold (and)'], ['or', 'any of these holds (or)']], parsed.type, { 'aria-label': 'How the rules combine' });
  const calculators = Object.entries(OPERATORS);
  const ed = rowsEditor(parsed.rows, (r, i) => {
    const ops = r && Array.isArray(r.operands) ? r.operands : ['', ''];
    const left = templateInput(ops[0], { scope, label: `left side of rule ${i + 1}` });
    left.input.setAttribute('aria-label', `Left side of rule ${i + 1}`);
    left.input.classList.add('rule-left');
    const calc = select(calculators.map(([k, sym]) => [k, sym]), r ? r.calculator : 'equal', { 'aria-label': `Comparison of rule ${i + 1}`, class: 'rule-calculator' });
    const right = templateInput(ops[1], { scope, label: `right side of rule ${i + 1}` });
    right.input.setAttribute('aria-label', `Right side of rule ${i + 1}`);
    right.input.classList.add('rule-right');
    return {
      cells: [left, calc, right],
      read: () => ({ calculator: calc.read(), operands: [typedValue(left.input.value, 'auto'), typedValue(right.input.value, 'auto')] }),
    };
  }, { addLabel: 'Add rule', what: 'Rule' });
  const el = h('div', { class: 'rules-editor' }, h('div', { class: 'field' }, typeSel), ed);
  el.read = () => ({ group: { type: typeSel.read(), calculations: ed.read() } });
  return el;
}

/**
 * multi-conditions' list: each condition a title and basic rules (branch i + 1 runs for the first that
 * holds). A list holding an expression engine is edited as JSON.
 */
function conditionsEditor(conditions, scope) {
  const list = Array.isArray(conditions) ? conditions : [];
  if (list.some((c) => c && c.engine && c.engine !== 'basic')) {
    return jsonEditor(conditions, { label: 'Conditions (JSON)', hint: 'Conditions with an expression engine are edited as JSON.' });
  }
  const ed = rowsEditor(list, (c, i) => {
    const title = h('input', { type: 'text', autocomplete: 'off', value: c && c.title ? c.title : '', 'aria-label': `Title of condition ${i + 1}`, class: 'condition-title' });
    const rules = rulesEditor(c ? c.calculation : undefined, scope);
    const uid = c && c.uid ? c.uid : Math.random().toString(36).slice(2, 13);
    return {
      cells: [h('div', { class: 'condition-item' }, h('p', { class: 'small muted' }, `Branch ${i + 1}`), title, rules)],
      read: () => Object.assign({}, c || {}, { uid, title: title.value, engine: 'basic', calculation: rules.read() }),
    };
  }, { addLabel: 'Add condition', what: 'Condition' });
  return ed;
}

/** dateCalculation's functions and the arguments each takes (triggers-and-nodes.md §11). */
const DATE_FUNCTIONS = {
  add: ['number', 'unit'], subtract: ['number', 'unit'], diff: ['date', 'unit', 'isAbs', 'round'], get: ['unit'],
  startOfTime: ['unit'], endOfTime: ['unit'], isLeapYear: [], format: ['format'],
  transDuration: ['unitBefore', 'unitAfter', 'round'], toTimestamp: ['unit'], tsToDate: ['unit'], changeTimezone: ['timezone'],
};
const DATE_UNITS = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond'];

/** One control per argument of a date step; read() → the value or undefined. */
function stepArgument(name, value, scope, n) {
  const aria = `${name} of step ${n}`;
  if (name === 'isAbs') {
    const box = h('input', { type: 'checkbox', checked: !!value, id: nextId('abs') });
    return { el: h('label', { class: 'checkbox', for: box.id }, box, ' absolute'), read: () => box.checked };
  }
  if (name === 'round') {
    const sel = select([[null, 'no rounding'], [-1, 'floor'], [0, 'round'], [1, 'ceil']], value === undefined ? null : value, { 'aria-label': aria });
    return { el: sel, read: () => (sel.read() === null ? undefined : sel.read()) };
  }
  if (['unit', 'unitBefore', 'unitAfter'].includes(name)) {
    const sel = select(DATE_UNITS.map((u) => [u, u]), value || 'day', { 'aria-label': aria });
    return { el: sel, read: () => sel.read() };
  }
  const t = templateInput(value, { scope, label: aria, placeholder: name });
  t.input.setAttribute('aria-label', aria);
  return { el: t, read: () => (t.input.value === '' ? undefined : name === 'number' ? typedValue(t.input.value, 'double') : t.input.value) };
}

/** dateCalculation steps as rows: a function and its arguments, applied in order. */
function stepsEditor(steps, scope) {
  return rowsEditor(Array.isArray(steps) ? steps : [], (st, i) => {
    const fn = select(Object.keys(DATE_FUNCTIONS).map((f) => [f, f]), st && st.function ? st.function : 'add', { 'aria-label': `Function of step ${i + 1}`, class: 'step-function' });
    const args = h('div', { class: 'step-args' });
    let readers = [];
    const draw = (given) => {
      args.replaceChildren();
      readers = (DATE_FUNCTIONS[fn.read()] || []).map((name) => {
        const c = stepArgument(name, given ? given[name] : undefined, scope, i + 1);
        // A visible name above each argument; the control keeps its own accessible name.
        args.appendChild(name === 'isAbs' ? c.el : h('div', { class: 'step-arg' }, h('span', { class: 'step-arg-name', 'aria-hidden': 'true' }, name), c.el));
        return [name, c.read];
      });
    };
    draw(st ? st.arguments : undefined);
    fn.addEventListener('change', () => draw(undefined));
    return {
      cells: [fn, args],
      read: () => {
        const a = {};
        for (const [name, read] of readers) { const v = read(); if (v !== undefined) a[name] = v; }
        return { function: fn.read(), arguments: a };
      },
    };
  }, { addLabel: 'Add step', what: 'Step' });
}

/** A loop's condition: off (false), or rules checked before or after each item. */
function loopConditionEditor(condition, scope) {
  const c = condition && typeof condition === 'object' ? condition : null;
  if (c && c.engine && c.engine !== 'basic') return jsonEditor(condition, { label: 'Condition (JSON)', hint: 'A condition with an expression engine is edited as JSON.' });
  const on = switchField('Check a condition for each item', !!c);
  const checkpoint = select([[0, 'before each item'], [1, 'after each item']], c ? Number(c.checkpoint || 0) : 0, { 'aria-label': 'When the condition is checked' });
  const cont = switchField('When false, skip to the next item (else stop the loop)', !!(c && c.continueOnFalse));
  const rules = rulesEditor(c ? c.calculation : undefined, scope);
  const body = h('div', { class: 'loop-condition' }, h('div', { class: 'field' }, checkpoint), cont, rules);
  const sync = () => { body.hidden = !on.input.checked; };
  on.input.addEventListener('change', sync);
  sync();
  const el = h('div', null, on, body);
  el.read = () => (on.input.checked
    ? Object.assign({}, c || {}, { checkpoint: checkpoint.read(), continueOnFalse: cont.input.checked, engine: 'basic', calculation: rules.read() })
    : false);
  return el;
}

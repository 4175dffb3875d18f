// Form widgets the authoring pages share: labelled fields with an error line, the server's errors put
// next to the field they concern, a modal dialog and a confirmation, rows editors (filters, values,
// name/value pairs) and the {{…}} variable picker.

import { h, clear, announce } from './dom.js';

let lastId = 0;

/** A fresh element id: forms are built many times on one page. */
export function nextId(prefix) {
  lastId += 1;
  return `${prefix}-${lastId}`;
}

/** A labelled control with an optional hint and an error line; `name` is the field the server names. */
export function field(label, control, opts) {
  const o = opts || {};
  const input = control.matches && control.matches('input, select, textarea') ? control : control.querySelector('input, select, textarea');
  if (input && !input.id) input.id = nextId('f');
  const id = input ? input.id : nextId('f');
  const hint = o.hint ? h('p', { class: 'hint', id: `${id}-hint` }, o.hint) : null;
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  if (input) input.setAttribute('aria-describedby', [hint ? hint.id : null, err.id].filter(Boolean).join(' '));
  return h('div', { class: `field${o.wide ? ' field-wide' : ''}`, 'data-field': o.name || '' },
    h('label', { for: id }, label), control, hint, err);
}

/** A switch (a checkbox with role=switch) with its label beside it. */
export function switchField(label, checked, opts) {
  const o = opts || {};
  const input = h('input', { type: 'checkbox', role: 'switch', class: 'switch', checked: !!checked, id: o.id || nextId('sw') });
  const err = h('p', { class: 'field-error', id: `${input.id}-error`, hidden: true });
  input.setAttribute('aria-describedby', err.id);
  const wrap = h('div', { class: 'field field-switch', 'data-field': o.name || '' },
    h('label', { class: 'switch-label', for: input.id }, input, h('span', null, label)),
    o.hint ? h('p', { class: 'hint' }, o.hint) : null, err);
  wrap.input = input;
  return wrap;
}

/** A <select> of [value, label] pairs; values keep their JSON type through `data-json`. */
export function select(options, value, attrs) {
  const el = h('select', attrs || null);
  for (const [v, label] of options) {
    const o = h('option', { value: JSON.stringify(v) }, label);
    el.appendChild(o);
  }
  el.value = JSON.stringify(value === undefined ? options.length ? options[0][0] : '' : value);
  if (el.selectedIndex < 0 && options.length) el.selectedIndex = 0;
  el.read = () => (el.value === '' ? undefined : JSON.parse(el.value));
  return el;
}

/** Clears the error lines and the form's alert. */
export function clearErrors(form) {
  for (const e of form.querySelectorAll('.field-error')) { e.hidden = true; e.textContent = ''; }
  for (const e of form.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
  const alert = form.querySelector('.form-alert');
  if (alert) { alert.hidden = true; alert.textContent = ''; }
}

/**
 * Puts each error of an API answer next to its field: the entry's `field`, or the field its code points
 * to (`byCode`, e.g. INVALID_IDENTIFIER → name); the rest goes to the form's alert. Focuses the first.
 */
export function showErrors(form, err, byCode) {
  clearErrors(form);
  if (!form.dataset.errorsClear) {
    // A field's error goes away once the person changes that field.
    form.dataset.errorsClear = 'true';
    const settle = (ev) => {
      const wrap = ev.target.closest && ev.target.closest('[data-field]');
      const line = wrap && wrap.querySelector('.field-error');
      if (line && !line.hidden) { line.hidden = true; line.textContent = ''; ev.target.removeAttribute('aria-invalid'); }
    };
    form.addEventListener('input', settle);
    form.addEventListener('change', settle);
  }
  const entries = err && err.body && Array.isArray(err.body.errors) && err.body.errors.length
    ? err.body.errors : [{ message: err && err.message ? err.message : String(err) }];
  const loose = [];
  let first = null;
  for (const e of entries) {
    const name = e.field || (byCode && e.code ? byCode[e.code] : null);
    const wrap = name ? form.querySelector(`[data-field="${CSS.escape(String(name))}"]`) : null;
    const line = wrap ? wrap.querySelector('.field-error') : null;
    if (!line) { loose.push(e); continue; }
    line.textContent = line.textContent ? `${line.textContent} ${e.message}` : e.message;
    line.hidden = false;
    const input = wrap.querySelector('input, select, textarea');
    if (input) { input.setAttribute('aria-invalid', 'true'); if (!first) first = input; }
  }
  let alert = form.querySelector('.form-alert');
  if (loose.length) {
    if (!alert) { alert = h('div', { class: 'alert form-alert', role: 'alert' }); form.prepend(alert); }
    alert.textContent = loose.map((e) => (e.code ? `${e.message} (${e.code})` : e.message)).join(' ');
    alert.hidden = false;
    if (!first) { alert.setAttribute('tabindex', '-1'); first = alert; }
  }
  announce(`Not saved: ${entries.map((e) => e.message).join(' ')}`);
  if (first) first.focus();
}

/** An empty alert slot at the top of a form, filled by showErrors. */
export function formAlert() {
  return h('div', { class: 'alert form-alert', role: 'alert', hidden: true });
}

// ---------------------------------------------------------------------------------------------
// Dialogs

/**
 * A modal <dialog> (focus kept inside, Escape closes) with a title, a body and buttons; focus returns to
 * the control that opened it. Returns { dialog, close }.
 */
export function openDialog(title, body, opts) {
  const o = opts || {};
  const titleId = nextId('dlg-h');
  const closeBtn = h('button', { type: 'button', class: 'btn btn-quiet btn-small dialog-close', 'aria-label': `Close: ${title}` }, '×');
  const dialog = h('dialog', { class: `dialog${o.wide ? ' dialog-wide' : ''}`, 'aria-labelledby': titleId, id: o.id || null },
    h('div', { class: 'dialog-head' }, h('h2', { id: titleId }, title), closeBtn),
    body);
  const opener = document.activeElement;
  const close = () => {
    if (dialog.open) dialog.close();
  };
  closeBtn.addEventListener('click', close);
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (o.onClose) o.onClose();
    if (opener && opener.isConnected && opener.focus) opener.focus();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  const firstInput = dialog.querySelector('input:not([type=hidden]), select, textarea');
  if (firstInput && !o.focusButton) firstInput.focus();
  return { dialog, close };
}

/** Asks before something that cannot be undone; resolves true when the person confirms. */
export function confirmAction(title, lines, confirmLabel) {
  return new Promise((resolve) => {
    let answer = false;
    const yes = h('button', { type: 'button', class: 'btn btn-danger', id: 'confirm-yes' }, confirmLabel || 'Delete');
    const no = h('button', { type: 'button', class: 'btn', id: 'confirm-no' }, 'Cancel');
    const body = h('div', { class: 'confirm' },
      (Array.isArray(lines) ? lines : [lines]).map((l) => (l instanceof Node ? l : h('p', null, l))),
      h('div', { class: 'actions' }, yes, no));
    const d = openDialog(title, body, { onClose: () => resolve(answer), focusButton: true, id: 'confirm-dialog' });
    yes.addEventListener('click', () => { answer = true; d.close(); });
    no.addEventListener('click', () => d.close());
    no.focus();
  });
}

// ---------------------------------------------------------------------------------------------
// The {{…}} variable picker

/**
 * A text input (or textarea) for a template with a picker beside it listing the variables in scope
 * (`scope`: [{path, label}]); picking one inserts `{{path}}` at the caret.
 */
export function templateInput(value, opts) {
  const o = opts || {};
  const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  const input = o.multiline
    ? h('textarea', { rows: String(o.rows || 3), spellcheck: 'false', id: o.id || nextId('t') })
    : h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', id: o.id || nextId('t') });
  input.value = text;
  if (o.placeholder) input.placeholder = o.placeholder;
  const scope = o.scope || [];
  const wrap = h('div', { class: 'template-input' }, input);
  if (scope.length) {
    const picker = h('select', { class: 'var-picker', 'aria-label': `Insert a variable into ${o.label || 'this field'}` },
      h('option', { value: '' }, '+ {{…}}'));
    let group = null;
    let groupName = null;
    for (const v of scope) {
      if (v.group !== groupName) {
        groupName = v.group;
        group = h('optgroup', { label: v.group || 'Variables' });
        picker.appendChild(group);
      }
      group.appendChild(h('option', { value: v.path }, v.label || v.path));
    }
    picker.addEventListener('change', () => {
      if (!picker.value) return;
      insertAtCaret(input, `{{${picker.value}}}`);
      picker.value = '';
      input.focus();
    });
    wrap.appendChild(picker);
  }
  wrap.input = input;
  return wrap;
}

function insertAtCaret(input, text) {
  const start = input.selectionStart === null ? input.value.length : input.selectionStart;
  const end = input.selectionEnd === null ? start : input.selectionEnd;
  input.value = input.value.slice(0, start) + text + input.value.slice(end);
  const at = start + text.length;
  input.setSelectionRange(at, at);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

// ---------------------------------------------------------------------------------------------
// Rows editors

/**
 * Rows of controls with Add and Remove buttons. `makeRow(value)` returns { cells: [element…], read() };
 * `read()` of the editor gives the rows' values in order, skipping the ones a row reads as undefined.
 */
export function rowsEditor(values, makeRow, opts) {
  const o = opts || {};
  const list = h('div', { class: 'rows' });
  const rows = [];
  const add = (v) => {
    const row = makeRow(v, rows.length);
    const n = rows.length + 1;
    const remove = h('button', { type: 'button', class: 'btn btn-small btn-quiet row-remove', 'aria-label': `Remove ${o.what || 'row'} ${n}` }, 'Remove');
    const el = h('div', { class: 'row', role: 'group', 'aria-label': `${o.what || 'Row'} ${n}` }, row.cells, remove);
    row.el = el;
    remove.addEventListener('click', () => {
      rows.splice(rows.indexOf(row), 1);
      el.remove();
      if (o.onChange) o.onChange();
    });
    rows.push(row);
    list.appendChild(el);
    return row;
  };
  for (const v of values || []) add(v);
  const addBtn = h('button', { type: 'button', class: 'btn btn-small row-add' }, o.addLabel || 'Add');
  addBtn.addEventListener('click', () => {
    const row = add(undefined);
    const first = row.el.querySelector('input, select, textarea');
    if (first) first.focus();
    if (o.onChange) o.onChange();
  });
  const el = h('div', { class: 'rows-editor' }, list, addBtn);
  el.read = () => rows.map((r) => r.read()).filter((v) => v !== undefined);
  el.addRow = add;
  return el;
}

/** The filter operators of collections.md §9 a form offers, with the words shown for them. */
export const FILTER_OPS = [
  ['$eq', 'is'], ['$ne', 'is not'], ['$includes', 'contains'], ['$notIncludes', 'does not contain'],
  ['$startsWith', 'starts with'], ['$endWith', 'ends with'], ['$gt', '>'], ['$gte', '≥'], ['$lt', '<'],
  ['$lte', '≤'], ['$in', 'is one of (a, b)'], ['$notIn', 'is none of (a, b)'], ['$empty', 'is empty'],
  ['$notEmpty', 'is not empty'], ['$isTruly', 'is true'], ['$isFalsy', 'is false'], ['$dateOn', 'is on (day)'],
  ['$dateBefore', 'is before (day)'], ['$dateAfter', 'is after (day)'], ['$exists', 'has a linked record'],
  ['$notExists', 'has no linked record'],
];
const NO_VALUE_OPS = ['$empty', '$notEmpty', '$isTruly', '$isFalsy', '$exists', '$notExists'];
const LIST_OPS = ['$in', '$notIn'];
const NUMERIC = ['integer', 'bigInt', 'float', 'double'];

/** A typed value from a text box: numbers for numeric fields, booleans for boolean ones; templates stay text. */
export function typedValue(text, type) {
  if (typeof text !== 'string') return text;
  if (text.includes('{{')) return text;
  const auto = type === 'auto'; // a rule's operand: a number or boolean written as text is one
  if ((auto || NUMERIC.includes(type)) && text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  if ((auto || type === 'boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** Splits a filter into [field, operator, value] rows; null when it has a shape rows cannot show. */
export function filterRows(filter) {
  if (filter === undefined || filter === null || (typeof filter === 'object' && !Object.keys(filter).length)) return [];
  if (typeof filter !== 'object' || Array.isArray(filter)) return null;
  const parts = Object.keys(filter).length === 1 && Array.isArray(filter.$and) ? filter.$and : [filter];
  const out = [];
  for (const p of parts) {
    if (!p || typeof p !== 'object' || Array.isArray(p)) return null;
    for (const [f, cond] of Object.entries(p)) {
      if (f.startsWith('$')) return null;
      if (cond !== null && typeof cond === 'object' && !Array.isArray(cond)) {
        for (const [op, v] of Object.entries(cond)) {
          if (!FILTER_OPS.some(([o]) => o === op)) return null;
          out.push([f, op, v]);
        }
      } else {
        out.push([f, '$eq', cond]);
      }
    }
  }
  return out;
}

/**
 * A filter built from rows of field, operator and value (all rows must hold); a filter these rows cannot
 * show is edited as JSON instead. `fields`: [{name, type}]. read() → the filter, or undefined if empty.
 */
export function filterEditor(filter, fields, opts) {
  const o = opts || {};
  const rows = filterRows(filter);
  if (rows === null) return jsonEditor(filter, { label: o.label || 'Filter (JSON)', hint: 'This filter has a shape the rows cannot show.' });
  const typeOf = (name) => (fields.find((f) => f.name === name) || {}).type;
  const fieldOptions = fields.map((f) => [f.name, f.title && f.title !== f.name ? `${f.title} (${f.name})` : f.name]);
  const ed = rowsEditor(rows, (r, i) => {
    const [f, op, v] = r || [fields.length ? fields[0].name : '', '$eq', ''];
    const fieldSel = fieldOptions.length ? select(fieldOptions.some(([n]) => n === f) ? fieldOptions : [[f, f], ...fieldOptions], f, { 'aria-label': `Field of condition ${i + 1}`, class: 'filter-field' })
      : h('input', { type: 'text', value: f, 'aria-label': `Field of condition ${i + 1}`, class: 'filter-field' });
    const opSel = select(FILTER_OPS, op, { 'aria-label': `Operator of condition ${i + 1}`, class: 'filter-op' });
    const text = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
    const value = o.scope ? templateInput(text, { scope: o.scope, label: `value of condition ${i + 1}` }) : h('input', { type: 'text', value: text });
    const valueInput = value.input || value;
    valueInput.setAttribute('aria-label', `Value of condition ${i + 1}`);
    valueInput.classList.add('filter-value');
    const sync = () => { value.hidden = NO_VALUE_OPS.includes(opSel.read()); };
    opSel.addEventListener('change', sync);
    sync();
    return {
      cells: [fieldSel, opSel, value],
      read: () => {
        const name = fieldSel.read ? fieldSel.read() : fieldSel.value.trim();
        if (!name) return undefined;
        const oper = opSel.read();
        let val;
        if (NO_VALUE_OPS.includes(oper)) val = true;
        else if (LIST_OPS.includes(oper)) val = valueInput.value.split(',').map((s) => typedValue(s.trim(), typeOf(name))).filter((s) => s !== '');
        else val = typedValue(valueInput.value, typeOf(name));
        return { [name]: { [oper]: val } };
      },
    };
  }, { addLabel: o.addLabel || 'Add condition', what: 'Condition' });
  const read = ed.read;
  ed.read = () => {
    const parts = read();
    return parts.length ? { $and: parts } : undefined;
  };
  ed.classList.add('filter-editor');
  return ed;
}

/** Rows of field and value for a record's values (the create and update nodes). read() → an object. */
export function valuesEditor(values, fields, opts) {
  const o = opts || {};
  const entries = values && typeof values === 'object' && !Array.isArray(values) ? Object.entries(values) : [];
  const typeOf = (name) => (fields.find((f) => f.name === name) || {}).type;
  const names = fields.map((f) => [f.name, f.name]);
  const ed = rowsEditor(entries, (r, i) => {
    const [f, v] = r || [fields.length ? fields[0].name : '', ''];
    const fieldSel = names.length ? select(names.some(([n]) => n === f) ? names : [[f, f], ...names], f, { 'aria-label': `Field of value ${i + 1}` })
      : h('input', { type: 'text', value: f, 'aria-label': `Field of value ${i + 1}` });
    const value = templateInput(v, { scope: o.scope, label: `value ${i + 1}` });
    value.input.setAttribute('aria-label', `Value ${i + 1}`);
    return {
      cells: [fieldSel, value],
      read: () => {
        const name = fieldSel.read ? fieldSel.read() : fieldSel.value.trim();
        return name ? [name, typedValue(value.input.value, typeOf(name))] : undefined;
      },
    };
  }, { addLabel: 'Add value', what: 'Value' });
  const read = ed.read;
  ed.read = () => Object.fromEntries(read());
  return ed;
}

/** Rows of name and value: request headers and params, sql variables, javascript arguments. */
export function pairsEditor(pairs, opts) {
  const o = opts || {};
  const nameKey = o.nameKey || 'name';
  const valueKey = o.valueKey || 'value';
  const ed = rowsEditor(Array.isArray(pairs) ? pairs : [], (p, i) => {
    const name = h('input', { type: 'text', value: p ? String(p[nameKey] === undefined ? '' : p[nameKey]) : '', 'aria-label': `${o.nameLabel || 'Name'} ${i + 1}`, autocomplete: 'off' });
    const shown = p ? (o.showValue ? o.showValue(p[valueKey]) : p[valueKey]) : '';
    const value = templateInput(shown, { scope: o.scope, label: `${o.valueLabel || 'value'} ${i + 1}` });
    value.input.setAttribute('aria-label', `${o.valueLabel || 'Value'} ${i + 1}`);
    return {
      cells: [name, value],
      read: () => {
        if (!name.value.trim()) return undefined;
        const v = o.parseValue ? o.parseValue(value.input.value) : value.input.value;
        return Object.assign({}, p || {}, { [nameKey]: name.value.trim() }, v === undefined ? {} : { [valueKey]: v });
      },
    };
  }, { addLabel: o.addLabel || 'Add', what: o.what || 'Pair' });
  return ed;
}

/** A JSON textarea; read() throws a message naming the field when the text is not JSON. */
export function jsonEditor(value, opts) {
  const o = opts || {};
  const ta = h('textarea', { rows: String(o.rows || 4), spellcheck: 'false', class: 'json-input', 'aria-label': o.label || 'JSON' });
  ta.value = value === undefined ? '' : JSON.stringify(value, null, 2);
  const wrap = h('div', { class: 'json-editor' }, ta, o.hint ? h('p', { class: 'hint' }, o.hint) : null);
  wrap.read = () => {
    const t = ta.value.trim();
    if (!t) return undefined;
    try { return JSON.parse(t); } catch (e) { throw new Error(`${o.label || 'JSON'}: not valid JSON (${e.message})`); }
  };
  wrap.input = ta;
  return wrap;
}

/** Replaces a container's content. */
export function replace(el, ...children) {
  clear(el);
  for (const c of children) if (c) el.appendChild(c);
}

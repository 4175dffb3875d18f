// A collection's records (collections.md §6–§9): a table of its fields with filter rows, sort by
// column and pagination with the total; create, edit and delete in a form built from the field types
// (date inputs, switches, pickers of the target's records for associations).

import { h, announce, setTitle, rerender, fmtTime, pager, SYSTEM_FIELDS } from './dom.js';
import { api } from './api.js';
import { field, switchField, formAlert, showErrors, clearErrors, openDialog, confirmAction, filterEditor, jsonEditor } from './forms.js';

const PAGE_SIZE = 20;
const TO_ONE = ['belongsTo', 'hasOne'];
const TO_MANY = ['hasMany', 'belongsToMany'];
const SORTABLE = ['string', 'text', 'integer', 'bigInt', 'float', 'double', 'boolean', 'date', 'datetime'];

const editable = (c) => (c.fields || []).filter((f) => !f.system && !SYSTEM_FIELDS.includes(f.name) && !f.isForeignKey);

/** A record's name in a picker or a cell: its first text field, else its id. */
function recordLabel(rec, target) {
  if (!rec || typeof rec !== 'object') return rec === null || rec === undefined ? '' : String(rec);
  const f = (target && target.fields || []).find((x) => ['string', 'text'].includes(x.type) && !x.system && rec[x.name]);
  return f ? `${rec[f.name]} (#${rec.id})` : `#${rec.id}`;
}

function cell(f, v, targets) {
  if (v === null || v === undefined) return h('span', { class: 'muted' }, '—');
  if (f.type === 'boolean') return v ? 'yes' : 'no';
  if (f.type === 'datetime') return h('time', { datetime: v, title: v }, fmtTime(v));
  if (TO_ONE.includes(f.type)) return recordLabel(v, targets[f.target]);
  if (TO_MANY.includes(f.type)) return (Array.isArray(v) ? v : []).map((r) => recordLabel(r, targets[f.target])).join(', ');
  if (typeof v === 'object') return h('code', null, JSON.stringify(v));
  return String(v);
}

function parseQuery(query) {
  const page = Math.max(1, parseInt(query.get('page') || '1', 10) || 1);
  const sort = query.get('sort') || '';
  let filter;
  try { filter = query.get('filter') ? JSON.parse(query.get('filter')) : undefined; } catch (e) { filter = undefined; }
  return { page, sort, filter };
}

function hashFor(name, st) {
  const q = new URLSearchParams();
  if (st.page > 1) q.set('page', String(st.page));
  if (st.sort) q.set('sort', st.sort);
  if (st.filter) q.set('filter', JSON.stringify(st.filter));
  const qs = q.toString();
  return `#/collections/${encodeURIComponent(name)}/records${qs ? `?${qs}` : ''}`;
}

async function loadTargets(c) {
  const names = [...new Set(editable(c).filter((f) => TO_ONE.includes(f.type) || TO_MANY.includes(f.type)).map((f) => f.target))];
  const out = {};
  await Promise.all(names.map(async (n) => {
    const [meta, rows] = await Promise.all([
      api('GET', `collections:get/${encodeURIComponent(n)}`).then((r) => r.json.data).catch(() => null),
      api('GET', `${encodeURIComponent(n)}:list`, { query: { pageSize: 200, sort: 'id' } }).then((r) => r.json.data || []).catch(() => []),
    ]);
    out[n] = Object.assign({ name: n, fields: [] }, meta || {}, { rows });
  }));
  return out;
}

export async function recordsPage(seq, show, name, query) {
  const cr = await api('GET', `collections:get/${encodeURIComponent(name)}`);
  const c = cr.json.data;
  if (!c) throw new Error(`Collection ${name} not found`);
  setTitle(`Records of ${c.title || c.name}`);
  const st = parseQuery(query);
  const fields = c.fields || [];
  const shown = [fields.find((f) => f.name === 'id'), ...editable(c), fields.find((f) => f.name === 'createdAt')].filter(Boolean);
  const appends = shown.filter((f) => TO_ONE.includes(f.type) || TO_MANY.includes(f.type)).map((f) => f.name);
  const q = { page: st.page, pageSize: PAGE_SIZE };
  if (st.sort) q.sort = st.sort;
  if (st.filter) q.filter = st.filter;
  if (appends.length) q.appends = appends.join(',');
  const [lr, targets] = await Promise.all([api('GET', `${encodeURIComponent(name)}:list`, { query: q, raw: true }), loadTargets(c)]);
  const listError = lr.ok ? null : (lr.json && lr.json.errors ? lr.json.errors.map((e) => e.message).join(' ') : `HTTP ${lr.status}`);
  const rows = lr.ok && Array.isArray(lr.json.data) ? lr.json.data : [];
  const meta = lr.ok && lr.json.meta ? lr.json.meta : { count: rows.length, totalPage: 1 };

  // Filter rows over the scalar fields and the system ones (id, dates).
  const filterFields = fields.filter((f) => !TO_MANY.includes(f.type) && !TO_ONE.includes(f.type));
  const fe = filterEditor(st.filter, filterFields, { label: 'Filter' });
  const apply = h('button', { type: 'submit', class: 'btn', id: 'records-apply' }, 'Apply filter');
  const reset = h('a', { class: 'btn btn-quiet', href: hashFor(name, { page: 1, sort: st.sort }), id: 'records-reset' }, 'Clear filter');
  const filterForm = h('form', { class: 'panel filter-panel', id: 'records-filter', role: 'search', 'aria-label': `Filter records of ${name}`, novalidate: true },
    formAlert(), h('h2', { class: 'small-h' }, 'Filter'), fe, h('div', { class: 'actions' }, apply, reset));
  filterForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    let filter;
    try { filter = fe.read(); } catch (e) { showErrors(filterForm, e); return; }
    location.hash = hashFor(name, { page: 1, sort: st.sort, filter });
  });

  const sortHeader = (f) => {
    if (!SORTABLE.includes(f.type)) return h('th', { scope: 'col' }, f.name);
    const dir = st.sort === f.name ? 'ascending' : st.sort === `-${f.name}` ? 'descending' : null;
    const nextSort = dir === 'ascending' ? `-${f.name}` : f.name;
    const a = h('a', { href: hashFor(name, { page: 1, sort: nextSort, filter: st.filter }), class: 'sort-link', 'data-sort': f.name,
      'aria-label': `Sort by ${f.name}${dir === 'ascending' ? ', descending' : ', ascending'}` }, f.name, dir ? (dir === 'ascending' ? ' ▲' : ' ▼') : '');
    return h('th', { scope: 'col', 'aria-sort': dir || 'none' }, a);
  };
  const tbody = h('tbody', null, rows.map((r) => h('tr', { 'data-record-id': String(r.id) },
    shown.map((f) => h('td', { 'data-label': f.name, 'data-field': f.name }, cell(f, r[f.name], targets))),
    h('td', { 'data-label': 'Actions' }, h('div', { class: 'toolbar' },
      btn('record-edit', 'Edit', `Edit record ${r.id}`, () => recordDialog(c, targets, r)),
      btn('record-delete', 'Delete', `Delete record ${r.id}`, () => deleteRecord(c, r)))))));
  const create = h('button', { type: 'button', class: 'btn btn-primary', id: 'record-new' }, 'New record');
  create.addEventListener('click', () => recordDialog(c, targets, null));
  const total = meta.totalPage || 1;
  show(seq, h('section', { class: 'records-page', 'data-collection': name },
    h('p', { class: 'crumbs' }, h('a', { href: '#/collections' }, 'Collections'), ' / ',
      h('a', { href: `#/collections/${encodeURIComponent(name)}` }, name), ' / records'),
    h('div', { class: 'page-head' }, h('h1', null, `Records of ${c.title || name}`), create),
    filterForm,
    listError ? h('div', { class: 'alert', role: 'alert', id: 'records-error' }, `The filter was refused: ${listError}`) : null,
    h('p', { class: 'muted', id: 'records-count', 'aria-live': 'polite' }, `${meta.count} record${meta.count === 1 ? '' : 's'}${st.filter ? ' match the filter' : ''}.`),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', id: 'records' },
      h('caption', { class: 'visually-hidden' }, `Records of ${name}`),
      h('thead', null, h('tr', null, shown.map(sortHeader), h('th', { scope: 'col' }, 'Actions'))),
      tbody)) : h('p', { class: 'empty' }, st.filter ? 'No record matches.' : 'No records yet.'),
    total > 1 || st.page > 1 ? pager(st.page, total, meta.count, (p) => { location.hash = hashFor(name, Object.assign({}, st, { page: p })); }, { noun: 'records' }) : null));
}

function btn(cls, text, aria, onClick) {
  const b = h('button', { type: 'button', class: `btn btn-small ${cls}`, 'aria-label': aria }, text);
  b.addEventListener('click', onClick);
  return b;
}

// ---------------------------------------------------------------------------------------------
// The record form

/** One control per field type: { el, read } (read() undefined = leave out). */
function input(f, value, targets) {
  const id = `rec-${f.name}`;
  const opts = { name: f.name, hint: f.allowNull === false ? 'Required.' : null };
  const title = f.title && f.title !== f.name ? `${f.title} (${f.name})` : f.name;
  switch (f.type) {
    case 'boolean': {
      const sw = switchField(title, !!value, { id, name: f.name });
      return { el: sw, read: () => sw.input.checked };
    }
    case 'integer': case 'bigInt': case 'float': case 'double': {
      const el = h('input', { type: 'number', id, step: ['integer', 'bigInt'].includes(f.type) ? '1' : 'any', value: value === null || value === undefined ? '' : String(value) });
      return { el: field(title, el, opts), read: () => (el.value === '' ? null : Number(el.value)) };
    }
    case 'date': {
      const el = h('input', { type: 'date', id, value: value || '' });
      return { el: field(title, el, opts), read: () => el.value || null };
    }
    case 'datetime': {
      const el = h('input', { type: 'datetime-local', id, step: '1' });
      if (value) el.value = String(value).slice(0, 19);
      return { el: field(title, el, Object.assign({}, opts, { hint: 'UTC.' })), read: () => (el.value ? `${el.value.length === 16 ? `${el.value}:00` : el.value}.000Z` : null) };
    }
    case 'text': {
      const el = h('textarea', { id, rows: '3' });
      el.value = value || '';
      return { el: field(title, el, opts), read: () => el.value };
    }
    case 'json': {
      const ed = jsonEditor(value === null ? undefined : value, { label: title });
      ed.input.id = id;
      return { el: field(title, ed, opts), read: () => { const v = ed.read(); return v === undefined ? null : v; } };
    }
    case 'belongsTo': case 'hasOne': case 'hasMany': case 'belongsToMany': {
      const t = targets[f.target] || { rows: [] };
      const many = TO_MANY.includes(f.type);
      const el = h('select', { id, multiple: many, size: many ? String(Math.min(6, Math.max(3, t.rows.length))) : null });
      if (!many) el.appendChild(h('option', { value: '' }, '— none —'));
      const have = new Set((many ? (Array.isArray(value) ? value : []) : [value]).filter((v) => v !== null && v !== undefined).map((v) => String(typeof v === 'object' ? v.id : v)));
      for (const r of t.rows) el.appendChild(h('option', { value: String(r.id), selected: have.has(String(r.id)) }, recordLabel(r, t)));
      return {
        el: field(title, el, Object.assign({}, opts, { hint: `Records of ${f.target}${many ? '; Ctrl/Shift picks several' : ''}.` })),
        read: () => (many ? Array.from(el.selectedOptions).map((o) => Number(o.value)) : el.value === '' ? null : Number(el.value)),
      };
    }
    default: {
      const el = h('input', { type: 'text', id, autocomplete: 'off', value: value === null || value === undefined ? '' : String(value) });
      return { el: field(title, el, opts), read: () => el.value };
    }
  }
}

/** Errors such as `<f> must be unique` name their field in the message only. */
function withFields(err, names) {
  if (!err || !err.body || !Array.isArray(err.body.errors)) return err;
  for (const e of err.body.errors) {
    if (!e.field && typeof e.message === 'string') {
      const hit = names.find((n) => e.message.startsWith(`${n} `) || e.message.includes(`"${n}"`));
      if (hit) e.field = hit;
    }
  }
  return err;
}

async function recordDialog(c, targets, rec) {
  const fields = editable(c);
  let current = rec;
  if (rec) {
    const assoc = fields.filter((f) => f.type !== 'belongsTo' && (TO_ONE.includes(f.type) || TO_MANY.includes(f.type))).map((f) => f.name);
    if (assoc.length) {
      const r = await api('GET', `${encodeURIComponent(c.name)}:get/${encodeURIComponent(rec.id)}`, { query: { appends: assoc.join(',') } });
      current = r.json.data || rec;
    }
  }
  const controls = fields.map((f) => {
    const v = current ? (f.type === 'belongsTo' ? current[f.foreignKey] : current[f.name]) : f.defaultValue;
    return [f, input(f, v === undefined ? null : v, targets)];
  });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'record-save' }, rec ? 'Save record' : 'Create record');
  const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
  const form = h('form', { id: 'record-form', novalidate: true }, formAlert(),
    controls.map(([, ctl]) => ctl.el),
    fields.length ? null : h('p', { class: 'muted' }, 'This collection has no fields of its own yet: the record gets an id and dates.'),
    h('div', { class: 'actions' }, save, cancel));
  const d = openDialog(rec ? `Edit ${c.name} #${rec.id}` : `New ${c.title || c.name} record`, form, { wide: true, id: 'record-dialog' });
  cancel.addEventListener('click', d.close);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const values = {};
    try {
      for (const [f, ctl] of controls) {
        const v = ctl.read();
        if (v !== undefined && !(v === '' && !rec && f.allowNull !== false)) values[f.name] = v;
      }
    } catch (e) { showErrors(form, e); return; }
    save.disabled = true;
    try {
      if (rec) await api('POST', `${encodeURIComponent(c.name)}:update/${encodeURIComponent(rec.id)}`, { body: values });
      else await api('POST', `${encodeURIComponent(c.name)}:create`, { body: values });
      announce(rec ? `Record ${rec.id} saved.` : `Record created in ${c.name}.`);
      d.close();
      rerender();
    } catch (e) {
      save.disabled = false;
      showErrors(form, withFields(e, fields.map((f) => f.name)));
    }
  });
}

async function deleteRecord(c, rec) {
  if (!(await confirmAction('Delete record', `Delete ${c.name} record #${rec.id}? Links to it are cleared; the linked records stay.`, 'Delete record'))) return;
  try {
    await api('POST', `${encodeURIComponent(c.name)}:destroy/${encodeURIComponent(rec.id)}`);
    announce(`Record ${rec.id} deleted.`);
    rerender();
  } catch (e) {
    announce(`Not deleted: ${e.message}`);
  }
}

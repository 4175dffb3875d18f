// Collections and their fields (collections.md §2–§5): the list with a create form, and one
// collection's page with its fields added, edited and removed, associations with target and keys, and
// the collection's deletion naming what goes with it.

import { h, announce, setTitle, rerender, SYSTEM_FIELDS } from './dom.js';
import { api, isManager } from './api.js';
import { field, switchField, select, formAlert, showErrors, clearErrors, openDialog, confirmAction } from './forms.js';

export const SCALAR_TYPES = ['string', 'text', 'integer', 'bigInt', 'float', 'double', 'boolean', 'date', 'datetime', 'json'];
export const ASSOCIATION_TYPES = ['belongsTo', 'hasOne', 'hasMany', 'belongsToMany'];
const TYPE_LABELS = {
  string: 'string (one line)', text: 'text (long)', integer: 'integer', bigInt: 'bigInt', float: 'float', double: 'double',
  boolean: 'boolean', date: 'date (day)', datetime: 'datetime', json: 'json',
  belongsTo: 'belongsTo (many to one)', hasOne: 'hasOne (one to one)', hasMany: 'hasMany (one to many)',
  belongsToMany: 'belongsToMany (many to many)',
};
/** Which form field a collections error code is about (the server names no field for these). */
const NAME_ERRORS = { INVALID_IDENTIFIER: 'name', RESERVED_NAME: 'name', COLLECTION_EXISTS: 'name', FIELD_EXISTS: 'name', TARGET_NOT_FOUND: 'target', UNKNOWN_FIELD_TYPE: 'type' };

export async function listCollections() {
  const r = await api('GET', 'collections:list', { query: { paginate: 'false' } });
  return Array.isArray(r.json.data) ? r.json.data : [];
}

const userFields = (c) => (c.fields || []).filter((f) => !f.system && !SYSTEM_FIELDS.includes(f.name));

// ---------------------------------------------------------------------------------------------
// The list

export async function collectionsPage(seq, show) {
  setTitle('Collections');
  const all = await listCollections();
  const name = h('input', { type: 'text', id: 'collection-name', autocomplete: 'off', spellcheck: 'false', placeholder: 'e.g. orders' });
  const title = h('input', { type: 'text', id: 'collection-title', autocomplete: 'off', placeholder: 'e.g. Orders' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'collection-create' }, 'Create collection');
  const form = h('form', { class: 'panel form-panel inline-form', id: 'collection-form', novalidate: true, 'aria-labelledby': 'collection-form-h' },
    h('h2', { id: 'collection-form-h' }, 'New collection'), formAlert(),
    h('div', { class: 'form-row' },
      field('Name', name, { name: 'name', hint: 'The table and the API name: letters, digits and _.' }),
      field('Title', title, { name: 'title', hint: 'Shown on the page; defaults to the name.' }),
      h('div', { class: 'field field-button' }, submit)));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { name: name.value.trim() };
    if (title.value.trim()) body.title = title.value.trim();
    submit.disabled = true;
    try {
      await api('POST', 'collections:create', { body });
      announce(`Collection ${body.name} created.`);
      location.hash = `#/collections/${encodeURIComponent(body.name)}`;
    } catch (e) {
      submit.disabled = false;
      showErrors(form, e, NAME_ERRORS);
    }
  });
  const tbody = h('tbody', null, all.map((c) => h('tr', { 'data-collection': c.name },
    h('td', { 'data-label': 'Name' }, h('a', { href: `#/collections/${encodeURIComponent(c.name)}`, class: 'collection-link' }, h('code', null, c.name))),
    h('td', { 'data-label': 'Title' }, c.title || ''),
    h('td', { 'data-label': 'Fields' }, userFields(c).map((f) => f.name).join(', ') || h('span', { class: 'muted' }, 'none yet')),
    h('td', { 'data-label': 'Records' }, h('a', { href: `#/collections/${encodeURIComponent(c.name)}/records`, 'aria-label': `Records of ${c.name}` }, 'Records')))));
  show(seq, h('section', null,
    h('div', { class: 'page-head' }, h('h1', null, 'Collections')),
    all.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', id: 'collections' },
      h('caption', { class: 'visually-hidden' }, 'Collections'),
      h('thead', null, h('tr', null, ['Name', 'Title', 'Fields', 'Records'].map((t) => h('th', { scope: 'col' }, t)))),
      tbody)) : h('p', { class: 'empty' }, 'No collections yet.'),
    isManager() ? form : null));
}

// ---------------------------------------------------------------------------------------------
// One collection

function fieldOptions(f) {
  const out = [];
  if (f.allowNull === false) out.push('required');
  if (f.unique) out.push('unique');
  if (f.index) out.push('indexed');
  if (f.defaultValue !== null && f.defaultValue !== undefined) out.push(`default ${JSON.stringify(f.defaultValue)}`);
  if (f.isForeignKey) out.push(`foreign key → ${f.target || '?'}`);
  return out.join(', ');
}

function fieldKeys(f) {
  if (!ASSOCIATION_TYPES.includes(f.type)) return '';
  const parts = [`→ ${f.target}`];
  if (f.foreignKey) parts.push(`foreignKey ${f.foreignKey}`);
  if (f.through) parts.push(`through ${f.through}`);
  if (f.otherKey) parts.push(`otherKey ${f.otherKey}`);
  return parts.join(' · ');
}

export async function collectionPage(seq, show, name) {
  const [cr, all] = await Promise.all([api('GET', `collections:get/${encodeURIComponent(name)}`), listCollections()]);
  const c = cr.json.data;
  if (!c) throw new Error(`Collection ${name} not found`);
  setTitle(c.title || c.name);
  const reload = rerender;
  const rows = (c.fields || []).map((f) => {
    const system = f.system || SYSTEM_FIELDS.includes(f.name);
    const actions = system ? h('span', { class: 'muted small' }, 'system') : h('div', { class: 'toolbar' },
      ASSOCIATION_TYPES.includes(f.type) || f.isForeignKey ? null : button('field-edit', 'Edit', `Edit field ${f.name}`, () => editFieldDialog(c, f, reload)),
      button('field-remove', 'Remove', `Remove field ${f.name}`, () => removeField(c, f, reload)));
    return h('tr', { 'data-field-name': f.name, class: system ? 'system-row' : null },
      h('td', { 'data-label': 'Field' }, h('code', null, f.name), f.title && f.title !== f.name ? h('span', { class: 'muted' }, ` ${f.title}`) : null),
      h('td', { 'data-label': 'Type' }, f.type),
      h('td', { 'data-label': 'Options' }, fieldOptions(f) || '—'),
      h('td', { 'data-label': 'Association' }, fieldKeys(f) || '—'),
      h('td', { 'data-label': 'Actions' }, actions));
  });
  const del = h('button', { type: 'button', class: 'btn btn-danger-quiet', id: 'collection-delete' }, 'Delete collection');
  del.addEventListener('click', () => deleteCollection(c, all).catch((e) => announce(`Not deleted: ${e.message}`)));
  show(seq, h('article', { class: 'collection-page', 'data-collection': c.name },
    h('p', { class: 'crumbs' }, h('a', { href: '#/collections' }, 'Collections'), ` / ${c.name}`),
    h('div', { class: 'page-head' }, h('h1', null, c.title || c.name, ' ', h('code', { class: 'small' }, c.name)),
      h('div', { class: 'toolbar' },
        h('a', { class: 'btn btn-primary', href: `#/collections/${encodeURIComponent(c.name)}/records`, id: 'collection-records' }, 'Records'),
        del)),
    h('section', { class: 'panel', 'aria-labelledby': 'fields-h' },
      h('h2', { id: 'fields-h' }, 'Fields'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', id: 'fields' },
        h('caption', { class: 'visually-hidden' }, `Fields of ${c.name}`),
        h('thead', null, h('tr', null, ['Field', 'Type', 'Options', 'Association', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, rows)))),
    addFieldForm(c, all, reload)));
}

function button(cls, text, label, onClick) {
  const b = h('button', { type: 'button', class: `btn btn-small ${cls}`, 'aria-label': label }, text);
  b.addEventListener('click', onClick);
  return b;
}

/** The add-field form: the options shown follow the type (scalar options, or association keys). */
function addFieldForm(c, all, reload) {
  const name = h('input', { type: 'text', id: 'field-name', autocomplete: 'off', spellcheck: 'false' });
  const typeSel = select([...SCALAR_TYPES, ...ASSOCIATION_TYPES].map((t) => [t, TYPE_LABELS[t]]), 'string', { id: 'field-type' });
  const title = h('input', { type: 'text', id: 'field-title', autocomplete: 'off' });
  const required = switchField('Required (not null)', false, { id: 'field-required', name: 'allowNull' });
  const unique = switchField('Unique', false, { id: 'field-unique', name: 'unique' });
  const index = switchField('Indexed', false, { id: 'field-index', name: 'index' });
  const def = h('input', { type: 'text', id: 'field-default', autocomplete: 'off' });
  const target = select(all.map((x) => [x.name, x.name]), all.length ? all[0].name : '', { id: 'field-target' });
  const foreignKey = h('input', { type: 'text', id: 'field-foreign-key', autocomplete: 'off', spellcheck: 'false' });
  const through = h('input', { type: 'text', id: 'field-through', autocomplete: 'off', spellcheck: 'false' });
  const otherKey = h('input', { type: 'text', id: 'field-other-key', autocomplete: 'off', spellcheck: 'false' });
  const scalarPart = h('div', { class: 'form-row' }, required, unique, index,
    field('Default value', def, { name: 'defaultValue', hint: 'Empty: none. Typed as the field (true, 3, 2025-03-01).' }));
  const assocPart = h('div', { class: 'form-row' },
    field('Target collection', target, { name: 'target' }),
    field('Foreign key', foreignKey, { name: 'foreignKey', hint: 'Empty: the default name.' }),
    h('div', { class: 'through-part' },
      field('Through table', through, { name: 'through', hint: 'Empty: the default name.' }),
      field('Other key', otherKey, { name: 'otherKey' })),
    h('p', { class: 'hint' }, 'Keys point at id (the only target and source key).'));
  const sync = () => {
    const t = typeSel.read();
    const assoc = ASSOCIATION_TYPES.includes(t);
    scalarPart.hidden = assoc;
    assocPart.hidden = !assoc;
    assocPart.querySelector('.through-part').hidden = t !== 'belongsToMany';
  };
  typeSel.addEventListener('change', sync);
  sync();
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: 'field-add' }, 'Add field');
  const form = h('form', { class: 'panel form-panel', id: 'field-form', novalidate: true, 'aria-labelledby': 'field-form-h' },
    h('h2', { id: 'field-form-h' }, 'Add a field'), formAlert(),
    h('div', { class: 'form-row' },
      field('Name', name, { name: 'name' }), field('Type', typeSel, { name: 'type' }), field('Title', title, { name: 'title' })),
    scalarPart, assocPart,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const t = typeSel.read();
    const body = { name: name.value.trim(), type: t };
    if (title.value.trim()) body.title = title.value.trim();
    if (ASSOCIATION_TYPES.includes(t)) {
      body.target = target.read();
      if (foreignKey.value.trim()) body.foreignKey = foreignKey.value.trim();
      if (t === 'belongsToMany' && through.value.trim()) body.through = through.value.trim();
      if (t === 'belongsToMany' && otherKey.value.trim()) body.otherKey = otherKey.value.trim();
    } else {
      if (required.input.checked) body.allowNull = false;
      if (unique.input.checked) body.unique = true;
      if (index.input.checked) body.index = true;
      if (def.value !== '') body.defaultValue = defaultFor(t, def.value);
    }
    submit.disabled = true;
    try {
      await api('POST', `collections/${encodeURIComponent(c.name)}/fields:create`, { body });
      announce(`Field ${body.name} added to ${c.name}.`);
      reload();
    } catch (e) {
      submit.disabled = false;
      showErrors(form, e, NAME_ERRORS);
    }
  });
  return form;
}

function defaultFor(type, text) {
  if (['integer', 'bigInt', 'float', 'double'].includes(type) && text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  if (type === 'boolean') return text === 'true' || text === '1';
  if (type === 'json') { try { return JSON.parse(text); } catch (e) { return text; } }
  return text;
}

/** fields:update changes title, allowNull, unique and defaultValue (collections.md §3). */
function editFieldDialog(c, f, reload) {
  const title = h('input', { type: 'text', id: 'field-edit-title', autocomplete: 'off', value: f.title || '' });
  const required = switchField('Required (not null)', f.allowNull === false, { name: 'allowNull' });
  const unique = switchField('Unique', !!f.unique, { name: 'unique' });
  const def = h('input', { type: 'text', id: 'field-edit-default', autocomplete: 'off', value: f.defaultValue === null || f.defaultValue === undefined ? '' : typeof f.defaultValue === 'string' ? f.defaultValue : JSON.stringify(f.defaultValue) });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'field-edit-save' }, 'Save field');
  const cancel = h('button', { type: 'button', class: 'btn' }, 'Cancel');
  const form = h('form', { novalidate: true, id: 'field-edit-form' }, formAlert(),
    field('Title', title, { name: 'title' }), required, unique,
    field('Default value', def, { name: 'defaultValue', hint: 'Empty: none.' }),
    h('div', { class: 'actions' }, save, cancel));
  const d = openDialog(`Edit field ${c.name}.${f.name} (${f.type})`, form, { id: 'field-edit-dialog' });
  cancel.addEventListener('click', d.close);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { title: title.value, allowNull: !required.input.checked, unique: unique.input.checked, defaultValue: def.value === '' ? null : defaultFor(f.type, def.value) };
    try {
      await api('POST', `collections/${encodeURIComponent(c.name)}/fields:update/${encodeURIComponent(f.name)}`, { body });
      announce(`Field ${f.name} saved.`);
      d.close();
      reload();
    } catch (e) {
      showErrors(form, e, NAME_ERRORS);
    }
  });
}

async function removeField(c, f, reload) {
  const lines = [ASSOCIATION_TYPES.includes(f.type)
    ? `Remove the association ${c.name}.${f.name} (${f.type} → ${f.target})? Its links go with it; the records stay.`
    : `Remove the field ${c.name}.${f.name} (${f.type})? Its value in every record is lost.`];
  if (!(await confirmAction('Remove field', lines, 'Remove field'))) return;
  try {
    await api('POST', `collections/${encodeURIComponent(c.name)}/fields:destroy/${encodeURIComponent(f.name)}`);
    announce(`Field ${f.name} removed.`);
    reload();
  } catch (e) {
    announce(`Not removed: ${e.message}`);
  }
}

/** Deletes after a confirmation naming the records, the association columns elsewhere and bound workflows. */
async function deleteCollection(c, all) {
  const [count, wfs] = await Promise.all([
    api('GET', `${encodeURIComponent(c.name)}:list`, { query: { pageSize: 1 } }).then((r) => (r.json.meta ? r.json.meta.count : (r.json.data || []).length)).catch(() => null),
    api('GET', 'workflows:list', { query: { paginate: 'false' } }).then((r) => (r.json.data || []).filter((w) => w.current && w.config && [c.name, `main:${c.name}`].includes(w.config.collection))).catch(() => []),
  ]);
  const foreign = (c.fields || []).filter((f) => ['hasOne', 'hasMany'].includes(f.type)).map((f) => `${f.target}.${f.foreignKey}`);
  const through = (c.fields || []).filter((f) => f.type === 'belongsToMany').map((f) => f.through);
  const users = all.filter((x) => x.name !== c.name && (x.fields || []).some((f) => ASSOCIATION_TYPES.includes(f.type) && f.target === c.name && !f.system));
  const lines = [`Delete the collection ${c.name}${count === null ? '' : ` and its ${count} record${count === 1 ? '' : 's'}`}?`];
  if (foreign.length) lines.push(`The foreign key columns it made elsewhere go too: ${foreign.join(', ')}.`);
  if (through.length) lines.push(`So do its through tables: ${through.join(', ')}.`);
  if (users.length) lines.push(`The server will refuse while ${users.map((x) => x.name).join(', ')} point${users.length === 1 ? 's' : ''} at it: remove those associations first.`);
  if (wfs.length) lines.push(`Workflows bound to it stay but stop finding it: ${wfs.map((w) => w.title || w.key).join(', ')}.`);
  if (!(await confirmAction('Delete collection', lines, 'Delete collection'))) return;
  await api('POST', `collections:destroy/${encodeURIComponent(c.name)}`);
  announce(`Collection ${c.name} deleted.`);
  location.hash = '#/collections';
}

// Changing executions: cancel a queued or running one (executions:cancel), re-run a finished one
// (executions:rerun), delete finished ones, one or all that match the list's filter (executions:destroy
// skips queued and running rows).

import { h, announce, clear, errorBox } from './dom.js';
import { api, isManager } from './api.js';
import { confirmAction } from './forms.js';

const pending = (e) => e.status === null || e.status === undefined || e.status === 0;

// What the last re-run answered, shown once on the new execution's page.
let rerunNotice = null;

/** The notice of the re-run that led to execution `id`, once (null otherwise). */
export function takeRerunNotice(id) {
  const n = rerunNotice && rerunNotice.id === id ? rerunNotice : null;
  rerunNotice = null;
  return n;
}

/**
 * A Re-run button for a finished execution (root and admin), with the choice of the current version
 * on the execution's page (`withChoice`). 200: the run happened in the request; 202: it is queued. Either
 * way the new execution's page opens; a refusal is shown in `errors` (or next to the button).
 */
export function rerunControl(e, opts) {
  if (!isManager() || pending(e)) return null;
  const o = opts || {};
  const id = o.withChoice ? 'execution-rerun' : `rerun-${e.id}`;
  const btn = h('button', { type: 'button', class: `btn${o.withChoice ? '' : ' btn-small'}`, id, 'data-rerun': String(e.id),
    'aria-label': `Re-run execution #${e.id} with the same context` }, 'Re-run');
  const current = o.withChoice ? h('input', { type: 'checkbox', id: 'rerun-current' }) : null;
  const errors = o.errors || h('span', { class: 'rerun-error', 'aria-live': 'polite' });
  btn.addEventListener('click', async () => {
    clear(errors);
    btn.disabled = true;
    const query = { filterByTk: e.id };
    if (current && current.checked) query.version = 'current';
    try {
      const r = await api('POST', 'executions:rerun', { query });
      const x = (r.json && r.json.data && r.json.data.execution) || {};
      rerunNotice = { id: x.id, of: e.id, status: r.status, current: !!query.version };
      announce(`Execution #${e.id} re-run as #${x.id}${r.status === 202 ? ' (queued)' : ''}.`);
      location.hash = `#/executions/${encodeURIComponent(x.id)}`;
    } catch (err) {
      if (err.status === 401) return;
      errors.appendChild(errorBox(err, `Execution #${e.id} was not re-run`));
      announce(`Not re-run: ${err.message}`);
    } finally {
      btn.disabled = false;
    }
  });
  return h('span', { class: 'rerun' }, btn,
    current ? h('label', { class: 'checkbox', for: 'rerun-current' }, current, ' on the current version') : null,
    o.errors ? null : errors);
}

/** Cancel, Re-run and Delete for one execution's page; `reload()` after a change. */
export function executionActions(e, reload, errors) {
  if (!isManager()) return null;
  const out = h('div', { class: 'toolbar execution-actions' });
  if (!pending(e)) out.appendChild(rerunControl(e, { withChoice: true, errors }));
  if (pending(e)) {
    const cancel = h('button', { type: 'button', class: 'btn', id: 'execution-cancel' }, 'Cancel execution');
    cancel.addEventListener('click', async () => {
      if (!(await confirmAction('Cancel execution', `Cancel execution #${e.id}? It ends ABORTED (manual_cancel) and its pending jobs with it.`, 'Cancel execution'))) return;
      try {
        await api('POST', `executions:cancel/${encodeURIComponent(e.id)}`);
        announce(`Execution #${e.id} canceled.`);
        reload();
      } catch (err) {
        announce(`Not canceled: ${err.message}`);
      }
    });
    out.appendChild(cancel);
  } else {
    const del = h('button', { type: 'button', class: 'btn btn-danger-quiet', id: 'execution-delete' }, 'Delete execution');
    del.addEventListener('click', async () => {
      if (!(await confirmAction('Delete execution', `Delete execution #${e.id} and its jobs? The workflow stays.`, 'Delete execution'))) return;
      try {
        await api('POST', `executions:destroy/${encodeURIComponent(e.id)}`);
        announce(`Execution #${e.id} deleted.`);
        location.hash = `#/executions?key=${encodeURIComponent(e.key || '')}`;
      } catch (err) {
        announce(`Not deleted: ${err.message}`);
      }
    });
    out.appendChild(del);
  }
  return out;
}

/** Deletes every finished execution matching the list's filter (`what` names the filter for the person). */
export function deleteFinishedButton(filter, what, reload) {
  if (!isManager()) return null;
  const b = h('button', { type: 'button', class: 'btn btn-danger-quiet', id: 'executions-delete' }, 'Delete finished…');
  b.addEventListener('click', async () => {
    const q = { filter: Object.keys(filter).length ? filter : { id: { $gt: 0 } } };
    const lines = [`Delete every finished execution ${what} with its jobs?`, 'Queued and running executions are kept.'];
    if (!(await confirmAction('Delete executions', lines, 'Delete executions'))) return;
    try {
      const r = await api('POST', 'executions:destroy', { query: q });
      announce(`${r.json.data} execution${r.json.data === 1 ? '' : 's'} deleted.`);
      reload();
    } catch (err) {
      announce(`Not deleted: ${err.message}`);
    }
  });
  return b;
}

// Changing executions: cancel a queued or running one (executions:cancel), delete finished ones, one
// or all that match the list's filter (executions:destroy skips queued and running rows).

import { h, announce } from './dom.js';
import { api, isManager } from './api.js';
import { confirmAction } from './forms.js';

const pending = (e) => e.status === null || e.status === undefined || e.status === 0;

/** Cancel and Delete for one execution's page; `reload()` after a change. */
export function executionActions(e, reload) {
  if (!isManager()) return null;
  const out = h('div', { class: 'toolbar execution-actions' });
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

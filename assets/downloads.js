// Files the page downloads with the session's token (a plain link could not send it): the definitions
// document (app:export, root and admin) and a fresh backup of the store (app:backup, root only).

import { h, announce } from './dom.js';
import { api, isManager, isRoot } from './api.js';

function attachmentName(headers, fallback) {
  const m = /filename="([^"]+)"/.exec(headers.get('Content-Disposition') || '');
  return m ? m[1] : fallback;
}

/** Fetches `path`, then saves the answer through a Blob URL and an `<a download>`. */
async function download(button, d) {
  button.disabled = true;
  announce(`Preparing the ${d.what}…`);
  try {
    const r = await api('GET', d.path, { binary: d.binary });
    const name = attachmentName(r.headers, d.fallback);
    const blob = r.blob || new Blob([r.text], { type: d.type });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: name, hidden: true }, name);
    document.body.appendChild(a);
    a.click();
    a.remove();
    // The browser reads the blob after the click; revoking at once can cancel the download.
    window.setTimeout(() => URL.revokeObjectURL(url), 60000);
    // For the browser test: the file's name, size and the URL the page fetched.
    const root = document.documentElement;
    root.setAttribute('data-last-download', name);
    root.setAttribute('data-last-download-bytes', String(blob.size));
    root.setAttribute('data-last-download-path', `/api/${d.path}`);
    announce(`Downloaded ${name}.`);
  } catch (e) {
    announce(`Could not download the ${d.what}: ${e.message}`);
  }
  button.disabled = false;
  button.focus();
}

function button(d) {
  const b = h('button', { type: 'button', class: 'btn', id: d.id, 'aria-label': d.aria }, d.label);
  b.addEventListener('click', () => { download(b, d); });
  return b;
}

/** "Download export" for root and admin, "Download backup" for root (admin and member get 403). */
export function downloadButtons() {
  return [
    isManager() ? button({
      id: 'download-export', label: 'Download export', what: 'export', path: 'app:export',
      aria: 'Download export: every collection, role and workflow as one JSON file',
      fallback: 'flowgate-export.json', type: 'application/json',
    }) : null,
    isRoot() ? button({
      id: 'download-backup', label: 'Download backup', what: 'backup', path: 'app:backup', binary: true,
      aria: 'Download backup: a consistent copy of the whole store as one SQLite file',
      fallback: 'flowgate-backup.db', type: 'application/vnd.sqlite3',
    }) : null,
  ];
}

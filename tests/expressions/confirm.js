#!/usr/bin/env node
// Checks recorded corpus answers against a live NocoBase's workflow engine (by hand only):
//   node tests/expressions/confirm.js [URL] [COUNT]
// URL defaults to http://127.0.0.1:13100 (account admin@nocobase.com / admin123, or
// $PEER_ACCOUNT / $PEER_PASSWORD). For COUNT cases spread over the corpus (default 60) it makes a
// sync workflow `expr_confirm_<n>` whose one calculation node holds the case, executes it with the
// corpus scope's `$context`, reads the job's status and result, and deletes the workflow again.
// ONLY=<expression> restricts it to the cases with that text. It prints each mismatch and the count confirmed; cases that need `$jobsMapByNodeKey` are skipped.
const fs = require('fs');
const path = require('path');

const base = (process.argv[2] || 'http://127.0.0.1:13100').replace(/\/$/, '');
const count = Number(process.argv[3] || 60);
const corpus = JSON.parse(fs.readFileSync(path.join(__dirname, 'corpus.json'), 'utf8'));

let token;
async function api(action, body, query = '') {
  const res = await fetch(`${base}/api/${action}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body || {}),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${action}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}
async function get(action, query) {
  const res = await fetch(`${base}/api/${action}${query}`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()).data;
}

async function confirm(c, n) {
  const wf = await api('workflows:create', {
    key: `expr_confirm_${n}`, title: `expr_confirm_${n}`, type: 'collection', sync: true, enabled: false,
    config: { collection: 'users', mode: 1 },
  });
  try {
    await api(`workflows/${wf.id}/nodes:create`, {
      type: 'calculation', title: 'calc', config: { engine: c.engine, expression: c.expression },
    });
    const out = await api('workflows:execute', { data: (c.scope || corpus.scope).$context.data }, `?filterByTk=${wf.id}`);
    const execution = await get('executions:get', `?filterByTk=${out.execution.id}&appends[]=jobs`);
    const job = execution.jobs[0];
    return job.status === 1 ? { result: job.result } : job.status === -2 ? { error: job.result } : { status: job.status, result: job.result };
  } finally {
    await api('workflows:destroy', {}, `?filterByTk=${wf.id}`);
  }
}

(async () => {
  token = (await api('auth:signIn', {
    account: process.env.PEER_ACCOUNT || 'admin@nocobase.com', password: process.env.PEER_PASSWORD || 'admin123',
  })).token;
  // ONLY=<expression> confirms just the cases with that text.
  const usable = corpus.cases.filter((c) => !c.expression.includes('$jobsMapByNodeKey') && c.expression.trim() !== '')
    .filter((c) => !process.env.ONLY || c.expression === process.env.ONLY);
  const step = Math.max(1, Math.floor(usable.length / count));
  let same = 0, tried = 0;
  for (let i = 0; i < usable.length && tried < count; i += step) {
    const c = usable[i];
    tried++;
    const got = await confirm(c, tried);
    if (JSON.stringify(got) === JSON.stringify(c.expect)) same++;
    else console.log(`MISMATCH ${c.engine} ${JSON.stringify(c.expression)}\n  recorded ${JSON.stringify(c.expect)}\n  server   ${JSON.stringify(got)}`);
  }
  console.log(`confirmed ${same}/${tried} against ${base}`);
})().catch((e) => { console.error(e); process.exit(1); });

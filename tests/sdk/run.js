// NocoBase's own JavaScript SDK (@nocobase/sdk, pinned in package.json) against a running flowgate:
//   node tests/sdk/run.js <base-url> <root-password>
// Run by tests/nocobase_sdk.rs over a fresh store. One line per check; the first failure exits 1.
// Points 1-7 are issue 10's: each is checked here so that any of them coming back fails the test.
'use strict';

const assert = require('node:assert/strict');
const Module = require('node:module');
const path = require('node:path');

// The SDK requires `@nocobase/utils/client` when it loads (auth-cookie.js) but declares that package
// only as a devDependency, so an npm install of the SDK alone lacks it. It uses one function,
// `getAuthCookieName`, for cookie names in a browser (never called in Node, where there is no
// `document`). A Node user provides it; this hook answers that one request with a small shim file
// and leaves every other resolution to Node.
const SHIM = path.join(__dirname, 'utils-client-shim.js');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@nocobase/utils/client') return SHIM;
  return resolve.call(this, request, ...rest);
};

const { APIClient } = require('@nocobase/sdk');

const [base, rootPassword] = process.argv.slice(2);
if (!base || !rootPassword) {
  console.error('usage: node run.js <base-url> <root-password>');
  process.exit(2);
}

const client = () => new APIClient({ baseURL: `${base}/api/`, storageType: 'memory' });

// SDK_CHECK_ALL=1 goes on after a failure (to list every failing check against an older server) and
// exits 1 at the end; by default the first failure exits 1.
const checkAll = process.env.SDK_CHECK_ALL === '1';
let count = 0;
let failed = 0;
async function check(name, fn) {
  const n = count + failed + 1;
  try {
    await fn();
    count += 1;
    console.log(`ok ${n} - ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`not ok ${n} - ${name}`);
    if (e && e.response) console.log(`  HTTP ${e.response.status} ${JSON.stringify(e.response.data)}`);
    console.log(e && e.stack ? e.stack : String(e));
    if (!checkAll) process.exit(1);
  }
}

/// A call the SDK's caller sees rejected: axios rejects with `error.response.status` and `data.errors`.
async function rejects(promise, status, code) {
  let caught;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, `expected HTTP ${status}, the call succeeded`);
  assert.ok(caught.response, `expected an HTTP answer, got ${caught}`);
  assert.equal(caught.response.status, status, JSON.stringify(caught.response.data));
  const errors = caught.response.data && caught.response.data.errors;
  assert.ok(Array.isArray(errors) && errors.length > 0 && typeof errors[0].message === 'string', JSON.stringify(caught.response.data));
  if (code) assert.equal(errors[0].code, code, JSON.stringify(errors));
  return errors;
}

const ids = (rows) => rows.map((r) => r.id);
const MEMBER_PASSWORD = 'm1-sdk-pass-1234';

async function waitFor(fn, what) {
  for (let i = 0; i < 100; i += 1) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function main() {
  const api = client();
  const r = (name, of) => api.resource(name, of);
  let rootToken;

  await check('sign-in: auth.signIn(values, "basic") keeps the token', async () => {
    const res = await api.auth.signIn({ account: 'admin', password: rootPassword }, 'basic');
    assert.equal(res.status, 200);
    assert.equal(typeof res.data.data.token, 'string');
    assert.equal(api.auth.token, res.data.data.token);
    assert.equal(api.auth.authenticator, 'basic');
    rootToken = api.auth.token;
    const me = await api.request({ url: 'auth:check', method: 'get' });
    assert.equal(me.data.data.username, 'admin');
  });

  await check('point 1: roles:check describes the current role', async () => {
    const { data } = await r('roles').check();
    assert.equal(data.data.role, 'root');
    assert.equal(data.data.allowAll, true);
    for (const k of ['allowConfigure', 'availableActions', 'actions', 'resources', 'snippets', 'strategy']) {
      assert.ok(k in data.data, `roles:check has ${k}`);
    }
  });

  await check('collections for the records and association checks', async () => {
    await r('collections').create({ values: { name: 'categories', fields: [{ name: 'title', type: 'string' }] } });
    await r('collections').create({ values: { name: 'comments', fields: [{ name: 'content', type: 'string' }] } });
    await r('collections').create({
      values: {
        name: 'posts',
        fields: [
          { name: 'title', type: 'string' },
          { name: 'score', type: 'integer' },
          { name: 'category', type: 'belongsTo', target: 'categories' },
          { name: 'comments', type: 'hasMany', target: 'comments' },
        ],
      },
    });
    const { data } = await r('collections').list({ paginate: false });
    assert.deepEqual(data.data.map((c) => c.name).sort(), ['categories', 'comments', 'posts']);
  });

  await check('records CRUD: create, get with appends, update, list', async () => {
    const cat = (await r('categories').create({ values: { title: 'News' } })).data.data;
    assert.equal(cat.id, 1);
    for (const [title, score] of [['a', 3], ['b', 1], ['c', 2]]) {
      const p = (await r('posts').create({ values: { title, score, category: cat.id } })).data.data;
      assert.equal(p.title, title);
    }
    const got = (await r('posts').get({ filterByTk: 1, appends: ['category'] })).data.data;
    assert.equal(got.category.title, 'News');
    const up = (await r('posts').update({ filterByTk: 2, values: { title: 'B' } })).data.data;
    assert.equal(up[0].title, 'B');
    const one = (await r('posts').get({ filterByTk: 2, fields: ['id', 'title'] })).data.data;
    assert.deepEqual(one, { id: 2, title: 'B' });
  });

  await check('records list: filter, sort, appends, pagination', async () => {
    const res = await r('posts').list({ filter: { score: { $gte: 2 } }, sort: ['-score'], appends: ['category'] });
    assert.deepEqual(ids(res.data.data), [1, 3]);
    assert.equal(res.data.data[0].category.title, 'News');
    assert.deepEqual(res.data.meta, { count: 2, page: 1, pageSize: 20, totalPage: 1 });
    const page = await r('posts').list({ sort: 'id', page: 2, pageSize: 2 });
    assert.deepEqual(ids(page.data.data), [3]);
    assert.deepEqual(page.data.meta, { count: 3, page: 2, pageSize: 2, totalPage: 2 });
    const all = await r('posts').list({ paginate: false, filter: { 'category.title': 'News' } });
    assert.equal(all.data.data.length, 3);
    assert.equal(all.data.meta, undefined);
  });

  await check('association resources: posts/1/comments and posts/1/category', async () => {
    const comments = r('posts.comments', 1);
    const c1 = (await comments.create({ values: { content: 'first' } })).data.data;
    const c2 = (await comments.create({ values: { content: 'second' } })).data.data;
    const listed = await comments.list({ sort: ['-id'] });
    assert.deepEqual(ids(listed.data.data), [c2.id, c1.id]);
    assert.equal(listed.data.meta.count, 2);
    const cat = (await r('posts.category', 1).get()).data.data;
    assert.equal(cat.title, 'News');
    const withComments = (await r('posts').get({ filterByTk: 1, appends: ['comments'] })).data.data;
    assert.deepEqual(withComments.comments.map((c) => c.content), ['first', 'second']);
  });

  await check('point 4: a to-many association destroy answers true', async () => {
    const comments = r('posts.comments', 1);
    const [c2, c1] = (await comments.list({ sort: ['-id'] })).data.data;
    const destroyed = await comments.destroy({ filterByTk: c2.id });
    assert.equal(destroyed.data.data, true);
    assert.deepEqual(ids((await comments.list()).data.data), [c1.id]);
    // A collection-level destroy keeps the count.
    const n = await r('comments').destroy({ filterByTk: c1.id });
    assert.equal(n.data.data, 1);
  });

  // Workflows for every trigger form.
  const wf = {};
  const workflow = async (name, values) => {
    const w = (await r('workflows').create({ values: { type: 'custom-action', enabled: true, sync: true, ...values } })).data.data;
    await r('workflows.nodes', w.id).create({
      values: { type: 'calculation', title: `${name}-calc`, config: { engine: 'formula.js', expression: '1+1' } },
    });
    wf[name] = w;
    return w;
  };

  await check('workflows: create with nodes', async () => {
    await workflow('global', { title: 'global', config: { type: 0 } });
    await workflow('one', { title: 'one', config: { type: 1, collection: 'posts' } });
    await workflow('many', { title: 'many', config: { type: 2, collection: 'posts' } });
    await workflow('cat', { title: 'cat', config: { type: 1, collection: 'categories' } });
    await workflow('async', { title: 'async', sync: false, config: { type: 0 } });
    const { data } = await r('workflows').list({ filter: { current: true }, sort: ['id'] });
    assert.deepEqual(data.data.map((w) => w.title), ['global', 'one', 'many', 'cat', 'async']);
  });

  const runs = (res) => res.data.data.executions;

  await check('trigger: <coll>:trigger/<id>', async () => {
    const res = await api.request({ url: `posts:trigger/1`, method: 'post', params: { triggerWorkflows: wf.one.key }, data: {} });
    assert.deepEqual(runs(res).map((e) => [e.workflowKey, e.status]), [[wf.one.key, 1]]);
    const e = (await r('executions').get({ filterByTk: runs(res)[0].id })).data.data;
    assert.equal(e.context.data.title, 'a');
  });

  await check('trigger: resource(coll).trigger({filterByTk, triggerWorkflows})', async () => {
    const res = await r('posts').trigger({ filterByTk: 3, triggerWorkflows: wf.one.key });
    const e = (await r('executions').get({ filterByTk: runs(res)[0].id })).data.data;
    assert.equal(e.context.data.title, 'c');
  });

  await check('trigger: body only (no key in the path)', async () => {
    const res = await r('posts').trigger({ triggerWorkflows: wf.one.key, values: { title: 'from body' } });
    assert.equal(runs(res)[0].status, 1);
    const e = (await r('executions').get({ filterByTk: runs(res)[0].id })).data.data;
    assert.equal(e.context.data.title, 'from body');
  });

  await check('trigger: filterByTk arrays (multiple records)', async () => {
    const res = await r('posts').trigger({ filterByTk: [1, 2], triggerWorkflows: wf.many.key });
    const e = (await r('executions').get({ filterByTk: runs(res)[0].id })).data.data;
    assert.deepEqual(e.context.data.map((p) => p.id), [1, 2]);
  });

  await check('trigger: association form key!path', async () => {
    const res = await r('posts').trigger({ filterByTk: 1, triggerWorkflows: `${wf.cat.key}!category` });
    const e = (await r('executions').get({ filterByTk: runs(res)[0].id })).data.data;
    assert.equal(e.context.data.title, 'News');
  });

  await check('trigger: workflows:trigger (global)', async () => {
    const res = await r('workflows').trigger({ triggerWorkflows: wf.global.key, values: { x: 1 } });
    assert.deepEqual(runs(res).map((e) => [e.workflowKey, e.sync, e.status]), [[wf.global.key, true, 1]]);
  });

  await check('trigger: async workflow is queued, then runs', async () => {
    const res = await r('workflows').trigger({ triggerWorkflows: wf.async.key });
    const [queued] = runs(res);
    assert.equal(queued.sync, false);
    const done = await waitFor(async () => {
      const e = (await r('executions').get({ filterByTk: queued.id })).data.data;
      return e.status === 1 && e;
    }, 'the async execution');
    assert.equal(done.workflowId, wf.async.id);
  });

  await check('point 7: workflows:list filtered on a path inside config (custom-action page)', async () => {
    const { data } = await r('workflows').list({
      filter: { type: 'custom-action', enabled: true, 'config.collection': 'posts' },
      sort: ['id'],
      fields: ['id'],
    });
    assert.deepEqual(data.data, [{ id: wf.one.id }, { id: wf.many.id }]);
  });

  await check('point 7: workflows:list with appends stats, versionStats (workflow list page)', async () => {
    const { data } = await r('workflows').list({
      filter: { current: true },
      sort: ['id'],
      appends: ['stats', 'versionStats'],
      paginate: false,
    });
    const one = data.data.find((w) => w.id === wf.one.id);
    assert.equal(one.stats.key, wf.one.key);
    assert.equal(one.stats.executed, 3);
    assert.deepEqual([one.versionStats.id, one.versionStats.executed], [wf.one.id, 3]);
    const nothing = data.data.find((w) => w.id === wf.cat.id);
    assert.equal(nothing.versionStats.executed, 1);
  });

  await check('point 7: fields[]=versionStats.executed (revisions list of the workflow canvas)', async () => {
    const { data } = await r('workflows').list({ filter: { id: wf.one.id }, fields: ['versionStats.executed'] });
    assert.deepEqual(data.data, [{ versionStats: { executed: 3 } }]);
    const revisions = await r('workflows').list({
      filter: { key: wf.one.key },
      fields: ['id', 'createdAt', 'current', 'enabled', 'versionStats.executed'],
      sort: '-createdAt',
    });
    assert.deepEqual(Object.keys(revisions.data.data[0]).sort(), ['createdAt', 'current', 'enabled', 'id', 'versionStats']);
    assert.deepEqual(revisions.data.data[0].versionStats, { executed: 3 });
  });

  await check('point 7: workflows:get as the workflow canvas asks (filter id; appends nodes, stats.executed, versionStats.executed, createdBy, updatedBy)', async () => {
    const { data } = await r('workflows').get({
      filter: { id: wf.one.id },
      appends: ['nodes', 'stats.executed', 'versionStats.executed', 'createdBy', 'updatedBy'],
    });
    const w = data.data;
    assert.equal(w.id, wf.one.id);
    assert.equal(w.nodes.length, 1);
    assert.deepEqual([w.stats, w.versionStats], [{ executed: 3 }, { executed: 3 }]);
    assert.equal(w.createdById, w.createdBy.id);
    assert.equal(w.updatedById, w.updatedBy.id);
    assert.equal(w.createdBy.username, 'admin');
    assert.equal(w.createdBy.password, undefined);
  });

  let execId;
  await check('executions: list by key, newest first', async () => {
    const { data } = await r('executions').list({ filter: { key: wf.one.key }, sort: ['-id'] });
    assert.equal(data.meta.count, 3);
    execId = data.data[0].id;
  });

  await check('point 7: executions:list with except[]=stack (executions page)', async () => {
    const { data } = await r('executions').list({
      filter: { key: wf.one.key },
      sort: ['-id'],
      except: ['stack'],
      appends: ['workflow'],
    });
    assert.equal(data.meta.count, 3);
    assert.deepEqual([data.data[0].id, data.data[0].workflow.id], [execId, wf.one.id]);
  });

  await check('point 7: executions:get with jobs, workflow, workflow.nodes, except jobs.result', async () => {
    const { data } = await r('executions').get({
      filterByTk: execId,
      appends: ['jobs', 'workflow', 'workflow.nodes'],
      except: ['jobs.result'],
    });
    const e = data.data;
    assert.equal(e.jobs.length, 1);
    assert.equal('result' in e.jobs[0], false);
    assert.equal(e.jobs[0].status, 1);
    assert.deepEqual(e.workflow.nodes.map((n) => n.title), ['one-calc']);
    // The execution page's full set.
    const page = await r('executions').get({
      filterByTk: execId,
      appends: ['jobs', 'workflow', 'workflow.nodes', 'workflow.versionStats', 'workflow.stats'],
      except: ['jobs.result', 'workflow.options'],
    });
    const w = page.data.data.workflow;
    assert.equal('options' in w, false);
    assert.deepEqual([w.stats.executed, w.versionStats.executed, w.nodes.length], [3, 3, 1]);
    assert.equal('result' in page.data.data.jobs[0], false);
  });

  await check('point 6: fields, except and appends on workflows:get, flow_nodes:get, executions:get', async () => {
    const w = (await r('workflows').get({ filterByTk: wf.one.id, fields: ['id', 'nodes.title'] })).data.data;
    assert.deepEqual(w, { id: wf.one.id, nodes: [{ title: 'one-calc' }] });
    const w2 = (await r('workflows').get({ filterByTk: wf.one.id, appends: ['nodes'], except: ['config', 'nodes.config'] })).data.data;
    assert.equal('config' in w2, false);
    assert.equal('config' in w2.nodes[0], false);
    const nodeId = w2.nodes[0].id;
    const n = (await r('flow_nodes').get({ filterByTk: nodeId, fields: ['id', 'title'], appends: ['workflow'] })).data.data;
    assert.deepEqual([Object.keys(n).sort(), n.workflow.id], [['id', 'title', 'workflow'], wf.one.id]);
    const e = (await r('executions').get({ filterByTk: execId, fields: ['id', 'status'] })).data.data;
    assert.deepEqual(e, { id: execId, status: 1 });
    for (const [res, tk] of [['workflows', wf.one.id], ['flow_nodes', nodeId], ['executions', execId]]) {
      await rejects(r(res).get({ filterByTk: tk, appends: ['nope'] }), 400, 'UNKNOWN_FIELD');
    }
  });

  await check('point 5: nodes, role resources and API keys lists carry meta', async () => {
    const nodes = await r('workflows.nodes', wf.one.id).list();
    assert.deepEqual(nodes.data.meta, { count: 1, page: 1, pageSize: 20, totalPage: 1 });
    await r('roles.resources', 'member').create({
      values: { name: 'posts', usingActionsConfig: true, actions: [{ name: 'view' }, { name: 'update', scope: 'own' }] },
    });
    const grants = await r('roles.resources', 'member').list();
    assert.deepEqual(grants.data.meta, { count: 1, page: 1, pageSize: 20, totalPage: 1 });
    await r('apiKeys').create({ values: { name: 'sdk', role: 'root', expiresIn: '1d' } });
    const keys = await r('apiKeys').list();
    assert.deepEqual(keys.data.meta, { count: 1, page: 1, pageSize: 20, totalPage: 1 });
  });

  const member = client();
  await check('point 6: users:list honours filter, sort and fields', async () => {
    await r('users').create({ values: { username: 'm1', password: MEMBER_PASSWORD, roles: ['member'] } });
    await r('users').create({ values: { username: 'm2', password: MEMBER_PASSWORD, roles: ['member'] } });
    const one = await r('users').list({ filter: { username: 'm1' }, fields: ['id', 'username'] });
    assert.deepEqual(one.data.data, [{ id: 2, username: 'm1' }]);
    const sorted = await r('users').list({ sort: ['-id'], fields: ['username'] });
    assert.deepEqual(sorted.data.data.map((u) => u.username), ['m2', 'm1', 'admin']);
  });

  await check('member: sign-in', async () => {
    const res = await member.auth.signIn({ account: 'm1', password: MEMBER_PASSWORD }, 'basic');
    assert.equal(res.data.data.user.username, 'm1');
  });

  await check('point 1: roles:check for the member', async () => {
    const role = (await member.resource('roles').check()).data.data;
    assert.equal(role.role, 'member');
    assert.equal(role.allowAll, false);
    assert.deepEqual(role.resources, ['posts']);
  });

  await check('point 2: collections:listMeta and collections:list for the member', async () => {
    const meta = (await member.resource('collections').listMeta()).data.data;
    const posts = meta.find((c) => c.name === 'posts');
    assert.ok(posts.fields.some((f) => f.name === 'title'));
    const listed = await member.resource('collections').list();
    assert.equal(listed.data.meta.count, 3);
  });

  await check('point 3: X-With-ACL-Meta adds meta.allowedActions', async () => {
    await member.resource('posts').list();
    const root = await api.resource('posts', undefined, { 'X-With-ACL-Meta': 'true' }).list({ sort: ['id'] });
    assert.deepEqual(root.data.meta.allowedActions, { view: [1, 2, 3], update: [1, 2, 3], destroy: [1, 2, 3] });
    const mine = await member.resource('posts', undefined, { 'X-With-ACL-Meta': 'true' }).list({ sort: ['id'] });
    assert.deepEqual(mine.data.meta.allowedActions, { view: [1, 2, 3], update: [], destroy: [] });
  });

  await check('errors: 400 as the caller sees it (unknown field, bad filter)', async () => {
    await rejects(r('posts').list({ filter: { nope: 1 } }), 400, 'UNKNOWN_FIELD');
    await rejects(r('posts').list({ filter: '{not json' }), 400, 'INVALID_FILTER');
    await rejects(r('posts').create({ values: { score: 'x' } }), 400);
  });

  await check('errors: 401 without a token and with a bad one', async () => {
    await rejects(client().resource('posts').list(), 401, 'EMPTY_TOKEN');
    const bad = client();
    bad.auth.setToken('not-a-token');
    await rejects(bad.resource('posts').list(), 401);
    await rejects(client().auth.signIn({ account: 'admin', password: 'wrong-password' }, 'basic'), 401);
  });

  await check('errors: 403 for a member on what its role does not grant', async () => {
    await rejects(member.resource('users').list(), 403, 'NO_PERMISSIONS');
    await rejects(member.resource('posts').destroy({ filterByTk: 1 }), 403, 'NO_PERMISSIONS');
    await rejects(member.resource('collections').create({ values: { name: 'x' } }), 403, 'NO_PERMISSIONS');
  });

  await check('errors: 404 for unknown resources and actions', async () => {
    await rejects(r('nope').list(), 404);
    await rejects(r('posts').nope(), 404);
  });

  await check('sign-out: auth.signOut() clears the token and the old token is refused', async () => {
    await member.auth.signOut();
    assert.ok(!member.auth.token, "no token kept");
    const res = await api.auth.signOut();
    assert.equal(res.status, 200);
    assert.ok(!api.auth.token, "no token kept");
    await rejects(api.request({ url: 'posts:list', method: 'get', headers: { Authorization: `Bearer ${rootToken}` } }), 401);
  });

  if (failed > 0) {
    console.log(`# ${failed} checks failed, ${count} passed`);
    process.exit(1);
  }
  console.log(`# ${count} checks passed`);
}

main().catch((e) => {
  console.log(e && e.stack ? e.stack : String(e));
  process.exit(1);
});

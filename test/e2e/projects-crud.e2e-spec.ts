import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startApi, type RunningApi } from './support/harness.js';
import { call, newUser, type TestUser } from './support/projects.js';

interface ProjectBody {
  id: string;
  name: string;
  description: string;
  owner: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const asProject = (body: Record<string, unknown>) => body as unknown as ProjectBody;

describe('Projects REST API', () => {
  let api: RunningApi;
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  const run = randomUUID().slice(0, 8);

  before(async () => {
    api = await startApi();
    [alice, bob, admin] = await Promise.all([
      newUser('alice'),
      newUser('bob'),
      newUser('admin', ['admin']),
    ]);
  });
  after(async () => {
    await api.close();
  });

  const create = (user: TestUser, name: string, description = '') =>
    call(api.url, user, 'POST', '/projects', { body: { name, description } });

  it('round-trips create, read, update and delete with Location and ETag', async () => {
    const created = await create(alice, `  Atlas ${run}  `, 'maps');
    assert.equal(created.status, 201, created.text);
    const project = asProject(created.body);
    assert.equal(project.name, `Atlas ${run}`, 'the name is trimmed');
    assert.equal(project.description, 'maps');
    assert.equal(project.owner, alice.sub);
    assert.equal(project.version, 1);
    assert.equal(created.headers.get('location'), `/projects/${project.id}`);
    assert.equal(created.headers.get('etag'), '"1"');

    const read = await call(api.url, alice, 'GET', `/projects/${project.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, created.body);
    assert.equal(read.headers.get('etag'), '"1"');
    const notModified = await call(api.url, alice, 'GET', `/projects/${project.id}`, {
      headers: { 'if-none-match': '"1"' },
    });
    assert.equal(notModified.status, 304);

    const patched = await call(api.url, alice, 'PATCH', `/projects/${project.id}`, {
      body: { description: 'better maps' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(asProject(patched.body).description, 'better maps');
    assert.equal(asProject(patched.body).name, `Atlas ${run}`);
    assert.equal(asProject(patched.body).version, 2);
    assert.equal(patched.headers.get('etag'), '"2"');
    assert.ok(asProject(patched.body).updatedAt >= project.updatedAt);

    const deleted = await call(api.url, alice, 'DELETE', `/projects/${project.id}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, '');
    const gone = await call(api.url, alice, 'GET', `/projects/${project.id}`);
    assert.equal(gone.status, 404);
    assert.match(gone.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(
      (await call(api.url, alice, 'DELETE', `/projects/${project.id}`)).status,
      404,
      'deleting twice is a 404',
    );
  });

  it('validates the body: required, trimmed, length-limited name; no unknown properties', async () => {
    for (const body of [
      {},
      { name: '   ' },
      { name: 'x'.repeat(101) },
      { name: 42 },
      { name: 'line\nbreak' },
      { name: 'ok', description: 'd'.repeat(2001) },
      { name: 'ok', owner: bob.sub },
    ]) {
      const response = await call(api.url, alice, 'POST', '/projects', { body });
      assert.equal(response.status, 400, `${JSON.stringify(body)} → ${response.text}`);
      assert.equal(response.body.code, 'bad-request');
    }
    const longest = await create(alice, `${'n'.repeat(92)}${run}`);
    assert.equal(longest.status, 201, '100 characters are allowed');
    const unauthenticated = await call(api.url, undefined, 'POST', '/projects', {
      body: { name: 'x' },
    });
    assert.equal(unauthenticated.status, 401);
  });

  it('answers 409 for a duplicate name of the same owner, case-insensitively', async () => {
    const name = `Dup ${run}`;
    const first = await create(alice, name);
    assert.equal(first.status, 201);
    const again = await create(alice, name.toUpperCase());
    assert.equal(again.status, 409, again.text);
    assert.equal(again.body.code, 'conflict');
    assert.equal((await create(bob, name)).status, 201, 'another owner may use the name');

    const other = await create(alice, `Other ${run}`);
    const rename = await call(api.url, alice, 'PATCH', `/projects/${asProject(other.body).id}`, {
      body: { name },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(rename.status, 409, 'renaming onto a taken name is a 409 too');

    const firstId = asProject(first.body).id;
    assert.equal((await call(api.url, alice, 'DELETE', `/projects/${firstId}`)).status, 204);
    const reused = await create(alice, name);
    assert.equal(reused.status, 201, 'a deleted project frees its name');
    assert.notEqual(asProject(reused.body).id, firstId);
    const reusedId = asProject(reused.body).id;
    assert.equal((await call(api.url, alice, 'DELETE', `/projects/${reusedId}`)).status, 204);
    assert.equal((await create(alice, name)).status, 201, 'and again: deleted rows never collide');
  });

  it('answers 412 on a stale version and 428 without any', async () => {
    const project = asProject((await create(alice, `Locking ${run}`)).body);
    const path = `/projects/${project.id}`;
    const first = await call(api.url, alice, 'PATCH', path, {
      body: { description: 'one' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(first.status, 200);
    const stale = await call(api.url, alice, 'PATCH', path, {
      body: { description: 'two' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(stale.status, 412, stale.text);
    assert.equal(stale.body.code, 'precondition-failed');
    assert.equal(stale.body.currentETag, '"2"');
    const staleByBody = await call(api.url, alice, 'PATCH', path, {
      body: { description: 'two', version: 1 },
    });
    assert.equal(staleByBody.status, 412, 'a stale `version` in the body is refused too');
    const missing = await call(api.url, alice, 'PATCH', path, { body: { description: 'two' } });
    assert.equal(missing.status, 428, missing.text);
    assert.equal(missing.body.code, 'precondition-required');
    const byBody = await call(api.url, alice, 'PATCH', path, {
      body: { description: 'two', version: 2 },
    });
    assert.equal(byBody.status, 200);
    assert.equal(asProject(byBody.body).version, 3);
    const staleDelete = await call(api.url, alice, 'DELETE', path, {
      headers: { 'if-match': '"2"' },
    });
    assert.equal(staleDelete.status, 412, 'DELETE honours If-Match when given');
    const read = await call(api.url, alice, 'GET', path);
    assert.equal(asProject(read.body).description, 'two', 'the stale writes changed nothing');
  });

  it("hides another user's project: 404 for read, update and delete, absent from lists", async () => {
    const project = asProject((await create(alice, `Private ${run}`)).body);
    const path = `/projects/${project.id}`;
    const read = await call(api.url, bob, 'GET', path);
    assert.equal(read.status, 404);
    const missing = await call(api.url, bob, 'GET', `/projects/${randomUUID()}`);
    assert.equal(missing.status, 404);
    assert.deepEqual(
      { ...read.body, instance: undefined, correlationId: undefined, detail: undefined },
      { ...missing.body, instance: undefined, correlationId: undefined, detail: undefined },
      'the same answer as for a project that does not exist',
    );
    const update = await call(api.url, bob, 'PATCH', path, {
      body: { name: 'mine now' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(update.status, 404);
    const compat = await call(api.url, bob, 'POST', '/projects', {
      body: { action: 'update', id: project.id, name: 'mine now', description: '' },
    });
    assert.equal(compat.status, 404, 'the compatibility update is guarded the same way');
    assert.equal((await call(api.url, bob, 'DELETE', path)).status, 404);
    const list = await call(api.url, bob, 'GET', `/projects?search=${encodeURIComponent(run)}`);
    assert.equal(list.status, 200);
    assert.ok(
      !(list.body.items as ProjectBody[]).some((p) => p.id === project.id),
      "not in bob's list",
    );
    const after = await call(api.url, alice, 'GET', path);
    assert.equal(asProject(after.body).name, `Private ${run}`, 'nothing changed');
    assert.equal(asProject(after.body).version, 1);
  });

  it('lets a member of the admin group read, list and change any project', async () => {
    const project = asProject((await create(alice, `Moderated ${run}`)).body);
    const path = `/projects/${project.id}`;
    const read = await call(api.url, admin, 'GET', path);
    assert.equal(read.status, 200);
    assert.equal(asProject(read.body).owner, alice.sub);
    const list = await call(
      api.url,
      admin,
      'GET',
      `/projects?search=${encodeURIComponent(`Moderated ${run}`)}`,
    );
    assert.deepEqual(
      (list.body.items as ProjectBody[]).map((p) => p.id),
      [project.id],
    );
    const patched = await call(api.url, admin, 'PATCH', path, {
      body: { description: 'reviewed' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(patched.status, 200);
    assert.equal(asProject(patched.body).owner, alice.sub, 'the owner stays the owner');
    assert.equal((await call(api.url, admin, 'DELETE', path)).status, 204);
  });

  it('paginates, sorts by whitelisted fields and searches by name', async () => {
    const user = await newUser('pager');
    const names = ['Gamma', 'alpha', 'Beta', 'delta', 'Epsilon'].map((n) => `${n} ${run}`);
    for (const name of names) assert.equal((await create(user, name)).status, 201);
    assert.equal((await create(user, `unrelated ${randomUUID()}`)).status, 201);

    const byName = await call(
      api.url,
      user,
      'GET',
      `/projects?search=${run}&sort=name&page=1&pageSize=2`,
    );
    assert.equal(byName.status, 200, byName.text);
    assert.equal(byName.body.total, 5);
    assert.equal(byName.body.page, 1);
    assert.equal(byName.body.pageSize, 2);
    assert.deepEqual(
      (byName.body.items as ProjectBody[]).map((p) => p.name),
      [`alpha ${run}`, `Beta ${run}`],
      'sorted case-insensitively',
    );
    const page3 = await call(
      api.url,
      user,
      'GET',
      `/projects?search=${run}&sort=name&page=3&pageSize=2`,
    );
    assert.deepEqual(
      (page3.body.items as ProjectBody[]).map((p) => p.name),
      [`Gamma ${run}`],
    );
    const newest = await call(api.url, user, 'GET', `/projects?search=${run}&sort=-createdAt`);
    assert.deepEqual(
      (newest.body.items as ProjectBody[]).map((p) => p.name),
      [...names].reverse(),
    );
    const defaults = await call(api.url, user, 'GET', '/projects');
    assert.equal(defaults.body.total, 6);
    assert.equal(defaults.body.pageSize, 20);
    const search = await call(
      api.url,
      user,
      'GET',
      `/projects?search=${encodeURIComponent('ALPHA')}`,
    );
    assert.deepEqual(
      (search.body.items as ProjectBody[]).map((p) => p.name),
      [`alpha ${run}`],
      'search ignores case',
    );
    for (const bad of ['sort=owner', 'sort=name;DROP TABLE projects', 'page=0', 'pageSize=101']) {
      const response = await call(api.url, user, 'GET', `/projects?${bad}`);
      assert.equal(response.status, 400, `${bad} → ${response.text}`);
    }
  });

  it('stores and searches SQL injection strings and wildcards literally', async () => {
    const user = await newUser('injector');
    const nasty = [
      `Robert'); DROP TABLE projects;-- ${run}`,
      `' OR '1'='1 ${run}`,
      `100% _done_ \\ ${run}`,
      `x" OR 1=1; -- ${run}`,
    ];
    for (const name of nasty) {
      const created = await create(user, name, `${name} described`);
      assert.equal(created.status, 201, created.text);
      const read = await call(api.url, user, 'GET', `/projects/${asProject(created.body).id}`);
      assert.equal(asProject(read.body).name, name, 'stored byte for byte');
      assert.equal(asProject(read.body).description, `${name} described`);
    }
    const searchFor = async (term: string) => {
      const response = await call(
        api.url,
        user,
        'GET',
        `/projects?sort=name&search=${encodeURIComponent(term)}`,
      );
      assert.equal(response.status, 200, response.text);
      return (response.body.items as ProjectBody[]).map((p) => p.name).sort();
    };
    assert.deepEqual(await searchFor(`'); DROP TABLE projects;--`), [nasty[0]]);
    assert.deepEqual(await searchFor(`' OR '1'='1`), [nasty[1]]);
    assert.deepEqual(await searchFor('%'), [nasty[2]], '% is not a wildcard');
    assert.deepEqual(await searchFor('_'), [nasty[2]], '_ is not a wildcard');
    assert.deepEqual(await searchFor('0% _'), [nasty[2]]);
    assert.deepEqual(await searchFor('\\'), [nasty[2]], 'a backslash is literal');
    assert.deepEqual(await searchFor('!'), [], 'the escape character is literal too');
    assert.deepEqual(await searchFor(`" OR 1=1`), [nasty[3]]);
    const all = await call(api.url, user, 'GET', '/projects');
    assert.equal(all.body.total, nasty.length, 'the table is intact');
  });

  it('documents the routes and both POST body shapes in OpenAPI', async () => {
    const docs = await call(api.url, undefined, 'GET', '/docs-json');
    assert.equal(docs.status, 200);
    const paths = docs.body.paths as Record<string, Record<string, Record<string, unknown>>>;
    assert.deepEqual(Object.keys(paths['/projects'] ?? {}).sort(), ['get', 'post']);
    assert.deepEqual(Object.keys(paths['/projects/{id}'] ?? {}).sort(), ['delete', 'get', 'patch']);
    const patchResponses = paths['/projects/{id}']?.patch?.responses as Record<string, unknown>;
    assert.ok('412' in patchResponses && '428' in patchResponses);
    const body = JSON.stringify(paths['/projects']?.post?.requestBody);
    for (const schema of ['CreateProjectDto', 'CompatCreateProjectDto', 'CompatUpdateProjectDto']) {
      assert.ok(body.includes(`#/components/schemas/${schema}`), schema);
    }
  });

  it('keeps the original ManageProjects bodies working', async () => {
    const created = await call(api.url, alice, 'POST', '/projects', {
      body: { action: 'create', name: `Legacy ${run}`, description: 'from the old client' },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.message, 'Project created');
    const project = asProject(created.body.project as Record<string, unknown>);
    assert.equal(project.name, `Legacy ${run}`);
    assert.equal(created.headers.get('location'), `/projects/${project.id}`);
    assert.equal(created.headers.get('etag'), '"1"');

    const updated = await call(api.url, alice, 'POST', '/projects', {
      body: { action: 'update', id: project.id, name: `Legacy 2 ${run}`, description: 'updated' },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.message, 'Project updated');
    const after = asProject(updated.body.project as Record<string, unknown>);
    assert.deepEqual(
      { name: after.name, description: after.description, version: after.version },
      { name: `Legacy 2 ${run}`, description: 'updated', version: 2 },
    );
    assert.equal(updated.headers.get('etag'), '"2"');

    const duplicate = await call(api.url, alice, 'POST', '/projects', {
      body: { action: 'create', name: `legacy 2 ${run}`, description: '' },
    });
    assert.equal(duplicate.status, 409);

    for (const action of ['delete', '', 'CREATE', 7, null]) {
      const unknown = await call(api.url, alice, 'POST', '/projects', {
        body: { action, name: 'x' },
      });
      assert.equal(unknown.status, 400, `${JSON.stringify(action)} → ${unknown.text}`);
      assert.match(unknown.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(unknown.body.code, 'unknown-action');
    }
    const missingId = await call(api.url, alice, 'POST', '/projects', {
      body: { action: 'update', name: 'x', description: '' },
    });
    assert.equal(missingId.status, 400);
    assert.equal(missingId.body.code, 'bad-request');
    const unknownField = await call(api.url, alice, 'POST', '/projects', {
      body: { action: 'create', name: `Extra ${run}`, owner: bob.sub },
    });
    assert.equal(unknownField.status, 400, 'unknown properties are refused in both shapes');
    const numericId = await call(api.url, alice, 'POST', '/projects', {
      body: { action: 'update', id: 12345, name: 'x', description: '' },
    });
    assert.equal(numericId.status, 404, 'an old numeric id is simply not found');
    const notObject = await call(api.url, alice, 'POST', '/projects', { body: ['create'] });
    assert.equal(notObject.status, 400);
  });
});

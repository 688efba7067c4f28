// API v3 for incoming integrations and outgoing webhooks: maintainers only (others 403 on a
// public project, 404 on a private one),
// generated secrets shown on create and detail, never in lists; hook URLs checked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { githubHeaders, githubPayload } from '../../helpers/webhooks.ts';

let app: TestApp;
let repo: GitRepo;
let other: { authorization: string };

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Api\n' } });
  const res = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name: 'Hooks', repository: { url: repo.url } } });
  assert.equal(res.statusCode, 201, res.body);
  other = (await app.newUser('mallory')).auth;
});
after(async () => {
  await app.close();
  repo.remove();
});

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = app.auth) =>
  app.web.inject({ method, url, headers, ...(payload ? { payload } : {}) });

test('integrations: create shows the secret and webhook URL; the list hides secrets; detail shows it; delete', async () => {
  const created = await call('POST', '/api/v3/projects/hooks/integrations/', { type: 'github' });
  assert.equal(created.statusCode, 201, created.body);
  const integration = created.json();
  assert.match(integration.secret, /^[0-9a-f]{64}$/);
  assert.equal(integration.type, 'github');
  assert.equal(integration.webhook_url, `http://localhost:8000/api/v2/webhook/hooks/${integration.id}/`);
  assert.equal(created.headers.location, `http://localhost:8000/api/v3/projects/hooks/integrations/${integration.id}/`);
  const second = (await call('POST', '/api/v3/projects/hooks/integrations/', { type: 'gitlab' })).json();
  assert.notEqual(second.secret, integration.secret, 'each integration has its own secret');

  const list = (await call('GET', '/api/v3/projects/hooks/integrations/')).json();
  assert.equal(list.count, 2);
  assert.deepEqual(list.results.map((i: { type: string }) => i.type), ['github', 'gitlab']);
  assert.ok(list.results.every((i: object) => !('secret' in i)), 'no secrets in lists');
  const detail = (await call('GET', `/api/v3/projects/hooks/integrations/${integration.id}/`)).json();
  assert.equal(detail.secret, integration.secret);

  // The secret works at the URL the API gave.
  const body = JSON.stringify(githubPayload.ping('hooks'));
  const ping = await app.web.inject({ method: 'POST', url: new URL(integration.webhook_url).pathname, headers: githubHeaders('ping', body, integration.secret), payload: body });
  assert.equal(ping.statusCode, 200, ping.body);

  assert.equal((await call('DELETE', `/api/v3/projects/hooks/integrations/${integration.id}/`)).statusCode, 204);
  assert.equal((await call('GET', `/api/v3/projects/hooks/integrations/${integration.id}/`)).statusCode, 404);
  assert.equal((await call('DELETE', `/api/v3/projects/hooks/integrations/${integration.id}/`)).statusCode, 404);
  const afterDelete = await app.web.inject({ method: 'POST', url: new URL(integration.webhook_url).pathname, headers: githubHeaders('ping', body, integration.secret), payload: body });
  assert.equal(afterDelete.statusCode, 404, 'a deleted integration receives nothing');
});

test('integrations: unknown type → 400 naming the field; no token → 401; another user → 403 on a public project, 404 on a private one', async () => {
  const bad = await call('POST', '/api/v3/projects/hooks/integrations/', { type: 'svn' });
  assert.equal(bad.statusCode, 400);
  assert.ok(bad.json().type, bad.body);
  assert.equal((await app.web.inject({ url: '/api/v3/projects/hooks/integrations/' })).statusCode, 401);
  const id = (await call('POST', '/api/v3/projects/hooks/integrations/', { type: 'generic' })).json().id;
  for (const [method, url, payload] of [
    ['GET', '/api/v3/projects/hooks/integrations/'],
    ['POST', '/api/v3/projects/hooks/integrations/', { type: 'github' }],
    ['GET', `/api/v3/projects/hooks/integrations/${id}/`],
    ['DELETE', `/api/v3/projects/hooks/integrations/${id}/`],
    ['GET', '/api/v3/projects/hooks/webhooks/'],
    ['POST', '/api/v3/projects/hooks/webhooks/', { url: 'https://example.com/hook' }],
  ] as const) {
    const res = await call(method, url, payload, other);
    assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
    assert.ok(!res.body.includes('secret'), 'no secret leaks');
  }
  assert.ok((await call('PATCH', '/api/v3/projects/hooks/', { privacy_level: 'private' })).statusCode < 300);
  for (const url of ['/api/v3/projects/hooks/integrations/', `/api/v3/projects/hooks/integrations/${id}/`, '/api/v3/projects/hooks/webhooks/']) {
    assert.equal((await call('GET', url, undefined, other)).statusCode, 404, url);
  }
  assert.ok((await call('PATCH', '/api/v3/projects/hooks/', { privacy_level: 'public' })).statusCode < 300);
  assert.equal((await call('GET', `/api/v3/projects/hooks/integrations/${id}/`)).statusCode, 200, 'still there for its maintainer');
});

test('outgoing webhooks: create (secret, default events), list without secret, detail, delete; bad URL or event → 400', async () => {
  const created = await call('POST', '/api/v3/projects/hooks/webhooks/', { url: 'http://127.0.0.1:9/hook' });
  assert.equal(created.statusCode, 201, created.body);
  const hook = created.json();
  assert.match(hook.secret, /^[0-9a-f]{64}$/);
  assert.deepEqual(hook.events, ['build:passed', 'build:failed']);
  const onlyFailed = (await call('POST', '/api/v3/projects/hooks/webhooks/', { url: 'https://example.com/ci', events: ['build:failed'] })).json();
  assert.deepEqual(onlyFailed.events, ['build:failed']);
  const list = (await call('GET', '/api/v3/projects/hooks/webhooks/')).json();
  assert.equal(list.count, 2);
  assert.ok(list.results.every((h: object) => !('secret' in h)));
  const detail = (await call('GET', `/api/v3/projects/hooks/webhooks/${hook.id}/`)).json();
  assert.equal(detail.secret, hook.secret);
  assert.deepEqual(detail.recent_attempts, []);
  for (const payload of [{ url: 'ftp://example.com/x' }, { url: 'not a url' }, { url: 'https://example.com/', events: ['build:exploded'] }, { url: 'https://example.com/', events: [] }]) {
    const res = await call('POST', '/api/v3/projects/hooks/webhooks/', payload);
    assert.equal(res.statusCode, 400, `${JSON.stringify(payload)}: ${res.body}`);
    assert.ok(Object.keys(res.json()).length > 0 && !('detail' in res.json()), res.body);
  }
  assert.equal((await call('DELETE', `/api/v3/projects/hooks/webhooks/${hook.id}/`)).statusCode, 204);
  assert.equal((await call('GET', `/api/v3/projects/hooks/webhooks/${hook.id}/`)).statusCode, 404);
});

test('outgoing webhooks: loopback and private addresses are refused unless the server allows them', async () => {
  const strict = await testApp({ builder: false, allowLocalRepositories: false });
  try {
    const project = await strict.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: strict.auth, payload: { name: 'Strict', repository: { url: 'https://example.invalid/strict.git' } } });
    assert.equal(project.statusCode, 201, project.body);
    for (const url of ['http://127.0.0.1/x', 'http://localhost:8080/x', 'http://api.localhost/x', 'http://[::1]/x', 'http://10.1.2.3/x', 'http://192.168.0.1/x', 'http://169.254.169.254/latest/meta-data/', 'http://0x7f000001/x', 'http://[::ffff:127.0.0.1]/x', 'http://0.0.0.0/x']) {
      const res = await strict.web.inject({ method: 'POST', url: '/api/v3/projects/strict/webhooks/', headers: strict.auth, payload: { url } });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.match(res.json().url[0], /private/, url);
    }
    const ok = await strict.web.inject({ method: 'POST', url: '/api/v3/projects/strict/webhooks/', headers: strict.auth, payload: { url: 'https://hooks.example.com/bindery' } });
    assert.equal(ok.statusCode, 201, ok.body);
  } finally {
    await strict.close();
  }
});

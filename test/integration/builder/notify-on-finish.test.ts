// When a build ends, the queue itself tells the project's outgoing webhooks, signed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';

let app: TestApp;
let repo: GitRepo;
let hookServer: http.Server;
const received: Array<{ body: string; signature: string }> = [];

before(async () => {
  app = await testApp({ notify: true });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Notify\n' } });
  hookServer = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ body, signature: String(req.headers['x-bindery-signature'] ?? '') });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
});
after(async () => {
  hookServer.close();
  await app.close();
  repo.remove();
});

test('a finished build is announced to the outgoing webhook, with a valid signature', async () => {
  const created = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name: 'Notify', repository: { url: repo.url } } });
  assert.equal(created.statusCode, 201);
  for (const b of (await app.web.inject({ url: '/api/v3/projects/notify/builds/', headers: app.auth })).json().results) await app.waitForBuild(b.id);
  const port = (hookServer.address() as AddressInfo).port;
  const hook = await app.web.inject({ method: 'POST', url: '/api/v3/projects/notify/webhooks/', headers: app.auth, payload: { url: `http://127.0.0.1:${port}/hook`, events: ['build:passed', 'build:failed'] } });
  assert.equal(hook.statusCode, 201, hook.body);
  const secret = hook.json().secret as string;
  const trigger = await app.web.inject({ method: 'POST', url: '/api/v3/projects/notify/versions/latest/builds/', headers: app.auth });
  const build = await app.waitForBuild(trigger.json().build.id);
  assert.equal(build.state, 'finished');
  for (const deadline = Date.now() + 10_000; received.length === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
  assert.equal(received.length, 1, 'one delivery for the one build that ended after the hook existed');
  const payload = JSON.parse(received[0]!.body);
  assert.equal(payload.event, 'build:passed');
  assert.equal(payload.build.id, build.id);
  assert.equal(received[0]!.signature, `sha256=${createHmac('sha256', secret).update(received[0]!.body).digest('hex')}`);
});

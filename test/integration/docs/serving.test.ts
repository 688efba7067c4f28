// The docs server's URL rules and path safety, request by request, over a real socket.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { get } from '../../helpers/http.ts';

let app: TestApp;
let repo: GitRepo;
let port: number;
const host = () => `guide.docs.localhost:${port}`;

before(async () => {
  app = await testApp();
  repo = makeGitRepo({
    files: {
      'mkdocs.yml': 'site_name: Guide\nuse_directory_urls: false\n',
      'docs/index.md': '# Home\n\nWelcome home.\n',
      'docs/setup/index.md': '# Setup\n\nSetting up.\n',
      'docs/page.md': '# A page\n',
      'docs/404.md': '# Lost\n\nThis page is the version 404.\n',
      'docs/data.json': '{"ok": true}\n',
      'docs/img/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"></svg>\n',
    },
  });
  // A file outside every build, which no request may ever reach.
  fs.writeFileSync(path.join(app.storage.root, 'secret.txt'), 'top secret\n');
  const res = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name: 'Guide', repository: { url: repo.url } } });
  assert.equal(res.statusCode, 201, res.body);
  const builds = (await app.web.inject({ url: '/api/v3/projects/guide/builds/', headers: app.auth })).json();
  for (const b of builds.results) assert.equal((await app.waitForBuild(b.id)).state, 'finished');
  await app.docs.listen({ port: 0, host: '127.0.0.1' });
  port = (app.docs.server.address() as AddressInfo).port;
});
after(async () => {
  await app.close();
  repo.remove();
});

test('URL rules: request → status, Location, content', async () => {
  const rows: Array<{ path: string; status: number; location?: string; body?: RegExp; type?: RegExp }> = [
    { path: '/', status: 302, location: '/en/latest/' },
    { path: '/?utm=1', status: 302, location: '/en/latest/?utm=1' },
    { path: '/en', status: 302, location: '/en/latest/' },
    { path: '/en/', status: 302, location: '/en/latest/' },
    { path: '/en/latest', status: 302, location: '/en/latest/' },
    { path: '/en/latest?x=1', status: 302, location: '/en/latest/?x=1' },
    { path: '/en/latest/', status: 200, body: /Welcome home\./, type: /^text\/html; charset=utf-8/ },
    { path: '/en/latest/index.html', status: 200, body: /Welcome home\./ },
    { path: '/en/latest/setup/', status: 200, body: /Setting up\./ },
    { path: '/en/latest/setup', status: 302, location: '/en/latest/setup/' },
    { path: '/en/latest/setup?a=b', status: 302, location: '/en/latest/setup/?a=b' },
    { path: '/en/latest/page.html', status: 200, body: /A page/ },
    { path: '/en/latest/page', status: 404, body: /This page is the version 404/ },
    { path: '/en/latest/data.json', status: 200, type: /^application\/json/ },
    { path: '/en/latest/img/logo.svg', status: 200, type: /^image\/svg\+xml/ },
    { path: '/en/latest/missing.html', status: 404, body: /This page is the version 404/ },
    // No such version: the default version's 404 page.
    { path: '/en/no-such-version/', status: 404, body: /This page is the version 404/ },
    { path: '/fr/latest/', status: 404 },
    { path: '//evil.example/en/latest/', status: 302, location: '/evil.example/en/latest/' },
  ];
  for (const row of rows) {
    const res = await get(port, host(), row.path);
    assert.equal(res.status, row.status, `${row.path}: ${res.status} ${res.body.slice(0, 200)}`);
    if (row.location !== undefined) assert.equal(res.headers.location, row.location, row.path);
    if (row.body) assert.match(res.body, row.body, row.path);
    if (row.type) assert.match(res.headers['content-type'] ?? '', row.type, row.path);
  }
});

test('unknown projects and hosts outside the docs domain → 404', async () => {
  assert.equal((await get(port, `nope.docs.localhost:${port}`, '/en/latest/')).status, 404);
  assert.equal((await get(port, `guide.docs.example.com`, '/en/latest/')).status, 404);
  // A name nested under the docs domain is a lookalike, refused as Read the Docs does (400).
  assert.equal((await get(port, `a.guide.docs.localhost`, '/en/latest/')).status, 400);
});

test('path traversal never leaves the build: each spelling → 400, never the file', async () => {
  const attacks = [
    '/en/latest/../../../secret.txt',
    '/en/latest/%2e%2e/%2e%2e/%2e%2e/secret.txt',
    '/en/latest/%2E%2e/%2e%2E/%2e%2e/secret.txt',
    '/en/latest/..%2f..%2f..%2fsecret.txt',
    '/en/latest/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt',
    '/en/latest/..%5c..%5c..%5csecret.txt',
    '/en/latest/..\\..\\..\\secret.txt',
    '/en/latest/index.html%00.txt',
    '/en/latest/%00',
    '/en/latest/./index.html',
    '/en/latest/%zz',
  ];
  for (const attack of attacks) {
    const res = await get(port, host(), attack);
    assert.equal(res.status, 400, `${attack}: ${res.status}`);
    assert.doesNotMatch(res.body, /top secret/, attack);
  }
});

test('HEAD answers like GET without a body', async () => {
  const res = await app.docs.inject({ method: 'HEAD', url: '/en/latest/', headers: { host: host() } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, '');
});

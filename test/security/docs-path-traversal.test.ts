// Attack: path traversal in docs URLs. Two projects are really built into one storage
// folder, and a file sits at the storage root and one beside it; every hostile path asked of
// one project's docs host — through inject and byte for byte over a socket, where no client
// normalises it — must answer 400, 404 or a same-host redirect, never a 500, and never
// another project's, the storage root's or the host's bytes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { apiClient, importProject } from '../helpers/api-client.ts';
import { rawGet } from '../helpers/raw-http.ts';
import { get } from '../helpers/http.ts';
import { settle } from '../helpers/webhooks.ts';

const OTHER = 'OTHER-PROJECT-PRIVATE-2c9f';
const ROOT = 'STORAGE-ROOT-SECRET-7d1e';
const OUTSIDE = 'OUTSIDE-STORAGE-SECRET-41aa';

let app: TestApp;
let repoA: GitRepo;
let repoB: GitRepo;
let port: number;
let host: string;
let otherBuild: number;
let outsideName: string;

before(async () => {
  app = await testApp();
  repoA = makeGitRepo({ files: { 'docs/index.md': '# Alpha\n\nAlpha home.\n', 'docs/guide/install.md': '# Install\n\nAlpha install.\n' } });
  repoB = makeGitRepo({ files: { 'docs/index.md': `# Beta\n\n${OTHER}\n`, 'docs/secret.md': `# Secret\n\n${OTHER}\n` } });
  const api = apiClient(app);
  await importProject(api, 'Alpha', repoA.url);
  await importProject(api, 'Beta', repoB.url);
  for (const slug of ['alpha', 'beta']) {
    const { id } = (await api.get(`/api/v3/projects/${slug}/`)).json();
    await settle(app, id);
  }
  const builds = (await api.get('/api/v3/projects/beta/builds/')).json().results;
  otherBuild = builds[0].id;
  assert.equal((await app.waitForBuild(otherBuild)).state, 'finished');
  // A file at the storage root, and one in the folder that holds the storage root.
  await app.storage.put('root-secret.txt', ROOT);
  await app.storage.put('root-secret/index.html', ROOT);
  outsideName = `outside-${process.pid}.html`;
  fs.writeFileSync(path.join(app.storage.root, '..', outsideName), OUTSIDE);
  await app.docs.listen({ port: 0, host: '127.0.0.1' });
  port = (app.docs.server.address() as AddressInfo).port;
  host = `alpha.${app.docsDomain}`;
});

after(async () => {
  fs.rmSync(path.join(app.storage.root, '..', outsideName), { force: true });
  await app.close();
  repoA.remove();
  repoB.remove();
});

function assertNoLeak(what: string, status: number, body: string): void {
  assert.notEqual(status, 500, `${what} → 500`);
  assert.ok(status !== 0, `${what}: the server closed the connection without an answer`);
  assert.ok(status < 500, `${what} → ${status}`);
  for (const marker of [OTHER, ROOT, OUTSIDE, 'root:x:0:0']) assert.ok(!body.includes(marker), `${what} leaked ${marker}: ${status}`);
}

/** Follows same-host redirects (at most 3) and checks every answer. */
async function attack(target: string): Promise<void> {
  let url = target;
  for (let hop = 0; hop < 4; hop++) {
    const res = await app.docs.inject({ method: 'GET', url, headers: { host } });
    assertNoLeak(`inject ${JSON.stringify(url)}`, res.statusCode, res.body);
    if (res.statusCode < 300 || res.statusCode >= 400) return;
    const location = String(res.headers.location);
    assert.match(location, /^\/(?![/\\])/, `${url} redirects off the host: ${location}`);
    url = location;
  }
}

const otherPrefix = () => `beta/latest/${otherBuild}/html`;

const TRAVERSALS = (): string[] => [
  '/en/latest/../../beta/en/latest/',
  '/en/latest/../../../beta/latest/',
  `/en/latest/../../../../${otherPrefix()}/secret/index.html`,
  `/en/latest/../../../../root-secret.txt`,
  `/en/latest/../../../../../${outsideName}`,
  `/en/latest/%2e%2e/%2e%2e/%2e%2e/%2e%2e/${otherPrefix()}/secret/index.html`,
  `/en/latest/%2E%2E/%2E%2E/%2E%2E/%2E%2E/root-secret.txt`,
  `/en/latest/.%2e/.%2e/.%2e/.%2e/root-secret.txt`,
  `/en/latest/%252e%252e/%252e%252e/%252e%252e/%252e%252e/root-secret.txt`,
  `/en/latest/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/root-secret.txt`,
  `/en/latest/%c0%af..%c0%af..%c0%af..%c0%afroot-secret.txt`,
  `/en/latest/%e0%80%ae%e0%80%ae/root-secret.txt`,
  `/en/latest/..%5c..%5c..%5c..%5croot-secret.txt`,
  `/en/latest/%5c..%5c..%5c..%5c..%5croot-secret.txt`,
  `/en/latest/..%2f..%2f..%2f..%2froot-secret.txt`,
  `/en/latest/..%2F..%2F..%2F..%2F${otherPrefix().replace(/\//g, '%2F')}%2Fsecret%2Findex.html`,
  `/en/latest/%2fetc%2fpasswd`,
  `/en/latest/%00../../../../root-secret.txt`,
  `/en/latest/index.html%00.txt`,
  `/en/latest/..%00/..%00/root-secret.txt`,
  '//beta.docs.localhost/en/latest/secret/index.html',
  `//../../../../root-secret.txt`,
  `/en//latest//..//..//..//..//root-secret.txt`,
  `/en/latest//${otherPrefix()}/secret/index.html`,
  `/en/latest/${'../'.repeat(30)}etc/passwd`,
  '/_/downloads/../../../../root-secret.txt',
  '/_/downloads/en/latest/../../../../../root-secret.txt',
  '/_/downloads/beta/en/latest/htmlzip/',
  '/_/downloads/%2e%2e/en/latest/htmlzip/',
  '/projects/../beta/en/latest/secret/index.html',
  '/projects/%2e%2e/en/latest/',
  '/projects/beta/en/latest/secret/index.html',
  '/projects/..%2fbeta/en/latest/secret/index.html',
  '/../beta/en/latest/secret/index.html',
  '/%2e%2e/%2e%2e/root-secret.txt',
  '/en/..%2f..%2fbeta/latest/secret/index.html',
  '/../../../../../../etc/passwd',
  '/en/latest/./././../../root-secret.txt',
  '/en/latest/%2e/%2e/%2e%2e/root-secret.txt',
  '/en/latest/%ff%fe/',
  '/en/latest/%',
  '/en/latest/%zz',
  `/en/latest/${'a'.repeat(5000)}`,
  '/en/latest/\u2025/\u2025/root-secret.txt',
  '/en/latest/%EF%BC%8E%EF%BC%8E/%EF%BC%8E%EF%BC%8E/root-secret.txt',
  '/beta/latest/secret/index.html',
  `/${otherPrefix()}/secret/index.html`,
  '/root-secret.txt',
  '/root-secret/index.html',
];

test('the real builds are served (the attacks below aim at something that exists)', async () => {
  const own = await get(port, `${host}:${port}`, '/en/latest/');
  assert.equal(own.status, 200);
  assert.match(own.body, /Alpha home/);
  const other = await get(port, `beta.${app.docsDomain}:${port}`, '/en/latest/secret/index.html');
  assert.equal(other.status, 200, 'the other project really has the file the attacks look for');
  assert.match(other.body, new RegExp(OTHER));
  assert.equal((await app.storage.get('root-secret.txt'))?.size, ROOT.length);
});

test('hostile paths through inject: never another project, the storage root or the host; never a 500', async () => {
  for (const target of TRAVERSALS()) await attack(target);
  // The same paths with HEAD, and with a query string that names a file.
  for (const target of TRAVERSALS().slice(0, 12)) {
    const res = await app.docs.inject({ method: 'HEAD', url: target, headers: { host } });
    assert.ok(res.statusCode < 500, `HEAD ${target} → ${res.statusCode}`);
    await attack(`${target}?file=../../root-secret.txt`);
  }
});

test('hostile request lines byte for byte over a socket: the same answers', async () => {
  const raw: Array<string | Buffer> = [
    ...TRAVERSALS(),
    '/en/latest/..\\..\\..\\..\\root-secret.txt',
    '/en/latest/\\..\\..\\..\\..\\root-secret.txt',
    '/\\beta.docs.localhost/en/latest/secret/index.html',
    Buffer.from([...Buffer.from('/en/latest/'), 0xc0, 0xae, 0xc0, 0xae, 0x2f, 0xc0, 0xae, 0xc0, 0xae, ...Buffer.from('/../../root-secret.txt')]),
    Buffer.from([...Buffer.from('/en/latest/'), 0xe0, 0x80, 0xae, ...Buffer.from('/root-secret.txt')]),
    Buffer.from([...Buffer.from('/en/latest/..'), 0x00, ...Buffer.from('/../../../root-secret.txt')]),
    Buffer.from([...Buffer.from('/en/latest/'), 0xff, 0xfe, ...Buffer.from('/../../../root-secret.txt')]),
    `http://beta.docs.localhost/en/latest/secret/index.html`,
    `http://${host}/../../../../root-secret.txt`,
    '*',
    '../../../../root-secret.txt',
    'en/latest/../../../../root-secret.txt',
  ];
  for (const target of raw) {
    const res = await rawGet(port, host, target);
    const what = `socket ${JSON.stringify(Buffer.isBuffer(target) ? target.toString('latin1') : target)}`;
    assertNoLeak(what, res.status, res.text);
    if (res.status >= 300 && res.status < 400) {
      const location = /\r\nlocation: ([^\r]*)/i.exec(res.text)?.[1] ?? '';
      assert.match(location, /^\/(?![/\\])/, `${what} redirects off the host: ${location}`);
      const next = await rawGet(port, host, location);
      assertNoLeak(`${what} → ${location}`, next.status, next.text);
    }
  }
});

test('the other project is not reachable through its slug, alias or files on this host', async () => {
  for (const target of ['/projects/beta/', '/projects/beta/en/latest/', '/en/beta/', '/beta/', '/_/downloads/beta/en/latest/htmlzip/']) {
    const res = await app.docs.inject({ url: target, headers: { host } });
    assertNoLeak(target, res.statusCode, res.body);
    assert.notEqual(res.statusCode, 200, `${target} answered 200 on alpha's host`);
  }
});

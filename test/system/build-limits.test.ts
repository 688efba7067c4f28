// Hostile builds end with their own reason and leave nothing behind: a build that never
// ends, a fork bomb, a flood of output, a peek at other projects' files or the builder's
// secrets. Each goes through the whole path: API → queue → builder → sandbox.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
const repos: GitRepo[] = [];
const SECRET = 'builder-own-secret-value-9876';

before(async () => {
  process.env.BINDERY_TEST_BUILDER_SECRET = SECRET;
  app = await testApp({
    timeoutMs: 8_000,
    limits: { memoryBytes: 256 * 1024 * 1024, maxProcesses: 64, maxOutputBytes: 20 * 1024 * 1024, maxLogBytes: 1024 * 1024, maxDiskBytes: 200 * 1024 * 1024, maxFiles: 5_000 },
  });
});
after(async () => {
  await app.close();
  for (const r of repos) r.remove();
});

async function runProject(name: string, commands: string[]) {
  const yaml = ['version: 2', 'build:', '  os: ubuntu-24.04', '  commands:', ...commands.map((c) => `    - ${JSON.stringify(c)}`), ''].join('\n');
  const repo = makeGitRepo({ files: { '.readthedocs.yaml': yaml } });
  repos.push(repo);
  const res = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name, repository: { url: repo.url } } });
  assert.equal(res.statusCode, 201, res.body);
  const slug = res.json().slug as string;
  const list = (await app.web.inject({ url: `/api/v3/projects/${slug}/builds/`, headers: app.auth })).json();
  const done = await app.waitForBuild(list.results[0].id, 60_000);
  const detail = (await app.web.inject({ url: `/api/v3/projects/${slug}/builds/${done.id}/`, headers: app.auth })).json();
  return { build: done, log: (detail.log as Array<{ line: string }>).map((l) => l.line).join('\n') };
}

const html = 'mkdir -p $READTHEDOCS_OUTPUT/html && echo ok > $READTHEDOCS_OUTPUT/html/index.html';

test('a build that loops forever ends with a timeout', async () => {
  const { build } = await runProject('Forever', ['while true; do :; done']);
  assert.equal(build.state, 'finished');
  assert.equal(build.success, false);
  assert.equal(build.errorCode, 'build-timeout');
  assert.match(build.error ?? '', /time limit/);
});

test('a fork bomb hits the process limit', async () => {
  const { build } = await runProject('Fork Bomb', ['bomb() { bomb | bomb & }; bomb; sleep 5']);
  assert.equal(build.state, 'finished');
  assert.equal(build.success, false);
  assert.equal(build.errorCode, 'process-limit', build.error ?? '');
});

test('a build printing without end hits the log cap quickly', async () => {
  const started = Date.now();
  const { build } = await runProject('Flood', ['yes "all work and no play makes a long log" | head -c 1000000000']);
  assert.equal(build.state, 'finished');
  assert.equal(build.success, false);
  assert.equal(build.errorCode, 'log-limit', build.error ?? '');
  assert.ok(Date.now() - started < 30_000);
});

test("a build cannot read other projects' files, the storage, or the builder's environment", async () => {
  const other = await runProject('Other Project', [html]);
  assert.equal(other.build.state, 'finished');
  const storageFile = `${app.storage.root}/other-project/latest/${other.build.id}/html/index.html`;
  const { build: spy, log } = await runProject('Spy', [
    `cat ${storageFile} && echo READ-STORAGE || echo storage-denied`,
    'env | grep -c BINDERY_TEST_BUILDER_SECRET || echo env-clean',
    `ls /proc/1/environ >/dev/null 2>&1; grep -a ${SECRET} /proc/*/environ 2>/dev/null && echo FOUND-SECRET || echo proc-clean`,
    'echo x > /usr/pwned 2>/dev/null && echo WROTE-USR || echo usr-read-only',
    html,
  ]);
  assert.equal(spy.state, 'finished', spy.error ?? '');
  assert.match(log, /storage-denied/);
  assert.doesNotMatch(log, /READ-STORAGE/);
  assert.match(log, /env-clean/);
  assert.doesNotMatch(log, new RegExp(SECRET));
  assert.match(log, /proc-clean/);
  assert.match(log, /usr-read-only/);
});

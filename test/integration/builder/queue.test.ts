// The build queue and the builder API: superseding, cancelling a running build (its
// process tree dies), live logs over SSE, the builder secret and per-attempt tokens.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { findProjectBySlug } from '../../../src/db/projects.ts';
import { findVersion } from '../../../src/db/versions.ts';
import { getBuild } from '../../../src/db/builds.ts';

let app: TestApp;
let repo: GitRepo;

const sleeper = (seconds: number, marker: string) => [
  'version: 2',
  'build:',
  '  os: ubuntu-24.04',
  '  commands:',
  `    - echo started; bash -c 'sleep ${seconds}; echo ${marker}'; sleep ${seconds}.25`,
  '    - mkdir -p $READTHEDOCS_OUTPUT/html && echo done > $READTHEDOCS_OUTPUT/html/index.html',
  '',
].join('\n');

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { '.readthedocs.yaml': sleeper(60, 'bindery-cancel-marker') } });
  const res = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name: 'Queue', repository: { url: repo.url } } });
  assert.equal(res.statusCode, 201, res.body);
});
after(async () => {
  await app.close();
  repo.remove();
});

async function latest() {
  const project = (await findProjectBySlug(app.database.db, 'queue'))!;
  return { project, version: (await findVersion(app.database.db, project.id, 'latest'))! };
}

test('a newer trigger supersedes the build still waiting in the queue', async () => {
  const { project, version } = await latest();
  const first = await app.queue.trigger({ projectId: project.id, versionId: version.id, commit: null, trigger: 'api' });
  const second = await app.queue.trigger({ projectId: project.id, versionId: version.id, commit: null, trigger: 'api' });
  const old = (await getBuild(app.database.db, first.id))!;
  assert.equal(old.state, 'cancelled');
  assert.equal(old.errorCode, 'superseded');
  assert.equal((await getBuild(app.database.db, second.id))!.state, 'triggered');
});

test('the builder API wants the builder secret, and a per-attempt token for each build', async () => {
  const bad = await app.web.inject({ method: 'POST', url: '/api/builder/v1/claim', headers: { authorization: 'Bearer nope' }, payload: { builder: 'x' } });
  assert.equal(bad.statusCode, 401);
  const claim = await app.web.inject({ method: 'POST', url: '/api/builder/v1/claim', headers: { authorization: `Bearer ${app.builderSecret}` }, payload: { builder: 'manual' } });
  assert.equal(claim.statusCode, 200, claim.body);
  const { job, token } = claim.json();
  assert.equal(job.projectSlug, 'queue');
  const auth = { authorization: `Bearer ${app.builderSecret}` };
  const wrongToken = await app.web.inject({ method: 'POST', url: `/api/builder/v1/builds/${job.buildId}/heartbeat`, headers: { ...auth, 'x-build-token': 'bld_wrong' } });
  assert.equal(wrongToken.statusCode, 409);
  const beat = await app.web.inject({ method: 'POST', url: `/api/builder/v1/builds/${job.buildId}/heartbeat`, headers: { ...auth, 'x-build-token': token } });
  assert.equal(beat.statusCode, 200);
  assert.deepEqual(beat.json(), { cancel: false });
  // Reports are idempotent: the same batch twice stores each line once.
  const ops = [{ op: 'log', seq: 0, step: null, stream: 'info', line: 'hello' }, { op: 'log', seq: 1, step: null, stream: 'info', line: 'world' }];
  for (let i = 0; i < 2; i++) {
    const res = await app.web.inject({ method: 'POST', url: `/api/builder/v1/builds/${job.buildId}/report`, headers: { ...auth, 'x-build-token': token }, payload: { ops } });
    assert.equal(res.statusCode, 200, res.body);
  }
  const detail = (await app.web.inject({ url: `/api/v3/projects/queue/builds/${job.buildId}/`, headers: app.auth })).json();
  assert.deepEqual(detail.log.map((l: { line: string }) => l.line), ['hello', 'world']);
  const done = await app.web.inject({ method: 'POST', url: `/api/builder/v1/builds/${job.buildId}/finish`, headers: { ...auth, 'x-build-token': token }, payload: { success: false, errorCode: 'manual', error: 'stopped by the test' } });
  assert.equal(done.statusCode, 200);
  // The attempt is over: its token no longer works.
  const late = await app.web.inject({ method: 'POST', url: `/api/builder/v1/builds/${job.buildId}/heartbeat`, headers: { ...auth, 'x-build-token': token } });
  assert.equal(late.statusCode, 409);
});

test('cancelling a running build kills its process tree within seconds; the log streams live over SSE', async () => {
  app.runner.start();
  const trigger = await app.web.inject({ method: 'POST', url: '/api/v3/projects/queue/versions/latest/builds/', headers: app.auth });
  const id = trigger.json().build.id as number;
  await app.web.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.web.server.address() as AddressInfo).port;
  const stream = await fetch(`http://127.0.0.1:${port}/api/v3/projects/queue/builds/${id}/log/stream/`, { headers: app.auth });
  assert.equal(stream.status, 200);
  assert.match(stream.headers.get('content-type') ?? '', /text\/event-stream/);
  const reader = stream.body!.getReader();
  let text = '';
  const decoder = new TextDecoder();
  // Read until the build's command has printed "started": the log arrives while it runs.
  while (!/"line":"started"/.test(text)) {
    const { value, done } = await reader.read();
    assert.ok(!done, `stream ended early: ${text}`);
    text += decoder.decode(value);
  }
  assert.match(text, /event: state/);
  const running = () => {
    try {
      return execFileSync('pgrep', ['-f', 'bindery-cancel-marker'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  assert.notEqual(running(), '', 'the build command is running');
  const cancelledAt = Date.now();
  const cancel = await app.web.inject({ method: 'POST', url: `/api/v3/projects/queue/builds/${id}/cancel/`, headers: app.auth });
  assert.equal(cancel.statusCode, 202, cancel.body);
  const build = await app.waitForBuild(id, 15_000);
  assert.equal(build.state, 'cancelled');
  assert.ok(Date.now() - cancelledAt < 10_000, 'cancelled within seconds');
  assert.equal(running(), '', 'no process of the build survives');
  while (!/event: end/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  assert.match(text, /"code":"cancelled"/);
  const again = await app.web.inject({ method: 'POST', url: `/api/v3/projects/queue/builds/${id}/cancel/`, headers: app.auth });
  assert.equal(again.statusCode, 409);
});

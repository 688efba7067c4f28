// No build stays running forever: a build whose builders keep dying (they claim it and
// never send a heartbeat) is retried up to three times, then failed with a reason by the
// periodic sweep: finished with success false, and a notification saying why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { eq } from 'drizzle-orm';
import { getBuild } from '../../src/db/builds.ts';
import { notifications } from '../../src/db/schema.ts';
import { MAX_ATTEMPTS } from '../../src/queue/build-queue.ts';

let app: TestApp;
let repo: GitRepo;

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# x\n' } });
});
after(async () => {
  await app.close();
  repo.remove();
});

test('a build abandoned on every attempt ends failed with builder-lost, not running forever', async () => {
  const res = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name: 'Abandoned', repository: { url: repo.url } } });
  assert.equal(res.statusCode, 201);
  const id = (await app.web.inject({ url: '/api/v3/projects/abandoned/builds/', headers: app.auth })).json().results[0].id as number;
  const auth = { authorization: `Bearer ${app.builderSecret}` };
  const attempts: number[] = [];
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
    const build = (await getBuild(app.database.db, id))!;
    if (build.state === 'finished') break;
    // A builder that claims the build and dies at once: no heartbeat, no report.
    const claim = await app.web.inject({ method: 'POST', url: '/api/builder/v1/claim', headers: auth, payload: { builder: `doomed-${attempts.length + 1}` } });
    if (claim.statusCode === 200) attempts.push(claim.json().job.attempt);
  }
  const build = (await getBuild(app.database.db, id))!;
  assert.deepEqual(attempts, Array.from({ length: MAX_ATTEMPTS }, (_, i) => i + 1), 'each attempt was handed out once, numbered');
  assert.equal(build.state, 'finished');
  assert.equal(build.success, false);
  assert.equal(build.errorCode, 'builder-lost');
  assert.match(build.error ?? '', /stopped responding/);
  const notes = await app.database.db.select().from(notifications).where(eq(notifications.buildId, id));
  assert.deepEqual(notes.map((n) => n.messageId), ['build:app:terminated-due-inactivity']);
});

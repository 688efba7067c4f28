// The webhook receivers' contract with providers, beyond each provider's own file: nothing
// slow happens inside the request (the version sync's `git ls-remote` runs in the queue,
// after the answer: shown with a repository whose HEAD blocks until the test feeds it), and pull request events on a project without previews, unknown
// events and Read the Docs' provider URLs answer as Read the Docs answers them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { buildsOf, githubHeaders, githubPayload, gitlabHeaders, gitlabPayload, hookedProject, newBuilds, syncsDone, versionOf, type HookedProject } from '../../helpers/webhooks.ts';

let app: TestApp;
let repo: GitRepo;
let github: HookedProject;

before(async () => {
  // No builder: these tests look at answers and queued builds, not at built docs.
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Contract\n' } });
  github = await hookedProject(app, repo, 'Contract', 'github', { builder: false });
});
after(async () => {
  await syncsDone(app);
  await app.close();
  repo.remove();
});

function sendGithub(event: string, payload: object, path = github.path) {
  const body = JSON.stringify(payload);
  return app.web.inject({ method: 'POST', url: path, headers: githubHeaders(event, body, github.secret), payload: body });
}

/**
 * Makes the repository slow to read: its HEAD becomes a FIFO, so `git ls-remote` (which
 * opens HEAD several times) blocks until the test feeds it. `fed()` starts feeding every
 * reader until `stop()`; `waiting()` resolves once a reader is blocked on it. The fallback
 * only keeps a broken receiver (one that waited for the sync inside the request) from
 * hanging the test: the assertion is about the order of events, not about time.
 */
function slowRepository(events: string[]) {
  const head = path.join(repo.dir, '.git', 'HEAD');
  const saved = fs.readFileSync(head, 'utf8');
  fs.rmSync(head);
  execFileSync('mkfifo', [head]);
  const tryOpen = () => fs.promises.open(head, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENXIO') return null; // no reader yet
    throw err;
  });
  let feeding = false;
  let stopped = false;
  const pause = () => new Promise((r) => setTimeout(r, 20));
  const feedLoop = async () => {
    while (!stopped) {
      const fd = await tryOpen();
      if (!fd) {
        await pause();
        continue;
      }
      if (!events.includes('ls-remote fed')) events.push('ls-remote fed');
      await fd.write(saved).catch(() => {});
      await fd.close();
      await pause();
    }
  };
  let loop: Promise<void> | null = null;
  const feed = () => {
    if (feeding) return;
    feeding = true;
    loop = feedLoop();
  };
  const fallback = setTimeout(feed, 20_000);
  return {
    feed,
    /** Resolves once `git` is blocked reading HEAD (a writer can open the FIFO only then). */
    async waiting() {
      for (;;) {
        if (feeding) return;
        const fd = await tryOpen();
        if (fd) {
          events.push('ls-remote waiting', 'ls-remote fed');
          await fd.write(saved).catch(() => {});
          await fd.close();
          feed();
          return;
        }
        await pause();
      }
    },
    async restore() {
      clearTimeout(fallback);
      stopped = true;
      await loop;
      fs.rmSync(head);
      fs.writeFileSync(head, saved);
    },
  };
}

test('a webhook is answered (and its builds queued) before the slow ls-remote of its version sync has finished', async () => {
  const events: string[] = [];
  // Before HEAD blocks: git in the test itself would block the whole event loop on it.
  const head = repo.git('rev-parse', 'main');
  const slow = slowRepository(events);
  try {
    const count = (await buildsOf(app, github.projectId)).length;
    const pushed = await sendGithub('push', githubPayload.push(github.slug, { ref: 'refs/heads/main', before: 'a'.repeat(40), after: head }));
    events.push('push answered');
    assert.deepEqual(pushed.json(), { build_triggered: true, project: github.slug, versions: ['latest'] }, pushed.body);
    assert.deepEqual((await newBuilds(app, github.projectId, count)).map((b) => [b.versionSlug, b.commit]), [['latest', head]], 'the build is queued without waiting for the sync');

    const created = await sendGithub('create', { ref: 'topic', ref_type: 'branch', master_branch: 'main', pusher_type: 'user', repository: githubPayload.ping(github.slug).repository });
    events.push('create answered');
    assert.deepEqual(created.json(), { build_triggered: false, project: github.slug, versions: ['latest'], versions_synced: true }, created.body);

    await slow.waiting();
    await syncsDone(app);
  } finally {
    await slow.restore();
  }
  // Both answers came while the queued sync was still blocked reading the repository.
  const fed = events.indexOf('ls-remote fed');
  assert.ok(fed > events.indexOf('push answered') && fed > events.indexOf('create answered'), `order: ${events.join(' → ')}`);
  assert.deepEqual(events.slice(0, 3), ['push answered', 'create answered', 'ls-remote waiting'], `order: ${events.join(' → ')}`);
  assert.equal((await versionOf(app, github.projectId, 'latest'))?.identifier, 'main', 'the sync ran once fed');
});

test('pull request events on a project without previews, and events Read the Docs does not handle: 200 "Unhandled webhook event"', async () => {
  const count = (await buildsOf(app, github.projectId)).length;
  const unhandled = { detail: 'Unhandled webhook event' };
  const head = repo.git('rev-parse', 'main');
  for (const action of ['opened', 'synchronize', 'closed']) {
    const res = await sendGithub('pull_request', githubPayload.pullRequest(github.slug, { action, number: 5, head, headRef: 'topic' }));
    assert.deepEqual([res.statusCode, res.json()], [200, unhandled], action);
  }
  const star = await sendGithub('star', { action: 'created', repository: githubPayload.ping(github.slug).repository });
  assert.deepEqual([star.statusCode, star.json()], [200, unhandled]);

  const gitlab = await hookedProject(app, repo, 'Contract GitLab', 'gitlab', { builder: false });
  const mr = JSON.stringify(gitlabPayload.mergeRequest(gitlab.slug, { action: 'open', iid: 5, head, sourceBranch: 'topic' }));
  const mrRes = await app.web.inject({ method: 'POST', url: gitlab.path, headers: gitlabHeaders('merge_request', gitlab.secret), payload: mr });
  assert.deepEqual([mrRes.statusCode, mrRes.json()], [200, unhandled]);
  const note = JSON.stringify({ object_kind: 'note', project: { default_branch: 'main' } });
  const noteRes = await app.web.inject({ method: 'POST', url: gitlab.path, headers: gitlabHeaders('note', gitlab.secret), payload: note });
  assert.deepEqual([noteRes.statusCode, noteRes.json()], [200, unhandled]);
  // Without object_kind a GitLab delivery reads as a push, as on Read the Docs.
  const noKind = JSON.stringify({ ref: 'refs/heads/main', before: 'b'.repeat(40), after: head, checkout_sha: head });
  const noKindRes = await app.web.inject({ method: 'POST', url: gitlab.path, headers: gitlabHeaders('push', gitlab.secret), payload: noKind });
  assert.deepEqual(noKindRes.json(), { build_triggered: true, project: gitlab.slug, versions: ['latest'] }, noKindRes.body);
  assert.equal((await buildsOf(app, github.projectId)).length, count, 'nothing built for the GitHub project');
});

test("Read the Docs' provider URLs (/api/v2/webhook/<provider>/<project>/) reach the project's integration of that provider", async () => {
  const generic = await app.web.inject({ method: 'POST', url: `/api/v3/projects/${github.slug}/integrations/`, headers: app.auth, payload: { type: 'generic' } });
  assert.equal(generic.statusCode, 201, generic.body);
  const res = await app.web.inject({ method: 'POST', url: `/api/v2/webhook/generic/${github.slug}/`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ token: generic.json().secret }) });
  assert.deepEqual(res.json(), { build_triggered: true, project: github.slug, versions: ['latest'] }, res.body);
  const ping = await sendGithub('ping', githubPayload.ping(github.slug), `/api/v2/webhook/github/${github.slug}/`);
  assert.deepEqual(ping.json(), { detail: 'Webhook configured correctly' });
});

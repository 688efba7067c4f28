// Attack: a pull request from anyone's fork gets its pages served on the project's own docs
// host (`<project>.<DOCS_DOMAIN>/<lang>/<number>/`), where they can toss cookies, be indexed,
// be cached publicly and pass for the real documentation. Previews must be off unless the
// maintainers turn them on, and then live only on `<project>--<number>.<PREVIEW_DOMAIN>`.
// Real webhook deliveries, real git, real builds, real docs server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { buildsOf, githubHeaders, githubPayload, gitlabHeaders, gitlabPayload, hookedProject, newBuilds, settle, versionOf, type HookedProject } from '../helpers/webhooks.ts';

let app: TestApp;
let repo: GitRepo;
let hp: HookedProject;

const MAIN = 'widget.docs.localhost';
const PREVIEW = 'widget--7.previews.localhost';

before(async () => {
  app = await testApp();
  repo = makeGitRepo({ files: { 'docs/index.md': '# Widget\n\nthe real docs\n' } });
  hp = await hookedProject(app, repo, 'Widget', 'github');
});
after(async () => {
  await settle(app, hp.projectId);
  await app.close();
  repo.remove();
});

function openPullRequest(number: number, head: string) {
  const body = JSON.stringify(githubPayload.pullRequest(hp.slug, { action: 'opened', number, head, headRef: `fork-${number}` }));
  return app.web.inject({ method: 'POST', url: hp.path, headers: githubHeaders('pull_request', body, hp.secret), payload: body });
}

/** A fork's commit, reachable only through refs/pull/<n>/head, as on GitHub. */
function forkCommit(number: number, text: string): string {
  const head = repo.commit(`fork-${number}`, { 'docs/index.md': `# Widget\n\n${text}\n` });
  repo.git('update-ref', `refs/pull/${number}/head`, head);
  return head;
}

const patch = (payload: object) => app.web.inject({ method: 'PATCH', url: `/api/v3/projects/${hp.slug}/`, headers: app.auth, payload });
const read = (host: string, url: string) => app.docs.inject({ url, headers: { host } });

test('previews are off by default: a pull request webhook builds nothing and creates no version (GitHub and GitLab)', async () => {
  const project = (await app.web.inject({ url: `/api/v3/projects/${hp.slug}/`, headers: app.auth })).json();
  assert.equal(project.external_builds_enabled, false);
  assert.equal(project.external_builds_privacy_level, 'public');
  const count = (await buildsOf(app, hp.projectId)).length;

  const res = await openPullRequest(7, forkCommit(7, 'PR seven: attacker content'));
  assert.equal(res.statusCode, 200, res.body);
  // Read the Docs leaves pull request events unhandled on a project without previews.
  assert.deepEqual(res.json(), { detail: 'Unhandled webhook event' });

  const gitlab = (await app.web.inject({ method: 'POST', url: `/api/v3/projects/${hp.slug}/integrations/`, headers: app.auth, payload: { type: 'gitlab' } })).json();
  const mr = JSON.stringify(gitlabPayload.mergeRequest(hp.slug, { action: 'open', iid: 9, head: forkCommit(9, 'MR nine'), sourceBranch: 'fork-9' }));
  const glRes = await app.web.inject({ method: 'POST', url: new URL(gitlab.webhook_url).pathname, headers: gitlabHeaders('merge_request', gitlab.secret), payload: mr });
  assert.equal(glRes.statusCode, 200, glRes.body);
  assert.deepEqual(glRes.json(), { detail: 'Unhandled webhook event' });

  assert.equal((await buildsOf(app, hp.projectId)).length, count, 'nothing was built');
  assert.equal(await versionOf(app, hp.projectId, '7'), null, 'no version was created');
  assert.equal(await versionOf(app, hp.projectId, '9'), null, 'no version was created');
});

test('the settings refuse a privacy level that is not public or private', async () => {
  for (const bad of ['secret', '', 7, null]) {
    const res = await patch({ external_builds_privacy_level: bad });
    assert.equal(res.statusCode, 400, res.body);
    assert.ok('external_builds_privacy_level' in res.json(), res.body);
  }
  // Django REST framework's booleans: `yes` is true, anything it does not list is refused.
  assert.equal((await patch({ external_builds_enabled: 'maybe' })).statusCode, 400);
});

test('previews on: built, and served only on <project>--<number>.<PREVIEW_DOMAIN>, never indexed or cached publicly', async () => {
  assert.equal((await patch({ external_builds_enabled: true })).statusCode, 204);
  assert.equal((await app.web.inject({ url: `/api/v3/projects/${hp.slug}/`, headers: app.auth })).json().external_builds_enabled, true);
  const count = (await buildsOf(app, hp.projectId)).length;
  const res = await openPullRequest(7, forkCommit(7, 'PR seven: the preview'));
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), { build_triggered: true, project: hp.slug, versions: ['7'], preview_url: `http://${PREVIEW}:8000/en/7/` });
  const [build] = await newBuilds(app, hp.projectId, count);
  assert.equal((await app.waitForBuild(build!.id)).state, 'finished');

  const page = await read(PREVIEW, '/en/7/');
  assert.equal(page.statusCode, 200, page.body);
  assert.match(page.body, /PR seven/);
  assert.equal(page.headers['x-robots-tag'], 'noindex');
  const cache = String(page.headers['cache-control']);
  assert.match(cache, /private/);
  assert.doesNotMatch(cache, /public|max-age=[1-9]|immutable/);
  assert.equal(page.headers['cdn-cache-control'], 'private', 'never kept by a CDN (Read the Docs sends CDN-Cache-Control: private on previews)');

  const root = await read(PREVIEW, '/');
  assert.equal(root.statusCode, 302);
  assert.equal(root.headers.location, '/en/7/');
  assert.equal(root.headers['x-robots-tag'], 'noindex');

  const robots = await read(PREVIEW, '/robots.txt');
  assert.equal(robots.statusCode, 200);
  assert.match(robots.body, /^User-agent: \*\nDisallow: \/\n/);
  assert.equal(robots.headers['x-robots-tag'], 'noindex');

  // The preview host serves its one version and nothing of the project's real docs: the
  // host's version wins over the path's, so /en/latest/ there is the preview.
  const latest = await read(PREVIEW, '/en/latest/');
  assert.equal(latest.statusCode, 200);
  assert.match(latest.body, /PR seven/);
  assert.doesNotMatch(latest.body, /the real docs/);
  for (const url of ['/sitemap.xml', '/_/downloads/en/latest/htmlzip/', '/projects/anything/en/latest/', '/fr/7/']) {
    const other = await read(PREVIEW, url);
    assert.equal(other.statusCode, 404, url);
    assert.doesNotMatch(other.body, /the real docs/, url);
  }
  // Another number, another project's name, a lookalike domain: no preview.
  for (const host of ['widget--8.previews.localhost', 'nosuch--7.previews.localhost', 'widget--07.previews.localhost']) {
    assert.equal((await read(host, '/en/7/')).statusCode, 404, host);
  }
  // A lookalike of the preview domain is refused outright, as Read the Docs answers it (400).
  assert.equal((await read('widget--7.previews.localhost.evil.example', '/en/7/')).statusCode, 400);
});

test('on the main docs host an external version answers exactly as an unknown version', async () => {
  assert.equal((await read(MAIN, '/en/latest/')).statusCode, 200, 'the real docs are served');
  for (const [preview, unknown] of [['/en/7/', '/en/77/'], ['/en/7/index.html', '/en/77/index.html'], ['/_/downloads/en/7/htmlzip/', '/_/downloads/en/77/htmlzip/']] as const) {
    const a = await read(MAIN, preview);
    const b = await read(MAIN, unknown);
    assert.equal(a.statusCode, 404, preview);
    assert.deepEqual([a.statusCode, a.body, a.headers['x-bindery-version'], a.headers['cache-tag']], [b.statusCode, b.body, b.headers['x-bindery-version'], b.headers['cache-tag']], preview);
    assert.doesNotMatch(a.body, /PR seven/);
  }
  const sitemap = await read(MAIN, '/sitemap.xml');
  assert.equal(sitemap.statusCode, 200);
  assert.match(sitemap.body, /\/en\/latest\//);
  assert.doesNotMatch(sitemap.body, /\/en\/7\//);
  assert.doesNotMatch((await read(MAIN, '/robots.txt')).body, /\/7\//);
});

test('the API gives a preview build its preview URL and keeps the preview out of versions and active_versions', async () => {
  // As on Read the Docs, pull-request versions are not among a project's versions…
  assert.equal((await app.web.inject({ url: `/api/v3/projects/${hp.slug}/versions/7/`, headers: app.auth })).statusCode, 404);
  const listed = (await app.web.inject({ url: `/api/v3/projects/${hp.slug}/versions/?limit=100`, headers: app.auth })).json();
  assert.ok(!listed.results.some((v: { type: string }) => v.type === 'external'), 'no preview in versions/');
  // …but their builds are, each linking to the preview's own host.
  const builds = (await app.web.inject({ url: `/api/v3/projects/${hp.slug}/builds/?limit=100`, headers: app.auth })).json();
  const preview = builds.results.find((b: { version: string }) => b.version === '7');
  assert.ok(preview, 'the preview build is listed');
  assert.equal(preview.urls.documentation, `http://${PREVIEW}:8000/en/7/`);
  const project = (await app.web.inject({ url: `/api/v3/projects/${hp.slug}/?expand=active_versions`, headers: app.auth })).json();
  assert.deepEqual(project.active_versions.map((v: { slug: string }) => v.slug), ['latest']);
  const refused = await patch({ default_version: '7' });
  assert.equal(refused.statusCode, 400, 'a preview cannot become the default version');
  // Nor can a project claim a name under the preview domain as its custom domain.
  for (const domain of ['previews.localhost', 'widget--8.previews.localhost', 'x.previews.localhost']) {
    const claimed = await app.web.inject({ method: 'POST', url: `/api/v3/projects/${hp.slug}/domains/`, headers: app.auth, payload: { domain } });
    assert.equal(claimed.statusCode, 400, `${domain}: ${claimed.body}`);
  }
});

test('private previews are not readable anonymously; turning previews off takes them down', async () => {
  assert.equal((await patch({ external_builds_privacy_level: 'private' })).statusCode, 204);
  assert.equal((await app.web.inject({ url: `/api/v3/projects/${hp.slug}/`, headers: app.auth })).json().external_builds_privacy_level, 'private');
  for (const url of ['/en/7/', '/', '/robots.txt']) {
    const res = await read(PREVIEW, url);
    assert.equal(res.statusCode, 404, url);
    assert.doesNotMatch(res.body, /PR seven/, url);
  }
  assert.equal((await patch({ external_builds_privacy_level: 'public' })).statusCode, 204);
  assert.equal((await read(PREVIEW, '/en/7/')).statusCode, 200);
  assert.equal((await patch({ external_builds_enabled: false })).statusCode, 204);
  const res = await read(PREVIEW, '/en/7/');
  assert.equal(res.statusCode, 404);
  assert.doesNotMatch(res.body, /PR seven/);
});

// Attack: probing a private project or version through its public build badge. Anyone may
// fetch /projects/<slug>/badge.svg?version=…, so a private version (of a public or a private
// project) must answer byte for byte what a version that does not exist answers: same
// status, same headers, same body — nothing that tells it exists or how its builds go.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { builds, projects, versions, type Project } from '../../src/db/schema.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;

async function project(slug: string, privacyLevel: string): Promise<Project> {
  const [p] = await app.database.db.insert(projects).values({ slug, name: slug, repoUrl: `https://example.com/${slug}.git`, privacyLevel }).returning();
  return p!;
}

/** A version with one finished build (passing or failing). */
async function built(p: Project, slug: string, privacyLevel: string, success: boolean, type = 'branch') {
  const [v] = await app.database.db.insert(versions).values({ projectId: p.id, slug, verboseName: slug, type, identifier: slug, active: true, built: true, privacyLevel }).returning();
  await app.database.db.insert(builds).values({ projectId: p.id, versionId: v!.id, trigger: 'api', state: 'finished', success, finishedAt: new Date() });
}

before(async () => {
  app = await testApp({ builder: false });
  const open = await project('open', 'public');
  await built(open, 'latest', 'public', true);
  await built(open, 'secret', 'private', true);
  await built(open, 'secret-failing', 'private', false);
  // A pull-request preview of a project whose previews are private (the project's default).
  await app.database.db.update(projects).set({ externalBuildsPrivacyLevel: 'private' }).where(eq(projects.id, open.id));
  await built(open, '12', 'public', true, 'external');
  const closed = await project('closed', 'private');
  await built(closed, 'latest', 'public', true);
  await built(closed, 'secret', 'private', false);
});
after(async () => {
  await app?.close();
});

async function badge(url: string) {
  const res = await app.web.inject({ url });
  const { date: _date, ...headers } = res.headers;
  return { status: res.statusCode, headers, body: res.rawPayload };
}

test('a public version shows its state (the badge works)', async () => {
  const res = await badge('/projects/open/badge.svg');
  assert.equal(res.status, 200);
  assert.match(res.body.toString(), /docs: passing/);
});

test('private versions and private projects answer exactly what an unknown version answers', async () => {
  const unknown = await badge('/projects/open/badge.svg?version=does-not-exist');
  assert.match(unknown.body.toString(), /docs: unknown/);
  const probes = [
    '/projects/open/badge.svg?version=secret',
    '/projects/open/badge.svg?version=secret-failing',
    '/projects/open/badge.svg?version=12',
    '/projects/closed/badge.svg',
    '/projects/closed/badge.svg?version=latest',
    '/projects/closed/badge.svg?version=secret',
    '/projects/closed/badge.svg?version=does-not-exist',
    '/projects/no-such-project/badge.svg',
    '/projects/no-such-project/badge.svg?version=secret',
  ];
  for (const url of probes) {
    const res = await badge(url);
    assert.equal(res.status, unknown.status, url);
    assert.deepEqual(res.headers, unknown.headers, url);
    assert.ok(res.body.equals(unknown.body), `${url}: the same bytes`);
  }
});

// Webhook test support: a project imported from a real git repository with one
// integration, the builds it has, and payloads shaped as GitHub, GitLab and Bitbucket
// really send them (trimmed of fields Bindery does not read, never renamed).
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { builds, projects, versions, type Build } from '../../src/db/schema.ts';
import { isTerminal } from '../../src/core/build-state.ts';
import { SYNC_QUEUE } from '../../src/queue/sync-queue.ts';
import type { TestApp } from './test-app.ts';
import type { GitRepo } from './git-repo.ts';

export const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export interface HookedProject {
  slug: string;
  projectId: number;
  integrationId: number;
  secret: string;
  /** The receiver's URL path, as the API gives it in `webhook_url`. */
  path: string;
}

/** Imports the repository, waits for the import's builds (unless the app runs no builder), and adds an integration of `provider`. */
export async function hookedProject(app: TestApp, repo: GitRepo, name: string, provider: string, opts: { builder?: boolean } = {}): Promise<HookedProject> {
  const created = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name, repository: { url: repo.url } } });
  assert.equal(created.statusCode, 201, created.body);
  const { slug, id: projectId } = created.json();
  if (opts.builder !== false) await settle(app, projectId);
  const integration = await app.web.inject({ method: 'POST', url: `/api/v3/projects/${slug}/integrations/`, headers: app.auth, payload: { type: provider } });
  assert.equal(integration.statusCode, 201, integration.body);
  const { id, secret, webhook_url: url } = integration.json();
  return { slug, projectId, integrationId: id, secret, path: new URL(url).pathname };
}

export async function buildsOf(app: TestApp, projectId: number): Promise<Array<Build & { versionSlug: string }>> {
  const rows = await app.database.db
    .select({ build: builds, slug: versions.slug })
    .from(builds)
    .innerJoin(versions, eq(versions.id, builds.versionId))
    .where(eq(builds.projectId, projectId))
    .orderBy(asc(builds.id));
  return rows.map((r) => ({ ...r.build, versionSlug: r.slug }));
}

/** Builds queued after `before` (a count from buildsOf). */
export async function newBuilds(app: TestApp, projectId: number, before: number) {
  return (await buildsOf(app, projectId)).slice(before);
}

/**
 * Waits until every queued version sync (a webhook's, sync-versions', the dashboard's) has run (a failed one waiting for its
 * retry counts as run): after this, whatever a sync builds is in buildsOf.
 */
export async function syncsDone(app: TestApp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // No queue yet: the web app has not started its sync worker, so nothing was queued.
    const jobs = await app.queue.boss.findJobs(SYNC_QUEUE).catch(() => []);
    if (!jobs.some((j) => j.state === 'created' || j.state === 'active')) return;
    if (Date.now() > deadline) throw new Error('queued version syncs did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for the syncs, then answers the builds queued after `before` (a count from buildsOf). */
export async function buildsAfterSync(app: TestApp, projectId: number, before: number) {
  await syncsDone(app);
  return newBuilds(app, projectId, before);
}

/** Waits until no build of the project is still waiting or running. */
export async function settle(app: TestApp, projectId: number): Promise<void> {
  await syncsDone(app);
  for (const b of await buildsOf(app, projectId)) if (!isTerminal(b.state)) await app.waitForBuild(b.id);
}

export async function versionOf(app: TestApp, projectId: number, slug: string) {
  const rows = await app.database.db.select().from(versions).where(eq(versions.projectId, projectId));
  return rows.find((v) => v.slug === slug) ?? null;
}

export async function activate(app: TestApp, projectId: number, slug: string): Promise<void> {
  const v = await versionOf(app, projectId, slug);
  assert.ok(v, `version ${slug} exists`);
  await app.database.db.update(versions).set({ active: true }).where(eq(versions.id, v.id));
}

export async function projectRow(app: TestApp, projectId: number) {
  const [row] = await app.database.db.select().from(projects).where(eq(projects.id, projectId));
  return row!;
}

export const ZERO = '0'.repeat(40);

const repository = (slug: string) => ({
  id: 123456789,
  node_id: 'R_kgDOexample',
  name: slug,
  full_name: `example/${slug}`,
  private: false,
  html_url: `https://github.com/example/${slug}`,
  clone_url: `https://github.com/example/${slug}.git`,
  default_branch: 'main',
  master_branch: 'main',
});
const sender = { login: 'octocat', id: 1, type: 'User' };

/** GitHub's payloads (https://docs.github.com/en/webhooks/webhook-events-and-payloads). */
export const githubPayload = {
  ping: (slug: string) => ({
    zen: 'Keep it logically awesome.',
    hook_id: 987654,
    hook: { type: 'Repository', id: 987654, name: 'web', active: true, events: ['push', 'pull_request'], config: { content_type: 'json', insecure_ssl: '0', url: `https://bindery.example/api/v2/webhook/${slug}/1/` } },
    repository: repository(slug),
    sender,
  }),
  push: (slug: string, p: { ref: string; before: string; after: string; created?: boolean; deleted?: boolean; headCommit?: string | null }) => ({
    ref: p.ref,
    before: p.before,
    after: p.after,
    created: p.created ?? false,
    deleted: p.deleted ?? false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/example/${slug}/compare/${p.before.slice(0, 12)}...${p.after.slice(0, 12)}`,
    commits: p.headCommit === null || p.deleted ? [] : [{ id: p.headCommit ?? p.after, message: 'Update docs', timestamp: '2025-01-02T03:04:05Z', distinct: true }],
    head_commit: p.headCommit === null || p.deleted ? null : { id: p.headCommit ?? p.after, tree_id: 'f'.repeat(40), message: 'Update docs', timestamp: '2025-01-02T03:04:05Z' },
    repository: repository(slug),
    pusher: { name: 'octocat', email: 'octocat@example.com' },
    sender,
  }),
  pullRequest: (slug: string, p: { action: string; number: number; head: string; headRef: string; merged?: boolean }) => ({
    action: p.action,
    number: p.number,
    pull_request: {
      url: `https://api.github.com/repos/example/${slug}/pulls/${p.number}`,
      id: 1000 + p.number,
      number: p.number,
      state: p.action === 'closed' ? 'closed' : 'open',
      title: 'Improve the docs',
      merged: p.merged ?? false,
      head: { label: `octocat:${p.headRef}`, ref: p.headRef, sha: p.head, repo: repository(slug) },
      base: { label: 'example:main', ref: 'main', sha: 'a'.repeat(40), repo: repository(slug) },
    },
    repository: repository(slug),
    sender,
  }),
};

/** Headers GitHub sends with a delivery. */
export function githubHeaders(event: string, body: string, secret: string, delivery: string = randomUUID()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/abc1234',
    'x-github-event': event,
    'x-github-delivery': delivery,
    'x-github-hook-id': '987654',
    'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
    'x-hub-signature-256': sign(secret, body),
  };
}

const gitlabProject = (slug: string) => ({
  id: 15,
  name: slug,
  path_with_namespace: `example/${slug}`,
  default_branch: 'main',
  web_url: `https://gitlab.com/example/${slug}`,
  git_http_url: `https://gitlab.com/example/${slug}.git`,
  git_ssh_url: `git@gitlab.com:example/${slug}.git`,
});

/** GitLab's payloads (https://docs.gitlab.com/user/project/integrations/webhook_events/). */
export const gitlabPayload = {
  push: (slug: string, p: { kind?: 'push' | 'tag_push'; ref: string; before: string; after: string; checkoutSha: string | null }) => ({
    object_kind: p.kind ?? 'push',
    event_name: p.kind ?? 'push',
    before: p.before,
    after: p.after,
    ref: p.ref,
    ref_protected: true,
    checkout_sha: p.checkoutSha,
    user_id: 4,
    user_name: 'John Smith',
    user_username: 'jsmith',
    project_id: 15,
    project: gitlabProject(slug),
    commits: p.checkoutSha ? [{ id: p.checkoutSha, message: 'Update docs', timestamp: '2025-01-02T03:04:05+00:00' }] : [],
    total_commits_count: p.checkoutSha ? 1 : 0,
    repository: { name: slug, url: `git@gitlab.com:example/${slug}.git`, homepage: `https://gitlab.com/example/${slug}` },
  }),
  mergeRequest: (slug: string, p: { action: string; iid: number; head: string; sourceBranch: string; oldrev?: string }) => ({
    object_kind: 'merge_request',
    event_type: 'merge_request',
    user: { id: 1, name: 'Administrator', username: 'root' },
    project: gitlabProject(slug),
    object_attributes: {
      id: 99,
      iid: p.iid,
      target_branch: 'main',
      source_branch: p.sourceBranch,
      source_project_id: 15,
      target_project_id: 15,
      title: 'Improve the docs',
      state: p.action === 'close' ? 'closed' : p.action === 'merge' ? 'merged' : 'opened',
      merge_status: 'unchecked',
      url: `https://gitlab.com/example/${slug}/-/merge_requests/${p.iid}`,
      last_commit: { id: p.head, message: 'Improve the docs', timestamp: '2025-01-02T03:04:05+00:00' },
      action: p.action,
      ...(p.oldrev ? { oldrev: p.oldrev } : {}),
    },
    repository: { name: slug, url: `git@gitlab.com:example/${slug}.git` },
  }),
};

export function gitlabHeaders(kind: string, secret: string | null, uuid: string = randomUUID()): Record<string, string> {
  const event = { push: 'Push Hook', tag_push: 'Tag Push Hook', merge_request: 'Merge Request Hook' }[kind] ?? 'Push Hook';
  return {
    'content-type': 'application/json',
    'user-agent': 'GitLab/17.8.0',
    'x-gitlab-event': event,
    'x-gitlab-event-uuid': uuid,
    'x-gitlab-webhook-uuid': randomUUID(),
    'x-gitlab-instance': 'https://gitlab.com',
    ...(secret === null ? {} : { 'x-gitlab-token': secret }),
  };
}

type BitbucketRef = { type: 'branch' | 'tag'; name: string; hash: string } | null;
const bbRef = (slug: string, r: BitbucketRef) =>
  r && {
    type: r.type,
    name: r.name,
    target: { type: 'commit', hash: r.hash, date: '2025-01-02T03:04:05+00:00', message: 'Update docs\n', links: { html: { href: `https://bitbucket.org/example/${slug}/commits/${r.hash}` } } },
    links: { html: { href: `https://bitbucket.org/example/${slug}/branch/${r.name}` } },
  };

/** Bitbucket Cloud's repo:push payload (https://support.atlassian.com/bitbucket-cloud/docs/event-payloads/). */
export const bitbucketPayload = {
  push: (slug: string, changes: Array<{ old: BitbucketRef; new: BitbucketRef }>) => ({
    actor: { type: 'user', display_name: 'Jane Doe', uuid: '{d301aafa-d676-4ee0-88be-962be7417567}' },
    repository: { type: 'repository', name: slug, full_name: `example/${slug}`, uuid: '{3f2b1c86-0000-4c0b-9d2d-000000000000}', is_private: false, scm: 'git' },
    push: {
      changes: changes.map((c) => ({
        old: bbRef(slug, c.old),
        new: bbRef(slug, c.new),
        created: c.old === null,
        closed: c.new === null,
        forced: false,
        truncated: false,
        commits: c.new ? [{ type: 'commit', hash: c.new.hash, message: 'Update docs\n' }] : [],
      })),
    },
  }),
};

export function bitbucketHeaders(event: string, body: string, secret: string | null, uuid: string = randomUUID()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Bitbucket-Webhooks/2.0',
    'x-event-key': event,
    'x-request-uuid': uuid,
    'x-hook-uuid': randomUUID(),
    'x-attempt-number': '1',
    ...(secret === null ? {} : { 'x-hub-signature': sign(secret, body) }),
  };
}

// Attack: triggering builds through the incoming webhooks without the integration's secret —
// unsigned, wrongly signed, signed with another project's secret, a GitHub delivery to a
// GitLab integration, an integration whose secret is empty, the generic webhook's token in
// the URL instead of the body. Each must be refused, with Read the Docs' status codes, with
// no build queued and no delivery recorded; a correctly signed delivery is the control that
// shows the same request would have built. A captured delivery replayed is handled again,
// as on Read the Docs: it can only rebuild what the genuine delivery built.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { apiClient } from '../helpers/api-client.ts';
import { bitbucketHeaders, bitbucketPayload, buildsOf, githubHeaders, githubPayload, gitlabHeaders, gitlabPayload, sign } from '../helpers/webhooks.ts';
import { integrations, webhookDeliveries } from '../../src/db/schema.ts';

interface Hook { id: number; secret: string; path: string }

let app: TestApp;
let repo: GitRepo;
let head: string;
let projectId: number;
const hooks: Record<string, Hook> = {};
let otherHook: Hook;
let emptyGithub: Hook;
let emptyGeneric: Hook;

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# Hi\n' } });
  head = repo.git('rev-parse', 'HEAD');
  const api = apiClient(app);
  const created = await api.post('/api/v3/projects/', { name: 'Target', repository: { url: repo.url } });
  assert.equal(created.statusCode, 201, created.body);
  projectId = created.json().id;
  const other = await api.post('/api/v3/projects/', { name: 'Other', repository: { url: repo.url } });
  assert.equal(other.statusCode, 201, other.body);
  const make = async (slug: string, type: string): Promise<Hook> => {
    const res = await api.post(`/api/v3/projects/${slug}/integrations/`, { type });
    assert.equal(res.statusCode, 201, res.body);
    const j = res.json();
    return { id: j.id, secret: j.secret, path: new URL(j.webhook_url).pathname };
  };
  for (const type of ['github', 'gitlab', 'bitbucket', 'generic']) hooks[type] = await make('target', type);
  otherHook = await make('other', 'github');
  emptyGithub = await make('target', 'github');
  emptyGeneric = await make('target', 'generic');
  // Integrations whose secret is empty (a row from an older version, a bad restore).
  for (const h of [emptyGithub, emptyGeneric]) await app.database.db.update(integrations).set({ secret: '' }).where(eq(integrations.id, h.id));
});

after(async () => {
  await app.close();
  repo.remove();
});

const post = (url: string, payload: string, headers: Record<string, string>) => app.web.inject({ method: 'POST', url, payload, headers });
const buildCount = async () => (await buildsOf(app, projectId)).length;
const deliveryCount = async () => (await app.database.db.select().from(webhookDeliveries)).length;
const githubPush = () => JSON.stringify(githubPayload.push('target', { ref: 'refs/heads/main', before: 'b'.repeat(40), after: head }));
const gitlabPush = () => JSON.stringify(gitlabPayload.push('target', { ref: 'refs/heads/main', before: 'b'.repeat(40), after: head, checkoutSha: head }));
const bitbucketPush = () => JSON.stringify(bitbucketPayload.push('target', [{ old: { type: 'branch', name: 'main', hash: 'b'.repeat(40) }, new: { type: 'branch', name: 'main', hash: head } }]));

/** Sends a forged delivery and checks it was refused with `status`, and that nothing was built or recorded. */
async function refused(what: string, status: number | number[], send: () => Promise<{ statusCode: number; body: string }>): Promise<void> {
  const builds = await buildCount();
  const deliveries = await deliveryCount();
  const res = await send();
  const allowed = ([] as number[]).concat(status);
  assert.ok(allowed.includes(res.statusCode), `${what} → ${res.statusCode} ${res.body}`);
  assert.equal(await buildCount(), builds, `${what} queued a build`);
  assert.equal(await deliveryCount(), deliveries, `${what} was recorded as a delivery`);
}

test('GitHub: unsigned, wrongly signed, signed by another project, or over other bytes: refused', async () => {
  const body = githubPush();
  const good = githubHeaders('push', body, hooks.github!.secret);
  const { 'x-hub-signature-256': _sig, 'x-hub-signature': _sha1, ...unsigned } = good;
  await refused('no signature', 400, () => post(hooks.github!.path, body, unsigned));
  await refused('only the SHA-1 signature', 400, () => post(hooks.github!.path, body, { ...unsigned, 'x-hub-signature': good['x-hub-signature']! }));
  await refused('an empty signature', 400, () => post(hooks.github!.path, body, { ...unsigned, 'x-hub-signature-256': '' }));
  await refused('a wrong signature', 400, () => post(hooks.github!.path, body, { ...good, 'x-hub-signature-256': sign('guess', body) }));
  await refused('a signature of the empty key', 400, () => post(hooks.github!.path, body, { ...good, 'x-hub-signature-256': sign('', body) }));
  await refused('a truncated signature', 400, () => post(hooks.github!.path, body, { ...good, 'x-hub-signature-256': good['x-hub-signature-256']!.slice(0, 20) }));
  await refused('the signature of other bytes', 400, () => post(hooks.github!.path, body.replace('main', 'mainx'), good));
  await refused('signed with another project’s integration secret', 400, () => post(hooks.github!.path, body, githubHeaders('push', body, otherHook.secret)));
  // Another project's integration id under this project's slug, and the reverse.
  await refused('another project’s integration id under this slug', 404, () => post(`/api/v2/webhook/target/${otherHook.id}/`, body, githubHeaders('push', body, otherHook.secret)));
  await refused('this project’s secret on the other project’s URL', 400, () => post(otherHook.path, body, good));
  await refused('the provider path without an id, signed by another project', 400, () => post('/api/v2/webhook/github/target/', body, githubHeaders('push', body, otherHook.secret)));
});

test('a GitHub delivery to a GitLab or Bitbucket integration is refused', async () => {
  const body = githubPush();
  for (const type of ['gitlab', 'bitbucket']) {
    const hook = hooks[type]!;
    await refused(`GitHub signature with the ${type} secret`, 400, () => post(hook.path, body, githubHeaders('push', body, hook.secret)));
    await refused(`GitHub delivery to the github path with the ${type} integration id`, 404, () => post(`/api/v2/webhook/github/target/${hook.id}/`, body, githubHeaders('push', body, hook.secret)));
  }
  const glBody = gitlabPush();
  await refused('GitLab token header on a GitHub integration', 400, () => post(hooks.github!.path, glBody, gitlabHeaders('push', hooks.github!.secret)));
  await refused('GitLab without a token', 400, () => post(hooks.gitlab!.path, glBody, gitlabHeaders('push', null)));
  await refused('GitLab with a wrong token', 400, () => post(hooks.gitlab!.path, glBody, gitlabHeaders('push', 'guess')));
  await refused('GitLab with another project’s secret', 400, () => post(hooks.gitlab!.path, glBody, gitlabHeaders('push', otherHook.secret)));
  const bbBody = bitbucketPush();
  await refused('Bitbucket unsigned', 400, () => post(hooks.bitbucket!.path, bbBody, bitbucketHeaders('repo:push', bbBody, null)));
  await refused('Bitbucket wrongly signed', 400, () => post(hooks.bitbucket!.path, bbBody, bitbucketHeaders('repo:push', bbBody, 'guess')));
});

test('an integration with an empty secret accepts nothing, not even an empty signature or token', async () => {
  const body = githubPush();
  await refused('empty secret, signature of the empty key', 400, () => post(emptyGithub.path, body, githubHeaders('push', body, '')));
  await refused('empty secret, no signature', 400, () => post(emptyGithub.path, body, { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID() }));
  for (const payload of [JSON.stringify({ token: '' }), JSON.stringify({}), 'token=']) {
    const type = payload.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded';
    // No token reads as an anonymous caller (403), any token as a wrong one (404), as on Read the Docs.
    await refused(`empty generic secret with ${payload}`, [403, 404], () => post(emptyGeneric.path, payload, { 'content-type': type }));
  }
});

test('the generic webhook takes its token from the body only, as Read the Docs does', async () => {
  const { path, secret } = hooks.generic!;
  await refused('token in the query string', 403, () => post(`${path}?token=${encodeURIComponent(secret)}`, '{}', { 'content-type': 'application/json' }));
  await refused('token in the query string, empty body', 403, () => post(`${path}?token=${encodeURIComponent(secret)}`, '', { 'content-type': 'application/x-www-form-urlencoded' }));
  await refused('token as an Authorization header', 403, () => post(path, '{}', { 'content-type': 'application/json', authorization: `Token ${secret}` }));
  await refused('a wrong token', 404, () => post(path, JSON.stringify({ token: 'guess' }), { 'content-type': 'application/json' }));
  await refused('a token of another type', [400, 403, 404], () => post(path, JSON.stringify({ token: [secret] }), { 'content-type': 'application/json' }));
  await refused('another project’s secret', 404, () => post(path, JSON.stringify({ token: otherHook.secret }), { 'content-type': 'application/json' }));
  await refused('the secret as a prefix', 404, () => post(path, JSON.stringify({ token: secret.slice(0, -1) }), { 'content-type': 'application/json' }));
  // The control: the same request with the token in the body builds.
  const before = await buildCount();
  const ok = await post(path, JSON.stringify({ token: secret, branches: 'main' }), { 'content-type': 'application/json' });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.ok((await buildCount()) > before, 'a correct generic delivery builds');
  const form = await post(path, new URLSearchParams({ token: secret, branches: 'main' }).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
  assert.equal(form.statusCode, 200, form.body);
});

test('a captured delivery replayed is handled again, as on Read the Docs, and rebuilds only what it built the first time', async () => {
  const body = githubPush();
  const headers = githubHeaders('push', body, hooks.github!.secret);
  const before = await buildCount();
  const first = await post(hooks.github!.path, body, headers);
  assert.equal(first.statusCode, 200, first.body);
  const genuine = (await buildsOf(app, projectId)).slice(before).map((b) => [b.versionId, b.commit]);
  assert.ok(genuine.length > 0, 'the genuine delivery builds');
  for (const h of [headers, { ...headers, 'x-github-delivery': randomUUID() }]) {
    const start = await buildCount();
    const again = await post(hooks.github!.path, body, h);
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual((await buildsOf(app, projectId)).slice(start).map((b) => [b.versionId, b.commit]), genuine, 'a replay builds the same versions at the same commit, nothing more');
  }
});

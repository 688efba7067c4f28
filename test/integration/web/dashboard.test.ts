// The dashboard without a browser: accounts and sessions, CSRF on every form, output
// escaping of everything users control, login throttling, authorisation, headers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { FormClient } from '../../helpers/browserless.ts';
import { buildLogLines, projects, versions } from '../../../src/db/schema.ts';

let app: TestApp;
let repo: GitRepo;
const XSS = '<script>alert(1)</script>';

before(async () => {
  app = await testApp();
  repo = makeGitRepo({ files: { 'docs/index.md': '# Hi\n' }, branches: { [`x${'"><img src=x onerror=alert(1)>'.replace(/[^a-z]/g, '')}`]: { 'a.md': 'a' } } });
});
after(async () => {
  await app.close();
  repo.remove();
});

async function signUp(username: string): Promise<FormClient> {
  const client = new FormClient(app.web);
  const res = await client.submit('/accounts/signup/', '/accounts/signup/', { username, email: `${username}@example.com`, password: 'correct horse battery' });
  assert.equal(res.statusCode, 303, res.body);
  assert.equal(res.headers.location?.startsWith('/dashboard/'), true);
  return client;
}

test('sign up sets an HttpOnly, SameSite=Lax session cookie; pages carry security headers', async () => {
  const client = new FormClient(app.web);
  const res = await client.submit('/accounts/signup/', '/accounts/signup/', { username: 'ada', email: 'ada@example.com', password: 'correct horse battery' });
  assert.equal(res.statusCode, 303);
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('bindery_session='));
  assert.ok(cookie);
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  const dash = await client.get('/dashboard/');
  assert.equal(dash.statusCode, 200);
  assert.match(dash.body, /Log out ada/);
  assert.match(dash.headers['content-security-policy'] as string, /script-src 'self'/);
  assert.doesNotMatch(dash.headers['content-security-policy'] as string, /unsafe-inline/);
  assert.equal(dash.headers['x-content-type-options'], 'nosniff');
  assert.equal(dash.headers['referrer-policy'], 'same-origin');
  assert.match(dash.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
  // Anonymous: the dashboard asks to log in.
  const anon = await app.web.inject({ url: '/dashboard/' });
  assert.equal(anon.statusCode, 303);
  assert.equal(anon.headers.location, '/accounts/login/?next=%2Fdashboard%2F');
  // Bad sign-up input is refused with field messages; a taken name too.
  const bad = await new FormClient(app.web).submit('/accounts/signup/', '/accounts/signup/', { username: 'ada', email: 'nope', password: 'short' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /This username is taken/);
  assert.match(bad.body, /Enter an email address/);
  assert.match(bad.body, /at least 10 characters/);
});

test('every state-changing form needs its CSRF token and a same-site origin', async () => {
  const client = await signUp('grace');
  const missing = await client.submit('/dashboard/import/', '/dashboard/import/', { name: 'Nope', repository: repo.url }, { csrf: null });
  assert.equal(missing.statusCode, 403);
  const wrong = await client.submit('/dashboard/import/', '/dashboard/import/', { name: 'Nope', repository: repo.url }, { csrf: 'x'.repeat(32) });
  assert.equal(wrong.statusCode, 403);
  const crossSite = await client.submit('/dashboard/import/', '/dashboard/import/', { name: 'Nope', repository: repo.url }, { headers: { origin: 'https://evil.example' } });
  assert.equal(crossSite.statusCode, 403);
  const logout = await client.submit('/dashboard/', '/accounts/logout/', {}, { csrf: null });
  assert.equal(logout.statusCode, 403, 'even logging out needs the token');
  // The API refuses a session for writes: only tokens write through it.
  const apiWrite = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }, payload: { name: 'x', repository: { url: repo.url } } });
  assert.equal(apiWrite.statusCode, 401);
});

test('user-controlled text is rendered inert everywhere', async () => {
  const client = await signUp('mallory');
  const res = await client.submit('/dashboard/import/', '/dashboard/import/', { name: `Evil ${XSS}`, repository: repo.url });
  assert.equal(res.statusCode, 303, res.body);
  const buildPage = res.headers.location!;
  const slug = buildPage.split('/')[2]!;
  const id = Number(buildPage.split('/')[4]);
  await app.waitForBuild(id);
  // A log line and a version name with markup, as a hostile repository could produce.
  await app.database.db.insert(buildLogLines).values({ buildId: id, seq: 100000, stream: 'stdout', line: `log ${XSS}` });
  await app.database.db.update(versions).set({ verboseName: `v ${XSS}` }).where(eq(versions.slug, 'latest'));
  for (const url of ['/dashboard/', '/', `/projects/${slug}/`, buildPage, `/projects/${slug}/versions/`, `/projects/${slug}/builds/`, `/dashboard/${slug}/edit/`]) {
    const page = await client.get(url);
    assert.equal(page.statusCode, 200, url);
    assert.doesNotMatch(page.body, /<script>alert/, url);
    assert.doesNotMatch(page.body, /<img src=x/, url);
  }
  assert.match((await client.get(buildPage)).body, /log &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  // A redirect target from the query string stays on this site.
  const login = await app.web.inject({ url: '/accounts/login/?next=//evil.example/' });
  assert.match(login.body, /name="next" value="\/dashboard\/"/);
});

test('login throttling locks out guessing and says when to retry', async () => {
  await signUp('linus');
  const client = new FormClient(app.web);
  for (let i = 0; i < 5; i++) {
    const res = await client.submit('/accounts/login/', '/accounts/login/', { username: 'linus', password: `wrong-${i}` });
    assert.equal(res.statusCode, 400);
  }
  const locked = await client.submit('/accounts/login/', '/accounts/login/', { username: 'linus', password: 'correct horse battery' });
  assert.equal(locked.statusCode, 429);
  assert.ok(Number(locked.headers['retry-after']) > 0);
  assert.match(locked.body, /Try again in \d+ minute/);
});

test('only maintainers see a private project; others get 404', async () => {
  const owner = await signUp('owner');
  const res = await owner.submit('/dashboard/import/', '/dashboard/import/', { name: 'Secret Plans', repository: repo.url });
  assert.equal(res.statusCode, 303);
  const settings = await owner.submit('/dashboard/secret-plans/edit/', '/dashboard/secret-plans/edit/', {
    name: 'Secret Plans', repository: repo.url, default_branch: '', default_version: 'latest', language: 'en', privacy_level: 'private', documentation_type: 'auto',
  });
  assert.equal(settings.statusCode, 303, settings.body);
  assert.equal((await owner.get('/projects/secret-plans/')).statusCode, 200);
  const other = await signUp('stranger');
  for (const url of ['/projects/secret-plans/', '/projects/secret-plans/versions/', '/dashboard/secret-plans/edit/', '/projects/secret-plans/builds/']) {
    assert.equal((await other.get(url)).statusCode, 404, url);
  }
  assert.equal((await app.web.inject({ url: '/projects/secret-plans/' })).statusCode, 404);
  assert.doesNotMatch((await app.web.inject({ url: '/' })).body, /Secret Plans/);
  const sneaky = await other.submit('/dashboard/', '/dashboard/secret-plans/delete/', { confirm: 'secret-plans' });
  assert.equal(sneaky.statusCode, 404);
});

test('the build badge says passing or failing', async () => {
  const owner = await signUp('badger');
  const res = await owner.submit('/dashboard/import/', '/dashboard/import/', { name: 'Badge', repository: repo.url });
  await app.waitForBuild(Number(res.headers.location!.split('/')[4]));
  const badge = await app.web.inject({ url: '/projects/badge/badge.svg' });
  assert.equal(badge.statusCode, 200);
  assert.match(badge.headers['content-type'] as string, /image\/svg\+xml/);
  assert.match(badge.body, /docs: passing/);
});

test("the settings form offers Read the Docs' choices: active versions, languages, programming languages, versioning schemes", async () => {
  const owner = await signUp('selena');
  const res = await owner.submit('/dashboard/import/', '/dashboard/import/', { name: 'Choices', repository: repo.url });
  assert.equal(res.statusCode, 303, res.body);
  const body = (await owner.get('/dashboard/choices/edit/')).body;
  const select = (name: string) => new RegExp(`<select name="${name}">(.*?)</select>`, 's').exec(body)?.[1] ?? '';
  const values = (name: string) => [...select(name).matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(values('default_version'), ['latest'], 'only the active versions (the other branch is inactive)');
  assert.match(select('language'), /<option value="en" selected>English<\/option>/);
  assert.ok(values('language').includes('pt-br') && !values('language').includes('zh'), "Read the Docs' current list");
  assert.match(select('programming_language'), /<option value="words" selected>Only Words<\/option>/);
  assert.deepEqual(values('versioning_scheme'), ['multiple_versions_with_translations', 'multiple_versions_without_translations', 'single_version_without_translations']);
  for (const field of ['homepage', 'tags', 'readthedocs_yaml_path', 'analytics_code']) assert.match(body, new RegExp(`name="${field}"`), field);
  assert.match(body, /name="show_version_warning"/);
  // A version that is not there (a hand-made form) is refused, and nothing is saved.
  const refused = await owner.submit('/dashboard/choices/edit/', '/dashboard/choices/edit/', { name: 'Renamed', repository: repo.url, default_version: 'ghost' });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /&quot;ghost&quot; is not an active version of this project/);
  assert.doesNotMatch((await owner.get('/dashboard/choices/edit/')).body, /value="Renamed"/);
  // Saved settings come back in the form.
  const saved = await owner.submit('/dashboard/choices/edit/', '/dashboard/choices/edit/', {
    name: 'Choices', repository: repo.url, default_version: 'latest', language: 'de', programming_language: 'rust', homepage: 'https://choices.example.org/',
  });
  assert.equal(saved.statusCode, 400, 'rust is not in the list');
  assert.match(saved.body, /&quot;rust&quot; is not a valid choice\./);
  const ok = await owner.submit('/dashboard/choices/edit/', '/dashboard/choices/edit/', {
    name: 'Choices', repository: repo.url, default_version: 'latest', language: 'de', programming_language: 'go', homepage: 'https://choices.example.org/', tags: 'b, a', show_version_warning: 'on',
  });
  assert.equal(ok.statusCode, 303, ok.body);
  const again = (await owner.get('/dashboard/choices/edit/')).body;
  assert.match(again, /<option value="de" selected>German<\/option>/);
  assert.match(again, /name="tags" value="a, b"/);
  assert.match(again, /name="show_version_warning" value="on" checked/);
  // A NUL anywhere on the dashboard is a 400 page, never a 500.
  assert.equal((await owner.get('/dashboard/choi%00ces/edit/')).statusCode, 400);
});

test('a language code the list no longer offers (zh) stays through a save, on the page and in the API', async () => {
  const owner = await signUp('zhou');
  assert.equal((await owner.submit('/dashboard/import/', '/dashboard/import/', { name: 'Old Code', repository: repo.url })).statusCode, 303);
  await app.database.db.update(projects).set({ language: 'zh' }).where(eq(projects.slug, 'old-code'));
  const body = (await owner.get('/dashboard/old-code/edit/')).body;
  assert.match(body, /<option value="zh" selected>zh \(no longer offered\)<\/option>/);
  const saved = await owner.submit('/dashboard/old-code/edit/', '/dashboard/old-code/edit/', { name: 'Old Code 2', repository: repo.url, language: 'zh', default_version: 'latest' });
  assert.equal(saved.statusCode, 303, saved.body);
  const [row] = await app.database.db.select().from(projects).where(eq(projects.slug, 'old-code'));
  assert.equal(row!.language, 'zh');
  assert.equal(row!.name, 'Old Code 2');
  const shown = await app.web.inject({ url: '/api/v3/projects/old-code/' });
  assert.deepEqual(shown.json().language, { code: 'zh', name: 'Unknown' }, "Read the Docs' LanguageSerializer for a code outside the list");
});

// Attack: cookie tossing. A page on a sibling host (a project's docs under the same parent
// domain) sets `bindery_session` / `bindery_csrf` for the parent domain, so the browser sends
// them to the dashboard: the attacker's own session (the victim then works in the attacker's
// account) or a CSRF token the attacker knows. With an https PUBLIC_URL the dashboard's
// cookies are `__Host-` cookies, which only the dashboard's own host can set; cookies by the
// plain names are never read, and CSRF stays enforced.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FormClient } from '../helpers/browserless.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';

let app: TestApp;
let plain: TestApp;

before(async () => {
  app = await testApp({ builder: false, publicUrl: 'https://bindery.example.com' });
  plain = await testApp({ builder: false });
});
after(async () => {
  await app?.close();
  await plain?.close();
});

const setCookies = (res: { headers: Record<string, unknown> }) => ([] as string[]).concat((res.headers['set-cookie'] as string | string[] | undefined) ?? []);

/** Every attribute a browser needs to accept a `__Host-` cookie, and those asked for besides. */
function assertHostCookie(header: string | undefined, name: string) {
  assert.ok(header, `${name} is set`);
  assert.ok(header.startsWith(`__Host-${name}=`), header);
  assert.match(header, /; Secure/);
  assert.match(header, /; Path=\/(;|$)/);
  assert.match(header, /; HttpOnly/);
  assert.match(header, /; SameSite=Lax/);
  assert.doesNotMatch(header, /Domain=/i);
}

async function signUp(client: FormClient, username: string) {
  const res = await client.submit('/accounts/signup/', '/accounts/signup/', { username, email: `${username}@example.com`, password: 'correct horse battery' });
  assert.equal(res.statusCode, 303, res.body);
  return res;
}

test('on https the session and CSRF cookies are __Host- cookies: Secure, Path=/, no Domain, HttpOnly, SameSite=Lax', async () => {
  const form = await app.web.inject({ url: '/accounts/signup/' });
  assertHostCookie(setCookies(form).find((c) => c.includes('bindery_csrf=')), 'bindery_csrf');
  const client = new FormClient(app.web);
  const res = await signUp(client, 'ada');
  assertHostCookie(setCookies(res).find((c) => c.includes('bindery_session=')), 'bindery_session');
  assert.equal((await client.get('/dashboard/')).statusCode, 200, 'the __Host- session works');
  const out = await client.submit('/dashboard/', '/accounts/logout/', {});
  const cleared = setCookies(out).find((c) => c.startsWith('__Host-bindery_session='));
  assert.ok(cleared && /Secure/.test(cleared) && /Path=\//.test(cleared), `cleared with the attributes a browser needs: ${cleared}`);
});

test("a tossed session cookie by the plain name is ignored: no one is signed into the attacker's account", async () => {
  const attacker = new FormClient(app.web);
  await signUp(attacker, 'mallory');
  const session = attacker.cookies.get('__Host-bindery_session')!;
  assert.ok(session);
  // What the sibling host planted for the parent domain, sent by the victim's browser.
  const victim = await app.web.inject({ url: '/dashboard/', headers: { cookie: `bindery_session=${session}` } });
  assert.equal(victim.statusCode, 303, 'not signed in');
  assert.match(victim.headers.location!, /^\/accounts\/login\//);
  const home = await app.web.inject({ url: '/', headers: { cookie: `bindery_session=${session}` } });
  assert.doesNotMatch(home.body, /mallory/);
});

test('a tossed CSRF cookie with a token the attacker knows does not pass the check; CSRF stays enforced', async () => {
  const known = 'A'.repeat(32);
  const forged = await app.web.inject({
    method: 'POST', url: '/accounts/signup/',
    payload: new URLSearchParams({ username: 'planted', email: 'p@example.com', password: 'correct horse battery', csrf: known }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `bindery_csrf=${known}` },
  });
  assert.equal(forged.statusCode, 403);
  assert.equal(setCookies(forged).some((c) => c.includes('bindery_session=')), false, 'no session was started');
  // Signed in, forms still need the session's token, and a cross-site Origin is refused.
  const client = new FormClient(app.web);
  await signUp(client, 'grace');
  assert.equal((await client.submit('/dashboard/import/', '/accounts/logout/', {}, { csrf: null })).statusCode, 403);
  assert.equal((await client.submit('/dashboard/import/', '/accounts/logout/', {}, { csrf: known })).statusCode, 403);
  assert.equal((await client.submit('/dashboard/import/', '/accounts/logout/', {}, { headers: { origin: 'https://evil.docs.example.com' } })).statusCode, 403);
  assert.equal((await client.get('/dashboard/')).statusCode, 200, 'still signed in');
});

test('over http the cookies keep their plain names (browsers refuse __Host- without Secure)', async () => {
  const client = new FormClient(plain.web);
  const res = await signUp(client, 'linus');
  const session = setCookies(res).find((c) => c.startsWith('bindery_session='));
  assert.ok(session, setCookies(res).join(' | '));
  assert.doesNotMatch(session, /Secure|Domain=/i);
  assert.match(session, /HttpOnly/);
  assert.ok(client.cookies.has('bindery_csrf'));
  assert.equal(setCookies(res).some((c) => c.startsWith('__Host-')), false);
});

// Private docs as the docs server answers them (docs/reader-session.ts): a 404 with a "Log in
// to read" link to the dashboard for readers without a session — private project or private
// version alike —, the page itself for a maintainer's session of this host, served private and
// never kept by a CDN; a session of another host, a non-maintainer's or an expired one reads
// nothing. Sessions are made directly in the database here; the handoff journey and its
// attacks are test/security/private-docs-reading.test.ts.
import { createHash } from 'node:crypto';
import { createUser } from '../../../../src/db/users.ts';
import { docsSessions, projectMaintainers } from '../../../../src/db/schema.ts';
import type { DocsFixture } from '../../../helpers/docs-fixture.ts';
import { page, servingTable, site } from '../../../helpers/serving-table.ts';

const MAINTAINER = 'maintainer-session-0123456789abcdefghijklmnopqrstu';
const STRANGER = 'stranger-session-0123456789abcdefghijklmnopqrstuvwx';
const ELSEWHERE = 'elsewhere-session-0123456789abcdefghijklmnopqrstuvw';
const EXPIRED = 'expired-session-0123456789abcdefghijklmnopqrstuvwxyz';
const cookie = (id: string) => ({ cookie: `bindery_docs_session=${id}` });
const loginLink = (url: string) => `http://localhost:8000/_/docs-login/?next=${encodeURIComponent(url)}`.replace(/&/g, '&#38;');

async function session(f: DocsFixture, id: string, userId: number, host: string, lifetimeMs = 3_600_000): Promise<void> {
  const idHash = createHash('sha256').update(id).digest('hex');
  await f.database.db.insert(docsSessions).values({ idHash, kind: 'session', userId, host, expiresAt: new Date(Date.now() + lifetimeMs) });
}

servingTable('private docs', {
  host: 'secret.docs.localhost',
  options: { publicUrl: 'http://localhost:8000' },
  async setup(f) {
    const { project: secret } = await site(f, 'secret', { latest: { 'index.html': page('secret home') } }, { privacyLevel: 'private' });
    const { project: open } = await site(f, 'open', { latest: { 'index.html': page('open home') }, draft: { 'index.html': page('draft home') } }, {}, { draft: { privacyLevel: 'private' } });
    const owner = await createUser(f.database.db, { username: 'owner' });
    const stranger = await createUser(f.database.db, { username: 'stranger' });
    for (const p of [secret, open]) await f.database.db.insert(projectMaintainers).values({ projectId: p.id, userId: owner.id });
    await session(f, MAINTAINER, owner.id, 'secret.docs.localhost');
    await session(f, STRANGER, stranger.id, 'secret.docs.localhost');
    await session(f, ELSEWHERE, owner.id, 'open.docs.localhost');
    await session(f, EXPIRED, owner.id, 'secret.docs.localhost', -1000);
  },
  rows: [
    {
      name: 'a private project without a session: 404 with a link to sign in through the dashboard, never cached',
      request: { path: '/en/latest/' },
      expect: { status: 404, body: loginLink('http://secret.docs.localhost/en/latest/'), notBody: 'secret home', headers: { 'cache-control': 'no-cache', 'cdn-cache-control': 'private' } },
    },
    {
      name: "a maintainer's session of this host reads it, private at the browser and the CDN",
      request: { path: '/en/latest/', headers: cookie(MAINTAINER) },
      expect: { status: 200, body: 'secret home', headers: { 'cache-control': 'private, no-cache', 'cdn-cache-control': 'private' } },
    },
    {
      name: "a non-maintainer's session reads nothing",
      request: { path: '/en/latest/', headers: cookie(STRANGER) },
      expect: { status: 404, body: 'Log in to read', notBody: 'secret home' },
    },
    {
      name: 'a session made on another docs host reads nothing here',
      request: { path: '/en/latest/', headers: cookie(ELSEWHERE) },
      expect: { status: 404, body: 'Log in to read', notBody: 'secret home' },
    },
    {
      name: 'an expired session reads nothing',
      request: { path: '/en/latest/', headers: cookie(EXPIRED) },
      expect: { status: 404, body: 'Log in to read', notBody: 'secret home' },
    },
    {
      name: 'the session cookie under its https name is not read over http',
      request: { path: '/en/latest/', headers: { cookie: `__Host-bindery_docs_session=${MAINTAINER}` } },
      expect: { status: 404, notBody: 'secret home' },
    },
    {
      name: 'a private version of a public project: the same 404 with its link',
      request: { host: 'open.docs.localhost', path: '/en/draft/' },
      expect: { status: 404, body: loginLink('http://open.docs.localhost/en/draft/'), notBody: 'draft home', headers: { 'cdn-cache-control': 'private' } },
    },
    {
      name: 'a private version for a maintainer with a session of that host',
      request: { host: 'open.docs.localhost', path: '/en/draft/', headers: cookie(ELSEWHERE) },
      expect: { status: 200, body: 'draft home', headers: { 'cache-control': 'private, no-cache', 'cdn-cache-control': 'private' } },
    },
    {
      name: 'public versions beside it stay public, session or not',
      request: { host: 'open.docs.localhost', path: '/en/latest/', headers: cookie(ELSEWHERE) },
      expect: { status: 200, body: 'open home', headers: { 'cdn-cache-control': 'public' } },
    },
    {
      name: '/_/auth/ with an unknown token: 403, no cookie, not stored',
      request: { path: '/_/auth/?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&next=/en/latest/' },
      expect: { status: 403, location: null, headers: { 'set-cookie': null, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } },
    },
  ],
});

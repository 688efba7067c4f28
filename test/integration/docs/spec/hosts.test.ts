// Hosts as Read the Docs serves them (proxito's middleware and canonical redirects): a
// subproject's or a translation's own host sends readers to its main site, the public host of
// a project with a canonical https domain sends them there, custom domains with `https` and
// the docs domain under DOCS_HTTPS upgrade http, and pull-request preview hosts serve their one
// version whatever the path says.
import { eq } from 'drizzle-orm';
import { domains, type Project } from '../../../../src/db/schema.ts';
import type { DocsFixture } from '../../../helpers/docs-fixture.ts';
import { page, servingTable, site } from '../../../helpers/serving-table.ts';

const https = { 'x-forwarded-proto': 'https' };

/** A verified custom domain with Read the Docs' `canonical` and `https` flags. */
async function domain(f: DocsFixture, project: Project, name: string, flags: { canonical?: boolean; https?: boolean }): Promise<void> {
  await f.domain(project, name, true);
  await f.database.db.update(domains).set({ canonical: false, https: false, ...flags }).where(eq(domains.domain, name));
}

/** `main` with a Spanish translation and a subproject; `canon` with a canonical https domain and a subproject; previews. */
async function sites(f: DocsFixture): Promise<void> {
  const { project: main } = await site(f, 'main', { latest: { 'index.html': page('main home'), 'page.html': page('main page') } });
  await site(f, 'main-es', { latest: { 'index.html': page('main es home'), 'page.html': page('main es page') } }, { language: 'es', translationOfId: main.id });
  const { project: sub } = await site(f, 'sub', { latest: { 'index.html': page('sub home'), 'page.html': page('sub page') } });
  await f.subproject(main, sub, 'sub');
  const { project: subEs } = await site(f, 'sub-es', { latest: { 'index.html': page('sub es home') } }, { language: 'es', translationOfId: sub.id });
  void subEs;

  const { project: canon } = await site(f, 'canon', { latest: { 'index.html': page('canon home') } });
  await domain(f, canon, 'docs.canon.test', { canonical: true, https: true });
  await domain(f, canon, 'other.canon.test', {});
  const { project: csub } = await site(f, 'csub', { latest: { 'index.html': page('csub home') } });
  await f.subproject(canon, csub, 'csub');

  const { project: plain } = await site(f, 'plain', { latest: { 'index.html': page('plain home') } });
  await domain(f, plain, 'docs.plain.test', { canonical: true, https: false });
  await domain(f, plain, 'secure.plain.test', { https: true });

  const { project: pr } = await site(f, 'pr', { latest: { 'index.html': page('pr latest') } }, { externalBuildsEnabled: true });
  await f.deploy(pr, await f.version(pr, '7', { type: 'external' }), { 'index.html': page('pr preview 7'), 'a.html': page('pr preview 7 a') });
  const { project: dashed } = await site(f, 'my--proj', { latest: { 'index.html': page('dashed latest') } }, { externalBuildsEnabled: true });
  await f.deploy(dashed, await f.version(dashed, '3', { type: 'external' }), { 'index.html': page('dashed preview 3') });
}

const home = (type: string) => ({ 'x-rtd-redirect': type });

servingTable('hosts: subprojects, translations, canonical and custom domains, previews', {
  setup: sites,
  rows: [
    // Subproject hosts: every page goes to the parent's /projects/<alias>/, query kept.
    { name: "a subproject's host root goes to its place under the parent", request: { host: 'sub.docs.localhost', path: '/' },
      expect: { status: 302, location: 'http://main.docs.localhost/projects/sub/', headers: home('subproject_to_main_domain') } },
    { name: "a subproject's host page goes to the same page under the parent", request: { host: 'sub.docs.localhost', path: '/en/latest/page.html?x=1' },
      expect: { status: 302, location: 'http://main.docs.localhost/projects/sub/en/latest/page.html?x=1', headers: home('subproject_to_main_domain') } },
    { name: "a subproject's host sends even missing pages to the parent (no duplicate site)", request: { host: 'sub.docs.localhost', path: '/en/latest/nothing.html' },
      expect: { status: 302, location: 'http://main.docs.localhost/projects/sub/en/latest/nothing.html' } },
    { name: "a subproject's translation host lands on its own language under the parent", request: { host: 'sub-es.docs.localhost', path: '/' },
      expect: { status: 302, location: 'http://main.docs.localhost/projects/sub/es/latest/', headers: home('subproject_to_main_domain') } },
    { name: "a subproject of a project with a canonical domain goes to that domain", request: { host: 'csub.docs.localhost', path: '/en/latest/' },
      expect: { status: 302, location: 'https://docs.canon.test/projects/csub/en/latest/' } },
    { name: 'the parent serves the subproject', request: { host: 'main.docs.localhost', path: '/projects/sub/en/latest/page.html' },
      expect: { status: 200, body: 'sub page', location: null } },
    { name: "reserved paths of a subproject's host are not redirected", request: { host: 'sub.docs.localhost', path: '/_/nothing' },
      expect: { status: 404, location: null } },

    // Translation hosts: their root lands on their own language on the main host.
    { name: "a translation's host root lands on its own language, not English", request: { host: 'main-es.docs.localhost', path: '/' },
      expect: { status: 302, location: 'http://main.docs.localhost/es/latest/', headers: home('translation_to_main_domain') } },
    { name: "a translation's host page goes to the same page on the main host", request: { host: 'main-es.docs.localhost', path: '/es/latest/page.html' },
      expect: { status: 302, location: 'http://main.docs.localhost/es/latest/page.html', headers: home('translation_to_main_domain') } },
    { name: 'the main host serves the translation', request: { host: 'main.docs.localhost', path: '/es/latest/page.html' },
      expect: { status: 200, body: 'main es page' } },

    // Canonical custom domains (canonical and https): the public host's pages go there.
    { name: 'the public host of a project with a canonical https domain redirects there', request: { host: 'canon.docs.localhost', path: '/en/latest/?q=1' },
      expect: { status: 302, location: 'https://docs.canon.test/en/latest/?q=1', headers: home('to_canonical_domain') } },
    { name: 'the public host root redirects to the canonical domain root', request: { host: 'canon.docs.localhost', path: '/' },
      expect: { status: 302, location: 'https://docs.canon.test/', headers: home('to_canonical_domain') } },
    { name: 'the canonical domain over https serves the page', request: { host: 'docs.canon.test', path: '/en/latest/', headers: https },
      expect: { status: 200, body: 'canon home', location: null } },
    { name: 'a custom domain with https upgrades http (any path)', request: { host: 'docs.canon.test', path: '/en/latest/?q=1' },
      expect: { status: 302, location: 'https://docs.canon.test/en/latest/?q=1', headers: home('http_to_https') } },
    { name: 'a custom domain with https upgrades robots.txt too', request: { host: 'secure.plain.test', path: '/robots.txt' },
      expect: { status: 302, location: 'https://secure.plain.test/robots.txt', headers: home('http_to_https') } },
    { name: 'a non-canonical custom domain is served as it is (Read the Docs does not canonicalize custom domains)', request: { host: 'other.canon.test', path: '/en/latest/' },
      expect: { status: 200, body: 'canon home', location: null } },
    { name: 'a canonical domain without https does not take the public host', request: { host: 'plain.docs.localhost', path: '/en/latest/' },
      expect: { status: 200, body: 'plain home', location: null } },
    { name: 'a canonical domain without https is served over http', request: { host: 'docs.plain.test', path: '/en/latest/' },
      expect: { status: 200, body: 'plain home', location: null } },
    // System redirects are resolved as Read the Docs' resolver builds URLs: on the canonical domain.
    { name: 'the root of a non-canonical custom domain goes to the default version on the canonical domain', request: { host: 'other.canon.test', path: '/?q=1' },
      expect: { status: 302, location: 'https://docs.canon.test/en/latest/?q=1', headers: home('system') } },
    { name: 'the root of the public host goes to the canonical domain (http) when it has no https', request: { host: 'plain.docs.localhost', path: '/' },
      expect: { status: 302, location: 'http://docs.plain.test/en/latest/' } },
    { name: 'on the canonical domain itself the system redirect stays relative', request: { host: 'docs.plain.test', path: '/' },
      expect: { status: 302, location: '/en/latest/', follow: { status: 200, body: 'plain home' } } },
    { name: 'repeated slashes are fixed on the host asked', request: { host: 'other.canon.test', path: '/en//latest/' },
      expect: { status: 302, location: '/en/latest/' } },

    // Pull-request previews.
    { name: 'a preview host root goes to its version', request: { host: 'pr--7.previews.localhost', path: '/' },
      expect: { status: 302, location: '/en/7/' } },
    { name: 'a preview host serves its version', request: { host: 'pr--7.previews.localhost', path: '/en/7/a.html' },
      expect: { status: 200, body: 'pr preview 7 a' } },
    { name: "on a preview host the host's version wins over the path's", request: { host: 'pr--7.previews.localhost', path: '/en/latest/' },
      expect: { status: 200, body: 'pr preview 7', notBody: 'pr latest' } },
    { name: '/page/ on a preview host goes to the preview', request: { host: 'pr--7.previews.localhost', path: '/page/a.html' },
      expect: { status: 302, location: '/en/7/a.html' } },
    { name: 'a slug with -- splits on the last --', request: { host: 'my--proj--3.previews.localhost', path: '/en/3/' },
      expect: { status: 200, body: 'dashed preview 3' } },
    { name: 'a preview is not served on the project host', request: { host: 'pr.docs.localhost', path: '/en/7/' },
      expect: { status: 404 } },

    // Unknown hosts.
    { name: 'a well-formed docs host of no project is a 404', request: { host: 'nosuch.docs.localhost', path: '/' },
      expect: { status: 404, location: null } },
    { name: 'a lookalike of the docs domain is a 400', request: { host: 'docs.localhost.evil.example', path: '/' },
      expect: { status: 400, location: null } },
    { name: 'a nested name under the docs domain is a 400', request: { host: 'a.b.docs.localhost', path: '/en/latest/' },
      expect: { status: 400 } },
    { name: 'a preview host without a number is a 404', request: { host: 'pr.previews.localhost', path: '/' },
      expect: { status: 404 } },
  ],
});

servingTable('hosts: DOCS_HTTPS', {
  options: { docsHttps: true },
  setup: sites,
  rows: [
    { name: 'http on the docs domain redirects to https, query kept', request: { host: 'main.docs.localhost', path: '/en/latest/?q=1' },
      expect: { status: 302, location: 'https://main.docs.localhost/en/latest/?q=1', headers: home('http_to_https') } },
    { name: 'http robots.txt on the docs domain redirects to https', request: { host: 'main.docs.localhost', path: '/robots.txt' },
      expect: { status: 302, location: 'https://main.docs.localhost/robots.txt' } },
    { name: 'https (X-Forwarded-Proto from a trusted proxy) is served', request: { host: 'main.docs.localhost', path: '/en/latest/', headers: https },
      expect: { status: 200, body: 'main home', location: null } },
    { name: 'a system redirect over https stays on https', request: { host: 'main.docs.localhost', path: '/', headers: https },
      expect: { status: 302, location: /^(https:\/\/main\.docs\.localhost)?\/en\/latest\/$/, follow: { status: 200, body: 'main home' } } },
    { name: 'a preview host upgrades http too', request: { host: 'pr--7.previews.localhost', path: '/en/7/' },
      expect: { status: 302, location: 'https://pr--7.previews.localhost/en/7/' } },
    { name: "a subproject's host sends https readers to https on the parent", request: { host: 'sub.docs.localhost', path: '/', headers: https },
      expect: { status: 302, location: 'https://main.docs.localhost/projects/sub/' } },
    { name: 'a custom domain without https follows its own flag, not DOCS_HTTPS', request: { host: 'docs.plain.test', path: '/en/latest/' },
      expect: { status: 200, body: 'plain home', location: null } },
  ],
});

servingTable('hosts: DOCS_HTTPS believes X-Forwarded-Proto only from trusted proxies', {
  options: { docsHttps: true, trustProxy: [] },
  setup: sites,
  rows: [
    { name: 'X-Forwarded-Proto from an untrusted client is ignored', request: { host: 'main.docs.localhost', path: '/en/latest/', headers: https },
      expect: { status: 302, location: 'https://main.docs.localhost/en/latest/' } },
  ],
});

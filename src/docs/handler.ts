// One docs request, start to end: host → site, path → route (core/docs-path.ts), then a
// system redirect, a forced user redirect, the file of the live build, a `dir/` redirect,
// a user redirect after the 404, or the 404 page — in Read the Docs' order. A pull-request
// preview host serves its one external version and nothing else (no subprojects, downloads
// or sitemap); everywhere else an external version is a 404, as an unknown version is.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { artifactPrefix } from '../core/build-state.ts';
import { DOWNLOAD_FORMATS, pageLocation, routeDocsPath, routeInProject, versionPath, withQuery, type DocsRoute, type FileRoute } from '../core/docs-path.ts';
import { findRedirect, type RedirectMatch, type RedirectRequest } from '../core/redirects.ts';
import type { ServedProject, ServedVersion } from '../db/serving.ts';
import { servedOnHost } from '../core/previews.ts';
import { sendLlms, sendRobots, sendSitemap } from './crawlers.ts';
import { downloadFilename, noteSite, sendHealthCheck } from './headers.ts';
import { sendNotFound } from './not-found.ts';
import { htmlPrefix, previewHeaders, sendOptions, tag, type DocsContext, type Exchange } from './exchange.ts';
import { isServable, viewOf, type Site } from './resolver.ts';
import { mayReadPrivate, privateSend, sendLoginNeeded, servableTo } from './reader-session.ts';
import { sendStoredFile } from './send-file.ts';

const enc = encodeURIComponent;

export async function handleDocsRequest(ctx: DocsContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const raw = request.raw.url ?? '/';
  const q = raw.indexOf('?');
  const rawPath = q >= 0 ? raw.slice(0, q) : raw;
  const query = q >= 0 ? raw.slice(q) : '';
  // Before the host: a load balancer probes a node by address, with no project's host.
  if (rawPath === '/_/health_check/') return sendHealthCheck(reply);
  // A reader signing in from the dashboard (docs/reader-session.ts): bound to the host, not to a project.
  if (rawPath === '/_/auth/' && ctx.readers) return ctx.readers.trade(request, reply, query, request.protocol === 'https');
  const site = await ctx.resolver.site(request.hostname);
  noteSite(reply, site);
  if (!site && ctx.resolver.lookalike(request.hostname)) {
    return reply.code(400).header('content-type', 'text/plain; charset=utf-8').send(`Bad request: ${request.hostname} is not a documentation host\n`);
  }
  if (!site) return sendNotFound(request, reply, ctx.storage);
  const scheme = request.protocol === 'https' ? 'https' : 'http';
  const x: Exchange = { ctx, request, reply, rawPath, query, preview: site.preview, scheme };
  if (site.preview === null && site.canonical && site.canonical.domain !== request.hostname) {
    x.canonicalOrigin = `${site.canonical.https ? 'https' : 'http'}://${site.canonical.domain}`;
  }
  if (site.preview !== null) previewHeaders(reply);
  // http → https on every path, as Read the Docs' middleware: a custom domain with `https`,
  // the docs and preview domains under DOCS_HTTPS.
  if (scheme === 'http' && (site.source === 'custom' ? site.httpsOnly : ctx.docsHttps)) {
    return canonicalRedirect(x, site, `https://${request.host}${raw}`, 'http_to_https');
  }
  // Root files for crawlers of language models, beside robots.txt (crawlers.ts).
  if (rawPath === '/llms.txt' || rawPath === '/llms-full.txt') return sendLlms(x, site, rawPath.slice(1));
  const route = routeDocsPath(rawPath, site.view);
  if (isDocsPage(rawPath, route)) {
    const home = homeLocation(x, site);
    if (home) return canonicalRedirect(x, site, home.location, home.type);
  }
  if (site.preview !== null && (route.kind === 'sitemap' || route.kind === 'download' || route.kind === 'page')) return sendNotFound(request, reply, ctx.storage);
  switch (route.kind) {
    case 'health':
      return sendHealthCheck(reply);
    case 'robots':
      return sendRobots(x, site);
    case 'sitemap':
      return sendSitemap(x, site);
    case 'download':
      return sendDownload(x, site, route);
    case 'subproject': {
      // The longest alias the path starts with (aliases may contain `/`); none, or a preview
      // host (which has no subprojects): what the path means in the parent itself.
      const match = site.preview === null ? await ctx.resolver.subprojectAlias(site.root.id, route.segments) : null;
      const child = match ? await ctx.resolver.subproject(site.root.id, match.alias) : null;
      if (!match || !child) return serveRoute(x, site, route.otherwise, '');
      const prefix = `${route.under}/${match.alias.split('/').map(enc).join('/')}`;
      const parts = route.segments.slice(match.length);
      if (parts[0] === 'page') return systemRedirect(x, pageLocation(child.view, prefix, parts.slice(1), route.trailingSlash));
      return serveRoute(x, child, routeInProject(parts, route.trailingSlash, child.view, prefix), prefix);
    }
    case 'page': {
      const child = await ctx.resolver.subproject(site.root.id, route.alias);
      if (!child) return notFound(x, site.root, null);
      return systemRedirect(x, pageLocation(child.view, route.prefix, route.parts, route.trailingSlash));
    }
    default:
      return serveRoute(x, site, route, '');
  }
}

/** Paths Read the Docs' docs view answers (its canonical redirects apply): not robots, sitemap or `/_/…`. */
function isDocsPage(rawPath: string, route: DocsRoute): boolean {
  return !rawPath.startsWith('/_/') && rawPath !== '/_' && route.kind !== 'bad-request' && route.kind !== 'robots' && route.kind !== 'sitemap';
}

/**
 * Where a page of this host really lives, when elsewhere: a subproject's or a translation's
 * own host sends it to its main site (under `/projects/<alias>/`, or beside the main project;
 * the host's root lands on the translation's own language); the public host of a project with
 * a canonical https custom domain sends it there. Null: served here.
 */
function homeLocation(x: Exchange, site: Site): { location: string; type: string } | null {
  const path = x.rawPath + x.query;
  if (site.home) {
    const home = site.home;
    const atRoot = x.rawPath === '/' || (site.view.customPrefix != null && (x.rawPath === site.view.customPrefix || x.rawPath === site.view.customPrefix.replace(/\/$/, '')));
    const target = home.rootPath !== null && atRoot ? withQuery(home.rootPath, x.query) : home.mount + path;
    return { location: originOf(x, home.host, home.https) + target, type: home.type };
  }
  if (site.source === 'public' && site.canonical?.https) return { location: `https://${site.canonical.domain}${path}`, type: 'to_canonical_domain' };
  return null;
}

/** `scheme://host[:port]` of a host: a custom domain by its `https`; a docs-domain host (https null) with this request's scheme (https under DOCS_HTTPS) and port. */
function originOf(x: Exchange, host: string, https: boolean | null): string {
  if (https !== null) return `${https ? 'https' : 'http'}://${host}`;
  const port = /:\d+$/.exec(x.request.host)?.[0] ?? '';
  return `${x.ctx.docsHttps || x.scheme === 'https' ? 'https' : 'http'}://${host}${port}`;
}

/** A redirect to the same page on its canonical URL (another scheme or host); the query stays. */
function canonicalRedirect(x: Exchange, site: Site, location: string, type: string): FastifyReply {
  tag(x.reply, site.root.slug);
  return x.reply.header('x-rtd-redirect', type).header('x-bindery-redirect', 'system').redirect(location, 302);
}

async function serveRoute(x: Exchange, site: Site, route: DocsRoute, mount: string): Promise<FastifyReply> {
  switch (route.kind) {
    case 'bad-request':
      return x.reply.code(400).header('content-type', 'text/plain; charset=utf-8').send(`Bad request: ${route.reason}\n`);
    case 'redirect': {
      // `/en/nope` → `/en/nope/` only for a version that exists; otherwise it is a 404, where
      // user redirects are tried first — as Read the Docs adds the slash only once it found the version.
      const missing = route.ifVersion ? await missingVersion(x, site, route.ifVersion, mount) : null;
      if (missing) return notFound(x, missing.project, missing.route, mount);
      return systemRedirect(x, route.location, !route.sameHost);
    }
    case 'file': {
      const project = route.language === site.root.language || site.view.singleVersion ? site.root : site.translations.get(route.language);
      return project ? serveFile(x, project, route, mount) : notFound(x, site.root, null);
    }
    default:
      return notFound(x, site.root, null, mount);
  }
}

/** The root of a version a redirect names (`ifVersion`), when that version does not exist; null otherwise. */
async function missingVersion(x: Exchange, site: Site, named: { language: string; version: string }, mount: string): Promise<{ project: ServedProject; route: FileRoute } | null> {
  const project = named.language === site.root.language || site.view.singleVersion ? site.root : site.translations.get(named.language);
  if (!project || (await x.ctx.resolver.version(project.id, named.version)).value !== null) return null;
  const base = mount + versionPath(site.view, named.language, named.version);
  return { project, route: { kind: 'file', language: named.language, version: named.version, file: 'index.html', filename: '/', base } };
}

/**
 * A redirect of the URL rules. `resolved`: a URL Read the Docs' resolver builds (the default
 * version, /page/, a missing slash after a version), so on the project's canonical domain when
 * it has one elsewhere; otherwise a fix of the path on the host asked.
 */
function systemRedirect(x: Exchange, location: string, resolved = true): FastifyReply {
  const to = resolved && x.canonicalOrigin && location.startsWith('/') ? x.canonicalOrigin + location : location;
  return x.reply.header('x-rtd-redirect', 'system').header('x-bindery-redirect', 'system').redirect(withQuery(to, x.query), 302);
}

/** `dir` → `dir/` on the host asked, when `dir/index.html` exists: Read the Docs sends it bare, without X-RTD-Redirect. */
function indexRedirect(x: Exchange): FastifyReply {
  return x.reply.redirect(withQuery(`${x.rawPath}/`, x.query), 302);
}

function userRedirect(x: Exchange, match: RedirectMatch): FastifyReply {
  return x.reply.header('x-rtd-redirect', 'user').header('x-bindery-redirect', 'user').redirect(match.location, match.status);
}

/**
 * The user redirect for this request, or null. None on a pull-request preview host, as on
 * Read the Docs; 'forced' is asked only once the path resolved to a version.
 */
async function userRedirectFor(x: Exchange, project: ServedProject, route: FileRoute | null, mount: string, phase: 'forced' | 'not-found'): Promise<RedirectMatch | null> {
  if (x.preview !== null) return null;
  const rules = await x.ctx.resolver.redirects(project.id);
  return rules.length === 0 ? null : findRedirect(rules, redirectRequest(x, project, route, mount), phase);
}

function redirectRequest(x: Exchange, project: ServedProject, route: FileRoute | null, mount: string): RedirectRequest {
  let path: string;
  try {
    path = decodeURIComponent(x.rawPath);
  } catch {
    path = x.rawPath;
  }
  const host = x.request.hostname.toLowerCase();
  if (route === null) {
    // A path that names no version (`/install.html`): Read the Docs matches its rules with the
    // path inside the project as the filename, and page rules go to the default version.
    const inside = mount && path.startsWith(`${mount}/`) ? path.slice(mount.length) : path;
    return { path, query: x.query, filename: inside, versionBase: versionBase(project, mount, project.language, project.defaultVersion), host };
  }
  return {
    path,
    query: x.query,
    filename: route.filename,
    versionBase: versionBase(project, mount, route.language, route.version),
    host,
  };
}

/** Where page rules of a version point, without the final slash: the project's URL scheme and custom prefix, under its mount. */
const versionBase = (project: ServedProject, mount: string, language: string, version: string) =>
  (mount + versionPath(viewOf(project), language, version)).replace(/\/$/, '');

async function serveFile(x: Exchange, project: ServedProject, route: FileRoute, mount: string): Promise<FastifyReply> {
  const { ctx, reply } = x;
  if (project.privacyLevel !== 'public' && !(await mayReadPrivate(x, project))) return sendLoginNeeded(x);
  tag(reply, project.slug);
  let { value: version, fresh } = await ctx.resolver.version(project.id, route.version);
  // Private docs only for a signed-in reader who may read them; a database query only for those.
  const reader = (project.privacyLevel !== 'public' || version?.privacyLevel === 'private') && (await mayReadPrivate(x, project));
  // Forced rules win even over a file that exists — once the path names a version that exists
  // (an unknown version is a 404, where every rule is tried). One to the request itself is skipped.
  if (version !== null) {
    const forced = await userRedirectFor(x, project, route, mount, 'forced');
    if (forced) return userRedirect(x, forced);
  }
  if (version?.privacyLevel === 'private' && !reader) return sendLoginNeeded(x);
  if (version && (version.privacyLevel === 'public' || reader) && servedOnHost(version, x.preview)) tag(reply, project.slug, version.slug, route.filename);
  while (servableTo(version, x.preview, reader)) {
    const prefix = htmlPrefix(project, version);
    if (await sendStoredFile(x.request, reply, `${prefix}/${route.file}`, sendOptions(x, version.liveBuildId, privateSend(reader)))) return reply;
    // `dir` where `dir/index.html` exists → `dir/`, like a static server would.
    if (!route.filename.endsWith('/') && (await ctx.storage.exists(`${prefix}/${route.file}/index.html`))) return indexRedirect(x);
    if (fresh) break;
    // The cached live build may have been replaced since (and its files collected): look once more.
    const again = await ctx.resolver.version(project.id, route.version, true);
    fresh = true;
    if (servableTo(again.value, x.preview, reader) && again.value.liveBuildId === version.liveBuildId) break;
    version = again.value;
  }
  return notFound(x, project, route, mount, servableTo(version, x.preview, reader) ? version : null);
}

/** After a 404: user redirects, then the 404 page of the version, then of the default version. */
async function notFound(x: Exchange, project: ServedProject, route: FileRoute | null, mount = '', version: (ServedVersion & { liveBuildId: number }) | null = null): Promise<FastifyReply> {
  const { ctx, reply } = x;
  if (project.privacyLevel !== 'public' && !(await mayReadPrivate(x, project))) return sendLoginNeeded(x);
  tag(reply, project.slug);
  // After the `dir` → `dir/` check (serveFile), as on Read the Docs; one to the request itself is skipped: the 404 page.
  const match = await userRedirectFor(x, project, route, mount, 'not-found');
  if (match) return userRedirect(x, match);
  const prefixes: string[] = [];
  if (version) prefixes.push(htmlPrefix(project, version));
  if (!version || version.slug !== project.defaultVersion) {
    const fallback = (await ctx.resolver.version(project.id, project.defaultVersion)).value;
    if (isServable(fallback, x.preview)) prefixes.push(htmlPrefix(project, fallback));
  }
  return sendNotFound(x.request, reply, ctx.storage, prefixes);
}

/** `/_/downloads/[<alias>/]<lang>/<version>/<format>/`: the live build's offline copy, as `<project>.<ext>`. */
async function sendDownload(x: Exchange, site: Site, route: Extract<DocsRoute, { kind: 'download' }>): Promise<FastifyReply> {
  const { ctx, reply } = x;
  const owner = route.alias === null ? site : await ctx.resolver.subproject(site.root.id, route.alias);
  const project = !owner ? undefined : route.language === owner.root.language ? owner.root : owner.translations.get(route.language);
  if (!project) return sendNotFound(x.request, reply, ctx.storage);
  const { value: version } = await ctx.resolver.version(project.id, route.version);
  // Private downloads only for a signed-in reader who may read them (docs/reader-session.ts).
  const reader = (project.privacyLevel !== 'public' || version?.privacyLevel === 'private') && (await mayReadPrivate(x, project));
  if (project.privacyLevel !== 'public' && !reader) return sendLoginNeeded(x);
  if (!servableTo(version, x.preview, reader) || !version.formats.includes(route.format)) return sendNotFound(x.request, reply, ctx.storage);
  tag(reply, project.slug, version.slug);
  const name = `${project.slug}.${DOWNLOAD_FORMATS[route.format]}`;
  // Read the Docs' name: `<project's host, dashed>-[<alias>-]<lang>-<version>.<ext>`.
  const host = project === site.root && site.canonical ? site.canonical.domain : `${project.slug}.${ctx.docsDomain}`;
  const downloadName = downloadFilename(host, project.language, version.slug, DOWNLOAD_FORMATS[route.format], route.alias);
  const key = `${artifactPrefix(project.slug, version.slug, version.liveBuildId, route.format)}/${name}`;
  const sent = await sendStoredFile(x.request, reply, key, sendOptions(x, version.liveBuildId, { downloadName, cacheControl: 'public, max-age=60', ...privateSend(reader) }));
  return sent ? reply : sendNotFound(x.request, reply, ctx.storage);
}

// One docs request, start to end: host → site, path → route (core/docs-path.ts), then a
// system redirect, a forced user redirect, the file of the live build, a `dir/` redirect,
// a user redirect after the 404, or the 404 page — in Read the Docs' order. A pull-request
// preview host serves its one external version and nothing else (no subprojects, downloads
// or sitemap); everywhere else an external version is a 404, as an unknown version is.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { artifactPrefix } from '../core/build-state.ts';
import { DOWNLOAD_FORMATS, routeDocsPath, routeProjectParts, withQuery, type DocsRoute, type FileRoute } from '../core/docs-path.ts';
import { findRedirect, type RedirectMatch, type RedirectRequest } from '../core/redirects.ts';
import type { ServedProject, ServedVersion } from '../db/serving.ts';
import { servedOnHost } from '../core/previews.ts';
import { sendRobots, sendSitemap } from './crawlers.ts';
import { sendNotFound } from './not-found.ts';
import { htmlPrefix, previewHeaders, sendOptions, tag, type DocsContext, type Exchange } from './exchange.ts';
import { isServable, type Site } from './resolver.ts';
import { sendStoredFile } from './send-file.ts';

const enc = encodeURIComponent;

export async function handleDocsRequest(ctx: DocsContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const raw = request.raw.url ?? '/';
  const q = raw.indexOf('?');
  const rawPath = q >= 0 ? raw.slice(0, q) : raw;
  const query = q >= 0 ? raw.slice(q) : '';
  // Before the host: a load balancer probes a node by address, with no project's host.
  if (rawPath === '/_/health_check/') return reply.header('cache-control', 'no-store').send({ status: 'ok' });
  const site = await ctx.resolver.site(request.hostname);
  if (!site) return sendNotFound(request, reply, ctx.storage);
  const x: Exchange = { ctx, request, reply, rawPath, query, preview: site.preview };
  if (site.preview !== null) previewHeaders(reply);
  const route = routeDocsPath(rawPath, site.view);
  if (site.preview !== null && (route.kind === 'sitemap' || route.kind === 'download' || route.kind === 'subproject')) return sendNotFound(request, reply, ctx.storage);
  switch (route.kind) {
    case 'health':
      return reply.header('cache-control', 'no-store').send({ status: 'ok' });
    case 'robots':
      return sendRobots(x, site);
    case 'sitemap':
      return sendSitemap(x, site);
    case 'download':
      return sendDownload(x, site, route);
    case 'subproject': {
      const child = await ctx.resolver.subproject(site.root.id, route.alias);
      if (!child) return notFound(x, site.root, null);
      return serveRoute(x, child, routeProjectParts(route.parts, route.trailingSlash, child.view, route.prefix), route.prefix);
    }
    default:
      return serveRoute(x, site, route, '');
  }
}

async function serveRoute(x: Exchange, site: Site, route: DocsRoute, mount: string): Promise<FastifyReply> {
  switch (route.kind) {
    case 'bad-request':
      return x.reply.code(400).header('content-type', 'text/plain; charset=utf-8').send(`Bad request: ${route.reason}\n`);
    case 'redirect': {
      // `/en/nope` → `/en/nope/` only for a version that exists; otherwise it is a 404, where
      // user redirects are tried first — as Read the Docs adds the slash only once it found the version.
      const missing = route.location === `${x.rawPath}/` ? await missingVersion(x, site, route.location, mount) : null;
      if (missing) return notFound(x, missing.project, missing.route, mount);
      return systemRedirect(x, route.location);
    }
    case 'file': {
      const project = route.language === site.root.language || site.view.singleVersion ? site.root : site.translations.get(route.language);
      return project ? serveFile(x, project, route, mount) : notFound(x, site.root, null);
    }
    default:
      return notFound(x, site.root, null, mount);
  }
}

/** The version route a slash-adding redirect names, when that version does not exist; null otherwise. */
async function missingVersion(x: Exchange, site: Site, location: string, mount: string): Promise<{ project: ServedProject; route: FileRoute } | null> {
  let parts: string[];
  try {
    parts = location.slice(mount.length).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
  const route = routeProjectParts(parts, true, site.view, mount);
  if (route.kind !== 'file') return null;
  const project = route.language === site.root.language || site.view.singleVersion ? site.root : site.translations.get(route.language);
  if (!project) return null;
  return (await x.ctx.resolver.version(project.id, route.version)).value === null ? { project, route } : null;
}

function systemRedirect(x: Exchange, location: string): FastifyReply {
  return x.reply.header('x-rtd-redirect', 'system').header('x-bindery-redirect', 'system').redirect(withQuery(location, x.query), 302);
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
  return findRedirect(await x.ctx.resolver.redirects(project.id), redirectRequest(x, project, route, mount), phase);
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
    const base = project.singleVersion ? mount : `${mount}/${enc(project.language)}/${enc(project.defaultVersion)}`;
    return { path, query: x.query, filename: inside, versionBase: base, host };
  }
  return {
    path,
    query: x.query,
    filename: route.filename,
    versionBase: project.singleVersion ? mount : `${mount}/${enc(route.language)}/${enc(route.version)}`,
    host,
  };
}

async function serveFile(x: Exchange, project: ServedProject, route: FileRoute, mount: string): Promise<FastifyReply> {
  const { ctx, reply } = x;
  if (project.privacyLevel !== 'public') return sendNotFound(x.request, reply, ctx.storage);
  tag(reply, project.slug);
  let { value: version, fresh } = await ctx.resolver.version(project.id, route.version);
  // Forced rules win even over a file that exists — once the path names a version that exists
  // (an unknown version is a 404, where every rule is tried). One to the request itself is skipped.
  if (version !== null) {
    const forced = await userRedirectFor(x, project, route, mount, 'forced');
    if (forced) return userRedirect(x, forced);
  }
  if (version && version.privacyLevel === 'public' && servedOnHost(version, x.preview)) tag(reply, project.slug, version.slug);
  while (isServable(version, x.preview)) {
    const prefix = htmlPrefix(project, version);
    if (await sendStoredFile(x.request, reply, `${prefix}/${route.file}`, sendOptions(x, version.liveBuildId))) return reply;
    // `dir` where `dir/index.html` exists → `dir/`, like a static server would.
    if (!route.filename.endsWith('/') && (await ctx.storage.exists(`${prefix}/${route.file}/index.html`))) return systemRedirect(x, `${x.rawPath}/`);
    if (fresh) break;
    // The cached live build may have been replaced since (and its files collected): look once more.
    const again = await ctx.resolver.version(project.id, route.version, true);
    fresh = true;
    if (isServable(again.value, x.preview) && again.value.liveBuildId === version.liveBuildId) break;
    version = again.value;
  }
  return notFound(x, project, route, mount, isServable(version, x.preview) ? version : null);
}

/** After a 404: user redirects, then the 404 page of the version, then of the default version. */
async function notFound(x: Exchange, project: ServedProject, route: FileRoute | null, mount = '', version: (ServedVersion & { liveBuildId: number }) | null = null): Promise<FastifyReply> {
  const { ctx, reply } = x;
  if (project.privacyLevel !== 'public') return sendNotFound(x.request, reply, ctx.storage);
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
  if (!project || project.privacyLevel !== 'public') return sendNotFound(x.request, reply, ctx.storage);
  const { value: version } = await ctx.resolver.version(project.id, route.version);
  if (!isServable(version, x.preview) || !version.formats.includes(route.format)) return sendNotFound(x.request, reply, ctx.storage);
  tag(reply, project.slug, version.slug);
  const name = `${project.slug}.${DOWNLOAD_FORMATS[route.format]}`;
  const key = `${artifactPrefix(project.slug, version.slug, version.liveBuildId, route.format)}/${name}`;
  const sent = await sendStoredFile(x.request, reply, key, sendOptions(x, version.liveBuildId, { downloadName: name, cacheControl: 'public, max-age=60' }));
  return sent ? reply : sendNotFound(x.request, reply, ctx.storage);
}

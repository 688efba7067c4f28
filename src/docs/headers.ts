// The headers every docs answer carries besides its body — 200s, redirects and 404s alike — as
// Read the Docs' proxito middleware sends them: what was served (X-RTD-Project, -Version, -Path,
// -Resolver-Filename, -Domain and how the project and version were found), Cache-Tag and
// CDN-Cache-Control for a CDN, CORS on a version's files, X-Robots-Tag for delisted projects,
// Strict-Transport-Security and a custom domain's own headers. The request flow only notes
// what it learns (noteSite, noteProject, noteFile…); one onSend hook writes the headers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Site } from './resolver.ts';

/** The server-wide settings the headers depend on. */
export interface HeaderPolicy {
  /** The docs are served over https (`DOCS_HTTPS`): the docs domain's https answers carry HSTS. */
  docsHttps: boolean;
}

/** How the host named the project (Read the Docs' `X-RTD-Project-Method`). */
export type ProjectMethod = 'public_domain' | 'custom_domain' | 'external_domain';

/** What one answer is about, noted by the request flow as it learns it. */
export interface AnswerNotes {
  site: Site | null;
  project: string | null;
  version: string | null;
  /** The stored file sent (`X-RTD-Path`). */
  path: string | null;
  /** The page the URL resolved to inside its version, `/` or `/a/b.html` (`X-RTD-Resolver-Filename`). */
  filename: string | null;
  /** Cache tags beyond the project's and the version's (`<project>:robots.txt`, `rtd-staticfiles`). */
  tags: string[];
  /** Never stored by a shared cache: private docs read by a signed-in reader. */
  private: boolean;
}

declare module 'fastify' {
  interface FastifyReply {
    docsNotes?: AnswerNotes;
  }
}

/** Read the Docs caches public redirects at the CDN for 4 hours (a bare `public` is not stored by CDNs for redirects). */
export const REDIRECT_CDN_MAX_AGE = 14_400;
/** Read the Docs' HSTS on its own docs domain. */
export const PUBLIC_DOMAIN_HSTS = 'max-age=31536000; includeSubDomains; preload';
export const CORS_METHODS = 'HEAD, OPTIONS, GET';

function notes(reply: FastifyReply): AnswerNotes {
  return (reply.docsNotes ??= { site: null, project: null, version: null, path: null, filename: null, tags: [], private: false });
}

/** The site the host resolved to (null: an unknown host). */
export function noteSite(reply: FastifyReply, site: Site | null): void {
  notes(reply).site = site;
}

/** The project (and version) the answer is about: X-RTD-Project, X-RTD-Version, Cache-Tag, CORS. */
export function noteProject(reply: FastifyReply, project: string, version?: string | null, filename?: string | null): void {
  const n = notes(reply);
  n.project = project;
  if (version) n.version = version;
  if (filename !== undefined) n.filename = filename;
}

/** The stored file sent (X-RTD-Path). */
export function noteFile(reply: FastifyReply, key: string): void {
  notes(reply).path = `/${key}`;
}

/** An extra cache tag of the answer's project (`robots.txt` → `<project>:robots.txt`), or a global one. */
export function noteTag(reply: FastifyReply, tag: string, global = false): void {
  const n = notes(reply);
  n.tags.push(global ? tag : `${n.project ?? n.site?.root.slug ?? ''}:${tag}`);
}

/** The answer shows what only a signed-in reader may see: no CDN may keep it. */
export function markPrivate(reply: FastifyReply): void {
  notes(reply).private = true;
}

/** How a site was found from its host. */
export function projectMethod(site: Site): ProjectMethod {
  if (site.preview !== null) return 'external_domain';
  return site.source === 'custom' || site.domain ? 'custom_domain' : 'public_domain';
}

/** Strict-Transport-Security of an https answer on this site, or null (Read the Docs' rules). */
export function hstsFor(site: Site, policy: HeaderPolicy): string | null {
  const domain = site.domain;
  if (domain) {
    // Without a max-age the other directives mean nothing, so nothing is sent.
    if (!domain.hstsMaxAge) return null;
    return [`max-age=${domain.hstsMaxAge}`, ...(domain.hstsIncludeSubdomains ? ['includeSubDomains'] : []), ...(domain.hstsPreload ? ['preload'] : [])].join('; ');
  }
  return site.preview === null && policy.docsHttps ? PUBLIC_DOMAIN_HSTS : null;
}

/** The filename as Read the Docs sends it in a header: an IRI made a URI, HTML-escaped. */
export function resolverFilenameHeader(filename: string): string {
  let uri: string;
  try {
    uri = encodeURI(filename);
  } catch {
    uri = encodeURI(filename.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  }
  return uri.replace(/&/g, '&amp;').replace(/'/g, '&#x27;');
}

/** CDN-Cache-Control of an answer: public docs and their redirects are kept by a CDN; previews, private docs and unknown hosts are not. */
export function cdnCacheControl(n: AnswerNotes, status: number): string {
  const site = n.site;
  if (!site || site.preview !== null || n.private) return 'private';
  // A noted project was checked public by the request flow; else the host's project decides.
  const isPublic = n.project !== null || site.root.privacyLevel === 'public';
  if (!isPublic) return 'private';
  return status >= 300 && status < 400 ? `public, max-age=${REDIRECT_CDN_MAX_AGE}` : 'public';
}

/** Cache-Tag: the project, project:version, then the extra tags, comma-separated without spaces. */
export function cacheTags(project: string, version: string | null, extra: readonly string[]): string {
  const tags = [project];
  if (version) tags.push(`${project}:${version}`);
  for (const t of extra) if (!tags.includes(t)) tags.push(t);
  return tags.join(',');
}

/** The headers a site adds to every answer, before (`head`) and after (`tail`: a domain's own) the rest, per scheme. */
interface SiteHeaders {
  http: { head: Array<[string, string]>; tail: Array<[string, string]> };
  https: { head: Array<[string, string]>; tail: Array<[string, string]> };
}

/** Worked out once per resolved site (sites are cached by the resolver), not per request. */
const bySite = new WeakMap<Site, SiteHeaders>();

function siteHeaders(site: Site, policy: HeaderPolicy): SiteHeaders {
  let known = bySite.get(site);
  if (known) return known;
  const method = projectMethod(site);
  const head: Array<[string, string]> = [['X-RTD-Project-Method', method], ['X-RTD-Version-Method', method === 'external_domain' ? 'domain' : 'path']];
  if (site.preview !== null || site.root.delisted) head.push(['X-Robots-Tag', 'noindex']);
  const hsts = hstsFor(site, policy);
  const own = site.domain?.headers ?? [];
  known = {
    http: { head, tail: own.filter((h) => !h.onlyIfSecureRequest).map((h) => [h.name, h.value]) },
    https: { head: hsts ? [...head, ['Strict-Transport-Security', hsts]] : head, tail: own.map((h) => [h.name, h.value]) },
  };
  bySite.set(site, known);
  return known;
}

/** The headers of one finished answer; pure but for reading the notes. */
export function answerHeaders(n: AnswerNotes, req: { host: string; secure: boolean }, status: number, policy: HeaderPolicy): Array<[string, string]> {
  const out: Array<[string, string]> = [['X-RTD-Domain', req.host]];
  const site = n.site;
  const project = n.project ?? site?.root.slug ?? null;
  if (project !== null) {
    out.push(['X-RTD-Project', project], ['X-Bindery-Project', project]);
    if (n.version) out.push(['X-RTD-Version', n.version], ['X-Bindery-Version', n.version]);
    if (n.path) out.push(['X-RTD-Path', n.path]);
    out.push(['Cache-Tag', cacheTags(project, n.version, n.tags)]);
  }
  const fromSite = site ? siteHeaders(site, policy)[req.secure ? 'https' : 'http'] : null;
  if (fromSite) out.push(...fromSite.head);
  out.push(['CDN-Cache-Control', cdnCacheControl(n, status)]);
  if (n.filename !== null) out.push(['X-RTD-Resolver-Filename', resolverFilenameHeader(n.filename)]);
  // CORS only on a version's files (DocDiff reads them across hosts); never credentials.
  if (n.project !== null && n.version) out.push(['Access-Control-Allow-Origin', '*'], ['Access-Control-Allow-Methods', CORS_METHODS]);
  // A custom domain's own headers come last and so win, as on Read the Docs.
  if (fromSite) out.push(...fromSite.tail);
  return out;
}

/** Writes the noted headers onto a docs answer just before it is sent (a Fastify onSend hook, synchronous). */
export function docsHeadersHook(policy: HeaderPolicy) {
  return (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void): void => {
    const n = reply.docsNotes;
    if (n) {
      for (const [name, value] of answerHeaders(n, { host: request.host, secure: request.protocol === 'https' }, reply.statusCode, policy)) reply.header(name, value);
      const redirect = reply.getHeader('x-bindery-redirect');
      if (redirect !== undefined && !reply.hasHeader('x-rtd-redirect')) reply.header('X-RTD-Redirect', redirect);
    }
    done(null, payload);
  };
}

/**
 * A download's name as Read the Docs gives it: the project's host with dots as dashes, the
 * subproject alias when it is one, the language and the version (`guide-docs-example-com-en-latest.pdf`).
 */
export function downloadFilename(host: string, language: string, version: string, ext: string, alias: string | null = null): string {
  const domain = host.toLowerCase().replace(/\./g, '-').replace(/[^a-z0-9_-]/g, '');
  return `${domain}-${alias ? `${alias}-` : ''}${language}-${version}.${ext}`;
}

/** `/_/health_check/`: what Read the Docs' health check answers, never cached. */
export function sendHealthCheck(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('content-type', 'application/json').send('{"status": 200}');
}

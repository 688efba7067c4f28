// The files of a docs host for crawlers, as Read the Docs serves them: /robots.txt and
// /llms.txt (a delisted project's shut-out, else the default version's own file, else one
// generated from the hidden versions, core/robots.ts and core/llms.ts), /llms-full.txt (only
// the default version's own file) and /sitemap.xml (always generated, core/sitemap.ts). Each
// answer is tagged `<project>:<file>` for a CDN purge. A preview host shuts crawlers out.
import type { FastifyReply } from 'fastify';
import { versionPath } from '../core/docs-path.ts';
import { llmsTxt, llmsTxtDelisted } from '../core/llms.ts';
import { robotsTxt, robotsTxtDelisted, robotsTxtDisallowAll } from '../core/robots.ts';
import { hreflang, sitemapXml, type SitemapVersion } from '../core/sitemap.ts';
import type { ServedVersion } from '../db/serving.ts';
import { htmlPrefix, sendOptions, type Exchange } from './exchange.ts';
import { noteProject, noteTag } from './headers.ts';
import { sendNotFound } from './not-found.ts';
import { isServable, type Site } from './resolver.ts';
import { sendStoredFile } from './send-file.ts';

const CACHE = 'public, max-age=600';
const TEXT = 'text/plain; charset=utf-8';

/** Where generated URLs point: the project's canonical custom domain, else the host asked. */
function origin(x: Exchange, site: Site): string {
  const canonical = site.canonical;
  if (canonical) return `${canonical.https ? 'https' : 'http'}://${canonical.domain}`;
  return `${x.request.protocol}://${x.request.host}`;
}

/** Names the file and its project for a CDN purge (`<project>,<project>:<file>`). */
function tagFile(x: Exchange, site: Site, name: string): void {
  noteProject(x.reply, site.root.slug);
  noteTag(x.reply, name);
}

/**
 * The default version's own copy of a root file. `missing`: the version serves but has none;
 * `unavailable`: the project or its default version is private, inactive or unbuilt (a 404,
 * as on Read the Docs, rather than a generated file).
 */
async function ownFile(x: Exchange, site: Site, name: string): Promise<'sent' | 'missing' | 'unavailable'> {
  const root = site.root;
  if (root.privacyLevel !== 'public') return 'unavailable';
  const { value: version } = await x.ctx.resolver.version(root.id, root.defaultVersion);
  if (!isServable(version, x.preview)) return 'unavailable';
  const sent = await sendStoredFile(x.request, x.reply, `${htmlPrefix(root, version)}/${name}`, sendOptions(x, version.liveBuildId, { cacheControl: CACHE }));
  return sent ? 'sent' : 'missing';
}

/** Live versions readers may list: public, active, with a live build, of the project and its translations. */
async function listed(x: Exchange, site: Site): Promise<ServedVersion[]> {
  const ids = [site.root.id, ...[...site.translations.values()].map((t) => t.id)];
  return (await x.ctx.resolver.liveVersions(ids)).filter((v) => isServable(v, x.preview));
}

/** The paths of the project's public hidden versions (in a single-version project, the root when its default is hidden). */
async function hiddenPaths(x: Exchange, site: Site): Promise<string[]> {
  const root = site.root;
  const hidden = (await listed(x, site)).filter((v) => v.projectId === root.id && v.hidden);
  const wanted = site.view.singleVersion ? hidden.filter((v) => v.slug === root.defaultVersion) : hidden;
  return [...new Set(wanted.map((v) => versionPath(site.view, root.language, v.slug)))];
}

function sendText(x: Exchange, body: string): FastifyReply {
  return x.reply.header('content-type', TEXT).header('cache-control', CACHE).send(body);
}

/** /robots.txt and /llms.txt: the same rules, for search engines and for language models. */
async function sendCrawlerRules(x: Exchange, site: Site, name: 'robots.txt' | 'llms.txt'): Promise<FastifyReply> {
  // Not the preview's own file either: a pull request must not open a preview to crawlers.
  if (site.preview !== null) return x.reply.header('content-type', TEXT).send(robotsTxtDisallowAll());
  tagFile(x, site, name);
  if (site.root.delisted) return sendText(x, name === 'robots.txt' ? robotsTxtDelisted() : llmsTxtDelisted());
  const own = await ownFile(x, site, name);
  if (own === 'sent') return x.reply;
  if (own === 'unavailable') return sendNotFound(x.request, x.reply, x.ctx.storage);
  const paths = await hiddenPaths(x, site);
  const sitemap = `${origin(x, site)}/sitemap.xml`;
  return sendText(x, name === 'robots.txt' ? robotsTxt(paths, sitemap) : llmsTxt(paths, sitemap));
}

export function sendRobots(x: Exchange, site: Site): Promise<FastifyReply> {
  return sendCrawlerRules(x, site, 'robots.txt');
}

/** /llms.txt like robots.txt; /llms-full.txt only as the default version's own file. */
export async function sendLlms(x: Exchange, site: Site, name: string): Promise<FastifyReply> {
  if (name === 'llms.txt') return sendCrawlerRules(x, site, 'llms.txt');
  if (site.preview !== null) return sendNotFound(x.request, x.reply, x.ctx.storage);
  tagFile(x, site, name);
  const own = await ownFile(x, site, name);
  return own === 'sent' ? x.reply : sendNotFound(x.request, x.reply, x.ctx.storage);
}

export async function sendSitemap(x: Exchange, site: Site): Promise<FastifyReply> {
  const root = site.root;
  tagFile(x, site, 'sitemap.xml');
  const versions = (await listed(x, site)).filter((v) => !v.hidden);
  // A single-version project has one URL: its default version's.
  const own = versions.filter((v) => v.projectId === root.id && (!site.view.singleVersion || v.slug === root.defaultVersion));
  if (root.privacyLevel !== 'public' || own.length === 0) return sendNotFound(x.request, x.reply, x.ctx.storage);
  const base = origin(x, site);
  const urlOf = (language: string, slug: string) => base + versionPath(site.view, language, slug);
  const translations = [...site.translations.values()];
  const entries: SitemapVersion[] = own.map((v) => {
    const loc = urlOf(root.language, v.slug);
    const alternates = translations.length === 0 ? [] : [
      ...translations
        .filter((t) => versions.some((tv) => tv.projectId === t.id && tv.slug === v.slug))
        .map((t) => ({ hreflang: hreflang(t.language), href: urlOf(t.language, v.slug) })),
      // The page itself, as the protocol asks (its language as stored, like Read the Docs).
      { hreflang: root.language, href: loc },
    ];
    return { loc, slug: v.slug, lastmod: v.builtAt, alternates };
  });
  return x.reply.header('content-type', 'application/xml; charset=utf-8').header('cache-control', CACHE).send(sitemapXml(entries));
}

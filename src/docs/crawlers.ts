// /robots.txt and /sitemap.xml of a docs host: the default version's own file when its
// build has one, else generated (core/robots.ts, core/sitemap.ts) from the live versions
// of the project and its translations. A preview host's robots.txt shuts crawlers out.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { robotsTxt, robotsTxtDisallowAll } from '../core/robots.ts';
import { sitemapXml, type SitemapVersion } from '../core/sitemap.ts';
import type { ServedVersion } from '../db/serving.ts';
import { htmlPrefix, sendOptions, tag, type Exchange } from './exchange.ts';
import { sendNotFound } from './not-found.ts';
import { isServable, type Site } from './resolver.ts';
import { sendStoredFile } from './send-file.ts';

const CACHE = 'public, max-age=600';
const enc = encodeURIComponent;

const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/** The default version's own file, when it is public and its build has one. Null: not ours to say. */
async function ownFile(x: Exchange, site: Site, name: string): Promise<'sent' | 'missing' | 'private'> {
  const root = site.root;
  if (root.privacyLevel !== 'public') return 'private';
  const { value: version } = await x.ctx.resolver.version(root.id, root.defaultVersion);
  if (version && version.privacyLevel !== 'public') return 'private';
  tag(x.reply, root.slug);
  if (!isServable(version, x.preview)) return 'missing';
  const sent = await sendStoredFile(x.request, x.reply, `${htmlPrefix(root, version)}/${name}`, sendOptions(x, version.liveBuildId, { cacheControl: CACHE }));
  return sent ? 'sent' : 'missing';
}

/** Live versions readers may list: public, active, with a live build. */
async function listed(x: Exchange, site: Site): Promise<ServedVersion[]> {
  const ids = [site.root.id, ...[...site.translations.values()].map((t) => t.id)];
  return (await x.ctx.resolver.liveVersions(ids)).filter((v) => isServable(v, x.preview));
}

export async function sendRobots(x: Exchange, site: Site): Promise<FastifyReply> {
  // Not the preview's own robots.txt either: a pull request must not open a preview to crawlers.
  if (site.preview !== null) return x.reply.header('content-type', 'text/plain; charset=utf-8').send(robotsTxtDisallowAll());
  const own = await ownFile(x, site, 'robots.txt');
  if (own === 'sent') return x.reply;
  if (own === 'private') return sendNotFound(x.request, x.reply, x.ctx.storage);
  const languageOf = new Map([[site.root.id, site.root.language], ...[...site.translations.values()].map((t) => [t.id, t.language] as const)]);
  const hidden = site.view.singleVersion
    ? []
    : (await listed(x, site)).filter((v) => v.hidden).map((v) => `/${enc(languageOf.get(v.projectId)!)}/${enc(v.slug)}/`);
  return x.reply
    .header('content-type', 'text/plain; charset=utf-8')
    .header('cache-control', CACHE)
    .send(robotsTxt(hidden, `${origin(x.request)}/sitemap.xml`));
}

export async function sendSitemap(x: Exchange, site: Site): Promise<FastifyReply> {
  const own = await ownFile(x, site, 'sitemap.xml');
  if (own === 'sent') return x.reply;
  if (own === 'private') return sendNotFound(x.request, x.reply, x.ctx.storage);
  const base = origin(x.request);
  const versions = (await listed(x, site)).filter((v) => !v.hidden);
  const root = site.root;
  const urlOf = (language: string, slug: string) => (site.view.singleVersion ? `${base}/` : `${base}/${enc(language)}/${enc(slug)}/`);
  const entries: SitemapVersion[] = versions
    .filter((v) => v.projectId === root.id && (!site.view.singleVersion || v.slug === root.defaultVersion))
    .map((v) => {
      const alternates = site.view.singleVersion ? [] : [
        { language: root.language, href: urlOf(root.language, v.slug) },
        ...[...site.translations.values()]
          .filter((t) => versions.some((tv) => tv.projectId === t.id && tv.slug === v.slug))
          .map((t) => ({ language: t.language, href: urlOf(t.language, v.slug) })),
      ];
      return { loc: urlOf(root.language, v.slug), slug: v.slug, lastmod: v.builtAt, alternates };
    });
  return x.reply
    .header('content-type', 'application/xml; charset=utf-8')
    .header('cache-control', CACHE)
    .send(sitemapXml(entries, root.defaultVersion));
}

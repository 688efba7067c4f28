// What a docs request resolves to before any file is read: the site of a host (its project
// and translations), a subproject by alias, a version's live build, a project's redirects.
// Every answer goes through a short-lived bounded cache so the hot path rarely queries, and
// while the database is unreachable the last known answers keep being served (stale-if-error).
import { versionPath, type DocsProjectView, type VersioningScheme } from '../core/docs-path.ts';
import { isLookalikeHost, slugFromHost } from '../core/urls.ts';
import { previewFromHost, previewsReadable, servedOnHost } from '../core/previews.ts';
import type { Db } from '../db/database.ts';
import {
  canonicalDomainOf, liveVersionsOf, parentOf, redirectsOf, servedDomainHeaders, servedDomainOptions, servedProjectByDomain, servedProjectById, servedProjectBySlug, servedVersion, subprojectAliasesOf, subprojectByAlias,
  translationsOf, type ServedDomainHeaders, type ServedProject, type ServedRedirect, type ServedVersion,
} from '../db/serving.ts';
import { isDatabaseUnavailable } from '../db/change-feed.ts';
import { TtlCache } from './cache.ts';

/** A host's documentation: its main project, the translations served beside it, its URL view. */
export interface Site {
  root: ServedProject;
  /** Public translations by language. */
  translations: ReadonlyMap<string, ServedProject>;
  view: DocsProjectView;
  /** On a pull-request preview host, the one version it serves; null on the project's own hosts. */
  preview: string | null;
  /** On a custom domain, its HSTS settings and extra headers (docs/headers.ts); null on the docs and preview domains. */
  domain?: ServedDomainHeaders | null;
  /** How the host was reached: `<slug>.<docs domain>`, a verified custom domain, or a preview host. */
  source?: 'public' | 'custom' | 'preview';
  /** A custom domain whose readers are sent to https (the domain's `https`). */
  httpsOnly?: boolean;
  /** The project's canonical custom domain: where its public host's pages go when it is https. */
  canonical?: { domain: string; https: boolean } | null;
  /** On a subproject's or a translation's own host: where its pages live on its main site. */
  home?: SiteHome | null;
}

/** The main site a subproject's or translation's own host sends its readers to (Read the Docs' canonical redirects). */
export interface SiteHome {
  type: 'subproject_to_main_domain' | 'translation_to_main_domain';
  /** The main site's host name: its canonical custom domain, or `<slug>.<docs domain>`. */
  host: string;
  /** https for a custom domain as it says; null for the docs domain (its scheme: DOCS_HTTPS or the request's). */
  https: boolean | null;
  /** Where the project is mounted there: `/projects/<alias>` for a subproject, '' for a translation. */
  mount: string;
  /** Where the host's root goes: a translation's own language there; null: the mount point itself. */
  rootPath: string | null;
}

/** The names a docs server answers for. */
export interface DocsDomains {
  /** `<slug>.<docsDomain>` */
  docsDomain: string;
  /** `<slug>--<number>.<previewDomain>` */
  previewDomain: string;
}

export interface ResolverOptions {
  /** How long an answer is reused; 0 turns caching off. */
  ttlMs: number;
  /** Entries kept per kind of answer; the oldest go first. */
  maxEntries: number;
  /** How old a last known answer may be and still be served while the database is unreachable (default one day). */
  staleIfErrorMs?: number;
}

/** A request this server has not answered before, while the database is unreachable: 503, try again soon. */
export class DatabaseUnavailableError extends Error {
  readonly statusCode = 503;
  readonly headers = { 'retry-after': '5', 'cache-control': 'no-store' };
  constructor(cause: unknown) {
    super('The documentation database is unavailable; try again in a few seconds.', { cause });
  }
}

/** Database errors leave as 503 (Fastify's error handler reads statusCode and headers); others as they are. */
function unavailable(err: unknown): never {
  throw isDatabaseUnavailable(err) ? new DatabaseUnavailableError(err) : err;
}

/** A host name as sent (`Guide.Docs.Localhost:8000.`) reduced to the name it stands for, or null when malformed. */
export function hostName(host: string): string | null {
  const name = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  return /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(name) ? name : null;
}

/**
 * A version this host may serve: active, public, built, and on the right host — an external
 * version only on its own preview host (`preview`), never on the project's own hosts, where
 * it answers exactly as an unknown version does.
 */
export const isServable = (v: ServedVersion | null, preview: string | null): v is ServedVersion & { liveBuildId: number } =>
  v !== null && v.active && v.liveBuildId !== null && v.privacyLevel === 'public' && servedOnHost(v, preview);

export class Resolver {
  readonly #db: Db;
  readonly #domains: DocsDomains;
  readonly #sites: TtlCache<Site | null>;
  readonly #subprojects: TtlCache<Site | null>;
  readonly #aliases: TtlCache<string[]>;
  readonly #versions: TtlCache<ServedVersion | null>;
  readonly #redirects: TtlCache<ServedRedirect[]>;
  readonly #lists: TtlCache<ServedVersion[]>;
  /** Names that resolved to nothing, apart: made-up hosts, aliases and versions cannot evict real ones. */
  readonly #missing: TtlCache<true>;

  constructor(db: Db, domains: DocsDomains, opts: ResolverOptions) {
    this.#db = db;
    this.#domains = domains;
    const stale = { staleIfErrorMs: opts.staleIfErrorMs ?? 86_400_000 };
    this.#sites = new TtlCache(opts.ttlMs, opts.maxEntries, stale);
    this.#subprojects = new TtlCache(opts.ttlMs, opts.maxEntries, stale);
    this.#aliases = new TtlCache(opts.ttlMs, opts.maxEntries, stale);
    this.#versions = new TtlCache(opts.ttlMs, opts.maxEntries, stale);
    this.#redirects = new TtlCache(opts.ttlMs, opts.maxEntries, stale);
    this.#lists = new TtlCache(opts.ttlMs, Math.min(opts.maxEntries, 1000), stale);
    this.#missing = new TtlCache(opts.ttlMs, opts.maxEntries, stale);
  }

  /** Reads through `cache`, keeping a null answer in the cache of missing names instead. */
  async #lookup<V>(cache: TtlCache<V | null>, kind: string, key: string, load: () => Promise<V | null>): Promise<{ value: V | null; fresh: boolean }> {
    const missingKey = `${kind}:${key}`;
    if (this.#missing.get(missingKey)) return { value: null, fresh: false };
    let result: { value: V | null; fresh: boolean };
    try {
      result = await cache.through(key, load);
    } catch (err) {
      // A name known not to exist stays unknown while the database cannot say otherwise.
      if (this.#missing.stale(missingKey)) return { value: null, fresh: false };
      return unavailable(err);
    }
    if (result.value === null) {
      cache.delete(key);
      this.#missing.set(missingKey, true);
    }
    return result;
  }

  /**
   * `<slug>.<docs domain>`, a verified custom domain, or `<slug>--<number>.<preview domain>`
   * while the project's previews are readable; null for any other host.
   */
  async site(host: string): Promise<Site | null> {
    const name = hostName(host);
    if (!name) return null;
    return (await this.#lookup(this.#sites, 'host', name, async () => {
      const preview = previewFromHost(name, this.#domains.previewDomain);
      if (preview) {
        const project = await servedProjectBySlug(this.#db, preview.slug);
        return project && previewsReadable(project) ? { ...previewSite(project, preview.version), source: 'preview' as const } : null;
      }
      const slug = slugFromHost(name, this.#domains.docsDomain);
      const project = slug ? await servedProjectBySlug(this.#db, slug) : await servedProjectByDomain(this.#db, name);
      if (!project) return null;
      // Loaded with the site, so the headers of a custom domain cost no query per request.
      const options = slug ? null : await servedDomainOptions(this.#db, name);
      return {
        ...(await this.#siteOf(project)), domain: slug ? null : await servedDomainHeaders(this.#db, name),
        source: slug ? 'public' as const : 'custom' as const, httpsOnly: options?.https ?? false,
        canonical: await canonicalDomainOf(this.#db, project.id), home: await this.#homeOf(project),
      };
    })).value;
  }

  /**
   * The subproject alias a path under the parent's subproject prefix names: the longest alias
   * whose segments start `segments` (an alias may contain `/`), with how many segments it takes.
   */
  async subprojectAlias(parentId: number, segments: string[]): Promise<{ alias: string; length: number } | null> {
    const aliases = (await this.#aliases.through(String(parentId), () => subprojectAliasesOf(this.#db, parentId)).catch(unavailable)).value;
    let best: { alias: string; length: number } | null = null;
    for (const alias of aliases) {
      const parts = alias.split('/');
      if (parts.length > segments.length || (best && parts.length <= best.length)) continue;
      if (parts.every((p, i) => segments[i] === p)) best = { alias, length: parts.length };
    }
    return best;
  }

  /** A host that looks like one of the docs or preview domains' hosts without being one (answered 400). */
  lookalike(host: string): boolean {
    return isLookalikeHost(host, [this.#domains.docsDomain, this.#domains.previewDomain]);
  }

  /** The project mounted at `/projects/<alias>/` of a parent, as a site of its own. */
  async subproject(parentId: number, alias: string): Promise<Site | null> {
    return (await this.#lookup(this.#subprojects, 'alias', `${parentId}/${alias}`, async () => {
      const child = await subprojectByAlias(this.#db, parentId, alias);
      return child ? this.#siteOf(child) : null;
    })).value;
  }

  /**
   * A project's version with its live build. `fresh` says it was read from the database for
   * this call; `refresh` forces that (after a file of a cached build went missing).
   */
  async version(projectId: number, slug: string, refresh = false): Promise<{ value: ServedVersion | null; fresh: boolean }> {
    const key = `${projectId}/${slug}`;
    if (refresh) {
      // Expired rather than deleted: if the database is down, the last answer still stands.
      this.#versions.expire(key);
      this.#missing.expire(`version:${key}`);
    }
    return this.#lookup(this.#versions, 'version', key, () => servedVersion(this.#db, projectId, slug));
  }

  async redirects(projectId: number): Promise<ServedRedirect[]> {
    return (await this.#redirects.through(String(projectId), () => redirectsOf(this.#db, projectId)).catch(unavailable)).value;
  }

  /** Every version with a live build of these projects (robots.txt, sitemap.xml). */
  async liveVersions(projectIds: number[]): Promise<ServedVersion[]> {
    return (await this.#lists.through(projectIds.join(','), () => liveVersionsOf(this.#db, projectIds)).catch(unavailable)).value;
  }

  dispose(): void {
    for (const cache of [this.#sites, this.#subprojects, this.#aliases, this.#versions, this.#redirects, this.#lists, this.#missing]) cache.dispose();
  }

  /** A translation's host serves its main project's site, so every language has one home. */
  async #siteOf(project: ServedProject): Promise<Site> {
    const main = project.translationOfId !== null ? (await servedProjectById(this.#db, project.translationOfId)) ?? project : project;
    const translations = new Map<string, ServedProject>();
    for (const t of await translationsOf(this.#db, main.id)) {
      if (t.privacyLevel === 'public' && t.language !== main.language && !translations.has(t.language)) translations.set(t.language, t);
    }
    const view: DocsProjectView = {
      ...viewOf(main),
      translations: Object.fromEntries([...translations].map(([lang, t]) => [lang, t.defaultVersion])),
    };
    return { root: main, translations, view, preview: null };
  }

  /**
   * Where a subproject's or a translation's pages live: under `/projects/<alias>/` of the
   * parent, or beside the main project, on that site's canonical host; null for a main project.
   */
  async #homeOf(project: ServedProject): Promise<SiteHome | null> {
    const main = project.translationOfId !== null ? (await servedProjectById(this.#db, project.translationOfId)) ?? project : project;
    const rootPath = (mount: string) => (main === project ? null : mount + versionPath(viewOf(main), project.language, project.defaultVersion));
    const link = await parentOf(this.#db, main.id);
    if (link) {
      const mount = `${link.parent.customSubprojectPrefix ?? '/projects/'}${encodeURIComponent(link.alias)}`;
      return { type: 'subproject_to_main_domain', ...(await this.#hostOf(link.parent)), mount, rootPath: rootPath(mount) };
    }
    if (main === project) return null;
    return { type: 'translation_to_main_domain', ...(await this.#hostOf(main)), mount: '', rootPath: rootPath('') };
  }

  /** A project's canonical host: its canonical custom domain, else its public one. */
  async #hostOf(project: ServedProject): Promise<{ host: string; https: boolean | null }> {
    const canonical = await canonicalDomainOf(this.#db, project.id);
    return canonical ? { host: canonical.domain, https: canonical.https } : { host: `${project.slug}.${this.#domains.docsDomain}`, https: null };
  }
}

/** The URL layout of a project as the path rules read it. */
export function viewOf(project: ServedProject): DocsProjectView {
  return {
    language: project.language,
    defaultVersion: project.defaultVersion,
    // Either column saying single version is enough: rows written before versioning schemes have only the flag.
    singleVersion: project.singleVersion || project.versioningScheme === 'single_version_without_translations',
    versioningScheme: project.singleVersion ? 'single_version_without_translations' : project.versioningScheme as VersioningScheme,
    customPrefix: project.customPrefix,
    customSubprojectPrefix: project.customSubprojectPrefix,
  };
}

/**
 * A preview host: the project alone (no translations, no subprojects), in its own URL layout,
 * where every path serves its one version (the host's version wins over the path's).
 */
function previewSite(project: ServedProject, version: string): Site {
  return { root: project, translations: new Map(), view: { ...viewOf(project), defaultVersion: version, fixedVersion: version, translations: {} }, preview: version };
}

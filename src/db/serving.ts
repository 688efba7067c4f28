// The reads the docs server makes: host → project, translations, subprojects, the live build
// of a version, redirects, and the version lists of robots.txt and sitemap.xml. Each is one
// indexed query returning only the columns serving needs; the docs server caches them.
import type { RedirectRule } from '../core/redirects.ts';
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from './database.ts';
import { builds, domainHeaders, domains, projects, redirects, subprojects, versions } from './schema.ts';

export interface ServedProject {
  id: number;
  slug: string;
  language: string;
  defaultVersion: string;
  singleVersion: boolean;
  privacyLevel: string;
  translationOfId: number | null;
  /** Pull-request previews are built and served (`external_builds_enabled`). */
  externalBuildsEnabled: boolean;
  /** Who may read the previews: public | private. */
  externalBuildsPrivacyLevel: string;
  /** Kept out of search engines: robots.txt disallows all, pages carry `X-Robots-Tag: noindex`. */
  delisted: boolean;
  /** multiple_versions_with_translations | multiple_versions_without_translations | single_version_without_translations */
  versioningScheme: string;
  /** Read the Docs' `custom_prefix` (`/docs/`); null: `/`. */
  customPrefix: string | null;
  /** Read the Docs' `custom_subproject_prefix`; null: `/projects/`. */
  customSubprojectPrefix: string | null;
}

export interface ServedVersion {
  id: number;
  projectId: number;
  slug: string;
  /** branch | tag | external (a pull-request preview, served only on its preview host). */
  type: string;
  active: boolean;
  hidden: boolean;
  privacyLevel: string;
  liveBuildId: number | null;
  /** Offline formats the live build stored (`htmlzip`, `pdf`, `epub`). */
  formats: string[];
  /** When the live build finished: the sitemap's lastmod. */
  builtAt: Date | null;
}

const projectColumns = {
  id: projects.id,
  slug: projects.slug,
  language: projects.language,
  defaultVersion: projects.defaultVersion,
  singleVersion: projects.singleVersion,
  privacyLevel: projects.privacyLevel,
  translationOfId: projects.translationOfId,
  externalBuildsEnabled: projects.externalBuildsEnabled,
  externalBuildsPrivacyLevel: projects.externalBuildsPrivacyLevel,
  delisted: projects.delisted,
  versioningScheme: projects.versioningScheme,
  customPrefix: projects.customPrefix,
  customSubprojectPrefix: projects.customSubprojectPrefix,
};

export async function servedProjectBySlug(db: Db, slug: string): Promise<ServedProject | null> {
  const [row] = await db.select(projectColumns).from(projects).where(eq(projects.slug, slug));
  return row ?? null;
}

export async function servedProjectById(db: Db, id: number): Promise<ServedProject | null> {
  const [row] = await db.select(projectColumns).from(projects).where(eq(projects.id, id));
  return row ?? null;
}

/** The project of a custom domain, only once the domain is verified. */
export async function servedProjectByDomain(db: Db, domain: string): Promise<ServedProject | null> {
  const [row] = await db
    .select(projectColumns)
    .from(domains)
    .innerJoin(projects, eq(projects.id, domains.projectId))
    .where(and(eq(domains.domain, domain), isNotNull(domains.verifiedAt)));
  return row ?? null;
}

/** What a custom domain adds to every answer on it: HSTS and its extra headers (Read the Docs' Domain and HTTPHeader). */
export interface ServedDomainHeaders {
  hstsMaxAge: number;
  hstsIncludeSubdomains: boolean;
  hstsPreload: boolean;
  headers: Array<{ name: string; value: string; onlyIfSecureRequest: boolean }>;
}

/** A verified custom domain's HSTS settings and extra headers; null for an unknown or unverified domain. */
export async function servedDomainHeaders(db: Db, domain: string): Promise<ServedDomainHeaders | null> {
  const [row] = await db
    .select({ id: domains.id, hstsMaxAge: domains.hstsMaxAge, hstsIncludeSubdomains: domains.hstsIncludeSubdomains, hstsPreload: domains.hstsPreload })
    .from(domains)
    .where(and(eq(domains.domain, domain), isNotNull(domains.verifiedAt)));
  if (!row) return null;
  const headers = await db
    .select({ name: domainHeaders.name, value: domainHeaders.value, onlyIfSecureRequest: domainHeaders.onlyIfSecureRequest })
    .from(domainHeaders)
    .where(eq(domainHeaders.domainId, row.id))
    .orderBy(asc(domainHeaders.id));
  return { hstsMaxAge: row.hstsMaxAge, hstsIncludeSubdomains: row.hstsIncludeSubdomains, hstsPreload: row.hstsPreload, headers };
}

/** The aliases of a parent's subprojects: a path under `/projects/` is matched against them, the longest first. */
export async function subprojectAliasesOf(db: Db, parentId: number): Promise<string[]> {
  const rows = await db.select({ alias: subprojects.alias }).from(subprojects).where(eq(subprojects.parentId, parentId));
  return rows.map((r) => r.alias);
}

/** How a verified custom domain is served: readers sent to https, and whether it is the project's canonical one. */
export async function servedDomainOptions(db: Db, domain: string): Promise<{ https: boolean; canonical: boolean } | null> {
  const [row] = await db
    .select({ https: domains.https, canonical: domains.canonical })
    .from(domains)
    .where(and(eq(domains.domain, domain), isNotNull(domains.verifiedAt)));
  return row ?? null;
}

/** A project's canonical custom domain (verified), where its documentation's URLs point; null when it has none. */
export async function canonicalDomainOf(db: Db, projectId: number): Promise<{ domain: string; https: boolean } | null> {
  const [row] = await db
    .select({ domain: domains.domain, https: domains.https })
    .from(domains)
    .where(and(eq(domains.projectId, projectId), eq(domains.canonical, true), isNotNull(domains.verifiedAt)))
    .orderBy(asc(domains.id))
    .limit(1);
  return row ?? null;
}

/** The project a subproject is mounted under, with its alias there; null for a project that is no subproject. */
export async function parentOf(db: Db, childId: number): Promise<{ parent: ServedProject; alias: string } | null> {
  const [row] = await db
    .select({ parent: projectColumns, alias: subprojects.alias })
    .from(subprojects)
    .innerJoin(projects, eq(projects.id, subprojects.parentId))
    .where(eq(subprojects.childId, childId))
    .orderBy(asc(subprojects.id))
    .limit(1);
  return row ?? null;
}

export async function translationsOf(db: Db, mainId: number): Promise<ServedProject[]> {
  return db.select(projectColumns).from(projects).where(eq(projects.translationOfId, mainId)).orderBy(asc(projects.language));
}

export async function subprojectByAlias(db: Db, parentId: number, alias: string): Promise<ServedProject | null> {
  const [row] = await db
    .select(projectColumns)
    .from(subprojects)
    .innerJoin(projects, eq(projects.id, subprojects.childId))
    .where(and(eq(subprojects.parentId, parentId), eq(subprojects.alias, alias)));
  return row ?? null;
}

const versionColumns = {
  id: versions.id,
  projectId: versions.projectId,
  slug: versions.slug,
  type: versions.type,
  active: versions.active,
  hidden: versions.hidden,
  privacyLevel: versions.privacyLevel,
  liveBuildId: versions.liveBuildId,
  formats: builds.formats,
  builtAt: builds.finishedAt,
};

const withFormats = <T extends { formats: string[] | null }>(row: T): T & { formats: string[] } => ({ ...row, formats: row.formats ?? [] });

/** A version with what its live build holds; null when the project has no such version. */
export async function servedVersion(db: Db, projectId: number, slug: string): Promise<ServedVersion | null> {
  const [row] = await db
    .select(versionColumns)
    .from(versions)
    .leftJoin(builds, eq(builds.id, versions.liveBuildId))
    .where(and(eq(versions.projectId, projectId), eq(versions.slug, slug)));
  return row ? withFormats(row) : null;
}

/** Every version with a live build of these projects: what robots.txt and sitemap.xml list. */
export async function liveVersionsOf(db: Db, projectIds: number[]): Promise<ServedVersion[]> {
  if (projectIds.length === 0) return [];
  const rows = await db
    .select(versionColumns)
    .from(versions)
    .leftJoin(builds, eq(builds.id, versions.liveBuildId))
    .where(and(inArray(versions.projectId, projectIds), isNotNull(versions.liveBuildId)))
    .orderBy(asc(versions.slug));
  return rows.map(withFormats);
}

/** A redirect as the docs server reads it: the rule shape the pure matcher takes. */
export type ServedRedirect = RedirectRule;

/** A project's enabled redirects in the order they are tried. */
export async function redirectsOf(db: Db, projectId: number): Promise<ServedRedirect[]> {
  return db
    .select({
      id: redirects.id, type: redirects.type, fromUrl: redirects.fromUrl, toUrl: redirects.toUrl,
      httpStatus: redirects.httpStatus, force: redirects.force, enabled: redirects.enabled, position: redirects.position,
    })
    .from(redirects)
    .where(and(eq(redirects.projectId, projectId), eq(redirects.enabled, true)))
    .orderBy(asc(redirects.position), asc(redirects.id));
}

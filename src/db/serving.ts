// The reads the docs server makes: host → project, translations, subprojects, the live build
// of a version, redirects, and the version lists of robots.txt and sitemap.xml. Each is one
// indexed query returning only the columns serving needs; the docs server caches them.
import type { RedirectRule } from '../core/redirects.ts';
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from './database.ts';
import { builds, domains, projects, redirects, subprojects, versions } from './schema.ts';

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

// Projects: the one home of their rules, for the API and the dashboard alike — what a name,
// a language, a home page, tags, a default version or branch, a configuration path may be
// (refused with a DomainError naming Read the Docs' field), the writes, and what follows a
// write (serving caches dropped). Importing a project (create, read its versions, build the
// active ones) is src/domain/import-project.ts; it validates with `checkNewProject` here.
import { DomainError } from '../core/domain-error.ts';
import { servingChanged } from '../core/changes.ts';
import { isLanguage, isProgrammingLanguage } from '../core/languages.ts';
import { isValidProjectSlug, projectSlug } from '../core/slug.ts';
import { credentialsAfterEdit, displayRepositoryUrl } from '../core/repository-url.ts';
import type { Db } from '../db/database.ts';
import * as rows from '../db/projects.ts';
import { translationsOfAny } from '../db/translations.ts';
import { listVersions } from '../db/versions.ts';
import { superprojectOf } from '../db/subprojects.ts';
import type { Project, User, Version } from '../db/schema.ts';
import { userMayReachInside, vetRepositoryUrl } from './repository-access.ts';
import type { DomainContext } from './context.ts';

export const PRIVACY_LEVELS = ['public', 'private'] as const;
export const VERSIONING_SCHEMES = ['multiple_versions_with_translations', 'multiple_versions_without_translations', 'single_version_without_translations'] as const;
export const SINGLE_VERSION_SCHEME = 'single_version_without_translations';
/** Bindery's own: how the builder picks a tool when the configuration names none. */
export const DOCUMENTATION_TYPES = ['auto', 'sphinx', 'mkdocs', 'builtin'] as const;
export const REPOSITORY_TYPES = ['git'] as const;

/** Read the Docs' model limits (readthedocs/projects/models.py). */
const MAX = { prefix: 255, name: 63, homepage: 200, tag: 100, analyticsCode: 50, branch: 255, yamlPath: 1024, description: 10_000 } as const;

/** Settings a project is imported with (Read the Docs' ProjectCreateSerializer, plus Bindery's slug and default branch). */
export interface NewProjectInput {
  name: string;
  /** Bindery's own: the slug to use instead of the one made from the name. */
  slug?: string;
  repositoryUrl: string;
  repositoryType?: string;
  defaultBranch?: string | null;
  language?: string;
  programmingLanguage?: string;
  homepage?: string | null;
  tags?: string[];
  privacyLevel?: string;
  externalBuildsPrivacyLevel?: string;
  readthedocsYamlPath?: string | null;
}

/** A settings change (Read the Docs' ProjectUpdateSerializer, plus Bindery's own description, documentation type, single version); absent fields stay. */
export interface ProjectChanges {
  name?: string;
  repositoryUrl?: string;
  repositoryType?: string;
  /** The dashboard's "forget the stored credentials". */
  forgetCredentials?: boolean;
  language?: string;
  programmingLanguage?: string;
  homepage?: string | null;
  tags?: string[];
  defaultVersion?: string;
  defaultBranch?: string | null;
  analyticsCode?: string | null;
  analyticsDisabled?: boolean;
  showVersionWarning?: boolean;
  versioningScheme?: string;
  singleVersion?: boolean;
  externalBuildsEnabled?: boolean;
  privacyLevel?: string;
  externalBuildsPrivacyLevel?: string;
  readthedocsYamlPath?: string | null;
  description?: string;
  documentationType?: string;
  /** Read the Docs' custom_prefix: where versions live instead of `/<lang>/<version>/`; '' or null: the default. */
  customPrefix?: string | null;
  /** Read the Docs' custom_subproject_prefix: where subprojects live instead of `/projects/`; '' or null: the default. */
  customSubprojectPrefix?: string | null;
  /** Kept out of search engines (robots.txt, `X-Robots-Tag: noindex`). */
  delisted?: boolean;
}

const invalid = (field: string, message: string) => new DomainError(field, message);
/** Django REST framework's words for a value outside a field's choices. */
const notAChoice = (field: string, value: string) => invalid(field, `"${value}" is not a valid choice.`);
const tooLong = (field: string, max: number) => invalid(field, `Ensure this field has no more than ${max} characters.`);
// NUL never gets this far (each adapter refuses it first); other control characters have no
// place in a one-line setting and would be shown back on pages and in headers.
const CONTROL = /[\u0000-\u001f\u007f]/;

function oneLine(field: string, value: string, max: number, required = false): string {
  const v = value.trim();
  if (required && !v) throw invalid(field, 'This field may not be blank.');
  if (v.length > max) throw tooLong(field, max);
  if (CONTROL.test(v)) throw invalid(field, 'Control characters are not allowed.');
  return v;
}

function choice<T extends string>(field: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) throw notAChoice(field, value);
  return value as T;
}

function checkLanguage(value: string): string {
  if (!isLanguage(value)) throw notAChoice('language', value);
  return value;
}

function checkProgrammingLanguage(value: string): string {
  if (!isProgrammingLanguage(value)) throw notAChoice('programming_language', value);
  return value;
}

/** A home page as Django's URLField takes one: http(s) or ftp(s), a host with a dot (or localhost); '' for none. */
function checkHomepage(value: string | null): string {
  const v = oneLine('homepage', value ?? '', MAX.homepage);
  if (!v) return '';
  let url: URL | null = null;
  try {
    url = new URL(v);
  } catch {
    // refused below
  }
  const hostOk = url !== null && (url.hostname === 'localhost' || /^[^.\s]+(\.[^.\s]+)+$/.test(url.hostname));
  if (!url || !['http:', 'https:', 'ftp:', 'ftps:'].includes(url.protocol) || !hostOk || /\s/.test(v)) throw invalid('homepage', 'Enter a valid URL.');
  return v;
}

/** Tags trimmed, blanks dropped, each once (regardless of case), in Read the Docs' order (by name). */
function checkTags(tags: string[]): string[] {
  const seen = new Map<string, string>();
  for (const raw of tags) {
    const tag = oneLine('tags', raw, MAX.tag);
    if (tag && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return [...seen.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A branch name git accepts that cannot be read as an option or a pattern; '' or null: the repository's default branch. */
function checkDefaultBranch(value: string | null | undefined): string | null {
  const v = (value ?? '').trim();
  if (!v) return null;
  if (v.length > MAX.branch) throw tooLong('default_branch', MAX.branch);
  if (!/^(?!-)[^\s~^:?*[\\\u0000-\u001f\u007f]+$/.test(v) || v.includes('..') || v.endsWith('.lock') || v.endsWith('/') || v.endsWith('.')) {
    throw invalid('default_branch', `"${v}" is not a branch name git accepts`);
  }
  return v;
}

/**
 * Read the Docs' `validate_build_config_file`: a path relative to the repository's root, no
 * `..`, none of the characters it lists, naming a `.readthedocs.yaml` file. '' or null: the
 * default, `.readthedocs.yaml` at the root.
 */
function checkYamlPath(value: string | null | undefined): string | null {
  const v = (value ?? '').trim();
  if (!v) return null;
  const field = 'readthedocs_yaml_path';
  if (v.length > MAX.yamlPath) throw tooLong(field, MAX.yamlPath);
  if (CONTROL.test(v)) throw invalid(field, 'Control characters are not allowed.');
  if (v.startsWith('/')) throw invalid(field, "Use a relative path. It should not begin with '/'. The path is relative to the root of your repository.");
  if (v.endsWith('/')) throw invalid(field, "The path cannot end with '/', as it cannot be a directory.");
  if (v.includes('..')) throw invalid(field, "Found invalid sequence in path: '..'");
  const forbidden = '[]{}()`\'"\\%&<>|,';
  if ([...forbidden].some((c) => v.includes(c))) throw invalid(field, `Found invalid character. Avoid these characters: ${forbidden}`);
  if (v !== '.readthedocs.yaml' && !v.endsWith('/.readthedocs.yaml')) throw invalid(field, 'The only allowed filename is .readthedocs.yaml.');
  return v;
}

/** Paths the docs server answers itself (`/_/…`): no prefix may take them. */
const RESERVED_PREFIX = '/_/';

/**
 * Read the Docs' `_clean_prefix`: slashes trimmed, then one at each end (`docs` → `/docs/`,
 * `/` alone → `/`); '' or null → null, the default. Bindery also refuses what would make a
 * prefix an unsafe or ambiguous path: characters outside a URL path segment's plain ones,
 * `.`/`..` or empty segments, and `/_/…`, which the docs server keeps for its own routes.
 */
function cleanPrefix(field: string, value: string | null | undefined): string | null {
  const v = (value ?? '').trim();
  if (!v) return null;
  if (v.length > MAX.prefix) throw tooLong(field, MAX.prefix);
  const inner = v.replace(/^\/+|\/+$/g, '');
  if (!inner) return '/';
  const segments = inner.split('/');
  if (segments.some((s) => !/^[A-Za-z0-9._~-]+$/.test(s) || s === '.' || s === '..')) {
    throw invalid(field, 'Use letters, digits and - . _ ~ between slashes (no empty, "." or ".." parts).');
  }
  const prefix = `/${inner}/`;
  if (prefix.startsWith(RESERVED_PREFIX)) throw invalid(field, `Paths under ${RESERVED_PREFIX} are reserved for the documentation server.`);
  return prefix;
}

/** Read the Docs' `validate_custom_prefix`: a translation's versions live under its main project's prefix. */
function checkCustomPrefix(project: Project, value: string | null | undefined): string | null {
  const prefix = cleanPrefix('custom_prefix', value);
  if (prefix !== null && project.translationOfId !== null) {
    throw invalid('custom_prefix', 'This project is a translation of another project, the custom prefix must be defined in the main project.');
  }
  return prefix;
}

/** Read the Docs' `validate_custom_subproject_prefix`: only a project that is no subproject (nor a translation of one) has subprojects. */
async function checkCustomSubprojectPrefix(db: Db, project: Project, value: string | null | undefined): Promise<string | null> {
  const prefix = cleanPrefix('custom_subproject_prefix', value);
  if (prefix !== null && (await superprojectOf(db, project.translationOfId ?? project.id))) {
    throw invalid('custom_subproject_prefix', 'This project is a subproject, the subproject prefix must be defined in the parent project custom_subproject_prefix attribute.');
  }
  return prefix;
}

/** The two prefixes may not be the same path: every URL under it would be both a page and a subproject. */
function checkPrefixesApart(project: Project, patch: rows.ProjectPatch): void {
  const prefix = patch.customPrefix === undefined ? project.customPrefix : patch.customPrefix;
  const sub = patch.customSubprojectPrefix === undefined ? project.customSubprojectPrefix : patch.customSubprojectPrefix;
  if (sub !== null && sub === (prefix ?? '/')) {
    throw invalid('custom_subproject_prefix', `The subproject prefix ${sub} would hide the project's own pages: choose another path.`);
  }
}

/** The slug a new project gets, refused (naming `name`, or `slug` when one was given) when it cannot be made or is taken. */
async function newSlug(db: Db, name: string, wanted: string | undefined): Promise<string> {
  if (wanted !== undefined) {
    const slug = wanted.trim();
    if (!isValidProjectSlug(slug)) throw invalid('slug', `"${slug}" is not a valid project slug: use lower-case letters, digits and dashes (at most 63)`);
    if (await rows.slugExists(db, slug)) throw slugTaken('slug', slug);
    return slug;
  }
  const slug = projectSlug(name);
  if (!slug) throw invalid('name', `Invalid project name "${name}": no slug generated.`);
  if (await rows.slugExists(db, slug)) throw slugTaken('name', slug);
  return slug;
}

/** Read the Docs' answer to a name whose slug is taken: a 400 naming the field. */
export const slugTaken = (field: string, slug: string) => invalid(field, `Project with slug "${slug}" already exists.`);

/**
 * Checks a new project's settings and vets its repository URL for `user`; returns the row to
 * create (its credentials taken out of the URL). Throws DomainError naming the field.
 */
export async function checkNewProject(ctx: DomainContext, user: User, input: NewProjectInput): Promise<rows.NewProject> {
  const name = oneLine('name', input.name, MAX.name, true);
  const slug = await newSlug(ctx.db, name, input.slug);
  if (input.repositoryType !== undefined) choice('repository.type', input.repositoryType, REPOSITORY_TYPES);
  const url = await vetRepositoryUrl(input.repositoryUrl, userMayReachInside(ctx, user), ctx.resolveHost);
  if (!url.ok) throw invalid('repository.url', url.reason);
  return {
    slug,
    name,
    repoUrl: url.url,
    repoCredentials: url.credentials,
    defaultBranch: checkDefaultBranch(input.defaultBranch),
    language: checkLanguage(input.language ?? 'en'),
    programmingLanguage: checkProgrammingLanguage(input.programmingLanguage ?? 'words'),
    homepage: checkHomepage(input.homepage ?? null),
    tags: checkTags(input.tags ?? []),
    privacyLevel: choice('privacy_level', input.privacyLevel ?? 'public', PRIVACY_LEVELS),
    externalBuildsPrivacyLevel: choice('external_builds_privacy_level', input.externalBuildsPrivacyLevel ?? 'public', PRIVACY_LEVELS),
    readthedocsYamlPath: checkYamlPath(input.readthedocsYamlPath),
  };
}

/** The versions a project's default version may be: active ones, never a pull-request preview (served only on its own host). */
export async function defaultVersionChoices(ctx: Pick<DomainContext, 'db'>, project: Project): Promise<Version[]> {
  return (await listVersions(ctx.db, project.id)).filter((v) => v.active && v.type !== 'external');
}

/** versioning_scheme and Bindery's single_version kept equal: the scheme wins when both are given. */
function versioning(project: Project, changes: ProjectChanges): rows.ProjectPatch {
  if (changes.versioningScheme !== undefined) {
    const scheme = choice('versioning_scheme', changes.versioningScheme, VERSIONING_SCHEMES);
    return { versioningScheme: scheme, singleVersion: scheme === SINGLE_VERSION_SCHEME };
  }
  if (changes.singleVersion === undefined) return {};
  if (changes.singleVersion) return { versioningScheme: SINGLE_VERSION_SCHEME, singleVersion: true };
  // Leaving single version: back to the scheme readers had before it (with translations).
  return { versioningScheme: project.versioningScheme === SINGLE_VERSION_SCHEME ? VERSIONING_SCHEMES[0] : project.versioningScheme, singleVersion: false };
}

/** The checked columns of a settings change, without the default version (checked against the versions) and the repository. */
function checkedSettings(project: Project, c: ProjectChanges): rows.ProjectPatch {
  const patch: rows.ProjectPatch = versioning(project, c);
  if (c.name !== undefined) patch.name = oneLine('name', c.name, MAX.name, true);
  if (c.repositoryType !== undefined) choice('repository.type', c.repositoryType, REPOSITORY_TYPES);
  // A code kept as it is passes even when the list no longer offers it (a project from before the change).
  if (c.language !== undefined && c.language !== project.language) patch.language = checkLanguage(c.language);
  if (c.programmingLanguage !== undefined && c.programmingLanguage !== project.programmingLanguage) patch.programmingLanguage = checkProgrammingLanguage(c.programmingLanguage);
  if (c.homepage !== undefined) patch.homepage = checkHomepage(c.homepage);
  if (c.tags !== undefined) patch.tags = checkTags(c.tags);
  if (c.defaultBranch !== undefined) patch.defaultBranch = checkDefaultBranch(c.defaultBranch);
  if (c.analyticsCode !== undefined) patch.analyticsCode = oneLine('analytics_code', c.analyticsCode ?? '', MAX.analyticsCode);
  if (c.analyticsDisabled !== undefined) patch.analyticsDisabled = c.analyticsDisabled;
  if (c.showVersionWarning !== undefined) patch.showVersionWarning = c.showVersionWarning;
  if (c.externalBuildsEnabled !== undefined) patch.externalBuildsEnabled = c.externalBuildsEnabled;
  if (c.privacyLevel !== undefined) patch.privacyLevel = choice('privacy_level', c.privacyLevel, PRIVACY_LEVELS);
  if (c.externalBuildsPrivacyLevel !== undefined) patch.externalBuildsPrivacyLevel = choice('external_builds_privacy_level', c.externalBuildsPrivacyLevel, PRIVACY_LEVELS);
  if (c.readthedocsYamlPath !== undefined) patch.readthedocsYamlPath = checkYamlPath(c.readthedocsYamlPath);
  if (c.description !== undefined) {
    if (c.description.length > MAX.description) throw tooLong('description', MAX.description);
    patch.description = c.description;
  }
  if (c.documentationType !== undefined) patch.documentationType = choice('documentation_type', c.documentationType, DOCUMENTATION_TYPES);
  if (c.customPrefix !== undefined) patch.customPrefix = checkCustomPrefix(project, c.customPrefix);
  if (c.delisted !== undefined) patch.delisted = c.delisted;
  return patch;
}

/** The new repository URL and credentials, when the URL changed or the credentials are to be forgotten. */
async function repositoryChange(ctx: DomainContext, user: User, project: Project, c: ProjectChanges): Promise<rows.ProjectPatch> {
  // Sending the URL back as it is shown changes nothing (an admin may have set an inside URL).
  const sent = c.repositoryUrl?.trim();
  if (sent !== undefined && sent !== displayRepositoryUrl(project.repoUrl)) {
    const url = await vetRepositoryUrl(sent, userMayReachInside(ctx, user), ctx.resolveHost);
    if (!url.ok) throw invalid('repository.url', url.reason);
    // A URL for another host drops the stored credentials: they are never sent elsewhere.
    const credentials = c.forgetCredentials ? url.credentials : credentialsAfterEdit(project.repoUrl, project.repoCredentials, url);
    return { repoUrl: url.url, repoCredentials: credentials };
  }
  return c.forgetCredentials ? { repoCredentials: null } : {};
}

/**
 * Changes a project's settings (the API's PATCH and PUT, the dashboard's settings form) for
 * one of its maintainers; returns the project as saved. A new default version must be an
 * active version of the project; a new language must stay unique within its translation group.
 */
export async function updateProject(ctx: DomainContext, user: User, project: Project, changes: ProjectChanges): Promise<Project> {
  const patch = { ...checkedSettings(project, changes), ...(await repositoryChange(ctx, user, project, changes)) };
  if (changes.customSubprojectPrefix !== undefined) patch.customSubprojectPrefix = await checkCustomSubprojectPrefix(ctx.db, project, changes.customSubprojectPrefix);
  checkPrefixesApart(project, patch);
  if (changes.defaultVersion !== undefined && changes.defaultVersion.trim() !== project.defaultVersion) {
    const wanted = changes.defaultVersion.trim();
    const version = (await defaultVersionChoices(ctx, project)).find((v) => v.slug === wanted);
    if (!version) throw invalid('default_version', `"${wanted}" is not an active version of this project`);
    patch.defaultVersion = version.slug;
  }
  const saved = await ctx.db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    if (patch.language !== undefined && patch.language !== project.language) await checkLanguageFree(t, project, patch.language);
    const row = await rows.updateProject(t, project, patch);
    if (!row) throw new DomainError('project', 'the project was deleted meanwhile', 'conflict');
    return row;
  });
  // A docs server in this process serves the new settings at once; others within their cache TTL.
  servingChanged();
  return saved;
}

/** One project per language in a translation group (checked under the main project's lock). */
async function checkLanguageFree(db: Db, project: Project, language: string): Promise<void> {
  const mainId = project.translationOfId ?? project.id;
  const [main] = await rows.lockProjects(db, [mainId]);
  const group = [...(main ? [main] : []), ...(await translationsOfAny(db, [mainId]))];
  const clash = group.find((p) => p.id !== project.id && p.language === language);
  if (clash) throw new DomainError('language', `"${clash.slug}" is already the ${language} translation of this project`, 'conflict');
}

/** Deletes a project with its versions, builds and settings (build files stay in storage); its translations stay, on their own. */
export async function deleteProject(ctx: Pick<DomainContext, 'db'>, project: Project): Promise<void> {
  await rows.deleteProject(ctx.db, project.id);
  servingChanged();
}

/** A page of a list: Read the Docs' limit and offset. */
export interface ListPage {
  limit: number;
  offset: number;
}

/** The projects a user maintains (Read the Docs' `GET /projects/`), filtered as its ProjectFilter filters. */
export async function listProjects(ctx: Pick<DomainContext, 'db'>, user: User, filter: rows.ProjectListFilter, page: ListPage): Promise<{ count: number; rows: Project[] }> {
  // django-filter refuses a value outside a choice field's choices (400), where other filters match nothing.
  const refuse = (field: string, value: string) => invalid(field, `Select a valid choice. ${value} is not one of the available choices.`);
  if (filter.language !== undefined && !isLanguage(filter.language)) throw refuse('language', filter.language);
  if (filter.programmingLanguage !== undefined && !isProgrammingLanguage(filter.programmingLanguage)) throw refuse('programming_language', filter.programmingLanguage);
  return rows.listProjectsOf(ctx.db, user.id, filter, page.limit, page.offset);
}

// /api/v3/projects/: list (filtered as Read the Docs' ProjectFilter), import, detail
// (`?expand=active_versions,permissions`), update (PATCH and PUT, 204), delete. The rules are
// src/domain/projects.ts's; this file reads the request into its input and shows the result.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { relationsOf } from '../../db/project-relations.ts';
import { findVersions, liveFormats } from '../../db/versions.ts';
import { isMaintainer } from '../../db/projects.ts';
import type { Project, User } from '../../db/schema.ts';
import { importProject } from '../../domain/import-project.ts';
import { deleteProject, listProjects, updateProject, DOCUMENTATION_TYPES, type ProjectChanges } from '../../domain/projects.ts';
import { maintainedProject, readableProject } from '../../domain/access.ts';
import type { Actor } from '../../domain/context.ts';
import { requireUser } from '../auth.ts';
import { apiActor } from './actor.ts';
import { fieldError } from '../errors.ts';
import { paginationQuery, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { page } from './serializers.ts';
import { serializeProject } from './project-serializer.ts';
import { serializeVersion } from './version-serializer.ts';

/** What a body may hold; the domain checks every value (types are checked by the schema). */
interface ProjectBody {
  name?: string;
  slug?: string;
  repository?: { url?: string; type?: string };
  language?: string;
  programming_language?: string;
  homepage?: string | null;
  tags?: unknown;
  privacy_level?: string;
  external_builds_privacy_level?: string;
  readthedocs_yaml_path?: string | null;
  default_branch?: string | null;
  default_version?: string;
  analytics_code?: string | null;
  analytics_disabled?: boolean;
  show_version_warning?: boolean;
  versioning_scheme?: string;
  external_builds_enabled?: boolean;
  single_version?: boolean;
  description?: string;
  documentation_type?: string;
  custom_prefix?: string | null;
  custom_subproject_prefix?: string | null;
  delisted?: boolean;
}

/** Which extra parts of a project a request asked for (`?expand=`). */
export interface ProjectExpansion {
  activeVersions?: boolean;
  /** The reader, for `permissions.admin`; undefined: not asked. */
  permissionsFor?: Actor;
}

const tags = ['projects'];
const STRING = { type: 'string', maxLength: 2048 } as const;
const NULLABLE = { type: ['string', 'null'], maxLength: 2048 } as const;
const REPOSITORY = { type: 'object', properties: { url: STRING, type: { type: 'string', maxLength: 20 } } } as const;
/**
 * Read the Docs' TagListSerializerField: a list of strings, or one JSON string holding such a
 * list (what a form sends: its last value, as DRF reads it). Left untyped for ajv, which would
 * otherwise coerce one into the other; bodyTags checks it.
 */
const TAGS = { description: 'A list of strings, or a JSON string holding one.' } as const;
const MAX_TAGS = 100;

const CREATE_FIELDS = {
  name: STRING,
  slug: STRING,
  repository: REPOSITORY,
  language: STRING,
  programming_language: STRING,
  homepage: NULLABLE,
  tags: TAGS,
  privacy_level: STRING,
  external_builds_privacy_level: STRING,
  readthedocs_yaml_path: NULLABLE,
  default_branch: NULLABLE,
} as const;

const UPDATE_FIELDS = {
  ...CREATE_FIELDS,
  default_version: STRING,
  analytics_code: NULLABLE,
  analytics_disabled: { type: 'boolean' },
  show_version_warning: { type: 'boolean', description: "Show readers of an old version a banner pointing at the project's default one." },
  versioning_scheme: STRING,
  external_builds_enabled: { type: 'boolean', description: 'Build and serve pull/merge request previews (off by default).' },
  single_version: { type: 'boolean', description: "Bindery's own, kept equal to versioning_scheme single_version_without_translations." },
  description: { type: 'string', maxLength: 10_000 },
  documentation_type: { type: 'string', enum: [...DOCUMENTATION_TYPES] },
  custom_prefix: { ...NULLABLE, description: "Where versions are served instead of /<language>/<version>/, e.g. /docs/; null or '': the default." },
  custom_subproject_prefix: { ...NULLABLE, description: "Where subprojects are served instead of /projects/; null or '': the default." },
  delisted: { type: 'boolean', description: 'Keep the documentation out of search engines (robots.txt disallows all, pages carry X-Robots-Tag: noindex).' },
} as const;
// `slug` is only for a new project: unknown fields are dropped (ajv removeAdditional), as DRF ignores them.
const { slug: _slug, ...UPDATE_PROPERTIES } = UPDATE_FIELDS;

const EXPAND_QUERY = { expand: { type: 'string', maxLength: 200, description: 'Comma-separated: active_versions, permissions (others are ignored, as on Read the Docs).' } } as const;

/** The tags a body gives, a JSON string read as Read the Docs reads one. */
function bodyTags(value: unknown): string[] {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value || '[]');
    } catch {
      throw fieldError('tags', 'Invalid json list. A tag list submitted in string form must be valid json.');
    }
  }
  if (!Array.isArray(parsed)) throw fieldError('tags', `Expected a list of items but got type "${typeof parsed}".`);
  if (!parsed.every((t) => typeof t === 'string')) throw fieldError('tags', 'All list items must be of string type.');
  if (parsed.length > MAX_TAGS) throw fieldError('tags', `Ensure this field has no more than ${MAX_TAGS} elements.`);
  return parsed;
}

/** A body's settings as the domain's input (present fields only). */
function changesOf(b: ProjectBody): ProjectChanges {
  return {
    name: b.name,
    repositoryUrl: b.repository?.url,
    repositoryType: b.repository?.type,
    language: b.language,
    programmingLanguage: b.programming_language,
    homepage: b.homepage,
    tags: b.tags === undefined ? undefined : bodyTags(b.tags),
    defaultVersion: b.default_version,
    defaultBranch: b.default_branch,
    analyticsCode: b.analytics_code,
    analyticsDisabled: b.analytics_disabled,
    showVersionWarning: b.show_version_warning,
    versioningScheme: b.versioning_scheme,
    singleVersion: b.single_version,
    externalBuildsEnabled: b.external_builds_enabled,
    privacyLevel: b.privacy_level,
    externalBuildsPrivacyLevel: b.external_builds_privacy_level,
    readthedocsYamlPath: b.readthedocs_yaml_path,
    description: b.description,
    documentationType: b.documentation_type,
    customPrefix: b.custom_prefix,
    customSubprojectPrefix: b.custom_subproject_prefix,
    delisted: b.delisted,
  };
}

/** `?expand=a,b` as Read the Docs' flex fields read it: the names it knows, the rest ignored. */
function expansion(expand: string | undefined, actor: Actor): ProjectExpansion {
  const names = new Set((expand ?? '').split(',').map((s) => s.trim()));
  return { activeVersions: names.has('active_versions'), ...(names.has('permissions') ? { permissionsFor: actor } : {}) };
}

/** Projects as the API shows them: with their relations, and what the request asked to expand. */
export async function showProjects(ctx: ApiContext, projects: Project[], expand: boolean | ProjectExpansion = {}) {
  const want: ProjectExpansion = typeof expand === 'boolean' ? { activeVersions: expand } : expand;
  const relations = await relationsOf(ctx.db, projects.map((p) => p.id));
  return Promise.all(
    projects.map(async (p) => {
      let activeVersions;
      if (want.activeVersions) {
        // Read the Docs' Project.active_versions: public, active and built, never a preview, in its version order.
        const active = await findVersions(ctx.db, p.id, { active: true, built: true, publicOnly: true });
        const formats = await liveFormats(ctx.db, active.map((v) => v.id));
        activeVersions = active.map((v) => serializeVersion(v, p, ctx, formats.get(v.id)));
      }
      let admin: boolean | undefined;
      if ('permissionsFor' in want) admin = want.permissionsFor ? await isMaintainer(ctx.db, p.id, want.permissionsFor.id) : false;
      return serializeProject(p, ctx, { ...relations.get(p.id)!, activeVersions, admin });
    }),
  );
}

/** A project's settings change, the same for PATCH and PUT (which also needs name and repository). */
async function update(ctx: ApiContext, request: FastifyRequest<{ Params: { project: string }; Body: ProjectBody }>, user: User): Promise<void> {
  const project = await maintainedProject(ctx, user, request.params.project);
  await updateProject({ ...ctx, log: request.log }, user, project, changesOf(request.body));
}

export function projectRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: PageQuery & { name?: string; slug?: string; language?: string; programming_language?: string; expand?: string } }>(
    '/projects/',
    {
      schema: routeSchema(
        { summary: 'Projects the user maintains; `name` and `slug` match a part in any case, `language` and `programming_language` exactly.', tags },
        {
          querystring: {
            ...paginationQuery,
            properties: { ...paginationQuery.properties, name: STRING, slug: STRING, language: STRING, programming_language: STRING, ...EXPAND_QUERY },
          },
        },
      ),
    },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const q = request.query;
      const filter = { name: q.name, slug: q.slug, language: q.language, programmingLanguage: q.programming_language };
      const { count, rows } = await listProjects(ctx, user, filter, q);
      const filters = { name: q.name, slug: q.slug, language: q.language, programming_language: q.programming_language, expand: q.expand };
      return page(ctx, 'projects/', count, q.limit, q.offset, await showProjects(ctx, rows, expansion(q.expand, user)), filters);
    },
  );

  app.post<{ Body: ProjectBody & { name: string; repository: { url: string } } }>(
    '/projects/',
    {
      schema: routeSchema(
        { summary: 'Import a project from a repository.', tags, status: 201 },
        { body: { type: 'object', required: ['name', 'repository'], properties: { ...CREATE_FIELDS, repository: { ...REPOSITORY, required: ['url'] } } } },
      ),
    },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const b = request.body;
      const result = await importProject(
        { ...ctx, log: request.log },
        user,
        {
          name: b.name, slug: b.slug, repositoryUrl: b.repository.url, repositoryType: b.repository.type, defaultBranch: b.default_branch,
          language: b.language, programmingLanguage: b.programming_language, homepage: b.homepage, tags: b.tags === undefined ? undefined : bodyTags(b.tags),
          privacyLevel: b.privacy_level, externalBuildsPrivacyLevel: b.external_builds_privacy_level, readthedocsYamlPath: b.readthedocs_yaml_path,
        },
        'api',
      );
      reply.code(201).header('location', `${ctx.publicUrl}/api/v3/projects/${result.project.slug}/`);
      return (await showProjects(ctx, [result.project]))[0];
    },
  );

  app.get<{ Params: { project: string }; Querystring: { expand?: string } }>(
    '/projects/:project/',
    {
      schema: routeSchema(
        { summary: 'A project: public ones for anyone (no token needed), private ones for their maintainers.', tags, public: true },
        { params: slugParams, querystring: { type: 'object', properties: EXPAND_QUERY } },
      ),
    },
    async (request) => {
      const actor = await apiActor(ctx, request);
      const { project } = await readableProject(ctx, actor, request.params.project);
      return (await showProjects(ctx, [project], expansion(request.query.expand, actor)))[0];
    },
  );

  app.patch<{ Params: { project: string }; Body: ProjectBody }>(
    '/projects/:project/',
    {
      schema: routeSchema(
        { summary: "Change some of a project's settings; answers 204 as Read the Docs does.", tags, status: 204 },
        { params: slugParams, body: { type: 'object', additionalProperties: false, properties: UPDATE_PROPERTIES } },
      ),
    },
    async (request, reply) => {
      await update(ctx, request, await requireUser(ctx.db, request));
      reply.code(204);
    },
  );

  app.put<{ Params: { project: string }; Body: ProjectBody }>(
    '/projects/:project/',
    {
      schema: routeSchema(
        { summary: "Replace a project's settings (name and repository required; others left out stay); answers 204 as Read the Docs does.", tags, status: 204 },
        {
          params: slugParams,
          body: { type: 'object', additionalProperties: false, required: ['name', 'repository'], properties: { ...UPDATE_PROPERTIES, repository: { ...REPOSITORY, required: ['url'] } } },
        },
      ),
    },
    async (request, reply) => {
      await update(ctx, request, await requireUser(ctx.db, request));
      reply.code(204);
    },
  );

  app.delete<{ Params: { project: string } }>(
    '/projects/:project/',
    { schema: routeSchema({ summary: 'Delete a project with its versions, builds and settings (build files stay in storage).', tags, status: 204 }, { params: slugParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      await deleteProject(ctx, await maintainedProject(ctx, user, request.params.project));
      reply.code(204);
    },
  );
}

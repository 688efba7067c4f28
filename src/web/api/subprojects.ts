// /api/v3/projects/<slug>/subprojects/ (list, add {child, alias}, detail and delete by alias)
// and …/superproject/. The child must be a project the user maintains; one level only.
import type { FastifyInstance } from 'fastify';
import { findProjectBySlug, isMaintainer } from '../../db/projects.ts';
import { addSubproject, findSubproject, listSubprojects, removeSubproject, superprojectOf, type SubprojectRow } from '../../db/subprojects.ts';
import type { Db } from '../../db/database.ts';
import type { Project, User } from '../../db/schema.ts';
import { servingChanged } from '../../core/changes.ts';
import { requireUser } from '../auth.ts';
import { fieldError, notFound } from '../errors.ts';
import { guarded, paginationQuery, projectFor, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { showProjects } from './projects.ts';
import { api, page } from './serializers.ts';

const tags = ['subprojects'];
// An alias is a URL segment (`/projects/<alias>/`): the characters of a slug.
const ALIAS = { type: 'string', minLength: 1, maxLength: 63, pattern: '^[a-z0-9][a-z0-9_-]*$' } as const;
const aliasParams = { type: 'object', properties: { project: { type: 'string', maxLength: 255 }, alias: { type: 'string', maxLength: 255 } }, required: ['project', 'alias'] } as const;

const ALIAS_CHARS = new RegExp(ALIAS.pattern);

/**
 * Makes the project `childSlug` (one the user maintains) a subproject of `parent` under
 * `alias` (the child's slug when not given); 400 or 409 naming the field when refused.
 */
export async function linkSubproject(db: Db, user: User, parent: Project, childSlug: string, alias?: string): Promise<SubprojectRow> {
  const child = await findProjectBySlug(db, childSlug);
  // One message whether the project is missing or someone else's: no existence leak.
  if (!child || !(await isMaintainer(db, child.id, user.id))) throw fieldError('child', `no project "${childSlug}" that you maintain`);
  const name = alias ?? child.slug;
  if (name.length > ALIAS.maxLength || !ALIAS_CHARS.test(name)) {
    throw fieldError('alias', `an alias has lower-case letters, digits, - and _, starts with a letter or digit, and has at most ${ALIAS.maxLength} characters`);
  }
  return guarded(() => addSubproject(db, parent.id, child.id, name));
}

export function subprojectRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const show = async (parent: Project, rows: SubprojectRow[]) => {
    const children = await showProjects(ctx, rows.map((r) => r.child));
    return rows.map((r, i) => ({ alias: r.alias, child: children[i], _links: { parent: api(ctx, `projects/${parent.slug}/`) } }));
  };

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/subprojects/',
    { schema: routeSchema({ summary: "A project's subprojects, by alias.", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const { limit, offset } = request.query;
      const { count, rows } = await listSubprojects(ctx.db, project.id, limit, offset);
      return page(ctx, `projects/${project.slug}/subprojects/`, count, limit, offset, await show(project, rows));
    },
  );

  app.post<{ Params: { project: string }; Body: { child: string; alias?: string } }>(
    '/projects/:project/subprojects/',
    {
      schema: routeSchema(
        { summary: 'Serve another project of yours under this one at /projects/<alias>/ (alias: the child slug by default).', tags },
        { params: slugParams, body: { type: 'object', required: ['child'], additionalProperties: false, properties: { child: { type: 'string', minLength: 1, maxLength: 255 }, alias: ALIAS } } },
      ),
    },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const parent = await projectFor(ctx, user, request.params.project);
      const row = await linkSubproject(ctx.db, user, parent, request.body.child, request.body.alias);
      servingChanged();
      reply.code(201).header('location', api(ctx, `projects/${parent.slug}/subprojects/${row.alias}/`));
      return (await show(parent, [row]))[0];
    },
  );

  app.get<{ Params: { project: string; alias: string } }>(
    '/projects/:project/subprojects/:alias/',
    { schema: routeSchema({ summary: 'A subproject, by alias.', tags }, { params: aliasParams }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const row = await findSubproject(ctx.db, project.id, request.params.alias);
      if (!row) throw notFound('Subproject not found.');
      return (await show(project, [row]))[0];
    },
  );

  app.delete<{ Params: { project: string; alias: string } }>(
    '/projects/:project/subprojects/:alias/',
    { schema: routeSchema({ summary: 'Stop serving a subproject under this project (the project itself stays).', tags }, { params: aliasParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      if (!(await removeSubproject(ctx.db, project.id, request.params.alias))) throw notFound('Subproject not found.');
      servingChanged();
      reply.code(204);
    },
  );

  app.get<{ Params: { project: string } }>(
    '/projects/:project/superproject/',
    { schema: routeSchema({ summary: 'The project this one is a subproject of, with its alias there.', tags }, { params: slugParams }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const link = await superprojectOf(ctx.db, project.id);
      // The parent may be someone else's project: it is shown only to its maintainers.
      if (!link || !(await isMaintainer(ctx.db, link.parent.id, user.id))) throw notFound('This project is not a subproject of a project you maintain.');
      return { alias: link.alias, project: (await showProjects(ctx, [link.parent]))[0] };
    },
  );
}

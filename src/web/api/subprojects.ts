// /api/v3/projects/<slug>/subprojects/ (list, add {child, alias}, detail and delete by alias)
// and …/superproject/, in Read the Docs' shapes: a subproject is {alias, child: <project
// without subproject_of>, _links: {_self, parent}}; the superproject is the parent project.
// Reads are open to anyone who may read the parent; the rules are src/domain/subprojects.ts's.
import type { FastifyInstance } from 'fastify';
import type { Project } from '../../db/schema.ts';
import { addSubproject, getSubproject, getSuperproject, listSubprojects, removeSubproject, type SubprojectRow } from '../../domain/subprojects.ts';
import { maintainedProject } from '../../domain/access.ts';
import { requireUser } from '../auth.ts';
import { apiActor } from './actor.ts';
import { paginationQuery, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { showProjects } from './projects.ts';
import { api, page } from './serializers.ts';

const tags = ['subprojects'];
const aliasParams = { type: 'object', properties: { project: { type: 'string', maxLength: 255 }, alias: { type: 'string', maxLength: 255 } }, required: ['project', 'alias'] } as const;
// Read the Docs' SubprojectCreateSerializer: child and alias; other fields are ignored as it ignores them.
const createBody = {
  type: 'object',
  required: ['child'],
  properties: { child: { type: 'string', maxLength: 255 }, alias: { type: ['string', 'null'], maxLength: 1000 } },
} as const;

export function subprojectRoutes(app: FastifyInstance, apiCtx: ApiContext): void {
  const ctx = apiCtx;
  /** Read the Docs' SubprojectSerializer: the child as ChildProjectSerializer (a project less `subproject_of`). */
  const show = async (parent: Project, rows: SubprojectRow[]) => {
    const children = await showProjects(ctx, rows.map((r) => r.child));
    return rows.map((r, i) => {
      const { subproject_of: _omitted, ...child } = children[i]!;
      return {
        child,
        alias: r.alias,
        _links: { _self: api(ctx, `projects/${parent.slug}/subprojects/${encodeURIComponent(r.alias)}/`), parent: api(ctx, `projects/${parent.slug}/`) },
      };
    });
  };

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/subprojects/',
    { schema: routeSchema({ summary: "A project's subprojects, by child slug (private children only to their maintainers).", tags, public: true }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const { limit, offset } = request.query;
      const { parent, count, rows } = await listSubprojects(ctx, await apiActor(ctx, request), request.params.project, { limit, offset });
      return page(ctx, `projects/${parent.slug}/subprojects/`, count, limit, offset, await show(parent, rows));
    },
  );

  app.post<{ Params: { project: string }; Body: { child: string; alias?: string | null } }>(
    '/projects/:project/subprojects/',
    { schema: routeSchema({ summary: 'Serve another project of yours under this one at /projects/<alias>/ (alias: the child slug by default).', tags }, { params: slugParams, body: createBody }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const parent = await maintainedProject(ctx, user, request.params.project);
      const row = await addSubproject(ctx, user, parent, { child: request.body.child, alias: request.body.alias ?? undefined });
      reply.code(201).header('location', api(ctx, `projects/${parent.slug}/subprojects/${encodeURIComponent(row.alias)}/`));
      return (await show(parent, [row]))[0];
    },
  );

  app.get<{ Params: { project: string; alias: string } }>(
    '/projects/:project/subprojects/:alias/',
    { schema: routeSchema({ summary: 'A subproject, by alias.', tags, public: true }, { params: aliasParams }) },
    async (request) => {
      const { parent, row } = await getSubproject(ctx, await apiActor(ctx, request), request.params.project, request.params.alias);
      return (await show(parent, [row]))[0];
    },
  );

  app.delete<{ Params: { project: string; alias: string } }>(
    '/projects/:project/subprojects/:alias/',
    { schema: routeSchema({ summary: 'Stop serving a subproject under this project (the project itself stays).', tags }, { params: aliasParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      await removeSubproject(ctx, await maintainedProject(ctx, user, request.params.project), request.params.alias);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { project: string } }>(
    '/projects/:project/superproject/',
    { schema: routeSchema({ summary: 'The project this one is a subproject of (404 when none, or when you may not see it).', tags, public: true }, { params: slugParams }) },
    async (request) => {
      const { parent } = await getSuperproject(ctx, await apiActor(ctx, request), request.params.project);
      return (await showProjects(ctx, [parent]))[0];
    },
  );
}

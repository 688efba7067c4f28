// /api/v3/projects/<slug>/environmentvariables/: Read the Docs' environment variables endpoint.
// Maintainers only, reads included (403 for a user who can see the project, 404 otherwise).
// `value` is write-only: no answer ever carries it. There is no PUT or PATCH, as on Read the
// Docs (405): a variable is deleted and added anew. The rules are in domain/environment-variables.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Project } from '../../db/schema.ts';
import { maintainedProject } from '../../domain/access.ts';
import { addVariable, projectVariable, projectVariables, removeVariable, type ShownVariable } from '../../domain/environment-variables.ts';
import { requireUser } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { idParams, paginationQuery, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page, type UrlContext } from './serializers.ts';

const tags = ['environment variables'];
const params = idParams('variable');

function serializeVariable(v: ShownVariable, p: Project, ctx: UrlContext) {
  return {
    pk: v.id,
    created: v.createdAt.toISOString(),
    modified: v.updatedAt.toISOString(),
    name: v.name,
    public: v.public,
    project: p.slug,
    _links: { _self: api(ctx, `projects/${p.slug}/environmentvariables/${v.id}/`), project: api(ctx, `projects/${p.slug}/`) },
  };
}

export function environmentVariableRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const project = async (request: FastifyRequest<{ Params: { project: string } }>) =>
    maintainedProject(ctx, await requireUser(ctx.db, request), request.params.project);

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/environmentvariables/',
    { schema: routeSchema({ summary: "A project's environment variables, by name (never their values).", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const p = await project(request);
      const { limit, offset } = request.query;
      const { count, rows } = await projectVariables(ctx, p, limit, offset);
      return page(ctx, `projects/${p.slug}/environmentvariables/`, count, limit, offset, rows.map((v) => serializeVariable(v, p, ctx)));
    },
  );

  app.post<{ Params: { project: string }; Body: { name: string; value: string; public?: boolean } }>(
    '/projects/:project/environmentvariables/',
    {
      schema: routeSchema(
        { summary: 'Add a variable; `public` ones are also given to pull-request builds and shown in logs.', tags },
        // Lengths and characters are the domain's to check (Read the Docs' messages, as the dashboard shows them).
        { params: slugParams, body: { type: 'object', required: ['name', 'value'], additionalProperties: false, properties: { name: { type: 'string' }, value: { type: 'string' }, public: { type: 'boolean' } } } },
      ),
    },
    async (request, reply) => {
      const p = await project(request);
      const row = await addVariable(ctx, p, { name: request.body.name, value: request.body.value, public: request.body.public ?? false });
      reply.code(201).header('location', api(ctx, `projects/${p.slug}/environmentvariables/${row.id}/`));
      return serializeVariable(row, p, ctx);
    },
  );

  app.get<{ Params: { project: string; variable: number } }>(
    '/projects/:project/environmentvariables/:variable/',
    { schema: routeSchema({ summary: 'An environment variable (without its value).', tags }, { params }) },
    async (request) => {
      const p = await project(request);
      return serializeVariable(await projectVariable(ctx, p, request.params.variable), p, ctx);
    },
  );

  // Read the Docs has no update of a variable: after its usual permission checks it answers 405.
  for (const method of ['PUT', 'PATCH'] as const) {
    app.route<{ Params: { project: string; variable: number } }>({
      method,
      url: '/projects/:project/environmentvariables/:variable/',
      schema: routeSchema({ summary: 'Not allowed: delete the variable and add it anew.', tags, status: 405 }, { params }),
      handler: async (request) => {
        await project(request);
        throw new HttpError(405, `Method "${method}" not allowed.`, undefined, { allow: 'GET, DELETE, HEAD, OPTIONS' });
      },
    });
  }

  app.delete<{ Params: { project: string; variable: number } }>(
    '/projects/:project/environmentvariables/:variable/',
    { schema: routeSchema({ summary: 'Delete an environment variable.', tags }, { params }) },
    async (request, reply) => {
      await removeVariable(ctx, await project(request), request.params.variable);
      reply.code(204);
    },
  );
}

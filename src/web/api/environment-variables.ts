// /api/v3/projects/<slug>/environmentvariables/: variables given to a project's builds.
// `value` is write-only: no answer ever carries it (the db layer does not even read it back).
// Names are shell-safe, and READTHEDOCS* is refused: builds get those from Bindery itself.
import type { FastifyInstance } from 'fastify';
import { createVariable, deleteVariable, findVariable, listVariables, type ShownVariable } from '../../db/environment-variables.ts';
import type { Project } from '../../db/schema.ts';
import { requireUser } from '../auth.ts';
import { fieldError, notFound } from '../errors.ts';
import { guarded, idParams, paginationQuery, projectFor, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page, type UrlContext } from './serializers.ts';

const tags = ['environment variables'];
const params = idParams('variable');
const NAME = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;
const VALUE = { type: 'string', maxLength: 48_000 } as const;
const NAME_CHARS = new RegExp(NAME.pattern);

/** A variable as the API accepts it (its schema's limits included, for the dashboard); throws 400 naming the field. */
export function checkVariable(name: string, value: string): void {
  if (name.length < NAME.minLength || name.length > NAME.maxLength || !NAME_CHARS.test(name)) {
    throw fieldError('name', `a name has letters, digits and _, does not start with a digit, and has at most ${NAME.maxLength} characters`);
  }
  if (name.toUpperCase().startsWith('READTHEDOCS')) throw fieldError('name', 'names starting with READTHEDOCS are set by Bindery for every build');
  if (value.length > VALUE.maxLength) throw fieldError('value', `a value has at most ${VALUE.maxLength} characters`);
}

function serializeVariable(v: ShownVariable, p: Project, ctx: UrlContext) {
  return {
    pk: v.id,
    created: v.createdAt.toISOString(),
    // Variables cannot be changed, only replaced, so they are as created.
    modified: v.createdAt.toISOString(),
    project: p.slug,
    public: v.public,
    name: v.name,
    _links: { _self: api(ctx, `projects/${p.slug}/environmentvariables/${v.id}/`), project: api(ctx, `projects/${p.slug}/`) },
  };
}

export function environmentVariableRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/environmentvariables/',
    { schema: routeSchema({ summary: "A project's environment variables, by name (never their values).", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const { limit, offset } = request.query;
      const { count, rows } = await listVariables(ctx.db, project.id, limit, offset);
      return page(ctx, `projects/${project.slug}/environmentvariables/`, count, limit, offset, rows.map((v) => serializeVariable(v, project, ctx)));
    },
  );

  app.post<{ Params: { project: string }; Body: { name: string; value: string; public?: boolean } }>(
    '/projects/:project/environmentvariables/',
    {
      schema: routeSchema(
        { summary: 'Add a variable; `public` ones are also given to pull-request builds and shown in logs.', tags },
        {
          params: slugParams,
          body: {
            type: 'object',
            required: ['name', 'value'],
            additionalProperties: false,
            properties: {
              name: NAME,
              value: VALUE,
              public: { type: 'boolean' },
            },
          },
        },
      ),
    },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const { name, value } = request.body;
      checkVariable(name, value);
      const row = await guarded(() => createVariable(ctx.db, project.id, { name, value, public: request.body.public ?? false }));
      reply.code(201).header('location', api(ctx, `projects/${project.slug}/environmentvariables/${row.id}/`));
      return serializeVariable(row, project, ctx);
    },
  );

  app.get<{ Params: { project: string; variable: number } }>(
    '/projects/:project/environmentvariables/:variable/',
    { schema: routeSchema({ summary: 'An environment variable (without its value).', tags }, { params }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const row = await findVariable(ctx.db, project.id, request.params.variable);
      if (!row) throw notFound('Environment variable not found.');
      return serializeVariable(row, project, ctx);
    },
  );

  app.delete<{ Params: { project: string; variable: number } }>(
    '/projects/:project/environmentvariables/:variable/',
    { schema: routeSchema({ summary: 'Delete an environment variable.', tags }, { params }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      if (!(await deleteVariable(ctx.db, project.id, request.params.variable))) throw notFound('Environment variable not found.');
      reply.code(204);
    },
  );
}

// /api/v3/projects/<slug>/translations/: a project's translations as Read the Docs lists them
// (projects, by slug; anyone who may read the project sees the public ones). Bindery also
// links one (`POST {project: slug}`) and unlinks it (`DELETE …/translations/<slug>/`), which
// Read the Docs does on its dashboard only. The rules are src/domain/translations.ts's.
import type { FastifyInstance } from 'fastify';
import { addTranslation, listTranslations, removeTranslation } from '../../domain/translations.ts';
import { maintainedProject } from '../../domain/access.ts';
import { requireUser } from '../auth.ts';
import { apiActor } from './actor.ts';
import { paginationQuery, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { showProjects } from './projects.ts';
import { api, page } from './serializers.ts';

const tags = ['translations'];
const translationParams = { type: 'object', properties: { project: { type: 'string', maxLength: 255 }, translation: { type: 'string', maxLength: 255 } }, required: ['project', 'translation'] } as const;

export function translationRoutes(app: FastifyInstance, apiCtx: ApiContext): void {
  const ctx = apiCtx;

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/translations/',
    { schema: routeSchema({ summary: "A project's translations, by slug (private ones only to their maintainers).", tags, public: true }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const { limit, offset } = request.query;
      const { main, count, rows } = await listTranslations(ctx, await apiActor(ctx, request), request.params.project, { limit, offset });
      return page(ctx, `projects/${main.slug}/translations/`, count, limit, offset, await showProjects(ctx, rows));
    },
  );

  app.post<{ Params: { project: string }; Body: { project: string } }>(
    '/projects/:project/translations/',
    {
      schema: routeSchema(
        { summary: 'Make another project of yours, in another language, a translation of this one (Bindery; Read the Docs does it on its dashboard).', tags },
        { params: slugParams, body: { type: 'object', required: ['project'], properties: { project: { type: 'string', maxLength: 255 } } } },
      ),
    },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const main = await maintainedProject(ctx, user, request.params.project);
      const row = await addTranslation(ctx, user, main, request.body.project);
      reply.code(201).header('location', api(ctx, `projects/${row.slug}/`));
      return (await showProjects(ctx, [row]))[0];
    },
  );

  app.delete<{ Params: { project: string; translation: string } }>(
    '/projects/:project/translations/:translation/',
    { schema: routeSchema({ summary: 'Unlink a translation (the project itself stays).', tags }, { params: translationParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      await removeTranslation(ctx, await maintainedProject(ctx, user, request.params.project), request.params.translation);
      return reply.code(204).send();
    },
  );
}

// /api/v3/projects/<slug>/translations/: list a project's translations; link one
// (`POST {project: slug}`) or unlink it (`DELETE …/translations/<slug>/`). Both projects must be
// the user's, languages differ, and a group has one project per language.
import type { FastifyInstance } from 'fastify';
import { findProjectBySlug, isMaintainer } from '../../db/projects.ts';
import { addTranslation, listTranslations, removeTranslation } from '../../db/translations.ts';
import type { Db } from '../../db/database.ts';
import type { Project, User } from '../../db/schema.ts';
import { servingChanged } from '../../core/changes.ts';
import { requireUser } from '../auth.ts';
import { fieldError, notFound } from '../errors.ts';
import { guarded, paginationQuery, projectFor, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { showProjects } from './projects.ts';
import { api, page } from './serializers.ts';

const tags = ['translations'];
const translationParams = { type: 'object', properties: { project: { type: 'string', maxLength: 255 }, translation: { type: 'string', maxLength: 255 } }, required: ['project', 'translation'] } as const;

/** Makes the project `slug` (one the user maintains) a translation of `main`; 400 or 409 naming the field when refused. */
export async function linkTranslation(db: Db, user: User, main: Project, slug: string): Promise<Project> {
  const other = await findProjectBySlug(db, slug);
  if (!other || !(await isMaintainer(db, other.id, user.id))) throw fieldError('project', `no project "${slug}" that you maintain`);
  return guarded(() => addTranslation(db, main.id, other.id));
}

/** Unlinks the translation `slug` of `main`; false when it is not one. */
export async function unlinkTranslation(db: Db, main: Project, slug: string): Promise<boolean> {
  const other = await findProjectBySlug(db, slug);
  return other !== null && (await removeTranslation(db, main.id, other.id));
}

export function translationRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/translations/',
    { schema: routeSchema({ summary: "A project's translations, by language.", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const { limit, offset } = request.query;
      const { count, rows } = await listTranslations(ctx.db, project.id, limit, offset);
      return page(ctx, `projects/${project.slug}/translations/`, count, limit, offset, await showProjects(ctx, rows));
    },
  );

  app.post<{ Params: { project: string }; Body: { project: string } }>(
    '/projects/:project/translations/',
    {
      schema: routeSchema(
        { summary: 'Make another project of yours, in another language, a translation of this one.', tags },
        { params: slugParams, body: { type: 'object', required: ['project'], additionalProperties: false, properties: { project: { type: 'string', minLength: 1, maxLength: 255 } } } },
      ),
    },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const main = await projectFor(ctx, user, request.params.project);
      const row = await linkTranslation(ctx.db, user, main, request.body.project);
      servingChanged();
      reply.code(201).header('location', api(ctx, `projects/${row.slug}/`));
      return (await showProjects(ctx, [row]))[0];
    },
  );

  app.delete<{ Params: { project: string; translation: string } }>(
    '/projects/:project/translations/:translation/',
    { schema: routeSchema({ summary: 'Unlink a translation (the project itself stays).', tags }, { params: translationParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const main = await projectFor(ctx, user, request.params.project);
      if (!(await unlinkTranslation(ctx.db, main, request.params.translation))) throw notFound('Translation not found.');
      servingChanged();
      reply.code(204);
    },
  );
}

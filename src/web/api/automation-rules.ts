// /api/v3/projects/<slug>/automation-rules/: what happens to new branches and tags (Read the
// Docs' VersionAutomationRule, same field names). A rule matches by a predefined pattern
// (all-versions, semver-versions) or a custom regular expression; rules run in `priority` order
// (domain/automation-rules.ts holds their rules and applies them when a sync finds new versions).
// Read the Docs' API v3 has no such endpoint; this one keeps its conventions: maintainers only
// (403 for a user who can see the project, 404 otherwise), refusals as `{"<field>": […]}`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AutomationRule, Project } from '../../db/schema.ts';
import { maintainedProject } from '../../domain/access.ts';
import { addRule, changeRule, PREDEFINED_MATCHES, projectRule, projectRules, removeRule, type RuleInput } from '../../domain/automation-rules.ts';
import { requireUser } from '../auth.ts';
import { idParams, paginationQuery, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page, type UrlContext } from './serializers.ts';

const tags = ['automation rules'];
const params = idParams('rule');
// Choices and lengths are the domain's to check, so the API and the dashboard refuse alike.
const fields = {
  description: { type: 'string' },
  predefined_match_arg: { type: ['string', 'null'] },
  match_arg: { type: 'string' },
  version_type: { type: 'string' },
  action: { type: 'string' },
  priority: { type: 'integer' },
} as const;

interface Body {
  description?: string;
  predefined_match_arg?: string | null;
  match_arg?: string;
  version_type?: string;
  action?: string;
  priority?: number;
}

const inputOf = (b: Body): RuleInput => ({
  description: b.description, predefinedMatchArg: b.predefined_match_arg, matchArg: b.match_arg, versionType: b.version_type, action: b.action, priority: b.priority,
});

function serializeRule(r: AutomationRule, p: Project, ctx: UrlContext) {
  return {
    pk: r.id,
    description: r.description,
    predefined_match_arg: r.predefinedMatch,
    match_arg: r.predefinedMatch ? PREDEFINED_MATCHES[r.predefinedMatch] : r.matchArg,
    version_type: r.versionType,
    action: r.action,
    action_arg: null,
    priority: r.position,
    created: r.createdAt.toISOString(),
    modified: r.updatedAt.toISOString(),
    project: p.slug,
    _links: { _self: api(ctx, `projects/${p.slug}/automation-rules/${r.id}/`), project: api(ctx, `projects/${p.slug}/`) },
  };
}

export function automationRuleRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const project = async (request: FastifyRequest<{ Params: { project: string } }>) =>
    maintainedProject(ctx, await requireUser(ctx.db, request), request.params.project);

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/automation-rules/',
    { schema: routeSchema({ summary: "A project's automation rules in the order they run.", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const p = await project(request);
      const { limit, offset } = request.query;
      const { count, rows } = await projectRules(ctx, p, limit, offset);
      return page(ctx, `projects/${p.slug}/automation-rules/`, count, limit, offset, rows.map((r) => serializeRule(r, p, ctx)));
    },
  );

  app.post<{ Params: { project: string }; Body: Body }>(
    '/projects/:project/automation-rules/',
    {
      schema: routeSchema(
        { summary: 'Add a rule (last, unless a priority is given).', tags },
        { params: slugParams, body: { type: 'object', required: ['version_type', 'action'], additionalProperties: false, properties: fields } },
      ),
    },
    async (request, reply) => {
      const p = await project(request);
      const row = await addRule(ctx, p, inputOf(request.body));
      reply.code(201).header('location', api(ctx, `projects/${p.slug}/automation-rules/${row.id}/`));
      return serializeRule(row, p, ctx);
    },
  );

  app.get<{ Params: { project: string; rule: number } }>(
    '/projects/:project/automation-rules/:rule/',
    { schema: routeSchema({ summary: 'An automation rule.', tags }, { params }) },
    async (request) => {
      const p = await project(request);
      return serializeRule(await projectRule(ctx, p, request.params.rule), p, ctx);
    },
  );

  app.patch<{ Params: { project: string; rule: number }; Body: Body }>(
    '/projects/:project/automation-rules/:rule/',
    { schema: routeSchema({ summary: 'Change a rule; a new priority moves it there.', tags }, { params, body: { type: 'object', additionalProperties: false, properties: fields } }) },
    async (request) => {
      const p = await project(request);
      return serializeRule(await changeRule(ctx, p, request.params.rule, inputOf(request.body)), p, ctx);
    },
  );

  app.delete<{ Params: { project: string; rule: number } }>(
    '/projects/:project/automation-rules/:rule/',
    { schema: routeSchema({ summary: 'Delete a rule; those after it move up.', tags }, { params }) },
    async (request, reply) => {
      await removeRule(ctx, await project(request), request.params.rule);
      reply.code(204);
    },
  );
}

// /api/v3/projects/<slug>/automation-rules/: what happens to new branches and tags (Read the
// Docs' VersionAutomationRule, same field names). A rule matches by a predefined pattern
// (all-versions, semver-versions) or a custom regular expression; rules run in `priority` order
// (projects/automation-rules.ts applies them when a sync finds new versions).
import type { FastifyInstance } from 'fastify';
import { createRule, deleteRule, findRule, listRules, updateRule, type RuleFields } from '../../db/automation-rules.ts';
import type { AutomationRule, Project } from '../../db/schema.ts';
import { ACTIONS, PREDEFINED_MATCHES, patternProblem } from '../../projects/automation-rules.ts';
import { requireUser } from '../auth.ts';
import { fieldError, notFound } from '../errors.ts';
import { idParams, paginationQuery, projectFor, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page, type UrlContext } from './serializers.ts';

const tags = ['automation rules'];
const params = idParams('rule');
const fields = {
  description: { type: 'string', maxLength: 255 },
  predefined_match_arg: { type: ['string', 'null'], enum: [...Object.keys(PREDEFINED_MATCHES), null] },
  match_arg: { type: 'string', maxLength: 255 },
  version_type: { type: 'string', enum: ['branch', 'tag'] },
  action: { type: 'string', enum: [...ACTIONS] },
  priority: { type: 'integer', minimum: 0, maximum: 100_000 },
} as const;

interface Body {
  description?: string;
  predefined_match_arg?: string | null;
  match_arg?: string;
  version_type?: string;
  action?: string;
  priority?: number;
}

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
    // Bindery keeps no modification time of rules yet.
    modified: null,
    project: p.slug,
    _links: { _self: api(ctx, `projects/${p.slug}/automation-rules/${r.id}/`), project: api(ctx, `projects/${p.slug}/`) },
  };
}

export type RuleBody = Body;
/** What a new rule starts from. */
export const NEW_RULE: RuleFields = { description: '', predefinedMatch: null, matchArg: '', versionType: 'tag', action: 'activate-version' };

/** A value of one of the API's enumerated fields, checked here too for the dashboard. */
function choice(field: 'predefined_match_arg' | 'version_type' | 'action', value: string | null | undefined): void {
  if (value !== undefined && !(fields[field].enum as readonly (string | null)[]).includes(value)) {
    throw fieldError(field, `${field} is one of ${fields[field].enum.filter(Boolean).join(', ')}`);
  }
}

/**
 * The rule's fields once written; a rule matches either by a predefined pattern or by its own
 * (400 naming the field otherwise). The limits of the API's schema are checked here too.
 */
export function ruleFields(base: RuleFields, b: Body): RuleFields {
  choice('predefined_match_arg', b.predefined_match_arg);
  choice('version_type', b.version_type);
  choice('action', b.action);
  if ((b.match_arg ?? '').length > fields.match_arg.maxLength) throw fieldError('match_arg', `a pattern has at most ${fields.match_arg.maxLength} characters`);
  if ((b.description ?? '').length > fields.description.maxLength) throw fieldError('description', `a description has at most ${fields.description.maxLength} characters`);
  let predefinedMatch = b.predefined_match_arg !== undefined ? b.predefined_match_arg : base.predefinedMatch;
  let matchArg = b.match_arg ?? base.matchArg;
  // Giving one kind of match replaces the other.
  if (b.match_arg !== undefined && b.predefined_match_arg === undefined) predefinedMatch = null;
  if (b.predefined_match_arg && b.match_arg === undefined) matchArg = '';
  if (predefinedMatch && matchArg) throw fieldError('match_arg', 'give either predefined_match_arg or match_arg, not both');
  if (!predefinedMatch) {
    if (!matchArg) throw fieldError('match_arg', 'a rule needs predefined_match_arg (all-versions, semver-versions) or a match_arg pattern');
    const problem = patternProblem(matchArg);
    if (problem) throw fieldError('match_arg', `not a valid regular expression: ${problem}`);
  }
  return {
    description: b.description ?? base.description,
    predefinedMatch,
    matchArg: predefinedMatch ? '' : matchArg,
    versionType: b.version_type ?? base.versionType,
    action: b.action ?? base.action,
  };
}

export function automationRuleRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/automation-rules/',
    { schema: routeSchema({ summary: "A project's automation rules in the order they run.", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const { limit, offset } = request.query;
      const { count, rows } = await listRules(ctx.db, project.id, limit, offset);
      return page(ctx, `projects/${project.slug}/automation-rules/`, count, limit, offset, rows.map((r) => serializeRule(r, project, ctx)));
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
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const row = await createRule(ctx.db, project.id, ruleFields(NEW_RULE, request.body), request.body.priority);
      reply.code(201).header('location', api(ctx, `projects/${project.slug}/automation-rules/${row.id}/`));
      return serializeRule(row, project, ctx);
    },
  );

  app.get<{ Params: { project: string; rule: number } }>(
    '/projects/:project/automation-rules/:rule/',
    { schema: routeSchema({ summary: 'An automation rule.', tags }, { params }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const row = await findRule(ctx.db, project.id, request.params.rule);
      if (!row) throw notFound('Automation rule not found.');
      return serializeRule(row, project, ctx);
    },
  );

  app.patch<{ Params: { project: string; rule: number }; Body: Body }>(
    '/projects/:project/automation-rules/:rule/',
    { schema: routeSchema({ summary: 'Change a rule; a new priority moves it there.', tags }, { params, body: { type: 'object', additionalProperties: false, properties: fields } }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const current = await findRule(ctx.db, project.id, request.params.rule);
      if (!current) throw notFound('Automation rule not found.');
      const row = await updateRule(ctx.db, project.id, current.id, ruleFields(current, request.body), request.body.priority);
      if (!row) throw notFound('Automation rule not found.');
      return serializeRule(row, project, ctx);
    },
  );

  app.delete<{ Params: { project: string; rule: number } }>(
    '/projects/:project/automation-rules/:rule/',
    { schema: routeSchema({ summary: 'Delete a rule; those after it move up.', tags }, { params }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      if (!(await deleteRule(ctx.db, project.id, request.params.rule))) throw notFound('Automation rule not found.');
      reply.code(204);
    },
  );
}

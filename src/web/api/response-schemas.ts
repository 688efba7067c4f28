// What API v3 answers, for the OpenAPI document: one JSON schema per resource (Read the Docs'
// fields for the resources it has — every field it returns is required here — and Bindery's
// own fields for the rest), and the responses of every route. Only the document uses these:
// they are NOT given to Fastify's serializer, which would drop every field not listed (and
// Bindery's extra fields ride along on purpose: `additionalProperties` stays open).
type Schema = Record<string, unknown>;

const str = { type: 'string' };
const nstr = { type: ['string', 'null'] };
const int = { type: 'integer' };
const nint = { type: ['integer', 'null'] };
const bool = { type: 'boolean' };
const time = { type: 'string', format: 'date-time' };
const ntime = { type: ['string', 'null'], format: 'date-time' };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (name: string) => ({ oneOf: [ref(name), { type: 'null' }] });
const listOf = (items: Schema) => ({ type: 'array', items });

/** An object with these properties, all required unless listed in `optional`. */
function object(properties: Record<string, Schema>, optional: string[] = []): Schema {
  return { type: 'object', required: Object.keys(properties).filter((k) => !optional.includes(k)), properties };
}

const links = (...names: string[]) => object(Object.fromEntries(['_self', ...names].map((n) => [n, str])));
const codeName = object({ code: str, name: str });

/** The resources' schemas, under #/components/schemas/. */
export const RESOURCE_SCHEMAS: Record<string, Schema> = {
  RelatedProject: object({ slug: str, _links: ref('ProjectLinks') }),
  ProjectLinks: links('versions', 'builds', 'environmentvariables', 'redirects', 'subprojects', 'superproject', 'translations', 'notifications', 'sync_versions'),
  Project: object(
    {
      id: int,
      name: str,
      slug: str,
      created: time,
      modified: time,
      language: codeName,
      programming_language: codeName,
      homepage: nstr,
      repository: object({ url: str, type: str }),
      default_version: str,
      default_branch: nstr,
      subproject_of: nullable('RelatedProject'),
      translation_of: nullable('RelatedProject'),
      urls: object({ documentation: str, home: str, builds: str, versions: str, downloads: { type: 'null' } }),
      tags: listOf(str),
      privacy_level: str,
      external_builds_privacy_level: str,
      versioning_scheme: str,
      custom_prefix: nstr,
      custom_subproject_prefix: nstr,
      delisted: bool,
      single_version: bool,
      _links: ref('ProjectLinks'),
      users: listOf(object({ username: str })),
      // Expansions (`?expand=`): only when asked for.
      active_versions: listOf(ref('Version')),
      permissions: object({ admin: bool }),
    },
    ['active_versions', 'permissions'],
  ),
  Version: object({
    aliases: listOf(ref('Version')),
    id: int,
    slug: str,
    verbose_name: str,
    identifier: str,
    ref: nstr,
    built: bool,
    active: bool,
    hidden: bool,
    type: { type: 'string', enum: ['branch', 'tag', 'external', 'unknown'] },
    downloads: { type: 'object', additionalProperties: str },
    urls: object({ documentation: str, vcs: nstr, dashboard: object({ edit: str }) }),
    _links: links('builds', 'project'),
    privacy_level: str,
  }),
  Build: object(
    {
      id: int,
      version: nstr,
      project: str,
      created: time,
      finished: ntime,
      duration: nint,
      state: codeName,
      success: { type: ['boolean', 'null'] },
      error: str,
      commit: nstr,
      _links: object({ _self: str, project: str, version: nstr, notifications: str }),
      urls: object({ build: str, project: str, version: nstr }),
      config: { type: ['object', 'null'] },
    },
    ['config'],
  ),
  BuildTriggered: object({ build: ref('Build'), project: ref('Project'), version: ref('Version'), triggered: bool }),
  Redirect: object({
    pk: int,
    created: time,
    modified: time,
    project: str,
    type: str,
    from_url: nstr,
    to_url: nstr,
    force: bool,
    enabled: bool,
    description: str,
    http_status: int,
    position: int,
    _links: links('project'),
  }),
  EnvironmentVariable: object({ pk: int, created: time, modified: time, name: str, public: bool, project: str, _links: links('project') }),
  Subproject: object({ child: ref('Project'), alias: str, _links: links('parent') }),
  Notification: object({
    id: int,
    state: str,
    dismissable: bool,
    news: bool,
    attached_to_content_type: str,
    attached_to_id: int,
    message: object({ id: str, header: str, body: str, type: str, icon_classes: str }),
    _links: links(),
  }),
  // Bindery's own resources (Read the Docs has no API v3 endpoint for them).
  Domain: object({
    pk: int,
    domain: str,
    canonical: bool,
    https: bool,
    verified: bool,
    verified_at: ntime,
    verification_token: str,
    hsts_max_age: int,
    hsts_include_subdomains: bool,
    hsts_preload: bool,
    verification: object({ http: str, dns_txt: str }),
    created: time,
    modified: time,
    project: str,
    _links: links('project'),
  }),
  DomainHeader: object({
    pk: int,
    name: nstr,
    header: str,
    value: str,
    only_if_secure_request: bool,
    created: time,
    modified: time,
    _links: links('domain'),
  }),
  AutomationRule: object({
    pk: int,
    description: str,
    predefined_match_arg: nstr,
    match_arg: nstr,
    version_type: str,
    action: str,
    action_arg: nstr,
    priority: int,
    created: time,
    modified: time,
    project: str,
    _links: links('project'),
  }),
  Maintainer: object({ username: str, _links: links() }),
  Invitation: object({ username: str, invited_by: nstr, created: time, expires: time, _links: links('project') }),
  Token: object({ id: int, name: str, prefix: str, created: time, expires: ntime, last_used: ntime, token: str, _links: links() }, ['token']),
  Integration: object({ id: int, type: str, webhook_url: str, secret: str, created: time, _links: links('project') }, ['secret']),
  Webhook: object({ id: int, url: str, events: listOf(str), secret: str, created: time, _links: links('project') }, ['secret']),
  Triggered: object({ triggered: bool }),
  Root: object({ projects: str }),
  // Refusals in Read the Docs' (Django REST framework's) shapes.
  Detail: object({ detail: str }),
  FieldErrors: {
    type: 'object',
    description: 'Each refused field with its messages; a nested field nests (`{"repository": {"url": ["…"]}}`).',
    additionalProperties: { oneOf: [listOf(str), { type: 'object' }] },
  },
};

/** A Django REST framework page of `item`s. */
export function pageOf(item: string): Schema {
  return object({ count: int, next: nstr, previous: nstr, results: listOf(ref(item)) });
}

const ok = (item: string) => ({ content: ref(item), description: 'Success.' });
const page = (item: string) => ({ content: pageOf(item), description: 'One page (`limit`/`offset`; `next` and `previous` link the others).' });
const none = { description: 'Done; no content.' };

type Answer = { description: string; content?: Schema; mediaType?: string };

/**
 * The success answer of every route (`METHOD path`, the path as the route declares it, under
 * /api/v3). A route missing here fails the OpenAPI test: add it with the route.
 */
const SUCCESS: Record<string, Record<number, Answer>> = {
  'GET /': { 200: ok('Root') },
  'GET /openapi.json': { 200: { description: 'This document.', content: { type: 'object' } } },
  'GET /projects/': { 200: page('Project') },
  'POST /projects/': { 201: ok('Project') },
  'GET /projects/:project/': { 200: ok('Project') },
  'PATCH /projects/:project/': { 204: none },
  'PUT /projects/:project/': { 204: none },
  'DELETE /projects/:project/': { 204: none },
  'GET /projects/:project/superproject/': { 200: ok('Project') },
  'POST /projects/:project/sync-versions/': { 202: ok('Triggered') },
  'GET /projects/:project/versions/': { 200: page('Version') },
  'GET /projects/:project/versions/:version/': { 200: ok('Version') },
  'PATCH /projects/:project/versions/:version/': { 204: none },
  'PUT /projects/:project/versions/:version/': { 204: none },
  'GET /projects/:project/versions/:version/builds/': { 200: page('Build') },
  'GET /projects/:project/versions/:version/builds/:build/': { 200: ok('Build') },
  'POST /projects/:project/versions/:version/builds/': { 202: ok('BuildTriggered') },
  'POST /projects/:project/versions/:version/rollback/': { 201: ok('Version') },
  'GET /projects/:project/builds/': { 200: page('Build') },
  'GET /projects/:project/builds/:build/': { 200: ok('Build') },
  'POST /projects/:project/builds/:build/cancel/': { 202: ok('Build') },
  'GET /projects/:project/builds/:build/log/stream/': { 200: { description: 'The build log as server-sent events, until the build ends.', mediaType: 'text/event-stream', content: str } },
  'GET /projects/:project/builds/:build/notifications/': { 200: page('Notification') },
  'GET /projects/:project/builds/:build/notifications/:notification/': { 200: ok('Notification') },
  'PATCH /projects/:project/builds/:build/notifications/:notification/': { 204: none },
  'PUT /projects/:project/builds/:build/notifications/:notification/': { 204: none },
  'GET /projects/:project/notifications/': { 200: page('Notification') },
  'GET /projects/:project/notifications/:notification/': { 200: ok('Notification') },
  'PATCH /projects/:project/notifications/:notification/': { 204: none },
  'PUT /projects/:project/notifications/:notification/': { 204: none },
  'GET /users/:username/notifications/': { 200: page('Notification') },
  'GET /users/:username/notifications/:notification/': { 200: ok('Notification') },
  'PATCH /users/:username/notifications/:notification/': { 204: none },
  'PUT /users/:username/notifications/:notification/': { 204: none },
  'GET /projects/:project/redirects/': { 200: page('Redirect') },
  'POST /projects/:project/redirects/': { 201: ok('Redirect') },
  'GET /projects/:project/redirects/:redirect/': { 200: ok('Redirect') },
  'PUT /projects/:project/redirects/:redirect/': { 200: ok('Redirect') },
  'PATCH /projects/:project/redirects/:redirect/': { 200: ok('Redirect') },
  'DELETE /projects/:project/redirects/:redirect/': { 204: none },
  'GET /projects/:project/environmentvariables/': { 200: page('EnvironmentVariable') },
  'POST /projects/:project/environmentvariables/': { 201: ok('EnvironmentVariable') },
  'GET /projects/:project/environmentvariables/:variable/': { 200: ok('EnvironmentVariable') },
  'PUT /projects/:project/environmentvariables/:variable/': { 405: { description: 'Not allowed: delete the variable and add it anew.', content: ref('Detail') } },
  'PATCH /projects/:project/environmentvariables/:variable/': { 405: { description: 'Not allowed: delete the variable and add it anew.', content: ref('Detail') } },
  'DELETE /projects/:project/environmentvariables/:variable/': { 204: none },
  'GET /projects/:project/subprojects/': { 200: page('Subproject') },
  'POST /projects/:project/subprojects/': { 201: ok('Subproject') },
  'GET /projects/:project/subprojects/:alias/': { 200: ok('Subproject') },
  'DELETE /projects/:project/subprojects/:alias/': { 204: none },
  'GET /projects/:project/translations/': { 200: page('Project') },
  'POST /projects/:project/translations/': { 201: ok('Project') },
  'DELETE /projects/:project/translations/:translation/': { 204: none },
  'GET /projects/:project/domains/': { 200: page('Domain') },
  'POST /projects/:project/domains/': { 201: ok('Domain') },
  'GET /projects/:project/domains/:domain/': { 200: ok('Domain') },
  'PATCH /projects/:project/domains/:domain/': { 200: ok('Domain') },
  'DELETE /projects/:project/domains/:domain/': { 204: none },
  'POST /projects/:project/domains/:domain/verify/': { 200: ok('Domain') },
  'GET /projects/:project/domains/:domain/headers/': { 200: page('DomainHeader') },
  'POST /projects/:project/domains/:domain/headers/': { 201: ok('DomainHeader') },
  'DELETE /projects/:project/domains/:domain/headers/:header/': { 204: none },
  'GET /projects/:project/automation-rules/': { 200: page('AutomationRule') },
  'POST /projects/:project/automation-rules/': { 201: ok('AutomationRule') },
  'GET /projects/:project/automation-rules/:rule/': { 200: ok('AutomationRule') },
  'PATCH /projects/:project/automation-rules/:rule/': { 200: ok('AutomationRule') },
  'DELETE /projects/:project/automation-rules/:rule/': { 204: none },
  'GET /projects/:project/maintainers/': { 200: page('Maintainer') },
  'POST /projects/:project/maintainers/': { 202: ok('Invitation') },
  'DELETE /projects/:project/maintainers/:username/': { 204: none },
  'GET /projects/:project/invitations/': { 200: page('Invitation') },
  'DELETE /projects/:project/invitations/:username/': { 204: none },
  'GET /projects/:project/integrations/': { 200: page('Integration') },
  'POST /projects/:project/integrations/': { 201: ok('Integration') },
  'GET /projects/:project/integrations/:id/': { 200: ok('Integration') },
  'DELETE /projects/:project/integrations/:id/': { 204: none },
  'GET /projects/:project/webhooks/': { 200: page('Webhook') },
  'POST /projects/:project/webhooks/': { 201: ok('Webhook') },
  'GET /projects/:project/webhooks/:id/': { 200: ok('Webhook') },
  'DELETE /projects/:project/webhooks/:id/': { 204: none },
  'GET /tokens/': { 200: page('Token') },
  'POST /tokens/': { 201: ok('Token') },
  'GET /tokens/:token/': { 200: ok('Token') },
  'DELETE /tokens/:token/': { 204: none },
};

/** The refusals every route may answer, each in its DRF shape. */
export const ERROR_RESPONSES: Record<string, { description: string; content: Schema }> = {
  400: { description: 'Bad input: each refused field with its messages (or `detail` for a body that cannot be read).', content: { oneOf: [ref('FieldErrors'), ref('Detail')] } },
  401: { description: 'No token ("Authentication credentials were not provided.") or a bad one ("Invalid token.").', content: ref('Detail') },
  403: { description: 'The project is readable but not yours to change ("You do not have permission to perform this action.").', content: ref('Detail') },
  404: { description: 'Not found, or not visible to you ("Not found.").', content: ref('Detail') },
  405: { description: 'The path does not take this method (`Allow` lists those it takes).', content: ref('Detail') },
  409: { description: 'A clash with the current state, naming the field.', content: ref('FieldErrors') },
  415: { description: 'A body encoding other than JSON, form or multipart.', content: ref('Detail') },
  429: { description: 'Throttled ("Request was throttled. Expected available in N seconds."), with Retry-After.', content: ref('Detail') },
};

// Read the Docs' FlexFields serializers (drf-flex-fields): a route answering one of these, or a
// page of them, takes `?fields=` and `?omit=` (flex-fields.ts). Versions, redirects and the
// rest are plain serializers there and ignore both.
const FLEX_RESOURCES = ['Project', 'Build'];

/** Whether the route answers a FlexFields resource (or a page of them). */
export function answersFlexResource(method: string, apiPath: string): boolean {
  return Object.values(SUCCESS[`${method} ${apiPath}`] ?? {}).some((answer) => {
    const content = answer.content as { $ref?: string; properties?: { results?: { items?: { $ref?: string } } } } | undefined;
    const target = content?.$ref ?? content?.properties?.results?.items?.$ref;
    return FLEX_RESOURCES.some((name) => target === `#/components/schemas/${name}`);
  });
}

/** The route's success answers keyed by status, or undefined for a route this file does not know. */
export function successResponses(method: string, apiPath: string): Record<number, Answer> | undefined {
  return SUCCESS[`${method} ${apiPath}`];
}

// /api/v3/projects/<slug>/domains/: custom domains (Bindery's own endpoint: Read the Docs' API
// v3 has none), with the same conventions as its other project endpoints: maintainers only
// (403 for a user who can see the project, 404 otherwise), refusals as `{"<field>": […]}`.
// Adding one answers its verification token; `POST …/domains/<domain>/verify/` checks
// http://<domain>/.well-known/bindery-verification.txt or the TXT record _bindery.<domain>.
// PATCH changes canonical, https and the HSTS settings (and, for an instance administrator,
// `verified`); `…/domains/<domain>/headers/` lists, adds and deletes the domain's extra
// response headers (Read the Docs' HTTPHeader). The rules are in domain/domains.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Domain, DomainHeader, Project } from '../../db/schema.ts';
import { maintainedProject } from '../../domain/access.ts';
import {
  addCustomDomain, addDomainHeaderTo, changeDomain, domainHeaders, headerChoiceOf, HTTP_HEADER_CHOICES, MAX_HEADER_VALUE, projectDomain, projectDomains, removeDomain,
  removeDomainHeader, TOKEN_PATH, TXT_PREFIX, verifyCustomDomain,
} from '../../domain/domains.ts';
import { requireUser } from '../auth.ts';
import { paginationQuery, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page, type UrlContext } from './serializers.ts';

const tags = ['domains'];
const domainParams = { type: 'object', properties: { project: { type: 'string', maxLength: 255 }, domain: { type: 'string', maxLength: 253 } }, required: ['project', 'domain'] } as const;
const flags = { canonical: { type: 'boolean' }, https: { type: 'boolean' } } as const;
const changes = {
  ...flags,
  hsts_max_age: { type: 'integer', description: 'Seconds of Strict-Transport-Security on https answers; 0: not sent.' },
  hsts_include_subdomains: { type: 'boolean' },
  hsts_preload: { type: 'boolean' },
  verified: { type: 'boolean', description: 'Instance administrators only: mark the domain verified without its proof (403 for others).' },
} as const;
const headerParams = { type: 'object', properties: { ...domainParams.properties, header: { type: 'integer', minimum: 1 } }, required: ['project', 'domain', 'header'] } as const;

interface ChangeBody {
  canonical?: boolean;
  https?: boolean;
  hsts_max_age?: number;
  hsts_include_subdomains?: boolean;
  hsts_preload?: boolean;
  verified?: boolean;
}

/** Read the Docs' HTTPHeader fields, with Bindery's links. */
function serializeHeader(h: DomainHeader, d: Domain, p: Project, ctx: UrlContext) {
  return {
    pk: h.id,
    name: headerChoiceOf(h),
    header: h.name,
    value: h.value,
    only_if_secure_request: h.onlyIfSecureRequest,
    created: h.createdAt.toISOString(),
    modified: h.updatedAt.toISOString(),
    _links: { _self: api(ctx, `projects/${p.slug}/domains/${d.domain}/headers/${h.id}/`), domain: api(ctx, `projects/${p.slug}/domains/${d.domain}/`) },
  };
}

function serializeDomain(d: Domain, p: Project, ctx: UrlContext) {
  return {
    pk: d.id,
    domain: d.domain,
    canonical: d.canonical,
    https: d.https,
    verified: d.verifiedAt !== null,
    verified_at: d.verifiedAt?.toISOString() ?? null,
    // Not a secret: it is what the owner publishes to prove the domain is theirs.
    verification_token: d.verificationToken,
    hsts_max_age: d.hstsMaxAge,
    hsts_include_subdomains: d.hstsIncludeSubdomains,
    hsts_preload: d.hstsPreload,
    verification: { http: `http://${d.domain}${TOKEN_PATH}`, dns_txt: `${TXT_PREFIX}.${d.domain}` },
    created: d.createdAt.toISOString(),
    modified: d.updatedAt.toISOString(),
    project: p.slug,
    _links: { _self: api(ctx, `projects/${p.slug}/domains/${d.domain}/`), project: api(ctx, `projects/${p.slug}/`) },
  };
}

export function domainRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const project = async (request: FastifyRequest<{ Params: { project: string } }>) =>
    maintainedProject(ctx, await requireUser(ctx.db, request), request.params.project);

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/domains/',
    { schema: routeSchema({ summary: "A project's custom domains.", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const p = await project(request);
      const { limit, offset } = request.query;
      const { count, rows } = await projectDomains(ctx, p, limit, offset);
      return page(ctx, `projects/${p.slug}/domains/`, count, limit, offset, rows.map((d) => serializeDomain(d, p, ctx)));
    },
  );

  app.post<{ Params: { project: string }; Body: { domain: string; canonical?: boolean; https?: boolean } }>(
    '/projects/:project/domains/',
    {
      schema: routeSchema(
        { summary: 'Add a custom domain; publish the answered verification_token, then verify.', tags },
        { params: slugParams, body: { type: 'object', required: ['domain'], additionalProperties: false, properties: { domain: { type: 'string', maxLength: 1000 }, ...flags } } },
      ),
    },
    async (request, reply) => {
      const p = await project(request);
      const row = await addCustomDomain(ctx, ctx, p, request.body);
      reply.code(201).header('location', api(ctx, `projects/${p.slug}/domains/${row.domain}/`));
      return serializeDomain(row, p, ctx);
    },
  );

  app.get<{ Params: { project: string; domain: string } }>(
    '/projects/:project/domains/:domain/',
    { schema: routeSchema({ summary: 'A custom domain.', tags }, { params: domainParams }) },
    async (request) => {
      const p = await project(request);
      return serializeDomain(await projectDomain(ctx, p, request.params.domain), p, ctx);
    },
  );

  app.patch<{ Params: { project: string; domain: string }; Body: ChangeBody }>(
    '/projects/:project/domains/:domain/',
    {
      schema: routeSchema(
        { summary: 'Make the domain canonical (one per project) or not, served over https or not, its HSTS settings; instance administrators may set verified.', tags },
        { params: domainParams, body: { type: 'object', additionalProperties: false, properties: changes } },
      ),
    },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const p = await maintainedProject(ctx, user, request.params.project);
      const b = request.body;
      const change = { canonical: b.canonical, https: b.https, hstsMaxAge: b.hsts_max_age, hstsIncludeSubdomains: b.hsts_include_subdomains, hstsPreload: b.hsts_preload, verified: b.verified };
      return serializeDomain(await changeDomain(ctx, user, p, request.params.domain, change), p, ctx);
    },
  );

  app.get<{ Params: { project: string; domain: string } }>(
    '/projects/:project/domains/:domain/headers/',
    { schema: routeSchema({ summary: "The domain's extra response headers (Read the Docs' HTTPHeader).", tags }, { params: domainParams }) },
    async (request) => {
      const p = await project(request);
      const { domain, headers } = await domainHeaders(ctx, p, request.params.domain);
      const results = headers.map((h) => serializeHeader(h, domain, p, ctx));
      return { count: results.length, next: null, previous: null, results };
    },
  );

  app.post<{ Params: { project: string; domain: string }; Body: { name: string; value: string; only_if_secure_request?: boolean } }>(
    '/projects/:project/domains/:domain/headers/',
    {
      schema: routeSchema(
        { summary: 'Add a response header to every answer on the domain; name is one of Read the Docs\' choices.', tags, status: 201 },
        {
          params: domainParams,
          body: {
            type: 'object', required: ['name', 'value'], additionalProperties: false,
            properties: { name: { type: 'string', enum: Object.keys(HTTP_HEADER_CHOICES) }, value: { type: 'string', maxLength: MAX_HEADER_VALUE * 2 }, only_if_secure_request: { type: 'boolean' } },
          },
        },
      ),
    },
    async (request, reply) => {
      const p = await project(request);
      const b = request.body;
      const row = await addDomainHeaderTo(ctx, p, request.params.domain, { name: b.name, value: b.value, onlyIfSecureRequest: b.only_if_secure_request });
      const domain = await projectDomain(ctx, p, request.params.domain);
      reply.code(201).header('location', api(ctx, `projects/${p.slug}/domains/${domain.domain}/headers/${row.id}/`));
      return serializeHeader(row, domain, p, ctx);
    },
  );

  app.delete<{ Params: { project: string; domain: string; header: number } }>(
    '/projects/:project/domains/:domain/headers/:header/',
    { schema: routeSchema({ summary: 'Remove one of the domain\'s extra response headers.', tags }, { params: headerParams }) },
    async (request, reply) => {
      await removeDomainHeader(ctx, await project(request), request.params.domain, request.params.header);
      reply.code(204);
    },
  );

  app.post<{ Params: { project: string; domain: string } }>(
    '/projects/:project/domains/:domain/verify/',
    { schema: routeSchema({ summary: 'Check the HTTP token file or the DNS TXT record now; 400 with the reasons when neither holds.', tags, status: 200 }, { params: domainParams }) },
    async (request) => {
      const p = await project(request);
      const verified = await verifyCustomDomain(ctx, p, request.params.domain);
      return { ...serializeDomain(verified.row, p, ctx), ...(verified.method ? { verified_by: verified.method } : {}) };
    },
  );

  app.delete<{ Params: { project: string; domain: string } }>(
    '/projects/:project/domains/:domain/',
    { schema: routeSchema({ summary: 'Remove a custom domain; it stops being served at once.', tags }, { params: domainParams }) },
    async (request, reply) => {
      await removeDomain(ctx, await project(request), request.params.domain);
      reply.code(204);
    },
  );
}

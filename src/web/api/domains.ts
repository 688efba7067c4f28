// /api/v3/projects/<slug>/domains/: custom domains (Bindery's own endpoint: Read the Docs' API
// v3 has none), with the same conventions as its other project endpoints: maintainers only
// (403 for a user who can see the project, 404 otherwise), refusals as `{"<field>": […]}`.
// Adding one answers its verification token; `POST …/domains/<domain>/verify/` checks
// http://<domain>/.well-known/bindery-verification.txt or the TXT record _bindery.<domain>.
// The rules are in domain/domains.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Domain, Project } from '../../db/schema.ts';
import { maintainedProject } from '../../domain/access.ts';
import { addCustomDomain, changeDomain, projectDomain, projectDomains, removeDomain, TOKEN_PATH, TXT_PREFIX, verifyCustomDomain } from '../../domain/domains.ts';
import { requireUser } from '../auth.ts';
import { paginationQuery, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page, type UrlContext } from './serializers.ts';

const tags = ['domains'];
const domainParams = { type: 'object', properties: { project: { type: 'string', maxLength: 255 }, domain: { type: 'string', maxLength: 253 } }, required: ['project', 'domain'] } as const;
const flags = { canonical: { type: 'boolean' }, https: { type: 'boolean' } } as const;

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

  app.patch<{ Params: { project: string; domain: string }; Body: { canonical?: boolean; https?: boolean } }>(
    '/projects/:project/domains/:domain/',
    {
      schema: routeSchema(
        { summary: 'Make the domain canonical (one per project) or not, and record whether it is served over https.', tags },
        { params: domainParams, body: { type: 'object', additionalProperties: false, properties: flags } },
      ),
    },
    async (request) => {
      const p = await project(request);
      return serializeDomain(await changeDomain(ctx, p, request.params.domain, request.body), p, ctx);
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

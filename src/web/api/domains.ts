// /api/v3/projects/<slug>/domains/: custom domains. Adding one answers its verification token;
// `POST …/domains/<domain>/verify/` checks http://<domain>/.well-known/bindery-verification.txt
// or the TXT record _bindery.<domain>, and the docs server serves the domain once verified.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { addDomain, deleteDomain, findDomain, listDomains, markDomainVerified } from '../../db/domains.ts';
import type { Db } from '../../db/database.ts';
import type { Domain, Project, User } from '../../db/schema.ts';
import { servingChanged } from '../../core/changes.ts';
import { normalizeDomain, TOKEN_PATH, TXT_PREFIX, verifyDomain, type DomainVerificationOptions } from '../../projects/domain-verification.ts';
import { requireUser } from '../auth.ts';
import { HttpError, fieldError, notFound } from '../errors.ts';
import { guarded, paginationQuery, projectFor, slugParams, type ApiContext, type PageQuery } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api, page, type UrlContext } from './serializers.ts';

const tags = ['domains'];
const domainParams = { type: 'object', properties: { project: { type: 'string', maxLength: 255 }, domain: { type: 'string', maxLength: 253 } }, required: ['project', 'domain'] } as const;

function serializeDomain(d: Domain, p: Project, ctx: UrlContext) {
  return {
    pk: d.id,
    domain: d.domain,
    canonical: d.canonical,
    verified: d.verifiedAt !== null,
    verified_at: d.verifiedAt?.toISOString() ?? null,
    // Not a secret: it is what the owner publishes to prove the domain is theirs.
    verification_token: d.verificationToken,
    verification: { http: `http://${d.domain}${TOKEN_PATH}`, dns_txt: `${TXT_PREFIX}.${d.domain}` },
    created: d.createdAt.toISOString(),
    project: p.slug,
    _links: { _self: api(ctx, `projects/${p.slug}/domains/${d.domain}/`), project: api(ctx, `projects/${p.slug}/`) },
  };
}

/** The domain a project may add, normalised; 400 naming `domain` for a bad name or one of this server's own. */
export function checkNewDomain(ctx: UrlContext, input: string): string {
  const domain = normalizeDomain(input);
  if (!domain) throw fieldError('domain', 'expected a host name such as docs.example.com (no scheme, port, path or IP address)');
  // The docs and preview domains and everything under them are Bindery's own, and so is the dashboard's host.
  const own = (parent: string) => domain === parent || domain.endsWith(`.${parent}`);
  if (own(ctx.docsDomain) || own(ctx.previewDomain) || domain === new URL(ctx.publicUrl).hostname.toLowerCase()) {
    throw fieldError('domain', `${domain} belongs to this Bindery server`);
  }
  return domain;
}

/** Adds a custom domain with a fresh verification token; 400 for a bad name, 409 when it is taken. */
export async function addCustomDomain(db: Db, ctx: UrlContext, projectId: number, input: string, canonical: boolean): Promise<Domain> {
  const domain = checkNewDomain(ctx, input);
  const token = `bindery-verify-${randomBytes(24).toString('base64url')}`;
  return guarded(() => addDomain(db, projectId, domain, token, canonical));
}

/** Checks the proofs of an unverified domain now and marks it verified; 400 with both reasons when neither holds. */
export async function verifyCustomDomain(db: Db, row: Domain, opts?: DomainVerificationOptions): Promise<{ row: Domain; method: 'http' | 'dns' | null }> {
  if (row.verifiedAt) return { row, method: null };
  const result = await verifyDomain(row.domain, row.verificationToken, opts);
  if (!result.verified) throw new HttpError(400, `${row.domain} could not be verified.`, { domain: result.reasons });
  const verified = await markDomainVerified(db, row.id);
  if (!verified) throw notFound('Domain not found.');
  return { row: verified, method: result.method };
}

export function domainRoutes(app: FastifyInstance, ctx: ApiContext): void {

  const domainOf = async (request: { params: { project: string; domain: string } }, user: User) => {
    const project = await projectFor(ctx, user, request.params.project);
    const name = normalizeDomain(request.params.domain);
    const row = name ? await findDomain(ctx.db, project.id, name) : null;
    if (!row) throw notFound('Domain not found.');
    return { project, row };
  };

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/domains/',
    { schema: routeSchema({ summary: "A project's custom domains.", tags }, { params: slugParams, querystring: paginationQuery }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const { limit, offset } = request.query;
      const { count, rows } = await listDomains(ctx.db, project.id, limit, offset);
      return page(ctx, `projects/${project.slug}/domains/`, count, limit, offset, rows.map((d) => serializeDomain(d, project, ctx)));
    },
  );

  app.post<{ Params: { project: string }; Body: { domain: string; canonical?: boolean } }>(
    '/projects/:project/domains/',
    {
      schema: routeSchema(
        { summary: 'Add a custom domain; publish the answered verification_token, then verify.', tags },
        { params: slugParams, body: { type: 'object', required: ['domain'], additionalProperties: false, properties: { domain: { type: 'string', minLength: 1, maxLength: 253 }, canonical: { type: 'boolean' } } } },
      ),
    },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const project = await projectFor(ctx, user, request.params.project);
      const row = await addCustomDomain(ctx.db, ctx, project.id, request.body.domain, request.body.canonical ?? false);
      reply.code(201).header('location', api(ctx, `projects/${project.slug}/domains/${row.domain}/`));
      return serializeDomain(row, project, ctx);
    },
  );

  app.get<{ Params: { project: string; domain: string } }>(
    '/projects/:project/domains/:domain/',
    { schema: routeSchema({ summary: 'A custom domain.', tags }, { params: domainParams }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const { project, row } = await domainOf(request, user);
      return serializeDomain(row, project, ctx);
    },
  );

  app.post<{ Params: { project: string; domain: string } }>(
    '/projects/:project/domains/:domain/verify/',
    { schema: routeSchema({ summary: 'Check the HTTP token file or the DNS TXT record now; 400 with the reasons when neither holds.', tags, status: 200 }, { params: domainParams }) },
    async (request) => {
      const user = await requireUser(ctx.db, request);
      const { project, row } = await domainOf(request, user);
      if (row.verifiedAt) return serializeDomain(row, project, ctx);
      const verified = await verifyCustomDomain(ctx.db, row, ctx.domainVerification);
      servingChanged();
      return { ...serializeDomain(verified.row, project, ctx), verified_by: verified.method };
    },
  );

  app.delete<{ Params: { project: string; domain: string } }>(
    '/projects/:project/domains/:domain/',
    { schema: routeSchema({ summary: 'Remove a custom domain; it stops being served at once.', tags }, { params: domainParams }) },
    async (request, reply) => {
      const user = await requireUser(ctx.db, request);
      const { project, row } = await domainOf(request, user);
      await deleteDomain(ctx.db, project.id, row.domain);
      servingChanged();
      reply.code(204);
    },
  );
}

// The webhook receivers, at Read the Docs' paths: /api/v2/webhook/<project>/<id>/ (the
// integration says which provider) and /api/v2/webhook/<provider>/<project>/[<id>/].
// Bodies stay raw bytes here because signatures cover the exact bytes sent.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { findProjectBySlug } from '../../db/projects.ts';
import { PROVIDERS, findIntegration, forgetDelivery, listIntegrations, recordDelivery, type Provider as ProviderName } from '../../db/integrations.ts';
import type { Integration, Project } from '../../db/schema.ts';
import type { BuildQueue } from '../../queue/build-queue.ts';
import { SyncFailed, applyWebhookEvent } from '../../projects/webhook-actions.ts';
import { HttpError, notFound } from '../errors.ts';
import type { HostResolver } from '../../projects/host-resolution.ts';
import type { Logger } from '../../log.ts';
import { bitbucket } from './bitbucket.ts';
import { generic } from './generic.ts';
import { github } from './github.ts';
import { gitlab } from './gitlab.ts';
import type { Provider, RawDelivery, Verdict } from './provider.ts';

export interface WebhookRouteOptions {
  db: Db;
  queue: BuildQueue;
  allowLocalRepositories: boolean;
  /** How repository hosts are resolved for the inside-address check (tests); default the system's. */
  resolveHost?: HostResolver;
  log?: Logger;
  /** For the preview URLs of pull request answers. */
  publicUrl: string;
  previewDomain: string;
}

const MODULES: Record<ProviderName, Provider> = { github, gitlab, bitbucket, generic };
/** GitHub caps payloads at 25 MB; pushes of many commits exceed the API's 1 MB. */
const BODY_LIMIT = 25 * 1024 * 1024;

const idSchema = { type: 'integer', minimum: 1, maximum: 2147483647 } as const;
const slugSchema = { type: 'string', maxLength: 255 } as const;

export function webhookRoutes(app: FastifyInstance, opts: WebhookRouteOptions): void {
  // An encapsulated scope: its parser hands every body over as bytes, without changing
  // how the rest of the web tier parses JSON.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));

    scope.post<{ Params: { project: string; id: number } }>(
      '/api/v2/webhook/:project/:id/',
      { schema: { params: { type: 'object', properties: { project: slugSchema, id: idSchema }, required: ['project', 'id'] } } },
      async (request) => receive(opts, request, request.params.project, request.params.id, null),
    );
    for (const provider of PROVIDERS) {
      scope.post<{ Params: { project: string } }>(
        `/api/v2/webhook/${provider}/:project/`,
        { schema: { params: { type: 'object', properties: { project: slugSchema }, required: ['project'] } } },
        async (request) => receive(opts, request, request.params.project, null, provider),
      );
      scope.post<{ Params: { project: string; id: number } }>(
        `/api/v2/webhook/${provider}/:project/:id/`,
        { schema: { params: { type: 'object', properties: { project: slugSchema, id: idSchema }, required: ['project', 'id'] } } },
        async (request) => receive(opts, request, request.params.project, request.params.id, provider),
      );
    }
  });
}

async function candidates(db: Db, project: Project, id: number | null, provider: ProviderName | null): Promise<Integration[]> {
  if (id === null) return listIntegrations(db, project.id, provider ?? undefined);
  const integration = await findIntegration(db, project.id, id);
  return integration && (!provider || integration.provider === provider) ? [integration] : [];
}

async function receive(opts: WebhookRouteOptions, request: FastifyRequest, slug: string, id: number | null, provider: ProviderName | null) {
  const project = await findProjectBySlug(opts.db, slug);
  if (!project) throw notFound('Project not found.');
  const integrations = await candidates(opts.db, project, id, provider);
  if (integrations.length === 0) throw notFound('This project has no such integration.');
  const delivery: RawDelivery = { headers: request.headers, body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0) };

  // A project may have several integrations of one provider: the one whose secret signed it is the sender.
  let integration: Integration | null = null;
  let verdict: Verdict = 'missing';
  for (const candidate of integrations) {
    if (!candidate.secret) continue;
    const v = MODULES[candidate.provider as ProviderName].verify(delivery, candidate.secret);
    if (v === 'ok') {
      integration = candidate;
      break;
    }
    if (v === 'wrong') verdict = 'wrong';
  }
  if (!integration) {
    if (integrations.every((i) => !i.secret)) throw new HttpError(403, 'This integration has no secret configured: webhooks to it are refused.');
    throw verdict === 'missing'
      ? new HttpError(401, 'The webhook carries no signature or token.')
      : new HttpError(403, 'The webhook signature or token does not match the integration secret.');
  }

  const module = MODULES[integration.provider as ProviderName];
  const event = module.parse(delivery);
  const deliveryId = module.deliveryId(delivery);
  if (deliveryId !== null && (deliveryId.length === 0 || deliveryId.length > 255)) throw new HttpError(400, 'The delivery id header is not a valid id.');
  // The provider's delivery id catches its redeliveries; the body's digest catches a
  // captured delivery replayed under a fresh id (headers are not signed, the body is).
  const keys = [
    ...(deliveryId ? [deliveryId] : []),
    ...(module.repeatsAllowed ? [] : [`body-sha256:${createHash('sha256').update(delivery.body).digest('hex')}`]),
  ];
  // The event name may come from the body (GitLab's object_kind): PostgreSQL refuses NUL in text.
  const eventName = event.event.replace(/\u0000/g, '').slice(0, 100);
  if (!(await recordDelivery(opts.db, integration.id, keys, eventName))) {
    request.log.info({ project: slug, integration: integration.id, deliveryId }, 'webhook replay ignored');
    return { build_triggered: false, project: slug, versions: [], detail: 'replay ignored' };
  }
  try {
    const result = await applyWebhookEvent(opts, project, event);
    request.log.info({ project: slug, integration: integration.id, event: event.event, built: result.versions }, 'webhook handled');
    return result;
  } catch (err) {
    // Not handled: let the provider's retry of this delivery through.
    await forgetDelivery(opts.db, integration.id, keys);
    if (err instanceof SyncFailed) throw new HttpError(502, `Could not sync versions: ${err.message}`);
    throw err;
  }
}

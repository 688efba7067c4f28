// The webhook receivers, at Read the Docs' paths: /api/v2/webhook/<project>/<id>/ (the
// integration says which provider) and /api/v2/webhook/<provider>/<project>/ (plus
// Bindery's /api/v2/webhook/<provider>/<project>/<id>/), answering with Read the Docs'
// status codes and bodies. Bodies stay raw bytes here because signatures cover the exact
// bytes sent. Every delivery is handled: providers resend on purpose (GitLab's "Test"
// button sends the same body twice and expects two answers), as Read the Docs handles them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { findProjectBySlug } from '../../db/projects.ts';
import { PROVIDERS, findIntegration, listIntegrations, type Provider as ProviderName } from '../../db/integrations.ts';
import type { Integration, Project } from '../../db/schema.ts';
import { applyWebhookEvent, type WebhookDeps } from '../../domain/webhook-actions.ts';
import { HttpError } from '../errors.ts';
import { bitbucket } from './bitbucket.ts';
import { generic } from './generic.ts';
import { github } from './github.ts';
import { gitlab } from './gitlab.ts';
import type { Provider, RawDelivery, Verdict } from './provider.ts';

/** What the receivers need: exactly what the webhook actions act with. */
export type WebhookRouteOptions = WebhookDeps;

const MODULES: Record<ProviderName, Provider> = { github, gitlab, bitbucket, generic };
/** GitHub caps payloads at 25 MB; pushes of many commits exceed the API's 1 MB. */
const BODY_LIMIT = 25 * 1024 * 1024;

const idSchema = { type: 'integer', minimum: 1, maximum: 2147483647 } as const;
const slugSchema = { type: 'string', maxLength: 255 } as const;

export function webhookRoutes(app: FastifyInstance, opts: WebhookRouteOptions): void {
  // The version syncs webhooks ask for run in the web app's worker, after the answer.
  const deps = opts;
  // An encapsulated scope: its parser hands every body over as bytes, without changing
  // how the rest of the web tier parses JSON.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body));

    scope.post<{ Params: { project: string; id: number } }>(
      '/api/v2/webhook/:project/:id/',
      { schema: { params: { type: 'object', properties: { project: slugSchema, id: idSchema }, required: ['project', 'id'] } } },
      async (request) => receive(deps, request, request.params.project, request.params.id, null),
    );
    for (const provider of PROVIDERS) {
      scope.post<{ Params: { project: string } }>(
        `/api/v2/webhook/${provider}/:project/`,
        { schema: { params: { type: 'object', properties: { project: slugSchema }, required: ['project'] } } },
        async (request) => receive(deps, request, request.params.project, null, provider),
      );
      scope.post<{ Params: { project: string; id: number } }>(
        `/api/v2/webhook/${provider}/:project/:id/`,
        { schema: { params: { type: 'object', properties: { project: slugSchema, id: idSchema }, required: ['project', 'id'] } } },
        async (request) => receive(deps, request, request.params.project, request.params.id, provider),
      );
    }
  });
}

async function candidates(db: Db, slug: string, id: number | null, provider: ProviderName | null): Promise<{ project: Project; integrations: Integration[] }> {
  const project = await findProjectBySlug(db, slug);
  if (id === null) {
    if (!project) throw new HttpError(404, 'Project not found');
    const found = await listIntegrations(db, project.id, provider ?? undefined);
    if (found.length === 0) throw new HttpError(404, NO_INTEGRATION);
    return { project, integrations: found };
  }
  // By id, Read the Docs looks the integration up under the project's slug: one answer for both misses.
  const integration = project ? await findIntegration(db, project.id, id) : null;
  if (!project || !integration || (provider && integration.provider !== provider)) throw new HttpError(404, NO_INTEGRATION);
  return { project, integrations: [integration] };
}

const NO_INTEGRATION = 'No Integration matches the given query.';
const NO_SECRET = "This webhook doesn't have a secret configured. For security reasons, webhooks without a secret are no longer permitted.";
/** Read the Docs' answer to a missing or wrong credential, per provider. */
const INVALID: Record<Exclude<ProviderName, 'generic'>, string> = {
  github: 'Payload not valid, invalid or missing signature',
  gitlab: 'Payload not valid, invalid or missing token',
  bitbucket: 'Payload not valid',
};

/**
 * Read the Docs' refusals: an integration without a secret → 400; a missing or wrong
 * signature/token → 400; for the generic webhook, no token → 403 and a wrong one → 404
 * (it authenticates the caller instead of validating a payload).
 */
function refusal(integrations: Integration[], verdict: Verdict): HttpError {
  const provider = integrations[0]!.provider as ProviderName;
  if (provider === 'generic') {
    return verdict === 'missing' ? new HttpError(403, 'Authentication credentials were not provided.') : new HttpError(404, 'Project not found');
  }
  if (integrations.every((i) => !i.secret)) return new HttpError(400, NO_SECRET);
  return new HttpError(400, INVALID[provider]);
}

async function receive(deps: WebhookDeps, request: FastifyRequest, slug: string, id: number | null, provider: ProviderName | null) {
  const { project, integrations } = await candidates(deps.db, slug, id, provider);
  const delivery: RawDelivery = { headers: request.headers, body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0) };

  // A project may have several integrations of one provider: the one whose secret signed it is the sender.
  let integration: Integration | null = null;
  let verdict: Verdict = 'missing';
  for (const candidate of integrations) {
    const v = MODULES[candidate.provider as ProviderName].verify(delivery, candidate.secret ?? '');
    if (v === 'ok' && candidate.secret) {
      integration = candidate;
      break;
    }
    if (v !== 'missing') verdict = 'wrong';
  }
  if (!integration) throw refusal(integrations, verdict);

  const module = MODULES[integration.provider as ProviderName];
  const event = module.parse(delivery);
  const answer = await applyWebhookEvent(deps, project, event);
  request.log.info({ project: slug, integration: integration.id, delivery: module.deliveryId(delivery), event: event.event, answer }, 'webhook handled');
  return answer;
}

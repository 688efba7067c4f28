// The dashboard: server-rendered pages, usable without JavaScript, behind sessions and
// CSRF checks. Registered into the web tier's Fastify app.
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { loadSession } from '../../db/sessions.ts';
import { isDatabaseUnavailable } from '../../db/change-feed.ts';
import { html } from '../html.ts';
import { fromDomainError, HttpError, jsonErrorHandler } from '../errors.ts';
import { DomainError } from '../../core/domain-error.ts';
import { badStringPath, UNSAFE_STRING_MESSAGE } from '../../core/unsafe-strings.ts';
import { LoginRequired, type DashboardContext } from './context.ts';
import { page } from './layout.ts';
import { LoginThrottle } from './throttle.ts';
import { accountPages } from './pages/accounts.ts';
import { dashboardCookies } from './cookies.ts';
import { projectPages } from './pages/projects.ts';
import { buildPages } from './pages/builds.ts';
import { versionPages } from './pages/versions.ts';
import { tokenPages } from './pages/tokens.ts';
import { settingsPages } from './pages/settings.ts';
import { redirectPages } from './pages/redirects.ts';
import { environmentVariablePages } from './pages/environment-variables.ts';
import { integrationPages } from './pages/integrations.ts';
import { domainPages } from './pages/domains.ts';
import { subprojectPages } from './pages/subprojects.ts';
import { translationPages } from './pages/translations.ts';
import { automationRulePages } from './pages/automation-rules.ts';
import { maintainerPages } from './pages/maintainers.ts';
import { invitationPages } from './pages/invitations.ts';
import { webhookPages } from './pages/webhooks.ts';
import { docsLoginPages } from './pages/docs-login.ts';

const STATIC: Record<string, { file: URL; type: string }> = {
  'dashboard.css': { file: new URL('../static/dashboard.css', import.meta.url), type: 'text/css; charset=utf-8' },
  'dashboard.js': { file: new URL('../static/dashboard.js', import.meta.url), type: 'text/javascript; charset=utf-8' },
};

/** True for requests the dashboard answers in HTML (everything but the APIs and internal paths). */
export function isPageRequest(request: FastifyRequest): boolean {
  return !/^\/(api|_)\//.test(request.url);
}

/**
 * Registers the dashboard into `app`, meant to be an encapsulated context of its own: cookies,
 * form bodies, sessions and its error pages stay inside it (API v3 never reads a cookie). Its
 * not-found handler answers every path no other context claims: a page, or JSON under /api/ and /_/.
 */
export async function registerDashboard(app: FastifyInstance, ctx: DashboardContext): Promise<void> {
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  app.decorateRequest('session', null);
  app.setErrorHandler((error, request, reply) => (isPageRequest(request) ? dashboardError(error as Error, request, reply, ctx) : jsonErrorHandler(error as HttpError, request, reply)));
  app.setNotFoundHandler((request, reply) => {
    if (isPageRequest(request)) return page(request, reply, ctx, { title: 'Not found', status: 404, body: html`<h1>Not found</h1><p>There is no page here.</p><p><a href="/">Home</a></p>` });
    return reply.code(404).send({ detail: 'Not found.' });
  });
  // Only the cookie of this scheme's name counts: on https a plain `bindery_session` tossed
  // in by a sibling host is never read.
  const sessionCookie = dashboardCookies(ctx.publicUrl).session;
  app.addHook('onRequest', async (request) => {
    const id = request.cookies[sessionCookie];
    if (!id || id.length > 100) return;
    const session = await loadSession(ctx.db, id);
    if (session) request.session = { id, user: session.user, csrfToken: session.csrfToken };
  });

  // A NUL (PostgreSQL cannot store it) or a lone surrogate anywhere in a page's path, query or
  // form is refused here, for every page at once, with a message naming the field: never a 500.
  app.addHook('preValidation', async (request) => {
    if (!isPageRequest(request)) return;
    for (const [part, value] of [['path', request.params], ['query', request.query], ['form', request.body]] as const) {
      const bad = badStringPath(value, '');
      if (bad !== null) throw new HttpError(400, `${bad || part}: ${UNSAFE_STRING_MESSAGE}`);
    }
  });

  const assets = new Map(Object.entries(STATIC).map(([name, s]) => [name, { body: fs.readFileSync(s.file), type: s.type }]));
  app.get<{ Params: { name: string } }>('/_/static/:name', (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.code(404).send({ detail: 'Not found.' });
    return reply.type(asset.type).header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff').send(asset.body);
  });

  const throttle = new LoginThrottle();
  accountPages(app, ctx, throttle);
  projectPages(app, ctx);
  buildPages(app, ctx);
  versionPages(app, ctx);
  tokenPages(app, ctx);
  settingsPages(app, ctx);
  redirectPages(app, ctx);
  environmentVariablePages(app, ctx);
  integrationPages(app, ctx);
  domainPages(app, ctx);
  subprojectPages(app, ctx);
  translationPages(app, ctx);
  automationRulePages(app, ctx);
  maintainerPages(app, ctx);
  invitationPages(app, ctx);
  webhookPages(app, ctx);
  docsLoginPages(app, ctx);
}

/** Errors on dashboard pages become pages: the login form, or a message with the right status. */
export function dashboardError(error: Error, request: FastifyRequest, reply: FastifyReply, ctx: DashboardContext): FastifyReply {
  if (error instanceof LoginRequired) {
    return reply.code(303).header('location', `/accounts/login/?next=${encodeURIComponent(request.url)}`).send();
  }
  if (isDatabaseUnavailable(error)) {
    // Every node says the same while the database is away: tell the reader to come back soon.
    reply.header('retry-after', '5');
    return page(request, reply, ctx, { title: 'Back soon', status: 503, body: html`<h1>Back in a moment</h1><p>The database is not answering. Try again in a few seconds.</p>` });
  }
  // A domain rule's refusal that reached here (a thing not found, not allowed) answers with its kind's status.
  if (error instanceof DomainError) error = fromDomainError(error);
  const code = error instanceof HttpError ? error.statusCode : Number((error as unknown as { statusCode?: number }).statusCode);
  const status = code >= 400 && code < 500 ? code : 500;
  if (status === 500) request.log.error({ err: error }, 'page failed');
  const message = status === 500 ? 'Something went wrong on our side. Try again in a moment.' : error.message;
  return page(request, reply, ctx, { title: status === 404 ? 'Not found' : 'Error', status, body: html`<h1>${status === 404 ? 'Not found' : 'Sorry'}</h1><p>${message}</p><p><a href="/">Home</a></p>` });
}

// `/_/docs-login/?next=<docs URL>`: the "Log in to read" link of a private docs page lands here.
// A signed-in user is sent on to the docs host with a one-time token (domain/docs-login.ts); a
// signed-out one logs in first and comes back. The docs host never sees the dashboard's cookie.
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../../../core/domain-error.ts';
import { startDocsLogin } from '../../../domain/docs-login.ts';
import { html } from '../../html.ts';
import { redirect, type DashboardContext } from '../context.ts';
import { page } from '../layout.ts';

export function docsLoginPages(app: FastifyInstance, ctx: DashboardContext): void {
  app.get<{ Querystring: { next?: string } }>('/_/docs-login/', async (request, reply) => {
    const next = request.query.next;
    // The token travels in the Location only: no cache or Referer may keep it.
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    if (!request.session) {
      const back = `/_/docs-login/?next=${encodeURIComponent(typeof next === 'string' ? next : '')}`;
      return redirect(reply, `/accounts/login/?next=${encodeURIComponent(back)}`);
    }
    try {
      return redirect(reply, await startDocsLogin(ctx, ctx, request.session.user, next), 302);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return page(request, reply, ctx, { title: 'Cannot sign in there', status: 400, body: html`<h1>Cannot sign in there</h1><p>${err.message}</p><p><a href="/dashboard/">Your projects</a></p>` });
    }
  });
}

// The page frame every dashboard page shares: header, navigation, main content. Scripts
// and styles are same-origin files, so the CSP needs no 'unsafe-inline'.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type Html } from '../html.ts';
import { csrfToken } from './csrf.ts';
import type { DashboardContext } from './context.ts';

export const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export interface PageOptions {
  title: string;
  body: Html;
  status?: number;
  /** A one-line message shown above the content (after a redirect). */
  notice?: string | null;
}

/** A hidden CSRF field for a form on this page. */
export function csrfField(request: FastifyRequest, reply: FastifyReply, ctx: DashboardContext): Html {
  return html`<input type="hidden" name="csrf" value="${csrfToken(request, reply, ctx.publicUrl)}">`;
}

export function page(request: FastifyRequest, reply: FastifyReply, ctx: DashboardContext, opts: PageOptions): FastifyReply {
  const user = request.session?.user ?? null;
  const nav = user
    ? html`<a href="/dashboard/">Projects</a><a href="/dashboard/import/">Import a project</a><a href="/accounts/tokens/">API tokens</a>
        <form class="inline" method="post" action="/accounts/logout/">${csrfField(request, reply, ctx)}<button class="link" type="submit">Log out ${user.username}</button></form>`
    : html`<a href="/accounts/login/">Log in</a><a href="/accounts/signup/">Sign up</a>`;
  const notice = opts.notice ?? (typeof (request.query as Record<string, unknown>)?.notice === 'string' ? String((request.query as Record<string, string>).notice).slice(0, 200) : null);
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · Bindery</title>
<link rel="stylesheet" href="/_/static/dashboard.css">
<script src="/_/static/dashboard.js" defer></script>
</head>
<body>
<header class="top"><a class="brand" href="/">Bindery</a><nav aria-label="Main">${nav}</nav></header>
<main id="main">
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${opts.body}
</main>
<footer class="bottom"><a href="/api/v3/openapi.json">API</a> · <a href="/_/health_check/">Health</a></footer>
</body>
</html>
`;
  return reply
    .code(opts.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-store')
    .send(doc.value);
}

/** Human time: "3 minutes ago". */
export function ago(date: Date | null): string {
  if (!date) return '—';
  const s = Math.round((Date.now() - date.getTime()) / 1000);
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return date.toISOString().slice(0, 10);
}

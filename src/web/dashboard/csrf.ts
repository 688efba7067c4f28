// CSRF protection for every state-changing form. Signed in, the token is the session's;
// before that (sign-up, log-in) it is a double-submit cookie. The session cookie is also
// SameSite=Lax, and a cross-site Origin header is refused outright. On https the cookie is
// `__Host-` prefixed (cookies.ts), so a sibling host cannot plant a token of its choosing.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../errors.ts';
import { dashboardCookies } from './cookies.ts';

/** The token to embed in this page's forms. */
export function csrfToken(request: FastifyRequest, reply: FastifyReply, publicUrl: string): string {
  if (request.session) return request.session.csrfToken;
  const cookies = dashboardCookies(publicUrl);
  let token = request.cookies[cookies.csrf];
  if (!token || !/^[A-Za-z0-9_-]{32}$/.test(token)) {
    token = randomBytes(24).toString('base64url');
    reply.setCookie(cookies.csrf, token, cookies.options);
  }
  return token;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Throws 403 unless the form carries the right token and comes from this site. */
export function checkCsrf(request: FastifyRequest, publicUrl: string): void {
  const origin = request.headers.origin;
  if (origin && origin !== 'null' && origin !== new URL(publicUrl).origin && origin !== `${request.protocol}://${request.host}`) {
    throw new HttpError(403, 'Cross-site form submissions are not accepted.');
  }
  const body = (request.body ?? {}) as Record<string, unknown>;
  const given = typeof body.csrf === 'string' ? body.csrf : '';
  const expected = request.session?.csrfToken ?? request.cookies[dashboardCookies(publicUrl).csrf] ?? '';
  if (!given || !expected || !same(given, expected)) {
    throw new HttpError(403, 'The form expired or did not come from this site. Go back, reload the page and try again.');
  }
}

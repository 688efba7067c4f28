// API authentication: `Authorization: Token <token>` (Read the Docs' scheme; `Bearer` is
// accepted too). A request's token is looked up once, whoever asks first (the rate limiter
// or a route), and the answer is kept with the request.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import type { User } from '../db/schema.ts';
import { authenticateToken, type ApiToken } from '../db/api-tokens.ts';
import { HttpError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
  }
}

export interface Authenticated {
  user: User;
  token: ApiToken;
}

// Kept beside the request rather than on `request.user`, which other parts (the dashboard's
// session) may set: an API route must never accept a cookie in place of a token.
const resolved = new WeakMap<FastifyRequest, Authenticated | null>();

/** The token in the Authorization header, or null when there is none (or it is malformed). */
export function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const m = header ? /^(?:Token|Bearer)\s+(\S{1,200})$/i.exec(header) : null;
  return m ? m[1]! : null;
}

/** The request's user and token, or null without a valid token; looked up once per request. */
export async function authenticate(db: Db, request: FastifyRequest): Promise<Authenticated | null> {
  if (resolved.has(request)) return resolved.get(request)!;
  const token = presentedToken(request);
  const auth = token ? await authenticateToken(db, token) : null;
  resolved.set(request, auth);
  return auth;
}

const unauthorized = (detail: string) => new HttpError(401, detail, undefined, { 'www-authenticate': 'Token' });

/** Resolves the request's user and token; throws 401 without a valid one (DRF's TokenAuthentication words). */
export async function requireAuth(db: Db, request: FastifyRequest): Promise<Authenticated> {
  if (!presentedToken(request)) {
    // `Authorization: Token` with nothing after it is a malformed header, not an anonymous request.
    if (/^Token\s*$/i.test(request.headers.authorization ?? '')) throw unauthorized('Invalid token header. No credentials provided.');
    throw unauthorized('Authentication credentials were not provided.');
  }
  const auth = await authenticate(db, request);
  if (!auth) throw unauthorized('Invalid token.');
  request.user = auth.user;
  return auth;
}

/**
 * The request's user, or null for an anonymous reader (no token): for routes Read the Docs
 * serves to anyone. A token that is presented but invalid is still a 401, as in DRF.
 */
export async function optionalUser(db: Db, request: FastifyRequest): Promise<User | null> {
  return carriesCredentials(request) ? (await requireAuth(db, request)).user : null;
}

/** Whether the request presents a token (even a malformed `Token` header): then it must authenticate. */
export function carriesCredentials(request: FastifyRequest): boolean {
  return presentedToken(request) !== null || /^Token\s*$/i.test(request.headers.authorization ?? '');
}

/** Resolves the request's user from its token; throws 401 without a valid one. */
export async function requireUser(db: Db, request: FastifyRequest): Promise<User> {
  return (await requireAuth(db, request)).user;
}

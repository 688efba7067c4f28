// API authentication: `Authorization: Token <token>` (Read the Docs' scheme; `Bearer` is
// accepted too). The user is attached to the request for the route handlers.
import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import type { User } from '../db/schema.ts';
import { userForToken } from '../db/users.ts';
import { HttpError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
  }
}

/** Resolves the request's user from its token; throws 401 without a valid one. */
export async function requireUser(db: Db, request: FastifyRequest): Promise<User> {
  const header = request.headers.authorization;
  const m = header ? /^(?:Token|Bearer)\s+(\S+)$/i.exec(header) : null;
  const unauthorized = (detail: string) => new HttpError(401, detail, undefined, { 'www-authenticate': 'Token' });
  if (!m) throw unauthorized('Authentication credentials were not provided.');
  const user = await userForToken(db, m[1]!);
  if (!user) throw unauthorized('Invalid token.');
  request.user = user;
  return user;
}

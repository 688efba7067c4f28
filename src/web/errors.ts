// JSON errors for the API: `{ detail, errors? }`, where `errors` maps a field to its problems
// (Read the Docs' v3 answers `detail` too). Validation failures from route schemas name the field;
// a database that cannot be reached is a 503 with Retry-After, so clients and builders retry.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/change-feed.ts';

/** Seconds a client is told to wait when the database is unreachable (a restart or a failover takes about this long). */
export const RETRY_AFTER_SECONDS = 5;

export class HttpError extends Error {
  readonly statusCode: number;
  readonly errors?: Record<string, string[]>;
  readonly headers?: Record<string, string>;
  constructor(statusCode: number, detail: string, errors?: Record<string, string[]>, headers?: Record<string, string>) {
    super(detail);
    this.statusCode = statusCode;
    this.errors = errors;
    this.headers = headers;
  }
}

export const notFound = (what = 'Not found.') => new HttpError(404, what);

export function fieldError(field: string, message: string): HttpError {
  return new HttpError(400, `${field}: ${message}`, { [field]: [message] });
}

/** Fastify error handler for JSON routes. */
export function jsonErrorHandler(error: FastifyError | HttpError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof HttpError) {
    if (error.headers) reply.headers(error.headers);
    reply.code(error.statusCode).send({ detail: error.message, ...(error.errors ? { errors: error.errors } : {}) });
    return;
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    const errors: Record<string, string[]> = {};
    for (const v of fe.validation) {
      const missing = (v.params as { missingProperty?: string }).missingProperty;
      const extra = (v.params as { additionalProperty?: string }).additionalProperty;
      const base = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const field = [base, missing ?? extra].filter(Boolean).join('.') || fe.validationContext || 'body';
      (errors[field] ??= []).push(missing ? 'This field is required.' : extra ? 'Unknown field.' : v.message ?? 'Invalid value.');
    }
    const first = Object.entries(errors)[0]!;
    reply.code(400).send({ detail: `${first[0]}: ${first[1][0]}`, errors });
    return;
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send({ detail: 'The database is unavailable; try again in a few seconds.' });
    return;
  }
  const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  if (status === 500) request.log.error({ err: error }, 'request failed');
  reply.code(status).send({ detail: status === 500 ? 'Internal server error.' : fe.message });
}

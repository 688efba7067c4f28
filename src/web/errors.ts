// JSON errors in Read the Docs' (Django REST framework's) shapes: a refused input is
// `{"<field>": ["<message>", …]}` (a nested field nests: `{"repository": {"url": […]}}`),
// anything else `{"detail": "<message>"}`. Validation failures from route schemas name the
// field; a domain rule's refusal (DomainError) gets the status of its kind; a database that
// cannot be reached is a 503 with Retry-After, so clients and builders retry.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../db/change-feed.ts';
import { DomainError, type DomainErrorKind } from '../core/domain-error.ts';

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

const STATUS_OF: Record<DomainErrorKind, number> = { invalid: 400, conflict: 409, not_found: 404, forbidden: 403 };

/** A domain rule's refusal as the API answers it: the field's message for bad input or a clash, `detail` otherwise. */
export function fromDomainError(err: DomainError): HttpError {
  const status = STATUS_OF[err.kind];
  return status === 400 || status === 409 ? new HttpError(status, `${err.field}: ${err.message}`, { [err.field]: [err.message] }) : new HttpError(status, err.message);
}

/** `{"a.b": [m]}` → `{"a": {"b": [m]}}`, as Django REST framework reports a nested serializer's field. */
export function nestedErrors(errors: Record<string, string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, messages] of Object.entries(errors)) {
    const parts = field.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      node = (next && typeof next === 'object' && !Array.isArray(next) ? next : (node[part] = {})) as Record<string, unknown>;
    }
    const leaf = parts.at(-1)!;
    node[leaf] = [...((Array.isArray(node[leaf]) ? node[leaf] : []) as string[]), ...messages];
  }
  return out;
}

/** Fastify error handler for JSON routes. */
export function jsonErrorHandler(error: FastifyError | HttpError | DomainError, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof DomainError) error = fromDomainError(error);
  // DRF's permission_denied: a refusal to an anonymous API request asks for credentials (401),
  // it does not forbid (403). The API plugin sets request.user for every request with a token.
  if (error instanceof HttpError && error.statusCode === 403 && request.url.startsWith('/api/v3/') && !request.user) {
    error = new HttpError(401, 'Authentication credentials were not provided.', undefined, { 'www-authenticate': 'Token' });
  }
  if (error instanceof HttpError) {
    if (error.headers) reply.headers(error.headers);
    // API v3 words every 404 as DRF does: what was not found is in the URL, not in the answer.
    const detail = error.statusCode === 404 && request.url.startsWith('/api/v3/') ? 'Not found.' : error.message;
    reply.code(error.statusCode).send(error.errors ? nestedErrors(error.errors) : { detail });
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
    reply.code(400).send(nestedErrors(errors));
    return;
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send({ detail: 'The database is unavailable; try again in a few seconds.' });
    return;
  }
  const status = fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  if (status === 500) request.log.error({ err: error }, 'request failed');
  reply.code(status).send({ detail: status === 500 ? 'Internal server error.' : drfWording(fe, request) ?? fe.message });
}

/** Fastify's own refusals (body parsing) in DRF's words. */
function drfWording(fe: FastifyError, request: FastifyRequest): string | undefined {
  if (fe instanceof SyntaxError) return `JSON parse error - ${fe.message}`;
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `Unsupported media type "${String(request.headers['content-type'] ?? '')}" in request.`;
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return `JSON parse error - ${fe.message}`;
    default:
      return undefined;
  }
}

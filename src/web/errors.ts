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
    const input = (request as unknown as Record<string, unknown>)[fe.validationContext ?? 'body'];
    for (const v of fe.validation) {
      const missing = (v.params as { missingProperty?: string }).missingProperty;
      const extra = (v.params as { additionalProperty?: string }).additionalProperty;
      const base = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      // A body that is not an object at all: DRF's non-field error.
      if (!base && v.keyword === 'type' && fe.validationContext === 'body') {
        (errors.non_field_errors ??= []).push(`Invalid data. Expected a dictionary, but got ${pythonType(input)}.`);
        continue;
      }
      const field = [base, missing ?? extra].filter(Boolean).join('.') || fe.validationContext || 'body';
      const message = missing ? 'This field is required.' : extra ? 'Unknown field.' : drfMessage(v, valueAt(input, v.instancePath));
      (errors[field] ??= []).push(message);
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

type SchemaError = NonNullable<FastifyError['validation']>[number];

/** The value at a JSON pointer (`/repository/url`) of the validated input. */
function valueAt(input: unknown, pointer: string): unknown {
  let node = input;
  for (const part of pointer.split('/').slice(1)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return node;
}

/** A value's type as Python names it in DRF's messages. */
function pythonType(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return { string: 'str', boolean: 'bool', object: 'dict' }[typeof value as string] ?? typeof value;
}

/** A schema refusal in the words DRF's fields use for the same refusal (ajv's words otherwise). */
function drfMessage(v: SchemaError, value: unknown): string {
  const params = v.params as { type?: string | string[]; limit?: number; allowedValues?: unknown[] };
  switch (v.keyword) {
    case 'type': {
      if (value === null) return 'This field may not be null.';
      const want = [params.type ?? []].flat()[0];
      if (want === 'integer') return 'A valid integer is required.';
      if (want === 'number') return 'A valid number is required.';
      if (want === 'boolean') return 'Must be a valid boolean.';
      if (want === 'array') return `Expected a list of items but got type "${pythonType(value)}".`;
      if (want === 'object') return `Invalid data. Expected a dictionary, but got ${pythonType(value)}.`;
      return 'Not a valid string.';
    }
    case 'minLength':
      return params.limit === 1 ? 'This field may not be blank.' : `Ensure this field has at least ${params.limit} characters.`;
    case 'maxLength':
      return `Ensure this field has no more than ${params.limit} characters.`;
    case 'minimum':
      return `Ensure this value is greater than or equal to ${params.limit}.`;
    case 'maximum':
      return `Ensure this value is less than or equal to ${params.limit}.`;
    case 'enum':
      return `"${typeof value === 'string' ? value : JSON.stringify(value)}" is not a valid choice.`;
    case 'format':
      return (v.params as { format?: string }).format === 'uri' ? 'Enter a valid URL.' : (v.message ?? 'Invalid value.');
    default:
      return v.message ?? 'Invalid value.';
  }
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

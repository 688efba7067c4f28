// Request bodies of API v3, accepted in every form Read the Docs (Django REST framework:
// JSONParser, FormParser, MultiPartParser) accepts, and read into the one JSON shape the
// route schemas validate:
// - JSON; an empty body (with or without `Content-Type: application/json`) is `{}`, as DRF
//   reads a request without content;
// - `application/x-www-form-urlencoded` and `multipart/form-data` (fields only: API v3 takes
//   no files): read as DRF reads HTML input — `repository.url=…` is `{"repository": {"url": …}}`,
//   a repeated field is a list where the schema wants one and its last value otherwise, `""`
//   is null for a nullable field that must not be blank, and a boolean left out of a form is
//   false except in a PATCH (BooleanField.default_empty_html);
// - in every body, a boolean field takes the words DRF's BooleanField takes
//   (`true`/`True`/`yes`/`on`/`1`/…); ajv then checks the result against the route schema.
// These parsers are the API plugin's only: the dashboard registers its own.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';

const BODY_LIMIT = 1024 * 1024;

// DRF's BooleanField.TRUE_VALUES / FALSE_VALUES (the strings; numbers 1/0 too).
const TRUE_WORDS = new Set(['t', 'y', 'yes', 'true', 'on', '1']);
const FALSE_WORDS = new Set(['f', 'n', 'no', 'false', 'off', '0']);
// DRF lists each word in three spellings only (`yes`, `Yes`, `YES`): `yEs` is refused.
const spellings = (w: string) => [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()];
const TRUE_VALUES = new Set([...TRUE_WORDS].flatMap(spellings));
const FALSE_VALUES = new Set([...FALSE_WORDS].flatMap(spellings));

/** A value as DRF's BooleanField reads it; anything it does not know is returned as is (ajv refuses it). */
export function drfBoolean(value: unknown): unknown {
  if (typeof value === 'string') return TRUE_VALUES.has(value) ? true : FALSE_VALUES.has(value) ? false : value;
  if (value === 1 || value === 0) return value === 1;
  return value;
}

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; minLength?: number };

const types = (s: Schema | undefined): string[] => [s?.type ?? []].flat();
const isForm = (request: FastifyRequest) => /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(request.headers['content-type'] ?? '');

/** `{"a.b": 1, "c": 2}` → `{"a": {"b": 1}, "c": 2}` (DRF's html.parse_html_dict, one level at a time). */
function nestDotted(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const dot = key.indexOf('.');
    if (dot <= 0) {
      // A plain field wins over dotted ones of the same name only if no dotted one came first.
      if (!(key in out)) out[key] = value;
      continue;
    }
    const head = key.slice(0, dot);
    const node = out[head];
    const inner = node && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : (out[head] = {});
    (inner as Record<string, unknown>)[key.slice(dot + 1)] = value;
  }
  for (const [key, value] of Object.entries(out)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) out[key] = nestDotted(value as Record<string, unknown>);
  }
  return out;
}

/** A form's fields in the shape the route's body schema wants (see the top of this file). */
export function formToBody(fields: Record<string, unknown>, schema: Schema | undefined, partial: boolean): Record<string, unknown> {
  const body = nestDotted(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('utf8') : v])));
  return shapeForm(body, schema, partial);
}

function shapeForm(body: Record<string, unknown>, schema: Schema | undefined, partial: boolean): Record<string, unknown> {
  for (const [name, sub] of Object.entries(schema?.properties ?? {})) {
    const want = types(sub);
    let value = body[name];
    if (value === undefined) {
      if (want.includes('boolean') && !partial) body[name] = false;
      continue;
    }
    if (want.includes('array')) {
      body[name] = Array.isArray(value) ? value : [value];
      continue;
    }
    if (Array.isArray(value)) value = value.at(-1);
    if (want.includes('object') && value && typeof value === 'object') value = shapeForm(value as Record<string, unknown>, sub, partial);
    else if (value === '' && want.includes('null') && !(want.includes('string') && !sub.minLength)) value = null;
    body[name] = value;
  }
  return body;
}

/** Boolean fields of a (JSON or form) body read as DRF's BooleanField reads them. */
export function readBooleans(body: unknown, schema: Schema | undefined): void {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !schema?.properties) return;
  const b = body as Record<string, unknown>;
  for (const [name, sub] of Object.entries(schema.properties)) {
    if (!(name in b)) continue;
    const want = types(sub);
    if (want.includes('boolean')) b[name] = drfBoolean(b[name]);
    else if (want.includes('object')) readBooleans(b[name], sub);
    else if (want.includes('array') && Array.isArray(b[name]) && sub.items) for (const item of b[name] as unknown[]) readBooleans(item, sub.items);
  }
}

/** Adds the API's body parsers and the hook that reads every body into its route's shape. */
export async function registerBodyParsers(api: FastifyInstance): Promise<void> {
  const json = api.getDefaultJsonParser('error', 'error');
  // DRF parses no plain text: such a body is a 415, not a string the schema then refuses.
  api.removeContentTypeParser('text/plain');
  api.removeContentTypeParser('application/json');
  api.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    if (body === '') done(null, {});
    else json(request, body as string, done);
  });
  await api.register(formbody, { bodyLimit: BODY_LIMIT });
  // No files: API v3 has no upload; a file part is refused (413) rather than held in memory.
  await api.register(multipart, { attachFieldsToBody: 'keyValues', limits: { files: 0, fields: 1000, fieldSize: BODY_LIMIT, parts: 1000 } });
  // After multipart's own preValidation hook, which attaches the fields to request.body.
  api.addHook('preValidation', async (request) => {
    if (!['POST', 'PUT', 'PATCH'].includes(request.method)) return;
    const schema = request.routeOptions.schema?.body as Schema | undefined;
    // A request without a body is `{}`, as DRF reads it: its fields are then reported missing.
    if (request.body === undefined || request.body === null) request.body = {};
    if (isForm(request) && typeof request.body === 'object') request.body = formToBody(request.body as Record<string, unknown>, schema, request.method === 'PATCH');
    readBooleans(request.body, schema);
  });
}

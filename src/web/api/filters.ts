// Query strings of API v3 read as Read the Docs (Django REST framework + django-filter) reads
// them, for every route at once — route files declare their query schema and nothing else:
// - a property declared `{ type: 'boolean' }` is a django-filter BooleanFilter: `true`/`false`/
//   `1`/`0` in any case; any other value means the filter is not applied (never a 400);
// - `limit`/`offset` (paginationQuery in context.ts) follow DRF's LimitOffsetPagination with
//   Read the Docs' settings (PAGE_SIZE 10, no max_limit): a limit that is not a positive
//   integer (`0`, `-3`, `ten`) means the default, an offset that is not a non-negative integer
//   means 0. There is no maximum, as on Read the Docs;
// - a parameter given twice counts once, the last one (Django's QueryDict.get);
// - a parameter the schema does not declare is ignored (no route declares
//   additionalProperties: false on its query).
// - a page's `next`/`previous` are the request's own URL with `limit`/`offset` replaced
//   (DRF's replace_query_param: every other parameter kept, keys sorted), `previous` without
//   `offset` when it is the first page (`pageLinks`, applied to every page by the plugin).
// `normalizeQuery` runs in the API plugin's preValidation hook, before the schema validates.

/** Items in a page when the client names no (valid) limit: Read the Docs' PAGE_SIZE. */
export const DEFAULT_LIMIT = 10;
/**
 * Read the Docs sets no max_limit, so a script asking for `limit=5000` gets 5000 items here
 * too; the only bound is what a SQL LIMIT takes.
 */
export const MAX_LIMIT = 2_147_483_647;
const MAX_OFFSET = 2_147_483_647;

const BOOLEANS: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/** A query value as django-filter's BooleanWidget reads it: true, false, or undefined (filter not applied). */
export function parseDjangoBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  return typeof value === 'string' ? BOOLEANS[value.toLowerCase()] : undefined;
}

/** An integer as DRF's `_positive_int` reads one (Python's `int()`), or undefined. */
function integer(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value !== 'string' || !/^\s*[+-]?\d+\s*$/.test(value)) return undefined;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

/** DRF LimitOffsetPagination's limit: a positive integer (at most MAX_LIMIT); anything else → the default. */
export function parseLimit(value: unknown): number {
  const n = integer(value);
  return n === undefined || n <= 0 ? DEFAULT_LIMIT : Math.min(n, MAX_LIMIT);
}

/** DRF LimitOffsetPagination's offset: a non-negative integer; anything else → 0. */
export function parseOffset(value: unknown): number {
  const n = integer(value);
  return n === undefined || n < 0 ? 0 : Math.min(n, MAX_OFFSET);
}

type PropertySchema = { type?: unknown };

/** What a route's query schema asks of normalizeQuery; computed once per route (plugin.ts onRoute). */
export interface QueryShape {
  booleans: string[];
  /** Declared parameters that take one value (a repeated one keeps its last value). */
  scalars: string[];
  paginated: boolean;
}

/** Reads a route's querystring schema into the list normalizeQuery works from. */
export function queryShape(querystring: unknown): QueryShape | null {
  const properties = (querystring as { properties?: Record<string, PropertySchema> } | undefined)?.properties;
  if (!properties) return null;
  const entries = Object.entries(properties);
  return {
    booleans: entries.filter(([, s]) => s.type === 'boolean').map(([name]) => name),
    scalars: entries.filter(([, s]) => s.type !== 'array').map(([name]) => name),
    paginated: 'limit' in properties,
  };
}

/** Rewrites a parsed query in place as Read the Docs reads it (see the top of this file). */
export function normalizeQuery(query: Record<string, unknown>, shape: QueryShape): void {
  for (const name of shape.scalars) {
    const value = query[name];
    if (Array.isArray(value)) query[name] = value.at(-1);
  }
  for (const name of shape.booleans) {
    if (!(name in query)) continue;
    const value = parseDjangoBoolean(query[name]);
    if (value === undefined) delete query[name];
    else query[name] = value;
  }
  if (shape.paginated) {
    if ('limit' in query) query.limit = parseLimit(query.limit);
    if ('offset' in query) query.offset = parseOffset(query.offset);
  }
}

/** The request URL (path and query) with `key` set to `value`, or removed when value is null; keys sorted as Django's replace_query_param does. */
function withParam(url: URL, key: string, value: number | null): string {
  const params = [...url.searchParams].filter(([k]) => k !== key);
  if (value !== null) params.push([key, String(value)]);
  // A stable sort by key: repeated keys keep their order, as Python's sorted() on items does.
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  return `${url.origin}${url.pathname}${query ? `?${query}` : ''}`;
}

/** `next` and `previous` of a LimitOffsetPagination page, from the request's absolute URL. */
export function pageLinks(requestUrl: string, count: number, limit: number, offset: number): { next: string | null; previous: string | null } {
  const url = new URL(requestUrl);
  const withLimit = new URL(withParam(url, 'limit', limit));
  const next = offset + limit < count ? withParam(withLimit, 'offset', offset + limit) : null;
  const previous = offset <= 0 ? null : offset - limit <= 0 ? withParam(withLimit, 'offset', null) : withParam(withLimit, 'offset', offset - limit);
  return { next, previous };
}

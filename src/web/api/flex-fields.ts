// `?fields=`, `?omit=` and `?expand=` as drf-flex-fields reads them on Read the Docs'
// FlexFields serializers (ProjectSerializer and BuildSerializer; VersionSerializer is a plain
// one there). A route takes them when it answers a project or a build (or a page of them:
// response-schemas.ts answersFlexResource), or when its query schema declares
// `flexFieldsQuery`; the API plugin then applies fields/omit to its answer (the object, or each
// item of a page's `results`) in one preSerialization hook, and the OpenAPI document lists
// them. Expansions are the route's own work: it reads them with `requestedExpansions` and adds
// the expanded fields before returning.
// Like drf-flex-fields on a root serializer: only top-level names count (`fields=repository.url`
// keeps `repository` whole; `omit=repository.url` omits nothing), unknown names are ignored,
// and `fields` applies after expansion (an expanded field not listed in `fields` is dropped).
import type { FastifyRequest } from 'fastify';

/** Query properties of a route whose answer takes fields/omit/expand (spread into its querystring schema). */
export const flexFieldsQuery = {
  fields: { type: 'string', maxLength: 2000, description: 'Comma-separated fields to return (the others are left out).' },
  omit: { type: 'string', maxLength: 2000, description: 'Comma-separated fields to leave out.' },
  expand: { type: 'string', maxLength: 2000, description: 'Comma-separated related fields to include in full.' },
} as const;

const names = (value: unknown): string[] =>
  typeof value === 'string' ? value.split(',').map((n) => n.trim()).filter(Boolean) : [];

/** The expansions a request asks for (`?expand=a,b`); `*` or `~all` asks for every one in `known`. */
export function requestedExpansions(request: FastifyRequest, known: readonly string[] = []): Set<string> {
  const asked = names((request.query as Record<string, unknown> | undefined)?.expand).map((n) => n.split('.')[0]!);
  return new Set(asked.some((n) => n === '*' || n === '~all') ? known : asked);
}

/** Whether the route's query schema declares the flex-fields parameters. */
export function takesFlexFields(querystring: unknown): boolean {
  const properties = (querystring as { properties?: Record<string, unknown> } | undefined)?.properties;
  return !!properties && 'fields' in properties && 'omit' in properties;
}

function sparse(item: unknown, keep: string[], omit: string[]): unknown {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  const entries = Object.entries(item as Record<string, unknown>);
  return Object.fromEntries(entries.filter(([k]) => (keep.length === 0 || keep.includes(k)) && !omit.includes(k)));
}

/** A response body with `?fields=`/`?omit=` applied (to each `results` item of a page). */
export function applyFlexFields(payload: unknown, query: Record<string, unknown>): unknown {
  const keep = names(query.fields).map((n) => n.split('.')[0]!);
  const omit = names(query.omit).filter((n) => !n.includes('.'));
  if (keep.length === 0 && omit.length === 0) return payload;
  if (payload && typeof payload === 'object' && Array.isArray((payload as { results?: unknown }).results)) {
    const page = payload as { results: unknown[] };
    return { ...page, results: page.results.map((item) => sparse(item, keep, omit)) };
  }
  return sparse(payload, keep, omit);
}

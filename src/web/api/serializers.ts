// What every API v3 resource's serializer shares: the URLs it links to and Read the Docs'
// (Django REST framework's) page shape. Each resource's serializer is in its own file.
export interface UrlContext {
  publicUrl: string;
  docsDomain: string;
  previewDomain: string;
}

export const api = (ctx: UrlContext, path: string) => `${ctx.publicUrl}/api/v3/${path}`;

/** A limit/offset page in Read the Docs' (Django REST framework's) shape. */
export function page<T>(ctx: UrlContext, path: string, count: number, limit: number, offset: number, results: T[], filters: Record<string, unknown> = {}) {
  // Filters travel with the page links, or the next page would list something else.
  const extra = Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('');
  const link = (o: number) => `${api(ctx, path)}?limit=${limit}&offset=${o}${extra}`;
  return {
    count,
    next: offset + limit < count ? link(offset + limit) : null,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    results,
  };
}

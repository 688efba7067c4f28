// The HTTP rules of serving a stored file: validators (ETag, Last-Modified), conditional
// requests, byte ranges, content-encoding negotiation and Cache-Control per file. Pure, so
// each rule is table-tested apart from the server.

/** 32-bit FNV-1a: a cheap, stable hash of a path for ETags (not for security). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/**
 * A strong ETag without reading the file: builds are immutable, so build id + path + size +
 * mtime name one representation; each content-coding is its own representation.
 */
export function makeEtag(buildId: number, path: string, size: number, mtimeMs: number, encoding: string | null = null): string {
  return `"${buildId.toString(36)}-${fnv1a(path)}-${size.toString(36)}-${Math.floor(mtimeMs).toString(36)}${encoding ? `-${encoding}` : ''}"`;
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag equal. */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const mine = opaque(etag);
  return ifNoneMatch.split(',').some((t) => opaque(t) === mine);
}

export interface Conditionals {
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}

/** True when the client's copy is current: If-None-Match decides; else If-Modified-Since. */
export function isNotModified(req: Conditionals, etag: string, modified: Date): boolean {
  if (req.ifNoneMatch !== undefined) return etagMatches(req.ifNoneMatch, etag);
  if (req.ifModifiedSince !== undefined) {
    const since = Date.parse(req.ifModifiedSince);
    // HTTP dates have whole seconds: compare at that precision.
    return !Number.isNaN(since) && Math.floor(modified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

export type RangeResult = { kind: 'none' } | { kind: 'range'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * One byte range of a `Range` header, `end` inclusive. Several ranges, other units or a
 * malformed header are ignored (the whole file is sent), as RFC 9110 allows.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return { kind: 'none' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'none' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'none' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end };
}

/** If-Range: the range applies only while the client's validator still names this file. */
export function ifRangeAllows(ifRange: string | undefined, etag: string, modified: Date): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"')) return value === etag; // strong comparison
  if (value.startsWith('W/')) return false;
  const date = Date.parse(value);
  return !Number.isNaN(date) && Math.floor(modified.getTime() / 1000) === Math.floor(date / 1000);
}

export type Coding = 'br' | 'gzip';

/**
 * The best pre-compressed coding the client accepts, among those stored: brotli before gzip
 * at equal weight; `q=0` refuses; `*` covers codings not named.
 */
export function negotiateEncoding(acceptEncoding: string | undefined, available: readonly Coding[]): Coding | null {
  if (!acceptEncoding || available.length === 0) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) q = Number(m[1]);
    }
    weights.set(name.trim() === 'x-gzip' ? 'gzip' : name.trim(), Number.isFinite(q) ? q : 0);
  }
  let best: Coding | null = null;
  let bestQ = 0;
  for (const coding of ['br', 'gzip'] as const) {
    if (!available.includes(coding)) continue;
    const q = weights.get(coding) ?? weights.get('*') ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

/** Content types worth storing pre-compressed, and so worth looking for a sibling of. */
export function isCompressible(contentType: string): boolean {
  return /^text\/|javascript|json|xml|svg|wasm|font\/(ttf|otf)|x-font-(ttf|otf)|vnd\.ms-fontobject/.test(contentType);
}

/** A name carrying a content hash (`app.3f9a1c2b.js`, `main-5d41402abc4b.css`) never changes. */
export function isHashedAsset(file: string): boolean {
  return /[.-][0-9a-f]{8,}(?:\.min)?\.[a-z0-9]+$/i.test(file) && !/\.html?$/i.test(file);
}

/**
 * Short for HTML (a deploy must show quickly; a CDN is purged by Cache-Tag), a year for
 * content-hashed assets, a few minutes for other assets.
 */
export function cacheControlFor(file: string): string {
  if (/\.html?$/i.test(file)) return 'public, max-age=60';
  if (isHashedAsset(file)) return 'public, max-age=31536000, immutable';
  return 'public, max-age=600';
}

/**
 * Every answer on a pull-request preview host: never stored by a shared cache (a CDN), and
 * revalidated by the browser each time, since a preview changes with every push.
 */
export const PREVIEW_CACHE_CONTROL = 'private, no-cache';

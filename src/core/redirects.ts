// User redirects with Read the Docs' semantics: which rule answers a request and where it
// sends the reader. Pure, so the matching order, `*`/`:splat`, query merging, loop and
// open-redirect protection are table-tested without a server.

export type RedirectType = 'page' | 'exact' | 'clean_url_to_html' | 'html_to_clean_url';

export interface RedirectRule {
  id: number;
  type: string;
  fromUrl: string;
  toUrl: string;
  httpStatus: number;
  force: boolean;
  enabled: boolean;
  position: number;
}

export interface RedirectRequest {
  /** The decoded request path, whole (`/projects/sub/en/latest/a.html`): what exact rules match. */
  path: string;
  /** The raw query string of the request (`?a=1`, or ''). */
  query: string;
  /** The decoded path after `/<lang>/<version>` (`/a.html`), or null when the URL names no version. */
  filename: string | null;
  /** Where the request's language and version live (`/en/latest`, '' for single-version), for page rules. */
  versionBase: string | null;
}

export interface RedirectMatch {
  location: string;
  status: 301 | 302;
  ruleId: number;
}

/**
 * The first rule (by position, then id) that sends this request elsewhere; null when none
 * does. `phase` 'forced' looks only at rules marked force (checked before serving a file that
 * exists); 'not-found' looks at every enabled rule (after a 404).
 */
export function findRedirect(rules: readonly RedirectRule[], req: RedirectRequest, phase: 'forced' | 'not-found'): RedirectMatch | null {
  const ordered = rules
    .filter((r) => r.enabled && (phase === 'not-found' || r.force))
    .sort((a, b) => a.position - b.position || a.id - b.id);
  for (const rule of ordered) {
    const target = targetOf(rule, req);
    if (target === null) continue;
    const location = mergeQuery(target, req.query);
    // A rule pointing at the URL itself would loop forever: Read the Docs ignores it.
    if (isSameUrl(location, req)) return null;
    return { location, status: rule.httpStatus === 301 ? 301 : 302, ruleId: rule.id };
  }
  return null;
}

/** Where one rule sends a request (before the query is merged), or null when it does not match. */
export function targetOf(rule: RedirectRule, req: RedirectRequest): string | null {
  switch (rule.type) {
    case 'page': {
      if (req.filename === null || req.versionBase === null) return null;
      const rest = matchFrom(rule.fromUrl, req.filename);
      if (rest === null) return null;
      const to = applySplat(rule.toUrl, rest, rule.fromUrl);
      if (isAbsoluteUrl(to)) return absoluteTarget(rule.toUrl, to);
      return samePathTarget(req.versionBase + (to.startsWith('/') ? to : `/${to}`));
    }
    case 'exact': {
      const rest = matchFrom(rule.fromUrl, req.path);
      if (rest === null) return null;
      const to = applySplat(rule.toUrl, rest, rule.fromUrl);
      if (isAbsoluteUrl(to)) return absoluteTarget(rule.toUrl, to);
      return samePathTarget(to.startsWith('/') ? to : `/${to}`);
    }
    case 'clean_url_to_html': {
      const f = req.filename;
      if (f === null || req.versionBase === null || f === '/' || f === '/index.html') return null;
      for (const ending of ['/index.html', '/']) {
        if (f.endsWith(ending)) return samePathTarget(req.versionBase + encodePath(f.slice(0, -ending.length)) + '.html');
      }
      return null;
    }
    case 'html_to_clean_url': {
      const f = req.filename;
      if (f === null || req.versionBase === null || !f.endsWith('.html') || f.endsWith('/index.html')) return null;
      return samePathTarget(req.versionBase + encodePath(f.slice(0, -'.html'.length)) + '/');
    }
    default:
      return null;
  }
}

/**
 * Matches a from_url against a decoded path. A trailing `*` (or Read the Docs' older `$rest`)
 * makes it a prefix and returns what follows; otherwise the two must be equal, ignoring a
 * trailing slash (`/docs` matches `/docs/`). Returns the rest ('' for an exact match) or null.
 */
export function matchFrom(fromUrl: string, path: string): string | null {
  const from = fromUrl.startsWith('/') ? fromUrl : `/${fromUrl}`;
  const wildcard = from.endsWith('*') ? '*' : from.endsWith('$rest') ? '$rest' : null;
  if (wildcard) {
    const prefix = from.slice(0, -wildcard.length);
    return path.startsWith(prefix) ? path.slice(prefix.length) : null;
  }
  return stripSlash(path) === stripSlash(from) ? '' : null;
}

const stripSlash = (s: string) => s.replace(/\/+$/, '');

/** `:splat` in to_url takes the matched rest; with the older `$rest` the rest is appended. */
function applySplat(toUrl: string, rest: string, fromUrl: string): string {
  const encoded = encodePath(rest);
  if (toUrl.includes(':splat')) return toUrl.split(':splat').join(encoded);
  if (fromUrl.endsWith('$rest')) return toUrl + encoded;
  return toUrl;
}

const isAbsoluteUrl = (s: string) => /^https?:\/\//i.test(s);

/**
 * An absolute to_url may go to another host, but only to its own: the matched rest must not
 * change the host (`https://example.com:splat` + `@evil.example` would).
 */
function absoluteTarget(toUrl: string, target: string): string | null {
  try {
    const intended = new URL(toUrl.split(':splat').join(''));
    const actual = new URL(target);
    if (intended.origin !== actual.origin || actual.username || actual.password) return null;
  } catch {
    return null;
  }
  return headerSafe(target);
}

/** A same-host target: never `//host` or `/\host`, which browsers read as another host. */
function samePathTarget(target: string): string {
  return headerSafe('/' + target.replace(/^[/\\]+/, ''));
}

/** Percent-encodes what may not stand in a Location header (spaces, controls, non-ASCII). */
function headerSafe(s: string): string {
  return s.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c));
}

/** Encodes a decoded path for a URL, keeping its slashes. */
export function encodePath(decoded: string): string {
  return decoded.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/gu, (c) => encodeURIComponent(c));
}

/**
 * Adds the request's query to a target: the target's own parameters win, the request's
 * others are kept byte for byte, and a `#fragment` stays last.
 */
export function mergeQuery(target: string, query: string): string {
  const q = query.startsWith('?') ? query.slice(1) : query;
  if (!q) return target;
  const hash = target.indexOf('#');
  const fragment = hash >= 0 ? target.slice(hash) : '';
  const beforeHash = hash >= 0 ? target.slice(0, hash) : target;
  const mark = beforeHash.indexOf('?');
  if (mark < 0) return `${beforeHash}?${q}${fragment}`;
  const own = beforeHash.slice(mark + 1);
  const ownKeys = new Set(own.split('&').filter(Boolean).map(keyOf));
  const extra = q.split('&').filter((pair) => pair && !ownKeys.has(keyOf(pair)));
  const merged = [own, ...extra].filter(Boolean).join('&');
  return `${beforeHash.slice(0, mark)}${merged ? `?${merged}` : ''}${fragment}`;
}

function keyOf(pair: string): string {
  const raw = pair.split('=', 1)[0]!;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** True when a relative location names the request itself (path and query, decoded). */
function isSameUrl(location: string, req: RedirectRequest): boolean {
  if (!location.startsWith('/')) return false;
  const hash = location.indexOf('#');
  const noHash = hash >= 0 ? location.slice(0, hash) : location;
  const mark = noHash.indexOf('?');
  const path = mark >= 0 ? noHash.slice(0, mark) : noHash;
  const query = mark >= 0 ? noHash.slice(mark + 1) : '';
  const reqQuery = req.query.startsWith('?') ? req.query.slice(1) : req.query;
  return safeDecode(path) === req.path && query === reqQuery;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

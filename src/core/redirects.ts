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
  /**
   * The decoded path after `/<lang>/<version>` (`/a.html`); for a path that names no version
   * (`/install.html`), the path inside the project, as Read the Docs passes it; null when
   * only exact rules may apply.
   */
  filename: string | null;
  /** Where page targets go (`/en/latest`, '' for single-version; the default version for a version-less path). */
  versionBase: string | null;
  /** The request's host name (lower case, no port): a target on it with the request's path is a loop. */
  host?: string;
}

export interface RedirectMatch {
  location: string;
  status: 301 | 302;
  ruleId: number;
}

/**
 * Where the project's redirects send this request, or null — Read the Docs' rules: the first
 * enabled rule (by position; on a tie the newest, as its `-update_dt`) whose type and from_url match is the only one tried;
 * if it would loop (a `*` rule whose target lies under its own prefix and the request is
 * already there, or a target with the request's host and path) nothing redirects. `phase`
 * 'forced' looks only at forced rules (before serving a file that exists); 'not-found' at all.
 */
export function findRedirect(rules: readonly RedirectRule[], req: RedirectRequest, phase: 'forced' | 'not-found'): RedirectMatch | null {
  const rule = rules
    .filter((r) => r.enabled && (phase === 'not-found' || r.force) && matches(r, req))
    .sort((a, b) => a.position - b.position || b.id - a.id)[0];
  if (!rule) return null;
  const target = targetOf(rule, req);
  if (target === null) return null;
  const location = mergeQuery(target, req.query);
  if (isSameUrl(location, req)) return null;
  return { location, status: rule.httpStatus === 301 ? 301 : 302, ruleId: rule.id };
}

/** Read the Docs' stored form of a from_url: one leading slash, no trailing slash (`/` stays). */
export function normalizeFromUrl(fromUrl: string): string {
  return '/' + fromUrl.replace(/\/+$/, '').replace(/^\/+/, '');
}

/** The from_url of a `*` rule without its `*`, or null for a rule without a wildcard. */
function wildcardPrefix(rule: RedirectRule): string | null {
  const from = normalizeFromUrl(rule.fromUrl);
  return from.endsWith('*') ? from.slice(0, -1) : null;
}

const withoutTrailingSlash = (p: string) => p.replace(/\/+$/, '') || '/';

/** Whether a rule's type and from_url select this request (which types apply depends on the filename, as on Read the Docs). */
export function matches(rule: RedirectRule, req: RedirectRequest): boolean {
  const f = req.filename;
  const root = f === '/' || f === '/index.html';
  const prefix = wildcardPrefix(rule);
  switch (rule.type) {
    case 'exact': {
      const path = normalizePath(req.path);
      return prefix !== null ? path.startsWith(prefix) : withoutTrailingSlash(path) === normalizeFromUrl(rule.fromUrl);
    }
    case 'page':
      if (!f || req.versionBase === null) return false;
      return prefix !== null ? f.startsWith(prefix) : withoutTrailingSlash(normalizePath(f)) === normalizeFromUrl(rule.fromUrl);
    case 'clean_url_to_html':
      return !!f && !root && req.versionBase !== null && (f.endsWith('/') || f.endsWith('/index.html'));
    case 'html_to_clean_url':
      return !!f && !root && req.versionBase !== null && f.endsWith('.html') && !f.endsWith('/index.html');
    default:
      return false;
  }
}

/** One leading slash, as Read the Docs normalises a request path before matching. */
const normalizePath = (p: string) => '/' + p.replace(/^\/+/, '');

/**
 * Read the Docs' loop guard for `*` rules: `/dir/*` → `/dir/sub/:splat` would send
 * `/dir/sub/x` on to `/dir/sub/sub/x` and so on; a request already under the target's
 * prefix gets no redirect.
 */
export function wouldLoop(rule: RedirectRule, currentPath: string): boolean {
  const prefix = wildcardPrefix(rule);
  if (prefix === null || !rule.toUrl.includes(':splat')) return false;
  const toPrefix = rule.toUrl.split(':splat', 1)[0]!;
  return toPrefix.startsWith(prefix) && currentPath.startsWith(toPrefix);
}

/** Where a matching rule sends a request (before the query is merged), or null when it must not redirect. */
export function targetOf(rule: RedirectRule, req: RedirectRequest): string | null {
  switch (rule.type) {
    case 'page': {
      if (!req.filename || req.versionBase === null) return null;
      const to = withSplat(rule, req.filename);
      if (to === null) return null;
      if (isAbsoluteUrl(to)) return absoluteTarget(rule.toUrl, to);
      return samePathTarget(req.versionBase + (to.startsWith('/') ? to : `/${to}`));
    }
    case 'exact': {
      const to = withSplat(rule, normalizePath(req.path));
      if (to === null) return null;
      if (isAbsoluteUrl(to)) return absoluteTarget(rule.toUrl, to);
      return samePathTarget(to.startsWith('/') ? to : `/${to}`);
    }
    case 'clean_url_to_html': {
      const f = req.filename!;
      const stem = f.endsWith('/index.html') ? f.slice(0, -'/index.html'.length) : f.slice(0, -1);
      return samePathTarget(req.versionBase + encodePath(stem) + '.html');
    }
    case 'html_to_clean_url':
      return samePathTarget(req.versionBase + encodePath(req.filename!.slice(0, -'.html'.length)) + '/');
    default:
      return null;
  }
}

/** to_url with `:splat` replaced by what follows the `*` prefix (re-encoded); null when that would loop. */
function withSplat(rule: RedirectRule, currentPath: string): string | null {
  const prefix = wildcardPrefix(rule);
  if (prefix === null) return rule.toUrl;
  if (wouldLoop(rule, currentPath)) return null;
  return rule.toUrl.split(':splat').join(encodePath(currentPath.slice(prefix.length)));
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
 * Adds the request's query to a target as Read the Docs does: the request's parameters first,
 * then the target's own (both kept, even with the same name), re-encoded the way Python's
 * `urlencode(parse_qsl(…, keep_blank_values=True))` writes them (`a` → `a=`, space → `+`);
 * a `#fragment` of the target stays last.
 */
export function mergeQuery(target: string, query: string): string {
  const hash = target.indexOf('#');
  const fragment = hash >= 0 ? target.slice(hash) : '';
  const beforeHash = hash >= 0 ? target.slice(0, hash) : target;
  const mark = beforeHash.indexOf('?');
  const own = mark >= 0 ? beforeHash.slice(mark + 1) : '';
  const pairs = [...parseQuery(query.startsWith('?') ? query.slice(1) : query), ...parseQuery(own)];
  const merged = pairs.map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join('&');
  return `${mark >= 0 ? beforeHash.slice(0, mark) : beforeHash}${merged ? `?${merged}` : ''}${fragment}`;
}

/** Python's `parse_qsl(q, keep_blank_values=True)`: `&`-separated, `+` is a space, bad escapes become U+FFFD. */
export function parseQuery(q: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const pair of q.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const [k, v] = eq >= 0 ? [pair.slice(0, eq), pair.slice(eq + 1)] : [pair, ''];
    out.push([unquotePlus(k), unquotePlus(v)]);
  }
  return out;
}

const utf8 = new TextDecoder('utf-8');

function unquotePlus(s: string): string {
  const bytes: number[] = [];
  const text = s.replace(/\+/g, ' ');
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
    }
  }
  return utf8.decode(Uint8Array.from(bytes));
}

/** Python's `quote_plus(s, safe='')`: only `A-Za-z0-9_.-~` stay, a space is `+`. */
function quotePlus(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

/**
 * Read the Docs' "redirect to itself" check: a target on the request's host (a relative one
 * always is) whose path is the request's path. The scheme and the query do not count, so a
 * rule to the same URL on https, or with other parameters, is a loop too.
 */
function isSameUrl(location: string, req: RedirectRequest): boolean {
  let url: URL;
  try {
    url = new URL(location, `http://${req.host || 'request.invalid'}`);
  } catch {
    return false;
  }
  if (isAbsoluteUrl(location) && url.hostname !== (req.host || '').toLowerCase()) return false;
  return safeDecode(url.pathname) === normalizePath(req.path);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

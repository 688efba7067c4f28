// How the docs server reads a request path, before it touches storage: which language,
// version and file, which special page (robots, sitemap, downloads), which subproject, or
// which redirect, with Read the Docs' URL rules. Pure, so every hostile path can be table-tested.

export interface DocsProjectView {
  language: string;
  defaultVersion: string;
  singleVersion: boolean;
  /** Translations served under the same host: their language → their default version. */
  translations?: Readonly<Record<string, string>>;
}

/** Offline formats a build may store beside its HTML, and the file extension of each. */
export const DOWNLOAD_FORMATS = { htmlzip: 'zip', pdf: 'pdf', epub: 'epub' } as const;
export type DownloadFormat = keyof typeof DOWNLOAD_FORMATS;

export interface FileRoute {
  kind: 'file';
  language: string;
  version: string;
  /** Decoded, safe, relative path of the file inside the build's html folder. */
  file: string;
  /** The URL prefix of the version (`/en/latest/`), for redirects relative to it. */
  base: string;
  /** The decoded path after the version (`/guide/`, `/a.html`, `/`): what page redirects match. */
  filename: string;
}

export type DocsRoute =
  | { kind: 'redirect'; location: string }
  | { kind: 'bad-request'; reason: string }
  | { kind: 'not-found' }
  | FileRoute
  /** `/projects/<alias>/…`: the rest is routed again with the subproject's view. */
  | { kind: 'subproject'; alias: string; prefix: string; parts: string[]; trailingSlash: boolean }
  | { kind: 'download'; alias: string | null; language: string; version: string; format: DownloadFormat }
  | { kind: 'robots' }
  | { kind: 'sitemap' }
  | { kind: 'health' };

/**
 * Splits a raw (still percent-encoded) path into decoded segments, refusing anything that
 * could step outside a folder once decoded: `..`, `.`, backslashes, NUL, encoded slashes.
 */
export function safeSegments(rawPath: string): { ok: true; segments: string[] } | { ok: false; reason: string } {
  const segments: string[] = [];
  for (const raw of rawPath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, reason: 'malformed percent-encoding in the path' };
    }
    if (segment === '..' || segment === '.') return { ok: false, reason: 'relative segments are not allowed in the path' };
    if (/[\\/\u0000]/.test(segment)) return { ok: false, reason: 'backslashes, encoded slashes and NUL are not allowed in the path' };
    segments.push(segment);
  }
  return { ok: true, segments };
}

const enc = encodeURIComponent;

/** Resolves a docs-host request path (without its query string) at the root of a host. */
export function routeDocsPath(rawPath: string, project: DocsProjectView): DocsRoute {
  if (!rawPath.startsWith('/')) return { kind: 'bad-request', reason: 'the path must start with /' };
  const checked = safeSegments(rawPath.slice(1));
  if (!checked.ok) return { kind: 'bad-request', reason: checked.reason };
  // `//evil.example/` would be read by browsers as another host: collapse to a same-host path.
  if (rawPath.startsWith('//')) return { kind: 'redirect', location: '/' + rawPath.replace(/^\/+/, '') };
  const segments = checked.segments;
  const trailingSlash = segments[segments.length - 1] === '';
  const parts = segments.filter((s) => s !== '');

  // Reserved namespaces come before any project path, as on Read the Docs.
  if (parts[0] === '_') return routeReserved(parts);
  if (parts.length === 1 && !trailingSlash && (parts[0] === 'robots.txt' || parts[0] === 'sitemap.xml')) {
    return { kind: parts[0] === 'robots.txt' ? 'robots' : 'sitemap' };
  }
  if (parts[0] === 'projects' && parts.length >= 2) {
    const alias = parts[1]!;
    const prefix = `/projects/${enc(alias)}`;
    if (parts.length === 2 && !trailingSlash) return { kind: 'redirect', location: `${prefix}/` };
    return { kind: 'subproject', alias, prefix, parts: parts.slice(2), trailingSlash };
  }
  return routeProjectParts(parts, trailingSlash, project, '');
}

function routeReserved(parts: string[]): DocsRoute {
  if (parts.length === 2 && parts[1] === 'health_check') return { kind: 'health' };
  if (parts[1] === 'downloads' && (parts.length === 5 || parts.length === 6)) {
    const [alias, language, version, format] = parts.length === 6 ? parts.slice(2) : [null, ...parts.slice(2)];
    if (Object.hasOwn(DOWNLOAD_FORMATS, format!)) {
      return { kind: 'download', alias: alias ?? null, language: language!, version: version!, format: format as DownloadFormat };
    }
  }
  return { kind: 'not-found' };
}

/**
 * Routes the decoded parts of a path inside one project (`<lang>/<version>/<file>`, or just
 * `<file>` for a single-version project); `prefix` is where that project is mounted
 * ('' at the host's root, `/projects/<alias>` for a subproject).
 */
export function routeProjectParts(parts: string[], trailingSlash: boolean, project: DocsProjectView, prefix: string): DocsRoute {
  const fileOf = (rest: string[]): { file: string; filename: string } => {
    const joined = rest.join('/');
    if (rest.length === 0) return { file: 'index.html', filename: '/' };
    return trailingSlash ? { file: `${joined}/index.html`, filename: `/${joined}/` } : { file: joined, filename: `/${joined}` };
  };

  if (project.singleVersion) {
    return { kind: 'file', language: project.language, version: project.defaultVersion, ...fileOf(parts), base: `${prefix}/` };
  }
  if (parts.length === 0) {
    return { kind: 'redirect', location: `${prefix}/${enc(project.language)}/${enc(project.defaultVersion)}/` };
  }
  const [language, version, ...rest] = parts as [string, ...string[]];
  const defaultVersion = language === project.language
    ? project.defaultVersion
    : project.translations && Object.hasOwn(project.translations, language) ? project.translations[language]! : null;
  if (defaultVersion === null) return { kind: 'not-found' };
  if (version === undefined) return { kind: 'redirect', location: `${prefix}/${enc(language)}/${enc(defaultVersion)}/` };
  if (rest.length === 0 && !trailingSlash) return { kind: 'redirect', location: `${prefix}/${enc(language)}/${enc(version)}/` };
  return { kind: 'file', language, version, ...fileOf(rest), base: `${prefix}/${language}/${version}/` };
}

/** Appends a query string (`?a=b`, or '') to a redirect target, keeping one that is already there. */
export function withQuery(location: string, query: string): string {
  if (!query || query === '?') return location;
  const q = query.startsWith('?') ? query.slice(1) : query;
  return location.includes('?') ? `${location}&${q}` : `${location}?${q}`;
}

// How the docs server reads a request path, before it touches storage: which language,
// version and file, or which redirect, with Read the Docs' URL rules. Pure, so every
// hostile path can be table-tested.

export interface DocsProjectView {
  language: string;
  defaultVersion: string;
  singleVersion: boolean;
}

export type DocsRoute =
  | { kind: 'redirect'; location: string }
  | { kind: 'bad-request'; reason: string }
  | { kind: 'not-found' }
  | {
      kind: 'file';
      language: string;
      version: string;
      /** Decoded, safe, relative path of the file inside the build's html folder. */
      file: string;
      /** The URL prefix of the version (`/en/latest/`), for redirects relative to it. */
      base: string;
    };

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

/** Resolves a docs-host request path (without its query string). */
export function routeDocsPath(rawPath: string, project: DocsProjectView): DocsRoute {
  if (!rawPath.startsWith('/')) return { kind: 'bad-request', reason: 'the path must start with /' };
  // `//evil.example/` would be read by browsers as another host: collapse to a same-host path.
  if (rawPath.startsWith('//')) return { kind: 'redirect', location: '/' + rawPath.replace(/^\/+/, '') };
  const checked = safeSegments(rawPath.slice(1));
  if (!checked.ok) return { kind: 'bad-request', reason: checked.reason };
  const segments = checked.segments;
  const trailingSlash = segments[segments.length - 1] === '';
  const parts = segments.filter((s) => s !== '');

  const fileOf = (rest: string[]): string => {
    const joined = rest.join('/');
    return trailingSlash || rest.length === 0 ? (joined ? `${joined}/index.html` : 'index.html') : joined;
  };

  if (project.singleVersion) {
    return { kind: 'file', language: project.language, version: project.defaultVersion, file: fileOf(parts), base: '/' };
  }
  if (parts.length === 0) {
    return { kind: 'redirect', location: `/${project.language}/${project.defaultVersion}/` };
  }
  const [language, version, ...rest] = parts as [string, ...string[]];
  if (language !== project.language) return { kind: 'not-found' };
  if (version === undefined) return { kind: 'redirect', location: `/${encodeURIComponent(language)}/${project.defaultVersion}/` };
  if (rest.length === 0 && !trailingSlash) return { kind: 'redirect', location: `/${encodeURIComponent(language)}/${encodeURIComponent(version)}/` };
  return { kind: 'file', language, version, file: fileOf(rest), base: `/${language}/${version}/` };
}

/** Appends a query string (`?a=b`, or '') to a redirect target, keeping one that is already there. */
export function withQuery(location: string, query: string): string {
  if (!query || query === '?') return location;
  const q = query.startsWith('?') ? query.slice(1) : query;
  return location.includes('?') ? `${location}&${q}` : `${location}?${q}`;
}

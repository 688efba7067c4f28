// How the docs server reads a request path, before it touches storage: which language,
// version and file, which special page (robots, sitemap, downloads), which subproject, or
// which redirect, with Read the Docs' URL rules. Pure, so every hostile path can be table-tested.
import { LANGUAGES } from './languages.ts';

export interface DocsProjectView {
  language: string;
  defaultVersion: string;
  singleVersion: boolean;
  /** Translations served under the same host: their language → their default version. */
  translations?: Readonly<Record<string, string>>;
  /** The URL layout; when absent, the one `singleVersion` stands for. */
  versioningScheme?: VersioningScheme;
  /** Read the Docs' `custom_prefix`, cleaned (`/docs/`); null or absent: `/`. */
  customPrefix?: string | null;
  /** Read the Docs' `custom_subproject_prefix`, cleaned; null or absent: `/projects/`. */
  customSubprojectPrefix?: string | null;
  /** A pull-request preview host: the one version every path of it serves (the host's version wins). */
  fixedVersion?: string | null;
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
  /**
   * `sameHost`: a fix of the path itself (repeated slashes), answered on the host asked, never
   * resolved elsewhere. `ifVersion`: only when that version exists (else the 404 handling), as
   * Read the Docs finds the version before it adds the slash after it or fixes the language code.
   */
  | { kind: 'redirect'; location: string; sameHost?: true; ifVersion?: { language: string; version: string } }
  | { kind: 'bad-request'; reason: string }
  | { kind: 'not-found' }
  | FileRoute
  /**
   * `/projects/<alias>/…`: the rest is routed again with the subproject's view; when the
   * parent has no such subproject, `otherwise` is what the path means in the parent.
   */
  | {
    kind: 'subproject'; trailingSlash: boolean; otherwise: DocsRoute;
    /** Every part after the subproject prefix: an alias may span several (`api/python`), the longest one wins. */
    segments: string[];
    /** The subproject prefix without its final slash (`/projects`). */
    under: string;
  }
  /** `/projects/<alias>/page/<file>`: that file in the subproject's default version. */
  | { kind: 'page'; alias: string; prefix: string; parts: string[]; trailingSlash: boolean }
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

/** Read the Docs' three URL layouts of a project (`versioning_scheme`). */
export type VersioningScheme = 'multiple_versions_with_translations' | 'multiple_versions_without_translations' | 'single_version_without_translations';

/** The layout a view uses: its scheme, else the one its `singleVersion` flag stands for. */
export const schemeOf = (view: Pick<DocsProjectView, 'versioningScheme' | 'singleVersion'>): VersioningScheme =>
  view.versioningScheme ?? (view.singleVersion ? 'single_version_without_translations' : 'multiple_versions_with_translations');

/**
 * Read the Docs' old language codes (`pt_BR`): still read in URLs, normalised to the current
 * code (`pt-br`) and redirected to it; `zh` is still served for projects that kept it.
 */
const OLD_LANGUAGE_CODES = ['nb_NO', 'pt_BR', 'es_MX', 'uk_UA', 'zh_CN', 'zh_TW'];
const LANGUAGE_SLUGS = new Set([...LANGUAGES.map(([code]) => code), ...OLD_LANGUAGE_CODES, 'zh']);

/** Whether a first path segment is read as a language (Read the Docs' LANGUAGES_REGEX: exact, case-sensitive). */
export const isLanguageSlug = (segment: string): boolean => LANGUAGE_SLUGS.has(segment);
/** `pt_BR` → `pt-br`: the code a project has. */
export const normalizeLanguage = (segment: string): string => segment.toLowerCase().replace(/_/g, '-');

/** `/a/b/` → ['a', 'b']; null or `/` → []. */
const prefixParts = (prefix: string | null | undefined): string[] => (prefix ?? '/').split('/').filter(Boolean);
const startsWithParts = (parts: string[], prefix: string[]) => prefix.every((p, i) => parts[i] === p);
const encPath = (parts: string[]) => parts.map(enc).join('/');

/** Resolves a docs-host request path (without its query string) at the root of a host. */
export function routeDocsPath(rawPath: string, project: DocsProjectView): DocsRoute {
  if (!rawPath.startsWith('/')) return { kind: 'bad-request', reason: 'the path must start with /' };
  const checked = safeSegments(rawPath.slice(1));
  if (!checked.ok) return { kind: 'bad-request', reason: checked.reason };
  // Read the Docs collapses repeated slashes with a redirect; `//evil.example/` would also be
  // read by browsers as another host, so it becomes a same-host path.
  if (rawPath.includes('//')) return { kind: 'redirect', location: rawPath.replace(/\/{2,}/g, '/'), sameHost: true };
  const segments = checked.segments;
  const trailingSlash = segments[segments.length - 1] === '';
  const parts = segments.filter((s) => s !== '');

  // Reserved namespaces come before any project path, as on Read the Docs.
  if (parts[0] === '_') return routeReserved(parts);
  if (parts.length === 1 && !trailingSlash && (parts[0] === 'robots.txt' || parts[0] === 'sitemap.xml')) {
    return { kind: parts[0] === 'robots.txt' ? 'robots' : 'sitemap' };
  }
  // `/page/<file>` and `/projects/<alias>/page/<file>`: the file in the default version.
  if (parts[0] === 'page') return { kind: 'redirect', location: pageLocation(project, '', parts.slice(1), trailingSlash) };
  if (parts[0] === 'projects' && parts[2] === 'page' && parts.length >= 3) {
    return { kind: 'page', alias: parts[1]!, prefix: `/projects/${enc(parts[1]!)}`, parts: parts.slice(3), trailingSlash };
  }
  return routeInProject(parts, trailingSlash, project, '', true);
}

/** Where `/page/<file>` of a project mounted at `mount` goes: that file in its default version. */
export function pageLocation(project: DocsProjectView, mount: string, parts: string[], trailingSlash: boolean): string {
  const file = parts.length === 0 ? '' : encPath(parts) + (trailingSlash ? '/' : '');
  return mount + versionPath(project, project.language, project.fixedVersion ?? project.defaultVersion, file);
}

/**
 * The path of a file of one version inside a project mounted at the host's root (Read the
 * Docs' `base_resolve_path`): custom prefix, then `/<lang>/<version>/`, `/<version>/` or
 * nothing, by versioning scheme. `file` is already encoded ('' for the version's root).
 */
export function versionPath(project: Pick<DocsProjectView, 'versioningScheme' | 'singleVersion' | 'customPrefix'>, language: string, version: string, file = ''): string {
  const prefix = project.customPrefix ?? '/';
  switch (schemeOf(project)) {
    case 'single_version_without_translations':
      return prefix + file;
    case 'multiple_versions_without_translations':
      return `${prefix}${enc(version)}/${file}`;
    default:
      return `${prefix}${enc(language)}/${enc(version)}/${file}`;
  }
}

function routeReserved(parts: string[]): DocsRoute {
  if (parts.length === 2 && parts[1] === 'health_check') return { kind: 'health' };
  // `/_/downloads/[<alias>/]<lang>/<version>/<format>/`, where an alias may span segments (`api/python`).
  if (parts[1] === 'downloads' && parts.length >= 5) {
    const [language, version, format] = parts.slice(-3);
    const alias = parts.length > 5 ? parts.slice(2, -3).join('/') : null;
    if (Object.hasOwn(DOWNLOAD_FORMATS, format!)) {
      return { kind: 'download', alias: alias ?? null, language: language!, version: version!, format: format as DownloadFormat };
    }
  }
  return { kind: 'not-found' };
}

/**
 * Routes the decoded parts of a path inside one project, mounted at `mount` ('' at the host's
 * root, `/projects/<alias>` for a subproject), in Read the Docs' unresolver order: a language
 * (multiple versions with translations), then a subproject (only at the root), then a version
 * (multiple versions without translations), then any file (single version); a path none of
 * them takes is the project's root (→ its default version) or a 404.
 */
export function routeInProject(parts: string[], trailingSlash: boolean, project: DocsProjectView, mount: string, checkSubprojects = false): DocsRoute {
  const scheme = schemeOf(project);
  const custom = prefixParts(project.customPrefix);
  const underPrefix = startsWithParts(parts, custom) && (parts.length > custom.length || trailingSlash || custom.length === 0);
  const rest = underPrefix ? parts.slice(custom.length) : null;
  const base = mount + (project.customPrefix ?? '/');
  const fileOf = (after: string[]): { file: string; filename: string } => {
    const joined = after.join('/');
    if (after.length === 0) return { file: 'index.html', filename: '/' };
    return trailingSlash ? { file: `${joined}/index.html`, filename: `/${joined}/` } : { file: joined, filename: `/${joined}` };
  };

  if (scheme === 'multiple_versions_with_translations' && rest && rest.length > 0 && isLanguageSlug(rest[0]!)) {
    const asked = rest[0]!;
    const language = normalizeLanguage(asked);
    const defaultVersion = language === project.language
      ? project.defaultVersion
      : project.translations && Object.hasOwn(project.translations, language) ? project.translations[language]! : null;
    if (defaultVersion === null) return { kind: 'not-found' };
    const pinned = project.fixedVersion ?? null;
    if (rest.length === 1) return { kind: 'redirect', location: `${base}${enc(language)}/${enc(pinned ?? defaultVersion)}/` };
    // On a preview host the host names the version, whatever the path says.
    const version = pinned ?? rest[1]!;
    const after = rest.slice(2);
    const tail = after.length ? encPath(after) + (trailingSlash ? '/' : '') : '';
    // An old code (`pt_BR`) or a missing slash after the version: the canonical URL.
    if (asked !== language || (after.length === 0 && !trailingSlash)) {
      return { kind: 'redirect', location: `${base}${enc(language)}/${enc(version)}/${tail}`, ifVersion: { language, version } };
    }
    return { kind: 'file', language, version, ...fileOf(after), base: `${base}${language}/${version}/` };
  }

  if (checkSubprojects) {
    const subPrefix = prefixParts(project.customSubprojectPrefix ?? '/projects/');
    if (parts.length > subPrefix.length && startsWithParts(parts, subPrefix)) {
      return {
        kind: 'subproject', trailingSlash,
        otherwise: routeInProject(parts, trailingSlash, project, mount, false),
        segments: parts.slice(subPrefix.length), under: subPrefix.length ? `/${encPath(subPrefix)}` : '',
      };
    }
  }

  if (scheme === 'multiple_versions_without_translations' && rest && rest.length > 0) {
    const version = project.fixedVersion ?? rest[0]!;
    const after = rest.slice(1);
    if (after.length === 0 && !trailingSlash) return { kind: 'redirect', location: `${base}${enc(version)}/`, ifVersion: { language: project.language, version } };
    return { kind: 'file', language: project.language, version, ...fileOf(after), base: `${base}${version}/` };
  }

  if (scheme === 'single_version_without_translations' && rest) {
    // A project mounted below the root (`/projects/<alias>`, a prefix) is a folder: it ends with a slash.
    if (rest.length === 0 && !trailingSlash) return { kind: 'redirect', location: base };
    return { kind: 'file', language: project.language, version: project.fixedVersion ?? project.defaultVersion, ...fileOf(rest), base };
  }

  // The project's root, with or without its prefix's slash: its default version.
  if (parts.length === 0 || (parts.length === custom.length && startsWithParts(parts, custom))) {
    return { kind: 'redirect', location: mount + versionPath(project, project.language, project.fixedVersion ?? project.defaultVersion) };
  }
  return { kind: 'not-found' };
}

/** Kept for callers that route a subproject's parts: `routeInProject` without subprojects. */
export function routeProjectParts(parts: string[], trailingSlash: boolean, project: DocsProjectView, prefix: string): DocsRoute {
  return routeInProject(parts, trailingSlash, project, prefix, false);
}

/** Appends a query string (`?a=b`, or '') to a redirect target, keeping one that is already there. */
export function withQuery(location: string, query: string): string {
  if (!query || query === '?') return location;
  const q = query.startsWith('?') ? query.slice(1) : query;
  return location.includes('?') ? `${location}&${q}` : `${location}?${q}`;
}

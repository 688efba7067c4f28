// URL arithmetic between pages. Every link the builder writes is relative, so a
// site works unchanged under any prefix (/en/latest/, a file:// folder, a CDN).
// Site URLs here are POSIX paths from the site root without a leading slash;
// '' is the root index with directory URLs, 'guide/' a folder, 'a.html' a file.

import path from 'node:path';

/** The relative href from the page at `fromUrl` to the site URL `toUrl`, percent-encoded. */
export function relativeUrl(fromUrl: string, toUrl: string): string {
  const fromDir = fromUrl.slice(0, fromUrl.lastIndexOf('/') + 1);
  const slash = toUrl.lastIndexOf('/');
  const toDir = toUrl.slice(0, slash + 1);
  const toFile = toUrl.slice(slash + 1);
  const up = path.posix.relative(`/${fromDir}`, `/${toDir}`);
  const href = (up === '' ? '' : `${up}/`) + toFile;
  return href === '' ? './' : encodePath(href);
}

/** Percent-encodes each path segment (spaces, #, ?, non-ASCII) but keeps the slashes. */
export function encodePath(p: string): string {
  return p
    .split('/')
    .map((segment) => (segment === '..' || segment === '.' ? segment : encodeURIComponent(segment)))
    .join('/');
}

/** True for links the builder must not touch: `https:`, `mailto:`, `//host`, `/absolute`. */
export function isAbsoluteUrl(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/') || href.startsWith('\\');
}

/** Splits `a/b.md?x=1#frag` into the path and the rest (`?x=1#frag`, kept verbatim). */
export function splitHref(href: string): { pathPart: string; suffix: string } {
  const cut = href.search(/[?#]/);
  return cut === -1 ? { pathPart: href, suffix: '' } : { pathPart: href.slice(0, cut), suffix: href.slice(cut) };
}

/**
 * Resolves a relative link written in the docs file `fromSrc` to a docs-relative
 * POSIX path, or null when it climbs out of the docs folder.
 */
export function resolveDocPath(fromSrc: string, linkPath: string): string | null {
  let decoded = linkPath;
  try {
    decoded = decodeURIComponent(linkPath);
  } catch {
    // A malformed escape: look the link up as written.
  }
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(fromSrc), decoded));
  if (joined === '..' || joined.startsWith('../') || joined.startsWith('/')) return null;
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

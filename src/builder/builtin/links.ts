// Rewrites relative links between docs files into links between built pages, as
// MkDocs does: `install.md#linux` becomes `../install/#linux` when pages move into
// folders. Absolute URLs and links to files we do not know are left as written.

import type { LinkRewriter } from './markdown.ts';
import type { SiteLayout, SitePage } from './layout.ts';
import { isMarkdown } from './layout.ts';
import { isAbsoluteUrl, relativeUrl, resolveDocPath, splitHref } from './urls.ts';

export function linkRewriterFor(page: SitePage, layout: SiteLayout, log: (line: string) => void): LinkRewriter {
  return (href) => {
    if (isAbsoluteUrl(href)) return href;
    const { pathPart, suffix } = splitHref(href);
    if (pathPart === '') return href; // '#anchor' on the same page
    const target = resolveDocPath(page.src, pathPart);
    const found = target === null ? undefined : layout.bySrc.get(target);
    if (found === undefined) {
      if (isMarkdown(pathPart)) log(`warning: ${page.src} links to ${pathPart}, which is not a page in the docs folder`);
      return href;
    }
    // Assets move too: with directory URLs, `img/a.png` seen from `guide.md`
    // (now at guide/) must become `../img/a.png` to keep pointing at the same file.
    return relativeUrl(page.url, found.url) + suffix;
  };
}

// Wraps a rendered page in the theme's HTML document: header, sidebar navigation,
// content and previous/next links. Every string from the repository (titles, site
// name, nav labels, URLs) goes through escapeHtml; the page body is already HTML.

import type { NavItem } from './nav.ts';
import type { SitePage } from './layout.ts';
import { STYLESHEET_PATH } from './layout.ts';
import { relativeUrl } from './urls.ts';

export interface PageContext {
  siteName: string;
  page: SitePage;
  /** The page body as produced by markdown.ts. */
  contentHtml: string;
  nav: NavItem[];
  previous: SitePage | null;
  next: SitePage | null;
  /** The site URL of the home page. */
  homeUrl: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for both element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

export function renderPage(ctx: PageContext): string {
  const { page, siteName } = ctx;
  const href = (toUrl: string): string => escapeHtml(relativeUrl(page.url, toUrl));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Bindery">
<title>${escapeHtml(page.title)} — ${escapeHtml(siteName)}</title>
<link rel="stylesheet" href="${href(STYLESHEET_PATH)}">
</head>
<body>
<a class="skip-link" href="#content">Skip to content</a>
<header class="site-header"><a class="site-name" href="${href(ctx.homeUrl)}">${escapeHtml(siteName)}</a></header>
<div class="layout">
<nav class="sidebar" aria-label="Site navigation">
${renderNav(ctx.nav, page, href)}
</nav>
<main id="content">
${ctx.contentHtml}
${renderPager(ctx.previous, ctx.next, href)}
</main>
</div>
<footer class="site-footer">Built with Bindery</footer>
</body>
</html>
`;
}

function renderNav(items: NavItem[], current: SitePage, href: (url: string) => string): string {
  const lines = items.map((item) => {
    switch (item.kind) {
      case 'page': {
        const mark = item.page === current ? ' aria-current="page"' : '';
        return `<li><a href="${href(item.page.url)}"${mark}>${escapeHtml(item.title)}</a></li>`;
      }
      case 'link':
        return item.external
          ? `<li><a class="external" href="${escapeHtml(item.href)}" rel="noopener">${escapeHtml(item.title)}</a></li>`
          : `<li><a href="${href(item.href)}">${escapeHtml(item.title)}</a></li>`;
      case 'section': {
        const active = containsPage(item.children, current) ? ' is-active' : '';
        return `<li class="nav-section${active}"><span class="nav-section-title">${escapeHtml(item.title)}</span>\n${renderNav(item.children, current, href)}</li>`;
      }
    }
  });
  return `<ul>\n${lines.join('\n')}\n</ul>`;
}

function containsPage(items: NavItem[], page: SitePage): boolean {
  return items.some((item) => (item.kind === 'page' && item.page === page) || (item.kind === 'section' && containsPage(item.children, page)));
}

function renderPager(previous: SitePage | null, next: SitePage | null, href: (url: string) => string): string {
  if (!previous && !next) return '';
  const link = (page: SitePage, rel: 'prev' | 'next'): string =>
    `<a class="pager-${rel}" rel="${rel}" href="${href(page.url)}"><span class="pager-label">${rel === 'prev' ? '← Previous' : 'Next →'}</span><span class="pager-title">${escapeHtml(page.title)}</span></a>`;
  const parts = [previous ? link(previous, 'prev') : '', next ? link(next, 'next') : ''].filter(Boolean);
  return `<nav class="pager" aria-label="Previous and next pages">\n${parts.join('\n')}\n</nav>`;
}

// Builds the site navigation: from mkdocs.yml's `nav` when given (checked strictly,
// because a typo there would otherwise silently drop pages), else from the file
// tree. Also yields the reading order used for previous/next links.

import path from 'node:path';
import { ConfigError } from '../../core/errors.ts';
import { describe } from './config.ts';
import type { SiteLayout, SitePage } from './layout.ts';
import { humaniseName } from './layout.ts';
import { byCodeUnit } from './paths.ts';
import { isAbsoluteUrl, resolveDocPath } from './urls.ts';

export type NavItem =
  | { kind: 'page'; title: string; page: SitePage }
  /** `href` is either an absolute URL (external) or a site URL of a docs file. */
  | { kind: 'link'; title: string; href: string; external: boolean }
  | { kind: 'section'; title: string; children: NavItem[] };

/**
 * Turns mkdocs.yml's `nav` into nav items. Page titles must already hold the
 * page's own title (h1 or file name); a title written in the nav replaces it.
 * `docsLabel` is docs_dir as the user wrote it, for messages.
 */
export function navFromConfig(raw: unknown[], layout: SiteLayout, docsLabel: string): NavItem[] {
  const titledByNav = new Set<SitePage>();
  const where = (trail: string[]): string => `nav entry ${trail.join(' › ')}`;

  const item = (value: unknown, trail: string[]): NavItem => {
    if (typeof value === 'string') return target(null, value, trail);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length !== 1) {
        throw new ConfigError(
          'nav',
          `${where(trail)} in mkdocs.yml has ${keys.length} keys (${keys.map((k) => JSON.stringify(k)).join(', ')}); each entry must be "Title: page.md", "Title: https://…" or "Section title:" followed by a list.`,
        );
      }
      const title = keys[0] as string;
      const inner = (value as Record<string, unknown>)[title];
      const innerTrail = [...trail.slice(0, -1), JSON.stringify(title)];
      if (typeof inner === 'string') return target(title, inner, innerTrail);
      if (Array.isArray(inner)) {
        return { kind: 'section', title, children: inner.map((child, i) => item(child, [...innerTrail, `#${i + 1}`])) };
      }
      throw new ConfigError(
        'nav',
        `${where(innerTrail)} in mkdocs.yml must be a page path, a URL or a list of entries, but it is ${describe(inner)}.`,
      );
    }
    throw new ConfigError(
      'nav',
      `${where(trail)} in mkdocs.yml is ${describe(value)}; expected a page path ("index.md"), "Title: page.md" or "Section title:" followed by a list.`,
    );
  };

  const target = (title: string | null, written: string, trail: string[]): NavItem => {
    if (/^\s*(javascript|vbscript|data):/i.test(written)) {
      throw new ConfigError('nav', `${where(trail)} in mkdocs.yml is a ${written.trim().split(':')[0]}: URL; nav links must be page paths or http(s) URLs.`);
    }
    if (isAbsoluteUrl(written)) return { kind: 'link', title: title ?? written, href: written, external: true };
    const resolved = resolveDocPath('', written.trim());
    const found = resolved === null ? undefined : layout.bySrc.get(resolved);
    if (found === undefined) {
      const shown = path.posix.join(docsLabel, written);
      throw new ConfigError(
        'nav',
        `${where(trail)} in mkdocs.yml points at "${written}", but ${shown} does not exist. Nav paths are relative to the docs folder (${docsLabel}/); fix the path or remove the entry.`,
      );
    }
    if (found.kind === 'asset') return { kind: 'link', title: title ?? written, href: found.url, external: false };
    if (title !== null && !titledByNav.has(found)) {
      found.title = title;
      titledByNav.add(found);
    }
    return { kind: 'page', title: title ?? found.title, page: found };
  };

  return raw.map((value, i) => item(value, [`#${i + 1}`]));
}

/**
 * Navigation from the file tree: each folder is a section titled after the folder,
 * its index page first, then files and sub-folders alphabetically by name.
 */
export function navFromFiles(layout: SiteLayout): NavItem[] {
  interface Folder { index: SitePage | null; entries: Map<string, SitePage | Folder> }
  const root: Folder = { index: null, entries: new Map() };
  for (const page of layout.pages) {
    const parts = page.src.split('/');
    let folder = root;
    for (const part of parts.slice(0, -1)) {
      let next = folder.entries.get(part);
      if (next === undefined || 'kind' in next) {
        next = { index: null, entries: new Map() };
        folder.entries.set(part, next);
      }
      folder = next;
    }
    if (page.isIndex) folder.index = page;
    else folder.entries.set(parts[parts.length - 1] as string, page);
  }

  const itemsOf = (folder: Folder): NavItem[] => {
    const items: NavItem[] = [];
    if (folder.index) items.push({ kind: 'page', title: folder.index.title, page: folder.index });
    const names = [...folder.entries.keys()].sort((a, b) => byCodeUnit(a.toLowerCase(), b.toLowerCase()) || byCodeUnit(a, b));
    for (const name of names) {
      const entry = folder.entries.get(name) as SitePage | Folder;
      if ('kind' in entry) items.push({ kind: 'page', title: entry.title, page: entry });
      else items.push({ kind: 'section', title: humaniseName(name), children: itemsOf(entry) });
    }
    return items;
  };
  return itemsOf(root);
}

/** Pages in nav order, each once (first appearance wins), for previous/next links. */
export function pagesInOrder(nav: NavItem[]): SitePage[] {
  const seen = new Set<SitePage>();
  const order: SitePage[] = [];
  const visit = (items: NavItem[]): void => {
    for (const item of items) {
      if (item.kind === 'page' && !seen.has(item.page)) {
        seen.add(item.page);
        order.push(item.page);
      } else if (item.kind === 'section') {
        visit(item.children);
      }
    }
  };
  visit(nav);
  return order;
}

// Decides where each docs file lands in the site, following MkDocs' rules:
// index.md (or README.md when there is no index) is its folder's page, and with
// use_directory_urls `foo.md` becomes `foo/index.html`, served as `foo/`.

import path from 'node:path';

export const MARKDOWN_EXTENSIONS = ['.md', '.markdown', '.mdown', '.mkdn', '.mkd'];
/** Where the theme's stylesheet goes; a docs file with the same path is skipped. */
export const STYLESHEET_PATH = '_static/bindery.css';

export interface SitePage {
  kind: 'page';
  /** POSIX path relative to docs_dir, e.g. 'guide/install.md'. */
  src: string;
  /** POSIX path relative to the output folder, e.g. 'guide/install/index.html'. */
  dest: string;
  /** Site URL (see urls.ts), e.g. 'guide/install/'. */
  url: string;
  isIndex: boolean;
  /** Display title; starts as the humanised file name and is refined later. */
  title: string;
}

export interface SiteAsset {
  kind: 'asset';
  src: string;
  dest: string;
  url: string;
}

export interface SiteLayout {
  pages: SitePage[];
  assets: SiteAsset[];
  /** Every page and asset by its docs-relative source path, for link and nav lookups. */
  bySrc: Map<string, SitePage | SiteAsset>;
}

export function isMarkdown(file: string): boolean {
  return MARKDOWN_EXTENSIONS.includes(path.posix.extname(file).toLowerCase());
}

function stemOf(file: string): string {
  const base = path.posix.basename(file);
  return base.slice(0, base.length - path.posix.extname(base).length);
}

/** Places the walked files (sorted, docs-relative) into the site. */
export function planSite(files: string[], useDirectoryUrls: boolean, log: (line: string) => void): SiteLayout {
  const foldersWithIndex = new Set<string>();
  for (const file of files) {
    if (isMarkdown(file) && stemOf(file) === 'index') foldersWithIndex.add(path.posix.dirname(file));
  }

  const layout: SiteLayout = { pages: [], assets: [], bySrc: new Map() };
  const claimed = new Map<string, string>([[STYLESHEET_PATH, 'the Bindery theme stylesheet']]);
  for (const file of files) {
    const dir = path.posix.dirname(file);
    const prefix = dir === '.' ? '' : `${dir}/`;
    let entry: SitePage | SiteAsset;
    if (isMarkdown(file)) {
      const stem = stemOf(file);
      if (stem === 'README' && foldersWithIndex.has(dir)) {
        // MkDocs does the same: two index pages for one folder cannot both exist.
        log(`skipped ${file}: ${prefix}index.md is already this folder's index page`);
        continue;
      }
      const isIndex = stem === 'index' || stem === 'README';
      let dest: string;
      let url: string;
      if (isIndex) {
        dest = `${prefix}index.html`;
        url = useDirectoryUrls ? prefix : dest;
      } else if (useDirectoryUrls) {
        dest = `${prefix}${stem}/index.html`;
        url = `${prefix}${stem}/`;
      } else {
        dest = `${prefix}${stem}.html`;
        url = dest;
      }
      entry = { kind: 'page', src: file, dest, url, isIndex, title: humanise(file, isIndex) };
    } else {
      entry = { kind: 'asset', src: file, dest: file, url: file };
    }
    const owner = claimed.get(entry.dest);
    if (owner !== undefined) {
      // e.g. `foo.md` and `foo/index.md` both want foo/index.html: keep the first.
      log(`skipped ${file}: its output ${entry.dest} is already produced by ${owner}`);
      continue;
    }
    claimed.set(entry.dest, file);
    layout.bySrc.set(file, entry);
    if (entry.kind === 'page') layout.pages.push(entry);
    else layout.assets.push(entry);
  }
  return layout;
}

/**
 * A readable title from a file name, used when a page has no nav title and no
 * `# heading`: 'getting-started.md' → 'Getting started', the root index → 'Home',
 * a folder's index → the folder name.
 */
export function humanise(file: string, isIndex: boolean): string {
  let name = stemOf(file);
  if (isIndex) {
    const dir = path.posix.dirname(file);
    if (dir === '.') return 'Home';
    name = path.posix.basename(dir);
  }
  return humaniseName(name);
}

export function humaniseName(name: string): string {
  const words = name.replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (words === '') return name;
  return words.charAt(0).toUpperCase() + words.slice(1);
}

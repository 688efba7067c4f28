// The builtin builder: builds a MkDocs-style project into a static HTML site in
// pure TypeScript, without Python. This file only sequences the steps; each step
// lives in its own module (config, walk, layout, markdown, links, nav, template).

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BuildError } from '../../core/errors.ts';
import { loadConfig } from './config.ts';
import { splitFrontMatter } from './frontmatter.ts';
import { linkRewriterFor } from './links.ts';
import { STYLESHEET_PATH, planSite } from './layout.ts';
import type { SitePage } from './layout.ts';
import { createMarkdown, renderMarkdown } from './markdown.ts';
import { navFromConfig, navFromFiles, pagesInOrder } from './nav.ts';
import { resolveInside, resolveSourceRoot } from './paths.ts';
import { copyNoFollow, readTextNoFollow } from './safe-fs.ts';
import { renderPage } from './template.ts';
import { STYLESHEET } from './theme.ts';
import { walkDocs } from './walk.ts';

export interface BuiltinBuildOptions {
  /** Root of the git checkout. */
  sourceDir: string;
  /** Folder to write the HTML site into (created if missing). */
  outputDir: string;
  /** mkdocs.yml path relative to sourceDir (default: mkdocs.yml if it exists, else none). */
  configFile?: string;
  /** Progress lines for the build log (e.g. "built index.md -> index.html"). */
  log: (line: string) => void;
  /** Site name when mkdocs.yml gives none (the build passes the project's name). */
  defaultSiteName?: string;
}

export interface BuiltPage {
  /** Source path relative to the docs folder, e.g. 'guide/install.md'. */
  path: string;
  /** URL relative to the site root, e.g. 'guide/install/' ('' is the home page). */
  url: string;
  title: string;
}

export interface BuiltinBuildResult {
  /** Number of HTML pages written. */
  pages: number;
  /** Number of non-Markdown files copied from the docs folder. */
  files: number;
  siteName: string;
  /** Every page in source order, e.g. for a search index or a sitemap. */
  pageList: BuiltPage[];
}

export async function buildBuiltinSite(opts: BuiltinBuildOptions): Promise<BuiltinBuildResult> {
  const { log } = opts;
  const sourceRoot = await resolveSourceRoot(opts.sourceDir);
  const config = await loadConfig(sourceRoot, opts.configFile, log);

  const docsLabel = config.docsDir.replace(/\/+$/, '') || config.docsDir;
  const docsDir = await resolveInside(sourceRoot, config.docsDir, 'docs_dir');
  if (docsDir === null) {
    const hint = config.configFile === null
      ? 'Create a docs/ folder with an index.md, or add a mkdocs.yml whose docs_dir names your documentation folder.'
      : `Create it, or set docs_dir in ${config.configFile} to the folder that holds your Markdown files.`;
    throw new BuildError('docs-missing', `no documentation found: the folder ${docsLabel}/ does not exist in the repository. ${hint}`);
  }

  const layout = planSite(await walkDocs(docsDir, log), config.useDirectoryUrls, log);
  if (layout.pages.length === 0) {
    throw new BuildError(
      'no-pages',
      `no documentation found: the folder ${docsLabel}/ contains no Markdown (.md) files. Add at least an index.md.`,
    );
  }

  // Render every body first: titles come from the h1s, and the nav needs them.
  const md = createMarkdown();
  const bodies = new Map<SitePage, string>();
  for (const page of layout.pages) {
    const text = (await readTextNoFollow(path.join(docsDir, page.src))).replace(/^\uFEFF/, '');
    const { meta, body } = splitFrontMatter(text);
    const rendered = renderMarkdown(md, body, linkRewriterFor(page, layout, log));
    const metaTitle = typeof meta.title === 'string' && meta.title.trim() !== '' ? meta.title.trim() : null;
    page.title = metaTitle ?? rendered.h1 ?? page.title;
    bodies.set(page, rendered.html);
  }

  const nav = config.nav !== null ? navFromConfig(config.nav, layout, docsLabel) : navFromFiles(layout);
  if (config.nav !== null) {
    const listed = new Set(pagesInOrder(nav));
    const missing = layout.pages.filter((page) => !listed.has(page)).map((page) => page.src);
    if (missing.length > 0) log(`note: built but not listed in nav: ${missing.join(', ')}`);
  }
  const order = pagesInOrder(nav);
  const siteName = config.siteName ?? opts.defaultSiteName ?? defaultSiteName(sourceRoot, config.docsDir);
  const home = layout.pages.find((page) => page.isIndex && !page.src.includes('/')) ?? order[0] ?? layout.pages[0];

  await mkdir(opts.outputDir, { recursive: true });
  await writeOutput(opts.outputDir, STYLESHEET_PATH, STYLESHEET);
  for (const page of layout.pages) {
    const at = order.indexOf(page);
    const html = renderPage({
      siteName,
      page,
      contentHtml: bodies.get(page) ?? '',
      nav,
      previous: at > 0 ? (order[at - 1] ?? null) : null,
      next: at >= 0 ? (order[at + 1] ?? null) : null,
      homeUrl: home?.url ?? '',
    });
    await writeOutput(opts.outputDir, page.dest, html);
    log(`built ${page.src} -> ${page.dest}`);
  }
  for (const asset of layout.assets) {
    const to = path.join(opts.outputDir, asset.dest);
    await mkdir(path.dirname(to), { recursive: true });
    await copyNoFollow(path.join(docsDir, asset.src), to);
    log(`copied ${asset.src}`);
  }
  log(`site "${siteName}": ${layout.pages.length} pages, ${layout.assets.length} other files`);

  return {
    pages: layout.pages.length,
    files: layout.assets.length,
    siteName,
    pageList: layout.pages.map((page) => ({ path: page.src, url: page.url, title: page.title })),
  };
}

/** MkDocs requires site_name; without one, name the site after the project folder. */
function defaultSiteName(sourceRoot: string, docsDir: string): string {
  const parent = path.basename(path.dirname(path.resolve(sourceRoot, docsDir)));
  return parent !== '' ? parent : 'Documentation';
}

async function writeOutput(outputDir: string, dest: string, content: string): Promise<void> {
  const file = path.join(outputDir, dest);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content, 'utf8');
}

// Turns one page's Markdown into HTML with markdown-it (CommonMark + tables +
// strikethrough, raw HTML allowed as in MkDocs) and markdown-it-anchor for heading
// ids. Links are rewritten between parsing and rendering, see rewriteLinks.

import markdownIt from 'markdown-it';
import type { MarkdownIt, Token } from 'markdown-it';
import anchor from 'markdown-it-anchor';
import { githubSlug } from './slug.ts';

export interface RenderedMarkdown {
  html: string;
  /** Plain text of the first level-1 heading, or null. */
  h1: string | null;
}

/** Maps a link target as written to the href to emit (return it unchanged to leave it). */
export type LinkRewriter = (href: string, kind: 'link' | 'image') => string;

export function createMarkdown(): MarkdownIt {
  const md = markdownIt({ html: true, linkify: true, typographer: false });
  md.use(anchor, {
    slugify: githubSlug,
    tabIndex: false,
    permalink: anchor.permalink.linkInsideHeader({ symbol: '¶', placement: 'after', class: 'headerlink', ariaHidden: true }),
  });
  return md;
}

export function renderMarkdown(md: MarkdownIt, source: string, rewrite: LinkRewriter): RenderedMarkdown {
  // A fresh env per page: markdown-it-anchor keeps its "slugs used" set in it, so
  // ids are unique within a page but not numbered across the whole site.
  const env = {};
  const tokens = md.parse(source, env);
  rewriteLinks(tokens, rewrite);
  return { html: md.renderer.render(tokens, md.options, env), h1: firstH1(tokens) };
}

/** Applies `rewrite` to every Markdown link href and image src (not to raw HTML). */
function rewriteLinks(tokens: Token[], rewrite: LinkRewriter): void {
  for (const token of tokens) {
    if (token.children) rewriteLinks(token.children, rewrite);
    const attr = token.type === 'link_open' ? 'href' : token.type === 'image' ? 'src' : null;
    if (attr === null) continue;
    const raw = token.attrGet(attr);
    // Autolinked bare URLs (linkify) are absolute anyway; skip them to save work.
    if (raw === null || token.markup === 'linkify') continue;
    const value = String(raw);
    const next = rewrite(value, token.type === 'image' ? 'image' : 'link');
    if (next !== value) token.attrSet(attr, next);
  }
}

function firstH1(tokens: Token[]): string | null {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type !== 'heading_open' || token.tag !== 'h1') continue;
    const inline = tokens[i + 1];
    const text = (inline?.children ?? [])
      .filter((child) => child.type === 'text' || child.type === 'code_inline')
      .map((child) => child.content)
      .join('')
      .trim();
    if (text !== '') return text;
  }
  return null;
}

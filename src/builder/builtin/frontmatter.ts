// Splits the optional YAML front matter block (`---` … `---`) MkDocs allows at the
// top of a page. Without this it would render as a rule and a stray heading; its
// `title` also names the page.

import { parseYaml } from './yaml.ts';

export interface FrontMatter {
  meta: Record<string, unknown>;
  body: string;
}

const BLOCK = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

export function splitFrontMatter(text: string): FrontMatter {
  const match = BLOCK.exec(text);
  if (!match) return { meta: {}, body: text };
  const parsed = parseYaml(match[1] ?? '');
  const value = parsed.value;
  // Like MkDocs: a block that is not a YAML mapping is ordinary Markdown.
  if (parsed.error !== null || value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { meta: {}, body: text };
  }
  return { meta: value as Record<string, unknown>, body: text.slice(match[0].length) };
}

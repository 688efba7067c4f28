// Heading ids the way GitHub makes them, so `#installing-the-cli` anchors that
// authors copied from GitHub's rendering of the same Markdown keep working.

/** Lowercase, drop punctuation (keeping letters, digits, `-`, `_`), spaces → `-`. */
export function githubSlug(text: string): string {
  const slug = text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
  // An all-punctuation heading would get id="" otherwise; markdown-it-anchor
  // still makes repeats unique (section-1, section-2…).
  return slug === '' ? 'section' : slug;
}

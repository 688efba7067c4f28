// Project slugs are DNS labels: they become `<slug>.<docs-domain>`.

/** Derives a project slug from its name: lower case, `a-z0-9-`, at most 63 characters. */
export function projectSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/g, '');
}

/** True for a slug that is a valid DNS label. */
export function isValidProjectSlug(slug: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(slug);
}

// Paths written in the configuration file, normalized without touching the disk.

export type NormalizedPath = { ok: true; path: string } | { ok: false; reason: string };

/**
 * A file or folder path relative to the repository root, as Read the Docs reads it
 * (`./docs//conf.py` → `docs/conf.py`, `.` → `.`). Refuses what would leave the
 * checkout: absolute paths and `..` above the root.
 */
export function normalizeRepoPath(value: string): NormalizedPath {
  if (value.trim() === '') return { ok: false, reason: 'the path is empty' };
  if (value.includes('\0')) return { ok: false, reason: 'the path contains a NUL character' };
  if (value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value)) return { ok: false, reason: 'the path must be relative to the repository root, not absolute' };
  const parts: string[] = [];
  for (const segment of value.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return { ok: false, reason: 'the path points outside the repository' };
      parts.pop();
    } else parts.push(segment);
  }
  return { ok: true, path: parts.length === 0 ? '.' : parts.join('/') };
}

/**
 * A search path pattern, as Read the Docs' validate_path_pattern: read as absolute to the
 * site root (so `..` cannot climb out), normalized, then written without the leading `/`.
 * Empty once normalized (`/`, `.`) is refused.
 */
export function normalizePathPattern(value: string): NormalizedPath {
  if (value.includes('\0')) return { ok: false, reason: 'the pattern contains a NUL character' };
  const parts: string[] = [];
  for (const segment of value.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  if (parts.length === 0) return { ok: false, reason: 'the pattern matches no page (it is empty once normalized)' };
  return { ok: true, path: parts.join('/') };
}

// Confines repository-controlled paths (docs_dir, the config file) to the checkout.
// mkdocs.yml comes from an untrusted repository: a value like `../../etc`, `/etc`
// or a symlinked folder must never let the build read outside the checkout.

import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { BuildError, ConfigError } from '../../core/errors.ts';

/** True when `child` is `parent` itself or lies below it (both absolute, normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** Sorts strings by code unit, so output never depends on the host's locale. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Resolves `relative` (as written by the repository) inside `root`, following
 * symlinks only to check that the real target is still inside the checkout.
 * Returns the real absolute path, or null when nothing exists there.
 * `key` names the setting for error messages (e.g. 'docs_dir').
 */
export async function resolveInside(root: string, relative: string, key: string): Promise<string | null> {
  if (relative.trim() === '') {
    throw new ConfigError(key, `${key} is empty: expected a folder relative to the repository root, such as "docs".`);
  }
  if (path.isAbsolute(relative) || path.win32.isAbsolute(relative)) {
    throw new ConfigError(
      key,
      `${key} is "${relative}", an absolute path: it must be relative to the repository root (for example "docs").`,
    );
  }
  const lexical = path.resolve(root, relative);
  if (!isInside(root, lexical)) {
    throw new ConfigError(
      key,
      `${key} is "${relative}", which points outside the repository: it must be a folder inside the repository (for example "docs").`,
    );
  }
  let real: string;
  try {
    real = await realpath(lexical);
  } catch {
    return null;
  }
  if (!isInside(root, real)) {
    throw new ConfigError(
      key,
      `${key} is "${relative}", which is a symbolic link to a location outside the repository; symbolic links out of the repository are not followed.`,
    );
  }
  return real;
}

/** The real path of the checkout root, or a BuildError when it is missing. */
export async function resolveSourceRoot(sourceDir: string): Promise<string> {
  try {
    const real = await realpath(sourceDir);
    if (!(await stat(real)).isDirectory()) throw new Error('not a directory');
    return real;
  } catch {
    throw new BuildError('source-missing', `the source folder ${sourceDir} does not exist or is not a folder; the checkout may have failed.`);
  }
}

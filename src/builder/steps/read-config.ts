// Reads the repository's configuration file: `.readthedocs.yaml` (or `.yml`) at the root, the
// file real projects already have, or the file the project's `readthedocs_yaml_path` names
// (relative to the root; as on Read the Docs, a missing one fails the build, with no fallback
// to the root). No file at the root is fine (the builder detects the documentation type); an
// invalid one fails the build listing every problem, each naming the key, the value and what
// was expected.
import fsp from 'node:fs/promises';
import { constants, existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../core/errors.ts';
import { normalizeRepoPath, parseRtdConfig, RTD_CONFIG_FILE_NAMES, type RtdConfig } from '../../core/rtd-config/index.ts';
import { inside, openDirNoFollow } from '../safe-tree.ts';

export const CONFIG_FILES: readonly string[] = RTD_CONFIG_FILE_NAMES;
const MAX_CONFIG_BYTES = 1024 * 1024;
const PATH_SETTING = 'readthedocs_yaml_path';

export interface LoadedConfig {
  /** The file read, relative to the repository root (`.readthedocs.yaml`, `docs/.readthedocs.yaml`). */
  file: string;
  config: RtdConfig;
  warnings: string[];
}

/**
 * `yamlPath` is the project's readthedocs_yaml_path (null or empty: the default names at the root).
 * Every folder on the way and the file itself are opened without following a symbolic link: the
 * text can end up in an error message, so it must be the repository's, never a host file's.
 */
export async function readBuildConfig(checkout: string, yamlPath?: string | null): Promise<LoadedConfig | null> {
  const found = yamlPath ? await openConfiguredFile(checkout, yamlPath) : await openRootFile(checkout);
  if (!found) return null;
  const { file, handle } = found;
  let text: string;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ConfigError('', `${file} must be a regular file, not a symbolic link or folder.`);
    if (stat.size > MAX_CONFIG_BYTES) throw new ConfigError('', `${file} is ${stat.size} bytes; the limit is ${MAX_CONFIG_BYTES}.`);
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  const result = parseRtdConfig(text, file);
  if (!result.ok) {
    const lines = result.problems.map((p) => `- ${p.message}`);
    const first = result.problems[0]!;
    throw new ConfigError(first.key, `Invalid configuration in ${file} (${result.problems.length} problem${result.problems.length > 1 ? 's' : ''}):\n${lines.join('\n')}`);
  }
  return { file, config: result.config, warnings: result.warnings };
}

/** The first of Read the Docs' names present at the root, opened no-follow; null when there is none. */
async function openRootFile(checkout: string): Promise<{ file: string; handle: fsp.FileHandle } | null> {
  const root = await openDirNoFollow(checkout);
  try {
    for (const name of CONFIG_FILES) {
      const stat = await fsp.lstat(inside(root, name)).catch(() => null);
      if (!stat) continue;
      if (!stat.isFile()) throw new ConfigError('', `${name} must be a regular file, not a symbolic link or folder.`);
      return { file: name, handle: await openFileNoFollow(inside(root, name), name) };
    }
    return null;
  } finally {
    await root.close();
  }
}

/** The file readthedocs_yaml_path names: inside the checkout, through real folders only, and present. */
async function openConfiguredFile(checkout: string, yamlPath: string): Promise<{ file: string; handle: fsp.FileHandle }> {
  const normalized = normalizeRepoPath(yamlPath);
  if (!normalized.ok || normalized.path === '.') {
    const reason = normalized.ok ? 'it names the repository itself, not a file' : normalized.reason;
    throw new ConfigError(PATH_SETTING, `The project's ${PATH_SETTING} ${JSON.stringify(yamlPath)} is not the path of a file in the repository: ${reason}. Set it to a path relative to the repository root, such as docs/.readthedocs.yaml.`);
  }
  const file = normalized.path;
  const parts = file.split('/');
  const notFound = () => new ConfigError(PATH_SETTING, `Configuration file not found in ${file} (the project's ${PATH_SETTING}, relative to the repository root); add the file to the repository or change the setting.`);
  let dir = await openDirNoFollow(checkout);
  try {
    for (const [index, part] of parts.slice(0, -1).entries()) {
      const shown = parts.slice(0, index + 1).join('/');
      const stat = await fsp.lstat(inside(dir, part)).catch(() => null);
      if (!stat) throw notFound();
      if (stat.isSymbolicLink()) throw new ConfigError(PATH_SETTING, `${shown}/, on the way to ${file} (the project's ${PATH_SETTING}), is a symbolic link; the configuration file is read through real folders only.`);
      if (!stat.isDirectory()) throw notFound();
      const next = await openDirNoFollow(inside(dir, part));
      await dir.close();
      dir = next;
    }
    const name = parts.at(-1)!;
    const stat = await fsp.lstat(inside(dir, name)).catch(() => null);
    if (!stat) throw notFound();
    if (!stat.isFile()) throw new ConfigError(PATH_SETTING, `${file} (the project's ${PATH_SETTING}) must be a regular file, not a symbolic link or folder.`);
    return { file, handle: await openFileNoFollow(inside(dir, name), file) };
  } finally {
    await dir.close();
  }
}

async function openFileNoFollow(at: Buffer, shown: string): Promise<fsp.FileHandle> {
  try {
    return await fsp.open(at, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    // Swapped for a link between lstat and open (nothing of the build runs yet, but still).
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new ConfigError('', `${shown} must be a regular file, not a symbolic link or folder.`);
    throw err;
  }
}

/**
 * Whether a normalized repository path from the configuration exists in the checkout now, symbolic
 * links resolved but never out of it (so nothing of the host is probed). Asked when the path is
 * used, after the jobs that may have created it.
 */
export function checkoutPathExists(checkout: string, rel: string): boolean {
  const target = path.resolve(checkout, rel);
  if (!(target === checkout || target.startsWith(checkout + path.sep)) || !existsSync(target)) return false;
  try {
    const root = realpathSync(checkout);
    const real = realpathSync(target);
    return real === root || real.startsWith(root + path.sep);
  } catch {
    return false; // gone (or a link loop) between the two looks
  }
}

// The one door between a build's output and everything after it (pre-compression, search
// indexing, upload): each format folder of $READTHEDOCS_OUTPUT is copied, through no-follow
// primitives only (safe-tree.ts), into a staging folder the build never sees. What the
// build left must be plain folders and plain files with one link and names storage and
// browsers can represent; anything else fails the build naming the offending paths, and
// nothing is staged. Limits on files, bytes and time hold here too.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BuildError } from '../../core/errors.ts';
import { inside, openDirNoFollow, openEntry, walkOpenDir } from '../safe-tree.ts';

export interface CollectLimits {
  /** Files (and folders) the whole output may hold. */
  maxFiles: number;
  maxBytes: number;
  /** Epoch ms: past it the build ends with build-timeout. */
  deadline: number;
}

export interface Collected {
  /** Formats found, 'html' first when present. */
  formats: string[];
  files: number;
  bytes: number;
}

const FORMATS = ['html', 'htmlzip', 'pdf', 'epub'];
const SMALL_FILE = 256 * 1024;

function list(paths: string[]): string {
  return paths.slice(0, 10).join(', ') + (paths.length > 10 ? ` and ${paths.length - 10} more` : '');
}

/** Copies `<output>/<format>/` for each known format into `<staging>/<format>/`; returns what was found. */
export async function collectOutput(outputDir: string, staging: string, limits: CollectLimits): Promise<Collected> {
  let root: fsp.FileHandle;
  try {
    root = await openDirNoFollow(outputDir);
  } catch (err) {
    throw await outputFolderError('$READTHEDOCS_OUTPUT', outputDir, err);
  }
  const result: Collected = { formats: [], files: 0, bytes: 0 };
  try {
    for (const format of FORMATS) {
      let dir: fsp.FileHandle;
      try {
        dir = await openDirNoFollow(inside(root, format));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw await outputFolderError(`$READTHEDOCS_OUTPUT/${format}`, inside(root, format), err);
      }
      try {
        await copyTree(dir, path.join(staging, format), `${format}/`, limits, result);
      } finally {
        await dir.close();
      }
      result.formats.push(format);
    }
  } finally {
    await root.close();
  }
  return result;
}

/** O_DIRECTORY|O_NOFOLLOW on a symlink fails with ENOTDIR (or ELOOP): lstat tells which it was. */
async function outputFolderError(name: string, at: string | Buffer, err: unknown): Promise<BuildError> {
  const code = (err as NodeJS.ErrnoException).code;
  const link = await fsp.lstat(at).then((s) => s.isSymbolicLink(), () => false);
  if (code === 'ELOOP' || link) return new BuildError('output-symlink', `${name} is a symbolic link; the build must write its output into the folder itself.`);
  if (code === 'ENOTDIR') return new BuildError('output-special-file', `${name} is not a folder.`);
  if (code === 'ENOENT') return new BuildError('no-html-output', `${name} does not exist.`);
  return new BuildError('output-unreadable', `${name} could not be read: ${(err as Error).message}`);
}

async function copyTree(dir: fsp.FileHandle, target: string, prefix: string, limits: CollectLimits, result: Collected): Promise<void> {
  await fsp.mkdir(target, { recursive: true, mode: 0o700 });
  const symlinks: string[] = [];
  const special: string[] = [];
  const names: string[] = [];
  const count = () => {
    if (++result.files > limits.maxFiles) {
      throw new BuildError('output-too-many-files', `The build output holds more than ${limits.maxFiles} files and folders.`);
    }
  };
  await walkOpenDir(dir, {
    check: () => {
      if (Date.now() > limits.deadline) throw new BuildError('build-timeout', 'The build exceeded its time limit while its output was collected.');
    },
    unsafe: (p, why) => {
      names.push(`"${prefix}${p}" (${why})`);
      count();
    },
    visit: async (entry) => {
      count();
      const dest = path.join(target, entry.path);
      if (entry.kind === 'symlink') symlinks.push(prefix + entry.path);
      else if (entry.kind === 'other') special.push(`${prefix}${entry.path} (not a regular file)`);
      else if (entry.kind === 'dir') await fsp.mkdir(dest, { mode: 0o700 });
      else if (entry.nlink !== 1) special.push(`${prefix}${entry.path} (a hard link)`);
      else {
        result.bytes += entry.size;
        if (result.bytes > limits.maxBytes) throw new BuildError('output-limit', `The build output exceeds its limit of ${Math.round(limits.maxBytes / 1024 / 1024)} MB.`);
        // Copied while the walk holds the parent open (entry.at names it). Nothing is copied once a
        // problem is known; the build fails below anyway.
        if (symlinks.length + special.length + names.length === 0) await copyFile(entry, dest);
      }
      return entry.kind === 'dir';
    },
  });
  if (symlinks.length) throw new BuildError('output-symlink', `The build output contains symbolic links, which are not allowed: ${list(symlinks)}.`);
  if (special.length) throw new BuildError('output-special-file', `The build output contains files that are not plain files: ${list(special)}.`);
  if (names.length) throw new BuildError('output-filename', `The build output contains file names that cannot be served safely: ${list(names)}.`);
}

async function copyFile(entry: Parameters<typeof openEntry>[0], dest: string): Promise<void> {
  const source = await openEntry(entry);
  try {
    if (entry.size <= SMALL_FILE) {
      await fsp.writeFile(dest, await source.readFile(), { flag: 'wx', mode: 0o600 });
    } else {
      await pipeline(source.createReadStream({ autoClose: false }), fs.createWriteStream(dest, { flags: 'wx', mode: 0o600 }));
    }
  } finally {
    await source.close();
  }
}

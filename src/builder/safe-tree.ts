// Reads a folder a build wrote without ever following a link the build planted. Every step
// goes through an open directory descriptor: `/proc/self/fd/<dir>/<name>` resolves <name>
// inside exactly the directory already open (openat semantics), and the last component is
// never followed (O_NOFOLLOW, lstat). So a folder swapped for a symlink — the output folder,
// a format folder, any subfolder — is seen as the symlink it is, never as its target.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { BuildError } from '../core/errors.ts';

// Node opens every descriptor close-on-exec already.
const { O_RDONLY, O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK } = fs.constants;
const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW;
const FILE_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK;
/** Deeper trees hold one descriptor per level; no documentation needs this many. */
export const MAX_DEPTH = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export type EntryKind = 'file' | 'dir' | 'symlink' | 'other';

export interface TreeEntry {
  /** Path below the root, `/`-separated (names are checked before they are turned into text). */
  path: string;
  kind: EntryKind;
  size: number;
  nlink: number;
  ino: number;
  /** An absolute path that names exactly this entry while the walk holds its parent open. */
  at: Buffer;
}

/** Opens a directory with no symlink anywhere on the way: the root by absolute path, then by descriptor. */
export async function openDirNoFollow(at: string | Buffer): Promise<fsp.FileHandle> {
  return fsp.open(at, DIR_FLAGS);
}

/** The path that resolves `name` inside the open directory `dir`. */
export function inside(dir: fsp.FileHandle, name: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`/proc/self/fd/${dir.fd}/`), typeof name === 'string' ? Buffer.from(name) : name]);
}

/** Why a name cannot be stored and served safely, or null. */
export function unsafeName(name: Buffer): string | null {
  let text: string;
  try {
    text = utf8.decode(name);
  } catch {
    return 'is not valid UTF-8';
  }
  if (name.length > 255) return 'is longer than 255 bytes';
  if (text === '.' || text === '..') return 'is a dot segment';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) return 'contains a control character';
  if (text.includes('\\')) return 'contains a backslash';
  if (/[\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text)) return 'contains a line separator or a bidirectional control';
  return null;
}

function kindOf(stat: fs.Stats): EntryKind {
  if (stat.isSymbolicLink()) return 'symlink';
  if (stat.isDirectory()) return 'dir';
  if (stat.isFile()) return 'file';
  return 'other';
}

export interface WalkOptions {
  /** Called for each entry; return false to skip a directory's contents. Throwing stops the walk. */
  visit: (entry: TreeEntry) => Promise<boolean | void> | boolean | void;
  /** Checked before each directory is read, e.g. a deadline. */
  check?: () => void;
}

/**
 * Walks the directory open at `dir` depth-first in name order. Entries whose names are unsafe
 * are reported with `unsafe` and not entered. Throws BuildError('output-too-deep') past MAX_DEPTH.
 */
export async function walkOpenDir(dir: fsp.FileHandle, opts: WalkOptions & { unsafe: (path: string, why: string) => void }, prefix = '', depth = 0): Promise<void> {
  if (depth > MAX_DEPTH) throw new BuildError('output-too-deep', `The build output nests folders more than ${MAX_DEPTH} deep (at ${prefix}).`);
  opts.check?.();
  const names = (await fsp.readdir(inside(dir, ''), { encoding: 'buffer' })).sort(Buffer.compare);
  for (const name of names) {
    const why = unsafeName(name);
    const shown = prefix + (why ? JSON.stringify(name.toString('latin1')).slice(1, -1) : name.toString('utf8'));
    if (why) {
      opts.unsafe(shown, why);
      continue;
    }
    const at = inside(dir, name);
    let stat: fs.Stats;
    try {
      stat = await fsp.lstat(at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const entry: TreeEntry = { path: shown, kind: kindOf(stat), size: stat.size, nlink: stat.nlink, ino: stat.ino, at };
    const descend = await opts.visit(entry);
    if (entry.kind !== 'dir' || descend === false) continue;
    let child: fsp.FileHandle;
    try {
      child = await openDirNoFollow(at);
    } catch (err) {
      // Swapped for a symlink or removed between lstat and open: not entered.
      if (['ELOOP', 'ENOTDIR', 'ENOENT'].includes((err as NodeJS.ErrnoException).code ?? '')) continue;
      throw err;
    }
    try {
      await walkOpenDir(child, opts, `${shown}/`, depth + 1);
    } finally {
      await child.close();
    }
  }
}

/** Opens a regular file of the walk, checking it is still the very file lstat saw (no swap in between). */
export async function openEntry(entry: TreeEntry): Promise<fsp.FileHandle> {
  const handle = await fsp.open(entry.at, FILE_FLAGS);
  const stat = await handle.stat();
  if (!stat.isFile() || stat.ino !== entry.ino || stat.nlink !== 1) {
    await handle.close();
    throw new BuildError('output-special-file', `The build output file ${entry.path} changed while it was read.`);
  }
  return handle;
}

/** Bytes and entries under each folder, measured without following links; stops early past the limits. */
export async function measureTree(roots: string[], stopAbove: { bytes: number; entries: number }): Promise<{ bytes: number; entries: number }> {
  const total = { bytes: 0, entries: 0 };
  const over = () => total.bytes > stopAbove.bytes || total.entries > stopAbove.entries;
  for (const root of roots) {
    let dir: fsp.FileHandle;
    try {
      dir = await openDirNoFollow(root);
    } catch {
      continue;
    }
    try {
      await walkOpenDir(dir, {
        visit: (e) => {
          total.entries++;
          if (e.kind === 'file') total.bytes += e.size;
          if (over()) throw new StopWalk();
        },
        unsafe: () => void total.entries++,
      });
    } catch (err) {
      if (!(err instanceof StopWalk) && !(err instanceof BuildError)) throw err;
      if (err instanceof BuildError) total.entries = Infinity;
    } finally {
      await dir.close();
    }
    if (over()) break;
  }
  return total;
}

class StopWalk extends Error {}

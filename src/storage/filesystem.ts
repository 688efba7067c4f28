// The filesystem backend: one folder (local, or an NFS mount shared by every node).
// Objects are written to a temporary name and renamed, so a reader never sees a partial file.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { assertSafeKey, type ByteRange, type Storage, type StoredFile } from './storage.ts';

export class FilesystemStorage implements Storage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Absolute path of a key, for offloading reads to nginx or sendfile. */
  pathOf(key: string): string {
    assertSafeKey(key);
    const full = path.join(this.root, ...key.split('/'));
    if (!full.startsWith(this.root + path.sep)) throw new Error(`unsafe storage key: ${JSON.stringify(key)}`);
    return full;
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    const target = this.pathOf(key);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    await fsp.writeFile(tmp, body);
    await fsp.rename(tmp, target);
  }

  async putDirectory(localDir: string, prefix: string): Promise<string[]> {
    const written: string[] = [];
    const walk = async (dir: string, rel: string[]): Promise<void> => {
      const entries = await fsp.readdir(dir, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const entry of entries) {
        const abs = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(abs, [...rel, entry.name]);
        else if (entry.isFile()) {
          // Only regular files: symlinks in build output are refused before upload.
          const key = [prefix, ...rel, entry.name].join('/');
          await this.put(key, await fsp.readFile(abs));
          written.push(key);
        }
      }
    };
    await walk(localDir, []);
    return written;
  }

  async get(key: string, range?: ByteRange): Promise<StoredFile | null> {
    let handle: fsp.FileHandle;
    try {
      // O_NOFOLLOW: even a symlink that reached storage is never followed.
      handle = await fsp.open(this.pathOf(key), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ENAMETOOLONG: a reader's overlong URL names no object; it is not a server error.
      if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENAMETOOLONG') return null;
      throw err;
    }
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      return null;
    }
    return { size: stat.size, modified: stat.mtime, body: handle.createReadStream(range ? { start: range.start, end: range.end } : {}) };
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await fsp.lstat(this.pathOf(key))).isFile();
    } catch {
      return false;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const base = prefix.replace(/\/+$/, '');
    const out: string[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries: fs.Dirent[];
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (entry.name.endsWith('.tmp')) continue;
        const key = `${rel}/${entry.name}`;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), key);
        else if (entry.isFile()) out.push(key);
      }
    };
    await walk(this.pathOf(base), base);
    return out.sort();
  }

  async deletePrefix(prefix: string): Promise<void> {
    await fsp.rm(this.pathOf(prefix.replace(/\/+$/, '')), { recursive: true, force: true });
  }
}

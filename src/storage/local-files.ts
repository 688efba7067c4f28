// Walks a local build output for upload: regular files only, in a stable order, plus a
// bounded worker pool that never settles before every started upload has settled.
import type { Dirent } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

export interface LocalFile {
  abs: string;
  /** Path segments below the walked folder. */
  rel: string[];
}

/** Regular files under `dir`, depth first, names sorted; symlinks are skipped (checked before upload anyway). */
export async function listLocalFiles(dir: string): Promise<LocalFile[]> {
  const out: LocalFile[] = [];
  const walk = async (abs: string, rel: string[]): Promise<void> => {
    const entries: Dirent[] = await fsp.readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const child = path.join(abs, entry.name);
      if (entry.isDirectory()) await walk(child, [...rel, entry.name]);
      else if (entry.isFile()) out.push({ abs: child, rel: [...rel, entry.name] });
    }
  };
  await walk(dir, []);
  return out;
}

/**
 * Runs `task` on every item, at most `limit` at once. After the first failure no new task
 * starts, and the returned promise rejects with that failure only once the running ones have
 * settled: when it rejects, nothing this call started is still writing.
 */
export async function runBounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const state = { next: 0, failed: false, error: undefined as unknown };
  const worker = async (): Promise<void> => {
    while (!state.failed && state.next < items.length) {
      const item = items[state.next++]!;
      try {
        await task(item);
      } catch (error) {
        if (!state.failed) Object.assign(state, { failed: true, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (state.failed) throw state.error;
}

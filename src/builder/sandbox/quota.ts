// Measures the build output folder against its quota. Polled while a command runs and
// checked when it ends; a command can overshoot by what it writes between two polls.
import fs from 'node:fs/promises';
import path from 'node:path';

/** Apparent size of every regular file under `dir` (symlinks not followed); stops counting above `stopAbove`. */
export async function dirSize(dir: string, stopAbove = Infinity): Promise<number> {
  let total = 0;
  const stack = [dir];
  while (stack.length > 0 && total <= stopAbove) {
    const current = stack.pop()!;
    let entries;
    try {
      entries = await fs.readdir(current, { withFileTypes: true });
    } catch {
      continue; // Removed while we looked, or not a folder.
    }
    for (const entry of entries) {
      const abs = path.join(current, entry.name);
      if (entry.isDirectory()) stack.push(abs);
      else if (entry.isFile()) total += (await fs.lstat(abs).catch(() => null))?.size ?? 0;
    }
  }
  return total;
}

// Lists the files of the docs folder in a fixed order. Symlinks are never followed:
// a repository can point one at /etc/passwd or at the build server's secrets, and
// the builder would otherwise copy it into the public site.

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { byCodeUnit } from './paths.ts';

/**
 * Every regular file below `root`, as POSIX paths relative to it, sorted by path
 * segment so the walk (and thus the output) is the same on every machine.
 * Dot-files and dot-folders (.git, .DS_Store, .pages…) are left out.
 */
export async function walkDocs(root: string, log: (line: string) => void): Promise<string[]> {
  const found: string[] = [];
  await walkInto(root, '', found, log);
  return found;
}

async function walkInto(root: string, rel: string, found: string[], log: (line: string) => void): Promise<void> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  entries.sort((a, b) => byCodeUnit(a.name, b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isSymbolicLink()) {
      log(`skipped ${child}: symbolic links are not followed`);
    } else if (entry.isDirectory()) {
      await walkInto(root, child, found, log);
    } else if (entry.isFile()) {
      found.push(child);
    } else {
      log(`skipped ${child}: not a regular file`);
    }
  }
}

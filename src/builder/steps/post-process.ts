// After the build, before upload: what leaves the builder must be plain files inside the
// output folder (a hostile build can plant a symlink to /etc/passwd), and formats are
// packed the way Read the Docs ships them.
import fs from 'node:fs/promises';
import path from 'node:path';
import { BuildError } from '../../core/errors.ts';
import { PYTHON } from './doc-builders.ts';

/** Fails the build, naming the files, when the output holds symlinks or other non-regular files. */
export async function checkOutputTree(root: string): Promise<void> {
  const bad: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else if (!entry.isFile()) bad.push(path.relative(root, abs));
    }
  };
  await walk(root);
  if (bad.length) {
    const shown = bad.slice(0, 10).join(', ') + (bad.length > 10 ? ` and ${bad.length - 10} more` : '');
    throw new BuildError('output-symlink', `The build output contains symbolic links or special files, which are not allowed: ${shown}.`);
  }
}

/** Zips a folder with Python's zipfile (no extra dependency), entries under `<project>/`. */
export async function zipDirectory(source: string, target: string, project: string, run: (argv: string[], name: string) => Promise<void>): Promise<void> {
  const staging = path.join(path.dirname(target), `.zip-${project}`);
  await fs.mkdir(staging, { recursive: true });
  await fs.cp(source, path.join(staging, project), { recursive: true, verbatimSymlinks: true });
  await run([PYTHON, '-m', 'zipfile', '-c', target, path.join(staging, project)], 'zip htmlzip');
  await fs.rm(staging, { recursive: true, force: true });
}

// Opens checkout files with O_NOFOLLOW. The walk already skips symlinks; this also
// covers a file swapped for a symlink after the walk, so the builder can only ever
// read what is really inside the docs folder.

import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW;

export async function readTextNoFollow(file: string): Promise<string> {
  const handle = await open(file, READ_NO_FOLLOW);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Streams `from` to `to` (overwriting it), so large assets never sit in memory. */
export async function copyNoFollow(from: string, to: string): Promise<void> {
  const source = await open(from, READ_NO_FOLLOW);
  let target;
  try {
    target = await open(to, 'w');
  } catch (err) {
    await source.close();
    throw err;
  }
  // The streams own the handles from here and close them when the pipeline ends.
  await pipeline(source.createReadStream(), target.createWriteStream());
}

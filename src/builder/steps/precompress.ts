// Writes `<file>.br` and `<file>.gz` beside each text file of a build's output (≥ 1 KB) so
// the docs server — or nginx's gzip_static — sends compressed bytes without compressing per
// request. The build pipeline calls precompressDirectory() before upload.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Below this, compression saves less than a packet and costs a file. */
export const MIN_PRECOMPRESS_BYTES = 1024;

/** Text-like files worth compressing; images, fonts in woff/woff2, archives are already compressed. */
const COMPRESSIBLE = /\.(html?|css|js|mjs|cjs|json|map|svg|xml|txt|md|rst|csv|ico|wasm|ttf|otf|eot|ya?ml|toml|ipynb)$/i;

export interface PrecompressResult {
  /** Files that got siblings. */
  files: number;
  bytesIn: number;
  brBytes: number;
  gzBytes: number;
}

async function* textFiles(dir: string): AsyncGenerator<string> {
  const entries = await fsp.readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    // Dirent types come from lstat: symlinks are neither, so they are never followed.
    if (entry.isDirectory()) yield* textFiles(full);
    else if (entry.isFile() && COMPRESSIBLE.test(entry.name)) yield full;
  }
}

async function compressOne(file: string, result: PrecompressResult): Promise<void> {
  const data = await fsp.readFile(file);
  if (data.length < MIN_PRECOMPRESS_BYTES) return;
  const [br, gz] = await Promise.all([
    brotli(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        // Best ratio for what is read many times; large files get a faster level to bound build time.
        [zlib.constants.BROTLI_PARAM_QUALITY]: data.length > 4 * 1024 * 1024 ? 6 : zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
    gzip(data, { level: zlib.constants.Z_BEST_COMPRESSION }),
  ]);
  let wrote = false;
  // A sibling no smaller than the file would only cost bytes and a lookup.
  if (br.length < data.length) {
    await fsp.writeFile(`${file}.br`, br);
    result.brBytes += br.length;
    wrote = true;
  }
  if (gz.length < data.length) {
    await fsp.writeFile(`${file}.gz`, gz);
    result.gzBytes += gz.length;
    wrote = true;
  }
  if (wrote) {
    result.files++;
    result.bytesIn += data.length;
  }
}

/** Compresses every text file under `dir` (recursively), a few at a time. */
export async function precompressDirectory(dir: string, concurrency = 4): Promise<PrecompressResult> {
  const result: PrecompressResult = { files: 0, bytesIn: 0, brBytes: 0, gzBytes: 0 };
  const running = new Set<Promise<void>>();
  let failure: unknown = null;
  for await (const file of textFiles(dir)) {
    const job: Promise<void> = compressOne(file, result)
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => running.delete(job));
    running.add(job);
    if (running.size >= concurrency) await Promise.race(running);
    if (failure) break;
  }
  await Promise.all(running);
  if (failure) throw failure;
  return result;
}

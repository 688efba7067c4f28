// Byte ranges of S3 answers. Some S3-compatible servers answer a range loosely (s3rver sends
// the whole object for `bytes=0-0`), so the body is cut to what was asked, never trusted.
import { PassThrough, type Readable } from 'node:stream';

export interface ContentRange {
  start: number;
  end: number;
  size: number;
}

/** Parses `bytes 2-5/11`; null for anything else. */
export function parseContentRange(header: string | undefined): ContentRange | null {
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header?.trim() ?? '');
  return m ? { start: Number(m[1]), end: Number(m[2]), size: Number(m[3]) } : null;
}

/** The first `length` bytes of `body`; the rest is not read (its connection is dropped). */
export function firstBytes(body: Readable, length: number): Readable {
  let left = length;
  const out = new PassThrough();
  const finish = () => {
    if (!out.writableEnded) out.end();
  };
  body.on('data', (chunk: Buffer) => {
    const part = chunk.subarray(0, left);
    left -= part.length;
    if (part.length > 0 && !out.write(part)) body.pause();
    if (left === 0) {
      finish();
      body.destroy();
    }
  });
  out.on('drain', () => body.resume());
  body.on('end', finish);
  body.on('error', (err) => out.destroy(err));
  out.on('close', () => body.destroy());
  return out;
}

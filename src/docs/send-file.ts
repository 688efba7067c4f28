// Sends one stored file of a build with the HTTP caching rules: strong ETag, Last-Modified,
// 304s, single byte ranges, pre-compressed `.br`/`.gz` siblings, or hands the file to nginx
// with X-Accel-Redirect so it is sent with sendfile. Answers false when there is no such file.
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import mime from 'mime-types';
import {
  cacheControlFor, ifRangeAllows, isCompressible, isNotModified, makeEtag, negotiateEncoding, parseRange, type Coding,
} from '../core/http-cache.ts';
import { encodePath } from '../core/redirects.ts';
import type { Storage } from '../storage/storage.ts';
import type { FileCache } from './file-cache.ts';
import { noteFile } from './headers.ts';

export function contentType(file: string): string {
  const type = mime.lookup(path.extname(file)) || 'application/octet-stream';
  return /^text\/|javascript|json|xml|svg/.test(type) ? `${type}; charset=utf-8` : type;
}

export interface SendOptions {
  storage: Storage;
  /** Small files kept in memory; null reads storage every time. */
  fileCache: FileCache | null;
  /** `/_internal/`: answer with X-Accel-Redirect to this location + the storage key instead of the bytes. */
  accelRedirect: string | null;
  /** The build the file belongs to, part of its ETag. */
  buildId: number;
  /** What the reader downloads the file as (`Content-Disposition: filename=<it>`, as Read the Docs sends it). */
  downloadName?: string;
  cacheControl?: string;
}

/** A file opened for sending: whole in memory (small, maybe cached), or a stream. */
type Opened = { size: number; modified: Date; body: Buffer; stream?: undefined } | { size: number; modified: Date; body?: undefined; stream: Readable };

const SUFFIX: Record<Coding, string> = { br: '.br', gzip: '.gz' };

async function readWhole(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Opens a key through the file cache: a small file is read whole and kept. */
async function open(opts: SendOptions, key: string): Promise<Opened | null> {
  const cache = opts.fileCache;
  const hit = cache?.get(key);
  if (hit === null) return null;
  if (hit?.body) return { size: hit.size, modified: hit.modified, body: hit.body };
  const file = await opts.storage.get(key);
  if (!file) return null;
  if (cache && file.size <= cache.maxFileBytes) {
    const body = await readWhole(file.body);
    cache.set(key, { size: body.length, modified: file.modified, body });
    return { size: body.length, modified: file.modified, body };
  }
  return { size: file.size, modified: file.modified, stream: file.body };
}

/** Opens the best stored representation the client accepts: a compressed sibling, else the file. */
async function openRepresentation(opts: SendOptions, key: string, acceptEncoding: string | undefined, compressible: boolean): Promise<{ file: Opened; coding: Coding | null } | null> {
  if (compressible && acceptEncoding) {
    let candidates: Coding[] = ['br', 'gzip'];
    for (let coding = negotiateEncoding(acceptEncoding, candidates); coding; coding = negotiateEncoding(acceptEncoding, candidates)) {
      const file = await open(opts, key + SUFFIX[coding]);
      if (file) return { file, coding };
      // Remember an absent sibling only beside a file known to exist, so made-up paths cannot fill the cache.
      if (opts.fileCache?.get(key)) opts.fileCache.set(key + SUFFIX[coding], null);
      candidates = candidates.filter((c) => c !== coding);
    }
  }
  const file = await open(opts, key);
  return file ? { file, coding: null } : null;
}

async function exists(opts: SendOptions, key: string): Promise<boolean> {
  if (opts.fileCache?.get(key)) return true;
  if (!(await opts.storage.exists(key))) return false;
  opts.fileCache?.set(key, { size: 0, modified: new Date(0), body: null });
  return true;
}

export async function sendStoredFile(request: FastifyRequest, reply: FastifyReply, key: string, opts: SendOptions): Promise<boolean> {
  const type = contentType(key);
  const compressible = isCompressible(type);
  // Set only once the file is known to exist, so a 404 that follows carries none of them.
  // CORS and the X-RTD-* headers are docs/headers.ts's, written as the answer leaves.
  const describe = () => {
    reply
      .header('content-type', type)
      .header('cache-control', opts.cacheControl ?? cacheControlFor(key))
      .header('x-content-type-options', 'nosniff');
    if (opts.downloadName) reply.header('content-disposition', `filename=${opts.downloadName}`);
    if (compressible) reply.header('vary', 'Accept-Encoding');
    noteFile(reply, key);
  };

  if (opts.accelRedirect) {
    // nginx owns validators, ranges and gzip_static from here; Bindery only says which file.
    if (!(await exists(opts, key))) return false;
    describe();
    reply.header('x-accel-redirect', opts.accelRedirect + encodePath(key)).send();
    return true;
  }

  const headers = request.headers;
  const range = headers.range;
  // A range is of the identity bytes: sending ranges of a compressed sibling would need its own validators.
  const opened = await openRepresentation(opts, key, range ? undefined : headers['accept-encoding'], compressible);
  if (!opened) return false;
  const { file, coding } = opened;
  describe();
  const etag = makeEtag(opts.buildId, key, file.size, file.modified.getTime(), coding);
  reply.header('etag', etag).header('last-modified', file.modified.toUTCString()).header('accept-ranges', 'bytes');
  if (coding) reply.header('content-encoding', coding);

  if (isNotModified({ ifNoneMatch: headers['if-none-match'], ifModifiedSince: headers['if-modified-since'] }, etag, file.modified)) {
    file.stream?.destroy();
    reply.removeHeader('content-type');
    reply.code(304).send();
    return true;
  }

  const ifRange = headers['if-range'];
  const wanted = ifRangeAllows(typeof ifRange === 'string' ? ifRange : undefined, etag, file.modified) ? parseRange(range, file.size) : { kind: 'none' as const };
  if (wanted.kind === 'unsatisfiable') {
    file.stream?.destroy();
    reply.code(416).header('content-range', `bytes */${file.size}`).header('content-type', 'text/plain; charset=utf-8').send('Range not satisfiable\n');
    return true;
  }
  if (wanted.kind === 'none') {
    sendBody(request, reply, file.body ?? file.stream, file.size);
    return true;
  }
  reply.code(206).header('content-range', `bytes ${wanted.start}-${wanted.end}/${file.size}`);
  const length = wanted.end - wanted.start + 1;
  if (file.body) {
    sendBody(request, reply, file.body.subarray(wanted.start, wanted.end + 1), length);
    return true;
  }
  file.stream.destroy();
  const part = await opts.storage.get(key, { start: wanted.start, end: wanted.end });
  if (!part) return false;
  sendBody(request, reply, part.body, length);
  return true;
}

/** Sends a body of known length; HEAD gets the same headers and no bytes. */
export function sendBody(request: FastifyRequest, reply: FastifyReply, body: Readable | Buffer, length: number): void {
  reply.header('content-length', length);
  if (request.method === 'HEAD') {
    if (!Buffer.isBuffer(body)) body.destroy();
    reply.send();
  } else {
    reply.send(body);
  }
}

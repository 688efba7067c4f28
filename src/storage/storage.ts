// Where build artifacts live. Keys are `/`-separated relative paths such as
// `<project>/<version>/<build-id>/html/index.html`; a build's prefix is written once and
// never changed, so readers of a live build never see a half-written file.
import type { Readable } from 'node:stream';

/** Bytes `start` to `end` of an object, both inclusive (as in HTTP's Range). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StoredFile {
  /** Size of the whole object, even when only a range is read. */
  size: number;
  modified: Date;
  body: Readable;
}

export interface Storage {
  /** Writes one object. */
  put(key: string, body: Buffer | string): Promise<void>;
  /** Uploads every regular file under a local folder to `prefix/`; returns the keys written. */
  putDirectory(localDir: string, prefix: string): Promise<string[]>;
  /** Opens an object for reading (only `range` of it when given); null when there is none. */
  get(key: string, range?: ByteRange): Promise<StoredFile | null>;
  /** True when an object exists at exactly this key. */
  exists(key: string): Promise<boolean>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes every object under a prefix. */
  deletePrefix(prefix: string): Promise<void>;
}

/** Throws unless `key` is a clean relative key: no empty, `.` or `..` segments, no backslash or NUL. */
export function assertSafeKey(key: string): void {
  if (!key || key.startsWith('/') || /[\\\u0000]/.test(key) || key.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`unsafe storage key: ${JSON.stringify(key)}`);
  }
}

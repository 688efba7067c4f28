// Recently served small files of live builds, kept in memory. A build's files never change
// (its storage prefix is written once), so a cached file never goes stale: it stops being
// asked for when the version points elsewhere, and ages out. Saves the open/stat/read/close
// round trips through libuv's thread pool that otherwise dominate serving a page.

export interface CachedFile {
  size: number;
  modified: Date;
  /** The bytes; null when only the file's existence and stat are kept (X-Accel-Redirect mode). */
  body: Buffer | null;
}

/** What an entry that says "this key does not exist" costs in the byte budget. */
const MISSING_COST = 64;

export class FileCache {
  readonly maxFileBytes: number;
  readonly #maxBytes: number;
  #bytes = 0;
  readonly #map = new Map<string, CachedFile | null>();

  /** `maxBytes` bounds all entries together; files larger than `maxFileBytes` are never kept. */
  constructor(maxBytes: number, maxFileBytes: number) {
    this.#maxBytes = maxBytes;
    this.maxFileBytes = maxFileBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The entry (null: known missing), or undefined when the cache does not know. */
  get(key: string): CachedFile | null | undefined {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    // Most recently used last: eviction takes from the front.
    this.#map.delete(key);
    this.#map.set(key, entry);
    return entry;
  }

  set(key: string, entry: CachedFile | null): void {
    const cost = this.#cost(key, entry);
    if (cost > this.#maxBytes || (entry?.body && entry.body.length > this.maxFileBytes)) return;
    const old = this.#map.get(key);
    if (old !== undefined) {
      this.#bytes -= this.#cost(key, old);
      this.#map.delete(key);
    }
    while (this.#bytes + cost > this.#maxBytes && this.#map.size > 0) {
      const [oldestKey, oldest] = this.#map.entries().next().value!;
      this.#map.delete(oldestKey);
      this.#bytes -= this.#cost(oldestKey, oldest);
    }
    this.#map.set(key, entry);
    this.#bytes += cost;
  }

  clear(): void {
    this.#map.clear();
    this.#bytes = 0;
  }

  #cost(key: string, entry: CachedFile | null): number {
    return key.length + (entry?.body ? entry.body.length : MISSING_COST);
  }
}

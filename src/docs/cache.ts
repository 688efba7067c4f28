// The docs server's memory of recent resolutions (host → project, project + version → live
// build, …): a bounded map with a short time to live, so most requests touch no database, and
// a deploy elsewhere shows within the TTL. invalidate() drops everything at once (a deploy here
// or, through the change feed, on another node). Answers that expired or were dropped are kept
// apart as a fallback: when the database cannot answer, the last known answer is served.

interface Entry<V> {
  value: V;
  expires: number;
  /** When the value was read from the database: a fallback older than the stale limit is not used. */
  loaded: number;
}

export interface TtlCacheOptions {
  /** How long an expired or dropped answer may still stand in for a failed load (0: never). */
  staleIfErrorMs?: number;
  /** A load slower than this is answered from the fallback while it goes on (a database that hangs). */
  staleAfterMs?: number;
  /** After a failed load, the fallback is served this long before the database is tried again. */
  retryAfterMs?: number;
}

const live = new Set<TtlCache<unknown>>();
const SLOW = Symbol('slow');

export class TtlCache<V> {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #opts: Required<TtlCacheOptions>;
  readonly #map = new Map<string, Entry<V>>();
  /** Expired or invalidated answers, oldest first, bounded like the live map. */
  readonly #stale = new Map<string, Entry<V>>();
  readonly #loading = new Map<string, Promise<V>>();
  #generation = 0;

  constructor(ttlMs: number, maxEntries: number, opts: TtlCacheOptions = {}) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#opts = { staleIfErrorMs: opts.staleIfErrorMs ?? 0, staleAfterMs: opts.staleAfterMs ?? 2000, retryAfterMs: opts.retryAfterMs ?? 1000 };
    live.add(this as TtlCache<unknown>);
  }

  get size(): number {
    return this.#map.size;
  }

  /** The cached value, or undefined when absent or expired. */
  get(key: string, now = Date.now()): V | undefined {
    const entry = this.#map.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now) {
      this.#map.delete(key);
      this.#keepStale(key, entry);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, now = Date.now(), loaded = now): void {
    if (this.#ttlMs <= 0) return;
    this.#map.delete(key);
    this.#stale.delete(key);
    // Insertion order is age order: the first key is the oldest, evicted first.
    if (this.#map.size >= this.#maxEntries) this.#map.delete(this.#map.keys().next().value!);
    this.#map.set(key, { value, expires: now + this.#ttlMs, loaded });
  }

  delete(key: string): void {
    this.#map.delete(key);
    this.#stale.delete(key);
  }

  /** Makes the next read load again, keeping the answer as a fallback. */
  expire(key: string): void {
    const entry = this.#map.get(key);
    this.#map.delete(key);
    if (entry) this.#keepStale(key, entry);
  }

  /** The fallback answer for a key, if one is young enough. */
  stale(key: string, now = Date.now()): V | undefined {
    const entry = this.#map.get(key) ?? this.#stale.get(key);
    return entry && now - entry.loaded <= this.#opts.staleIfErrorMs ? entry.value : undefined;
  }

  clear(): void {
    for (const [key, entry] of this.#map) this.#keepStale(key, entry);
    this.#map.clear();
    this.#generation++;
    // A load that started before the clear may carry what the clear meant to drop.
    this.#loading.clear();
  }

  /** Stops tracking this cache for invalidate() (when its server closes). */
  dispose(): void {
    this.#map.clear();
    this.#stale.clear();
    live.delete(this as TtlCache<unknown>);
  }

  #keepStale(key: string, entry: Entry<V>): void {
    if (this.#opts.staleIfErrorMs <= 0) return;
    this.#stale.delete(key);
    if (this.#stale.size >= this.#maxEntries) this.#stale.delete(this.#stale.keys().next().value!);
    this.#stale.set(key, entry);
  }

  /**
   * Reads through the cache; `fresh` tells whether the value was loaded for this call. Misses
   * of one key at the same moment share one load, so an expiry under load is one query. When
   * the load fails or hangs and a fallback exists, the fallback answers (`stale`).
   */
  async through(key: string, load: () => Promise<V>): Promise<{ value: V; fresh: boolean; stale?: true }> {
    const hit = this.get(key);
    if (hit !== undefined) return { value: hit, fresh: false };
    let pending = this.#loading.get(key);
    if (!pending) {
      const generation = this.#generation;
      const done = () => {
        if (this.#loading.get(key) === promise) this.#loading.delete(key);
      };
      const promise: Promise<V> = load().then(
        (value) => {
          done();
          if (generation === this.#generation) this.set(key, value);
          return value;
        },
        (err: unknown) => {
          done();
          throw err;
        },
      );
      // Callers that were answered from the fallback no longer wait for this load.
      promise.catch(() => {});
      this.#loading.set(key, promise);
      pending = promise;
    }
    const fallback = this.stale(key);
    if (fallback === undefined) return { value: await pending, fresh: true };
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<typeof SLOW>((resolve) => (timer = setTimeout(() => resolve(SLOW), this.#opts.staleAfterMs)));
    try {
      const value = await Promise.race([pending, slow]);
      if (value !== SLOW) return { value, fresh: true };
    } catch {
      // Serve the fallback for a while before asking the database again: requests during an
      // outage cost no failed connection each, and it is not hammered as it comes back.
      const now = Date.now();
      const entry = this.#stale.get(key);
      if (entry) this.set(key, entry.value, now - this.#ttlMs + this.#opts.retryAfterMs, entry.loaded);
    } finally {
      clearTimeout(timer);
    }
    return { value: fallback, fresh: false, stale: true };
  }
}

/** Forgets every cached resolution of every docs server in this process. */
export function invalidate(): void {
  for (const cache of live) cache.clear();
}

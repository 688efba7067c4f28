// Rate limit of API v3: a token bucket per API token, and one per client address for requests
// without a valid token. In memory on each node (a client spread over N nodes gets up to N
// times the rate), which is enough to stop a runaway script or a token-guessing loop.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { authenticate, presentedToken } from './auth.ts';
import { HttpError } from './errors.ts';

export interface RateLimitOptions {
  /** Requests a minute one valid token may make (burst: the same number). 0 → no limit. */
  perTokenPerMinute: number;
  /** Requests a minute one address may make without a valid token. 0 → no limit. */
  perIpPerMinute: number;
  /** Buckets kept at most; the oldest are forgotten first (a forgotten bucket starts full). */
  maxBuckets: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perTokenPerMinute: 600, perIpPerMinute: 120, maxBuckets: 100_000 };

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets by key: `take` answers 0 when the request may go, else the seconds to wait. */
export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  readonly #maxBuckets: number;

  constructor(maxBuckets: number) {
    this.#maxBuckets = maxBuckets;
  }

  take(key: string, perMinute: number, now = Date.now()): number {
    const rate = perMinute / 60_000;
    let bucket = this.#buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * rate);
      bucket.at = now;
      // Map order is insertion order: re-inserting keeps the busiest keys away from eviction.
      this.#buckets.delete(key);
    } else {
      bucket = { tokens: perMinute, at: now };
      if (this.#buckets.size >= this.#maxBuckets) this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
  }
}

/** Limits every /api/v3/ request; over the limit → 429 with Retry-After, before any route work. */
export function registerRateLimit(app: FastifyInstance, db: Db, options: Partial<RateLimitOptions> = {}): void {
  const opts = { ...DEFAULT_RATE_LIMIT, ...options };
  const buckets = new TokenBuckets(opts.maxBuckets);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/v3/')) return;
    // A token that does not authenticate counts against the address: guessing tokens is throttled.
    const auth = presentedToken(request) ? await authenticate(db, request) : null;
    const [key, limit] = auth ? [`token:${auth.token.id}`, opts.perTokenPerMinute] : [`ip:${request.ip}`, opts.perIpPerMinute];
    if (limit <= 0) return;
    const wait = buckets.take(key, limit);
    reply.header('x-ratelimit-limit', String(limit));
    if (wait > 0) {
      throw new HttpError(429, `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`, undefined, { 'retry-after': String(wait) });
    }
  });
}

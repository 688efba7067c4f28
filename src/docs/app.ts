// The documentation server: host + path → project, version, file from the live build.
// It is its own small program (readers hit it far more than anything else), kept apart
// from the dashboard: it reads the database and storage, never writes.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import { createLogger, type Logger } from '../log.ts';
import type { Storage } from '../storage/storage.ts';
import type { DocsContext } from './exchange.ts';
import { FileCache } from './file-cache.ts';
import { handleDocsRequest } from './handler.ts';
import { CORS_METHODS, docsHeadersHook } from './headers.ts';
import { ReaderSessions } from './reader-session.ts';
import { Resolver } from './resolver.ts';
import { invalidate } from './cache.ts';
import { onServingChange } from '../core/changes.ts';

export interface DocsAppOptions {
  db: Db;
  storage: Storage;
  docsDomain: string;
  /** Pull-request previews are served at `<slug>--<number>.<previewDomain>` only. */
  previewDomain: string;
  log: Logger | false;
  /**
   * An nginx `internal` location aliased to the storage root (`/_internal/`): found files are
   * answered with `X-Accel-Redirect: <it><storage key>` for nginx to send (deploy/nginx/).
   * Only for filesystem storage. Unset: the docs server sends the bytes itself.
   */
  accelRedirect?: string | null;
  /** How long host/version resolutions are reused, in ms (default 2000; 0 turns the cache off). */
  cacheTtlMs?: number;
  /** Resolutions kept per kind (default 10,000). */
  cacheEntries?: number;
  /** Addresses of the proxies whose X-Forwarded-* headers are believed (default: none). */
  trustProxy?: string[];
  /** Bytes of small build files kept in memory (default 64 MiB; 0 turns it off). Files never change, so it never serves stale bytes. */
  fileCacheBytes?: number;
  /** The dashboard's address (PUBLIC_URL): private pages link to its `/_/docs-login/`. */
  publicUrl?: string;
  /** The docs domain is reached over https (`DOCS_HTTPS`): its https answers carry Strict-Transport-Security. */
  docsHttps?: boolean;
}

/** Files above this are streamed from storage each time rather than kept. */
const MAX_CACHED_FILE = 256 * 1024;

/** What Read the Docs' docs views answer to (Django's View lists OPTIONS beside the methods it has). */
const ALLOWED = 'GET, HEAD, OPTIONS';

export async function createDocsApp(opts: DocsAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (opts.log || createLogger('silent')) as FastifyBaseLogger,
    routerOptions: { maxParamLength: 2000 },
    // Only the proxies in front of this node may name the client (X-Forwarded-For/-Host).
    trustProxy: opts.trustProxy?.length ? opts.trustProxy : false,
  });
  const resolver = new Resolver(opts.db, { docsDomain: opts.docsDomain, previewDomain: opts.previewDomain }, { ttlMs: opts.cacheTtlMs ?? 2000, maxEntries: opts.cacheEntries ?? 10_000 });
  const fileCacheBytes = opts.fileCacheBytes ?? 64 * 1024 * 1024;
  const ctx: DocsContext = {
    docsDomain: opts.docsDomain, storage: opts.storage, resolver, accelRedirect: opts.accelRedirect || null, docsHttps: opts.docsHttps ?? false,
    fileCache: fileCacheBytes > 0 ? new FileCache(fileCacheBytes, MAX_CACHED_FILE) : null,
    readers: new ReaderSessions(opts.db, opts.publicUrl ?? null),
  };
  // A deploy, a privacy change or a redirect edited in this process shows at once; other
  // nodes see it within the TTL (or at once through the database signal, see ARCHITECTURE.md).
  const unsubscribe = onServingChange(invalidate);
  app.addHook('onClose', async () => {
    unsubscribe();
    resolver.dispose();
  });

  // Before body parsing, so any other method is a 405, whatever it sends. OPTIONS (a CORS
  // preflight) is answered at once, with the CORS headers a version's files carry.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS') {
      return reply.code(200).header('allow', ALLOWED).header('access-control-allow-origin', '*').header('access-control-allow-methods', CORS_METHODS).header('content-length', 0).send();
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return reply.code(405).header('allow', ALLOWED).header('content-type', 'text/plain; charset=utf-8').send('Method not allowed\n');
    }
  });
  // Synchronous: the headers are computed from what the request flow noted, no extra awaits.
  app.addHook('onSend', docsHeadersHook({ docsHttps: opts.docsHttps ?? false }));
  app.route({ method: ['GET', 'HEAD'], url: '/*', handler: (request, reply) => handleDocsRequest(ctx, request, reply) });
  return app;
}

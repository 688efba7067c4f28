// What every step of a docs request shares: the server's context, the request and reply
// with its split path, and the headers that name the project and version of an answer.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { artifactPrefix } from '../core/build-state.ts';
import { PREVIEW_CACHE_CONTROL } from '../core/http-cache.ts';
import type { ServedVersion } from '../db/serving.ts';
import type { Storage } from '../storage/storage.ts';
import type { FileCache } from './file-cache.ts';
import { noteProject } from './headers.ts';
import type { ReaderSessions } from './reader-session.ts';
import type { Resolver } from './resolver.ts';
import type { SendOptions } from './send-file.ts';

export interface DocsContext {
  /** `<project>.<docsDomain>` hosts (download names are made from them). */
  docsDomain: string;
  storage: Storage;
  resolver: Resolver;
  fileCache: FileCache | null;
  accelRedirect: string | null;
  /** Signed-in reading of private docs (docs/reader-session.ts); absent: private docs are never served. */
  readers?: ReaderSessions;
  /** The docs and preview domains are reached over https (`DOCS_HTTPS`): http requests there are redirected. */
  docsHttps?: boolean;
}

/** What every step of one request needs. */
export interface Exchange {
  ctx: DocsContext;
  request: FastifyRequest;
  reply: FastifyReply;
  rawPath: string;
  query: string;
  /** The version a pull-request preview host serves; null on a project's own hosts. */
  preview: string | null;
  /** The scheme the reader used (`X-Forwarded-Proto` from a trusted proxy): what generated URLs and HSTS follow. */
  scheme: 'http' | 'https';
  /**
   * The origin system redirects go to when it is not this host: the project's canonical custom
   * domain (Read the Docs resolves them there, with the domain's scheme); absent: same host.
   */
  canonicalOrigin?: string;
}

/** The html folder of a version's live build. */
export const htmlPrefix = (project: { slug: string }, version: ServedVersion & { liveBuildId: number }) =>
  artifactPrefix(project.slug, version.slug, version.liveBuildId);

/**
 * Names the project (and version, and the page inside it) of a response, for logs and for a
 * CDN's purge by tag: docs/headers.ts writes X-RTD-Project, X-RTD-Version, Cache-Tag… from it.
 */
export function tag(reply: FastifyReply, project: string, version?: string, filename?: string): void {
  noteProject(reply, project, version, filename);
}

/** How files of this build are sent, with this server's storage, cache and offload; never cached as public on a preview host. */
export function sendOptions(x: Exchange, buildId: number, extra: Partial<SendOptions> = {}): SendOptions {
  const { ctx } = x;
  return {
    storage: ctx.storage, fileCache: ctx.fileCache, accelRedirect: ctx.accelRedirect, buildId, ...extra,
    ...(x.preview !== null ? { cacheControl: PREVIEW_CACHE_CONTROL } : {}),
  };
}

/** What every answer on a preview host carries, whatever it is: no indexing, no shared caching. */
export function previewHeaders(reply: FastifyReply): void {
  reply.header('x-robots-tag', 'noindex').header('cache-control', PREVIEW_CACHE_CONTROL);
}

// What every step of a docs request shares: the server's context, the request and reply
// with its split path, and the headers that name the project and version of an answer.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { artifactPrefix } from '../core/build-state.ts';
import { PREVIEW_CACHE_CONTROL } from '../core/http-cache.ts';
import type { ServedVersion } from '../db/serving.ts';
import type { Storage } from '../storage/storage.ts';
import type { FileCache } from './file-cache.ts';
import type { Resolver } from './resolver.ts';
import type { SendOptions } from './send-file.ts';

export interface DocsContext {
  storage: Storage;
  resolver: Resolver;
  fileCache: FileCache | null;
  accelRedirect: string | null;
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
}

/** The html folder of a version's live build. */
export const htmlPrefix = (project: { slug: string }, version: ServedVersion & { liveBuildId: number }) =>
  artifactPrefix(project.slug, version.slug, version.liveBuildId);

/** Names the project (and version) of a response, for logs and for a CDN's purge by tag. */
export function tag(reply: FastifyReply, project: string, version?: string): void {
  reply.header('x-bindery-project', project).header('cache-tag', version ? `${project}, ${project}:${version}` : project);
  if (version) reply.header('x-bindery-version', version);
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

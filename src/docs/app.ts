// The documentation server: host + path → project, version, file from the live build.
// It is its own small program (readers hit it far more than anything else), kept apart
// from the dashboard: it reads the database and storage, never writes.
import path from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import mime from 'mime-types';
import { artifactPrefix } from '../core/build-state.ts';
import { routeDocsPath, withQuery } from '../core/docs-path.ts';
import { slugFromHost } from '../core/urls.ts';
import type { Db } from '../db/database.ts';
import { createLogger, type Logger } from '../log.ts';
import type { Storage } from '../storage/storage.ts';
import { projectBySlug, servableVersion } from './resolve.ts';

export interface DocsAppOptions {
  db: Db;
  storage: Storage;
  docsDomain: string;
  log: Logger | false;
}

const PLAIN_404 = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>' +
  '<body><h1>Not found</h1><p>There is no documentation page at this address.</p></body></html>\n';

function contentType(file: string): string {
  const type = mime.lookup(path.extname(file)) || 'application/octet-stream';
  return /^text\/|javascript|json|xml|svg/.test(type) ? `${type}; charset=utf-8` : type;
}

export async function createDocsApp(opts: DocsAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (opts.log || createLogger('silent')) as FastifyBaseLogger,
    routerOptions: { maxParamLength: 2000 },
    trustProxy: true,
  });

  const notFound = async (reply: FastifyReply, prefix: string | null): Promise<FastifyReply> => {
    // The version's own 404 page when it has one (Sphinx and MkDocs themes ship one).
    if (prefix) {
      for (const candidate of ['404.html', '404/index.html']) {
        const file = await opts.storage.get(`${prefix}/${candidate}`);
        if (file) return reply.code(404).type('text/html; charset=utf-8').header('content-length', file.size).send(file.body);
      }
    }
    return reply.code(404).type('text/html; charset=utf-8').send(PLAIN_404);
  };

  app.get('/_/health_check/', async () => ({ status: 'ok' }));

  app.get('/*', async (request, reply) => {
    const slug = slugFromHost(request.hostname, opts.docsDomain);
    const project = slug ? await projectBySlug(opts.db, slug) : null;
    if (!project || project.privacyLevel !== 'public') return notFound(reply, null);
    const raw = request.raw.url ?? '/';
    const q = raw.indexOf('?');
    const rawPath = q >= 0 ? raw.slice(0, q) : raw;
    const query = q >= 0 ? raw.slice(q) : '';
    const route = routeDocsPath(rawPath, project);
    switch (route.kind) {
      case 'bad-request':
        return reply.code(400).type('text/plain; charset=utf-8').send(`Bad request: ${route.reason}\n`);
      case 'redirect':
        return reply.header('x-bindery-redirect', 'system').redirect(withQuery(route.location, query), 302);
      case 'not-found':
        return notFound(reply, null);
      case 'file':
        break;
    }
    const version = await servableVersion(opts.db, project.id, route.version);
    if (!version) return notFound(reply, null);
    const prefix = artifactPrefix(project.slug, version.slug, version.liveBuildId!);
    reply.header('x-bindery-project', project.slug).header('x-bindery-version', version.slug);
    const file = await opts.storage.get(`${prefix}/${route.file}`);
    if (!file) {
      // `dir` where `dir/index.html` exists → `dir/`, like a static server would.
      if (!rawPath.endsWith('/') && (await opts.storage.exists(`${prefix}/${route.file}/index.html`))) {
        return reply.header('x-bindery-redirect', 'system').redirect(withQuery(`${rawPath}/`, query), 302);
      }
      return notFound(reply, prefix);
    }
    return reply
      .type(contentType(route.file))
      .header('content-length', file.size)
      .header('last-modified', file.modified.toUTCString())
      .header('cache-control', 'public, max-age=60')
      .header('x-content-type-options', 'nosniff')
      .send(file.body);
  });

  return app;
}

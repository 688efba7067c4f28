// `bindery serve | web | docs`: one HTTP listener. `serve` answers docs hosts
// (`*.<DOCS_DOMAIN>`) with the docs server and every other host with the web tier, and
// runs a builder in the same process, talking to the web tier through the same builder
// API a remote builder uses; `web` and `docs` run one side each.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { isLoopbackHost } from '../config.ts';
import { slugFromHost, docsOrigin } from '../core/urls.ts';
import { createLogger } from '../log.ts';
import { createWebApp } from '../web/app.ts';
import { createDocsApp } from '../docs/app.ts';
import { BuildQueue } from '../queue/build-queue.ts';
import { BuilderWorker } from '../builder/worker.ts';
import { InjectTransport } from '../builder/client.ts';
import { bootstrap } from './bootstrap.ts';
import { openState } from './open.ts';

/** The host a request is for, as the apps see it (behind a proxy, X-Forwarded-Host). */
export function requestHost(req: http.IncomingMessage): string {
  const forwarded = req.headers['x-forwarded-host'];
  const value = Array.isArray(forwarded) ? forwarded[0] : forwarded;
  return (value?.split(',')[0]?.trim() || req.headers.host) ?? '';
}

export async function runServer(config: Config, role: 'serve' | 'web' | 'docs', overrides: Record<string, string | undefined>): Promise<number> {
  const log = createLogger(config.logLevel);
  // A single-user install on loopback may build repositories from this machine (its own clone).
  const explicit = overrides.ALLOW_LOCAL_REPOSITORIES ?? process.env.ALLOW_LOCAL_REPOSITORIES;
  const allowLocalRepositories = explicit ? config.allowLocalRepositories : role === 'serve' && isLoopbackHost(config.host);
  const state = await openState(config);
  const { db } = state.database;

  const queue = role === 'docs' ? null : new BuildQueue({
    database: state.database, log, heartbeatSeconds: config.buildHeartbeatSeconds,
    perProject: config.buildsPerProject, buildTimeoutSeconds: config.buildTimeoutSeconds,
  });
  await queue?.start();
  // The in-process builder needs a secret too; without a configured one it gets a random one nobody else knows.
  const builderSecret = config.builderSecret ?? (role === 'serve' ? randomBytes(24).toString('base64url') : null);
  const web = role === 'docs' ? null : await createWebApp({
    db, log, publicUrl: config.publicUrl, docsDomain: config.docsDomain, allowLocalRepositories, queue: queue!, builderSecret,
  });
  const docs = role === 'web' ? null : await createDocsApp({ db, storage: state.storage, docsDomain: config.docsDomain, log });
  await web?.ready();
  await docs?.ready();

  const builder = role === 'serve' && config.builderConcurrency > 0
    ? new BuilderWorker({
        transport: new InjectTransport(web!, builderSecret!), storage: state.storage, log,
        concurrency: config.builderConcurrency, allowLocalRepositories, timeoutMs: config.buildTimeoutSeconds * 1000, limits: config.buildLimits,
      })
    : null;
  if (builder) queue!.onQueued(() => builder.kick());

  const server = http.createServer((req, res) => {
    const isDocsHost = slugFromHost(requestHost(req), config.docsDomain) !== null;
    if (docs && (isDocsHost || !web)) docs.routing(req, res);
    else web!.routing(req, res);
  });
  server.keepAliveTimeout = 65_000;

  if (role === 'serve') {
    const result = await bootstrap(db, queue!, { dataDir: config.dataDir, sourceDir: process.cwd(), allowLocalRepositories, log });
    if (result.imported) log.info('imported this repository as the project "bindery"; its docs build now');
    builder?.start();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ role, port, database: state.database.kind }, `listening on http://${config.host}:${port}`);
  if (role === 'serve') {
    process.stdout.write(`\n  Bindery is running: ${config.publicUrl}/api/v3/  —  its own docs: ${docsOrigin(config.publicUrl, config.docsDomain, 'bindery')}/en/latest/\n\n`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close();
    server.closeAllConnections();
    await builder?.stop();
    await queue?.stop();
    await web?.close();
    await docs?.close();
    await state.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return -1;
}

// `bindery serve | web | docs`: one HTTP listener. `serve` answers docs hosts
// (`*.<DOCS_DOMAIN>`) with the docs server and every other host with the web tier, and
// runs a builder in the same process; `web` and `docs` run one side each.
import http from 'node:http';
import type { Config } from '../config.ts';
import { isLoopbackHost } from '../config.ts';
import { slugFromHost, docsOrigin } from '../core/urls.ts';
import { createLogger } from '../log.ts';
import { createWebApp } from '../web/app.ts';
import { createDocsApp } from '../docs/app.ts';
import { LocalRunner } from '../builder/local-runner.ts';
import { bootstrap } from './bootstrap.ts';
import { openState } from './open.ts';

export async function runServer(config: Config, role: 'serve' | 'web' | 'docs', overrides: Record<string, string | undefined>): Promise<number> {
  const log = createLogger(config.logLevel);
  // A single-user install on loopback may build repositories from this machine (its own clone).
  const explicit = overrides.ALLOW_LOCAL_REPOSITORIES ?? process.env.ALLOW_LOCAL_REPOSITORIES;
  const allowLocalRepositories = explicit ? config.allowLocalRepositories : role === 'serve' && isLoopbackHost(config.host);
  const state = await openState(config);
  const { db } = state.database;

  const runner = role === 'serve'
    ? new LocalRunner({ db, storage: state.storage, log, concurrency: Math.max(1, config.builderConcurrency), allowLocalRepositories, timeoutMs: config.buildTimeoutSeconds * 1000 })
    : null;
  const web = role === 'docs' ? null : await createWebApp({
    db, log, publicUrl: config.publicUrl, docsDomain: config.docsDomain, allowLocalRepositories,
    onBuildsQueued: () => runner?.kick(),
  });
  const docs = role === 'web' ? null : await createDocsApp({ db, storage: state.storage, docsDomain: config.docsDomain, log });
  await web?.ready();
  await docs?.ready();

  const server = http.createServer((req, res) => {
    const isDocsHost = slugFromHost(req.headers.host ?? '', config.docsDomain) !== null;
    if (docs && (isDocsHost || !web)) docs.routing(req, res);
    else web!.routing(req, res);
  });
  server.keepAliveTimeout = 65_000;

  if (role === 'serve') {
    const result = await bootstrap(db, { dataDir: config.dataDir, sourceDir: process.cwd(), log });
    if (result.imported) log.info('imported this repository as the project "bindery"; its docs build now');
    await runner!.start();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ role, port, database: state.database.kind }, `listening on http://${config.host}:${port}`);
  if (role === 'serve') {
    process.stdout.write(`\n  Bindery is running: ${config.publicUrl}/  —  its own docs: ${docsOrigin(config.publicUrl, config.docsDomain, 'bindery')}/en/latest/\n\n`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close();
    server.closeAllConnections();
    await runner?.stop();
    await web?.close();
    await docs?.close();
    await state.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return -1;
}

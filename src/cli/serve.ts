// `bindery serve | web | docs`: one HTTP listener. `serve` answers docs hosts
// (`*.<DOCS_DOMAIN>`, `*.<PREVIEW_DOMAIN>`, custom domains) with the docs server and every other host with the web tier, and
// runs a builder in the same process, talking to the web tier through the same builder
// API a remote builder uses; `web` and `docs` run one side each.
import http from 'node:http';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { slugFromHost, docsOrigin } from '../core/urls.ts';
import { previewFromHost } from '../core/previews.ts';
import { sharedCookieParent } from '../core/cookie-scope.ts';
import { createLogger } from '../log.ts';
import { createWebApp } from '../web/app.ts';
import { createDocsApp } from '../docs/app.ts';
import { BuildQueue } from '../queue/build-queue.ts';
import { BuilderWorker } from '../builder/worker.ts';
import { InjectTransport } from '../builder/client.ts';
import { bootstrap } from './bootstrap.ts';
import { openState } from './open.ts';
import { ChangeFeed } from '../db/change-feed.ts';
import type { Database } from '../db/database.ts';

/** Any constant, the same on every node: nodes starting together bootstrap one at a time. */
const BOOTSTRAP_LOCK = 4_151_302_672;

/** Runs `fn` holding a PostgreSQL advisory lock (PGlite has one process: nothing to hold). */
async function exclusively<T>(database: Database, key: number, fn: () => Promise<T>): Promise<T> {
  if (!database.pool) return fn();
  const client = await database.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await fn();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    client.release();
  }
}

/** The proxies whose X-Forwarded-* headers count, as Fastify's trustProxy does. */
export function trustedProxies(addresses: string[]): net.BlockList {
  const list = new net.BlockList();
  for (const entry of addresses) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
    if (bits !== undefined) list.addSubnet(address, Number(bits), family);
    else list.addAddress(address, family);
  }
  return list;
}

/**
 * The host a request is for, as the apps see it: X-Forwarded-Host only from a trusted proxy,
 * and then its last entry (the one that proxy wrote), exactly as Fastify's `request.host`.
 */
export function requestHost(req: http.IncomingMessage, trusted: net.BlockList): string {
  const remote = req.socket.remoteAddress ?? '';
  const fromProxy = remote !== '' && trusted.check(remote.replace(/^::ffff:/, ''), net.isIPv6(remote.replace(/^::ffff:/, '')) ? 'ipv6' : 'ipv4');
  const forwarded = fromProxy ? req.headers['x-forwarded-host'] : undefined;
  const value = Array.isArray(forwarded) ? forwarded.at(-1) : forwarded;
  return (value?.split(',').at(-1)?.trim() || req.headers.host) ?? '';
}

/**
 * Which of the two apps a host is for: `<slug>.<DOCS_DOMAIN>`, `<slug>--<n>.<PREVIEW_DOMAIN>`
 * and any other name (a custom domain) are docs; the public URL's host, IP addresses and
 * `localhost` are the web tier.
 */
export function isDocsHost(host: string, webHost: string, docsDomain: string, previewDomain: string): boolean {
  const name = host.toLowerCase();
  if (slugFromHost(name, docsDomain) !== null || previewFromHost(name, previewDomain) !== null) return true;
  if (name === webHost || name === '') return false;
  const bare = name.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return !(bare === 'localhost' || /^[\d.]+$/.test(bare) || bare.includes(':'));
}

export async function runServer(config: Config, role: 'serve' | 'web' | 'docs', overrides: Record<string, string | undefined>): Promise<number> {
  const log = createLogger(config.logLevel);
  // Only the operator's explicit setting lets every user reach this machine and its network
  // (never merely listening on loopback); instance admins always may (domain/repository-access.ts).
  const allowLocalRepositories = config.allowLocalRepositories;
  const state = await openState(config);
  const { db } = state.database;
  // On PostgreSQL, changes made here reach the other nodes' docs caches (and theirs reach ours).
  const feed = state.database.pool ? new ChangeFeed({ url: state.database.url!, pool: state.database.pool, log, listen: role !== 'web' }) : null;
  await feed?.start();

  const queue = role === 'docs' ? null : new BuildQueue({
    database: state.database, log, heartbeatSeconds: config.buildHeartbeatSeconds,
    perProject: config.buildsPerProject, buildTimeoutSeconds: config.buildTimeoutSeconds, storage: state.storage,
    publicUrl: config.publicUrl, allowPrivateWebhookUrls: allowLocalRepositories,
  });
  await queue?.start();
  // The in-process builder needs a secret too; without a configured one it gets a random one nobody else knows.
  const builderSecret = config.builderSecret ?? (role === 'serve' ? randomBytes(24).toString('base64url') : null);
  const web = role === 'docs' ? null : await createWebApp({
    db, log, publicUrl: config.publicUrl, docsDomain: config.docsDomain, previewDomain: config.previewDomain, allowLocalRepositories, queue: queue!, builderSecret, trustProxy: config.trustProxy,
  });
  const docs = role === 'web' ? null : await createDocsApp({ db, storage: state.storage, docsDomain: config.docsDomain, previewDomain: config.previewDomain, log, accelRedirect: config.docsAccelRedirect, trustProxy: config.trustProxy, docsHttps: config.docsHttps, publicUrl: config.publicUrl });
  await web?.ready();
  await docs?.ready();

  const builder = role === 'serve' && config.builderConcurrency > 0
    ? new BuilderWorker({
        transport: new InjectTransport(web!, builderSecret!), storage: state.storage, log,
        concurrency: config.builderConcurrency, allowLocalRepositories, timeoutMs: config.buildTimeoutSeconds * 1000, limits: config.buildLimits, isolation: config.buildIsolation,
      })
    : null;
  if (builder) queue!.onQueued(() => builder.kick());

  const webHost = new URL(config.publicUrl).host.toLowerCase();
  const parent = sharedCookieParent(webHost, config.docsDomain);
  if (web && parent && !config.publicUrl.startsWith('https:')) {
    log.warn(`PUBLIC_URL is not https and the dashboard (${webHost}) shares the parent domain ${parent} with the docs hosts (*.${config.docsDomain}): any project's docs page can set cookies for ${parent} that the dashboard receives (cookie tossing). Serve PUBLIC_URL over https (its cookies then get the __Host- prefix) or put DOCS_DOMAIN under another domain; see docs/deployment.md.`);
  }
  const trusted = trustedProxies(config.trustProxy);
  const server = http.createServer((req, res) => {
    if (docs && (!web || isDocsHost(requestHost(req, trusted), webHost, config.docsDomain, config.previewDomain))) docs.routing(req, res);
    else web!.routing(req, res);
  });
  server.keepAliveTimeout = 65_000;

  if (role === 'serve') {
    const result = await exclusively(state.database, BOOTSTRAP_LOCK, () => bootstrap(db, queue!, { dataDir: config.dataDir, sourceDir: process.cwd(), log }));
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
    await feed?.stop();
    await state.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return -1;
}

// testApp(): the whole single-process Bindery on a fresh database and a temporary storage
// folder — web tier, docs server and in-process builder — with a user and an API token.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { BuilderWorker } from '../../src/builder/worker.ts';
import { InjectTransport } from '../../src/builder/client.ts';
import { BuildQueue } from '../../src/queue/build-queue.ts';
import type { BuildLimits } from '../../src/builder/limits.ts';
import { createDocsApp } from '../../src/docs/app.ts';
import { createUser } from '../../src/db/users.ts';
import { createToken } from '../../src/db/api-tokens.ts';
import type { User } from '../../src/db/schema.ts';
import { getBuild } from '../../src/db/builds.ts';
import { isTerminal } from '../../src/core/build-state.ts';
import { FilesystemStorage } from '../../src/storage/filesystem.ts';
import { createLogger } from '../../src/log.ts';
import { createWebApp } from '../../src/web/app.ts';
import type { ApiContext } from '../../src/web/api/context.ts';
import { testDatabase, type TestDatabase } from './test-db.ts';

export interface TestApp {
  database: TestDatabase;
  storage: FilesystemStorage;
  web: FastifyInstance;
  docs: FastifyInstance;
  queue: BuildQueue;
  /** The in-process builder (as in `bindery serve`). */
  runner: BuilderWorker;
  builderSecret: string;
  user: User;
  token: string;
  publicUrl: string;
  docsDomain: string;
  /** Pull-request previews are served at `<slug>--<n>.<previewDomain>`. */
  previewDomain: string;
  /** Headers carrying the user's token. */
  auth: { authorization: string };
  /** Another user's token, for permission tests. */
  newUser(username: string): Promise<{ user: User; auth: { authorization: string } }>;
  waitForBuild(id: number, timeoutMs?: number): Promise<NonNullable<Awaited<ReturnType<typeof getBuild>>>>;
  close(): Promise<void>;
}

export async function testApp(opts: { allowLocalRepositories?: boolean; builder?: boolean; builderConcurrency?: number; perProject?: number; timeoutMs?: number; limits?: BuildLimits; notify?: boolean; web?: Pick<ApiContext, 'rateLimit' | 'domainVerification' | 'resolveHost'>; publicUrl?: string; trustProxy?: string[] } = {}): Promise<TestApp> {
  const database = await testDatabase();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-storage-'));
  const storage = new FilesystemStorage(root);
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const publicUrl = opts.publicUrl ?? 'http://localhost:8000';
  const docsDomain = 'docs.localhost';
  const previewDomain = 'previews.localhost';
  const queue = new BuildQueue({ database, log, heartbeatSeconds: 10, perProject: opts.perProject ?? 2, buildTimeoutSeconds: 120, publicUrl: 'http://localhost:8000', allowPrivateWebhookUrls: true, notify: opts.notify ?? false });
  await queue.start();
  const builderSecret = 'test-builder-secret-0123456789';
  const web = await createWebApp({
    db: database.db, log: false, publicUrl, docsDomain, previewDomain, queue, builderSecret,
    allowLocalRepositories: opts.allowLocalRepositories ?? true, trustProxy: opts.trustProxy,
    ...opts.web,
  });
  const runner = new BuilderWorker({
    transport: new InjectTransport(web, builderSecret), storage, log, concurrency: opts.builderConcurrency ?? 2,
    allowLocalRepositories: opts.allowLocalRepositories ?? true, timeoutMs: opts.timeoutMs ?? 120_000, pollMs: 200, name: 'test-builder', limits: opts.limits,
  });
  queue.onQueued(() => runner.kick());
  const docs = await createDocsApp({ db: database.db, storage, docsDomain, previewDomain, log: false, trustProxy: opts.trustProxy, publicUrl });
  if (opts.builder !== false) runner.start();
  const newUser = async (username: string) => {
    const user = await createUser(database.db, { username });
    const { token } = await createToken(database.db, user.id, 'test', null);
    return { user, token, auth: { authorization: `Token ${token}` } };
  };
  const first = await newUser('alice');
  return {
    database, storage, web, docs, runner, queue, builderSecret, publicUrl, docsDomain, previewDomain,
    user: first.user,
    token: first.token,
    auth: first.auth,
    newUser,
    async waitForBuild(id, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const build = await getBuild(database.db, id);
        if (build && isTerminal(build.state)) return build;
        if (Date.now() > deadline) throw new Error(`build ${id} did not finish in ${timeoutMs} ms (state ${build?.state})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await runner.stop();
      await queue.stop();
      await web.close();
      await docs.close();
      await database.drop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

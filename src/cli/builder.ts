// `bindery builder`: a build worker on its own (possibly on another machine). It needs the
// web tier's URL(s), BUILDER_SECRET and the storage; it never opens the database.
import os from 'node:os';
import type { Config } from '../config.ts';
import { ConfigValueError } from '../config.ts';
import { createLogger } from '../log.ts';
import { openStorage } from '../storage/index.ts';
import { HttpTransport } from '../builder/client.ts';
import { BuilderWorker } from '../builder/worker.ts';

export async function runBuilder(config: Config): Promise<number> {
  if (!config.builderSecret) throw new ConfigValueError('BUILDER_SECRET is required for `bindery builder`: the same value the web tier has');
  const log = createLogger(config.logLevel, 'bindery-builder');
  const worker = new BuilderWorker({
    transport: new HttpTransport(config.builderApiUrls, config.builderSecret),
    storage: openStorage(config.storageUrl, config.s3),
    log,
    concurrency: Math.max(1, config.builderConcurrency),
    allowLocalRepositories: config.allowLocalRepositories,
    timeoutMs: config.buildTimeoutSeconds * 1000,
    limits: config.buildLimits, isolation: config.buildIsolation,
    name: `${os.hostname()}:${process.pid}`,
  });
  worker.start();
  log.info({ api: config.builderApiUrls, concurrency: config.builderConcurrency }, 'builder started');
  const stop = async (signal: string) => {
    log.info({ signal }, 'builder stopping: cancelling running builds');
    await worker.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return -1;
}

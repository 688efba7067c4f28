// Version syncs that a webhook or a maintainer (API sync-versions, the dashboard's button)
// asked for, as pg-boss jobs on the build queue's boss. One instance per web app
// (web/app.ts), shared by the webhook receivers, the API and the dashboard. A provider gives up on a webhook after a few seconds (GitHub after 10) while `git ls-remote`
// of a slow or large repository can take longer, so the receiver answers at once and a
// worker of the web tier syncs afterwards. A sync that fails (repository unreachable) is
// tried again a little later; the versions already known stay as they are meanwhile.
import type { PgBoss } from 'pg-boss';
import type { Logger } from '../log.ts';

export const SYNC_QUEUE = 'sync-versions';

export interface SyncJob {
  projectId: number;
  /** The project's slug when the job was queued (a project deleted meanwhile is skipped). */
  slug: string;
  /** The default branch the provider reported, used when the project has not chosen one. */
  defaultBranch: string | null;
  /** Versions the webhook already built: the sync does not build them again. */
  built: number[];
  /** An instance admin asked for it: the sync may reach inside even where the project may not. */
  reachInside?: boolean;
  /** The trigger of the builds the sync starts (moved machine versions): 'webhook' unless a maintainer asked ('api', 'user'). */
  trigger?: string;
}

export type SyncHandler = (job: SyncJob) => Promise<void>;

export class SyncQueue {
  readonly #boss: PgBoss;
  readonly #log: Logger | undefined;
  #worker: string | null = null;

  constructor(boss: PgBoss, log?: Logger) {
    this.#boss = boss;
    this.#log = log;
  }

  /** Creates the queue and runs `handler` for its jobs in this process. */
  async work(handler: SyncHandler): Promise<void> {
    await this.#boss.createQueue(SYNC_QUEUE, { retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 600, deleteAfterSeconds: 86400 });
    this.#worker = await this.#boss.work<SyncJob>(SYNC_QUEUE, { batchSize: 1, localConcurrency: 4, pollingIntervalSeconds: 2 }, async ([job]) => {
      if (!job) return;
      try {
        await handler(job.data);
      } catch (err) {
        this.#log?.warn({ err, project: job.data.projectId }, 'version sync failed; it is tried again later');
        throw err;
      }
    });
  }

  async stop(): Promise<void> {
    if (this.#worker === null) return;
    this.#worker = null;
    // The boss may already be stopped (the build queue closes first): nothing is left to end then.
    await this.#boss.offWork(SYNC_QUEUE).catch(() => {});
  }

  /** Queues a sync; a worker in this process is woken at once instead of at its next poll. */
  async request(job: SyncJob): Promise<void> {
    await this.#boss.send(SYNC_QUEUE, job);
    if (this.#worker !== null) this.#boss.notifyWorker(this.#worker);
  }
}

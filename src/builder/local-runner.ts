// The builder that runs inside `bindery serve`: claims queued builds from the database
// and runs them, up to `concurrency` at a time. It wakes at once when this process
// triggers a build (kick) and polls for builds queued by other processes.
import os from 'node:os';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { claimNextBuild, failOrphanedBuilds, finishBuild } from '../db/builds.ts';
import { projects, versions, type Build } from '../db/schema.ts';
import type { Logger } from '../log.ts';
import type { Storage } from '../storage/storage.ts';
import { DbReporter } from './db-reporter.ts';
import { runBuild } from './pipeline.ts';

export interface LocalRunnerOptions {
  db: Db;
  storage: Storage;
  log: Logger;
  concurrency: number;
  allowLocalRepositories: boolean;
  timeoutMs: number;
  pollMs?: number;
}

export class LocalRunner {
  readonly name = `${os.hostname()}:${process.pid}`;
  readonly #opts: LocalRunnerOptions;
  readonly #running = new Map<number, AbortController>();
  readonly #done = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = true;
  #claiming = false;

  constructor(opts: LocalRunnerOptions) {
    this.#opts = opts;
  }

  async start(): Promise<void> {
    // A single-process install that was killed mid-build left that build running; nobody else will finish it.
    const orphans = await failOrphanedBuilds(this.#opts.db, this.name);
    if (orphans) this.#opts.log.warn({ orphans }, 'marked builds of a previous run of this process as failed');
    this.#stopped = false;
    this.#timer = setInterval(() => this.kick(), this.#opts.pollMs ?? 2000);
    this.kick();
  }

  /** Looks for work now. */
  kick(): void {
    if (this.#stopped || this.#claiming) return;
    this.#claiming = true;
    void this.#fill().finally(() => {
      this.#claiming = false;
    });
  }

  /** Resolves when no build is running (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.#done.size > 0) await Promise.all([...this.#done]);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    for (const controller of this.#running.values()) controller.abort();
    await this.idle();
  }

  async #fill(): Promise<void> {
    while (!this.#stopped && this.#running.size < this.#opts.concurrency) {
      let build: Build | null;
      try {
        build = await claimNextBuild(this.#opts.db, this.name);
      } catch (err) {
        this.#opts.log.error({ err }, 'could not claim a build');
        return;
      }
      if (!build) return;
      const controller = new AbortController();
      this.#running.set(build.id, controller);
      const done: Promise<void> = this.#execute(build, controller.signal).finally(() => {
        this.#running.delete(build.id);
        this.#done.delete(done);
        this.kick();
      });
      this.#done.add(done);
    }
  }

  async #execute(build: Build, signal: AbortSignal): Promise<void> {
    const { db, log } = this.#opts;
    const [row] = await db
      .select({ project: projects, version: versions })
      .from(versions)
      .innerJoin(projects, eq(projects.id, versions.projectId))
      .where(eq(versions.id, build.versionId));
    if (!row) {
      await finishBuild(db, build.id, { success: false, errorCode: 'version-deleted', error: 'The version was deleted before the build started.' });
      return;
    }
    log.info({ build: build.id, project: row.project.slug, version: row.version.slug }, 'build started');
    const outcome = await runBuild(
      {
        buildId: build.id,
        projectSlug: row.project.slug,
        versionSlug: row.version.slug,
        repoUrl: row.project.repoUrl,
        versionType: row.version.type,
        identifier: row.version.identifier,
        commit: build.commit,
      },
      {
        storage: this.#opts.storage,
        reporter: new DbReporter(db, build.id),
        allowLocalRepositories: this.#opts.allowLocalRepositories,
        timeoutMs: this.#opts.timeoutMs,
        signal,
      },
    );
    try {
      if (outcome.success) await finishBuild(db, build.id, { success: true });
      else await finishBuild(db, build.id, { success: false, state: outcome.cancelled ? 'cancelled' : 'failed', errorCode: outcome.errorCode, error: outcome.error });
    } catch (err) {
      log.error({ err, build: build.id }, 'could not record the end of a build');
      return;
    }
    log.info({ build: build.id, success: outcome.success, error: outcome.success ? undefined : outcome.error }, 'build ended');
  }
}

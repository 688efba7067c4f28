// A builder: claims builds from the web tier's builder API and runs them, up to
// `concurrency` at a time, renewing each build's lease by heartbeat. It never opens the
// database. `bindery builder` runs one over HTTP; `bindery serve` runs one in-process.
import os from 'node:os';
import type { Logger } from '../log.ts';
import type { Storage } from '../storage/storage.ts';
import { UnreachableError, type BuilderTransport } from './client.ts';
import { HttpReporter } from './http-reporter.ts';
import { runBuild, type BuildOutcome } from './pipeline.ts';
import { BUILDER_API, type ClaimResponse, type FinishRequest } from './protocol.ts';
import type { BuildLimits, IsolationOptions } from './limits.ts';

export interface BuilderWorkerOptions {
  transport: BuilderTransport;
  storage: Storage;
  log: Logger;
  concurrency: number;
  allowLocalRepositories: boolean;
  timeoutMs: number;
  /** How often to ask for work when there was none. */
  pollMs?: number;
  name?: string;
  workRoot?: string;
  limits?: BuildLimits;
  /** The build user, sandbox requirement and network choice (default: DEFAULT_ISOLATION). */
  isolation?: IsolationOptions;
}

export class BuilderWorker {
  readonly name: string;
  readonly #opts: BuilderWorkerOptions;
  readonly #running = new Map<number, AbortController>();
  readonly #done = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = true;
  #claiming = false;
  #filling: Promise<void> = Promise.resolve();

  constructor(opts: BuilderWorkerOptions) {
    this.#opts = opts;
    this.name = opts.name ?? `${os.hostname()}:${process.pid}`;
  }

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.kick(), this.#opts.pollMs ?? 1000);
    this.kick();
  }

  /** Looks for work now (called when this process queued a build). */
  kick(): void {
    if (this.#stopped || this.#claiming) return;
    this.#claiming = true;
    this.#filling = this.#fill().finally(() => {
      this.#claiming = false;
    });
  }

  get running(): number {
    return this.#running.size;
  }

  /** Resolves when no build is running. */
  async idle(): Promise<void> {
    while (this.#done.size > 0) await Promise.all([...this.#done]);
  }

  /** Stops claiming; running builds are cancelled (graceful) or abandoned to their lease (not). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    // A claim in flight must land before we look at what is running.
    await this.#filling;
    for (const controller of this.#running.values()) controller.abort();
    await this.idle();
  }

  async #fill(): Promise<void> {
    while (!this.#stopped && this.#running.size < this.#opts.concurrency) {
      let claim: ClaimResponse | null;
      try {
        const res = await this.#opts.transport.post(`${BUILDER_API}/claim`, { builder: this.name });
        if (res.status === 204) return;
        if (res.status !== 200) {
          this.#opts.log.error({ status: res.status, body: res.body }, 'the builder API refused to hand out work');
          return;
        }
        claim = res.body as ClaimResponse;
        if (this.#stopped) {
          // Stopping: do not start it; its lease lapses and another builder takes it.
          this.#opts.log.info({ build: claim.job.buildId }, 'stopping: leaving a just-claimed build to the next builder');
          return;
        }
      } catch (err) {
        if (!(err instanceof UnreachableError)) this.#opts.log.error({ err }, 'could not claim a build');
        else this.#opts.log.warn({ err: err.message }, 'web tier unreachable; will retry');
        return;
      }
      const controller = new AbortController();
      const id = claim.job.buildId;
      this.#running.set(id, controller);
      const done: Promise<void> = this.#execute(claim, controller).finally(() => {
        this.#running.delete(id);
        this.#done.delete(done);
        this.kick();
      });
      this.#done.add(done);
    }
  }

  async #execute(claim: ClaimResponse, controller: AbortController): Promise<void> {
    const { job, token } = claim;
    const { log, transport } = this.#opts;
    const headers = { 'x-build-token': token };
    log.info({ build: job.buildId, attempt: job.attempt, project: job.projectSlug, version: job.versionSlug }, 'build started');
    const reporter = new HttpReporter(transport, job.buildId, token, claim, () => controller.abort());
    if (job.attempt > 1) reporter.log('info', `attempt ${job.attempt}: the previous builder stopped responding, so this build starts again from the beginning`);

    // Heartbeats renew the lease and carry cancel requests back; a few per lease period.
    const beat = async () => {
      try {
        const res = await transport.post(`${BUILDER_API}/builds/${job.buildId}/heartbeat`, {}, headers);
        if (res.status === 409) controller.abort();
        else if ((res.body as { cancel?: boolean } | null)?.cancel) controller.abort();
      } catch {
        // Unreachable for now: the lease has slack for a few missed beats.
      }
    };
    const heartbeat = setInterval(() => void beat(), Math.min(2000, (claim.heartbeatSeconds * 1000) / 4));

    let outcome: BuildOutcome;
    try {
      outcome = await runBuild(job, { storage: this.#opts.storage, reporter, allowLocalRepositories: this.#opts.allowLocalRepositories || job.allowLocal === true, timeoutMs: this.#opts.timeoutMs, signal: controller.signal, workRoot: this.#opts.workRoot, limits: this.#opts.limits, isolation: this.#opts.isolation });
    } finally {
      clearInterval(heartbeat);
    }
    if (reporter.stale) {
      log.warn({ build: job.buildId }, 'build attempt was replaced by another builder; dropping its result');
      return;
    }
    const finish: FinishRequest = outcome.success
      ? { success: true, formats: outcome.formats }
      : { success: false, cancelled: outcome.cancelled, errorCode: outcome.errorCode, error: outcome.error };
    // Deliver every log line first, then the end: retried until the web tier takes it or says the attempt is over.
    for (let tries = 0; ; tries++) {
      try {
        await reporter.flush();
        const res = await transport.post(`${BUILDER_API}/builds/${job.buildId}/finish`, finish, headers);
        if (res.status === 200 || res.status === 409) break;
        log.error({ status: res.status, body: res.body }, 'finish refused');
        break;
      } catch (err) {
        if (this.#stopped && tries > 3) return;
        log.warn({ err: (err as Error).message, build: job.buildId }, 'could not report the end of a build; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** tries)));
      }
    }
    log.info({ build: job.buildId, success: outcome.success, error: outcome.success ? undefined : outcome.error }, 'build ended');
  }
}

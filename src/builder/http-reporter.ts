// The reporter of every builder: state changes, steps and log lines go into one ordered
// outbox and are delivered to the builder API in batches. When the web tier is briefly
// unreachable the outbox keeps them and delivery resumes in order; each op is idempotent
// on the server (log lines by sequence number), so a batch sent twice is stored once.
import { BUILDER_API, type ReportOp } from './protocol.ts';
import type { BuildReporter, LogStream } from './reporter.ts';
import type { BuilderTransport } from './client.ts';
import type { RunningState } from '../core/build-state.ts';

const BATCH = 1000;

export class StaleAttemptError extends Error {}

export class HttpReporter implements BuildReporter {
  readonly #transport: BuilderTransport;
  readonly #buildId: number;
  readonly #token: string;
  readonly #outbox: ReportOp[] = [];
  readonly #onStale: () => void;
  #seq: number;
  #step: number;
  #currentStep: number | null = null;
  #pumping: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stale = false;
  /** Delays between retries while the web tier is unreachable. */
  readonly retryDelaysMs: number[] = [250, 500, 1000, 2000, 5000];

  constructor(transport: BuilderTransport, buildId: number, token: string, bases: { seqBase: number; stepBase: number }, onStale: () => void) {
    this.#transport = transport;
    this.#buildId = buildId;
    this.#token = token;
    this.#seq = bases.seqBase;
    this.#step = bases.stepBase;
    this.#onStale = onStale;
  }

  get stale(): boolean {
    return this.#stale;
  }

  async state(state: RunningState, fields: { commit?: string; config?: unknown } = {}): Promise<void> {
    this.#outbox.push({ op: 'state', state, ...fields });
    await this.flush();
  }

  async startStep(name: string, command: string): Promise<number> {
    const position = this.#step++;
    this.#outbox.push({ op: 'step', position, name, command });
    this.#currentStep = position;
    this.#schedule();
    return position;
  }

  async endStep(position: number, exitCode: number): Promise<void> {
    this.#outbox.push({ op: 'step-end', position, exitCode });
    this.#currentStep = null;
    this.#schedule();
  }

  log(stream: LogStream, line: string): void {
    this.#outbox.push({ op: 'log', seq: this.#seq++, step: this.#currentStep, stream, line });
    if (this.#outbox.length >= BATCH) void this.flush().catch(() => {});
    else this.#schedule();
  }

  /** Resolves when everything queued so far has been delivered; rejects only for a stale attempt. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pumping ??= this.#pump().finally(() => {
      this.#pumping = null;
    });
    return this.#pumping.then(() => (this.#outbox.length ? this.flush() : undefined));
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => void this.flush().catch(() => {}), 200);
  }

  async #pump(): Promise<void> {
    let failures = 0;
    while (this.#outbox.length > 0) {
      if (this.#stale) throw new StaleAttemptError('this build attempt was replaced');
      const batch = this.#outbox.slice(0, BATCH);
      try {
        const res = await this.#transport.post(`${BUILDER_API}/builds/${this.#buildId}/report`, { ops: batch }, { 'x-build-token': this.#token });
        if (res.status === 409) {
          this.#stale = true;
          this.#onStale();
          throw new StaleAttemptError('this build attempt was replaced');
        }
        if (res.status !== 200) throw new Error(`report refused: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        this.#outbox.splice(0, batch.length);
        failures = 0;
      } catch (err) {
        if (err instanceof StaleAttemptError) throw err;
        const delay = this.retryDelaysMs[Math.min(failures++, this.retryDelaysMs.length - 1)]!;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}

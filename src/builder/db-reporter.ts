// The reporter of the in-process builder: writes state, steps and log lines to the
// database. Lines are batched (every 250 ms, or 500 lines) so a chatty build does not
// cost one insert per line, and numbered so a retried batch is stored once.
import type { BuildState } from '../core/build-state.ts';
import type { Db } from '../db/database.ts';
import { appendLog, finishStep, setBuildState, startStep, type LogLineInput } from '../db/builds.ts';
import type { BuildReporter, LogStream } from './reporter.ts';

const BATCH = 500;
const INTERVAL_MS = 250;

export class DbReporter implements BuildReporter {
  readonly #db: Db;
  readonly #buildId: number;
  #seq = 0;
  #steps = 0;
  #currentStep: number | null = null;
  #pending: LogLineInput[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();

  constructor(db: Db, buildId: number) {
    this.#db = db;
    this.#buildId = buildId;
  }

  async state(state: BuildState, fields: { commit?: string; config?: unknown } = {}): Promise<void> {
    await this.flush();
    await setBuildState(this.#db, this.#buildId, state, fields);
  }

  async startStep(name: string, command: string): Promise<number> {
    await this.flush();
    const position = this.#steps++;
    await startStep(this.#db, this.#buildId, position, name, command);
    this.#currentStep = position;
    return position;
  }

  async endStep(position: number, exitCode: number): Promise<void> {
    await this.flush();
    await finishStep(this.#db, this.#buildId, position, exitCode);
    this.#currentStep = null;
  }

  log(stream: LogStream, line: string): void {
    this.#pending.push({ seq: this.#seq++, step: this.#currentStep, stream, line });
    if (this.#pending.length >= BATCH) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), INTERVAL_MS);
  }

  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#pending;
    this.#pending = [];
    // Chain the writes so batches land in order even when flushes overlap.
    const done = this.#flushing.then(() => appendLog(this.#db, this.#buildId, batch));
    this.#flushing = done.catch(() => {});
    return done;
  }
}

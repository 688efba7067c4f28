// What a running build tells the outside world: its state, its steps and every log line.
// The pipeline only knows this interface; the in-process builder writes straight to the
// database, a remote builder will send the same calls over the builder API.
import type { RunningState } from '../core/build-state.ts';

export type LogStream = 'stdout' | 'stderr' | 'info';

export interface BuildReporter {
  /** Moves the build to a running state; ending it is the builder's /finish, never a state report. */
  state(state: RunningState, fields?: { commit?: string; config?: unknown }): Promise<void>;
  /** Starts a step; returns its position. */
  startStep(name: string, command: string): Promise<number>;
  endStep(position: number, exitCode: number): Promise<void>;
  /** Queues a log line; lines are delivered in order, each once. */
  log(stream: LogStream, line: string): void;
  /** Delivers every queued line. */
  flush(): Promise<void>;
}

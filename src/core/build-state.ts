// The life of a build, as Read the Docs names it, and the one set of rules for moving it.
// Only `finished` and `cancelled` are final; how a build ended is its outcome (`success`,
// and for a failure the error code and message), never a state of its own. Every writer
// (the queue, the builder API) moves a build through these rules, so no path can invent a
// state or bring a finished build back to life.

export const BUILD_STATES = ['triggered', 'cloning', 'installing', 'building', 'uploading', 'finished', 'cancelled'] as const;
export type BuildState = (typeof BUILD_STATES)[number];

/** Read the Docs' BUILD_FINAL_STATES: a build here never moves again. */
export const TERMINAL_STATES: readonly BuildState[] = ['finished', 'cancelled'];

/** States a builder is working in (it holds the build's lease). */
export const RUNNING_STATES = ['cloning', 'installing', 'building', 'uploading'] as const satisfies readonly BuildState[];
export type RunningState = (typeof RUNNING_STATES)[number];

export function isTerminal(state: string): boolean {
  return (TERMINAL_STATES as readonly string[]).includes(state);
}

export function isRunning(state: string): state is RunningState {
  return (RUNNING_STATES as readonly string[]).includes(state);
}

/** Human names shown by the API (`state.name`, Read the Docs' `state.title()`) and the dashboard. */
export const BUILD_STATE_NAMES: Record<BuildState, string> = {
  triggered: 'Triggered',
  cloning: 'Cloning',
  installing: 'Installing',
  building: 'Building',
  uploading: 'Uploading',
  finished: 'Finished',
  cancelled: 'Cancelled',
};

/**
 * How a build ended. A failure is `finished` with success false; a cancelled build (by a
 * user, or superseded by a newer build of its version) ends in `cancelled`.
 */
export type BuildOutcome =
  | { success: true; formats?: string[] }
  | { success: false; cancelled?: boolean; errorCode: string; error: string };

/**
 * Where each state may go. A builder reports the running states forward only; a running
 * build may start over at `cloning` (a new attempt after its builder died) or go back to
 * `triggered` (its lease lapsed and its job waits for another builder); any live build may end.
 */
const NEXT: Record<BuildState, readonly BuildState[]> = {
  triggered: ['cloning', 'finished', 'cancelled'],
  cloning: ['triggered', 'cloning', 'installing', 'building', 'uploading', 'finished', 'cancelled'],
  installing: ['triggered', 'cloning', 'installing', 'building', 'uploading', 'finished', 'cancelled'],
  building: ['triggered', 'cloning', 'building', 'uploading', 'finished', 'cancelled'],
  uploading: ['triggered', 'cloning', 'uploading', 'finished', 'cancelled'],
  finished: [],
  cancelled: [],
};

/** Whether a build in `from` may move to `to` (staying in a running state is allowed: reports are retried). */
export function canMove(from: string, to: BuildState): boolean {
  return (NEXT[from as BuildState] ?? []).includes(to);
}

/** The states a build may be in for a move to `to`: a writer updates only rows in one of them. */
export function movableFrom(to: BuildState): BuildState[] {
  return BUILD_STATES.filter((from) => NEXT[from].includes(to));
}

/** The row fields that end a build with this outcome. */
export function endingOf(outcome: BuildOutcome): { state: 'finished' | 'cancelled'; success: boolean; errorCode: string | null; error: string | null } {
  if (outcome.success) return { state: 'finished', success: true, errorCode: null, error: null };
  return { state: outcome.cancelled ? 'cancelled' : 'finished', success: false, errorCode: outcome.errorCode, error: outcome.error };
}

/** The state a reader is told, with Read the Docs' "Failed" for a build that finished unsuccessfully (dashboards, badges). */
export function displayState(build: { state: string; success: boolean | null }): string {
  if (build.state === 'finished' && build.success === false) return 'Failed';
  return BUILD_STATE_NAMES[build.state as BuildState] ?? build.state;
}

/** Where a build's files live in storage: immutable, one prefix per build. */
export function artifactPrefix(projectSlug: string, versionSlug: string, buildId: number, format = 'html'): string {
  return `${projectSlug}/${versionSlug}/${buildId}/${format}`;
}

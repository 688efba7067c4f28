// The life of a build, as Read the Docs names it. Terminal states never change again.

export const BUILD_STATES = ['triggered', 'cloning', 'installing', 'building', 'uploading', 'finished', 'failed', 'cancelled'] as const;
export type BuildState = (typeof BUILD_STATES)[number];

export const TERMINAL_STATES: readonly BuildState[] = ['finished', 'failed', 'cancelled'];

export function isTerminal(state: string): boolean {
  return (TERMINAL_STATES as readonly string[]).includes(state);
}

/** Human names shown by the API (`state.name`) and the dashboard. */
export const BUILD_STATE_NAMES: Record<BuildState, string> = {
  triggered: 'Triggered',
  cloning: 'Cloning',
  installing: 'Installing',
  building: 'Building',
  uploading: 'Uploading',
  finished: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Where a build's files live in storage: immutable, one prefix per build. */
export function artifactPrefix(projectSlug: string, versionSlug: string, buildId: number, format = 'html'): string {
  return `${projectSlug}/${versionSlug}/${buildId}/${format}`;
}

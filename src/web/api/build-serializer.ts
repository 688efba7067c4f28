// Builds in the shape of Read the Docs' API v3 (BuildSerializer): every field it returns, with
// its type and nesting; `config` only when the request asks `?expand=config`. Bindery's own
// extras (started, error_code, trigger, builder, and on the detail its steps and log) ride
// along: a client reading Read the Docs' fields is not disturbed by more keys.
import { BUILD_STATE_NAMES, isTerminal, type BuildState } from '../../core/build-state.ts';
import { documentationUrl } from '../../core/previews.ts';
import { displayRepositoryUrl } from '../../core/repository-url.ts';
import type { Build, BuildLogLine, BuildStep, Project, Version } from '../../db/schema.ts';
import { api, type UrlContext } from './serializers.ts';

export interface BuildDetail {
  steps: BuildStep[];
  log: BuildLogLine[];
}

export interface BuildShowOptions {
  /** Steps and log: Read the Docs' `commands`, and Bindery's `steps`/`log` on the detail. */
  detail?: BuildDetail;
  /** `?expand=config`: the configuration the build read. */
  expandConfig?: boolean;
}

/** The commit's page at the repository's host, as Read the Docs links it; null when the host has no such page. */
export function commitUrl(repositoryUrl: string, version: Pick<Version, 'type' | 'verboseName'> | null, commit: string | null): string | null {
  if (!commit) return null;
  const base = displayRepositoryUrl(repositoryUrl).replace(/^git:\/\//, 'https://').replace(/\.git\/?$/, '').replace(/\/+$/, '');
  const external = version?.type === 'external';
  if (base.includes('github')) return external ? `${base}/pull/${version!.verboseName}/commits/${commit}` : `${base}/commit/${commit}`;
  if (base.includes('gitlab')) return external ? `${base}/merge_requests/${version!.verboseName}/diffs?commit_id=${commit}` : `${base}/commit/${commit}`;
  if (base.includes('bitbucket')) return `${base}/commits/${commit}`;
  return null;
}

const seconds = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 1000);

/** Read the Docs' `commands`: each step with its command, output, exit code and times. */
function commands(detail: BuildDetail) {
  const output = new Map<number, string[]>();
  for (const l of detail.log) if (l.step !== null) output.set(l.step, [...(output.get(l.step) ?? []), l.line]);
  return detail.steps.map((s) => ({
    id: s.id,
    command: s.command,
    description: s.name,
    output: (output.get(s.position) ?? []).join('\n'),
    exit_code: s.exitCode,
    start_time: s.startedAt.toISOString(),
    end_time: s.finishedAt?.toISOString() ?? null,
    run_time: s.finishedAt ? seconds(s.startedAt, s.finishedAt) : null,
  }));
}

export function serializeBuild(b: Build, p: Project, version: Version | null, ctx: UrlContext, opts: BuildShowOptions = {}) {
  const versionSlug = version?.slug ?? null;
  const ended = isTerminal(b.state);
  const stateName = BUILD_STATE_NAMES[b.state as BuildState] ?? b.state;
  return {
    id: b.id,
    version: versionSlug,
    project: p.slug,
    created: b.createdAt.toISOString(),
    started: b.startedAt?.toISOString() ?? null,
    finished: b.finishedAt?.toISOString() ?? null,
    duration: b.startedAt && b.finishedAt ? seconds(b.startedAt, b.finishedAt) : null,
    state: { code: b.state, name: stateName },
    state_display: stateName,
    // null until the build ends (Read the Docs' get_success).
    success: ended ? b.success : null,
    error: b.error ?? '',
    error_code: b.errorCode,
    commit: b.commit,
    commands: opts.detail ? commands(opts.detail) : [],
    trigger: b.trigger,
    builder: b.builder,
    ...(opts.expandConfig ? { config: b.config ?? null } : {}),
    _links: {
      _self: api(ctx, `projects/${p.slug}/builds/${b.id}/`),
      project: api(ctx, `projects/${p.slug}/`),
      version: versionSlug === null ? null : api(ctx, `projects/${p.slug}/versions/${versionSlug}/`),
      notifications: api(ctx, `projects/${p.slug}/builds/${b.id}/notifications/`),
    },
    urls: {
      build: `${ctx.publicUrl}/projects/${p.slug}/builds/${b.id}/`,
      project: `${ctx.publicUrl}/projects/${p.slug}/`,
      version: versionSlug === null ? null : `${ctx.publicUrl}/dashboard/${p.slug}/version/${versionSlug}/edit/`,
      documentation: version ? documentationUrl(ctx, p, version) : null,
      commit: commitUrl(p.repoUrl, version, b.commit),
    },
    ...(opts.detail
      ? {
          steps: opts.detail.steps.map((s) => ({
            name: s.name,
            command: s.command,
            exit_code: s.exitCode,
            start_time: s.startedAt.toISOString(),
            end_time: s.finishedAt?.toISOString() ?? null,
            duration: s.finishedAt ? (s.finishedAt.getTime() - s.startedAt.getTime()) / 1000 : null,
          })),
          log: opts.detail.log.map((l) => ({ seq: l.seq, step: l.step, stream: l.stream, line: l.line })),
        }
      : {}),
  };
}

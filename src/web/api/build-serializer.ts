// Builds in the shape of Read the Docs' API v3 (BuildSerializer).
import { BUILD_STATE_NAMES, type BuildState } from '../../core/build-state.ts';
import type { Build, BuildLogLine, BuildStep, Project } from '../../db/schema.ts';
import { api, type UrlContext } from './serializers.ts';

export interface BuildDetail {
  steps: BuildStep[];
  log: BuildLogLine[];
}

export function serializeBuild(b: Build, p: Project, versionSlug: string, ctx: UrlContext, detail?: BuildDetail) {
  const duration = b.startedAt && b.finishedAt ? Math.round((b.finishedAt.getTime() - b.startedAt.getTime()) / 1000) : null;
  return {
    id: b.id,
    version: versionSlug,
    project: p.slug,
    commit: b.commit,
    created: b.createdAt.toISOString(),
    started: b.startedAt?.toISOString() ?? null,
    finished: b.finishedAt?.toISOString() ?? null,
    duration,
    state: { code: b.state, name: BUILD_STATE_NAMES[b.state as BuildState] ?? b.state },
    success: b.success,
    error: b.error ?? '',
    error_code: b.errorCode,
    trigger: b.trigger,
    builder: b.builder,
    urls: {
      build: `${ctx.publicUrl}/projects/${p.slug}/builds/${b.id}/`,
      project: `${ctx.publicUrl}/projects/${p.slug}/`,
      version: `${ctx.publicUrl}/dashboard/${p.slug}/version/${versionSlug}/edit/`,
    },
    _links: {
      _self: api(ctx, `projects/${p.slug}/builds/${b.id}/`),
      project: api(ctx, `projects/${p.slug}/`),
      version: api(ctx, `projects/${p.slug}/versions/${versionSlug}/`),
    },
    ...(detail
      ? {
          steps: detail.steps.map((s) => ({
            name: s.name,
            command: s.command,
            exit_code: s.exitCode,
            start_time: s.startedAt.toISOString(),
            end_time: s.finishedAt?.toISOString() ?? null,
            duration: s.finishedAt ? (s.finishedAt.getTime() - s.startedAt.getTime()) / 1000 : null,
          })),
          log: detail.log.map((l) => ({ seq: l.seq, step: l.step, stream: l.stream, line: l.line })),
        }
      : {}),
  };
}


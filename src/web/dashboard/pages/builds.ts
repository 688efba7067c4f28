// Build pages: the list, and one build — state, commit, timings per step, its log (live
// over Server-Sent Events while it runs), cancel and rebuild, the failure reason on top.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { maintainedProject } from '../settings-kit.ts';
import { isTerminal } from '../../../core/build-state.ts';
import { documentationUrl } from '../../../core/previews.ts';
import { buildCommands, cancelBuild, listProjectBuilds, readBuild, triggerBuild } from '../../../domain/builds.ts';
import { html } from '../../html.ts';
import { notFound } from '../../errors.ts';
import { checkCsrf } from '../csrf.ts';
import { redirect, type DashboardContext } from '../context.ts';
import { ago, csrfField, page } from '../layout.ts';
import { buildTable, stateBadge } from './projects.ts';
import { streamBuildLog } from '../../api/build-log-stream.ts';

/** A build id from the URL; anything that is not one is a build that does not exist. */
function buildId(raw: string): number {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0 || id >= 2 ** 31) throw notFound('Build not found.');
  return id;
}

export function buildPages(app: FastifyInstance, ctx: DashboardContext): void {
  /** Build pages are for maintainers: logs can reveal more than the docs do. */
  const maintained = (request: FastifyRequest, slug: string) => maintainedProject(ctx, request, slug);

  app.get<{ Params: { slug: string } }>('/projects/:slug/builds/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    const { rows } = await listProjectBuilds(ctx, request.session!.user, project.slug, {}, 100, 0);
    const list = rows.map((r) => r.build);
    const slugOf = new Map(rows.flatMap((r) => (r.version ? [[r.version.id, r.version.slug] as const] : [])));
    return page(request, reply, ctx, { title: `Builds of ${project.name}`, body: html`<h1>Builds of <a href="/projects/${project.slug}/">${project.name}</a></h1>${buildTable(project, list, slugOf)}` });
  });

  app.get<{ Params: { slug: string; id: string } }>('/projects/:slug/builds/:id/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    const id = buildId(request.params.id);
    const { build, version } = await readBuild(ctx, request.session!.user, project.slug, id);
    const { steps, log } = await buildCommands(ctx, build);
    const running = !isTerminal(build.state);
    const duration = (a: Date, b: Date | null) => (b ? `${((b.getTime() - a.getTime()) / 1000).toFixed(1)} s` : '…');
    const docsUrl = version ? documentationUrl(ctx, project, version) : null;
    return page(request, reply, ctx, {
      title: `Build #${build.id} of ${project.name}`,
      body: html`<h1>Build #${build.id} of <a href="/projects/${project.slug}/">${project.name}</a></h1>
${build.success === false ? html`<p class="error" role="alert"><strong>${build.state === 'cancelled' ? 'This build was cancelled' : 'This build failed'}:</strong> ${build.error ?? ''}</p>` : ''}
<table><tbody>
<tr><th scope="row">State</th><td><span class="state state-${build.state}" data-build-state="${build.state}">${stateBadge(build)}</span></td></tr>
<tr><th scope="row">Version</th><td>${version?.verboseName ?? ''}</td></tr>
<tr><th scope="row">Commit</th><td><code>${build.commit ?? '—'}</code></td></tr>
<tr><th scope="row">Triggered by</th><td>${build.trigger}, ${ago(build.createdAt)}</td></tr>
<tr><th scope="row">Attempt</th><td>${build.attempt}${build.builder ? html` <span class="muted">on ${build.builder}</span>` : ''}</td></tr>
<tr><th scope="row">Duration</th><td>${build.startedAt ? duration(build.startedAt, build.finishedAt) : '—'}</td></tr>
${build.state === 'finished' && build.success && docsUrl ? html`<tr><th scope="row">Docs</th><td><a href="${docsUrl}">${docsUrl}</a></td></tr>` : ''}
</tbody></table>
<div class="actions">
${running ? html`<form class="inline" method="post" action="/projects/${project.slug}/builds/${build.id}/cancel/">${csrfField(request, reply, ctx)}<button class="danger" type="submit">Cancel build</button></form>` : ''}
${version ? html`<form class="inline" method="post" action="/projects/${project.slug}/versions/${version.slug}/build/">${csrfField(request, reply, ctx)}<button class="secondary" type="submit">Rebuild</button></form>` : ''}
${running ? html`<noscript><a href="">Reload</a> to see new log lines.</noscript>` : ''}
</div>
<h2>Steps</h2>
<table><thead><tr><th scope="col">Step</th><th scope="col">Command</th><th scope="col">Exit</th><th scope="col">Time</th></tr></thead><tbody>
${steps.map((s) => html`<tr><td>${s.name}</td><td><code>${s.command}</code></td><td>${s.exitCode ?? '…'}</td><td>${duration(s.startedAt, s.finishedAt)}</td></tr>`)}
</tbody></table>
<h2>Log</h2>
<pre class="log" tabindex="0" aria-label="Build log"${running ? html` data-stream="/projects/${project.slug}/builds/${build.id}/log/stream/" data-last-seq="${log.at(-1)?.seq ?? -1}"` : ''}>${log.map((l) => html`<span class="${l.stream}">${l.line}\n</span>`)}</pre>`,
    });
  });

  // The live log for the build page (session, not token: this is the browser).
  app.get<{ Params: { slug: string; id: string } }>('/projects/:slug/builds/:id/log/stream/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    const { build } = await readBuild(ctx, request.session!.user, project.slug, buildId(request.params.id));
    await streamBuildLog(ctx.db, ctx, request, reply, project, build);
  });

  app.post<{ Params: { slug: string; id: string } }>('/projects/:slug/builds/:id/cancel/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    checkCsrf(request, ctx.publicUrl);
    const { build } = await cancelBuild({ ...ctx, log: request.log }, request.session!.user, project.slug, buildId(request.params.id));
    return redirect(reply, `/projects/${project.slug}/builds/${build.id}/`);
  });

  app.post<{ Params: { slug: string; version: string } }>('/projects/:slug/versions/:version/build/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    checkCsrf(request, ctx.publicUrl);
    const { build } = await triggerBuild({ ...ctx, log: request.log }, request.session!.user, project.slug, request.params.version, 'user');
    return redirect(reply, `/projects/${project.slug}/builds/${build.id}/`);
  });
}

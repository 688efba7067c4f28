// Build pages: the list, and one build — state, commit, timings per step, its log (live
// over Server-Sent Events while it runs), cancel and rebuild, the failure reason on top.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { maintainedProject } from '../settings-kit.ts';
import { desc, eq } from 'drizzle-orm';
import { isTerminal } from '../../../core/build-state.ts';
import { documentationUrl } from '../../../core/previews.ts';
import { buildLog, getBuild, listBuildSteps } from '../../../db/builds.ts';
import { builds, versions } from '../../../db/schema.ts';
import { listVersions } from '../../../db/versions.ts';
import { html } from '../../html.ts';
import { HttpError, notFound } from '../../errors.ts';
import { checkCsrf } from '../csrf.ts';
import { redirect, type DashboardContext } from '../context.ts';
import { ago, csrfField, page } from '../layout.ts';
import { buildTable, stateBadge } from './projects.ts';
import { streamBuildLog } from '../../api/build-log-stream.ts';

export function buildPages(app: FastifyInstance, ctx: DashboardContext): void {
  /** Build pages are for maintainers: logs can reveal more than the docs do. */
  const maintained = (request: FastifyRequest, slug: string) => maintainedProject(ctx, request, slug);

  app.get<{ Params: { slug: string } }>('/projects/:slug/builds/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    const list = await ctx.db.select().from(builds).where(eq(builds.projectId, project.id)).orderBy(desc(builds.id)).limit(100);
    const slugOf = new Map((await listVersions(ctx.db, project.id)).map((v) => [v.id, v.slug]));
    return page(request, reply, ctx, { title: `Builds of ${project.name}`, body: html`<h1>Builds of <a href="/projects/${project.slug}/">${project.name}</a></h1>${buildTable(project, list, slugOf)}` });
  });

  app.get<{ Params: { slug: string; id: string } }>('/projects/:slug/builds/:id/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    const id = Number(request.params.id);
    const build = Number.isInteger(id) && id > 0 && id < 2 ** 31 ? await getBuild(ctx.db, id) : null;
    if (!build || build.projectId !== project.id) throw notFound('Build not found.');
    const [version] = await ctx.db.select().from(versions).where(eq(versions.id, build.versionId));
    const [steps, log] = await Promise.all([listBuildSteps(ctx.db, build.id), buildLog(ctx.db, build.id)]);
    const running = !isTerminal(build.state);
    const duration = (a: Date, b: Date | null) => (b ? `${((b.getTime() - a.getTime()) / 1000).toFixed(1)} s` : '…');
    const docsUrl = version ? documentationUrl(ctx, project, version) : null;
    return page(request, reply, ctx, {
      title: `Build #${build.id} of ${project.name}`,
      body: html`<h1>Build #${build.id} of <a href="/projects/${project.slug}/">${project.name}</a></h1>
${build.state === 'failed' || build.state === 'cancelled' ? html`<p class="error" role="alert"><strong>${build.state === 'failed' ? 'This build failed' : 'This build was cancelled'}:</strong> ${build.error ?? ''}</p>` : ''}
<table><tbody>
<tr><th scope="row">State</th><td><span class="state state-${build.state}" data-build-state="${build.state}">${stateBadge(build)}</span></td></tr>
<tr><th scope="row">Version</th><td>${version?.verboseName ?? ''}</td></tr>
<tr><th scope="row">Commit</th><td><code>${build.commit ?? '—'}</code></td></tr>
<tr><th scope="row">Triggered by</th><td>${build.trigger}, ${ago(build.createdAt)}</td></tr>
<tr><th scope="row">Attempt</th><td>${build.attempt}${build.builder ? html` <span class="muted">on ${build.builder}</span>` : ''}</td></tr>
<tr><th scope="row">Duration</th><td>${build.startedAt ? duration(build.startedAt, build.finishedAt) : '—'}</td></tr>
${build.state === 'finished' && docsUrl ? html`<tr><th scope="row">Docs</th><td><a href="${docsUrl}">${docsUrl}</a></td></tr>` : ''}
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
    const build = await getBuild(ctx.db, Number(request.params.id) || 0);
    if (!build || build.projectId !== project.id) throw notFound('Build not found.');
    await streamBuildLog(ctx.db, ctx, request, reply, project, build);
  });

  app.post<{ Params: { slug: string; id: string } }>('/projects/:slug/builds/:id/cancel/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    checkCsrf(request, ctx.publicUrl);
    const build = await getBuild(ctx.db, Number(request.params.id) || 0);
    if (!build || build.projectId !== project.id) throw notFound('Build not found.');
    if (isTerminal(build.state)) throw new HttpError(409, `The build is already ${build.state}.`);
    await ctx.queue.cancel(build);
    return redirect(reply, `/projects/${project.slug}/builds/${build.id}/`);
  });

  app.post<{ Params: { slug: string; version: string } }>('/projects/:slug/versions/:version/build/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    checkCsrf(request, ctx.publicUrl);
    const [version] = await ctx.db.select().from(versions).where(eq(versions.projectId, project.id)).then((rows) => rows.filter((v) => v.slug === request.params.version));
    if (!version) throw notFound('Version not found.');
    const build = await ctx.queue.trigger({ projectId: project.id, versionId: version.id, commit: null, trigger: 'user' });
    return redirect(reply, `/projects/${project.slug}/builds/${build.id}/`);
  });
}

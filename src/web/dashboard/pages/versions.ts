// The versions page: activate, hide, make private, build, and sync from git.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { maintainedProject } from '../settings-kit.ts';
import { and, eq } from 'drizzle-orm';
import { versions } from '../../../db/schema.ts';
import { listVersions } from '../../../db/versions.ts';
import { syncProjectVersions } from '../../../projects/sync-versions.ts';
import { projectMayReachInside, userMayReachInside } from '../../../projects/repository-access.ts';
import { BuildError } from '../../../core/errors.ts';
import { documentationUrl } from '../../../core/previews.ts';
import { html } from '../../html.ts';
import { notFound } from '../../errors.ts';
import { checkCsrf } from '../csrf.ts';
import { redirect, signedIn, type DashboardContext } from '../context.ts';
import { csrfField, page } from '../layout.ts';
import { servingChanged } from '../../../core/changes.ts';

export function versionPages(app: FastifyInstance, ctx: DashboardContext): void {
  const maintained = (request: FastifyRequest, slug: string) => maintainedProject(ctx, request, slug);

  app.get<{ Params: { slug: string } }>('/projects/:slug/versions/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    const list = await listVersions(ctx.db, project.id);
    return page(request, reply, ctx, {
      title: `Versions of ${project.name}`,
      body: html`<h1>Versions of <a href="/projects/${project.slug}/">${project.name}</a></h1>
<form method="post" action="/projects/${project.slug}/versions/sync/" class="actions">${csrfField(request, reply, ctx)}<button class="secondary" type="submit">Sync versions from git</button></form>
<table><thead><tr><th scope="col">Version</th><th scope="col">Settings</th><th scope="col">Docs</th><th scope="col">Build</th></tr></thead><tbody>
${list.map((v) => html`<tr>
<td><strong>${v.verboseName}</strong><br><span class="muted">${v.type}${v.machine ? html` → ${v.identifier}` : ''}</span></td>
<td><form method="post" action="/dashboard/${project.slug}/version/${v.slug}/edit/">${csrfField(request, reply, ctx)}
<label class="check"><input type="checkbox" name="active" value="on"${v.active ? html` checked` : ''}> Active</label>
<label class="check"><input type="checkbox" name="hidden" value="on"${v.hidden ? html` checked` : ''}> Hidden</label>
<label>Privacy <select name="privacy_level"><option value="public"${v.privacyLevel === 'public' ? html` selected` : ''}>Public</option><option value="private"${v.privacyLevel === 'private' ? html` selected` : ''}>Private</option></select></label>
<button class="secondary" type="submit" aria-label="Save ${v.verboseName}">Save</button></form></td>
<td>${v.built ? html`<a href="${documentationUrl(ctx, project, v)}">read</a>` : html`<span class="muted">not built</span>`}</td>
<td><form method="post" action="/projects/${project.slug}/versions/${v.slug}/build/">${csrfField(request, reply, ctx)}<button class="secondary" type="submit" aria-label="Build ${v.verboseName}">Build</button></form></td>
</tr>`)}
</tbody></table>`,
    });
  });

  // The API links here; the version's settings live on the versions page.
  app.get<{ Params: { slug: string; version: string } }>('/dashboard/:slug/version/:version/edit/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    return redirect(reply, `/projects/${project.slug}/versions/`, 302);
  });

  app.post<{ Params: { slug: string; version: string }; Body: Record<string, string> }>('/dashboard/:slug/version/:version/edit/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    checkCsrf(request, ctx.publicUrl);
    const privacy = request.body.privacy_level === 'private' ? 'private' : 'public';
    const [before] = await ctx.db.select().from(versions).where(and(eq(versions.projectId, project.id), eq(versions.slug, request.params.version)));
    if (!before) throw notFound('Version not found.');
    const active = request.body.active === 'on';
    if (!active && before.slug === project.defaultVersion) {
      return redirect(reply, `/projects/${project.slug}/versions/?notice=` + encodeURIComponent(`${before.verboseName} is the default version and must stay active; choose another default version first.`));
    }
    await ctx.db.update(versions).set({ active, hidden: request.body.hidden === 'on', privacyLevel: privacy, updatedAt: new Date() }).where(eq(versions.id, before.id));
    servingChanged();
    // Activating a version that was never built builds it, as on Read the Docs.
    if (active && !before.active && !before.built) await ctx.queue.trigger({ projectId: project.id, versionId: before.id, commit: null, trigger: 'user' });
    return redirect(reply, `/projects/${project.slug}/versions/?notice=` + encodeURIComponent(`Saved ${before.verboseName}.`));
  });

  app.post<{ Params: { slug: string } }>('/projects/:slug/versions/sync/', async (request, reply) => {
    const project = await maintained(request, request.params.slug);
    checkCsrf(request, ctx.publicUrl);
    try {
      const mayReachInside = userMayReachInside(ctx, signedIn(request)) || (await projectMayReachInside(ctx.db, ctx, project.id));
      const synced = await syncProjectVersions(ctx.db, project, { mayReachInside, resolveHost: ctx.resolveHost, log: request.log }, ctx.queue);
      return redirect(reply, `/projects/${project.slug}/versions/?notice=` + encodeURIComponent(`${synced.length} versions synced.`));
    } catch (err) {
      if (err instanceof BuildError) return redirect(reply, `/projects/${project.slug}/versions/?notice=` + encodeURIComponent(err.message));
      throw err;
    }
  });
}

// The versions page: activate, hide, make private, build, and sync from git, by the domain's
// rules (domain/versions.ts), the same the API applies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Project } from '../../../db/schema.ts';
import { documentationUrl } from '../../../core/previews.ts';
import { changeVersion, projectVersions, requestVersionSync, PRIVACY_LEVELS } from '../../../domain/versions.ts';
import { html } from '../../html.ts';
import { redirect, signedIn, type DashboardContext } from '../context.ts';
import { csrfField, page } from '../layout.ts';
import { checked, maintainedPost, maintainedProject, problems, refusal, text, type Form, type Refusal } from '../settings-kit.ts';

const PRIVACY_NAMES: Record<string, string> = { public: 'Public', private: 'Private' };

export function versionPages(app: FastifyInstance, ctx: DashboardContext): void {
  const back = (reply: FastifyReply, p: Project, notice: string) => redirect(reply, `/projects/${p.slug}/versions/?notice=${encodeURIComponent(notice)}`);

  const show = async (request: FastifyRequest, reply: FastifyReply, project: Project, refused: Refusal | null = null) => {
    const { versions: list } = await projectVersions(ctx, signedIn(request), project.slug);
    return page(request, reply, ctx, {
      title: `Versions of ${project.name}`,
      status: refused?.status ?? 200,
      body: html`<h1>Versions of <a href="/projects/${project.slug}/">${project.name}</a></h1>
<form method="post" action="/projects/${project.slug}/versions/sync/" class="actions">${csrfField(request, reply, ctx)}<button class="secondary" type="submit">Sync versions from git</button></form>
<table><thead><tr><th scope="col">Version</th><th scope="col">Settings</th><th scope="col">Docs</th><th scope="col">Build</th></tr></thead><tbody>
${list.map((v) => html`<tr id="version-${v.slug}">
<td><strong>${v.verboseName}</strong><br><span class="muted">${v.type}${v.machine ? html` → ${v.identifier}` : ''}${v.slug === project.defaultVersion ? html` · default` : ''}</span></td>
<td>${problems(refused, `version-${v.slug}`)}<form method="post" action="/dashboard/${project.slug}/version/${v.slug}/edit/">${csrfField(request, reply, ctx)}
<label class="check"><input type="checkbox" name="active" value="on"${v.active ? html` checked` : ''}> Active</label>
<label class="check"><input type="checkbox" name="hidden" value="on"${v.hidden ? html` checked` : ''}> Hidden</label>
<label>Privacy <select name="privacy_level">${PRIVACY_LEVELS.map((level) => html`<option value="${level}"${v.privacyLevel === level ? html` selected` : ''}>${PRIVACY_NAMES[level]}</option>`)}</select></label>
<button class="secondary" type="submit" aria-label="Save ${v.verboseName}">Save</button></form></td>
<td>${v.built ? html`<a href="${documentationUrl(ctx, project, v)}">read</a>` : html`<span class="muted">not built</span>`}</td>
<td><form method="post" action="/projects/${project.slug}/versions/${v.slug}/build/">${csrfField(request, reply, ctx)}<button class="secondary" type="submit" aria-label="Build ${v.verboseName}">Build</button></form></td>
</tr>`)}
</tbody></table>`,
    });
  };

  app.get<{ Params: { slug: string } }>('/projects/:slug/versions/', async (request, reply) => show(request, reply, await maintainedProject(ctx, request, request.params.slug)));

  // The API links here; the version's settings live on the versions page.
  app.get<{ Params: { slug: string; version: string } }>('/dashboard/:slug/version/:version/edit/', async (request, reply) => {
    const project = await maintainedProject(ctx, request, request.params.slug);
    return redirect(reply, `/projects/${project.slug}/versions/#version-${encodeURIComponent(request.params.version)}`, 302);
  });

  app.post<{ Params: { slug: string; version: string }; Body: Form }>('/dashboard/:slug/version/:version/edit/', async (request, reply) => {
    const project = await maintainedPost(ctx, request, request.params.slug);
    // A form always sends every setting: an unchecked box is off.
    const changes = { active: checked(request.body, 'active'), hidden: checked(request.body, 'hidden'), privacyLevel: text(request.body, 'privacy_level') };
    try {
      const saved = await changeVersion({ ...ctx, log: request.log }, signedIn(request), project.slug, request.params.version, changes, 'user');
      return back(reply, project, `Saved ${saved.verboseName}.`);
    } catch (err) {
      return show(request, reply, project, refusal(err, `version-${request.params.version}`));
    }
  });

  app.post<{ Params: { slug: string } }>('/projects/:slug/versions/sync/', async (request, reply) => {
    const project = await maintainedPost(ctx, request, request.params.slug);
    await requestVersionSync({ ...ctx, log: request.log }, signedIn(request), project.slug, 'user');
    return back(reply, project, 'The version sync is queued: new branches and tags appear here when the repository has been read.');
  });
}

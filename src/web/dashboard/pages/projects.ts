// Project pages: home (public projects and mine), my dashboard, import, a project's
// overview with its versions and recent builds, and its build badge.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Build, Project } from '../../../db/schema.ts';
import { findProjectBySlug, listProjectsOf, listPublicProjects } from '../../../db/projects.ts';
import { latestBuilds, latestFinishedBuild, recentBuilds } from '../../../db/build-summaries.ts';
import { readableProject } from '../../../domain/access.ts';
import { listVersions } from '../../../db/versions.ts';
import { userInvitations } from '../../../db/maintainer-invitations.ts';
import { docsOrigin, versionDocsUrl } from '../../../core/urls.ts';
import { displayState } from '../../../core/build-state.ts';
import { importProject } from '../../../domain/import-project.ts';
import { DomainError } from '../../../core/domain-error.ts';
import { userMayReachInside } from '../../../domain/repository-access.ts';
import { displayRepositoryUrl } from '../../../core/repository-url.ts';
import { html, type Html } from '../../html.ts';
import { checkCsrf } from '../csrf.ts';
import { redirect, signedIn, type DashboardContext } from '../context.ts';
import { ago, csrfField, page } from '../layout.ts';
import { text, type Form } from '../settings-kit.ts';

/** The project if this request may see it (src/domain/access.ts: public, or the user maintains it); else 404. */
export async function visibleProject(ctx: DashboardContext, request: FastifyRequest, slug: string): Promise<{ project: Project; maintainer: boolean }> {
  return readableProject(ctx, request.session?.user ?? null, slug);
}

export function stateBadge(build: Pick<Build, 'state' | 'success'> | null | undefined): Html {
  if (!build) return html`<span class="muted">never built</span>`;
  return html`<span class="state state-${build.state}${build.state === 'finished' && build.success === false ? ' state-failed' : ''}">${displayState(build)}</span>`;
}

function projectTable(ctx: DashboardContext, list: Project[], latest: Map<number, Build>): Html {
  if (list.length === 0) return html`<p class="muted">No projects yet.</p>`;
  return html`<table><thead><tr><th scope="col">Project</th><th scope="col">Latest build</th><th scope="col">Docs</th><th scope="col">Repository</th></tr></thead><tbody>
${list.map((p) => html`<tr><td><a href="/projects/${p.slug}/">${p.name}</a></td><td>${stateBadge(latest.get(p.id))}</td>
<td><a href="${versionDocsUrl(docsOrigin(ctx.publicUrl, ctx.docsDomain, p.slug), p, p.defaultVersion)}">${p.slug}.${ctx.docsDomain}</a></td><td class="muted">${displayRepositoryUrl(p.repoUrl)}</td></tr>`)}
</tbody></table>`;
}

export function projectPages(app: FastifyInstance, ctx: DashboardContext): void {
  app.get('/', async (request, reply) => {
    const publicProjects = await listPublicProjects(ctx.db, 100);
    const latest = await latestBuilds(ctx.db, publicProjects.map((p) => p.id));
    return page(request, reply, ctx, {
      title: 'Documentation',
      body: html`<h1>Documentation hosted here</h1>
${request.session ? html`<p><a class="button" href="/dashboard/import/">Import a project</a> <a href="/dashboard/">Your projects</a></p>` : html`<p>Bindery builds and hosts documentation from git repositories. <a href="/accounts/signup/">Sign up</a> to import yours.</p>`}
${projectTable(ctx, publicProjects, latest)}`,
    });
  });

  app.get('/dashboard/', async (request, reply) => {
    const user = signedIn(request);
    const { rows: mine } = await listProjectsOf(ctx.db, user.id, {}, 10_000, 0);
    const latest = await latestBuilds(ctx.db, mine.map((p) => p.id));
    const invited = await userInvitations(ctx.db, user.id);
    const invitations = invited.length
      ? html`<p class="notice" role="status">You are invited to maintain ${invited.map((i) => i.project.name).join(', ')}. <a href="/invitations/">Accept or decline</a>.</p>`
      : '';
    return page(request, reply, ctx, {
      title: 'Your projects',
      body: html`<h1>Your projects</h1>${invitations}<p><a class="button" href="/dashboard/import/">Import a project</a></p>${projectTable(ctx, mine, latest)}`,
    });
  });

  const importForm = (request: FastifyRequest, reply: Parameters<typeof page>[1], values: Record<string, string>, errors: Record<string, string>, status = 200) =>
    page(request, reply, ctx, {
      title: 'Import a project',
      status,
      body: html`<h1>Import a project</h1>
<form class="stack" method="post" action="/dashboard/import/">
${csrfField(request, reply, ctx)}
<label>Name <input type="text" name="name" value="${values.name ?? ''}" required maxlength="63">
<span class="hint">The URL name (slug) is made from it: “My Project” → my-project.</span>
${errors.name ? html`<span class="error" role="alert">${errors.name}</span>` : ''}</label>
<label>Repository URL <input type="text" name="repository" value="${values.repository ? displayRepositoryUrl(values.repository) : ''}" required placeholder="https://github.com/you/project.git">
<span class="hint">https://, ssh:// or git@host:path; credentials (https://user:token@host/…) are kept as a secret and never shown${userMayReachInside(ctx, signedIn(request)) ? ' — or a local path or file:// URL on this machine' : ''}.</span>
${errors.repository ? html`<span class="error" role="alert">${errors.repository}</span>` : ''}</label>
<label>Default branch <input type="text" name="default_branch" value="${values.default_branch ?? ''}" maxlength="255">
${errors.default_branch ? html`<span class="error" role="alert">${errors.default_branch}</span>` : ''}
<span class="hint">Leave empty to use the repository's default branch.</span></label>
<button type="submit">Import</button>
</form>`,
    });

  app.get('/dashboard/import/', (request, reply) => {
    signedIn(request);
    return importForm(request, reply, {}, {});
  });

  app.post<{ Body: Form }>('/dashboard/import/', async (request, reply) => {
    const user = signedIn(request);
    checkCsrf(request, ctx.publicUrl);
    const values = { name: text(request.body, 'name'), repository: text(request.body, 'repository'), default_branch: text(request.body, 'default_branch') };
    try {
      const result = await importProject({ ...ctx, log: request.log }, user, { name: values.name, repositoryUrl: values.repository, defaultBranch: values.default_branch }, 'user');
      const first = result.builds[0];
      if (first) return redirect(reply, `/projects/${result.project.slug}/builds/${first.id}/`);
      return redirect(reply, `/projects/${result.project.slug}/?notice=` + encodeURIComponent('Imported, but the repository could not be read yet: check its URL, then sync versions.'));
    } catch (err) {
      if (!(err instanceof DomainError) || (err.kind !== 'invalid' && err.kind !== 'conflict')) throw err;
      const field = err.field === 'repository.url' ? 'repository' : err.field === 'default_branch' ? 'default_branch' : 'name';
      return importForm(request, reply, values, { [field]: err.message }, err.kind === 'conflict' ? 409 : 400);
    }
  });

  app.get<{ Params: { slug: string } }>('/projects/:slug/', async (request, reply) => {
    const { project, maintainer } = await visibleProject(ctx, request, request.params.slug);
    const all = await listVersions(ctx.db, project.id);
    const shown = all.filter((v) => maintainer || (v.active && v.privacyLevel === 'public' && !v.hidden));
    const recent = await recentBuilds(ctx.db, project.id, 10);
    const slugOf = new Map(all.map((v) => [v.id, v.slug]));
    const origin = docsOrigin(ctx.publicUrl, ctx.docsDomain, project.slug);
    return page(request, reply, ctx, {
      title: project.name,
      body: html`<h1>${project.name}</h1>
<p>Documentation: <a href="${versionDocsUrl(origin, project, project.defaultVersion)}">${versionDocsUrl(origin, project, project.defaultVersion)}</a></p>
<p><img src="/projects/${project.slug}/badge.svg" alt="Documentation build status"> <span class="muted">Repository: ${displayRepositoryUrl(project.repoUrl)}</span></p>
${maintainer ? html`<p class="actions"><a href="/projects/${project.slug}/versions/">Versions</a> <a href="/projects/${project.slug}/builds/">Builds</a> <a href="/dashboard/${project.slug}/edit/">Settings</a></p>` : ''}
<h2>Versions</h2>
<table><thead><tr><th scope="col">Version</th><th scope="col">Type</th><th scope="col">State</th><th scope="col">Docs</th></tr></thead><tbody>
${shown.map((v) => html`<tr><td>${v.verboseName}</td><td>${v.type}</td><td>${v.active ? 'active' : 'inactive'}${v.hidden ? ', hidden' : ''}${v.privacyLevel !== 'public' ? ', private' : ''}</td>
<td>${v.built && v.active ? html`<a href="${versionDocsUrl(origin, project, v.slug)}">read</a>` : html`<span class="muted">not built</span>`}</td></tr>`)}
</tbody></table>
${maintainer ? html`<h2>Recent builds</h2>${buildTable(project, recent, slugOf)}` : ''}`,
    });
  });

  // Anyone may fetch a badge, so a private project or version answers byte for byte what one
  // that does not exist answers: the badge must not tell that it exists, nor how its builds go.
  app.get<{ Params: { slug: string }; Querystring: { version?: string } }>('/projects/:slug/badge.svg', async (request, reply) => {
    const project = await findProjectBySlug(ctx.db, request.params.slug);
    let label = 'unknown';
    if (project && project.privacyLevel === 'public') {
      const slug = typeof request.query.version === 'string' ? request.query.version : project.defaultVersion;
      const row = await latestFinishedBuild(ctx.db, project.id, slug);
      // A preview's privacy is the project's setting for previews (as the API shows it).
      const privacy = row?.version.type === 'external' ? project.externalBuildsPrivacyLevel : row?.version.privacyLevel;
      if (row && privacy === 'public') label = row.build.success ? 'passing' : 'failing';
    }
    const color = label === 'passing' ? '#4c1' : label === 'failing' ? '#e05d44' : '#9f9f9f';
    const width = 36 + label.length * 7;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="docs: ${label}"><title>docs: ${label}</title><rect width="36" height="20" fill="#555"/><rect x="36" width="${width - 36}" height="20" fill="${color}"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11"><text x="5" y="14">docs</text><text x="41" y="14">${label}</text></g></svg>`;
    return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'no-cache').send(svg);
  });
}

export function buildTable(project: Project, list: Build[], slugOf: Map<number, string>): Html {
  if (list.length === 0) return html`<p class="muted">No builds yet.</p>`;
  return html`<table><thead><tr><th scope="col">Build</th><th scope="col">Version</th><th scope="col">State</th><th scope="col">Started</th><th scope="col">Commit</th></tr></thead><tbody>
${list.map((b) => html`<tr><td><a href="/projects/${project.slug}/builds/${b.id}/">#${b.id}</a></td><td>${slugOf.get(b.versionId) ?? ''}</td><td>${stateBadge(b)}</td><td>${ago(b.startedAt ?? b.createdAt)}</td><td><code>${b.commit?.slice(0, 8) ?? ''}</code></td></tr>`)}
</tbody></table>`;
}

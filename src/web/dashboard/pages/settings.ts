// Project settings: the general ones here (name, repository, default branch and version,
// language, privacy, single version, documentation type, pull-request previews) and the danger zone; the other
// areas, each in its own module, are linked from the settings sub-navigation.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Project } from '../../../db/schema.ts';
import { credentialsAfterEdit, displayRepositoryUrl } from '../../../core/repository-url.ts';
import { setProjectRepository } from '../../../db/project-repository.ts';
import { userMayReachInside, vetRepositoryUrl } from '../../../projects/repository-access.ts';
import { deleteProject, updateProject } from '../../../db/projects.ts';
import { DomainError } from '../../../core/domain-error.ts';
import { html } from '../../html.ts';
import { checkCsrf } from '../csrf.ts';
import { redirect, signedIn, type DashboardContext } from '../context.ts';
import { csrfField, page } from '../layout.ts';
import { maintainedProject, settingsNav } from '../settings-kit.ts';
import { servingChanged } from '../../../core/changes.ts';

const DOC_TYPES = ['auto', 'sphinx', 'mkdocs', 'builtin'];

export function settingsPages(app: FastifyInstance, ctx: DashboardContext): void {
  const maintained = (request: FastifyRequest, slug: string) => maintainedProject(ctx, request, slug);

  const form = (request: FastifyRequest, reply: FastifyReply, p: Project, errors: Record<string, string>, status = 200) =>
    page(request, reply, ctx, {
      title: `Settings of ${p.name}`,
      status,
      body: html`<h1>Settings of <a href="/projects/${p.slug}/">${p.name}</a></h1>
${settingsNav(p, 'edit')}
<form class="stack" method="post" action="/dashboard/${p.slug}/edit/">
${csrfField(request, reply, ctx)}
<label>Name <input type="text" name="name" value="${p.name}" required maxlength="100">${errors.name ? html`<span class="error" role="alert">${errors.name}</span>` : ''}</label>
<label>Repository URL <input type="text" name="repository" value="${displayRepositoryUrl(p.repoUrl)}" required>${errors.repository ? html`<span class="error" role="alert">${errors.repository}</span>` : ''}
<span class="hint">Credentials go in the URL (https://user:token@host/…): they are kept as a secret, never shown, and used only while the URL points at the same host.</span></label>
${p.repoCredentials ? html`<label class="check"><input type="checkbox" name="forget_credentials" value="on"> Forget the stored credentials of this repository</label>` : ''}
<label>Default branch <input type="text" name="default_branch" value="${p.defaultBranch ?? ''}" maxlength="255"><span class="hint">Empty: the repository's default branch.</span></label>
<label>Default version <input type="text" name="default_version" value="${p.defaultVersion}" required maxlength="255">${errors.default_version ? html`<span class="error" role="alert">${errors.default_version}</span>` : ''}</label>
<label>Language <input type="text" name="language" value="${p.language}" required maxlength="10">${errors.language ? html`<span class="error" role="alert">${errors.language}</span>` : ''}</label>
<label>Privacy <select name="privacy_level"><option value="public"${p.privacyLevel === 'public' ? html` selected` : ''}>Public</option><option value="private"${p.privacyLevel === 'private' ? html` selected` : ''}>Private</option></select></label>
<label class="check"><input type="checkbox" name="single_version" value="on"${p.singleVersion ? html` checked` : ''}> Single version (docs at the root, no language or version in URLs)</label>
<label>Documentation type <select name="documentation_type">${DOC_TYPES.map((t) => html`<option value="${t}"${p.documentationType === t ? html` selected` : ''}>${t}</option>`)}</select></label>
<label class="check"><input type="checkbox" name="external_builds_enabled" value="on"${p.externalBuildsEnabled ? html` checked` : ''}> Build pull request previews<span class="hint">Each pull or merge request is built and served at its own preview address, never on the documentation's own.</span></label>
<label>Preview privacy <select name="external_builds_privacy_level"><option value="public"${p.externalBuildsPrivacyLevel === 'public' ? html` selected` : ''}>Public</option><option value="private"${p.externalBuildsPrivacyLevel === 'private' ? html` selected` : ''}>Private</option></select>${errors.external_builds_privacy_level ? html`<span class="error" role="alert">${errors.external_builds_privacy_level}</span>` : ''}</label>
<button type="submit">Save</button>
</form>
<h2>Danger zone</h2>
<form method="post" action="/dashboard/${p.slug}/delete/" class="stack" data-confirm="Delete ${p.name} and all its versions and builds?">
${csrfField(request, reply, ctx)}
<label>Type the project's slug, <code>${p.slug}</code>, to confirm <input type="text" name="confirm" required autocomplete="off">${errors.confirm ? html`<span class="error" role="alert">${errors.confirm}</span>` : ''}</label>
<button class="danger" type="submit">Delete this project</button>
</form>`,
    });

  app.get<{ Params: { slug: string } }>('/dashboard/:slug/edit/', async (request, reply) => form(request, reply, await maintained(request, request.params.slug), {}));

  app.post<{ Params: { slug: string }; Body: Record<string, string> }>('/dashboard/:slug/edit/', async (request, reply) => {
    const p = await maintained(request, request.params.slug);
    checkCsrf(request, ctx.publicUrl);
    const b = request.body;
    const errors: Record<string, string> = {};
    const name = (b.name ?? '').trim().slice(0, 100);
    if (!name) errors.name = 'A name is required.';
    // The form sends the URL back unchanged with every save: only a new one is checked (an admin may have set an inside URL).
    const unchanged = (b.repository ?? '').trim() === displayRepositoryUrl(p.repoUrl);
    const repo = unchanged ? null : await vetRepositoryUrl(b.repository ?? '', userMayReachInside(ctx, signedIn(request)), ctx.resolveHost);
    if (repo && !repo.ok) errors.repository = repo.reason;
    const language = (b.language ?? '').trim();
    if (!/^[a-z]{2,3}([-_][a-zA-Z]{2,4})?$/.test(language)) errors.language = 'Use a language code such as en, es or pt-br.';
    const defaultVersion = (b.default_version ?? '').trim();
    if (!/^[a-z0-9._-]{1,255}$/.test(defaultVersion)) errors.default_version = 'Use a version slug such as latest or stable.';
    const edited: Project = { ...p, name, repoUrl: repo?.ok ? repo.url : p.repoUrl, language, defaultVersion };
    if (Object.keys(errors).length) return form(request, reply, edited, errors, 400);
    // The same update (and translation-language rule) as the API's PATCH.
    try {
      await updateProject(ctx.db, p, {
        name, defaultBranch: (b.default_branch ?? '').trim() || null, defaultVersion, language,
        privacyLevel: b.privacy_level === 'private' ? 'private' : 'public', singleVersion: b.single_version === 'on',
        documentationType: DOC_TYPES.includes(b.documentation_type ?? '') ? b.documentation_type! : 'auto',
        externalBuildsEnabled: b.external_builds_enabled === 'on', externalBuildsPrivacyLevel: b.external_builds_privacy_level ?? 'public',
      });
    } catch (err) {
      if (err instanceof DomainError) return form(request, reply, edited, { [err.field]: err.message }, err.conflict ? 409 : 400);
      throw err;
    }
    // The URL and its credentials are written together: a URL for another host drops them.
    const forget = b.forget_credentials === 'on';
    if (repo?.ok) await setProjectRepository(ctx.db, p.id, repo.url, forget ? repo.credentials : credentialsAfterEdit(p.repoUrl, p.repoCredentials, repo));
    else if (forget) await setProjectRepository(ctx.db, p.id, displayRepositoryUrl(p.repoUrl), null);
    servingChanged();
    return redirect(reply, `/dashboard/${p.slug}/edit/?notice=` + encodeURIComponent('Settings saved.'));
  });

  app.post<{ Params: { slug: string }; Body: Record<string, string> }>('/dashboard/:slug/delete/', async (request, reply) => {
    const p = await maintained(request, request.params.slug);
    checkCsrf(request, ctx.publicUrl);
    if ((request.body.confirm ?? '').trim() !== p.slug) return form(request, reply, p, { confirm: `Type ${p.slug} to confirm.` }, 400);
    await deleteProject(ctx.db, p.id);
    servingChanged();
    return redirect(reply, '/dashboard/?notice=' + encodeURIComponent(`${p.name} was deleted.`));
  });
}

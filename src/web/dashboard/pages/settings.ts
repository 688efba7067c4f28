// Project settings: the general ones here (Read the Docs' project settings — name,
// repository, languages, home page, tags, default version and branch, privacy, versioning
// scheme, URL prefixes, delisting, configuration path, version warning, previews, analytics — and Bindery's
// description and documentation type) and the danger zone; the other areas, each in its own
// module, are linked from the settings sub-navigation. The rules are src/domain/projects.ts's,
// the same the API's PATCH goes through: this page reads the form and shows the outcome.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Project } from '../../../db/schema.ts';
import { displayRepositoryUrl } from '../../../core/repository-url.ts';
import { LANGUAGES, PROGRAMMING_LANGUAGES } from '../../../core/languages.ts';
import { DomainError } from '../../../core/domain-error.ts';
import {
  DOCUMENTATION_TYPES, PRIVACY_LEVELS, VERSIONING_SCHEMES, defaultVersionChoices, deleteProject, updateProject, type ProjectChanges,
} from '../../../domain/projects.ts';
import { html, type Html } from '../../html.ts';
import { redirect, signedIn, type DashboardContext } from '../context.ts';
import { csrfField, page } from '../layout.ts';
import { checked, maintainedPost, maintainedProject, settingsNav, text, type Form } from '../settings-kit.ts';

const SCHEME_LABELS: Record<(typeof VERSIONING_SCHEMES)[number], string> = {
  multiple_versions_with_translations: 'Multiple versions with translations (/<language>/<version>/<page>)',
  multiple_versions_without_translations: 'Multiple versions without translations (/<version>/<page>)',
  single_version_without_translations: 'Single version without translations (/<page>)',
};

/** The form's fields, as the domain takes them: a field the form did not send stays as it is; an unticked box is off. */
function changesOf(form: Form): ProjectChanges {
  const sent = (name: string) => (form[name] === undefined ? undefined : text(form, name));
  return {
    name: sent('name'),
    repositoryUrl: sent('repository'),
    forgetCredentials: checked(form, 'forget_credentials'),
    language: sent('language'),
    programmingLanguage: sent('programming_language'),
    homepage: sent('homepage'),
    tags: sent('tags')?.split(','),
    description: sent('description'),
    defaultVersion: sent('default_version'),
    defaultBranch: sent('default_branch'),
    privacyLevel: sent('privacy_level'),
    versioningScheme: sent('versioning_scheme'),
    documentationType: sent('documentation_type'),
    readthedocsYamlPath: sent('readthedocs_yaml_path'),
    showVersionWarning: checked(form, 'show_version_warning'),
    externalBuildsEnabled: checked(form, 'external_builds_enabled'),
    externalBuildsPrivacyLevel: sent('external_builds_privacy_level'),
    analyticsCode: sent('analytics_code'),
    analyticsDisabled: checked(form, 'analytics_disabled'),
    customPrefix: sent('custom_prefix'),
    customSubprojectPrefix: sent('custom_subproject_prefix'),
    delisted: checked(form, 'delisted'),
  };
}

/** The project as the refused form had it, to show the user's input back. */
function asSubmitted(p: Project, c: ProjectChanges): Project {
  return {
    ...p,
    name: c.name ?? p.name, language: c.language ?? p.language, programmingLanguage: c.programmingLanguage ?? p.programmingLanguage,
    homepage: c.homepage ?? p.homepage, tags: c.tags?.map((t) => t.trim()).filter(Boolean) ?? p.tags, description: c.description ?? p.description,
    defaultVersion: c.defaultVersion ?? p.defaultVersion, defaultBranch: c.defaultBranch === undefined ? p.defaultBranch : c.defaultBranch || null, privacyLevel: c.privacyLevel ?? p.privacyLevel,
    versioningScheme: c.versioningScheme ?? p.versioningScheme, documentationType: c.documentationType ?? p.documentationType,
    readthedocsYamlPath: c.readthedocsYamlPath === undefined ? p.readthedocsYamlPath : c.readthedocsYamlPath || null, showVersionWarning: c.showVersionWarning ?? false, externalBuildsEnabled: c.externalBuildsEnabled ?? false,
    externalBuildsPrivacyLevel: c.externalBuildsPrivacyLevel ?? p.externalBuildsPrivacyLevel, analyticsCode: c.analyticsCode ?? p.analyticsCode, analyticsDisabled: c.analyticsDisabled ?? false,
    customPrefix: c.customPrefix === undefined ? p.customPrefix : c.customPrefix || null,
    customSubprojectPrefix: c.customSubprojectPrefix === undefined ? p.customSubprojectPrefix : c.customSubprojectPrefix || null, delisted: c.delisted ?? false,
  };
}

/** A refusal's message beside the field it names (Read the Docs' field names). */
const fieldError = (errors: Record<string, string>, field: string): Html => (errors[field] ? html`<span class="error" role="alert">${errors[field]}</span>` : html``);

/** A select's options; a current value the list no longer has stays selectable, so saving other settings keeps it. */
function options(choices: ReadonlyArray<readonly [string, string]>, current: string, missing = 'no longer offered'): Html[] {
  const all = choices.some(([value]) => value === current) ? choices : [[current, `${current} (${missing})`] as const, ...choices];
  return all.map(([value, label]) => html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`);
}

export function settingsPages(app: FastifyInstance, ctx: DashboardContext): void {
  const form = async (request: FastifyRequest, reply: FastifyReply, p: Project, errors: Record<string, string>, status = 200, repositoryShown = displayRepositoryUrl(p.repoUrl)) => {
    const versions = (await defaultVersionChoices(ctx, p)).map((v) => [v.slug, v.verboseName === v.slug ? v.slug : `${v.verboseName} (${v.slug})`] as const);
    const privacy = PRIVACY_LEVELS.map((l) => [l, l === 'public' ? 'Public' : 'Private'] as const);
    const known = new Set(['name', 'repository.url', 'repository.type', 'language', 'programming_language', 'homepage', 'tags', 'description', 'default_version', 'default_branch',
      'privacy_level', 'versioning_scheme', 'documentation_type', 'readthedocs_yaml_path', 'external_builds_privacy_level', 'analytics_code', 'custom_prefix', 'custom_subproject_prefix', 'confirm']);
    const others = Object.entries(errors).filter(([field]) => !known.has(field));
    return page(request, reply, ctx, {
      title: `Settings of ${p.name}`,
      status,
      body: html`<h1>Settings of <a href="/projects/${p.slug}/">${p.name}</a></h1>
${settingsNav(p, 'edit')}
${others.length ? html`<div class="error" role="alert"><strong>Not saved:</strong><ul>${others.map(([, m]) => html`<li>${m}</li>`)}</ul></div>` : ''}
<form class="stack" method="post" action="/dashboard/${p.slug}/edit/">
${csrfField(request, reply, ctx)}
<label>Name <input type="text" name="name" value="${p.name}" required maxlength="63">${fieldError(errors, 'name')}</label>
<label>Repository URL <input type="text" name="repository" value="${repositoryShown}" required>${fieldError(errors, 'repository.url')}
<span class="hint">Credentials go in the URL (https://user:token@host/…): they are kept as a secret, never shown, and used only while the URL points at the same host.</span></label>
${p.repoCredentials ? html`<label class="check"><input type="checkbox" name="forget_credentials" value="on"> Forget the stored credentials of this repository</label>` : ''}
<label>Description <textarea name="description" rows="3" maxlength="10000">${p.description}</textarea>${fieldError(errors, 'description')}</label>
<label>Home page <input type="url" name="homepage" value="${p.homepage}" maxlength="200" placeholder="https://example.com/">${fieldError(errors, 'homepage')}</label>
<label>Tags <input type="text" name="tags" value="${p.tags.join(', ')}"><span class="hint">Separated by commas.</span>${fieldError(errors, 'tags')}</label>
<label>Language <select name="language">${options(LANGUAGES, p.language)}</select>${fieldError(errors, 'language')}</label>
<label>Programming language <select name="programming_language">${options(PROGRAMMING_LANGUAGES, p.programmingLanguage)}</select>${fieldError(errors, 'programming_language')}</label>
<label>Default version <select name="default_version">${options(versions, p.defaultVersion, 'not an active version')}</select>${fieldError(errors, 'default_version')}
<span class="hint">What the root of the documentation shows: one of the active versions.</span></label>
<label>Default branch <input type="text" name="default_branch" value="${p.defaultBranch ?? ''}" maxlength="255">${fieldError(errors, 'default_branch')}<span class="hint">The branch <code>latest</code> follows. Empty: the repository's default branch.</span></label>
<label>Privacy <select name="privacy_level">${options(privacy, p.privacyLevel)}</select>${fieldError(errors, 'privacy_level')}</label>
<label>URL versioning scheme <select name="versioning_scheme">${options(VERSIONING_SCHEMES.map((s) => [s, SCHEME_LABELS[s]] as const), p.versioningScheme)}</select>${fieldError(errors, 'versioning_scheme')}
<span class="hint">Changing it changes every URL of the documentation: readers' links need redirects.</span></label>
<label>Custom URL prefix <input type="text" name="custom_prefix" value="${p.customPrefix ?? ''}" maxlength="255" placeholder="/">${fieldError(errors, 'custom_prefix')}
<span class="hint">Where the versions are served, e.g. <code>/docs/</code> for <code>/docs/en/latest/</code>. Empty: the root. A translation uses its main project's.</span></label>
<label>Subproject URL prefix <input type="text" name="custom_subproject_prefix" value="${p.customSubprojectPrefix ?? ''}" maxlength="255" placeholder="/projects/">${fieldError(errors, 'custom_subproject_prefix')}
<span class="hint">Where subprojects are served. Empty: <code>/projects/</code>.</span></label>
<label class="check"><input type="checkbox" name="delisted" value="on"${p.delisted ? html` checked` : ''}> Delist from search engines<span class="hint">robots.txt disallows everything and every page carries <code>X-Robots-Tag: noindex</code>.</span></label>
<label>Documentation type <select name="documentation_type">${options(DOCUMENTATION_TYPES.map((t) => [t, t] as const), p.documentationType)}</select>${fieldError(errors, 'documentation_type')}</label>
<label>Path of the configuration file <input type="text" name="readthedocs_yaml_path" value="${p.readthedocsYamlPath ?? ''}" maxlength="1024" placeholder=".readthedocs.yaml">${fieldError(errors, 'readthedocs_yaml_path')}
<span class="hint">Relative to the repository's root, e.g. <code>docs/.readthedocs.yaml</code>. Empty: <code>.readthedocs.yaml</code> at the root.</span></label>
<label class="check"><input type="checkbox" name="show_version_warning" value="on"${p.showVersionWarning ? html` checked` : ''}> Show a warning on old versions<span class="hint">Readers of a version other than the default one see a banner pointing at it.</span></label>
<label class="check"><input type="checkbox" name="external_builds_enabled" value="on"${p.externalBuildsEnabled ? html` checked` : ''}> Build pull request previews<span class="hint">Each pull or merge request is built and served at its own preview address, never on the documentation's own.</span></label>
<label>Preview privacy <select name="external_builds_privacy_level">${options(privacy, p.externalBuildsPrivacyLevel)}</select>${fieldError(errors, 'external_builds_privacy_level')}</label>
<label>Analytics code <input type="text" name="analytics_code" value="${p.analyticsCode}" maxlength="50" placeholder="G-XXXXXXXXXX">${fieldError(errors, 'analytics_code')}</label>
<label class="check"><input type="checkbox" name="analytics_disabled" value="on"${p.analyticsDisabled ? html` checked` : ''}> Disable analytics</label>
<button type="submit">Save</button>
</form>
<h2>Danger zone</h2>
<form method="post" action="/dashboard/${p.slug}/delete/" class="stack" data-confirm="Delete ${p.name} and all its versions and builds?">
${csrfField(request, reply, ctx)}
<label>Type the project's slug, <code>${p.slug}</code>, to confirm <input type="text" name="confirm" required autocomplete="off">${fieldError(errors, 'confirm')}</label>
<button class="danger" type="submit">Delete this project</button>
</form>`,
    });
  };

  app.get<{ Params: { slug: string } }>('/dashboard/:slug/edit/', async (request, reply) => form(request, reply, await maintainedProject(ctx, request, request.params.slug), {}));

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/edit/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const changes = changesOf(request.body);
    try {
      await updateProject(ctx, signedIn(request), p, changes);
    } catch (err) {
      if (!(err instanceof DomainError) || (err.kind !== 'invalid' && err.kind !== 'conflict')) throw err;
      return form(request, reply, asSubmitted(p, changes), { [err.field]: err.message }, err.kind === 'conflict' ? 409 : 400, displayRepositoryUrl(changes.repositoryUrl ?? ''));
    }
    return redirect(reply, `/dashboard/${p.slug}/edit/?notice=` + encodeURIComponent('Settings saved.'));
  });

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    if (text(request.body, 'confirm').trim() !== p.slug) return form(request, reply, p, { confirm: `Type ${p.slug} to confirm.` }, 400);
    await deleteProject(ctx, p);
    return redirect(reply, '/dashboard/?notice=' + encodeURIComponent(`${p.name} was deleted.`));
  });
}

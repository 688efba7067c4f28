// Translations settings (/dashboard/<slug>/translations/): link another project of yours, in
// another language, as a translation of this one; list them with their languages; unlink. The
// rules are src/domain/translations.ts's, the same the API applies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Project } from '../../../db/schema.ts';
import { addTranslation, listTranslations, mainProjectOf, removeTranslation } from '../../../domain/translations.ts';
import { html } from '../../html.ts';
import { signedIn, type DashboardContext } from '../context.ts';
import { csrfField } from '../layout.ts';
import { done, maintainedPost, maintainedProject, problems, refusal, settingsPage, text, type Form, type Refusal } from '../settings-kit.ts';

export function translationPages(app: FastifyInstance, ctx: DashboardContext): void {
  const show = async (request: FastifyRequest, reply: FastifyReply, p: Project, slug: string, refused: Refusal | null) => {
    const { rows } = await listTranslations(ctx, signedIn(request), p.slug, { limit: 1000, offset: 0 });
    const link = await mainProjectOf(ctx, signedIn(request), p);
    const main = link?.main;
    // The main project may be someone else's private project: named only to those who may read it, as in the API.
    const mainName = link?.readable ? link.main.name : 'another project';
    return settingsPage(request, reply, ctx, p, 'translations', html`<p>Translations are projects with the same documentation in another language; readers can switch between them. This project's language is <code>${p.language}</code> (change it in <a href="/dashboard/${p.slug}/edit/">General</a>).</p>
${main ? html`<p class="notice">This project is itself the <code>${p.language}</code> translation of ${mainName}.</p>` : ''}
${rows.length === 0 ? html`<p class="muted">No translations yet.</p>` : html`<table><thead><tr><th scope="col">Language</th><th scope="col">Project</th><th scope="col">Slug</th><th scope="col"><span class="muted">Remove</span></th></tr></thead><tbody>
${rows.map((t) => html`<tr><td><code>${t.language}</code></td><td><a href="/projects/${t.slug}/">${t.name}</a></td><td>${t.slug}</td>
<td><form class="inline" method="post" action="/dashboard/${p.slug}/translations/${t.slug}/delete/" data-confirm="Unlink ${t.name}? The project itself stays.">${csrfField(request, reply, ctx)}<button class="danger small" type="submit" aria-label="Remove the translation ${t.slug}">Remove</button></form></td></tr>`)}
</tbody></table>`}
<h2>Add a translation</h2>
<form class="stack" method="post" action="/dashboard/${p.slug}/translations/create/">
${csrfField(request, reply, ctx)}
${problems(refused, 'translation')}
<label>Project <input type="text" name="project" value="${slug}" required maxlength="255" autocomplete="off" spellcheck="false" placeholder="my-docs-es"><span class="hint">The slug of another project you maintain, in another language.</span></label>
<button type="submit">Add translation</button>
</form>`, refused?.status);
  };

  app.get<{ Params: { slug: string } }>('/dashboard/:slug/translations/', async (request, reply) =>
    show(request, reply, await maintainedProject(ctx, request, request.params.slug), '', null));

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/translations/create/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const slug = text(request.body, 'project').trim();
    try {
      const row = await addTranslation(ctx, signedIn(request), p, slug);
      return done(reply, p, 'translations', `${row.name} is now the ${row.language} translation.`);
    } catch (err) {
      return show(request, reply, p, slug, refusal(err, 'translation'));
    }
  });

  app.post<{ Params: { slug: string; translation: string } }>('/dashboard/:slug/translations/:translation/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    await removeTranslation(ctx, p, request.params.translation);
    return done(reply, p, 'translations', 'Translation removed.');
  });
}

// Subprojects settings (/dashboard/<slug>/subprojects/): serve another project of yours under
// this one at /projects/<alias>/ — add by slug and alias, list, remove. The rules are
// src/domain/subprojects.ts's, the same the API applies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Project } from '../../../db/schema.ts';
import { docsOrigin } from '../../../core/urls.ts';
import { ALIAS_MAX, addSubproject, listSubprojects, parentLink, removeSubproject } from '../../../domain/subprojects.ts';
import { mayReadProject } from '../../../domain/access.ts';
import { html } from '../../html.ts';
import { signedIn, type DashboardContext } from '../context.ts';
import { csrfField } from '../layout.ts';
import { done, maintainedPost, maintainedProject, problems, refusal, settingsPage, text, type Form, type Refusal } from '../settings-kit.ts';

export function subprojectPages(app: FastifyInstance, ctx: DashboardContext): void {
  const show = async (request: FastifyRequest, reply: FastifyReply, p: Project, values: { child: string; alias: string }, refused: Refusal | null) => {
    const { rows } = await listSubprojects(ctx, signedIn(request), p.slug, { limit: 1000, offset: 0 });
    const parent = await parentLink(ctx, p);
    // The parent may be someone else's private project: named only to those who may read it, as in the API.
    const parentName = parent && (await mayReadProject(ctx, signedIn(request), parent.parent)) ? parent.parent.name : 'another project';
    const origin = docsOrigin(ctx.publicUrl, ctx.docsDomain, p.slug);
    return settingsPage(request, reply, ctx, p, 'subprojects', html`<p>A subproject is another project served under this one's host, at <code>${origin}/projects/&lt;alias&gt;/</code>.</p>
${parent ? html`<p class="notice">This project is itself the subproject <code>${parent.alias}</code> of ${parentName}: it cannot have subprojects.</p>` : ''}
${rows.length === 0 ? html`<p class="muted">No subprojects yet.</p>` : html`<table><thead><tr><th scope="col">Alias</th><th scope="col">Project</th><th scope="col">Served at</th><th scope="col"><span class="muted">Remove</span></th></tr></thead><tbody>
${rows.map((r) => html`<tr><td><code>${r.alias}</code></td><td><a href="/projects/${r.child.slug}/">${r.child.name}</a></td><td><a href="${origin}/projects/${r.alias}/">${origin}/projects/${r.alias}/</a></td>
<td><form class="inline" method="post" action="/dashboard/${p.slug}/subprojects/${encodeURIComponent(r.alias)}/delete/" data-confirm="Stop serving ${r.child.name} under this project?">${csrfField(request, reply, ctx)}<button class="danger small" type="submit" aria-label="Remove the subproject ${r.alias}">Remove</button></form></td></tr>`)}
</tbody></table>`}
<h2>Add a subproject</h2>
<form class="stack" method="post" action="/dashboard/${p.slug}/subprojects/create/">
${csrfField(request, reply, ctx)}
${problems(refused, 'subproject')}
<label>Project <input type="text" name="child" value="${values.child}" required maxlength="255" autocomplete="off" spellcheck="false" placeholder="other-project"><span class="hint">The slug of another project you maintain.</span></label>
<label>Alias <input type="text" name="alias" value="${values.alias}" maxlength="${ALIAS_MAX}" autocomplete="off" spellcheck="false"><span class="hint">Its name in URLs: letters, digits, - and _. Empty: the project's slug.</span></label>
<button type="submit">Add subproject</button>
</form>`, refused?.status);
  };

  app.get<{ Params: { slug: string } }>('/dashboard/:slug/subprojects/', async (request, reply) =>
    show(request, reply, await maintainedProject(ctx, request, request.params.slug), { child: '', alias: '' }, null));

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/subprojects/create/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const values = { child: text(request.body, 'child').trim(), alias: text(request.body, 'alias').trim() };
    try {
      const row = await addSubproject(ctx, signedIn(request), p, values);
      return done(reply, p, 'subprojects', `${row.child.name} is now served at /projects/${row.alias}/.`);
    } catch (err) {
      return show(request, reply, p, values, refusal(err, 'subproject'));
    }
  });

  app.post<{ Params: { slug: string; alias: string } }>('/dashboard/:slug/subprojects/:alias/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    await removeSubproject(ctx, p, request.params.alias);
    return done(reply, p, 'subprojects', 'Subproject removed.');
  });
}

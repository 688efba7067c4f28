// Environment variables settings (/dashboard/<slug>/environmentvariables/): add and delete the
// variables builds get. Only names are ever shown: a value goes in and never comes back out.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Project } from '../../../db/schema.ts';
import { addVariable, MAX_NAME_LENGTH, MAX_VALUE_LENGTH, projectVariables, removeVariable } from '../../../domain/environment-variables.ts';
import { html } from '../../html.ts';
import type { DashboardContext } from '../context.ts';
import { ago, csrfField } from '../layout.ts';
import { checked, done, idOf, maintainedPost, maintainedProject, problems, refusal, settingsPage, text, type Form, type Refusal } from '../settings-kit.ts';

export function environmentVariablePages(app: FastifyInstance, ctx: DashboardContext): void {
  // `name` and `isPublic` are what was typed, shown again after a refusal; the value never is.
  const show = async (request: FastifyRequest, reply: FastifyReply, p: Project, name: string, isPublic: boolean, refused: Refusal | null) => {
    const { rows } = await projectVariables(ctx, p);
    return settingsPage(request, reply, ctx, p, 'environmentvariables', html`<p>Builds of this project get these variables. Values are stored for builds only and never shown again: to change one, delete it and add it anew.</p>
${rows.length === 0 ? html`<p class="muted">No environment variables yet.</p>` : html`<table><thead><tr><th scope="col">Name</th><th scope="col">Public</th><th scope="col">Added</th><th scope="col"><span class="muted">Delete</span></th></tr></thead><tbody>
${rows.map((v) => html`<tr><td><code>${v.name}</code></td><td>${v.public ? 'yes' : 'no'}</td><td>${ago(v.createdAt)}</td>
<td><form class="inline" method="post" action="/dashboard/${p.slug}/environmentvariables/${v.id}/delete/" data-confirm="Delete ${v.name}? Builds stop getting it.">${csrfField(request, reply, ctx)}<button class="danger small" type="submit" aria-label="Delete ${v.name}">Delete</button></form></td></tr>`)}
</tbody></table>`}
<h2>Add a variable</h2>
<form class="stack" method="post" action="/dashboard/${p.slug}/environmentvariables/create/">
${csrfField(request, reply, ctx)}
${problems(refused, 'variable')}
<label>Name <input type="text" name="name" value="${name}" required maxlength="${MAX_NAME_LENGTH}" autocomplete="off" spellcheck="false" placeholder="API_KEY">
<span class="hint">Letters, digits and _, not starting with a digit or __. Names starting with READTHEDOCS are set by Bindery.</span></label>
<label>Value <textarea name="value" rows="2" maxlength="${MAX_VALUE_LENGTH}" autocomplete="off" spellcheck="false"></textarea></label>
<label class="check"><input type="checkbox" name="public" value="on"${isPublic ? html` checked` : ''}> Public: also given to pull-request builds, and shown in build logs</label>
<button type="submit">Add variable</button>
</form>`, refused?.status);
  };

  app.get<{ Params: { slug: string } }>('/dashboard/:slug/environmentvariables/', async (request, reply) =>
    show(request, reply, await maintainedProject(ctx, request, request.params.slug), '', false, null));

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/environmentvariables/create/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const name = text(request.body, 'name').trim();
    const value = text(request.body, 'value');
    const isPublic = checked(request.body, 'public');
    try {
      await addVariable(ctx, p, { name, value, public: isPublic });
    } catch (err) {
      return show(request, reply, p, name, isPublic, refusal(err, 'variable'));
    }
    return done(reply, p, 'environmentvariables', `Added ${name}.`);
  });

  app.post<{ Params: { slug: string; id: string } }>('/dashboard/:slug/environmentvariables/:id/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    await removeVariable(ctx, p, idOf(request.params.id));
    return done(reply, p, 'environmentvariables', 'Variable deleted.');
  });
}

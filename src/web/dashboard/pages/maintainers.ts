// Maintainers settings (/dashboard/<slug>/users/): who may see and change the project — add a
// user by username, remove one (yourself included), never the last.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listMaintainers } from '../../../db/maintainers.ts';
import type { Project } from '../../../db/schema.ts';
import { addMaintainerByName, removeMaintainerByName } from '../../api/maintainers.ts';
import { html } from '../../html.ts';
import { notFound } from '../../errors.ts';
import { redirect, signedIn, type DashboardContext } from '../context.ts';
import { csrfField } from '../layout.ts';
import { done, maintainedPost, maintainedProject, problems, refusal, settingsPage, text, type Form, type Refusal } from '../settings-kit.ts';

export function maintainerPages(app: FastifyInstance, ctx: DashboardContext): void {
  const show = async (request: FastifyRequest, reply: FastifyReply, p: Project, username: string, refused: Refusal | null) => {
    const me = signedIn(request);
    const { rows } = await listMaintainers(ctx.db, p.id, 1000, 0);
    return settingsPage(request, reply, ctx, p, 'users', html`<p>Maintainers may change every setting of the project, build it and delete it.</p>
${problems(refused, 'remove')}
<table><thead><tr><th scope="col">User</th><th scope="col"><span class="muted">Remove</span></th></tr></thead><tbody>
${rows.map((m) => html`<tr><td>${m.username}${m.userId === me.id ? html` <span class="muted">(you)</span>` : ''}</td>
<td>${rows.length > 1 ? html`<form class="inline" method="post" action="/dashboard/${p.slug}/users/delete/" data-confirm="${m.userId === me.id ? 'Remove yourself? You lose access to this project.' : `Remove ${m.username}?`}">${csrfField(request, reply, ctx)}<input type="hidden" name="username" value="${m.username}"><button class="danger small" type="submit" aria-label="Remove ${m.username}">Remove</button></form>` : html`<span class="muted">the last maintainer stays</span>`}</td></tr>`)}
</tbody></table>
<h2>Add a maintainer</h2>
<form class="stack" method="post" action="/dashboard/${p.slug}/users/create/">
${csrfField(request, reply, ctx)}
${problems(refused, 'add')}
<label>Username <input type="text" name="username" value="${username}" required maxlength="150" autocomplete="off" spellcheck="false"></label>
<button type="submit">Add maintainer</button>
</form>`, refused?.status);
  };

  app.get<{ Params: { slug: string } }>('/dashboard/:slug/users/', async (request, reply) =>
    show(request, reply, await maintainedProject(ctx, request, request.params.slug), '', null));

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/users/create/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const username = text(request.body, 'username').trim();
    try {
      const added = await addMaintainerByName(ctx.db, p.id, username);
      return done(reply, p, 'users', `${added} now maintains ${p.name}.`);
    } catch (err) {
      return show(request, reply, p, username, refusal(err, 'add'));
    }
  });

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/users/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const username = text(request.body, 'username');
    let removed: boolean;
    try {
      removed = await removeMaintainerByName(ctx.db, p.id, username);
    } catch (err) {
      return show(request, reply, p, '', refusal(err, 'remove'));
    }
    if (!removed) throw notFound('Maintainer not found.');
    // Removing yourself ends your access: back to your projects.
    if (username === signedIn(request).username) return redirect(reply, '/dashboard/?notice=' + encodeURIComponent(`You no longer maintain ${p.name}.`));
    return done(reply, p, 'users', `${username} no longer maintains ${p.name}.`);
  });
}

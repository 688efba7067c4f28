// Maintainers settings (/dashboard/<slug>/users/): who may see and change the project — invite
// a user by username (a maintainer once they accept, on /invitations/), revoke a pending
// invitation, remove a maintainer (yourself included), never the last. The rules are
// src/domain/maintainers.ts's, the same the API applies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Project } from '../../../db/schema.ts';
import { inviteMaintainer, maintainersOf, pendingInvitations, removeMaintainer, revokeInvitation } from '../../../domain/maintainers.ts';
import { html } from '../../html.ts';
import { redirect, signedIn, type DashboardContext } from '../context.ts';
import { csrfField } from '../layout.ts';
import { done, maintainedPost, maintainedProject, problems, refusal, settingsPage, text, type Form, type Refusal } from '../settings-kit.ts';

export function maintainerPages(app: FastifyInstance, ctx: DashboardContext): void {
  const show = async (request: FastifyRequest, reply: FastifyReply, p: Project, username: string, refused: Refusal | null) => {
    const me = signedIn(request);
    const rows = await maintainersOf(ctx, p);
    const invited = await pendingInvitations(ctx, p);
    return settingsPage(request, reply, ctx, p, 'users', html`<p>Maintainers may change every setting of the project, build it and delete it.</p>
${problems(refused, 'remove')}
<table><thead><tr><th scope="col">User</th><th scope="col"><span class="muted">Remove</span></th></tr></thead><tbody>
${rows.map((m) => html`<tr><td>${m.username}${m.userId === me.id ? html` <span class="muted">(you)</span>` : ''}</td>
<td>${rows.length > 1 ? html`<form class="inline" method="post" action="/dashboard/${p.slug}/users/delete/" data-confirm="${m.userId === me.id ? 'Remove yourself? You lose access to this project.' : `Remove ${m.username}?`}">${csrfField(request, reply, ctx)}<input type="hidden" name="username" value="${m.username}"><button class="danger small" type="submit" aria-label="Remove ${m.username}">Remove</button></form>` : html`<span class="muted">the last maintainer stays</span>`}</td></tr>`)}
</tbody></table>
<h2>Invite a maintainer</h2>
<p>The user becomes a maintainer once they accept the invitation on their dashboard (within 7 days).</p>
<form class="stack" method="post" action="/dashboard/${p.slug}/users/create/">
${csrfField(request, reply, ctx)}
${problems(refused, 'add')}
<label>Username <input type="text" name="username" value="${username}" required maxlength="150" autocomplete="off" spellcheck="false"></label>
<button type="submit">Invite</button>
</form>
<h2>Pending invitations</h2>
${invited.length === 0 ? html`<p class="muted">None.</p>` : html`<table><thead><tr><th scope="col">User</th><th scope="col">Invited by</th><th scope="col">Expires</th><th scope="col"><span class="muted">Revoke</span></th></tr></thead><tbody>
${invited.map((i) => html`<tr><td>${i.username}</td><td>${i.invitedBy ?? ''}</td><td>${i.expiresAt.toISOString().slice(0, 10)}</td>
<td><form class="inline" method="post" action="/dashboard/${p.slug}/users/invitations/revoke/">${csrfField(request, reply, ctx)}<input type="hidden" name="username" value="${i.username}"><button class="secondary small" type="submit" aria-label="Revoke the invitation of ${i.username}">Revoke</button></form></td></tr>`)}
</tbody></table>`}`, refused?.status);
  };

  app.get<{ Params: { slug: string } }>('/dashboard/:slug/users/', async (request, reply) =>
    show(request, reply, await maintainedProject(ctx, request, request.params.slug), '', null));

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/users/create/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const username = text(request.body, 'username').trim();
    try {
      const invited = await inviteMaintainer(ctx, signedIn(request), p, username);
      return done(reply, p, 'users', `${invited.username} is invited to maintain ${p.name}.`);
    } catch (err) {
      return show(request, reply, p, username, refusal(err, 'add'));
    }
  });

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/users/invitations/revoke/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const username = text(request.body, 'username');
    await revokeInvitation(ctx, p, username);
    return done(reply, p, 'users', `The invitation of ${username} is revoked.`);
  });

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/users/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const username = text(request.body, 'username');
    try {
      await removeMaintainer(ctx, p, username);
    } catch (err) {
      return show(request, reply, p, '', refusal(err, 'remove'));
    }
    // Removing yourself ends your access: back to your projects.
    if (username === signedIn(request).username) return redirect(reply, '/dashboard/?notice=' + encodeURIComponent(`You no longer maintain ${p.name}.`));
    return done(reply, p, 'users', `${username} no longer maintains ${p.name}.`);
  });
}

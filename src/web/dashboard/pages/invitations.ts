// The signed-in user's pending invitations to maintain projects (/invitations/): accept or
// decline each, by a CSRF-checked POST. Only the invited user ever sees or answers one: an
// invitation of someone else is 404, like a project you do not maintain.
import type { FastifyInstance } from 'fastify';
import { acceptInvitation, declineInvitation, invitationsFor } from '../../../domain/maintainers.ts';
import { html } from '../../html.ts';
import { checkCsrf } from '../csrf.ts';
import { redirect, signedIn, type DashboardContext } from '../context.ts';
import { csrfField, page } from '../layout.ts';
import { idOf } from '../settings-kit.ts';

export function invitationPages(app: FastifyInstance, ctx: DashboardContext): void {
  app.get('/invitations/', async (request, reply) => {
    const user = signedIn(request);
    const list = await invitationsFor(ctx, user);
    return page(request, reply, ctx, {
      title: 'Invitations',
      body: html`<h1>Invitations</h1>
${list.length === 0 ? html`<p class="muted">No pending invitations.</p>` : html`<table><thead><tr><th scope="col">Project</th><th scope="col">Invited by</th><th scope="col">Expires</th><th scope="col"><span class="muted">Answer</span></th></tr></thead><tbody>
${list.map((i) => html`<tr><td>${i.project.name} <span class="muted">(${i.project.slug})</span></td><td>${i.invitedBy ?? ''}</td><td>${i.expiresAt.toISOString().slice(0, 10)}</td>
<td><form class="inline" method="post" action="/invitations/${i.id}/accept/">${csrfField(request, reply, ctx)}<button class="small" type="submit" aria-label="Accept the invitation to maintain ${i.project.name}">Accept</button></form>
<form class="inline" method="post" action="/invitations/${i.id}/decline/">${csrfField(request, reply, ctx)}<button class="secondary small" type="submit" aria-label="Decline the invitation to maintain ${i.project.name}">Decline</button></form></td></tr>`)}
</tbody></table>`}
<p>A maintainer may change every setting of a project, build it and delete it. Accept only invitations you expect.</p>`,
    });
  });

  app.post<{ Params: { id: string } }>('/invitations/:id/accept/', async (request, reply) => {
    const user = signedIn(request);
    checkCsrf(request, ctx.publicUrl);
    const project = await acceptInvitation(ctx, user, idOf(request.params.id));
    return redirect(reply, `/projects/${project.slug}/?notice=${encodeURIComponent(`You now maintain ${project.name}.`)}`);
  });

  app.post<{ Params: { id: string } }>('/invitations/:id/decline/', async (request, reply) => {
    const user = signedIn(request);
    checkCsrf(request, ctx.publicUrl);
    const project = await declineInvitation(ctx, user, idOf(request.params.id));
    return redirect(reply, `/invitations/?notice=${encodeURIComponent(`You declined to maintain ${project.name}.`)}`);
  });
}

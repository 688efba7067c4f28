// API tokens of the signed-in user: create (named, optionally expiring, shown once) and revoke.
import type { FastifyInstance } from 'fastify';
import { createToken, listTokens, revokeToken } from '../../../db/api-tokens.ts';
import { html } from '../../html.ts';
import { checkCsrf } from '../csrf.ts';
import { redirect, signedIn, type DashboardContext } from '../context.ts';
import { ago, csrfField, page } from '../layout.ts';

export function tokenPages(app: FastifyInstance, ctx: DashboardContext): void {
  const show = async (request: Parameters<typeof signedIn>[0], reply: Parameters<typeof page>[1], created: string | null, error: string | null) => {
    const user = signedIn(request);
    // Newest first: the one just created is on top.
    const list = (await listTokens(ctx.db, user.id, 1000, 0)).rows.reverse();
    return page(request, reply, ctx, {
      title: 'API tokens',
      status: error ? 400 : 200,
      body: html`<h1>API tokens</h1>
${created ? html`<div class="notice" role="status"><p>Your new token — copy it now, it is not shown again:</p><p><code class="secret" id="new-token">${created}</code> <button type="button" class="secondary" data-copy="new-token">Copy</button></p>
<p class="hint">Use it as <code>Authorization: Token …</code> with the API v3.</p></div>` : ''}
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form class="stack" method="post" action="/accounts/tokens/">
${csrfField(request, reply, ctx)}
<label>Name <input type="text" name="name" required maxlength="100" placeholder="CI deploys"></label>
<label>Expires on <input type="date" name="expires"><span class="hint">Optional.</span></label>
<button type="submit">Create token</button>
</form>
<h2>Your tokens</h2>
${list.length === 0 ? html`<p class="muted">No tokens.</p>` : html`<table><thead><tr><th scope="col">Name</th><th scope="col">Starts with</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col"><span class="muted">Revoke</span></th></tr></thead><tbody>
${list.map((t) => html`<tr><td>${t.name}</td><td><code>${t.prefix}…</code></td><td>${ago(t.createdAt)}</td><td>${t.expiresAt ? t.expiresAt.toISOString().slice(0, 10) : 'never'}</td>
<td><form class="inline" method="post" action="/accounts/tokens/${t.id}/revoke/" data-confirm="Revoke this token? Scripts using it stop working.">${csrfField(request, reply, ctx)}<button class="danger" type="submit" aria-label="Revoke ${t.name}">Revoke</button></form></td></tr>`)}
</tbody></table>`}`,
    });
  };

  app.get('/accounts/tokens/', (request, reply) => show(request, reply, null, null));

  app.post<{ Body: Record<string, string> }>('/accounts/tokens/', async (request, reply) => {
    const user = signedIn(request);
    checkCsrf(request, ctx.publicUrl);
    const name = (request.body.name ?? '').trim().slice(0, 100);
    if (!name) return show(request, reply, null, 'Give the token a name.');
    let expires: Date | null = null;
    if (request.body.expires) {
      expires = /^\d{4}-\d{2}-\d{2}$/.test(request.body.expires) ? new Date(`${request.body.expires}T23:59:59Z`) : null;
      if (!expires || Number.isNaN(expires.getTime()) || expires.getTime() < Date.now()) return show(request, reply, null, 'The expiry date must be a date in the future.');
    }
    const { token } = await createToken(ctx.db, user.id, name, expires);
    return show(request, reply, token, null);
  });

  app.post<{ Params: { id: string } }>('/accounts/tokens/:id/revoke/', async (request, reply) => {
    const user = signedIn(request);
    checkCsrf(request, ctx.publicUrl);
    await revokeToken(ctx.db, user.id, Number(request.params.id) || 0);
    return redirect(reply, '/accounts/tokens/?notice=' + encodeURIComponent('Token revoked.'));
  });
}

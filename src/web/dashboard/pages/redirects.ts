// Redirects settings (/dashboard/<slug>/redirects/): the project's user redirects in the
// order they are tried — add, edit, delete, move up or down — by the domain's rules
// (domain/redirects.ts), the same the API applies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Project, Redirect } from '../../../db/schema.ts';
import {
  addRedirect, changeRedirect, MAX_DESCRIPTION_LENGTH, MAX_POSITION, MAX_URL_LENGTH, moveRedirect, projectRedirect, projectRedirects, REDIRECT_DEFAULTS, REDIRECT_TYPES,
  removeRedirect, type RedirectFields,
} from '../../../domain/redirects.ts';
import { html, type Html } from '../../html.ts';
import { notFound } from '../../errors.ts';
import type { DashboardContext } from '../context.ts';
import { csrfField } from '../layout.ts';
import { checked, done, idOf, maintainedPost, maintainedProject, problems, refusal, settingsPage, text, type Form, type Refusal } from '../settings-kit.ts';

const TYPE_NAMES: Record<string, string> = {
  page: 'Page: a page in every version',
  exact: 'Exact: one full path',
  clean_url_to_html: 'Clean URL to HTML: /a/ → /a.html',
  html_to_clean_url: 'HTML to clean URL: /a.html → /a/',
};
function fieldsOf(form: Form): RedirectFields {
  return {
    type: text(form, 'type'),
    fromUrl: text(form, 'from_url').trim(),
    toUrl: text(form, 'to_url').trim(),
    httpStatus: Number(text(form, 'http_status')),
    force: checked(form, 'force'),
    enabled: checked(form, 'enabled'),
    description: text(form, 'description').trim(),
  };
}

export function redirectPages(app: FastifyInstance, ctx: DashboardContext): void {
  const form = (request: FastifyRequest, reply: FastifyReply, action: string, r: RedirectFields, submit: string, refused: Refusal | null): Html => html`<form class="stack" method="post" action="${action}">
${csrfField(request, reply, ctx)}
${problems(refused, 'redirect')}
<label>Type <select name="type">${REDIRECT_TYPES.map((t) => html`<option value="${t}"${r.type === t ? html` selected` : ''}>${TYPE_NAMES[t] ?? t}</option>`)}</select></label>
<label>From URL <input type="text" name="from_url" value="${r.fromUrl}" maxlength="${MAX_URL_LENGTH}" placeholder="/old-page.html">
<span class="hint">A page name (/install.html) or, for exact redirects, a full path (/en/latest/old/). A final * matches everything below. Empty for the last two types.</span></label>
<label>To URL <input type="text" name="to_url" value="${r.toUrl}" maxlength="${MAX_URL_LENGTH}" placeholder="/new-page.html">
<span class="hint">A path starting with / or an absolute http(s) URL; :splat stands for what * matched.</span></label>
<label>HTTP status <select name="http_status"><option value="302"${r.httpStatus === 302 ? html` selected` : ''}>302 Found (temporary)</option><option value="301"${r.httpStatus === 301 ? html` selected` : ''}>301 Moved permanently</option></select></label>
<label class="check"><input type="checkbox" name="force" value="on"${r.force ? html` checked` : ''}> Force: redirect even when the page exists</label>
<label class="check"><input type="checkbox" name="enabled" value="on"${r.enabled ? html` checked` : ''}> Enabled</label>
<label>Description <input type="text" name="description" value="${r.description}" maxlength="${MAX_DESCRIPTION_LENGTH}"><span class="hint">Optional, for your own notes.</span></label>
<button type="submit">${submit}</button>
</form>`;

  const move = (request: FastifyRequest, reply: FastifyReply, p: Project, r: Redirect, to: number, label: string) =>
    html`<form class="inline" method="post" action="/dashboard/${p.slug}/redirects/${r.id}/insert/${to}/">${csrfField(request, reply, ctx)}<button class="secondary small" type="submit" aria-label="Move redirect ${r.position + 1} ${label}">${label === 'up' ? '↑ Up' : '↓ Down'}</button></form>`;

  const list = async (request: FastifyRequest, reply: FastifyReply, p: Project, values: RedirectFields, refused: Refusal | null) => {
    const { rows, count } = await projectRedirects(ctx, p);
    return settingsPage(request, reply, ctx, p, 'redirects', html`<p>Redirects are tried from the top; the first that matches a missing page (or any page, when forced) wins.</p>
${rows.length === 0 ? html`<p class="muted">No redirects yet.</p>` : html`<table><thead><tr><th scope="col">Order</th><th scope="col">Redirect</th><th scope="col">Status</th><th scope="col"><span class="muted">Actions</span></th></tr></thead><tbody>
${rows.map((r, i) => html`<tr id="redirect-${r.id}"><td>${i + 1}</td>
<td><strong>${TYPE_NAMES[r.type]?.split(':')[0] ?? r.type}</strong>${r.fromUrl || r.toUrl ? html`<br><code>${r.fromUrl}</code> → <code>${r.toUrl}</code>` : ''}${r.description ? html`<br><span class="muted">${r.description}</span>` : ''}</td>
<td>${r.httpStatus}${r.force ? ', forced' : ''}${r.enabled ? '' : html`, <strong>disabled</strong>`}</td>
<td class="actions"><a href="/dashboard/${p.slug}/redirects/${r.id}/edit/" aria-label="Edit redirect ${i + 1}">Edit</a>
${i > 0 ? move(request, reply, p, r, r.position - 1, 'up') : ''}${i < count - 1 ? move(request, reply, p, r, r.position + 1, 'down') : ''}
<form class="inline" method="post" action="/dashboard/${p.slug}/redirects/${r.id}/delete/" data-confirm="Delete this redirect?">${csrfField(request, reply, ctx)}<button class="danger small" type="submit" aria-label="Delete redirect ${i + 1}">Delete</button></form></td></tr>`)}
</tbody></table>`}
<h2 id="add">Add a redirect</h2>
<p class="hint">A new redirect goes first. Move it down afterwards if it should be tried later.</p>
${form(request, reply, `/dashboard/${p.slug}/redirects/create/`, values, 'Add redirect', refused)}`, refused?.status);
  };

  const edit = (request: FastifyRequest, reply: FastifyReply, p: Project, id: number, values: RedirectFields, refused: Refusal | null) =>
    settingsPage(request, reply, ctx, p, 'redirects', html`<h2>Edit redirect</h2>
${form(request, reply, `/dashboard/${p.slug}/redirects/${id}/edit/`, values, 'Save redirect', refused)}
<p><a href="/dashboard/${p.slug}/redirects/">Back to the redirects</a></p>`, refused?.status);

  const existing = (p: Project, raw: string) => projectRedirect(ctx, p, idOf(raw));

  app.get<{ Params: { slug: string } }>('/dashboard/:slug/redirects/', async (request, reply) =>
    list(request, reply, await maintainedProject(ctx, request, request.params.slug), REDIRECT_DEFAULTS, null));

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/redirects/create/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const values = fieldsOf(request.body);
    try {
      await addRedirect(ctx, p, values);
    } catch (err) {
      return list(request, reply, p, values, refusal(err, 'redirect'));
    }
    return done(reply, p, 'redirects', 'Redirect added.');
  });

  app.get<{ Params: { slug: string; id: string } }>('/dashboard/:slug/redirects/:id/edit/', async (request, reply) => {
    const p = await maintainedProject(ctx, request, request.params.slug);
    const row = await existing(p, request.params.id);
    return edit(request, reply, p, row.id, row, null);
  });

  app.post<{ Params: { slug: string; id: string }; Body: Form }>('/dashboard/:slug/redirects/:id/edit/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const row = await existing(p, request.params.id);
    const values = fieldsOf(request.body);
    try {
      await changeRedirect(ctx, p, row.id, values);
    } catch (err) {
      return edit(request, reply, p, row.id, values, refusal(err, 'redirect'));
    }
    return done(reply, p, 'redirects', 'Redirect saved.', `#redirect-${row.id}`);
  });

  app.post<{ Params: { slug: string; id: string; position: string } }>('/dashboard/:slug/redirects/:id/insert/:position/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const row = await existing(p, request.params.id);
    const position = /^\d{1,6}$/.test(request.params.position) ? Math.min(Number(request.params.position), MAX_POSITION) : null;
    if (position === null) throw notFound('Not found.');
    // The fields stay as they are; only the position changes (the others shift).
    await moveRedirect(ctx, p, row.id, position);
    return done(reply, p, 'redirects', 'Redirect moved.', `#redirect-${row.id}`);
  });

  app.post<{ Params: { slug: string; id: string } }>('/dashboard/:slug/redirects/:id/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    await removeRedirect(ctx, p, idOf(request.params.id));
    return done(reply, p, 'redirects', 'Redirect deleted.');
  });
}

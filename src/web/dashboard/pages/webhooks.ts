// Outgoing webhooks settings (/dashboard/<slug>/webhooks/): URLs Bindery POSTs signed JSON to
// when builds start or end — add (URL and events; the signing secret is shown once), the
// recent deliveries of each with their outcome, delete. The rules are
// src/domain/outgoing-webhooks.ts's, the same the API applies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Project } from '../../../db/schema.ts';
import { DEFAULT_EVENTS, HOOK_EVENTS, addWebhook, recentAttempts, removeWebhook, webhooksOf, type ProjectWebhook } from '../../../domain/outgoing-webhooks.ts';
import { html, type Html } from '../../html.ts';
import { signedIn, type DashboardContext } from '../context.ts';
import { ago, csrfField } from '../layout.ts';
import { copyable, done, idOf, maintainedPost, maintainedProject, problems, refusal, settingsPage, text, values, type Form, type Refusal } from '../settings-kit.ts';

const EVENT_NAMES: Record<string, string> = { 'build:triggered': 'Build started', 'build:passed': 'Build passed', 'build:failed': 'Build failed' };
const RECENT = 10;

interface Shown {
  url: string;
  events: string[];
  refused: Refusal | null;
  /** A hook just created: its secret is shown this once. */
  created: ProjectWebhook | null;
}

export function webhookPages(app: FastifyInstance, ctx: DashboardContext): void {
  const card = async (request: FastifyRequest, reply: FastifyReply, p: Project, h: ProjectWebhook): Promise<Html> => {
    const attempts = await recentAttempts(ctx, h, RECENT);
    return html`<section class="panel" id="webhook-${h.id}" aria-labelledby="webhook-${h.id}-title">
<h2 id="webhook-${h.id}-title"><code>${h.url}</code></h2>
<p>${h.events.map((e) => EVENT_NAMES[e] ?? e).join(', ')} <span class="muted">· added ${ago(h.createdAt)}</span></p>
<h3>Recent deliveries</h3>
${attempts.length === 0 ? html`<p class="muted">None yet.</p>` : html`<table><thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Try</th><th scope="col">Outcome</th></tr></thead><tbody>
${attempts.map((a) => {
  const ok = a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300;
  return html`<tr><td>${ago(a.createdAt)}</td><td>${a.event}</td><td>${a.attempt}</td><td><span class="state ${ok ? 'state-finished' : 'state-failed'}">${a.statusCode === null ? 'no answer' : `HTTP ${a.statusCode}`}</span>${a.error ? html`<br><span class="muted">${a.error}</span>` : ''}</td></tr>`;
})}
</tbody></table>`}
<form method="post" action="/dashboard/${p.slug}/webhooks/${h.id}/delete/" data-confirm="Delete this webhook?">${csrfField(request, reply, ctx)}<button class="danger small" type="submit" aria-label="Delete the webhook to ${h.url}">Delete</button></form>
</section>`;
  };

  const show = async (request: FastifyRequest, reply: FastifyReply, p: Project, s: Shown) => {
    const hooks = await webhooksOf(ctx, p);
    const cards = await Promise.all(hooks.map((h) => card(request, reply, p, h)));
    return settingsPage(request, reply, ctx, p, 'webhooks', html`<p>Bindery POSTs JSON to these URLs when builds start or end, signed with the webhook's secret: <code>X-Bindery-Signature: sha256=&lt;HMAC-SHA256 of the body&gt;</code>.</p>
${s.created ? html`<div class="notice" role="status"><p>Webhook added. Its secret — copy it now, it is not shown again:</p><p>${copyable('new-webhook-secret', s.created.secret, 'the webhook secret', true)}</p></div>` : ''}
<form class="stack" method="post" action="/dashboard/${p.slug}/webhooks/create/">
${csrfField(request, reply, ctx)}
${problems(s.refused, 'webhook')}
<label>URL <input type="url" name="url" value="${s.url}" required maxlength="2048" autocomplete="off" spellcheck="false" placeholder="https://example.com/hooks/docs"></label>
<fieldset><legend>Events</legend>
${HOOK_EVENTS.map((e) => html`<label class="check"><input type="checkbox" name="events" value="${e}"${s.events.includes(e) ? html` checked` : ''}> ${EVENT_NAMES[e] ?? e}</label>`)}
</fieldset>
<button type="submit">Add webhook</button>
</form>
${cards.length === 0 ? html`<p class="muted">No webhooks yet.</p>` : cards}`, s.refused?.status ?? 200);
  };

  const blank: Shown = { url: '', events: DEFAULT_EVENTS, refused: null, created: null };

  app.get<{ Params: { slug: string } }>('/dashboard/:slug/webhooks/', async (request, reply) =>
    show(request, reply, await maintainedProject(ctx, request, request.params.slug), blank));

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/webhooks/create/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const url = text(request.body, 'url').trim();
    const events = values(request.body, 'events');
    try {
      const created = await addWebhook(ctx, signedIn(request), p, { url, events });
      return show(request, reply, p, { ...blank, created });
    } catch (err) {
      return show(request, reply, p, { url, events, refused: refusal(err, 'webhook'), created: null });
    }
  });

  app.post<{ Params: { slug: string; id: string } }>('/dashboard/:slug/webhooks/:id/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    await removeWebhook(ctx, p, idOf(request.params.id));
    return done(reply, p, 'webhooks', 'Webhook deleted.');
  });
}

// Integrations settings (/dashboard/<slug>/integrations/): incoming webhooks from GitHub,
// GitLab, Bitbucket or any script. Each shows its webhook URL and secret, ready to copy, with
// what to paste where at the provider; create and delete. The rules are
// src/domain/integrations.ts's, the same the API applies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Integration, Project } from '../../../db/schema.ts';
import { PROVIDERS, addIntegration, integrationWebhookUrl, integrationsOf, removeIntegration, type Provider } from '../../../domain/integrations.ts';
import { html, type Html } from '../../html.ts';
import type { DashboardContext } from '../context.ts';
import { ago, csrfField } from '../layout.ts';
import { copyable, done, idOf, maintainedPost, maintainedProject, problems, refusal, settingsPage, text, type Form, type Refusal } from '../settings-kit.ts';

const NAMES: Record<Provider, string> = { github: 'GitHub', gitlab: 'GitLab', bitbucket: 'Bitbucket', generic: 'Generic (API)' };

/** What to paste where at the provider, with the URL and secret elements of the page. */
function instructions(i: Integration, url: Html, secret: Html, curl: Html): Html {
  switch (i.provider) {
    case 'github':
      return html`<p>In the repository on GitHub: <em>Settings → Webhooks → Add webhook</em>.</p>
<dl><dt>Payload URL</dt><dd>${url}</dd><dt>Content type</dt><dd><code>application/json</code></dd><dt>Secret</dt><dd>${secret}</dd>
<dt>Events</dt><dd>Let me select individual events: <em>Branch or tag creation</em>, <em>Branch or tag deletion</em>, <em>Pull requests</em>, <em>Pushes</em>.</dd></dl>`;
    case 'gitlab':
      return html`<p>In the project on GitLab: <em>Settings → Webhooks → Add new webhook</em>.</p>
<dl><dt>URL</dt><dd>${url}</dd><dt>Secret token</dt><dd>${secret}</dd>
<dt>Trigger</dt><dd><em>Push events</em>, <em>Tag push events</em>, <em>Merge request events</em>.</dd></dl>`;
    case 'bitbucket':
      return html`<p>In the repository on Bitbucket: <em>Repository settings → Webhooks → Add webhook</em>.</p>
<dl><dt>URL</dt><dd>${url}</dd><dt>Secret</dt><dd>${secret}</dd><dt>Triggers</dt><dd><em>Repository push</em>.</dd></dl>`;
    default:
      return html`<p>From a CI job or a script, <code>POST</code> the secret as <code>token</code>, and optionally the <code>branches</code> to build (default: the default branch), as form fields or JSON:</p>
<dl><dt>URL</dt><dd>${url}</dd><dt>Token</dt><dd>${secret}</dd><dt>Example</dt><dd>${curl}</dd></dl>`;
  }
}

export function integrationPages(app: FastifyInstance, ctx: DashboardContext): void {
  const card = (request: FastifyRequest, reply: FastifyReply, p: Project, i: Integration) => {
    const hookUrl = integrationWebhookUrl(ctx.publicUrl, p.slug, i.id);
    const name = NAMES[i.provider as Provider] ?? i.provider;
    const url = copyable(`integration-${i.id}-url`, hookUrl, `the ${name} webhook URL`);
    const secret = copyable(`integration-${i.id}-secret`, i.secret, `the ${name} secret`, true);
    const curl = copyable(`integration-${i.id}-curl`, `curl -X POST -d branches=main -d token=${i.secret} ${hookUrl}`, 'the example command', true);
    return html`<section class="panel" id="integration-${i.id}" aria-labelledby="integration-${i.id}-title">
<h2 id="integration-${i.id}-title">${name} <span class="muted">#${i.id}, added ${ago(i.createdAt)}</span></h2>
${instructions(i, url, secret, curl)}
<form method="post" action="/dashboard/${p.slug}/integrations/${i.id}/delete/" data-confirm="Delete this integration? Its webhook stops working.">${csrfField(request, reply, ctx)}<button class="danger small" type="submit" aria-label="Delete the ${name} integration #${i.id}">Delete</button></form>
</section>`;
  };

  const show = async (request: FastifyRequest, reply: FastifyReply, p: Project, refused: Refusal | null) => {
    const list = await integrationsOf(ctx, p);
    return settingsPage(request, reply, ctx, p, 'integrations', html`<p>An integration lets your git host tell Bindery about pushes, new tags and pull requests, so the documentation builds by itself.</p>
<form class="stack" method="post" action="/dashboard/${p.slug}/integrations/create/">
${csrfField(request, reply, ctx)}
${problems(refused, 'integration')}
<label>Provider <select name="provider">${PROVIDERS.map((provider) => html`<option value="${provider}">${NAMES[provider]}</option>`)}</select></label>
<button type="submit">Add integration</button>
</form>
${list.length === 0 ? html`<p class="muted">No integrations yet.</p>` : list.map((i) => card(request, reply, p, i))}`, refused?.status);
  };

  app.get<{ Params: { slug: string } }>('/dashboard/:slug/integrations/', async (request, reply) =>
    show(request, reply, await maintainedProject(ctx, request, request.params.slug), null));

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/integrations/create/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const provider = text(request.body, 'provider') as Provider;
    let integration: Integration;
    try {
      integration = await addIntegration(ctx, p, provider);
    } catch (err) {
      return show(request, reply, p, refusal(err, 'integration'));
    }
    return done(reply, p, 'integrations', `${NAMES[provider]} integration added: copy its URL and secret to ${provider === 'generic' ? 'your script' : NAMES[provider]}.`, `#integration-${integration.id}`);
  });

  app.post<{ Params: { slug: string; id: string } }>('/dashboard/:slug/integrations/:id/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    await removeIntegration(ctx, p, idOf(request.params.id));
    return done(reply, p, 'integrations', 'Integration deleted.');
  });
}

// Custom domains settings (/dashboard/<slug>/domains/): add a domain, publish its token (HTTP
// file or DNS TXT record, as the page shows), verify it, make it canonical or https, delete it.
// Served only once verified. The rules are domain/domains.ts's, the same the API applies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Domain, Project } from '../../../db/schema.ts';
import { docsOrigin } from '../../../core/urls.ts';
import { addCustomDomain, changeDomain, MAX_DOMAIN_LENGTH, projectDomain, projectDomains, removeDomain, TOKEN_PATH, TXT_PREFIX, verifyCustomDomain } from '../../../domain/domains.ts';
import { html } from '../../html.ts';
import type { DashboardContext } from '../context.ts';
import { csrfField } from '../layout.ts';
import { checked, copyable, done, maintainedPost, maintainedProject, problems, refusal, settingsPage, text, type Form, type Refusal } from '../settings-kit.ts';

interface Values {
  domain: string;
  canonical: boolean;
  https: boolean;
}

export function domainPages(app: FastifyInstance, ctx: DashboardContext): void {
  const card = (request: FastifyRequest, reply: FastifyReply, p: Project, d: Domain, refused: Refusal | null) => {
    const n = d.id;
    const target = new URL(docsOrigin(ctx.publicUrl, ctx.docsDomain, p.slug)).hostname;
    return html`<section class="panel" id="domain-${n}" aria-labelledby="domain-${n}-title">
<h2 id="domain-${n}-title">${d.domain}</h2>
<p>${d.verifiedAt ? html`<span class="state state-finished">Verified</span> on ${d.verifiedAt.toISOString().slice(0, 10)}` : html`<span class="state state-triggered">Not verified yet</span>: not served until it is.`}${d.canonical ? ' Canonical domain.' : ''}</p>
${d.verifiedAt ? '' : html`<p>Prove the domain is yours with either:</p>
<ul>
<li>a file at <code>http://${d.domain}${TOKEN_PATH}</code> whose whole content is the token below (port 80, no redirects); or</li>
<li>a DNS <code>TXT</code> record named ${copyable(`domain-${n}-txt`, `${TXT_PREFIX}.${d.domain}`, `the TXT record name of ${d.domain}`)} holding the token.</li>
</ul>
<p>Token: ${copyable(`domain-${n}-token`, d.verificationToken, `the verification token of ${d.domain}`, true)}</p>
${problems(refused, `verify-${d.domain}`, 'Not verified yet:')}
<form method="post" action="/dashboard/${p.slug}/domains/${d.domain}/verify/">${csrfField(request, reply, ctx)}<button type="submit" aria-label="Verify ${d.domain}">Verify</button></form>`}
${problems(refused, `edit-${d.domain}`)}
<form class="stack" method="post" action="/dashboard/${p.slug}/domains/${d.domain}/edit/">${csrfField(request, reply, ctx)}
<label class="check"><input type="checkbox" name="canonical" value="on"${d.canonical ? html` checked` : ''}> Canonical: the project's main domain</label>
<label class="check"><input type="checkbox" name="https" value="on"${d.https ? html` checked` : ''}> HTTPS: the domain is served over https (recorded for now; the docs server does not redirect yet)</label>
<button type="submit" class="secondary small" aria-label="Save ${d.domain}">Save</button></form>
<p class="hint">Then point the domain at this server, for instance with a <code>CNAME</code> record to <code>${target}</code>.</p>
<form method="post" action="/dashboard/${p.slug}/domains/${d.domain}/delete/" data-confirm="Delete ${d.domain}? It stops being served at once.">${csrfField(request, reply, ctx)}<button class="danger small" type="submit" aria-label="Delete ${d.domain}">Delete</button></form>
</section>`;
  };

  const show = async (request: FastifyRequest, reply: FastifyReply, p: Project, values: Values, refused: Refusal | null) => {
    const { rows } = await projectDomains(ctx, p);
    return settingsPage(request, reply, ctx, p, 'domains', html`<p>Serve this project's documentation at a domain of yours, such as <code>docs.example.com</code>.</p>
<form class="stack" method="post" action="/dashboard/${p.slug}/domains/create/">
${csrfField(request, reply, ctx)}
${problems(refused, 'domain')}
<label>Domain <input type="text" name="domain" value="${values.domain}" required maxlength="${MAX_DOMAIN_LENGTH}" autocomplete="off" spellcheck="false" placeholder="docs.example.com"></label>
<label class="check"><input type="checkbox" name="canonical" value="on"${values.canonical ? html` checked` : ''}> Canonical: the project's main domain</label>
<label class="check"><input type="checkbox" name="https" value="on"${values.https ? html` checked` : ''}> HTTPS: the domain is served over https (recorded for now; the docs server does not redirect yet)</label>
<button type="submit">Add domain</button>
</form>
${rows.length === 0 ? html`<p class="muted">No custom domains yet.</p>` : rows.map((d) => card(request, reply, p, d, refused))}`, refused?.status);
  };

  const EMPTY: Values = { domain: '', canonical: false, https: false };

  app.get<{ Params: { slug: string } }>('/dashboard/:slug/domains/', async (request, reply) =>
    show(request, reply, await maintainedProject(ctx, request, request.params.slug), EMPTY, null));

  app.post<{ Params: { slug: string }; Body: Form }>('/dashboard/:slug/domains/create/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const values: Values = { domain: text(request.body, 'domain').trim(), canonical: checked(request.body, 'canonical'), https: checked(request.body, 'https') };
    try {
      const row = await addCustomDomain(ctx, ctx, p, values);
      return done(reply, p, 'domains', `Added ${row.domain}: publish its token, then verify it.`);
    } catch (err) {
      return show(request, reply, p, values, refusal(err, 'domain'));
    }
  });

  app.post<{ Params: { slug: string; domain: string } }>('/dashboard/:slug/domains/:domain/verify/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const row = await projectDomain(ctx, p, request.params.domain);
    try {
      const verified = await verifyCustomDomain(ctx, p, row.domain);
      return done(reply, p, 'domains', verified.method ? `${row.domain} is verified (${verified.method === 'dns' ? 'DNS TXT record' : 'HTTP file'}).` : `${row.domain} was already verified.`);
    } catch (err) {
      return show(request, reply, p, EMPTY, refusal(err, `verify-${row.domain}`));
    }
  });

  app.post<{ Params: { slug: string; domain: string }; Body: Form }>('/dashboard/:slug/domains/:domain/edit/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const row = await projectDomain(ctx, p, request.params.domain);
    try {
      await changeDomain(ctx, p, row.domain, { canonical: checked(request.body, 'canonical'), https: checked(request.body, 'https') });
      return done(reply, p, 'domains', `${row.domain} saved.`, `#domain-${row.id}`);
    } catch (err) {
      return show(request, reply, p, EMPTY, refusal(err, `edit-${row.domain}`));
    }
  });

  app.post<{ Params: { slug: string; domain: string } }>('/dashboard/:slug/domains/:domain/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const row = await projectDomain(ctx, p, request.params.domain);
    await removeDomain(ctx, p, row.domain);
    return done(reply, p, 'domains', `${row.domain} deleted.`);
  });
}

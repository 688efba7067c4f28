// Custom domains settings (/dashboard/<slug>/domains/): add a domain, publish its token (HTTP
// file or DNS TXT record, as the page shows), verify it (an instance administrator may mark it
// verified without proof), make it canonical or https, set its HSTS, add or remove its extra
// response headers, delete it. Served only once verified. The rules are domain/domains.ts's, the same the API applies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Domain, DomainHeader, Project } from '../../../db/schema.ts';
import { docsOrigin } from '../../../core/urls.ts';
import {
  addCustomDomain, addDomainHeaderTo, changeDomain, domainHeaders, HTTP_HEADER_CHOICES, MAX_DOMAIN_LENGTH, MAX_HEADER_VALUE, projectDomain, projectDomains, removeDomain,
  removeDomainHeader, TOKEN_PATH, TXT_PREFIX, verifyCustomDomain,
} from '../../../domain/domains.ts';
import { html } from '../../html.ts';
import { signedIn, type DashboardContext } from '../context.ts';
import { csrfField } from '../layout.ts';
import { checked, copyable, done, idOf, maintainedPost, maintainedProject, problems, refusal, settingsPage, text, type Form, type Refusal } from '../settings-kit.ts';

interface Values {
  domain: string;
  canonical: boolean;
  https: boolean;
}

export function domainPages(app: FastifyInstance, ctx: DashboardContext): void {
  const card = (request: FastifyRequest, reply: FastifyReply, p: Project, d: Domain, headers: DomainHeader[], refused: Refusal | null) => {
    const n = d.id;
    const admin = request.session?.user.isAdmin === true;
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
<form method="post" action="/dashboard/${p.slug}/domains/${d.domain}/verify/">${csrfField(request, reply, ctx)}<button type="submit" aria-label="Verify ${d.domain}">Verify</button></form>
${admin ? html`<form method="post" action="/dashboard/${p.slug}/domains/${d.domain}/mark-verified/">${csrfField(request, reply, ctx)}<button type="submit" class="secondary small" aria-label="Mark ${d.domain} verified">Mark verified (administrator)</button></form>` : ''}`}
${problems(refused, `edit-${d.domain}`)}
<form class="stack" method="post" action="/dashboard/${p.slug}/domains/${d.domain}/edit/">${csrfField(request, reply, ctx)}
<label class="check"><input type="checkbox" name="canonical" value="on"${d.canonical ? html` checked` : ''}> Canonical: the project's main domain</label>
<label class="check"><input type="checkbox" name="https" value="on"${d.https ? html` checked` : ''}> HTTPS: readers on http are sent to https</label>
<label>HSTS max-age (seconds) <input type="number" name="hsts_max_age" value="${String(d.hstsMaxAge)}" min="0" step="1"><span class="hint">Strict-Transport-Security on https answers; 0: not sent.</span></label>
<label class="check"><input type="checkbox" name="hsts_include_subdomains" value="on"${d.hstsIncludeSubdomains ? html` checked` : ''}> HSTS includeSubDomains</label>
<label class="check"><input type="checkbox" name="hsts_preload" value="on"${d.hstsPreload ? html` checked` : ''}> HSTS preload</label>
<button type="submit" class="secondary small" aria-label="Save ${d.domain}">Save</button></form>
<h3>Response headers</h3>
${headers.length === 0 ? html`<p class="muted">No extra headers.</p>` : html`<ul>${headers.map((h) => html`<li><code>${h.name}: ${h.value}</code>${h.onlyIfSecureRequest ? ' (https only)' : ''}
<form class="inline" method="post" action="/dashboard/${p.slug}/domains/${d.domain}/headers/${String(h.id)}/delete/">${csrfField(request, reply, ctx)}<button type="submit" class="danger small" aria-label="Remove ${h.name} of ${d.domain}">Remove</button></form></li>`)}</ul>`}
${problems(refused, `header-${d.domain}`)}
<form class="stack" method="post" action="/dashboard/${p.slug}/domains/${d.domain}/headers/create/">${csrfField(request, reply, ctx)}
<label>Header <select name="name">${Object.entries(HTTP_HEADER_CHOICES).map(([key, header]) => html`<option value="${key}">${header}</option>`)}</select></label>
<label>Value <input type="text" name="value" required maxlength="${MAX_HEADER_VALUE}"></label>
<label class="check"><input type="checkbox" name="only_if_secure_request" value="on"> Only on https requests</label>
<button type="submit" class="secondary small" aria-label="Add a header to ${d.domain}">Add header</button></form>
<p class="hint">Then point the domain at this server, for instance with a <code>CNAME</code> record to <code>${target}</code>.</p>
<form method="post" action="/dashboard/${p.slug}/domains/${d.domain}/delete/" data-confirm="Delete ${d.domain}? It stops being served at once.">${csrfField(request, reply, ctx)}<button class="danger small" type="submit" aria-label="Delete ${d.domain}">Delete</button></form>
</section>`;
  };

  const show = async (request: FastifyRequest, reply: FastifyReply, p: Project, values: Values, refused: Refusal | null) => {
    const { rows } = await projectDomains(ctx, p);
    const headers = await Promise.all(rows.map(async (d) => (await domainHeaders(ctx, p, d.domain)).headers));
    return settingsPage(request, reply, ctx, p, 'domains', html`<p>Serve this project's documentation at a domain of yours, such as <code>docs.example.com</code>.</p>
<form class="stack" method="post" action="/dashboard/${p.slug}/domains/create/">
${csrfField(request, reply, ctx)}
${problems(refused, 'domain')}
<label>Domain <input type="text" name="domain" value="${values.domain}" required maxlength="${MAX_DOMAIN_LENGTH}" autocomplete="off" spellcheck="false" placeholder="docs.example.com"></label>
<label class="check"><input type="checkbox" name="canonical" value="on"${values.canonical ? html` checked` : ''}> Canonical: the project's main domain</label>
<label class="check"><input type="checkbox" name="https" value="on"${values.https ? html` checked` : ''}> HTTPS: readers on http are sent to https</label>
<button type="submit">Add domain</button>
</form>
${rows.length === 0 ? html`<p class="muted">No custom domains yet.</p>` : rows.map((d, i) => card(request, reply, p, d, headers[i]!, refused))}`, refused?.status);
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
      const b = request.body;
      // A form without the HSTS fields (an older page) leaves them as they are.
      const age = b.hsts_max_age === undefined ? undefined : text(b, 'hsts_max_age').trim() === '' ? 0 : Number(text(b, 'hsts_max_age'));
      await changeDomain(ctx, signedIn(request), p, row.domain, {
        canonical: checked(b, 'canonical'), https: checked(b, 'https'), hstsMaxAge: age,
        hstsIncludeSubdomains: b.hsts_max_age === undefined ? undefined : checked(b, 'hsts_include_subdomains'),
        hstsPreload: b.hsts_max_age === undefined ? undefined : checked(b, 'hsts_preload'),
      });
      return done(reply, p, 'domains', `${row.domain} saved.`, `#domain-${row.id}`);
    } catch (err) {
      return show(request, reply, p, EMPTY, refusal(err, `edit-${row.domain}`));
    }
  });

  app.post<{ Params: { slug: string; domain: string } }>('/dashboard/:slug/domains/:domain/mark-verified/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const row = await changeDomain(ctx, signedIn(request), p, request.params.domain, { verified: true });
    return done(reply, p, 'domains', `${row.domain} is marked verified.`, `#domain-${row.id}`);
  });

  app.post<{ Params: { slug: string; domain: string }; Body: Form }>('/dashboard/:slug/domains/:domain/headers/create/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const row = await projectDomain(ctx, p, request.params.domain);
    const b = request.body;
    try {
      await addDomainHeaderTo(ctx, p, row.domain, { name: text(b, 'name'), value: text(b, 'value'), onlyIfSecureRequest: checked(b, 'only_if_secure_request') });
      return done(reply, p, 'domains', `Header added to ${row.domain}.`, `#domain-${row.id}`);
    } catch (err) {
      return show(request, reply, p, EMPTY, refusal(err, `header-${row.domain}`));
    }
  });

  app.post<{ Params: { slug: string; domain: string; id: string } }>('/dashboard/:slug/domains/:domain/headers/:id/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const row = await projectDomain(ctx, p, request.params.domain);
    await removeDomainHeader(ctx, p, row.domain, idOf(request.params.id));
    return done(reply, p, 'domains', `Header removed from ${row.domain}.`, `#domain-${row.id}`);
  });

  app.post<{ Params: { slug: string; domain: string } }>('/dashboard/:slug/domains/:domain/delete/', async (request, reply) => {
    const p = await maintainedPost(ctx, request, request.params.slug);
    const row = await projectDomain(ctx, p, request.params.domain);
    await removeDomain(ctx, p, row.domain);
    return done(reply, p, 'domains', `${row.domain} deleted.`);
  });
}

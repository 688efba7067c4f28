// What the project settings pages share: the maintainer check (404 for anyone else), the
// settings sub-navigation and page frame, form fields, and a write the API's validation
// refused turned into a message shown next to its form (400, or 409 for a conflict).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Project } from '../../db/schema.ts';
import { html, type Html } from '../html.ts';
import { HttpError, notFound } from '../errors.ts';
import { DomainError } from '../../core/domain-error.ts';
import { checkCsrf } from './csrf.ts';
import { redirect, signedIn, type DashboardContext } from './context.ts';
import { page } from './layout.ts';
import { visibleProject } from './pages/projects.ts';

/** The settings areas, by the path of their page under /dashboard/<slug>/, in menu order. */
const AREAS = [
  ['edit', 'General'],
  ['redirects', 'Redirects'],
  ['environmentvariables', 'Environment variables'],
  ['integrations', 'Integrations'],
  ['webhooks', 'Webhooks'],
  ['domains', 'Domains'],
  ['subprojects', 'Subprojects'],
  ['translations', 'Translations'],
  ['rules', 'Automation rules'],
  ['users', 'Maintainers'],
] as const;
export type Area = (typeof AREAS)[number][0];

/** A submitted form as @fastify/formbody parses it: a repeated field is an array. */
export type Form = Record<string, string | string[] | undefined>;

/** The project if the signed-in user maintains it; 404 for everyone else. */
export async function maintainedProject(ctx: DashboardContext, request: FastifyRequest, slug: string): Promise<Project> {
  signedIn(request);
  const found = await visibleProject(ctx, request, slug);
  if (!found.maintainer) throw notFound('Project not found.');
  return found.project;
}

/** maintainedProject, then the form's CSRF check (403): what every settings POST starts with. */
export async function maintainedPost(ctx: DashboardContext, request: FastifyRequest, slug: string): Promise<Project> {
  const project = await maintainedProject(ctx, request, slug);
  checkCsrf(request, ctx.publicUrl);
  return project;
}

export function settingsNav(p: Project, current: Area): Html {
  return html`<nav class="subnav" aria-label="Project settings"><ul>
${AREAS.map(([area, label]) => html`<li><a href="/dashboard/${p.slug}/${area}/"${area === current ? html` aria-current="page"` : ''}>${label}</a></li>`)}
</ul></nav>`;
}

/** A settings page: its title, the project, the sub-navigation, then `body`. */
export function settingsPage(request: FastifyRequest, reply: FastifyReply, ctx: DashboardContext, p: Project, area: Area, body: Html, status = 200): FastifyReply {
  const label = AREAS.find(([a]) => a === area)![1];
  return page(request, reply, ctx, {
    title: `${label} · ${p.name}`,
    status,
    body: html`<h1>${label} <span class="muted">· <a href="/projects/${p.slug}/">${p.name}</a></span></h1>
${settingsNav(p, area)}
${body}`,
  });
}

/** One text field of a form: '' when absent, the first value when repeated. */
export function text(form: Form | undefined, name: string): string {
  const value = form?.[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** Every value of a repeated field (checkboxes of one name). */
export function values(form: Form | undefined, name: string): string[] {
  const value = form?.[name];
  return value === undefined ? [] : ([] as string[]).concat(value);
}

export const checked = (form: Form | undefined, name: string): boolean => text(form, name) === 'on';

/** A write refused by the shared validation, for the form `form` on the page. */
export interface Refusal {
  form: string;
  status: number;
  messages: string[];
}

/** A refused input (a DomainError of bad input or a clash, or a 400/409 HttpError) as a Refusal of `form`; anything else is thrown on. */
export function refusal(err: unknown, form: string): Refusal {
  if (err instanceof DomainError && (err.kind === 'invalid' || err.kind === 'conflict')) {
    return { form, status: err.kind === 'conflict' ? 409 : 400, messages: [err.message] };
  }
  if (err instanceof HttpError && (err.statusCode === 400 || err.statusCode === 409)) {
    return { form, status: err.statusCode, messages: err.errors ? Object.values(err.errors).flat() : [err.message] };
  }
  throw err;
}

/** The messages of a refusal of `form`, shown at the top of that form. */
export function problems(r: Refusal | null | undefined, form: string, heading = 'Not saved:'): Html {
  if (!r || r.form !== form) return html``;
  return html`<div class="error" role="alert"><strong>${r.status === 409 ? 'Not saved: this clashes with what already exists.' : heading}</strong>
<ul>${r.messages.map((m) => html`<li>${m}</li>`)}</ul></div>`;
}

/** Back to an area's page with a one-line notice (and an anchor on it). */
export function done(reply: FastifyReply, p: Project, area: Area, notice: string, anchor = ''): FastifyReply {
  return redirect(reply, `/dashboard/${p.slug}/${area}/?notice=${encodeURIComponent(notice)}${anchor}`);
}

/** A row id from the URL (a positive 32-bit integer), or 404. */
export function idOf(raw: string): number {
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : 0;
  if (id < 1 || id > 2147483647) throw notFound('Not found.');
  return id;
}

/** Text with a button that copies it (dashboard.js); without JavaScript it is plain, selectable text. */
export function copyable(id: string, value: string, label: string, secret = false): Html {
  return html`<code${secret ? html` class="secret"` : ''} id="${id}">${value}</code> <button type="button" class="secondary small" data-copy="${id}" aria-label="Copy ${label}">Copy</button>`;
}

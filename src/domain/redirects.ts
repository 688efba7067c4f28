// A project's user redirects (Read the Docs' page, exact, clean_url_to_html and
// html_to_clean_url), in the order they are tried: `position` 0 first, and creating or moving
// one at a position shifts the others. One home for the rules the API and the dashboard both
// apply: targets stay on the docs host or go to an absolute http(s) URL, never a
// scheme-relative `//host` (an open redirect). Every change is announced to the docs server.
import { countRedirectsOfType, createRedirect, deleteRedirect, findRedirect, listRedirects, updateRedirect, type RedirectFields } from '../db/redirects.ts';
import type { Project, Redirect } from '../db/schema.ts';
import { servingChanged } from '../core/changes.ts';
import { DomainError } from '../core/domain-error.ts';
import type { DomainContext } from './context.ts';

export const REDIRECT_TYPES = ['page', 'exact', 'clean_url_to_html', 'html_to_clean_url'] as const;
export const HTTP_STATUSES = [301, 302] as const;
export const MAX_URL_LENGTH = 2048;
export const MAX_DESCRIPTION_LENGTH = 255;
/** Positions beyond the end of the list are clamped to it. */
export const MAX_POSITION = 100_000;

export type { RedirectFields };
/** What a new redirect starts from (and what PUT gives the fields it leaves out). */
export const REDIRECT_DEFAULTS: RedirectFields = { type: 'page', fromUrl: '', toUrl: '', httpStatus: 302, force: false, enabled: true, description: '' };

/** A redirect as written by an adapter: any field left out keeps its base value. */
export interface RedirectInput {
  type?: string;
  fromUrl?: string;
  toUrl?: string;
  httpStatus?: number;
  force?: boolean;
  enabled?: boolean;
  description?: string;
  /** Where it goes in the order; absent: first for a new redirect, unchanged for an existing one. */
  position?: number;
}

/** The types Read the Docs renamed or removed, answered with what to use instead (as it does). */
const REMOVED_TYPES: Record<string, string> = {
  prefix: 'Prefix redirects have been removed. Please use an exact redirect `/prefix/*` instead.',
  sphinx_html: 'sphinx_html redirect has been renamed to clean_url_to_html.',
  sphinx_htmldir: 'sphinx_htmldir redirect has been renamed to html_to_clean_url.',
};

const CONTROL_CHARS = /[\x00-\x1f\x7f]/;
const invalid = (field: string, message: string) => new DomainError(field, message);
const tooLong = (field: string, max: number) => invalid(field, `Ensure this field has no more than ${max} characters.`);
const notFound = () => new DomainError('redirect', 'Not found.', 'not_found');

/**
 * Read the Docs' rules for one redirect, on the fields it would have once written (no
 * database needed); throws DomainError naming the field. Types whose URLs are implied keep none.
 */
export function checkRedirect(r: RedirectFields): RedirectFields {
  if (REMOVED_TYPES[r.type]) throw invalid('type', REMOVED_TYPES[r.type]!);
  if (!(REDIRECT_TYPES as readonly string[]).includes(r.type)) throw invalid('type', `"${r.type}" is not a valid choice.`);
  if (!(HTTP_STATUSES as readonly number[]).includes(r.httpStatus)) throw invalid('http_status', `"${r.httpStatus}" is not a valid choice.`);
  for (const [field, value] of [['from_url', r.fromUrl], ['to_url', r.toUrl]] as const) {
    if (value.length > MAX_URL_LENGTH) throw tooLong(field, MAX_URL_LENGTH);
    if (CONTROL_CHARS.test(value)) throw invalid(field, 'A URL has no control characters.');
  }
  if (r.description.length > MAX_DESCRIPTION_LENGTH) throw tooLong('description', MAX_DESCRIPTION_LENGTH);
  if (r.type === 'clean_url_to_html' || r.type === 'html_to_clean_url') return { ...r, fromUrl: '', toUrl: '' };
  if (!r.fromUrl) throw invalid('from_url', `A ${r.type} redirect needs from_url.`);
  if (!r.toUrl) throw invalid('to_url', `A ${r.type} redirect needs to_url.`);
  if (r.fromUrl.endsWith('$rest')) throw invalid('from_url', 'The $rest wildcard has been removed in favor of *.');
  if (r.type === 'exact' && !r.fromUrl.startsWith('/')) throw invalid('from_url', 'An exact redirect matches a path: from_url starts with /.');
  const star = r.fromUrl.indexOf('*');
  if (star >= 0 && star !== r.fromUrl.length - 1) throw invalid('from_url', 'The * wildcard must be at the end of the path.');
  if (r.toUrl.includes(':splat') && star < 0) throw invalid('to_url', 'The * wildcard must be at the end of from_url to use the :splat placeholder in to_url.');
  const target = 'to_url is a path starting with a single / or an absolute http(s) URL.';
  if (/^[/\\]{2}|^\/\\/.test(r.toUrl)) throw invalid('to_url', target);
  if (!r.toUrl.startsWith('/')) {
    let url: URL | null = null;
    try {
      url = new URL(r.toUrl.split(':splat').join(''));
    } catch {
      /* not absolute */
    }
    // `https:evil.example` parses as a URL but is served as a path: only `http(s)://` is absolute.
    if (!url || !/^https?:\/\//i.test(r.toUrl) || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || url.username || url.password) {
      throw invalid('to_url', target);
    }
  }
  return r;
}

function merged(base: RedirectFields, input: RedirectInput): RedirectFields {
  return {
    type: input.type ?? base.type,
    fromUrl: input.fromUrl ?? base.fromUrl,
    toUrl: input.toUrl ?? base.toUrl,
    httpStatus: input.httpStatus ?? base.httpStatus,
    force: input.force ?? base.force,
    enabled: input.enabled ?? base.enabled,
    description: input.description ?? base.description,
  };
}

function checkPosition(position: number | undefined): void {
  if (position !== undefined && (!Number.isInteger(position) || position < 0 || position > MAX_POSITION)) {
    throw invalid('position', `Ensure this value is between 0 and ${MAX_POSITION}.`);
  }
}

/** checkRedirect, then the rules that look at the project's other redirects. */
async function checked(ctx: Pick<DomainContext, 'db'>, project: Project, id: number | null, fields: RedirectFields, position: number | undefined): Promise<RedirectFields> {
  const r = checkRedirect(fields);
  checkPosition(position);
  if ((r.type === 'clean_url_to_html' || r.type === 'html_to_clean_url') && (await countRedirectsOfType(ctx.db, project.id, r.type, id)) > 0) {
    throw invalid('type', `Only one redirect of type \`${r.type}\` is allowed per project.`);
  }
  return r;
}

export async function projectRedirects(ctx: Pick<DomainContext, 'db'>, project: Project, limit = MAX_POSITION, offset = 0): Promise<{ count: number; rows: Redirect[] }> {
  return listRedirects(ctx.db, project.id, limit, offset);
}

export async function projectRedirect(ctx: Pick<DomainContext, 'db'>, project: Project, id: number): Promise<Redirect> {
  const row = await findRedirect(ctx.db, project.id, id);
  if (!row) throw notFound();
  return row;
}

/** Adds a redirect (first in the order unless a position is given). */
export async function addRedirect(ctx: Pick<DomainContext, 'db'>, project: Project, input: RedirectInput): Promise<Redirect> {
  const fields = await checked(ctx, project, null, merged(REDIRECT_DEFAULTS, input), input.position);
  const row = await createRedirect(ctx.db, project.id, fields, input.position ?? 0);
  servingChanged();
  return row;
}

/**
 * Changes a redirect: `replace` (PUT) starts from the defaults, otherwise (PATCH, the dashboard's
 * form, which sends every field) from what it is. A position moves it there.
 */
export async function changeRedirect(ctx: Pick<DomainContext, 'db'>, project: Project, id: number, input: RedirectInput, replace = false): Promise<Redirect> {
  const current = await projectRedirect(ctx, project, id);
  const fields = await checked(ctx, project, current.id, merged(replace ? REDIRECT_DEFAULTS : current, input), input.position);
  const row = await updateRedirect(ctx.db, project.id, current.id, fields, input.position);
  if (!row) throw notFound();
  servingChanged();
  return row;
}

/** Moves a redirect to `position` (clamped to the list); its fields stay as they are. */
export async function moveRedirect(ctx: Pick<DomainContext, 'db'>, project: Project, id: number, position: number): Promise<Redirect> {
  const current = await projectRedirect(ctx, project, id);
  checkPosition(position);
  const row = await updateRedirect(ctx.db, project.id, current.id, {}, position);
  if (!row) throw notFound();
  servingChanged();
  return row;
}

/** Deletes a redirect; those after it move up. */
export async function removeRedirect(ctx: Pick<DomainContext, 'db'>, project: Project, id: number): Promise<void> {
  if (!(await deleteRedirect(ctx.db, project.id, id))) throw notFound();
  servingChanged();
}

// Signing a dashboard user in to a docs host, to read private docs there (Read the Docs hands a
// short-lived token over by a redirect through the dashboard; so does Bindery). `next` must be a
// page on a docs host of this server — `<slug>.<DOCS_DOMAIN>`, a pull-request preview host, or a
// verified custom domain — of a project the user may read, with the dashboard's port: anything
// else is refused, so the route is no open redirect. The handoff it makes is one-time, hashed,
// a minute long and bound to that host; docs/reader-session.ts trades it on the docs host.
import { previewFromHost } from '../core/previews.ts';
import { slugFromHost } from '../core/urls.ts';
import { DomainError } from '../core/domain-error.ts';
import { createDocsSession } from '../db/docs-sessions.ts';
import { findProjectBySlug } from '../db/projects.ts';
import { servedProjectByDomain } from '../db/serving.ts';
import type { User } from '../db/schema.ts';
import { mayReadProject } from './access.ts';
import type { DomainContext } from './context.ts';
import type { ServerHosts } from './domains.ts';

/** How long the dashboard's handoff may wait for the docs host to trade it. */
export const HANDOFF_MS = 60_000;

// `http(s)://host[:port]` then an optional absolute path: no user info, no backslash, no
// whitespace or control character anywhere (browsers strip or reinterpret those).
const DOCS_URL = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[\x21-\x5b\x5d-\x7e]*)?$/;

const refuse = () => new DomainError('next', 'Not a page of documentation you can read on this server.');

/** The slug of the project whose docs the host serves, or null. */
async function projectSlugOfHost(ctx: Pick<DomainContext, 'db'>, hosts: ServerHosts, host: string): Promise<string | null> {
  const preview = previewFromHost(host, hosts.previewDomain);
  if (preview) return preview.slug;
  const slug = slugFromHost(host, hosts.docsDomain);
  if (slug !== null) return slug;
  return (await servedProjectByDomain(ctx.db, host))?.slug ?? null;
}

/**
 * Checks `next` for `user` and makes the handoff; returns the docs host's `/_/auth/` URL to
 * redirect to. DomainError on `next` for anything that is not such a page.
 */
export async function startDocsLogin(ctx: Pick<DomainContext, 'db'>, hosts: ServerHosts, user: User, next: unknown): Promise<string> {
  if (typeof next !== 'string' || next.length > 4096 || !DOCS_URL.test(next)) throw refuse();
  const url = new URL(next);
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  // Docs hosts share the dashboard's port (core/urls.ts docsOrigin); custom domains use the default one.
  if (url.port !== '' && url.port !== new URL(hosts.publicUrl).port) throw refuse();
  const slug = await projectSlugOfHost(ctx, hosts, host);
  const project = slug ? await findProjectBySlug(ctx.db, slug) : null;
  if (!project || !(await mayReadProject(ctx, user, project))) throw refuse();
  const handoff = await createDocsSession(ctx.db, 'handoff', user.id, host, HANDOFF_MS);
  const path = url.pathname + url.search;
  return `${url.protocol}//${url.host}/_/auth/?token=${handoff.id}&next=${encodeURIComponent(path)}`;
}

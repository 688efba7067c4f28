// A project's custom domains: the rules the API and the dashboard both apply. A name is a host
// name (stored lower case, IDNs in punycode) that is not one of this server's own and that no
// project has yet; a project has at most one canonical domain (Read the Docs' rule and message);
// a domain is served once verified (an HTTP token file or a DNS TXT record,
// domain/domain-verification.ts). Changes the docs server must see are announced.
import { randomBytes } from 'node:crypto';
import { addDomain, deleteDomain, findCanonicalDomain, findDomain, listDomains, markDomainVerified, updateDomain } from '../db/domains.ts';
import type { Domain, Project } from '../db/schema.ts';
import { servingChanged } from '../core/changes.ts';
import { DomainError } from '../core/domain-error.ts';
import { normalizeDomain, verifyDomain } from './domain-verification.ts';
import type { DomainContext } from './context.ts';

export { TOKEN_PATH, TXT_PREFIX } from './domain-verification.ts';
export const MAX_DOMAIN_LENGTH = 253;

/** The hosts this server answers on itself, which no project may claim. */
export interface ServerHosts {
  publicUrl: string;
  docsDomain: string;
  previewDomain: string;
}

export interface DomainInput {
  domain: string;
  canonical?: boolean;
  https?: boolean;
}

export interface DomainChange {
  canonical?: boolean;
  https?: boolean;
}

const notFound = () => new DomainError('domain', 'Not found.', 'not_found');
const ONE_CANONICAL = 'Only one domain can be canonical at a time.';

/** The domain a project may add, normalised; DomainError on `domain` for a bad name or one of this server's own. */
export function checkNewDomain(hosts: ServerHosts, input: string): string {
  const domain = normalizeDomain(input);
  if (!domain) throw new DomainError('domain', 'Expected a host name such as docs.example.com (no scheme, port, path or IP address).');
  // The docs and preview domains and everything under them are Bindery's own, and so is the dashboard's host.
  const own = (parent: string) => domain === parent || domain.endsWith(`.${parent}`);
  if (own(hosts.docsDomain) || own(hosts.previewDomain) || domain === new URL(hosts.publicUrl).hostname.toLowerCase()) {
    throw new DomainError('domain', `${domain} belongs to this Bindery server.`);
  }
  return domain;
}

async function checkCanonical(ctx: Pick<DomainContext, 'db'>, project: Project, canonical: boolean | undefined, self: number | null): Promise<void> {
  if (!canonical) return;
  const current = await findCanonicalDomain(ctx.db, project.id);
  if (current && current.id !== self) throw new DomainError('canonical', ONE_CANONICAL);
}

export async function projectDomains(ctx: Pick<DomainContext, 'db'>, project: Project, limit = 1000, offset = 0): Promise<{ count: number; rows: Domain[] }> {
  return listDomains(ctx.db, project.id, limit, offset);
}

/** One of the project's domains by its name as typed (any case, Unicode or punycode). */
export async function projectDomain(ctx: Pick<DomainContext, 'db'>, project: Project, name: string): Promise<Domain> {
  const domain = normalizeDomain(name);
  const row = domain ? await findDomain(ctx.db, project.id, domain) : null;
  if (!row) throw notFound();
  return row;
}

/** Adds a custom domain with a fresh verification token; a name any project has is a conflict (409). */
export async function addCustomDomain(ctx: Pick<DomainContext, 'db'>, hosts: ServerHosts, project: Project, input: DomainInput): Promise<Domain> {
  const domain = checkNewDomain(hosts, input.domain);
  await checkCanonical(ctx, project, input.canonical, null);
  const token = `bindery-verify-${randomBytes(24).toString('base64url')}`;
  const row = await addDomain(ctx.db, project.id, domain, token, { canonical: input.canonical ?? false, https: input.https ?? false });
  if (!row) throw new DomainError('domain', `${domain} is already in use.`, 'conflict');
  return row;
}

/** Changes whether the domain is the canonical one and whether it is served over https (Read the Docs' `https`). */
export async function changeDomain(ctx: Pick<DomainContext, 'db'>, project: Project, name: string, change: DomainChange): Promise<Domain> {
  const current = await projectDomain(ctx, project, name);
  await checkCanonical(ctx, project, change.canonical, current.id);
  const row = await updateDomain(ctx.db, project.id, current.id, change);
  if (!row) throw notFound();
  servingChanged();
  return row;
}

/**
 * Checks the proofs of an unverified domain now and marks it verified; DomainError on `domain`
 * with both reasons when neither holds. `method` is null when it was verified already.
 */
export async function verifyCustomDomain(ctx: Pick<DomainContext, 'db' | 'domainVerification'>, project: Project, name: string): Promise<{ row: Domain; method: 'http' | 'dns' | null }> {
  const row = await projectDomain(ctx, project, name);
  if (row.verifiedAt) return { row, method: null };
  const result = await verifyDomain(row.domain, row.verificationToken, ctx.domainVerification);
  if (!result.verified) throw new DomainError('domain', `${row.domain} could not be verified: ${result.reasons.join('; ')}`);
  const verified = await markDomainVerified(ctx.db, row.id);
  if (!verified) throw notFound();
  servingChanged();
  return { row: verified, method: result.method };
}

/** Removes a domain; it stops being served at once. */
export async function removeDomain(ctx: Pick<DomainContext, 'db'>, project: Project, name: string): Promise<void> {
  const row = await projectDomain(ctx, project, name);
  if (!(await deleteDomain(ctx.db, project.id, row.domain))) throw notFound();
  servingChanged();
}

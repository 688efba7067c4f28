// A project's custom domains: the rules the API and the dashboard both apply. A name is a host
// name (stored lower case, IDNs in punycode) that is not one of this server's own and that no
// project has yet; a project has at most one canonical domain (Read the Docs' rule and message);
// a domain is served once verified (an HTTP token file or a DNS TXT record,
// domain/domain-verification.ts, or an instance administrator's word). Its HSTS settings and
// extra headers (Read the Docs' HTTPHeader: a name from its list, a one-line value) shape what
// the docs server sends on it. Changes the docs server must see are announced.
import { randomBytes } from 'node:crypto';
import { addDomain, deleteDomain, findCanonicalDomain, findDomain, listDomains, markDomainVerified, updateDomain } from '../db/domains.ts';
import { addDomainHeader, deleteDomainHeader, listDomainHeaders } from '../db/domain-headers.ts';
import type { Domain, DomainHeader, Project, User } from '../db/schema.ts';
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
  /** Seconds of Strict-Transport-Security sent on https answers of the domain; 0: none. */
  hstsMaxAge?: number;
  hstsIncludeSubdomains?: boolean;
  hstsPreload?: boolean;
  /** An instance administrator's "verified without proof" (or not verified again); forbidden to others. */
  verified?: boolean;
}

/** Read the Docs' HTTPHeader.HEADERS_CHOICES: its choice names and the headers they send. */
export const HTTP_HEADER_CHOICES = {
  access_control_allow_origin: 'Access-Control-Allow-Origin',
  access_control_allow_headers: 'Access-Control-Allow-Headers',
  access_control_expose_headers: 'Access-Control-Expose-Headers',
  content_security_policy: 'Content-Security-Policy',
  feature_policy: 'Feature-Policy',
  permissions_policy: 'Permissions-Policy',
  referrer_policy: 'Referrer-Policy',
  x_frame_options: 'X-Frame-Options',
  x_content_type_options: 'X-Content-Type-Options',
} as const;
export type HttpHeaderChoice = keyof typeof HTTP_HEADER_CHOICES;

export interface HeaderInput {
  /** One of HTTP_HEADER_CHOICES's names (Read the Docs' `name`). */
  name: string;
  value: string;
  onlyIfSecureRequest?: boolean;
}

/** Read the Docs' HTTPHeader.value max_length. */
export const MAX_HEADER_VALUE = 4096;
/** Postgres' integer: the largest max-age the column holds (68 years). */
const MAX_HSTS_AGE = 2_147_483_647;

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

/** An HSTS max-age in seconds, as Read the Docs' PositiveIntegerField takes it (DRF's words). */
function checkHstsMaxAge(value: number): number {
  if (!Number.isInteger(value)) throw new DomainError('hsts_max_age', 'A valid integer is required.');
  if (value < 0) throw new DomainError('hsts_max_age', 'Ensure this value is greater than or equal to 0.');
  if (value > MAX_HSTS_AGE) throw new DomainError('hsts_max_age', `Ensure this value is less than or equal to ${MAX_HSTS_AGE}.`);
  return value;
}

/**
 * Changes whether the domain is the canonical one, whether it is served over https (Read the
 * Docs' `https`), its HSTS settings, and — for an instance administrator only — whether it is
 * verified, without the HTTP or DNS proof (an operator's own domains, a test instance).
 */
export async function changeDomain(ctx: Pick<DomainContext, 'db'>, user: User, project: Project, name: string, change: DomainChange): Promise<Domain> {
  if (change.verified !== undefined && !user.isAdmin) throw new DomainError('verified', 'Only an administrator of this Bindery instance may set verified (a domain verified without its proof).', 'forbidden');
  const current = await projectDomain(ctx, project, name);
  await checkCanonical(ctx, project, change.canonical, current.id);
  const { verified, ...flags } = change;
  if (flags.hstsMaxAge !== undefined) checkHstsMaxAge(flags.hstsMaxAge);
  const verifiedAt = verified === undefined || verified === (current.verifiedAt !== null) ? {} : { verifiedAt: verified ? new Date() : null };
  const row = await updateDomain(ctx.db, project.id, current.id, { ...flags, ...verifiedAt });
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

/** The extra headers a domain's answers carry, in the order they were added. */
export async function domainHeaders(ctx: Pick<DomainContext, 'db'>, project: Project, name: string): Promise<{ domain: Domain; headers: DomainHeader[] }> {
  const domain = await projectDomain(ctx, project, name);
  return { domain, headers: await listDomainHeaders(ctx.db, domain.id) };
}

/** The header name a choice sends (stored as such, so the docs server sets it as it is). */
export const headerChoiceOf = (header: Pick<DomainHeader, 'name'>): HttpHeaderChoice | null =>
  (Object.entries(HTTP_HEADER_CHOICES).find(([, h]) => h === header.name)?.[0] as HttpHeaderChoice | undefined) ?? null;

/**
 * Adds an extra header to a domain's answers: a name among Read the Docs' choices, a value of one
 * line of visible ASCII (a line break would split the response; other bytes make Node refuse it).
 */
export async function addDomainHeaderTo(ctx: Pick<DomainContext, 'db'>, project: Project, name: string, input: HeaderInput): Promise<DomainHeader> {
  const domain = await projectDomain(ctx, project, name);
  if (!Object.hasOwn(HTTP_HEADER_CHOICES, input.name)) throw new DomainError('name', `"${input.name}" is not a valid choice.`);
  const value = input.value.trim();
  if (!value) throw new DomainError('value', 'This field may not be blank.');
  if (value.length > MAX_HEADER_VALUE) throw new DomainError('value', `Ensure this field has no more than ${MAX_HEADER_VALUE} characters.`);
  if (!/^[\x20-\x7e\t]+$/.test(value)) throw new DomainError('value', 'Use printable ASCII characters on one line.');
  const row = await addDomainHeader(ctx.db, {
    domainId: domain.id, name: HTTP_HEADER_CHOICES[input.name as HttpHeaderChoice], value, onlyIfSecureRequest: input.onlyIfSecureRequest ?? false,
  });
  servingChanged();
  return row;
}

/** Removes one extra header of a domain; not_found when the domain has no such header. */
export async function removeDomainHeader(ctx: Pick<DomainContext, 'db'>, project: Project, name: string, id: number): Promise<void> {
  const domain = await projectDomain(ctx, project, name);
  if (!(await deleteDomainHeader(ctx.db, domain.id, id))) throw new DomainError('header', 'Not found.', 'not_found');
  servingChanged();
}

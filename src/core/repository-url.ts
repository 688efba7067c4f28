// Which repository URLs Bindery will hand to git, and what a URL is made of. A repository
// URL is user input: only transports that cannot run commands pass, and anything that
// reaches this server's own files or network (a path, file://, a loopback, private or
// local host) passes only where local repositories are allowed (an instance admin, or the
// operator's ALLOW_LOCAL_REPOSITORIES). Credentials in an https URL are taken out to be
// stored as a secret; the URL kept and shown never has them.
import { canonicalHost, describeKind, hostKind } from './address-policy.ts';

export interface RepositoryUrl {
  /** The URL to store and show: trimmed, https normalised, without credentials. */
  url: string;
  /** `user:token` (percent-encoded as in the URL) taken out of an https URL, or null. */
  credentials: string | null;
  /** The host git connects to, as a resolver reads it; null for a path or file:// URL. */
  host: string | null;
  /** Why the URL reaches this machine or its private network, or null when it does not. */
  local: string | null;
  /** scheme://host:port, to tell whether an edited URL still points at the same server. */
  origin: string | null;
}

export type RepositoryUrlCheck = ({ ok: true } & RepositoryUrl) | { ok: false; reason: string };

const SCP_LIKE = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):[A-Za-z0-9._~/-]+$/;
const TRANSPORTS = 'use https://, ssh:// or git@host:path';

/** Reads a repository URL without the local-repository rule; `local` says whether it applies. */
export function parseRepositoryUrl(raw: string): RepositoryUrlCheck {
  const url = raw.trim();
  if (!url) return { ok: false, reason: 'a repository URL is required' };
  if (url.length > 2048) return { ok: false, reason: 'the repository URL is longer than 2048 characters' };
  // Control characters and a leading dash could be read by git as options or break the command line.
  if (/[\u0000-\u001f\u007f\s]/.test(url) || url.startsWith('-')) {
    return { ok: false, reason: 'the repository URL contains whitespace, control characters or a leading dash' };
  }
  const scp = SCP_LIKE.exec(url);
  if (scp && !url.includes('::')) return remote(url, scp[2]!, null, `ssh://${scp[2]!.toLowerCase()}`);
  if (url.startsWith('/')) return { ok: true, url, credentials: null, host: null, local: 'a local path', origin: null };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: `expected a URL: ${TRANSPORTS}` };
  }
  if (parsed.protocol === 'https:') {
    if (!parsed.hostname) return { ok: false, reason: 'the repository URL has no host' };
    const credentials = parsed.username || parsed.password ? (parsed.password ? `${parsed.username}:${parsed.password}` : parsed.username) : null;
    parsed.username = '';
    parsed.password = '';
    // The normalised form is what git gets, so the host checked is the host connected to.
    return remote(parsed.href, parsed.hostname, credentials, parsed.origin);
  }
  if (parsed.protocol === 'ssh:') {
    if (!parsed.hostname) return { ok: false, reason: 'the repository URL has no host' };
    // `ssh://-oProxyCommand=…` would reach ssh as an option (CVE-2017-1000117).
    if (parsed.hostname.startsWith('-') || safeDecode(parsed.username).startsWith('-')) {
      return { ok: false, reason: 'the repository URL has a host or user starting with a dash' };
    }
    if (parsed.password) return { ok: false, reason: 'an ssh:// URL cannot carry a password: use https://user:token@host/… for credentials' };
    return remote(url, parsed.hostname, null, `ssh://${parsed.host.toLowerCase()}`);
  }
  if (parsed.protocol === 'file:') return { ok: true, url, credentials: null, host: null, local: 'a file:// URL', origin: null };
  return { ok: false, reason: `the ${parsed.protocol.slice(0, -1)} protocol is not allowed: ${TRANSPORTS}` };
}

function remote(url: string, rawHost: string, credentials: string | null, origin: string): RepositoryUrlCheck {
  const host = canonicalHost(rawHost);
  if (host === null) return { ok: false, reason: `the repository URL's host ${rawHost} is not a valid host name or address` };
  const kind = hostKind(host);
  return { ok: true, url, credentials, host, local: kind === null ? null : `${host} is ${describeKind(kind)}`, origin };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Accepts `https://`, `ssh://` and `git@host:path`; URLs that reach this machine or its
 * private network (paths, `file://`, loopback/private/local hosts) only when `allowLocal`.
 */
export function checkRepositoryUrl(raw: string, allowLocal: boolean): RepositoryUrlCheck {
  const result = parseRepositoryUrl(raw);
  if (result.ok && result.local && !allowLocal) {
    return { ok: false, reason: `${result.local}: repositories on this server's machine or private network are for instance administrators only (${TRANSPORTS} with a public host)` };
  }
  return result;
}

/** The URL git is given: the stored URL with its stored credentials put back (https only). */
export function withCredentials(url: string, credentials: string | null): string {
  if (!credentials || !url.startsWith('https://')) return url;
  const parsed = new URL(url);
  const colon = credentials.indexOf(':');
  parsed.username = colon < 0 ? credentials : credentials.slice(0, colon);
  if (colon >= 0) parsed.password = credentials.slice(colon + 1);
  return parsed.href;
}

/** A repository URL fit to show (API, dashboard, logs, build environment): never with credentials. */
export function displayRepositoryUrl(url: string): string {
  const parsed = parseRepositoryUrl(url);
  return parsed.ok ? parsed.url : url.replace(/\/\/[^/@]*@/, '//');
}

/** The credentials a URL carries (for rows stored before they were taken out), or null. */
export function credentialsIn(url: string): string | null {
  const parsed = parseRepositoryUrl(url);
  return parsed.ok ? parsed.credentials : null;
}

/**
 * The credentials to keep when a project's URL is replaced: the new URL's own, else the
 * stored ones while the URL still points at the same server (scheme, host and port), so
 * they are never sent to another host.
 */
export function credentialsAfterEdit(previousUrl: string, previousCredentials: string | null, next: RepositoryUrl): string | null {
  if (next.credentials) return next.credentials;
  if (!previousCredentials) return null;
  const previous = parseRepositoryUrl(previousUrl);
  return previous.ok && previous.origin !== null && previous.origin === next.origin ? previousCredentials : null;
}

/** Every form in which credentials could show up in a log line, for the builder's masker. */
export function credentialSecrets(credentials: string | null): string[] {
  if (!credentials) return [];
  const colon = credentials.indexOf(':');
  // Without a password the user name is the token (https://<token>@github.com/…).
  const secret = colon < 0 ? credentials : credentials.slice(colon + 1);
  return [...new Set([credentials, safeDecode(credentials), secret, safeDecode(secret)])].filter((s) => s.length > 0);
}

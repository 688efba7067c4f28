// Which repository URLs Bindery will clone. A repository URL is user input handed to git,
// so only transports that cannot reach the server's own files or run commands pass.

export type RepositoryUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$/;

/**
 * Accepts `https://`, `ssh://` and `git@host:path`; `file://` and absolute paths only
 * when local repositories are allowed (single-user installs on loopback).
 */
export function checkRepositoryUrl(raw: string, allowLocal: boolean): RepositoryUrlCheck {
  const url = raw.trim();
  if (!url) return { ok: false, reason: 'a repository URL is required' };
  if (url.length > 2048) return { ok: false, reason: 'the repository URL is longer than 2048 characters' };
  // Control characters and a leading dash could be read by git as options or break the command line.
  if (/[\u0000-\u001f\u007f\s]/.test(url) || url.startsWith('-')) {
    return { ok: false, reason: 'the repository URL contains whitespace, control characters or a leading dash' };
  }
  if (SCP_LIKE.test(url) && !url.includes('::')) return { ok: true, url };
  if (url.startsWith('/')) {
    return allowLocal ? { ok: true, url } : { ok: false, reason: 'local repositories are not allowed on this server (use https://, ssh:// or git@host:path)' };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'expected a URL starting https://, ssh:// or git@host:path' };
  }
  if (parsed.protocol === 'https:' || parsed.protocol === 'ssh:') {
    if (!parsed.hostname) return { ok: false, reason: 'the repository URL has no host' };
    // `ssh://-oProxyCommand=…` would reach ssh as an option (CVE-2017-1000117).
    if (parsed.hostname.startsWith('-') || decodeURIComponent(parsed.username).startsWith('-')) {
      return { ok: false, reason: 'the repository URL has a host or user starting with a dash' };
    }
    return { ok: true, url };
  }
  if (parsed.protocol === 'file:') {
    return allowLocal ? { ok: true, url } : { ok: false, reason: 'local repositories are not allowed on this server (use https://, ssh:// or git@host:path)' };
  }
  return { ok: false, reason: `the ${parsed.protocol.slice(0, -1)} protocol is not allowed: use https://, ssh:// or git@host:path` };
}

// Where outgoing notifications may be sent. A hook URL is user input the server will
// POST to, so it must not reach this machine or its private networks (SSRF) unless local
// destinations are allowed (an instance admin, or the operator's ALLOW_LOCAL_REPOSITORIES).
// The address rules are src/core/address-policy.ts's; names that resolve inside are
// refused when connecting (src/domain/hook-post.ts).
import { describeKind, hostKind } from './address-policy.ts';

export type WebhookUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/** Accepts http(s) URLs; hosts that are private addresses or local names only when allowed. */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): WebhookUrlCheck {
  const url = raw.trim();
  if (!url) return { ok: false, reason: 'a URL is required' };
  if (url.length > 2048) return { ok: false, reason: 'the URL is longer than 2048 characters' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'expected a URL starting http:// or https://' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, reason: `the ${parsed.protocol.slice(0, -1)} protocol is not allowed: use http:// or https://` };
  if (!parsed.hostname) return { ok: false, reason: 'the URL has no host' };
  const kind = hostKind(parsed.hostname);
  if (!allowPrivate && kind !== null) {
    return { ok: false, reason: `${parsed.hostname} is ${describeKind(kind)}: notifications to this server's machine or private network are for instance administrators only` };
  }
  return { ok: true, url: parsed.toString() };
}

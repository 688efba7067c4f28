// Where outgoing notifications may be sent. A hook URL is user input the server will
// POST to, so by default it must not reach loopback, private networks or cloud metadata
// services (SSRF); an operator may allow them (tests, an intranet-only install).
import net from 'node:net';

export type WebhookUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

const blocked = new net.BlockList();
const V4: Array<[string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
// IPv4-mapped addresses (::ffff:10.0.0.1) are matched against the IPv4 list by BlockList itself.
const V6: Array<[string, number]> = [
  ['::', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
];
for (const [address, prefix] of V4) blocked.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of V6) blocked.addSubnet(address, prefix, 'ipv6');

/** Loopback, private, link-local, shared, documentation, multicast and reserved addresses. */
export function isPrivateAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 0) return true;
  return blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** Accepts http(s) URLs; hosts that are private IP literals or `localhost` only when allowed. */
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
  if (!allowPrivate && isPrivateHost(parsed.hostname)) return { ok: false, reason: `${parsed.hostname} is a loopback or private address: notifications go to public addresses only on this server` };
  return { ok: true, url: parsed.toString() };
}

/** What can be told from the name alone; names that resolve to private addresses are refused when connecting. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return net.isIP(host) !== 0 && isPrivateAddress(host);
}

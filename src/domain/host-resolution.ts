// Resolving a host a user named, before anything connects to it, and judging every answer
// with the one address policy (core/address-policy.ts). A name whose answers include an
// inside address is refused: an attacker controls their DNS, so one private answer is enough.
import dns from 'node:dns';
import { describeKind, isPrivateAddress, addressKind, parseIPv4 } from '../core/address-policy.ts';

/** The addresses a host name resolves to; throws when it does not resolve. */
export type HostResolver = (hostname: string) => Promise<string[]>;

/** The system's resolver (getaddrinfo, /etc/hosts included): what git and curl will use. */
export const systemResolver: HostResolver = async (hostname) => (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** A resolver asking the given DNS servers (`127.0.0.1:5353`) for A and AAAA records. */
export function dnsServerResolver(servers: string[]): HostResolver {
  const resolver = new dns.promises.Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers(servers);
  return async (hostname) => {
    const answers = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
    const addresses = answers.flatMap((a) => (a.status === 'fulfilled' ? a.value : []));
    if (addresses.length === 0) throw Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' });
    return addresses;
  };
}

export type Resolution = { ok: true; addresses: string[] } | { ok: false; inside: boolean; reason: string };

/**
 * Resolves a host (a canonical one: core/address-policy.ts canonicalHost) and refuses it
 * when any answer is an inside address. IP literals are judged without a lookup. Gives up
 * after `timeoutMs`, as not resolving.
 */
export async function resolveOutside(host: string, resolve: HostResolver = systemResolver, timeoutMs = 5000): Promise<Resolution> {
  if (parseIPv4(host) || host.includes(':')) {
    const kind = addressKind(host);
    return kind === null ? { ok: true, addresses: [host] } : { ok: false, inside: true, reason: `${host} is ${describeKind(kind)}` };
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const addresses = await Promise.race([
      resolve(host),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${host} did not resolve within ${timeoutMs} ms`)), timeoutMs); }),
    ]);
    const inside = addresses.find((a) => isPrivateAddress(a));
    if (inside !== undefined) return { ok: false, inside: true, reason: `${host} resolves to ${inside}, ${describeKind(addressKind(inside)!)}` };
    if (addresses.length === 0) return { ok: false, inside: false, reason: `${host} has no address` };
    return { ok: true, addresses };
  } catch (err) {
    return { ok: false, inside: false, reason: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

// Which addresses and host names are "inside": this machine, its private networks, and
// ranges no public service lives in. The one policy behind every connection a user can aim
// (repository URLs, outgoing webhooks, custom-domain checks). Pure: resolving a name is the
// caller's job (src/domain/host-resolution.ts); this module judges names and answers.

export type AddressKind = 'unspecified' | 'loopback' | 'private' | 'link-local' | 'shared' | 'multicast' | 'documentation' | 'reserved';

/** What a host name is taken to be: an address of some kind, a name reserved for local use, or a public name. */
export type HostKind = AddressKind | 'local name';

type Range = [prefix: number[], bits: number, kind: AddressKind | 'embedded'];

// IANA's special-purpose registries (RFC 6890 and later), IPv4 first.
const V4: Range[] = [
  [[0], 8, 'unspecified'], // "this network": connecting to 0.0.0.0 reaches this host on Linux
  [[10], 8, 'private'],
  [[100, 64], 10, 'shared'], // carrier-grade NAT
  [[127], 8, 'loopback'],
  [[169, 254], 16, 'link-local'], // includes cloud metadata services (169.254.169.254)
  [[172, 16], 12, 'private'],
  [[192, 0, 0], 24, 'reserved'],
  [[192, 0, 2], 24, 'documentation'],
  [[192, 31, 196], 24, 'reserved'],
  [[192, 52, 193], 24, 'reserved'],
  [[192, 88, 99], 24, 'reserved'],
  [[192, 168], 16, 'private'],
  [[192, 175, 48], 24, 'reserved'],
  [[198, 18], 15, 'reserved'], // benchmarking
  [[198, 51, 100], 24, 'documentation'],
  [[203, 0, 113], 24, 'documentation'],
  [[224], 4, 'multicast'],
  [[240], 4, 'reserved'], // includes the broadcast address
];

// 'embedded' ranges carry an IPv4 address that is what is really reached: judged as that address.
const V6: Range[] = [
  [[...zeros(15), 0], 128, 'unspecified'],
  [[...zeros(15), 1], 128, 'loopback'],
  [[...zeros(10), 0xff, 0xff], 96, 'embedded'], // IPv4-mapped ::ffff:a.b.c.d
  [[...zeros(8), 0xff, 0xff, 0, 0], 96, 'embedded'], // IPv4-translated ::ffff:0:a.b.c.d
  [zeros(12), 96, 'reserved'], // IPv4-compatible ::a.b.c.d (deprecated)
  [[0, 0x64, 0xff, 0x9b, ...zeros(8)], 96, 'embedded'], // NAT64 64:ff9b::a.b.c.d
  [[0, 0x64, 0xff, 0x9b, 0, 1], 48, 'private'], // local-use NAT64
  [[1, 0, ...zeros(6)], 64, 'reserved'], // discard-only
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'documentation'],
  [[0x20, 0x01, 0, 0], 23, 'reserved'], // IETF protocol assignments, Teredo (2001::/32) among them
  [[0x20, 0x02], 16, 'embedded'], // 6to4 2002:aabb:ccdd::
  [[0x3f, 0xff, 0], 20, 'documentation'],
  [[0x5f, 0x00], 16, 'reserved'], // SRv6 segment identifiers
  [[0xfc], 7, 'private'], // unique local
  [[0xfe, 0x80], 10, 'link-local'],
  [[0xfe, 0xc0], 10, 'private'], // site-local (deprecated)
  [[0xff], 8, 'multicast'],
];

function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}

function matches(bytes: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const take = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** Dotted-quad IPv4 in canonical decimal form (what canonicalHost returns); null otherwise. */
export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

/** IPv6 text (with `::` and an optional dotted IPv4 tail, no brackets or zone) as 16 bytes; null otherwise. */
export function parseIPv6(text: string): number[] | null {
  let body = text.toLowerCase();
  let tail: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (dotted) {
    const v4 = parseIPv4(dotted[1]!);
    if (!v4) return null;
    tail = v4;
    body = body.slice(0, dotted.index + 1) + '0:0';
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  const bytes = all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

function kindOf4(bytes: number[]): AddressKind | null {
  return V4.find(([prefix, bits]) => matches(bytes, prefix, bits))?.[2] as AddressKind | undefined ?? null;
}

function kindOf6(bytes: number[]): AddressKind | null {
  const range = V6.find(([prefix, bits]) => matches(bytes, prefix, bits));
  if (!range) return null;
  if (range[2] !== 'embedded') return range[2];
  // 6to4 carries the IPv4 address right after its prefix; the other embeddings at the end.
  return kindOf4(range[1] === 16 ? bytes.slice(2, 6) : bytes.slice(12, 16));
}

/**
 * The kind of an IP address (IPv4, or IPv6 with brackets and a zone index tolerated), or
 * null for a public one. Text that is not an address counts as 'reserved': fail closed.
 */
export function addressKind(ip: string): AddressKind | null {
  const text = ip.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const v4 = parseIPv4(text);
  if (v4) return kindOf4(v4);
  const v6 = text.includes(':') ? parseIPv6(text) : null;
  return v6 ? kindOf6(v6) : 'reserved';
}

/** Loopback, private, link-local, shared, reserved, multicast or documentation: not a public address. */
export function isPrivateAddress(ip: string): boolean {
  return addressKind(ip) !== null;
}

/**
 * A host as resolvers read it, or null when it is not a valid host. Numbers in other
 * notations (`2130706433`, `0x7f.1`, `127.1`, octal) become the dotted quad that
 * getaddrinfo, curl and the WHATWG URL parser all take them for; IPv6 loses its
 * brackets and is compressed; names are lower case ASCII without trailing dots.
 */
export function canonicalHost(host: string): string | null {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (!bare || /[\s/?#@\\]/.test(bare)) return null;
  if (bare.includes(':')) {
    if (!parseIPv6(bare)) return null;
    try {
      return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
    } catch {
      return null;
    }
  }
  let parsed: string;
  try {
    parsed = new URL(`http://${bare}/`).hostname;
  } catch {
    return null;
  }
  return parsed.replace(/\.+$/, '') || null;
}

// RFC 6761 and 8375 names, mDNS, and ICANN's private-use TLD: only ever local.
const LOCAL_NAME = /(^|\.)(localhost|local|internal|home\.arpa|localdomain)$/;

/**
 * What a host is, told from the text alone: an address's kind, 'local name', or null for
 * a public-looking name (which may still resolve inside: the resolution check is separate).
 * Invalid hosts count as 'reserved'.
 */
export function hostKind(host: string): HostKind | null {
  const canonical = canonicalHost(host);
  if (canonical === null) return 'reserved';
  if (parseIPv4(canonical) || canonical.includes(':')) return addressKind(canonical);
  return LOCAL_NAME.test(canonical) ? 'local name' : null;
}

/** Whether the host is, by its text alone, an IP address or local name that is not public. */
export function isPrivateHost(host: string): boolean {
  return hostKind(host) !== null;
}

/** Words for a kind, for error messages: "a loopback address". */
export function describeKind(kind: HostKind): string {
  switch (kind) {
    case 'local name': return 'a name for this machine or its local network';
    case 'unspecified': return 'the unspecified address (this machine)';
    case 'loopback': return 'a loopback address';
    case 'private': return 'a private network address';
    case 'link-local': return 'a link-local address';
    case 'shared': return 'a shared (carrier-grade NAT) address';
    case 'multicast': return 'a multicast address';
    case 'documentation': return 'a documentation address';
    case 'reserved': return 'a reserved address';
  }
}

/** Every inside IPv4 range as [network, prefix length]: a build's network routes them nowhere. */
export const BLOCKED_IPV4_RANGES: ReadonlyArray<readonly [string, number]> = V4.map(([prefix, bits]) => [[0, 1, 2, 3].map((i) => prefix[i] ?? 0).join('.'), bits] as const);

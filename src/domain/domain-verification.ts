// Proving a custom domain is the project's: the domain serves the verification token at
// http://<domain>/.well-known/bindery-verification.txt, or has it in a DNS TXT record at
// _bindery.<domain>. The HTTP check never reaches loopback or private addresses unless allowed
// (a domain could point anywhere), reads at most 1 KiB, follows no redirect and times out.
import http from 'node:http';
import dns from 'node:dns';
import net from 'node:net';
import { domainToASCII } from 'node:url';
import { isPrivateAddress } from '../core/address-policy.ts';

export interface DomainVerificationOptions {
  /** Port of the HTTP check (default 80); tests point it at a server of their own. */
  httpPort?: number;
  /** DNS servers of the TXT check, e.g. ['127.0.0.1:5353']; default: the system's. */
  dnsServers?: string[];
  /** Let the HTTP check reach loopback and private addresses (intranets, tests). */
  allowPrivateAddresses?: boolean;
  timeoutMs?: number;
}

export const TOKEN_PATH = '/.well-known/bindery-verification.txt';
export const TXT_PREFIX = '_bindery';

export type Verification = { verified: true; method: 'http' | 'dns' } | { verified: false; reasons: string[] };

/**
 * A domain as stored: lower case ASCII (IDNs in punycode), two labels at least, no IP
 * address, no port. Returns null for anything else.
 */
export function normalizeDomain(input: string): string | null {
  const name = input.trim().replace(/\.$/, '');
  // domainToASCII parses a whole URL host and would drop a path or port: refuse those first.
  if (!/^[\p{L}\p{M}\p{N}.-]+$/u.test(name)) return null;
  const ascii = domainToASCII(name);
  if (!ascii || ascii.length > 253 || net.isIP(ascii)) return null;
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => label.test(l)) || /^\d+$/.test(labels.at(-1)!)) return null;
  return ascii;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that answers loopback for *.localhost (RFC 6761) and refuses private addresses unless allowed. */
function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    const done = (address: string, family: number) => {
      if (!allowPrivate && isPrivateAddress(address)) {
        callback(Object.assign(new Error(`${hostname} resolves to a private address (${address})`), { code: 'EPRIVATE' }), '', 0);
      } else if (options.all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    };
    if (hostname === 'localhost' || hostname.endsWith('.localhost')) return done('127.0.0.1', 4);
    dns.lookup(hostname, { family: options.family ?? 0 }, (err, address, family) => (err ? callback(err, '', 0) : done(address, family)));
  };
}

async function checkHttp(domain: string, token: string, opts: DomainVerificationOptions): Promise<string | null> {
  const timeout = opts.timeoutMs ?? 5000;
  return new Promise((resolve) => {
    const req = http.get(
      { host: domain, port: opts.httpPort ?? 80, path: TOKEN_PATH, lookup: guardedLookup(opts.allowPrivateAddresses ?? false) as never, timeout, headers: { host: domain, 'user-agent': 'Bindery domain verification' } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          resolve(`http: ${TOKEN_PATH} answered ${res.statusCode}`);
          return;
        }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (body.length > 1024) res.destroy();
        });
        res.on('close', () => resolve(body.trim() === token ? null : `http: ${TOKEN_PATH} does not hold the verification token`));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve(`http: ${err.message}`));
  });
}

async function checkDns(domain: string, token: string, opts: DomainVerificationOptions): Promise<string | null> {
  const resolver = new dns.promises.Resolver({ timeout: opts.timeoutMs ?? 5000, tries: 1 });
  if (opts.dnsServers?.length) resolver.setServers(opts.dnsServers);
  const name = `${TXT_PREFIX}.${domain}`;
  try {
    const records = await resolver.resolveTxt(name);
    return records.some((chunks) => chunks.join('').trim() === token) ? null : `dns: no TXT record of ${name} holds the verification token`;
  } catch (err) {
    return `dns: ${name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
}

/** Tries both proofs at once; verified when either holds. */
export async function verifyDomain(domain: string, token: string, opts: DomainVerificationOptions = {}): Promise<Verification> {
  const [viaHttp, viaDns] = await Promise.all([checkHttp(domain, token, opts), checkDns(domain, token, opts)]);
  if (viaHttp === null) return { verified: true, method: 'http' };
  if (viaDns === null) return { verified: true, method: 'dns' };
  return { verified: false, reasons: [viaHttp, viaDns] };
}

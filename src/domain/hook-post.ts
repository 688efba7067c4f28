// One POST of a notification to a receiver's URL, refusing private addresses at connect
// time: the check runs on the addresses DNS actually returned, so a public name that
// resolves (or is re-pointed) to an internal service is refused too. Never follows redirects.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress, isPrivateHost } from '../core/address-policy.ts';

export class PrivateAddressError extends Error {}

export interface PostResult {
  statusCode: number | null;
  error: string | null;
  /** The address is not allowed: trying again cannot succeed. */
  refused?: boolean;
}

/** dns.lookup's shape with `all: true`; replaceable so tests can play a hostile DNS. */
export type Resolve = (hostname: string, options: dns.LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

function guardedLookup(allowPrivate: boolean, resolve: Resolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses;
      const bad = list.find((a) => isPrivateAddress(a.address));
      if (bad && !allowPrivate) return callback(new PrivateAddressError(`${hostname} resolves to the private address ${bad.address}`), '', 0);
      if (list.length === 0) return callback(new Error(`${hostname} has no address`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

export function postJson(url: string, body: string, headers: Record<string, string>, opts: { allowPrivate: boolean; timeoutMs: number; resolve?: Resolve }): Promise<PostResult> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve({ statusCode: null, error: 'invalid URL' });
    }
    const host = target.hostname.replace(/^\[|\]$/g, '');
    // An IP literal is connected to without a lookup, so it is checked here (local names too).
    if (!opts.allowPrivate && isPrivateHost(host)) {
      return resolve({ statusCode: null, error: `refused: ${host} is a loopback or private address`, refused: true });
    }
    const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : null;
    if (!client) return resolve({ statusCode: null, error: `unsupported protocol ${target.protocol}` });
    const request = client.request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Bindery-Webhooks/1', ...headers },
      lookup: guardedLookup(opts.allowPrivate, opts.resolve ?? dns.lookup),
      // No pooled sockets: every delivery connects (and so is checked) afresh.
      agent: false,
    });
    // One deadline for the whole exchange, so a receiver trickling bytes cannot hold a delivery open.
    const deadline = setTimeout(() => done({ statusCode: null, error: `no response within ${opts.timeoutMs} ms` }), opts.timeoutMs);
    let settled = false;
    function done(result: PostResult) {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.destroy();
      resolve(result);
    }
    request.on('error', (err) => done(err instanceof PrivateAddressError ? { statusCode: null, error: `refused: ${err.message}`, refused: true } : { statusCode: null, error: err.message }));
    request.on('response', (response) => {
      // The answer's body is not needed; drain it so the exchange can end.
      response.resume();
      response.on('end', () => done({ statusCode: response.statusCode ?? null, error: null }));
      response.on('error', () => done({ statusCode: response.statusCode ?? null, error: null }));
    });
    request.end(body);
  });
}

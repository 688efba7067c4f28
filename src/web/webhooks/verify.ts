// Constant-time checks of webhook credentials: an HMAC-SHA256 signature header over the
// raw body (GitHub, Bitbucket) or a shared token (GitLab, generic). Comparing with `===`
// would let an attacker learn a valid value one byte at a time from response times.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Verdict } from './provider.ts';

/** `sha256=<hex HMAC-SHA256(secret, body)>`, the header format GitHub and Bitbucket send. */
export function signature(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function checkSignature(given: string | undefined, secret: string, body: Buffer): Verdict {
  if (!given) return 'missing';
  const expected = Buffer.from(signature(secret, body));
  const actual = Buffer.from(given.trim());
  // The length of a signature is public; only its content must not leak.
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? 'ok' : 'wrong';
}

export function checkToken(given: unknown, secret: string): Verdict {
  if (typeof given !== 'string' || given === '') return 'missing';
  // Hashing first gives equal lengths, so not even the secret's length leaks.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(secret)) ? 'ok' : 'wrong';
}

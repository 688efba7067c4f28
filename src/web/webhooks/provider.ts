// The contract of a webhook provider module (github.ts, gitlab.ts, bitbucket.ts,
// generic.ts): check the credentials of a raw delivery, name it, and say what it means.
import type { IncomingHttpHeaders } from 'node:http';
import type { WebhookEvent } from '../../core/webhook-events.ts';

/** A delivery as received: the raw body is kept because signatures are over its exact bytes. */
export interface RawDelivery {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Verdict = 'ok' | 'missing' | 'wrong';

export interface Provider {
  /** Checks the delivery's signature or token against the integration's secret, in constant time. */
  verify(delivery: RawDelivery, secret: string): Verdict;
  /** The provider's delivery id, when it sends one (for the log: deliveries are not deduplicated). */
  deliveryId(delivery: RawDelivery): string | null;
  /** Throws HttpError(400) for a payload that lacks what its event needs. */
  parse(delivery: RawDelivery): WebhookEvent;
}

export function header(delivery: RawDelivery, name: string): string | undefined {
  const value = delivery.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

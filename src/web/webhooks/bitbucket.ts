// Bitbucket Cloud webhooks: `X-Hub-Signature` (`sha256=` HMAC of the raw body) when the
// hook has a secret; `repo:push` (also what a delivery without `X-Event-Key` reads as, as
// on Read the Docs) lists several ref changes in one delivery. A change without `old`
// (created) or `new` (deleted) only needs a version sync. Pull requests are not built:
// Bitbucket gives no fetchable ref for them (nor does Read the Docs build them). Every
// other event (Bitbucket Server's diagnostics:ping too) is unhandled, as on Read the Docs.
import { HttpError } from '../errors.ts';
import { commitOrNull, type PushedRef, type WebhookEvent } from '../../core/webhook-events.ts';
import { header, type Provider } from './provider.ts';
import { jsonPayload, object, str } from './payload.ts';
import { checkSignature } from './verify.ts';

export const bitbucket: Provider = {
  verify: (d, secret) => checkSignature(header(d, 'x-hub-signature'), secret, d.body),
  deliveryId: (d) => header(d, 'x-request-uuid') ?? null,
  parse(d): WebhookEvent {
    const event = header(d, 'x-event-key') ?? 'repo:push';
    if (event !== 'repo:push') return { kind: 'ignored', event, detail: `event ${event}` };
    const data = jsonPayload(d);
    const changes = object(data.push).changes;
    if (!Array.isArray(changes)) throw new HttpError(400, 'Invalid request');
    const refs: PushedRef[] = [];
    for (const change of changes) {
      const { old, new: now } = object(change);
      if (!old || !now) continue;
      const ref = object(now);
      if (ref.type === undefined || ref.name === undefined) throw new HttpError(400, 'Invalid request');
      const type = ref.type === 'branch' || ref.type === 'tag' ? ref.type : null;
      const name = str(ref.name);
      if (type && name) refs.push({ type, name, commit: commitOrNull(object(ref.target).hash) });
    }
    return { kind: 'push', event, refs, defaultBranch: str(object(object(data.repository).mainbranch).name) };
  },
};

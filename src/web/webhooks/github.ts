// GitHub webhooks: `X-Hub-Signature-256` over the raw body; events from `X-GitHub-Event`
// (ping, push, create, delete, pull_request; none given reads as push, as Read the Docs
// reads it) with the payload fields GitHub sends. A push that created or deleted its ref
// only needs a version sync.
import { HttpError } from '../errors.ts';
import { commitOrNull, splitRef, type WebhookEvent } from '../../core/webhook-events.ts';
import { header, type Provider } from './provider.ts';
import { jsonPayload, object, str } from './payload.ts';
import { checkSignature } from './verify.ts';

const OPEN = new Set(['opened', 'synchronize', 'reopened']);

export const github: Provider = {
  verify: (d, secret) => checkSignature(header(d, 'x-hub-signature-256'), secret, d.body),
  deliveryId: (d) => header(d, 'x-github-delivery') ?? null,
  parse(d): WebhookEvent {
    const event = header(d, 'x-github-event') ?? 'push';
    const data = jsonPayload(d);
    const defaultBranch = str(object(data.repository).default_branch);
    switch (event) {
      case 'ping':
        return { kind: 'ping', event };
      case 'create':
      case 'delete':
        return { kind: 'push', event, refs: [], defaultBranch };
      case 'push': {
        if (data.created === true || data.deleted === true) return { kind: 'push', event, refs: [], defaultBranch };
        if (data.ref === undefined || data.ref === null) throw new HttpError(400, 'Parameter "ref" is required');
        const ref = splitRef(data.ref);
        if (!ref) throw new HttpError(400, `Invalid ref: ${String(data.ref)}`);
        // For an annotated tag `after` is the tag object; `head_commit` is the commit it tags.
        const commit = ref.type === 'branch' ? commitOrNull(data.after) : commitOrNull(object(data.head_commit).id);
        return { kind: 'push', event, refs: [{ ...ref, commit }], defaultBranch };
      }
      case 'pull_request': {
        const action = String(data.action);
        if (!OPEN.has(action) && action !== 'closed') return { kind: 'ignored', event, detail: `pull request action ${action}` };
        const number = data.number;
        const commit = commitOrNull(object(object(data.pull_request).head).sha);
        if (!Number.isSafeInteger(number) || (number as number) < 1) throw new HttpError(400, 'Invalid payload. number is required.');
        if (!commit) throw new HttpError(400, 'Invalid payload. sha is required.');
        return { kind: 'pull-request', event, action: action === 'closed' ? 'close' : 'open', number: number as number, commit };
      }
      default:
        return { kind: 'ignored', event, detail: `event ${event}` };
    }
  },
};

// GitLab webhooks: the secret comes back verbatim in `X-Gitlab-Token`; events by the
// payload's `object_kind` (push, tag_push, merge_request; none given reads as push, as
// Read the Docs reads it). A 40-zero `before`/`after` marks a ref created or deleted,
// which only needs a version sync.
import { HttpError } from '../errors.ts';
import { NULL_SHA, commitOrNull, splitRef, type WebhookEvent } from '../../core/webhook-events.ts';
import { header, type Provider } from './provider.ts';
import { jsonPayload, object, str } from './payload.ts';
import { checkToken } from './verify.ts';

const OPEN = new Set(['open', 'update', 'reopen']);
const CLOSE = new Set(['close', 'merge']);

export const gitlab: Provider = {
  verify: (d, secret) => checkToken(header(d, 'x-gitlab-token'), secret),
  deliveryId: (d) => header(d, 'x-gitlab-event-uuid') ?? header(d, 'x-gitlab-webhook-uuid') ?? null,
  parse(d): WebhookEvent {
    const data = jsonPayload(d);
    const event = str(data.object_kind) ?? 'push';
    const defaultBranch = str(object(data.project).default_branch);
    switch (event) {
      case 'push':
      case 'tag_push': {
        const created = typeof data.before === 'string' && NULL_SHA.test(data.before);
        const deleted = typeof data.after === 'string' && NULL_SHA.test(data.after);
        if (created || deleted) return { kind: 'push', event, refs: [], defaultBranch };
        if (data.ref === undefined || data.ref === null) throw new HttpError(400, 'Parameter "ref" is required');
        const ref = splitRef(data.ref);
        if (!ref) throw new HttpError(400, `Invalid ref: ${String(data.ref)}`);
        // `checkout_sha` is the commit; for an annotated tag `after` is the tag object.
        return { kind: 'push', event, refs: [{ ...ref, commit: commitOrNull(data.checkout_sha) ?? (ref.type === 'branch' ? commitOrNull(data.after) : null) }], defaultBranch };
      }
      case 'merge_request': {
        const attrs = object(data.object_attributes);
        const action = String(attrs.action);
        if (!OPEN.has(action) && !CLOSE.has(action)) return { kind: 'ignored', event, detail: `merge request action ${action}` };
        const number = attrs.iid;
        const commit = commitOrNull(object(attrs.last_commit).id);
        if (!Number.isSafeInteger(number) || (number as number) < 1) throw new HttpError(400, 'Invalid payload. iid is required.');
        if (!commit) throw new HttpError(400, 'Invalid payload. id is required.');
        return { kind: 'pull-request', event, action: CLOSE.has(action) ? 'close' : 'open', number: number as number, commit };
      }
      default:
        return { kind: 'ignored', event, detail: `event ${event}` };
    }
  },
};

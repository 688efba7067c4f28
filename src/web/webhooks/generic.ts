// The generic webhook (Read the Docs' "API webhook"): any CI or script may POST
// `token=<secret>` with `branches` (a name or a list; default: the default branch) and an
// optional `default_branch`, as JSON or form fields.
import { HttpError } from '../errors.ts';
import type { PushedRef, WebhookEvent } from '../../core/webhook-events.ts';
import type { Provider } from './provider.ts';
import { fields, str } from './payload.ts';
import { checkToken } from './verify.ts';

export const generic: Provider = {
  verify: (d, secret) => checkToken(fields(d).token, secret),
  deliveryId: () => null,
  parse(d): WebhookEvent {
    const data = fields(d);
    const given = data.branches;
    const names = given === undefined || given === null ? [null] : typeof given === 'string' ? [given] : given;
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => n !== null && (typeof n !== 'string' || n === '' || n.length > 255))) {
      throw new HttpError(400, 'Invalid request');
    }
    const refs: PushedRef[] = names.map((name: string | null) => ({ type: name === null ? 'branch' : null, name, commit: null }));
    return { kind: 'push', event: 'generic', refs, defaultBranch: str(data.default_branch) };
  },
};

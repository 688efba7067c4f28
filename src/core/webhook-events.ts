// What a provider's webhook delivery means to Bindery, whatever its payload looked like:
// each provider module (src/web/webhooks/) turns its headers and JSON into one of these,
// and src/domain/webhook-actions.ts acts on them.

export interface PushedRef {
  /** null: a branch or a tag of that name (the generic webhook does not say which). */
  type: 'branch' | 'tag' | null;
  /** null: the project's default branch. */
  name: string | null;
  /** The commit pushed; null → build what the ref points at when the build starts. */
  commit: string | null;
}

export type WebhookEvent =
  | { kind: 'ping'; event: string }
  /** Sync versions, then build the active versions following `refs` (none → only sync). */
  | { kind: 'push'; event: string; refs: PushedRef[]; defaultBranch: string | null }
  | { kind: 'pull-request'; event: string; action: 'open' | 'close'; number: number; commit: string }
  | { kind: 'ignored'; event: string; detail: string };

export const NULL_SHA = /^0{40}$|^0{64}$/;
const SHA = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

/** A full commit id, or null: nothing else may reach `git fetch` as the commit to build. */
export function commitOrNull(value: unknown): string | null {
  return typeof value === 'string' && SHA.test(value) && !NULL_SHA.test(value) ? value : null;
}

/** `refs/heads/x` → branch x, `refs/tags/x` → tag x; other refs (notes, pulls) are not versions. */
export function splitRef(ref: unknown): { type: 'branch' | 'tag'; name: string } | null {
  if (typeof ref !== 'string') return null;
  if (ref.startsWith('refs/heads/') && ref.length > 11) return { type: 'branch', name: ref.slice(11) };
  if (ref.startsWith('refs/tags/') && ref.length > 10) return { type: 'tag', name: ref.slice(10) };
  return null;
}

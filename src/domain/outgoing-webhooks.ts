// Outgoing webhooks of a project: URLs Bindery POSTs signed JSON to when builds end (the
// delivery is notify.ts's). A URL is user input the server will connect to, so it must not
// reach this machine or its private networks unless allowed (instance admins, or the
// operator's ALLOW_LOCAL_REPOSITORIES).
import { DomainError } from '../core/domain-error.ts';
import { checkWebhookUrl } from '../core/webhook-url.ts';
import { createProjectWebhook, deleteProjectWebhook, findProjectWebhook, listAttempts, listProjectWebhooks, type ProjectWebhook, type WebhookAttempt } from '../db/project-webhooks.ts';
import type { Project, User } from '../db/schema.ts';
import type { DomainContext } from './context.ts';

export type { ProjectWebhook, WebhookAttempt };

export const HOOK_EVENTS = ['build:triggered', 'build:passed', 'build:failed'] as const;
/** The events of a hook created without a choice. */
export const DEFAULT_EVENTS = ['build:passed', 'build:failed'];

export interface WebhookInput {
  url: string;
  /** Some of HOOK_EVENTS, each once; DEFAULT_EVENTS when absent. */
  events?: string[];
}

/** Adds a hook after checking its URL and events; refused naming `url` or `events`. */
export async function addWebhook(ctx: DomainContext, user: User, project: Project, input: WebhookInput): Promise<ProjectWebhook> {
  // Private destinations: everyone's when the operator allows them, else instance admins' only.
  const url = checkWebhookUrl(input.url, ctx.allowPrivateWebhookUrls || user.isAdmin);
  if (!url.ok) throw new DomainError('url', url.reason);
  const events = input.events;
  if (events !== undefined) {
    if (events.length === 0) throw new DomainError('events', 'choose at least one event');
    if (new Set(events).size !== events.length || events.some((e) => !(HOOK_EVENTS as readonly string[]).includes(e))) {
      throw new DomainError('events', `events are some of ${HOOK_EVENTS.join(', ')}, each once`);
    }
  }
  return createProjectWebhook(ctx.db, project.id, url.url, events ?? DEFAULT_EVENTS);
}

/** A project's hooks, oldest first. */
export async function webhooksOf(ctx: Pick<DomainContext, 'db'>, project: Project): Promise<ProjectWebhook[]> {
  return listProjectWebhooks(ctx.db, project.id);
}

/** One hook with its latest delivery attempts, newest first; not_found when the project has none by that id. */
export async function getWebhook(ctx: Pick<DomainContext, 'db'>, project: Project, id: number, recent = 20): Promise<{ hook: ProjectWebhook; attempts: WebhookAttempt[] }> {
  const hook = await findProjectWebhook(ctx.db, project.id, id);
  if (!hook) throw new DomainError('webhook', 'Not found.', 'not_found');
  return { hook, attempts: await listAttempts(ctx.db, hook.id, recent) };
}

/** The latest delivery attempts of a hook, newest first. */
export async function recentAttempts(ctx: Pick<DomainContext, 'db'>, hook: ProjectWebhook, limit: number): Promise<WebhookAttempt[]> {
  return listAttempts(ctx.db, hook.id, limit);
}

export async function removeWebhook(ctx: DomainContext, project: Project, id: number): Promise<void> {
  if (!(await deleteProjectWebhook(ctx.db, project.id, id))) throw new DomainError('webhook', 'Not found.', 'not_found');
}

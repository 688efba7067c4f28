// Read the Docs' notifications: messages attached to a build, a project or a user, which
// readers mark read or dismiss. Builds get one when they end without success (in the same
// transaction: see BuildQueue's finish), with Read the Docs' message ids so clients that
// match on them keep working; the message's text is Bindery's error, which says what to do.
import { DomainError } from '../core/domain-error.ts';
import type { BuildOutcome } from '../core/build-state.ts';
import type { EndingNotification } from '../db/builds.ts';
import { getNotification, listNotifications, setNotificationState, type Attachment } from '../db/notifications.ts';
import { getBuild } from '../db/builds.ts';
import type { Notification, Project, User } from '../db/schema.ts';
import { maintainedProject, readableProject } from './access.ts';
import type { Actor, DomainContext } from './context.ts';

/** Read the Docs' notification states; a reader may set any of them (its serializer's choices). */
export const NOTIFICATION_STATES = ['unread', 'read', 'dismissed', 'cancelled'] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

type MessageType = 'error' | 'warning' | 'info' | 'note' | 'tip';

interface MessageTemplate {
  type: MessageType;
  header: string;
  /** The body when the notification carries no `error` of its own. */
  body: string;
}

/** The messages Bindery attaches, under Read the Docs' ids (readthedocs/doc_builder/exceptions.py). */
const MESSAGES: Record<string, MessageTemplate> = {
  'build:user:cancelled': { type: 'error', header: 'Build cancelled manually.', body: 'The user has cancelled this build.' },
  'build:user:time-out': { type: 'error', header: 'Build terminated due to time out.', body: 'The build took longer than this instance allows and was stopped.' },
  'build:app:terminated-due-inactivity': { type: 'error', header: 'Build terminated due to inactivity.', body: 'The builder running this build stopped responding.' },
  'build:app:generic-with-build-id': { type: 'error', header: 'Unknown problem.', body: 'There was a problem with Bindery while building your documentation.' },
  'build:user:generic': { type: 'error', header: 'Build failed.', body: 'The build failed.' },
};

const ICONS: Record<MessageType, string> = {
  error: 'fas fa-circle-xmark',
  warning: 'fas fa-circle-exclamation',
  info: 'fas fa-circle-info',
  note: 'fas fa-circle-info',
  tip: 'fas fa-circle-info',
};

/** Read the Docs' message id for a Bindery error code. */
export function buildMessageId(errorCode: string, cancelled: boolean): string {
  if (cancelled) return 'build:user:cancelled';
  if (errorCode === 'build-timeout') return 'build:user:time-out';
  if (errorCode === 'builder-lost') return 'build:app:terminated-due-inactivity';
  if (errorCode === 'unexpected') return 'build:app:generic-with-build-id';
  return 'build:user:generic';
}

/** The notification a build gets as it ends with this outcome; none on success. */
export function endingNotification(outcome: BuildOutcome): EndingNotification | undefined {
  if (outcome.success) return undefined;
  return { messageId: buildMessageId(outcome.errorCode, outcome.cancelled ?? false), formatValues: { error: outcome.error, error_code: outcome.errorCode } };
}

export interface RenderedMessage {
  id: string;
  header: string;
  body: string;
  type: MessageType;
  iconClasses: string;
}

/** A notification's message as readers see it. */
export function renderMessage(n: Pick<Notification, 'messageId' | 'formatValues'>): RenderedMessage {
  const template = MESSAGES[n.messageId] ?? { type: 'info' as const, header: n.messageId, body: '' };
  const error = n.formatValues.error;
  return {
    id: n.messageId,
    header: template.header,
    body: typeof error === 'string' && error ? error : template.body,
    type: template.type,
    iconClasses: ICONS[template.type],
  };
}

/** What a notification is attached to, as Read the Docs names it (`attached_to_content_type`, `attached_to_id`). */
export function attachmentOf(n: Pick<Notification, 'buildId' | 'projectId' | 'userId'>): { contentType: 'build' | 'project' | 'user'; id: number } {
  if (n.buildId !== null) return { contentType: 'build', id: n.buildId };
  if (n.projectId !== null) return { contentType: 'project', id: n.projectId };
  return { contentType: 'user', id: n.userId ?? 0 };
}

/** Where a list of notifications comes from, already checked for the actor. */
export interface NotificationScope {
  attachment: Attachment;
  /** For links: the project slug and build id when attached to those, else the username. */
  project?: Project;
  buildId?: number;
  user?: User;
}

/** A project's own notifications: for its maintainers only (Read the Docs' IsProjectAdmin). */
export async function projectNotifications(ctx: DomainContext, actor: Actor, slug: string): Promise<NotificationScope> {
  const project = await maintainedProject(ctx, actor, slug);
  return { attachment: { projectId: project.id }, project };
}

/** A build's notifications: readable where the build is; changed by maintainers only. */
export async function buildNotifications(ctx: DomainContext, actor: Actor, slug: string, buildId: number, write = false): Promise<NotificationScope> {
  const project = write ? await maintainedProject(ctx, actor, slug) : (await readableProject(ctx, actor, slug)).project;
  const build = await getBuild(ctx.db, buildId);
  if (!build || build.projectId !== project.id) throw new DomainError('build', 'Not found.', 'not_found');
  return { attachment: { buildId }, project, buildId };
}

/** A user's notifications: for that user only (Read the Docs' IsCurrentUser). */
export function userNotifications(actor: Actor, username: string): NotificationScope {
  if (!actor) throw new DomainError('user', 'Authentication credentials were not provided.', 'forbidden');
  if (actor.username !== username) throw new DomainError('user', 'You do not have permission to perform this action.', 'forbidden');
  return { attachment: { userId: actor.id }, user: actor };
}

/** Lists a scope's notifications, newest first; `states` is Read the Docs' `state`/`state__in` filter. */
export async function listScopeNotifications(ctx: DomainContext, scope: NotificationScope, states: string[] | undefined, limit: number, offset: number) {
  return listNotifications(ctx.db, scope.attachment, states, limit, offset);
}

export async function scopeNotification(ctx: DomainContext, scope: NotificationScope, id: number): Promise<Notification> {
  const n = await getNotification(ctx.db, scope.attachment, id);
  if (!n) throw new DomainError('notification', 'Not found.', 'not_found');
  return n;
}

/** Marks a notification read, unread, dismissed or cancelled. */
export async function changeNotificationState(ctx: DomainContext, scope: NotificationScope, id: number, state: unknown): Promise<Notification> {
  const n = await scopeNotification(ctx, scope, id);
  if (state === undefined) return n;
  if (typeof state !== 'string' || !(NOTIFICATION_STATES as readonly string[]).includes(state)) {
    throw new DomainError('state', `"${String(state)}" is not a valid choice.`);
  }
  return (await setNotificationState(ctx.db, n.id, state)) ?? n;
}

// Who maintains a project, and invitations to join. Nobody becomes a maintainer of someone
// else's project without saying yes (as on Read the Docs): a maintainer invites a user by
// username, the invited user — and only they — accepts or declines, and the project's
// maintainers may revoke it while it is pending. A project always keeps one maintainer:
// nobody else could ever reach it again. Read the Docs' API v3 shows maintainers only as a
// project's `users`; Bindery's maintainers endpoints follow its conventions (readers of a
// public project see who maintains it, as `users` shows; changes are for maintainers).
import { DomainError } from '../core/domain-error.ts';
import { isMaintainer, lockProjects } from '../db/projects.ts';
import type { Db } from '../db/database.ts';
import type { Project, User } from '../db/schema.ts';
import { findUserByUsername } from '../db/users.ts';
import { countMaintainers, deleteMaintainer, listMaintainers as maintainerRows, type Maintainer } from '../db/maintainers.ts';
import * as invitations from '../db/maintainer-invitations.ts';
import type { Invitation } from '../db/maintainer-invitations.ts';
import type { Actor, DomainContext } from './context.ts';
import { readableProject } from './access.ts';
import type { Page } from './subprojects.ts';

export type { Invitation, Maintainer };

/** How long an invitation can be accepted. */
export const INVITATION_LIFETIME_MS = 7 * 86400 * 1000;

/** A readable project's maintainers, by username. */
export async function listMaintainers(ctx: DomainContext, actor: Actor, slug: string, page: Page): Promise<{ project: Project; count: number; rows: Maintainer[] }> {
  const { project } = await readableProject(ctx, actor, slug);
  return { project, ...(await maintainerRows(ctx.db, project.id, page.limit, page.offset)) };
}

/** Every maintainer of a project the caller already authorised (the dashboard's page). */
export async function maintainersOf(ctx: Pick<DomainContext, 'db'>, project: Project): Promise<Maintainer[]> {
  return (await maintainerRows(ctx.db, project.id, 1000, 0)).rows;
}

/** A project's pending invitations, by username. */
export async function pendingInvitations(ctx: Pick<DomainContext, 'db'>, project: Project): Promise<Invitation[]> {
  return invitations.projectInvitations(ctx.db, project.id);
}

/** The user's pending invitations, with the projects they are for. */
export async function invitationsFor(ctx: Pick<DomainContext, 'db'>, user: User): Promise<Array<Invitation & { project: Project }>> {
  return invitations.userInvitations(ctx.db, user.id);
}

/**
 * `inviter` invites the user `username` to maintain `project`; inviting again while one is
 * pending renews it. Refused when there is no such user, or they already maintain it.
 */
export async function inviteMaintainer(ctx: DomainContext, inviter: User, project: Project, username: string, now = new Date()): Promise<Invitation> {
  const name = username.trim();
  if (!name) throw new DomainError('username', 'This field is required.');
  const invited = await findUserByUsername(ctx.db, name);
  if (!invited) throw new DomainError('username', `no user named "${name}"`);
  await invitations.deleteExpiredInvitations(ctx.db, now);
  if (await isMaintainer(ctx.db, project.id, invited.id)) throw new DomainError('username', `${invited.username} already maintains this project`, 'conflict');
  return invitations.upsertInvitation(ctx.db, project.id, invited.id, inviter.id, now, new Date(now.getTime() + INVITATION_LIFETIME_MS));
}

/** Withdraws the pending invitation of `username`; not_found when there is none. */
export async function revokeInvitation(ctx: DomainContext, project: Project, username: string): Promise<void> {
  const invited = await findUserByUsername(ctx.db, username);
  if (!invited || !(await invitations.revokeInvitation(ctx.db, project.id, invited.id))) throw new DomainError('username', 'Not found.', 'not_found');
}

/** The invited user says yes and becomes a maintainer; not_found for anyone else, or once expired or revoked. */
export async function acceptInvitation(ctx: DomainContext, user: User, invitationId: number): Promise<Project> {
  const project = await invitations.acceptInvitation(ctx.db, invitationId, user.id);
  if (!project) throw new DomainError('invitation', 'Not found.', 'not_found');
  return project;
}

/** The invited user says no; not_found when they have no such pending invitation. */
export async function declineInvitation(ctx: DomainContext, user: User, invitationId: number): Promise<Project> {
  const project = await invitations.declineInvitation(ctx.db, invitationId, user.id);
  if (!project) throw new DomainError('invitation', 'Not found.', 'not_found');
  return project;
}

/** Removes the maintainer `username` (the actor themselves included), never the last one; not_found when they are not one. */
export async function removeMaintainer(ctx: DomainContext, project: Project, username: string): Promise<void> {
  const other = await findUserByUsername(ctx.db, username);
  if (!other) throw new DomainError('username', 'Not found.', 'not_found');
  await ctx.db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    // Locked, so two maintainers removing each other at once cannot leave none.
    await lockProjects(t, [project.id]);
    if (!(await isMaintainer(t, project.id, other.id))) throw new DomainError('username', 'Not found.', 'not_found');
    if ((await countMaintainers(t, project.id)) <= 1) throw new DomainError('username', 'a project keeps at least one maintainer: add another before removing this one', 'conflict');
    await deleteMaintainer(t, project.id, other.id);
  });
}

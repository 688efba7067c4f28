// Invitations to maintain a project: the queries. Who may invite, accept, decline or revoke is
// src/domain/maintainers.ts's; what stays here is what the SQL itself guarantees (only the
// invited user's id matches, an expired invitation matches nothing).
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from './database.ts';
import { maintainerInvitations, projectMaintainers, projects, users, type Project } from './schema.ts';

export interface Invitation {
  id: number;
  projectId: number;
  userId: number;
  username: string;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

const inviter = alias(users, 'inviter');
const columns = {
  id: maintainerInvitations.id, projectId: maintainerInvitations.projectId, userId: maintainerInvitations.userId,
  username: users.username, invitedBy: inviter.username, createdAt: maintainerInvitations.createdAt, expiresAt: maintainerInvitations.expiresAt,
};
const pending = () => gt(maintainerInvitations.expiresAt, new Date());

/** Sweeps expired invitations (no scheduler needed: inviting does it on the way). */
export async function deleteExpiredInvitations(db: Db, now = new Date()): Promise<void> {
  await db.delete(maintainerInvitations).where(lte(maintainerInvitations.expiresAt, now));
}

/** Creates or renews the invitation of `userId` to the project, valid until `expiresAt`. */
export async function upsertInvitation(db: Db, projectId: number, userId: number, invitedById: number, now: Date, expiresAt: Date): Promise<Invitation> {
  const [row] = await db.insert(maintainerInvitations)
    .values({ projectId, userId, invitedById, expiresAt, createdAt: now })
    .onConflictDoUpdate({ target: [maintainerInvitations.projectId, maintainerInvitations.userId], set: { invitedById, expiresAt, createdAt: now } })
    .returning({ id: maintainerInvitations.id });
  return (await findInvitation(db, row!.id))!;
}

async function findInvitation(db: Db, id: number): Promise<Invitation | null> {
  const [row] = await db.select(columns).from(maintainerInvitations)
    .innerJoin(users, eq(users.id, maintainerInvitations.userId))
    .leftJoin(inviter, eq(inviter.id, maintainerInvitations.invitedById))
    .where(and(eq(maintainerInvitations.id, id), pending()));
  return row ?? null;
}

/** A project's pending invitations, by username. */
export async function projectInvitations(db: Db, projectId: number): Promise<Invitation[]> {
  return db.select(columns).from(maintainerInvitations)
    .innerJoin(users, eq(users.id, maintainerInvitations.userId))
    .leftJoin(inviter, eq(inviter.id, maintainerInvitations.invitedById))
    .where(and(eq(maintainerInvitations.projectId, projectId), pending()))
    .orderBy(asc(users.username));
}

/** A user's pending invitations, with the projects they are for. */
export async function userInvitations(db: Db, userId: number): Promise<Array<Invitation & { project: Project }>> {
  const rows = await db.select({ ...columns, project: projects }).from(maintainerInvitations)
    .innerJoin(users, eq(users.id, maintainerInvitations.userId))
    .innerJoin(projects, eq(projects.id, maintainerInvitations.projectId))
    .leftJoin(inviter, eq(inviter.id, maintainerInvitations.invitedById))
    .where(and(eq(maintainerInvitations.userId, userId), pending()))
    .orderBy(asc(projects.slug));
  return rows;
}

/** Withdraws the pending invitation of `userId` to the project; false when there is none. */
export async function revokeInvitation(db: Db, projectId: number, userId: number): Promise<boolean> {
  const rows = await db.delete(maintainerInvitations)
    .where(and(eq(maintainerInvitations.projectId, projectId), eq(maintainerInvitations.userId, userId)))
    .returning({ id: maintainerInvitations.id });
  return rows.length > 0;
}

/**
 * The invited user says yes: they become a maintainer and the invitation is gone, in one
 * transaction. Only the user it was sent to can accept it; for anyone else, or once expired
 * or revoked, null.
 */
export async function acceptInvitation(db: Db, invitationId: number, userId: number): Promise<Project | null> {
  return db.transaction(async (tx) => {
    const [taken] = await tx.delete(maintainerInvitations)
      .where(and(eq(maintainerInvitations.id, invitationId), eq(maintainerInvitations.userId, userId), pending()))
      .returning({ projectId: maintainerInvitations.projectId });
    if (!taken) return null;
    await tx.insert(projectMaintainers).values({ projectId: taken.projectId, userId }).onConflictDoNothing();
    const [project] = await tx.select().from(projects).where(eq(projects.id, taken.projectId));
    return project ?? null;
  });
}

/** The invited user says no; null when they have no such pending invitation, else the project. */
export async function declineInvitation(db: Db, invitationId: number, userId: number): Promise<Project | null> {
  const [taken] = await db.delete(maintainerInvitations)
    .where(and(eq(maintainerInvitations.id, invitationId), eq(maintainerInvitations.userId, userId), pending()))
    .returning({ projectId: maintainerInvitations.projectId });
  if (!taken) return null;
  const [project] = await db.select().from(projects).where(eq(projects.id, taken.projectId));
  return project ?? null;
}

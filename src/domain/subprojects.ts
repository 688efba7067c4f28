// Subprojects, as Read the Docs has them: another project of the same maintainer served under
// a parent's host at `/projects/<alias>/`, one level deep (a parent is no one's child, a
// child has no children and one parent). Readers see a public parent's public children; only
// the parent's maintainers link and unlink, and only projects they maintain too.
import { DomainError } from '../core/domain-error.ts';
import { servingChanged } from '../core/changes.ts';
import { findProjectBySlug, isMaintainer, lockProjects } from '../db/projects.ts';
import type { Db } from '../db/database.ts';
import type { Project, User } from '../db/schema.ts';
import * as rows from '../db/subprojects.ts';
import type { SubprojectRow } from '../db/subprojects.ts';
import type { Actor, DomainContext } from './context.ts';
import { mayReadProject, readableProject } from './access.ts';

export type { SubprojectRow };

export interface SubprojectInput {
  /** The slug of the project to serve under the parent. */
  child: string;
  /** Its URL segment under the parent; the child's slug when empty or absent. */
  alias?: string;
}

export interface Page {
  limit: number;
  offset: number;
}

/** Read the Docs' alias: a Django slug field of at most 255 characters. */
const ALIAS = /^[-a-zA-Z0-9_]+$/;
export const ALIAS_MAX = 255;

/** The message Read the Docs gives for any child it will not take, so a missing project and someone else's read the same. */
const notValidChild = (slug: string) => new DomainError('child', `Project with slug=${slug} is not valid as subproject`);

/** Why `alias` cannot name a subproject, in Read the Docs' words; null when it can. */
export function aliasProblem(alias: string): string | null {
  if (alias.length > ALIAS_MAX) return `Ensure this field has no more than ${ALIAS_MAX} characters.`;
  if (!ALIAS.test(alias)) return 'Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.';
  return null;
}

/** A readable parent's subprojects whose child the actor may see, by child slug. */
export async function listSubprojects(ctx: DomainContext, actor: Actor, parentSlug: string, page: Page): Promise<{ parent: Project; count: number; rows: SubprojectRow[] }> {
  const { project } = await readableProject(ctx, actor, parentSlug);
  return { parent: project, ...(await rows.listSubprojects(ctx.db, project.id, actor?.id ?? null, page.limit, page.offset)) };
}

/** One subproject by alias; not_found when there is none or its child is hidden from the actor. */
export async function getSubproject(ctx: DomainContext, actor: Actor, parentSlug: string, alias: string): Promise<{ parent: Project; row: SubprojectRow }> {
  const { project } = await readableProject(ctx, actor, parentSlug);
  const row = await rows.findSubproject(ctx.db, project.id, alias);
  if (!row || !(await mayReadProject(ctx, actor, row.child))) throw new DomainError('alias', 'Not found.', 'not_found');
  return { parent: project, row };
}

/** The project a readable project is a subproject of, when the actor may see it; not_found otherwise. */
export async function getSuperproject(ctx: DomainContext, actor: Actor, slug: string): Promise<{ alias: string; parent: Project }> {
  const { project } = await readableProject(ctx, actor, slug);
  const link = await rows.superprojectOf(ctx.db, project.id);
  if (!link || !(await mayReadProject(ctx, actor, link.parent))) throw new DomainError('project', 'Not found.', 'not_found');
  return link;
}

/** The link of a project to the parent serving it, whatever the reader may see (the dashboard names the parent only to its maintainers). */
export async function parentLink(ctx: Pick<DomainContext, 'db'>, child: Project): Promise<{ alias: string; parent: Project } | null> {
  return rows.superprojectOf(ctx.db, child.id);
}

/**
 * Serves the project `input.child` (one the user maintains) under `parent` (which the caller
 * made sure the user maintains). Refusals, as Read the Docs words them: a child that is
 * missing, not the user's, the parent itself, or already in a parent–child link is "not
 * valid as subproject"; a taken alias; a parent that is itself a subproject ("nesting").
 */
export async function addSubproject(ctx: DomainContext, user: User, parent: Project, input: SubprojectInput): Promise<SubprojectRow> {
  const childSlug = input.child.trim();
  if (!childSlug) throw new DomainError('child', 'This field is required.');
  const child = await findProjectBySlug(ctx.db, childSlug);
  if (!child || child.id === parent.id || !(await isMaintainer(ctx.db, child.id, user.id))) throw notValidChild(childSlug);
  const alias = input.alias?.trim() || child.slug;
  const bad = aliasProblem(alias);
  if (bad) throw new DomainError('alias', bad);
  const row = await ctx.db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    // Both projects locked: two links made at once cannot nest or give a child two parents.
    await lockProjects(t, [parent.id, child.id]);
    const links = await rows.linksOf(t, [parent.id, child.id]);
    if (links.some((l) => l.childId === child.id || l.parentId === child.id)) throw notValidChild(childSlug);
    if (links.some((l) => l.parentId === parent.id && l.alias === alias)) throw new DomainError('alias', 'A subproject with this alias already exists');
    if (links.some((l) => l.childId === parent.id)) throw new DomainError('non_field_errors', 'Subproject nesting is not supported');
    await rows.insertSubproject(t, { parentId: parent.id, childId: child.id, alias });
    return (await rows.findSubproject(t, parent.id, alias))!;
  });
  servingChanged();
  return row;
}

/** Stops serving the subproject `alias` under `parent` (the project itself stays); not_found when there is none. */
export async function removeSubproject(ctx: DomainContext, parent: Project, alias: string): Promise<void> {
  if (!(await rows.removeSubproject(ctx.db, parent.id, alias))) throw new DomainError('alias', 'Not found.', 'not_found');
  servingChanged();
}


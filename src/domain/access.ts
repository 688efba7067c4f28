// Who may see and who may change a project, as Read the Docs decides it: a public project is
// readable by everyone, anonymous readers included; a private one only by its maintainers and
// is otherwise "not found" (never "forbidden": its existence does not leak). Changing a
// project, or reading its secrets, is for maintainers: a reader who can see the project gets
// "forbidden", one who cannot gets "not found".
import { findProjectBySlug, isMaintainer } from '../db/projects.ts';
import type { Project } from '../db/schema.ts';
import { DomainError } from '../core/domain-error.ts';
import type { Actor, DomainContext } from './context.ts';

export interface ProjectAccess {
  project: Project;
  /** The actor maintains the project (instance admins do not, unless they are maintainers). */
  maintainer: boolean;
}

const notFound = () => new DomainError('project', 'Not found.', 'not_found');

/** The project, for an actor who may read it (public, or maintained); not_found otherwise. */
export async function readableProject(ctx: Pick<DomainContext, 'db'>, actor: Actor, slug: string): Promise<ProjectAccess> {
  const project = await findProjectBySlug(ctx.db, slug);
  if (!project) throw notFound();
  const maintainer = actor ? await isMaintainer(ctx.db, project.id, actor.id) : false;
  if (!maintainer && project.privacyLevel !== 'public') throw notFound();
  return { project, maintainer };
}

/** The project, for one of its maintainers; forbidden for others who can read it, not_found for the rest. */
export async function maintainedProject(ctx: Pick<DomainContext, 'db'>, actor: Actor, slug: string): Promise<Project> {
  const access = await readableProject(ctx, actor, slug);
  if (!access.maintainer) throw new DomainError('project', 'You do not have permission to perform this action.', 'forbidden');
  return access.project;
}

/** Whether the actor may read a project named beside another (a parent, a main translation): readableProject's rule as a yes or no. */
export async function mayReadProject(ctx: Pick<DomainContext, 'db'>, actor: Actor, project: Project): Promise<boolean> {
  try {
    await readableProject(ctx, actor, project.slug);
    return true;
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'not_found') return false;
    throw err;
  }
}

// Translations: projects with the same documentation in another language, linked to a main
// project. Read the Docs' API lists them (readers see the public ones); Bindery also links and
// unlinks them (Read the Docs does it on its dashboard): one level deep, both projects the
// user's, languages different, one project per language in a group.
import { DomainError } from '../core/domain-error.ts';
import { servingChanged } from '../core/changes.ts';
import { findProjectBySlug, isMaintainer, lockProjects } from '../db/projects.ts';
import type { Db } from '../db/database.ts';
import type { Project, User } from '../db/schema.ts';
import * as rows from '../db/translations.ts';
import type { Actor, DomainContext } from './context.ts';
import { readableProject } from './access.ts';
import { type Page } from './subprojects.ts';
import { mayReadProject } from './access.ts';

/** A readable project's translations the actor may see, by slug. */
export async function listTranslations(ctx: DomainContext, actor: Actor, slug: string, page: Page): Promise<{ main: Project; count: number; rows: Project[] }> {
  const { project } = await readableProject(ctx, actor, slug);
  return { main: project, ...(await rows.listTranslations(ctx.db, project.id, actor?.id ?? null, page.limit, page.offset)) };
}

/** The project a project is a translation of, for the dashboard (named only to readers of it). */
export async function mainProjectOf(ctx: Pick<DomainContext, 'db'>, actor: Actor, translation: Project): Promise<{ main: Project; readable: boolean } | null> {
  if (translation.translationOfId === null) return null;
  const main = await rows.findMainProject(ctx.db, translation.translationOfId);
  return main ? { main, readable: await mayReadProject(ctx, actor, main) } : null;
}

/** Makes the project `slug` (one the user maintains) a translation of `main` (which the caller made sure the user maintains). */
export async function addTranslation(ctx: DomainContext, user: User, main: Project, slug: string): Promise<Project> {
  const wanted = slug.trim();
  if (!wanted) throw new DomainError('project', 'This field is required.');
  const other = await findProjectBySlug(ctx.db, wanted);
  // One answer whether the project is missing or someone else's: no existence leak.
  if (!other || !(await isMaintainer(ctx.db, other.id, user.id))) throw new DomainError('project', `no project "${wanted}" that you maintain`);
  if (other.id === main.id) throw new DomainError('project', 'a project cannot be a translation of itself');
  const row = await ctx.db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const locked = await lockProjects(t, [main.id, other.id]);
    const m = locked.find((p) => p.id === main.id);
    const translation = locked.find((p) => p.id === other.id);
    if (!m || !translation) throw new DomainError('project', 'the project was deleted meanwhile', 'conflict');
    if (m.translationOfId !== null) throw new DomainError('project', 'this project is itself a translation: translations cannot be nested');
    if (translation.translationOfId === m.id) throw new DomainError('project', `${translation.slug} is already a translation of this project`, 'conflict');
    if (translation.translationOfId !== null) throw new DomainError('project', `${translation.slug} is already a translation of another project`, 'conflict');
    const group = await rows.translationsOfAny(t, [m.id, translation.id]);
    if (group.some((p) => p.translationOfId === translation.id)) throw new DomainError('project', `${translation.slug} has translations of its own: translations cannot be nested`);
    if (translation.language === m.language) throw new DomainError('project', `${translation.slug} has the language of this project (${m.language}): a translation needs another language`);
    const clash = group.find((p) => p.language === translation.language);
    if (clash) throw new DomainError('project', `${clash.slug} is already the ${translation.language} translation of this project`, 'conflict');
    return rows.setTranslationOf(t, translation.id, m.id);
  });
  servingChanged();
  return row;
}

/** Unlinks the translation `slug` of `main` (the project itself stays); not_found when it is not one. */
export async function removeTranslation(ctx: DomainContext, main: Project, slug: string): Promise<void> {
  const other = await findProjectBySlug(ctx.db, slug);
  if (!other || !(await rows.removeTranslation(ctx.db, main.id, other.id))) throw new DomainError('project', 'Not found.', 'not_found');
  servingChanged();
}

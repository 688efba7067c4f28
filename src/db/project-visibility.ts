// Which project rows a reader may see, as a condition for list queries: public projects to
// everyone, private ones to their maintainers (src/domain/access.ts decides it for one project).
import { eq, exists, or, sql, type SQL } from 'drizzle-orm';
import { projectMaintainers, projects } from './schema.ts';

/** Public projects, and private ones `userId` maintains (null, an anonymous reader: public ones only). */
export function projectVisibleTo(userId: number | null): SQL {
  const open = eq(projects.privacyLevel, 'public');
  if (userId === null) return open;
  return or(open, exists(sql`(select 1 from ${projectMaintainers} where ${projectMaintainers.projectId} = ${projects.id} and ${projectMaintainers.userId} = ${userId})`))!;
}

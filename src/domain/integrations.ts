// Incoming webhook integrations of a project (GitHub, GitLab, Bitbucket, generic): each with a
// generated secret and the URL its provider posts to. Settings only, for maintainers; the
// receivers that take the deliveries are src/web/webhooks/.
import { DomainError } from '../core/domain-error.ts';
import { PROVIDERS, createIntegration, deleteIntegration, findIntegration, listIntegrations, type Provider } from '../db/integrations.ts';
import type { Integration, Project } from '../db/schema.ts';
import type { DomainContext } from './context.ts';

export { PROVIDERS, type Provider };

/** Where a provider sends the deliveries of an integration. */
export function integrationWebhookUrl(publicUrl: string, slug: string, id: number): string {
  return `${publicUrl}/api/v2/webhook/${slug}/${id}/`;
}

/** Adds an integration of `type` with a fresh secret; refused naming `type` for an unknown provider. */
export async function addIntegration(ctx: DomainContext, project: Project, type: string): Promise<Integration> {
  if (!(PROVIDERS as readonly string[]).includes(type)) throw new DomainError('type', `"${type}" is not a valid choice: the provider is one of ${PROVIDERS.join(', ')}`);
  return createIntegration(ctx.db, project.id, type as Provider);
}

/** A project's integrations, oldest first. */
export async function integrationsOf(ctx: Pick<DomainContext, 'db'>, project: Project): Promise<Integration[]> {
  return listIntegrations(ctx.db, project.id);
}

/** One integration of the project; not_found when it has none by that id. */
export async function getIntegration(ctx: Pick<DomainContext, 'db'>, project: Project, id: number): Promise<Integration> {
  const integration = await findIntegration(ctx.db, project.id, id);
  if (!integration) throw new DomainError('integration', 'Not found.', 'not_found');
  return integration;
}

/** Deletes an integration: its webhook URL stops working. */
export async function removeIntegration(ctx: DomainContext, project: Project, id: number): Promise<void> {
  if (!(await deleteIntegration(ctx.db, project.id, id))) throw new DomainError('integration', 'Not found.', 'not_found');
}

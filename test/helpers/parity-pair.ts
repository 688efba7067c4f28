// What a settings area's parity test starts from: a test app, one user on both adapters (see
// parity.ts) and two projects of that user, one written through the API and one through the
// dashboard, so what each stored can be compared row for row.
import { importProject } from './api-client.ts';
import { makeGitRepo, type GitRepo } from './git-repo.ts';
import { twin, type Twin } from './parity.ts';
import { testApp, type TestApp } from './test-app.ts';
import { findProjectBySlug } from '../../src/db/projects.ts';
import type { Project } from '../../src/db/schema.ts';

export interface ParityPair {
  app: TestApp;
  owner: Twin;
  /** The project written through the API. */
  viaApi: string;
  /** The project written through the dashboard. */
  viaPage: string;
  project(slug: string): Promise<Project>;
  close(): Promise<void>;
}

export async function parityPair(area: string): Promise<ParityPair> {
  const app = await testApp({ builder: false });
  const repo: GitRepo = makeGitRepo({ files: { 'docs/index.md': '# Home\n' } });
  const owner = await twin(app, `owner-${area}`);
  const viaApi = await importProject(owner.api, `${area} by API`, repo.url);
  const viaPage = await importProject(owner.api, `${area} by page`, repo.url);
  return {
    app, owner, viaApi, viaPage,
    project: async (slug) => (await findProjectBySlug(app.database.db, slug))!,
    close: async () => {
      await app.close();
      repo.remove();
    },
  };
}

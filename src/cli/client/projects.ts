// `bindery projects`, `bindery project create`, `bindery versions`: the project side of
// API v3, as tables (or the API's JSON with --json).
import type { Api } from './api.ts';
import type { Args } from './args.ts';
import { note, print, printJson, shortRef, table, yesNo } from './output.ts';
import type { Project, Version } from './types.ts';

export const projectPath = (slug: string) => `projects/${encodeURIComponent(slug)}/`;

export async function listProjects(api: Api, args: Args): Promise<number> {
  const page = await api.listAll<Project>('projects/');
  if (args.flags.has('--json')) printJson(page);
  else if (page.results.length === 0) note('No projects yet: bindery project create <name> <repository-url>');
  else print(table(['SLUG', 'NAME', 'REPOSITORY', 'DOCUMENTATION'], page.results.map((p) => [p.slug, p.name, p.repository.url, p.urls.documentation])));
  return 0;
}

export async function createProject(api: Api, args: Args): Promise<number> {
  const [name, repoUrl] = args.positionals as [string, string];
  const body: Record<string, unknown> = { name, repository: { url: repoUrl, type: 'git' } };
  if (args.values.has('--default-branch')) body.default_branch = args.values.get('--default-branch');
  const project = await api.request<Project>('POST', 'projects/', body);
  if (args.flags.has('--json')) printJson(project);
  else {
    print(project.slug);
    note(`Created project ${project.slug} from ${project.repository.url}; its active versions are building (bindery builds ${project.slug}).`);
    note(`Documentation: ${project.urls.documentation}`);
  }
  return 0;
}

export async function listVersions(api: Api, args: Args): Promise<number> {
  const page = await api.listAll<Version>(`${projectPath(args.positionals[0]!)}versions/`);
  if (args.flags.has('--json')) printJson(page);
  else {
    print(table(['SLUG', 'TYPE', 'ACTIVE', 'BUILT', 'REF', 'DOCUMENTATION'], page.results.map((v) => [v.slug, v.type, yesNo(v.active), yesNo(v.built), shortRef(v.ref ?? v.identifier), v.urls.documentation])));
  }
  return 0;
}

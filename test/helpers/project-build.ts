// buildRepository(): imports a fresh git repository with these files through API v3 and waits
// for its first build; returns the build, its log as text and what reached storage.
import assert from 'node:assert/strict';
import { makeGitRepo, type GitRepo } from './git-repo.ts';
import type { TestApp } from './test-app.ts';

export async function buildRepository(app: TestApp, repos: GitRepo[], name: string, files: Record<string, string>, timeoutMs = 120_000) {
  const repo = makeGitRepo({ files });
  repos.push(repo);
  const res = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name, repository: { url: repo.url } } });
  assert.equal(res.statusCode, 201, res.body);
  const slug = res.json().slug as string;
  const list = (await app.web.inject({ url: `/api/v3/projects/${slug}/builds/`, headers: app.auth })).json();
  const build = await app.waitForBuild(list.results[0].id, timeoutMs);
  const detail = (await app.web.inject({ url: `/api/v3/projects/${slug}/builds/${build.id}/`, headers: app.auth })).json();
  const stored = await app.storage.list(`${slug}/`);
  return { build, slug, stored, log: (detail.log as Array<{ line: string }>).map((l) => l.line).join('\n') };
}

/** A `.readthedocs.yaml` whose build is these `build.commands`. */
export const commandsConfig = (...lines: string[]) => ['version: 2', 'build:', '  os: ubuntu-24.04', '  commands:', ...lines.map((c) => `    - ${JSON.stringify(c)}`), ''].join('\n');

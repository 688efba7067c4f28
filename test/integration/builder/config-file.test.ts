// The configuration file through a real build: the project's readthedocs_yaml_path is the file
// read (not the root one), a missing one fails as on Read the Docs, and a path a pre_build job
// creates (sphinx.configuration) is only required once that job has run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { projects } from '../../../src/db/schema.ts';

let app: TestApp;
const repos: GitRepo[] = [];

before(async () => {
  app = await testApp();
});
after(async () => {
  await app.close();
  for (const repo of repos) repo.remove();
});

/** Imports a repository, sets readthedocs_yaml_path in the database (as the setting stores it), builds `latest`. */
async function build(name: string, files: Record<string, string>, yamlPath: string | null) {
  const repo = makeGitRepo({ files });
  repos.push(repo);
  const created = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name, repository: { url: repo.url } } });
  assert.equal(created.statusCode, 201, created.body);
  const slug = created.json().slug as string;
  await app.database.db.update(projects).set({ readthedocsYamlPath: yamlPath }).where(eq(projects.slug, slug));
  // The import queued a build before the setting existed: build again with it.
  const trigger = await app.web.inject({ method: 'POST', url: `/api/v3/projects/${slug}/versions/latest/builds/`, headers: app.auth });
  assert.equal(trigger.statusCode, 202, trigger.body);
  const done = await app.waitForBuild(trigger.json().build.id, 120_000);
  const detail = (await app.web.inject({ url: `/api/v3/projects/${slug}/builds/${done.id}/`, headers: app.auth })).json();
  const page = async (path: string) => (await app.docs.inject({ url: path, headers: { host: `${slug}.docs.localhost` } })).body;
  return { slug, build: done, page, log: (detail.log as Array<{ line: string }>).map((l) => l.line).join('\n') };
}

const commands = (marker: string) =>
  ['version: 2', 'build:', '  os: ubuntu-24.04', '  commands:', `    - mkdir -p $READTHEDOCS_OUTPUT/html && echo '<p>${marker}</p>' > $READTHEDOCS_OUTPUT/html/index.html`, ''].join('\n');

test('readthedocs_yaml_path: the build reads docs/.readthedocs.yaml, not the file at the root', async () => {
  const { build: b, page, log } = await build('Yaml Path', { '.readthedocs.yaml': commands('from-the-root'), 'docs/.readthedocs.yaml': commands('from-docs') }, 'docs/.readthedocs.yaml');
  assert.equal(b.state, 'finished', `${b.error}\n${log}`);
  assert.equal(b.success, true, `${b.error}\n${log}`);
  assert.match(log, /using the configuration in docs\/\.readthedocs\.yaml/);
  const html = await page('/en/latest/');
  assert.match(html, /from-docs/);
  assert.doesNotMatch(html, /from-the-root/);
});

test('readthedocs_yaml_path naming a missing file fails the build (no fallback to the root file)', async () => {
  const { build: b, log } = await build('Yaml Path Missing', { '.readthedocs.yaml': commands('from-the-root') }, 'docs/.readthedocs.yaml');
  assert.equal(b.state, 'finished');
  assert.equal(b.success, false);
  assert.equal(b.errorCode, 'config-invalid');
  assert.match(b.error ?? '', /Configuration file not found in docs\/\.readthedocs\.yaml/);
  assert.doesNotMatch(log, /from-the-root/);
});

test('readthedocs_yaml_path climbing out of the checkout is refused by the builder', async () => {
  const { build: b } = await build('Yaml Path Escape', { '.readthedocs.yaml': commands('x') }, '../../etc/passwd');
  assert.equal(b.success, false);
  assert.equal(b.errorCode, 'config-invalid');
  assert.match(b.error ?? '', /readthedocs_yaml_path "\.\.\/\.\.\/etc\/passwd" is not the path of a file in the repository: the path points outside the repository/);
});

test('sphinx.configuration written by a pre_build job is accepted, and used', async () => {
  const yaml = [
    'version: 2',
    'build:',
    '  os: ubuntu-24.04',
    '  tools: {python: "3.12"}',
    '  jobs:',
    '    pre_build:',
    '      - mkdir -p docs/generated && printf "project = \'Generated\'\\nmaster_doc = \'index\'\\n" > docs/generated/conf.py && cp docs/index.rst docs/generated/',
    'sphinx:',
    '  configuration: docs/generated/conf.py',
    '',
  ].join('\n');
  const { build: b, page, log } = await build('Generated Conf', { '.readthedocs.yaml': yaml, 'docs/index.rst': 'Generated Title\n===============\n\nMade by a job.\n' }, null);
  assert.equal(b.success, true, `${b.error}\n${log}`);
  assert.match(await page('/en/latest/'), /Made by a job\./);
});

test('a configuration path nothing creates fails when it is needed, named by its key', async () => {
  const yaml = ['version: 2', 'build:', '  os: ubuntu-24.04', '  tools: {python: "3.12"}', 'sphinx:', '  configuration: docs/conf.py', ''].join('\n');
  const { build: b, log } = await build('Missing Conf', { '.readthedocs.yaml': yaml, 'README.md': '# x\n' }, null);
  assert.equal(b.success, false);
  assert.equal(b.errorCode, 'config-invalid');
  assert.match(b.error ?? '', /^sphinx\.configuration: the path "docs\/conf\.py" does not exist in the repository/);
  assert.doesNotMatch(log, /-m sphinx/, 'Sphinx did not run');
});

test('a requirements file nothing creates fails before pip runs, named by its key', async () => {
  const yaml = ['version: 2', 'build:', '  os: ubuntu-24.04', '  tools: {python: "3.12"}', '  jobs:', '    pre_install: ["echo not making it"]', 'python:', '  install:', '    - requirements: docs/requirements.txt', ''].join('\n');
  const { build: b, log } = await build('Missing Requirements', { '.readthedocs.yaml': yaml, 'docs/index.md': '# x\n' }, null);
  assert.equal(b.success, false);
  assert.equal(b.errorCode, 'config-invalid');
  assert.match(b.error ?? '', /^python\.install\[0\]\.requirements: the path "docs\/requirements\.txt" does not exist in the repository \(nor did a build job create it before the install\)/);
  assert.match(log, /not making it/, 'the pre_install job ran first');
  assert.doesNotMatch(log, /-m pip install/, 'pip did not run');
});

// Real fixture projects built by real tools — Debian's Sphinx and MkDocs, build.commands,
// build.jobs — through the whole path (API → queue → builder → storage → docs server).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { environmentVariables } from '../../src/db/schema.ts';
import { findProjectBySlug } from '../../src/db/projects.ts';

let app: TestApp;
const repos: GitRepo[] = [];

before(async () => {
  app = await testApp();
});
after(async () => {
  await app.close();
  for (const repo of repos) repo.remove();
});

/** Imports a repository and waits for its `latest` build; returns the build detail. */
async function importAndBuild(name: string, files: Record<string, string>, env: Array<{ name: string; value: string; public?: boolean }> = []) {
  const repo = makeGitRepo({ files });
  repos.push(repo);
  const created = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name, repository: { url: repo.url } } });
  assert.equal(created.statusCode, 201, created.body);
  const slug = created.json().slug as string;
  if (env.length) {
    const project = (await findProjectBySlug(app.database.db, slug))!;
    await app.database.db.insert(environmentVariables).values(env.map((e) => ({ projectId: project.id, name: e.name, value: e.value, public: e.public ?? false })));
  }
  // The import queued a build before the variables existed: build again with them.
  const trigger = await app.web.inject({ method: 'POST', url: `/api/v3/projects/${slug}/versions/latest/builds/`, headers: app.auth });
  assert.equal(trigger.statusCode, 202, trigger.body);
  const build = await app.waitForBuild(trigger.json().build.id, 120_000);
  const detail = (await app.web.inject({ url: `/api/v3/projects/${slug}/builds/${build.id}/`, headers: app.auth })).json();
  return { slug, build, detail, log: (detail.log as Array<{ line: string }>).map((l) => l.line).join('\n') };
}

async function page(slug: string, path: string) {
  return app.docs.inject({ url: path, headers: { host: `${slug}.docs.localhost` } });
}

test('a Sphinx project (conf.py, toctree, a code block) is built by Sphinx and served', async () => {
  const { slug, build, detail, log } = await importAndBuild('Sphinx Demo', {
    '.readthedocs.yaml': 'version: 2\nbuild:\n  os: ubuntu-24.04\n  tools:\n    python: "3.12"\nsphinx:\n  configuration: docs/conf.py\nformats:\n  - htmlzip\n  - epub\n',
    'docs/conf.py': 'project = "Sphinx Demo"\nextensions = []\nhtml_theme = "alabaster"\n',
    'docs/index.rst': 'Sphinx Demo\n===========\n\n.. toctree::\n\n   usage\n\nWelcome to the *demo*.\n',
    'docs/usage.rst': 'Usage\n=====\n\n.. code-block:: python\n\n   def hello():\n       return "world"\n',
  });
  assert.equal(build.state, 'finished', `${build.error}\n${log}`);
  assert.ok(detail.steps.some((s: { command: string }) => /-m sphinx -T -b html/.test(s.command)), 'Sphinx ran');
  const index = await page(slug, '/en/latest/');
  assert.equal(index.statusCode, 200);
  assert.match(index.body, /Welcome to the <em>demo<\/em>/);
  assert.match(index.body, /href="usage.html"/, 'the toctree links the page');
  const usage = await page(slug, '/en/latest/usage.html');
  assert.match(usage.body, /<div class="highlight-python/, 'the code block is highlighted');
  assert.deepEqual([...build.formats].sort(), ['epub', 'htmlzip']);
  assert.ok(await app.storage.exists(`${slug}/latest/${build.id}/htmlzip/${slug}.zip`));
  assert.ok(await app.storage.exists(`${slug}/latest/${build.id}/epub/${slug}.epub`));
});

test('an MkDocs project is built by real MkDocs', async () => {
  const { slug, build, log } = await importAndBuild('MkDocs Demo', {
    '.readthedocs.yaml': 'version: 2\nbuild:\n  os: ubuntu-24.04\n  tools:\n    python: "3.12"\nmkdocs:\n  configuration: mkdocs.yml\n',
    'mkdocs.yml': 'site_name: MkDocs Demo\nnav:\n  - Home: index.md\n  - Guide: guide.md\n',
    'docs/index.md': '# MkDocs Demo\n\nBuilt by *MkDocs*.\n',
    'docs/guide.md': '# Guide\n\nA guide.\n',
  });
  assert.equal(build.state, 'finished', `${build.error}\n${log}`);
  const index = await page(slug, '/en/latest/');
  assert.equal(index.statusCode, 200);
  assert.match(index.body, /<link href="css\/base.css" rel="stylesheet">/, "the page comes from MkDocs' own theme");
  assert.match(index.body, /Built by <em>MkDocs<\/em>/);
  assert.equal((await page(slug, '/en/latest/guide/')).statusCode, 200);
});

test('build.commands replaces the build and sees the Read the Docs environment; secrets are masked', async () => {
  const { slug, build, log } = await importAndBuild('Commands Demo', {
    '.readthedocs.yaml': [
      'version: 2',
      'build:',
      '  os: ubuntu-24.04',
      '  commands:',
      '    - mkdir -p $READTHEDOCS_OUTPUT/html',
      '    - echo "<h1>$READTHEDOCS_PROJECT $READTHEDOCS_VERSION $READTHEDOCS_VERSION_TYPE $READTHEDOCS_LANGUAGE</h1><p>$PUBLIC_NOTE</p>" > $READTHEDOCS_OUTPUT/html/index.html',
      '    - echo "the token is $API_TOKEN"',
      '    - echo "commit $READTHEDOCS_GIT_COMMIT_HASH"',
      '',
    ].join('\n'),
  }, [{ name: 'API_TOKEN', value: 's3cr3t-value-42' }, { name: 'PUBLIC_NOTE', value: 'hello-public', public: true }]);
  assert.equal(build.state, 'finished', `${build.error}\n${log}`);
  assert.doesNotMatch(log, /s3cr3t-value-42/, 'the secret never reaches the log');
  assert.match(log, /the token is \*\*\*/);
  assert.match(log, new RegExp(`commit ${build.commit}`));
  const index = await page(slug, '/en/latest/');
  assert.match(index.body, /<h1>commands-demo latest branch en<\/h1><p>hello-public<\/p>/);
});

test('build.jobs run around the builtin build', async () => {
  const { slug, build, log } = await importAndBuild('Jobs Demo', {
    '.readthedocs.yaml': 'version: 2\nbuild:\n  os: ubuntu-24.04\n  tools:\n    python: "3.12"\n  jobs:\n    post_checkout:\n      - printf "# Generated\\n\\nMade by a job.\\n" > docs/generated.md\n    post_build:\n      - echo "post build ran, html at $READTHEDOCS_OUTPUT/html"\n',
    'docs/index.md': '# Jobs\n\nSee [generated](generated.md).\n',
  });
  assert.equal(build.state, 'finished', `${build.error}\n${log}`);
  assert.match(log, /post build ran, html at /);
  const generated = await page(slug, '/en/latest/generated/');
  assert.equal(generated.statusCode, 200);
  assert.match(generated.body, /Made by a job\./);
});

test('an invalid configuration fails the build with every problem named', async () => {
  const { build } = await importAndBuild('Bad Config', {
    '.readthedocs.yaml': 'version: 2\nbuild:\n  os: windows-11\n  tools:\n    python: "3.12"\nsphinx:\n  builder: pdf\n  fail_on_warning: "yes"\n',
    'docs/index.md': '# x\n',
  });
  assert.equal(build.state, 'finished');
  assert.equal(build.success, false);
  assert.equal(build.errorCode, 'config-invalid');
  assert.match(build.error ?? '', /build\.os/);
  assert.match(build.error ?? '', /windows-11/);
  assert.match(build.error ?? '', /sphinx\.builder/);
  assert.match(build.error ?? '', /sphinx\.fail_on_warning/);
});

test('a symlink to /etc/passwd in the output fails the build and nothing is served', async () => {
  const { slug, build } = await importAndBuild('Symlink Output', {
    '.readthedocs.yaml': 'version: 2\nbuild:\n  os: ubuntu-24.04\n  commands:\n    - mkdir -p $READTHEDOCS_OUTPUT/html\n    - echo hi > $READTHEDOCS_OUTPUT/html/index.html\n    - ln -s /etc/passwd $READTHEDOCS_OUTPUT/html/passwd.html\n',
  });
  assert.equal(build.state, 'finished');
  assert.equal(build.success, false);
  assert.equal(build.errorCode, 'output-symlink');
  assert.match(build.error ?? '', /passwd\.html/);
  assert.equal((await page(slug, '/en/latest/passwd.html')).statusCode, 404);
  assert.equal((await app.storage.list(`${slug}/latest/${build.id}`)).length, 0, 'nothing was uploaded');
});

test('python.install runs pip; without a reachable index the build fails saying so', async () => {
  const { build, detail } = await importAndBuild('Pip Demo', {
    '.readthedocs.yaml': 'version: 2\nbuild:\n  os: ubuntu-24.04\n  tools:\n    python: "3.12"\npython:\n  install:\n    - requirements: docs/requirements.txt\n',
    'docs/requirements.txt': 'bindery-no-such-package-xyz==1.0\n',
    'docs/index.md': '# x\n',
  });
  assert.equal(build.state, 'finished');
  assert.equal(build.success, false);
  assert.equal(build.errorCode, 'python-install-failed');
  assert.match(build.error ?? '', /pip install .*-r docs\/requirements\.txt/);
  assert.match(build.error ?? '', /reachable package index/);
  assert.equal(detail.state.code, 'finished');
  assert.equal(detail.success, false);
});

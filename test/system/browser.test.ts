// The maintainer's journey in a real browser (Debian's Chromium through playwright-core)
// against a real `bindery serve`: sign up → import → watch the build log stream to the
// end → read the docs → make the version private (anonymous readers get 404) → create an
// API token. Every page is checked with axe-core; screenshots go to test-artifacts/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { freePort, killAll, startBindery } from '../helpers/processes.ts';
import { testDatabase, type TestDatabase } from '../helpers/test-db.ts';

const ARTIFACTS = path.resolve('test-artifacts/browser');
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-browser-'));
let browser: Browser;
let repo: GitRepo;
let database: TestDatabase | null = null;
let base = '';
let port = 0;

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  port = await freePort();
  base = `http://localhost:${port}`;
  let databaseUrl = '';
  if (process.env.DATABASE_URL) {
    database = await testDatabase();
    databaseUrl = database.url!;
  }
  const server = startBindery(['serve', '--port', String(port), '--data-dir', path.join(work, 'data')], { DATABASE_URL: databaseUrl, ALLOW_LOCAL_REPOSITORIES: 'true', LOG_LEVEL: 'warn', PUBLIC_URL: base }, work);
  await server.waitFor(/Bindery is running/, 60_000);
  repo = makeGitRepo({
    files: {
      '.readthedocs.yaml': 'version: 2\nbuild:\n  os: ubuntu-24.04\n  tools:\n    python: "3.12"\n  jobs:\n    post_checkout:\n      - echo "preparing the docs"; sleep 2; echo "prepared"\n',
      'docs/index.md': '# Journey Docs\n\nThe page a reader opens.\n',
    },
  });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  killAll();
  await database?.drop();
  repo?.remove();
  fs.rmSync(work, { recursive: true, force: true });
});

/** No serious or critical accessibility violations on the page. */
async function checkA11y(page: Page, name: string): Promise<void> {
  // Evaluated through the devtools protocol, which the page's CSP (rightly) does not allow inline.
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await (globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe.run({ resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
  });
  assert.deepEqual(violations, [], `accessibility problems on ${name}`);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

test('sign up, import, watch the build, read the docs, go private, create a token', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  // Every resource a page asks for exists (the favicon excepted: none is offered).
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico') && r.request().resourceType() !== 'document') errors.push(`${r.status()} ${r.url()}`);
  });

  await page.goto(`${base}/accounts/signup/`);
  await checkA11y(page, '01-signup');
  await page.getByLabel('Username').fill('journey');
  await page.getByLabel('Email').fill('journey@example.com');
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/dashboard\//);
  await checkA11y(page, '02-dashboard');

  await page.getByRole('link', { name: 'Import a project' }).first().click();
  await page.getByLabel('Name').fill('Journey');
  await page.getByLabel('Repository URL').fill(repo.dir);
  await page.getByRole('button', { name: 'Import' }).click();
  await page.waitForURL(/\/projects\/journey\/builds\/\d+\//);
  // The log streams in while the build runs, then the page shows the finished build.
  await page.locator('pre.log').getByText('preparing the docs').waitFor({ timeout: 30_000 });
  await page.locator('[data-build-state="finished"]').waitFor({ timeout: 60_000 });
  assert.match(await page.locator('pre.log').innerText(), /prepared/);
  await checkA11y(page, '03-build');

  const docsLink = page.getByRole('link', { name: /journey\.docs\.localhost/ });
  const href = await docsLink.getAttribute('href');
  assert.equal(href, `http://journey.docs.localhost:${port}/en/latest/`);
  await docsLink.click();
  await page.getByRole('heading', { name: 'Journey Docs' }).waitFor();
  assert.match(await page.content(), /The page a reader opens\./);
  await page.screenshot({ path: path.join(ARTIFACTS, '04-docs.png') });

  await page.goto(`${base}/projects/journey/versions/`);
  await checkA11y(page, '05-versions');
  const row = page.locator('tr', { has: page.getByText('latest', { exact: true }) });
  await row.getByLabel('Privacy').selectOption('private');
  await row.getByRole('button', { name: 'Save latest' }).click();
  await page.getByText('Saved latest.').waitFor();
  const anonymous = await browser.newContext();
  const reader = await anonymous.newPage();
  const response = await reader.goto(`http://journey.docs.localhost:${port}/en/latest/`);
  assert.equal(response?.status(), 404, 'an anonymous reader gets 404 for a private version, at once');
  await anonymous.close();

  await page.goto(`${base}/accounts/tokens/`);
  await page.getByLabel('Name').fill('ci');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.locator('#new-token').innerText()).trim();
  assert.match(token, /^bdy_/);
  await checkA11y(page, '06-tokens');
  const api = await fetch(`${base}/api/v3/projects/`, { headers: { authorization: `Token ${token}` } });
  assert.equal(api.status, 200);
  assert.equal(((await api.json()) as { count: number }).count, 1);
  assert.deepEqual(errors, [], 'no console errors (CSP violations show up here) and no missing resources');
  await context.close();
});

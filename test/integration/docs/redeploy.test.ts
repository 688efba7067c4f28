// Deploys 20 new builds of a version, collecting old ones as it goes, while clients read
// pages in a loop: every answer must be 200 and exactly one build's complete page, never a
// 404, a truncated file or a step back to an older build. Run twice: with a long resolution
// TTL and no file cache (a reader's cached build is collected under it: the server must
// look again), and with both caches on and a short TTL (as in production).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectOldBuilds } from '../../../src/db/deploys.ts';
import type { Project, Version } from '../../../src/db/schema.ts';
import { invalidate } from '../../../src/docs/cache.ts';
import { docsFixture, type DocsFixture } from '../../helpers/docs-fixture.ts';
import { get } from '../../helpers/http.ts';

const PAGES = ['index.html', 'a.html', 'deep/b.html'];
const url = (page: string) => `/en/latest/${page === 'index.html' ? '' : page}`;
// Large enough to take several reads, so a file swapped or cut mid-stream would show.
const content = (k: number, page: string) => `<!-- build ${k} -->\n${`<p>build ${k}, page ${page}</p>\n`.repeat(3000)}`;
const files = (k: number) => Object.fromEntries(PAGES.map((p) => [p, content(k, p)]));

async function scenario(options: { cacheTtlMs: number; fileCacheBytes?: number }): Promise<void> {
  const f: DocsFixture = await docsFixture(options);
  const project: Project = await f.project('guide');
  const version: Version = await f.version(project, 'latest');
  await f.deploy(project, version, files(0));
  await f.listen();
  try {
    await readWhileDeploying(f, project, version);
  } finally {
    await f.close();
  }
}

async function readWhileDeploying(f: DocsFixture, project: Project, version: Version): Promise<void> {
  let deploying = true;
  const seen = new Set<number>();
  const problems: string[] = [];
  let reads = 0;

  const reader = async (id: number) => {
    let last = -1;
    for (let i = 0; deploying || i < 5; i++) {
      const page = PAGES[(i + id) % PAGES.length]!;
      const res = await get(f.port, 'guide.docs.localhost', url(page));
      reads++;
      const k = Number(/^<!-- build (\d+) -->/.exec(res.body)?.[1] ?? -1);
      if (res.status !== 200) problems.push(`reader ${id}: ${url(page)} → ${res.status}`);
      else if (k < 0 || res.body !== content(k, page)) problems.push(`reader ${id}: ${url(page)} → not one build's complete page (${res.body.length} bytes)`);
      else if (k < last) problems.push(`reader ${id}: build ${k} after build ${last}`);
      else {
        last = k;
        seen.add(k);
      }
      if (problems.length > 10) return;
    }
  };

  const deployer = async () => {
    for (let k = 1; k <= 20; k++) {
      await f.deploy(project, version, files(k));
      await collectOldBuilds(f.database.db, f.storage, version.id, 3);
      await new Promise((r) => setTimeout(r, 15));
    }
    deploying = false;
  };

  await Promise.all([deployer(), reader(0), reader(1), reader(2), reader(3)]);
  assert.deepEqual(problems, []);
  assert.ok(reads > 100, `readers read ${reads} pages`);
  assert.ok(seen.size >= 3, `readers went through builds ${[...seen].join(', ')}: they must follow the deploys`);

  // Once the cache is dropped (as after a deploy in this process), the newest build is served.
  invalidate();
  const res = await get(f.port, 'guide.docs.localhost', '/en/latest/');
  assert.equal(res.body, content(20, 'index.html'));
}

test('20 deploys under readers, long TTL, no file cache: a collected cached build makes the server look again', () =>
  scenario({ cacheTtlMs: 60_000, fileCacheBytes: 0 }));

test('20 deploys under readers, both caches on, short TTL: readers follow the deploys', () =>
  scenario({ cacheTtlMs: 100 }));

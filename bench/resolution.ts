// How long the docs server takes to resolve host + version to a live build with 10,000
// projects and 100,000 versions (each with a live build) in the database: through the
// database (cache off) and from the in-memory cache.
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/database.ts';
import { Resolver } from '../src/docs/resolver.ts';

export const PROJECTS = 10_000;
export const VERSIONS_PER_PROJECT = 10;

export interface ResolutionResult {
  seedSeconds: number;
  uncached: { samples: number; p50Us: number; p99Us: number; meanUs: number };
  cached: { samples: number; p50Us: number; p99Us: number; meanUs: number };
}

/** Projects p1…p10000, each with versions v1…v10, each version with a finished live build. */
export async function seed(db: Db): Promise<number> {
  const started = performance.now();
  const statements = [
    `INSERT INTO projects (slug, name, repo_url)
       SELECT 'p' || i, 'Project ' || i, 'https://example.com/p' || i || '.git' FROM generate_series(1, ${PROJECTS}) AS i`,
    `INSERT INTO versions (project_id, slug, verbose_name, type, identifier, active, built)
       SELECT p.id, 'v' || j, 'v' || j, 'branch', 'v' || j, true, true FROM projects p, generate_series(1, ${VERSIONS_PER_PROJECT}) AS j`,
    `INSERT INTO builds (project_id, version_id, state, success, trigger, finished_at)
       SELECT project_id, id, 'finished', true, 'api', now() FROM versions`,
    'UPDATE versions SET live_build_id = b.id FROM builds b WHERE b.version_id = versions.id',
    'ANALYZE',
  ];
  for (const statement of statements) await db.execute(sql.raw(statement));
  return (performance.now() - started) / 1000;
}

function stats(samplesNs: number[]): { samples: number; p50Us: number; p99Us: number; meanUs: number } {
  const sorted = [...samplesNs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 1000;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { samples: sorted.length, p50Us: round(at(0.5)), p99Us: round(at(0.99)), meanUs: round(sorted.reduce((a, b) => a + b, 0) / sorted.length / 1000) };
}

/** One resolution as a request makes it: host → site, then the version's live build. */
async function resolveOnce(resolver: Resolver, project: number, version: number): Promise<void> {
  const site = await resolver.site(`p${project}.docs.localhost`);
  if (!site) throw new Error(`p${project} not found`);
  const { value } = await resolver.version(site.root.id, `v${version}`);
  if (!value?.liveBuildId) throw new Error(`p${project}/v${version} has no live build`);
}

export async function measureResolution(db: Db, seedSeconds: number, budgetMs = 8000): Promise<ResolutionResult> {
  let state = 12345;
  const random = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return 1 + (state % n);
  };
  const timed = async (resolver: Resolver, count: number, pick: () => [number, number]) => {
    const samples: number[] = [];
    const deadline = performance.now() + budgetMs / 2;
    for (let i = 0; i < count && performance.now() < deadline; i++) {
      const [p, v] = pick();
      const t = process.hrtime.bigint();
      await resolveOnce(resolver, p, v);
      samples.push(Number(process.hrtime.bigint() - t));
    }
    return samples;
  };

  const cold = new Resolver(db, { docsDomain: 'docs.localhost', previewDomain: 'previews.localhost' }, { ttlMs: 0, maxEntries: 10_000 });
  await timed(cold, 200, () => [random(PROJECTS), random(VERSIONS_PER_PROJECT)]); // warm the database's own caches
  const uncached = await timed(cold, 3000, () => [random(PROJECTS), random(VERSIONS_PER_PROJECT)]);
  cold.dispose();

  // A working set that fits the cache: the popular projects of a real server.
  const warm = new Resolver(db, { docsDomain: 'docs.localhost', previewDomain: 'previews.localhost' }, { ttlMs: 600_000, maxEntries: 10_000 });
  const hot: Array<[number, number]> = Array.from({ length: 2000 }, () => [random(PROJECTS), random(VERSIONS_PER_PROJECT)]);
  for (const [p, v] of hot) await resolveOnce(warm, p, v);
  let i = 0;
  const cached = await timed(warm, 200_000, () => hot[i++ % hot.length]!);
  warm.dispose();
  return { seedSeconds, uncached: stats(uncached), cached: stats(cached) };
}

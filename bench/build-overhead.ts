// Build overhead: from trigger to live for a small builtin-builder project, minus the
// time of the bare builder command on the same files. What is left is Bindery's own cost
// (queue, claim, clone, reporting, upload, deploy). Reported, not asserted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeGitRepo } from '../test/helpers/git-repo.ts';
import { testApp } from '../test/helpers/test-app.ts';
import { buildBuiltinSite } from '../src/builder/builtin/index.ts';
import { machine, writeSection } from './results.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const files: Record<string, string> = { 'mkdocs.yml': 'site_name: Bench\n' };
for (let i = 0; i < 20; i++) files[`docs/page-${i}.md`] = `# Page ${i}\n\n${'Some text with `code` and a [link](index.md).\n\n'.repeat(40)}`;
files['docs/index.md'] = '# Bench\n\nA small project.\n';

const repo = makeGitRepo({ files });
const app = await testApp();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const created = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name: 'Bench', repository: { url: repo.url } } });
  for (const b of (await app.web.inject({ url: '/api/v3/projects/bench/builds/', headers: app.auth })).json().results) await app.waitForBuild(b.id);
  if (created.statusCode !== 201) throw new Error(created.body);

  const total: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await app.web.inject({ method: 'POST', url: '/api/v3/projects/bench/versions/latest/builds/', headers: app.auth });
    const build = await app.waitForBuild(res.json().build.id);
    if (build.state !== 'finished') throw new Error(`build failed: ${build.error}`);
    total.push(performance.now() - t0);
  }
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-out-'));
    const t0 = performance.now();
    await buildBuiltinSite({ sourceDir: repo.dir, outputDir: out, log: () => {} });
    bare.push(performance.now() - t0);
    fs.rmSync(out, { recursive: true, force: true });
  }
  const t = median(total);
  const b = median(bare);
  const report = `## Build overhead (\`npm run bench:build\`)

Machine: ${machine()}. Database: ${app.database.kind}. ${RUNS} builds of a 21-page builtin-builder project, median.

| measure | ms |
|---|---|
| trigger → live (API call to deployed) | ${t.toFixed(1)} |
| bare builder command (builtin build of the same files) | ${b.toFixed(1)} |
| **overhead** (queue, claim, git fetch, reporting, upload, deploy) | **${(t - b).toFixed(1)}** |
`;
  writeSection('build-overhead', report);
  console.log(report);
} finally {
  await app.close();
  repo.remove();
}

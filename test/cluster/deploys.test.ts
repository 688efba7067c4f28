// 20 deploys of one version while readers hit both nodes (through the load balancer and
// directly): every response is a 200 holding one whole page of one finished build — never
// a 404 from a build being collected, never a torn page or one mixing two builds.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../src/cli/cluster.ts';
import { cluster, importProject, markerOfBuild, markerRepo, markersOf, report, trigger, waitBuild } from './fixture.ts';
import { startReaders, stopReaders, summary } from './load.ts';

let c: Cluster;
before(async () => {
  c = await cluster();
});
after(async () => {
  await stopReaders();
  await c?.stop();
});

const PAGES = ['index', 'install', 'usage', 'api', 'faq', 'changes'];
const DEPLOYS = 20;

test(`${DEPLOYS} deploys under reader load: every answer a whole page of one build`, async () => {
  const first = await importProject(c, 'busy', markerRepo({ pages: PAGES, padding: 16_000 }));
  assert.equal(first.success, true, first.error);
  const seen = new Set<string>();
  const readers = startReaders({
    ports: [c.port, ...c.nodes.map((n) => n.port!)],
    slug: 'busy',
    paths: PAGES.map((p) => `/en/latest/${p}.html`),
    concurrency: 6,
    check: (body, path) => {
      const markers = markersOf(body);
      if (markers.length !== 1) return `${path}: markers ${markers.join(', ')}`;
      const name = /([a-z]+)\.html$/.exec(path)![1];
      // The page's own end: the body was not cut short or spliced from another file.
      if (!body.endsWith(`<p>${name}</p><!-- marker:${markers[0]} -->\n`) || body.length < 16_000) return `${path}: incomplete page (${body.length} bytes)`;
      seen.add(markers[0]!);
      return null;
    },
  });

  const builds = [first];
  const started = Date.now();
  for (let i = 0; i < DEPLOYS; i++) {
    const build = await waitBuild(c, 'busy', await trigger(c, 'busy'));
    assert.equal(build.success, true, `deploy ${i + 1}: ${build.error}`);
    builds.push(build);
  }
  const elapsed = Date.now() - started;
  const stats = summary(await readers.stop());
  const finished = new Set(builds.map(markerOfBuild));
  report('deploys', `${DEPLOYS} deploys of one version under reader load (2 nodes; readers through nginx and on each node)`, {
    'deploys': DEPLOYS,
    'mean trigger → live, ms': Math.round(elapsed / DEPLOYS),
    'reader requests': stats.sent,
    'failed (non-200, torn or mixed page)': stats.failed,
    'p50 / p99 / max ms': `${stats.p50} / ${stats.p99} / ${stats.max}`,
    'distinct builds readers saw': seen.size,
  });
  assert.equal(stats.failed, 0, stats.errors.join('\n'));
  for (const marker of seen) assert.ok(finished.has(marker), `marker ${marker} is of a build that finished`);
  assert.ok(seen.size >= DEPLOYS / 2, `readers saw the deploys go by (${seen.size} builds)`);
});

// PostgreSQL stopped for 5 s under reader load: pages the nodes resolved before keep being
// served from their expired cache entries (stale-while-error), a write is told 503 with
// Retry-After, and after the restart every node recovers by itself — the API, the queue
// (a build runs end to end) and the change feed (a flip shows on the other node at once).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../src/cli/cluster.ts';
import { api, cluster, docs, flipLags, importProject, markerOfBuild, markerRepo, markersOf, report, sleep, trigger, waitBuild } from './fixture.ts';
import { startReaders, stopReaders, summary } from './load.ts';

let c: Cluster;
before(async () => {
  c = await cluster();
});
after(async () => {
  await stopReaders();
  await c?.stop();
});

const PAGES = ['index', 'guide', 'api'];

test('PostgreSQL down for 5 s: readers served, writes 503, every node recovers alone', async () => {
  const first = await importProject(c, 'steady', markerRepo({ pages: PAGES, padding: 2000 }));
  assert.equal(first.success, true, first.error);
  const paths = PAGES.map((p) => `/en/latest/${p}.html`);
  // Every node resolves every page once; that is what it may serve while the database is away.
  for (const node of c.nodes) for (const p of paths) assert.equal((await docs(node.port!, 'steady', p)).status, 200);
  const pids = c.nodes.map((n) => n.pid);
  const readers = startReaders({ ports: [c.port], slug: 'steady', paths, check: (body) => (markersOf(body)[0] === markerOfBuild(first) ? null : 'not the live build') });
  await sleep(1000);

  const postgres = c.postgres!;
  const stoppedAt = Date.now();
  await postgres.kill('SIGINT'); // fast shutdown: sessions are ended with 57P01
  await sleep(500);
  const write = await api<{ detail: string }>(c, '/api/v3/projects/steady/versions/latest/builds/', { method: 'POST' });
  const read = await api(c, '/api/v3/projects/steady/');
  // API reads failing on every node at once must not make the load balancer drop the nodes
  // that still serve readers (why deploy/nginx/bindery-lb.conf does not retry on 503).
  const burst = await Promise.all(Array.from({ length: 20 }, () => api(c, '/api/v3/projects/steady/versions/')));
  const direct = await Promise.all(c.nodes.map((n) => api(c, '/api/v3/projects/steady/versions/latest/builds/', { method: 'POST', base: `http://127.0.0.1:${n.port}` })));
  const unseen = await docs(c.nodes[0]!.port!, 'steady', '/en/never-resolved/');
  await sleep(Math.max(0, stoppedAt + 5000 - Date.now()));
  const restartAt = Date.now();
  await postgres.start();
  const upAt = Date.now();

  // Each node answers the API again by itself (its pool reconnects), and the queue works.
  const recovered: number[] = [];
  for (const node of c.nodes) {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(100)) {
      if ((await api(c, '/api/v3/projects/steady/', { base: `http://127.0.0.1:${node.port}` }).catch(() => null))?.status === 200) break;
    }
    recovered.push(Date.now() - upAt);
  }
  const outage = summary(readers.samples(stoppedAt, upAt));
  const second = await waitBuild(c, 'steady', await trigger(c, 'steady'));
  assert.equal(second.success, true, second.error);
  const all = summary((await readers.stop()).filter((s) => s.at < upAt));
  // The change feed retries its connection every second at most while the database is away.
  await sleep(Math.max(0, upAt + 1500 - Date.now()));
  const lags = await flipLags(c, 'steady', [first, second], c.nodes[0]!.port!, c.nodes[1]!.port!, 3);

  report('postgres-outage', 'PostgreSQL stopped for 5 s under reader load (2 nodes, nginx)', {
    'reader requests sent (before and during the outage)': all.sent,
    'failed': all.failed,
    'sent while PostgreSQL was down': outage.sent,
    'p50 / p99 / max ms while down': `${outage.p50} / ${outage.p99} / ${outage.max}`,
    'API write during the outage': `${write.status}, Retry-After ${write.headers.get('retry-after')}`,
    'PostgreSQL restart to accepting, ms': upAt - restartAt,
    'each node answering the API again after, ms': recovered.join(', '),
    'flip through node 1 shown by node 2 after the restart, ms': lags.join(', '),
  });
  assert.equal(all.failed, 0, all.errors.join('\n'));
  assert.ok(outage.sent > 100, `steady load during the outage (${outage.sent} requests)`);
  assert.equal(write.status, 503, JSON.stringify(write.body));
  assert.equal(write.headers.get('retry-after'), '5');
  assert.match(write.body.detail, /database is unavailable/);
  assert.equal(read.status, 503);
  assert.deepEqual([...new Set(burst.map((r) => r.status))], [503]);
  assert.deepEqual(direct.map((r) => [r.status, r.headers.get('retry-after')]), [[503, '5'], [503, '5']], 'each node says so itself');
  assert.equal(unseen.status, 503, 'a page never resolved cannot be answered: 503, not a wrong 404');
  assert.equal(unseen.headers['retry-after'], '5');
  assert.deepEqual(c.nodes.map((n) => n.pid), pids, 'no node restarted');
  for (const ms of recovered) assert.ok(ms < 15_000, `recovered after ${ms} ms`);
  for (const lag of lags) assert.ok(lag <= 300, `the change feed is back: flip shown after ${lag} ms (cache TTL 2000 ms)`);
  for (const node of c.nodes) assert.deepEqual(markersOf((await docs(node.port!, 'steady', '/en/latest/guide.html')).body).length, 1);
});

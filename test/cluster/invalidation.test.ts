// Nodes share one database and nothing else: two nodes started together bootstrap it once,
// and a deploy made through node A is read through node B at once (PostgreSQL LISTEN/NOTIFY),
// not after B's cache expires, with one notification per change (no echo between nodes).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, killAll, startBindery } from '../helpers/processes.ts';
import type { Cluster } from '../../src/cli/cluster.ts';
import { CHANNEL } from '../../src/db/change-feed.ts';
import { api, cluster, flipLags, importProject, markerRepo, report, sleep, trigger, waitBuild } from './fixture.ts';

let c: Cluster;
before(async () => {
  c = await cluster({ builders: 1 });
});
after(async () => {
  killAll();
  await c?.stop();
});

/** Runs SQL on the cluster's PostgreSQL (`db`: another database than the cluster's own). */
async function sql<T extends pg.QueryResultRow>(text: string, db?: string): Promise<T[]> {
  const url = new URL(c.databaseUrl);
  if (db) url.pathname = `/${db}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

test('two nodes starting together on a fresh database: one bootstrap, one admin', async () => {
  const bootstrapped = c.nodes.filter((n) => /Created the admin account/.test(n.output()));
  assert.equal(bootstrapped.length, 1, c.nodes.map((n) => `${n.name}:\n${n.output().slice(-2000)}`).join('\n'));
  assert.deepEqual(await sql('SELECT count(*)::int AS n FROM users'), [{ n: 1 }]);
  assert.ok(c.adminToken);
  assert.equal((await api(c, '/api/v3/projects/')).status, 200);

  // A closer race than the cluster's own start: a database already migrated (by `bindery web`,
  // which never bootstraps) and three nodes started at the same moment, twice.
  for (const round of [1, 2]) {
    const db = `race${round}`;
    await sql(`CREATE DATABASE ${db}`);
    const url = new URL(c.databaseUrl);
    url.pathname = `/${db}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-race-'));
    const env = { DATABASE_URL: url.toString(), LOG_LEVEL: 'info', BINDERY_DATA_DIR: dir, STORAGE_URL: `file://${dir}/storage` };
    const web = startBindery(['web', '--port', String(await freePort())], env, dir);
    await web.waitFor(/listening on/);
    web.child.kill('SIGTERM');
    const nodes = await Promise.all([1, 2, 3].map(async () => startBindery(['serve', '--builder-concurrency', '0', '--port', String(await freePort())], env, dir)));
    await Promise.all(nodes.map((n) => n.waitFor(/listening on/)));
    assert.equal(nodes.filter((n) => /Created the admin account/.test(n.output())).length, 1, `round ${round}`);
    assert.deepEqual(await sql('SELECT count(*)::int AS n FROM users', db), [{ n: 1 }]);
    for (const n of nodes) n.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a deploy through node A is served by node B at once', async () => {
  const first = await importProject(c, 'flip', markerRepo());
  const second = await waitBuild(c, 'flip', await trigger(c, 'flip'));
  assert.equal(second.success, true, second.error);
  const [a, b] = c.nodes as [typeof c.nodes[0], typeof c.nodes[0]];
  const listener = new pg.Client({ connectionString: c.databaseUrl });
  await listener.connect();
  let notifications = 0;
  listener.on('notification', () => notifications++);
  await listener.query(`LISTEN ${CHANNEL}`);

  // Each round: B has the live build in its cache (TTL 2 s), A flips the pointer, and B must
  // show the flip well before its TTL could.
  const lags = await flipLags(c, 'flip', [first, second], a.port!, b.port!, 5);
  await sleep(500);
  await listener.end();
  report('invalidation', 'Cross-node cache invalidation (rollback through node A, read through node B; docs cache TTL 2 s)', {
    'flips': lags.length,
    'B shows the flip after, ms (each flip)': lags.join(', '),
    'notifications seen for 5 flips': notifications,
  });
  for (const lag of lags) assert.ok(lag <= 300, `node B showed the flip after ${lag} ms; its cache TTL is 2000 ms`);
  assert.equal(notifications, 5, 'one notification per change: receiving one never sends another');
});

// A builder SIGKILLed in the middle of a build (with its build commands: a lost machine)
// loses nothing: its lease lapses and the other builder, also reporting through the load
// balancer, runs the build again to exactly one live result.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../src/cli/cluster.ts';
import { api, cluster, docs, markerOfBuild, markerRepo, markersOf, report, sleep, waitBuild, type Build } from './fixture.ts';

let c: Cluster;
before(async () => {
  c = await cluster();
});
after(() => c?.stop());

test('SIGKILL of the builder running a build: the other builder completes it', async () => {
  const repo = markerRepo({ before: ['echo working; sleep 6'] });
  const created = await api(c, '/api/v3/projects/', { method: 'POST', body: { name: 'slow', slug: 'slow', repository: { url: repo.url } } });
  assert.equal(created.status, 201, JSON.stringify(created.body));

  let build: Build | undefined;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
    const list = await api<{ results: Build[] }>(c, '/api/v3/projects/slow/builds/');
    const id = list.body.results?.[0]?.id;
    build = id ? (await api<Build>(c, `/api/v3/projects/slow/builds/${id}/`)).body : undefined;
    if (build?.state.code === 'building' && build.log?.some((l) => l.line === 'working')) break;
  }
  assert.equal(build?.state.code, 'building', 'the build reached its long command');
  const victim = c.builders.find((b) => build!.builder.endsWith(`:${b.pid}`));
  assert.ok(victim, `a builder of the cluster runs it (${build!.builder})`);
  const killedAt = Date.now();
  await victim.kill('SIGKILL');

  const done = await waitBuild(c, 'slow', build!.id, 90_000);
  const recoveredMs = Date.now() - killedAt;
  await victim.start();
  assert.equal(done.state.code, 'finished', done.error);
  assert.equal(done.success, true);
  assert.notEqual(done.builder, build!.builder, 'the other builder finished it');
  assert.ok(done.log!.some((l) => /attempt 2: the previous builder stopped responding/.test(l.line)), 'the log tells about the retry');

  const all = await api<{ results: Build[] }>(c, '/api/v3/projects/slow/builds/');
  assert.deepEqual(all.body.results.map((b) => [b.id, b.success]), [[build!.id, true]], 'exactly one build, one live result');
  const page = await docs(c.port, 'slow', '/en/latest/');
  assert.equal(page.status, 200);
  assert.deepEqual(markersOf(page.body), [markerOfBuild(done)], 'the live pages are the surviving attempt');
  report('builder-kill', 'SIGKILL of the builder running a build (2 builders, heartbeat lease 10 s)', {
    'kill to build finished by the other builder, ms': recoveredMs,
    'builds of the version': all.body.results.length,
    'successful builds': all.body.results.filter((b) => b.success).length,
  });
});

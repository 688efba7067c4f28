// A node SIGKILLed under steady reader load through the load balancer costs readers nothing
// (nginx retries the GETs the dead node dropped on the other node), and once started again
// the node rejoins: the load balancer sends it readers and it serves them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Cluster } from '../../src/cli/cluster.ts';
import { cluster, docs, importProject, markerRepo, report, sleep } from './fixture.ts';
import { startReaders, summary } from './load.ts';

let c: Cluster;
before(async () => {
  c = await cluster();
});
after(() => c?.stop());

const PAGES = ['index', 'guide', 'api', 'faq'];

test('SIGKILL of a node under reader load: no reader request fails; the node rejoins', async () => {
  const build = await importProject(c, 'kill', markerRepo({ pages: PAGES, padding: 4000 }));
  assert.equal(build.success, true, build.error);
  const readers = startReaders({ ports: [c.port], slug: 'kill', paths: PAGES.map((p) => `/en/latest/${p}.html`), concurrency: 6 });
  await sleep(1500);
  const [victim, survivor] = c.nodes as [typeof c.nodes[0], typeof c.nodes[0]];
  const killedAt = Date.now();
  await victim.kill('SIGKILL');
  await sleep(3000);
  const restartAt = Date.now();
  await victim.start();
  const upAt = Date.now();

  // Rejoined: the load balancer's access log shows the node answering readers again
  // (nginx tries a failed node again after fail_timeout, 5 s).
  const accessLog = path.join(c.workDir, 'logs', 'lb-access.log');
  const offset = fs.statSync(accessLog).size;
  const servedBy = (port: number) =>
    fs.readFileSync(accessLog).subarray(offset).toString().split('\n').filter((l) => l.includes(`upstream=127.0.0.1:${port} `) && l.includes('upstream_status=200')).length;
  let rejoined = 0;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline && rejoined < 20; await sleep(250)) rejoined = servedBy(victim.port!);
  const samples = await readers.stop();

  const all = summary(samples);
  const fault = summary(readers.samples(killedAt, killedAt + 3000));
  const retried = fs.readFileSync(accessLog, 'utf8').split('\n').filter((l) => /upstream=127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+/.test(l)).length;
  report('node-kill', 'SIGKILL of one of two nodes under reader load (nginx load balancer)', {
    'reader requests sent': all.sent,
    'failed': all.failed,
    'sent in the 3 s after the kill': fault.sent,
    'p50 / p99 / max ms in those 3 s': `${fault.p50} / ${fault.p99} / ${fault.max}`,
    'requests nginx retried on the other node': retried,
    'node restart to listening, ms': upAt - restartAt,
    'requests the restarted node answered (first seconds)': rejoined,
  });
  assert.equal(all.failed, 0, all.errors.join('\n'));
  assert.ok(fault.sent > 50, `steady load during the fault (${fault.sent} requests)`);
  assert.ok(rejoined >= 20, `the restarted node serves readers through the load balancer again (${rejoined})`);
  assert.ok(survivor.running, 'the other node never stopped');
  const direct = await docs(victim.port!, 'kill', '/en/latest/guide.html');
  assert.equal(direct.status, 200);
  assert.match(direct.body, /<p>guide<\/p>/);
});

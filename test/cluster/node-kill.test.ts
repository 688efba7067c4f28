// A node SIGKILLed under steady reader load through the load balancer costs readers nothing
// (the balancer retries the GETs the dead node dropped on the other node), and once started
// again the node rejoins: the balancer sends it readers and it serves them. Both of deploy/'s
// balancers: nginx (passive checks) and HAProxy (active health checks).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Cluster } from '../../src/cli/cluster.ts';
import { cluster, docs, importProject, markerRepo, report, sleep } from './fixture.ts';
import { startReaders, stopReaders, summary } from './load.ts';

const clusters: Cluster[] = [];
after(async () => {
  await stopReaders();
  for (const c of clusters) await c.stop();
});

const PAGES = ['index', 'guide', 'api', 'faq'];

/** What the balancer logged since `from` (a byte offset): one line per request. */
function balancerLog(c: Cluster, lb: 'nginx' | 'haproxy', from = 0): string[] {
  const text = lb === 'nginx' ? fs.readFileSync(path.join(c.workDir, 'logs', 'lb-access.log')).subarray(from).toString() : c.lb.output().slice(from);
  return text.split('\n').filter(Boolean);
}
const logSize = (c: Cluster, lb: 'nginx' | 'haproxy') => (lb === 'nginx' ? fs.statSync(path.join(c.workDir, 'logs', 'lb-access.log')).size : c.lb.output().length);

for (const lb of ['nginx', 'haproxy'] as const) {
  test(`${lb}: SIGKILL of a node under reader load: no reader request fails; the node rejoins`, async () => {
    const c = await cluster({ lb, builders: 1 });
    clusters.push(c);
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

    // Rejoined: the balancer's log shows the node answering readers again (nginx tries a
    // failed node again after fail_timeout, 5 s; HAProxy after two good health checks).
    const offset = logSize(c, lb);
    const served = (line: string) => (lb === 'nginx' ? line.includes(`upstream=127.0.0.1:${victim.port} `) && line.includes('upstream_status=200') : / bindery_nodes\/node1 .* 200 /.test(line));
    let rejoined = 0;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && rejoined < 20; await sleep(250)) rejoined = balancerLog(c, lb, offset).filter(served).length;
    const samples = await readers.stop();

    const all = summary(samples);
    const fault = summary(readers.samples(killedAt, killedAt + 3000));
    // nginx lists every node it tried in $upstream_addr; HAProxy's httplog ends its connection
    // counts (act/fe/be/srv/retries, after the 4-letter end state) with the retries, "+N" when redispatched to another node.
    const retried = balancerLog(c, lb).filter((l) =>
      lb === 'nginx' ? /upstream=127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+/.test(l) : / [-\w]{4} \d+\/\d+\/\d+\/\d+\/\+?[1-9]\d* /.test(l)).length;
    report(`node-kill-${lb}`, `SIGKILL of one of two nodes under reader load (${lb} load balancer)`, {
      'reader requests sent': all.sent,
      'failed': all.failed,
      'sent in the 3 s after the kill': fault.sent,
      'p50 / p99 / max ms in those 3 s': `${fault.p50} / ${fault.p99} / ${fault.max}`,
      'requests retried on the other node': retried,
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
}

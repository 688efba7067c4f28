// A web node SIGKILLed while it holds a builder's report (sent through the load balancer):
// nginx cannot resend a POST, so the builder gets a 502 and sends the report again, which
// reaches the other node; the build finishes and its log has every line once, in order.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Cluster } from '../../src/cli/cluster.ts';
import { api, cluster, markerRepo, report, sleep, waitBuild, type Build } from './fixture.ts';

let c: Cluster;
before(async () => {
  c = await cluster({ builders: 1 });
});
after(() => c?.stop());

const LINES = 400;

test('SIGKILL of a web node while a build reports: no log line lost, the build finishes', async () => {
  const repo = markerRepo({ before: [`for i in $(seq 1 ${LINES}); do echo "line $i"; sleep 0.01; done`] });
  const created = await api(c, '/api/v3/projects/', { method: 'POST', body: { name: 'chatty', slug: 'chatty', repository: { url: repo.url } } });
  assert.equal(created.status, 201, JSON.stringify(created.body));

  let build: Build | undefined;
  const seen = (b: Build | undefined) => b?.log?.filter((l) => /^line \d+$/.test(l.line)).length ?? 0;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline && seen(build) < 50; await sleep(100)) {
    const list = await api<{ results: Build[] }>(c, '/api/v3/projects/chatty/builds/');
    const id = list.body.results?.[0]?.id;
    build = id ? (await api<Build>(c, `/api/v3/projects/chatty/builds/${id}/`)).body : undefined;
  }
  const before = seen(build);
  assert.ok(before >= 50 && before < LINES, `the build is streaming its log (${before} lines so far)`);
  const accessLog = path.join(c.workDir, 'logs', 'lb-access.log');
  const offset = fs.statSync(accessLog).size;
  const [victim] = c.nodes as [typeof c.nodes[0]];
  // Freeze the node, wait until a builder request sits unread in one of its sockets, then kill
  // it: the node dies holding a request it was sent, as a crash in the middle of a request does.
  process.kill(victim.pid!, 'SIGSTOP');
  let held = false;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline && !held; await sleep(20)) held = unreadRequests(victim.port!) > 0;
  await victim.kill('SIGKILL');
  assert.ok(held, 'a request was in the node when it died');

  const done = await waitBuild(c, 'chatty', build!.id);
  assert.equal(done.state.code, 'finished', done.error);
  assert.equal(done.success, true);
  const lines = done.log!.map((l) => l.line).filter((l) => /^line \d+$/.test(l));
  assert.deepEqual(lines, Array.from({ length: LINES }, (_, i) => `line ${i + 1}`), 'every line once, in order');
  const seqs = done.log!.map((l) => l.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'sequence numbers ascend');
  assert.equal(new Set(seqs).size, seqs.length, 'no sequence number twice');

  const after = fs.readFileSync(accessLog).subarray(offset).toString().split('\n').filter((l) => l.includes('/api/builder/v1/'));
  await victim.start();
  report('web-kill', 'SIGKILL of a web node while a build streams its log through the load balancer', {
    'log lines when the node was killed': before,
    'log lines at the end (all, in order)': lines.length,
    'builder API requests after the kill': after.length,
    'of which answered 502 by the load balancer (sent again by the builder)': after.filter((l) => / 502 /.test(l)).length,
    'of which nginx retried on the other node': after.filter((l) => /upstream=[^ ]+, /.test(l)).length,
  });
  assert.ok(after.some((l) => /builds\/\d+\/(report|heartbeat) HTTP\/1\.1" 502 /.test(l)), 'the builder was told 502 for the request the node died with, and carried on');
});

/** Bytes waiting unread in established TCP connections to a local port (/proc/net/tcp, rx_queue). */
function unreadRequests(port: number): number {
  let total = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 5 || cols[3] !== '01') continue;
      if (parseInt(cols[1]!.split(':')[1]!, 16) !== port) continue;
      total += parseInt(cols[4]!.split(':')[1]!, 16);
    }
  }
  return total;
}

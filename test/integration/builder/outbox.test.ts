// A builder whose web tier is briefly unreachable keeps its log lines and state changes
// and delivers them in order once it is back: none lost, none duplicated. The outage is a
// real one: a TCP proxy in front of the web tier that drops every connection for a while.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { makeGitRepo, type GitRepo } from '../../helpers/git-repo.ts';
import { testApp, type TestApp } from '../../helpers/test-app.ts';
import { HttpTransport } from '../../../src/builder/client.ts';
import { HttpReporter } from '../../../src/builder/http-reporter.ts';
import { buildLog, getBuild } from '../../../src/db/builds.ts';
import type { ClaimResponse } from '../../../src/builder/protocol.ts';

let app: TestApp;
let repo: GitRepo;
let proxy: net.Server;
let down = false;
const open = new Set<net.Socket>();
/** Takes the web tier away: new connections are dropped and open ones cut. */
function setDown(value: boolean): void {
  down = value;
  if (value) for (const socket of open) socket.destroy();
}
let proxyPort: number;

before(async () => {
  app = await testApp({ builder: false });
  repo = makeGitRepo({ files: { 'docs/index.md': '# x\n' } });
  await app.web.listen({ port: 0, host: '127.0.0.1' });
  const target = (app.web.server.address() as net.AddressInfo).port;
  proxy = net.createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    client.on('close', () => open.delete(client));
    upstream.on('close', () => open.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyPort = (proxy.address() as net.AddressInfo).port;
});
after(async () => {
  proxy.close();
  await app.close();
  repo.remove();
});

test('log lines and states survive an outage of the web tier, in order, each once', async () => {
  const created = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name: 'Outbox', repository: { url: repo.url } } });
  assert.equal(created.statusCode, 201);
  const transport = new HttpTransport([`http://127.0.0.1:${proxyPort}`], app.builderSecret, 2000);
  const claimed = await transport.post('/api/builder/v1/claim', { builder: 'outbox-test' });
  assert.equal(claimed.status, 200);
  const claim = claimed.body as ClaimResponse;
  const reporter = new HttpReporter(transport, claim.job.buildId, claim.token, claim, () => assert.fail('not stale'));

  for (let i = 0; i < 50; i++) reporter.log('stdout', `before ${i}`);
  await reporter.flush();

  setDown(true);
  const step = await reporter.startStep('during the outage', 'echo');
  for (let i = 0; i < 100; i++) reporter.log('stdout', `during ${i}`);
  await reporter.endStep(step, 0);
  const building = reporter.state('building');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await getBuild(app.database.db, claim.job.buildId))!.state, 'cloning', 'nothing got through while down');
  setDown(false);
  await building;
  for (let i = 0; i < 10; i++) reporter.log('stdout', `after ${i}`);
  await reporter.flush();

  const lines = await buildLog(app.database.db, claim.job.buildId);
  const expected = [
    ...Array.from({ length: 50 }, (_, i) => `before ${i}`),
    ...Array.from({ length: 100 }, (_, i) => `during ${i}`),
    ...Array.from({ length: 10 }, (_, i) => `after ${i}`),
  ];
  assert.deepEqual(lines.map((l) => l.line), expected);
  assert.deepEqual(lines.map((l) => l.seq), expected.map((_, i) => i));
  assert.equal(lines[60]!.step, step, 'lines keep their step');
  assert.equal((await getBuild(app.database.db, claim.job.buildId))!.state, 'building');
});

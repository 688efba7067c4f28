// Network from builds to the host: a build whose step has the network (build.commands, install
// steps) tries the server's port and PostgreSQL's on the host's loopback, directly and through
// the user-mode network's gateway alias, and asks the kernel for routes to private ranges, cloud
// metadata and the host's own addresses. Nothing may connect; no traffic leaves this machine
// (route lookups send nothing; the connects go to loopback or slirp's disabled host alias).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { buildRepository, commandsConfig } from '../helpers/project-build.ts';

let app: TestApp;
const repos: GitRepo[] = [];
let server: net.Server;
let port = 0;
let connections = 0;

before(async () => {
  app = await testApp({ timeoutMs: 60_000 });
  // Stands for the server's own port (and any service) on the host's loopback.
  server = net.createServer((s) => {
    connections++;
    s.end('HELLO-FROM-HOST\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  port = (server.address() as net.AddressInfo).port;
});
after(async () => {
  server.close();
  await app.close();
  for (const r of repos) r.remove();
});

const build = (name: string, commands: string[]) => buildRepository(app, repos, name, { '.readthedocs.yaml': commandsConfig(...commands) }, 90_000);

const html = 'mkdir -p $READTHEDOCS_OUTPUT/html && echo ok > $READTHEDOCS_OUTPUT/html/index.html';
const probe = (host: string, p: number) =>
  `/usr/bin/python3 -c "import socket\ntry:\n  s=socket.create_connection(('${host}', ${p}), timeout=3); print('CONNECTED ${host}:${p}', s.recv(64))\nexcept OSError as e:\n  print('blocked ${host}:${p}', e)"`;

test("a build with the network cannot reach the host's loopback: not the server's port, not PostgreSQL", async () => {
  const { build: b, log } = await build('Net Probe', [
    probe('127.0.0.1', port), probe('10.0.2.2', port), probe('127.0.0.1', 5432), probe('10.0.2.2', 5432), probe('0.0.0.0', port), html,
  ]);
  assert.equal(b.state, 'finished', `${b.error}\n${log}`);
  assert.doesNotMatch(log, /CONNECTED|HELLO-FROM-HOST/);
  for (const target of [`127.0.0.1:${port}`, `10.0.2.2:${port}`, '127.0.0.1:5432', '10.0.2.2:5432', `0.0.0.0:${port}`]) assert.match(log, new RegExp(`blocked ${target.replace(/\./g, '\\.')}`));
  assert.equal(connections, 0, 'the host server saw a connection from the build');
});

test('private ranges, cloud metadata and the host\'s own addresses have no route from a build', async () => {
  const own = Object.values(os.networkInterfaces()).flat().filter((i) => i && i.family === 'IPv4' && !i.internal).map((i) => i!.address);
  const targets = ['169.254.169.254', '10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', ...own];
  const { build: b, log } = await build('Route Probe', [...targets.map((t) => `ip route get ${t} 2>&1 | sed 's/^/route ${t}: /'`), 'echo "default: $(ip route show default)"', html]);
  assert.equal(b.state, 'finished', `${b.error}\n${log}`);
  assert.match(log, /default: default via 10\.0\.2\.2 dev tap0/, 'the step had no user-mode network at all');
  for (const t of targets) assert.match(log, new RegExp(`route ${t.replace(/\./g, '\\.')}: (RTNETLINK answers: )?(Network is unreachable|No route to host|unreachable)`, 'i'), log);
});

test('steps without the network (pre_build, the build itself) get no interface at all', async () => {
  const yaml = ['version: 2', 'build:', '  os: ubuntu-24.04', '  tools:', '    python: "3.12"', '  jobs:', '    pre_build:', '      - "echo links: $(ip -o link | cut -d: -f2 | tr -d \' \\\\n\')"', ''].join('\n');
  const { build: done, log } = await buildRepository(app, repos, 'No Net', { '.readthedocs.yaml': yaml, 'docs/index.md': '# x\n' }, 60_000);
  assert.equal(done.state, 'finished', `${done.error}\n${log}`);
  assert.match(log, /links: lo\s*$/m);
});

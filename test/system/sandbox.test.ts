// The build sandbox against real bubblewrap, real cgroups and real processes: every
// limit must be hit and reported as itself, and nothing outside the build may be read,
// written or reached. Fails (never skips) when bubblewrap or a cgroup controller is unusable.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BuildError } from '../../src/core/errors.ts';
import { cgroupSupport, LogBudget, runSandboxed, sandboxAvailable, sandboxError } from '../../src/builder/sandbox/index.ts';
import type { SandboxOptions, SandboxResult } from '../../src/builder/sandbox/index.ts';

const SECRET = `bindery-secret-${process.pid}-${Date.now()}`;
let root: string;
let checkout: string;
let output: string;
let other: string;

before(() => {
  const sandbox = sandboxAvailable();
  assert.ok(sandbox.available, `bubblewrap must work for these tests (apt-get install bubblewrap): ${sandbox.reason}`);
  process.env.BINDERY_SECRET = SECRET;
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-sandbox-test-'));
  checkout = path.join(root, 'build', 'checkout');
  output = path.join(root, 'build', 'output');
  other = path.join(root, 'other-project');
  for (const d of [checkout, output, other]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(other, 'secret.txt'), SECRET);
  fs.writeFileSync(path.join(checkout, 'mine.txt'), 'mine');
});

after(() => {
  delete process.env.BINDERY_SECRET;
  fs.rmSync(root, { recursive: true, force: true });
});

interface Run extends SandboxResult {
  lines: string[];
  text: string;
  ms: number;
}

async function run(argv: string[], over: Partial<SandboxOptions> = {}): Promise<Run> {
  const lines: string[] = [];
  const started = Date.now();
  const result = await runSandboxed(argv, over.checkoutDir ?? checkout, {
    checkoutDir: checkout,
    outputDir: output,
    env: { READTHEDOCS_OUTPUT: output },
    network: false,
    timeoutMs: 20_000,
    memoryBytes: 512 << 20,
    maxProcesses: 128,
    maxOutputBytes: 50 << 20,
    log: new LogBudget(10 << 20),
    onLine: (stream, line) => lines.push(`${stream}: ${line}`),
    ...over,
  });
  return { ...result, lines, text: lines.join('\n'), ms: Date.now() - started };
}

const sh = (script: string, ...rest: string[]) => ['/bin/sh', '-c', script, 'sh', ...rest];

/** Host processes whose command line carries `marker`: anything a test started that survived. */
function survivors(marker: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}

describe('sandbox isolation', () => {
  test('the command sees only the environment it was given', async () => {
    const r = await run(['/usr/bin/env'], { env: { FOO: 'bar' } });
    assert.equal(r.exitCode, 0, r.text);
    const keys = r.lines.map((l) => l.replace(/^stdout: /, '').split('=')[0]).sort();
    // PWD is bubblewrap's, after --chdir.
    assert.deepEqual(keys, ['FOO', 'HOME', 'LANG', 'PATH', 'PWD']);
    assert.ok(!r.text.includes(SECRET), 'the builder environment leaked into the sandbox');
  });

  test('files outside the checkout are not visible, builder secrets are not readable', async () => {
    const probes = [path.join(other, 'secret.txt'), '/etc/shadow', '/root/.bashrc', path.join(process.cwd(), 'package.json'), `/proc/${process.pid}/environ`];
    const script = 'for p in "$@"; do cat "$p" >/dev/null 2>&1 && echo "READABLE $p"; done; ls "$0" 2>/dev/null && echo LISTED; printenv BINDERY_SECRET; cat /proc/*/environ 2>/dev/null | tr "\\0" "\\n"; ls /etc/ssl/private 2>/dev/null && echo KEYS';
    const r = await run(['/bin/sh', '-c', script, other, path.join(checkout, 'mine.txt'), ...probes]);
    assert.ok(!r.text.includes(SECRET), `a secret was readable:\n${r.text}`);
    const readable = r.lines.filter((l) => l.startsWith('stdout: READABLE')).map((l) => l.slice('stdout: READABLE '.length));
    // The checkout itself is readable, so the probe works; nothing else is.
    assert.deepEqual(readable, [path.join(checkout, 'mine.txt')], r.text);
    assert.ok(!r.text.includes('LISTED') && !r.text.includes('KEYS'), r.text);
  });

  test('only the checkout, the output and private temporary folders are writable', async () => {
    const tmpName = `bindery-sandbox-${process.pid}-tmp`;
    const host = [path.join(checkout, 'w'), path.join(output, 'w')];
    const hidden = [`/tmp/${tmpName}`, '/home/docs/w', path.join(root, 'build', 'w'), path.join(other, 'w'), path.join(root, 'w'), '/dev/w'];
    const readOnly = ['/w', '/usr/w', '/etc/w', '/bin/w', '/proc/w'];
    const r = await run(sh('for p in "$@"; do echo x 2>/dev/null > "$p" && echo "WROTE $p"; done; exit 0', ...host, ...hidden, ...readOnly));
    const wrote = r.lines.filter((l) => l.startsWith('stdout: WROTE')).map((l) => l.slice('stdout: WROTE '.length));
    for (const p of host) assert.ok(wrote.includes(p) && fs.readFileSync(p, 'utf8') === 'x\n', `${p} must be writable and land on the host`);
    for (const p of readOnly) assert.ok(!wrote.includes(p), `${p} must not be writable:\n${r.text}`);
    // Writes elsewhere may succeed inside (private tmpfs) but must never reach the host.
    for (const p of hidden) assert.ok(!fs.existsSync(p), `${p} was written on the host`);
  });

  test('no network when network is false; with network, the outside world but never the host; the host network only when asked', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const connect = ['/usr/bin/python3', '-c', `import socket\ntry:\n  socket.create_connection(("127.0.0.1", ${port}), timeout=3); print("connected")\nexcept OSError as e:\n  print("refused", e)`];
    try {
      const off = await run(connect, { network: false });
      assert.match(off.text, /refused/, off.text);
      const on = await run(connect, { network: true });
      assert.match(on.text, /refused|unreachable/i, `the host's loopback was reachable with the build network on:\n${on.text}`);
      const route = await run(['/bin/sh', '-c', 'cat /proc/net/route; cat /etc/resolv.conf'], { network: true });
      assert.match(route.text, /tap0\s+00000000\s+0202000A/, `no default route through the user-mode network:\n${route.text}`);
      assert.match(route.text, /nameserver 10\.0\.2\.3/, route.text);
      const host = await run(connect, { network: true, hostNetwork: true });
      assert.match(host.text, /connected/, `control: the same probe must connect on the host network:\n${host.text}`);
    } finally {
      server.close();
    }
  });

  test('runAs runs the command as an unprivileged host user', { skip: process.getuid?.() !== 0 && 'runAs only applies when the builder is root' }, async () => {
    const co = path.join(root, 'build-as-nobody', 'checkout');
    const out = path.join(root, 'build-as-nobody', 'output');
    fs.chmodSync(root, 0o755); // bubblewrap, running as that user, must reach the folders it binds.
    for (const d of [co, out]) {
      fs.mkdirSync(d, { recursive: true });
      fs.chownSync(d, 65534, 65534);
    }
    fs.writeFileSync(path.join(co, 'root-only.txt'), SECRET, { mode: 0o600 });
    const r = await run(sh('cat root-only.txt; echo made > made.txt && echo WROTE'), { checkoutDir: co, outputDir: out, runAs: { uid: 65534, gid: 65534 } });
    assert.ok(!r.text.includes(SECRET), `a root-only file was readable:\n${r.text}`);
    assert.match(r.text, /WROTE/);
    assert.equal(fs.statSync(path.join(co, 'made.txt')).uid, 65534);
    // Inside, git sees the checkout owned by the current user, so no safe.directory is needed.
    const init = await run(sh('git init -q . && git -c user.email=a@b -c user.name=a commit -q --allow-empty -m x && git rev-parse HEAD'), { checkoutDir: co, outputDir: out, runAs: { uid: 65534, gid: 65534 } });
    assert.equal(init.exitCode, 0, init.text);
    assert.match(init.text, /[0-9a-f]{40}/);
  });

  test('a writable folder reached through a symlink is refused', async () => {
    const link = path.join(root, 'link-to-other');
    fs.symlinkSync(other, link);
    await assert.rejects(run(['/bin/true'], { outputDir: link }), (err: unknown) => err instanceof BuildError && err.code === 'sandbox-setup');
  });
});

describe('python tools inside the sandbox', () => {
  test('sphinx builds a small project with the network off', async () => {
    const src = path.join(checkout, 'docs');
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, 'conf.py'), 'project = "Sandboxed"\n');
    fs.writeFileSync(path.join(src, 'index.rst'), 'Sandboxed\n=========\n\nHello from the sandbox.\n');
    const version = await run(['python3', '-m', 'sphinx', '--version']);
    assert.equal(version.exitCode, 0, version.text);
    assert.match(version.text, /\d+\.\d+/);
    const html = path.join(output, 'html');
    fs.mkdirSync(html, { recursive: true });
    const build = await run(['python3', '-m', 'sphinx', '-b', 'html', '-q', src, html]);
    assert.equal(build.exitCode, 0, build.text);
    assert.match(fs.readFileSync(path.join(html, 'index.html'), 'utf8'), /Hello from the sandbox/);
    const mkdocs = await run(['mkdocs', '--version']);
    assert.equal(mkdocs.exitCode, 0, mkdocs.text);
  });
});

describe('limits', () => {
  test('a command that never ends is stopped by the timeout', async () => {
    const r = await run(sh('while :; do :; done'), { timeoutMs: 1_000 });
    assert.equal(r.timedOut, true);
    assert.ok(r.ms < 4_000, `took ${r.ms} ms`);
    assert.equal(sandboxError(r, ['loop'], { timeoutMs: 1_000, memoryBytes: 0, maxProcesses: 0, maxOutputBytes: 0, log: new LogBudget(0) })?.code, 'build-timeout');
  });

  test('a fork bomb hits the process limit and leaves nothing behind', async () => {
    assert.equal(cgroupSupport().missing.pids, undefined, `the pids cgroup controller must be usable: ${cgroupSupport().missing.pids}`);
    const marker = `bindery-forkbomb-${process.pid}`;
    // Bounded even without a limit: depth 11 is at most 4096 processes.
    const bomb = ['/bin/bash', '-c', 'f(){ [ "$1" -gt 0 ] && { f $(($1-1)) & f $(($1-1)) & }; sleep 30; }; f 11; wait', marker];
    const r = await run(bomb, { maxProcesses: 64, timeoutMs: 20_000 });
    assert.equal(r.limit, 'processes', r.text);
    assert.equal(r.timedOut, false);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    assert.deepEqual(survivors(marker), []);
  });

  test('a command using more memory than allowed hits the memory limit', async () => {
    assert.equal(cgroupSupport().missing.memory, undefined, `the memory cgroup controller must be usable: ${cgroupSupport().missing.memory}`);
    const small = await run(['python3', '-c', 'x = b"a" * (64 << 20); print(len(x))'], { memoryBytes: 256 << 20 });
    assert.equal(small.exitCode, 0, `control: 64 MB fits in 256 MB:\n${small.text}`);
    assert.equal(small.limit, undefined);
    const r = await run(['python3', '-c', 'x = b"a" * (2 << 30); print(len(x))'], { memoryBytes: 256 << 20 });
    assert.equal(r.limit, 'memory', r.text);
    assert.notEqual(r.exitCode, 0);
  });

  test('a command printing 1 GB stops at the log limit without buffering it', async () => {
    for (const script of ['yes | head -c 1G', 'head -c 1G /dev/zero']) {
      let bytes = 0;
      let longest = 0;
      const rss = process.memoryUsage().rss;
      const started = Date.now();
      const r = await runSandboxed(sh(script), checkout, {
        checkoutDir: checkout, outputDir: output, env: {}, network: false, timeoutMs: 20_000, memoryBytes: 512 << 20, maxProcesses: 64, maxOutputBytes: 1 << 20,
        log: new LogBudget(1 << 20),
        onLine: (_s, line) => {
          bytes += line.length;
          longest = Math.max(longest, line.length);
        },
      });
      assert.equal(r.limit, 'log', script);
      assert.ok(Date.now() - started < 5_000, `${script}: took ${Date.now() - started} ms`);
      assert.ok(bytes <= (1 << 20) + 200, `${script}: ${bytes} bytes reached the log`);
      assert.ok(longest <= 16_384 + 50, `${script}: a line of ${longest} characters`);
      assert.ok(process.memoryUsage().rss - rss < 200 << 20, `${script}: the builder grew by ${(process.memoryUsage().rss - rss) >> 20} MB`);
    }
  });

  test('the log budget is shared by the commands of a build', async () => {
    const log = new LogBudget(1000);
    const first = await run(sh('head -c 600 /dev/zero | tr "\\0" a'), { log });
    assert.equal(first.limit, undefined);
    const second = await run(sh('head -c 600 /dev/zero | tr "\\0" b'), { log });
    assert.equal(second.limit, 'log');
  });

  test('output beyond the quota is caught after the command and while it runs', async () => {
    const dir = path.join(output, 'quota');
    fs.mkdirSync(dir, { recursive: true });
    const once = await run(sh('head -c 3000000 /dev/zero > "$1"; echo done', path.join(dir, 'big')), { maxOutputBytes: 1 << 20 });
    assert.equal(once.exitCode, 0);
    assert.equal(once.limit, 'output');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    const growing = await run(sh('while :; do head -c 1000000 /dev/zero >> "$1"; sleep 0.2; done', path.join(dir, 'grow')), { maxOutputBytes: 5 << 20, timeoutMs: 15_000 });
    assert.equal(growing.limit, 'output');
    assert.equal(growing.timedOut, false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('cancelling kills the whole process tree within 3 seconds', async () => {
    const marker = `bindery-cancel-${process.pid}`;
    const controller = new AbortController();
    const pending = run(['/bin/bash', '-c', '(while :; do sleep 1; done) & (while :; do sleep 1; done) & wait', marker], { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 700));
    assert.ok(survivors(marker).length >= 2, 'the tree should be running before the cancel');
    const aborted = Date.now();
    controller.abort();
    const r = await pending;
    assert.equal(r.cancelled, true);
    assert.ok(Date.now() - aborted < 3_000, `took ${Date.now() - aborted} ms`);
    assert.deepEqual(survivors(marker), []);
  });
});

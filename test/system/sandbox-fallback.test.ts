// Without bubblewrap the sandbox must say so loudly and still clear the environment,
// enforce the cgroup limits, the timeout and the log cap, and kill the whole tree.
// Simulated by pointing the sandbox at a bubblewrap binary that does not exist.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { BuildError } from '../../src/core/errors.ts';
import { cgroupSupport, LogBudget, runSandboxed, sandboxAvailable } from '../../src/builder/sandbox/index.ts';
import type { SandboxOptions } from '../../src/builder/sandbox/index.ts';

const MISSING = '/nonexistent/bindery-test/bwrap';
const SECRET = `bindery-fallback-secret-${process.pid}`;
let root: string;

before(() => {
  process.env.BINDERY_SECRET = SECRET;
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-sandbox-fallback-'));
  for (const d of ['checkout', 'output']) fs.mkdirSync(path.join(root, d));
});

after(() => {
  delete process.env.BINDERY_SECRET;
  fs.rmSync(root, { recursive: true, force: true });
});

async function run(argv: string[], over: Partial<SandboxOptions> = {}) {
  const lines: string[] = [];
  const started = Date.now();
  const result = await runSandboxed(argv, path.join(root, 'checkout'), {
    checkoutDir: path.join(root, 'checkout'),
    outputDir: path.join(root, 'output'),
    env: { FOO: 'bar' },
    network: false,
    timeoutMs: 10_000,
    memoryBytes: 256 << 20,
    maxProcesses: 64,
    maxOutputBytes: 1 << 20,
    log: new LogBudget(1 << 20),
    onLine: (stream, line) => lines.push(`${stream}: ${line}`),
    bwrapPath: MISSING,
    ...over,
  });
  return { ...result, lines, text: lines.join('\n'), ms: Date.now() - started };
}

test('a missing bubblewrap is reported, with the reason', () => {
  const s = sandboxAvailable(MISSING);
  assert.equal(s.available, false);
  assert.match(s.reason, /bubblewrap not found/);
});

test('runs unconfined with a loud warning and only the given environment', async () => {
  const r = await run(['/usr/bin/env']);
  assert.equal(r.exitCode, 0, r.text);
  assert.match(r.lines[0]!, /^info: WARNING: sandbox unavailable/);
  const keys = r.lines.filter((l) => l.startsWith('stdout: ')).map((l) => l.slice(8).split('=')[0]).sort();
  assert.deepEqual(keys.filter((k) => k !== 'PWD'), ['FOO', 'HOME', 'LANG', 'PATH']);
  assert.ok(!r.text.includes(SECRET));
  const home = r.lines.find((l) => l.startsWith('stdout: HOME='))!.slice('stdout: HOME='.length);
  assert.ok(!fs.existsSync(home), 'the temporary HOME is removed afterwards');
});

test('requireSandbox refuses to run unconfined', async () => {
  await assert.rejects(run(['/bin/true'], { requireSandbox: true }), (err: unknown) => err instanceof BuildError && err.code === 'sandbox-unavailable');
});

test('the timeout still kills the whole process group', async () => {
  const marker = `bindery-fallback-timeout-${process.pid}`;
  const r = await run(['/bin/bash', '-c', '(while :; do sleep 1; done) & while :; do :; done', marker], { timeoutMs: 800 });
  assert.equal(r.timedOut, true);
  assert.ok(r.ms < 4_000, `took ${r.ms} ms`);
  const left = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker);
    } catch {
      return false;
    }
  });
  assert.deepEqual(left, []);
});

test('cgroup limits and the log cap still apply', async () => {
  assert.equal(cgroupSupport().missing.pids, undefined, `the pids cgroup controller must be usable: ${cgroupSupport().missing.pids}`);
  const bomb = await run(['/bin/bash', '-c', 'f(){ [ "$1" -gt 0 ] && { f $(($1-1)) & f $(($1-1)) & }; sleep 30; }; f 10; wait']);
  assert.equal(bomb.limit, 'processes', bomb.text);
  const log = await run(['/bin/sh', '-c', 'yes | head -c 1G'], { log: new LogBudget(100_000) });
  assert.equal(log.limit, 'log');
});

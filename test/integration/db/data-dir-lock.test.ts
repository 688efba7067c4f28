// Two processes on one embedded database folder would silently lose writes: the second
// `bindery` must exit at once, naming the process that holds the folder.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/bindery.js', import.meta.url));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-lock-'));
// The lock guards the embedded database only: make sure this test never points at PostgreSQL.
const env = { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn' };
const children: ChildProcess[] = [];

after(() => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function startServe(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], { env, cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Bindery is running')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

test('a second process on the same data folder exits at once with the holder\'s pid', async () => {
  const first = await startServe();
  const second = spawnSync(process.execPath, [BIN, 'migrate', '--data-dir', dataDir], { env, encoding: 'utf8', timeout: 30_000 });
  assert.equal(second.status, 1, second.stderr);
  assert.match(second.stderr, new RegExp(`in use by process ${first.pid}\\b`));

  // The first process is unharmed and still owns the folder.
  assert.equal(first.exitCode, null);
  const lock = JSON.parse(fs.readFileSync(path.join(dataDir, 'bindery.pid'), 'utf8'));
  assert.equal(lock.pid, first.pid);

  // A holder that died (SIGKILL: no clean-up) leaves a stale lock, which the next start takes over.
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  const third = spawnSync(process.execPath, [BIN, 'migrate', '--data-dir', dataDir], { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(third.status, 0, third.stderr);
  assert.match(third.stdout, /database is up to date/);
  assert.equal(fs.existsSync(path.join(dataDir, 'bindery.pid')), false, 'the lock is released on exit');
});

test('a bad configuration value stops the CLI with a message naming it', () => {
  const res = spawnSync(process.execPath, [BIN, 'migrate', '--data-dir', dataDir], { env: { ...env, PORT: 'eighty' }, encoding: 'utf8' });
  assert.equal(res.status, 1);
  assert.match(res.stderr, /PORT="eighty" is not valid: expected an integer/);
  const unknown = spawnSync(process.execPath, [BIN, 'frobnicate'], { env, encoding: 'utf8' });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});

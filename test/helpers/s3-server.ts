// A real S3-compatible server for tests: s3rver in a child process on 127.0.0.1, an
// OS-chosen free port, a temporary folder and one bucket; stopped (and its folder removed) by stop().
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { S3StorageOptions } from '../../src/storage/s3.ts';

export interface S3Server {
  endpoint: string;
  port: number;
  bucket: string;
  /** Options for an S3Storage on this server (or on a proxy in front of it, by changing `endpoint`). */
  options(prefix: string): S3StorageOptions;
  stop(): Promise<void>;
}

// s3rver's accounts are fixed: this pair is the one its signature check accepts.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

// Runs in the child. It exits when the parent's end of stdin closes, so a crashed test
// run leaves no server behind.
const CHILD = `
const S3rver = require(process.env.S3RVER_MODULE);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: process.env.S3RVER_DIR,
  configureBuckets: [{ name: process.env.S3RVER_BUCKET }] });
server.run().then((addr) => process.stdout.write(JSON.stringify({ port: addr.port }) + '\\n'),
  (err) => { console.error(err); process.exit(1); });
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

export async function startS3Server(bucket = 'bindery-test'): Promise<S3Server> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-s3rver-'));
  // s3rver 3.7 signs ListObjectsV2 continuation tokens with DES, which OpenSSL 3 only has in
  // its legacy provider: without this flag every listing longer than one page fails with 500.
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', CHILD], {
    env: { ...process.env, S3RVER_MODULE: createRequire(import.meta.url).resolve('s3rver'), S3RVER_DIR: dir, S3RVER_BUCKET: bucket },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start in 20 s:\n${stderr}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(\{.*\})\n/.exec(out);
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line[1]!) as { port: number }).port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited (${code}) before listening:\n${stderr}`));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port,
    bucket,
    options: (prefix) => ({ bucket, prefix, endpoint, region: 'us-east-1', credentials: CREDENTIALS, forcePathStyle: true }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The S3 backend against a real S3-compatible server (s3rver over a local socket): the
// storage contract, keys kept under the configured prefix, and opening it by STORAGE_URL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { loadConfig } from '../../../src/config.ts';
import { openStorage } from '../../../src/storage/index.ts';
import { S3Storage } from '../../../src/storage/s3.ts';
import { startS3Server, type S3Server } from '../../helpers/s3-server.ts';
import { storageContract } from './contract.ts';

let server: S3Server;
before(async () => {
  server = await startS3Server();
});
after(async () => {
  await server?.stop();
});

let runs = 0;
storageContract('S3 (s3rver)', async () => {
  const storage = new S3Storage(server.options(`contract-${++runs}/nested`));
  return { storage, cleanup: async () => storage.destroy() };
});

test('keys live under the configured prefix, and a sibling prefix never leaks in', async () => {
  const a = new S3Storage(server.options('tenant/a'));
  const ab = new S3Storage(server.options('tenant/ab'));
  const root = new S3Storage(server.options(''));
  try {
    await a.put('x/1.html', 'a');
    await ab.put('x/2.html', 'ab');
    const raw = await a.client.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: 'tenant/' }));
    assert.deepEqual(raw.Contents?.map((o) => o.Key).sort(), ['tenant/a/x/1.html', 'tenant/ab/x/2.html']);
    assert.deepEqual(await a.list('x'), ['x/1.html']);
    assert.equal(await a.get('x/2.html'), null);
    assert.deepEqual(await root.list('tenant'), ['tenant/a/x/1.html', 'tenant/ab/x/2.html']);
    await a.deletePrefix('x');
    assert.deepEqual(await root.list('tenant'), ['tenant/ab/x/2.html']);
  } finally {
    for (const s of [a, ab, root]) s.destroy();
  }
});

test('a missing bucket is an error, not a missing file', async () => {
  const storage = new S3Storage({ ...server.options('p'), bucket: 'no-such-bucket' });
  try {
    await assert.rejects(storage.get('index.html'), /bucket/i);
  } finally {
    storage.destroy();
  }
});

test('STORAGE_URL=s3://… with S3_* settings opens this backend', async () => {
  const env = { STORAGE_URL: `s3://${server.bucket}/opened/here/`, S3_ENDPOINT: server.endpoint, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' };
  const config = loadConfig(env, {}, '/srv');
  assert.deepEqual(config.s3, {
    bucket: server.bucket,
    prefix: 'opened/here',
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
  });
  const storage = openStorage(config.storageUrl, config.s3);
  assert.ok(storage instanceof S3Storage);
  try {
    await storage.put('v/index.html', 'opened');
    assert.equal((await storage.get('v/index.html'))?.size, 6);
    const raw = await storage.client.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: 'opened/' }));
    assert.deepEqual(raw.Contents?.map((o) => o.Key), ['opened/here/v/index.html']);
  } finally {
    storage.destroy();
  }
  // Bad settings stop the process with a message naming the variable.
  assert.throws(() => loadConfig({ ...env, S3_SECRET_ACCESS_KEY: '' }, {}, '/srv'), /S3_SECRET_ACCESS_KEY is not set/);
  assert.throws(() => loadConfig({ ...env, S3_FORCE_PATH_STYLE: 'sometimes' }, {}, '/srv'), /S3_FORCE_PATH_STYLE="sometimes" is not valid/);
  assert.throws(() => loadConfig({ ...env, S3_ENDPOINT: 'minio:9000' }, {}, '/srv'), /S3_ENDPOINT="minio:9000" is not valid/);
  assert.throws(() => loadConfig({ ...env, STORAGE_URL: 's3://Not_A_Bucket/p' }, {}, '/srv'), /STORAGE_URL="s3:\/\/Not_A_Bucket\/p" is not valid: expected a bucket name/);
  assert.throws(() => loadConfig({ ...env, STORAGE_URL: 's3://bucket/a/../b' }, {}, '/srv'), /STORAGE_URL=.* is not valid/);
  assert.equal(loadConfig({ STORAGE_URL: 's3://bucket' }, {}, '/srv').s3?.forcePathStyle, false, 'AWS itself: virtual-hosted style');
  assert.equal(loadConfig({}, {}, '/srv').s3, undefined, 'no S3 block for filesystem storage');
});

// The filesystem storage backend on a real folder: the storage contract shared with S3, plus
// what only a folder has: keys or files that try to leave it, and symlinks planted inside.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { FilesystemStorage } from '../../../src/storage/filesystem.ts';
import { storageContract } from './contract.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-fs-'));
const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-outside-'));
const storage = new FilesystemStorage(path.join(root, 'store'));
after(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

storageContract('filesystem', async () => ({
  storage: new FilesystemStorage(path.join(root, 'contract')),
  cleanup: async () => {},
}));

test('put, get, exists, list, deletePrefix', async () => {
  await storage.put('p/v/1/html/index.html', '<h1>hi</h1>');
  await storage.put('p/v/1/html/a/b.css', Buffer.from('body{}'));
  await storage.put('p/v/2/html/index.html', 'two');
  const file = await storage.get('p/v/1/html/index.html');
  assert.ok(file);
  assert.equal(file.size, 11);
  assert.equal(await text(file.body), '<h1>hi</h1>');
  assert.equal(await storage.exists('p/v/1/html/a/b.css'), true);
  assert.equal(await storage.exists('p/v/1/html/a'), false, 'a folder is not an object');
  assert.equal(await storage.get('p/v/1/html/a'), null);
  assert.equal(await storage.get('p/v/1/html/missing'), null);
  assert.deepEqual(await storage.list('p/v/1'), ['p/v/1/html/a/b.css', 'p/v/1/html/index.html']);
  await storage.deletePrefix('p/v/1');
  assert.deepEqual(await storage.list('p/v/1'), []);
  assert.deepEqual(await storage.list('p/v'), ['p/v/2/html/index.html']);
});

test('putDirectory uploads regular files only', async () => {
  const src = fs.mkdtempSync(path.join(root, 'src-'));
  fs.mkdirSync(path.join(src, 'sub'));
  fs.writeFileSync(path.join(src, 'index.html'), 'x');
  fs.writeFileSync(path.join(src, 'sub', 'page.html'), 'y');
  fs.writeFileSync(path.join(outside, 'secret'), 'secret');
  fs.symlinkSync(path.join(outside, 'secret'), path.join(src, 'link'));
  const keys = await storage.putDirectory(src, 'q/latest/7/html');
  assert.deepEqual(keys, ['q/latest/7/html/index.html', 'q/latest/7/html/sub/page.html']);
});

test('unsafe keys are refused; a symlink inside storage is never followed', async () => {
  for (const key of ['../escape', 'a/../../escape', '/abs', 'a//b', 'a\\b', 'a/./b', '', 'a/\u0000']) {
    await assert.rejects(storage.put(key, 'x'), /unsafe storage key/, JSON.stringify(key));
    await assert.rejects(storage.get(key), /unsafe storage key/, JSON.stringify(key));
  }
  fs.writeFileSync(path.join(outside, 'secret'), 'secret');
  fs.mkdirSync(path.join(storage.root, 'evil'), { recursive: true });
  fs.symlinkSync(path.join(outside, 'secret'), path.join(storage.root, 'evil', 'link'));
  assert.equal(await storage.get('evil/link'), null);
  assert.equal(await storage.exists('evil/link'), false);
});

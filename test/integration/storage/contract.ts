// The one behaviour every storage backend must have (DESIGN §3): registered as node:test
// tests by each backend's test file, so the filesystem and S3 are held to the same cases.
// Each case writes under its own top-level name, so cases share one storage without clashing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer, text } from 'node:stream/consumers';
import type { Storage } from '../../../src/storage/storage.ts';

export interface StorageUnderTest {
  storage: Storage;
  cleanup(): Promise<void>;
}

const MB = 1024 * 1024;
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function read(storage: Storage, key: string, range?: { start: number; end: number }): Promise<{ size: number; body: Buffer } | null> {
  const file = await storage.get(key, range);
  if (!file) return null;
  assert.ok(file.modified instanceof Date && !Number.isNaN(file.modified.getTime()), 'modified is a date');
  return { size: file.size, body: await buffer(file.body) };
}

export function storageContract(name: string, open: () => Promise<StorageUnderTest>): void {
  describe(`storage contract: ${name}`, () => {
    let under: StorageUnderTest;
    let storage: Storage;
    let local: string;
    before(async () => {
      under = await open();
      storage = under.storage;
      local = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-contract-'));
    });
    after(async () => {
      await under.cleanup();
      fs.rmSync(local, { recursive: true, force: true });
    });

    test('round trip of a string and a buffer, with size and a recent modified date', async () => {
      const start = Date.now();
      await storage.put('rt/p/v/1/html/index.html', '<h1>héllo</h1>');
      await storage.put('rt/p/v/1/html/a/b.css', Buffer.from('body{}'));
      const file = await storage.get('rt/p/v/1/html/index.html');
      assert.ok(file);
      assert.equal(file.size, Buffer.byteLength('<h1>héllo</h1>'));
      // Servers keep whole seconds, so allow a little slack around the write.
      assert.ok(Math.abs(file.modified.getTime() - start) < 60_000, `modified ${file.modified.toISOString()}`);
      assert.equal(await text(file.body), '<h1>héllo</h1>');
      assert.equal((await read(storage, 'rt/p/v/1/html/a/b.css'))?.body.toString(), 'body{}');
    });

    test('binary-safe content and keys with spaces, unicode and URL-special characters', async () => {
      const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x00, 0x0d, 0x0a]), randomBytes(4096)]);
      const key = 'bin/ünï cödé + %20 ?#&=.bin';
      await storage.put(key, bytes);
      const got = await read(storage, key);
      assert.equal(got?.size, bytes.length);
      assert.ok(got.body.equals(bytes), 'bytes come back unchanged');
      assert.deepEqual(await storage.list('bin'), [key]);
    });

    test('overwrite replaces the object', async () => {
      await storage.put('ow/file.txt', 'first version, longer');
      await storage.put('ow/file.txt', 'second');
      const got = await read(storage, 'ow/file.txt');
      assert.equal(got?.size, 6);
      assert.equal(got.body.toString(), 'second');
      assert.deepEqual(await storage.list('ow'), ['ow/file.txt']);
    });

    test('ranges: start and end inclusive; size is the whole object', async () => {
      await storage.put('rg/digits.txt', '0123456789');
      for (const [start, end, want] of [[0, 0, '0'], [3, 6, '3456'], [9, 9, '9'], [0, 9, '0123456789'], [5, 100, '56789']] as const) {
        const got = await read(storage, 'rg/digits.txt', { start, end });
        assert.equal(got?.size, 10, `size for ${start}-${end}`);
        assert.equal(got.body.toString(), want, `bytes ${start}-${end}`);
      }
    });

    test('a missing object is null, with or without a range', async () => {
      assert.equal(await storage.get('missing/nothing.html'), null);
      assert.equal(await storage.get('missing/nothing.html', { start: 0, end: 3 }), null);
      assert.equal(await storage.exists('missing/nothing.html'), false);
      assert.deepEqual(await storage.list('missing'), []);
    });

    test('exists is true only for an object, never for a folder-like prefix', async () => {
      await storage.put('ex/a/b.txt', 'x');
      assert.equal(await storage.exists('ex/a/b.txt'), true);
      assert.equal(await storage.exists('ex/a'), false);
      assert.equal(await storage.exists('ex'), false);
      assert.equal(await storage.exists('ex/a/b'), false, 'a key prefix is not an object either');
      assert.equal(await storage.get('ex/a'), null);
    });

    test('list is sorted and holds only keys under the prefix (p/v1 is not p/v10)', async () => {
      for (const key of ['ls/p/v1/b.html', 'ls/p/v1/a/z.css', 'ls/p/v1/a/c.html', 'ls/p/v10/x.html', 'ls/p/v1.txt', 'ls/p/v1-old/y.html', 'ls/q/v1/n.html']) {
        await storage.put(key, key);
      }
      const want = ['ls/p/v1/a/c.html', 'ls/p/v1/a/z.css', 'ls/p/v1/b.html'];
      assert.deepEqual(await storage.list('ls/p/v1'), want);
      assert.deepEqual(await storage.list('ls/p/v1/'), want, 'a trailing slash changes nothing');
      assert.deepEqual(await storage.list('ls/p/v1/a'), want.slice(0, 2));
      assert.deepEqual(await storage.list('ls/p'), ['ls/p/v1-old/y.html', 'ls/p/v1.txt', ...want, 'ls/p/v10/x.html']);
      assert.deepEqual(await storage.list('ls/p/v'), []);
    });

    test('deletePrefix removes that prefix only', async () => {
      for (const key of ['del/v1/a.html', 'del/v1/sub/b.html', 'del/v10/c.html', 'del/v1.txt']) await storage.put(key, 'x');
      await storage.deletePrefix('del/v1');
      assert.deepEqual(await storage.list('del'), ['del/v1.txt', 'del/v10/c.html']);
      assert.equal(await storage.get('del/v1/a.html'), null);
      await storage.deletePrefix('del/never-written');
      assert.deepEqual(await storage.list('del'), ['del/v1.txt', 'del/v10/c.html']);
    });

    test('putDirectory uploads a nested tree of regular files; symlinks are skipped', async () => {
      const src = path.join(local, 'tree');
      fs.mkdirSync(path.join(src, 'sub', 'deeper'), { recursive: true });
      fs.mkdirSync(path.join(src, 'empty'));
      const files: Record<string, Buffer> = {
        'index.html': Buffer.from('<p>home</p>'),
        'sub/page.html': Buffer.from('<p>page</p>'),
        'sub/deeper/style.css': Buffer.from('p{}'),
        'img.png': randomBytes(3000),
        'empty.txt': Buffer.alloc(0),
      };
      for (const [rel, body] of Object.entries(files)) fs.writeFileSync(path.join(src, rel), body);
      const outside = path.join(local, 'outside');
      fs.mkdirSync(outside);
      fs.writeFileSync(path.join(outside, 'secret'), 'secret');
      fs.symlinkSync(path.join(outside, 'secret'), path.join(src, 'link-to-file'));
      fs.symlinkSync(outside, path.join(src, 'link-to-dir'));
      const keys = await storage.putDirectory(src, 'pd/p/latest/7/html');
      const want = Object.keys(files).map((rel) => `pd/p/latest/7/html/${rel}`).sort();
      assert.deepEqual([...keys].sort(), want);
      assert.deepEqual(await storage.list('pd/p/latest/7'), want);
      for (const [rel, body] of Object.entries(files)) {
        const got = await read(storage, `pd/p/latest/7/html/${rel}`);
        assert.ok(got?.body.equals(body), rel);
      }
    });

    test('a list and a deletePrefix longer than one page (1000 keys)', async () => {
      const src = path.join(local, 'many');
      fs.mkdirSync(path.join(src, 'a'), { recursive: true });
      for (let i = 0; i < 1005; i++) fs.writeFileSync(path.join(src, 'a', `f${String(i).padStart(4, '0')}.txt`), String(i));
      const keys = await storage.putDirectory(src, 'many/build');
      assert.equal(keys.length, 1005);
      const listed = await storage.list('many/build');
      assert.equal(listed.length, 1005);
      assert.deepEqual(listed, [...keys].sort());
      await storage.deletePrefix('many/build');
      assert.deepEqual(await storage.list('many'), []);
    });

    test('unsafe keys and prefixes are rejected', async () => {
      const bad = ['../escape', 'a/../../escape', '/abs', 'a//b', 'a\\b', 'a/./b', '', 'a/\u0000'];
      for (const key of bad) {
        const label = JSON.stringify(key);
        await assert.rejects(storage.put(key, 'x'), /unsafe storage key/, label);
        await assert.rejects(storage.get(key), /unsafe storage key/, label);
        await assert.rejects(storage.list(key), /unsafe storage key/, label);
        await assert.rejects(storage.deletePrefix(key), /unsafe storage key/, label);
        // A question, not an action: no unsafe key names an object.
        assert.equal(await storage.exists(key), false, label);
      }
      const src = path.join(local, 'one');
      fs.mkdirSync(src);
      fs.writeFileSync(path.join(src, 'a.txt'), 'a');
      await assert.rejects(storage.putDirectory(src, '../outside'), /unsafe storage key/);
    });

    test('a 20 MB file goes up and comes back identical (multipart on S3), ranges across parts', async () => {
      const src = path.join(local, 'large');
      fs.mkdirSync(src);
      const big = randomBytes(20 * MB + 12345);
      fs.writeFileSync(path.join(src, 'book.pdf'), big);
      fs.writeFileSync(path.join(src, 'index.html'), 'small');
      const keys = await storage.putDirectory(src, 'large/p/v/9/pdf');
      assert.deepEqual([...keys].sort(), ['large/p/v/9/pdf/book.pdf', 'large/p/v/9/pdf/index.html']);
      const got = await read(storage, 'large/p/v/9/pdf/book.pdf');
      assert.equal(got?.size, big.length);
      assert.equal(sha256(got.body), sha256(big));
      const start = 8 * MB - 100;
      const part = await read(storage, 'large/p/v/9/pdf/book.pdf', { start, end: start + 199 });
      assert.equal(part?.size, big.length);
      assert.ok(part.body.equals(big.subarray(start, start + 200)), 'a range that spans a part boundary');
    });
  });
}

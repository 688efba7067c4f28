// precompressDirectory(): `.br` and `.gz` beside text files of 1 KB or more, nothing for
// small, binary or incompressible files, no symbolic link followed, safe to run twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { MIN_PRECOMPRESS_BYTES, precompressDirectory } from '../../../src/builder/steps/precompress.ts';

let dir: string;
let outside: string;
const html = '<p>Compress me, I am read many times.</p>\n'.repeat(100);
const js = 'export const answer = () => 42;\n'.repeat(100);

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-pre-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-outside-'));
  const write = (name: string, body: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), body);
  };
  write('index.html', html);
  write('deep/er/app.js', js);
  write('small.css', 'body { margin: 0 }\n'.repeat(10));
  write('exactly-1k.txt', 'x'.repeat(MIN_PRECOMPRESS_BYTES));
  write('logo.png', Buffer.concat([Buffer.from('\x89PNG'), Buffer.alloc(4000)]));
  write('noise.txt', randomBytes(4096));
  fs.writeFileSync(path.join(outside, 'elsewhere.html'), html);
  fs.symlinkSync(path.join(outside, 'elsewhere.html'), path.join(dir, 'link.html'));
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

const exists = (name: string) => fs.existsSync(path.join(dir, name));

test('text files of 1 KB or more get .br and .gz siblings that decompress to the file', async () => {
  const result = await precompressDirectory(dir);
  for (const [name, body] of [['index.html', html], ['deep/er/app.js', js]] as const) {
    assert.equal(zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, `${name}.br`))).toString(), body, name);
    assert.equal(zlib.gunzipSync(fs.readFileSync(path.join(dir, `${name}.gz`))).toString(), body, name);
    assert.ok(fs.statSync(path.join(dir, `${name}.br`)).size < body.length / 4);
  }
  assert.ok(exists('exactly-1k.txt.br') && exists('exactly-1k.txt.gz'), 'the threshold is inclusive');
  assert.equal(result.files, 3);
  assert.equal(result.bytesIn, html.length + js.length + MIN_PRECOMPRESS_BYTES);
  assert.ok(result.brBytes > 0 && result.gzBytes > 0);
});

test('small, binary and incompressible files, and symbolic links, get nothing', () => {
  for (const name of ['small.css', 'logo.png', 'noise.txt', 'link.html']) {
    assert.equal(exists(`${name}.br`) || exists(`${name}.gz`), false, name);
  }
  assert.equal(fs.existsSync(path.join(outside, 'elsewhere.html.br')), false);
});

test('running twice compresses no sibling again', async () => {
  const again = await precompressDirectory(dir);
  assert.equal(again.files, 3);
  assert.deepEqual(fs.readdirSync(dir, { recursive: true }).filter((n) => /\.(br|gz)\.(br|gz)$/.test(String(n))), []);
});

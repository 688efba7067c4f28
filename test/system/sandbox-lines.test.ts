// Log line splitting and the log budget, fed chunk by chunk the way pipes deliver output:
// breaks and characters split across chunks, and lines too long to keep.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, LogBudget, MAX_LINE } from '../../src/builder/sandbox/lines.ts';
import { sandboxError } from '../../src/builder/sandbox/index.ts';

function split(chunks: (string | Buffer)[]): string[] {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  s.end();
  return lines;
}

test('splits on \\n, \\r\\n and lone \\r, also across chunks', () => {
  assert.deepEqual(split(['a\nb\r', '\nc\rd', 'e\n\nf']), ['a', 'b', 'c', 'de', '', 'f']);
});

test('keeps a UTF-8 character split across chunks', () => {
  const euro = Buffer.from('x€y\n');
  assert.deepEqual(split([euro.subarray(0, 2), euro.subarray(2)]), ['x€y']);
});

test('truncates a long line once and drops its rest without buffering it', () => {
  const big = 'a'.repeat(MAX_LINE * 3);
  const lines = split([big.slice(0, 10_000), big.slice(10_000), '\nnext\n']);
  assert.equal(lines.length, 2);
  assert.ok(lines[0]!.startsWith('a'.repeat(MAX_LINE)) && lines[0]!.endsWith('[line truncated]'));
  assert.equal(lines[1], 'next');
});

test('the log budget tells how much of a chunk still fits', () => {
  const b = new LogBudget(10);
  assert.equal(b.take(6), 6);
  assert.equal(b.exceeded, false);
  assert.equal(b.take(6), 4);
  assert.equal(b.exceeded, true);
  assert.equal(b.take(1), 0);
});

test('each breach maps to its own build error code', () => {
  const limits = { timeoutMs: 1, memoryBytes: 256 << 20, maxProcesses: 64, maxOutputBytes: 1 << 30, log: new LogBudget(4 << 20) };
  const base = { exitCode: 137, timedOut: false, cancelled: false };
  const code = (r: Partial<typeof base> & { limit?: 'memory' | 'processes' | 'log' | 'output' }) => sandboxError({ ...base, ...r }, ['cmd'], limits)?.code;
  assert.equal(code({ cancelled: true, timedOut: true }), 'cancelled');
  assert.equal(code({ timedOut: true }), 'build-timeout');
  assert.equal(code({ limit: 'memory' }), 'memory-limit');
  assert.equal(code({ limit: 'processes' }), 'process-limit');
  assert.equal(code({ limit: 'log' }), 'log-limit');
  assert.equal(code({ limit: 'output' }), 'output-limit');
  assert.equal(code({ exitCode: 1 }), undefined);
  assert.match(sandboxError({ ...base, limit: 'memory' }, ['cmd'], limits)!.message, /256 MB/);
});

// Which app of `bindery serve` a request goes to, and whose X-Forwarded-Host counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { isDocsHost, requestHost, trustedProxies } from '../../../src/cli/serve.ts';

test('docs hosts, custom domains and the web tier', () => {
  const rows: Array<[string, boolean]> = [
    ['bindery.docs.localhost:8000', true],
    ['bindery--7.previews.localhost:8000', true],
    ['docs.example.com', true],
    ['localhost:8000', false],
    ['127.0.0.1:8000', false],
    ['[::1]:8000', false],
    ['', false],
    ['bindery.example.org', false],
  ];
  for (const [host, docs] of rows) assert.equal(isDocsHost(host, 'bindery.example.org', 'docs.localhost', 'previews.localhost'), docs, host);
});

test('X-Forwarded-Host is believed only from a trusted proxy', () => {
  const trusted = trustedProxies(['127.0.0.1', '10.0.0.0/8', '::1']);
  const req = (remote: string, headers: Record<string, string>) => ({ socket: { remoteAddress: remote }, headers }) as unknown as http.IncomingMessage;
  assert.equal(requestHost(req('127.0.0.1', { host: 'localhost:8000', 'x-forwarded-host': 'a.docs.localhost' }), trusted), 'a.docs.localhost');
  assert.equal(requestHost(req('::ffff:10.1.2.3', { host: 'x', 'x-forwarded-host': 'b.docs.localhost' }), trusted), 'b.docs.localhost');
  assert.equal(requestHost(req('203.0.113.9', { host: 'localhost:8000', 'x-forwarded-host': 'a.docs.localhost' }), trusted), 'localhost:8000');
  // A proxy that appends: the entry it wrote (the last) counts, not the client's, as in Fastify.
  assert.equal(requestHost(req('127.0.0.1', { host: 'x', 'x-forwarded-host': 'forged.docs.localhost, a.docs.localhost' }), trusted), 'a.docs.localhost');
  // No proxy configured (the default): nobody names the host.
  assert.equal(requestHost(req('127.0.0.1', { host: 'localhost:8000', 'x-forwarded-host': 'a.docs.localhost' }), trustedProxies([])), 'localhost:8000');
});

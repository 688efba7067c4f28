// Preview hosts: which host names a pull-request preview, what each host may serve, and
// where readers are sent — every hostile or near-miss host in a table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentationUrl, previewFromHost, previewsReadable, servedOnHost } from '../../../src/core/previews.ts';

test('previewFromHost: <project>--<number>.<preview domain> and nothing else', () => {
  const rows: Array<[string, { slug: string; version: string } | null]> = [
    ['widget--7.previews.localhost', { slug: 'widget', version: '7' }],
    ['Widget--7.Previews.Localhost:8000', { slug: 'widget', version: '7' }],
    ['widget--7.previews.localhost.', { slug: 'widget', version: '7' }],
    // The last `--` splits, as Read the Docs' unresolver does.
    ['my--docs--12.previews.localhost', { slug: 'my--docs', version: '12' }],
    ['widget--1234567890.previews.localhost', { slug: 'widget', version: '1234567890' }],
    ['widget.previews.localhost', null],
    ['widget--.previews.localhost', null],
    ['--7.previews.localhost', null],
    ['widget--07.previews.localhost', null], // one preview, one host
    ['widget--0.previews.localhost', null],
    ['widget--latest.previews.localhost', null],
    ['widget--12345678901.previews.localhost', null],
    ['-widget--7.previews.localhost', null],
    ['a.widget--7.previews.localhost', null],
    ['widget--7.docs.localhost', null],
    ['widget--7.evilpreviews.localhost', null],
    ['widget--7.previews.localhost.evil.example', null],
    ['previews.localhost', null],
    [`${'a'.repeat(61)}--7.previews.localhost`, null], // longer than a DNS label
    ['', null],
  ];
  for (const [host, expected] of rows) assert.deepEqual(previewFromHost(host, 'previews.localhost'), expected, host);
});

test('servedOnHost: an external version only on its own preview host, others never there', () => {
  const rows: Array<[{ type: string; slug: string }, string | null, boolean]> = [
    [{ type: 'branch', slug: 'latest' }, null, true],
    [{ type: 'tag', slug: 'v1' }, null, true],
    [{ type: 'external', slug: '7' }, null, false],
    [{ type: 'external', slug: '7' }, '7', true],
    [{ type: 'external', slug: '8' }, '7', false],
    [{ type: 'branch', slug: '7' }, '7', false],
    [{ type: 'branch', slug: 'latest' }, '7', false],
  ];
  for (const [version, preview, expected] of rows) assert.equal(servedOnHost(version, preview), expected, `${version.type} ${version.slug} on ${preview}`);
});

test('previewsReadable: on, public previews of a public project only', () => {
  const on = { privacyLevel: 'public', externalBuildsEnabled: true, externalBuildsPrivacyLevel: 'public' };
  assert.equal(previewsReadable(on), true);
  assert.equal(previewsReadable({ ...on, externalBuildsEnabled: false }), false);
  assert.equal(previewsReadable({ ...on, externalBuildsPrivacyLevel: 'private' }), false);
  assert.equal(previewsReadable({ ...on, privacyLevel: 'private' }), false);
});

test('documentationUrl: previews on their own host, in the project\'s URL layout', () => {
  const hosts = { publicUrl: 'http://localhost:8000', docsDomain: 'docs.localhost', previewDomain: 'previews.localhost' };
  const project = { slug: 'widget', language: 'en', singleVersion: false };
  assert.equal(documentationUrl(hosts, project, { slug: 'latest', type: 'branch' }), 'http://widget.docs.localhost:8000/en/latest/');
  assert.equal(documentationUrl(hosts, project, { slug: '7', type: 'external' }), 'http://widget--7.previews.localhost:8000/en/7/');
  // A single-version preview is served at its host's root (the host names the version).
  assert.equal(documentationUrl(hosts, { ...project, singleVersion: true }, { slug: '7', type: 'external' }), 'http://widget--7.previews.localhost:8000/');
  assert.equal(documentationUrl(hosts, { ...project, versioningScheme: 'multiple_versions_without_translations' }, { slug: '7', type: 'external' }), 'http://widget--7.previews.localhost:8000/7/');
  assert.equal(documentationUrl(hosts, { ...project, customPrefix: '/docs/' }, { slug: 'latest', type: 'branch' }), 'http://widget.docs.localhost:8000/docs/en/latest/');
});

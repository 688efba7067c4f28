// Table-driven tests for the public URLs of a project's docs and reading a docs host back.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { docsOrigin, isLookalikeHost, slugFromHost, versionDocsUrl } from '../../../src/core/urls.ts';

describe('docsOrigin', () => {
  const cases: Array<[string, string, string, string]> = [
    ['http://localhost:8000', 'docs.localhost', 'bindery', 'http://bindery.docs.localhost:8000'],
    ['https://bindery.example.com', 'docs.example.com', 'proj', 'https://proj.docs.example.com'],
    ['https://bindery.example.com:8443/admin/', 'docs.example.com', 'proj', 'https://proj.docs.example.com:8443'],
    // Default ports are not written out.
    ['https://bindery.example.com:443', 'docs.example.com', 'proj', 'https://proj.docs.example.com'],
    ['http://localhost:80', 'docs.localhost', 'proj', 'http://proj.docs.localhost'],
  ];
  for (const [publicUrl, domain, slug, expected] of cases) {
    test(`${publicUrl} + ${domain} + ${slug} → ${expected}`, () => {
      assert.equal(docsOrigin(publicUrl, domain, slug), expected);
    });
  }
});

describe('versionDocsUrl', () => {
  const origin = 'http://bindery.docs.localhost:8000';
  test('multi-version: /<language>/<version>/', () => {
    assert.equal(versionDocsUrl(origin, { language: 'en', singleVersion: false }, 'latest'), `${origin}/en/latest/`);
    assert.equal(versionDocsUrl(origin, { language: 'de', singleVersion: false }, 'v1.0'), `${origin}/de/v1.0/`);
  });
  test('single-version: the root, whatever the version', () => {
    assert.equal(versionDocsUrl(origin, { language: 'en', singleVersion: true }, 'latest'), `${origin}/`);
    assert.equal(versionDocsUrl(origin, { language: 'de', singleVersion: true }, 'v1.0'), `${origin}/`);
  });

  test('follows the versioning scheme and the custom prefix', () => {
    assert.equal(versionDocsUrl(origin, { language: 'de', singleVersion: false, versioningScheme: 'multiple_versions_without_translations' }, 'v1.0'), `${origin}/v1.0/`);
    assert.equal(versionDocsUrl(origin, { language: 'de', singleVersion: false, customPrefix: '/docs/' }, 'v1.0'), `${origin}/docs/de/v1.0/`);
    assert.equal(versionDocsUrl(origin, { language: 'de', singleVersion: true, versioningScheme: 'single_version_without_translations', customPrefix: '/docs/' }, 'v1.0'), `${origin}/docs/`);
  });
});

describe('slugFromHost', () => {
  const domain = 'docs.localhost';
  const cases: Array<[string, string | null]> = [
    ['bindery.docs.localhost', 'bindery'],
    ['bindery.docs.localhost:8000', 'bindery'],
    ['my-proj.docs.localhost:443', 'my-proj'],
    ['bindery.docs.localhost.', 'bindery'],
    ['bindery.docs.localhost.:8000', 'bindery'],
    ['BINDERY.Docs.LocalHost', 'bindery'],
    ['Bindery.DOCS.LOCALHOST:8000', 'bindery'],
    ['docs.localhost', null],
    ['docs.localhost:8000', null],
    ['.docs.localhost', null],
    ['xdocs.localhost', null],
    ['localhost', null],
    ['evil.example', null],
    ['bindery.docs.localhost.evil.example', null],
    ['bindery.docs.localhost.evil.example:8000', null],
    ['a.b.docs.localhost', null],
    ['-a.docs.localhost', null],
    ['a-.docs.localhost', null],
    ['a_b.docs.localhost', null],
    [`${'a'.repeat(64)}.docs.localhost`, null],
    [`${'a'.repeat(63)}.docs.localhost`, 'a'.repeat(63)],
    ['[::1]:8000', null],
    ['', null],
  ];
  for (const [host, expected] of cases) {
    test(`${JSON.stringify(host.length > 50 ? `${host.slice(0, 10)}…(${host.length})` : host)} → ${expected === null ? 'null' : expected.length > 20 ? `${expected.slice(0, 5)}…` : expected}`, () => {
      assert.equal(slugFromHost(host, domain), expected);
    });
  }

  test('works with a multi-label production docs domain', () => {
    assert.equal(slugFromHost('proj.docs.example.com', 'docs.example.com'), 'proj');
    assert.equal(slugFromHost('proj.example.com', 'docs.example.com'), null);
    assert.equal(slugFromHost('proj.docs.example.com.evil', 'docs.example.com'), null);
  });

  test('round-trips docsOrigin', () => {
    const host = new URL(docsOrigin('http://localhost:8000', domain, 'bindery')).host;
    assert.equal(slugFromHost(host, domain), 'bindery');
  });
});

describe('isLookalikeHost: names that look like docs hosts without being one (400 on Read the Docs)', () => {
  const domains = ['docs.localhost', 'previews.localhost'];
  const cases: Array<[string, boolean]> = [
    ['guide.docs.localhost', false],
    ['Guide.Docs.Localhost:8000', false],
    ['widget--7.previews.localhost', false],
    ['docs.example.com', false],
    ['a.b.docs.localhost', true],
    ['docs.localhost.evil.example', true],
    ['docs.localhost', true],
    ['xdocs.localhost', true],
    ['a.b.previews.localhost', true],
  ];
  for (const [host, expected] of cases) test(`${host} → ${expected}`, () => assert.equal(isLookalikeHost(host, domains), expected));
});

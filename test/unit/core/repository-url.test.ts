// Table-driven tests for which repository URLs Bindery hands to git: only transports that
// can neither read the server's own files nor run commands, unless local repos are allowed.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRepositoryUrl } from '../../../src/core/repository-url.ts';

const remoteOk = [
  'https://github.com/owner/repo.git',
  'https://github.com/owner/repo',
  'https://gitlab.example.com/group/sub/repo.git',
  'https://user:token@git.example.com/repo.git',
  'https://git.example.com:8443/repo.git',
  'ssh://git@github.com/owner/repo.git',
  'ssh://git@git.example.com:2222/repo.git',
  'git@github.com:owner/repo.git',
  'git@github.com:owner/repo',
  'deploy_user@git.example.com:team/docs.git',
];

const localOnly = ['file:///srv/repos/docs.git', 'file:///tmp/repo', '/srv/repos/docs.git', '/tmp/repo'];

// [url, what the reason must mention]
const alwaysRefused: Array<[string, RegExp]> = [
  ['ext::sh -c touch% /tmp/pwned', /whitespace/],
  ['ext::sh', /ext protocol/],
  ['ext::ssh%20-oProxyCommand=x', /ext protocol/],
  ['-uhttps://github.com/o/r', /leading dash/],
  ['--upload-pack=touch%20/tmp/x', /leading dash/],
  ['-oProxyCommand=x', /leading dash/],
  ['http://github.com/owner/repo.git', /http protocol/],
  ['HTTP://github.com/owner/repo.git', /http protocol/],
  ['git://github.com/owner/repo.git', /git protocol/],
  ['ftp://example.com/repo.git', /ftp protocol/],
  ['fd::17', /fd protocol/],
  ['fd::0,1/repo', /fd protocol/],
  ['git@host::x', /expected a URL/],
  ['', /required/],
  ['   ', /required/],
  ['https://github.com/o r', /whitespace/],
  ['https://github.com/o/r\tx', /whitespace/],
  ['https://github.com/o/r\nx', /whitespace/],
  ['https://github.com/o/r\u0000', /control/],
  ['https://github.com/o/\u0001r', /control/],
  ['https://github.com/\u001bo/r', /control/],
  ['https://github.com/o/r\u007f', /control/],
  ['git@github.com:o r', /whitespace/],
  ['relative/path', /expected a URL/],
  ['./repo', /expected a URL/],
  ['../repo', /expected a URL/],
  ['github.com/owner/repo', /expected a URL/],
  ['ssh:///path/repo.git', /no host/],
  [`https://github.com/${'a'.repeat(2049)}`, /2048/],
];

describe('checkRepositoryUrl', () => {
  for (const allowLocal of [false, true]) {
    for (const url of remoteOk) {
      test(`allowLocal=${allowLocal}: accepts ${url}`, () => {
        assert.deepEqual(checkRepositoryUrl(url, allowLocal), { ok: true, url });
      });
    }
    for (const [url, reason] of alwaysRefused) {
      test(`allowLocal=${allowLocal}: refuses ${JSON.stringify(url.length > 60 ? `${url.slice(0, 40)}…(${url.length} chars)` : url)}`, () => {
        const result = checkRepositoryUrl(url, allowLocal);
        assert.equal(result.ok, false, JSON.stringify(result));
        assert.ok(!result.ok);
        assert.match(result.reason, reason);
      });
    }
  }

  for (const url of localOnly) {
    test(`local ${url}: refused by default, accepted when local repositories are allowed`, () => {
      const refused = checkRepositoryUrl(url, false);
      assert.equal(refused.ok, false);
      assert.ok(!refused.ok);
      assert.match(refused.reason, /local repositories are not allowed/);
      assert.deepEqual(checkRepositoryUrl(url, true), { ok: true, url });
    });
  }

  test('surrounding whitespace is trimmed and the trimmed URL is returned', () => {
    assert.deepEqual(checkRepositoryUrl('  https://github.com/o/r.git\n', false), { ok: true, url: 'https://github.com/o/r.git' });
  });

  test('a URL of exactly 2048 characters is accepted, 2049 is not', () => {
    const prefix = 'https://github.com/';
    const at = prefix + 'a'.repeat(2048 - prefix.length);
    assert.equal(at.length, 2048);
    assert.equal(checkRepositoryUrl(at, false).ok, true);
    assert.equal(checkRepositoryUrl(`${at}a`, false).ok, false);
  });

  test(
    'an ssh:// host or user starting with a dash is refused by the check itself',
    () => {
      for (const url of ['ssh://-oProxyCommand=touch%20x/y', 'ssh://-oProxyCommand=x@host.example/y']) {
        assert.equal(checkRepositoryUrl(url, false).ok, false, url);
      }
    },
  );
});

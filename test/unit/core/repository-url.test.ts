// Table-driven tests for which repository URLs Bindery hands to git: only transports that
// can neither read the server's own files nor run commands, unless local repos are allowed;
// and how credentials are taken out of a URL and kept across edits.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkRepositoryUrl, credentialSecrets, credentialsAfterEdit, displayRepositoryUrl, parseRepositoryUrl, withCredentials, type RepositoryUrl } from '../../../src/core/repository-url.ts';

const remoteOk = [
  'https://github.com/owner/repo.git',
  'https://github.com/owner/repo',
  'https://gitlab.example.com/group/sub/repo.git',
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
        const result = checkRepositoryUrl(url, allowLocal);
        assert.ok(result.ok, JSON.stringify(result));
        assert.equal(result.url, url);
        assert.equal(result.credentials, null);
        assert.equal(result.local, null);
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
      assert.match(refused.reason, /instance administrators only/);
      const allowed = checkRepositoryUrl(url, true);
      assert.ok(allowed.ok);
      assert.equal(allowed.url, url);
      assert.equal(allowed.host, null);
      assert.ok(allowed.local);
    });
  }

  test('surrounding whitespace is trimmed and the trimmed URL is returned', () => {
    const result = checkRepositoryUrl('  https://github.com/o/r.git\n', false);
    assert.ok(result.ok);
    assert.equal(result.url, 'https://github.com/o/r.git');
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

  // What reaches git is the host checked: odd notations of inside addresses are inside too.
  const inside: Array<[string, string]> = [
    ['https://127.0.0.1:5432/x', '127.0.0.1'],
    ['https://[::1]/x', '::1'],
    ['https://0x7f.1/x', '127.0.0.1'],
    ['https://2130706433/x', '127.0.0.1'],
    ['https://127.1/x', '127.0.0.1'],
    ['https://017700000001/x', '127.0.0.1'],
    ['https://[::ffff:127.0.0.1]/x', '::ffff:7f00:1'],
    ['https://localhost./x', 'localhost'],
    ['https://LOCALHOST/x', 'localhost'],
    ['https://api.localhost/x', 'api.localhost'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['https://[fd00::1]/x', 'fd00::1'],
    ['https://[64:ff9b::a00:1]/x', '64:ff9b::a00:1'],
    ['ssh://git@127.0.0.1/x', '127.0.0.1'],
    ['ssh://git@0x7f.1/x', '127.0.0.1'],
    ['ssh://git@[::1]/x', '::1'],
    ['ssh://git@localhost/x', 'localhost'],
    ['git@10.0.0.1:x', '10.0.0.1'],
    ['git@2130706433:x', '127.0.0.1'],
    ['git@localhost:x', 'localhost'],
    ['git@printer.local:x', 'printer.local'],
  ];
  for (const [url, host] of inside) {
    test(`${url} reaches inside: refused unless allowed, and its host is ${host}`, () => {
      const refused = checkRepositoryUrl(url, false);
      assert.ok(!refused.ok, url);
      assert.match(refused.reason, new RegExp(`^${host.replace(/[.[\]]/g, '\\$&')} is .*instance administrators only`));
      const allowed = checkRepositoryUrl(url, true);
      assert.ok(allowed.ok);
      assert.equal(allowed.host, host);
    });
  }

  test('public hosts are not inside, in any notation', () => {
    for (const url of ['https://8.8.8.8/x', 'https://[2606:4700::1]/x', 'https://[::ffff:8.8.8.8]/x', 'git@140.82.112.3:o/r', 'https://github.com./o/r']) {
      const result = checkRepositoryUrl(url, false);
      assert.ok(result.ok, `${url}: ${JSON.stringify(result)}`);
    }
  });

  test('an ssh:// URL with a password is refused: credentials go in https URLs', () => {
    assert.equal(checkRepositoryUrl('ssh://git:secret@github.com/o/r', true).ok, false);
  });
});

describe('repository credentials', () => {
  test('are taken out of an https URL, which is stored without them', () => {
    const result = parseRepositoryUrl('https://user:t%40ken@git.example.com/repo.git');
    assert.ok(result.ok);
    assert.equal(result.url, 'https://git.example.com/repo.git');
    assert.equal(result.credentials, 'user:t%40ken');
    assert.equal(withCredentials(result.url, result.credentials), 'https://user:t%40ken@git.example.com/repo.git');
    const token = parseRepositoryUrl('https://ghp_abcdef@github.com/o/r');
    assert.ok(token.ok);
    assert.equal(token.credentials, 'ghp_abcdef');
    assert.equal(withCredentials(token.url, token.credentials), 'https://ghp_abcdef@github.com/o/r');
  });

  test('are never in the shown URL, even of a row stored with them', () => {
    assert.equal(displayRepositoryUrl('https://user:token@git.example.com/repo.git'), 'https://git.example.com/repo.git');
    assert.equal(displayRepositoryUrl('git@github.com:o/r.git'), 'git@github.com:o/r.git');
  });

  test('are kept across an edit on the same host, dropped when the host, port or scheme changes', () => {
    const edit = (url: string) => parseRepositoryUrl(url) as RepositoryUrl;
    const stored = 'https://git.example.com/repo.git';
    assert.equal(credentialsAfterEdit(stored, 'u:secret', edit('https://git.example.com/other.git')), 'u:secret');
    assert.equal(credentialsAfterEdit(stored, 'u:secret', edit('https://GIT.example.com/repo.git')), 'u:secret');
    assert.equal(credentialsAfterEdit(stored, 'u:secret', edit('https://evil.example.net/repo.git')), null);
    assert.equal(credentialsAfterEdit(stored, 'u:secret', edit('https://git.example.com:8443/repo.git')), null);
    assert.equal(credentialsAfterEdit(stored, 'u:secret', edit('ssh://git@git.example.com/repo.git')), null);
    assert.equal(credentialsAfterEdit(stored, 'u:secret', edit('https://v:new@evil.example.net/r')), 'v:new');
    assert.equal(credentialsAfterEdit(stored, null, edit('https://git.example.com/repo.git')), null);
  });

  test('every form they may be logged in is a secret to mask', () => {
    assert.deepEqual(credentialSecrets('user:t%40ken'), ['user:t%40ken', 'user:t@ken', 't%40ken', 't@ken']);
    assert.deepEqual(credentialSecrets('ghp_abcdef'), ['ghp_abcdef']);
    assert.deepEqual(credentialSecrets(null), []);
  });
});

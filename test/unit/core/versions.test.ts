// Table-driven tests for the pure version logic: reading `git ls-remote`, slugging refs,
// reading version tags, and choosing what `latest` and `stable` follow (Read the Docs' rules).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  LATEST,
  STABLE,
  computeVersions,
  originalOf,
  parseLsRemote,
  parseVersionTag,
  pickDefaultBranch,
  pickStableTag,
  rtdIdentifier,
  stableRef,
  vcsUrl,
  versionSlug,
} from '../../../src/core/versions.ts';
import type { GitRef, RemoteRefs, VersionFacts, VersionSpec } from '../../../src/core/versions.ts';

/** A distinct 40-hex commit id per number. */
const sha = (n: number): string => n.toString(16).padStart(40, '0');
const branch = (name: string, n = 1): GitRef => ({ kind: 'branch', name, commit: sha(n) });
const tag = (name: string, n = 1): GitRef => ({ kind: 'tag', name, commit: sha(n) });
const remote = (refs: GitRef[], head: string | null = null): RemoteRefs => ({ head, refs });
const slugs = (specs: VersionSpec[]): string[] => specs.map((s) => s.slug);
const bySlug = (specs: VersionSpec[], slug: string): VersionSpec | undefined => specs.find((s) => s.slug === slug);

describe('parseLsRemote', () => {
  test('reads the HEAD symref line and does not list HEAD itself as a ref', () => {
    const out = [
      'ref: refs/heads/main\tHEAD',
      `${sha(1)}\tHEAD`,
      `${sha(1)}\trefs/heads/main`,
      `${sha(2)}\trefs/heads/develop`,
    ].join('\n');
    const parsed = parseLsRemote(out);
    assert.equal(parsed.head, 'main');
    assert.deepEqual(parsed.refs, [branch('develop', 2), branch('main', 1)]);
  });

  test('a symref to a branch with slashes keeps the full branch name', () => {
    const parsed = parseLsRemote(`ref: refs/heads/release/2.x\tHEAD\n${sha(1)}\tHEAD\n${sha(1)}\trefs/heads/release/2.x\n`);
    assert.equal(parsed.head, 'release/2.x');
    assert.deepEqual(parsed.refs, [branch('release/2.x', 1)]);
  });

  test('head is null when the remote does not report a symref', () => {
    const parsed = parseLsRemote(`${sha(1)}\tHEAD\n${sha(1)}\trefs/heads/main\n`);
    assert.equal(parsed.head, null);
    assert.deepEqual(parsed.refs, [branch('main', 1)]);
  });

  test('annotated tags use the peeled (^{}) commit; lightweight tags keep their own', () => {
    const out = [
      `${sha(10)}\trefs/tags/v1.0.0`, // tag object
      `${sha(11)}\trefs/tags/v1.0.0^{}`, // the commit it points at
      `${sha(12)}\trefs/tags/v0.9.0`, // lightweight
    ].join('\n');
    const parsed = parseLsRemote(out);
    assert.deepEqual(parsed.refs, [tag('v0.9.0', 12), tag('v1.0.0', 11)]);
  });

  test('peeling does not depend on the order of the lines', () => {
    const parsed = parseLsRemote(`${sha(11)}\trefs/tags/v1.0.0^{}\n${sha(10)}\trefs/tags/v1.0.0\n`);
    assert.deepEqual(parsed.refs, [tag('v1.0.0', 11)]);
  });

  test('a peeled line without its tag line does not invent a tag named with ^{}', () => {
    const parsed = parseLsRemote(`${sha(11)}\trefs/tags/orphan^{}\n`);
    assert.deepEqual(parsed.refs, []);
  });

  test('branches come first, then tags, each sorted by name', () => {
    const out = [
      `${sha(1)}\trefs/tags/v2.0`,
      `${sha(2)}\trefs/heads/zeta`,
      `${sha(3)}\trefs/tags/v1.0`,
      `${sha(4)}\trefs/heads/alpha`,
    ].join('\n');
    assert.deepEqual(parseLsRemote(out).refs, [branch('alpha', 4), branch('zeta', 2), tag('v1.0', 3), tag('v2.0', 1)]);
  });

  test('a branch and a tag with the same name are both kept', () => {
    const parsed = parseLsRemote(`${sha(1)}\trefs/heads/1.0\n${sha(2)}\trefs/tags/1.0\n`);
    assert.deepEqual(parsed.refs, [branch('1.0', 1), tag('1.0', 2)]);
  });

  test('ignores blank lines, CRLF endings, other ref namespaces and garbage', () => {
    const out = [
      '',
      `${sha(1)}\trefs/heads/main\r`,
      `${sha(2)}\trefs/pull/1/head`,
      `${sha(3)}\trefs/remotes/origin/x`,
      'warning: redirecting to https://example.com/repo.git/',
      'not-a-sha\trefs/heads/bogus',
      `${sha(4).slice(1)}\trefs/heads/short-sha`,
      '   ',
    ].join('\n');
    const parsed = parseLsRemote(out);
    assert.equal(parsed.head, null);
    assert.deepEqual(parsed.refs, [branch('main', 1)]);
  });

  test('accepts SHA-256 object ids', () => {
    const id = 'ab'.repeat(32);
    assert.deepEqual(parseLsRemote(`${id}\trefs/heads/main\n`).refs, [{ kind: 'branch', name: 'main', commit: id }]);
  });

  test('empty output has no refs and no head', () => {
    assert.deepEqual(parseLsRemote(''), { head: null, refs: [] });
  });
});

describe('versionSlug', () => {
  const cases: Array<[string, string]> = [
    ['main', 'main'],
    ['feature/Foo_bar', 'feature-foo_bar'],
    ['v1.0.0', 'v1.0.0'],
    ['Release 2.x', 'release-2.x'],
    ['a//b', 'a-b'],
    ['a-/-b', 'a-b'],
    ['a--b', 'a-b'],
    ['Dev@2024!', 'dev-2024'],
    ['--x--', 'x'],
    ['.hidden.', 'hidden'],
    ['_x_', 'x'],
    ['fix/ünïcode', 'fix-n-code'],
    ['UPPER', 'upper'],
    ['', 'unknown'],
    ['///', 'unknown'],
    ['ÄÖ', 'unknown'],
  ];
  for (const [name, expected] of cases) {
    test(`${JSON.stringify(name)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(versionSlug(name), expected);
    });
  }

  test('every slug only uses [a-z0-9._-] and does not start or end with punctuation', () => {
    for (const [name] of cases) {
      const slug = versionSlug(name);
      assert.match(slug, /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/, `${name} → ${slug}`);
    }
  });
});

describe('parseVersionTag', () => {
  // [tag, version string (without build metadata), is a prerelease]; null → not a version.
  const cases: Array<[string, string | null, boolean?]> = [
    ['v1.2.3', '1.2.3', false],
    ['1.2.3', '1.2.3', false],
    ['1.2', '1.2.0', false],
    ['1', '1.0.0', false],
    ['V2.0', '2.0.0', false],
    ['v01.02.03', '1.2.3', false],
    ['v1.10.0', '1.10.0', false],
    ['1.0.0+build.5', '1.0.0', false],
    ['1.0.0-rc1', '1.0.0-rc1', true],
    ['1.0-rc.1', '1.0.0-rc.1', true],
    ['v2.0.0-beta', '2.0.0-beta', true],
    ['2.0b1', '2.0.0-b.1', true],
    ['2.0rc1', '2.0.0-rc.1', true],
    ['1.0a', '1.0.0-a.0', true],
    ['1.0.0dev3', '1.0.0-dev.3', true],
    ['v3alpha2', '3.0.0-alpha.2', true],
    ['nightly', null],
    ['release-1.2', null],
    ['latest', null],
    ['stable', null],
    ['1.2.3.4', null],
    ['1.x', null],
    ['v', null],
    ['', null],
    ['v1.0.0 ', null],
  ];
  for (const [name, expected, prerelease] of cases) {
    test(`${JSON.stringify(name)} → ${expected === null ? 'not a version' : expected}`, () => {
      const version = parseVersionTag(name);
      if (expected === null) {
        assert.equal(version, null);
        return;
      }
      assert.ok(version, `${name} should parse`);
      assert.equal(version.version, expected);
      assert.equal(version.prerelease.length > 0, prerelease);
    });
  }

  test('numeric comparison, not string comparison: v1.10.0 > v1.9.0', () => {
    assert.ok(parseVersionTag('v1.10.0')!.compare(parseVersionTag('v1.9.0')!) > 0);
  });

  test('1.0 and v1.0.0 read as the same version', () => {
    assert.equal(parseVersionTag('1.0')!.compare(parseVersionTag('v1.0.0')!), 0);
  });
});

describe('pickStableTag', () => {
  // [tags, expected tag name or null]; each case is also checked in reverse input order.
  const cases: Array<[string, string[], string | null]> = [
    ['v1.10.0 beats v1.9.0', ['v1.9.0', 'v1.10.0'], 'v1.10.0'],
    ['1.10 beats 1.9.9', ['1.9.9', '1.10'], '1.10'],
    ['2.0 beats 1.99.99', ['1.99.99', '2.0', '0.1'], '2.0'],
    ['1.0 and v1.0.0 are equal: the fuller spelling wins', ['1.0', 'v1.0.0'], 'v1.0.0'],
    ['v1.0 and 1.0.0 are equal: the longer spelling wins', ['v1.0', '1.0.0'], '1.0.0'],
    ['equal version and length: the smaller name wins', ['v1.0.0', 'V1.0.0'], 'V1.0.0'],
    ['semver prerelease 1.0.0-rc1 is never stable', ['0.9.0', '1.0.0-rc1'], '0.9.0'],
    ['PEP 440 prereleases 2.0b1 and 2.0rc1 are never stable', ['1.0.0', '2.0b1', '2.0rc1', '1.0.0-rc1'], '1.0.0'],
    ['only prereleases → no stable', ['1.0.0-rc1', '2.0b1', '2.0rc1'], null],
    ['non-version tags are ignored', ['nightly', 'release-1.2', 'v0.1', 'release-9.9'], 'v0.1'],
    ['no version tags → no stable', ['nightly', 'release-1.2', 'latest'], null],
    ['no tags → no stable', [], null],
  ];
  for (const [title, names, expected] of cases) {
    test(title, () => {
      for (const order of [names, [...names].reverse()]) {
        const picked = pickStableTag(order.map((n, i) => tag(n, i + 1)));
        assert.equal(picked?.name ?? null, expected, `input order ${JSON.stringify(order)}`);
      }
    });
  }

  test('returns the ref itself, with its commit', () => {
    const refs = [tag('v1.0.0', 7), tag('v2.0.0', 8)];
    assert.deepEqual(pickStableTag(refs), tag('v2.0.0', 8));
  });
});

describe('pickDefaultBranch', () => {
  // [title, branches, head, configured, expected]
  const cases: Array<[string, string[], string | null, string | null, string | null]> = [
    ['HEAD symref wins over main/master', ['develop', 'main', 'master'], 'develop', null, 'develop'],
    ['a configured branch that exists wins (Read the Docs default_branch)', ['develop', 'main', 'release'], 'main', 'release', 'release'],
    ['a configured branch that does not exist falls back to HEAD', ['develop', 'main'], 'develop', 'gone', 'develop'],
    ['a configured branch that does not exist, no HEAD → main', ['dev', 'main'], null, 'gone', 'main'],
    ['HEAD naming a missing branch falls back to main', ['main', 'x'], 'ghost', null, 'main'],
    ['no HEAD: main before master', ['master', 'main', 'dev'], null, null, 'main'],
    ['no HEAD: master when there is no main', ['dev', 'master'], null, null, 'master'],
    ['no HEAD, no main/master: the first branch', ['zeta', 'alpha'], null, null, 'alpha'],
    ['no branches → null', [], 'main', 'main', null],
  ];
  for (const [title, branches, head, configured, expected] of cases) {
    test(title, () => {
      // parseLsRemote sorts refs; mirror that so "first" means the first by name.
      const refs = [...branches].sort().map((b, i) => branch(b, i + 1));
      assert.equal(pickDefaultBranch(remote(refs, head), configured), expected);
    });
  }

  test('a tag named like the configured branch or main does not count as a branch', () => {
    const r = remote([branch('dev', 1), tag('main', 2), tag('release', 3)], null);
    assert.equal(pickDefaultBranch(r, 'release'), 'dev');
  });
});

describe('computeVersions', () => {
  test('one version per ref, plus latest (default branch) and stable (highest release tag)', () => {
    const r = remote(
      [
        branch('feature/Foo_bar', 1),
        branch('main', 2),
        tag('2.0rc1', 3),
        tag('nightly', 4),
        tag('v1.10.0', 5),
        tag('v1.9.0', 6),
      ],
      'main',
    );
    const specs = computeVersions(r, null);
    assert.deepEqual(specs, [
      { slug: 'latest', verboseName: 'latest', type: 'branch', identifier: 'main', commit: sha(2), machine: true },
      { slug: 'stable', verboseName: 'stable', type: 'tag', identifier: 'v1.10.0', commit: sha(5), machine: true },
      { slug: 'feature-foo_bar', verboseName: 'feature/Foo_bar', type: 'branch', identifier: 'feature/Foo_bar', commit: sha(1), machine: false },
      { slug: 'main', verboseName: 'main', type: 'branch', identifier: 'main', commit: sha(2), machine: false },
      { slug: '2.0rc1', verboseName: '2.0rc1', type: 'tag', identifier: '2.0rc1', commit: sha(3), machine: false },
      { slug: 'nightly', verboseName: 'nightly', type: 'tag', identifier: 'nightly', commit: sha(4), machine: false },
      { slug: 'v1.10.0', verboseName: 'v1.10.0', type: 'tag', identifier: 'v1.10.0', commit: sha(5), machine: false },
      { slug: 'v1.9.0', verboseName: 'v1.9.0', type: 'tag', identifier: 'v1.9.0', commit: sha(6), machine: false },
    ]);
  });

  test('no version tags → no stable version at all', () => {
    const specs = computeVersions(remote([branch('main', 1), tag('nightly', 2), tag('release-1.2', 3)], 'main'), null);
    assert.equal(bySlug(specs, STABLE), undefined);
    assert.ok(specs.every((s) => s.identifier !== STABLE && s.verboseName !== STABLE));
    assert.equal(bySlug(specs, LATEST)?.identifier, 'main');
  });

  test('no release tag: stable follows the highest branch named as a release, as on Read the Docs', () => {
    const specs = computeVersions(remote([branch('main', 1), branch('1.x', 2), branch('2.0', 3), branch('3.0rc1', 4), tag('nightly', 5)], 'main'), null);
    assert.deepEqual(bySlug(specs, STABLE), { slug: 'stable', verboseName: 'stable', type: 'branch', identifier: '2.0', commit: sha(3), machine: true });
    const tagged = computeVersions(remote([branch('main', 1), branch('9.0', 2), tag('v1.0', 3)], 'main'), null);
    assert.deepEqual([bySlug(tagged, STABLE)?.type, bySlug(tagged, STABLE)?.identifier], ['tag', 'v1.0'], 'a release tag wins over any branch');
  });

  test('only prerelease tags → no stable version', () => {
    const specs = computeVersions(remote([branch('main', 1), tag('1.0.0-rc1', 2), tag('2.0b1', 3)], 'main'), null);
    assert.equal(bySlug(specs, STABLE), undefined);
  });

  test('stable uses the peeled commit of an annotated tag', () => {
    const out = [`${sha(1)}\trefs/heads/main`, `${sha(20)}\trefs/tags/v1.0.0`, `${sha(21)}\trefs/tags/v1.0.0^{}`].join('\n');
    const specs = computeVersions(parseLsRemote(out), null);
    assert.equal(bySlug(specs, STABLE)?.commit, sha(21));
    assert.equal(bySlug(specs, 'v1.0.0')?.commit, sha(21));
  });

  for (const kind of ['branch', 'tag'] as const) {
    test(`a ${kind} named stable wins over version tags: no machine stable is added`, () => {
      const own = kind === 'branch' ? branch('stable', 9) : tag('stable', 9);
      const specs = computeVersions(remote([branch('main', 1), own, tag('v1.0.0', 2), tag('v2.0.0', 3)], 'main'), null);
      const stables = specs.filter((s) => s.slug === STABLE || s.verboseName === STABLE);
      assert.equal(stables.length, 1);
      assert.deepEqual(stables[0], { slug: 'stable', verboseName: 'stable', type: kind, identifier: 'stable', commit: sha(9), machine: false });
      assert.ok(!specs.some((s) => s.machine && s.slug.startsWith(STABLE)));
    });
  }

  test('a branch whose slug is stable (Stable) also suppresses the machine stable', () => {
    const specs = computeVersions(remote([branch('Stable', 9), branch('main', 1), tag('v1.0.0', 2)], 'main'), null);
    assert.equal(bySlug(specs, STABLE)?.identifier, 'Stable');
    assert.equal(bySlug(specs, STABLE)?.machine, false);
    assert.equal(specs.filter((s) => s.machine).length, 1);
  });

  test('a branch named latest wins: no machine latest is added', () => {
    const specs = computeVersions(remote([branch('latest', 9), branch('main', 1)], 'main'), null);
    const latest = specs.filter((s) => s.slug.startsWith(LATEST));
    assert.deepEqual(latest, [{ slug: 'latest', verboseName: 'latest', type: 'branch', identifier: 'latest', commit: sha(9), machine: false }]);
  });

  test('latest follows the HEAD symref', () => {
    const specs = computeVersions(remote([branch('develop', 3), branch('main', 1)], 'develop'), null);
    assert.deepEqual(bySlug(specs, LATEST), { slug: 'latest', verboseName: 'latest', type: 'branch', identifier: 'develop', commit: sha(3), machine: true });
  });

  test('latest follows the configured default branch when it exists', () => {
    const specs = computeVersions(remote([branch('develop', 3), branch('main', 1), branch('v2', 4)], 'main'), 'v2');
    assert.equal(bySlug(specs, LATEST)?.identifier, 'v2');
    assert.equal(bySlug(specs, LATEST)?.commit, sha(4));
  });

  test('latest ignores a configured default branch that does not exist', () => {
    const specs = computeVersions(remote([branch('develop', 3), branch('main', 1)], 'develop'), 'nope');
    assert.equal(bySlug(specs, LATEST)?.identifier, 'develop');
  });

  test('latest falls back to main, then master, without a HEAD symref', () => {
    assert.equal(bySlug(computeVersions(remote([branch('dev', 1), branch('main', 2), branch('master', 3)]), null), LATEST)?.identifier, 'main');
    assert.equal(bySlug(computeVersions(remote([branch('dev', 1), branch('master', 3)]), null), LATEST)?.identifier, 'master');
  });

  test('no branches → no latest (tags alone do not make one)', () => {
    const specs = computeVersions(remote([tag('v1.0.0', 1)]), null);
    assert.equal(bySlug(specs, LATEST), undefined);
    assert.equal(bySlug(specs, STABLE)?.identifier, 'v1.0.0');
  });

  test('an empty repository has no versions', () => {
    assert.deepEqual(computeVersions(remote([]), null), []);
  });

  test('slug collisions get a numeric suffix, in ref order', () => {
    const specs = computeVersions(remote([branch('Foo', 1), branch('foo', 2)]), null);
    assert.deepEqual(
      specs.filter((s) => !s.machine).map((s) => [s.identifier, s.slug]),
      [['Foo', 'foo'], ['foo', 'foo_2']],
    );
  });

  test('a branch and a tag with the same name get distinct slugs', () => {
    const specs = computeVersions(remote([branch('1.0', 1), tag('1.0', 2)]), null);
    assert.deepEqual(
      specs.filter((s) => !s.machine).map((s) => [s.type, s.slug]),
      [['branch', '1.0'], ['tag', '1.0_2']],
    );
  });

  test('three-way collisions and a real ref already named like a suffix stay unique', () => {
    const specs = computeVersions(remote([branch('A-B', 1), branch('a-b', 2), branch('a/b', 3), branch('foo', 4), branch('foo_2', 5), branch('Foo', 6)].sort((x, y) => (x.name < y.name ? -1 : 1))), null);
    const nonMachine = specs.filter((s) => !s.machine);
    assert.deepEqual(
      nonMachine.map((s) => [s.identifier, s.slug]),
      [['A-B', 'a-b'], ['Foo', 'foo'], ['a-b', 'a-b_2'], ['a/b', 'a-b_3'], ['foo', 'foo_2'], ['foo_2', 'foo_2_2']],
    );
  });

  test('slugs are always unique and every ref appears exactly once', () => {
    const refs = [branch('Latest', 1), branch('main', 2), branch('MAIN', 3), branch('feature/x', 4), branch('feature-x', 5), tag('main', 6), tag('v1.0.0', 7), tag('v1.0', 8)];
    const specs = computeVersions(remote(refs, 'main'), null);
    assert.equal(new Set(slugs(specs)).size, specs.length);
    const own = specs.filter((s) => !s.machine);
    assert.equal(own.length, refs.length);
    for (const ref of refs) assert.equal(own.filter((s) => s.identifier === ref.name && s.type === ref.kind).length, 1, ref.name);
    // A branch slugging to `latest` suppresses the machine latest; stable follows the fuller spelling.
    assert.equal(bySlug(specs, LATEST)?.identifier, 'Latest');
    assert.equal(bySlug(specs, STABLE)?.identifier, 'v1.0.0');
  });

  test('branch names like feature/Foo_bar slugify but keep their name as identifier', () => {
    const spec = bySlug(computeVersions(remote([branch('feature/Foo_bar', 1)]), null), 'feature-foo_bar');
    assert.equal(spec?.identifier, 'feature/Foo_bar');
    assert.equal(spec?.verboseName, 'feature/Foo_bar');
  });
});

describe("the fields Read the Docs derives from a version", () => {
  const v = (slug: string, type: string, identifier: string, machine = false, verboseName = slug): VersionFacts => ({ slug, verboseName, type, identifier, commit: sha(9), machine });
  const main = v('main', 'branch', 'main');
  const one = v('v1.0', 'tag', 'v1.0');
  const latest = v('latest', 'branch', 'main', true);
  const stable = v('stable', 'tag', 'v1.0', true);
  const family = [main, one, latest, stable];

  test('identifier: a branch by name, a tag (and a preview) by commit', () => {
    assert.equal(rtdIdentifier(main), 'main');
    assert.equal(rtdIdentifier(latest), 'main');
    assert.equal(rtdIdentifier(one), sha(9));
    assert.equal(rtdIdentifier(stable), sha(9));
    assert.equal(rtdIdentifier({ ...v('7', 'external', sha(3)), commit: sha(3) }), sha(3));
  });

  test('ref: the slug stable points to; null for everything else', () => {
    assert.equal(stableRef(stable, family), 'v1.0');
    assert.equal(stableRef(latest, family), null);
    assert.equal(stableRef(one, family), null);
    assert.equal(stableRef(v('stable', 'branch', 'stable'), family), null, "a project's own stable branch is no machine version");
    assert.equal(stableRef(v('stable', 'tag', 'Release_2.0', true), []), 'release_2.0', 'without its version: the slug of the ref');
  });

  test('originalOf: what latest and stable stand for', () => {
    assert.equal(originalOf(latest, family), main);
    assert.equal(originalOf(stable, family), one);
    assert.equal(originalOf(main, family), null);
    assert.equal(originalOf(v('stable', 'branch', 'v1.0', true), family), null, 'a ref of another type is another ref');
  });

  test('urls.vcs: the ref on GitHub and GitLab, Bitbucket, a preview, elsewhere', () => {
    assert.equal(vcsUrl('https://github.com/org/repo.git', one), 'https://github.com/org/repo/tree/v1.0/');
    assert.equal(vcsUrl('git://github.com/org/repo.git', latest), 'https://github.com/org/repo/tree/main/');
    assert.equal(vcsUrl('https://gitlab.com/org/repo', stable), 'https://gitlab.com/org/repo/tree/v1.0/');
    assert.equal(vcsUrl('https://bitbucket.org/org/repo.git', main), 'https://bitbucket.org/org/repo/src/main');
    assert.equal(vcsUrl('https://github.com/org/repo', v('7', 'external', sha(3))), 'https://github.com/org/repo/pull/7/');
    assert.equal(vcsUrl('https://gitlab.com/org/repo', v('7', 'external', sha(3))), 'https://gitlab.com/org/repo/merge_requests/7/');
    assert.equal(vcsUrl('https://git.example.com/repo.git', main), 'https://git.example.com/repo');
    assert.equal(vcsUrl('https://git.example.com/repo.git', v('7', 'external', sha(3))), '');
  });
});

// Tests for the build life cycle names and where a build's files live.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUILD_STATES, BUILD_STATE_NAMES, TERMINAL_STATES, artifactPrefix, isTerminal } from '../../../src/core/build-state.ts';

describe('build states', () => {
  test('the states, in life-cycle order, as Read the Docs names them', () => {
    assert.deepEqual([...BUILD_STATES], ['triggered', 'cloning', 'installing', 'building', 'uploading', 'finished', 'failed', 'cancelled']);
  });

  test('the terminal states are finished, failed and cancelled', () => {
    assert.deepEqual([...TERMINAL_STATES].sort(), ['cancelled', 'failed', 'finished']);
  });

  const cases: Array<[string, boolean]> = [
    ['triggered', false],
    ['cloning', false],
    ['installing', false],
    ['building', false],
    ['uploading', false],
    ['finished', true],
    ['failed', true],
    ['cancelled', true],
    ['Finished', false],
    ['canceled', false],
    ['', false],
    ['bogus', false],
  ];
  for (const [state, terminal] of cases) {
    test(`isTerminal(${JSON.stringify(state)}) → ${terminal}`, () => {
      assert.equal(isTerminal(state), terminal);
    });
  }

  test('every state has a capitalised human name, and nothing else does', () => {
    assert.deepEqual(Object.keys(BUILD_STATE_NAMES).sort(), [...BUILD_STATES].sort());
    for (const state of BUILD_STATES) {
      assert.equal(BUILD_STATE_NAMES[state], state[0]!.toUpperCase() + state.slice(1));
    }
  });
});

describe('artifactPrefix', () => {
  const cases: Array<[Parameters<typeof artifactPrefix>, string]> = [
    [['bindery', 'latest', 42], 'bindery/latest/42/html'],
    [['bindery', 'v1.0', 7, 'pdf'], 'bindery/v1.0/7/pdf'],
    [['proj', 'feature-foo_bar', 1, 'html'], 'proj/feature-foo_bar/1/html'],
  ];
  for (const [args, expected] of cases) {
    test(`${JSON.stringify(args)} → ${expected}`, () => {
      assert.equal(artifactPrefix(...args), expected);
    });
  }

  test('each build gets its own prefix (immutable artifacts)', () => {
    assert.notEqual(artifactPrefix('p', 'latest', 1), artifactPrefix('p', 'latest', 2));
    assert.ok(!artifactPrefix('p', 'latest', 1).startsWith(artifactPrefix('p', 'latest', 10)));
    assert.ok(!artifactPrefix('p', 'latest', 10).startsWith(artifactPrefix('p', 'latest', 1)));
  });
});

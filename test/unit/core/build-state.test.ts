// Tests for the build life cycle: names, the moves allowed, how an outcome ends a build, and where a build's files live.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUILD_STATES, BUILD_STATE_NAMES, TERMINAL_STATES, artifactPrefix, canMove, displayState, endingOf, isRunning, isTerminal, movableFrom, type BuildState } from '../../../src/core/build-state.ts';

describe('build states', () => {
  test('the states, in life-cycle order, as Read the Docs names them', () => {
    assert.deepEqual([...BUILD_STATES], ['triggered', 'cloning', 'installing', 'building', 'uploading', 'finished', 'cancelled']);
  });

  test("the terminal states are Read the Docs' final states: finished and cancelled (no failed)", () => {
    assert.deepEqual([...TERMINAL_STATES].sort(), ['cancelled', 'finished']);
  });

  const cases: Array<[string, boolean]> = [
    ['triggered', false],
    ['cloning', false],
    ['installing', false],
    ['building', false],
    ['uploading', false],
    ['finished', true],
    ['failed', false],
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

describe('build transitions', () => {
  // [from, to, allowed]
  const moves: Array<[string, BuildState, boolean]> = [
    ['triggered', 'cloning', true],
    ['triggered', 'installing', false],
    ['triggered', 'finished', true],
    ['triggered', 'cancelled', true],
    ['triggered', 'triggered', false],
    ['cloning', 'installing', true],
    ['cloning', 'cloning', true],
    ['installing', 'building', true],
    ['installing', 'installing', true],
    ['building', 'uploading', true],
    ['building', 'installing', false],
    ['uploading', 'building', false],
    ['uploading', 'cloning', true],
    ['building', 'triggered', true],
    ['uploading', 'finished', true],
    ['installing', 'cancelled', true],
    ['finished', 'cloning', false],
    ['finished', 'cancelled', false],
    ['finished', 'finished', false],
    ['cancelled', 'finished', false],
    ['cancelled', 'triggered', false],
    ['failed', 'finished', false],
    ['bogus', 'cloning', false],
  ];
  for (const [from, to, allowed] of moves) {
    test(`${from} → ${to}: ${allowed ? 'allowed' : 'refused'}`, () => {
      assert.equal(canMove(from, to), allowed);
    });
  }

  test('a final state is reached from every live state and left for none', () => {
    for (const end of TERMINAL_STATES) {
      assert.deepEqual(movableFrom(end), ['triggered', 'cloning', 'installing', 'building', 'uploading']);
      for (const to of BUILD_STATES) assert.equal(canMove(end, to), false);
    }
  });

  test('movableFrom agrees with canMove for every pair', () => {
    for (const to of BUILD_STATES) for (const from of BUILD_STATES) assert.equal(movableFrom(to).includes(from), canMove(from, to));
  });

  test('running states are the four a builder works in', () => {
    assert.deepEqual(BUILD_STATES.filter(isRunning), ['cloning', 'installing', 'building', 'uploading']);
  });
});

describe('endingOf', () => {
  test('success: finished, success true, no error', () => {
    assert.deepEqual(endingOf({ success: true, formats: ['pdf'] }), { state: 'finished', success: true, errorCode: null, error: null });
  });
  test('a failure is finished with success false and its error (never a state of its own)', () => {
    assert.deepEqual(endingOf({ success: false, errorCode: 'sphinx-failed', error: 'Sphinx exited 2.' }), { state: 'finished', success: false, errorCode: 'sphinx-failed', error: 'Sphinx exited 2.' });
  });
  test('a cancel ends in cancelled, success false', () => {
    assert.deepEqual(endingOf({ success: false, cancelled: true, errorCode: 'cancelled', error: 'x' }), { state: 'cancelled', success: false, errorCode: 'cancelled', error: 'x' });
  });
});

describe('displayState', () => {
  const cases: Array<[{ state: string; success: boolean | null }, string]> = [
    [{ state: 'finished', success: true }, 'Finished'],
    [{ state: 'finished', success: false }, 'Failed'],
    [{ state: 'cancelled', success: false }, 'Cancelled'],
    [{ state: 'building', success: null }, 'Building'],
    [{ state: 'triggered', success: null }, 'Triggered'],
  ];
  for (const [build, shown] of cases) {
    test(`${JSON.stringify(build)} → ${shown}`, () => assert.equal(displayState(build), shown));
  }
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

// installPlan(): the commands python.install runs, pip and uv, with the paths they need checked
// first; paths go on the command line as ./<path> and uv names as --group=<name>, so nothing a
// configuration file says is ever read as an option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildError } from '../../../src/core/errors.ts';
import { installPlan, type InstallTools } from '../../../src/builder/steps/python-install.ts';

const tools: InstallTools = { python: '/usr/bin/python3', userBase: '/home/b/.local', scratch: '/home/b/.uv-req.txt', uv: () => '/usr/local/bin/uv' };
const PIP = ['/usr/bin/python3', '-m', 'pip', 'install', '--user', '--break-system-packages', '--no-input'];
const UV_PIP = ['/usr/local/bin/uv', 'pip', 'install', '--python', '/usr/bin/python3', '--prefix', '/home/b/.local', '--break-system-packages'];

test('pip: a requirements file, a package with extras, each needing its path', () => {
  assert.deepEqual(installPlan({ requirements: 'docs/requirements.txt' }, 0, tools), {
    needs: [{ key: 'python.install[0].requirements', path: 'docs/requirements.txt' }],
    commands: [{ name: 'python.install[0]', argv: [...PIP, '-r', 'docs/requirements.txt'], cwd: '.' }],
  });
  assert.deepEqual(installPlan({ path: '.', method: 'pip', extraRequirements: ['docs', 'api'] }, 1, tools), {
    needs: [{ key: 'python.install[1].path', path: '.' }],
    commands: [{ name: 'python.install[1]', argv: [...PIP, '.[docs,api]'], cwd: '.' }],
  });
  assert.deepEqual(installPlan({ path: '--index-url=x', method: 'setuptools', extraRequirements: [] }, 0, tools).commands[0]!.argv.at(-1), './--index-url=x');
});

test('uv pip: into the build\'s user site with the builder\'s Python', () => {
  assert.deepEqual(installPlan({ method: 'uv', command: 'pip', path: null, requirements: 'docs/requirements.txt', extras: null }, 0, tools), {
    needs: [{ key: 'python.install[0].requirements', path: 'docs/requirements.txt' }],
    commands: [{ name: 'python.install[0]', argv: [...UV_PIP, '-r', './docs/requirements.txt'], cwd: '.' }],
  });
  assert.deepEqual(installPlan({ method: 'uv', command: 'pip', path: 'pkg', requirements: null, extras: ['docs'] }, 0, tools).commands[0]!.argv, [...UV_PIP, './pkg[docs]']);
  assert.deepEqual(installPlan({ method: 'uv', command: 'pip', path: 'pkg', requirements: null, extras: 'all' }, 0, tools).commands[0]!.argv, [...UV_PIP, './pkg', '-r', './pkg/pyproject.toml', '--all-extras']);
});

test('uv sync: the lock file exported with the groups and extras asked for, then installed, in the project folder', () => {
  const plan = installPlan({ method: 'uv', command: 'sync', path: 'packages/site', groups: ['docs', '-x'], extras: 'all' }, 0, tools);
  assert.deepEqual(plan.needs, [{ key: 'python.install[0].path', path: 'packages/site' }]);
  assert.deepEqual(plan.commands, [
    {
      name: 'python.install[0] (uv export)',
      argv: ['/usr/local/bin/uv', 'export', '--format', 'requirements-txt', '--no-hashes', '--output-file', '/home/b/.uv-req.txt', '--group=docs', '--group=-x', '--all-extras'],
      cwd: 'packages/site',
    },
    { name: 'python.install[0]', argv: [...UV_PIP, '-r', '/home/b/.uv-req.txt'], cwd: 'packages/site' },
  ]);
  const root = installPlan({ method: 'uv', command: 'sync', path: null, groups: 'all', extras: ['pdf'] }, 0, tools);
  assert.deepEqual(root.needs, []);
  assert.deepEqual(root.commands[0]!.argv.slice(-2), ['--all-groups', '--extra=pdf']);
  assert.equal(root.commands[0]!.cwd, '.');
});

test('uv on a builder without uv fails with a reason and what to do', () => {
  assert.throws(
    () => installPlan({ method: 'uv', command: 'sync', path: null, groups: null, extras: null }, 0, { ...tools, uv: () => null }),
    (err: unknown) => err instanceof BuildError && err.code === 'uv-missing' && /python\.install\[0\] uses method: uv, but this builder has no uv/.test(err.message),
  );
});

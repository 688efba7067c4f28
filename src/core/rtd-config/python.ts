// The `python` section, as Read the Docs' validate_python: a list of install steps, each a
// requirements file, a package path installed with pip (or the deprecated setuptools), or
// Read the Docs' native uv support (`method: uv` with `command: sync` or `command: pip`).

import { given } from './checker.ts';
import type { Checker } from './checker.ts';
import { describeValue, keyOf } from './describe.ts';
import type { Segment } from './describe.ts';
import type { PythonInstall, RtdConfig, UvInstall, UvSelection } from './types.ts';

const INSTALL_METHODS = ['pip', 'setuptools', 'uv'] as const;
const UV_COMMANDS = ['sync', 'pip'] as const;
const UV_KEYS = ['method', 'command', 'path', 'requirements', 'groups', 'extras'];

export function validatePython(check: Checker, raw: unknown): RtdConfig['python'] {
  const install: PythonInstall[] = [];
  if (!given(raw)) return { install };
  const map = check.mapping(['python'], raw);
  if (!map) return { install };
  const rawInstall = check.known(['python'], map, ['install']).get('install');
  if (!given(rawInstall)) return { install };
  if (!Array.isArray(rawInstall)) {
    check.report('INVALID_LIST', ['python', 'install'], rawInstall, `expected a list of install steps (e.g. - requirements: docs/requirements.txt), got ${describeValue(rawInstall)}.`);
    return { install };
  }
  let usesUv = false;
  rawInstall.forEach((item, index) => {
    usesUv ||= item instanceof Map && item.get('method') === 'uv';
    const step = validatePythonInstall(check, ['python', 'install', index], item);
    if (step) install.push(step);
  });
  if (usesUv && rawInstall.length > 1) {
    check.report(
      'UV_MULTIPLE_INSTALL_ENTRIES_INVALID',
      ['python', 'install'],
      rawInstall,
      `method: uv must be the only install step (found ${rawInstall.length}); install everything with that one uv step (its groups or extras, or a requirements file).`,
      'key',
    );
  }
  return { install };
}

function validatePythonInstall(check: Checker, path: Segment[], raw: unknown): PythonInstall | null {
  const map = check.mapping(path, raw);
  if (!map) return null;
  if (map.get('method') === 'uv') return validateUvInstall(check, path, check.known(path, map, UV_KEYS));
  if (map.has('requirements')) {
    const step = check.known(path, map, ['requirements']);
    const requirements = check.repoPath([...path, 'requirements'], step.get('requirements'), 'a pip requirements file');
    return requirements === null ? null : { requirements };
  }
  if (map.has('path')) {
    const step = check.known(path, map, ['path', 'method', 'extra_requirements']);
    const packagePath = check.repoPath([...path, 'path'], step.get('path'), 'a Python package to install');
    const rawMethod = step.get('method');
    const method = given(rawMethod) ? check.choice([...path, 'method'], rawMethod, INSTALL_METHODS) : 'pip';
    const rawExtras = step.get('extra_requirements');
    const extras = given(rawExtras) ? check.stringList([...path, 'extra_requirements'], rawExtras, 'extras') : [];
    if (method === 'setuptools') {
      if (extras && extras.length > 0) {
        check.report('USE_PIP_FOR_EXTRA_REQUIREMENTS', [...path, 'extra_requirements'], rawExtras, 'extra requirements are installed by pip only; set method: pip to use them.', 'key');
      }
      check.warn(`${keyOf(path)}: method setuptools (python setup.py install) is deprecated; use method: pip.`);
    }
    if (packagePath === null || method === null || method === 'uv' || extras === null) return null;
    return { path: packagePath, method, extraRequirements: extras };
  }
  check.known(path, map, ['requirements', 'path', 'method', 'extra_requirements']);
  check.report(
    'PIP_PATH_OR_REQUIREMENT_REQUIRED',
    path,
    raw,
    `expected either requirements (a pip requirements file) or path (a package to install, e.g. path: .); got ${describeValue(raw)}.`,
  );
  return null;
}

/** `method: uv`, as Read the Docs' _validate_uv_install: what each command allows, all reported at once. */
function validateUvInstall(check: Checker, path: Segment[], step: Map<string, unknown>): UvInstall | null {
  const problemsBefore = check.problems.length;
  const rawCommand = step.get('command');
  let command: 'sync' | 'pip' | null = null;
  if (!given(rawCommand)) {
    check.report('UV_COMMAND_REQUIRED', [...path, 'command'], rawCommand, 'required key is missing with method: uv; expected command: sync (install the project from its lock file) or command: pip (uv pip install).');
  } else {
    command = check.choice([...path, 'command'], rawCommand, UV_COMMANDS);
  }
  const rawPath = step.get('path');
  // Read the Docs treats an empty path as no path (the project at the repository root).
  const packagePath = given(rawPath) && rawPath !== '' ? check.repoPath([...path, 'path'], rawPath, 'the Python project to install') : null;
  const rawRequirements = step.get('requirements');
  const groups = step.has('groups') ? uvSelection(check, [...path, 'groups'], step.get('groups'), 'groups') : null;
  const extras = step.has('extras') ? uvSelection(check, [...path, 'extras'], step.get('extras'), 'extras') : null;
  if (command === null) return null;

  if (command === 'sync') {
    if (given(rawRequirements)) {
      check.report('UV_SYNC_REQUIREMENTS_INVALID', [...path, 'requirements'], rawRequirements, 'can not be used with command: sync, which installs from the project\'s lock file; use command: pip for a requirements file.', 'key');
    }
    if (groups === undefined || extras === undefined || check.problems.length > problemsBefore) return null;
    return { method: 'uv', command, path: packagePath, groups, extras };
  }

  if (given(step.get('groups'))) {
    check.report('UV_PIP_GROUPS_NOT_ALLOWED', [...path, 'groups'], step.get('groups'), 'can not be used with command: pip; dependency groups are installed by command: sync.', 'key');
  }
  let requirements: string | null = null;
  if (!given(rawRequirements) && !given(rawPath)) {
    check.report('UV_PIP_REQUIREMENTS_OR_PATH_REQUIRED', path, undefined, 'command: pip needs requirements (a requirements file) or path (a package to install, e.g. path: .).');
  } else if (given(rawRequirements) && given(rawPath)) {
    check.report('UV_PIP_REQUIREMENTS_AND_PATH_MUTUALLY_EXCLUSIVE', path, undefined, 'requirements and path can not be used together with command: pip; use one install step for one of them.');
  } else if (given(rawRequirements)) {
    requirements = check.repoPath([...path, 'requirements'], rawRequirements, 'a requirements file');
  }
  if (extras === undefined || check.problems.length > problemsBefore) return null;
  return { method: 'uv', command, path: packagePath, requirements, extras };
}

/** `groups`/`extras`: a non-empty list of names, or `all`; undefined when invalid (reported). */
function uvSelection(check: Checker, path: Segment[], value: unknown, field: 'groups' | 'extras'): UvSelection | undefined {
  if (!given(value)) return null;
  if (value === 'all') return 'all';
  if (!Array.isArray(value)) {
    check.report('UV_GROUPS_EXTRAS_INVALID_TYPE', path, value, `expected a list of ${field} or all, got ${describeValue(value)}${typeof value === 'string' ? ` (write ${field}: [${value}])` : ''}.`);
    return undefined;
  }
  if (value.length === 0) {
    check.report('UV_GROUPS_EXTRAS_EMPTY', path, value, `the list of ${field} is empty; list at least one, or leave ${field} out.`);
    return undefined;
  }
  return check.stringList(path, value, field) ?? undefined;
}

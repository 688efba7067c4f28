// The values Read the Docs accepts, from its RTD_DOCKER_BUILD_SETTINGS
// (readthedocs/builds/constants_docker.py) and BuildConfigV2. Each tool version written
// in the file maps to the full version Read the Docs installs; aliases (`3`, `latest`,
// `miniconda-latest` …) point at the same full version as their target.

import type { BuildJobsBuildType, BuildToolName, HookJobName, JobName, OverrideJobName, RtdFormat, SphinxBuilder } from './types.ts';

export const BUILD_OS: readonly string[] = ['ubuntu-20.04', 'ubuntu-22.04', 'ubuntu-24.04', 'ubuntu-26.04', 'ubuntu-lts-latest'];

const TOOL_TABLE: Readonly<Record<BuildToolName, ReadonlyArray<readonly [version: string, full: string]>>> = {
  python: [
    ['2.7', '2.7.18'],
    ['3', '3.14.0'],
    ['3.6', '3.6.15'],
    ['3.7', '3.7.17'],
    ['3.8', '3.8.20'],
    ['3.9', '3.9.25'],
    ['3.10', '3.10.19'],
    ['3.11', '3.11.14'],
    ['3.12', '3.12.12'],
    ['3.13', '3.13.9'],
    ['3.14', '3.14.0'],
    ['latest', '3.14.0'],
    ['miniconda3-4.7', 'miniconda3-4.7.12'],
    ['miniconda3-3.12-24.1', 'miniconda3-3.12-24.1.2-0'],
    ['miniconda3-3.12-24.9', 'miniconda3-3.12-24.9.2-0'],
    ['miniconda-latest', 'miniconda3-3.12-24.9.2-0'],
    ['mambaforge-4.10', 'mambaforge-4.10.3-10'],
    ['mambaforge-22.9', 'mambaforge-22.9.0-3'],
    ['mambaforge-23.11', 'mambaforge-23.11.0-0'],
    ['mambaforge-latest', 'mambaforge-23.11.0-0'],
    ['miniforge3-25.11', 'miniforge3-25.11.0-1'],
    ['miniforge3-latest', 'miniforge3-25.11.0-1'],
  ],
  nodejs: [
    ['14', '14.21.3'],
    ['16', '16.20.2'],
    ['18', '18.20.8'],
    ['19', '19.9.0'],
    ['20', '20.19.1'],
    ['22', '22.21.1'],
    ['23', '23.11.1'],
    ['24', '24.11.1'],
    ['latest', '24.11.1'],
  ],
  ruby: [
    ['3.3', '3.3.10'],
    ['3.4', '3.4.7'],
    ['latest', '3.4.7'],
  ],
  rust: [
    ['1.55', '1.55.0'],
    ['1.61', '1.61.0'],
    ['1.64', '1.64.0'],
    ['1.70', '1.70.0'],
    ['1.75', '1.75.0'],
    ['1.78', '1.78.0'],
    ['1.82', '1.82.0'],
    ['1.86', '1.86.0'],
    ['1.91', '1.91.1'],
    ['latest', '1.91.1'],
  ],
  golang: [
    ['1.17', '1.17.13'],
    ['1.18', '1.18.10'],
    ['1.19', '1.19.13'],
    ['1.20', '1.20.14'],
    ['1.21', '1.21.13'],
    ['1.22', '1.22.12'],
    ['1.23', '1.23.12'],
    ['1.24', '1.24.10'],
    ['1.25', '1.25.4'],
    ['latest', '1.25.4'],
  ],
};

/** The versions each tool accepts, in Read the Docs' documentation order. */
const versionsOf = (tool: BuildToolName): readonly string[] => TOOL_TABLE[tool].map(([version]) => version);
export const BUILD_TOOL_VERSIONS: Readonly<Record<BuildToolName, readonly string[]>> = {
  python: versionsOf('python'),
  nodejs: versionsOf('nodejs'),
  ruby: versionsOf('ruby'),
  rust: versionsOf('rust'),
  golang: versionsOf('golang'),
};

export const BUILD_TOOL_NAMES = Object.keys(TOOL_TABLE) as BuildToolName[];

/** The full version Read the Docs installs for a version written in the file (`"3"` → `"3.14.0"`). */
export function fullToolVersion(tool: BuildToolName, version: string): string | undefined {
  return TOOL_TABLE[tool].find(([v]) => v === version)?.[1];
}

/** Python versions that mean "a Conda environment": `conda.environment` is then required. */
export function isCondaPython(version: string): boolean {
  return /^(miniconda|mambaforge|miniforge)/.test(version);
}

export const FORMATS: readonly RtdFormat[] = ['htmlzip', 'pdf', 'epub'];

/** `htmldir` is Read the Docs' old name for `dirhtml`; it is still accepted. */
export const SPHINX_BUILDERS: readonly SphinxBuilder[] = ['html', 'dirhtml', 'singlehtml'];

export const HOOK_JOBS: readonly HookJobName[] = [
  'post_checkout',
  'pre_system_dependencies',
  'post_system_dependencies',
  'pre_create_environment',
  'post_create_environment',
  'pre_install',
  'post_install',
  'pre_build',
  'post_build',
];
export const OVERRIDE_JOBS: readonly OverrideJobName[] = ['create_environment', 'install'];
export const JOB_NAMES: readonly JobName[] = [
  'post_checkout',
  'pre_system_dependencies',
  'post_system_dependencies',
  'pre_create_environment',
  'create_environment',
  'post_create_environment',
  'pre_install',
  'install',
  'post_install',
  'pre_build',
  'build',
  'post_build',
];
export const BUILD_JOBS_BUILD_TYPES: readonly BuildJobsBuildType[] = ['html', 'pdf', 'epub', 'htmlzip'];

/** What Read the Docs ignores in search unless `search.ignore` is given. */
export const DEFAULT_SEARCH_IGNORE: readonly string[] = ['search.html', 'search/index.html', '404.html', '404/index.html'];

export const SEARCH_RANK_MIN = -10;
export const SEARCH_RANK_MAX = 10;

/** Keys that Read the Docs removed, with what to use instead. */
export const REMOVED_KEYS: Readonly<Record<string, string>> = {
  'python.version': 'it was replaced by build.tools.python (e.g. build.tools.python: "3.12")',
  'python.system_packages': 'it was removed; install what the docs need with python.install',
  'python.use_system_site_packages': 'it was removed; install what the docs need with python.install',
  'python.requirements': 'use python.install: [{requirements: path/to/requirements.txt}]',
  'build.image': 'it was replaced by build.os (e.g. build.os: ubuntu-24.04)',
  'conda.file': 'it was renamed to conda.environment',
  requirements_file: 'it belongs to the unsupported configuration v1; use python.install',
};

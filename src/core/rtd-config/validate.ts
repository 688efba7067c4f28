// Validation of a parsed configuration file v2, section by section in the order of Read the
// Docs' BuildConfigV2.validate. Every section reports all its problems and returns its
// value with defaults, so the caller gets the complete list in one pass.

import { validateBuild } from './build.ts';
import { validatePython } from './python.ts';
import type { BuildSection } from './build.ts';
import { given } from './checker.ts';
import type { Checker, RawMap } from './checker.ts';
import { describeKey, describeValue } from './describe.ts';
import type { Segment } from './describe.ts';
import { DEFAULT_SEARCH_IGNORE, FORMATS, isCondaPython, SEARCH_RANK_MAX, SEARCH_RANK_MIN, SPHINX_BUILDERS } from './settings.ts';
import type { RtdConfig, RtdFormat, SphinxBuilder } from './types.ts';

const TOP_KEYS = ['version', 'formats', 'build', 'python', 'conda', 'sphinx', 'mkdocs', 'submodules', 'search'] as const;
const V2_DOCS = 'https://docs.readthedocs.io/en/stable/config-file/v2.html';

/** Returns the configuration, or null when the file is of another version (nothing else is checked then). */
export function validateConfig(check: Checker, root: RawMap): RtdConfig | null {
  // Before anything else: the rest of a file of another version is not worth picking apart.
  if (!validateVersion(check, root.get('version'), root.has('version'))) return null;
  const top = check.known([], root, TOP_KEYS);

  const formats = validateFormats(check, top.get('formats'));
  const build = validateBuild(check, top.get('build'), formats);
  const conda = validateConda(check, top.get('conda'), build);
  const python = validatePython(check, top.get('python'));

  if (top.has('sphinx') && top.has('mkdocs')) {
    check.report('SPHINX_MKDOCS_CONFIG_TOGETHER', [], undefined, 'The keys sphinx and mkdocs can not be used together: a project is built with one or the other; keep one of them.');
  }
  const mkdocs = top.has('mkdocs') ? validateMkdocs(check, top.get('mkdocs')) : null;
  const sphinx = top.has('sphinx') ? validateSphinx(check, top.get('sphinx')) : null;
  docTypeWarnings(check, { sphinx, mkdocs, build, formats });

  return {
    version: 2,
    build: { os: build.os, tools: build.tools, jobs: build.jobs, commands: build.commands, aptPackages: build.aptPackages },
    sphinx,
    mkdocs,
    formats,
    submodules: validateSubmodules(check, top.get('submodules')),
    python,
    search: validateSearch(check, top.get('search')),
    conda,
  };
}

/** As Read the Docs' load(): a file without `version` is read as version 2. */
function validateVersion(check: Checker, version: unknown, present: boolean): boolean {
  if (!present || version === 2 || version === '2') return true;
  if (version === 1 || version === '1') {
    check.report('INVALID_VERSION', ['version'], version, `expected 2, got ${describeValue(version)}: version 1 of the configuration file is no longer supported; migrate it to version 2 (see ${V2_DOCS}).`);
    return false;
  }
  check.report('INVALID_VERSION', ['version'], version, `expected 2, got ${describeValue(version)}; 2 is the only supported version of the configuration file.`);
  return true;
}

function validateFormats(check: Checker, raw: unknown): RtdFormat[] {
  if (!given(raw)) return [];
  if (raw === 'all') return [...FORMATS];
  if (!Array.isArray(raw)) {
    check.report('INVALID_LIST', ['formats'], raw, `expected a list of formats (${FORMATS.join(', ')}) or all, got ${describeValue(raw)}${typeof raw === 'string' ? ` (write formats: [${raw}])` : ''}.`);
    return [];
  }
  const formats: RtdFormat[] = [];
  raw.forEach((item, index) => {
    const format = check.choice(['formats', index], item, FORMATS);
    if (format !== null && !formats.includes(format)) formats.push(format);
  });
  return formats;
}

function validateConda(check: Checker, raw: unknown, build: BuildSection): RtdConfig['conda'] {
  const python = build.tools['python'];
  if (!given(raw)) {
    if (python !== undefined && isCondaPython(python) && !build.usesCommands) {
      check.report('CONDA_KEY_REQUIRED', ['conda'], raw, `required when build.tools.python is ${JSON.stringify(python)}; expected conda.environment: the path of your Conda environment file (e.g. environment.yml).`);
    }
    return null;
  }
  const map = check.mapping(['conda'], raw);
  if (!map) return null;
  const conda = check.known(['conda'], map, ['environment']);
  const environment = conda.get('environment');
  if (!given(environment)) {
    check.report('VALUE_NOT_FOUND', ['conda', 'environment'], environment, 'required key is missing; expected the path of a Conda environment file (e.g. environment.yml).');
    return null;
  }
  const path = check.repoPath(['conda', 'environment'], environment, 'a Conda environment file');
  if (path === null) return null;
  if (python !== undefined && !isCondaPython(python)) {
    check.warn(`conda.environment is not used: build.tools.python is ${JSON.stringify(python)}; Conda needs miniconda-latest, mambaforge-latest or miniforge3-latest.`);
  }
  return { environment: path };
}

function validateMkdocs(check: Checker, raw: unknown): RtdConfig['mkdocs'] {
  // `mkdocs:` with nothing after it still says "this is an MkDocs project".
  const map = raw === null ? new Map() : check.mapping(['mkdocs'], raw);
  if (!map) return null;
  const mkdocs = check.known(['mkdocs'], map, ['configuration', 'fail_on_warning']);
  const configuration = mkdocs.get('configuration');
  return {
    configuration: given(configuration) ? check.repoPath(['mkdocs', 'configuration'], configuration, 'the mkdocs.yml file') : null,
    failOnWarning: check.bool(['mkdocs', 'fail_on_warning'], mkdocs.get('fail_on_warning'), false),
  };
}

function validateSphinx(check: Checker, raw: unknown): RtdConfig['sphinx'] {
  const map = raw === null ? new Map() : check.mapping(['sphinx'], raw);
  if (!map) return null;
  const sphinx = check.known(['sphinx'], map, ['builder', 'configuration', 'fail_on_warning']);
  const rawBuilder = sphinx.get('builder');
  let builder: SphinxBuilder = 'html';
  if (rawBuilder === 'htmldir') {
    check.warn('sphinx.builder: htmldir was renamed to dirhtml (the name Sphinx uses); dirhtml is used.');
    builder = 'dirhtml';
  } else if (given(rawBuilder)) {
    builder = check.choice(['sphinx', 'builder'], rawBuilder, SPHINX_BUILDERS) ?? 'html';
  }
  const rawConfiguration = sphinx.get('configuration');
  let configuration = given(rawConfiguration) ? check.repoPath(['sphinx', 'configuration'], rawConfiguration, 'the Sphinx conf.py file') : null;
  // Sphinx is given the file's folder and reads conf.py there: another name would be silently ignored.
  if (configuration !== null && configuration.split('/').at(-1) !== 'conf.py') {
    check.report('SPHINX_INVALID_CONFIG_FILE', ['sphinx', 'configuration'], rawConfiguration, `expected the path of a file named conf.py (Sphinx reads only that name), got ${JSON.stringify(rawConfiguration)}.`);
    configuration = null;
  }
  return {
    configuration,
    builder,
    failOnWarning: check.bool(['sphinx', 'fail_on_warning'], sphinx.get('fail_on_warning'), false),
  };
}

function docTypeWarnings(
  check: Checker,
  { sphinx, mkdocs, build, formats }: { sphinx: RtdConfig['sphinx']; mkdocs: RtdConfig['mkdocs']; build: BuildSection; formats: RtdFormat[] },
): void {
  if (build.usesCommands) {
    if (sphinx) check.warn('sphinx is not used: build.commands replaces the whole build.');
    if (mkdocs) check.warn('mkdocs is not used: build.commands replaces the whole build.');
    return;
  }
  if (mkdocs && formats.length > 0) check.warn(`formats (${formats.join(', ')}) are not built for MkDocs projects: only Sphinx builds additional formats.`);
  if (!sphinx && !mkdocs && !build.overridesSteps) {
    check.warn('Neither sphinx.configuration nor mkdocs.configuration is set, so the documentation tool and its configuration file are detected; Read the Docs requires one of them since January 2025.');
  } else if (sphinx && sphinx.configuration === null) {
    check.warn('sphinx.configuration is not set, so conf.py is searched for; Read the Docs requires it since January 2025.');
  } else if (mkdocs && mkdocs.configuration === null) {
    check.warn('mkdocs.configuration is not set, so mkdocs.yml is searched for; Read the Docs requires it since January 2025.');
  }
}

function validateSubmodules(check: Checker, raw: unknown): RtdConfig['submodules'] {
  const submodules: RtdConfig['submodules'] = { include: [], exclude: 'all', recursive: false };
  if (!given(raw)) return submodules;
  const map = check.mapping(['submodules'], raw);
  if (!map) return submodules;
  const section = check.known(['submodules'], map, ['include', 'exclude', 'recursive']);
  const list = (key: 'include' | 'exclude', value: unknown): string[] | 'all' => (value === 'all' ? 'all' : (check.stringList(['submodules', key], value, 'submodule paths, or all') ?? []));

  const rawInclude = section.get('include');
  submodules.include = given(rawInclude) ? list('include', rawInclude) : [];
  const including = submodules.include === 'all' || submodules.include.length > 0;
  const rawExclude = section.get('exclude');
  submodules.exclude = given(rawExclude) ? list('exclude', rawExclude) : including ? [] : 'all';
  const excluding = submodules.exclude === 'all' || submodules.exclude.length > 0;
  if (including && excluding) {
    check.report('SUBMODULES_INCLUDE_EXCLUDE_TOGETHER', ['submodules'], raw, 'submodules.include and submodules.exclude can not be used together; list what to include, or what to exclude.');
  }
  submodules.recursive = check.bool(['submodules', 'recursive'], section.get('recursive'), false);
  return submodules;
}

function validateSearch(check: Checker, raw: unknown): RtdConfig['search'] {
  const search: RtdConfig['search'] = { ranking: {}, ignore: [...DEFAULT_SEARCH_IGNORE] };
  if (!given(raw)) return search;
  const map = check.mapping(['search'], raw);
  if (!map) return search;
  const section = check.known(['search'], map, ['ranking', 'ignore']);

  const rawRanking = section.get('ranking');
  const ranking = given(rawRanking) ? check.mapping(['search', 'ranking'], rawRanking) : null;
  if (ranking) {
    const entries: Array<[string, number]> = [];
    for (const [rawPattern, rank] of ranking) {
      const path: Segment[] = ['search', 'ranking', typeof rawPattern === 'string' ? rawPattern : describeKey(rawPattern)];
      let pattern: string | null = null;
      if (typeof rawPattern === 'string') pattern = check.pathPattern(path, rawPattern);
      else {
        const hint = typeof rawPattern === 'number' || typeof rawPattern === 'boolean' ? `; write it in quotes: ${JSON.stringify(String(rawPattern))}` : '';
        check.report('INVALID_PATH_PATTERN', path, rawPattern, `expected a path pattern (a string) as the key, got ${describeValue(rawPattern)}${hint}.`, 'key');
      }
      if (typeof rank !== 'number' || !Number.isInteger(rank) || rank < SEARCH_RANK_MIN || rank > SEARCH_RANK_MAX) {
        check.report('INVALID_CHOICE', path, rank, `expected an integer from ${SEARCH_RANK_MIN} to ${SEARCH_RANK_MAX}, got ${describeValue(rank)}.`);
      } else if (pattern !== null) {
        entries.push([pattern, rank]);
      }
    }
    search.ranking = Object.fromEntries(entries);
  }

  const rawIgnore = section.get('ignore');
  if (given(rawIgnore)) {
    if (!Array.isArray(rawIgnore)) {
      check.report('INVALID_LIST', ['search', 'ignore'], rawIgnore, `expected a list of path patterns, got ${describeValue(rawIgnore)}.`);
    } else {
      const ignore: string[] = [];
      rawIgnore.forEach((item, index) => {
        const pattern = check.pathPattern(['search', 'ignore', index], item);
        if (pattern !== null) ignore.push(pattern);
      });
      search.ignore = ignore;
    }
  }
  return search;
}

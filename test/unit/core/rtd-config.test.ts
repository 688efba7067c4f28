// Read the Docs' configuration file v2: real-world files parse to the expected object,
// every kind of mistake is reported with its key, the value found and what was expected
// (all of them at once), and hostile input gives problems quickly instead of a throw or a hang.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../../../src/core/errors.ts';
import { loadRtdConfig, MAX_CONFIG_CHARS, parseRtdConfig, RtdConfigError } from '../../../src/core/rtd-config/index.ts';
import type { ConfigProblem, RtdConfig } from '../../../src/core/rtd-config/index.ts';

const FILE = '.readthedocs.yaml';

function parsed(text: string): { config: RtdConfig; warnings: string[] } {
  const result = parseRtdConfig(text, FILE);
  if (!result.ok) assert.fail(`expected a valid file, got:\n${result.problems.map((p) => p.message).join('\n')}`);
  return { config: result.config, warnings: result.warnings };
}

function problemsOf(text: string): ConfigProblem[] {
  const result = parseRtdConfig(text, FILE);
  if (result.ok) assert.fail('expected problems, the file was accepted');
  return result.problems;
}

/** The file must have exactly one problem, at `key`, with every fragment in its message. */
function oneProblem(text: string, key: string, code: ConfigProblem['code'], fragments: string[]): ConfigProblem {
  const problems = problemsOf(text);
  assert.deepEqual(
    problems.map((p) => [p.key, p.code]),
    [[key, code]],
    problems.map((p) => p.message).join('\n'),
  );
  const problem = problems[0]!;
  for (const fragment of fragments) assert.ok(problem.message.includes(fragment), `message ${JSON.stringify(problem.message)} lacks ${JSON.stringify(fragment)}`);
  return problem;
}

const HEAD = 'version: 2\nbuild:\n  os: ubuntu-24.04\n  tools:\n    python: "3.12"\n';

const NO_JOBS = {
  post_checkout: [],
  pre_system_dependencies: [],
  post_system_dependencies: [],
  pre_create_environment: [],
  create_environment: null,
  post_create_environment: [],
  pre_install: [],
  install: null,
  post_install: [],
  pre_build: [],
  build: { html: null, pdf: null, epub: null, htmlzip: null },
  post_build: [],
};
const DEFAULT_IGNORE = ['search.html', 'search/index.html', '404.html', '404/index.html'];

describe('parseRtdConfig: real-world files', () => {
  test('a typical Sphinx project with python.install', () => {
    const { config, warnings } = parsed(`# .readthedocs.yaml
# Read the Docs configuration file
version: 2

build:
  os: ubuntu-22.04
  tools:
    python: "3.11"
  apt_packages:
    - graphviz
    - libxml2-dev

sphinx:
  configuration: docs/conf.py
  builder: dirhtml
  fail_on_warning: true

formats:
  - pdf
  - epub

python:
  install:
    - requirements: docs/requirements.txt
    - method: pip
      path: .
      extra_requirements:
        - docs
`);
    const expected: RtdConfig = {
      version: 2,
      build: { os: 'ubuntu-22.04', tools: { python: '3.11' }, jobs: NO_JOBS, commands: [], aptPackages: ['graphviz', 'libxml2-dev'] },
      sphinx: { configuration: 'docs/conf.py', builder: 'dirhtml', failOnWarning: true },
      mkdocs: null,
      formats: ['pdf', 'epub'],
      submodules: { include: [], exclude: 'all', recursive: false },
      python: { install: [{ requirements: 'docs/requirements.txt' }, { path: '.', method: 'pip', extraRequirements: ['docs'] }] },
      search: { ranking: {}, ignore: DEFAULT_IGNORE },
      conda: null,
    };
    assert.deepEqual(config, expected);
    assert.deepEqual(warnings, []);
  });

  test('an MkDocs project', () => {
    const { config, warnings } = parsed(`version: 2
build:
  os: ubuntu-lts-latest
  tools:
    python: latest
mkdocs:
  configuration: mkdocs.yml
  fail_on_warning: true
python:
  install:
    - requirements: requirements.txt
`);
    assert.deepEqual(config.mkdocs, { configuration: 'mkdocs.yml', failOnWarning: true });
    assert.equal(config.sphinx, null);
    assert.deepEqual(config.build.tools, { python: 'latest' });
    assert.equal(config.build.os, 'ubuntu-lts-latest');
    assert.deepEqual(config.python.install, [{ requirements: 'requirements.txt' }]);
    assert.deepEqual(warnings, []);
  });

  test('a build.commands project needs no tools, and leaves sphinx and mkdocs null', () => {
    const { config, warnings } = parsed(`version: 2
build:
  os: ubuntu-24.04
  commands:
    - pip install pelican
    - pelican --settings docs/pelicanconf.py --output $READTHEDOCS_OUTPUT/html/ docs/
`);
    assert.deepEqual(config.build.commands, ['pip install pelican', 'pelican --settings docs/pelicanconf.py --output $READTHEDOCS_OUTPUT/html/ docs/']);
    assert.deepEqual(config.build.tools, {});
    assert.equal(config.sphinx, null);
    assert.equal(config.mkdocs, null);
    assert.deepEqual(config.build.jobs, NO_JOBS);
    assert.deepEqual(warnings, []);
  });

  test('build.jobs: hooks, step overrides and build.jobs.build per format', () => {
    const { config } = parsed(`version: 2
formats: [pdf]
build:
  os: ubuntu-24.04
  tools:
    python: "3.13"
    nodejs: "22"
    rust: latest
    golang: "1.22"
    ruby: "3.3"
  jobs:
    post_checkout:
      - git fetch --unshallow || true
    pre_install:
      - npm ci
    install: []
    post_build:
      - echo done
      - echo "$READTHEDOCS_OUTPUT"
    build:
      html:
        - make html
      pdf:
        - make latexpdf
sphinx:
  configuration: docs/conf.py
`);
    assert.deepEqual(config.build.tools, { python: '3.13', nodejs: '22', rust: 'latest', golang: '1.22', ruby: '3.3' });
    assert.deepEqual(config.build.jobs, {
      ...NO_JOBS,
      post_checkout: ['git fetch --unshallow || true'],
      pre_install: ['npm ci'],
      install: [],
      post_build: ['echo done', 'echo "$READTHEDOCS_OUTPUT"'],
      build: { html: ['make html'], pdf: ['make latexpdf'], epub: null, htmlzip: null },
    });
  });

  test('formats: all expands to the three formats', () => {
    assert.deepEqual(parsed(`${HEAD}formats: all\nsphinx:\n  configuration: docs/conf.py\n`).config.formats, ['htmlzip', 'pdf', 'epub']);
  });

  test('search: ranking and ignore patterns, normalized as Read the Docs does', () => {
    const { config } = parsed(`${HEAD}sphinx: {configuration: docs/conf.py}
search:
  ranking:
    api/v1/*: -1
    /api/v2/*: 4
    "changelog.html": -10
    guides//./index.html: 10
  ignore:
    - 404.html
    - /search/../private/*
`);
    assert.deepEqual(config.search, {
      ranking: { 'api/v1/*': -1, 'api/v2/*': 4, 'changelog.html': -10, 'guides/index.html': 10 },
      ignore: ['404.html', 'private/*'],
    });
  });

  test('a Conda project, with submodules', () => {
    const { config, warnings } = parsed(`version: 2
build:
  os: ubuntu-22.04
  tools:
    python: mambaforge-22.9
conda:
  environment: docs/environment.yml
sphinx:
  configuration: docs/conf.py
submodules:
  include:
    - vendor/theme
  recursive: true
`);
    assert.deepEqual(config.conda, { environment: 'docs/environment.yml' });
    assert.deepEqual(config.submodules, { include: ['vendor/theme'], exclude: [], recursive: true });
    assert.deepEqual(warnings, []);
  });

  test('defaults: sphinx html builder, no formats, all submodules excluded; no sphinx/mkdocs key leaves both null, with a warning', () => {
    const { config, warnings } = parsed(HEAD);
    assert.equal(config.sphinx, null);
    assert.equal(config.mkdocs, null);
    assert.deepEqual(config.formats, []);
    assert.deepEqual(config.submodules, { include: [], exclude: 'all', recursive: false });
    assert.deepEqual(config.python, { install: [] });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /Neither sphinx\.configuration nor mkdocs\.configuration is set/);

    const sphinx = parsed(`${HEAD}sphinx:\n  configuration: docs/conf.py\n`).config.sphinx;
    assert.deepEqual(sphinx, { configuration: 'docs/conf.py', builder: 'html', failOnWarning: false });
  });

  test('YAML 1.1 as PyYAML reads it: yes is true, "2" is version 2, and `path: .` stays a path', () => {
    const { config } = parsed(`version: "2"
build: {os: ubuntu-24.04, tools: {python: "3"}}
sphinx:
  configuration: docs/conf.py
  fail_on_warning: yes
submodules:
  recursive: on
python:
  install:
    - path: .
`);
    assert.equal(config.sphinx?.failOnWarning, true);
    assert.equal(config.submodules.recursive, true);
    assert.deepEqual(config.python.install, [{ path: '.', method: 'pip', extraRequirements: [] }]);
  });

  test('paths are normalized relative to the repository root', () => {
    const result = parseRtdConfig(`${HEAD}sphinx:\n  configuration: ./docs//conf.py\npython:\n  install:\n    - requirements: docs/../requirements.txt\n    - path: ./\n`, FILE);
    assert.ok(result.ok);
    assert.equal(result.config.sphinx?.configuration, 'docs/conf.py');
    assert.deepEqual(result.config.python.install, [{ requirements: 'requirements.txt' }, { path: '.', method: 'pip', extraRequirements: [] }]);
  });

  test('the old htmldir builder name and a repeated key are accepted with warnings', () => {
    const { config, warnings } = parsed(`${HEAD}sphinx:\n  configuration: docs/conf.py\n  builder: htmldir\nformats: [pdf]\nformats: [epub]\n`);
    assert.equal(config.sphinx?.builder, 'dirhtml');
    assert.deepEqual(config.formats, ['epub'], 'the last duplicate wins, as in PyYAML');
    assert.equal(warnings.length, 2, warnings.join('\n'));
    assert.ok(warnings.some((w) => /htmldir was renamed to dirhtml/.test(w)));
    assert.ok(warnings.some((w) => /Line 10: the key "formats" is repeated/.test(w)), warnings.join('\n'));
  });

  test('YAML anchors and aliases within the limit are fine', () => {
    const { config } = parsed(`${HEAD}  jobs:
    pre_build: &setup
      - pip install -U pip
      - pip install .
    pre_install: *setup
sphinx: {configuration: docs/conf.py}
`);
    assert.deepEqual(config.build.jobs.pre_install, ['pip install -U pip', 'pip install .']);
    assert.deepEqual(config.build.jobs.pre_build, ['pip install -U pip', 'pip install .']);
  });
});

describe('parseRtdConfig: each kind of mistake names the key, the value found and what was expected', () => {
  test('YAML syntax error, with its line', () => {
    const problem = oneProblem(`${HEAD}formats: [pdf, epub\nsphinx:\n  configuration: docs/conf.py\n`, '', 'SYNTAX_INVALID', ['YAML syntax error in .readthedocs.yaml at line 7']);
    assert.equal(problem.line, 7);
  });

  test('tabs for indentation are a syntax error', () => {
    oneProblem('version: 2\nbuild:\n\tos: ubuntu-24.04\n', '', 'SYNTAX_INVALID', ['line 3', 'Tabs']);
  });

  test('the top level is not a mapping, or the file is empty', () => {
    oneProblem('- version: 2\n- build: {}\n', '', 'SYNTAX_INVALID', ['must be a mapping', 'got a list of 2 items']);
    oneProblem('just a sentence', '', 'SYNTAX_INVALID', ['must be a mapping', 'got the string "just a sentence"']);
    oneProblem('', '', 'SYNTAX_INVALID', ['.readthedocs.yaml is empty']);
    oneProblem('# only a comment\n', '', 'SYNTAX_INVALID', ['is empty']);
    oneProblem('{}', '', 'SYNTAX_INVALID', ['is empty']);
  });

  test('version missing is read as version 2, as Read the Docs loads it', () => {
    const { config, warnings } = parsed('build:\n  os: ubuntu-24.04\n  tools: {python: "3"}\nsphinx: {configuration: docs/conf.py}\n');
    assert.equal(config.version, 2);
    assert.equal(config.sphinx?.configuration, 'docs/conf.py');
    assert.deepEqual(warnings, []);
    // …and the rest of such a file is still validated in full.
    oneProblem('build:\n  os: ubuntu-24.04\n  tools: {python: "3.99"}\n', 'build.tools.python', 'INVALID_CHOICE', ['expected one of']);
  });

  test('version 1 is no longer supported, and the rest of a v1 file is not picked apart', () => {
    const problem = oneProblem('version: 1\nrequirements_file: docs/requirements.txt\npython:\n  version: 3.7\n', 'version', 'INVALID_VERSION', [
      'expected 2, got the number 1',
      'version 1 of the configuration file is no longer supported',
    ]);
    assert.equal(problem.value, 1);
    oneProblem(`version: 3\n${HEAD.slice('version: 2\n'.length)}sphinx: {configuration: docs/conf.py}\n`, 'version', 'INVALID_VERSION', ['expected 2, got the number 3']);
  });

  test('invalid key at the top level suggests the closest valid key', () => {
    const problem = oneProblem(`${HEAD}sphnix:\n  configuration: docs/conf.py\n`, 'sphnix', 'INVALID_KEY_NAME', ['sphnix: invalid configuration key', 'did you mean "sphinx"?']);
    assert.equal(problem.line, 6);
  });

  test('invalid key in a section, with nothing close, lists the valid keys', () => {
    const problem = oneProblem(`${HEAD}  foo: 1\nsphinx: {configuration: docs/conf.py}\n`, 'build.foo', 'INVALID_KEY_NAME', [
      'build.foo: invalid configuration key.',
      'Valid keys in build: os, tools, jobs, commands, apt_packages.',
    ]);
    assert.ok(!problem.message.includes('did you mean'));
  });

  test('invalid keys deeper down: build.jobs, python.install items, removed keys', () => {
    oneProblem(`${HEAD}  jobs:\n    pre_biuld: [make]\n`, 'build.jobs.pre_biuld', 'INVALID_KEY_NAME', ['did you mean "pre_build"?']);
    oneProblem(`${HEAD}python:\n  install:\n    - requirements: requirements.txt\n      method: pip\n`, 'python.install[0].method', 'INVALID_KEY_NAME', ['Valid keys in python.install[0]: requirements.']);
    oneProblem(`${HEAD}python:\n  version: "3.8"\n`, 'python.version', 'INVALID_KEY_NAME', ['no longer supported', 'build.tools.python']);
    oneProblem('version: 2\nbuild:\n  os: ubuntu-22.04\n  image: latest\n  tools: {python: "3"}\n', 'build.image', 'INVALID_KEY_NAME', ['no longer supported', 'build.os']);
  });

  test('invalid choice lists the allowed values: sphinx.builder', () => {
    const problem = oneProblem(`${HEAD}sphinx:\n  configuration: docs/conf.py\n  builder: pdf\n`, 'sphinx.builder', 'INVALID_CHOICE', [
      'sphinx.builder: expected one of html, dirhtml, singlehtml; got the string "pdf".',
    ]);
    assert.equal(problem.value, 'pdf');
    assert.equal(problem.line, 8);
  });

  test('invalid choice: formats: [docx]', () => {
    oneProblem(`${HEAD}formats: [pdf, docx]\n`, 'formats[1]', 'INVALID_CHOICE', ['formats[1]: expected one of htmlzip, pdf, epub; got the string "docx".']);
  });

  test('invalid choice: build.os: windows-10', () => {
    oneProblem('version: 2\nbuild:\n  os: windows-10\n  tools: {python: "3"}\n', 'build.os', 'INVALID_CHOICE', [
      'build.os: expected one of ubuntu-20.04, ubuntu-22.04, ubuntu-24.04',
      'ubuntu-lts-latest; got the string "windows-10".',
    ]);
  });

  test('invalid choice: build.tools.python: "2.6", and an unknown tool', () => {
    oneProblem('version: 2\nbuild:\n  os: ubuntu-24.04\n  tools:\n    python: "2.6"\n', 'build.tools.python', 'INVALID_CHOICE', [
      'expected one of 2.7, 3, 3.6,',
      '3.13, 3.14, latest, miniconda3-4.7,',
      'mambaforge-22.9',
      'got the string "2.6"',
    ]);
    oneProblem('version: 2\nbuild:\n  os: ubuntu-24.04\n  tools:\n    python: "3"\n    java: "21"\n', 'build.tools.java', 'INVALID_KEY_NAME', [
      'Valid keys in build.tools: python, nodejs, ruby, rust, golang.',
    ]);
  });

  test('invalid choice: python.install[0].method: conda', () => {
    oneProblem(`${HEAD}python:\n  install:\n    - path: .\n      method: conda\n`, 'python.install[0].method', 'INVALID_CHOICE', [
      'python.install[0].method: expected one of pip, setuptools, uv; got the string "conda".',
    ]);
  });

  test('wrong type: sphinx.fail_on_warning: "yes"', () => {
    oneProblem(`${HEAD}sphinx:\n  configuration: docs/conf.py\n  fail_on_warning: "yes"\n`, 'sphinx.fail_on_warning', 'INVALID_BOOL', [
      'expected a boolean (true or false), got the string "yes" (remove the quotes).',
    ]);
    oneProblem(`${HEAD}mkdocs:\n  fail_on_warning: [true]\n`, 'mkdocs.fail_on_warning', 'INVALID_BOOL', ['got a list of 1 item']);
  });

  test('wrong type: formats: htmlzip (Read the Docs accepts all or a list)', () => {
    oneProblem(`${HEAD}formats: htmlzip\n`, 'formats', 'INVALID_LIST', ['expected a list of formats (htmlzip, pdf, epub) or all, got the string "htmlzip"', 'formats: [htmlzip]']);
  });

  test('wrong type: build.jobs.pre_build: "echo" must be a list of strings', () => {
    oneProblem(`${HEAD}  jobs:\n    pre_build: "echo hi"\n`, 'build.jobs.pre_build', 'INVALID_LIST', ['expected a list of commands, got the string "echo hi"', '["echo hi"]']);
    oneProblem(`${HEAD}  jobs:\n    post_build:\n      - echo ok\n      - {run: make}\n`, 'build.jobs.post_build[1]', 'INVALID_STRING', ['expected a string, got a mapping (with key run)']);
  });

  test('wrong type: build.commands must be a list; build, python and sections must be mappings', () => {
    oneProblem('version: 2\nbuild:\n  os: ubuntu-24.04\n  commands: make html\n', 'build.commands', 'INVALID_LIST', ['expected a list of commands, got the string "make html"']);
    oneProblem('version: 2\nbuild: ubuntu-24.04\n', 'build', 'INVALID_DICT', ['build: expected a mapping (key: value pairs), got the string "ubuntu-24.04".']);
    oneProblem(`${HEAD}python: [requirements.txt]\n`, 'python', 'INVALID_DICT', ['got a list of 1 item']);
    oneProblem(`${HEAD}python:\n  install: requirements.txt\n`, 'python.install', 'INVALID_LIST', ['expected a list of install steps']);
  });

  test('paths are not required to exist when the file is read: a pre_* job may create them (the build checks them when used)', () => {
    const { config } = parsed(`${HEAD}  jobs:
    pre_install:
      - python3 scripts/pin.py > docs/generated-requirements.txt
    pre_build:
      - python3 scripts/make_conf.py
sphinx:
  configuration: docs/generated/conf.py
python:
  install:
    - requirements: docs/generated-requirements.txt
`);
    assert.equal(config.sphinx?.configuration, 'docs/generated/conf.py');
    assert.deepEqual(config.python.install, [{ requirements: 'docs/generated-requirements.txt' }]);
    assert.equal(parsed(`${HEAD}mkdocs:\n  configuration: site/mkdocs.yml\n`).config.mkdocs?.configuration, 'site/mkdocs.yml');
    assert.deepEqual(parsed('version: 2\nbuild:\n  os: ubuntu-24.04\n  tools: {python: miniforge3-latest}\nconda:\n  environment: env.yml\n').config.conda, { environment: 'env.yml' });
  });

  test('a path outside the repository is refused, and an empty one', () => {
    const result = parseRtdConfig(`${HEAD}sphinx:\n  configuration: ../other/conf.py\npython:\n  install:\n    - requirements: /etc/passwd\n`, FILE);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.problems.map((p) => [p.key, p.code]),
      [
        ['sphinx.configuration', 'INVALID_PATH'],
        ['python.install[0].requirements', 'INVALID_PATH'],
      ],
    );
    assert.match(result.problems[0]!.message, /points outside the repository/);
    assert.match(result.problems[1]!.message, /must be relative to the repository root/);
    oneProblem(`${HEAD}python:\n  install:\n    - requirements: ""\n`, 'python.install[0].requirements', 'INVALID_PATH', ['the path is empty']);
  });

  test('build.jobs together with build.commands', () => {
    oneProblem('version: 2\nbuild:\n  os: ubuntu-24.04\n  jobs:\n    post_build: [echo]\n  commands:\n    - make\n', 'build', 'BUILD_JOBS_AND_COMMANDS', [
      'build.jobs and build.commands can not be used together',
    ]);
  });

  test('sphinx.configuration must name a conf.py file, as Read the Docs now checks', () => {
    oneProblem(`${HEAD}sphinx:\n  configuration: docs/rtd-conf.py\n`, 'sphinx.configuration', 'SPHINX_INVALID_CONFIG_FILE', ['a file named conf.py', 'got "docs/rtd-conf.py"']);
    oneProblem(`${HEAD}sphinx:\n  configuration: docs\n`, 'sphinx.configuration', 'SPHINX_INVALID_CONFIG_FILE', ['conf.py']);
  });

  test('sphinx together with mkdocs', () => {
    oneProblem(`${HEAD}sphinx:\n  configuration: docs/conf.py\nmkdocs:\n  configuration: mkdocs.yml\n`, '', 'SPHINX_MKDOCS_CONFIG_TOGETHER', ['sphinx and mkdocs can not be used together']);
  });

  test('build.os missing, build missing, neither build.tools nor build.commands', () => {
    oneProblem('version: 2\nbuild:\n  tools: {python: "3"}\n', 'build.os', 'VALUE_NOT_FOUND', ['build.os: required key is missing; expected one of ubuntu-20.04']);
    oneProblem('version: 2\nsphinx:\n  configuration: docs/conf.py\n', 'build', 'VALUE_NOT_FOUND', ['build: required key is missing', 'build.os and build.tools']);
    oneProblem('version: 2\nbuild:\n  os: ubuntu-24.04\n', 'build', 'NOT_BUILD_TOOLS_OR_COMMANDS', ['at least one of build.tools or build.commands is required']);
    oneProblem('version: 2\nbuild:\n  os: ubuntu-24.04\n  tools: {}\n  commands: []\n', 'build', 'NOT_BUILD_TOOLS_OR_COMMANDS', ['build.tools or build.commands']);
  });

  test('search.ranking outside -10..10 or not an integer', () => {
    const problems = problemsOf(`${HEAD}search:\n  ranking:\n    a.html: 11\n    b.html: 1.5\n    c.html: "3"\n    d.html: -10\n`);
    assert.deepEqual(
      problems.map((p) => [p.key, p.code, p.value]),
      [
        ['search.ranking["a.html"]', 'INVALID_CHOICE', 11],
        ['search.ranking["b.html"]', 'INVALID_CHOICE', 1.5],
        ['search.ranking["c.html"]', 'INVALID_CHOICE', '3'],
      ],
    );
    assert.equal(problems[0]!.message, 'search.ranking["a.html"]: expected an integer from -10 to 10, got the number 11.');
  });

  test('search patterns that normalize to nothing', () => {
    oneProblem(`${HEAD}search:\n  ignore: [/, ok.html]\n`, 'search.ignore[0]', 'INVALID_PATH_PATTERN', ['"/" is not a valid path pattern']);
  });

  test('submodules.include together with submodules.exclude', () => {
    oneProblem(`${HEAD}submodules:\n  include: [a]\n  exclude: all\n`, 'submodules', 'SUBMODULES_INCLUDE_EXCLUDE_TOGETHER', ['can not be used together']);
  });

  test('build.jobs.build for a format that is not built', () => {
    oneProblem(`${HEAD}  jobs:\n    build:\n      epub: [make epub]\n`, 'build.jobs.build.epub', 'BUILD_JOBS_BUILD_TYPE_MISSING_IN_FORMATS', ['epub is not in formats', 'add epub to formats']);
  });

  test('a Conda python without conda.environment', () => {
    oneProblem('version: 2\nbuild:\n  os: ubuntu-24.04\n  tools:\n    python: mambaforge-latest\n', 'conda', 'CONDA_KEY_REQUIRED', ['build.tools.python is "mambaforge-latest"', 'conda.environment']);
    oneProblem(`${HEAD}conda: {}\n`, 'conda.environment', 'VALUE_NOT_FOUND', ['required key is missing']);
  });

  test('python.install items: neither requirements nor path; extras without pip', () => {
    oneProblem(`${HEAD}python:\n  install:\n    - method: pip\n`, 'python.install[0]', 'PIP_PATH_OR_REQUIREMENT_REQUIRED', ['expected either requirements', 'or path']);
    oneProblem(`${HEAD}python:\n  install:\n    - path: .\n      method: setuptools\n      extra_requirements: [docs]\n`, 'python.install[0].extra_requirements', 'USE_PIP_FOR_EXTRA_REQUIREMENTS', ['method: pip']);
  });

  test('APT package names that would be options, files or shell', () => {
    const problems = problemsOf(`${HEAD}  apt_packages:\n    - cmake\n    - "-o Dir=/"\n    - ./local.deb\n    - "curl; rm -rf /"\n`);
    assert.deepEqual(
      problems.map((p) => [p.key, p.code]),
      [
        ['build.apt_packages[1]', 'APT_INVALID_PACKAGE_NAME_PREFIX'],
        ['build.apt_packages[2]', 'APT_INVALID_PACKAGE_NAME_PREFIX'],
        ['build.apt_packages[3]', 'APT_INVALID_PACKAGE_NAME'],
      ],
    );
    assert.match(problems[0]!.message, /can not start with "-"/);
  });

  test('a number where a string is expected: python: 3.10 is read as 3.1, and the hint quotes what was written', () => {
    const problem = oneProblem('version: 2\nbuild:\n  os: ubuntu-22.04\n  tools:\n    python: 3.10\n', 'build.tools.python', 'INVALID_CHOICE', [
      'got the number 3.1',
      'YAML reads the unquoted 3.10 as the number 3.1; write it in quotes: "3.10"',
    ]);
    assert.equal(problem.value, 3.1);
    assert.equal(problem.line, 5);
    oneProblem('version: 2\nbuild:\n  os: ubuntu-22.04\n  tools: {python: "3", nodejs: 20}\n', 'build.tools.nodejs', 'INVALID_CHOICE', ['write it in quotes: "20"']);
    oneProblem('version: 2\nbuild:\n  os: ubuntu-22.04\n  commands:\n    - 42\n', 'build.commands[0]', 'INVALID_STRING', ['expected a string, got the number 42', '"42"']);
  });

  test('tags PyYAML safe_load refuses are refused', () => {
    oneProblem(`${HEAD}sphinx:\n  configuration: !!python/name:os.system docs/conf.py\n`, '', 'SYNTAX_INVALID', ['line 7', 'tags are not allowed']);
  });

  test('a file with three problems reports all three, in file order', () => {
    const problems = problemsOf(`version: 2
build:
  os: ubuntu-24.04
  tools:
    python: "2.6"
sphinx:
  builder: pdf
  configuration: docs/conf.py
formats: [docx]
`);
    assert.deepEqual(
      problems.map((p) => [p.key, p.line]),
      [
        ['build.tools.python', 5],
        ['sphinx.builder', 7],
        ['formats[0]', 9],
      ],
    );
  });
});

describe('parseRtdConfig: Read the Docs\' current tables', () => {
  const tools = (os: string, tool: string, version: string) => `version: 2\nbuild:\n  os: ${os}\n  tools:\n    ${tool}: "${version}"\n`;

  test('every build.os Read the Docs lists, and its aliases', () => {
    for (const os of ['ubuntu-20.04', 'ubuntu-22.04', 'ubuntu-24.04', 'ubuntu-26.04', 'ubuntu-lts-latest']) {
      assert.equal(parsed(`${tools(os, 'python', '3')}sphinx: {configuration: docs/conf.py}\n`).config.build.os, os);
    }
    for (const os of ['ubuntu-18.04', 'ubuntu-latest', 'debian-12']) oneProblem(tools(os, 'python', '3'), 'build.os', 'INVALID_CHOICE', [`got the string "${os}"`]);
  });

  test('build.tools versions, with latest and the Conda/Mamba/Miniforge names', () => {
    const accepted: Record<string, string[]> = {
      python: ['2.7', '3', '3.6', '3.10', '3.13', '3.14', 'latest', 'miniconda3-4.7', 'miniconda3-3.12-24.1', 'miniconda3-3.12-24.9', 'miniconda-latest', 'mambaforge-4.10', 'mambaforge-22.9', 'mambaforge-23.11', 'mambaforge-latest', 'miniforge3-25.11', 'miniforge3-latest'],
      nodejs: ['14', '16', '18', '19', '20', '22', '23', '24', 'latest'],
      rust: ['1.55', '1.61', '1.64', '1.70', '1.75', '1.78', '1.82', '1.86', '1.91', 'latest'],
      golang: ['1.17', '1.18', '1.19', '1.20', '1.21', '1.22', '1.23', '1.24', '1.25', 'latest'],
      ruby: ['3.3', '3.4', 'latest'],
    };
    for (const [tool, versions] of Object.entries(accepted)) {
      for (const version of versions) {
        const conda = /^(mini|mamba)/.test(version) ? 'conda: {environment: environment.yml}\n' : '';
        assert.equal(parsed(`${tools('ubuntu-24.04', tool, version)}${conda}sphinx: {configuration: docs/conf.py}\n`).config.build.tools[tool], version, `${tool} ${version}`);
      }
    }
    const refused: Array<[string, string]> = [['python', '3.5'], ['python', 'pypy3.9'], ['python', 'miniforge3-4.10'], ['nodejs', '21'], ['rust', '1.90'], ['golang', '1.16'], ['ruby', '3.2']];
    for (const [tool, version] of refused) oneProblem(tools('ubuntu-24.04', tool, version), `build.tools.${tool}`, 'INVALID_CHOICE', [`got the string "${version}"`]);
  });

  test('every build.jobs step, pre_checkout included (accepted with a warning)', () => {
    const steps = ['post_checkout', 'pre_system_dependencies', 'post_system_dependencies', 'pre_create_environment', 'create_environment', 'post_create_environment', 'pre_install', 'install', 'post_install', 'pre_build', 'post_build'];
    const { config, warnings } = parsed(`${HEAD}  jobs:\n${['pre_checkout', ...steps].map((s) => `    ${s}: ["echo ${s}"]`).join('\n')}\n    build:\n      html: ["echo html"]\n`);
    for (const step of steps) assert.deepEqual(config.build.jobs[step as keyof typeof config.build.jobs], [`echo ${step}`], step);
    assert.deepEqual(config.build.jobs.build.html, ['echo html']);
    assert.ok(warnings.some((w) => /pre_checkout is ignored/.test(w)), warnings.join('\n'));
    oneProblem(`${HEAD}  jobs:\n    pre_deploy: [echo]\n`, 'build.jobs.pre_deploy', 'INVALID_KEY_NAME', ['invalid configuration key']);
  });
});

describe('parseRtdConfig: python.install with method: uv', () => {
  const uv = (lines: string) => `${HEAD}sphinx: {configuration: docs/conf.py}\npython:\n  install:\n    - method: uv\n${lines}`;

  test('command: sync, with groups and extras as lists or all, and a project path', () => {
    assert.deepEqual(parsed(uv('      command: sync\n')).config.python.install, [{ method: 'uv', command: 'sync', path: null, groups: null, extras: null }]);
    assert.deepEqual(parsed(uv('      command: sync\n      path: packages/site\n      groups: [docs, api]\n      extras: all\n')).config.python.install, [
      { method: 'uv', command: 'sync', path: 'packages/site', groups: ['docs', 'api'], extras: 'all' },
    ]);
    assert.deepEqual(parsed(uv('      command: sync\n      groups: all\n')).config.python.install[0], { method: 'uv', command: 'sync', path: null, groups: 'all', extras: null });
  });

  test('command: pip, with a requirements file or a path (and extras)', () => {
    assert.deepEqual(parsed(uv('      command: pip\n      requirements: docs/requirements.txt\n')).config.python.install[0], {
      method: 'uv', command: 'pip', path: null, requirements: 'docs/requirements.txt', extras: null,
    });
    assert.deepEqual(parsed(uv('      command: pip\n      path: .\n      extras: [docs]\n')).config.python.install[0], {
      method: 'uv', command: 'pip', path: '.', requirements: null, extras: ['docs'],
    });
  });

  test('each rule of Read the Docs\' uv validation, named by key', () => {
    oneProblem(uv(''), 'python.install[0].command', 'UV_COMMAND_REQUIRED', ['required key is missing with method: uv', 'command: sync', 'command: pip']);
    oneProblem(uv('      command: install\n'), 'python.install[0].command', 'INVALID_CHOICE', ['expected one of sync, pip; got the string "install"']);
    oneProblem(uv('      command: sync\n      requirements: requirements.txt\n'), 'python.install[0].requirements', 'UV_SYNC_REQUIREMENTS_INVALID', ['can not be used with command: sync']);
    oneProblem(uv('      command: pip\n      path: .\n      groups: [docs]\n'), 'python.install[0].groups', 'UV_PIP_GROUPS_NOT_ALLOWED', ['can not be used with command: pip']);
    oneProblem(uv('      command: pip\n'), 'python.install[0]', 'UV_PIP_REQUIREMENTS_OR_PATH_REQUIRED', ['needs requirements', 'or path']);
    oneProblem(uv('      command: pip\n      path: .\n      requirements: r.txt\n'), 'python.install[0]', 'UV_PIP_REQUIREMENTS_AND_PATH_MUTUALLY_EXCLUSIVE', ['can not be used together']);
    oneProblem(uv('      command: sync\n      groups: []\n'), 'python.install[0].groups', 'UV_GROUPS_EXTRAS_EMPTY', ['the list of groups is empty']);
    oneProblem(uv('      command: sync\n      extras: docs\n'), 'python.install[0].extras', 'UV_GROUPS_EXTRAS_INVALID_TYPE', ['expected a list of extras or all, got the string "docs"', 'extras: [docs]']);
    oneProblem(uv('      command: pip\n      path: .\n      extras: []\n'), 'python.install[0].extras', 'UV_GROUPS_EXTRAS_EMPTY', ['extras is empty']);
    oneProblem(uv('      command: sync\n      path: ../elsewhere\n'), 'python.install[0].path', 'INVALID_PATH', ['points outside the repository']);
    oneProblem(uv('      command: sync\n      frozen: true\n'), 'python.install[0].frozen', 'INVALID_KEY_NAME', ['Valid keys in python.install[0]: method, command, path, requirements, groups, extras']);
  });

  test('uv is the only install step', () => {
    oneProblem(`${uv('      command: sync\n')}    - requirements: docs/requirements.txt\n`, 'python.install', 'UV_MULTIPLE_INSTALL_ENTRIES_INVALID', ['method: uv must be the only install step (found 2)']);
  });
});

describe('parseRtdConfig: every problem at once', () => {
  test('problems in every section are all reported, each named by its key', () => {
    const problems = problemsOf(`build:
  os: ubuntu-18.04
  tools:
    python: "3.5"
    nodejs: "21"
  jobs:
    pre_build: make
sphinx:
  builder: latex
mkdocs: {}
formats: [docx]
python:
  install:
    - method: uv
      command: sync
      requirements: r.txt
      groups: docs
    - requirements: ../x.txt
submodules:
  include: all
  exclude: [a]
search:
  ranking:
    api/*: 11
`);
    assert.deepEqual(problems.map((p) => [p.key, p.code]).sort(), [
      ['', 'SPHINX_MKDOCS_CONFIG_TOGETHER'],
      ['build.jobs.pre_build', 'INVALID_LIST'],
      ['build.os', 'INVALID_CHOICE'],
      ['build.tools.nodejs', 'INVALID_CHOICE'],
      ['build.tools.python', 'INVALID_CHOICE'],
      ['formats[0]', 'INVALID_CHOICE'],
      ['python.install', 'UV_MULTIPLE_INSTALL_ENTRIES_INVALID'],
      ['python.install[0].groups', 'UV_GROUPS_EXTRAS_INVALID_TYPE'],
      ['python.install[0].requirements', 'UV_SYNC_REQUIREMENTS_INVALID'],
      ['python.install[1].requirements', 'INVALID_PATH'],
      ['search.ranking["api/*"]', 'INVALID_CHOICE'],
      ['sphinx.builder', 'INVALID_CHOICE'],
      ['submodules', 'SUBMODULES_INCLUDE_EXCLUDE_TOGETHER'],
    ].sort());
    for (const p of problems) if (p.key) assert.ok(p.message.startsWith(`${p.key}: `), p.message);
  });
});

describe('parseRtdConfig: hostile input gives problems, quickly', () => {
  test('a 5 MB file', { timeout: 5000 }, () => {
    const problems = problemsOf(`version: 2\nbuild:\n  commands:\n${'    - echo "lorem ipsum dolor sit amet"\n'.repeat(130_000)}`);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.code, 'FILE_TOO_LARGE');
    assert.match(problems[0]!.message, /too large \(5\.0 MB\); the maximum is 256 KB/);
    assert.equal(problemsOf('x'.repeat(MAX_CONFIG_CHARS + 1))[0]!.code, 'FILE_TOO_LARGE');
  });

  test('a "billion laughs" alias bomb fails fast on the alias limit', { timeout: 5000 }, () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const name = String.fromCharCode(97 + i);
      const prev = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const problems = problemsOf(`version: 2\n${levels.join('\n')}\n`);
    assert.ok(Date.now() - started < 2000, 'took too long');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.code, 'SYNTAX_INVALID');
    assert.match(problems[0]!.message, /aliases \(\*name\) into too much data/);
  });

  test('deeply nested structures', { timeout: 10_000 }, () => {
    const flow = problemsOf(`version: 2\nbuild: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    assert.equal(flow[0]!.code, 'SYNTAX_INVALID');
    assert.match(flow[0]!.message, /nested too deeply/);

    let block = 'version: 2\n';
    for (let depth = 0; depth < 600; depth++) block += `${' '.repeat(depth)}k:\n`;
    assert.ok(problemsOf(block).length > 0);

    // Deep but readable: reported in a short message at the key where a string was expected.
    const deep = problemsOf(`${HEAD}  commands:\n    - ${'['.repeat(60)}x${']'.repeat(60)}\n`);
    assert.deepEqual(
      deep.map((p) => [p.key, p.code]),
      [['build.commands[0]', 'INVALID_STRING']],
    );
    assert.ok(deep[0]!.message.length < 200, deep[0]!.message);
    assert.ok(JSON.stringify(deep[0]!.value).length < 200, 'the value kept in the problem is bounded');
  });

  test('keys that are not strings', () => {
    const problems = problemsOf(`${HEAD}1: one\n? [a, b]\n: list\nnull: nothing\ntrue: yes\nsphinx: {configuration: docs/conf.py}\n`);
    assert.deepEqual(
      problems.map((p) => [p.key, p.code]),
      [
        ['["1"]', 'INVALID_KEY_NAME'],
        ['["[…]"]', 'INVALID_KEY_NAME'],
        ['null', 'INVALID_KEY_NAME'],
        ['true', 'INVALID_KEY_NAME'],
      ],
    );
    assert.match(problems[0]!.message, /keys must be strings, got the number 1/);
    assert.match(problems[2]!.message, /got null/);
  });

  test('__proto__ as a key neither pollutes nor vanishes', () => {
    const { config } = parsed(`${HEAD}sphinx: {configuration: docs/conf.py}\nsearch:\n  ranking:\n    __proto__: 5\n`);
    assert.deepEqual(Object.keys(config.search.ranking), ['__proto__']);
    assert.equal(Object.getPrototypeOf(config.search.ranking), Object.prototype);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    oneProblem(`${HEAD}__proto__: {polluted: 1}\n`, '__proto__', 'INVALID_KEY_NAME', ['invalid configuration key']);
  });

  test('random YAML-ish garbage never throws', { timeout: 20_000 }, () => {
    const alphabet = ['version: 2\n', 'build:', ' ', '  ', '\n', '-', ':', '[', ']', '{', '}', '"', "'", '&a ', '*a', '!!str ', '? ', '#', '|', '>', '\t', 'os', 'tools', '3.10', 'yes', '~', ',', '\u0000', '\uFEFF', '%YAML 1.2\n', '---\n', '...\n', '<<: '];
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 500; i++) {
      let text = '';
      const length = 1 + random(60);
      for (let j = 0; j < length; j++) text += alphabet[random(alphabet.length)];
      const result = parseRtdConfig(text, FILE);
      assert.equal(typeof result.ok, 'boolean');
      if (!result.ok) for (const p of result.problems) assert.equal(typeof p.message, 'string');
    }
  });
});

describe('loadRtdConfig', () => {
  test('returns the configuration and warnings of a valid file', () => {
    const { config, warnings } = loadRtdConfig(`${HEAD}sphinx: {configuration: docs/conf.py}\n`, FILE);
    assert.equal(config.sphinx?.configuration, 'docs/conf.py');
    assert.deepEqual(warnings, []);
  });

  test('throws a ConfigError listing every problem, one per line, with file and line', () => {
    const text = 'version: 2\nbuild:\n  os: windows-10\n  tools:\n    python: 3.10\nsphnix: {}\n';
    let caught: unknown;
    try {
      loadRtdConfig(text, FILE);
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof ConfigError);
    assert.ok(caught instanceof RtdConfigError);
    assert.equal(caught.code, 'config-invalid');
    assert.equal(caught.key, 'build.os');
    const lines = caught.message.split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^\.readthedocs\.yaml:3: build\.os: expected one of/);
    assert.match(lines[1]!, /^\.readthedocs\.yaml:5: build\.tools\.python: .*"3\.10"/);
    assert.match(lines[2]!, /^\.readthedocs\.yaml:6: sphnix: invalid configuration key; did you mean "sphinx"\?/);
    assert.deepEqual(
      caught.problems.map((p) => p.key),
      ['build.os', 'build.tools.python', 'sphnix'],
    );
  });

  test('throws only ConfigError for hostile input', () => {
    for (const text of ['x'.repeat(5 * 1024 * 1024), '[[[[', ': : :', 'a: *nope', '\u0000\u0001']) {
      assert.throws(() => loadRtdConfig(text, FILE), ConfigError);
    }
  });
});

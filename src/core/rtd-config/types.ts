// The validated shape of a Read the Docs configuration file (v2), with every default
// filled in, and the problems the validator reports. Field names follow Read the Docs'
// `BuildConfigV2` (readthedocs/config/config.py), in camelCase.

export type RtdFormat = 'htmlzip' | 'pdf' | 'epub';
export type SphinxBuilder = 'html' | 'dirhtml' | 'singlehtml';
export type BuildToolName = 'python' | 'nodejs' | 'ruby' | 'rust' | 'golang';

/** The keys Read the Docs documents under `build.jobs`, in the order the build runs them. */
export type JobName =
  | 'post_checkout'
  | 'pre_system_dependencies'
  | 'post_system_dependencies'
  | 'pre_create_environment'
  | 'create_environment'
  | 'post_create_environment'
  | 'pre_install'
  | 'install'
  | 'post_install'
  | 'pre_build'
  | 'build'
  | 'post_build';

/** Jobs that run around a pre-defined step and never replace it; `[]` when not given. */
export type HookJobName = Exclude<JobName, OverrideJobName | 'build'>;
/** Jobs that replace a pre-defined step; `null` when not given (the step runs as usual). */
export type OverrideJobName = 'create_environment' | 'install';
/** The keys of `build.jobs.build`: one command list per output type, replacing its build step. */
export type BuildJobsBuildType = 'html' | 'pdf' | 'epub' | 'htmlzip';

export type BuildJobs = Record<HookJobName, string[]> &
  Record<OverrideJobName, string[] | null> & {
    /** `null` for a type means "not overridden"; `[]` means "overridden with nothing". */
    build: Record<BuildJobsBuildType, string[] | null>;
  };

/** `groups`/`extras` of a uv install: a list of names, `all`, or null when not given. */
export type UvSelection = string[] | 'all' | null;

/**
 * `method: uv` (Read the Docs' native uv support): `command: sync` installs the project and its
 * lock file's groups/extras; `command: pip` runs `uv pip install` on a requirements file or a path.
 */
export type UvInstall =
  | { method: 'uv'; command: 'sync'; path: string | null; groups: UvSelection; extras: UvSelection }
  | { method: 'uv'; command: 'pip'; path: string | null; requirements: string | null; extras: UvSelection };

export type PythonInstall =
  | { requirements: string }
  | { path: string; method: 'pip' | 'setuptools'; extraRequirements: string[] }
  | UvInstall;

export interface RtdConfig {
  version: 2;
  build: {
    os: string;
    /** Tool name (python, nodejs, ruby, rust, golang) to the version as written (`"3.12"`, `"latest"`). */
    tools: Record<string, string>;
    jobs: BuildJobs;
    commands: string[];
    aptPackages: string[];
  };
  /** null when the file has no `sphinx` key: the builder detects the documentation type. */
  sphinx: null | { configuration: string | null; builder: SphinxBuilder; failOnWarning: boolean };
  mkdocs: null | { configuration: string | null; failOnWarning: boolean };
  formats: RtdFormat[];
  submodules: { include: string[] | 'all'; exclude: string[] | 'all'; recursive: boolean };
  python: { install: PythonInstall[] };
  search: { ranking: Record<string, number>; ignore: string[] };
  conda: null | { environment: string };
}

/** Read the Docs' ConfigError / ConfigValidationError names, plus FILE_TOO_LARGE. */
export type ConfigProblemCode =
  | 'SYNTAX_INVALID'
  | 'FILE_TOO_LARGE'
  | 'INVALID_VERSION'
  | 'INVALID_KEY_NAME'
  | 'INVALID_CHOICE'
  | 'INVALID_BOOL'
  | 'INVALID_LIST'
  | 'INVALID_DICT'
  | 'INVALID_STRING'
  | 'INVALID_PATH'
  | 'INVALID_PATH_PATTERN'
  | 'VALUE_NOT_FOUND'
  | 'NOT_BUILD_TOOLS_OR_COMMANDS'
  | 'BUILD_JOBS_AND_COMMANDS'
  | 'BUILD_JOBS_BUILD_TYPE_MISSING_IN_FORMATS'
  | 'SPHINX_MKDOCS_CONFIG_TOGETHER'
  | 'SPHINX_INVALID_CONFIG_FILE'
  | 'SUBMODULES_INCLUDE_EXCLUDE_TOGETHER'
  | 'PIP_PATH_OR_REQUIREMENT_REQUIRED'
  | 'USE_PIP_FOR_EXTRA_REQUIREMENTS'
  | 'APT_INVALID_PACKAGE_NAME_PREFIX'
  | 'APT_INVALID_PACKAGE_NAME'
  | 'CONDA_KEY_REQUIRED'
  | 'UV_COMMAND_REQUIRED'
  | 'UV_SYNC_REQUIREMENTS_INVALID'
  | 'UV_PIP_GROUPS_NOT_ALLOWED'
  | 'UV_PIP_REQUIREMENTS_OR_PATH_REQUIRED'
  | 'UV_PIP_REQUIREMENTS_AND_PATH_MUTUALLY_EXCLUSIVE'
  | 'UV_GROUPS_EXTRAS_EMPTY'
  | 'UV_GROUPS_EXTRAS_INVALID_TYPE'
  | 'UV_MULTIPLE_INSTALL_ENTRIES_INVALID';

export interface ConfigProblem {
  /** Dotted key (`build.tools.python`, `python.install[0].method`); `''` for the file as a whole. */
  key: string;
  /** The value found (undefined when the key is missing); collections are shallow copies. */
  value: unknown;
  /** Names the key, the value found and what was expected. */
  message: string;
  code: ConfigProblemCode;
  /** 1-based line in the file, when it can be told. */
  line?: number;
}

export type ParseResult = { ok: true; config: RtdConfig; warnings: string[] } | { ok: false; problems: ConfigProblem[] };

// Read the Docs' configuration file v2 (`.readthedocs.yaml`): parsed and validated the way
// readthedocs/config/config.py does it, reporting every problem at once, each naming the
// key, the value found and what was expected. Pure: paths are normalized and kept inside the
// repository, but whether they exist is for the build to tell when it uses them (as on Read
// the Docs, a `pre_*` job may create them).

import { ConfigError } from '../errors.ts';
import { Checker } from './checker.ts';
import { describeValue } from './describe.ts';
import { readYaml } from './source.ts';
import type { ConfigProblem, ParseResult, RtdConfig } from './types.ts';
import { validateConfig } from './validate.ts';

export type * from './types.ts';
export { BUILD_OS, BUILD_TOOL_NAMES, BUILD_TOOL_VERSIONS, FORMATS, fullToolVersion, isCondaPython, JOB_NAMES } from './settings.ts';
export { MAX_ALIAS_COUNT, MAX_CONFIG_CHARS } from './source.ts';
export { normalizeRepoPath } from './paths.ts';

/** The file names Read the Docs looks for at the repository root, in its order of preference. */
export const RTD_CONFIG_FILE_NAMES = ['.readthedocs.yaml', '.readthedocs.yml', 'readthedocs.yaml', 'readthedocs.yml'] as const;

/** A ConfigError carrying every problem found; its message lists them one per line. */
export class RtdConfigError extends ConfigError {
  readonly problems: ConfigProblem[];
  constructor(fileName: string, problems: ConfigProblem[]) {
    super(problems[0]?.key ?? '', problems.map((p) => `${fileName}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`).join('\n'));
    this.name = 'RtdConfigError';
    this.problems = problems;
  }
}

/** fileName is used in messages. */
export function parseRtdConfig(text: string, fileName: string): ParseResult {
  const source = readYaml(text, fileName);
  if (!source.ok) return { ok: false, problems: source.problems.map((p) => ({ key: '', value: undefined, ...p })) };

  const root = source.value;
  if (!(root instanceof Map) || root.size === 0) {
    const message =
      root === null || root === undefined || (root instanceof Map && root.size === 0)
        ? `The configuration file ${fileName} is empty; expected a mapping with at least "version: 2" and a build section.`
        : `The configuration file ${fileName} must be a mapping of keys to values (like "version: 2"), got ${describeValue(root)}.`;
    return { ok: false, problems: [{ key: '', value: root instanceof Map ? {} : root, message, code: 'SYNTAX_INVALID' }] };
  }

  const check = new Checker(source.locate);
  const config: RtdConfig | null = validateConfig(check, root);
  if (config === null || check.problems.length > 0) {
    // Reading order: problems without a line (missing keys) first, then by line.
    const problems = check.problems.map((p, i) => ({ p, i })).sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i).map(({ p }) => p);
    return { ok: false, problems };
  }
  return { ok: true, config, warnings: [...source.warnings, ...check.warnings] };
}

/** Convenience: throws a ConfigError (an RtdConfigError) whose message lists ALL problems, one per line. */
export function loadRtdConfig(text: string, fileName: string): { config: RtdConfig; warnings: string[] } {
  const result = parseRtdConfig(text, fileName);
  if (!result.ok) throw new RtdConfigError(fileName, result.problems);
  return { config: result.config, warnings: result.warnings };
}

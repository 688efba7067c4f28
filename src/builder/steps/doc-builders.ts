// Which tool turns the checkout into HTML, and the exact commands, as Read the Docs runs
// them: Sphinx through Debian's `python3 -m sphinx`, real MkDocs, or Bindery's builtin
// Markdown builder when the project has no Sphinx `conf.py` and did not ask for MkDocs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BuildError } from '../../core/errors.ts';
import type { RtdConfig } from '../../core/rtd-config/types.ts';

/** The interpreter that has Debian's Sphinx and MkDocs (a pyenv `python3` on PATH would not). */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export type DocTool =
  | { kind: 'sphinx'; confDir: string; builder: 'html' | 'dirhtml' | 'singlehtml'; failOnWarning: boolean }
  | { kind: 'mkdocs'; configFile: string; failOnWarning: boolean }
  | { kind: 'builtin'; configFile: string | undefined };

/** Finds `conf.py` where Read the Docs looks: docs/, doc/, the root, then anywhere shallow. */
function findSphinxConf(checkout: string): string | null {
  for (const dir of ['docs', 'doc', '.', 'docs/source', 'doc/source', 'source']) {
    if (existsSync(path.join(checkout, dir, 'conf.py'))) return path.normalize(dir);
  }
  return null;
}

const MKDOCS_FILES = ['mkdocs.yml', 'mkdocs.yaml'];

/**
 * Picks the tool: the config file's `sphinx`/`mkdocs` key first, then the project's
 * documentation type, then detection (conf.py → Sphinx; otherwise builtin, which reads mkdocs.yml).
 */
export function chooseDocTool(checkout: string, config: RtdConfig | null, documentationType: string): DocTool {
  if (config?.sphinx) {
    const confDir = config.sphinx.configuration ? path.dirname(config.sphinx.configuration) : findSphinxConf(checkout);
    if (confDir === null) throw new BuildError('sphinx-conf-missing', 'No Sphinx conf.py found (looked in docs/, doc/ and the repository root); set sphinx.configuration in .readthedocs.yaml.');
    return { kind: 'sphinx', confDir, builder: config.sphinx.builder, failOnWarning: config.sphinx.failOnWarning };
  }
  if (config?.mkdocs || documentationType === 'mkdocs') {
    const configFile = config?.mkdocs?.configuration ?? MKDOCS_FILES.find((f) => existsSync(path.join(checkout, f)));
    if (!configFile) throw new BuildError('mkdocs-config-missing', 'No mkdocs.yml found at the repository root; set mkdocs.configuration in .readthedocs.yaml.');
    return { kind: 'mkdocs', configFile, failOnWarning: config?.mkdocs?.failOnWarning ?? false };
  }
  if (documentationType === 'builtin') return { kind: 'builtin', configFile: undefined };
  const confDir = documentationType === 'sphinx' || documentationType === 'auto' ? findSphinxConf(checkout) : null;
  if (confDir !== null) return { kind: 'sphinx', confDir, builder: 'html', failOnWarning: false };
  if (documentationType === 'sphinx') throw new BuildError('sphinx-conf-missing', 'The project is a Sphinx project but no conf.py was found in docs/, doc/ or the repository root.');
  return { kind: 'builtin', configFile: undefined };
}

/** The Sphinx command line Read the Docs uses, writing to `outDir`. */
export function sphinxCommand(tool: Extract<DocTool, { kind: 'sphinx' }>, builder: string, language: string, outDir: string): string[] {
  return [
    PYTHON, '-m', 'sphinx', '-T', '-b', builder, '-d', '_build/doctrees', '-D', `language=${language}`,
    ...(tool.failOnWarning ? ['-W', '--keep-going'] : []),
    tool.confDir, outDir,
  ];
}

export function mkdocsCommand(tool: Extract<DocTool, { kind: 'mkdocs' }>, outDir: string): string[] {
  return [PYTHON, '-m', 'mkdocs', 'build', '--clean', '--site-dir', outDir, '--config-file', tool.configFile, ...(tool.failOnWarning ? ['--strict'] : [])];
}

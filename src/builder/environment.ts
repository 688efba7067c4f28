// The environment a build's commands see, as on Read the Docs: READTHEDOCS_* variables,
// the project's own variables, and nothing of the builder's (no secrets, no tokens).
// Secret values are masked in every log line.
import type { Job } from './protocol.ts';
import { displayRepositoryUrl } from '../core/repository-url.ts';

export interface BuildDirs {
  checkout: string;
  /** $READTHEDOCS_OUTPUT: the build writes html/, htmlzip/, pdf/, epub/ here. */
  output: string;
  home: string;
}

export function buildEnvironment(job: Job, commit: string, dirs: BuildDirs): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: dirs.home,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    PYTHONUSERBASE: `${dirs.home}/.local`,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    READTHEDOCS: 'True',
    READTHEDOCS_PROJECT: job.projectSlug,
    READTHEDOCS_LANGUAGE: job.language,
    READTHEDOCS_VERSION: job.versionSlug,
    READTHEDOCS_VERSION_NAME: job.identifier,
    READTHEDOCS_VERSION_TYPE: job.versionType,
    READTHEDOCS_OUTPUT: dirs.output,
    READTHEDOCS_GIT_COMMIT_HASH: commit,
    READTHEDOCS_GIT_IDENTIFIER: job.identifier,
    // The clone URL may carry the repository's credentials: the build sees it without them.
    READTHEDOCS_GIT_CLONE_URL: displayRepositoryUrl(job.repoUrl),
    READTHEDOCS_REPOSITORY_PATH: dirs.checkout,
  };
  for (const variable of job.env) {
    // A project cannot override what identifies the build or where it writes.
    if (/^READTHEDOCS/.test(variable.name) || variable.name === 'HOME' || variable.name === 'PATH') continue;
    env[variable.name] = variable.value;
  }
  return env;
}

/** Returns a function that replaces every secret value in a line with `***`. */
export function secretMasker(job: Job): (line: string) => string {
  // Longest first, so a secret containing another is masked whole; very short values would mask noise.
  const secrets = [...job.env.filter((v) => v.secret).map((v) => v.value), ...(job.secrets ?? [])].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
  if (secrets.length === 0) return (line) => line;
  return (line) => {
    let out = line;
    for (const secret of secrets) out = out.split(secret).join('***');
    return out;
  };
}

// makeGitRepo(): a real git repository on disk, described like the domain — files,
// branches, tags — for tests that import, sync and build.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface GitRepoSpec {
  /** Files of the first commit on the default branch. */
  files: Record<string, string>;
  defaultBranch?: string;
  /** Other branches: files changed or added on top of the default branch. */
  branches?: Record<string, Record<string, string>>;
  /** Tags: each is a commit on top of the default branch's first commit with these files changed. */
  tags?: Record<string, Record<string, string>>;
  /** Make tags annotated. */
  annotated?: boolean;
}

export interface GitRepo {
  dir: string;
  url: string;
  git(...args: string[]): string;
  /** Commits files on a branch (created from the default branch if needed); returns the commit. */
  commit(branch: string, files: Record<string, string>, message?: string): string;
  remove(): void;
}

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
};

function write(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export function makeGitRepo(spec: GitRepoSpec): GitRepo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-repo-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: ENV, encoding: 'utf8' }).trim();
  const main = spec.defaultBranch ?? 'main';
  git('init', '--quiet', '--initial-branch', main);
  write(dir, spec.files);
  git('add', '--all');
  git('commit', '--quiet', '-m', 'initial');
  const base = git('rev-parse', 'HEAD');
  const commit = (branch: string, files: Record<string, string>, message = `update ${branch}`): string => {
    const current = git('rev-parse', '--abbrev-ref', 'HEAD');
    const exists = git('branch', '--list', branch) !== '';
    git('checkout', '--quiet', ...(exists ? [branch] : ['-b', branch, main]));
    write(dir, files);
    git('add', '--all');
    git('commit', '--quiet', '-m', message);
    const sha = git('rev-parse', 'HEAD');
    git('checkout', '--quiet', current);
    return sha;
  };
  for (const [name, files] of Object.entries(spec.tags ?? {})) {
    git('checkout', '--quiet', '--detach', base);
    write(dir, files);
    git('add', '--all');
    git('commit', '--quiet', '-m', `release ${name}`);
    if (spec.annotated) git('tag', '-a', name, '-m', `release ${name}`);
    else git('tag', name);
    git('checkout', '--quiet', '--force', main);
  }
  for (const [name, files] of Object.entries(spec.branches ?? {})) commit(name, files);
  return { dir, url: `file://${dir}`, git, commit, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

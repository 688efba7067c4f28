// A build is a director walking named steps (like Read the Docs' BuildDirector):
// checkout → build → upload. Each step reports through the BuildReporter; the state
// transitions are all in runBuild() below. A failure anywhere ends the build with a
// reason the user can act on; the working folder is always removed.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { artifactPrefix } from '../core/build-state.ts';
import { BuildError } from '../core/errors.ts';
import type { Storage } from '../storage/storage.ts';
import { buildBuiltinSite } from './builtin/index.ts';
import { gitEnv } from './git.ts';
import type { BuildReporter } from './reporter.ts';
import { runCommand } from './run-command.ts';
import type { Job } from './protocol.ts';

/** What the pipeline builds: the job handed out by the builder API. */
export type BuildJob = Job;

export interface BuildContext {
  storage: Storage;
  reporter: BuildReporter;
  allowLocalRepositories: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Parent of the per-build working folders (default: the OS temp folder). */
  workRoot?: string;
}

export type BuildOutcome = { success: true; commit: string; formats: string[] } | { success: false; errorCode: string; error: string; cancelled: boolean };

/** Runs one build to the end. Never throws: every failure becomes an outcome. */
export async function runBuild(job: BuildJob, ctx: BuildContext): Promise<BuildOutcome> {
  const work = await fs.mkdtemp(path.join(ctx.workRoot ?? os.tmpdir(), `bindery-build-${job.buildId}-`));
  const deadline = Date.now() + ctx.timeoutMs;
  try {
    const checkout = path.join(work, 'checkout');
    const output = path.join(work, 'output', 'html');
    await ctx.reporter.state('cloning');
    const commit = await checkoutStep(job, checkout, ctx, deadline);
    await ctx.reporter.state('building', { commit });
    await builtinStep(checkout, output, ctx);
    await ctx.reporter.state('uploading');
    await uploadStep(job, output, ctx);
    await ctx.reporter.flush();
    return { success: true, commit, formats: [] };
  } catch (err) {
    const cancelled = ctx.signal?.aborted ?? false;
    const outcome = cancelled
      ? { errorCode: 'cancelled', error: 'The build was cancelled.' }
      : err instanceof BuildError
        ? { errorCode: err.code, error: err.message }
        : { errorCode: 'unexpected', error: `Unexpected error: ${(err as Error).message}` };
    ctx.reporter.log('info', `build failed: ${outcome.error}`);
    await ctx.reporter.flush().catch(() => {});
    return { success: false, cancelled, ...outcome };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** Runs a command as a build step; a non-zero exit fails the build with `code`. */
async function commandStep(name: string, args: string[], cwd: string, ctx: BuildContext, deadline: number, code: string, env?: Record<string, string>): Promise<void> {
  const position = await ctx.reporter.startStep(name, args.join(' '));
  const result = await runCommand(args[0]!, args.slice(1), {
    cwd,
    env,
    timeoutMs: Math.max(1, deadline - Date.now()),
    signal: ctx.signal,
    onLine: (stream, line) => ctx.reporter.log(stream, line),
  });
  await ctx.reporter.endStep(position, result.exitCode);
  if (result.timedOut) throw new BuildError('build-timeout', `The build exceeded its time limit while running: ${args.join(' ')}`);
  if (result.cancelled) throw new BuildError('cancelled', 'The build was cancelled.');
  if (result.exitCode !== 0) throw new BuildError(code, `The command "${args.join(' ')}" failed with exit code ${result.exitCode}.`);
}

/** Shallow fetch of exactly one commit into a fresh repository; returns the commit built. */
async function checkoutStep(job: BuildJob, dir: string, ctx: BuildContext, deadline: number): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const env = gitEnv(ctx.allowLocalRepositories);
  const git = (...args: string[]) => ['git', '-c', 'advice.detachedHead=false', ...args];
  await commandStep('git init', git('init', '--quiet', '.'), dir, ctx, deadline, 'git-failed', env);
  const ref = job.versionType === 'tag' ? `refs/tags/${job.identifier}` : `refs/heads/${job.identifier}`;
  const target = job.commit ?? ref;
  await commandStep('git fetch', git('fetch', '--depth', '1', '--no-tags', '--', job.repoUrl, target), dir, ctx, deadline, 'git-checkout-failed', env);
  await commandStep('git checkout', git('checkout', '--force', '--quiet', 'FETCH_HEAD'), dir, ctx, deadline, 'git-checkout-failed', env);
  const chunks: string[] = [];
  const result = await runCommand('git', ['rev-parse', 'HEAD'], { cwd: dir, env, timeoutMs: 10_000, onLine: (_s, line) => chunks.push(line) });
  const commit = chunks.join('').trim();
  if (result.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(commit)) throw new BuildError('git-checkout-failed', 'Could not read the commit that was checked out.');
  ctx.reporter.log('info', `checked out ${job.identifier} at ${commit}`);
  return commit;
}

/** The builtin builder: Markdown under docs/ (or mkdocs.yml's docs_dir) to HTML, no Python needed. */
async function builtinStep(checkout: string, output: string, ctx: BuildContext): Promise<void> {
  const position = await ctx.reporter.startStep('build html (builtin)', 'bindery builtin builder');
  try {
    const result = await buildBuiltinSite({ sourceDir: checkout, outputDir: output, log: (line) => ctx.reporter.log('stdout', line) });
    ctx.reporter.log('info', `built ${result.pages} pages and ${result.files} other files for "${result.siteName}"`);
    await ctx.reporter.endStep(position, 0);
  } catch (err) {
    await ctx.reporter.endStep(position, 1);
    throw err;
  }
}

/** Checks the output holds only regular files and folders, then uploads it under the build's own prefix. */
async function uploadStep(job: BuildJob, output: string, ctx: BuildContext): Promise<void> {
  const position = await ctx.reporter.startStep('upload', 'upload html to storage');
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) throw new BuildError('output-symlink', `The build output contains a symbolic link (${path.relative(output, abs)}); symlinks are not allowed in documentation output.`);
      if (entry.isDirectory()) await walk(abs);
    }
  };
  try {
    await walk(output);
    const keys = await ctx.storage.putDirectory(output, artifactPrefix(job.projectSlug, job.versionSlug, job.buildId));
    ctx.reporter.log('info', `uploaded ${keys.length} files`);
    await ctx.reporter.endStep(position, 0);
  } catch (err) {
    await ctx.reporter.endStep(position, 1);
    throw err;
  }
}

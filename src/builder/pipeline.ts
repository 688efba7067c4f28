// A build is a director walking named steps (like Read the Docs' BuildDirector):
// checkout → configuration → install → build (html, then other formats) → post-process →
// upload. Each step reports through the BuildReporter; the state transitions are all in
// runBuild() below. A failure anywhere ends the build with a reason the user can act on;
// the working folder is always removed.
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { artifactPrefix } from '../core/build-state.ts';
import { BuildError } from '../core/errors.ts';
import type { RtdConfig } from '../core/rtd-config/types.ts';
import type { Storage } from '../storage/storage.ts';
import { buildBuiltinSite } from './builtin/index.ts';
import { buildEnvironment, secretMasker, type BuildDirs } from './environment.ts';
import { gitEnv } from './git.ts';
import type { Job } from './protocol.ts';
import type { BuildReporter } from './reporter.ts';
import { runCommand, type RunResult } from './run-command.ts';
import { readBuildConfig } from './steps/read-config.ts';
import { chooseDocTool, mkdocsCommand, PYTHON, sphinxCommand, type DocTool } from './steps/doc-builders.ts';
import { checkOutputTree, zipDirectory } from './steps/post-process.ts';
import { DEFAULT_LIMITS, sandboxRunner, type BuildLimits } from './limits.ts';
import { precompressDirectory } from './steps/precompress.ts';

/** What the pipeline builds: the job handed out by the builder API. */
export type BuildJob = Job;

/** Runs one repository-controlled command; the sandbox plugs in here. */
export type CommandRunner = (
  argv: string[],
  opts: { cwd: string; env: Record<string, string>; network: boolean; timeoutMs: number; signal?: AbortSignal; onLine: (stream: 'stdout' | 'stderr', line: string) => void },
) => Promise<RunResult & { limit?: string }>;

export interface BuildContext {
  storage: Storage;
  reporter: BuildReporter;
  allowLocalRepositories: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Parent of the per-build working folders (default: the OS temp folder). */
  workRoot?: string;
  /** Limits of the sandbox every repository command runs in (default: DEFAULT_LIMITS). */
  limits?: BuildLimits;
  /** How repository commands run (default: the sandbox); tests of the pipeline alone may pass another. */
  runner?: (dirs: BuildDirs) => CommandRunner;
}

export type BuildOutcome = { success: true; commit: string; formats: string[] } | { success: false; errorCode: string; error: string; cancelled: boolean };

const FORMAT_EXTENSIONS: Record<string, string> = { htmlzip: 'zip', pdf: 'pdf', epub: 'epub' };

const unconfined: CommandRunner = (argv, opts) => runCommand(argv[0]!, argv.slice(1), opts);

/** Runs one build to the end. Never throws: every failure becomes an outcome. */
export async function runBuild(job: BuildJob, ctx: BuildContext): Promise<BuildOutcome> {
  const work = await fs.mkdtemp(path.join(ctx.workRoot ?? os.tmpdir(), `bindery-build-${job.buildId}-`));
  const dirs: BuildDirs = { checkout: path.join(work, 'checkout'), output: path.join(work, 'output'), home: path.join(work, 'home') };
  const deadline = Date.now() + ctx.timeoutMs;
  const mask = secretMasker(job);
  const b = new Build(job, ctx, dirs, deadline, mask);
  try {
    await fs.mkdir(dirs.output, { recursive: true });
    await fs.mkdir(dirs.home, { recursive: true });
    await ctx.reporter.state('cloning');
    const commit = await b.checkout();
    const config = await b.readConfig();
    await ctx.reporter.state('installing', { commit, config });
    const env = buildEnvironment(job, commit, dirs);
    await b.jobs(config, 'post_checkout', env);
    await b.install(config, env);
    await ctx.reporter.state('building');
    const formats = await b.build(config, env);
    await b.postProcess(formats);
    await ctx.reporter.state('uploading');
    await b.upload(formats);
    await ctx.reporter.flush();
    return { success: true, commit, formats };
  } catch (err) {
    const cancelled = ctx.signal?.aborted ?? false;
    const outcome = cancelled
      ? { errorCode: 'cancelled', error: 'The build was cancelled.' }
      : err instanceof BuildError
        ? { errorCode: err.code, error: mask(err.message) }
        : { errorCode: 'unexpected', error: `Unexpected error: ${mask((err as Error).message)}` };
    ctx.reporter.log('info', `build failed: ${outcome.error}`);
    await ctx.reporter.flush().catch(() => {});
    return { success: false, cancelled, ...outcome };
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** The steps of one build, sharing its folders, deadline and reporter. */
class Build {
  readonly job: BuildJob;
  readonly ctx: BuildContext;
  readonly dirs: BuildDirs;
  readonly deadline: number;
  readonly mask: (line: string) => string;
  readonly runner: CommandRunner;

  constructor(job: BuildJob, ctx: BuildContext, dirs: BuildDirs, deadline: number, mask: (line: string) => string) {
    this.job = job;
    this.ctx = ctx;
    this.dirs = dirs;
    this.deadline = deadline;
    this.mask = mask;
    this.runner = ctx.runner ? ctx.runner(dirs) : sandboxRunner(dirs, ctx.limits ?? DEFAULT_LIMITS);
  }

  log(stream: 'stdout' | 'stderr' | 'info', line: string): void {
    this.ctx.reporter.log(stream, this.mask(line));
  }

  /** Runs a command as a build step; a non-zero exit or a breached limit fails the build. */
  async step(name: string, argv: string[], opts: { cwd?: string; env?: Record<string, string>; network?: boolean; code: string; trusted?: boolean }): Promise<void> {
    const position = await this.ctx.reporter.startStep(name, this.mask(argv.join(' ')));
    const run = opts.trusted ? unconfined : this.runner;
    const result = await run(argv, {
      cwd: opts.cwd ?? this.dirs.checkout,
      env: opts.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.dirs.home, LANG: 'C.UTF-8' },
      network: opts.network ?? false,
      timeoutMs: Math.max(1, this.deadline - Date.now()),
      signal: this.ctx.signal,
      onLine: (stream, line) => this.log(stream, line),
    });
    await this.ctx.reporter.endStep(position, result.exitCode);
    if (result.cancelled || this.ctx.signal?.aborted) throw new BuildError('cancelled', 'The build was cancelled.');
    if (result.timedOut) throw new BuildError('build-timeout', `The build exceeded its time limit (${Math.round(this.ctx.timeoutMs / 1000)} s) while running: ${this.mask(argv.join(' '))}`);
    if (result.limit) throw limitError(result.limit);
    if (result.exitCode !== 0) throw new BuildError(opts.code, `The command "${this.mask(argv.join(' '))}" failed with exit code ${result.exitCode}.`);
  }

  /** A shell command from the configuration (`build.jobs`, `build.commands`), run as Read the Docs does. */
  shell(name: string, command: string, env: Record<string, string>, network: boolean): Promise<void> {
    return this.step(name, ['bash', '-c', command], { env, network, code: 'command-failed' });
  }

  /** Shallow fetch of exactly one commit into a fresh repository; returns the commit built. */
  async checkout(): Promise<string> {
    const dir = this.dirs.checkout;
    await fs.mkdir(dir, { recursive: true });
    const env = gitEnv(this.ctx.allowLocalRepositories);
    const git = (...args: string[]) => ['git', '-c', 'advice.detachedHead=false', ...args];
    const job = this.job;
    await this.step('git init', git('init', '--quiet', '.'), { cwd: dir, env, code: 'git-failed', trusted: true });
    // External (pull request) versions are identified by their head commit.
    const ref = job.versionType === 'tag' ? `refs/tags/${job.identifier}` : job.versionType === 'external' ? job.identifier : `refs/heads/${job.identifier}`;
    await this.step('git fetch', git('fetch', '--depth', '1', '--no-tags', '--', job.repoUrl, job.commit ?? ref), { cwd: dir, env, code: 'git-checkout-failed', trusted: true });
    await this.step('git checkout', git('checkout', '--force', '--quiet', 'FETCH_HEAD'), { cwd: dir, env, code: 'git-checkout-failed', trusted: true });
    const chunks: string[] = [];
    const result = await runCommand('git', ['rev-parse', 'HEAD'], { cwd: dir, env, timeoutMs: 10_000, onLine: (_s, line) => chunks.push(line) });
    const commit = chunks.join('').trim();
    if (result.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(commit)) throw new BuildError('git-checkout-failed', 'Could not read the commit that was checked out.');
    this.log('info', `checked out ${job.identifier} at ${commit}`);
    return commit;
  }

  async readConfig(): Promise<RtdConfig | null> {
    const loaded = await readBuildConfig(this.dirs.checkout);
    if (!loaded) {
      this.log('info', 'no .readthedocs.yaml: detecting the documentation type');
      return null;
    }
    this.log('info', `using the configuration in ${loaded.file}`);
    for (const warning of loaded.warnings) this.log('info', `warning: ${warning}`);
    if (loaded.config.build.aptPackages.length) this.log('info', `build.apt_packages recorded, not installed by this builder: ${loaded.config.build.aptPackages.join(', ')}`);
    const sub = loaded.config.submodules;
    if (sub.include === 'all' || sub.include.length > 0) await this.submodules(loaded.config);
    return loaded.config;
  }

  async submodules(config: RtdConfig): Promise<void> {
    const env = gitEnv(this.ctx.allowLocalRepositories);
    const sub = config.submodules;
    const paths = sub.include === 'all' ? [] : sub.include;
    await this.step('git submodule update', ['git', 'submodule', 'update', '--init', '--force', '--depth', '1', ...(sub.recursive ? ['--recursive'] : []), '--', ...paths], { env, code: 'git-submodules-failed', trusted: true });
  }

  /** Runs the commands of one `build.jobs` hook. */
  async jobs(config: RtdConfig | null, name: 'post_checkout' | 'pre_system_dependencies' | 'post_system_dependencies' | 'pre_create_environment' | 'post_create_environment' | 'pre_install' | 'post_install' | 'pre_build' | 'post_build', env: Record<string, string>): Promise<void> {
    const commands = config?.build.jobs[name] ?? [];
    // Before the build proper, jobs may download (pip, npm): they get the network.
    const network = !['pre_build', 'post_build'].includes(name);
    for (const command of commands) await this.shell(`build.jobs.${name}`, command, env, network);
  }

  /** The install phase: python.install (or the `install` job that replaces it), with hooks around it. */
  async install(config: RtdConfig | null, env: Record<string, string>): Promise<void> {
    if (!config || config.build.commands.length > 0) return;
    // No apt step here (build.apt_packages is recorded, not installed); its hooks still run, in order.
    await this.jobs(config, 'pre_system_dependencies', env);
    await this.jobs(config, 'post_system_dependencies', env);
    await this.jobs(config, 'pre_create_environment', env);
    for (const command of config.build.jobs.create_environment ?? []) await this.shell('build.jobs.create_environment', command, env, true);
    await this.jobs(config, 'post_create_environment', env);
    await this.jobs(config, 'pre_install', env);
    if (config.build.jobs.install !== null) {
      for (const command of config.build.jobs.install) await this.shell('build.jobs.install', command, env, true);
    } else {
      for (const item of config.python.install) {
        const args = 'requirements' in item
          ? ['-r', item.requirements]
          : [item.extraRequirements.length ? `${item.path}[${item.extraRequirements.join(',')}]` : item.path];
        const argv = [PYTHON, '-m', 'pip', 'install', '--user', '--break-system-packages', '--no-input', ...args];
        try {
          await this.step('python.install', argv, { env, network: true, code: 'python-install-failed' });
        } catch (err) {
          if (err instanceof BuildError && err.code === 'python-install-failed') {
            throw new BuildError('python-install-failed', `${err.message} python.install needs pip for ${PYTHON} and a reachable package index.`);
          }
          throw err;
        }
      }
    }
    await this.jobs(config, 'post_install', env);
  }

  /** Builds HTML (and the configured formats) into $READTHEDOCS_OUTPUT; returns the formats made. */
  async build(config: RtdConfig | null, env: Record<string, string>): Promise<string[]> {
    const html = path.join(this.dirs.output, 'html');
    if (config && config.build.commands.length > 0) {
      for (const command of config.build.commands) await this.shell('build.commands', command, env, true);
      await this.requireHtml(html, 'build.commands must write the HTML to $READTHEDOCS_OUTPUT/html/');
      return this.collectFormats();
    }
    await this.jobs(config, 'pre_build', env);
    const tool = chooseDocTool(this.dirs.checkout, config, this.job.documentationType);
    const override = config?.build.jobs.build.html;
    if (override) for (const command of override) await this.shell('build.jobs.build.html', command, env, false);
    else await this.buildHtml(tool, html, env);
    await this.requireHtml(html, 'the build produced no HTML');
    const formats = await this.buildFormats(config, tool, env);
    await this.jobs(config, 'post_build', env);
    return formats;
  }

  async buildHtml(tool: DocTool, html: string, env: Record<string, string>): Promise<void> {
    if (tool.kind === 'sphinx') {
      await this.step('sphinx-build html', sphinxCommand(tool, tool.builder, this.job.language, html), { env, code: 'sphinx-failed' });
    } else if (tool.kind === 'mkdocs') {
      await this.step('mkdocs build', mkdocsCommand(tool, html), { env, code: 'mkdocs-failed' });
    } else {
      const position = await this.ctx.reporter.startStep('build html (builtin)', 'bindery builtin builder');
      try {
        const result = await buildBuiltinSite({ sourceDir: this.dirs.checkout, outputDir: html, defaultSiteName: this.job.projectName, log: (line) => this.log('stdout', line) });
        this.log('info', `built ${result.pages} pages and ${result.files} other files for "${result.siteName}"`);
        await this.ctx.reporter.endStep(position, 0);
      } catch (err) {
        await this.ctx.reporter.endStep(position, 1);
        throw err;
      }
    }
  }

  /** htmlzip, epub and pdf as configured; pdf only where LaTeX is installed (the log says so otherwise). */
  async buildFormats(config: RtdConfig | null, tool: DocTool, env: Record<string, string>): Promise<string[]> {
    const made: string[] = [];
    const project = this.job.projectSlug;
    for (const format of config?.formats ?? []) {
      const dir = path.join(this.dirs.output, format);
      await fs.mkdir(dir, { recursive: true });
      const override = config?.build.jobs.build[format];
      if (override) {
        for (const command of override) await this.shell(`build.jobs.build.${format}`, command, env, false);
      } else if (format === 'htmlzip') {
        // Read the Docs zips a single-page build for Sphinx; other tools zip their HTML.
        let source = path.join(this.dirs.output, 'html');
        if (tool.kind === 'sphinx') {
          source = path.join(this.dirs.home, 'singlehtml');
          await this.step('sphinx-build singlehtml', sphinxCommand(tool, 'singlehtml', this.job.language, source), { env, code: 'sphinx-failed' });
        }
        await zipDirectory(source, path.join(dir, `${project}.zip`), project, (argv, name) => this.step(name, argv, { code: 'htmlzip-failed', trusted: true }));
      } else if (tool.kind !== 'sphinx') {
        this.log('info', `formats: ${format} is only made for Sphinx projects; skipped`);
        continue;
      } else if (format === 'epub') {
        const out = path.join(this.dirs.home, 'epub');
        await this.step('sphinx-build epub', sphinxCommand(tool, 'epub', this.job.language, out), { env, code: 'sphinx-failed' });
        const epub = (await fs.readdir(out)).find((f) => f.endsWith('.epub'));
        if (!epub) throw new BuildError('epub-missing', 'Sphinx finished but wrote no .epub file.');
        await fs.copyFile(path.join(out, epub), path.join(dir, `${project}.epub`));
      } else if (format === 'pdf') {
        if (!existsSync('/usr/bin/latexmk')) {
          this.log('info', 'formats: pdf needs LaTeX (latexmk), which this builder does not have; no PDF was made');
          continue;
        }
        const out = path.join(this.dirs.home, 'latex');
        await this.step('sphinx-build latex', sphinxCommand(tool, 'latex', this.job.language, out), { env, code: 'sphinx-failed' });
        await this.step('latexmk', ['latexmk', '-r', '/dev/null', '-pdf', '-f', '-dvi-', '-ps-', '-interaction=nonstopmode', '-quiet'], { cwd: out, env, code: 'pdf-failed' });
        const pdf = (await fs.readdir(out)).find((f) => f.endsWith('.pdf'));
        if (!pdf) throw new BuildError('pdf-missing', 'LaTeX finished but wrote no .pdf file.');
        await fs.copyFile(path.join(out, pdf), path.join(dir, `${project}.pdf`));
      }
      made.push(format);
    }
    return made;
  }

  /** Formats a `build.commands` build left in $READTHEDOCS_OUTPUT/<format>/. */
  async collectFormats(): Promise<string[]> {
    const made: string[] = [];
    for (const [format, ext] of Object.entries(FORMAT_EXTENSIONS)) {
      const dir = path.join(this.dirs.output, format);
      if (!existsSync(dir)) continue;
      const files = (await fs.readdir(dir)).filter((f) => f.endsWith(`.${ext}`));
      if (files.length === 0) continue;
      const wanted = `${this.job.projectSlug}.${ext}`;
      if (!files.includes(wanted)) await fs.rename(path.join(dir, files[0]!), path.join(dir, wanted));
      made.push(format);
    }
    return made;
  }

  async requireHtml(html: string, reason: string): Promise<void> {
    if (!existsSync(path.join(html, 'index.html')) && !(existsSync(html) && (await fs.readdir(html)).length > 0)) {
      throw new BuildError('no-html-output', `No HTML output: ${reason}.`);
    }
  }

  /** Refuses symlinks that leave the output; pre-compresses text files for the docs server. */
  async postProcess(formats: string[]): Promise<void> {
    for (const dir of ['html', ...formats]) await checkOutputTree(path.join(this.dirs.output, dir));
    // .br and .gz beside each text file: the docs server (or nginx) sends them as they are.
    const compressed = await precompressDirectory(path.join(this.dirs.output, 'html'));
    this.log('info', `pre-compressed ${compressed.files} files`);
  }

  async upload(formats: string[]): Promise<void> {
    const position = await this.ctx.reporter.startStep('upload', 'upload to storage');
    try {
      let count = 0;
      for (const format of ['html', ...formats]) {
        const keys = await this.ctx.storage.putDirectory(path.join(this.dirs.output, format), artifactPrefix(this.job.projectSlug, this.job.versionSlug, this.job.buildId, format));
        count += keys.length;
      }
      this.log('info', `uploaded ${count} files`);
      await this.ctx.reporter.endStep(position, 0);
    } catch (err) {
      await this.ctx.reporter.endStep(position, 1);
      throw err;
    }
  }
}

function limitError(limit: string): BuildError {
  switch (limit) {
    case 'memory':
      return new BuildError('memory-limit', 'The build used more memory than it is allowed and was stopped.');
    case 'processes':
      return new BuildError('process-limit', 'The build started more processes than it is allowed and was stopped.');
    case 'log':
      return new BuildError('log-limit', 'The build printed more output than the log can hold and was stopped.');
    case 'output':
      return new BuildError('output-limit', 'The build wrote more files than its output quota allows and was stopped.');
    default:
      return new BuildError(`${limit}-limit`, `The build breached its ${limit} limit and was stopped.`);
  }
}

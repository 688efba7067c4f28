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
import { BuildError, ConfigError } from '../core/errors.ts';
import type { RtdConfig } from '../core/rtd-config/types.ts';
import type { Storage } from '../storage/storage.ts';
import { buildBuiltinSite } from './builtin/index.ts';
import { buildEnvironment, secretMasker, type BuildDirs } from './environment.ts';
import { gitEnv } from './git.ts';
import type { Job } from './protocol.ts';
import type { BuildReporter } from './reporter.ts';
import { runCommand, type RunResult } from './run-command.ts';
import { checkoutPathExists, readBuildConfig } from './steps/read-config.ts';
import { findUv, installPlan } from './steps/python-install.ts';
import { chooseDocTool, mkdocsCommand, PYTHON, sphinxCommand, type DocTool } from './steps/doc-builders.ts';
import { collectOutput } from './steps/collect-output.ts';
import { DEFAULT_ISOLATION, DEFAULT_LIMITS, sandboxRunner, type BuildLimits, type IsolationOptions } from './limits.ts';
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
  /** The unprivileged user, sandbox requirement and network choice (default: DEFAULT_ISOLATION). */
  isolation?: IsolationOptions;
  /** How repository commands run (default: the sandbox); tests of the pipeline alone may pass another. */
  runner?: (dirs: BuildDirs) => CommandRunner;
}

export type BuildOutcome = { success: true; commit: string; formats: string[] } | { success: false; errorCode: string; error: string; cancelled: boolean };

const FORMAT_EXTENSIONS: Record<string, string> = { htmlzip: 'zip', pdf: 'pdf', epub: 'epub' };

/** In the sandbox: copy the HTML to `<project>/` and zip it with Python's zipfile, isolated (-I: no
 *  imports from the working folder or user site). Arguments: source, target, project, scratch, python. */
const ZIP_SCRIPT = 'set -eu; rm -rf -- "$4"; mkdir -p -- "$4" "$(dirname -- "$2")"; cp -R -- "$1" "$4/$3"; cd -- "$4"; "$5" -I -m zipfile -c "$2" "$3"; cd /; rm -rf -- "$4"';
/** In the sandbox: copy the first `*.<ext>` of a folder to the target, if there is one. Arguments: folder, target, ext. */
const COPY_SCRIPT = 'set -eu; mkdir -p -- "$(dirname -- "$2")"; for f in "$1"/*."$3"; do if [ -f "$f" ]; then cp -- "$f" "$2"; fi; break; done';

/** git and other trusted tools: outside the sandbox, but as the build's unprivileged user when there is one. */
const unconfined = (runAs: IsolationOptions['runAs']): CommandRunner => (argv, opts) => runCommand(argv[0]!, argv.slice(1), { ...opts, runAs });

/** Runs one build to the end. Never throws: every failure becomes an outcome. */
export async function runBuild(job: BuildJob, ctx: BuildContext): Promise<BuildOutcome> {
  const root = ctx.workRoot ?? os.tmpdir();
  // The build's folders (its user's), and beside them a staging folder only the builder can enter:
  // what the build wrote is copied there through no-follow reads, and only that copy goes on.
  const work = await fs.mkdtemp(path.join(root, `bindery-build-${job.buildId}-`));
  const staging = await fs.mkdtemp(path.join(root, `bindery-staged-${job.buildId}-`));
  const dirs: BuildDirs = { checkout: path.join(work, 'checkout'), output: path.join(work, 'output'), home: path.join(work, 'home') };
  const deadline = Date.now() + ctx.timeoutMs;
  const mask = secretMasker(job);
  const b = new Build(job, ctx, dirs, staging, deadline, mask);
  try {
    for (const dir of [dirs.checkout, dirs.output, dirs.home]) await fs.mkdir(dir, { mode: 0o700 });
    const runAs = b.isolation.runAs;
    if (runAs) {
      await assertTraversable(root);
      for (const dir of [work, dirs.checkout, dirs.output, dirs.home]) await fs.chown(dir, runAs.uid, runAs.gid);
    }
    await ctx.reporter.state('cloning');
    const commit = await b.checkout();
    const config = await b.readConfig();
    await ctx.reporter.state('installing', { commit, config });
    const env = buildEnvironment(job, commit, dirs);
    await b.jobs(config, 'post_checkout', env);
    await b.install(config, env);
    await ctx.reporter.state('building');
    await b.build(config, env);
    const formats = await b.postProcess();
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
    await fs.rm(staging, { recursive: true, force: true });
  }
}

/** The steps of one build, sharing its folders, deadline and reporter. */
class Build {
  readonly job: BuildJob;
  readonly ctx: BuildContext;
  readonly dirs: BuildDirs;
  /** The builder's own copy of the output (collect-output.ts); the build never sees it. */
  readonly staging: string;
  readonly deadline: number;
  readonly mask: (line: string) => string;
  readonly runner: CommandRunner;
  readonly isolation: IsolationOptions;
  readonly limits: BuildLimits;

  constructor(job: BuildJob, ctx: BuildContext, dirs: BuildDirs, staging: string, deadline: number, mask: (line: string) => string) {
    this.job = job;
    this.ctx = ctx;
    this.dirs = dirs;
    this.staging = staging;
    this.deadline = deadline;
    this.mask = mask;
    this.isolation = ctx.isolation ?? DEFAULT_ISOLATION;
    this.limits = ctx.limits ?? DEFAULT_LIMITS;
    this.runner = ctx.runner ? ctx.runner(dirs) : sandboxRunner(dirs, this.limits, this.isolation);
  }

  log(stream: 'stdout' | 'stderr' | 'info', line: string): void {
    this.ctx.reporter.log(stream, this.mask(line));
  }

  /** Runs a command as a build step; a non-zero exit or a breached limit fails the build. */
  /** `trusted`: a tool of the builder's (git), outside the sandbox, as the build's user — or, with
   *  'builder', as the builder's own user (a local repository only it may read). */
  async step(name: string, argv: string[], opts: { cwd?: string; env?: Record<string, string>; network?: boolean; code: string; trusted?: boolean | 'builder' }): Promise<void> {
    const position = await this.ctx.reporter.startStep(name, this.mask(argv.join(' ')));
    const run = opts.trusted ? unconfined(opts.trusted === 'builder' ? undefined : this.isolation.runAs) : this.runner;
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

  /**
   * Shallow fetch of exactly one commit into a fresh repository; returns the commit built. git runs as
   * the build's user, except for a local repository (only an instance admin or the operator can add
   * one), which that user may not be allowed to read: then as the builder, and the checkout is handed over.
   */
  async checkout(): Promise<string> {
    const dir = this.dirs.checkout;
    const env = gitEnv(this.ctx.allowLocalRepositories);
    const git = (...args: string[]) => ['git', '-c', 'advice.detachedHead=false', ...args];
    const job = this.job;
    const local = /^(file:|\/)/.test(job.repoUrl);
    const runAs = this.isolation.runAs;
    const asBuilder = local && runAs !== undefined;
    if (asBuilder) await fs.chown(dir, 0, 0);
    const trusted = asBuilder ? 'builder' : true;
    await this.step('git init', git('init', '--quiet', '.'), { cwd: dir, env, code: 'git-failed', trusted });
    // External (pull request) versions are identified by their head commit.
    const ref = job.versionType === 'tag' ? `refs/tags/${job.identifier}` : job.versionType === 'external' ? job.identifier : `refs/heads/${job.identifier}`;
    await this.step('git fetch', git('fetch', '--depth', '1', '--no-tags', '--', job.repoUrl, job.commit ?? ref), { cwd: dir, env, code: 'git-checkout-failed', trusted });
    await this.step('git checkout', git('checkout', '--force', '--quiet', 'FETCH_HEAD'), { cwd: dir, env, code: 'git-checkout-failed', trusted });
    const chunks: string[] = [];
    const result = await runCommand('git', ['rev-parse', 'HEAD'], { cwd: dir, env, timeoutMs: 10_000, runAs: asBuilder ? undefined : runAs, onLine: (_s, line) => chunks.push(line) });
    const commit = chunks.join('').trim();
    if (result.exitCode !== 0 || !/^[0-9a-f]{40,64}$/.test(commit)) throw new BuildError('git-checkout-failed', 'Could not read the commit that was checked out.');
    if (asBuilder) await chownTree(dir, runAs.uid, runAs.gid);
    this.log('info', `checked out ${job.identifier} at ${commit}`);
    return commit;
  }

  async readConfig(): Promise<RtdConfig | null> {
    const loaded = await readBuildConfig(this.dirs.checkout, this.job.readthedocsYamlPath);
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

  /** A path from the configuration must exist when it is used; the error names its key, as Read the Docs' INVALID_PATH. */
  requirePath(key: string, rel: string, when: string): void {
    if (checkoutPathExists(this.dirs.checkout, rel)) return;
    throw new ConfigError(key, `${key}: the path ${JSON.stringify(rel)} does not exist in the repository (nor did a build job create it ${when}); expected a path relative to the repository root.`);
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
      const tools = { python: PYTHON, userBase: env.PYTHONUSERBASE ?? path.join(this.dirs.home, '.local'), scratch: path.join(this.dirs.home, '.bindery-uv-requirements.txt'), uv: findUv };
      for (const [index, item] of config.python.install.entries()) {
        const plan = installPlan(item, index, tools);
        // Checked now, not when the file was read: a job before the install may have made it.
        for (const need of plan.needs) this.requirePath(need.key, need.path, 'before the install');
        for (const command of plan.commands) {
          try {
            await this.step(command.name, command.argv, { cwd: path.join(this.dirs.checkout, command.cwd), env, network: true, code: 'python-install-failed' });
          } catch (err) {
            if (err instanceof BuildError && err.code === 'python-install-failed') {
              const needs = command.argv[0] === PYTHON ? `pip for ${PYTHON}` : 'uv';
              throw new BuildError('python-install-failed', `${err.message} python.install needs ${needs} and a reachable package index.`);
            }
            throw err;
          }
        }
      }
    }
    await this.jobs(config, 'post_install', env);
  }

  /** Builds HTML (and the configured formats) into $READTHEDOCS_OUTPUT; remembers the formats it was asked for. */
  async build(config: RtdConfig | null, env: Record<string, string>): Promise<void> {
    const html = path.join(this.dirs.output, 'html');
    if (config && config.build.commands.length > 0) {
      for (const command of config.build.commands) await this.shell('build.commands', command, env, true);
      this.htmlHint = 'build.commands must write the HTML to $READTHEDOCS_OUTPUT/html/';
      return;
    }
    await this.jobs(config, 'pre_build', env);
    // The tool's configuration file may come from pre_build (or an earlier job): it must exist by now,
    // unless build.jobs.build replaces every output the tool would make.
    const toolRuns = !config || !config.build.jobs.build.html || config.formats.some((f) => !config.build.jobs.build[f]);
    if (toolRuns && config?.sphinx?.configuration) this.requirePath('sphinx.configuration', config.sphinx.configuration, 'before the build');
    if (toolRuns && config?.mkdocs?.configuration) this.requirePath('mkdocs.configuration', config.mkdocs.configuration, 'before the build');
    const tool = chooseDocTool(this.dirs.checkout, config, this.job.documentationType);
    const override = config?.build.jobs.build.html;
    if (override) for (const command of override) await this.shell('build.jobs.build.html', command, env, false);
    else await this.buildHtml(tool, html, env);
    await this.buildFormats(config, tool, env);
    await this.jobs(config, 'post_build', env);
  }

  /** What the "no HTML" failure tells the user to check. */
  htmlHint = 'the build produced no HTML';
  /** Formats the configuration asked for and the tool should have made (their absence is an error). */
  readonly expected = new Map<string, string>();

  async buildHtml(tool: DocTool, html: string, env: Record<string, string>): Promise<void> {
    if (tool.kind === 'sphinx') {
      await this.step('sphinx-build html', sphinxCommand(tool, tool.builder, this.job.language, html), { env, code: 'sphinx-failed' });
    } else if (tool.kind === 'mkdocs') {
      await this.step('mkdocs build', mkdocsCommand(tool, html), { env, code: 'mkdocs-failed' });
    } else {
      const position = await this.ctx.reporter.startStep('build html (builtin)', 'bindery builtin builder');
      try {
        await this.freshOutputFolder(html);
        const result = await buildBuiltinSite({ sourceDir: this.dirs.checkout, outputDir: html, defaultSiteName: this.job.projectName, log: (line) => this.log('stdout', line) });
        const runAs = this.isolation.runAs;
        // Later hooks (post_build) run as the build's user and may edit the HTML, as on Read the Docs.
        if (runAs) await chownTree(html, runAs.uid, runAs.gid);
        this.log('info', `built ${result.pages} pages and ${result.files} other files for "${result.siteName}"`);
        await this.ctx.reporter.endStep(position, 0);
      } catch (err) {
        await this.ctx.reporter.endStep(position, 1);
        throw err;
      }
    }
  }

  /**
   * The builtin builder writes as the builder's user, by path: it must start from a folder it made
   * itself, never one a pre_build job left (which could hold symlinks into the host). Nothing of the
   * build runs while this happens (each sandboxed command ends with its PID namespace).
   */
  async freshOutputFolder(dir: string): Promise<void> {
    const stat = await fs.lstat(dir).catch(() => null);
    if (stat?.isSymbolicLink()) throw new BuildError('output-symlink', '$READTHEDOCS_OUTPUT/html is a symbolic link; the build must write its output into the folder itself.');
    if (stat) await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { mode: 0o755 });
  }

  /** htmlzip, epub and pdf as configured; pdf only where LaTeX is installed (the log says so otherwise). */
  async buildFormats(config: RtdConfig | null, tool: DocTool, env: Record<string, string>): Promise<void> {
    const project = this.job.projectSlug;
    for (const format of config?.formats ?? []) {
      const ext = FORMAT_EXTENSIONS[format]!;
      const target = path.join(this.dirs.output, format, `${project}.${ext}`);
      const override = config?.build.jobs.build[format];
      if (override) {
        for (const command of override) await this.shell(`build.jobs.build.${format}`, command, env, false);
        continue;
      }
      if (format === 'htmlzip') {
        // Read the Docs zips a single-page build for Sphinx; other tools zip their HTML.
        let source = path.join(this.dirs.output, 'html');
        if (tool.kind === 'sphinx') {
          source = path.join(this.dirs.home, 'singlehtml');
          await this.step('sphinx-build singlehtml', sphinxCommand(tool, 'singlehtml', this.job.language, source), { env, code: 'sphinx-failed' });
        }
        // Zipped in the sandbox too: the tree is the build's, and so is anything Python would import from it.
        await this.step('zip htmlzip', ['/bin/sh', '-c', ZIP_SCRIPT, 'zip', source, target, project, path.join(this.dirs.home, '.bindery-zip'), PYTHON], { cwd: this.dirs.home, env, code: 'htmlzip-failed' });
        this.expected.set(format, 'htmlzip-failed');
      } else if (tool.kind !== 'sphinx') {
        this.log('info', `formats: ${format} is only made for Sphinx projects; skipped`);
      } else if (format === 'epub') {
        const out = path.join(this.dirs.home, 'epub');
        await this.step('sphinx-build epub', sphinxCommand(tool, 'epub', this.job.language, out), { env, code: 'sphinx-failed' });
        await this.step('copy epub', ['/bin/sh', '-c', COPY_SCRIPT, 'copy', out, target, ext], { cwd: this.dirs.home, env, code: 'epub-missing' });
        this.expected.set(format, 'epub-missing');
      } else if (format === 'pdf') {
        if (!existsSync('/usr/bin/latexmk')) {
          this.log('info', 'formats: pdf needs LaTeX (latexmk), which this builder does not have; no PDF was made');
          continue;
        }
        const out = path.join(this.dirs.home, 'latex');
        await this.step('sphinx-build latex', sphinxCommand(tool, 'latex', this.job.language, out), { env, code: 'sphinx-failed' });
        await this.step('latexmk', ['latexmk', '-r', '/dev/null', '-pdf', '-f', '-dvi-', '-ps-', '-interaction=nonstopmode', '-quiet'], { cwd: out, env, code: 'pdf-failed' });
        await this.step('copy pdf', ['/bin/sh', '-c', COPY_SCRIPT, 'copy', out, target, ext], { cwd: this.dirs.home, env, code: 'pdf-missing' });
        this.expected.set(format, 'pdf-missing');
      }
    }
  }

  /**
   * Copies the output into the builder's staging folder through no-follow reads (collect-output.ts),
   * checks it, names each format's file as Read the Docs does, and pre-compresses the HTML.
   * Returns the formats besides HTML. From here on nothing reads what the build wrote.
   */
  async postProcess(): Promise<string[]> {
    const collected = await collectOutput(this.dirs.output, this.staging, { maxFiles: this.limits.maxFiles, maxBytes: this.limits.maxOutputBytes, deadline: this.deadline });
    const html = path.join(this.staging, 'html');
    if (!collected.formats.includes('html') || (await fs.readdir(html)).length === 0) throw new BuildError('no-html-output', `No HTML output: ${this.htmlHint}.`);
    const formats: string[] = [];
    for (const format of collected.formats.filter((f) => f !== 'html')) {
      const ext = FORMAT_EXTENSIONS[format]!;
      const dir = path.join(this.staging, format);
      // Trusted names now: the staged copy is the builder's own.
      const files = (await fs.readdir(dir)).filter((f) => f.endsWith(`.${ext}`)).sort();
      if (files.length === 0) continue;
      const wanted = `${this.job.projectSlug}.${ext}`;
      if (!files.includes(wanted)) await fs.rename(path.join(dir, files[0]!), path.join(dir, wanted));
      formats.push(format);
    }
    for (const [format, code] of this.expected) {
      if (!formats.includes(format)) throw new BuildError(code, `The ${format} format was configured, but the build wrote no .${FORMAT_EXTENSIONS[format]} file.`);
    }
    this.log('info', `collected ${collected.files} files (${Math.round(collected.bytes / 1024)} KB) from the build output`);
    // .br and .gz beside each text file: the docs server (or nginx) sends them as they are.
    const compressed = await precompressDirectory(html);
    this.log('info', `pre-compressed ${compressed.files} files`);
    return formats;
  }

  async upload(formats: string[]): Promise<void> {
    const position = await this.ctx.reporter.startStep('upload', 'upload to storage');
    try {
      let count = 0;
      for (const format of ['html', ...formats]) {
        if (Date.now() > this.deadline) throw new BuildError('build-timeout', 'The build exceeded its time limit while its files were uploaded.');
        const keys = await this.ctx.storage.putDirectory(path.join(this.staging, format), artifactPrefix(this.job.projectSlug, this.job.versionSlug, this.job.buildId, format));
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

/** The build's user must be able to walk down to its folders (bubblewrap binds them as that user). */
async function assertTraversable(dir: string): Promise<void> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const mode = (await fs.stat(d)).mode;
    if ((mode & 0o001) === 0) throw new BuildError('sandbox-setup', `The build user cannot reach the work folder: ${d} is not searchable by others (set TMPDIR to a folder such as /tmp, or chmod o+x ${d}).`);
    if (d === path.dirname(d)) return;
  }
}

/** Gives a tree the builder just made (no links in it) to the build's user. */
async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await fs.lchown(dir, uid, gid);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(abs, uid, gid);
    else await fs.lchown(abs, uid, gid);
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
    case 'disk':
      return new BuildError('disk-limit', 'The build wrote more to disk (checkout, home and output together, in bytes or files) than it is allowed and was stopped.');
    default:
      return new BuildError(`${limit}-limit`, `The build breached its ${limit} limit and was stopped.`);
  }
}

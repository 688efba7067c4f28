// Runs one repository-controlled build command (sphinx, mkdocs, pip, build.commands/jobs)
// inside bubblewrap with per-command cgroup limits, and reports which limit, if any, ended
// it. Without bubblewrap it still clears the environment, enforces limits and says so loudly.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { BuildError } from '../../core/errors.ts';
import type { RunResult } from '../run-command.ts';
import { ARGS_FD, BLOCK_FD, bwrapArgs, GROUP, INFO_FD, PASSWD, SANDBOX_HOME, sandboxAvailable } from './bwrap.ts';
import { RunCgroup } from './cgroup.ts';
import { LineSplitter, type LogBudget } from './lines.ts';
import { measureQuota } from './quota.ts';
import { networkSupport, RESOLV_CONF, UserNetwork } from './network.ts';

export { sandboxAvailable } from './bwrap.ts';
export { cgroupSupport } from './cgroup.ts';
export { networkSupport } from './network.ts';
export { LogBudget } from './lines.ts';

export type SandboxLimit = 'memory' | 'processes' | 'log' | 'output' | 'disk';
export type SandboxStream = 'stdout' | 'stderr' | 'info';

export interface SandboxOptions {
  /** Writable; the command's cwd must be inside it (or another writable folder). */
  checkoutDir: string;
  /** Writable ($READTHEDOCS_OUTPUT); must already exist and not be reached through a symlink. */
  outputDir: string;
  /** More writable folders (a persistent HOME or virtualenv in the build's work folder). */
  extraWritable?: string[];
  /** The only environment the command sees, over defaults for PATH, HOME and LANG. */
  env: Record<string, string>;
  /** Install steps need the network; build steps run with none at all (not even loopback to the host).
   *  The network they get reaches the outside world only (network.ts). */
  network: boolean;
  /** The operator's BUILD_NETWORK=host: network steps share the host's network (single-user machines only). */
  hostNetwork?: boolean;
  timeoutMs: number;
  memoryBytes: number;
  /** Processes and threads together (the pids controller counts tasks). */
  maxProcesses: number;
  maxOutputBytes: number;
  /** Bytes and files (with folders) all writable folders together may hold: checkout, output, home. */
  maxDiskBytes?: number;
  maxFiles?: number;
  /** Size of the sandbox's private /tmp and home (tmpfs, so also bounded by the memory limit). */
  tmpfsBytes?: number;
  /** The build's log budget, shared by all its commands. */
  log: LogBudget;
  signal?: AbortSignal;
  onLine: (stream: SandboxStream, line: string) => void;
  /** When the builder runs as root: the unprivileged host uid/gid the command (and bubblewrap) runs as.
   *  The writable folders must belong to it, and their parents be traversable by it. */
  runAs?: { uid: number; gid: number };
  /** Fail instead of running unconfined when bubblewrap is unusable. */
  requireSandbox?: boolean;
  /** Another bubblewrap binary; tests point it at a missing file to exercise the fallback. */
  bwrapPath?: string;
}

export interface SandboxResult extends RunResult {
  limit?: SandboxLimit;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const HOST_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
/** Waits until the builder has moved it into the run cgroups (it writes a line to stdin), then
 *  execs the command, so nothing the command starts can be outside them. The builder does the
 *  moving because only it may (cgroup v2 needs write access to the common ancestor). */
const JOIN = 'read -r _ || exit 125; exec "$@" </dev/null';
const POLL_MS = 250;
const OUTPUT_POLL_MS = 2_000;

export async function runSandboxed(argv: string[], cwd: string, opts: SandboxOptions): Promise<SandboxResult> {
  if (argv.length === 0) throw new Error('runSandboxed: empty command');
  const writable = [realDir(opts.checkoutDir, 'checkout'), realDir(opts.outputDir, 'output'), ...(opts.extraWritable ?? []).map((d) => realDir(d, 'writable'))];
  const workDir = path.resolve(cwd);
  if (!writable.some((d) => workDir === d || workDir.startsWith(`${d}/`))) {
    throw new BuildError('sandbox-setup', `The command's folder ${workDir} is outside the build's folders.`);
  }
  const info = (line: string) => opts.onLine('info', line);
  const sandbox = sandboxAvailable(opts.bwrapPath);
  if (!sandbox.available) {
    if (opts.requireSandbox) throw new BuildError('sandbox-unavailable', `The build sandbox is unavailable: ${sandbox.reason}.`);
    info(`WARNING: sandbox unavailable (${sandbox.reason}); running UNCONFINED with the builder's own file and network access`);
  }
  const asRoot = process.getuid?.() === 0;
  if (opts.runAs && !asRoot) info('WARNING: runAs ignored: the builder is not root, so the command already runs as the builder user');
  const runAs = opts.runAs && asRoot ? opts.runAs : undefined;

  const { cgroup, warnings } = RunCgroup.create({ memoryBytes: opts.memoryBytes, maxProcesses: opts.maxProcesses });
  for (const w of warnings) info(`WARNING: ${w}`);
  const prefix: string[] = cgroup ? ['/bin/sh', '-c', JOIN, 'bindery-join'] : [];
  // RLIMIT_NPROC counts every process of a uid, so it is only a stand-in, and only for a dedicated build uid.
  if (runAs && !cgroup?.enforces('pids')) prefix.push('/usr/bin/prlimit', `--nproc=${opts.maxProcesses}:${opts.maxProcesses}`, '--');

  let tempHome: string | undefined;
  try {
    if (!sandbox.available) {
      tempHome = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-home-'));
      if (runAs) fs.chownSync(tempHome, runAs.uid, runAs.gid);
    }
    const plan = planSpawn(argv, workDir, writable, tempHome, runAs, prefix, opts);
    // Under load the kernel now and then fails to set up a fresh network namespace (bubblewrap's
    // "loopback: Failed RTM_NEWADDR", or the namespace gone before its network is attached). That
    // happens before the command runs, so it is tried again rather than failing the build.
    for (let attempt = 1; ; attempt++) {
      const first: { line?: string; any: boolean } = { any: false };
      const watched: SandboxOptions = {
        ...opts,
        onLine: (stream, line) => {
          if (stream !== 'info' && !first.any) first.line = stream === 'stderr' ? line : undefined;
          if (stream !== 'info') first.any = true;
          opts.onLine(stream, line);
        },
      };
      try {
        const result = await execute(plan, cgroup, watched);
        const setupFailed = !tempHome && result.exitCode === 1 && !result.limit && !result.timedOut && !result.cancelled && /^bwrap: /.test(first.line ?? '');
        if (!setupFailed || attempt >= 3) return result;
      } catch (err) {
        if (!(err instanceof BuildError && err.code === 'sandbox-setup' && /network/.test(err.message)) || attempt >= 3 || opts.signal?.aborted) throw err;
      }
      info(`the sandbox could not be set up (attempt ${attempt}); trying again`);
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  } finally {
    await cgroup?.destroy();
    if (tempHome) fs.rmSync(tempHome, { recursive: true, force: true });
  }
}

interface SpawnPlan {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  /** Set by Node between fork and exec: no process of ours runs as root with the repository's environment. */
  runAs?: { uid: number; gid: number };
  /** Written to fds 3, 4, 5 (and 6): bubblewrap's options, /etc/passwd, /etc/group (and /etc/resolv.conf). */
  fdData: string[];
  /** The user-mode network is attached between bubblewrap's info fd and its block fd. */
  userNetwork: boolean;
}

/** Which network a command gets: none, the user-mode one, or (operator's choice) the host's. */
function networkMode(opts: SandboxOptions): 'none' | 'user' | 'host' {
  if (!opts.network) return 'none';
  if (opts.hostNetwork) return 'host';
  const support = networkSupport();
  if (!support.available) {
    throw new BuildError('network-unavailable', `This step needs the network, but the build network cannot be set up: ${support.reason}. An operator of a single-user machine may set BUILD_NETWORK=host instead.`);
  }
  return 'user';
}

/** Unconfined (tempHome set): the command itself. Otherwise bubblewrap, told everything through fds. */
function planSpawn(argv: string[], workDir: string, writable: string[], tempHome: string | undefined, runAs: SpawnPlan['runAs'], prefix: string[], opts: SandboxOptions): SpawnPlan {
  const env: Record<string, string> = { PATH: DEFAULT_PATH, HOME: tempHome ?? SANDBOX_HOME, LANG: 'C.UTF-8', ...opts.env };
  if (tempHome) return { command: [...prefix, ...argv], cwd: workDir, env, runAs, fdData: [], userNetwork: false };
  const bwrap = sandboxAvailable(opts.bwrapPath).bwrap!;
  const network = networkMode(opts);
  const list = bwrapArgs({ writable, cwd: workDir, env, network, userFiles: true, tmpfsBytes: opts.tmpfsBytes });
  if (list.some((a) => a.includes('\0'))) throw new BuildError('sandbox-setup', 'The environment contains a NUL character.');
  // Options go through a pipe, not argv: environment values may be secrets and argv is public in ps.
  const fdData = [`${list.join('\0')}\0`, PASSWD, GROUP, ...(network === 'user' ? [RESOLV_CONF] : [])];
  return { command: [...prefix, bwrap, '--args', String(ARGS_FD), '--', ...argv], cwd: '/', env: HOST_ENV, runAs, fdData, userNetwork: network === 'user' };
}

/** Reads bubblewrap's info fd until it names the sandbox's first process. */
function sandboxPid(info: NodeJS.ReadableStream): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const pid = /"child-pid"\s*:\s*(\d+)/.exec(text)?.[1];
      if (pid) {
        info.off('data', onData);
        resolve(Number(pid));
      }
    };
    info.on('data', onData);
    info.once('end', () => reject(new BuildError('sandbox-setup', 'bubblewrap ended before the sandbox was set up.')));
  });
}

function execute(plan: SpawnPlan, cgroup: RunCgroup | null, opts: SandboxOptions): Promise<SandboxResult> {
  const { command, fdData } = plan;
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      cwd: plan.cwd,
      env: plan.env,
      stdio: [cgroup ? 'pipe' : 'ignore', 'pipe', 'pipe', ...fdData.map(() => 'pipe' as const), ...(plan.userNetwork ? (['pipe', 'pipe'] as const) : [])],
      detached: true,
      ...(plan.runAs ? { uid: plan.runAs.uid, gid: plan.runAs.gid } : {}),
    });
    let setupError: BuildError | undefined;
    if (cgroup && child.pid) {
      child.stdin!.on('error', () => {}); // The wrapper died first; 'close' reports it.
      try {
        cgroup.adopt(child.pid);
        child.stdin!.end('go\n');
      } catch (err) {
        setupError = new BuildError('sandbox-setup', `Could not put the command in its cgroup: ${(err as Error).message}`);
        child.stdin!.destroy();
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    fdData.forEach((data, i) => {
      const fd = child.stdio[3 + i] as Writable | null;
      fd?.on('error', () => {}); // bwrap failed before reading it; its stderr says why.
      fd?.end(data);
    });
    // The command waits on the block fd until its network is attached and the host is out of reach.
    let network: UserNetwork | null = null;
    if (plan.userNetwork) {
      const fds = child.stdio as unknown as Array<Writable & NodeJS.ReadableStream>;
      const block = fds[BLOCK_FD]!;
      block.on('error', () => {});
      sandboxPid(fds[INFO_FD]!)
        .then((pid) => UserNetwork.attach(pid))
        .then((attached) => {
          network = attached;
          if (done) attached.stop();
          else block.end('go');
        })
        .catch((err: unknown) => {
          setupError ??= err instanceof BuildError ? err : new BuildError('sandbox-setup', `Could not set up the build network: ${(err as Error).message}`);
          killTree();
        });
    }
    let timedOut = false;
    let cancelled = false;
    let limit: SandboxLimit | undefined;
    let done = false;
    let logCut = false;
    const killTree = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      cgroup?.kill();
    };
    const breach = (l: SandboxLimit) => {
      limit ??= l;
      killTree();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, Math.min(Math.max(1, opts.timeoutMs), 2 ** 31 - 1));
    const onAbort = () => {
      cancelled = true;
      killTree();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    const watch = setInterval(() => {
      const hit = cgroup?.breach();
      if (hit) breach(hit);
    }, POLL_MS);
    let measuring = false;
    const overQuota = () => measureQuota(opts);
    const quota = setInterval(() => {
      if (measuring) return;
      measuring = true;
      overQuota()
        .then((over) => over && !done && breach(over))
        .catch(() => {})
        .finally(() => (measuring = false));
    }, OUTPUT_POLL_MS);

    const splitters = (['stdout', 'stderr'] as const).map((name) => {
      const splitter = new LineSplitter((line) => opts.onLine(name, line));
      child[name]!.on('data', (chunk: Buffer) => {
        if (logCut) return;
        const fit = opts.log.take(chunk.length);
        if (fit > 0) splitter.push(fit < chunk.length ? chunk.subarray(0, fit) : chunk);
        if (fit < chunk.length) {
          logCut = true;
          splitter.end();
          opts.onLine('info', `The build log reached its limit of ${opts.log.maxBytes} bytes; further output is dropped.`);
          breach('log');
        }
      });
      return splitter;
    });

    let closeFallback: NodeJS.Timeout | undefined;
    child.on('exit', () => {
      // Processes that left the group or outlived the leader would hold the pipes open.
      killTree();
      closeFallback = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, 2_000);
    });
    const finish = async (exitCode: number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(closeFallback);
      clearInterval(watch);
      clearInterval(quota);
      (network as UserNetwork | null)?.stop();
      opts.signal?.removeEventListener('abort', onAbort);
      if (!logCut) for (const s of splitters) s.end();
      // The OOM killer may have ended the command before the last poll saw it.
      const hit = cgroup?.breach();
      if (hit) limit ??= hit;
      if (!limit && !timedOut && !cancelled) limit = (await overQuota().catch(() => null)) ?? undefined;
      if (setupError) reject(setupError);
      else resolve({ exitCode, timedOut, cancelled, ...(limit ? { limit } : {}) });
    };
    child.on('error', (err) => {
      opts.onLine('stderr', `could not start ${command[0]}: ${err.message}`);
      void finish(127);
    });
    child.on('close', (code, signal) => void finish(code ?? (signal ? 128 + 9 : 1)));
  });
}

/** A writable folder must exist and be reached without symlinks, or a repository could aim the bind at a host folder. */
function realDir(dir: string, what: string): string {
  const abs = path.resolve(dir);
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    throw new BuildError('sandbox-setup', `The ${what} folder ${abs} does not exist.`);
  }
  if (real !== abs) throw new BuildError('sandbox-setup', `The ${what} folder ${abs} is reached through a symbolic link (${real}); refusing to make it writable.`);
  if (!fs.statSync(abs).isDirectory()) throw new BuildError('sandbox-setup', `The ${what} path ${abs} is not a folder.`);
  return abs;
}

const size = (bytes: number) => (bytes >= 1 << 30 ? `${(bytes / (1 << 30)).toFixed(1)} GB` : `${Math.round(bytes / (1 << 20))} MB`);

/** The BuildError that ends the build after `result`, or null when only the exit code matters. */
export function sandboxError(result: SandboxResult, argv: string[], opts: Pick<SandboxOptions, 'timeoutMs' | 'memoryBytes' | 'maxProcesses' | 'maxOutputBytes' | 'log'>): BuildError | null {
  const cmd = argv.join(' ');
  if (result.cancelled) return new BuildError('cancelled', 'The build was cancelled.');
  if (result.timedOut) return new BuildError('build-timeout', `The build exceeded its time limit while running: ${cmd}`);
  switch (result.limit) {
    case 'memory':
      return new BuildError('memory-limit', `The command "${cmd}" used more than the build's memory limit of ${size(opts.memoryBytes)} and was stopped.`);
    case 'processes':
      return new BuildError('process-limit', `The command "${cmd}" tried to run more than ${opts.maxProcesses} processes and threads at once and was stopped.`);
    case 'log':
      return new BuildError('log-limit', `The build log exceeded its limit of ${size(opts.log.maxBytes)} while running "${cmd}"; further output was dropped.`);
    case 'output':
      return new BuildError('output-limit', `The build output exceeded its limit of ${size(opts.maxOutputBytes)} after "${cmd}".`);
    default:
      return null;
  }
}

// The limits every build runs under, and the sandboxed command runner that enforces them.
// Each breach ends the build with its own error code (see limitError in pipeline.ts).
import { LogBudget, runSandboxed } from './sandbox/index.ts';
import type { CommandRunner } from './pipeline.ts';
import type { BuildDirs } from './environment.ts';

export interface BuildLimits {
  memoryBytes: number;
  maxProcesses: number;
  /** Bytes a build may write to $READTHEDOCS_OUTPUT. */
  maxOutputBytes: number;
  /** Bytes of log a build may print; the rest is dropped and the build fails. */
  maxLogBytes: number;
  /** Bytes everything a build writes may take together: checkout, home, output (BUILD_MAX_DISK_MB). */
  maxDiskBytes: number;
  /** Files and folders the build's folders may hold together, and its output alone (BUILD_MAX_FILES). */
  maxFiles: number;
}

/** How the builder isolates builds, beyond the limits (the operator's choices). */
export interface IsolationOptions {
  /** The unprivileged host user every repository command and git run as when the builder is root. */
  runAs?: { uid: number; gid: number };
  /** false only when the operator set BUILD_SANDBOX=off: then commands may run unconfined. */
  requireSandbox: boolean;
  /** BUILD_NETWORK=host: steps that need the network share the host's (single-user machines only). */
  hostNetwork: boolean;
}

export const DEFAULT_LIMITS: BuildLimits = {
  memoryBytes: 2 * 1024 ** 3,
  maxProcesses: 512,
  maxOutputBytes: 1024 ** 3,
  maxLogBytes: 50 * 1024 ** 2,
  maxDiskBytes: 5 * 1024 ** 3,
  maxFiles: 100_000,
};

/** The host uid builds run as when the builder is root: not in /etc/passwd, owning nothing else. */
export const DEFAULT_BUILD_UID = 61_000;

export const DEFAULT_ISOLATION: IsolationOptions = {
  runAs: process.getuid?.() === 0 ? { uid: DEFAULT_BUILD_UID, gid: DEFAULT_BUILD_UID } : undefined,
  requireSandbox: true,
  hostNetwork: false,
};

/** A runner for one build: every repository command in bubblewrap, all sharing one log budget. */
export function sandboxRunner(dirs: BuildDirs, limits: BuildLimits, isolation: IsolationOptions = DEFAULT_ISOLATION): CommandRunner {
  const log = new LogBudget(limits.maxLogBytes);
  return (argv, opts) =>
    runSandboxed(argv, opts.cwd, {
      runAs: isolation.runAs,
      requireSandbox: isolation.requireSandbox,
      hostNetwork: isolation.hostNetwork,
      maxDiskBytes: limits.maxDiskBytes,
      maxFiles: limits.maxFiles,
      tmpfsBytes: Math.min(limits.maxDiskBytes, 1024 ** 3),
      checkoutDir: dirs.checkout,
      outputDir: dirs.output,
      extraWritable: [dirs.home],
      env: opts.env,
      network: opts.network,
      timeoutMs: opts.timeoutMs,
      memoryBytes: limits.memoryBytes,
      maxProcesses: limits.maxProcesses,
      maxOutputBytes: limits.maxOutputBytes,
      log,
      signal: opts.signal,
      onLine: (stream, line) => opts.onLine(stream === 'info' ? 'stderr' : stream, line),
    });
}

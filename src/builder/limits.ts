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
}

export const DEFAULT_LIMITS: BuildLimits = {
  memoryBytes: 2 * 1024 ** 3,
  maxProcesses: 512,
  maxOutputBytes: 1024 ** 3,
  maxLogBytes: 50 * 1024 ** 2,
};

/** A runner for one build: every repository command in bubblewrap, all sharing one log budget. */
export function sandboxRunner(dirs: BuildDirs, limits: BuildLimits): CommandRunner {
  const log = new LogBudget(limits.maxLogBytes);
  return (argv, opts) =>
    runSandboxed(argv, opts.cwd, {
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

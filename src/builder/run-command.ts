// Runs one trusted build command (git) and streams its output, line by line, to the build log.
// The command gets its own process group so a timeout or a cancel kills everything it started.
// Repository-controlled commands go through sandbox/index.ts (runSandboxed) instead.
import { spawn } from 'node:child_process';
import { LineSplitter } from './sandbox/lines.ts';

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Run as this unprivileged host user (the builder must be root to switch). */
  runAs?: { uid: number; gid: number };
}

export interface RunResult {
  exitCode: number;
  timedOut: boolean;
  cancelled: boolean;
}

export function runCommand(command: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? (process.env as Record<string, string>),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(opts.runAs ? { uid: opts.runAs.uid, gid: opts.runAs.gid } : {}),
    });
    let timedOut = false;
    let cancelled = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMs);
    const onAbort = () => {
      cancelled = true;
      killGroup();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    // Lines are capped while reading (readline would buffer a newline-free gigabyte first).
    const pump = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') => {
      const splitter = new LineSplitter((line) => opts.onLine(name, line));
      stream.on('data', (chunk: Buffer) => splitter.push(chunk));
      stream.on('end', () => splitter.end());
    };
    pump(child.stdout!, 'stdout');
    pump(child.stderr!, 'stderr');
    child.on('error', (err) => {
      opts.onLine('stderr', `could not start ${command}: ${err.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      // The group may have children that outlived the leader; take them down too.
      killGroup();
      resolve({ exitCode: code ?? (signal ? 128 + 9 : 1), timedOut, cancelled });
    });
  });
}

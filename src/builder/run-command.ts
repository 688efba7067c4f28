// Runs one build command and streams its output, line by line, to the build log. The
// command gets its own process group so a timeout or a cancel kills everything it started.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  onLine: (stream: 'stdout' | 'stderr', line: string) => void;
}

export interface RunResult {
  exitCode: number;
  timedOut: boolean;
  cancelled: boolean;
}

/** Longest line kept in the log; a build printing megabytes without a newline cannot fill memory. */
const MAX_LINE = 16_384;

export function runCommand(command: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? (process.env as Record<string, string>),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
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
    const pump = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') => {
      const rl = createInterface({ input: stream, crlfDelay: Infinity });
      rl.on('line', (line) => opts.onLine(name, line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}… [line truncated]` : line));
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

// PGlite has no lock between processes: two processes on one data folder silently lose
// writes. Like Postgres' postmaster.pid, Bindery creates `bindery.pid` exclusively and
// refuses to start while the process named in it is alive. A file left by a process that
// died is stale and taken over.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class DataDirLockedError extends Error {
  readonly pid: number;
  constructor(dir: string, pid: number, startedAt: string) {
    super(`the data folder ${dir} is in use by process ${pid} (started ${startedAt}); ` +
      'stop that process, or talk to it with the CLI over the API instead of opening the folder twice');
    this.name = 'DataDirLockedError';
    this.pid = pid;
  }
}

interface LockContent { pid: number; host: string; startedAt: string }

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else — still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockContent | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LockContent;
    return Number.isInteger(parsed.pid) ? parsed : null;
  } catch {
    return null;
  }
}

/** Takes the lock of `dir` for this process; returns a function that releases it. */
export function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'bindery.pid');
  const content: LockContent = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(content) + '\n', { flag: 'wx', mode: 0o600 });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readLock(file);
    if (holder && holder.pid !== process.pid && holder.host === os.hostname() && alive(holder.pid)) {
      throw new DataDirLockedError(dir, holder.pid, holder.startedAt);
    }
    if (holder && holder.host !== os.hostname()) {
      // A pid from another machine (a shared folder) cannot be checked from here.
      throw new DataDirLockedError(dir, holder.pid, `${holder.startedAt} on ${holder.host}`);
    }
    // Stale (its process is gone) or unreadable (a crash mid-write): take it over.
    fs.rmSync(file, { force: true });
  }
  throw new Error(`could not lock the data folder ${dir}: ${file} keeps reappearing`);
}

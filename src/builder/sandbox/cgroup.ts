// Per-command cgroups: memory and process limits a build cannot raise, the evidence that a
// limit was hit, and a way to kill everything a command started. cgroup v1 has one folder
// per controller, v2 one folder with controllers enabled by the parent; either may be absent.
import fs from 'node:fs';
import path from 'node:path';

type Controller = 'memory' | 'pids';
interface Place {
  version: 1 | 2;
  /** The builder's own cgroup: run cgroups are made inside it, so they also obey its limits. */
  dir: string;
  controllers: Controller[];
}

export interface CgroupSupport {
  places: Place[];
  /** Why a controller cannot be used, for the warning line and the tests. */
  missing: Partial<Record<Controller, string>>;
}

export type CgroupBreach = 'memory' | 'processes';

let support: CgroupSupport | undefined;
let sequence = 0;

const read = (file: string): string => fs.readFileSync(file, 'utf8');
const tryRead = (file: string): string => {
  try {
    return read(file);
  } catch {
    return '';
  }
};
const counter = (text: string, key: string): number => Number(new RegExp(`^${key} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);

/** Which controllers this process can use, found once from /proc/self/{cgroup,mountinfo}. */
export function cgroupSupport(): CgroupSupport {
  support ??= detect();
  return support;
}

function detect(): CgroupSupport {
  const own = new Map<string, string>(); // controller ('' for v2) → our cgroup path
  for (const line of tryRead('/proc/self/cgroup').split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === '') own.set('', m[2]!);
    for (const c of m[1]!.split(',')) if (c) own.set(c, m[2]!);
  }
  const mounts = tryRead('/proc/self/mountinfo')
    .split('\n')
    .map((line) => {
      const [pre, post] = line.split(' - ');
      const f = pre?.split(' ') ?? [];
      const g = post?.split(' ') ?? [];
      return { root: f[3] ?? '', point: f[4] ?? '', type: g[0] ?? '', opts: (g[2] ?? '').split(',') };
    });
  const inside = (m: { root: string; point: string }, p: string | undefined): string | null => {
    if (p === undefined) return null;
    const rel = path.posix.relative(m.root, p);
    return rel.startsWith('..') ? null : path.join(m.point, rel);
  };
  const places: Place[] = [];
  const missing: CgroupSupport['missing'] = {};
  const v2mount = mounts.find((m) => m.type === 'cgroup2');
  const v2dir = v2mount ? inside(v2mount, own.get('')) : null;
  const v2available = v2dir ? tryRead(path.join(v2dir, 'cgroup.controllers')).trim().split(/\s+/) : [];
  const v2wanted: Controller[] = [];
  for (const c of ['memory', 'pids'] as const) {
    const v1 = mounts.find((m) => m.type === 'cgroup' && m.opts.includes(c));
    if (v1) {
      const dir = inside(v1, own.get(c));
      const problem = dir ? writable(dir) : `our ${c} cgroup is outside the mounted hierarchy`;
      if (problem) missing[c] = `cgroup v1 ${c}: ${problem}`;
      else places.push({ version: 1, dir: dir!, controllers: [c] });
    } else if (v2dir && v2available.includes(c)) {
      v2wanted.push(c);
    } else {
      missing[c] = `no ${c} cgroup controller is mounted (neither v1 nor v2)`;
    }
  }
  if (v2dir && v2wanted.length > 0) {
    const problem = writable(v2dir) ?? enableV2(v2dir, v2wanted);
    if (problem) for (const c of v2wanted) missing[c] = `cgroup v2 ${c}: ${problem}`;
    else places.push({ version: 2, dir: v2dir, controllers: v2wanted });
  }
  return { places, missing };
}

function writable(dir: string): string | null {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return null;
  } catch (err) {
    return `${dir} is not writable (${(err as NodeJS.ErrnoException).code}); run the builder as root or in a delegated cgroup`;
  }
}

/** Lets child cgroups use the controllers. v2 forbids that while the folder itself holds
 *  processes, so when the builder is alone there it moves itself into a leaf first. */
function enableV2(dir: string, controllers: Controller[]): string | null {
  const control = path.join(dir, 'cgroup.subtree_control');
  const enable = () => fs.writeFileSync(control, controllers.map((c) => `+${c}`).join(' '));
  try {
    enable();
    return null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EBUSY') return `cannot enable controllers in ${control}: ${(err as Error).message}`;
  }
  const procs = tryRead(path.join(dir, 'cgroup.procs')).split('\n').filter(Boolean);
  if (!procs.every((p) => Number(p) === process.pid)) {
    return `${dir} holds other processes, so it cannot delegate controllers; start the builder in its own cgroup (systemd: Delegate=yes)`;
  }
  try {
    const leaf = path.join(dir, 'bindery-builder');
    fs.mkdirSync(leaf, { recursive: true });
    fs.writeFileSync(path.join(leaf, 'cgroup.procs'), String(process.pid));
    enable();
    return null;
  } catch (err) {
    return `cannot enable controllers in ${control}: ${(err as Error).message}`;
  }
}

/** Removes run cgroups left by builders that died, so they do not pile up. */
function sweepStale(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const pid = Number(/^bindery-(\d+)-\d+$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    const sub = path.join(dir, name);
    for (const p of tryRead(path.join(sub, 'cgroup.procs')).split('\n').filter(Boolean)) signal(Number(p));
    try {
      fs.rmdirSync(sub);
    } catch {
      // Still emptying; the next sweep gets it.
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The cgroup(s) of one command: created with its limits, destroyed when it ends. */
export class RunCgroup {
  readonly dirs: { version: 1 | 2; dir: string; controllers: Controller[] }[];

  private constructor(dirs: RunCgroup['dirs']) {
    this.dirs = dirs;
  }

  /** Creates the cgroup; controllers that cannot be used come back as warnings, not errors. */
  static create(limits: { memoryBytes: number; maxProcesses: number }): { cgroup: RunCgroup | null; warnings: string[] } {
    const { places, missing } = cgroupSupport();
    const warnings = Object.entries(missing).map(([c, why]) => `${c === 'memory' ? 'memory' : 'process'} limit NOT enforced: ${why}`);
    const name = `bindery-${process.pid}-${++sequence}`;
    const dirs: RunCgroup['dirs'] = [];
    for (const place of places) {
      const dir = path.join(place.dir, name);
      if (sequence === 1) {
        try {
          sweepStale(place.dir);
        } catch {
          // Housekeeping only.
        }
      }
      try {
        fs.mkdirSync(dir);
      } catch (err) {
        warnings.push(`${place.controllers.join(' and ')} limit NOT enforced: cannot create ${dir}: ${(err as Error).message}`);
        continue;
      }
      try {
        for (const c of place.controllers) writeLimits(place.version, dir, c, limits);
        dirs.push({ version: place.version, dir, controllers: place.controllers });
      } catch (err) {
        warnings.push(`${place.controllers.join(' and ')} limit NOT enforced: cannot set it in ${dir}: ${(err as Error).message}`);
        try {
          fs.rmdirSync(dir); // Empty: nothing was started in it.
        } catch {
          // The next sweep gets it.
        }
      }
    }
    return { cgroup: dirs.length > 0 ? new RunCgroup(dirs) : null, warnings };
  }

  enforces(c: Controller): boolean {
    return this.dirs.some((d) => d.controllers.includes(c));
  }

  /** Moves a process (still waiting to exec the command) into every folder of this cgroup. */
  adopt(pid: number): void {
    for (const d of this.dirs) fs.writeFileSync(path.join(d.dir, 'cgroup.procs'), String(pid));
  }

  /** A limit that was hit: the OOM killer ran, or a fork/clone was refused. */
  breach(): CgroupBreach | null {
    for (const d of this.dirs) {
      if (d.controllers.includes('memory')) {
        const events = d.version === 1 ? tryRead(path.join(d.dir, 'memory.oom_control')) : tryRead(path.join(d.dir, 'memory.events'));
        if (counter(events, 'oom_kill') > 0 || counter(events, 'oom') > 0 || counter(events, 'under_oom') > 0) return 'memory';
      }
      if (d.controllers.includes('pids') && counter(tryRead(path.join(d.dir, 'pids.events')), 'max') > 0) return 'processes';
    }
    return null;
  }

  /** SIGKILLs every process in the cgroup (v2: atomically through cgroup.kill). */
  kill(): number {
    let seen = 0;
    for (const d of this.dirs) {
      if (d.version === 2) {
        try {
          fs.writeFileSync(path.join(d.dir, 'cgroup.kill'), '1');
          continue;
        } catch {
          // Kernel before 5.14: fall back to signalling each process.
        }
      }
      for (const p of tryRead(path.join(d.dir, 'cgroup.procs')).split('\n').filter(Boolean)) {
        seen++;
        signal(Number(p));
      }
    }
    return seen;
  }

  /** Kills what is left and removes the folders; waits up to 5 s for the processes to die. */
  async destroy(): Promise<void> {
    for (const d of this.dirs) {
      for (let attempt = 0; attempt < 100; attempt++) {
        this.kill();
        try {
          fs.rmdirSync(d.dir);
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') break;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }
  }
}

function writeLimits(version: 1 | 2, dir: string, c: Controller, limits: { memoryBytes: number; maxProcesses: number }): void {
  const set = (file: string, value: number | string, optional = false) => {
    try {
      fs.writeFileSync(path.join(dir, file), String(value));
    } catch (err) {
      if (!optional) throw err;
    }
  };
  if (c === 'pids') set('pids.max', Math.max(1, Math.floor(limits.maxProcesses)));
  else if (version === 1) {
    set('memory.limit_in_bytes', Math.floor(limits.memoryBytes));
    // Swap would let a build go past the limit; the file exists only with swap accounting.
    set('memory.memsw.limit_in_bytes', Math.floor(limits.memoryBytes), true);
  } else {
    set('memory.max', Math.floor(limits.memoryBytes));
    set('memory.swap.max', 0, true);
    set('memory.oom.group', 1, true);
  }
}

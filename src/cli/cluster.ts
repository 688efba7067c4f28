// `bindery cluster`: the high-availability topology on loopback, for demos and the fault
// tests — PostgreSQL, N nodes, a load balancer (deploy/'s own config) and M builders that
// reach the web tier through it. startCluster() hands tests every part to kill and restart.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/bindery.js');

export interface ClusterOptions {
  /** PostgreSQL to use; absent → a throw-away server made with initdb in a temporary folder. */
  databaseUrl?: string | null;
  nodes?: number;
  builders?: number;
  /** Port of the load balancer; 0 or absent → a free one. */
  port?: number;
  lb?: 'nginx' | 'haproxy';
  /** Where nodes run: the first start imports this folder's git repository as a demo project. */
  cwd?: string;
  /** Added to every node's and builder's environment (LOG_LEVEL, BUILD_HEARTBEAT_SECONDS, …). */
  env?: Record<string, string>;
}

/** One process of the cluster: it can be killed and started again on the same port. */
export interface Part {
  readonly name: string;
  readonly port: number | null;
  readonly pid: number | null;
  readonly running: boolean;
  /** Its output so far (the last MiB), also in `<work>/logs/<name>.log`. */
  output(): string;
  /** Starts it; resolves when it answers. */
  start(): Promise<void>;
  /** Sends the signal (SIGKILL: to its whole process group) and resolves when it exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface Cluster {
  /** The load balancer: the one URL of the dashboard, the API and (with a docs host) the docs. */
  url: string;
  port: number;
  databaseUrl: string;
  workDir: string;
  storageDir: string;
  builderSecret: string;
  /** Printed by the node that bootstrapped a fresh database; null when it had users already. */
  adminToken: string | null;
  postgres: Part | null;
  lb: Part;
  nodes: Part[];
  builders: Part[];
  stop(): Promise<void>;
}

interface Spec {
  cmd: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  uid?: number;
  gid?: number;
}

class Proc implements Part {
  readonly name: string;
  readonly port: number | null;
  readonly #spec: Spec;
  readonly #ready: Ready;
  readonly #logFile: string;
  #child: ChildProcess | null = null;
  #out = '';

  constructor(name: string, port: number | null, logDir: string, spec: Spec, ready: Ready) {
    this.name = name;
    this.port = port;
    this.#spec = spec;
    this.#ready = ready;
    this.#logFile = path.join(logDir, `${name}.log`);
  }

  get pid(): number | null {
    return this.running ? this.#child!.pid ?? null : null;
  }

  get running(): boolean {
    return this.#child !== null && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  output(): string {
    return this.#out;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const { cmd, args, env, cwd, uid, gid } = this.#spec;
    // Its own process group: a terminal's Ctrl-C reaches only `bindery cluster`, which stops the parts in order.
    const child = spawn(cmd, args, { env: env ? { ...process.env, ...env } : process.env, cwd, uid, gid, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    const log = fs.createWriteStream(this.#logFile, { flags: 'a' });
    const collect = (chunk: Buffer) => {
      log.write(chunk);
      this.#out = (this.#out + chunk.toString()).slice(-1024 * 1024);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('close', () => log.end());
    const exited = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => reject(new Error(`${this.name} exited (${signal ?? code}) while starting:\n${this.#out.slice(-4000)}`)));
    });
    exited.catch(() => {});
    await Promise.race([this.#ready(() => child.exitCode === null && child.signalCode === null), exited]);
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const send = (s: NodeJS.Signals) => {
      try {
        // SIGKILL takes the whole group (a builder's build commands, nginx's workers) like a lost machine.
        process.kill(s === 'SIGKILL' ? -child.pid! : child.pid!, s);
      } catch {
        // Already gone.
      }
    };
    send(signal);
    const timer = setTimeout(() => send('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }

  /** Synchronous last resort when the controlling process exits without stop(). */
  killNow(): void {
    if (this.running) {
      try {
        process.kill(-this.#child!.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when a process started answers; `alive` turns false when it exited (stop polling). */
type Ready = (alive: () => boolean) => Promise<void>;

/** Polls until `check` resolves true, for as long as the process is alive. */
async function until(what: string, alive: () => boolean, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline && alive(); await new Promise((r) => setTimeout(r, 100))) {
    if (await check().catch(() => false)) return;
  }
  if (alive()) throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
}

/** Ready when the URL answers 200. */
const answers = (url: string): Ready => (alive) => until(url, alive, async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200);

/** PostgreSQL's server programs: PG_BIN, else the newest under /usr/lib/postgresql, else PATH. */
function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin/initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : '';
}

/** A throw-away PostgreSQL: initdb refuses root, so as root it belongs to `postgres` (or `nobody`). */
async function throwAwayPostgres(dir: string, logDir: string): Promise<{ part: Proc; url: string }> {
  const bin = postgresBin();
  const exe = (name: string) => (bin ? path.join(bin, name) : name);
  let ids: { uid?: number; gid?: number } = {};
  if (process.getuid?.() === 0) {
    const user = ['postgres', 'nobody'].find((u) => {
      try {
        execFileSync('id', ['-u', u], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
    if (!user) throw new Error('initdb refuses to run as root and there is no postgres or nobody user to run it as');
    ids = { uid: Number(execFileSync('id', ['-u', user], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', user], { encoding: 'utf8' })) };
    fs.chownSync(dir, ids.uid!, ids.gid!);
  }
  const data = path.join(dir, 'data');
  execFileSync(exe('initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C'], { ...ids, stdio: 'pipe' });
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '200' };
  const args = ['-D', data, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const part = new Proc('postgres', port, logDir, { cmd: exe('postgres'), args, ...ids }, (alive) =>
    until('PostgreSQL', alive, async () => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } finally {
        await client.end().catch(() => {});
      }
    }),
  );
  return { part, url };
}

/** deploy/nginx/bindery-lb.conf with its marked values set, inside a minimal nginx.conf. */
function nginxConf(prefix: string, port: number, nodePorts: number[], logDir: string): string {
  const template = fs.readFileSync(path.join(ROOT, 'deploy/nginx/bindery-lb.conf'), 'utf8');
  const servers = nodePorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n');
  const lb = template
    .replace(/(    server 10\.0\.0\.\d+:8000 [^\n]*\n)+/, `${servers}\n`)
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(/\/var\/log\/nginx\/bindery-lb\.log/, path.join(logDir, 'lb-access.log'));
  if (/10\.0\.0\.|listen 80;|\/var\/log\/nginx/.test(lb)) throw new Error('bindery-lb.conf: a marked value was not replaced');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${prefix}/${t};`).join('\n');
  return ['daemon off;', 'worker_processes 1;', ...(process.getuid?.() === 0 ? ['user root;'] : []), `pid ${prefix}/nginx.pid;`, `error_log ${path.join(logDir, 'lb-error.log')} warn;`,
    'events { worker_connections 4096; }', 'http {', '  include /etc/nginx/mime.types;', temp, lb, '}', ''].join('\n');
}

/** deploy/haproxy/haproxy.cfg with its marked values set, logging to its output. */
function haproxyConf(port: number, nodePorts: number[]): string {
  const template = fs.readFileSync(path.join(ROOT, 'deploy/haproxy/haproxy.cfg'), 'utf8');
  const servers = nodePorts.map((p, i) => `    server node${i + 1} 127.0.0.1:${p} check`).join('\n');
  const cfg = template
    .replace(/^\s*log \/dev\/log.*$/m, '    log stdout format raw local0')
    .replace(/^.*# system\s*$\n/gm, '')
    .replace(/^(\s*maxconn) \d+.*$/m, '$1 1000')
    .replace(/(    server node\d+ 10\.0\.0\.\d+:8000 check[^\n]*\n)+/, `${servers}\n`)
    .replace(/bind :80 /, `bind 127.0.0.1:${port} `);
  if (/10\.0\.0\.|bind :80 /.test(cfg)) throw new Error('haproxy.cfg: a marked value was not replaced');
  return cfg;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-cluster-'));
  const logDir = path.join(workDir, 'logs');
  const storageDir = path.join(workDir, 'storage');
  const dataDir = path.join(workDir, 'data');
  for (const dir of [logDir, storageDir, dataDir]) fs.mkdirSync(dir, { recursive: true });
  const parts: Proc[] = [];
  let postgres: Proc | null = null;
  const nodes: Proc[] = [];
  const builders: Proc[] = [];
  let lb: Proc | null = null;
  const onExit = () => parts.forEach((p) => p.killNow());
  process.on('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    // Builders first (they hand back their builds), the database last.
    for (const group of [builders, [lb], nodes, postgres ? [postgres] : []]) await Promise.all(group.filter(Boolean).map((p) => p!.kill('SIGTERM')));
    // Removes the throw-away database too: it lives in workDir.
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  try {
    let databaseUrl = opts.databaseUrl ?? null;
    if (!databaseUrl) {
      const pgDir = path.join(workDir, 'postgres');
      fs.mkdirSync(pgDir, { mode: 0o700 });
      fs.chmodSync(workDir, 0o711); // its owner (postgres or nobody) must reach it
      const made = await throwAwayPostgres(pgDir, logDir);
      postgres = made.part;
      parts.push(postgres);
      await postgres.start();
      databaseUrl = made.url;
    }
    const port = opts.port || (await freePort());
    const url = `http://127.0.0.1:${port}`;
    const builderSecret = randomBytes(24).toString('base64url');
    // Everything listens on loopback only, so local repositories (the demo imports its own clone) are allowed;
    // a short heartbeat makes a lost builder's build move on within seconds.
    const common = {
      DATABASE_URL: databaseUrl, STORAGE_URL: pathToFileURL(storageDir).href, BUILDER_SECRET: builderSecret,
      BUILD_HEARTBEAT_SECONDS: '10', LOG_LEVEL: 'info', ALLOW_LOCAL_REPOSITORIES: 'true',
    };
    const nodePorts: number[] = [];
    for (let i = 0; i < (opts.nodes ?? 2); i++) {
      const nodePort = await freePort();
      nodePorts.push(nodePort);
      nodes.push(new Proc(`node${i + 1}`, nodePort, logDir, {
        cmd: process.execPath,
        args: [BIN, 'serve', '--builder-concurrency', '0', '--host', '127.0.0.1', '--port', String(nodePort), '--data-dir', dataDir],
        // The balancer connects from loopback: only it may name the client and the host (TRUST_PROXY has no default).
        env: { ...common, PUBLIC_URL: `http://localhost:${port}`, TRUST_PROXY: '127.0.0.1', ...opts.env },
        cwd: opts.cwd ?? workDir,
      }, answers(`http://127.0.0.1:${nodePort}/_/health_check/`)));
    }
    parts.push(...nodes);
    // Together, as in production after a power cut: migrations and the first-start bootstrap take turns.
    await Promise.all(nodes.map((n) => n.start()));

    const lbDir = path.join(workDir, 'lb');
    fs.mkdirSync(lbDir);
    const spec: Spec = opts.lb === 'haproxy'
      ? { cmd: process.env.HAPROXY_BIN ?? 'haproxy', args: ['-db', '-f', path.join(lbDir, 'haproxy.cfg')] }
      : { cmd: process.env.NGINX_BIN ?? '/usr/sbin/nginx', args: ['-c', path.join(lbDir, 'nginx.conf'), '-p', lbDir, '-e', path.join(logDir, 'lb-error.log')] };
    if (opts.lb === 'haproxy') fs.writeFileSync(path.join(lbDir, 'haproxy.cfg'), haproxyConf(port, nodePorts));
    else fs.writeFileSync(path.join(lbDir, 'nginx.conf'), nginxConf(lbDir, port, nodePorts, logDir));
    lb = new Proc('lb', port, logDir, spec, answers(`${url}/_/health_check/`));
    parts.push(lb);
    await lb.start();

    for (let i = 0; i < (opts.builders ?? 2); i++) {
      builders.push(new Proc(`builder${i + 1}`, null, logDir, {
        cmd: process.execPath,
        args: [BIN, 'builder'],
        // No database for builders: the web tier, through the load balancer, and the storage.
        env: { ...common, DATABASE_URL: '', BUILDER_API_URL: url, ...opts.env },
        cwd: workDir,
      }, async () => {}));
    }
    parts.push(...builders);
    await Promise.all(builders.map((b) => b.start()));

    const tokenFile = path.join(dataDir, 'admin-token');
    const adminToken = fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, 'utf8').trim() : null;
    return { url, port, databaseUrl, workDir, storageDir, builderSecret, adminToken, postgres, lb, nodes, builders, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

const USAGE = `usage: bindery cluster [--port N] [--nodes N] [--builders N] [--lb nginx|haproxy] [--database-url URL]

Starts on this machine, for a demo or a fault drill: PostgreSQL (DATABASE_URL, else a
throw-away server made with initdb), N nodes (\`bindery serve --builder-concurrency 0\`),
a load balancer on --port (default 8000) with deploy/'s configuration, and M builders that
reach the web tier through it. Ctrl-C stops everything it started.
`;

export async function runCluster(argv: string[]): Promise<number> {
  const opts: ClusterOptions = { databaseUrl: process.env.DATABASE_URL || null, port: 8000, cwd: process.cwd() };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const number = () => {
      if (!value || !/^\d{1,5}$/.test(value)) throw new Error(`${flag} needs a number`);
      i++;
      return Number(value);
    };
    if (flag === '--port') opts.port = number();
    else if (flag === '--nodes') opts.nodes = Math.max(1, number());
    else if (flag === '--builders') opts.builders = number();
    else if (flag === '--lb' && (value === 'nginx' || value === 'haproxy')) {
      opts.lb = value;
      i++;
    } else if (flag === '--database-url' && value) {
      opts.databaseUrl = value;
      i++;
    } else {
      process.stdout.write(USAGE);
      return flag === '--help' || flag === '-h' ? 0 : 2;
    }
  }
  process.stdout.write('starting the cluster…\n');
  const cluster = await startCluster(opts);
  const row = (name: string, text: string) => `  ${name.padEnd(16)}${text}\n`;
  process.stdout.write(
    `\n  Bindery cluster is running (Ctrl-C stops it):\n\n` +
      row('load balancer', `http://localhost:${cluster.port}/  (${opts.lb ?? 'nginx'})`) +
      cluster.nodes.map((n) => row(n.name, `http://127.0.0.1:${n.port}/  pid ${n.pid}`)).join('') +
      cluster.builders.map((b) => row(b.name, `pid ${b.pid}, via the load balancer`)).join('') +
      row('PostgreSQL', `${cluster.databaseUrl}${cluster.postgres ? `  pid ${cluster.postgres.pid} (throw-away)` : ''}`) +
      row('storage', cluster.storageDir) +
      row('logs', `${path.join(cluster.workDir, 'logs')}  (removed with everything else on Ctrl-C)`) +
      row('admin token', cluster.adminToken ?? '(the database had users already: use one of their tokens)') +
      `\n  Docs: http://<project>.docs.localhost:${cluster.port}/  API: curl -H 'Authorization: Token …' http://localhost:${cluster.port}/api/v3/projects/\n\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the cluster…\n`);
    void cluster.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return -1;
}

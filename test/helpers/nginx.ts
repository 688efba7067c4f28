// startNginx(): the real nginx, as a child process in the foreground, with a generated
// nginx.conf around deploy/nginx/bindery-node.conf (its marked values replaced: loopback
// port, docs server, storage folder) and every path of its own under a temporary prefix.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const NODE_CONF = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../deploy/nginx/bindery-node.conf');

export interface NginxOptions {
  /** Port of the docs server nginx forwards to. */
  docsPort: number;
  /** The storage folder the internal location is aliased to. */
  storageRoot: string;
  workers?: number;
  /** A whole server block instead of bindery-node.conf (the benchmark's static baseline). */
  serverBlock?: (port: number) => string;
}

export interface RunningNginx {
  port: number;
  prefix: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** bindery-node.conf with its three marked values set. */
export function renderNodeConf(port: number, docsPort: number, storageRoot: string): string {
  const conf = fs.readFileSync(NODE_CONF, 'utf8');
  const out = conf
    .replace(/server 127\.0\.0\.1:8000;/, `server 127.0.0.1:${docsPort};`)
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(/alias \/var\/lib\/bindery\/storage\/;/, `alias ${storageRoot.replace(/\/+$/, '')}/;`);
  const directives = out.split('\n').map((l) => l.replace(/#.*/, '')).join('\n');
  if (/:8000;|listen 80;|\/var\/lib\/bindery/.test(directives)) throw new Error('bindery-node.conf: a marked value was not replaced');
  return out;
}

const connectable = (port: number) => new Promise<boolean>((resolve) => {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', () => {
    socket.destroy();
    resolve(true);
  });
  socket.once('error', () => resolve(false));
});

export async function startNginx(opts: NginxOptions): Promise<RunningNginx> {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-nginx-'));
  const port = await freePort();
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${prefix}/${t};`).join('\n');
  const conf = [
    'daemon off;',
    'master_process on;',
    `worker_processes ${opts.workers ?? 1};`,
    // As root, workers would switch to an unprivileged user that cannot read the test's private temporary folders.
    ...(process.getuid?.() === 0 ? ['user root;'] : []),
    `pid ${prefix}/nginx.pid;`,
    `error_log ${prefix}/error.log warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '  include /etc/nginx/mime.types;',
    '  default_type application/octet-stream;',
    '  access_log off;',
    '  keepalive_requests 100000;',
    temp,
    opts.serverBlock ? opts.serverBlock(port) : renderNodeConf(port, opts.docsPort, opts.storageRoot),
    '}',
    '',
  ].join('\n');
  const file = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(file, conf);
  const child: ChildProcess = spawn(NGINX, ['-c', file, '-p', prefix, '-e', path.join(prefix, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', (err) => (stderr += String(err)));
  const errorLog = () => (fs.existsSync(path.join(prefix, 'error.log')) ? fs.readFileSync(path.join(prefix, 'error.log'), 'utf8') : '');
  const deadline = Date.now() + 10_000;
  while (!(await connectable(port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start: ${stderr}${errorLog()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    prefix,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}

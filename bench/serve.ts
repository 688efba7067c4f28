// Serving benchmark: one real ~40 KB page from nginx alone, the docs server alone, and nginx
// + docs server (X-Accel-Redirect), with wrk on 127.0.0.1; then resolution time with 10,000
// projects and 100,000 versions. Writes its section of bench/RESULTS.md; about a minute.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import { artifactPrefix } from '../src/core/build-state.ts';
import { finishBuild } from '../src/db/builds.ts';
import { migrateDatabase, openDatabase } from '../src/db/database.ts';
import { builds, projects, versions } from '../src/db/schema.ts';
import { precompressDirectory } from '../src/builder/steps/precompress.ts';
import { FilesystemStorage } from '../src/storage/filesystem.ts';
import { freePort, NGINX, startNginx, type RunningNginx } from '../test/helpers/nginx.ts';
import { measureResolution, PROJECTS, seed, VERSIONS_PER_PROJECT, type ResolutionResult } from './resolution.ts';
import { machine, writeSection } from './results.ts';
import { wrk, type WrkResult } from './wrk.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = [50, 200];
const HOST = 'bench.docs.localhost';
const URL_PATH = '/en/latest/';

/** A real documentation page: a long reference in Markdown, rendered with a plain layout. */
function realPage(): string {
  const source = fs.readFileSync(path.join(HERE, '../node_modules/fastify/docs/Reference/Reply.md'), 'utf8');
  const body = new MarkdownIt({ html: false, linkify: true }).render(source);
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Reply — Fastify</title>` +
    `<link rel="stylesheet" href="_static/theme.css"></head>\n<body><main>\n${body}</main></body></html>\n`;
}

async function prepare(work: string, page: string) {
  const out = path.join(work, 'out');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'index.html'), page);
  await precompressDirectory(out);
  // nginx's baseline serves the same bytes from a plain folder at the same URL.
  const staticRoot = path.join(work, 'static');
  fs.mkdirSync(path.join(staticRoot, 'en/latest'), { recursive: true });
  for (const name of fs.readdirSync(out)) fs.copyFileSync(path.join(out, name), path.join(staticRoot, 'en/latest', name));

  const storageRoot = path.join(work, 'storage');
  const dataDir = path.join(work, 'db');
  const database = await openDatabase({ url: null, dataDir });
  await migrateDatabase(database);
  const db = database.db;
  const [project] = await db.insert(projects).values({ slug: 'bench', name: 'Bench', repoUrl: 'https://example.com/bench.git' }).returning();
  const [version] = await db.insert(versions).values({ projectId: project!.id, slug: 'latest', verboseName: 'latest', type: 'branch', identifier: 'main', active: true }).returning();
  const [build] = await db.insert(builds).values({ projectId: project!.id, versionId: version!.id, trigger: 'api', state: 'uploading' }).returning();
  await new FilesystemStorage(storageRoot).putDirectory(out, artifactPrefix('bench', 'latest', build!.id));
  await finishBuild(db, build!.id, { success: true });
  await database.close();
  return { staticRoot, storageRoot, dataDir };
}

async function startDocs(env: Record<string, string>): Promise<{ port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(HERE, 'docs-server.ts')], { env: { ...process.env, ...env, BENCH_PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('docs server did not start in 20 s')), 20_000);
    child.stdout!.on('data', (c: Buffer) => {
      if (c.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`docs server exited with ${code}`)));
  });
  return {
    port,
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

interface Row extends WrkResult {
  target: string;
  connections: number;
}

async function load(target: string, port: number): Promise<Row[]> {
  const url = `http://127.0.0.1:${port}${URL_PATH}`;
  // Browsers ask for compression; every target has the same .gz to send.
  const headers = { Host: HOST, 'Accept-Encoding': 'gzip' };
  await wrk(url, { connections: 50, seconds: 1, headers });
  const rows: Row[] = [];
  for (const connections of CONNECTIONS) rows.push({ target, connections, ...(await wrk(url, { connections, seconds: SECONDS, headers })) });
  return rows;
}

/** The versions of the programs measured: nginx -v prints to stderr, wrk --version exits 1. */
function tools(): string {
  const version = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return (`${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] ?? '').split(' [')[0] || `${cmd}: unknown version`;
  };
  return `${version(NGINX, ['-v'])}; ${version('wrk', ['--version'])}`;
}

function report(rows: Row[], resolution: ResolutionResult, pageBytes: number, gzBytes: number, loadAverage: number): string {
  const baseline = new Map(rows.filter((r) => r.target.startsWith('nginx alone')).map((r) => [r.connections, r.requestsPerSec]));
  const table = rows.map((r) => `| ${r.target} | ${r.connections} | ${Math.round(r.requestsPerSec).toLocaleString('en-US')} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${(r.requestsPerSec / baseline.get(r.connections)!).toFixed(2)} | ${r.errors} |`);
  return [
    '## Serving (`node bench/serve.ts`)',
    '',
    `Machine: ${machine()}; ${tools()}. Run on ${new Date().toISOString().slice(0, 10)}, load average ${loadAverage.toFixed(1)} at the start (other work shares these 2 cores): compare ratios, not absolutes.`,
    '',
    '### One page, three ways',
    '',
    `The page: Fastify's \`Reply.md\` rendered by markdown-it (${pageBytes.toLocaleString('en-US')} bytes; ${gzBytes.toLocaleString('en-US')} bytes as the pre-compressed \`.gz\` every target sends, since wrk asks with \`Accept-Encoding: gzip\`), at \`${URL_PATH}\` on host \`${HOST}\`.`,
    '',
    '- **nginx alone**: `root` on a folder holding the page; sendfile, open_file_cache, gzip_static; 1 worker process.',
    '- **bindery docs**: the docs server as `bindery docs` runs it (one Node process, embedded PGlite, filesystem storage, LOG_LEVEL=warn); it resolves the URL and sends the file itself, from its in-memory cache of small build files.',
    '- **nginx + bindery (X-Accel-Redirect)**: `deploy/nginx/bindery-node.conf` (1 worker) in front of the same docs server started with `accelRedirect: /_internal/`; Bindery resolves, nginx sends the file.',
    '',
    `wrk: 2 threads, ${SECONDS} s per run after a 1 s warm-up, on 127.0.0.1; wrk shares the machine's cores with the servers.`,
    '',
    '| target | connections | req/s | p50 ms | p99 ms | ratio to nginx | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...table,
    '',
    `### Resolution with ${PROJECTS.toLocaleString('en-US')} projects and ${(PROJECTS * VERSIONS_PER_PROJECT).toLocaleString('en-US')} versions`,
    '',
    `Host → project (+ translations) → version → live build, as one request does it, on PGlite in memory (seeded in ${resolution.seedSeconds.toFixed(1)} s).`,
    '',
    '| path | samples | p50 µs | p99 µs | mean µs |',
    '|---|---:|---:|---:|---:|',
    `| database (cache off: 3 indexed queries) | ${resolution.uncached.samples} | ${resolution.uncached.p50Us} | ${resolution.uncached.p99Us} | ${resolution.uncached.meanUs} |`,
    `| in-memory cache (2,000 hot versions) | ${resolution.cached.samples} | ${resolution.cached.p50Us} | ${resolution.cached.p99Us} | ${resolution.cached.meanUs} |`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAverage = os.loadavg()[0]!;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-bench-'));
  const running: Array<{ stop: () => Promise<void> }> = [];
  try {
    const page = realPage();
    const { staticRoot, storageRoot, dataDir } = await prepare(work, page);
    const gzBytes = fs.statSync(path.join(staticRoot, 'en/latest/index.html.gz')).size;
    const rows: Row[] = [];

    const baseline: RunningNginx = await startNginx({
      docsPort: 0, storageRoot: '', serverBlock: (port) => `server {
        listen 127.0.0.1:${port};
        root ${staticRoot};
        location / { sendfile on; tcp_nopush on; open_file_cache max=1000 inactive=60s; gzip_static on; gzip_vary on; etag on; }
      }`,
    });
    running.push(baseline);
    rows.push(...(await load('nginx alone', baseline.port)));
    await baseline.stop();
    running.pop();

    const docs = await startDocs({ BENCH_DATA_DIR: dataDir, BENCH_STORAGE: storageRoot });
    running.push(docs);
    rows.push(...(await load('bindery docs', docs.port)));
    await docs.stop();
    running.pop();

    const accel = await startDocs({ BENCH_DATA_DIR: dataDir, BENCH_STORAGE: storageRoot, BENCH_ACCEL: '/_internal/' });
    running.push(accel);
    const front = await startNginx({ docsPort: accel.port, storageRoot });
    running.push(front);
    rows.push(...(await load('nginx + bindery (X-Accel-Redirect)', front.port)));
    await front.stop();
    await accel.stop();
    running.length = 0;

    const database = await openDatabase({ url: null });
    await migrateDatabase(database);
    const resolution = await measureResolution(database.db, await seed(database.db));
    await database.close();

    const text = report(rows, resolution, Buffer.byteLength(page), gzBytes, loadAverage);
    writeSection('serve', text);
    process.stdout.write(`${text}\n(${Math.round((Date.now() - started) / 1000)} s)\n`);
  } finally {
    for (const r of running.reverse()) await r.stop().catch(() => {});
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();

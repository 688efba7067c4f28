// What every fault test needs around `startCluster()`: the API as the admin, a project
// whose build writes a marker naming the build into its pages, waiting for builds, docs
// requests to one node or through the load balancer, and the figures each test reports.
import http from 'node:http';
import { machine, writeSection } from '../../bench/results.ts';
import { startCluster, type Cluster, type ClusterOptions } from '../../src/cli/cluster.ts';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';

export interface Build {
  id: number;
  state: { code: string };
  success: boolean | null;
  builder: string;
  error: string;
  log?: Array<{ seq: number; line: string }>;
}

export async function cluster(opts: ClusterOptions = {}): Promise<Cluster> {
  // A throw-away PostgreSQL always (tests stop it), whatever DATABASE_URL the environment has.
  return startCluster({ databaseUrl: null, ...opts, env: { LOG_LEVEL: 'warn', ...opts.env } });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The API as the admin; `base` picks one node instead of the load balancer. */
export async function api<T = unknown>(c: Cluster, path: string, init: { method?: string; body?: unknown; base?: string } = {}): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(`${init.base ?? c.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Token ${c.adminToken}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): keep the text.
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/**
 * A repository whose build writes `pages` HTML pages, each opening and closing with the same
 * marker unique to the build (so a torn or mixed page shows), after `before` shell commands.
 */
export function markerRepo(opts: { pages?: string[]; before?: string[]; padding?: number } = {}): GitRepo {
  const pages = (opts.pages ?? ['index']).join(' ');
  const pad = opts.padding ?? 0;
  const commands = [
    ...(opts.before ?? []),
    `m="$(date +%s%N)-$$"; echo "marker $m"; mkdir -p $READTHEDOCS_OUTPUT/html; for p in ${pages}; do { echo "<!-- marker:$m -->"; head -c ${pad} /dev/zero | tr '\\0' x; echo; echo "<p>$p</p><!-- marker:$m -->"; } > $READTHEDOCS_OUTPUT/html/$p.html; done`,
  ];
  const yaml = `version: 2\nbuild:\n  os: ubuntu-24.04\n  commands:\n${commands.map((c) => `    - ${JSON.stringify(c)}`).join('\n')}\n`;
  return makeGitRepo({ files: { '.readthedocs.yaml': yaml } });
}

/** The markers a page carries: one distinct value for a whole page from one build. */
export function markersOf(body: string): string[] {
  return [...new Set([...body.matchAll(/<!-- marker:([\w-]+) -->/g)].map((m) => m[1]!))];
}

/** Imports a repository; resolves with its first build once that finished. */
export async function importProject(c: Cluster, slug: string, repo: GitRepo): Promise<Build> {
  const created = await api(c, '/api/v3/projects/', { method: 'POST', body: { name: slug, slug, repository: { url: repo.url } } });
  if (created.status !== 201) throw new Error(`import: ${created.status} ${JSON.stringify(created.body)}`);
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
    const list = await api<{ results: Build[] }>(c, `/api/v3/projects/${slug}/builds/`);
    if (list.body.results?.[0]) return waitBuild(c, slug, list.body.results[0].id);
  }
  throw new Error('no build was queued by the import');
}

export async function trigger(c: Cluster, slug: string): Promise<number> {
  const res = await api<{ build: Build }>(c, `/api/v3/projects/${slug}/versions/latest/builds/`, { method: 'POST' });
  if (res.status !== 202) throw new Error(`trigger: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.build.id;
}

/** Resolves with the build once it ended (any way), with its log. */
export async function waitBuild(c: Cluster, slug: string, id: number, timeoutMs = 60_000): Promise<Build> {
  let build: Build | undefined;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    const res = await api<Build>(c, `/api/v3/projects/${slug}/builds/${id}/`).catch(() => null);
    build = res?.status === 200 ? res.body : build;
    if (build && ['finished', 'cancelled'].includes(build.state.code)) return build;
  }
  throw new Error(`build ${id} did not end: ${JSON.stringify(build?.state)}`);
}

export const markerOfBuild = (b: Build) => b.log?.map((l) => /^marker ([\w-]+)$/.exec(l.line)?.[1]).find(Boolean) ?? null;

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** GET a docs page of `slug` on `port` (a node or the load balancer). */
export function docs(port: number, slug: string, path: string, timeoutMs = 10_000): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent, headers: { host: `${slug}.docs.localhost:${port}` }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Prints a test's figures, and keeps them in bench/RESULTS.md when BINDERY_WRITE_RESULTS is set. */
export function report(name: string, title: string, rows: Record<string, string | number>): void {
  const table = ['| figure | value |', '|---|---:|', ...Object.entries(rows).map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  process.stdout.write(`\n${title}\n${table}\n`);
  const about = `Machine: ${machine()}. From \`npm run test:cluster\` (test/cluster/${name.replace(/-(nginx|haproxy)$/, '')}.test.ts), on 127.0.0.1: a throw-away PostgreSQL, \`bindery serve --builder-concurrency 0\` nodes, \`bindery builder\`s, everything sharing the machine's cores.`;
  if (process.env.BINDERY_WRITE_RESULTS) writeSection(`cluster-${name}`, `## Fault: ${title}\n\n${about}\n\n${table}`);
}

/**
 * Flips a version between two builds through node `a` (a rollback is a deploy of an earlier
 * build) and measures how long node `b`, whose cache holds the live build, takes to serve
 * the flip. Returns the lag of each round in ms (Infinity: not within 2.5 s).
 */
export async function flipLags(c: Cluster, slug: string, builds: [Build, Build], a: number, b: number, rounds: number): Promise<number[]> {
  const marker = new Map(builds.map((x) => [x.id, markerOfBuild(x)]));
  const live = markersOf((await docs(b, slug, '/en/latest/')).body)[0];
  let target = [...marker].find(([, m]) => m === live)?.[0];
  if (target === undefined) throw new Error(`node ${b} serves neither build (${live})`);
  const lags: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await docs(b, slug, '/en/latest/'); // B's cache holds the live build now
    target = target === builds[0].id ? builds[1].id : builds[0].id;
    const flipped = await api(c, `/api/v3/projects/${slug}/versions/latest/rollback/`, { method: 'POST', body: { build: target }, base: `http://127.0.0.1:${a}` });
    if (flipped.status !== 200) throw new Error(`rollback: ${flipped.status} ${JSON.stringify(flipped.body)}`);
    const at = Date.now();
    let lag = Infinity;
    while (Date.now() - at < 2500) {
      if (markersOf((await docs(b, slug, '/en/latest/')).body)[0] === marker.get(target)) {
        lag = Date.now() - at;
        break;
      }
      await sleep(5);
    }
    lags.push(lag);
    await sleep(300);
  }
  return lags;
}

// The `bindery` client commands as a person runs them: subprocesses against a real
// `bindery serve` — login, projects, builds followed live over SSE, cancel — and the
// errors met on the way (bad token, unknown project, server down, bad arguments).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { readEvents, SseParser } from '../../src/cli/client/sse.ts';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { BIN, freePort, killAll, startBindery } from '../helpers/processes.ts';
import { testDatabase, type TestDatabase } from '../helpers/test-db.ts';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-cli-'));
// Not created in advance: login must create it, 0700.
const configDir = path.join(work, 'config', 'bindery');
const credentials = path.join(configDir, 'credentials.json');
const repos: GitRepo[] = [];
const clients = new Set<ReturnType<typeof spawn>>();
let database: TestDatabase | null = null;
let server = '';
let token = '';

before(async () => {
  const port = await freePort();
  let databaseUrl = '';
  if (process.env.DATABASE_URL) {
    database = await testDatabase();
    databaseUrl = database.url!;
  }
  const env = { BUILDER_CONCURRENCY: '1', ALLOW_LOCAL_REPOSITORIES: 'true', DATABASE_URL: databaseUrl, STORAGE_URL: `file://${path.join(work, 'storage')}`, LOG_LEVEL: 'warn' };
  const proc = startBindery(['serve', '--port', String(port), '--data-dir', path.join(work, 'data')], env, work);
  await proc.waitFor(/Bindery is running/, 60_000);
  server = `http://127.0.0.1:${port}`;
  token = fs.readFileSync(path.join(work, 'data', 'admin-token'), 'utf8').trim();
});

after(async () => {
  for (const child of clients) child.kill('SIGKILL');
  killAll();
  await database?.drop();
  for (const repo of repos) repo.remove();
  fs.rmSync(work, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `bindery <args>` with only our config folder (no BINDERY_URL/TOKEN of the machine running the tests). */
function startCli(args: string[], env: Record<string, string | undefined> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: work,
    env: { ...process.env, BINDERY_URL: undefined, BINDERY_TOKEN: undefined, BINDERY_CONFIG_DIR: configDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  clients.add(child);
  const run: Run = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', (c: Buffer) => (run.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (run.stderr += c.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ ...run, code })));
  return { run, done };
}

const cli = (args: string[], env: Record<string, string | undefined> = {}) => startCli(args, env).done;

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check(); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

function repoWith(files: Record<string, string>): string {
  const repo = makeGitRepo({ files });
  repos.push(repo);
  return repo.url;
}

const rtdCommands = (...commands: string[]) => ({ '.readthedocs.yaml': `version: 2\nbuild:\n  os: ubuntu-24.04\n  commands:\n${commands.map((c) => `    - ${c}\n`).join('')}` });

test('the SSE parser: fields, comments, CRLF split across chunks, ids, retry; an unfinished event is dropped', async () => {
  const parser = new SseParser();
  const chunks = [': a comment\r\nid: 7\r\nevent: log\r', '\ndata: {"a":', '1}\r\n\r\n', 'data:one\ndata:  two\n\n', 'event: state\rdata\rid: x\0y\rretry: 1500\r\r', 'data: unfinished'];
  assert.deepEqual(chunks.flatMap((c) => parser.push(c)), [
    { type: 'log', data: '{"a":1}', lastEventId: '7' },
    { type: 'message', data: 'one\n two', lastEventId: '7' },
    { type: 'state', data: '', lastEventId: '7' },
  ]);
  assert.equal(parser.lastEventId, '7');
  assert.equal(parser.retryMs, 1500);
  // Bytes: a BOM, and a UTF-8 character split between two chunks.
  const bytes = new TextEncoder().encode('\uFEFFdata: é\n\n');
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(bytes.slice(0, 10));
      c.enqueue(bytes.slice(10));
      c.close();
    },
  });
  const events = [];
  for await (const e of readEvents(body)) events.push(e.data);
  assert.deepEqual(events, ['é']);
});

test('login refuses a bad token, and stores a good one readable only by its owner', async () => {
  const bad = await cli(['login', '--url', server, '--token', 'bdy_not-a-token']);
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /the server refused the token: Invalid token/);
  assert.equal(fs.existsSync(credentials), false, 'nothing stored');

  const good = await cli(['login', '--url', `${server}/`, '--token', token]);
  assert.equal(good.code, 0, good.stderr);
  assert.equal(fs.statSync(credentials).mode & 0o777, 0o600);
  assert.equal(fs.statSync(configDir).mode & 0o777, 0o700);
  assert.deepEqual(JSON.parse(fs.readFileSync(credentials, 'utf8')), { url: server, token });
});

test('project create, then projects and versions as tables and as JSON', async () => {
  const created = await cli(['project', 'create', 'CLI Docs', repoWith({ 'docs/index.md': '# Hello from the CLI\n' })]);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout, 'cli-docs\n');

  const table = await cli(['projects']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^SLUG\s+NAME\s+REPOSITORY/);
  assert.match(table.stdout, /^cli-docs\s+CLI Docs\s+file:\/\//m);
  const json = await cli(['projects', '--json']);
  assert.deepEqual((JSON.parse(json.stdout) as { results: Array<{ slug: string }> }).results.map((p) => p.slug), ['cli-docs']);

  const versions = await cli(['versions', 'cli-docs']);
  assert.equal(versions.code, 0, versions.stderr);
  assert.match(versions.stdout, /^latest\s+branch\s+yes\s/m);
  assert.match(versions.stdout, /^main\s+branch\s/m);
});

test('build --wait prints the live log, every line once and in order, and exits 0 when the build finished', async () => {
  const run = await cli(['build', 'cli-docs', '--wait']);
  assert.equal(run.code, 0, run.stderr);
  const id = /Build #(\d+) of cli-docs\/latest triggered/.exec(run.stderr)?.[1];
  assert.ok(id, run.stderr);
  assert.match(run.stderr, new RegExp(`Build #${id} finished in .*: http://cli-docs\\.docs\\.localhost:\\d+/en/latest/`));
  const res = await fetch(`${server}/api/v3/projects/cli-docs/builds/${id}/`, { headers: { authorization: `Token ${token}` } });
  const stored = (await res.json()) as { log: Array<{ line: string }> };
  assert.ok(stored.log.some((l) => l.line === 'built index.md -> index.html'), 'the build ran the builtin builder');
  assert.deepEqual(run.stdout.trimEnd().split('\n'), stored.log.map((l) => l.line));
});

/** A real proxy to the server that ends the first log stream cleanly right after the line "one", as an idle-timeout proxy would. */
async function cuttingProxy(target: string) {
  const streams: string[] = [];
  let cut = false;
  const proxy = http.createServer((req, res) => {
    const isStream = req.url!.includes('/log/stream/');
    if (isStream) streams.push(String(req.headers['last-event-id'] ?? ''));
    const upstream = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode!, up.headers);
      up.on('data', (chunk: Buffer) => {
        res.write(chunk);
        if (isStream && !cut && chunk.toString().includes('"line":"one"')) {
          cut = true;
          up.destroy();
          res.end();
        }
      });
      up.on('end', () => res.end());
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`, streams, close: () => proxy.close() };
}

test('build --wait resumes a dropped log stream with Last-Event-ID: no line lost or repeated', async () => {
  const html = 'mkdir -p $READTHEDOCS_OUTPUT/html && echo ok > $READTHEDOCS_OUTPUT/html/index.html';
  assert.equal((await cli(['project', 'create', 'Resumed', repoWith(rtdCommands('echo one', 'sleep 1', 'echo two', html))])).code, 0);
  const proxy = await cuttingProxy(server);
  try {
    const run = await cli(['build', 'resumed', '--wait'], { BINDERY_URL: proxy.url, BINDERY_TOKEN: token });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /ended before the build did; reconnecting/);
    const id = /Build #(\d+)/.exec(run.stderr)![1];
    const stored = (await (await fetch(`${server}/api/v3/projects/resumed/builds/${id}/`, { headers: { authorization: `Token ${token}` } })).json()) as { log: Array<{ seq: number; line: string }> };
    assert.deepEqual(proxy.streams, ['', String(stored.log.find((l) => l.line === 'one')!.seq)], 'reopened after the last line received');
    assert.deepEqual(run.stdout.trimEnd().split('\n'), stored.log.map((l) => l.line));
    assert.ok(stored.log.some((l) => l.line === 'two'));
  } finally {
    proxy.close();
  }
});

test('a failing build: build --wait exits 1 and prints the error', async () => {
  const created = await cli(['project', 'create', 'Failing', repoWith(rtdCommands('exit 3'))]);
  assert.equal(created.code, 0, created.stderr);
  const run = await cli(['build', 'failing', 'latest', '--wait']);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /using the configuration in \.readthedocs\.yaml/);
  assert.match(run.stderr, /Build #\d+ failed: .*exit code 3/);
});

test('builds and cancel: a long build is listed, cancelled, and build --wait on it exits 1', async () => {
  const created = await cli(['project', 'create', 'Sleepy', repoWith(rtdCommands('echo started', 'sleep 60'))]);
  assert.equal(created.code, 0, created.stderr);
  const waiting = startCli(['build', 'sleepy', '--wait']);
  await until('the long command to start', () => waiting.run.stdout.includes('started\n'));
  const id = /Build #(\d+) of sleepy/.exec(waiting.run.stderr)![1]!;

  const listed = await cli(['builds', 'sleepy']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, new RegExp(`^${id}\\s+latest\\s+building\\s`, 'm'));

  const cancel = await cli(['cancel', 'sleepy', id]);
  assert.equal(cancel.code, 0, cancel.stderr);
  assert.match(cancel.stderr, new RegExp(`Build #${id}: cancel requested`));
  const ended = await waiting.done;
  assert.equal(ended.code, 1, ended.stderr);
  assert.match(ended.stderr, new RegExp(`Build #${id} was cancelled`));

  const json = JSON.parse((await cli(['builds', 'sleepy', '--json'])).stdout) as { results: Array<{ id: number; state: { code: string } }> };
  assert.equal(json.results.find((b) => b.id === Number(id))?.state.code, 'cancelled');
  const again = await cli(['cancel', 'sleepy', id]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already cancelled/);
});

test('errors: unknown project, refused token, server down, malformed arguments', async () => {
  const unknown = await cli(['versions', 'no-such-project']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^bindery: Not found\. \(GET .*\/projects\/no-such-project\/versions\//);

  // BINDERY_TOKEN overrides the stored (good) token.
  const refused = await cli(['projects'], { BINDERY_TOKEN: 'bdy_revoked' });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /the server refused the token: Invalid token\. \(token from BINDERY_TOKEN\)/);

  const down = `http://127.0.0.1:${await freePort()}`;
  const elsewhere = await cli(['projects'], { BINDERY_URL: down });
  assert.equal(elsewhere.code, 1);
  assert.match(elsewhere.stderr, /no token for http:\/\/127\.0\.0\.1:\d+ \(the stored one is for/, 'the stored token is not sent to another server');
  const unreachable = await cli(['builds', 'cli-docs'], { BINDERY_URL: down, BINDERY_TOKEN: token });
  assert.equal(unreachable.code, 1);
  assert.equal(unreachable.stderr, `bindery: cannot reach ${down}: connection refused\n`);

  for (const args of [['build'], ['projects', '--bogus'], ['cancel', 'sleepy', 'abc'], ['project', 'frob'], ['versions', 'a', 'b']]) {
    const run = await cli(args);
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, /usage: bindery /);
  }
});

test('the environment alone is enough; logout forgets the stored credentials', async () => {
  const empty = path.join(work, 'no-config');
  const fromEnv = await cli(['projects', '--json'], { BINDERY_CONFIG_DIR: empty, BINDERY_URL: server, BINDERY_TOKEN: token });
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  assert.equal((JSON.parse(fromEnv.stdout) as { count: number }).count, 4);

  const logout = await cli(['logout']);
  assert.equal(logout.code, 0, logout.stderr);
  assert.equal(fs.existsSync(credentials), false);
  const after = await cli(['projects']);
  assert.equal(after.code, 1);
  assert.match(after.stderr, /not logged in/);
});

// A builder killed mid-build (SIGKILL: no goodbye) loses nothing: its lease lapses and
// the other builder runs the build again from the start, to one success.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeGitRepo } from '../helpers/git-repo.ts';
import { get } from '../helpers/http.ts';
import { freePort, killAll, startBindery } from '../helpers/processes.ts';
import { testDatabase, type TestDatabase } from '../helpers/test-db.ts';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-crash-'));
let database: TestDatabase | null = null;
after(async () => {
  killAll();
  await database?.drop();
  fs.rmSync(work, { recursive: true, force: true });
});

test('SIGKILL of the builder running a build: another builder completes it', async () => {
  const port = await freePort();
  const secret = 'crash-test-builder-secret-0123';
  const storage = `file://${path.join(work, 'storage')}`;
  // On PostgreSQL the server gets a fresh database of its own; otherwise PGlite in a folder.
  let databaseUrl = '';
  if (process.env.DATABASE_URL) {
    database = await testDatabase();
    databaseUrl = database.url!;
  }
  const common = { LOG_LEVEL: 'info', BUILDER_SECRET: secret, STORAGE_URL: storage, ALLOW_LOCAL_REPOSITORIES: 'true', DATABASE_URL: databaseUrl };
  const server = startBindery(['serve', '--port', String(port), '--data-dir', path.join(work, 'data')], { ...common, BUILDER_CONCURRENCY: '0', BUILD_HEARTBEAT_SECONDS: '10' }, work);
  await server.waitFor(/Bindery is running/, 60_000);
  const token = fs.readFileSync(path.join(work, 'data', 'admin-token'), 'utf8').trim();
  const builderEnv = { ...common, BUILDER_API_URL: `http://127.0.0.1:${port}` };
  const builders = [startBindery(['builder'], builderEnv, work), startBindery(['builder'], builderEnv, work)];
  await Promise.all(builders.map((b) => b.waitFor(/builder started/)));

  const repo = makeGitRepo({
    files: {
      '.readthedocs.yaml': 'version: 2\nbuild:\n  os: ubuntu-24.04\n  commands:\n    - echo working; sleep 8\n    - mkdir -p $READTHEDOCS_OUTPUT/html && echo "<p>survived</p>" > $READTHEDOCS_OUTPUT/html/index.html\n',
    },
  });
  const api = (p: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${port}${p}`, { ...init, headers: { authorization: `Token ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const created = await api('/api/v3/projects/', { method: 'POST', body: JSON.stringify({ name: 'Crash', repository: { url: repo.url } }) });
  assert.equal(created.status, 201, await created.text());

  // Wait until one builder is inside the build's long command, then kill that builder.
  let build: { id: number; builder: string; state: { code: string }; log?: Array<{ line: string }> } | undefined;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    const list = (await (await api('/api/v3/projects/crash/builds/')).json()) as { results: Array<{ id: number }> };
    if (!list.results[0]) continue;
    build = (await (await api(`/api/v3/projects/crash/builds/${list.results[0].id}/`)).json()) as typeof build;
    if (build?.state.code === 'building' && build.log?.some((l) => l.line === 'working')) break;
  }
  assert.equal(build?.state.code, 'building', 'the build started');
  const victim = builders.find((b) => build!.builder.endsWith(`:${b.child.pid}`));
  assert.ok(victim, `one of our builders (${builders.map((b) => b.child.pid)}) runs it: ${build!.builder}`);
  victim.child.kill('SIGKILL');

  let detail: { state: { code: string }; success: boolean; builder: string; log: Array<{ line: string }>; error: string } | undefined;
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
    detail = (await (await api(`/api/v3/projects/crash/builds/${build!.id}/`)).json()) as typeof detail;
    if (['finished', 'cancelled'].includes(detail!.state.code)) break;
  }
  assert.equal(detail?.state.code, 'finished', `${detail?.error}\n${server.output().slice(-3000)}`);
  assert.equal(detail!.success, true);
  assert.notEqual(detail!.builder, build!.builder, 'the other builder finished it');
  const lines = detail!.log.map((l) => l.line);
  assert.ok(lines.some((l) => /attempt 2: the previous builder stopped responding/.test(l)), 'the log tells about the retry');
  assert.ok(lines.filter((l) => l === 'working').length >= 2, 'the command ran again from the start');

  const page = await get(port, `crash.docs.localhost:${port}`, '/en/latest/');
  assert.match(page.body, /survived/);
  const all = (await (await api('/api/v3/projects/crash/builds/')).json()) as { results: Array<{ success: boolean | null }> };
  assert.equal(all.results.filter((b) => b.success === true).length, 1, 'exactly one live result');
});

// Attacks through what a build leaves in $READTHEDOCS_OUTPUT, and through the trusted steps
// after it: each runs a real build (API → queue → builder → bubblewrap, as root as CI runs)
// and asserts the build fails with its own reason and nothing outside the output was read,
// written or uploaded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeGitRepo, type GitRepo } from '../helpers/git-repo.ts';
import { testApp, type TestApp } from '../helpers/test-app.ts';
import { buildRepository, commandsConfig } from '../helpers/project-build.ts';

let app: TestApp;
const repos: GitRepo[] = [];
let hostDir: string;
const MB = 1024 * 1024;

before(async () => {
  app = await testApp({
    timeoutMs: 60_000,
    limits: { memoryBytes: 512 * MB, maxProcesses: 256, maxOutputBytes: 50 * MB, maxLogBytes: 4 * MB, maxDiskBytes: 100 * MB, maxFiles: 2_000 },
  });
  // A folder of the host a hostile build would like the builder to read from or write into.
  hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-host-target-'));
  fs.chmodSync(hostDir, 0o777);
  fs.writeFileSync(path.join(hostDir, 'host-secret.txt'), 'HOST-SECRET-CONTENT');
});
after(async () => {
  await app.close();
  for (const r of repos) r.remove();
  fs.rmSync(hostDir, { recursive: true, force: true });
});

const build = (name: string, files: Record<string, string>) => buildRepository(app, repos, name, files);
const commands = commandsConfig;
const OUT = '$READTHEDOCS_OUTPUT';

for (const [what, target] of [
  ['the root of the host', '/'],
  ['a host folder', () => hostDir],
  ["another project's storage", () => app.storage.root],
] as const) {
  test(`$READTHEDOCS_OUTPUT/html as a symlink to ${what} fails with output-symlink and uploads nothing`, async () => {
    const to = typeof target === 'function' ? target() : target;
    const { build: b, stored } = await build(`Html Link ${what}`, { '.readthedocs.yaml': commands(`mkdir -p ${OUT} && ln -s ${to} ${OUT}/html`) });
    assert.equal(b.state, 'finished');
    assert.equal(b.success, false);
    assert.equal(b.errorCode, 'output-symlink', b.error ?? '');
    assert.match(b.error ?? '', /\$READTHEDOCS_OUTPUT\/html is a symbolic link/);
    assert.deepEqual(stored, []);
  });
}

test('a format folder swapped for a symlink fails the build, for reads', async () => {
  const { build: b, stored } = await build('Zip Link', {
    '.readthedocs.yaml': commands(`mkdir -p ${OUT}/html && echo ok > ${OUT}/html/index.html && ln -s ${hostDir} ${OUT}/htmlzip`),
  });
  assert.equal(b.errorCode, 'output-symlink', b.error ?? '');
  assert.match(b.error ?? '', /\$READTHEDOCS_OUTPUT\/htmlzip is a symbolic link/);
  assert.deepEqual(stored, []);
});

test('the builtin builder never writes through an html folder a pre_build job swapped for a symlink', async () => {
  const yaml = ['version: 2', 'build:', '  os: ubuntu-24.04', '  tools:', '    python: "3.12"', '  jobs:', '    pre_build:', `      - mkdir -p ${OUT} && ln -s ${hostDir} ${OUT}/html`, ''].join('\n');
  const { build: b } = await build('Builtin Link', { '.readthedocs.yaml': yaml, 'docs/index.md': '# Hello\n' });
  assert.equal(b.errorCode, 'output-symlink', b.error ?? '');
  assert.deepEqual(fs.readdirSync(hostDir).sort(), ['host-secret.txt'], 'nothing was written into the host folder');
});

test('symlinks inside the output (to host files, to the checkout) fail the build, naming them', async () => {
  const { build: b, stored } = await build('Inner Links', {
    '.readthedocs.yaml': commands(`mkdir -p ${OUT}/html/deep && echo ok > ${OUT}/html/index.html && ln -s /etc/passwd ${OUT}/html/passwd.html && ln -s ${hostDir}/host-secret.txt ${OUT}/html/deep/s.txt`),
  });
  assert.equal(b.errorCode, 'output-symlink', b.error ?? '');
  assert.match(b.error ?? '', /html\/deep\/s\.txt/);
  assert.match(b.error ?? '', /html\/passwd\.html/);
  assert.deepEqual(stored, []);
});

test('hard links, FIFOs and sockets in the output fail the build without hanging it', async () => {
  const { build: b, stored } = await build('Special Files', {
    '.readthedocs.yaml': commands(
      `mkdir -p ${OUT}/html && echo ok > ${OUT}/html/index.html && ln ${OUT}/html/index.html ${OUT}/html/twin.html && mkfifo ${OUT}/html/pipe.html && /usr/bin/python3 -c "import socket,os; s=socket.socket(socket.AF_UNIX); s.bind(os.environ['READTHEDOCS_OUTPUT']+'/html/sock')"`,
    ),
  });
  assert.equal(b.errorCode, 'output-special-file', b.error ?? '');
  assert.match(b.error ?? '', /a hard link/);
  assert.match(b.error ?? '', /pipe\.html \(not a regular file\)/);
  assert.deepEqual(stored, []);
});

test('file names storage or a browser cannot represent safely are refused at the boundary', async () => {
  const { build: b, stored } = await build('Bad Names', {
    '.readthedocs.yaml': commands(`mkdir -p ${OUT}/html && echo ok > ${OUT}/html/index.html && touch "${OUT}/html/back\\\\slash.html" "${OUT}/html/$(printf 'new\\nline').html" "${OUT}/html/$(printf '\\xff\\xfe').html"`),
  });
  assert.equal(b.errorCode, 'output-filename', b.error ?? '');
  assert.match(b.error ?? '', /contains a backslash/);
  assert.match(b.error ?? '', /contains a control character/);
  assert.match(b.error ?? '', /is not valid UTF-8/);
  assert.deepEqual(stored, []);
});

test('module shadowing: a zipfile.py in the repository never runs when the builder packs the htmlzip', async () => {
  const marker = path.join(hostDir, 'zipfile-ran');
  const shadow = [
    'import os',
    `open(${JSON.stringify(marker)}, "w").write("ran")`,
    'out = os.environ.get("READTHEDOCS_OUTPUT")',
    'if out:',
    '    os.makedirs(out + "/html", exist_ok=True)',
    '    open(out + "/html/pwned.html", "w").write("pwned")',
    'raise SystemExit(0)',
    '',
  ].join('\n');
  const yaml = ['version: 2', 'build:', '  os: ubuntu-24.04', '  tools:', '    python: "3.12"', 'formats:', '  - htmlzip', ''].join('\n');
  const { build: b, stored, log } = await build('Shadow Zip', {
    '.readthedocs.yaml': yaml, 'zipfile.py': shadow, 'sitecustomize.py': shadow, 'usercustomize.py': shadow, 'docs/index.md': '# Packed\n',
  });
  assert.equal(b.state, 'finished', `${b.error}\n${log}`);
  assert.equal(fs.existsSync(marker), false, 'the repository module ran');
  assert.ok(stored.some((k) => k.endsWith('/htmlzip/shadow-zip.zip')), stored.join(', '));
  assert.ok(!stored.some((k) => k.endsWith('pwned.html')), 'the shadowing module wrote into the output');
});

test('the configuration file as a symlink to a host file is refused, and its content never shown', async () => {
  const repo = makeGitRepo({ files: { 'docs/index.md': '# x\n' } });
  repos.push(repo);
  fs.symlinkSync(path.join(hostDir, 'host-secret.txt'), path.join(repo.dir, '.readthedocs.yaml'));
  repo.git('add', '.readthedocs.yaml');
  repo.git('-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-qm', 'link');
  const res = await app.web.inject({ method: 'POST', url: '/api/v3/projects/', headers: app.auth, payload: { name: 'Config Link', repository: { url: repo.url } } });
  const slug = res.json().slug as string;
  const list = (await app.web.inject({ url: `/api/v3/projects/${slug}/builds/`, headers: app.auth })).json();
  const done = await app.waitForBuild(list.results[0].id, 60_000);
  const detail = (await app.web.inject({ url: `/api/v3/projects/${slug}/builds/${done.id}/`, headers: app.auth })).json();
  assert.equal(done.state, 'finished');
  assert.equal(done.success, false);
  assert.match(done.error ?? '', /must be a regular file/);
  assert.doesNotMatch(JSON.stringify(detail), /HOST-SECRET-CONTENT/);
});

test('a flood of empty files ends the build with its own error, well within the time limit', async () => {
  const started = Date.now();
  const { build: b, stored } = await build('File Flood', {
    '.readthedocs.yaml': commands(`mkdir -p ${OUT}/html && cd ${OUT}/html && seq 1 200000 | xargs touch && echo ok > index.html`),
  });
  assert.equal(b.state, 'finished');
  assert.equal(b.success, false);
  assert.ok(['disk-limit', 'output-too-many-files'].includes(b.errorCode ?? ''), `${b.errorCode}: ${b.error}`);
  assert.ok(Date.now() - started < 60_000, 'the builder was kept busy past the build time limit');
  assert.deepEqual(stored, []);
});

test('writing past the disk quota outside the output (home, checkout) fails with disk-limit and leaves nothing behind', async () => {
  const { build: b } = await build('Disk Filler', {
    '.readthedocs.yaml': commands('head -c 400000000 /dev/zero > $HOME/big && sleep 5', `mkdir -p ${OUT}/html && echo ok > ${OUT}/html/index.html`),
  });
  assert.equal(b.errorCode, 'disk-limit', b.error ?? '');
  const left = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`bindery-build-${b.id}-`) || n.startsWith(`bindery-staged-${b.id}-`));
  assert.deepEqual(left, [], 'the build left its folders behind');
});

test('as root, repository commands run as an unprivileged host user, not uid 0', { skip: process.getuid?.() !== 0 ? 'only meaningful when the builder is root (CI runs as root)' : false }, async () => {
  // Seen from the host while the build runs: the process carrying a unique argument, and its real uid.
  const marker = `${3 + Math.random()}`.slice(0, 9);
  const uids = new Set<string>();
  let watching = true;
  const watch = (async () => {
    while (watching) {
      for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
        try {
          const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          if (cmd.startsWith('sleep\0') && cmd.includes(marker)) uids.add(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!);
        } catch {
          // Gone meanwhile.
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const { build: b } = await build('Who Am I', { '.readthedocs.yaml': commands(`sleep ${marker}`, `mkdir -p ${OUT}/html && echo ok > ${OUT}/html/index.html`) });
  watching = false;
  await watch;
  assert.equal(b.state, 'finished', b.error ?? '');
  assert.ok(uids.size > 0, 'the build process was not seen');
  assert.ok(!uids.has('0'), `a build process ran as root on the host: uids ${[...uids].join(', ')}`);
});

// Tests for the builtin MkDocs-compatible builder, run against real temporary
// folders so walking, symlink handling and file output are exercised for real.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { BuildError, ConfigError } from '../../../src/core/errors.ts';
import { buildBuiltinSite } from '../../../src/builder/builtin/index.ts';
import type { BuiltinBuildResult } from '../../../src/builder/builtin/index.ts';

const cleanups: string[] = [];
afterEach(async () => {
  for (const dir of cleanups.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh temporary folder with `source/` populated from `files` (path → content). */
async function project(files: Record<string, string | Buffer>): Promise<{ root: string; source: string; out: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bindery-builtin-'));
  cleanups.push(root);
  const source = path.join(root, 'source');
  await mkdir(source);
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(source, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return { root, source, out: path.join(root, 'out') };
}

interface Built {
  result: BuiltinBuildResult;
  logs: string[];
  out: string;
  read: (rel: string) => Promise<string>;
}

async function build(files: Record<string, string | Buffer>, configFile?: string): Promise<Built> {
  const p = await project(files);
  return buildAt(p.source, p.out, configFile);
}

async function buildAt(source: string, out: string, configFile?: string): Promise<Built> {
  const logs: string[] = [];
  const result = await buildBuiltinSite({ sourceDir: source, outputDir: out, configFile, log: (line) => logs.push(line) });
  return { result, logs, out, read: (rel) => readFile(path.join(out, rel), 'utf8') };
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix + entry.name;
    if (entry.isDirectory()) found.push(...(await listFiles(path.join(dir, entry.name), `${rel}/`)));
    else found.push(rel);
  }
  return found.sort();
}

function sidebar(html: string): string {
  const match = /<nav class="sidebar"[^>]*>([\s\S]*?)<\/nav>/.exec(html);
  assert.ok(match, 'page has a sidebar');
  return match[1] ?? '';
}

/** Link labels of the sidebar, in document order. */
function navLabels(html: string): string[] {
  return [...sidebar(html).matchAll(/<a [^>]*>([^<]*)<\/a>|<span class="nav-section-title">([^<]*)<\/span>/g)].map(
    (m) => (m[1] !== undefined ? m[1] : `[${m[2]}]`),
  );
}

function currentLink(html: string): string | undefined {
  return /<a [^>]*aria-current="page"[^>]*>([^<]*)<\/a>/.exec(sidebar(html))?.[1];
}

function pager(html: string): { prev?: string; next?: string } {
  const prev = /<a class="pager-prev" rel="prev" href="([^"]*)">[\s\S]*?<span class="pager-title">([^<]*)</.exec(html);
  const next = /<a class="pager-next" rel="next" href="([^"]*)">[\s\S]*?<span class="pager-title">([^<]*)</.exec(html);
  return { prev: prev ? `${prev[2]} @ ${prev[1]}` : undefined, next: next ? `${next[2]} @ ${next[1]}` : undefined };
}

function title(html: string): string | undefined {
  return /<title>([^<]*)<\/title>/.exec(html)?.[1];
}

describe('builtin builder: site structure', () => {
  test('without nav, the sidebar follows the file tree: index first, then alphabetical, folders as sections', async () => {
    const b = await build({
      'docs/index.md': '# Start here\n',
      'docs/beta.md': '# Beta page\n',
      'docs/alpha-one.md': 'No heading here.\n',
      'docs/guide/zed.md': '# Zed\n',
      'docs/guide/index.md': '# Guide intro\n',
      'docs/guide/advanced/deep.md': '# Deep\n',
    });
    const beta = await b.read('beta/index.html');
    assert.deepEqual(navLabels(beta), ['Start here', 'Alpha one', 'Beta page', '[Guide]', 'Guide intro', '[Advanced]', 'Deep', 'Zed']);
    assert.equal(currentLink(beta), 'Beta page');
    assert.deepEqual(pager(beta), { prev: 'Alpha one @ ../alpha-one/', next: 'Guide intro @ ../guide/' });
    const deep = await b.read('guide/advanced/deep/index.html');
    assert.deepEqual(pager(deep), { prev: 'Guide intro @ ../../', next: 'Zed @ ../../zed/' });
    assert.match(sidebar(deep), /<a href="\.\.\/\.\.\/\.\.\/">Start here<\/a>/);
    assert.equal(b.result.pages, 6);
  });

  test('mkdocs nav gives order, section titles, page titles and external links', async () => {
    const b = await build({
      'mkdocs.yml': [
        'site_name: Demo',
        'nav:',
        '  - Home: index.md',
        '  - User guide:',
        '      - install.md',
        '      - Configure it: config.md',
        '  - GitHub: https://github.com/example/demo',
        '',
      ].join('\n'),
      'docs/index.md': '# Welcome\n',
      'docs/install.md': '# Installation\n',
      'docs/config.md': '# Configuration reference\n',
      'docs/extra.md': '# Not in nav\n',
    });
    const config = await b.read('config/index.html');
    assert.deepEqual(navLabels(config), ['Home', '[User guide]', 'Installation', 'Configure it', 'GitHub']);
    assert.equal(currentLink(config), 'Configure it');
    assert.equal(title(config), 'Configure it — Demo');
    assert.match(config, /<li class="nav-section is-active"><span class="nav-section-title">User guide<\/span>/);
    assert.match(sidebar(config), /<a class="external" href="https:\/\/github\.com\/example\/demo" rel="noopener">GitHub<\/a>/);
    assert.deepEqual(pager(config), { prev: 'Installation @ ../install/', next: undefined });
    const install = await b.read('install/index.html');
    assert.deepEqual(pager(install), { prev: 'Home @ ../', next: 'Configure it @ ../config/' });
    // Pages left out of the nav are still built, without previous/next links.
    const extra = await b.read('extra/index.html');
    assert.deepEqual(pager(extra), { prev: undefined, next: undefined });
    assert.ok(b.logs.some((line) => line.includes('not listed in nav: extra.md')));
  });

  test('use_directory_urls (default true) puts foo.md at foo/index.html', async () => {
    const b = await build({
      'docs/index.md': '# Home\n',
      'docs/foo.md': '# Foo\n',
      'docs/sub/bar.md': '# Bar\n',
    });
    assert.deepEqual(await listFiles(b.out), ['_static/bindery.css', 'foo/index.html', 'index.html', 'sub/bar/index.html']);
    const bar = await b.read('sub/bar/index.html');
    assert.match(bar, /<link rel="stylesheet" href="\.\.\/\.\.\/_static\/bindery\.css">/);
    assert.deepEqual(
      b.result.pageList.map((page) => [page.path, page.url]),
      [['foo.md', 'foo/'], ['index.md', ''], ['sub/bar.md', 'sub/bar/']],
    );
    assert.match(await b.read('foo/index.html'), /<a href="\.\.\/">Home<\/a>/);
  });

  test('use_directory_urls: false puts foo.md at foo.html and links to .html files', async () => {
    const b = await build({
      'mkdocs.yml': 'site_name: Flat\nuse_directory_urls: false\n',
      'docs/index.md': '# Home\n\n[Bar](sub/bar.md)\n',
      'docs/foo.md': '# Foo\n',
      'docs/sub/bar.md': '# Bar\n\n[Foo](../foo.md)\n',
    });
    assert.deepEqual(await listFiles(b.out), ['_static/bindery.css', 'foo.html', 'index.html', 'sub/bar.html']);
    const index = await b.read('index.html');
    assert.match(index, /<link rel="stylesheet" href="_static\/bindery\.css">/);
    assert.match(index, /<a href="sub\/bar\.html">Bar<\/a>/);
    const bar = await b.read('sub/bar.html');
    assert.match(bar, /<a href="\.\.\/foo\.html">Foo<\/a>/);
    assert.match(sidebar(bar), /<a href="\.\.\/index\.html">Home<\/a>/);
  });

  test('README.md is the folder index unless the folder has an index.md', async () => {
    const b = await build({
      'docs/README.md': '# Project readme\n',
      'docs/api/README.md': '# API overview\n',
      'docs/both/index.md': '# Real index\n',
      'docs/both/README.md': '# Shadowed readme\n',
    });
    assert.deepEqual(await listFiles(b.out), ['_static/bindery.css', 'api/index.html', 'both/index.html', 'index.html']);
    assert.equal(title(await b.read('index.html')), 'Project readme — source');
    assert.equal(title(await b.read('api/index.html')), 'API overview — source');
    assert.equal(title(await b.read('both/index.html')), 'Real index — source');
    assert.ok(b.logs.some((line) => line.startsWith('skipped both/README.md')));
  });

  test('non-Markdown files are copied byte for byte, and the stylesheet is written', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const b = await build({
      'docs/index.md': '# Home\n\n![logo](img/logo.png)\n',
      'docs/img/logo.png': png,
      'docs/files/data.json': '{"a":1}',
      'docs/.hidden/secret.txt': 'hidden',
      'docs/.env': 'TOKEN=1',
    });
    assert.deepEqual(await readFile(path.join(b.out, 'img/logo.png')), png);
    assert.equal(await b.read('files/data.json'), '{"a":1}');
    assert.deepEqual(await listFiles(b.out), ['_static/bindery.css', 'files/data.json', 'img/logo.png', 'index.html']);
    assert.equal(b.result.files, 2);
    const css = await b.read('_static/bindery.css');
    assert.match(css, /@media/);
    assert.doesNotMatch(css, /@import|url\(\s*["']?https?:/);
  });

  test('output is a complete HTML document without inline scripts, and is deterministic', async () => {
    const files = {
      'docs/index.md': '# Home\n',
      'docs/b.md': '# B\n',
      'docs/a/c.md': '# C\n',
      'docs/a/img.svg': '<svg/>',
    };
    const p = await project(files);
    const first = await buildAt(p.source, p.out);
    const html = await first.read('index.html');
    assert.match(html, /^<!doctype html>\n<html lang="en">/);
    assert.match(html, /<main id="content">[\s\S]*<h1 id="home"[^>]*>Home/);
    assert.doesNotMatch(html, /<script/i);
    const out2 = path.join(p.root, 'out2');
    await buildAt(p.source, out2);
    const names = await listFiles(p.out);
    assert.deepEqual(await listFiles(out2), names);
    for (const name of names) {
      assert.equal(await readFile(path.join(out2, name), 'utf8'), await readFile(path.join(p.out, name), 'utf8'), name);
    }
  });
});

describe('builtin builder: links and titles', () => {
  test('relative .md links (with anchors) become page URLs; other links are left alone', async () => {
    const source = [
      '# A',
      '',
      '[up](../b.md#the-section) [sibling](c.md) [dir-index](../index.md) [self](#local)',
      '[ext](https://example.com/x.md) [abs](/docs/x.md) [mail](mailto:a@b.c)',
      '[missing](nope.md) [txt](notes.txt) [query](c.md?x=1#y)',
      '![pic](../img/p.png)',
      '',
    ].join('\n');
    const files = {
      'docs/index.md': '# Home\n',
      'docs/b.md': '# B\n\n## The section\n',
      'docs/guide/a.md': source,
      'docs/guide/c.md': '# C\n',
      'docs/img/p.png': 'png',
    };
    const dirs = await build(files);
    const a = await dirs.read('guide/a/index.html');
    assert.match(a, /<a href="\.\.\/\.\.\/b\/#the-section">up<\/a>/);
    assert.match(a, /<a href="\.\.\/c\/">sibling<\/a>/);
    assert.match(a, /<a href="\.\.\/\.\.\/">dir-index<\/a>/);
    assert.match(a, /<a href="#local">self<\/a>/);
    assert.match(a, /<a href="https:\/\/example\.com\/x\.md">ext<\/a>/);
    assert.match(a, /<a href="\/docs\/x\.md">abs<\/a>/);
    assert.match(a, /<a href="mailto:a@b\.c">mail<\/a>/);
    assert.match(a, /<a href="nope\.md">missing<\/a>/);
    assert.match(a, /<a href="notes\.txt">txt<\/a>/);
    assert.match(a, /<a href="\.\.\/c\/\?x=1#y">query<\/a>/);
    // Assets are re-pointed too, because the page itself moved one folder down.
    assert.match(a, /<img src="\.\.\/\.\.\/img\/p\.png" alt="pic">/);
    assert.ok(dirs.logs.some((line) => line.includes('guide/a.md links to nope.md')));
    const b = await dirs.read('b/index.html');
    assert.match(b, /<h2 id="the-section"/);

    const flat = await build({ ...files, 'mkdocs.yml': 'use_directory_urls: false\n' });
    const aFlat = await flat.read('guide/a.html');
    assert.match(aFlat, /<a href="\.\.\/b\.html#the-section">up<\/a>/);
    assert.match(aFlat, /<a href="c\.html">sibling<\/a>/);
    assert.match(aFlat, /<a href="\.\.\/index\.html">dir-index<\/a>/);
    assert.match(aFlat, /<img src="\.\.\/img\/p\.png" alt="pic">/);
  });

  test('headings get GitHub-style ids, unique within a page but not across pages', async () => {
    const b = await build({
      'docs/index.md': '# Home\n\n## Hello, World: `API` (v2)!\n\n## Hello, World: `API` (v2)!\n\n## Ünïcode_ok -- yes\n',
      'docs/other.md': '# Home\n',
    });
    const index = await b.read('index.html');
    assert.match(index, /<h2 id="hello-world-api-v2">/);
    assert.match(index, /<h2 id="hello-world-api-v2-1">/);
    assert.match(index, /<h2 id="ünïcode_ok----yes">/);
    assert.match(await b.read('other/index.html'), /<h1 id="home">/);
  });

  test('page title: nav title, else front matter title, else first h1, else humanised file name', async () => {
    const b = await build({
      'mkdocs.yml': [
        'site_name: Titles',
        'nav:',
        '  - index.md',
        '  - Named in nav: named.md',
        '  - from-h1.md',
        '  - getting_started-now.md',
        '  - meta.md',
        '  - sub/index.md',
        '',
      ].join('\n'),
      'docs/index.md': 'No heading on the home page.\n',
      'docs/named.md': '# Heading ignored\n',
      'docs/from-h1.md': 'Intro.\n\n## Not h1\n\n# The *real* `h1`\n',
      'docs/getting_started-now.md': '## Only an h2\n',
      'docs/meta.md': '---\ntitle: From front matter\n---\n# Heading\n',
      'docs/sub/index.md': 'Folder index without heading.\n',
    });
    const titles = Object.fromEntries(b.result.pageList.map((page) => [page.path, page.title]));
    assert.deepEqual(titles, {
      'from-h1.md': 'The real h1',
      'getting_started-now.md': 'Getting started now',
      'index.md': 'Home',
      'meta.md': 'From front matter',
      'named.md': 'Named in nav',
      'sub/index.md': 'Sub',
    });
    const named = await b.read('named/index.html');
    assert.equal(title(named), 'Named in nav — Titles');
    assert.deepEqual(navLabels(named), ['Home', 'Named in nav', 'The real h1', 'Getting started now', 'From front matter', 'Sub']);
    // The front matter block is metadata, not content.
    assert.doesNotMatch(await b.read('meta/index.html'), /title: From front matter/);
  });

  test('titles, site name and nav labels are HTML-escaped', async () => {
    const b = await build({
      'mkdocs.yml': [
        'site_name: "<script>alert(1)</script> & Co"',
        'nav:',
        '  - "<script>nav()</script>": index.md',
        '  - "Sec <b>": [other.md]',
        '',
      ].join('\n'),
      'docs/index.md': '# Home\n',
      'docs/other.md': '---\ntitle: "<img src=x onerror=alert(2)>"\n---\nBody\n',
    });
    const index = await b.read('index.html');
    assert.doesNotMatch(index, /<script>/);
    assert.doesNotMatch(index, /<img src=x/);
    assert.doesNotMatch(index, /<b>/);
    assert.equal(title(index), '&lt;script&gt;nav()&lt;/script&gt; — &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    assert.match(index, /<a class="site-name" href="\.\/">&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; Co<\/a>/);
    assert.match(sidebar(index), /&lt;img src=x onerror=alert\(2\)&gt;/);
    assert.match(sidebar(index), /Sec &lt;b&gt;/);
    assert.equal(b.result.siteName, '<script>alert(1)</script> & Co');
  });
});

describe('builtin builder: hostile repositories', () => {
  test('symlinks are never followed, even to files outside the checkout', async () => {
    const p = await project({ 'docs/index.md': '# Home\n' });
    const secret = path.join(p.root, 'secret.txt');
    await writeFile(secret, 'TOP SECRET VALUE');
    const outsideDir = path.join(p.root, 'outside');
    await mkdir(outsideDir);
    await writeFile(path.join(outsideDir, 'leak.md'), '# TOP SECRET VALUE');
    await symlink(secret, path.join(p.source, 'docs/passwd.md'));
    await symlink(secret, path.join(p.source, 'docs/passwd.txt'));
    await symlink(outsideDir, path.join(p.source, 'docs/linked-dir'));
    const b = await buildAt(p.source, p.out);
    assert.deepEqual(await listFiles(b.out), ['_static/bindery.css', 'index.html']);
    for (const name of ['passwd.md', 'passwd.txt', 'linked-dir']) {
      assert.ok(b.logs.includes(`skipped ${name}: symbolic links are not followed`), name);
    }
    assert.doesNotMatch(await b.read('index.html'), /TOP SECRET/);
    assert.equal(b.result.pages, 1);
  });

  test('docs_dir pointing outside the checkout is refused', async () => {
    await assert.rejects(build({ 'mkdocs.yml': 'docs_dir: ../../etc\n', 'docs/index.md': '# x\n' }), (err) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.key, 'docs_dir');
      assert.match(err.message, /docs_dir is "\.\.\/\.\.\/etc", which points outside the repository/);
      return true;
    });
  });

  test('absolute docs_dir is refused', async () => {
    await assert.rejects(build({ 'mkdocs.yml': 'docs_dir: /etc\n', 'docs/index.md': '# x\n' }), (err) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /docs_dir is "\/etc", an absolute path: it must be relative to the repository root/);
      return true;
    });
  });

  test('docs_dir that is a symlink to a folder outside the checkout is refused', async () => {
    const p = await project({ 'mkdocs.yml': 'docs_dir: handbook\n' });
    const outside = path.join(p.root, 'elsewhere');
    await mkdir(outside);
    await writeFile(path.join(outside, 'index.md'), '# Outside\n');
    await symlink(outside, path.join(p.source, 'handbook'));
    await assert.rejects(buildAt(p.source, p.out), { name: 'ConfigError', message: /symbolic link to a location outside the repository/ });
  });

  test('invalid YAML names the file and the line', async () => {
    await assert.rejects(build({ 'mkdocs.yml': 'site_name: ok\nnav: [index.md\ntheme: x\n', 'docs/index.md': '# x\n' }), (err) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /^mkdocs\.yml is not valid YAML: .*at line \d+, column \d+/);
      return true;
    });
  });

  test('nav entry pointing at a missing file names the entry and the path', async () => {
    await assert.rejects(
      build({
        'mkdocs.yml': 'nav:\n  - Home: index.md\n  - Guide:\n      - Setup: setup.md\n',
        'docs/index.md': '# x\n',
      }),
      (err) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.key, 'nav');
        assert.match(err.message, /nav entry "Guide" › "Setup" in mkdocs\.yml points at "setup\.md", but docs\/setup\.md does not exist/);
        return true;
      },
    );
  });

  test('nav of the wrong shape is refused with the expected shape', async () => {
    await assert.rejects(build({ 'mkdocs.yml': 'nav: index.md\n', 'docs/index.md': '# x\n' }), {
      name: 'ConfigError',
      message: /nav in mkdocs\.yml must be a list/,
    });
    await assert.rejects(build({ 'mkdocs.yml': 'nav:\n  - A: a.md\n    B: b.md\n', 'docs/a.md': '# a\n', 'docs/b.md': '# b\n' }), {
      name: 'ConfigError',
      message: /nav entry #1 in mkdocs\.yml has 2 keys/,
    });
    await assert.rejects(build({ 'mkdocs.yml': 'nav:\n  - 42\n', 'docs/index.md': '# x\n' }), {
      name: 'ConfigError',
      message: /nav entry #1 in mkdocs\.yml is number 42/,
    });
    await assert.rejects(build({ 'mkdocs.yml': 'nav:\n  - Evil: "javascript:alert(1)"\n', 'docs/index.md': '# x\n' }), {
      name: 'ConfigError',
      message: /javascript: URL/,
    });
  });

  test('missing docs folder and docs without Markdown give clear errors', async () => {
    await assert.rejects(build({ 'README.txt': 'hi' }), (err) => {
      assert.ok(err instanceof BuildError);
      assert.equal(err.code, 'docs-missing');
      assert.match(err.message, /no documentation found: the folder docs\/ does not exist/);
      return true;
    });
    await assert.rejects(build({ 'mkdocs.yml': 'docs_dir: manual\n', 'manual/logo.png': 'x' }), (err) => {
      assert.ok(err instanceof BuildError);
      assert.equal(err.code, 'no-pages');
      assert.match(err.message, /the folder manual\/ contains no Markdown/);
      return true;
    });
  });

  test('Python and environment tags in mkdocs.yml are tolerated, and !ENV never reads the server environment', async () => {
    process.env.BINDERY_TEST_SECRET = 'server-secret-value';
    try {
      const b = await build({
        'mkdocs.yml': [
          'site_name: !ENV [BINDERY_TEST_SECRET, "Fallback name"]',
          'docs_dir: manual',
          'theme:',
          '  name: material',
          '  custom_dir: !relative $config_dir/overrides',
          'markdown_extensions:',
          '  - pymdownx.emoji:',
          '      emoji_index: !!python/name:material.extensions.emoji.twemoji',
          '      emoji_generator: !!python/name:material.extensions.emoji.to_svg',
          '  - pymdownx.slugs: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}',
          'extra:',
          '  analytics: !ENV BINDERY_TEST_SECRET',
          '',
        ].join('\n'),
        'manual/index.md': '# Home\n',
      });
      assert.equal(b.result.siteName, 'Fallback name');
      assert.doesNotMatch(await b.read('index.html'), /server-secret-value/);
      assert.ok(b.logs.some((line) => line.includes('ignored tag !!python/name:material.extensions.emoji.twemoji')));
    } finally {
      delete process.env.BINDERY_TEST_SECRET;
    }
  });

  test('an explicit configFile that does not exist is a BuildError; defaults apply without mkdocs.yml', async () => {
    await assert.rejects(build({ 'docs/index.md': '# x\n' }, 'conf/mkdocs.yml'), {
      name: 'BuildError',
      message: /the configuration file conf\/mkdocs\.yml does not exist/,
    });
    await assert.rejects(build({ 'docs/index.md': '# x\n' }, '../mkdocs.yml'), { name: 'ConfigError', message: /outside the repository/ });
    const b = await build({ 'docs/index.md': '# x\n' });
    assert.equal(b.result.siteName, 'source');
  });
});

// readBuildConfig() on a real checkout folder: the root names in Read the Docs' order, the file
// readthedocs_yaml_path names, and hostile settings and trees (.., absolute paths, symbolic links
// to folders or files inside or outside the checkout) refused without reading through a link.
// checkoutPathExists(): what the build asks when a configuration path is used.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../src/core/errors.ts';
import { checkoutPathExists, readBuildConfig } from '../../../src/builder/steps/read-config.ts';

let checkout: string;
let outside: string;
const config = (marker: string) => `version: 2\nbuild:\n  os: ubuntu-24.04\n  commands:\n    - echo ${marker}\n`;

before(() => {
  checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-config-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bindery-outside-'));
  const write = (name: string, body: string) => {
    fs.mkdirSync(path.dirname(path.join(checkout, name)), { recursive: true });
    fs.writeFileSync(path.join(checkout, name), body);
  };
  write('readthedocs.yml', config('root-plain'));
  write('docs/.readthedocs.yaml', config('docs'));
  write('deep/er/rtd.yaml', config('deep'));
  write('bad/.readthedocs.yaml', 'version: 2\nbuild:\n  os: windows-10\n  tools: {python: "3.5"}\n');
  fs.writeFileSync(path.join(outside, 'host.yaml'), 'HOST-SECRET-CONTENT: 1\n');
  fs.symlinkSync(outside, path.join(checkout, 'linked-dir'));
  fs.symlinkSync(path.join(outside, 'host.yaml'), path.join(checkout, 'docs/link.yaml'));
  fs.symlinkSync('.readthedocs.yaml', path.join(checkout, 'docs/inner-link.yaml'));
  fs.symlinkSync(path.join(checkout, 'docs'), path.join(checkout, 'docs-link'));
});
after(() => {
  fs.rmSync(checkout, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

async function refused(yamlPath: string, message: RegExp): Promise<void> {
  await assert.rejects(readBuildConfig(checkout, yamlPath), (err: unknown) => {
    assert.ok(err instanceof ConfigError, String(err));
    assert.match(err.message, message);
    assert.doesNotMatch(err.message, /HOST-SECRET-CONTENT/);
    return true;
  });
}

test('without the setting, the first of Read the Docs\' names at the root is read', async () => {
  const loaded = await readBuildConfig(checkout, null);
  assert.equal(loaded?.file, 'readthedocs.yml');
  assert.deepEqual(loaded?.config.build.commands, ['echo root-plain']);
  assert.equal((await readBuildConfig(path.join(checkout, 'deep'))), null, 'no file at the root is no configuration');
});

test('readthedocs_yaml_path is read instead, relative to the root and normalized', async () => {
  for (const setting of ['docs/.readthedocs.yaml', './docs//.readthedocs.yaml', 'deep/../docs/.readthedocs.yaml']) {
    const loaded = await readBuildConfig(checkout, setting);
    assert.equal(loaded?.file, 'docs/.readthedocs.yaml', setting);
    assert.deepEqual(loaded?.config.build.commands, ['echo docs']);
  }
  assert.deepEqual((await readBuildConfig(checkout, 'deep/er/rtd.yaml'))?.config.build.commands, ['echo deep']);
});

test('its problems are listed under its own name', async () => {
  await assert.rejects(readBuildConfig(checkout, 'bad/.readthedocs.yaml'), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /^Invalid configuration in bad\/\.readthedocs\.yaml \(2 problems\):/);
    assert.match(err.message, /- build\.os: expected one of/);
    assert.match(err.message, /- build\.tools\.python: expected one of/);
    return true;
  });
});

test('a missing file fails as on Read the Docs, without falling back to the root file', async () => {
  await refused('docs/missing.yaml', /^Configuration file not found in docs\/missing\.yaml/);
  await refused('nowhere/.readthedocs.yaml', /^Configuration file not found in nowhere\/\.readthedocs\.yaml/);
  await refused('readthedocs.yml/x.yaml', /^Configuration file not found/);
});

test('paths that leave the checkout, absolute paths and the root itself are refused before anything is opened', async () => {
  await refused('../outside/host.yaml', /points outside the repository/);
  await refused('docs/../../x.yaml', /points outside the repository/);
  await refused(path.join(outside, 'host.yaml'), /must be relative to the repository root/);
  await refused('.', /names the repository itself/);
  await refused('docs/\0x', /NUL/);
});

test('symbolic links on the way or as the file are refused, wherever they point', async () => {
  await refused('linked-dir/host.yaml', /linked-dir\/, on the way to linked-dir\/host\.yaml .* is a symbolic link/);
  await refused('docs/link.yaml', /docs\/link\.yaml \(the project's readthedocs_yaml_path\) must be a regular file, not a symbolic link/);
  await refused('docs/inner-link.yaml', /must be a regular file, not a symbolic link/);
  await refused('docs-link/.readthedocs.yaml', /is a symbolic link/);
  await refused('docs', /must be a regular file, not a symbolic link or folder/);
});

test('checkoutPathExists: inside only, links resolved but never out of the checkout', () => {
  assert.equal(checkoutPathExists(checkout, 'docs/.readthedocs.yaml'), true);
  assert.equal(checkoutPathExists(checkout, 'docs-link/.readthedocs.yaml'), true, 'a link that stays inside');
  assert.equal(checkoutPathExists(checkout, '.'), true);
  assert.equal(checkoutPathExists(checkout, 'docs/missing'), false);
  assert.equal(checkoutPathExists(checkout, 'linked-dir/host.yaml'), false, 'a link out of the checkout');
  assert.equal(checkoutPathExists(checkout, 'docs/link.yaml'), false);
  assert.equal(checkoutPathExists(checkout, '../x'), false);
});

// Table-driven tests for the process configuration: defaults, every invalid value (the
// error names the variable and the value), and command-line flags overriding the environment.

import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigValueError, isLoopbackHost, loadConfig, parseFlags } from '../../src/config.ts';

const cwd = '/srv/bindery';

describe('loadConfig: defaults', () => {
  test('an empty environment gives the documented defaults', () => {
    assert.deepEqual(loadConfig({}, {}, cwd), {
      host: '127.0.0.1',
      port: 8000,
      dataDir: '/srv/bindery/.bindery',
      databaseUrl: null,
      storageUrl: 'file:///srv/bindery/.bindery/storage',
      publicUrl: 'http://localhost:8000',
      docsDomain: 'docs.localhost',
      previewDomain: 'previews.localhost',
      allowLocalRepositories: false,
      builderConcurrency: 1,
      buildTimeoutSeconds: 900,
      logLevel: 'info',
      builderSecret: null,
      builderApiUrls: ['http://127.0.0.1:8000'],
      buildsPerProject: 2,
      buildHeartbeatSeconds: 30,
      docsAccelRedirect: null,
      docsHttps: false,
      trustProxy: [],
      buildLimits: { memoryBytes: 2048 * 1024 * 1024, maxProcesses: 512, maxOutputBytes: 1024 * 1024 * 1024, maxLogBytes: 50 * 1024 * 1024, maxDiskBytes: 5120 * 1024 * 1024, maxFiles: 100_000 },
      buildIsolation: { ...(process.getuid?.() === 0 ? { runAs: { uid: 61_000, gid: 61_000 } } : {}), requireSandbox: true, hostNetwork: false },
    });
  });

  test('DOCS_HTTPS: the docs domain behind a TLS-terminating proxy, off by default', () => {
    assert.equal(loadConfig({ DOCS_HTTPS: 'true' }, {}, cwd).docsHttps, true);
    assert.equal(loadConfig({}, { DOCS_HTTPS: 'on' }, cwd).docsHttps, true);
    assert.equal(loadConfig({ DOCS_HTTPS: 'false' }, {}, cwd).docsHttps, false);
    assert.throws(() => loadConfig({ DOCS_HTTPS: 'sometimes' }, {}, cwd), /DOCS_HTTPS="sometimes" is not valid: expected true or false/);
    // A switch: alone it is true, and it does not swallow the next option.
    const { overrides } = parseFlags(['--docs-https', '--port', '9000']);
    assert.equal(loadConfig({}, overrides, cwd).docsHttps, true);
    assert.equal(loadConfig({}, overrides, cwd).port, 9000);
    assert.equal(loadConfig({}, parseFlags(['--docs-https=false']).overrides, cwd).docsHttps, false);
  });

  test('build isolation: the build user, the sandbox and the network are the operator\'s explicit choices', () => {
    const iso = (env: Record<string, string>) => loadConfig(env, {}, cwd).buildIsolation;
    assert.equal(iso({ BUILD_SANDBOX: 'off' }).requireSandbox, false);
    assert.equal(iso({ BUILD_NETWORK: 'host' }).hostNetwork, true);
    assert.throws(() => iso({ BUILD_SANDBOX: 'maybe' }), /BUILD_SANDBOX="maybe" is not valid: expected one of required, off/);
    assert.throws(() => iso({ BUILD_NETWORK: 'open' }), /BUILD_NETWORK="open" is not valid/);
    if (process.getuid?.() === 0) {
      assert.deepEqual(iso({ BUILD_UID: '4242' }).runAs, { uid: 4242, gid: 4242 });
      assert.equal(iso({ BUILD_UID: '0' }).runAs, undefined);
    }
  });

  test('builder settings: secret length, API URLs, heartbeat floor', () => {
    assert.throws(() => loadConfig({ BUILDER_SECRET: 'short' }, {}, cwd), /BUILDER_SECRET is too short/);
    assert.deepEqual(loadConfig({ BUILDER_API_URL: 'http://a:1, http://b:2' }, {}, cwd).builderApiUrls, ['http://a:1', 'http://b:2']);
    assert.throws(() => loadConfig({ BUILDER_API_URL: 'ftp://a' }, {}, cwd), /BUILDER_API_URL="ftp:\/\/a" is not valid/);
    assert.throws(() => loadConfig({ BUILD_HEARTBEAT_SECONDS: '5' }, {}, cwd), /BUILD_HEARTBEAT_SECONDS="5" is not valid: expected an integer from 10/);
  });

  test('empty strings count as unset', () => {
    const env = { HOST: '', PORT: '', BINDERY_DATA_DIR: '', DATABASE_URL: '', STORAGE_URL: '', PUBLIC_URL: '', DOCS_DOMAIN: '', ALLOW_LOCAL_REPOSITORIES: '', BUILDER_CONCURRENCY: '', BUILD_TIMEOUT: '', LOG_LEVEL: '' };
    assert.deepEqual(loadConfig(env, {}, cwd), loadConfig({}, {}, cwd));
  });

  test('the default public URL follows PORT', () => {
    assert.equal(loadConfig({ PORT: '9000' }, {}, cwd).publicUrl, 'http://localhost:9000');
  });

  test('the default storage follows the data dir; a relative data dir resolves against cwd', () => {
    const config = loadConfig({ BINDERY_DATA_DIR: 'data' }, {}, cwd);
    assert.equal(config.dataDir, '/srv/bindery/data');
    assert.equal(config.storageUrl, 'file:///srv/bindery/data/storage');
    assert.equal(loadConfig({ BINDERY_DATA_DIR: '/var/lib/bindery' }, {}, cwd).dataDir, '/var/lib/bindery');
  });

  test(
    'the default STORAGE_URL points at <dataDir>/storage even when the path has URL-special characters',
    () => {
      for (const dir of ['/srv/docs#1', '/srv/a?b', '/srv/100%25']) {
        const config = loadConfig({ BINDERY_DATA_DIR: dir }, {}, cwd);
        assert.equal(fileURLToPath(new URL(config.storageUrl)), path.join(dir, 'storage'), dir);
      }
    },
  );
});

describe('loadConfig: valid values', () => {
  const cases: Array<[Record<string, string>, Partial<ReturnType<typeof loadConfig>>]> = [
    [{ HOST: '0.0.0.0' }, { host: '0.0.0.0' }],
    [{ PORT: '0' }, { port: 0 }],
    [{ PORT: '65535' }, { port: 65535 }],
    [{ DATABASE_URL: 'postgres://u:p@db:5432/bindery' }, { databaseUrl: 'postgres://u:p@db:5432/bindery' }],
    [{ DATABASE_URL: 'postgresql://db/bindery?sslmode=require' }, { databaseUrl: 'postgresql://db/bindery?sslmode=require' }],
    [{ STORAGE_URL: 'file:///var/lib/bindery/storage' }, { storageUrl: 'file:///var/lib/bindery/storage' }],
    [{ PUBLIC_URL: 'https://bindery.example.com/' }, { publicUrl: 'https://bindery.example.com' }],
    [{ PUBLIC_URL: 'https://bindery.example.com///' }, { publicUrl: 'https://bindery.example.com' }],
    [{ PUBLIC_URL: 'http://localhost:3000' }, { publicUrl: 'http://localhost:3000' }],
    [{ DOCS_DOMAIN: 'docs.example.com' }, { docsDomain: 'docs.example.com' }],
    [{ DOCS_DOMAIN: 'Docs.Example.COM' }, { docsDomain: 'docs.example.com' }],
    [{ PREVIEW_DOMAIN: 'Example-Docs.Build' }, { previewDomain: 'example-docs.build' }],
    [{ ALLOW_LOCAL_REPOSITORIES: '1' }, { allowLocalRepositories: true }],
    [{ ALLOW_LOCAL_REPOSITORIES: 'true' }, { allowLocalRepositories: true }],
    [{ ALLOW_LOCAL_REPOSITORIES: 'YES' }, { allowLocalRepositories: true }],
    [{ ALLOW_LOCAL_REPOSITORIES: 'on' }, { allowLocalRepositories: true }],
    [{ ALLOW_LOCAL_REPOSITORIES: '0' }, { allowLocalRepositories: false }],
    [{ ALLOW_LOCAL_REPOSITORIES: 'False' }, { allowLocalRepositories: false }],
    [{ ALLOW_LOCAL_REPOSITORIES: 'no' }, { allowLocalRepositories: false }],
    [{ ALLOW_LOCAL_REPOSITORIES: 'off' }, { allowLocalRepositories: false }],
    [{ BUILDER_CONCURRENCY: '0' }, { builderConcurrency: 0 }],
    [{ BUILDER_CONCURRENCY: '64' }, { builderConcurrency: 64 }],
    [{ BUILD_TIMEOUT: '1' }, { buildTimeoutSeconds: 1 }],
    [{ BUILD_TIMEOUT: '86400' }, { buildTimeoutSeconds: 86400 }],
    [{ LOG_LEVEL: 'debug' }, { logLevel: 'debug' }],
    [{ LOG_LEVEL: 'silent' }, { logLevel: 'silent' }],
  ];
  for (const [env, expected] of cases) {
    test(`${JSON.stringify(env)} → ${JSON.stringify(expected)}`, () => {
      const config = loadConfig(env, {}, cwd);
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(config[key as keyof typeof config], value, key);
    });
  }
});

describe('loadConfig: invalid values throw ConfigValueError naming the variable and the value', () => {
  const cases: Array<[string, string]> = [
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'mysql://u:p@db/bindery'],
    ['DATABASE_URL', 'not a url'],
    ['STORAGE_URL', 'gs://bucket/prefix'], ['STORAGE_URL', 's3://Bad_Bucket/p'],
    ['STORAGE_URL', '/var/lib/bindery'],
    ['PUBLIC_URL', 'ftp://bindery.example.com'],
    ['PUBLIC_URL', 'bindery.example.com'],
    ['DOCS_DOMAIN', 'docs example.com'],
    ['DOCS_DOMAIN', 'docs_example.com'],
    ['DOCS_DOMAIN', '-docs.example.com'],
    ['DOCS_DOMAIN', 'docs..example.com'],
    ['DOCS_DOMAIN', 'http://docs.example.com'],
    ['DOCS_DOMAIN', `${'a'.repeat(64)}.example.com`],
    ['PREVIEW_DOMAIN', 'previews example.com'],
    // Previews must not share a cookie scope with the docs or the dashboard.
    ['PREVIEW_DOMAIN', 'docs.localhost'],
    ['PREVIEW_DOMAIN', 'pr.docs.localhost'],
    ['PREVIEW_DOMAIN', 'localhost'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_LEVEL', 'INFO'],
    ['ALLOW_LOCAL_REPOSITORIES', 'maybe'],
    ['ALLOW_LOCAL_REPOSITORIES', '2'],
    ['BUILDER_CONCURRENCY', '65'],
    ['BUILDER_CONCURRENCY', 'many'],
    ['BUILD_TIMEOUT', '0'],
    ['BUILD_TIMEOUT', '86401'],
  ];
  for (const [name, value] of cases) {
    test(`${name}=${JSON.stringify(value.length > 40 ? `${value.slice(0, 10)}…` : value)}`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }, {}, cwd),
        (err: unknown) => {
          assert.ok(err instanceof ConfigValueError, `expected ConfigValueError, got ${String(err)}`);
          assert.ok(err.message.includes(name), `message names ${name}: ${err.message}`);
          assert.ok(err.message.includes(JSON.stringify(value)), `message names the value: ${err.message}`);
          assert.match(err.message, /expected/);
          return true;
        },
      );
    });
  }

  test(
    'PORT and other integers refuse spellings that are not plain integers',
    () => {
      for (const value of [' ', '\t', '0x1F90', '1e3', '+80']) {
        assert.throws(() => loadConfig({ PORT: value }, {}, cwd), ConfigValueError, JSON.stringify(value));
      }
    },
  );
});

describe('parseFlags', () => {
  const flagToVar: Array<[string, string, string]> = [
    ['--host', 'HOST', '0.0.0.0'],
    ['--port', 'PORT', '9000'],
    ['--data-dir', 'BINDERY_DATA_DIR', '/data'],
    ['--database-url', 'DATABASE_URL', 'postgres://db/bindery'],
    ['--storage-url', 'STORAGE_URL', 'file:///data/storage'],
    ['--public-url', 'PUBLIC_URL', 'https://bindery.example.com'],
    ['--docs-domain', 'DOCS_DOMAIN', 'docs.example.com'],
    ['--preview-domain', 'PREVIEW_DOMAIN', 'example-docs.build'],
    ['--allow-local-repositories', 'ALLOW_LOCAL_REPOSITORIES', 'false'],
    ['--builder-concurrency', 'BUILDER_CONCURRENCY', '4'],
    ['--build-timeout', 'BUILD_TIMEOUT', '60'],
    ['--log-level', 'LOG_LEVEL', 'debug'],
  ];
  for (const [flag, name, value] of flagToVar) {
    test(`${flag}=${value} and ${flag} ${value} set ${name}`, () => {
      assert.deepEqual(parseFlags([`${flag}=${value}`]), { overrides: { [name]: value }, rest: [] });
      if (flag !== '--allow-local-repositories') {
        assert.deepEqual(parseFlags([flag, value]), { overrides: { [name]: value }, rest: [] });
      }
    });
  }

  test('positional arguments are kept in order around flags', () => {
    assert.deepEqual(parseFlags(['serve', '--port', '9000', 'extra', '--host=0.0.0.0']), {
      overrides: { PORT: '9000', HOST: '0.0.0.0' },
      rest: ['serve', 'extra'],
    });
  });

  test('a bare --allow-local-repositories means true and does not swallow the next argument', () => {
    assert.deepEqual(parseFlags(['--allow-local-repositories', 'serve']), { overrides: { ALLOW_LOCAL_REPOSITORIES: 'true' }, rest: ['serve'] });
  });

  test('a value may itself contain =', () => {
    assert.deepEqual(parseFlags(['--database-url=postgres://db/b?sslmode=require']).overrides, { DATABASE_URL: 'postgres://db/b?sslmode=require' });
  });

  test('the last occurrence of a flag wins', () => {
    assert.deepEqual(parseFlags(['--port', '1', '--port=2']).overrides, { PORT: '2' });
  });

  test('single-dash arguments are positional', () => {
    assert.deepEqual(parseFlags(['-v']), { overrides: {}, rest: ['-v'] });
  });

  for (const argv of [['--bogus'], ['--bogus=1'], ['serve', '--prot', '9000']]) {
    test(`unknown option ${JSON.stringify(argv)} is rejected, naming it and the known options`, () => {
      const flag = argv.find((a) => a.startsWith('--'))!.split('=')[0]!;
      assert.throws(() => parseFlags(argv), (err: unknown) => {
        assert.ok(err instanceof ConfigValueError);
        assert.ok(err.message.includes(`unknown option ${flag}`), err.message);
        assert.ok(err.message.includes('--port'), err.message);
        return true;
      });
    });
  }

  test('a flag without its value is rejected, naming the flag', () => {
    assert.throws(() => parseFlags(['serve', '--port']), (err: unknown) => err instanceof ConfigValueError && /--port/.test(err.message) && /needs a value/.test(err.message));
  });
});

describe('flags override the environment', () => {
  test('flag values win, unflagged variables still come from the environment', () => {
    const env = { PORT: '8080', LOG_LEVEL: 'warn', HOST: '0.0.0.0', DOCS_DOMAIN: 'docs.example.com' };
    const { overrides, rest } = parseFlags(['serve', '--port', '9000', '--log-level=debug', '--allow-local-repositories']);
    const config = loadConfig(env, overrides, cwd);
    assert.deepEqual(rest, ['serve']);
    assert.equal(config.port, 9000);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.allowLocalRepositories, true);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.docsDomain, 'docs.example.com');
    assert.equal(config.publicUrl, 'http://localhost:9000');
  });

  test('an invalid flag value is reported by the variable it sets', () => {
    assert.throws(() => loadConfig({ PORT: '8000' }, parseFlags(['--port=abc']).overrides, cwd), (err: unknown) => err instanceof ConfigValueError && err.message.includes('PORT="abc"'));
  });

  test('a valid flag rescues an invalid environment value', () => {
    assert.equal(loadConfig({ PORT: 'abc' }, { PORT: '9000' }, cwd).port, 9000);
  });
});

describe('isLoopbackHost', () => {
  const cases: Array<[string, boolean]> = [
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['bindery.example.com', false],
    ['', false],
  ];
  for (const [host, loopback] of cases) {
    test(`${JSON.stringify(host)} → ${loopback}`, () => {
      assert.equal(isLoopbackHost(host), loopback);
    });
  }
});

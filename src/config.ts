// The one typed configuration of every role. Values come from flags first, then the
// environment, then documented defaults; a bad value stops the process with a message
// that names the variable, the value and what was expected.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface Config {
  /** Address to listen on (`HOST`, `--host`). */
  host: string;
  /** Port to listen on (`PORT`, `--port`). */
  port: number;
  /** Where the embedded database, storage and lock live (`BINDERY_DATA_DIR`, `--data-dir`). */
  dataDir: string;
  /** PostgreSQL connection string; absent → embedded PGlite under dataDir (`DATABASE_URL`). */
  databaseUrl: string | null;
  /** `file:///path` (default: dataDir/storage) (`STORAGE_URL`). */
  storageUrl: string;
  /** Base URL of the dashboard and API (`PUBLIC_URL`). */
  publicUrl: string;
  /** Docs are served at `<project>.<docsDomain>` (`DOCS_DOMAIN`). */
  docsDomain: string;
  /** Allow `file://` and plain-path repositories (`ALLOW_LOCAL_REPOSITORIES`). */
  allowLocalRepositories: boolean;
  /** Concurrent builds run by this process's builder (`BUILDER_CONCURRENCY`). */
  builderConcurrency: number;
  /** Wall-clock limit of one build, in seconds (`BUILD_TIMEOUT`). */
  buildTimeoutSeconds: number;
  /** Shared secret of builders and the web tier's builder API (`BUILDER_SECRET`); null → no remote builders. */
  builderSecret: string | null;
  /** Web tier URLs a builder reports to, tried in turn (`BUILDER_API_URL`, comma-separated). */
  builderApiUrls: string[];
  /** Builds of one project running at once (`BUILDS_PER_PROJECT`). */
  buildsPerProject: number;
  /** A builder silent this long is presumed dead and its build retried (`BUILD_HEARTBEAT_SECONDS`, ≥ 10). */
  buildHeartbeatSeconds: number;
  /** Sandbox limits of one build (`BUILD_MEMORY_MB`, `BUILD_MAX_PROCESSES`, `BUILD_MAX_OUTPUT_MB`, `BUILD_MAX_LOG_MB`). */
  buildLimits: { memoryBytes: number; maxProcesses: number; maxOutputBytes: number; maxLogBytes: number };
  /** pino level (`LOG_LEVEL`). */
  logLevel: string;
}

export class ConfigValueError extends Error {}

type Source = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigValueError(`${name}=${JSON.stringify(raw)} is not valid: expected an integer from ${min} to ${max}`);
  }
  return n;
}

function boolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigValueError(`${name}=${JSON.stringify(raw)} is not valid: expected true or false`);
}

function url(name: string, raw: string, protocols: string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigValueError(`${name}=${JSON.stringify(raw)} is not valid: expected a URL (${protocols.join(', ')})`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigValueError(`${name}=${JSON.stringify(raw)} is not valid: expected a URL starting ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

function hostname(name: string, raw: string): string {
  const value = raw.toLowerCase();
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(value)) {
    throw new ConfigValueError(`${name}=${JSON.stringify(raw)} is not valid: expected a DNS name such as docs.example.com`);
  }
  return value;
}

/** Maps `--flag value` / `--flag=value` to the environment variable it overrides. */
const FLAGS: Record<string, string> = {
  '--host': 'HOST',
  '--port': 'PORT',
  '--data-dir': 'BINDERY_DATA_DIR',
  '--database-url': 'DATABASE_URL',
  '--storage-url': 'STORAGE_URL',
  '--public-url': 'PUBLIC_URL',
  '--docs-domain': 'DOCS_DOMAIN',
  '--allow-local-repositories': 'ALLOW_LOCAL_REPOSITORIES',
  '--builder-concurrency': 'BUILDER_CONCURRENCY',
  '--build-timeout': 'BUILD_TIMEOUT',
  '--log-level': 'LOG_LEVEL',
  '--builder-secret': 'BUILDER_SECRET',
  '--builder-api-url': 'BUILDER_API_URL',
  '--builds-per-project': 'BUILDS_PER_PROJECT',
  '--build-heartbeat': 'BUILD_HEARTBEAT_SECONDS',
  '--build-memory-mb': 'BUILD_MEMORY_MB',
  '--build-max-processes': 'BUILD_MAX_PROCESSES',
  '--build-max-output-mb': 'BUILD_MAX_OUTPUT_MB',
  '--build-max-log-mb': 'BUILD_MAX_LOG_MB',
};

/** Splits argv into known configuration flags and the rest (positional arguments). */
export function parseFlags(argv: string[]): { overrides: Source; rest: string[] } {
  const overrides: Source = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const name = FLAGS[flag];
    if (!name) {
      if (arg.startsWith('--')) throw new ConfigValueError(`unknown option ${flag}; known options: ${Object.keys(FLAGS).join(', ')}`);
      rest.push(arg);
      continue;
    }
    if (eq > 0) overrides[name] = arg.slice(eq + 1);
    else if (flag === '--allow-local-repositories') overrides[name] = 'true';
    else {
      const value = argv[++i];
      if (value === undefined) throw new ConfigValueError(`option ${flag} needs a value`);
      overrides[name] = value;
    }
  }
  return { overrides, rest };
}

/** Builds the configuration from the environment (and flag overrides); throws ConfigValueError. */
export function loadConfig(env: Source = process.env, overrides: Source = {}, cwd = process.cwd()): Config {
  const get = (name: string): string | undefined => overrides[name] ?? env[name];
  const host = get('HOST') || '127.0.0.1';
  const port = integer('PORT', get('PORT'), 8000, 0, 65535);
  const dataDir = path.resolve(cwd, get('BINDERY_DATA_DIR') || '.bindery');
  const databaseUrl = get('DATABASE_URL') ? url('DATABASE_URL', get('DATABASE_URL')!, ['postgres:', 'postgresql:']) : null;
  const storageUrl = url('STORAGE_URL', get('STORAGE_URL') || pathToFileURL(path.join(dataDir, 'storage')).href, ['file:']);
  const publicUrl = url('PUBLIC_URL', get('PUBLIC_URL') || `http://localhost:${port}`, ['http:', 'https:']).replace(/\/+$/, '');
  const docsDomain = hostname('DOCS_DOMAIN', get('DOCS_DOMAIN') || 'docs.localhost');
  const allowLocalRepositories = boolean('ALLOW_LOCAL_REPOSITORIES', get('ALLOW_LOCAL_REPOSITORIES'), false);
  const builderConcurrency = integer('BUILDER_CONCURRENCY', get('BUILDER_CONCURRENCY'), 1, 0, 64);
  const buildTimeoutSeconds = integer('BUILD_TIMEOUT', get('BUILD_TIMEOUT'), 900, 1, 86400);
  const builderSecret = get('BUILDER_SECRET') || null;
  if (builderSecret !== null && builderSecret.length < 16) {
    throw new ConfigValueError('BUILDER_SECRET is too short: expected at least 16 characters');
  }
  const builderApiUrls = (get('BUILDER_API_URL') || `http://127.0.0.1:${port}`).split(',').map((u) => u.trim()).filter(Boolean);
  for (const u of builderApiUrls) url('BUILDER_API_URL', u, ['http:', 'https:']);
  const buildsPerProject = integer('BUILDS_PER_PROJECT', get('BUILDS_PER_PROJECT'), 2, 1, 100);
  const buildHeartbeatSeconds = integer('BUILD_HEARTBEAT_SECONDS', get('BUILD_HEARTBEAT_SECONDS'), 30, 10, 3600);
  const MB = 1024 * 1024;
  const buildLimits = {
    memoryBytes: integer('BUILD_MEMORY_MB', get('BUILD_MEMORY_MB'), 2048, 64, 1024 * 1024) * MB,
    maxProcesses: integer('BUILD_MAX_PROCESSES', get('BUILD_MAX_PROCESSES'), 512, 16, 100_000),
    maxOutputBytes: integer('BUILD_MAX_OUTPUT_MB', get('BUILD_MAX_OUTPUT_MB'), 1024, 1, 1024 * 1024) * MB,
    maxLogBytes: integer('BUILD_MAX_LOG_MB', get('BUILD_MAX_LOG_MB'), 50, 1, 100_000) * MB,
  };
  const logLevel = get('LOG_LEVEL') || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigValueError(`LOG_LEVEL=${JSON.stringify(logLevel)} is not valid: expected one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    host, port, dataDir, databaseUrl, storageUrl, publicUrl, docsDomain,
    allowLocalRepositories, builderConcurrency, buildTimeoutSeconds, logLevel,
    builderSecret, builderApiUrls, buildsPerProject, buildHeartbeatSeconds, buildLimits,
  };
}

/** True when the address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

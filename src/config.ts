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
  /** `file:///path` (default: dataDir/storage) or `s3://bucket/prefix` (`STORAGE_URL`). */
  storageUrl: string;
  /** S3 settings; present only when STORAGE_URL is `s3://…` (`S3_ENDPOINT`, `S3_REGION`, …). */
  s3?: S3Config;
  /** Base URL of the dashboard and API (`PUBLIC_URL`). */
  publicUrl: string;
  /** Docs are served at `<project>.<docsDomain>` (`DOCS_DOMAIN`). */
  docsDomain: string;
  /** Pull-request previews are served at `<project>--<number>.<previewDomain>` (`PREVIEW_DOMAIN`). */
  previewDomain: string;
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
  /** Sandbox limits of one build (`BUILD_MEMORY_MB`, `BUILD_MAX_PROCESSES`, `BUILD_MAX_OUTPUT_MB`, `BUILD_MAX_LOG_MB`,
   *  `BUILD_MAX_DISK_MB`, `BUILD_MAX_FILES`). */
  buildLimits: { memoryBytes: number; maxProcesses: number; maxOutputBytes: number; maxLogBytes: number; maxDiskBytes: number; maxFiles: number };
  /** How builds are isolated: the host uid they run as when the builder is root (`BUILD_UID`, default 61000;
   *  `0` keeps root), whether the sandbox is required (`BUILD_SANDBOX=required|off`) and which network
   *  steps that need one get (`BUILD_NETWORK=isolated|host`). */
  buildIsolation: { runAs?: { uid: number; gid: number }; requireSandbox: boolean; hostNetwork: boolean };
  /** nginx internal location for X-Accel-Redirect offload, e.g. `/_internal/` (`DOCS_ACCEL_REDIRECT`); null → stream files. */
  docsAccelRedirect: string | null;
  /** The docs and preview domains are reached over https through a TLS-terminating proxy (`DOCS_HTTPS`):
   *  http requests there are redirected to https, generated URLs use https, answers carry HSTS. */
  docsHttps: boolean;
  /** Proxies whose X-Forwarded-* headers are believed (`TRUST_PROXY`, comma-separated addresses or CIDRs; default none). */
  trustProxy: string[];
  /** pino level (`LOG_LEVEL`). */
  logLevel: string;
}

/** Where and how to reach an S3-compatible bucket; see `loadS3Config`. */
export interface S3Config {
  bucket: string;
  /** Keys are stored under `prefix/`; '' for the bucket's root. No leading or trailing slash. */
  prefix: string;
  /** An S3-compatible service such as MinIO (`S3_ENDPOINT`); null → AWS itself. */
  endpoint: string | null;
  /** `S3_REGION`, default us-east-1 (most S3-compatible services accept any). */
  region: string;
  /** `S3_ACCESS_KEY_ID` + `S3_SECRET_ACCESS_KEY`; null → the AWS SDK's default chain (AWS_* variables, profile, instance role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  /** `S3_FORCE_PATH_STYLE`: `endpoint/bucket/key` URLs; default true when an endpoint is given (MinIO and most self-hosted services need it). */
  forcePathStyle: boolean;
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

function choice<T extends string>(name: string, raw: string | undefined, allowed: T[], fallback: T): T {
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as string[]).includes(raw)) throw new ConfigValueError(`${name}=${JSON.stringify(raw)} is not valid: expected one of ${allowed.join(', ')}`);
  return raw as T;
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

const within = (name: string, domain: string) => name === domain || name.endsWith(`.${domain}`);

/**
 * Previews run code anyone may propose in a pull request: their hosts must not share a
 * cookie scope with the docs or the dashboard, so PREVIEW_DOMAIN may not contain, nor lie
 * inside, DOCS_DOMAIN, and the dashboard's host may not lie inside it.
 */
function checkPreviewDomain(previewDomain: string, docsDomain: string, webHost: string): void {
  const bad = (why: string) => new ConfigValueError(`PREVIEW_DOMAIN=${JSON.stringify(previewDomain)} is not valid: ${why}`);
  if (within(previewDomain, docsDomain) || within(docsDomain, previewDomain)) {
    throw bad(`expected a domain apart from DOCS_DOMAIN=${JSON.stringify(docsDomain)}, neither inside the other (such as example-docs.build)`);
  }
  if (within(webHost, previewDomain)) throw bad(`expected a domain that does not contain the dashboard's host ${webHost} (PUBLIC_URL)`);
}

/**
 * Reads the S3 settings that go with an `s3://bucket/prefix` STORAGE_URL. Only read when
 * STORAGE_URL is an s3:// URL, so leftover S3_* variables never stop a filesystem deployment.
 * No flags on purpose: a secret on a command line is visible to every user of the machine.
 */
export function loadS3Config(storageUrl: string, env: Source = process.env): S3Config {
  const bad = (why: string) => new ConfigValueError(`STORAGE_URL=${JSON.stringify(storageUrl)} is not valid: ${why}`);
  let parsed: URL;
  try {
    parsed = new URL(storageUrl);
  } catch {
    throw bad('expected s3://bucket or s3://bucket/prefix');
  }
  if (parsed.protocol !== 's3:') throw bad('expected s3://bucket or s3://bucket/prefix');
  if (parsed.username || parsed.password) throw bad('credentials do not belong in the URL: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  if (parsed.port || parsed.search || parsed.hash) throw bad('expected s3://bucket/prefix with no port, query or fragment (the service goes in S3_ENDPOINT)');
  // The URL parser would quietly fold `a/../b` into `b`; a prefix that says `..` is a mistake to report.
  if (/\/(\.|%2e){1,2}(\/|$)/i.test(storageUrl)) throw bad('the prefix must not contain "." or ".." parts');
  const bucket = parsed.hostname;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw bad('expected a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens');
  }
  let prefix: string;
  try {
    prefix = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, '');
  } catch {
    throw bad('the prefix is not valid percent-encoding');
  }
  // The prefix is part of every key, so it obeys the key rules (no empty, `.` or `..` segment).
  if (prefix && (/[\\\u0000]/.test(prefix) || prefix.split('/').some((s) => s === '' || s === '.' || s === '..'))) {
    throw bad('the prefix must be /-separated names with no empty, "." or ".." part');
  }
  const get = (name: string): string | undefined => env[name] || undefined;
  const endpoint = get('S3_ENDPOINT') ? url('S3_ENDPOINT', get('S3_ENDPOINT')!, ['http:', 'https:']).replace(/\/+$/, '') : null;
  const region = get('S3_REGION') || 'us-east-1';
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(region)) {
    throw new ConfigValueError(`S3_REGION=${JSON.stringify(region)} is not valid: expected a region name such as us-east-1`);
  }
  const accessKeyId = get('S3_ACCESS_KEY_ID');
  const secretAccessKey = get('S3_SECRET_ACCESS_KEY');
  if (!accessKeyId !== !secretAccessKey) {
    const missing = accessKeyId ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    throw new ConfigValueError(`${missing} is not set: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (set neither to use the AWS SDK's default credentials)`);
  }
  return {
    bucket,
    prefix,
    endpoint,
    region,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null,
    forcePathStyle: boolean('S3_FORCE_PATH_STYLE', get('S3_FORCE_PATH_STYLE'), endpoint !== null),
  };
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
  '--preview-domain': 'PREVIEW_DOMAIN',
  '--allow-local-repositories': 'ALLOW_LOCAL_REPOSITORIES',
  '--builder-concurrency': 'BUILDER_CONCURRENCY',
  '--build-timeout': 'BUILD_TIMEOUT',
  '--log-level': 'LOG_LEVEL',
  '--trust-proxy': 'TRUST_PROXY',
  '--docs-accel-redirect': 'DOCS_ACCEL_REDIRECT',
  '--docs-https': 'DOCS_HTTPS',
  '--builder-secret': 'BUILDER_SECRET',
  '--builder-api-url': 'BUILDER_API_URL',
  '--builds-per-project': 'BUILDS_PER_PROJECT',
  '--build-heartbeat': 'BUILD_HEARTBEAT_SECONDS',
  '--build-memory-mb': 'BUILD_MEMORY_MB',
  '--build-max-processes': 'BUILD_MAX_PROCESSES',
  '--build-max-output-mb': 'BUILD_MAX_OUTPUT_MB',
  '--build-max-log-mb': 'BUILD_MAX_LOG_MB',
  '--build-max-disk-mb': 'BUILD_MAX_DISK_MB',
  '--build-max-files': 'BUILD_MAX_FILES',
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
    // Switches: alone they mean true (`--docs-https`), with `=` they take a value (`--docs-https=false`).
    else if (flag === '--allow-local-repositories' || flag === '--docs-https') overrides[name] = 'true';
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
  const storageUrl = url('STORAGE_URL', get('STORAGE_URL') || pathToFileURL(path.join(dataDir, 'storage')).href, ['file:', 's3:']);
  // S3 variables come from the environment only (never flags), like the secret among them.
  const s3 = new URL(storageUrl).protocol === 's3:' ? loadS3Config(storageUrl, env) : undefined;
  const publicUrl = url('PUBLIC_URL', get('PUBLIC_URL') || `http://localhost:${port}`, ['http:', 'https:']).replace(/\/+$/, '');
  const docsDomain = hostname('DOCS_DOMAIN', get('DOCS_DOMAIN') || 'docs.localhost');
  const previewDomain = hostname('PREVIEW_DOMAIN', get('PREVIEW_DOMAIN') || 'previews.localhost');
  checkPreviewDomain(previewDomain, docsDomain, new URL(publicUrl).hostname.toLowerCase());
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
    maxDiskBytes: integer('BUILD_MAX_DISK_MB', get('BUILD_MAX_DISK_MB'), 5120, 16, 1024 * 1024) * MB,
    maxFiles: integer('BUILD_MAX_FILES', get('BUILD_MAX_FILES'), 100_000, 100, 10_000_000),
  };
  const buildUid = integer('BUILD_UID', get('BUILD_UID'), 61_000, 0, 2 ** 31 - 2);
  const sandboxMode = choice('BUILD_SANDBOX', get('BUILD_SANDBOX'), ['required', 'off'], 'required');
  const networkMode = choice('BUILD_NETWORK', get('BUILD_NETWORK'), ['isolated', 'host'], 'isolated');
  const buildIsolation = {
    // Only a root builder can switch users; uid 0 is the operator asking for no switch.
    ...(process.getuid?.() === 0 && buildUid !== 0 ? { runAs: { uid: buildUid, gid: buildUid } } : {}),
    requireSandbox: sandboxMode === 'required',
    hostNetwork: networkMode === 'host',
  };
  const docsAccelRedirect = get('DOCS_ACCEL_REDIRECT') || null;
  if (docsAccelRedirect !== null && s3) {
    throw new ConfigValueError('DOCS_ACCEL_REDIRECT needs filesystem storage: nginx cannot send files straight from an S3 bucket');
  }
  if (docsAccelRedirect !== null && !/^\/[A-Za-z0-9_\/-]*\/$/.test(docsAccelRedirect)) {
    throw new ConfigValueError(`DOCS_ACCEL_REDIRECT=${JSON.stringify(docsAccelRedirect)} is not valid: expected a location path such as /_internal/`);
  }
  const docsHttps = boolean('DOCS_HTTPS', get('DOCS_HTTPS'), false);
  // None by default: on a shared machine any local process could otherwise name any client or host.
  const trustProxy = (get('TRUST_PROXY') || '').split(',').map((a) => a.trim()).filter(Boolean);
  for (const address of trustProxy) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(address)) {
      throw new ConfigValueError(`TRUST_PROXY=${JSON.stringify(get('TRUST_PROXY'))} is not valid: expected IP addresses or CIDR ranges separated by commas`);
    }
  }
  const logLevel = get('LOG_LEVEL') || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigValueError(`LOG_LEVEL=${JSON.stringify(logLevel)} is not valid: expected one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    host, port, dataDir, databaseUrl, storageUrl, publicUrl, docsDomain, previewDomain,
    allowLocalRepositories, builderConcurrency, buildTimeoutSeconds, logLevel,
    builderSecret, builderApiUrls, buildsPerProject, buildHeartbeatSeconds, buildLimits, buildIsolation, docsAccelRedirect, docsHttps, trustProxy,
    // Only with S3 storage, so a filesystem deployment's configuration has no empty S3 block.
    ...(s3 ? { s3 } : {}),
  };
}

/** True when the address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

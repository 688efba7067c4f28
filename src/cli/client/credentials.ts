// Where `bindery login` keeps the server URL and token: one JSON file only its owner can
// read (0600, in a 0700 folder), like gh's or docker's. BINDERY_URL and BINDERY_TOKEN
// override it, for CI and scripts that should not write a file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClientError } from './errors.ts';

type Env = Record<string, string | undefined>;

export interface Credentials {
  url: string;
  token: string;
  /** Where the token came from, for error messages: a file path or `BINDERY_TOKEN`. */
  source: string;
}

export function configDir(env: Env): string {
  if (env.BINDERY_CONFIG_DIR) return path.resolve(env.BINDERY_CONFIG_DIR);
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.config'), 'bindery');
}

export const credentialsFile = (env: Env) => path.join(configDir(env), 'credentials.json');

/** `http(s)://host[:port][/prefix]` without a trailing slash; null when it is not one. */
export function normalizeUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function saveCredentials(env: Env, url: string, token: string): string {
  const dir = configDir(env);
  const created = fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Tighten bindery's own folder; a folder the user named (BINDERY_CONFIG_DIR) and that
  // already existed is theirs to decide (it could be $HOME) — the file's 0600 still holds.
  if (created !== undefined || !env.BINDERY_CONFIG_DIR) fs.chmodSync(dir, 0o700);
  const file = path.join(dir, 'credentials.json');
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  // Created 0600 from the first byte, then renamed over the old file, so no reader ever
  // sees a half-written or world-readable token.
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, `${JSON.stringify({ url, token }, null, 2)}\n`);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  return file;
}

/** Removes the stored credentials; false when there were none. */
export function removeCredentials(env: Env): boolean {
  const file = credentialsFile(env);
  if (!fs.existsSync(file)) return false;
  fs.rmSync(file);
  return true;
}

function readStored(env: Env, warn: (message: string) => void): { url?: string; token?: string } | null {
  const file = credentialsFile(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ClientError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) warn(`warning: ${file} can be read by other users; run: chmod 600 ${file}`);
  try {
    const parsed = JSON.parse(text) as { url?: unknown; token?: unknown };
    return { url: typeof parsed.url === 'string' ? parsed.url : undefined, token: typeof parsed.token === 'string' ? parsed.token : undefined };
  } catch {
    throw new ClientError(`${file} is not valid JSON; run \`bindery login\` again`);
  }
}

/** The server and token to use: environment first, then the stored file. */
export function resolveCredentials(env: Env, warn: (message: string) => void): Credentials {
  const stored = env.BINDERY_URL && env.BINDERY_TOKEN ? null : readStored(env, warn);
  const rawUrl = env.BINDERY_URL || stored?.url;
  if (!rawUrl || !(env.BINDERY_TOKEN || stored?.token)) {
    throw new ClientError('not logged in: run `bindery login --url <server> --token <token>`, or set BINDERY_URL and BINDERY_TOKEN');
  }
  const url = normalizeUrl(rawUrl);
  if (!url) throw new ClientError(`${env.BINDERY_URL ? 'BINDERY_URL' : credentialsFile(env)}: "${rawUrl}" is not an http:// or https:// URL`);
  // A stored token goes only to the server it was stored for, never to another BINDERY_URL.
  if (!env.BINDERY_TOKEN && stored?.url && normalizeUrl(stored.url) !== url) {
    throw new ClientError(`no token for ${url} (the stored one is for ${stored.url}): set BINDERY_TOKEN, or run \`bindery login --url ${url} --token <token>\``);
  }
  const token = (env.BINDERY_TOKEN || stored?.token)!;
  return { url, token, source: env.BINDERY_TOKEN ? 'BINDERY_TOKEN' : credentialsFile(env) };
}

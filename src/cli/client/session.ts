// `bindery login` and `bindery logout`: the token is checked against the server before it
// is stored, so a typo is caught now rather than at the next command.
import fs from 'node:fs';
import { Api } from './api.ts';
import { UsageError, type Args } from './args.ts';
import { ClientError } from './errors.ts';
import { credentialsFile, normalizeUrl, removeCredentials, saveCredentials } from './credentials.ts';
import { note } from './output.ts';
import type { Page, Project } from './types.ts';

type Env = Record<string, string | undefined>;

export async function login(args: Args, env: Env): Promise<number> {
  const rawUrl = args.values.get('--url') ?? env.BINDERY_URL;
  let token = args.values.get('--token') ?? env.BINDERY_TOKEN;
  if (!rawUrl) throw new UsageError('missing --url <server>');
  if (!token) throw new UsageError('missing --token <token> (or --token - to read it from stdin)');
  // `--token -` keeps the token out of shell history and the process list.
  if (token === '-') token = fs.readFileSync(0, 'utf8').trim();
  if (!token || /\s/.test(token)) throw new UsageError('the token is empty or contains spaces');
  const url = normalizeUrl(rawUrl);
  if (!url) throw new UsageError(`--url must be an http:// or https:// URL, not "${rawUrl}"`);
  const api = new Api({ url, token, source: '--token' });
  const page = await api.request<Page<Project>>('GET', 'projects/?limit=1');
  if (typeof page?.count !== 'number') throw new ClientError(`${url} did not answer like a Bindery server`);
  const file = saveCredentials(env, url, token);
  const host = new URL(url).hostname;
  if (url.startsWith('http:') && !['localhost', '127.0.0.1', '[::1]'].includes(host)) {
    note(`warning: ${url} is plain HTTP: the token travels unencrypted`);
  }
  note(`Logged in to ${url} (${page.count} project${page.count === 1 ? '' : 's'}). Credentials saved to ${file}`);
  return 0;
}

export async function logout(_args: Args, env: Env): Promise<number> {
  const file = credentialsFile(env);
  note(removeCredentials(env) ? `Logged out: removed ${file}` : `Not logged in (no ${file})`);
  if (env.BINDERY_TOKEN) note('BINDERY_TOKEN is still set in the environment and is used while it is.');
  return 0;
}

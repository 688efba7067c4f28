// The git CLI, restricted to what Bindery needs: list a remote's refs and fetch one commit.
// Only the transports the repository URL check allowed are enabled, prompts are off, and
// nothing from the server's own git configuration leaks in.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseLsRemote, type RemoteRefs } from '../core/versions.ts';
import { BuildError } from '../core/errors.ts';

const exec = promisify(execFile);

/** Environment for every git command: no prompts, no system/global config, only safe protocols. */
export function gitEnv(allowLocal: boolean): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ASKPASS: '/bin/false',
    SSH_ASKPASS: '/bin/false',
    GIT_SSH_COMMAND: 'ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new',
    GIT_ALLOW_PROTOCOL: allowLocal ? 'https:ssh:file' : 'https:ssh',
    // A public server must not redirect git to an inside address that was never checked.
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.followRedirects',
    GIT_CONFIG_VALUE_0: 'false',
    LANG: 'C.UTF-8',
  };
}

/** Lists the branches and tags of a repository. Throws BuildError('repository-unreachable'). */
export async function lsRemote(url: string, allowLocal: boolean, timeoutMs = 60_000): Promise<RemoteRefs> {
  try {
    const { stdout } = await exec('git', ['ls-remote', '--symref', url, 'HEAD', 'refs/heads/*', 'refs/tags/*'], {
      env: gitEnv(allowLocal),
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return parseLsRemote(stdout);
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split('\n').slice(-3).join(' ');
    throw new BuildError('repository-unreachable', `could not read the repository ${url}: ${stderr}`);
  }
}

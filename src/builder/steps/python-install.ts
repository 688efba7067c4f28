// The commands `python.install` runs. Bindery has no virtualenv: everything lands in the build's
// user site ($PYTHONUSERBASE), which the builder's Python (with Debian's Sphinx and MkDocs) reads.
// pip installs there with --user; uv (Read the Docs' `method: uv`) with --prefix, and `command:
// sync` installs what `uv sync` would (the lock file's packages, exported) the same way. Paths
// given as bare words go on the command line as `./<path>`, so a folder named like an option is
// never read as one.
import { existsSync } from 'node:fs';
import { BuildError } from '../../core/errors.ts';
import type { PythonInstall, UvSelection } from '../../core/rtd-config/types.ts';

export interface InstallCommand {
  /** The step name in the log (`python.install[0]`). */
  name: string;
  argv: string[];
  /** Folder the command runs in, relative to the checkout ('.' for the root). */
  cwd: string;
}

export interface InstallPlan {
  /** Repository paths the step needs, by the key that named them: checked just before it runs. */
  needs: Array<{ key: string; path: string }>;
  commands: InstallCommand[];
}

export interface InstallTools {
  python: string;
  /** $PYTHONUSERBASE: where the build's packages go. */
  userBase: string;
  /** A file in the build's home for `uv export` to write. */
  scratch: string;
  /** Finds uv; null when the builder has none. */
  uv: () => string | null;
}

/** uv where the builder machine keeps its tools, as the sandbox sees them too. */
export function findUv(): string | null {
  return ['/usr/local/bin/uv', '/usr/bin/uv'].find((p) => existsSync(p)) ?? null;
}

const rel = (p: string) => (p === '.' ? '.' : `./${p}`);

export function installPlan(item: PythonInstall, index: number, tools: InstallTools): InstallPlan {
  const key = `python.install[${index}]`;
  if (!('method' in item) || item.method !== 'uv') {
    const pip = [tools.python, '-m', 'pip', 'install', '--user', '--break-system-packages', '--no-input'];
    if ('requirements' in item) {
      // pip reads the word after -r as its value whatever it looks like: no ./ needed (nor shown).
      return { needs: [{ key: `${key}.requirements`, path: item.requirements }], commands: [{ name: key, argv: [...pip, '-r', item.requirements], cwd: '.' }] };
    }
    const target = item.extraRequirements.length ? `${rel(item.path)}[${item.extraRequirements.join(',')}]` : rel(item.path);
    return { needs: [{ key: `${key}.path`, path: item.path }], commands: [{ name: key, argv: [...pip, target], cwd: '.' }] };
  }

  const uv = tools.uv();
  if (!uv) {
    throw new BuildError('uv-missing', `${key} uses method: uv, but this builder has no uv (looked for /usr/local/bin/uv and /usr/bin/uv); install uv on the builder machine, or use method: pip.`);
  }
  const uvPip = [uv, 'pip', 'install', '--python', tools.python, '--prefix', tools.userBase, '--break-system-packages'];
  const project = item.path ?? '.';
  if (item.command === 'pip') {
    if (item.requirements !== null) {
      const extras = selection('extra', item.extras);
      return { needs: [{ key: `${key}.requirements`, path: item.requirements }], commands: [{ name: key, argv: [...uvPip, '-r', rel(item.requirements), ...extras], cwd: '.' }] };
    }
    const argv = item.extras === 'all'
      ? [...uvPip, rel(project), '-r', `${rel(project)}/pyproject.toml`, '--all-extras']
      : [...uvPip, item.extras ? `${rel(project)}[${item.extras.join(',')}]` : rel(project)];
    return { needs: [{ key: `${key}.path`, path: project }], commands: [{ name: key, argv, cwd: '.' }] };
  }
  // command: sync — the lock file decides, as `uv sync` would (including its default groups).
  const exportArgv = [uv, 'export', '--format', 'requirements-txt', '--no-hashes', '--output-file', tools.scratch, ...selection('group', item.groups), ...selection('extra', item.extras)];
  return {
    needs: item.path ? [{ key: `${key}.path`, path: item.path }] : [],
    commands: [
      { name: `${key} (uv export)`, argv: exportArgv, cwd: project },
      { name: key, argv: [...uvPip, '-r', tools.scratch], cwd: project },
    ],
  };
}

/** `groups`/`extras` as uv flags; `--group=<name>` so a name is never read as another option. */
function selection(flag: 'group' | 'extra', value: UvSelection): string[] {
  if (value === null) return [];
  if (value === 'all') return [`--all-${flag}s`];
  return value.map((name) => `--${flag}=${name}`);
}

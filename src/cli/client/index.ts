// The client commands of `bindery` (login, projects, build, …): each one talks to a running
// server over API v3 and never opens the database, which PGlite lets only one process hold.
// Exit codes: 0 done, 1 failed (message on stderr), 2 usage error.
import { Api } from './api.ts';
import { parseArgs, UsageError, type Args, type ArgSpec } from './args.ts';
import { cancelBuild, listBuilds, triggerBuild } from './builds.ts';
import { resolveCredentials } from './credentials.ts';
import { ClientError } from './errors.ts';
import { note, print } from './output.ts';
import { createProject, listProjects, listVersions } from './projects.ts';
import { login, logout } from './session.ts';

type Env = Record<string, string | undefined>;

interface Command extends ArgSpec {
  usage: string;
  help: string;
  /** Commands that need no stored server (login, logout) get the environment instead. */
  run: ((api: Api, args: Args) => Promise<number>) | { local: (args: Args, env: Env) => Promise<number> };
}

const JSON_FLAG = ['--json'];

export const CLIENT_COMMANDS: Record<string, Command> = {
  login: { usage: 'login --url URL --token TOKEN', help: 'check the token and store it (--token - reads it from stdin)', values: ['--url', '--token'], positionals: [], run: { local: login } },
  logout: { usage: 'logout', help: 'forget the stored credentials', positionals: [], run: { local: logout } },
  projects: { usage: 'projects [--json]', help: 'the projects you maintain', booleans: JSON_FLAG, positionals: [], run: listProjects },
  'project create': {
    usage: 'project create NAME REPOSITORY-URL [--default-branch BRANCH] [--json]', help: 'import a repository; its active versions start building',
    booleans: JSON_FLAG, values: ['--default-branch'], positionals: ['name', 'repository-url'], run: createProject,
  },
  versions: { usage: 'versions PROJECT [--json]', help: "a project's versions", booleans: JSON_FLAG, positionals: ['project'], run: listVersions },
  build: {
    usage: 'build PROJECT [VERSION] [--wait] [--json]', help: 'build VERSION (default latest); --wait follows the log and exits 0 only if the build succeeded',
    booleans: ['--wait', ...JSON_FLAG], positionals: ['project', 'version?'], run: triggerBuild,
  },
  builds: { usage: 'builds PROJECT [VERSION] [--limit N] [--json]', help: 'the newest builds (20 unless --limit)', booleans: JSON_FLAG, values: ['--limit'], positionals: ['project', 'version?'], run: listBuilds },
  cancel: { usage: 'cancel PROJECT BUILD-ID [--json]', help: 'stop a build', booleans: JSON_FLAG, positionals: ['project', 'build-id'], run: cancelBuild },
};

export function isClientCommand(name: string): boolean {
  return name === 'project' || (!name.includes(' ') && Object.hasOwn(CLIENT_COMMANDS, name));
}

export async function runClient(name: string, argv: string[], env: Env = process.env): Promise<number> {
  let key = name;
  let rest = argv;
  if (name === 'project') {
    key = `project ${argv[0] ?? ''}`.trim();
    rest = argv.slice(1);
  }
  const command = Object.hasOwn(CLIENT_COMMANDS, key) ? CLIENT_COMMANDS[key] : undefined;
  const usage = (command ?? CLIENT_COMMANDS['project create']!).usage;
  try {
    if (!command) throw new UsageError(name === 'project' ? `"project" needs a subcommand: create` : `unknown command "${name}"`);
    const args = parseArgs(rest, command);
    if (args.flags.has('--help')) {
      print(`usage: bindery ${command.usage}\n\n${command.help}.\nServer and token: \`bindery login\`, or the environment variables BINDERY_URL and BINDERY_TOKEN.`);
      return 0;
    }
    if ('local' in command.run) return await command.run.local(args, env);
    return await command.run(new Api(resolveCredentials(env, note)), args);
  } catch (err) {
    if (err instanceof UsageError) {
      note(`bindery ${key}: ${err.message}\nusage: bindery ${usage}`);
      return 2;
    }
    if (err instanceof ClientError) {
      note(`bindery: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

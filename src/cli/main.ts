// `bindery <command>`: one executable, one command per role (DESIGN §2).
import { ConfigValueError, loadConfig, parseFlags } from '../config.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';

const USAGE = `usage: bindery <command> [options]

commands:
  serve     everything in one process: web + docs + builder (default database: embedded PGlite)
  web       the REST API v3 and the builder API
  docs      the documentation server
  builder   a build worker: claims builds from the web tier over HTTP (needs BUILDER_SECRET)
  migrate   bring the database schema up to date and exit
  cluster   PostgreSQL, two nodes, a load balancer and two builders on this machine (\`bindery cluster --help\`)

client commands (talk to a running server over the API; \`bindery <command> --help\` for details):
  login --url URL --token TOKEN      check the token and store it (0600, in ~/.config/bindery/)
  logout                             forget the stored credentials
  projects                           the projects you maintain
  project create NAME REPO-URL       import a repository [--default-branch BRANCH]
  versions PROJECT                   a project's versions
  build PROJECT [VERSION] [--wait]   build VERSION (default latest); --wait follows the log, exit 0 on success
  builds PROJECT [VERSION]           the newest builds [--limit N]
  cancel PROJECT BUILD-ID            stop a build
  --json prints the API's JSON; BINDERY_URL and BINDERY_TOKEN override the stored credentials
  (BINDERY_CONFIG_DIR: where they are stored).

server options (each also an environment variable):
  --host HOST                    HOST (default 127.0.0.1)
  --port PORT                    PORT (default 8000)
  --data-dir DIR                 BINDERY_DATA_DIR (default ./.bindery)
  --database-url URL             DATABASE_URL (default: embedded PGlite in the data folder)
  --storage-url URL              STORAGE_URL (default file://<data folder>/storage)
  --public-url URL               PUBLIC_URL (default http://localhost:<port>)
  --docs-domain DOMAIN           DOCS_DOMAIN (default docs.localhost)
  --preview-domain DOMAIN        PREVIEW_DOMAIN (default previews.localhost): pull-request previews at
                                 <project>--<number>.<domain>; in production a registrable domain of its own
  --allow-local-repositories     ALLOW_LOCAL_REPOSITORIES: every user may use local repositories (default: admins only)
  --builder-concurrency N        BUILDER_CONCURRENCY (default 1)
  --build-timeout SECONDS        BUILD_TIMEOUT (default 900)
  --builder-secret SECRET        BUILDER_SECRET (web + builder; at least 16 characters)
  --builder-api-url URLS         BUILDER_API_URL (builder: web tier URLs, comma-separated; default http://127.0.0.1:<port>)
  --builds-per-project N         BUILDS_PER_PROJECT (default 2)
  --build-heartbeat SECONDS      BUILD_HEARTBEAT_SECONDS (default 30, at least 10)
  --build-memory-mb N            BUILD_MEMORY_MB (default 2048)
  --build-max-processes N        BUILD_MAX_PROCESSES (default 512)
  --build-max-output-mb N        BUILD_MAX_OUTPUT_MB (default 1024)
  --build-max-log-mb N           BUILD_MAX_LOG_MB (default 50)
  --build-max-disk-mb N          BUILD_MAX_DISK_MB (default 5120: checkout, home and output together)
  --build-max-files N            BUILD_MAX_FILES (default 100000)
  (environment only: BUILD_UID=61000, BUILD_SANDBOX=required|off, BUILD_NETWORK=isolated|host)
  --docs-accel-redirect PATH     DOCS_ACCEL_REDIRECT (nginx X-Accel-Redirect location; see deploy/nginx/)
  --trust-proxy ADDRESSES        TRUST_PROXY (proxies allowed to set X-Forwarded-*; default none)
  --log-level LEVEL              LOG_LEVEL (default info)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  // Client commands parse their own arguments and never load the server configuration.
  if (command === 'cluster') return (await import('./cluster.ts')).runCluster(rest);
  const client = await import('./client/index.ts');
  if (client.isClientCommand(command)) return client.runClient(command, rest);
  const { overrides } = parseFlags(rest);
  const config = loadConfig(process.env, overrides);
  switch (command) {
    case 'serve':
    case 'web':
    case 'docs': {
      const { runServer } = await import('./serve.ts');
      return runServer(config, command, overrides);
    }
    case 'builder': {
      const { runBuilder } = await import('./builder.ts');
      return runBuilder(config);
    }
    case 'migrate': {
      const { runMigrate } = await import('./migrate.ts');
      return runMigrate(config);
    }
    default:
      process.stderr.write(`bindery: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigValueError || err instanceof DataDirLockedError) {
      process.stderr.write(`bindery: ${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`bindery: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);

// `bindery <command>`: one executable, one command per role (DESIGN §2).
import { ConfigValueError, loadConfig, parseFlags } from '../config.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';

const USAGE = `usage: bindery <command> [options]

commands:
  serve     everything in one process: web + docs + builder (default database: embedded PGlite)
  web       the dashboard, REST API v3 and webhooks
  docs      the documentation server
  migrate   bring the database schema up to date and exit

options (each also an environment variable):
  --host HOST                    HOST (default 127.0.0.1)
  --port PORT                    PORT (default 8000)
  --data-dir DIR                 BINDERY_DATA_DIR (default ./.bindery)
  --database-url URL             DATABASE_URL (default: embedded PGlite in the data folder)
  --storage-url URL              STORAGE_URL (default file://<data folder>/storage)
  --public-url URL               PUBLIC_URL (default http://localhost:<port>)
  --docs-domain DOMAIN           DOCS_DOMAIN (default docs.localhost)
  --allow-local-repositories     ALLOW_LOCAL_REPOSITORIES (default: on for serve on loopback)
  --builder-concurrency N        BUILDER_CONCURRENCY (default 1)
  --build-timeout SECONDS        BUILD_TIMEOUT (default 900)
  --log-level LEVEL              LOG_LEVEL (default info)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const { overrides } = parseFlags(rest);
  const config = loadConfig(process.env, overrides);
  switch (command) {
    case 'serve':
    case 'web':
    case 'docs': {
      const { runServer } = await import('./serve.ts');
      return runServer(config, command, overrides);
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

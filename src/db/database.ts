// Opens the database every role shares: PostgreSQL when a URL is given, otherwise PGlite
// (Postgres compiled to WASM) in a folder or in memory. Both sit behind one Drizzle
// query layer, so no query knows which one it runs on.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The PostgreSQL connection string (null for PGlite). */
  url: string | null;
  /** The driver underneath, for libraries that need their own handle (the job queue). */
  pglite: PGlite | null;
  pool: pg.Pool | null;
  close(): Promise<void>;
}

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');
/** Any constant works; it only has to be the same on every node running migrations. */
const MIGRATION_LOCK = 4_151_302_671;

export interface OpenOptions {
  /** postgres:// URL; null → PGlite. */
  url: string | null;
  /** PGlite data folder; null → in memory. Ignored for PostgreSQL. */
  dataDir?: string | null;
  poolSize?: number;
}

/** Opens (but does not migrate) the database. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    // A database that stops answering (rather than refusing) must fail requests fast, not hang them.
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10, connectionTimeoutMillis: 5000, keepAlive: true });
    // An idle client that loses its server (restart, failover) emits 'error'; without a
    // listener that would crash the process. The pool replaces the client on next use.
    pool.on('error', () => {});
    return {
      db: drizzlePg(pool, { schema }) as unknown as Db,
      kind: 'postgres',
      url: opts.url,
      pglite: null,
      pool,
      close: () => pool.end(),
    };
  }
  const client = opts.dataDir ? await PGlite.create(opts.dataDir) : await PGlite.create();
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    kind: 'pglite',
    url: null,
    pglite: client,
    pool: null,
    close: () => client.close(),
  };
}

/** Brings the schema up to date. On PostgreSQL an advisory lock serialises nodes starting together. */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.pglite) {
    await migratePglite(drizzlePglite(database.pglite), { migrationsFolder: MIGRATIONS });
    return;
  }
  const client = await database.pool!.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migratePg(drizzlePg(client), { migrationsFolder: MIGRATIONS });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

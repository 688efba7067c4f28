// testDatabase(): a real, fresh, migrated database for one test file. PGlite in memory
// by default; with DATABASE_URL set, a new PostgreSQL database created for this file and
// dropped afterwards, so no test depends on what another left behind.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateDatabase, openDatabase, type Database } from '../../src/db/database.ts';

export interface TestDatabase extends Database {
  /** The connection string of the fresh database (null on PGlite). */
  url: string | null;
  drop(): Promise<void>;
}

export async function testDatabase(): Promise<TestDatabase> {
  const admin = process.env.DATABASE_URL;
  if (!admin) {
    const database = await openDatabase({ url: null });
    await migrateDatabase(database);
    return { ...database, url: null, drop: () => database.close() };
  }
  const name = `bindery_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 5 });
  await migrateDatabase(database);
  return {
    ...database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

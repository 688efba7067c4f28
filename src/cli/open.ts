// Opens the database and storage a role runs on, holding the data-folder lock when the
// database is the embedded one.
import path from 'node:path';
import type { Config } from '../config.ts';
import { lockDataDir } from '../db/data-dir-lock.ts';
import { migrateDatabase, openDatabase, type Database } from '../db/database.ts';
import { openStorage } from '../storage/index.ts';
import type { Storage } from '../storage/storage.ts';

export interface Opened {
  database: Database;
  storage: Storage;
  close(): Promise<void>;
}

export async function openState(config: Config): Promise<Opened> {
  const release = config.databaseUrl ? () => {} : lockDataDir(config.dataDir);
  try {
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? null : path.join(config.dataDir, 'db') });
    await migrateDatabase(database);
    const storage = openStorage(config.storageUrl, config.s3);
    return {
      database,
      storage,
      close: async () => {
        await database.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

// `bindery migrate`: bring the schema up to date (every role also does this at start).
import type { Config } from '../config.ts';
import { openState } from './open.ts';

export async function runMigrate(config: Config): Promise<number> {
  const state = await openState(config);
  await state.close();
  process.stdout.write(`database is up to date (${config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`})\n`);
  return 0;
}

// The docs server as `bindery docs` runs it (one http.Server handing requests to the docs
// app), for the benchmark: BENCH_DATA_DIR (PGlite folder), BENCH_STORAGE, BENCH_PORT, and
// BENCH_ACCEL=/_internal/ for the X-Accel-Redirect mode. Prints "ready" once listening.
import http from 'node:http';
import { migrateDatabase, openDatabase } from '../src/db/database.ts';
import { createDocsApp } from '../src/docs/app.ts';
import { createLogger } from '../src/log.ts';
import { FilesystemStorage } from '../src/storage/filesystem.ts';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const database = await openDatabase({ url: null, dataDir: env('BENCH_DATA_DIR') });
await migrateDatabase(database);
// LOG_LEVEL=warn: per-request info logs are an operator's choice, not the server's cost.
const docs = await createDocsApp({
  db: database.db, storage: new FilesystemStorage(env('BENCH_STORAGE')), docsDomain: 'docs.localhost', previewDomain: 'previews.localhost',
  log: createLogger('warn'), accelRedirect: process.env.BENCH_ACCEL || null,
});
await docs.ready();
const server = http.createServer((req, res) => docs.routing(req, res));
server.keepAliveTimeout = 65_000;
server.listen(Number(env('BENCH_PORT')), '127.0.0.1', () => process.stdout.write('ready\n'));
const stop = () => {
  server.close();
  server.closeAllConnections();
  void docs.close().then(() => database.close()).then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

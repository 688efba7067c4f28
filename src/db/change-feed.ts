// The database as a message bus between nodes, and how its absence looks: a change one node
// announces (servingChanged) is sent with NOTIFY and every node LISTENing on one dedicated
// connection drops its caches; the connection comes back by itself after a database restart.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { onServingPublish, servingChangedElsewhere } from '../core/changes.ts';
import type { Logger } from '../log.ts';

export const CHANNEL = 'bindery_serving';

// Node socket errors, and SQLSTATEs meaning "no server right now" rather than "bad query":
// class 08 (connection exception), 57P01–57P03 (shutdown, crash, starting up), 53300 (too
// many connections) and 25006 (writing to a standby, as during a failover).
const CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300', '25006']);
// node-postgres says these in words only, with no code.
const MESSAGES = /Connection terminated|connection error and is not queryable|Client was closed|timeout exceeded when trying to connect|Connection refused/i;

/** True when an error (or its cause, as Drizzle wraps them) says the database cannot be reached. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const { code, message, cause, errors } = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (CODES.has(code) || code.startsWith('08'))) return true;
  if (typeof message === 'string' && MESSAGES.test(message)) return true;
  if (Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}

export interface ChangeFeedOptions {
  url: string;
  /** Publishes go through the shared pool: a change is sent even while the feed reconnects. */
  pool: pg.Pool;
  log: Logger;
  /** Listen for other nodes' changes (a node with a docs server); publishing is always on. */
  listen: boolean;
  /** Delays between reconnection attempts; the last one repeats. */
  retryDelaysMs?: number[];
  /** How often the idle connection is checked (a silent network drop sends no error). */
  pingMs?: number;
}

export class ChangeFeed {
  /** This process's id in every NOTIFY, so it skips its own (it already dropped its caches). */
  readonly id = randomUUID();
  readonly #opts: ChangeFeedOptions;
  #client: pg.Client | null = null;
  #stopped = false;
  #failures = 0;
  #retry: NodeJS.Timeout | null = null;
  #ping: NodeJS.Timeout | null = null;
  #unpublish: () => void = () => {};

  constructor(opts: ChangeFeedOptions) {
    this.#opts = opts;
  }

  get connected(): boolean {
    return this.#client !== null;
  }

  /** Starts publishing, and listening once the first connection is up (the caller saw the database up). */
  async start(): Promise<void> {
    this.#unpublish = onServingPublish(() => this.#publish());
    if (!this.#opts.listen) return;
    await this.#connect();
    this.#ping = setInterval(() => void this.#check(), this.#opts.pingMs ?? 10_000);
    this.#ping.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unpublish();
    if (this.#retry) clearTimeout(this.#retry);
    if (this.#ping) clearInterval(this.#ping);
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
  }

  #publish(): void {
    // Sent after the change committed (callers announce after their transaction), so a node
    // that reloads on this message reads the new state.
    this.#opts.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, this.id]).catch((err: unknown) => {
      this.#opts.log.warn({ err }, 'could not announce a change to other nodes; they see it when their cache expires');
    });
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#opts.url, keepAlive: true, query_timeout: 5000, connectionTimeoutMillis: 5000 });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    client.on('notification', (msg) => {
      if (msg.channel === CHANNEL && msg.payload !== this.id) servingChangedElsewhere();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      client.end().catch(() => {});
      throw err;
    }
    if (this.#stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
  }

  /** The connection is gone: changes sent meanwhile are missed, so reconnect, then drop everything once. */
  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = null;
    client.end().catch(() => {});
    if (this.#stopped) return;
    this.#opts.log.warn('change feed lost its database connection; reconnecting');
    this.#schedule();
  }

  #schedule(): void {
    const delays = this.#opts.retryDelaysMs ?? [100, 250, 500, 1000];
    const delay = delays[Math.min(this.#failures++, delays.length - 1)]!;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#connect().then(
        () => {
          if (this.#stopped || !this.#client) return;
          this.#failures = 0;
          this.#opts.log.info('change feed reconnected');
          servingChangedElsewhere();
        },
        () => {
          if (!this.#stopped) this.#schedule();
        },
      );
    }, delay);
    this.#retry.unref();
  }

  async #check(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      await client.query('SELECT 1');
    } catch {
      this.#lost(client);
    }
  }
}

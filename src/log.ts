// Structured logs for every role (pino, JSON lines on stdout). Fastify uses the same
// instance so request logs and application logs share one stream and one level.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'bindery'): Logger {
  return pino({ name, level });
}

// Input and output hygiene of the JSON APIs. In (API v3): a NUL or a lone surrogate in any
// string is refused with 400 naming the field (PostgreSQL cannot store NUL and would answer
// 500; a lone surrogate would be stored altered). Out (every /api/ answer): `<`, `>`, `&`,
// U+2028/9 are written as \u escapes, so a value such as `<script>` is returned exactly but
// can never be read as markup by a sniffing client.
import type { FastifyInstance } from 'fastify';
import { fieldError } from '../errors.ts';

/** The path of the first string under `value` that PostgreSQL would refuse or alter, or null. */
export function badStringPath(value: unknown, base: string): string | null {
  // Iterative: a deeply nested body must not overflow the stack.
  const stack: Array<[unknown, string]> = [[value, base]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000') || !v.isWellFormed()) return path;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${path}.${i}`]));
    } else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) stack.push([item, path ? `${path}.${k}` : k]);
    }
  }
  return null;
}

const ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

export function registerJsonSafety(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (!request.url.startsWith('/api/v3/')) return;
    for (const [part, value] of [['params', request.params], ['query', request.query], ['body', request.body]] as const) {
      const bad = badStringPath(value, part === 'body' ? '' : part);
      if (bad !== null) throw fieldError(bad || part, 'Null characters and unpaired surrogates are not allowed.');
    }
  });
  // Out, for every JSON API (v3, the webhook receivers that echo a delivery's ref, the builder API).
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/api/')) return payload;
    reply.header('x-content-type-options', 'nosniff');
    const type = String(reply.getHeader('content-type') ?? '');
    // These characters only ever appear inside JSON strings, so escaping them keeps the value.
    if (typeof payload === 'string' && type.startsWith('application/json')) return payload.replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c]!);
    return payload;
  });
}

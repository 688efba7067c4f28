// Input and output hygiene of the JSON APIs. In (API v3): a NUL or a lone surrogate in any
// string is refused with 400 naming the field (PostgreSQL cannot store NUL and would answer
// 500; a lone surrogate would be stored altered). Out (every /api/ answer): `<`, `>`, `&`,
// U+2028/9 are written as \u escapes, so a value such as `<script>` is returned exactly but
// can never be read as markup by a sniffing client.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fieldError } from '../errors.ts';
import { badStringPath, UNSAFE_STRING_MESSAGE } from '../../core/unsafe-strings.ts';

const ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** Refuses (400 naming the field) a NUL or a lone surrogate in the request's params, query or body. */
export function refuseUnsafeStrings(request: FastifyRequest): void {
  for (const [part, value] of [['params', request.params], ['query', request.query], ['body', request.body]] as const) {
    const bad = badStringPath(value, part === 'body' ? '' : part);
    if (bad !== null) throw fieldError(bad || part, UNSAFE_STRING_MESSAGE);
  }
}

/** The output half, for every /api/ answer; the input half runs in the API plugin (refuseUnsafeStrings), once every body encoding is parsed. */
export function registerJsonSafety(app: FastifyInstance): void {
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

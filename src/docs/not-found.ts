// The 404 answer: the version's own `404.html` (or `404/index.html`), else the default
// version's, else a plain page. Always status 404, never cached for long.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Storage } from '../storage/storage.ts';
import { sendBody } from './send-file.ts';

export const PLAIN_404 = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>' +
  '<body><h1>Not found</h1><p>There is no documentation page at this address.</p></body></html>\n';

/** `prefixes`: the html folders of the builds to look in, in order (requested version, default version). */
export async function sendNotFound(request: FastifyRequest, reply: FastifyReply, storage: Storage, prefixes: readonly string[] = []): Promise<FastifyReply> {
  reply.code(404).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache');
  for (const prefix of new Set(prefixes)) {
    for (const candidate of ['404.html', '404/index.html']) {
      const file = await storage.get(`${prefix}/${candidate}`);
      if (file) {
        sendBody(request, reply, file.body, file.size);
        return reply;
      }
    }
  }
  return reply.send(PLAIN_404);
}

// Live build logs over Server-Sent Events: every stored line, then new ones as builders
// report them, until the build ends. It reads the database (not an in-process event), so
// it works on whichever web node the reader reached, whichever node the builder reports to.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import { isTerminal } from '../../core/build-state.ts';
import { buildLog, getBuild } from '../../db/builds.ts';
import { versions, type Build, type Project } from '../../db/schema.ts';
import { readBuild } from '../../domain/builds.ts';
import { apiActor } from './actor.ts';
import type { ApiContext } from './context.ts';
import type { UrlContext } from './serializers.ts';
import { serializeBuild } from './build-serializer.ts';
import type { Db } from '../../db/database.ts';

const POLL_MS = 300;

/**
 * Streams a build's log as Server-Sent Events until the build ends. Shared by the API
 * (token) and the dashboard (session) routes, which each check access first.
 */
export async function streamBuildLog(db: Db, urls: UrlContext, request: FastifyRequest, reply: FastifyReply, project: Project, first: Build): Promise<void> {
  const [version] = await db.select().from(versions).where(eq(versions.id, first.versionId));
  // A reconnecting EventSource says where it stopped; resume after that line.
  const lastId = request.headers['last-event-id'];
  let after = Number.parseInt(typeof lastId === 'string' ? lastId : '', 10);
  if (!Number.isInteger(after)) after = -1;

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no', connection: 'keep-alive' });
  let closed = false;
  request.raw.on('close', () => {
    closed = true;
  });
  let lastState = '';
  while (!closed) {
    const build = await getBuild(db, first.id);
    if (!build) break;
    for (const line of await buildLog(db, build.id, after)) {
      res.write(`id: ${line.seq}\nevent: log\ndata: ${JSON.stringify({ seq: line.seq, step: line.step, stream: line.stream, line: line.line })}\n\n`);
      after = line.seq;
    }
    if (build.state !== lastState) {
      lastState = build.state;
      res.write(`event: state\ndata: ${JSON.stringify(serializeBuild(build, project, version ?? null, urls))}\n\n`);
    }
    if (isTerminal(build.state)) {
      // Lines flushed just before the end were read by the loop above first.
      res.write('event: end\ndata: {}\n\n');
      break;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  res.end();
}

export function buildLogStreamRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Params: { project: string; build: number } }>(
    '/projects/:project/builds/:build/log/stream/',
    {
      schema: {
        params: { type: 'object', properties: { project: { type: 'string', maxLength: 255 }, build: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['project', 'build'] },
      },
    },
    async (request, reply) => {
      // Whoever may read the build (and so its log on the detail) may follow it.
      const { project, build } = await readBuild(ctx, await apiActor(ctx, request), request.params.project, request.params.build);
      await streamBuildLog(ctx.db, ctx, request, reply, project, build);
    },
  );
}

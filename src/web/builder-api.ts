// The builder API: how builders (in this process or on other machines) claim builds and
// report on them. Every request carries BUILDER_SECRET; requests about one build also
// carry that attempt's token, so a builder presumed dead cannot write into its successor.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { appendLog, finishStep, moveBuild } from '../db/builds.ts';
import { buildSteps, environmentVariables, projects, versions, type Build } from '../db/schema.ts';
import type { BuildQueue } from '../queue/build-queue.ts';
import { BUILDER_API, type ClaimResponse, type FinishRequest, type Job, type ReportOp } from '../builder/protocol.ts';
import { HttpError } from './errors.ts';
import { repositoryForBuild } from '../domain/repository-access.ts';
import type { HostResolver } from '../domain/host-resolution.ts';
import { RUNNING_STATES, isRunning } from '../core/build-state.ts';

export interface BuilderApiOptions {
  db: Db;
  queue: BuildQueue;
  /** null → the builder API answers 503: this node takes no builders. */
  builderSecret: string | null;
  /** ALLOW_LOCAL_REPOSITORIES as the operator set it; with resolveHost, what a build's repository may reach. */
  allowLocalRepositories: boolean;
  resolveHost?: HostResolver;
}

function checkSecret(request: FastifyRequest, secret: string | null): void {
  if (!secret) throw new HttpError(503, 'This node has no BUILDER_SECRET: it does not serve builders.');
  const header = request.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new HttpError(401, 'Invalid builder secret.');
}

const idParams = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['id'] } as const;

export function builderApiRoutes(app: FastifyInstance, opts: BuilderApiOptions): void {
  const { db, queue } = opts;

  /** The build this request's token is for; 409 when the attempt is over or was replaced. */
  const authorized = async (request: FastifyRequest<{ Params: { id: number } }>): Promise<Build> => {
    checkSecret(request, opts.builderSecret);
    const token = request.headers['x-build-token'];
    const build = typeof token === 'string' ? await queue.authorize(request.params.id, token) : null;
    if (!build) throw new HttpError(409, 'This build attempt is no longer current: stop working on it.');
    return build;
  };

  app.post<{ Body: { builder: string } }>(
    `${BUILDER_API}/claim`,
    { schema: { body: { type: 'object', required: ['builder'], properties: { builder: { type: 'string', minLength: 1, maxLength: 200 } } } } },
    async (request, reply) => {
      checkSecret(request, opts.builderSecret);
      const claim = await queue.claim(request.body.builder);
      if (!claim) return reply.code(204).send();
      const { build } = claim;
      const [row] = await db
        .select({ project: projects, version: versions })
        .from(versions)
        .innerJoin(projects, eq(projects.id, versions.projectId))
        .where(eq(versions.id, build.versionId));
      if (!row) {
        await queue.finish(build, { success: false, errorCode: 'version-deleted', error: 'The version was deleted before the build started.' });
        return reply.code(204).send();
      }
      // The repository is checked again here: its host may resolve elsewhere than when it was saved.
      const repository = await repositoryForBuild(db, opts, row.project);
      if (!repository.ok) {
        request.log.warn({ build: build.id, project: row.project.slug, reason: repository.detail }, 'repository refused for a build');
        await queue.finish(build, { success: false, errorCode: repository.error.code, error: repository.error.message });
        return reply.code(204).send();
      }
      const env = await db.select().from(environmentVariables).where(eq(environmentVariables.projectId, row.project.id));
      const job: Job = {
        buildId: build.id,
        attempt: build.attempt,
        projectSlug: row.project.slug,
        projectName: row.project.name,
        language: row.project.language,
        versionSlug: row.version.slug,
        versionType: row.version.type,
        identifier: row.version.identifier,
        commit: build.commit,
        // The only place the credentials leave the web tier, marked as secrets for the builder's masker.
        repoUrl: repository.cloneUrl,
        allowLocal: repository.allowLocal,
        secrets: repository.secrets,
        documentationType: row.project.documentationType,
        readthedocsYamlPath: row.project.readthedocsYamlPath ?? null,
        // Pull request builds run code anyone may propose: they get only public variables (as on Read the Docs).
        env: env.filter((e) => e.public || row.version.type !== 'external').map((e) => ({ name: e.name, value: e.value, secret: !e.public })),
      };
      const response: ClaimResponse = { job, token: claim.token, seqBase: claim.seqBase, stepBase: claim.stepBase, heartbeatSeconds: queue.heartbeatSeconds };
      return response;
    },
  );

  app.post<{ Params: { id: number }; Body: { ops: ReportOp[] } }>(
    `${BUILDER_API}/builds/:id/report`,
    {
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        params: idParams,
        body: {
          type: 'object',
          required: ['ops'],
          properties: {
            ops: {
              type: 'array',
              maxItems: 5000,
              items: {
                type: 'object',
                required: ['op'],
                properties: {
                  op: { type: 'string', enum: ['state', 'step', 'step-end', 'log'] },
                  state: { type: 'string', enum: [...RUNNING_STATES] },
                  commit: { type: 'string', pattern: '^[0-9a-f]{40,64}$' },
                  position: { type: 'integer', minimum: 0 },
                  name: { type: 'string', maxLength: 200 },
                  command: { type: 'string', maxLength: 10000 },
                  exitCode: { type: 'integer' },
                  seq: { type: 'integer', minimum: 0 },
                  step: { type: ['integer', 'null'] },
                  stream: { type: 'string', enum: ['stdout', 'stderr', 'info'] },
                  line: { type: 'string', maxLength: 20000 },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const build = await authorized(request);
      // Applied in order; every op is idempotent, so a batch delivered twice changes nothing.
      let logs: Array<{ seq: number; step: number | null; stream: 'stdout' | 'stderr' | 'info'; line: string }> = [];
      const flushLogs = async () => {
        await appendLog(db, build.id, logs);
        logs = [];
      };
      for (const op of request.body.ops) {
        if (op.op === 'log') {
          logs.push({ seq: op.seq, step: op.step ?? null, stream: op.stream, line: op.line });
          continue;
        }
        await flushLogs();
        if (op.op === 'state') {
          // Only the running states come through here (the schema's enum says so too): a build ends with /finish.
          // A report the rules refuse (an earlier state delivered again after a later one) changes nothing.
          if (!isRunning(op.state)) throw new HttpError(400, 'End a build with /finish.');
          await moveBuild(db, build.id, op.state, { ...(op.commit ? { commit: op.commit } : {}), ...(op.config !== undefined ? { config: op.config } : {}) }, { attempt: build.attempt });
        } else if (op.op === 'step') {
          await db.insert(buildSteps).values({ buildId: build.id, position: op.position, name: op.name, command: op.command }).onConflictDoNothing();
        } else {
          await finishStep(db, build.id, op.position, op.exitCode);
        }
      }
      await flushLogs();
      return { ok: true };
    },
  );

  app.post<{ Params: { id: number } }>(`${BUILDER_API}/builds/:id/heartbeat`, { schema: { params: idParams } }, async (request) => {
    const build = await authorized(request);
    return queue.heartbeat(build);
  });

  app.post<{ Params: { id: number }; Body: FinishRequest }>(
    `${BUILDER_API}/builds/:id/finish`,
    {
      schema: {
        params: idParams,
        body: {
          type: 'object',
          required: ['success'],
          properties: {
            success: { type: 'boolean' },
            cancelled: { type: 'boolean' },
            errorCode: { type: 'string', maxLength: 100 },
            error: { type: 'string', maxLength: 10000 },
            formats: { type: 'array', items: { type: 'string', enum: ['htmlzip', 'pdf', 'epub'] } },
          },
        },
      },
    },
    async (request) => {
      const build = await authorized(request);
      const body = request.body;
      await queue.finish(build, body.success ? { success: true, formats: body.formats } : { success: false, cancelled: body.cancelled, errorCode: body.errorCode ?? 'unexpected', error: body.error ?? 'The build failed.' });
      return { ok: true };
    },
  );
}

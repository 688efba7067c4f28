// GET /api/v3/: the API's root, as Read the Docs answers it.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './context.ts';

export function rootRoutes(_app: FastifyInstance, _ctx: ApiContext): void {}

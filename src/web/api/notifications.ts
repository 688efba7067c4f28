// /api/v3/projects/<slug>/notifications/, …/builds/<id>/notifications/ and /api/v3/users/<username>/notifications/:
// Read the Docs' notifications (see src/domain/notifications.ts). Routes are added by the builds work.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './context.ts';

export function notificationRoutes(_app: FastifyInstance, _ctx: ApiContext): void {}

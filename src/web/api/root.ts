// GET /api/v3/: the API's root, as Read the Docs answers it (DRF's DefaultRouter root view:
// each top-level collection by name, with its URL; anyone may read it). Read the Docs also
// lists `remote/repositories` and `remote/organizations`, which Bindery does not have.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './context.ts';
import { routeSchema } from './openapi.ts';
import { api } from './serializers.ts';

export function rootRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/', { schema: routeSchema({ summary: "The API's top-level collections.", tags: ['meta'], public: true }) }, async () => ({
    projects: api(ctx, 'projects/'),
  }));
}
